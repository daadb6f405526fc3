// scalesim plan: the main job. From one budget to the model to train, its
// data, batch, layout, time with failures, cost, energy and loss
// (plan/plan_report.hpp holds the workflow; this file binds and renders).
#include <optional>
#include <ostream>
#include <string>
#include <utility>

#include "scalesim/core/units.hpp"
#include "scalesim/core/validate.hpp"
#include "scalesim/io/architecture_io.hpp"
#include "scalesim/io/hardware_io.hpp"
#include "scalesim/io/law_io.hpp"
#include "scalesim/plan/plan_report.hpp"

#include "cli/cli.hpp"
#include "cli/command.hpp"

namespace scalesim::cli {
namespace {

// Default law: Besiroglu et al. 2024's refit of Hoffmann et al.'s data. Its
// optimum (~20 tokens per parameter near Chinchilla's budget) agrees with
// Hoffmann's Approaches 1 and 2; the published Approach 3 constants do not.
// The batch and learning rate: DeepSeek-AI 2024's law (scalesim hparams);
// the critical batch: Kaplan et al. 2020's.
struct PlanLaw {
  std::string law = "besiroglu2024";
  std::string hparams_law = "deepseek2024_hyperparameters";
  template <typename V>
  void VisitFields(V&& v) {
    v(law,
      {.name = "law",
       .help = "loss law: a built-in name (scalesim laws) or a law JSON file",
       .unit = "NAME|FILE"});
    v(hparams_law,
      {.name = "hparams_law",
       .help = "hyperparameter law of the batch and learning rate: a "
               "built-in name (scalesim hparams) or a law JSON file",
       .unit = "NAME|FILE"});
  }
};
constexpr const char* kCriticalBatchLaw = "kaplan2020_critical_batch";

std::string Num(double v) { return NumberText(v); }

std::vector<std::string> Notes(const plan::PlanResult& r,
                               const plan::PlanOptions& o,
                               const model::Device& device,
                               const laws::Law& law) {
  std::vector<std::string> n;
  n.push_back(laws::Describe(law));
  n.push_back(laws::InFittedRangeNote());
  n.push_back(
      "FLOPs convention: " + r.convention +
      " (--convention) for the split, the printed training_flops (the "
      "convention's count of the proposed model at its tokens, never above "
      "the budget) and MFU; time is steps x the step model's predicted step "
      "time, not FLOPs / an MFU");
  if (r.budget_source == "default")
    n.push_back("default budget 1e23 FLOPs (--flops, --days or --budget-usd)");
  if (r.deadline_seconds)
    n.push_back(
        "deadline: the largest budget whose wall clock (failures included) "
        "fits, solved along the law's frontier (TOMS 748)");
  if (!r.fixed_architecture)
    n.push_back(
        "shapes: head_dim 128, heads a multiple of 8, 8 KV heads, d_model a "
        "multiple of 1,024 (128 x TP 8), d_ff a multiple of 256, within " +
        Num(o.params_tolerance * 100.0) +
        "% of N*; the fastest by the step model of the " +
        std::to_string(r.shapes_considered) +
        " closest to aspect ratio 128; vocabulary " + GroupedDigits(o.vocab) +
        (o.vocab == plan::kDefaultVocab ? " (Llama 3's, --vocab)" : ""));
  n.push_back("batch and learning rate: " + r.hyperparameter_law +
              " (--hparams-law; scalesim hparams shows it) at the split's N*, "
              "D*, C; the batch rounded to whole sequences = micro_batch x "
              "data_parallel x gradient_accumulation; warm-up 2,000 steps, "
              "at most a tenth of them; critical_batch_tokens: Kaplan et al. "
              "2020 (Eqs. 1.4, 5.3) at the loss its law predicts for the "
              "model, and compute_over_law_batch the compute the batch used "
              "needs over the law's (Eq. 5.5)");
  n.push_back(
      "usable memory per device: " + Num(o.usable_memory_fraction) + " x " +
      Num(static_cast<double>(device.memory_bytes) / units::kBytesPerGiB) +
      " GiB - " + Num(o.runtime_reserve_gib) +
      " GiB runtime reserve (--usable-memory-fraction, "
      "--runtime-reserve-gib); bf16 mixed precision, Adam, "
      "FlashAttention, no dropout");
  n.push_back(
      "failures: " + ScientificText(o.interruptions_per_device_day) +
      " interruptions per device-day (Llama 3: 419 in 54 days on 16,384 "
      "GPUs), checkpoint " +
      Num(o.checkpoint_bytes_per_param) + " bytes/param at " +
      ScientificText(o.storage_gb_per_s_per_device) +
      " GB/s per device, interval sqrt(2 delta MTBF) (Young 1974, Daly "
      "2006), restart " +
      Num(o.restart_minutes) + " min; wall clock includes them");
  n.push_back("energy: device-hours x TDP" +
              (device.tdp_watts ? " (" + Num(*device.tdp_watts) + " W)"
                                : std::string(" (unknown for this device)")) +
              " x PUE " + Num(o.pue) +
              " (--pue; Patterson et al. 2021), an upper bound");
  for (const std::string& s : r.notes) n.push_back(s);
  if (!r.message.empty())
    n.push_back("status " +
                std::string(EnumName(r.status, plan::kPlanStatusNames)) + ": " +
                r.message);
  return n;
}

io::Report Render(const plan::PlanResult& r,
                  const plan::PlanOptions& o,
                  const model::Device& device,
                  const laws::Law& law) {
  io::Report out;
  out.tables.push_back(io::ToRecord(plan::BudgetSchema(), r));
  if (!r.allocations.empty())
    out.tables.push_back(io::ToTable(
        plan::AllocationSchema("allocation", "Parameter/token split"),
        r.allocations));
  out.tables.push_back(io::ToRecord(plan::ModelSchema(), r));
  if (r.ok()) {
    out.tables.push_back(io::ToRecord(plan::OptimizerSchema(), r));
    io::Table layout = io::ToRecord(perf::StepSchema(), r.step);
    layout.name = "layout";
    layout.title = "Layout (fastest that fits, step model)";
    out.tables.push_back(std::move(layout));
    out.tables.push_back(
        io::ToTable(perf::StageSchema(), perf::StageRows(r.step)));
    io::Table alt = io::ToTable(perf::SearchSchema(), r.alternatives);
    alt.name = "layouts";
    out.tables.push_back(std::move(alt));
    out.tables.push_back(io::ToRecord(plan::TimeSchema(), r));
    out.tables.push_back(io::ToRecord(plan::CostSchema(), r));
    out.tables.push_back(io::ToRecord(plan::LossSchema(), r));
  }
  out.notes = Notes(r, o, device, law);
  return out;
}

}  // namespace

int RunPlan(const Args& args, std::ostream& out, std::ostream& /*err*/) {
  Command cmd(
      {"plan",
       "from one budget (FLOPs, days on devices, or money) to the model to "
       "train, its tokens, batch, layout, time with failures, cost and loss",
       "scalesim plan [--flops C | --days T | --budget-usd M] [--devices N] "
       "[--device NAME] [--usd-per-hour P] [--inference-tokens D] [--law "
       "NAME|FILE] [--preset NAME | --hf-config FILE | --arch FILE "
       "[--tokens D]] [--format table|csv|json|markdown] [--out FILE]",
       {"scalesim plan",
        "scalesim plan --devices 512 --days 30 --device h100-sxm",
        "scalesim plan --flops 5.76e23 --law hoffmann2022_approach3",
        "scalesim plan --budget-usd 2e6 --devices 256 --usd-per-hour 2.5",
        "scalesim plan --preset llama3-8b --devices 64 --days 14",
        "scalesim plan --flops 1e24 --inference-tokens 2e12 --format json"}});
  plan::PlanOptions options;
  io::DeviceSelection device_options;
  device_options.device = "h100-sxm";
  io::ArchitectureSource source;
  PlanLaw law_option;
  OutputOptions output;
  cmd.Flags("Budget and plan", options)
      .Flags("Hardware", device_options)
      .Flags(
          "Fixed architecture (instead of the law's shape)", source, {"vocab"})
      .Flags("Law", law_option)
      .Output(output);
  if (!cmd.Parse(args, out)) return 0;
  return cmd.Run([&] {
    const model::Device device = io::ResolveDevice(device_options);
    const laws::Law law = io::LoadLaw(law_option.law, {"", 0, "law"});
    std::optional<model::Architecture> fixed;
    std::vector<std::string> source_notes;
    if (source.preset || source.hf_config || source.arch || source.checkpoint ||
        source.layers) {
      if (source.layers) source.vocab = options.vocab;
      io::ResolvedArchitecture a = io::ResolveArchitecture(source);
      fixed = std::move(a.arch);
      source_notes = std::move(a.notes);
    }
    const laws::HyperparameterLaw hparams = io::LoadHyperparameterLaw(
        law_option.hparams_law, {"", 0, "hparams_law"});
    const laws::HyperparameterLaw critical =
        io::LoadHyperparameterLaw(kCriticalBatchLaw, {});
    const plan::PlanResult r =
        plan::Plan(law, device, options, fixed, {&hparams, &critical});
    io::Report report = Render(r, options, device, law);
    report.notes.insert(
        report.notes.begin(), source_notes.begin(), source_notes.end());
    Command::Emit(report, output, out);
    return r.ok() ? 0 : 1;
  });
}

}  // namespace scalesim::cli

// scalesim plan's workflow (workflow/workflow.hpp): one budget to the run,
// with its laws and devices resolved, as the plan's tables and notes.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "scalesim/core/enum_names.hpp"
#include "scalesim/core/validate.hpp"
#include "scalesim/io/law_io.hpp"
#include "scalesim/workflow/workflow.hpp"

namespace scalesim::workflow {
namespace {

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
  n.push_back(o.memory_budget.Describe(device) +
              "; bf16 mixed precision, Adam, FlashAttention, no dropout");
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
        law.has_draws()
            ? plan::WithIntervalColumns(
                  plan::AllocationSchema("allocation", "Parameter/token split"))
            : plan::AllocationSchema("allocation", "Parameter/token split"),
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
    out.tables.push_back(io::ToRecord(plan::LossSchema(law.has_draws()), r));
    if (r.serving) out.tables.push_back(io::ToRecord(plan::ServingSchema(), r));
  }
  out.notes = Notes(r, o, device, law);
  return out;
}

}  // namespace

std::optional<io::ResolvedArchitecture> PlanArchitecture(
    io::ArchitectureSource source, const plan::PlanOptions& options) {
  if (!(source.preset || source.hf_config || source.arch || source.checkpoint ||
        source.layers))
    return std::nullopt;
  if (source.layers) source.vocab = options.vocab;
  return io::ResolveArchitecture(source);
}

Outcome Plan(const plan::PlanOptions& options,
             const io::DeviceSelection& devices,
             std::optional<io::ResolvedArchitecture> fixed,
             const PlanLaws& laws,
             const plan::ServingCostOptions& serving) {
  const laws::Law law = io::LoadLaw(laws.law, {"", 0, "law"});
  const laws::HyperparameterLaw hparams =
      io::LoadHyperparameterLaw(laws.hparams_law, {"", 0, "hparams_law"});
  return Plan(options, devices, std::move(fixed), law, hparams, serving);
}

Outcome Plan(const plan::PlanOptions& options,
             const io::DeviceSelection& devices,
             std::optional<io::ResolvedArchitecture> given,
             const laws::Law& law,
             const laws::HyperparameterLaw& hparams,
             const plan::ServingCostOptions& serving) {
  io::DeviceSelection selected = devices;
  if (!selected.device) selected.device = std::string(kPlanDefaultDevice);
  const model::Device device = io::ResolveDevice(selected);
  std::optional<model::Architecture> fixed;
  std::vector<std::string> source_notes;
  if (given) {
    fixed = std::move(given->arch);
    source_notes = std::move(given->notes);
  }
  const laws::HyperparameterLaw critical =
      io::LoadHyperparameterLaw(kCriticalBatchLaw, {});
  plan::PlanResult r =
      plan::Plan(law, device, options, fixed, {&hparams, &critical});
  if (serving.serve_device)
    plan::AddServing(r,
                     options,
                     io::FindDevice(io::CatalogOf(selected),
                                    *serving.serve_device,
                                    {"", 0, "serve_device"}),
                     serving);
  io::Report report = Render(r, options, device, law);
  report.notes.insert(
      report.notes.begin(), source_notes.begin(), source_notes.end());
  return {std::move(report), r.ok() ? 0 : 1};
}

}  // namespace scalesim::workflow

// scalesim plan: the main job. From a budget to N*, D*, a concrete model, its
// training time, a memory layout that fits, and the predicted loss.
#include <cmath>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "scalesim/core/error.hpp"
#include "scalesim/core/units.hpp"
#include "scalesim/io/format.hpp"
#include "scalesim/io/law_io.hpp"
#include "scalesim/model/flops.hpp"
#include "scalesim/model/hardware.hpp"
#include "scalesim/model/params.hpp"
#include "scalesim/plan/compute_optimal.hpp"
#include "scalesim/plan/design.hpp"
#include "scalesim/plan/inference_optimal.hpp"

#include "cli/cli.hpp"
#include "cli/device_options.hpp"
#include "cli/law_options.hpp"

namespace scalesim::cli {
namespace {

// Default law: Besiroglu et al. 2024's refit of Hoffmann et al.'s data. Its
// optimum (~20 tokens per parameter near Chinchilla's budget) agrees with
// Hoffmann's Approaches 1 and 2; the published Approach 3 constants do not.
constexpr const char* kDefaultLaw = "besiroglu2024";
constexpr double kDefaultFlops =
    1e23;  // demo budget: between GPT-3 and Chinchilla
constexpr const char* kDefaultDevice = "h100-sxm";
constexpr std::int64_t kDefaultDevices = 256;
constexpr double kDefaultMfu = 0.4;

std::int64_t PositiveInt(const po::variables_map& vm, const char* flag) {
  const std::int64_t v = vm[flag].as<std::int64_t>();
  if (v <= 0) {
    throw InvalidInput(Flag(std::string("--") + flag),
                       "must be a positive integer, got " + std::to_string(v));
  }
  return v;
}

}  // namespace

int RunPlan(const Args& args, std::ostream& out, std::ostream& /*err*/) {
  po::options_description options("Options");
  options.add_options()(
      "flops", po::value<double>(), "training budget in FLOPs (default 1e23)")(
      "days",
      po::value<double>(),
      "budget as wall-clock days on --devices x --device at --mfu")(
      "device",
      po::value<std::string>()->default_value(kDefaultDevice),
      "accelerator (scalesim hardware)")(
      "devices",
      po::value<std::int64_t>()->default_value(kDefaultDevices),
      "number of accelerators")("mfu",
                                po::value<double>()->default_value(kDefaultMfu),
                                "model FLOPs utilisation in (0, 1]")(
      "usd-per-hour",
      po::value<double>(),
      "USD per device-hour (overrides the catalog)")(
      "inference-tokens",
      po::value<double>(),
      "lifetime inference tokens (Sardana et al. 2024)")(
      "law",
      po::value<std::string>()->default_value(kDefaultLaw),
      "loss law (scalesim laws) or a law file")(
      "vocab",
      po::value<std::int64_t>()->default_value(32000),
      "vocabulary of the proposed model")(
      "seq-len",
      po::value<std::int64_t>()->default_value(4096),
      "training sequence length")(
      "catalog",
      po::value<std::string>(),
      "a device catalog JSON instead of the built-in one");
  AddOutputOptions(options);
  const CommandHelp help{
      "plan",
      "from a compute budget to the model to train, its tokens, time, memory "
      "layout and loss",
      "scalesim plan [--flops C | --days T] [--devices K] [--device NAME] "
      "[--mfu U] "
      "[--inference-tokens D] [--law NAME|FILE]",
      {"scalesim plan                                   # 1e23 FLOPs on 256 "
       "H100s",
       "scalesim plan --flops 5.76e23 --law hoffmann2022_approach3",
       "scalesim plan --devices 1024 --days 30 --device h100-sxm --mfu 0.45",
       "scalesim plan --flops 1e24 --inference-tokens 2e12 --format json"}};
  po::variables_map vm;
  if (!ParseOptions(args, options, help, vm, out)) return 0;

  std::vector<std::string> notes;
  const auto catalog = CatalogFromOptions(vm);
  const model::Device& device =
      io::FindDevice(catalog, vm["device"].as<std::string>(), Flag("--device"));
  const std::int64_t devices = PositiveInt(vm, "devices");
  const double mfu = vm["mfu"].as<double>();
  WithFlagNames({{"mfu", "--mfu"}},
                [&] { model::ValidateUtilization(mfu, "mfu"); });
  const std::int64_t vocab = PositiveInt(vm, "vocab");
  const std::int64_t seq_len = PositiveInt(vm, "seq-len");
  const double peak = device.PeakFlopsPerSecond(model::Dtype::kBf16);
  std::optional<double> price = device.price_per_hour_usd;
  if (vm.count("usd-per-hour") != 0U) price = PositiveFlag(vm, "usd-per-hour");

  // Budget.
  if (vm.count("flops") != 0U && vm.count("days") != 0U) {
    throw InvalidInput(Flag("--days"), "give --flops or --days, not both");
  }
  double budget = kDefaultFlops;
  std::string budget_source =
      "default budget 1e23 FLOPs (--flops or --days to change)";
  model::TrainingTimeOptions time_options;
  time_options.devices = devices;
  time_options.peak_flops_per_device = peak;
  time_options.mfu = mfu;
  time_options.price_per_device_hour_usd = price;
  if (vm.count("flops") != 0U) {
    budget = PositiveFlag(vm, "flops");
    budget_source = "--flops";
  } else if (vm.count("days") != 0U) {
    budget = model::FlopBudget(PositiveFlag(vm, "days"), time_options);
    if (!std::isfinite(budget)) {
      throw InvalidInput(
          Flag("--days"),
          "the FLOP budget it gives exceeds the range of a double");
    }
    budget_source = "--days x --devices x bf16 peak x --mfu";
  }

  const laws::Law law = io::LoadLaw(vm["law"].as<std::string>(), Flag("--law"));
  if (law.loss_law() == nullptr) {
    throw InvalidInput(Flag("--law"),
                       "law '" + law.name() +
                           "' is a published frontier without a loss; plan "
                           "needs a loss law (scalesim laws)");
  }
  notes.push_back(laws::Describe(law));
  notes.push_back(laws::InFittedRangeNote());

  io::Report r;
  io::Table budget_table{"budget", "Budget", {"quantity", "value", "note"}, {}};
  budget_table.AddRow(
      {io::Text("training_flops"), io::Sci(budget), io::Text(budget_source)});
  budget_table.AddRow({io::Text("device"),
                       io::Text(device.name),
                       io::Text(device.description)});
  budget_table.AddRow({io::Text("devices"), io::Integer(devices), io::Empty()});
  budget_table.AddRow({io::Text("mfu"),
                       io::Fraction(mfu),
                       io::Text("model FLOPs utilisation")});
  r.tables.push_back(std::move(budget_table));

  // Compute-optimal and, with inference tokens, inference-optimal splits.
  const plan::OptimumResult optimum =
      plan::ComputeOptimal(law, {.training_flops = budget, .minimiser = {}});
  if (!optimum.ok()) {
    throw InvalidInput(Flag("--flops"),
                       "no compute-optimal split: " + optimum.message);
  }
  double target_params = optimum.allocation.params;
  double target_tokens = optimum.allocation.tokens;
  io::Table split{"allocation",
                  "Parameter/token split (" + law.name() + ")",
                  {"plan",
                   "params",
                   "tokens",
                   "tokens_per_param",
                   "training_flops",
                   "loss",
                   "in_fitted_range"},
                  {}};
  split.AddRow(
      {io::Text("compute_optimal"),
       io::ShortCountCell(optimum.allocation.params),
       io::ShortCountCell(optimum.allocation.tokens),
       io::Real(optimum.allocation.tokens_per_param()),
       io::Sci(optimum.allocation.training_flops),
       io::Real(optimum.allocation.loss),
       io::Text(laws::InFittedRange(law,
                                    optimum.allocation.params,
                                    optimum.allocation.tokens,
                                    optimum.allocation.training_flops))});
  if (vm.count("inference-tokens") != 0U) {
    plan::InferenceOptimalOptions io_opts;
    io_opts.training_flops = budget;
    io_opts.inference_tokens = NonNegativeFlag(vm, "inference-tokens");
    const plan::InferenceOptimalResult inf =
        plan::InferenceOptimal(law, io_opts);
    if (!inf.ok()) {
      throw InvalidInput(Flag("--inference-tokens"),
                         "no inference-optimal plan: " + inf.message);
    }
    const plan::Allocation& t = inf.inference_optimal.training;
    split.AddRow({io::Text("inference_optimal"),
                  io::ShortCountCell(t.params),
                  io::ShortCountCell(t.tokens),
                  io::Real(t.tokens_per_param()),
                  io::Sci(t.training_flops),
                  io::Real(t.loss),
                  io::Text(laws::InFittedRange(
                      law, t.params, t.tokens, t.training_flops))});
    notes.push_back(
        "inference-optimal (Sardana et al. 2024): same loss as the "
        "compute-optimal model at "
        "this budget, minimising 6 N D_train + 2 N D_inf with D_inf = " +
        io::Scientific(io_opts.inference_tokens) + "; lifetime FLOPs " +
        io::Percent(inf.total_flops_ratio) + " of the compute-optimal model's");
    target_params = t.params;
    target_tokens = t.tokens;
  }
  r.tables.push_back(std::move(split));

  // A concrete architecture.
  plan::ArchitectureOptions arch_options;
  arch_options.target_params = target_params;
  arch_options.count = law.info().param_count;
  arch_options.vocab_size = vocab;
  arch_options.context_length = seq_len;
  const plan::ArchitectureProposal proposal =
      plan::ProposeArchitecture(arch_options);
  if (!proposal.found) {
    r.notes = std::move(notes);
    r.notes.push_back("architecture: " + proposal.message);
    EmitReport(r, vm, out);
    return 1;
  }
  const model::Architecture& a = proposal.arch;
  const model::ParamBreakdown params = model::CountParameters(a);
  io::Table arch_table{
      "architecture",
      "Proposed architecture (Llama-style: SwiGLU, RMSNorm, RoPE, GQA, untied)",
      {"field", "value"},
      {}};
  arch_table.AddRow({io::Text("n_layers"), io::Integer(a.n_layers)});
  arch_table.AddRow({io::Text("d_model"), io::Integer(a.d_model)});
  arch_table.AddRow({io::Text("n_heads"), io::Integer(a.n_heads)});
  arch_table.AddRow({io::Text("n_kv_heads"), io::Integer(a.kv_heads())});
  arch_table.AddRow({io::Text("head_dim"), io::Integer(a.head_size())});
  arch_table.AddRow({io::Text("d_ff"), io::Integer(a.d_ff)});
  arch_table.AddRow({io::Text("vocab_size"), io::Integer(a.vocab_size)});
  arch_table.AddRow({io::Text("aspect_ratio_d_model_per_layer"),
                     io::Real(static_cast<double>(a.d_model) /
                              static_cast<double>(a.n_layers))});
  arch_table.AddRow({io::Text("total_params"), io::Count(params.total())});
  arch_table.AddRow(
      {io::Text("non_embedding_params"), io::Count(params.non_embedding())});
  arch_table.AddRow({io::Text("params_error_vs_target"),
                     io::Fraction(proposal.relative_error)});
  r.tables.push_back(std::move(arch_table));

  // Training FLOPs and time of that architecture on the target tokens.
  model::FlopsOptions flops_options;
  flops_options.seq_len = seq_len;
  const model::ConventionFlops palm =
      model::TrainingFlops(a, model::FlopsConvention::kPalm, flops_options);
  const double training_flops = palm.model_flops_per_token * target_tokens;
  const model::TrainingTime time =
      model::EstimateTrainingTime(training_flops, time_options);
  if (time.cost_usd && !std::isfinite(*time.cost_usd)) {
    throw InvalidInput(Flag("--usd-per-hour"),
                       "the cost it gives exceeds the range of a double");
  }
  io::Table train{
      "training", "Training run", {"quantity", "value", "note"}, {}};
  train.AddRow(
      {io::Text("tokens"), io::ShortCountCell(target_tokens), io::Empty()});
  train.AddRow({io::Text("training_flops"),
                io::Sci(training_flops),
                io::Text("PaLM model FLOPs 6N + 12 L H Q T of this "
                         "architecture (Chowdhery et "
                         "al. 2022 App. B)")});
  train.AddRow(
      {io::Text("training_flops_6nd"),
       io::Sci(6.0 * static_cast<double>(params.total()) * target_tokens),
       io::Text("6 N D with N total")});
  train.AddRow({io::Text("wall_clock"),
                io::Seconds(time.seconds),
                io::Text(std::to_string(devices) + " x " + device.name +
                         " at MFU " + io::Percent(mfu))});
  train.AddRow({io::Text("device_hours"),
                io::ShortCountCell(time.device_hours),
                io::Empty()});
  if (time.cost_usd) {
    train.AddRow({io::Text("cost_usd"),
                  io::Real(*time.cost_usd),
                  io::Text("at the hourly price")});
  }
  r.tables.push_back(std::move(train));

  // A memory layout that fits.
  plan::LayoutOptions layout_options;
  layout_options.devices = devices;
  layout_options.device_memory_bytes = device.memory_bytes;
  layout_options.seq_len = seq_len;
  const plan::LayoutProposal layout = plan::ProposeLayout(a, layout_options);
  io::Table mem{
      "layout", "Training layout per device", {"quantity", "value"}, {}};
  if (layout.found) {
    const model::TrainingMemoryOptions& m = layout.options;
    mem.AddRow({io::Text("data_parallel"), io::Integer(layout.data_parallel)});
    mem.AddRow({io::Text("tensor_parallel"), io::Integer(m.tensor_parallel)});
    mem.AddRow(
        {io::Text("pipeline_parallel"), io::Integer(m.pipeline_parallel)});
    mem.AddRow({io::Text("sequence_parallel"),
                io::Text(m.sequence_parallel ? "yes" : "no")});
    mem.AddRow({io::Text("zero_stage"), io::Integer(m.states.zero_stage)});
    mem.AddRow({io::Text("recompute"),
                io::Text(std::string(model::ToString(m.recompute)))});
    mem.AddRow({io::Text("micro_batch"), io::Integer(m.micro_batch)});
    const model::StageMemory& s = layout.memory.most_loaded;
    mem.AddRow({io::Text("weights_bytes"),
                io::Bytes(static_cast<double>(s.states.weights))});
    mem.AddRow({io::Text("gradients_bytes"),
                io::Bytes(static_cast<double>(s.states.gradients))});
    mem.AddRow({io::Text("optimizer_states_bytes"),
                io::Bytes(static_cast<double>(s.states.optimizer_states))});
    mem.AddRow({io::Text("activations_bytes"),
                io::Bytes(static_cast<double>(s.activations.total()))});
    mem.AddRow(
        {io::Text("total_bytes"), io::Bytes(static_cast<double>(s.total()))});
    mem.AddRow({io::Text("device_memory_bytes"),
                io::Bytes(static_cast<double>(device.memory_bytes))});
    notes.push_back("layout: bf16 mixed precision with fp32 Adam states (" +
                    model::DescribeBytesPerParam(m.states) +
                    "), FlashAttention, no dropout; the most loaded device "
                    "shown; memory in GiB");
  } else {
    mem.AddRow({io::Text("status"), io::Text(layout.message)});
  }
  r.tables.push_back(std::move(mem));

  io::Table loss{
      "loss",
      "Predicted loss",
      {"law", "params_used", "tokens", "loss", "units", "in_fitted_range"},
      {}};
  const double n_for_law = static_cast<double>(
      law.info().param_count == laws::ParamCount::kNonEmbedding
          ? params.non_embedding()
          : params.total());
  loss.AddRow({io::Text(law.name()),
               io::ShortCountCell(n_for_law),
               io::ShortCountCell(target_tokens),
               io::Real(law.loss_law()->Loss(n_for_law, target_tokens)),
               io::Text(law.info().loss_units),
               io::Text(laws::InFittedRange(law, n_for_law, target_tokens))});
  r.tables.push_back(std::move(loss));
  r.notes = std::move(notes);
  EmitReport(r, vm, out);
  return 0;
}

}  // namespace scalesim::cli

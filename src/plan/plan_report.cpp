#include "scalesim/plan/plan_report.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "scalesim/core/fields.hpp"
#include "scalesim/core/units.hpp"
#include "scalesim/core/validate.hpp"
#include "scalesim/model/params.hpp"
#include "scalesim/plan/compute_optimal.hpp"
#include "scalesim/plan/design.hpp"
#include "scalesim/plan/inference_optimal.hpp"

#include "plan/solvers.hpp"

namespace scalesim::plan {
namespace {

using I = std::int64_t;

constexpr I kMaxLayers = 512;
constexpr I kMaxHeads = 512;  // d_model up to 65,536
// Shapes searched with the step model: the best kShortlist by aspect
// ratio (closest to Llama's 128) and count error; every shape costs one
// layout search (a few ms).
constexpr std::size_t kShortlist = 6;
constexpr double kTargetAspect = 128.0;
constexpr double kMinAspect = 32.0;
constexpr double kMaxAspect = 256.0;
// Plan-sized layout search: no context parallelism (s = 4,096 needs none),
// micro-batches up to 8.
constexpr I kPlanMaxMicroBatch = 8;
constexpr I kMaxDeviceDoublings = 20;
constexpr double kMixedAdamBytesPerParam = 16.0;
constexpr I kTileWidth = 128;
constexpr double kDefaultBudgetFlops = 1e23;
// A budget without a deadline that runs longer than this gets a note.
constexpr double kLongRunDays = 365.0;
// Deadline solve: a bracket around the first estimate, TOMS 748 within it,
// then the largest feasible budget seen.
constexpr int kMaxBracketSteps = 40;
constexpr std::uintmax_t kMaxRootIterations = 14;
constexpr double kStepDown = 0.998;
constexpr int kMaxStepDowns = 5;

double Seconds(double days) { return days * units::kSecondsPerDay; }

model::Architecture Llama(
    I heads, I head_dim, I kv_heads, I d_ff, I layers, const PlanOptions& o) {
  return LlamaStyleArchitecture(
      heads, head_dim, kv_heads, d_ff, layers, o.vocab, o.seq_len);
}

struct Shape {
  model::Architecture arch;
  double error = 0.0;
  double score = 0.0;
};

// Shapes of one head family (head_dim, heads a multiple of `heads_step`).
void AddShapes(double target,
               laws::ParamCount count,
               const PlanOptions& o,
               I head_dim,
               I heads_step,
               I kv_heads,
               bool aspect_bound,
               std::vector<Shape>& out) {
  static constexpr double kFfMultiples[] = {8.0 / 3.0, 3.0, 3.5, 4.0};
  for (I heads = heads_step; heads <= kMaxHeads; heads += heads_step) {
    const I d = heads * head_dim;
    bool any_small = false;
    for (double m : kFfMultiples) {
      const I ff =
          static_cast<I>(std::ceil(m * static_cast<double>(d) / 256.0)) * 256;
      const model::Architecture one =
          Llama(heads, head_dim, std::gcd(kv_heads, heads), ff, 1, o);
      const model::ParamBreakdown p1 = model::CountParameters(one, "proposal");
      const I per_layer = p1.dense_block.total();
      const I fixed = CountFor(p1, count) - per_layer;
      const double exact = (target - static_cast<double>(fixed)) /
                           static_cast<double>(per_layer);
      if (static_cast<double>(fixed) <= target * (1.0 + o.params_tolerance))
        any_small = true;
      if (!(exact > 0.5) || !(exact <= static_cast<double>(kMaxLayers) + 1.0))
        continue;
      for (I layers : {static_cast<I>(std::floor(exact)),
                       static_cast<I>(std::ceil(exact))}) {
        if (layers < 1 || layers > kMaxLayers) continue;
        const double params = static_cast<double>(fixed + per_layer * layers);
        const double err = (params - target) / target;
        if (std::fabs(err) > o.params_tolerance) continue;
        const double aspect =
            static_cast<double>(d) / static_cast<double>(layers);
        if (aspect_bound && (aspect < kMinAspect || aspect > kMaxAspect))
          continue;
        model::Architecture a = one;
        a.n_layers = layers;
        out.push_back(
            {a,
             err,
             std::fabs(std::log(aspect / kTargetAspect)) + std::fabs(err)});
      }
    }
    if (!any_small) break;  // wider only grows
  }
}

perf::StepOptions StepOptionsFor(const PlanOptions& o,
                                 I devices,
                                 I batch_sequences) {
  perf::StepOptions s;
  s.memory.seq_len = o.seq_len;
  s.memory.flash_attention = true;
  s.memory.dropout = false;
  s.memory.states.precision = model::Precision::kMixed16;
  s.memory.states.optimizer = model::Optimizer::kAdam;
  s.devices = devices;
  s.global_batch = batch_sequences;
  s.dtype = o.dtype;
  s.convention = o.convention;
  static_cast<perf::MemoryBudget&>(s) = o.memory_budget;
  return s;
}

// The global batch in sequences: odd part of `devices` x a power of two,
// nearest (in log) to `tokens` / seq_len.
I RoundBatch(double tokens, I seq_len, I devices) {
  I odd = devices;
  while (odd % 2 == 0) odd /= 2;
  const double sequences = std::max(1.0, tokens / static_cast<double>(seq_len));
  const double k = std::max(
      0.0, std::round(std::log2(sequences / static_cast<double>(odd))));
  return odd * (I{1} << static_cast<int>(std::min(k, 40.0)));
}

struct ShapeRun {
  perf::SearchResult search;
  I batch_sequences = 0;
  bool raised = false;  // the batch had to grow for a layout to exist
};

// Searches already made (the deadline solve meets the same shapes and
// batches at nearby budgets), by shape and batch.
using SearchCache = std::map<std::array<I, 6>, ShapeRun>;

// The fastest layouts of `arch` on `devices`; the batch doubles (up to one
// sequence per device) while none fits.
ShapeRun SearchShape(const model::Architecture& arch,
                     const model::Device& device,
                     const PlanOptions& o,
                     I devices,
                     I batch_sequences) {
  perf::SearchOptions so;
  so.top = 3;
  so.max_micro_batch = kPlanMaxMicroBatch;
  so.max_context_parallel = 1;
  // Tensor parallelism only where d_model is a multiple of 128 x TP (and
  // TP divides the heads): whole 128-wide GEMM tiles on every rank.
  so.max_tensor_parallel = 1;
  while (arch.n_heads % (2 * so.max_tensor_parallel) == 0 &&
         arch.d_model % (kTileWidth * 2 * so.max_tensor_parallel) == 0)
    so.max_tensor_parallel *= 2;
  ShapeRun run;
  run.batch_sequences = batch_sequences;
  // No layout holds less than the model states sharded over every device
  // (bf16 mixed precision with Adam: 16 bytes per parameter, Rajbhandari
  // et al. 2020 Sec. 3.1): skip the search when even that does not fit.
  const double usable =
      o.memory_budget.usable_memory_fraction *
          static_cast<double>(device.memory_bytes) -
      o.memory_budget.runtime_reserve_gib * units::kBytesPerGiB;
  const double states =
      kMixedAdamBytesPerParam *
      static_cast<double>(model::CountParameters(arch, "plan").total()) /
      static_cast<double>(devices);
  if (states > usable) {
    run.search.status = perf::SearchStatus::kNoneFits;
    return run;
  }
  for (;;) {
    run.search = perf::SearchLayouts(
        arch, device, StepOptionsFor(o, devices, run.batch_sequences), so);
    if (!run.search.best.empty() || run.batch_sequences >= devices) break;
    run.batch_sequences *= 2;
    run.raised = true;
  }
  return run;
}

ShapeRun RunShape(const model::Architecture& arch,
                  const model::Device& device,
                  const PlanOptions& o,
                  I devices,
                  I batch_sequences,
                  SearchCache* cache = nullptr) {
  if (cache == nullptr)
    return SearchShape(arch, device, o, devices, batch_sequences);
  const std::array<I, 6> key = {arch.n_layers,
                                arch.n_heads,
                                arch.head_size(),
                                arch.kv_heads(),
                                arch.d_ff,
                                batch_sequences};
  const auto it = cache->find(key);
  if (it != cache->end()) return it->second;
  return cache
      ->emplace(key, SearchShape(arch, device, o, devices, batch_sequences))
      .first->second;
}

// The law's batch (tokens) and peak learning rate for a run of N, D, C;
// DeepSeek 2024's constants where the law gives none.
laws::HyperparameterPrediction Hyper(const PlanHyperparameters& hp,
                                     double params,
                                     double tokens,
                                     double flops) {
  laws::HyperparameterPrediction p;
  if (hp.batch_and_lr != nullptr) {
    laws::TrainingRun run;
    run.params = params;
    run.tokens = tokens;
    run.training_flops = flops;
    p = hp.batch_and_lr->form().Predict(run);
  }
  if (!std::isfinite(p.batch_tokens))
    p.batch_tokens =
        kDeepSeekBatchCoefficient * std::pow(flops, kDeepSeekBatchExponent);
  if (!std::isfinite(p.peak_learning_rate))
    p.peak_learning_rate =
        kDeepSeekLrCoefficient * std::pow(flops, kDeepSeekLrExponent);
  return p;
}

// Kaplan et al. 2020's critical batch at the loss its law predicts for
// the model (non-embedding N, D), in tokens.
std::optional<double> CriticalBatch(const PlanHyperparameters& hp,
                                    double non_embedding_params,
                                    double tokens) {
  if (hp.critical_batch == nullptr || !hp.critical_batch->info().loss_law)
    return std::nullopt;
  const laws::Law& kaplan = *hp.critical_batch->info().loss_law;
  if (kaplan.loss_law() == nullptr) return std::nullopt;
  laws::TrainingRun run;
  run.loss = kaplan.loss_law()->Loss(non_embedding_params, tokens);
  const double b = hp.critical_batch->form().Predict(run).critical_batch_tokens;
  return std::isfinite(b) ? std::optional<double>(b) : std::nullopt;
}

double ConventionPerToken(const model::Architecture& a, const PlanOptions& o) {
  model::FlopsOptions f;
  f.seq_len = o.seq_len;
  return model::TrainingFlops(a, o.convention, f).model_flops_per_token;
}

// The smallest device count (doubling from `devices`) on which `arch` has
// a layout; 0 when none up to 2^20 x devices.
I MinimumDevices(const model::Architecture& arch,
                 const model::Device& device,
                 const PlanOptions& o,
                 I devices,
                 I batch_sequences) {
  I d = devices;
  for (I i = 0; i < kMaxDeviceDoublings; ++i) {
    d *= 2;
    const ShapeRun run =
        RunShape(arch, device, o, d, std::max(batch_sequences, d));
    if (!run.search.best.empty()) return d;
  }
  return 0;
}

// Fills the data, optimizer, layout, time, cost and loss of `r` for
// `arch` run as `run`, training `steps` steps.
void Finish(PlanResult& r,
            const laws::Law& law,
            const model::Device& device,
            const PlanOptions& o,
            const PlanHyperparameters& hp,
            const model::Architecture& arch,
            const ShapeRun& run,
            I steps) {
  r.arch = arch;
  const model::ParamBreakdown p = model::CountParameters(arch, "plan");
  r.total_params = p.total();
  r.non_embedding_params = p.non_embedding();
  r.flops_per_token = ConventionPerToken(arch, o);
  r.step = run.search.best.front().prediction;
  r.alternatives = run.search.best;
  r.global_batch_sequences = run.batch_sequences;
  r.global_batch_tokens = run.batch_sequences * o.seq_len;
  r.gradient_accumulation = r.step.layout.microbatches;
  r.steps = std::max<I>(steps, 1);
  r.warmup_steps = std::min(kWarmupSteps, std::max<I>(r.steps / 10, 1));
  r.tokens =
      static_cast<double>(r.steps) * static_cast<double>(r.global_batch_tokens);
  r.training_flops = r.flops_per_token * r.tokens;
  r.params_for_law = static_cast<double>(CountFor(p, law.info().param_count));
  r.learning_rate =
      Hyper(hp,
            r.params_for_law,
            r.tokens,
            r.fixed_architecture ? r.training_flops : r.budget_flops)
          .peak_learning_rate;
  r.hyperparameter_law = hp.batch_and_lr != nullptr
                             ? hp.batch_and_lr->name()
                             : std::string("deepseek2024 (built-in constants)");
  if (hp.batch_and_lr != nullptr) {
    laws::TrainingRun probe;
    probe.params = r.params_for_law;
    probe.tokens = r.tokens;
    probe.training_flops = r.training_flops;
    const laws::HyperparameterPrediction given =
        hp.batch_and_lr->form().Predict(probe);
    if (!std::isfinite(given.batch_tokens) ||
        !std::isfinite(given.peak_learning_rate))
      r.hyperparameter_law +=
          " (gives no batch or learning rate: DeepSeek 2024's constants)";
  }
  if (o.global_batch_tokens) r.hyperparameter_law += "; batch given";
  r.critical_batch_tokens =
      CriticalBatch(hp, static_cast<double>(r.non_embedding_params), r.tokens);
  if (r.critical_batch_tokens)
    r.compute_over_law_batch =
        laws::TokensOverMinimum(static_cast<double>(r.global_batch_tokens),
                                *r.critical_batch_tokens) /
        laws::TokensOverMinimum(static_cast<double>(r.law_batch_tokens),
                                *r.critical_batch_tokens);
  r.training_seconds = static_cast<double>(r.steps) * r.step.step_seconds;
  r.goodput = GoodputOf(
      r.training_seconds, static_cast<double>(r.total_params), r.devices, o);
  r.device_hours = r.goodput.wall_clock_seconds *
                   static_cast<double>(r.devices) / units::kSecondsPerHour;
  if (r.usd_per_hour) r.cost_usd = r.device_hours * *r.usd_per_hour;
  if (device.tdp_watts)
    r.energy_kwh = r.device_hours * *device.tdp_watts * o.pue / 1000.0;
  r.loss = law.loss_law()->Loss(r.params_for_law, r.tokens);
  if (o.data.given()) {
    const laws::Repetition repetition(*law.loss_law(), o.data.effective_data);
    r.repeated = laws::RepeatedAt(*law.loss_law(),
                                  repetition,
                                  r.params_for_law,
                                  r.tokens,
                                  o.data.unique_tokens.front());
    if (std::isfinite(r.repeated->loss)) r.loss = r.repeated->loss;
    if (repetition.repeated() == nullptr &&
        r.tokens > r.repeated->unique_tokens)
      r.notes.push_back(
          "unique tokens: " + law.name() +
          " has no repetition model and assumes every token unique; "
          "--effective-data applies Muennighoff et al. 2023's effective "
          "data, or a law that models repetition (muennighoff2023)");
  }
  r.loss_units = law.info().loss_units;
  r.in_fitted_range = laws::InFittedRange(law, r.params_for_law, r.tokens);
  if (run.raised) {
    r.notes.push_back(
        "batch: the law's " + GroupedDigits(r.law_batch_tokens) +
        " tokens per step leave no layout of " + GroupedDigits(r.devices) +
        " devices (more data-parallel ranks than sequences); raised to " +
        GroupedDigits(r.global_batch_tokens) +
        " tokens. At the law's batch at most " +
        GroupedDigits(std::max<I>(1, r.law_batch_tokens / o.seq_len) *
                      r.step.layout.tp * r.step.layout.pp) +
        " devices are useful (one sequence per data-parallel rank)" +
        (r.critical_batch_tokens
             ? "; against the critical batch of " +
                   GroupedDigits(static_cast<I>(*r.critical_batch_tokens)) +
                   " tokens (Kaplan et al. 2020 Eq. 5.5) the larger batch "
                   "needs " +
                   NumberText(
                       std::round((r.compute_over_law_batch - 1.0) * 1000.0) /
                       10.0) +
                   "% more compute for the same loss"
             : std::string()));
  }
}

// The plan of budget `flops` (the split, shapes, layouts), or its status.
PlanResult PlanAtBudget(const laws::Law& law,
                        const model::Device& device,
                        const PlanOptions& o,
                        const PlanHyperparameters& hp,
                        PlanResult r,
                        double flops,
                        SearchCache* cache = nullptr,
                        bool find_minimum = true) {
  r.budget_flops = flops;
  r.allocations.clear();
  OptimumResult opt =
      ComputeOptimal(law, {.training_flops = flops, .minimiser = {}});
  if (!opt.ok())
    FailField("training_flops", "no compute-optimal split: " + opt.message);
  if (o.data.given() && opt.allocation.tokens > o.data.unique_tokens.front()) {
    const laws::Repetition repetition(*law.loss_law(), o.data.effective_data);
    if (repetition.repeated() != nullptr) {
      const OptimumResult repeated = ComputeOptimalRepeated(
          *repetition.repeated(), {flops, o.data.unique_tokens.front(), {}});
      if (repeated.ok()) opt = repeated;
    }
  }
  r.allocations.push_back({&law, law.name(), opt, std::nullopt});
  double target = opt.allocation.params;
  if (o.inference_tokens) {
    InferenceOptimalOptions io;
    io.training_flops = flops;
    io.inference_tokens = *o.inference_tokens;
    const InferenceOptimalResult inf = InferenceOptimal(law, io);
    if (!inf.ok())
      FailField("inference_tokens",
                "no inference-optimal plan: " + inf.message);
    // The inference-optimal tokens per parameter, at this training budget
    // (Sardana et al.'s model at the same loss needs more training FLOPs).
    const double ratio = inf.inference_optimal.training.tokens_per_param();
    OptimumResult at = opt;
    at.allocation.params =
        std::sqrt(flops / (kTrainingFlopsPerParamToken * ratio));
    at.allocation.tokens = ratio * at.allocation.params;
    at.allocation.training_flops = flops;
    at.allocation.loss =
        law.loss_law()->Loss(at.allocation.params, at.allocation.tokens);
    r.allocations.push_back(
        {&law, law.name() + " (inference-optimal ratio)", at, std::nullopt});
    target = at.allocation.params;
  }
  r.target_params = target;
  std::vector<model::Architecture> shapes =
      ShardableShapes(target, law.info().param_count, o);
  r.shapes_considered = static_cast<I>(shapes.size());
  if (shapes.empty()) {
    r.status = PlanStatus::kNoShape;
    r.message = "no Llama-style shape within " +
                NumberText(o.params_tolerance * 100.0) +
                "% of N* = " + ScientificText(target) +
                (target < 1e8 ? " (the embedding of the vocabulary alone may "
                                "exceed it: a smaller vocab)"
                              : "");
    return r;
  }
  const double law_batch =
      o.global_batch_tokens
          ? static_cast<double>(*o.global_batch_tokens)
          : Hyper(hp,
                  target,
                  flops / (kTrainingFlopsPerParamToken * target),
                  flops)
                .batch_tokens;
  r.law_batch_tokens = static_cast<I>(std::llround(law_batch));
  const I batch = RoundBatch(law_batch, o.seq_len, r.devices);
  double best_seconds = std::numeric_limits<double>::infinity();
  std::size_t best = shapes.size();
  ShapeRun best_run;
  I best_steps = 0;
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    ShapeRun run = RunShape(shapes[i], device, o, r.devices, batch, cache);
    if (run.search.best.empty()) continue;
    const double per_step =
        ConventionPerToken(shapes[i], o) *
        static_cast<double>(run.batch_sequences * o.seq_len);
    const I steps =
        std::max<I>(1, static_cast<I>(std::floor(flops / per_step)));
    const double seconds = static_cast<double>(steps) *
                           run.search.best.front().prediction.step_seconds;
    if (seconds < best_seconds) {
      best_seconds = seconds;
      best = i;
      best_run = std::move(run);
      best_steps = steps;
    }
  }
  if (best == shapes.size()) {
    r.status = PlanStatus::kNoLayout;
    r.arch = shapes.front();
    const I need =
        find_minimum
            ? MinimumDevices(shapes.front(), device, o, r.devices, batch)
            : 0;
    if (need > 0) r.minimum_devices = need;
    r.message =
        "no layout of " + GroupedDigits(r.devices) + " " + device.name +
        " fits a " + ScientificText(target) +
        "-parameter model in the usable memory" +
        (need > 0 ? "; at least " + GroupedDigits(need) + " devices are needed"
                  : "");
    return r;
  }
  const model::ParamBreakdown p = model::CountParameters(shapes[best], "plan");
  r.params_error_vs_target =
      (static_cast<double>(CountFor(p, law.info().param_count)) - target) /
      target;
  Finish(r, law, device, o, hp, shapes[best], best_run, best_steps);
  return r;
}

bool Fits(const PlanResult& r, double deadline) {
  return r.ok() && r.goodput.wall_clock_seconds <= deadline;
}

}  // namespace

void PlanOptions::Validate(bool fixed_architecture,
                           const std::optional<double>& catalog_price) const {
  ValidateFields(*this);
  if (tokens && !fixed_architecture)
    FailField("tokens",
              "needs a fixed architecture (a preset, HF config or "
              "architecture file); otherwise the law chooses the tokens");
  const int budgets = static_cast<int>(training_flops.has_value()) +
                      static_cast<int>(days.has_value()) +
                      static_cast<int>(budget_usd.has_value()) +
                      static_cast<int>(tokens.has_value());
  if (budgets > 1) {
    const char* second = budget_usd ? "budget_usd" : days ? "days" : "tokens";
    FailField(second,
              "give one budget (training FLOPs, days, money or, with a fixed "
              "architecture, tokens), not both");
  }
  if (budget_usd && !usd_per_hour && !catalog_price)
    FailField("budget_usd",
              "needs a price per device-hour: the device has none in the "
              "catalog");
  data.Validate();
  if (data.unique_tokens.size() > 1)
    FailField("unique_tokens",
              "a plan takes one unique-token budget U, got " +
                  std::to_string(data.unique_tokens.size()));
  if (global_batch_tokens && *global_batch_tokens < seq_len)
    FailField("global_batch_tokens",
              "must hold at least one training sequence");
}

std::vector<model::Architecture> ShardableShapes(double target_params,
                                                 laws::ParamCount count,
                                                 const PlanOptions& o) {
  std::vector<Shape> shapes;
  // Beyond the widest and deepest shape nothing is searched.
  const model::Architecture largest =
      Llama(kMaxHeads, 128, 8, 4 * kMaxHeads * 128, kMaxLayers, o);
  const double most = static_cast<double>(
      CountFor(model::CountParameters(largest, "proposal"), count));
  if (!(target_params <= most * (1.0 + o.params_tolerance))) return {};
  // Heads a multiple of 8 at head_dim 128; smaller models: head_dim 64,
  // then fewer heads (4, 2, 1: tensor parallelism up to that degree).
  struct Family {
    I head_dim, step;
  };
  for (bool aspect_bound : {true, false}) {
    for (const Family f : {Family{128, 8},
                           Family{64, 8},
                           Family{64, 4},
                           Family{64, 2},
                           Family{64, 1}}) {
      AddShapes(
          target_params, count, o, f.head_dim, f.step, 8, aspect_bound, shapes);
      if (!shapes.empty()) break;
    }
    if (!shapes.empty()) break;
  }
  std::stable_sort(
      shapes.begin(), shapes.end(), [](const Shape& a, const Shape& b) {
        return a.score < b.score;
      });
  std::vector<model::Architecture> out;
  for (std::size_t i = 0; i < shapes.size() && i < kShortlist; ++i)
    out.push_back(shapes[i].arch);
  return out;
}

Goodput GoodputOf(double training_seconds,
                  double params,
                  I devices,
                  const PlanOptions& o) {
  Goodput g;
  const double n = static_cast<double>(devices);
  const double rate = o.interruptions_per_device_day / units::kSecondsPerDay;
  g.mtbf_seconds =
      rate > 0.0 ? 1.0 / (rate * n) : std::numeric_limits<double>::infinity();
  g.checkpoint_bytes = o.checkpoint_bytes_per_param * params;
  g.checkpoint_write_seconds =
      g.checkpoint_bytes /
      (o.storage_gb_per_s_per_device * units::kBytesPerGB * n);
  g.restart_seconds = o.restart_minutes * 60.0;
  if (!std::isfinite(g.mtbf_seconds)) {
    g.checkpoint_interval_seconds = std::numeric_limits<double>::infinity();
    g.wall_clock_seconds = training_seconds;
    return g;
  }
  const double delta = g.checkpoint_write_seconds;
  const double tau = std::sqrt(2.0 * delta * g.mtbf_seconds);
  g.checkpoint_interval_seconds = tau;
  const double lost =
      (g.restart_seconds + 0.5 * (tau + delta)) / g.mtbf_seconds;
  const double overhead = tau > 0.0 ? 1.0 + delta / tau : 1.0;
  if (!(lost < 1.0)) {
    g.effective_time_fraction = 0.0;
    g.wall_clock_seconds = std::numeric_limits<double>::infinity();
    g.expected_interruptions = std::numeric_limits<double>::infinity();
    return g;
  }
  g.wall_clock_seconds = training_seconds * overhead / (1.0 - lost);
  g.effective_time_fraction = (1.0 - lost) / overhead;
  g.expected_interruptions = g.wall_clock_seconds / g.mtbf_seconds;
  return g;
}

namespace {

PlanResult PlanPoint(const laws::Law& law,
                     const model::Device& device,
                     const PlanOptions& o,
                     const std::optional<model::Architecture>& fixed,
                     const PlanHyperparameters& hp) {
  if (law.loss_law() == nullptr)
    FailField("law",
              "law '" + law.name() +
                  "' is a published frontier without a loss; plan needs a "
                  "loss law");
  o.Validate(fixed.has_value(), device.price_per_hour_usd);
  (void)device.PeakFlopsPerSecond(o.dtype);  // names the device's dtypes
  PlanResult r;
  r.device = device.name;
  r.devices = o.devices;
  r.convention = std::string(model::ToString(o.convention));
  r.usd_per_hour = o.usd_per_hour ? o.usd_per_hour : device.price_per_hour_usd;
  r.fixed_architecture = fixed.has_value();
  if (o.days) {
    r.budget_source = "days";
    r.deadline_seconds = Seconds(*o.days);
  } else if (o.budget_usd) {
    r.budget_source = "budget_usd";
    r.deadline_seconds = *o.budget_usd / *r.usd_per_hour /
                         static_cast<double>(o.devices) *
                         units::kSecondsPerHour;
  } else if (o.tokens) {
    r.budget_source = "tokens";
  } else {
    r.budget_source = o.training_flops ? "flops" : "default";
  }
  const double peak = device.PeakFlopsPerSecond(model::Dtype::kBf16);

  if (fixed) {
    const double per_token = ConventionPerToken(*fixed, o);
    // The law's batch at the run's compute: given, or from the tokens, or
    // the devices at 40% of peak until the deadline.
    const double flops_estimate =
        o.training_flops ? *o.training_flops
        : o.tokens       ? per_token * *o.tokens
        : r.deadline_seconds
            ? static_cast<double>(o.devices) * peak * 0.4 * *r.deadline_seconds
            : kDefaultBudgetFlops;
    const double batch_tokens =
        o.global_batch_tokens
            ? static_cast<double>(*o.global_batch_tokens)
            : Hyper(hp,
                    static_cast<double>(
                        model::CountParameters(*fixed, "plan").total()),
                    flops_estimate / per_token,
                    flops_estimate)
                  .batch_tokens;
    r.law_batch_tokens = static_cast<I>(std::llround(batch_tokens));
    const I batch = RoundBatch(batch_tokens, o.seq_len, o.devices);
    const ShapeRun run = RunShape(*fixed, device, o, o.devices, batch);
    if (run.search.best.empty()) {
      r.status = PlanStatus::kNoLayout;
      r.arch = *fixed;
      const I need = MinimumDevices(*fixed, device, o, o.devices, batch);
      if (need > 0) r.minimum_devices = need;
      r.message =
          "no layout of " + GroupedDigits(o.devices) + " " + device.name +
          " fits " + fixed->name + " in the usable memory" +
          (need > 0
               ? "; at least " + GroupedDigits(need) + " devices are needed"
               : "");
      return r;
    }
    const double step_tokens =
        static_cast<double>(run.batch_sequences * o.seq_len);
    const double step_seconds = run.search.best.front().prediction.step_seconds;
    I steps = 0;
    if (o.tokens) {
      steps = static_cast<I>(std::llround(*o.tokens / step_tokens));
    } else if (r.deadline_seconds) {
      // W is linear in the failure-free time T: W(T) = T x W(1) / 1.
      const Goodput unit = GoodputOf(
          1.0,
          static_cast<double>(model::CountParameters(*fixed, "plan").total()),
          o.devices,
          o);
      steps = static_cast<I>(std::floor(
          *r.deadline_seconds / unit.wall_clock_seconds / step_seconds));
      if (steps < 1) {
        r.status = PlanStatus::kDeadlineUnmet;
        r.arch = *fixed;
        r.message = "one step of " + fixed->name + " takes " +
                    NumberText(step_seconds) +
                    " s with failures, beyond the deadline";
        return r;
      }
    } else {
      const double flops = o.training_flops.value_or(kDefaultBudgetFlops);
      steps = static_cast<I>(std::floor(flops / (per_token * step_tokens)));
    }
    Finish(r, law, device, o, hp, *fixed, run, steps);
    r.budget_flops = r.training_flops;
    r.target_params = static_cast<double>(r.total_params);
    return r;
  }

  if (!r.deadline_seconds) {
    PlanResult at = PlanAtBudget(
        law, device, o, hp, r, o.training_flops.value_or(kDefaultBudgetFlops));
    if (at.ok() && at.goodput.wall_clock_seconds > kLongRunDays * 86400.0)
      at.notes.push_back(
          "this budget takes " +
          NumberText(std::round(at.goodput.wall_clock_seconds / 86400.0)) +
          " days on " + GroupedDigits(at.devices) +
          " devices: a deadline (days) plans the largest run that fits it");
    return at;
  }

  // A deadline: the largest budget whose plan's wall clock fits.
  const double deadline = *r.deadline_seconds;
  PlanResult best_fit;
  bool have_fit = false;
  PlanResult last;
  SearchCache cache;
  auto evaluate = [&](double log_flops) {
    PlanResult at =
        PlanAtBudget(law, device, o, hp, r, std::exp(log_flops), &cache, false);
    if (Fits(at, deadline) &&
        (!have_fit || at.budget_flops > best_fit.budget_flops)) {
      best_fit = at;
      have_fit = true;
    }
    last = at;
    return at;
  };
  auto gap = [&](double log_flops) {
    const PlanResult at = evaluate(log_flops);
    if (!at.ok()) return 1.0;  // too big to lay out: shrink
    return std::log(at.goodput.wall_clock_seconds / deadline);
  };
  // First estimate: the devices at 40% of their 16-bit peak for the
  // deadline, corrected once by the predicted wall clock.
  double x = std::log(static_cast<double>(o.devices) * peak * 0.4 * deadline);
  double g = gap(x);
  if (g < 1.0) x -= g;
  double lo = x - 0.1;
  double hi = x + 0.1;
  double g_lo = gap(lo);
  double g_hi = gap(hi);
  for (int i = 0; i < kMaxBracketSteps && g_lo > 0.0; ++i) {
    hi = lo;
    g_hi = g_lo;
    lo -= 0.5 * (i + 1);
    g_lo = gap(lo);
    if (std::exp(lo) < 1e12) break;
  }
  for (int i = 0; i < kMaxBracketSteps && g_hi <= 0.0; ++i) {
    lo = hi;
    g_lo = g_hi;
    hi += 0.5;
    g_hi = gap(hi);
  }
  if (g_lo <= 0.0 && g_hi > 0.0) {
    MinimiserOptions mo;
    mo.max_iterations = kMaxRootIterations;
    internal::FindRoot(gap, lo, hi, mo);
  }
  if (!have_fit) {
    // The smallest budget tried misses the deadline or cannot be laid out.
    if (last.status == PlanStatus::kNoLayout)
      return PlanAtBudget(law, device, o, hp, r, last.budget_flops);
    if (last.ok()) {
      last.status = PlanStatus::kDeadlineUnmet;
      last.message = "even " + ScientificText(last.budget_flops) +
                     " FLOPs take " +
                     NumberText(last.goodput.wall_clock_seconds / 86400.0) +
                     " days on these devices, beyond the deadline";
    }
    return last;
  }
  // The plan is discontinuous in C (shapes, steps): from the largest
  // budget that fits, a few steps of 0.2% up while it still fits.
  PlanResult answer = best_fit;
  double c = best_fit.budget_flops;
  for (int i = 0; i < kMaxStepDowns; ++i) {
    const double up = c / kStepDown;
    if (!(up < std::exp(hi))) break;
    const PlanResult at =
        PlanAtBudget(law, device, o, hp, r, up, &cache, false);
    if (!Fits(at, deadline)) break;
    answer = at;
    c = up;
  }
  return answer;
}

// The intervals of the split and of the predicted loss over the law's
// draws (Plan's contract).
void AddPlanIntervals(const laws::Law& law,
                      const PlanOptions& o,
                      PlanResult& r) {
  if (!law.has_draws()) return;
  if (!r.allocations.empty() && !o.data.given()) {
    const double flops = r.budget_flops;
    AddIntervals(r.allocations.front(), [flops](const laws::Law& draw) {
      return ComputeOptimal(draw, {.training_flops = flops, .minimiser = {}});
    });
  }
  if (r.params_for_law > 0.0 && r.tokens > 0.0) {
    r.loss_interval = laws::PercentileInterval(law, [&](const laws::Law& d) {
      const laws::LossLaw& l = *d.loss_law();
      if (!o.data.given()) return l.Loss(r.params_for_law, r.tokens);
      const laws::RepeatedDataPoint p =
          laws::RepeatedAt(l,
                           laws::Repetition(l, o.data.effective_data),
                           r.params_for_law,
                           r.tokens,
                           o.data.unique_tokens.front());
      return std::isfinite(p.loss) ? p.loss
                                   : l.Loss(r.params_for_law, r.tokens);
    });
  }
  r.notes.push_back(
      laws::IntervalNote({&law}) +
      "; the shape, layout and time are planned for the point estimate" +
      (o.data.given() ? "; with --unique-tokens the split has no interval"
                      : ""));
}

}  // namespace

PlanResult Plan(const laws::Law& law,
                const model::Device& device,
                const PlanOptions& o,
                const std::optional<model::Architecture>& fixed,
                const PlanHyperparameters& hp) {
  PlanResult r = PlanPoint(law, device, o, fixed, hp);
  AddPlanIntervals(law, o, r);
  return r;
}

// ---------------------------------------------------------------------------
// Schemas.

namespace {

using R = const PlanResult&;
CellValue Int(I v) { return CellValue{v}; }
CellValue Real(double v) {
  return std::isfinite(v) ? CellValue{v} : CellValue{std::monostate{}};
}
CellValue Text(std::string v) { return CellValue{std::move(v)}; }
CellValue Opt(const std::optional<double>& v) {
  return v ? Real(*v) : CellValue{std::monostate{}};
}

Schema<PlanResult> Record(std::string name, std::string title) {
  Schema<PlanResult> s{std::move(name), std::move(title), {}, {}};
  s.ok = [](R r) { return r.ok(); };
  s.Add(
      "status",
      CellKind::kText,
      [](R r) {
        return Text(std::string(EnumName(r.status, kPlanStatusNames)));
      },
      true);
  return s;
}

}  // namespace

Schema<PlanResult> BudgetSchema() {
  Schema<PlanResult> s = Record("budget", "Budget");
  s.Add(
       "budget_source",
       CellKind::kText,
       [](R r) { return Text(r.budget_source); },
       true)
      .Add("budget_flops",
           CellKind::kScientific,
           [](R r) { return Real(r.budget_flops); })
      .Add(
          "convention",
          CellKind::kText,
          [](R r) { return Text(r.convention); },
          true)
      .Add(
          "device", CellKind::kText, [](R r) { return Text(r.device); }, true)
      .Add(
          "devices",
          CellKind::kInteger,
          [](R r) { return Int(r.devices); },
          true)
      .Add(
          "deadline_seconds",
          CellKind::kSeconds,
          [](R r) { return Opt(r.deadline_seconds); },
          true)
      .Add(
          "usd_per_hour",
          CellKind::kUsd,
          [](R r) { return Opt(r.usd_per_hour); },
          true)
      .Add(
          "minimum_devices",
          CellKind::kInteger,
          [](R r) {
            return r.minimum_devices ? Int(*r.minimum_devices)
                                     : CellValue{std::monostate{}};
          },
          true)
      .Add(
          "message",
          CellKind::kText,
          [](R r) { return Text(r.message); },
          true);
  return s;
}

Schema<PlanResult> ModelSchema() {
  Schema<PlanResult> s = Record(
      "model", "Model (Llama-style: SwiGLU, RMSNorm, RoPE, GQA, untied)");
  s.Add("fixed_architecture",
        CellKind::kText,
        [](R r) { return Text(r.fixed_architecture ? "yes" : "no"); })
      .Add("target_params",
           CellKind::kShortCount,
           [](R r) { return Real(r.target_params); })
      .Add("n_layers",
           CellKind::kInteger,
           [](R r) { return Int(r.arch.n_layers); })
      .Add("d_model",
           CellKind::kInteger,
           [](R r) { return Int(r.arch.d_model); })
      .Add("n_heads",
           CellKind::kInteger,
           [](R r) { return Int(r.arch.n_heads); })
      .Add("n_kv_heads",
           CellKind::kInteger,
           [](R r) { return Int(r.arch.kv_heads()); })
      .Add("head_dim",
           CellKind::kInteger,
           [](R r) { return Int(r.arch.head_size()); })
      .Add("d_ff", CellKind::kInteger, [](R r) { return Int(r.arch.d_ff); })
      .Add("vocab_size",
           CellKind::kInteger,
           [](R r) { return Int(r.arch.vocab_size); })
      .Add("total_params",
           CellKind::kCount,
           [](R r) { return Int(r.total_params); })
      .Add("non_embedding_params",
           CellKind::kCount,
           [](R r) { return Int(r.non_embedding_params); })
      .Add("params_error_vs_target",
           CellKind::kPercent,
           [](R r) { return Real(r.params_error_vs_target); })
      .Add("shapes_considered", CellKind::kInteger, [](R r) {
        return Int(r.shapes_considered);
      });
  return s;
}

Schema<PlanResult> OptimizerSchema() {
  Schema<PlanResult> s = Record("optimizer", "Data and optimizer");
  s.Add("tokens", CellKind::kShortCount, [](R r) { return Real(r.tokens); })
      .Add("tokens_per_param",
           CellKind::kReal,
           [](R r) {
             return Real(r.tokens / static_cast<double>(r.total_params));
           })
      .Add("flops_per_token",
           CellKind::kScientific,
           [](R r) { return Real(r.flops_per_token); })
      .Add("training_flops",
           CellKind::kScientific,
           [](R r) { return Real(r.training_flops); })
      .Add("law_batch_tokens",
           CellKind::kInteger,
           [](R r) { return Int(r.law_batch_tokens); })
      .Add("global_batch_tokens",
           CellKind::kInteger,
           [](R r) { return Int(r.global_batch_tokens); })
      .Add("global_batch_sequences",
           CellKind::kInteger,
           [](R r) { return Int(r.global_batch_sequences); })
      .Add("micro_batch",
           CellKind::kInteger,
           [](R r) { return Int(r.step.layout.micro_batch); })
      .Add("data_parallel",
           CellKind::kInteger,
           [](R r) { return Int(r.step.layout.dp); })
      .Add("gradient_accumulation",
           CellKind::kInteger,
           [](R r) { return Int(r.gradient_accumulation); })
      .Add("steps", CellKind::kInteger, [](R r) { return Int(r.steps); })
      .Add("warmup_steps",
           CellKind::kInteger,
           [](R r) { return Int(r.warmup_steps); })
      .Add("learning_rate",
           CellKind::kScientific,
           [](R r) { return Real(r.learning_rate); })
      .Add("hyperparameter_law",
           CellKind::kText,
           [](R r) { return Text(r.hyperparameter_law); })
      .Add("critical_batch_tokens",
           CellKind::kShortCount,
           [](R r) { return Opt(r.critical_batch_tokens); })
      .Add("compute_over_law_batch", CellKind::kReal, [](R r) {
        return Real(r.compute_over_law_batch);
      });
  return s;
}

Schema<PlanResult> TimeSchema() {
  Schema<PlanResult> s = Record("time", "Time and failures");
  s.Add("step_seconds",
        CellKind::kSeconds,
        [](R r) { return Real(r.step.step_seconds); })
      .Add("mfu", CellKind::kPercent, [](R r) { return Real(r.step.mfu); })
      .Add("tokens_per_second",
           CellKind::kReal,
           [](R r) { return Real(r.step.tokens_per_second); })
      .Add("training_seconds",
           CellKind::kSeconds,
           [](R r) { return Real(r.training_seconds); })
      .Add("mtbf_seconds",
           CellKind::kSeconds,
           [](R r) { return Real(r.goodput.mtbf_seconds); })
      .Add("checkpoint_bytes",
           CellKind::kBytes,
           [](R r) { return Real(std::round(r.goodput.checkpoint_bytes)); })
      .Add("checkpoint_write_seconds",
           CellKind::kSeconds,
           [](R r) { return Real(r.goodput.checkpoint_write_seconds); })
      .Add("checkpoint_interval_seconds",
           CellKind::kSeconds,
           [](R r) { return Real(r.goodput.checkpoint_interval_seconds); })
      .Add("restart_seconds",
           CellKind::kSeconds,
           [](R r) { return Real(r.goodput.restart_seconds); })
      .Add("expected_interruptions",
           CellKind::kReal,
           [](R r) { return Real(r.goodput.expected_interruptions); })
      .Add("effective_time_fraction",
           CellKind::kPercent,
           [](R r) { return Real(r.goodput.effective_time_fraction); })
      .Add("wall_clock_seconds", CellKind::kSeconds, [](R r) {
        return Real(r.goodput.wall_clock_seconds);
      });
  return s;
}

Schema<PlanResult> CostSchema() {
  Schema<PlanResult> s = Record("cost", "Cost and energy");
  s.Add("device_hours",
        CellKind::kShortCount,
        [](R r) { return Real(r.device_hours); })
      .Add("cost_usd", CellKind::kUsd, [](R r) { return Opt(r.cost_usd); })
      .Add("energy_kwh", CellKind::kShortCount, [](R r) {
        return Opt(r.energy_kwh);
      });
  return s;
}

Schema<PlanResult> LossSchema(bool intervals) {
  Schema<PlanResult> s = Record("loss", "Predicted loss");
  s.Add("params_used",
        CellKind::kShortCount,
        [](R r) { return Real(r.params_for_law); })
      .Add("tokens", CellKind::kShortCount, [](R r) { return Real(r.tokens); })
      .Add("loss_nats", CellKind::kReal, [](R r) { return Real(r.loss); });
  if (intervals) {
    s.Append(laws::DrawIntervalColumns<PlanResult>(
        "loss", "_nats", CellKind::kReal, &PlanResult::loss_interval));
  }
  s.Add("units", CellKind::kText, [](R r) {
     return Text(r.loss_units);
   }).Add("in_fitted_range", CellKind::kText, [](R r) {
    return Text(r.in_fitted_range);
  });
  // With a unique-token budget: the repeated-data columns.
  for (const Column<laws::RepeatedDataPoint>& c : laws::RepeatedDataColumns()) {
    s.columns.push_back({c.name,
                         c.kind,
                         [f = c.value](R r) {
                           return r.repeated ? f(*r.repeated)
                                             : CellValue{std::monostate{}};
                         },
                         false});
  }
  return s;
}

void AddServing(PlanResult& r,
                const PlanOptions& plan,
                const model::Device& serve_device,
                const ServingCostOptions& serving) {
  if (!plan.inference_tokens)
    FailField("serve_device",
              "serves the planned model's lifetime inference tokens: give "
              "--inference-tokens");
  if (!r.ok()) return;
  perf::ServeOptions serve = serving.serve;
  // The serving price: the catalog's, else the plan's --usd-per-hour.
  if (!serve.usd_per_hour) serve.usd_per_hour = serve_device.price_per_hour_usd;
  if (!serve.usd_per_hour) serve.usd_per_hour = plan.usd_per_hour;
  PlanServing s;
  s.device = serve_device.name;
  s.inference_tokens = *plan.inference_tokens;
  s.cheapest =
      perf::CheapestServingCost(r.arch, serve_device, serve, serving.search);
  if (s.cheapest.cost) {
    const perf::ServingCost& c = *s.cheapest.cost;
    s.inference_device_hours =
        c.device_seconds_per_token * s.inference_tokens / 3600.0;
    if (c.usd_per_token) {
      s.inference_usd = *c.usd_per_token * s.inference_tokens;
      if (r.cost_usd) s.lifetime_usd = *r.cost_usd + *s.inference_usd;
    }
    r.notes.push_back(
        "serving: the planned model on " + serve_device.name + ", " +
        c.description + " (the cheapest layout" +
        (serving.search.target_tpot_ms || serving.search.target_ttft_ms
             ? " meeting the latency target"
             : "") +
        (s.cheapest.status != perf::ServeSearchStatus::kOk
             ? "; none meets it: the closest"
             : "") +
        ", perf::CheapestServingCost); the split's inference-optimal ratio is "
        "Sardana et al. 2024's FLOPs version");
  } else {
    r.notes.push_back("serving: the planned model fits no layout of at most " +
                      std::to_string(serving.search.max_devices) + " x " +
                      serve_device.name + ": " + s.cheapest.message);
  }
  r.serving = std::move(s);
}

Schema<PlanResult> ServingSchema() {
  Schema<PlanResult> s = Record("serving", "Serving the planned model");
  auto cost = [](R r) -> const perf::ServingCost* {
    return r.serving && r.serving->cheapest.cost ? &*r.serving->cheapest.cost
                                                 : nullptr;
  };
  s.Add("serve_device",
        CellKind::kText,
        [](R r) { return r.serving ? Text(r.serving->device) : CellValue{}; })
      .Add("serving_layout",
           CellKind::kText,
           [cost](R r) {
             return cost(r) ? Text(cost(r)->description) : CellValue{};
           })
      .Add("inference_tokens",
           CellKind::kShortCount,
           [](R r) {
             return r.serving ? Real(r.serving->inference_tokens) : CellValue{};
           })
      .Add("usd_per_million_tokens",
           CellKind::kUsd,
           [cost](R r) {
             return cost(r) && cost(r)->usd_per_token
                        ? Real(*cost(r)->usd_per_token * 1e6)
                        : CellValue{};
           })
      .Add("inference_device_hours",
           CellKind::kShortCount,
           [cost](R r) {
             return cost(r) ? Real(r.serving->inference_device_hours)
                            : CellValue{};
           })
      .Add("inference_usd",
           CellKind::kUsd,
           [](R r) {
             return r.serving ? Opt(r.serving->inference_usd) : CellValue{};
           })
      .Add("lifetime_usd", CellKind::kUsd, [](R r) {
        return r.serving ? Opt(r.serving->lifetime_usd) : CellValue{};
      });
  return s;
}

}  // namespace scalesim::plan

// The plan: from one budget to the model to train, its data, batch and
// learning rate, layout, time (with failures), cost, energy and loss, as
// one workflow callable without the CLI (`scalesim plan` renders it).
//
// Budget, exactly one of:
//   training_flops C;
//   days T on `devices` devices (a deadline);
//   budget_usd M at usd_per_hour P on `devices` devices: a deadline of
//     M / (P x devices) hours.
// One FLOPs convention (`convention`, default 6nd: the C = 6ND of the
// laws' fits, Hoffmann et al. 2022 Sec. 3.3) is used for the split, for the
// printed training FLOPs (the convention's count of the proposed model at
// D tokens, never above C) and for MFU; time never comes from it: it is
// steps x the step model's predicted step time (perf/step.hpp), plus the
// failures below.
//
// Shapes (ShardableShapes): Llama-style (SwiGLU, RMSNorm, RoPE, untied,
// Touvron et al. 2023) with head_dim 128, heads a multiple of 8 (so of
// every tensor-parallel degree up to 8), 8 KV heads (Llama 2 70B, Llama 3;
// dividing the heads and every TP degree up to 8), d_model = 128 x heads (a
// multiple of 128 x TP), d_ff a multiple of 256 at 8/3, 3, 3.5 or 4 d_model,
// aspect ratio d_model / n_layers in [32, 256] (Kaplan et al. 2020 Fig. 5:
// loss flat between ~20 and ~200), exact count within params_tolerance of
// N*. Models too small for 8 heads of 128 fall back to head_dim 64 and 4,
// 2, 1 heads. Of those the plan takes the one the step model trains
// fastest (its best layout's time for the budget).
//
// Batch and learning rate: a hyperparameter law (laws/hyperparameters.hpp;
// default DeepSeek-AI 2024, DeepSeek LLM, Sec. 3.1 Eq. 1: B_opt = 0.2920
// C^0.3271 tokens, eta_opt = 0.3118 C^-0.1250) at the split's N*, D*, C; the
// global batch rounded to sequences = odd part of the devices x a power of
// two (so every data-parallel degree dividing the devices with no more
// factors of two divides it), = micro-batch x DP x accumulation of the
// layout. Warm-up 2,000 steps (DeepSeek LLM Sec. 2.3; Llama 2 Sec. 2.2), at
// most a tenth of the steps. When no layout of the devices takes that
// batch (more data-parallel ranks than sequences), the batch doubles until
// one does, and a note says so with the compute it costs against Kaplan et
// al. 2020's critical batch (E / E_min = 1 + B / B_crit, Eq. 5.5) and the
// devices the law's batch keeps useful.
//
// Layout: perf::SearchLayouts (fastest that fits within
// usable_memory_fraction x memory - runtime_reserve_gib) for every shape.
//
// Failures (goodput): interruptions arrive at interruptions_per_device_day
// per device (default Dubey et al. 2024, Llama 3 Sec. 3.3.4: 419
// unexpected interruptions in 54 days on 16,384 GPUs), so the job's mean
// time between failures is M = 1 / (rate x devices). A checkpoint of
// checkpoint_bytes_per_param x N bytes is written in delta = bytes /
// (storage_gb_per_s_per_device x devices); the interval is Young 1974 /
// Daly 2006's tau = sqrt(2 delta M); every failure loses restart_minutes
// plus (tau + delta) / 2 of work on average. Wall clock W solves
//   W = T (1 + delta / tau) + (W / M) (R + (tau + delta) / 2),
// T the failure-free training time; effective-time fraction T / W,
// expected interruptions W / M.
//
// With a deadline, W <= deadline: the budget C is the largest whose plan
// fits, found by TOMS 748 on ln C along the law's frontier (the plan at C
// is discontinuous in C, so the answer is the largest budget tried whose
// W fits, then a few steps of 0.2% up while it still fits). With training_flops
// and `devices`, W is reported (no deadline).
//
// Cost: device-hours x usd_per_hour (the catalog's price by default);
// energy: device-hours x TDP x pue (an upper bound: boards run below TDP).
//
// A fixed architecture (Plan's `fixed`): no split and no shape search; the
// tokens are `tokens`, or C / the convention's FLOPs per token, or what the
// deadline allows.
#ifndef SCALESIM_PLAN_PLAN_REPORT_HPP_
#define SCALESIM_PLAN_PLAN_REPORT_HPP_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scalesim/core/enum_names.hpp"
#include "scalesim/core/schema.hpp"
#include "scalesim/laws/hyperparameters.hpp"
#include "scalesim/laws/law.hpp"
#include "scalesim/laws/repeated_data.hpp"
#include "scalesim/laws/uncertainty.hpp"
#include "scalesim/model/architecture.hpp"
#include "scalesim/model/flops.hpp"
#include "scalesim/model/hardware.hpp"
#include "scalesim/perf/search.hpp"
#include "scalesim/perf/step.hpp"
#include "scalesim/plan/optimal_report.hpp"
#include "scalesim/plan/serving_cost.hpp"

namespace scalesim::plan {

// Defaults and their sources (data/README.md "Planning defaults").
// Llama 3: 419 unexpected interruptions in 54 days on 16,384 GPUs (Dubey et
// al. 2024 Sec. 3.3.4, Table 5).
inline constexpr double kLlama3Interruptions = 419.0;
inline constexpr double kLlama3Days = 54.0;
inline constexpr double kLlama3Gpus = 16384.0;
inline constexpr double kDefaultInterruptionsPerDeviceDay =
    kLlama3Interruptions / (kLlama3Days * kLlama3Gpus);
// Llama 3's Tectonic storage: 2 TB/s sustained for 16,384 GPUs (Dubey et al.
// 2024 Sec. 3.3.1), per GPU.
inline constexpr double kDefaultStorageGbPerSecondPerDevice = 2000.0 / 16384.0;
// bf16 weights (2) + fp32 master weights (4) + Adam moments (8) per
// parameter (Rajbhandari et al. 2020 Sec. 3.1: 16 bytes with fp16
// gradients, which a checkpoint does not keep).
inline constexpr double kDefaultCheckpointBytesPerParam = 14.0;
// Restart after an interruption: an assumption (reschedule, load the
// checkpoint, warm the data loaders), not a published measurement.
inline constexpr double kDefaultRestartMinutes = 10.0;
// Power usage effectiveness: Google's fleet trailing average 1.10
// (Patterson et al. 2021, "Carbon Emissions and Large Neural Network
// Training", Sec. 2.1 / Table 4 give 1.10-1.11 for Google data centers).
inline constexpr double kDefaultPue = 1.1;
// Llama 3's tokenizer: 128,256 tokens (Dubey et al. 2024 Sec. 3.1).
inline constexpr std::int64_t kDefaultVocab = 128256;
// DeepSeek LLM (DeepSeek-AI 2024, Sec. 3.1 Eq. 1), C in FLOPs.
inline constexpr double kDeepSeekBatchCoefficient = 0.2920;
inline constexpr double kDeepSeekBatchExponent = 0.3271;
inline constexpr double kDeepSeekLrCoefficient = 0.3118;
inline constexpr double kDeepSeekLrExponent = -0.1250;
inline constexpr std::int64_t kWarmupSteps = 2000;

struct PlanOptions {
  // Budget: exactly one of training_flops, days and budget_usd.
  std::optional<double> training_flops;
  std::optional<double> days;
  std::optional<double> budget_usd;
  std::int64_t devices = 256;
  std::optional<double> usd_per_hour;  // unset: the device's catalog price
  // Model and data.
  std::optional<double> inference_tokens;  // Sardana et al. 2024
  std::optional<double> tokens;            // fixed architecture only
  std::int64_t vocab = kDefaultVocab;
  std::int64_t seq_len = 4096;
  double params_tolerance = 0.05;
  model::FlopsConvention convention = model::FlopsConvention::k6ndTotal;
  model::Dtype dtype = model::Dtype::kBf16;
  std::optional<std::int64_t> global_batch_tokens;  // unset: DeepSeek 2024
  // A unique-token budget (one U): the split is the law's optimum with
  // repetition (plan::ComputeOptimalRepeated; Muennighoff et al. 2023),
  // and the loss, epochs and repetition penalty are reported.
  laws::RepeatedDataOptions data;
  // Memory: usable fraction and runtime reserve, as scalesim step's.
  perf::MemoryBudget memory_budget;
  // Failures and energy.
  double interruptions_per_device_day = kDefaultInterruptionsPerDeviceDay;
  double storage_gb_per_s_per_device = kDefaultStorageGbPerSecondPerDevice;
  double checkpoint_bytes_per_param = kDefaultCheckpointBytesPerParam;
  double restart_minutes = kDefaultRestartMinutes;
  double pue = kDefaultPue;

  // Field ranges, exactly one budget, budget_usd with a price, tokens only
  // with a fixed architecture; throws InvalidInput naming the field.
  void Validate(bool fixed_architecture,
                const std::optional<double>& catalog_price) const;

  template <typename V>
  void VisitFields(V&& v) {
    v(training_flops,
      {.name = "flops",
       .help = "budget: training FLOPs C (in --convention)",
       .unit = "C",
       .min = 0,
       .max = 1e40,
       .min_exclusive = true,
       .alias = "training_flops"});
    v(days,
      {.name = "days",
       .help = "budget: a deadline of wall-clock days on --devices "
               "(failures included)",
       .min = 0,
       .max = 1e30,
       .min_exclusive = true});
    v(budget_usd,
      {.name = "budget_usd",
       .help = "budget: money at --usd-per-hour on --devices",
       .unit = "USD",
       .min = 0,
       .max = 1e15,
       .min_exclusive = true});
    v(devices,
      {.name = "devices", .help = "devices in the run", .min = 1, .max = 1e7});
    v(usd_per_hour, model::kUsdPerHourField);
    v(inference_tokens,
      {.name = "inference_tokens",
       .help = "lifetime inference tokens: the inference-optimal model "
               "(Sardana et al. 2024)",
       .unit = "TOKENS",
       .min = 0,
       .max = 1e30});
    v(tokens,
      {.name = "tokens",
       .help = "with a fixed architecture: the training tokens (instead of "
               "a budget)",
       .unit = "D",
       .min = 1,
       .max = 1e30});
    v(vocab,
      {.name = "vocab",
       .help = "vocabulary of the proposed model (default: Llama 3's "
               "128,256)",
       .min = 1,
       .max = 1e9});
    v(seq_len,
      {.name = "seq_len",
       .help = "training sequence length",
       .unit = "TOKENS",
       .min = 1,
       .max = 1e7});
    v(params_tolerance,
      {.name = "params_tolerance",
       .help = "shapes considered: exact count within this fraction of N*",
       .min = 0,
       .max = 0.5,
       .min_exclusive = true});
    v(convention,
      {.name = "convention",
       .help = "FLOPs convention of the budget, the printed FLOPs and MFU"},
      model::kConventionNames);
    v(dtype,
      {.name = "dtype", .help = "GEMM number format: bf16, fp16 or fp8"},
      perf::kStepDtypeNames);
    v(global_batch_tokens,
      {.name = "global_batch_tokens",
       .help = "tokens per optimizer step (rounded to whole sequences)",
       .unit = "TOKENS",
       .min = 1,
       .max = 1e15,
       .default_text = "DeepSeek 2024: 0.292 C^0.3271"});
    data.VisitFields(v);
    memory_budget.VisitFields(v);
    v(interruptions_per_device_day,
      {.name = "interruptions_per_device_day",
       .help = "unexpected interruptions per device-day (Llama 3: 419 in 54 "
               "days on 16,384 GPUs)",
       .min = 0.0,
       .max = 1e3,
       .default_text = "419 / (54 x 16,384) = 4.74e-4"});
    v(storage_gb_per_s_per_device,
      {.name = "storage_gb_per_s_per_device",
       .help = "checkpoint write bandwidth per device (Llama 3: 2 TB/s for "
               "16,384 GPUs)",
       .unit = "GB/S",
       .min = 0.0,
       .max = 1e6,
       .min_exclusive = true,
       .default_text = "2,000 / 16,384 = 0.122"});
    v(checkpoint_bytes_per_param,
      {.name = "checkpoint_bytes_per_param",
       .help = "checkpoint bytes per parameter (bf16 weights, fp32 master "
               "and Adam moments)",
       .unit = "BYTES",
       .min = 0.0,
       .max = 1e3,
       .min_exclusive = true});
    v(restart_minutes,
      {.name = "restart_minutes",
       .help = "time to restart after an interruption",
       .unit = "MIN",
       .min = 0.0,
       .max = 1e6});
    v(pue,
      {.name = "pue",
       .help = "power usage effectiveness of the data center",
       .min = 1.0,
       .max = 10.0});
  }
};

enum class PlanStatus {
  kOk,
  kNoLayout,       // nothing fits the devices' memory: minimum_devices says
  kDeadlineUnmet,  // even the smallest plan misses the deadline
  kNoShape,        // no shape near N*
};
inline constexpr EnumNames<PlanStatus, 4> kPlanStatusNames = {{
    {"ok", PlanStatus::kOk},
    {"no_layout", PlanStatus::kNoLayout},
    {"deadline_unmet", PlanStatus::kDeadlineUnmet},
    {"no_shape", PlanStatus::kNoShape},
}};

// The failure model's numbers for one run.
struct Goodput {
  double mtbf_seconds = 0.0;  // of the job; inf without interruptions
  double checkpoint_bytes = 0.0;
  double checkpoint_write_seconds = 0.0;     // delta
  double checkpoint_interval_seconds = 0.0;  // tau (inf: never)
  double restart_seconds = 0.0;
  double expected_interruptions = 0.0;
  double effective_time_fraction = 1.0;  // T / W
  double wall_clock_seconds = 0.0;       // W
};

// The planned model served (with inference tokens and a serving device):
// its cheapest layout there under the latency targets
// (perf::CheapestServingCost, as optimal --serve-device prices inference)
// and what serving the lifetime inference tokens costs.
struct PlanServing {
  std::string device;
  perf::CheapestServing cheapest;
  double inference_tokens = 0.0;
  double inference_device_hours = 0.0;
  std::optional<double> inference_usd;
  std::optional<double> lifetime_usd;  // training cost_usd + inference_usd
};

struct PlanResult {
  PlanStatus status = PlanStatus::kOk;
  std::string message;
  std::optional<std::int64_t> minimum_devices;  // with kNoLayout

  // Budget.
  std::string budget_source;  // "flops", "days", "budget_usd", "tokens"
  std::string device;
  std::int64_t devices = 0;
  std::optional<double> deadline_seconds;
  std::optional<double> usd_per_hour;
  std::string convention;
  double budget_flops = 0.0;  // C the split used

  // Split (not with a fixed architecture).
  std::vector<LawOptimum> allocations;  // compute_optimal [, inference_optimal]
  double target_params = 0.0;

  // Model.
  bool fixed_architecture = false;
  model::Architecture arch;
  std::int64_t total_params = 0;
  std::int64_t non_embedding_params = 0;
  double params_error_vs_target = 0.0;
  std::int64_t shapes_considered = 0;

  // Data and optimizer.
  double flops_per_token = 0.0;  // convention, of the model
  double training_flops = 0.0;   // flops_per_token x tokens
  double tokens = 0.0;           // steps x global_batch_tokens
  std::int64_t global_batch_sequences = 0;
  std::int64_t global_batch_tokens = 0;
  std::int64_t law_batch_tokens = 0;  // before rounding and raising
  std::int64_t gradient_accumulation = 0;
  std::int64_t steps = 0;
  std::int64_t warmup_steps = 0;
  double learning_rate = 0.0;
  std::string hyperparameter_law;  // of the batch and learning rate
  // Kaplan et al. 2020's critical batch at the model's loss, and the
  // tokens (and compute) the batch used needs over what the law's batch
  // needs for the same loss (McCandlish et al. 2018; 1: none wasted).
  std::optional<double> critical_batch_tokens;
  double compute_over_law_batch = 1.0;

  // Layout and time.
  perf::StepPrediction step;
  std::vector<perf::RankedLayout> alternatives;
  double training_seconds = 0.0;  // steps x step, failure-free
  Goodput goodput;

  // Cost, energy, loss.
  double device_hours = 0.0;
  std::optional<double> cost_usd;
  std::optional<double> energy_kwh;
  double loss = 0.0;
  // The 95 % interval of `loss` over the law's bootstrap draws (the same
  // N and D; laws/uncertainty.hpp); nullopt for a law without draws.
  std::optional<laws::DrawInterval> loss_interval = std::nullopt;
  double params_for_law = 0.0;
  std::string loss_units;
  std::string in_fitted_range;
  // With a unique-token budget: epochs, effective N', D' and the loss
  // against unlimited unique data (loss above is with repetition).
  std::optional<laws::RepeatedDataPoint> repeated;
  std::optional<PlanServing> serving;  // AddServing

  std::vector<std::string> notes;
  bool ok() const { return status == PlanStatus::kOk; }
};

// The Llama-style shapes near `target_params` (see the top of this file),
// in `count`, largest tensor-parallel-friendly family first.
std::vector<model::Architecture> ShardableShapes(double target_params,
                                                 laws::ParamCount count,
                                                 const PlanOptions& options);

// Young/Daly goodput of `training_seconds` of work for a model of
// `params` on `devices` devices.
Goodput GoodputOf(double training_seconds,
                  double params,
                  std::int64_t devices,
                  const PlanOptions& options);

// The laws of batch and learning rate (nullptr: DeepSeek 2024's constants
// above) and of the critical batch (nullptr: none reported).
struct PlanHyperparameters {
  const laws::HyperparameterLaw* batch_and_lr = nullptr;
  const laws::HyperparameterLaw* critical_batch = nullptr;
};

// The plan. `law` must predict a loss; `fixed` fixes the architecture.
// A law with bootstrap draws also gives the 95 % intervals of the split's
// N*, D* and loss (without a unique-token budget) and of the predicted
// loss of the planned model (laws/uncertainty.hpp), with a note; the shape,
// layout and time are planned for the point estimate.
// Throws InvalidInput (field named) for bad options; a plan that cannot be
// made is a status.
PlanResult Plan(const laws::Law& law,
                const model::Device& device,
                const PlanOptions& options,
                const std::optional<model::Architecture>& fixed = {},
                const PlanHyperparameters& hyperparameters = {});

// Serves the planned model of an ok plan with plan.inference_tokens on
// `serve_device` (serving: the traffic, formats and latency targets; the
// price serving.serve.usd_per_hour, else the catalog's): fills
// result.serving and its note. Throws InvalidInput naming
// inference_tokens when the plan has none.
void AddServing(PlanResult& result,
                const PlanOptions& plan,
                const model::Device& serve_device,
                const ServingCostOptions& serving);

// The report's schemas, each one record of PlanResult: budget, model,
// data, optimizer, layout (perf::StepSchema of the chosen layout), time,
// cost, loss; the split is plan::AllocationSchema of `allocations`.
Schema<PlanResult> BudgetSchema();
Schema<PlanResult> ModelSchema();
Schema<PlanResult> OptimizerSchema();
Schema<PlanResult> TimeSchema();
Schema<PlanResult> CostSchema();
// With `intervals` (the law has bootstrap draws): loss_ci95_low_nats and
// loss_ci95_high_nats after loss_nats.
Schema<PlanResult> LossSchema(bool intervals = false);
// The serving record (AddServing): device, layout, cost per million
// tokens, device-hours and dollars of the lifetime inference tokens.
Schema<PlanResult> ServingSchema();

}  // namespace scalesim::plan

#endif  // SCALESIM_PLAN_PLAN_REPORT_HPP_

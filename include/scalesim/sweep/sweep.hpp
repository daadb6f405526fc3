// Sweeps: the same question asked over a grid of inputs, one row per point,
// streamed to a callback so a sweep of millions of rows never holds them in
// memory. Every row is computed by the functions the single-point commands
// use (plan/compute_optimal.hpp, plan/inference_optimal.hpp,
// model/params.hpp, model/memory.hpp), so a sweep row equals what `scalesim
// loss`, `optimal` or `memory` print at the same inputs
// (tests/sweep/sweep_test.cpp checks that).
//
// Layering: sweep sits on plan (which it calls) and below io (which writes
// its rows); ARCHITECTURE.md.
//
// Conventions (printed by `scalesim sweep` as notes):
//   - training FLOPs C = 6 N D (Kaplan et al. 2020 Sec. 2.1; Hoffmann et al.
//     2022 Sec. 3.3), N in each law's own parameter count (laws::ParamCount);
//   - inference FLOPs 2 N per token (forward pass; Sardana et al. 2024
//     Sec. 2), lifetime FLOPs 6 N D + 2 N D_inf (Sardana et al. 2024 Eq. 3);
//   - grids are log-spaced: points x_i = min (max/min)^(i/(points-1)).
#ifndef SCALESIM_SWEEP_SWEEP_HPP_
#define SCALESIM_SWEEP_SWEEP_HPP_

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "scalesim/laws/law.hpp"
#include "scalesim/model/architecture.hpp"
#include "scalesim/model/memory.hpp"
#include "scalesim/plan/compute_optimal.hpp"
#include "scalesim/plan/design.hpp"

namespace scalesim::sweep {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------------------
// Grids.

// A log-spaced range and the names its bounds go by in errors (the flags).
struct LogRange {
  double min = 0.0;
  double max = 0.0;
  std::int64_t points = 0;
  std::string min_name = "min";
  std::string max_name = "max";
  std::string points_name = "points";
};

// At most this many points in one range (a sweep of 1e9 points per range is
// a typo, not a request).
inline constexpr std::int64_t kMaxRangePoints = 100'000'000;

// `points` log-spaced values from min to max, both included (points = 1:
// {min}, which needs min == max). Throws InvalidInput naming the field when
// a bound is not a positive finite number, min > max, points < 1 (or
// > kMaxRangePoints), or points = 1 with min != max.
std::vector<double> LogSpace(const LogRange& range);

// Throws InvalidInput naming `field` unless every value is a positive
// finite number (the budgets or losses of a sweep).
void RequirePositive(const std::vector<double>& values, std::string_view field);

// Parses a list of positive integers: comma-separated items, each a number
// or an inclusive range "start:stop:step" (step > 0; "start:stop" is step
// 1). "4:16:4,32" = {4, 8, 12, 16, 32}. Throws InvalidInput naming `field`
// for anything else, an empty list, or more than kMaxRangePoints values.
std::vector<std::int64_t> ParseIntegerList(std::string_view text,
                                           std::string_view field);

// What a sweep did besides emitting rows: laws it skipped (frontiers where a
// loss is needed) and rows whose solve failed (emitted with status set).
struct SweepSummary {
  std::int64_t rows = 0;
  std::int64_t failed_rows = 0;
  std::vector<std::string> skipped_laws;
};

// ---------------------------------------------------------------------------
// Overtraining: tokens-per-parameter ratios at a fixed budget or loss.

enum class PointKind {
  kGrid,              // a ratio of the log-spaced grid
  kComputeOptimal,    // the law's compute-optimal model (ComputeOptimal /
                      // MinimumCompute), inserted at its own ratio
  kInferenceOptimal,  // Sardana et al. 2024's model (InferenceOptimal)
};
std::string_view ToString(PointKind kind);  // "grid", "compute_optimal", ...

struct ServingOptions {
  // The serving model of each row is plan::ProposeArchitecture(N) (a
  // Llama-style decoder with the row's N in the law's count) with these
  // shape settings; rows with no such shape leave memory empty.
  plan::ArchitectureOptions architecture;
  model::QuantizationOptions weights;  // bf16 by default
  model::WeightDtype kv_dtype = model::WeightDtype::kBf16;
  std::int64_t context = 4096;  // tokens held in the KV cache per sequence
  std::int64_t batch = 1;       // concurrent sequences
};

struct OvertrainingOptions {
  // Exactly one of the two lists is non-empty.
  std::vector<double> budgets_flops;  // fixed training budget C: N = sqrt(C /
                                      // (6 r)), D = r N
  std::vector<double> target_losses;  // fixed loss l: L(N, r N) = l
                                      // (plan::AllocationAtRatio)
  LogRange ratios{1.0, 1e4, 41, "--ratio-min", "--ratio-max", "--points"};
  double inference_tokens = 0.0;  // D_inf >= 0, lifetime
  bool serving_memory = true;     // false: memory columns left empty
  ServingOptions serving;
};

struct OvertrainingRow {
  const laws::Law* law = nullptr;
  double budget_flops = kNaN;  // the fixed budget (NaN in loss mode)
  double target_loss = kNaN;   // the fixed loss (NaN in budget mode)
  PointKind point = PointKind::kGrid;
  plan::Allocation allocation;  // N, D, C = 6ND, predicted loss
  // The compute-optimal model at the budget (budget mode) or reaching the
  // target (loss mode), and how this row compares with it:
  double compute_optimal_loss = kNaN;
  double loss_penalty = kNaN;  // loss - compute_optimal_loss (nats)
  // Minimum training compute reaching this row's loss (MinimumCompute), and
  // training_flops / that (>= 1: the compute an off-optimal ratio wastes).
  double compute_for_same_loss = kNaN;
  double compute_overhead = kNaN;
  double inference_flops_per_token = kNaN;  // 2 N
  double inference_flops = kNaN;            // 2 N D_inf
  double lifetime_flops = kNaN;             // 6 N D + 2 N D_inf
  // Serving memory (model/memory.hpp EstimateInferenceMemory) of the
  // proposed architecture; -1 when none was proposed.
  std::int64_t weights_bytes = -1;
  std::int64_t kv_cache_bytes = -1;
  std::int64_t serving_bytes() const {
    return weights_bytes < 0 ? -1 : weights_bytes + kv_cache_bytes;
  }
  std::string status = "ok";  // otherwise why the row has no numbers
};

// One row per (law, budget or loss, ratio), plus the compute-optimal and the
// inference-optimal model of each (law, budget or loss), in that order per
// law and target, grid rows sorted by ratio with the two optima among them.
// Frontier laws are skipped (no loss). Throws InvalidInput for bad ranges,
// non-positive budgets or losses, or negative D_inf.
SweepSummary Overtraining(
    const std::vector<laws::Law>& laws,
    const OvertrainingOptions& options,
    const std::function<void(const OvertrainingRow&)>& emit);

// ---------------------------------------------------------------------------
// Budget: the compute-optimal frontier of each law.

struct BudgetOptions {
  LogRange budgets{1e18, 1e27, 37, "--flops-min", "--flops-max", "--points"};
};

struct BudgetRow {
  const laws::Law* law = nullptr;
  std::string label;  // law name, "<name> (published allocation)" for
                      // Kaplan's Sec. 6.1 allocation (as `scalesim optimal`)
  double budget_flops = 0.0;
  plan::OptimumResult optimum;  // ComputeOptimal / PublishedAllocation
};

// One row per (budget, law): every law, frontier laws included (their loss is
// NaN), plus Kaplan's published allocation after a Kaplan law.
SweepSummary Budget(const std::vector<laws::Law>& laws,
                    const BudgetOptions& options,
                    const std::function<void(const BudgetRow&)>& emit);

// ---------------------------------------------------------------------------
// IsoFLOP curves (Hoffmann et al. 2022 Fig. 3): model sizes around each
// budget's optimum.

struct IsoflopOptions {
  std::vector<double> budgets_flops;
  // N from N*/span to N* span, log-spaced, `points` per budget.
  double span = 10.0;
  std::int64_t points = 41;
};

struct IsoflopRow {
  const laws::Law* law = nullptr;
  double budget_flops = 0.0;
  PointKind point = PointKind::kGrid;  // kGrid or kComputeOptimal
  plan::Allocation allocation;         // N, D = C / (6N), loss
  double params_over_optimal = kNaN;   // N / N*
  std::string status = "ok";
};

// One row per (law, budget, N), the optimum inserted in order. Frontier laws
// are skipped.
SweepSummary Isoflop(const std::vector<laws::Law>& laws,
                     const IsoflopOptions& options,
                     const std::function<void(const IsoflopRow&)>& emit);

// ---------------------------------------------------------------------------
// Loss grid: L(N, D) over a log-spaced N x D grid (loss contours).

struct LossGridOptions {
  LogRange params{1e7, 1e12, 51, "--params-min", "--params-max", "--points"};
  LogRange tokens{1e9, 1e14, 51, "--tokens-min", "--tokens-max", "--points"};
};

struct LossGridRow {
  const laws::Law* law = nullptr;
  double params = 0.0;
  double tokens = 0.0;
  laws::LossTerms terms;  // loss = terms.total()
};

SweepSummary LossGrid(const std::vector<laws::Law>& laws,
                      const LossGridOptions& options,
                      const std::function<void(const LossGridRow&)>& emit);

// ---------------------------------------------------------------------------
// Architecture grid: depth x width (x KV heads) of a base architecture.

struct ArchGridOptions {
  // The base: every field but n_layers, d_model, n_heads, n_kv_heads and
  // d_ff is kept. n_heads = d_model / head_dim (head_dim of the base, or
  // base d_model / base n_heads); d_ff scales with d_model as in the base
  // (d_ff_multiple_of rounds it up; Llama's multiple_of = 256).
  model::Architecture base;
  std::vector<std::int64_t> layers;
  std::vector<std::int64_t> d_models;
  std::vector<std::int64_t> kv_heads;  // empty: the base's MHA/GQA ratio
  std::int64_t d_ff_multiple_of = 1;
  model::TrainingMemoryOptions training;  // per-device training memory
  model::InferenceMemoryOptions inference;
};

struct ArchGridRow {
  model::Architecture arch;
  std::int64_t params = 0;
  std::int64_t non_embedding_params = 0;
  double training_flops_per_token = 0.0;       // 6 N (total)
  std::int64_t inference_flops_per_token = 0;  // model/flops.hpp at context
  std::int64_t training_memory_bytes = 0;      // most loaded device
  std::int64_t inference_memory_bytes = 0;     // weights + KV cache, per device
  std::int64_t kv_cache_bytes = 0;
  std::string status = "ok";  // e.g. "d_model 1000 not a multiple of head_dim"
};

// Row-major over layers, then d_model, then KV heads. Shapes that are not
// valid (head_dim not dividing d_model, KV heads not dividing heads,
// tensor parallelism not dividing heads) are emitted with status set and
// zero numbers.
SweepSummary ArchGrid(const ArchGridOptions& options,
                      const std::function<void(const ArchGridRow&)>& emit);

}  // namespace scalesim::sweep

#endif  // SCALESIM_SWEEP_SWEEP_HPP_

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
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scalesim/core/fields.hpp"
#include "scalesim/core/schema.hpp"
#include "scalesim/laws/law.hpp"
#include "scalesim/laws/repeated_data.hpp"
#include "scalesim/model/architecture.hpp"
#include "scalesim/model/memory.hpp"
#include "scalesim/plan/compute_optimal.hpp"
#include "scalesim/plan/design.hpp"
#include "scalesim/plan/optimal_report.hpp"

namespace scalesim::sweep {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------------------
// Grids.

// A log-spaced range and the names its bounds go by in errors (the flags).
struct LogRange {
  double min = 0.0;
  double max = 0.0;
  std::int64_t points = 0;
  // The fields errors name (the front end names their flags).
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
// How many rows a sweep may write unless the user raises the cap: the
// product of every axis is checked before any work (a 1e8 x 1e8 loss grid
// would run for years). 10 million rows is about 1-2 GB of CSV.
inline constexpr double kDefaultMaxRows = 1e7;
struct SweepLimits {
  double max_rows = kDefaultMaxRows;
  template <typename V>
  void VisitFields(V&& v) {
    v(max_rows,
      {.name = "max_rows",
       .help = "refuse sweeps of more rows than this",
       .min = 1,
       .max = 1e15});
  }
};
// Throws InvalidInput naming "max_rows" when `rows` exceeds the cap,
// saying how many rows were asked for.
void CheckRowCount(double rows, const SweepLimits& limits);

// The laws of a sweep that needs a loss: with laws the user named
// (`explicit_laws`), a frontier law is bad input (naming "law") as is a
// target loss at or below a law's irreducible loss (naming "target_loss");
// with every built-in law they are skipped or reported per row.
void RequireLossLaws(const std::vector<laws::Law>& laws,
                     bool explicit_laws,
                     const std::vector<double>& target_losses = {});
// Laws that predict a loss.
std::int64_t CountLossLaws(const std::vector<laws::Law>& laws);

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
  // Fixed-budget mode: Sardana et al.'s model at the compute-optimal loss,
  // a row of its own after the budget's rows (its training FLOPs exceed
  // the budget: it reaches the same loss, not the same compute).
  kInferenceOptimalSameLoss,
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

  template <typename V>
  void VisitFields(V&& v) {
    weights.VisitFields(v);
    v(kv_dtype,
      {.name = "kv_dtype",
       .help = "serving KV cache: fp32, bf16, fp16, fp8, int8 or "
               "int4"},
      model::kWeightDtypeNames);
    v(context,
      {.name = "context",
       .help = "serving: tokens per sequence in the KV cache",
       .unit = "TOKENS",
       .min = 1,
       .max = 1e12});
    v(batch,
      {.name = "batch",
       .help = "serving: concurrent sequences",
       .min = 1,
       .max = 1e12});
    v(architecture.vocab_size,
      {.name = "vocab",
       .help = "vocabulary of the proposed serving model",
       .min = 1,
       .max = 1e12});
  }
};

struct OvertrainingOptions {
  // Exactly one of the two lists is non-empty.
  std::vector<double> budgets_flops;  // fixed training budget C: N = sqrt(C /
                                      // (6 r)), D = r N
  std::vector<double> target_losses;  // fixed loss l: L(N, r N) = l
                                      // (plan::AllocationAtRatio)
  LogRange ratios{1.0, 1e4, 41, "ratio_min", "ratio_max", "points"};
  double inference_tokens = 0.0;  // D_inf >= 0, lifetime
  bool serving_memory = true;     // false: memory columns left empty
  ServingOptions serving;
  // A unique-token budget U (one value): every row gains its epochs D/U,
  // the loss with repetition and its penalty against unique data
  // (laws/repeated_data.hpp, Muennighoff et al. 2023); the other columns
  // stay those of unique data.
  laws::RepeatedDataOptions repeated;

  template <typename V>
  void VisitFields(V&& v) {
    v(budgets_flops,
      {.name = "flops",
       .help = "fixed training budget(s) C: N = sqrt(C/(6r)), "
               "D = rN",
       .unit = "C",
       .min = 0,
       .max = 1e40,
       .min_exclusive = true});
    v(target_losses,
      {.name = "target_loss",
       .help = "fixed loss(es) in nats: L(N, rN) = target",
       .unit = "NATS",
       .min = 0,
       .max = 1e3,
       .min_exclusive = true});
    v(ratios.min,
      {.name = "ratio_min",
       .help = "smallest tokens-per-parameter ratio r",
       .min = 0,
       .max = 1e12,
       .min_exclusive = true});
    v(ratios.max,
      {.name = "ratio_max",
       .help = "largest ratio",
       .min = 0,
       .max = 1e12,
       .min_exclusive = true});
    v(ratios.points,
      {.name = "points",
       .help = "log-spaced ratios from --ratio-min to "
               "--ratio-max",
       .min = 1,
       .max = 1e8});
    v(inference_tokens,
      {.name = "inference_tokens",
       .help = "lifetime inference tokens D_inf (lifetime "
               "FLOPs; Sardana et al. 2024)",
       .unit = "TOKENS",
       .min = 0,
       .max = 1e30});
    v(serving_memory,
      {.name = "serving_memory",
       .help = "leave the serving-memory columns empty "
               "(faster)",
       .is_switch = true});
    serving.VisitFields(v);
    repeated.VisitFields(v);
  }
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
  // With a unique-token budget: the row's (N, D) on U unique tokens.
  std::optional<laws::RepeatedDataPoint> repeated;
  std::string status = "ok";  // otherwise why the row has no numbers
};

// One row per (law, budget or loss, ratio), plus the compute-optimal and the
// inference-optimal model of each (law, budget or loss), in that order per
// law and target, grid rows sorted by ratio with the two optima among them.
// Frontier laws are skipped (no loss). Throws InvalidInput for bad ranges,
// non-positive budgets or losses, negative D_inf, or more than one U.
SweepSummary Overtraining(
    const std::vector<laws::Law>& laws,
    const OvertrainingOptions& options,
    const std::function<void(const OvertrainingRow&)>& emit);
// Its columns (docs/sweeps.md), rows and notes.
Schema<OvertrainingRow> OvertrainingSchema(const OvertrainingOptions& options);
double OvertrainingRowCount(const std::vector<laws::Law>& laws,
                            const OvertrainingOptions& options);
std::vector<std::string> OvertrainingNotes(const std::vector<laws::Law>& laws,
                                           const OvertrainingOptions& options,
                                           const SweepSummary& summary);

// ---------------------------------------------------------------------------
// Budget: the compute-optimal frontier of each law.

struct BudgetOptions {
  LogRange budgets{1e18, 1e27, 37, "flops_min", "flops_max", "points"};

  template <typename V>
  void VisitFields(V&& v) {
    v(budgets.min,
      {.name = "flops_min",
       .help = "smallest training budget (FLOPs)",
       .min = 0,
       .max = 1e40,
       .min_exclusive = true});
    v(budgets.max,
      {.name = "flops_max",
       .help = "largest training budget",
       .min = 0,
       .max = 1e40,
       .min_exclusive = true});
    v(budgets.points,
      {.name = "points",
       .help = "log-spaced budgets (37: four per decade from "
               "1e18 to 1e27)",
       .min = 1,
       .max = 1e8});
  }
};

// law, label (the law's name, "<name> (published allocation)" for Kaplan's
// Sec. 6.1 allocation, as `scalesim optimal`) and the solve
// (ComputeOptimal / PublishedAllocation), at one budget.
struct BudgetRow : plan::LawOptimum {
  double budget_flops = 0.0;
};

// One row per (budget, law): every law, frontier laws included (their loss is
// NaN), plus Kaplan's published allocation after a Kaplan law.
SweepSummary Budget(const std::vector<laws::Law>& laws,
                    const BudgetOptions& options,
                    const std::function<void(const BudgetRow&)>& emit);
Schema<BudgetRow> BudgetSchema();
double BudgetRowCount(const std::vector<laws::Law>& laws,
                      const BudgetOptions& options);
std::vector<std::string> BudgetNotes(const std::vector<laws::Law>& laws,
                                     const SweepSummary& summary);

// ---------------------------------------------------------------------------
// IsoFLOP curves (Hoffmann et al. 2022 Fig. 3): model sizes around each
// budget's optimum.

struct IsoflopOptions {
  std::vector<double> budgets_flops;
  // N from N*/span to N* span, log-spaced, `points` per budget.
  double span = 10.0;
  std::int64_t points = 41;

  template <typename V>
  void VisitFields(V&& v) {
    v(budgets_flops,
      {.name = "flops",
       .help = "training budgets in FLOPs",
       .unit = "C",
       .min = 0,
       .max = 1e40,
       .min_exclusive = true,
       .default_text = "the nine of Hoffmann et al. 2022 Fig. "
                       "3, 6e18 to 3e21"});
    v(span,
      {.name = "span",
       .help = "model sizes from N*/span to N* x span",
       .min = 1,
       .max = 1e12,
       .min_exclusive = true});
    v(points,
      {.name = "points",
       .help = "model sizes per budget",
       .min = 1,
       .max = 1e8});
  }
};
// Hoffmann et al. 2022 Fig. 3's nine IsoFLOP budgets.
std::vector<double> HoffmannIsoflopBudgets();

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
Schema<IsoflopRow> IsoflopSchema();
double IsoflopRowCount(const std::vector<laws::Law>& laws,
                       const IsoflopOptions& options);

// ---------------------------------------------------------------------------
// Loss grid: L(N, D) over a log-spaced N x D grid (loss contours).

struct LossGridOptions {
  LogRange params{1e7, 1e12, 51, "params_min", "params_max", "params_points"};
  LogRange tokens{1e9, 1e14, 51, "tokens_min", "tokens_max", "tokens_points"};

  template <typename V>
  void VisitFields(V&& v) {
    v(params.min,
      {.name = "params_min",
       .help = "smallest model N",
       .min = 1,
       .max = 1e30});
    v(params.max,
      {.name = "params_max", .help = "largest N", .min = 1, .max = 1e30});
    v(params.points,
      {.name = "params_points",
       .help = "log-spaced N values",
       .min = 1,
       .max = 1e8});
    v(tokens.min,
      {.name = "tokens_min",
       .help = "fewest training tokens D",
       .min = 1,
       .max = 1e30});
    v(tokens.max,
      {.name = "tokens_max", .help = "most tokens", .min = 1, .max = 1e30});
    v(tokens.points,
      {.name = "tokens_points",
       .help = "log-spaced D values",
       .min = 1,
       .max = 1e8});
  }
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
Schema<LossGridRow> LossGridSchema();
double LossGridRowCount(const std::vector<laws::Law>& laws,
                        const LossGridOptions& options);

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
// The grid axes as the user writes them: lists and start:stop:step ranges
// (8,16,32 or 8:80:8).
struct ArchGridAxes {
  std::string layers = "8:80:8";
  std::string d_model = "1024:8192:512";
  std::optional<std::string> kv_heads;
  std::int64_t d_ff_multiple_of = 256;

  template <typename V>
  void VisitFields(V&& v) {
    v(layers,
      {.name = "layers",
       .help = "depths: a list and/or start:stop:step ranges (8,16,32 "
               "or 8:80:8)",
       .unit = "LIST"});
    v(d_model,
      {.name = "d_model",
       .help = "widths (multiples of the base head_dim)",
       .unit = "LIST"});
    v(kv_heads,
      {.name = "kv_heads",
       .help = "KV heads",
       .unit = "LIST",
       .default_text = "the base's query heads per KV head"});
    v(d_ff_multiple_of,
      {.name = "d_ff_multiple_of",
       .help = "round the scaled MLP width up to a multiple "
               "of this",
       .min = 1,
       .max = 1e9});
  }
};
// sweep arch's base when none is given: Llama 3 8B (GQA 4:1, head_dim
// 128), whose shapes split over the whole default grid.
inline constexpr const char* kDefaultArchBase = "llama3-8b";
// The grid of `axes` over `base` with the memory settings given.
ArchGridOptions ArchGridOf(const model::Architecture& base,
                           const ArchGridAxes& axes,
                           const model::TrainingMemoryOptions& training,
                           const model::InferenceMemoryOptions& inference);

SweepSummary ArchGrid(const ArchGridOptions& options,
                      const std::function<void(const ArchGridRow&)>& emit);
Schema<ArchGridRow> ArchGridSchema(const std::string& base_name);
double ArchGridRowCount(const ArchGridOptions& options);
std::vector<std::string> ArchGridNotes(const std::string& base_name,
                                       const ArchGridOptions& options,
                                       const SweepSummary& summary);
// The notes every law sweep prints (C = 6ND, each law, skipped laws,
// failed rows).
std::vector<std::string> CommonNotes(const std::vector<laws::Law>& laws,
                                     const SweepSummary& summary);

// ---------------------------------------------------------------------------
// Prepared sweeps: each kind's inputs validated (before any row or output
// exists), its columns, how many rows it will emit, and the run (rows to
// `emit`, then the summary and the notes). The CLI streams one to CSV or
// JSON and the Python module into NumPy columns; neither picks columns,
// checks or notes of its own.
template <typename Row>
struct Prepared {
  using Emit = std::function<void(const Row&)>;
  Schema<Row> schema;
  double rows = 0.0;
  std::function<std::pair<SweepSummary, std::vector<std::string>>(const Emit&)>
      run;
};

// `explicit_laws`: whether the user named the laws (RequireLossLaws). The
// front ends check first that exactly one of budgets_flops and
// target_losses was given (their message names the flags or keywords).
Prepared<OvertrainingRow> PrepareOvertraining(std::vector<laws::Law> laws,
                                              bool explicit_laws,
                                              OvertrainingOptions options);
Prepared<BudgetRow> PrepareBudget(std::vector<laws::Law> laws,
                                  BudgetOptions options);
// Without budgets: Hoffmann et al. 2022 Fig. 3's nine.
Prepared<IsoflopRow> PrepareIsoflop(std::vector<laws::Law> laws,
                                    bool explicit_laws,
                                    IsoflopOptions options);
Prepared<LossGridRow> PrepareLossGrid(std::vector<laws::Law> laws,
                                      bool explicit_laws,
                                      LossGridOptions options);
// `base_name`: how the user named the base (a preset, a file).
Prepared<ArchGridRow> PrepareArchGrid(
    const model::Architecture& base,
    const std::string& base_name,
    const ArchGridAxes& axes,
    const model::TrainingMemoryOptions& training,
    const model::InferenceMemoryOptions& inference);

}  // namespace scalesim::sweep

#endif  // SCALESIM_SWEEP_SWEEP_HPP_

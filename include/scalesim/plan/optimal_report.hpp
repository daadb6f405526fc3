// The allocation columns every command that prints an allocation shares
// (optimal, sweep budget, plan, compare), and the optimal report: compute-
// optimal N*, D* per law at a budget, the inverse questions, and the
// inference-optimal model of Sardana et al. 2024, each with its schema
// (core/schema.hpp). Used by `scalesim optimal` and the Python module.
#ifndef SCALESIM_PLAN_OPTIMAL_REPORT_HPP_
#define SCALESIM_PLAN_OPTIMAL_REPORT_HPP_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "scalesim/core/fields.hpp"
#include "scalesim/core/schema.hpp"
#include "scalesim/laws/law.hpp"
#include "scalesim/laws/repeated_data.hpp"
#include "scalesim/laws/uncertainty.hpp"
#include "scalesim/plan/compute_optimal.hpp"
#include "scalesim/plan/inference_optimal.hpp"

namespace scalesim::plan {

// One law's answer: the law, a label for the row (the law's name, or
// "<name> (published allocation)") and the solve.
struct LawOptimum {
  const laws::Law* law = nullptr;
  std::string label;
  OptimumResult result;
  // With a unique-token budget: epochs, effective data and the penalty
  // against the optimum with unlimited unique data.
  std::optional<laws::RepeatedDataPoint> repeated;
  // The 95 % intervals of N, D and the loss over the law's bootstrap draws
  // (the same question solved under every draw; laws/uncertainty.hpp);
  // nullopt for a law without draws.
  std::optional<laws::DrawInterval> params_interval = std::nullopt;
  std::optional<laws::DrawInterval> tokens_interval = std::nullopt;
  std::optional<laws::DrawInterval> loss_interval = std::nullopt;

  // Solved, with finite N, D and C (an extreme input can solve "ok" to an
  // infinite D, which is reported as a failure, never printed).
  bool ok() const;
  // "ok", or why not ("not_converged: ...", "overflow: ...").
  std::string status() const;
};

// method, param_count, params, tokens, tokens_per_param, training_flops,
// loss_nats, in_fitted_range, status: the allocation block. On a failed
// row only method, param_count and status are filled.
std::vector<Column<LawOptimum>> AllocationColumns();
// "law" (the label) followed by the allocation block.
Schema<LawOptimum> AllocationSchema(std::string name, std::string title);
// params_ci95_low, params_ci95_high, tokens_ci95_low, tokens_ci95_high,
// loss_ci95_low_nats, loss_ci95_high_nats: the intervals of a row, empty
// where it has none.
std::vector<Column<LawOptimum>> IntervalColumns();
// `schema` (an allocation table) with IntervalColumns after loss_nats.
Schema<LawOptimum> WithIntervalColumns(Schema<LawOptimum> schema);
// The 95 % intervals of `row` (params, tokens and loss of `solve` under
// each draw of its law); unchanged for a law without draws.
void AddIntervals(LawOptimum& row,
                  const std::function<OptimumResult(const laws::Law&)>& solve);

// What `scalesim optimal` is asked: exactly one of flops, target_loss and
// params; inference_tokens for the inference-optimal model (with flops or
// target_loss), and the prices of its cost version; unique tokens (with
// flops) for the optimum under a unique-token budget.
struct OptimalOptions {
  std::optional<double> flops;
  std::optional<double> target_loss;
  std::optional<double> params;
  std::optional<double> inference_tokens;
  // Cost version (Sardana et al. 2024 Sec. 3): the training device's dense
  // peak, MFU and price; the inference values default to the training ones.
  std::optional<double> peak_tflops;
  double mfu = 0.4;
  std::optional<double> usd_per_hour;
  std::optional<double> inference_peak_tflops;
  std::optional<double> inference_mfu;
  std::optional<double> inference_usd_per_hour;
  laws::RepeatedDataOptions repeated;  // U: a row per law and U

  // Whether any price field is set (the cost version is asked for).
  bool priced() const;

  template <typename V>
  void VisitFields(V&& v) {
    v(flops,
      {.name = "flops",
       .help = "training budget C: compute-optimal N*, D* per law",
       .unit = "C",
       .min = 0,
       .max = 1e40,
       .min_exclusive = true});
    v(target_loss,
      {.name = "target_loss",
       .help = "target loss: the minimum compute reaching it",
       .unit = "NATS",
       .min = 0,
       .max = 1e3,
       .min_exclusive = true});
    v(params,
      {.name = "params",
       .help = "model size N: the compute-optimal tokens for it",
       .unit = "N",
       .min = 1,
       .max = 1e30});
    v(inference_tokens,
      {.name = "inference_tokens",
       .help = "lifetime inference tokens D_inf: the inference-optimal model "
               "(Sardana et al. 2024) for --target-loss or --flops",
       .unit = "TOKENS",
       .min = 0,
       .max = 1e30});
    v(peak_tflops,
      {.name = "peak_tflops",
       .help = "cost version: dense peak TFLOP/s of the "
               "training device in its data type (or --device)",
       .min = 0,
       .max = 1e9,
       .min_exclusive = true});
    v(mfu,
      {.name = "mfu",
       .help = "cost version: training model FLOPs utilization",
       .min = 0,
       .max = 1,
       .min_exclusive = true});
    v(usd_per_hour,
      {.name = "usd_per_hour",
       .help = "cost version: training price per device-hour",
       .unit = "USD",
       .min = 0,
       .max = 1e9,
       .min_exclusive = true});
    v(inference_peak_tflops,
      {.name = "inference_peak_tflops",
       .help = "cost version: inference device peak TFLOP/s",
       .min = 0,
       .max = 1e9,
       .min_exclusive = true,
       .default_text = "the training value"});
    v(inference_mfu,
      {.name = "inference_mfu",
       .help = "cost version: inference MFU",
       .min = 0,
       .max = 1,
       .min_exclusive = true,
       .default_text = "the training value"});
    v(inference_usd_per_hour,
      {.name = "inference_usd_per_hour",
       .help = "cost version: inference price per device-hour",
       .unit = "USD",
       .min = 0,
       .max = 1e9,
       .min_exclusive = true,
       .default_text = "the training value"});
    repeated.VisitFields(v);
  }
};

// law, method, params_exponent_a, tokens_exponent_b.
struct ExponentRow {
  std::string label;
  AllocationExponents exponents;
};
Schema<ExponentRow> ExponentSchema();

// One model of the inference-optimal comparison.
struct LifetimeRow {
  const laws::Law* law = nullptr;
  std::string model;  // chinchilla_style, inference_optimal
  LifetimePlan plan;
};
Schema<LifetimeRow> LifetimeSchema(double inference_tokens, bool priced);

struct InferenceRatioRow {
  const laws::Law* law = nullptr;
  InferenceOptimalResult result;
};
Schema<InferenceRatioRow> InferenceRatioSchema(bool priced);

struct OptimalReport {
  // Compute-optimal, minimum compute or optimal tokens: one row per law.
  std::string allocation_name;  // compute_optimal, minimum_compute, ...
  std::string allocation_title;
  std::vector<LawOptimum> allocations;
  std::vector<ExponentRow> exponents;  // with flops
  // Inference-optimal (with inference_tokens).
  std::vector<LifetimeRow> lifetimes;
  std::vector<InferenceRatioRow> ratios;
  bool priced = false;
  double inference_tokens = 0.0;
  bool failed = false;     // a solve did not converge or overflowed (exit 1)
  bool repeated = false;   // allocations carry repeated-data columns
  bool intervals = false;  // a law has bootstrap draws: IntervalColumns
  std::vector<std::string> notes;
};

// The allocation table of `report`: AllocationSchema, with the interval
// columns after loss_nats when a law has bootstrap draws and the
// repeated-data columns (laws/repeated_data.hpp) when it has a unique-token
// budget.
Schema<LawOptimum> OptimalAllocationSchema(const OptimalReport& report);

// Answers `options` for each law (rows point into `laws`, which must
// outlive the report). A frontier law that cannot answer is
// skipped with a note, or, when `explicit_laws`, bad input naming "law"; a
// target a named law cannot reach is bad input naming the asking field.
OptimalReport Optimal(const std::vector<laws::Law>& laws,
                      const OptimalOptions& options,
                      bool explicit_laws);

}  // namespace scalesim::plan

#endif  // SCALESIM_PLAN_OPTIMAL_REPORT_HPP_

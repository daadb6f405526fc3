// Overtraining sweep (include/scalesim/sweep/sweep.hpp).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "scalesim/core/error.hpp"
#include "scalesim/plan/compute_optimal.hpp"
#include "scalesim/plan/design.hpp"
#include "scalesim/plan/inference_optimal.hpp"
#include "scalesim/sweep/sweep.hpp"

namespace scalesim::sweep {
namespace {

std::string Failure(const plan::OptimumResult& r) {
  return std::string(plan::ToString(r.status)) + ": " + r.message;
}

// Fills everything a row derives from its allocation.
void Derive(const laws::Law& law,
            const OvertrainingOptions& options,
            double compute_optimal_loss,
            OvertrainingRow& row) {
  const plan::Allocation& a = row.allocation;
  row.compute_optimal_loss = compute_optimal_loss;
  row.loss_penalty = a.loss - compute_optimal_loss;
  const plan::OptimumResult same = plan::MinimumCompute(law, {a.loss, {}});
  if (same.ok()) {
    row.compute_for_same_loss = same.allocation.training_flops;
    row.compute_overhead = a.training_flops / row.compute_for_same_loss;
  }
  row.inference_flops_per_token = plan::kInferenceFlopsPerParamToken * a.params;
  row.inference_flops =
      row.inference_flops_per_token * options.inference_tokens;
  row.lifetime_flops = a.training_flops + row.inference_flops;
  if (!options.serving_memory) return;
  plan::ArchitectureOptions arch = options.serving.architecture;
  arch.target_params = a.params;
  arch.count = law.info().param_count;
  const plan::ArchitectureProposal p = plan::ProposeArchitecture(arch);
  if (!p.found) return;
  model::InferenceMemoryOptions m;
  m.weights = options.serving.weights;
  m.kv_dtype = options.serving.kv_dtype;
  m.context = options.serving.context;
  m.batch = options.serving.batch;
  const model::InferenceMemory mem = model::EstimateInferenceMemory(p.arch, m);
  row.weights_bytes = mem.weights_per_device;
  row.kv_cache_bytes = mem.kv_cache_per_device;
}

OvertrainingRow FailedRow(const laws::Law& law,
                          double budget,
                          double loss,
                          PointKind point,
                          std::string status) {
  OvertrainingRow row;
  row.law = &law;
  row.budget_flops = budget;
  row.target_loss = loss;
  row.point = point;
  row.allocation.params = row.allocation.tokens = kNaN;
  row.allocation.training_flops = kNaN;
  row.status = std::move(status);
  return row;
}

}  // namespace

std::string_view ToString(PointKind kind) {
  switch (kind) {
    case PointKind::kGrid:
      return "grid";
    case PointKind::kComputeOptimal:
      return "compute_optimal";
    case PointKind::kInferenceOptimal:
      return "inference_optimal";
  }
  return "grid";
}

SweepSummary Overtraining(
    const std::vector<laws::Law>& laws,
    const OvertrainingOptions& options,
    const std::function<void(const OvertrainingRow&)>& emit) {
  const bool budget_mode = !options.budgets_flops.empty();
  if (budget_mode == !options.target_losses.empty()) {
    throw InvalidInput(InputLocation{"command line", 0, "--flops"},
                       "give either --flops or --target-loss");
  }
  RequirePositive(options.budgets_flops, "--flops");
  RequirePositive(options.target_losses, "--target-loss");
  if (!(options.inference_tokens >= 0.0) ||
      !std::isfinite(options.inference_tokens)) {
    throw InvalidInput(InputLocation{"command line", 0, "--inference-tokens"},
                       "must be a finite number >= 0");
  }
  const std::vector<double> ratios = LogSpace(options.ratios);
  const std::vector<double>& targets =
      budget_mode ? options.budgets_flops : options.target_losses;

  SweepSummary summary;
  std::vector<OvertrainingRow> rows;
  // rows[0, grid_end) are the grid, already in ratio order; the optima after
  // them are merged in by ratio as the rows are emitted (no row moves).
  std::size_t grid_end = 0;
  const auto flush = [&] {
    const auto ratio = [](const OvertrainingRow& r) {
      return r.allocation.tokens_per_param();
    };
    std::vector<const OvertrainingRow*> optima;
    for (std::size_t i = grid_end; i < rows.size(); ++i)
      optima.push_back(&rows[i]);
    std::stable_sort(
        optima.begin(), optima.end(), [&](const auto* x, const auto* y) {
          return ratio(*x) < ratio(*y);
        });
    std::size_t next = 0;
    const auto send = [&](const OvertrainingRow& r) {
      emit(r);
      ++summary.rows;
      summary.failed_rows += r.status == "ok" ? 0 : 1;
    };
    for (std::size_t i = 0; i < grid_end; ++i) {
      while (next < optima.size() && ratio(*optima[next]) < ratio(rows[i]))
        send(*optima[next++]);
      send(rows[i]);
    }
    while (next < optima.size()) send(*optima[next++]);
    rows.clear();
    grid_end = 0;
  };
  for (const laws::Law& law : laws) {
    const laws::LossLaw* loss_law = law.loss_law();
    if (loss_law == nullptr) {
      summary.skipped_laws.push_back(law.name());
      continue;
    }
    for (double target : targets) {
      const double budget = budget_mode ? target : kNaN;
      const double loss = budget_mode ? kNaN : target;
      const plan::OptimumResult co =
          budget_mode ? plan::ComputeOptimal(law, {target, {}})
                      : plan::MinimumCompute(law, {target, {}});
      if (!co.ok()) {
        rows.push_back(FailedRow(
            law, budget, loss, PointKind::kComputeOptimal, Failure(co)));
        flush();
        continue;
      }
      const double co_loss = co.allocation.loss;
      OvertrainingRow base;
      base.law = &law;
      base.budget_flops = budget;
      base.target_loss = loss;
      for (double r : ratios) {
        OvertrainingRow row = base;
        if (budget_mode) {
          const double n =
              std::sqrt(target / (plan::kTrainingFlopsPerParamToken * r));
          row.allocation.params = n;
          row.allocation.tokens = r * n;
          row.allocation.training_flops = target;
          row.allocation.terms = loss_law->Decompose(n, r * n);
          row.allocation.loss = row.allocation.terms.total();
        } else {
          const plan::OptimumResult at =
              plan::AllocationAtRatio(*loss_law, {r, target, {}});
          if (!at.ok()) {
            OvertrainingRow bad =
                FailedRow(law, budget, loss, PointKind::kGrid, Failure(at));
            bad.allocation.params = 1.0;  // sorts at its ratio
            bad.allocation.tokens = r;
            rows.push_back(std::move(bad));
            continue;
          }
          row.allocation = at.allocation;
        }
        Derive(law, options, co_loss, row);
        rows.push_back(std::move(row));
      }
      grid_end = rows.size();
      OvertrainingRow opt = base;
      opt.point = PointKind::kComputeOptimal;
      opt.allocation = co.allocation;
      Derive(law, options, co_loss, opt);
      rows.push_back(std::move(opt));

      plan::InferenceOptimalOptions io;
      io.target_loss = budget_mode ? 0.0 : target;
      io.training_flops = budget_mode ? target : 0.0;
      io.inference_tokens = options.inference_tokens;
      const plan::InferenceOptimalResult inf = plan::InferenceOptimal(law, io);
      if (inf.ok()) {
        OvertrainingRow row = base;
        row.point = PointKind::kInferenceOptimal;
        row.allocation = inf.inference_optimal.training;
        Derive(law, options, co_loss, row);
        rows.push_back(std::move(row));
      } else {
        OvertrainingRow bad = FailedRow(
            law,
            budget,
            loss,
            PointKind::kInferenceOptimal,
            std::string(plan::ToString(inf.status)) + ": " + inf.message);
        bad.allocation.params = 1.0;
        bad.allocation.tokens = co.allocation.tokens_per_param();
        rows.push_back(std::move(bad));
      }
      flush();
    }
  }
  return summary;
}

}  // namespace scalesim::sweep

// Budget, IsoFLOP and loss-grid sweeps (include/scalesim/sweep/sweep.hpp).
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "scalesim/core/error.hpp"
#include "scalesim/plan/compute_optimal.hpp"
#include "scalesim/sweep/sweep.hpp"

namespace scalesim::sweep {

SweepSummary Budget(const std::vector<laws::Law>& laws,
                    const BudgetOptions& options,
                    const std::function<void(const BudgetRow&)>& emit) {
  const std::vector<double> budgets = LogSpace(options.budgets);
  SweepSummary summary;
  BudgetRow row;
  const auto send = [&] {
    emit(row);
    ++summary.rows;
    summary.failed_rows += row.optimum.ok() ? 0 : 1;
  };
  for (double c : budgets) {
    row.budget_flops = c;
    for (const laws::Law& law : laws) {
      row.law = &law;
      row.label = law.name();
      row.optimum = plan::ComputeOptimal(law, {c, {}});
      send();
      if (law.kaplan() != nullptr && law.published_allocation()) {
        row.label = law.name() + " (published allocation)";
        row.optimum = plan::PublishedAllocation(law, {c, {}});
        send();
      }
    }
  }
  return summary;
}

SweepSummary Isoflop(const std::vector<laws::Law>& laws,
                     const IsoflopOptions& options,
                     const std::function<void(const IsoflopRow&)>& emit) {
  if (options.budgets_flops.empty()) {
    throw InvalidInput(InputLocation{"command line", 0, "--flops"},
                       "give at least one budget");
  }
  RequirePositive(options.budgets_flops, "--flops");
  if (!(options.span > 1.0) || !std::isfinite(options.span)) {
    throw InvalidInput(InputLocation{"command line", 0, "--span"},
                       "must be a finite factor > 1");
  }
  // Validates --points before any work.
  LogSpace({1.0, options.span, options.points, "--span", "--span", "--points"});
  SweepSummary summary;
  for (const laws::Law& law : laws) {
    const laws::LossLaw* loss_law = law.loss_law();
    if (loss_law == nullptr) {
      summary.skipped_laws.push_back(law.name());
      continue;
    }
    for (double c : options.budgets_flops) {
      const plan::OptimumResult co = plan::ComputeOptimal(law, {c, {}});
      IsoflopRow row;
      row.law = &law;
      row.budget_flops = c;
      if (!co.ok()) {
        row.point = PointKind::kComputeOptimal;
        row.allocation.params = row.allocation.tokens = kNaN;
        row.status = std::string(plan::ToString(co.status)) + ": " + co.message;
        emit(row);
        ++summary.rows;
        ++summary.failed_rows;
        continue;
      }
      const double n_opt = co.allocation.params;
      const std::vector<double> sizes = LogSpace({n_opt / options.span,
                                                  n_opt * options.span,
                                                  options.points,
                                                  "--span",
                                                  "--span",
                                                  "--points"});
      bool optimum_sent = false;
      const auto send_optimum = [&] {
        IsoflopRow opt = row;
        opt.point = PointKind::kComputeOptimal;
        opt.allocation = co.allocation;
        opt.params_over_optimal = 1.0;
        emit(opt);
        ++summary.rows;
        optimum_sent = true;
      };
      for (double n : sizes) {
        if (!optimum_sent && n > n_opt) send_optimum();
        row.allocation.params = n;
        row.allocation.tokens = c / (plan::kTrainingFlopsPerParamToken * n);
        row.allocation.training_flops = c;
        row.allocation.terms = loss_law->Decompose(n, row.allocation.tokens);
        row.allocation.loss = row.allocation.terms.total();
        row.params_over_optimal = n / n_opt;
        emit(row);
        ++summary.rows;
      }
      if (!optimum_sent) send_optimum();
    }
  }
  return summary;
}

SweepSummary LossGrid(const std::vector<laws::Law>& laws,
                      const LossGridOptions& options,
                      const std::function<void(const LossGridRow&)>& emit) {
  const std::vector<double> params = LogSpace(options.params);
  const std::vector<double> tokens = LogSpace(options.tokens);
  SweepSummary summary;
  LossGridRow row;
  for (const laws::Law& law : laws) {
    const laws::LossLaw* loss_law = law.loss_law();
    if (loss_law == nullptr) {
      summary.skipped_laws.push_back(law.name());
      continue;
    }
    row.law = &law;
    for (double n : params) {
      row.params = n;
      for (double d : tokens) {
        row.tokens = d;
        row.terms = loss_law->Decompose(n, d);
        emit(row);
        ++summary.rows;
      }
    }
  }
  return summary;
}

}  // namespace scalesim::sweep

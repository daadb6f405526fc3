// Budget, IsoFLOP and loss-grid sweeps (include/scalesim/sweep/sweep.hpp).
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "scalesim/core/error.hpp"
#include "scalesim/laws/law_columns.hpp"
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
    summary.failed_rows += row.result.ok() ? 0 : 1;
  };
  for (double c : budgets) {
    row.budget_flops = c;
    for (const laws::Law& law : laws) {
      row.law = &law;
      row.label = law.name();
      row.result = plan::ComputeOptimal(law, {c, {}});
      send();
      if (law.kaplan() != nullptr && law.published_allocation()) {
        row.label = law.name() + " (published allocation)";
        row.result = plan::PublishedAllocation(law, {c, {}});
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
    throw InvalidInput(InputLocation{"", 0, "flops"},
                       "give at least one budget");
  }
  RequirePositive(options.budgets_flops, "flops");
  if (!(options.span > 1.0) || !std::isfinite(options.span)) {
    throw InvalidInput(InputLocation{"", 0, "span"},
                       "must be a finite factor > 1");
  }
  // Validates --points before any work.
  LogSpace({1.0, options.span, options.points, "span", "span", "points"});
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
                                                  "span",
                                                  "span",
                                                  "points"});
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

namespace scalesim::sweep {

std::vector<double> HoffmannIsoflopBudgets() {
  return {6e18, 1e19, 3e19, 6e19, 1e20, 3e20, 6e20, 1e21, 3e21};
}

Schema<BudgetRow> BudgetSchema() {
  Schema<BudgetRow> s{"budget",
                      "Compute-optimal frontier per law (C = 6 N D)",
                      {},
                      [](const BudgetRow& r) { return r.ok(); }};
  s.Add(
      "budget_flops",
      CellKind::kScientific,
      [](const BudgetRow& r) { return CellValue{r.budget_flops}; },
      true);
  s.Add(
      "law",
      CellKind::kText,
      [](const BudgetRow& r) { return CellValue{r.label}; },
      true);
  s.Append(Project<BudgetRow>(
      plan::AllocationColumns(),
      [](const BudgetRow& r) -> const plan::LawOptimum& { return r; }));
  return s;
}

double BudgetRowCount(const std::vector<laws::Law>& laws,
                      const BudgetOptions& options) {
  double per_budget = 0;  // one row per law, two for Kaplan's (+ published)
  for (const laws::Law& law : laws)
    per_budget += law.kaplan() != nullptr && law.published_allocation() ? 2 : 1;
  return static_cast<double>(options.budgets.points) * per_budget;
}

std::vector<std::string> BudgetNotes(const std::vector<laws::Law>& laws,
                                     const SweepSummary& summary) {
  std::vector<std::string> notes = CommonNotes(laws, summary);
  notes.push_back(
      "each row is scalesim optimal --flops at its budget: closed_form = "
      "Hoffmann et al. 2022 Eq. 4, numerical = Brent's method, "
      "published_frontier = the paper's N_opt ~ C^a (no loss)");
  for (const laws::Law& law : laws) {
    if (law.kaplan() != nullptr && law.published_allocation()) {
      notes.push_back(
          law.name() +
          " (published allocation): Kaplan et al. 2020 Sec. 6.1 as printed, "
          "at C = 2 C_min (training at the critical batch, Sec. 5.1) with its "
          "tokens as published, so 6 N D is not C there (about 0.90 C); its "
          "loss is L(C_min), Eq. 1.3");
    }
  }
  notes.push_back(laws::InFittedRangeNote());
  return notes;
}

Schema<IsoflopRow> IsoflopSchema() {
  using R = IsoflopRow;
  Schema<R> s{"isoflop", "IsoFLOP curves (D = C / (6 N))", {}, [](const R& r) {
                return r.status == "ok";
              }};
  s.columns.push_back(laws::LawNameColumn<R>(true));
  s.columns.push_back(laws::ParamCountColumn<R>(true));
  s.Add(
      "budget_flops",
      CellKind::kScientific,
      [](const R& r) { return CellValue{r.budget_flops}; },
      true);
  s.Add(
      "point",
      CellKind::kText,
      [](const R& r) { return CellValue{std::string(ToString(r.point))}; },
      true);
  s.Add("params", CellKind::kShortCount, [](const R& r) {
    return CellValue{r.allocation.params};
  });
  s.Add("tokens", CellKind::kShortCount, [](const R& r) {
    return CellValue{r.allocation.tokens};
  });
  s.Add("tokens_per_param", CellKind::kReal, [](const R& r) {
    return CellValue{r.allocation.tokens_per_param()};
  });
  s.Add("params_over_optimal", CellKind::kReal, [](const R& r) {
    return CellValue{r.params_over_optimal};
  });
  s.Add("loss_nats", CellKind::kReal, [](const R& r) {
    return CellValue{r.allocation.loss};
  });
  s.Add("in_fitted_range", CellKind::kText, [](const R& r) {
    return CellValue{laws::InFittedRange(
        *r.law, r.allocation.params, r.allocation.tokens, r.budget_flops)};
  });
  s.Add(
      "status",
      CellKind::kText,
      [](const R& r) { return CellValue{r.status}; },
      true);
  return s;
}

double IsoflopRowCount(const std::vector<laws::Law>& laws,
                       const IsoflopOptions& options) {
  return static_cast<double>(CountLossLaws(laws)) *
         static_cast<double>(options.budgets_flops.size()) *
         (static_cast<double>(options.points) + 1.0);
}

Schema<LossGridRow> LossGridSchema() {
  using R = LossGridRow;
  Schema<R> s{"loss_grid", "Predicted loss over N x D", {}, nullptr};
  s.columns.push_back(laws::LawNameColumn<R>());
  s.columns.push_back(laws::ParamCountColumn<R>());
  s.Add("params", CellKind::kShortCount, [](const R& r) {
    return CellValue{r.params};
  });
  s.Add("tokens", CellKind::kShortCount, [](const R& r) {
    return CellValue{r.tokens};
  });
  s.Add("training_flops", CellKind::kScientific, [](const R& r) {
    return CellValue{6.0 * r.params * r.tokens};
  });
  s.Add("loss_nats", CellKind::kReal, [](const R& r) {
    return CellValue{r.terms.total()};
  });
  s.Add("irreducible_nats", CellKind::kReal, [](const R& r) {
    return CellValue{r.terms.irreducible};
  });
  s.Add("parameter_term_nats", CellKind::kReal, [](const R& r) {
    return CellValue{r.terms.parameter_term};
  });
  s.Add("data_term_nats", CellKind::kReal, [](const R& r) {
    return CellValue{r.terms.data_term};
  });
  return s;
}

double LossGridRowCount(const std::vector<laws::Law>& laws,
                        const LossGridOptions& options) {
  return static_cast<double>(CountLossLaws(laws)) *
         static_cast<double>(options.params.points) *
         static_cast<double>(options.tokens.points);
}

std::vector<std::string> CommonNotes(const std::vector<laws::Law>& laws,
                                     const SweepSummary& s) {
  std::vector<std::string> notes;
  notes.push_back(
      "training FLOPs C = 6 N D (Kaplan et al. 2020 Sec. 2.1; Hoffmann et al. "
      "2022 Sec. 3.3); params in each law's own count (param_count column)");
  for (const laws::Law& law : laws) notes.push_back(laws::Describe(law));
  if (!s.skipped_laws.empty()) {
    std::string names;
    for (const std::string& n : s.skipped_laws)
      names += (names.empty() ? "" : ", ") + n;
    notes.push_back("skipped compute-optimal frontiers (no loss prediction): " +
                    names);
  }
  if (s.failed_rows > 0) {
    notes.push_back(std::to_string(s.failed_rows) +
                    " rows could not be solved: see their status column");
  }
  return notes;
}

}  // namespace scalesim::sweep

// Prepared sweeps (sweep/sweep.hpp): each kind's checks, columns, row count
// and notes in one place for the CLI and the Python module.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "scalesim/sweep/sweep.hpp"

namespace scalesim::sweep {

using Notes = std::vector<std::string>;

Prepared<OvertrainingRow> PrepareOvertraining(std::vector<laws::Law> laws,
                                              bool explicit_laws,
                                              OvertrainingOptions options) {
  RequireLossLaws(laws, explicit_laws, options.target_losses);
  auto l = std::make_shared<const std::vector<laws::Law>>(std::move(laws));
  auto o = std::make_shared<const OvertrainingOptions>(std::move(options));
  return {OvertrainingSchema(*o),
          OvertrainingRowCount(*l, *o),
          [l, o](const Prepared<OvertrainingRow>::Emit& emit) {
            const SweepSummary s = Overtraining(*l, *o, emit);
            return std::pair{s, OvertrainingNotes(*l, *o, s)};
          }};
}

Prepared<BudgetRow> PrepareBudget(std::vector<laws::Law> laws,
                                  BudgetOptions options) {
  LogSpace(options.budgets);  // validated before any row
  auto l = std::make_shared<const std::vector<laws::Law>>(std::move(laws));
  auto o = std::make_shared<const BudgetOptions>(std::move(options));
  return {BudgetSchema(),
          BudgetRowCount(*l, *o),
          [l, o](const Prepared<BudgetRow>::Emit& emit) {
            const SweepSummary s = Budget(*l, *o, emit);
            return std::pair{s, BudgetNotes(*l, s)};
          }};
}

Prepared<IsoflopRow> PrepareIsoflop(std::vector<laws::Law> laws,
                                    bool explicit_laws,
                                    IsoflopOptions options) {
  if (options.budgets_flops.empty())
    options.budgets_flops = HoffmannIsoflopBudgets();
  RequireLossLaws(laws, explicit_laws);
  Isoflop({}, options, [](const IsoflopRow&) {});  // validates
  auto l = std::make_shared<const std::vector<laws::Law>>(std::move(laws));
  auto o = std::make_shared<const IsoflopOptions>(std::move(options));
  return {IsoflopSchema(),
          IsoflopRowCount(*l, *o),
          [l, o](const Prepared<IsoflopRow>::Emit& emit) {
            const SweepSummary s = Isoflop(*l, *o, emit);
            Notes notes = CommonNotes(*l, s);
            notes.push_back(
                "point compute_optimal: the law's N* at the budget (scalesim "
                "optimal --flops), the minimum of its IsoFLOP curve");
            notes.push_back(laws::InFittedRangeNote());
            return std::pair{s, notes};
          }};
}

Prepared<LossGridRow> PrepareLossGrid(std::vector<laws::Law> laws,
                                      bool explicit_laws,
                                      LossGridOptions options) {
  RequireLossLaws(laws, explicit_laws);
  LogSpace(options.params);
  LogSpace(options.tokens);
  auto l = std::make_shared<const std::vector<laws::Law>>(std::move(laws));
  auto o = std::make_shared<const LossGridOptions>(std::move(options));
  return {LossGridSchema(),
          LossGridRowCount(*l, *o),
          [l, o](const Prepared<LossGridRow>::Emit& emit) {
            const SweepSummary s = LossGrid(*l, *o, emit);
            Notes notes = CommonNotes(*l, s);
            notes.push_back(
                "loss decomposed as Hoffmann et al. 2022 App. D.2: "
                "irreducible + parameter term + data term (Kaplan's joint "
                "law, not additive: 0, L(N, infinite data) and the rest, as "
                "scalesim loss prints it)");
            return std::pair{s, notes};
          }};
}

Prepared<ArchGridRow> PrepareArchGrid(
    const model::Architecture& base,
    const std::string& base_name,
    const ArchGridAxes& axes,
    const model::TrainingMemoryOptions& training,
    const model::InferenceMemoryOptions& inference) {
  auto o = std::make_shared<const ArchGridOptions>(
      ArchGridOf(base, axes, training, inference));
  return {ArchGridSchema(base_name),
          ArchGridRowCount(*o),
          [o, base_name](const Prepared<ArchGridRow>::Emit& emit) {
            const SweepSummary s = ArchGrid(*o, emit);
            return std::pair{s, ArchGridNotes(base_name, *o, s)};
          }};
}

}  // namespace scalesim::sweep

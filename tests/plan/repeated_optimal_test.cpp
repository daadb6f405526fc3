// The compute-optimal allocation under a unique-token budget (Muennighoff et
// al. 2023 Sec. 5) against a brute-force grid, the datablations README's
// grid search, and its unique-data limit.
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "scalesim/core/error.hpp"
#include "scalesim/laws/chinchilla_form.hpp"
#include "scalesim/laws/data_constrained.hpp"
#include "scalesim/laws/repeated_data.hpp"
#include "scalesim/plan/compute_optimal.hpp"
#include "scalesim/plan/optimal_report.hpp"

#include "laws/published_constants.hpp"

namespace scalesim::plan {
namespace {

// The tolerance: the optimum matches a brute-force grid to 1e-4.
constexpr double kGridRelative = 1e-4;
// The README's grid steps its ratio by (3 - 1.0001)/499 = 0.6%.
constexpr double kReadmeGridRelative = 6e-3;
// Brent's method locates a smooth minimum to ~1e-7 in N.
constexpr double kBrentRelative = 1e-6;

double Relative(double got, double want) {
  return std::fabs(got - want) / std::fabs(want);
}

struct GridOptimum {
  double params = 0.0;
  double loss = std::numeric_limits<double>::infinity();
};

// Every N on a log grid from 1e5 to 1e15 (step 1.2e-3 in ln N), then every
// N on a grid 10,000 times finer around the best point: brute force, no
// minimiser.
GridOptimum BruteForce(const laws::LossLaw& law, double flops, double u) {
  const double s = flops / 6.0;
  const auto loss_at = [&](double log_n) {
    const double n = std::exp(log_n);
    return law.LossRepeated(n, s / n, laws::DataBudget{u});
  };
  double lo = std::log(1e5);
  double hi = std::log(1e15);
  GridOptimum best;
  for (int level = 0; level < 2; ++level) {
    constexpr int kPoints = 20001;
    const double step = (hi - lo) / (kPoints - 1);
    double best_x = lo;
    for (int i = 0; i < kPoints; ++i) {
      const double x = lo + step * i;
      const double v = loss_at(x);
      if (v < best.loss) {
        best.loss = v;
        best_x = x;
      }
    }
    best.params = std::exp(best_x);
    lo = best_x - step;
    hi = best_x + step;
  }
  return best;
}

TEST(RepeatedOptimalTest, MatchesABruteForceGridAtThreeBudgets) {
  // Budgets and unique tokens spanning 9 to 300 epochs at the optimum.
  const laws::DataConstrainedLaw law(testing::MuennighoffPublished());
  const struct {
    double flops;
    double unique_tokens;
  } cases[] = {{1e20, 1e8}, {1e22, 25e9}, {1e24, 1e11}};
  for (const auto& c : cases) {
    SCOPED_TRACE(std::to_string(c.flops) + " " +
                 std::to_string(c.unique_tokens));
    const OptimumResult r =
        ComputeOptimalRepeated(law, {c.flops, c.unique_tokens, {}});
    ASSERT_TRUE(r.ok()) << r.message;
    const GridOptimum grid = BruteForce(law, c.flops, c.unique_tokens);
    EXPECT_LT(Relative(r.allocation.params, grid.params), kGridRelative);
    EXPECT_LT(Relative(r.allocation.tokens, c.flops / (6.0 * grid.params)),
              kGridRelative);
    EXPECT_LT(Relative(r.allocation.loss, grid.loss), kGridRelative);
    EXPECT_LE(r.allocation.loss, grid.loss + 1e-12);
    EXPECT_GT(r.allocation.tokens, c.unique_tokens);  // it repeats
    EXPECT_DOUBLE_EQ(6.0 * r.allocation.params * r.allocation.tokens, c.flops);
  }
}

TEST(RepeatedOptimalTest, AgreesWithTheReadmeGridSearch) {
  // datablations README: C = 1e22, U = 25e9 -> 7,022,364,735.88 parameters
  // and 237,336,955,477.55 tokens (9.49 epochs), loss 2.222129283251274
  // (reproduced by /work/notes/muennighoff.py). Its grid steps by 0.6%; the
  // minimiser may only do better.
  const laws::DataConstrainedLaw law(testing::MuennighoffPublished());
  const OptimumResult r = ComputeOptimalRepeated(law, {1e22, 25e9, {}});
  ASSERT_TRUE(r.ok());
  EXPECT_LT(Relative(r.allocation.params, 7022364735.879969),
            kReadmeGridRelative);
  EXPECT_LT(Relative(r.allocation.tokens, 237336955477.55075),
            kReadmeGridRelative);
  EXPECT_LE(r.allocation.loss, 2.222129283251274);
}

TEST(RepeatedOptimalTest, UnlimitedUniqueDataGivesTheClosedForm) {
  // With U far above D* nothing repeats: the Eq. 3 optimum (App. B: 70.0B
  // parameters at 5.76e23 FLOPs).
  const laws::DataConstrainedLawForm form(testing::MuennighoffPublished());
  const OptimumResult r =
      ComputeOptimalRepeated(form.law(), {5.76e23, 1e15, {}});
  ASSERT_TRUE(r.ok());
  EXPECT_LT(Relative(r.allocation.params, form.OptimumAt(5.76e23).params),
            kBrentRelative);
}

TEST(RepeatedOptimalTest, EffectiveDataMovesAChinchillaOptimum) {
  // --effective-data: Hoffmann's printed constants with Eq. 5's D'. Repeated
  // tokens are worth less, so the optimum under U = 1e10 at 1e22 FLOPs
  // costs loss and trains a larger model on fewer tokens than Eq. 4's.
  const laws::ChinchillaForm hoffmann{1.69, 406.4, 410.7, 0.34, 0.28};
  const laws::ChinchillaLaw base(hoffmann);
  const laws::EffectiveDataLaw law(base, laws::kMuennighoffRDStar);
  const OptimumResult repeated = ComputeOptimalRepeated(law, {1e22, 1e10, {}});
  const OptimumResult unique = ComputeOptimalClosedForm(hoffmann, {1e22, {}});
  ASSERT_TRUE(repeated.ok());
  EXPECT_GT(repeated.allocation.loss, unique.allocation.loss);
  EXPECT_GT(repeated.allocation.params, unique.allocation.params);
}

TEST(RepeatedOptimalTest, BadInput) {
  const laws::DataConstrainedLaw law(testing::MuennighoffPublished());
  EXPECT_THROW(ComputeOptimalRepeated(law, {1e22, 0.0, {}}), InvalidInput);
  EXPECT_THROW(ComputeOptimalRepeated(law, {-1.0, 1e9, {}}), InvalidInput);
}

TEST(RepeatedOptimalReportTest, RowsPerLawAndUniqueTokens) {
  laws::LawInfo muennighoff;
  muennighoff.name = "muennighoff";
  laws::LawInfo hoffmann;
  hoffmann.name = "hoffmann";
  const std::vector<laws::Law> laws = {
      laws::Law(muennighoff,
                std::make_shared<laws::DataConstrainedLawForm>(
                    testing::MuennighoffPublished())),
      laws::Law(hoffmann,
                laws::ChinchillaForm{1.69, 406.4, 410.7, 0.34, 0.28})};
  OptimalOptions o;
  o.flops = 1e22;
  o.repeated.unique_tokens = {1e10, 1e14};
  const OptimalReport r = Optimal(laws, o, true);
  ASSERT_EQ(r.allocations.size(), 4U);
  EXPECT_TRUE(r.repeated);
  // The data-constrained law under 1e10 unique tokens: repeated, a penalty.
  const laws::RepeatedDataPoint& p = *r.allocations[0].repeated;
  EXPECT_EQ(p.model, laws::RepetitionModel::kOwn);
  EXPECT_GT(p.epochs, 1.0);
  EXPECT_GT(p.penalty(), 0.0);
  // Under 1e14 nothing repeats: the closed-form optimum, no penalty.
  EXPECT_EQ(r.allocations[1].result.method, SolveMethod::kClosedForm);
  EXPECT_EQ(r.allocations[1].repeated->penalty(), 0.0);
  // The Chinchilla form assumes unique data: its penalty is unknown.
  EXPECT_EQ(r.allocations[2].repeated->model,
            laws::RepetitionModel::kAssumesUnique);
  EXPECT_TRUE(std::isnan(r.allocations[2].repeated->penalty()));
  // Unique tokens need a budget.
  o.flops.reset();
  o.params = 7e9;
  EXPECT_THROW(Optimal(laws, o, true), InvalidInput);
}

}  // namespace
}  // namespace scalesim::plan

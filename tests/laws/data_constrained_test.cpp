// Muennighoff et al. 2023's data-constrained law against the datablations
// README's golden values, hand-derived points (/work/notes/laws.md Sec. 1.4)
// and its own limits.
#include "scalesim/laws/data_constrained.hpp"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "scalesim/laws/chinchilla_form.hpp"

#include "laws/published_constants.hpp"

namespace scalesim::laws {
namespace {

DataConstrainedConstants Published() { return testing::MuennighoffPublished(); }

// The tolerance for the golden values.
constexpr double kGoldenRelative = 1e-12;
// Hand-derived intermediate values are printed to 7 significant digits.
constexpr double kSevenDigits = 1e-6;
// Identities that hold to rounding of a few pow() and exp() calls.
constexpr double kRoundoff = 1e-12;
// Central differences with step 1e-5 in ln N, ln D: error O(h^2).
constexpr double kFiniteDifferenceTolerance = 1e-8;
// App. B rounds its Gopher-budget check to 3 significant digits.
constexpr double kThreeDigits = 5e-3;

double Relative(double got, double want) {
  return std::fabs(got - want) / std::fabs(want);
}

TEST(DataConstrainedLawTest, ReadmeGoldenValues) {
  // datablations README "Parametric Fit" (Figure 1 right): the 6.34B model
  // on 242B tokens of 25B unique, and the 8.67B model on 178B tokens.
  const DataConstrainedLaw law(Published());
  const DataBudget u{25e9};
  EXPECT_LT(Relative(law.LossRepeated(6.34e9, 242e9, u), 2.2256440889984477),
            kGoldenRelative);
  // Second point, derived independently (/work/notes/muennighoff.py):
  // U_N = 1.274663e9, R_N = 5.801798, N' = 5.773306e9, R_D = 6.12,
  // D' = 1.512369e11.
  EXPECT_LT(Relative(law.LossRepeated(8.67e9, 178e9, u), 2.2269634075087867),
            kGoldenRelative);
  // The law prefers the smaller model, as Figure 1 (right) measures.
  EXPECT_LT(law.LossRepeated(6.34e9, 242e9, u),
            law.LossRepeated(8.67e9, 178e9, u));
}

TEST(DataConstrainedLawTest, HandDerivedComponents) {
  // /work/notes/laws.md Sec. 1.4: G = 0.2258019, U_N = G^2 U = 1.274663e9,
  // N' = 4.840668e9, D' = 1.908490e11, terms 0.200086 + 0.156414.
  const DataConstrainedLaw law(Published());
  EXPECT_LT(Relative(FrontierOf(Published().chinchilla).g, 0.2258019),
            kSevenDigits);
  EXPECT_LT(Relative(law.OptimalParamsForUniqueTokens(25e9), 1.274663e9),
            kSevenDigits);
  const EffectiveSize e = law.Effective(6.34e9, 242e9, DataBudget{25e9});
  EXPECT_LT(Relative(e.params, 4.840668e9), kSevenDigits);
  EXPECT_LT(Relative(e.tokens, 1.908490e11), kSevenDigits);
  const LossTerms t = law.DecomposeRepeated(6.34e9, 242e9, DataBudget{25e9});
  EXPECT_LT(Relative(t.parameter_term, 0.200086), kSevenDigits * 5);
  EXPECT_LT(Relative(t.data_term, 0.156414), kSevenDigits * 5);
}

TEST(DataConstrainedLawTest, UniqueDataGivesTheChinchillaFormExactly) {
  // U >= D and N <= U_N(D): R_D = R_N = 0, N' = N, D' = D, and the loss is
  // Eq. 20's E + A/N^alpha + B/D^beta to the last bit (notes: N = 1e9,
  // D = U = 2e10 gives 2.5646350).
  const DataConstrainedLaw law(Published());
  const ChinchillaForm& c = Published().chinchilla;
  for (double u : {2e10, 5e10, std::numeric_limits<double>::infinity()}) {
    SCOPED_TRACE(u);
    EXPECT_EQ(law.LossRepeated(1e9, 2e10, DataBudget{u}), c.Loss(1e9, 2e10));
  }
  EXPECT_EQ(law.Loss(1e8, 1e11), c.Loss(1e8, 1e11));
  EXPECT_NEAR(law.Loss(1e9, 2e10), 2.5646350, 5e-7);
}

TEST(DataConstrainedLawTest, ExcessParametersDecayEvenOnOneEpoch) {
  // N far above U_N(D) = G^2 D (2e10 tokens: 1.02e9): R_N > 0 although
  // D = U, so the loss exceeds the Chinchilla form's (notes Sec. 8).
  const DataConstrainedLaw law(Published());
  const ChinchillaForm& c = Published().chinchilla;
  EXPECT_GT(law.LossRepeated(1e10, 2e10, DataBudget{2e10}), c.Loss(1e10, 2e10));
}

TEST(DataConstrainedLawTest, RepeatingLosesValueAndSaturates) {
  // Notes Sec. 1.4: N = 1e9, D = 1e11 of U = 2e10 (5 epochs) gives
  // D' = 9.044745e10 and 2.4216236 against 2.4145430 with fresh data.
  const DataConstrainedLaw law(Published());
  EXPECT_LT(
      Relative(law.Effective(1e9, 1e11, DataBudget{2e10}).tokens, 9.044745e10),
      kSevenDigits);
  EXPECT_NEAR(law.LossRepeated(1e9, 1e11, DataBudget{2e10}), 2.4216236, 5e-7);
  EXPECT_NEAR(law.Loss(1e9, 1e11), 2.4145430, 5e-7);
  // D' never exceeds U (1 + R_D*) (Sec. 3.1).
  const double saturated =
      law.Effective(1e9, 1e20, DataBudget{2e10}).tokens / 2e10;
  EXPECT_LE(saturated, 1.0 + 15.387756);
  EXPECT_GT(saturated, 1.0 + 15.387756 - kRoundoff * 1e3);
}

TEST(DataConstrainedLawTest, EffectiveTokensIsEq5) {
  EXPECT_EQ(EffectiveTokens(1e10, 2e10, kMuennighoffRDStar), 1e10);
  EXPECT_EQ(
      EffectiveTokens(
          1e10, std::numeric_limits<double>::infinity(), kMuennighoffRDStar),
      1e10);
  // 242B tokens of 25B: R_D = 8.68, D' = 25e9 (1 + R_D* (1 - e^(-8.68/
  // R_D*))) = 1.908490e11 (notes Sec. 1.4).
  EXPECT_LT(
      Relative(EffectiveTokens(242e9, 25e9, kMuennighoffRDStar), 1.908490e11),
      kSevenDigits);
}

TEST(DataConstrainedLawTest, ClosedFormFrontierIsEq3) {
  // App. B: at 5.76e23 FLOPs the C4 fit gives N_opt = 70.0B, D_opt = 1.37T
  // (69.96e9 and 1.372e12 unrounded).
  const DataConstrainedLawForm form(Published());
  const ClosedFormOptimum o = form.OptimumAt(5.76e23);
  EXPECT_LT(Relative(o.params, 70.0e9), kThreeDigits);
  EXPECT_LT(Relative(o.tokens, 1.37e12), kThreeDigits);
  // The optimum sits where N = U_N(D): the Chinchilla form's loss there.
  EXPECT_LT(Relative(form.law().Loss(o.params, o.tokens),
                     Published().chinchilla.Loss(o.params, o.tokens)),
            kRoundoff);
}

TEST(DataConstrainedLawTest, LogGradientMatchesFiniteDifferences) {
  const DataConstrainedLaw law(Published());
  const double h = 1e-5;
  // Below and above U_N(D) (the second with N' < N).
  for (const auto& [n, d] : {std::pair{1e8, 1e11}, std::pair{1e10, 2e10}}) {
    SCOPED_TRACE(n);
    const LossGradient g = law.LogGradient(n, d);
    const double by_n =
        (law.Loss(n * std::exp(h), d) - law.Loss(n * std::exp(-h), d)) /
        (2 * h);
    const double by_d =
        (law.Loss(n, d * std::exp(h)) - law.Loss(n, d * std::exp(-h))) /
        (2 * h);
    EXPECT_NEAR(g.dloss_dlog_params, by_n, kFiniteDifferenceTolerance);
    EXPECT_NEAR(g.dloss_dlog_tokens, by_d, kFiniteDifferenceTolerance);
  }
}

TEST(DataConstrainedLawTest, TokensForLossInvertsTheLoss) {
  const DataConstrainedLaw law(Published());
  // On the Chinchilla branch (N <= U_N(D)) and where N exceeds U_N(D).
  for (const auto& [n, d] : {std::pair{1e8, 1e11}, std::pair{1e10, 2e10}}) {
    SCOPED_TRACE(n);
    const double loss = law.Loss(n, d);
    EXPECT_LT(Relative(law.TokensForLoss(n, loss), d), 1e-10);
  }
  EXPECT_TRUE(
      std::isinf(law.TokensForLoss(1e9, law.LossWithUnlimitedData(1e9))));
}

TEST(DataConstrainedLawTest, EffectiveDataLawTransformsOnlyTheTokens) {
  // --effective-data: a Chinchilla-form law at D' = Eq. 5 with R_D*.
  const ChinchillaForm hoffmann{1.69, 406.4, 410.7, 0.34, 0.28};
  const ChinchillaLaw base(hoffmann);
  const EffectiveDataLaw law(base, kMuennighoffRDStar);
  const double d_eff = EffectiveTokens(242e9, 25e9, kMuennighoffRDStar);
  EXPECT_EQ(law.LossRepeated(6.34e9, 242e9, DataBudget{25e9}),
            hoffmann.Loss(6.34e9, d_eff));
  EXPECT_EQ(law.LossRepeated(6.34e9, 242e9, DataBudget{}),
            hoffmann.Loss(6.34e9, 242e9));
  EXPECT_EQ(law.Effective(6.34e9, 242e9, DataBudget{25e9}).params, 6.34e9);
  EXPECT_TRUE(law.ModelsRepetition());
  EXPECT_FALSE(base.ModelsRepetition());
  // A law without a repetition model assumes unique data.
  EXPECT_EQ(base.LossRepeated(6.34e9, 242e9, DataBudget{25e9}),
            hoffmann.Loss(6.34e9, 242e9));
}

}  // namespace
}  // namespace scalesim::laws

// The data-constrained fit (Muennighoff et al. 2023's form): recovery of
// the published constants from synthetic runs, bootstrap coverage, the
// objective's gradient, and the statuses of data that cannot identify it.
#include "scalesim/fit/data_constrained_fit.hpp"

#include <cmath>
#include <cstdio>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "scalesim/fit/bootstrap.hpp"
#include "scalesim/fit/synthetic.hpp"

#include "fit/data_constrained_objective.hpp"

namespace scalesim::fit {
namespace {

// data/laws/muennighoff2023.json: a, b, e = 6.255414, 7.3049974, 0.6254804
// (A = e^a, B = e^b, E = e^e), alpha = beta = 0.3526596, R_D* = 15.387756,
// R_N* = 5.309743 (Muennighoff et al. 2023 App. A-B; datablations README).
laws::DataConstrainedConstants Published() {
  laws::DataConstrainedConstants c;
  c.chinchilla = laws::ChinchillaForm{std::exp(0.6254804),
                                      std::exp(6.255414),
                                      std::exp(7.3049974),
                                      0.3526596,
                                      0.3526596};
  c.r_d_star = 15.387756;
  c.r_n_star = 5.309743;
  return c;
}

// The bar for noise-free recovery.
constexpr double kRecoveryRelTol = 1e-4;
// The noisy fit's 95% intervals span less than this factor (A and B, the
// least determined, span 2.7 and 2.8 at sigma 0.01).
constexpr double kMaxIntervalRatio = 4.0;
// Finite-difference check of the Jet gradient (central differences).
constexpr double kGradientRelTol = 1e-5;

// 6 budgets from 1e18 to 1e21 FLOPs x 8 sizes (N*/6 to 6 N*) x 3
// unique-token budgets: 144 runs from 0.2 to ~600 epochs, inside the
// published fit's range (N 7e6 to 9e9, 1 to 500 epochs).
const std::vector<double> kUniqueTokens{1e8, 1e9, 1e10};
IsoFlopDesign Design(double noise_sigma, std::uint64_t seed) {
  IsoFlopDesign d;
  d.min_flops = 1e18;
  d.max_flops = 1e21;
  d.num_budgets = 6;
  d.sizes_per_budget = 8;
  d.noise_sigma = noise_sigma;
  d.seed = seed;
  return d;
}

std::vector<std::pair<const char*, double>> Values(
    const laws::DataConstrainedConstants& c) {
  return {{"E", c.chinchilla.E},
          {"A", c.chinchilla.A},
          {"B", c.chinchilla.B},
          {"alpha", c.chinchilla.alpha},
          {"beta", c.chinchilla.beta},
          {"R_D_star", c.r_d_star},
          {"R_N_star", c.r_n_star}};
}

TEST(DataConstrainedFitTest, SyntheticRunsRepeatTheirData) {
  const Dataset data = SynthesizeDataConstrainedDataset(
      Published(), Design(0.0, 0), kUniqueTokens);
  ASSERT_EQ(data.points.size(), 144U);
  double min_epochs = std::numeric_limits<double>::infinity();
  double max_epochs = 0.0;
  for (const DataPoint& p : data.points) {
    min_epochs = std::min(min_epochs, p.tokens / p.unique_tokens);
    max_epochs = std::max(max_epochs, p.tokens / p.unique_tokens);
    const laws::DataConstrainedLaw law(Published());
    EXPECT_EQ(p.loss, law.LossRepeated(p.params, p.tokens, {p.unique_tokens}));
  }
  EXPECT_LT(min_epochs, 1.0);
  EXPECT_GT(max_epochs, 100.0);
}

// The objective is exactly Huber of the law's own log loss: 0 at the
// constants that generated noise-free runs.
TEST(DataConstrainedFitTest, ObjectiveVanishesAtTheGeneratingConstants) {
  const Dataset data = SynthesizeDataConstrainedDataset(
      Published(), Design(0.0, 0), kUniqueTokens);
  EXPECT_LT(DataConstrainedObjective(data, Published()), 1e-25);
  laws::DataConstrainedConstants off = Published();
  off.r_d_star *= 1.1;
  EXPECT_GT(DataConstrainedObjective(data, off), 1e-8);
}

// The Jet gradient against central differences, at a point off the optimum.
TEST(DataConstrainedFitTest, GradientMatchesFiniteDifferences) {
  const Dataset data = SynthesizeDataConstrainedDataset(
      Published(), Design(0.01, 3), kUniqueTokens);
  const internal::RepeatedRuns runs = internal::MakeRepeatedRuns(data);
  // delta large enough that every residual is in the quadratic region,
  // where the objective is smooth.
  internal::DataConstrainedObjective objective(runs, 10.0);
  const std::vector<double> x{
      6.0, 7.5, 0.5, 0.3, 0.4, std::log(8.0), std::log(12.0)};
  double cost = 0.0;
  std::vector<double> gradient(7);
  ASSERT_TRUE(objective.Evaluate(x.data(), &cost, gradient.data()));
  for (std::size_t i = 0; i < 7; ++i) {
    const double h = 1e-6 * std::max(1.0, std::fabs(x[i]));
    std::vector<double> up = x;
    std::vector<double> down = x;
    up[i] += h;
    down[i] -= h;
    double f_up = 0.0;
    double f_down = 0.0;
    ASSERT_TRUE(objective.Evaluate(up.data(), &f_up, nullptr));
    ASSERT_TRUE(objective.Evaluate(down.data(), &f_down, nullptr));
    const double numeric = (f_up - f_down) / (2.0 * h);
    EXPECT_NEAR(gradient[i], numeric, kGradientRelTol * std::fabs(numeric))
        << "parameter " << i;
  }
}

TEST(DataConstrainedFitTest, NoiseFreeRunsRecoverThePublishedConstants) {
  const Dataset data = SynthesizeDataConstrainedDataset(
      Published(), Design(0.0, 0), kUniqueTokens);
  const DataConstrainedFit fit = FitDataConstrained(data);
  ASSERT_EQ(fit.status, FitStatus::kConverged) << fit.message;
  EXPECT_EQ(fit.num_starts, 25);
  EXPECT_GT(fit.stage_one_runs, 0);
  const auto truth = Values(Published());
  const auto got = Values(fit.law);
  for (std::size_t i = 0; i < truth.size(); ++i) {
    std::printf("%s: fitted %.10g published %.10g rel %.2e\n",
                truth[i].first,
                got[i].second,
                truth[i].second,
                std::fabs(got[i].second / truth[i].second - 1.0));
    EXPECT_NEAR(
        got[i].second, truth[i].second, kRecoveryRelTol * truth[i].second)
        << truth[i].first;
  }
}

// With log-normal noise (sigma 0.01 in log L, seed 11) the published
// constants lie inside the bootstrap's 95% percentile intervals (100
// resamples, seed 0: enough for a fast test; the default is 4,000).
TEST(DataConstrainedFitTest, PublishedConstantsLieInTheBootstrapIntervals) {
  const Dataset data = SynthesizeDataConstrainedDataset(
      Published(), Design(0.01, 11), kUniqueTokens);
  const DataConstrainedFitOptions options;
  const DataConstrainedFit fit = FitDataConstrained(data, options);
  ASSERT_EQ(fit.status, FitStatus::kConverged) << fit.message;
  BootstrapOptions b;
  b.resamples = 100;
  const BootstrapSummary boot = BootstrapDataConstrained(data, fit, options, b);
  EXPECT_EQ(boot.usable, 100);
  EXPECT_EQ(IdentifiabilityProblems(boot, 2.0), "");
  for (const auto& [name, value] : Values(Published())) {
    const BootstrapEstimate* e = boot.Find(name);
    ASSERT_NE(e, nullptr) << name;
    std::printf(
        "%s: fitted %.6g, 95%% [%.6g, %.6g] (width %.2f%%), "
        "published %.6g\n",
        name,
        e->value,
        e->ci95_low,
        e->ci95_high,
        100.0 * (e->ci95_high - e->ci95_low) / e->value,
        value);
    EXPECT_LE(e->ci95_low, value) << name;
    EXPECT_GE(e->ci95_high, value) << name;
    // The interval is informative: its ends within a factor of each other.
    EXPECT_LT(e->ci95_high, kMaxIntervalRatio * e->ci95_low) << name;
  }
}

// Runs that never repeat their data (U far above every D) cannot measure
// R_D*: the fit is not trusted.
TEST(DataConstrainedFitTest, UniqueDataLeavesTheDecayUnidentified) {
  const Dataset data =
      SynthesizeDataConstrainedDataset(Published(), Design(0.01, 5), {1e15});
  const DataConstrainedFit fit = FitDataConstrained(data);
  EXPECT_EQ(fit.status, FitStatus::kIllPosed);
  EXPECT_NE(fit.message.find("R_D* is not measured"), std::string::npos)
      << fit.message;
}

TEST(DataConstrainedFitTest, BadRunsFailWithAMessage) {
  Dataset data = SynthesizeDataConstrainedDataset(
      Published(), Design(0.0, 0), kUniqueTokens);
  data.points[3].unique_tokens = 0.0;
  const DataConstrainedFit fit = FitDataConstrained(data);
  EXPECT_EQ(fit.status, FitStatus::kFailed);
  EXPECT_NE(fit.message.find("point 4"), std::string::npos) << fit.message;
  data.points[3].unique_tokens = std::numeric_limits<double>::infinity();
  EXPECT_EQ(FitDataConstrained(data).status, FitStatus::kFailed);
  data.points.resize(6);
  data.points[3].unique_tokens = 1e9;
  EXPECT_EQ(FitDataConstrained(data).status, FitStatus::kFailed);
}

}  // namespace
}  // namespace scalesim::fit

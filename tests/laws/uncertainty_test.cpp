// Percentile intervals over a law's bootstrap draws (laws/uncertainty.hpp).
#include "scalesim/laws/uncertainty.hpp"

#include <cmath>
#include <limits>
#include <memory>
#include <vector>

#include <gtest/gtest.h>

namespace scalesim::laws {
namespace {

// Sums of a few doubles, within rounding.
constexpr double kRoundoff = 1e-12;

LawInfo Info() {
  LawInfo i;
  i.name = "drawn";
  i.citation = "test";
  i.dataset = "test";
  i.loss_units = "nats per token";
  return i;
}

// Hoffmann et al. 2022 App. D.2's constants with E replaced by each draw.
Law LawWithDrawsOfE(const std::vector<double>& e) {
  const ChinchillaForm point{1.69, 406.4, 410.7, 0.34, 0.28};
  LawDraws draws;
  draws.resamples = static_cast<std::int64_t>(e.size());
  for (double v : e) {
    ChinchillaForm f = point;
    f.E = v;
    draws.forms.push_back(std::make_shared<ChinchillaLawForm>(f));
  }
  return Law(Info(), std::make_shared<ChinchillaLawForm>(point), draws);
}

TEST(UncertaintyTest, TypeSevenPercentilesOfFiveValues) {
  // n = 5: h = 0.025 * 4 = 0.1 and 0.975 * 4 = 3.9, so the interval is
  // x1 + 0.1 (x2 - x1) and x4 + 0.9 (x5 - x4) of the sorted values
  // 1, 2, 3, 4, 5: [1.1, 4.9].
  const auto i = PercentileInterval(std::vector<double>{3, 1, 5, 2, 4});
  ASSERT_TRUE(i.has_value());
  EXPECT_NEAR(i->low, 1.1, kRoundoff);
  EXPECT_NEAR(i->high, 4.9, kRoundoff);
  EXPECT_EQ(i->used, 5);
  EXPECT_EQ(i->draws, 5);
}

TEST(UncertaintyTest, NonFiniteValuesAreLeftOut) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  // 41 finite values 0..40: h = 0.025 * 40 = 1 and 0.975 * 40 = 39.
  std::vector<double> v{nan, std::numeric_limits<double>::infinity()};
  for (int k = 40; k >= 0; --k) v.push_back(k);
  const auto i = PercentileInterval(v);
  ASSERT_TRUE(i.has_value());
  EXPECT_NEAR(i->low, 1.0, kRoundoff);
  EXPECT_NEAR(i->high, 39.0, kRoundoff);
  EXPECT_EQ(i->used, 41);
  EXPECT_EQ(i->draws, 43);
  EXPECT_FALSE(PercentileInterval(std::vector<double>{nan}).has_value());
  EXPECT_FALSE(PercentileInterval(std::vector<double>{}).has_value());
}

TEST(UncertaintyTest, LossIntervalOfKnownDraws) {
  // Draws of E 1.70, 1.65, 1.75, 1.60, 1.80 (sorted 1.60 ... 1.80): the
  // loss at (N, D) is E + t with t = A/N^alpha + B/D^beta of every draw, so
  // its interval is [1.60 + 0.1 * 0.05, 1.75 + 0.9 * 0.05] + t
  // = [1.605 + t, 1.795 + t].
  const Law law = LawWithDrawsOfE({1.70, 1.65, 1.75, 1.60, 1.80});
  ASSERT_TRUE(law.has_draws());
  ASSERT_EQ(law.draws().size(), 5U);
  const double n = 70e9;
  const double d = 1.4e12;
  const double t = 406.4 / std::pow(n, 0.34) + 410.7 / std::pow(d, 0.28);
  const auto i = PercentileInterval(
      law, [&](const Law& draw) { return draw.loss_law()->Loss(n, d); });
  ASSERT_TRUE(i.has_value());
  EXPECT_NEAR(i->low, 1.605 + t, kRoundoff);
  EXPECT_NEAR(i->high, 1.795 + t, kRoundoff);
  // The point law (E = 1.69) lies inside.
  const double point = law.loss_law()->Loss(n, d);
  EXPECT_LT(i->low, point);
  EXPECT_GT(i->high, point);
}

TEST(UncertaintyTest, DrawsAreLawsWithoutDraws) {
  const Law law = LawWithDrawsOfE({1.60, 1.80});
  const Law draw = law.Draw(1);
  EXPECT_FALSE(draw.has_draws());
  EXPECT_EQ(draw.name(), "drawn");
  ASSERT_NE(draw.chinchilla(), nullptr);
  EXPECT_EQ(draw.chinchilla()->E, 1.80);
  // A law without draws has no interval.
  const Law plain(Info(), ChinchillaForm{1.69, 406.4, 410.7, 0.34, 0.28});
  EXPECT_FALSE(plain.has_draws());
  EXPECT_FALSE(
      PercentileInterval(plain, [](const Law&) { return 1.0; }).has_value());
}

}  // namespace
}  // namespace scalesim::laws

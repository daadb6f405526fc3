#include "scalesim/plan/compare.hpp"

#include <cmath>

#include <gtest/gtest.h>

namespace scalesim::plan {
namespace {

// GPT-2 small's shape in Kaplan's counting: L = 12, d = 768 (d/L = 64),
// N_E = 12 L d^2 = 84,934,656; N_T = N_E + (50,257 + 1,024) d = 124,318,464.
TEST(KaplanCountingTest, RecoversTheNonEmbeddingCountOfAnExactShape) {
  EXPECT_NEAR(KaplanNonEmbeddingFromTotal(124'318'464.0), 84'934'656.0, 1e-3);
}

TEST(KaplanCountingTest, EmbeddingShareFallsWithSize) {
  const double small = KaplanNonEmbeddingFromTotal(1e8) / 1e8;
  const double large = KaplanNonEmbeddingFromTotal(1e12) / 1e12;
  EXPECT_LT(small, 0.75);
  EXPECT_GT(large, 0.999);
}

TEST(KaplanCountingTest, NonPositiveOrInfiniteTotalIsNaN) {
  EXPECT_TRUE(std::isnan(KaplanNonEmbeddingFromTotal(0.0)));
  EXPECT_TRUE(std::isnan(KaplanNonEmbeddingFromTotal(-5.0)));
  EXPECT_TRUE(std::isnan(KaplanNonEmbeddingFromTotal(INFINITY)));
}

}  // namespace
}  // namespace scalesim::plan

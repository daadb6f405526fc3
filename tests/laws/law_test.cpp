// Named laws, published frontiers and the registry.
#include "scalesim/laws/law.hpp"

#include <cmath>
#include <memory>

#include <gtest/gtest.h>

#include "scalesim/core/error.hpp"

namespace scalesim::laws {
namespace {

// Hoffmann et al. 2022 App. D.4 prints Kaplan's optimum at 1e21 FLOPs to
// three significant digits (4.68e9).
constexpr double kThreeSignificantDigits = 5e-3;
constexpr double kRoundoff = 1e-12;

LawInfo Info(const char* name, ParamCount count) {
  LawInfo i;
  i.name = name;
  i.citation = "test";
  i.dataset = "test";
  i.loss_units = "nats per token";
  i.param_count = count;
  return i;
}

KaplanConstants KaplanWithAllocation() {
  // golden-numbers.md: Kaplan et al. 2020, N = 1.3e9 C^0.73, D = 2e10 C^0.27
  // (C_min in PF-days).
  KaplanConstants k;
  k.joint = {0.076, 0.103, 6.4e13, 1.8e13};
  k.allocation = KaplanAllocation{1.3e9, 0.73, 2e10, 0.27};
  return k;
}

TEST(LawTest, FormsAndAccessors) {
  const Law c(Info("c", ParamCount::kTotal),
              ChinchillaForm{1.69, 406.4, 410.7, 0.34, 0.28});
  EXPECT_EQ(c.form_name(), "chinchilla");
  EXPECT_NE(c.closed_form(), nullptr);  // Eq. 4
  ASSERT_NE(c.loss_law(), nullptr);
  ASSERT_NE(c.chinchilla(), nullptr);
  EXPECT_EQ(c.chinchilla()->A, 406.4);
  EXPECT_EQ(c.kaplan(), nullptr);
  EXPECT_FALSE(c.published_allocation().has_value());

  const Law k(Info("k", ParamCount::kNonEmbedding), KaplanWithAllocation());
  EXPECT_EQ(k.form_name(), "kaplan");
  EXPECT_EQ(k.closed_form(), nullptr);
  ASSERT_NE(k.kaplan(), nullptr);
  EXPECT_EQ(k.loss_law(), k.kaplan());
  EXPECT_TRUE(k.published_allocation().has_value());

  const PowerLawFrontier f{5.76e23, 67e9, 5.76e23 / (6 * 67e9), 0.5, 0.5};
  const Law fr(Info("f", ParamCount::kTotal), f);
  EXPECT_EQ(fr.form_name(), "frontier");
  EXPECT_EQ(fr.loss_law(), nullptr);
  ASSERT_NE(fr.frontier(), nullptr);
  EXPECT_EQ(fr.published_allocation()->params_at_anchor, 67e9);
  EXPECT_EQ(LawFormNames(),
            (std::vector<std::string>{
                "chinchilla", "kaplan", "frontier", "data_constrained"}));
}

// Copies share their immutable form: a copy stays valid after the original
// is gone (no pointer into a destroyed law).
TEST(LawTest, CopiesOutliveTheOriginal) {
  auto a =
      std::make_unique<Law>(Info("a", ParamCount::kTotal),
                            ChinchillaForm{1.69, 406.4, 410.7, 0.34, 0.28});
  const double loss = a->loss_law()->Loss(70e9, 1.4e12);
  const Law b = *a;
  a.reset();
  ASSERT_NE(b.loss_law(), nullptr);
  EXPECT_EQ(b.loss_law()->Loss(70e9, 1.4e12), loss);
}

TEST(FrontierTest, KaplanAllocationAtHoffmannsBudget) {
  // golden-numbers.md + Hoffmann et al. 2022 App. D.4: at 1e21 FLOPs Kaplan
  // et al. predict a 4.68e9-parameter model (with C = 2 C_min).
  const PowerLawFrontier f =
      FrontierFromKaplanAllocation(*KaplanWithAllocation().allocation);
  EXPECT_NEAR(f.OptimalParams(1e21) / 4.68e9, 1.0, kThreeSignificantDigits);
  // At C_min = 1 PF-day (C = 2 * 8.64e19 FLOPs) the coefficients themselves.
  EXPECT_NEAR(f.OptimalParams(2 * 8.64e19), 1.3e9, 1.3e9 * kRoundoff);
  EXPECT_NEAR(f.OptimalTokens(2 * 8.64e19), 2e10, 2e10 * kRoundoff);
}

TEST(FrontierTest, FlopsForOptimalParamsInvertsOptimalParams) {
  const PowerLawFrontier f{6.88e23, 67e9, 6.88e23 / (6 * 67e9), 0.49, 0.51};
  for (double c : {1e19, 5.76e23, 1e28}) {
    EXPECT_NEAR(f.FlopsForOptimalParams(f.OptimalParams(c)) / c, 1.0, 1e-12);
  }
  // a + b = 1 and D0 = C0/(6 N0): 6 N D = C at every budget.
  for (double c : {1e19, 1e25}) {
    EXPECT_NEAR(6 * f.OptimalParams(c) * f.OptimalTokens(c) / c, 1.0, 1e-12);
  }
}

TEST(LawRegistryTest, AddFindAndDuplicates) {
  LawRegistry r;
  r.Add(Law(Info("one", ParamCount::kTotal), ChinchillaForm{1, 2, 3, 0.3, 0.3}),
        "a.json");
  r.Add(Law(Info("two", ParamCount::kNonEmbedding), KaplanWithAllocation()),
        "b.json");
  ASSERT_NE(r.Find("two"), nullptr);
  EXPECT_EQ(r.Find("two")->form_name(), "kaplan");
  EXPECT_EQ(r.Find("three"), nullptr);
  EXPECT_EQ(r.Names(), (std::vector<std::string>{"one", "two"}));
  try {
    r.Add(
        Law(Info("one", ParamCount::kTotal), ChinchillaForm{1, 2, 3, 0.3, 0.3}),
        "c.json");
    FAIL() << "duplicate accepted";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.where().source, "c.json");
    EXPECT_NE(std::string(e.what()).find("'one' exists already"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace scalesim::laws

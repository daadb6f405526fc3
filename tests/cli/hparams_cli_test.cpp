// End-to-end runs of `scalesim hparams`.
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/cli_test_support.hpp"
#include "test_support.hpp"

namespace scalesim::testing {
namespace {

// Hand values quoted to 5 significant digits.
constexpr double kFiveDigits = 5e-5;

double Relative(double got, double want) {
  return std::fabs(got - want) / std::fabs(want);
}

nlohmann::json Json(const std::vector<std::string>& args) {
  std::vector<std::string> all = {"hparams"};
  all.insert(all.end(), args.begin(), args.end());
  all.insert(all.end(), {"--format", "json"});
  const CliResult r = RunInMemory(all);
  EXPECT_EQ(r.code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

TEST(HparamsCliTest, DeepSeekAtABudget) {
  // DeepSeek-AI 2024 Eq. 1 at C = 1e20: eta = 0.3118 x 10^-2.5 = 9.8600e-4,
  // B = 0.2920 x 10^6.542 = 1.01714e6 tokens = 248.3 sequences of 4096.
  const auto doc =
      Json({"--flops", "1e20", "--law", "deepseek2024_hyperparameters"});
  const auto& row = doc["tables"]["hyperparameters"][0];
  EXPECT_LT(Relative(row["peak_learning_rate"].get<double>(), 9.8600e-4),
            kFiveDigits);
  EXPECT_LT(Relative(row["batch_tokens"].get<double>(), 1.01714e6),
            kFiveDigits);
  EXPECT_LT(Relative(row["batch_sequences"].get<double>(), 1.01714e6 / 4096),
            kFiveDigits);
  EXPECT_EQ(row["in_fitted_range"], "no");  // fitted on 1e17 to 2e19
}

TEST(HparamsCliTest, EveryLawSideBySide) {
  // N = 1e9, D = 1e11 (Li et al. 2025 Step law: B = 0.58 x 10^6.281 =
  // 1.1077e6 tokens, 540.9 sequences of 2048, eta = 1.6325e-3).
  const auto doc =
      Json({"--params", "1e9", "--tokens", "1e11", "--seq-len", "2048"});
  const auto& t = doc["tables"];
  ASSERT_EQ(t["hyperparameters"].size(), 2U);
  const auto& step = t["hyperparameters"][1];
  EXPECT_EQ(step["law"], "li2025_step_law");
  EXPECT_LT(Relative(step["batch_sequences"].get<double>(), 540.9), 1e-4);
  EXPECT_LT(Relative(step["steps"].get<double>(), 1e11 / 1.1077e6), 1e-4);
  ASSERT_EQ(t["critical_batch"].size(), 1U);
  EXPECT_EQ(t["critical_batch"][0]["loss_from"], "kaplan2020 L(N, D)");
  // B_crit x 1 costs twice the minimum steps and compute (Eq. 5.1).
  const auto& at_critical = t["batch_tradeoff"][2];
  EXPECT_EQ(at_critical["steps_over_minimum"].get<double>(), 2.0);
  EXPECT_EQ(at_critical["compute_over_minimum"].get<double>(), 2.0);
  EXPECT_EQ(t["flops_per_token_allocation"].size(), 1U);
  EXPECT_EQ(t["run"][0]["training_flops"].get<double>(), 6e20);
}

TEST(HparamsCliTest, CriticalBatchAtAGivenLoss) {
  // Kaplan et al. 2020 Eqs. 1.4, 5.3: L = 3 nats gives 2e8 / 187.07 =
  // 1.0691e6 tokens.
  const auto doc = Json({"--flops",
                         "1e20",
                         "--law",
                         "kaplan2020_critical_batch",
                         "--target-loss",
                         "3"});
  const auto& row = doc["tables"]["critical_batch"][0];
  EXPECT_LT(Relative(row["critical_batch_tokens"].get<double>(), 1.0691e6),
            kFiveDigits);
  EXPECT_EQ(row["loss_from"], "--target-loss");
}

TEST(HparamsCliTest, HelpExamplesRun) {
  const CliResult help = RunInMemory({"hparams", "--help"});
  ASSERT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("Examples:"), std::string::npos);
  for (const std::vector<std::string>& example :
       std::vector<std::vector<std::string>>{{"hparams", "--flops", "1e21"},
                                             {"hparams",
                                              "--params",
                                              "1e9",
                                              "--tokens",
                                              "1e11",
                                              "--seq-len",
                                              "2048"},
                                             {"hparams",
                                              "--preset",
                                              "llama2-7b",
                                              "--tokens",
                                              "2e12",
                                              "--law",
                                              "deepseek2024_hyperparameters",
                                              "--law",
                                              "kaplan2020_critical_batch"},
                                             {"hparams",
                                              "--flops",
                                              "1e20",
                                              "--law",
                                              "kaplan2020_critical_batch",
                                              "--target-loss",
                                              "3",
                                              "--format",
                                              "json"},
                                             {"loss",
                                              "--params",
                                              "6.34e9",
                                              "--tokens",
                                              "242e9",
                                              "--unique-tokens",
                                              "25e9",
                                              "100e9"},
                                             {"optimal",
                                              "--flops",
                                              "9.3e21",
                                              "--unique-tokens",
                                              "25e9",
                                              "--law",
                                              "muennighoff2023"}}) {
    SCOPED_TRACE(example[0] + " " + example[1]);
    const CliResult r = RunInMemory(example);
    EXPECT_EQ(r.code, 0) << r.err;
  }
}

TEST(HparamsCliTest, ArchitectureGivesDeepSeeksFlopsPerToken) {
  // llama2-7b: 32 layers, d_model 4096, 4096 tokens: M = 72 x 32 x 4096^2 +
  // 12 x 32 x 4096^2 = 45,097,156,608 (DeepSeek Eq. 2).
  const auto doc = Json({"--preset",
                         "llama2-7b",
                         "--tokens",
                         "2e12",
                         "--law",
                         "deepseek2024_hyperparameters"});
  EXPECT_EQ(doc["tables"]["run"][0]["flops_per_token"].get<double>(),
            45097156608.0);
  EXPECT_EQ(
      doc["tables"]["hyperparameters"][0]["law_budget_flops"].get<double>(),
      45097156608.0 * 2e12);
}

}  // namespace
}  // namespace scalesim::testing

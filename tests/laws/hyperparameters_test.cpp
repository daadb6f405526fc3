// The hyperparameter forms against hand-computed values of their published
// constants (DeepSeek-AI 2024 Eqs. 1, 2, 4; Kaplan et al. 2020 Eqs. 1.4,
// 5.1-5.5; Li et al. 2025), and the report's run logic.
#include "scalesim/laws/hyperparameters.hpp"

#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "scalesim/core/error.hpp"
#include "scalesim/laws/hyperparameter_report.hpp"
#include "scalesim/laws/kaplan.hpp"

namespace scalesim::laws {
namespace {

// Hand values quoted to 5 significant digits.
constexpr double kFiveDigits = 5e-5;
// Identities that hold to rounding.
constexpr double kRoundoff = 1e-12;

double Relative(double got, double want) {
  return std::fabs(got - want) / std::fabs(want);
}

std::shared_ptr<const HyperparameterForm> Form(
    const std::string& name, std::map<std::string, double, std::less<>> c) {
  ConstantReader reader(std::move(c), "test");
  return MakeHyperparameterForm(name, reader);
}

// DeepSeek-AI 2024 Sec. 3.1 Eq. 1.
std::shared_ptr<const HyperparameterForm> DeepSeekEq1() {
  return Form("compute_power_law",
              {{"lr_coefficient", 0.3118},
               {"lr_exponent", -0.1250},
               {"batch_coefficient", 0.2920},
               {"batch_exponent", 0.3271}});
}

TrainingRun Budget(double c) {
  TrainingRun r;
  r.training_flops = c;
  return r;
}

TEST(HyperparameterFormTest, DeepSeekEq1AtTwoBudgets) {
  const auto f = DeepSeekEq1();
  // C = 1e20: C^-0.125 = 10^-2.5 = 1/(100 sqrt 10), so eta = 0.3118 /
  // 316.22777 = 9.8600e-4; C^0.3271 = 10^6.542 = 3.48337e6, so B = 0.2920 x
  // 3.48337e6 = 1.01714e6 tokens.
  HyperparameterPrediction p = f->Predict(Budget(1e20));
  EXPECT_LT(Relative(p.peak_learning_rate, 0.3118 / (100 * std::sqrt(10.0))),
            kRoundoff);
  EXPECT_LT(Relative(p.peak_learning_rate, 9.8600e-4), kFiveDigits);
  EXPECT_LT(Relative(p.batch_tokens, 1.01714e6), kFiveDigits);
  // C = 1e17: 10^-2.125 = 7.49894e-3, eta = 2.33817e-3; 10^5.5607 =
  // 3.63659e5, B = 1.06188e5 tokens.
  p = f->Predict(Budget(1e17));
  EXPECT_LT(Relative(p.peak_learning_rate, 2.33817e-3), kFiveDigits);
  EXPECT_LT(Relative(p.batch_tokens, 1.06188e5), kFiveDigits);
}

TEST(HyperparameterFormTest, DeepSeekBudgetIsMTimesD) {
  // Eq. 2 for DeepSeek LLM 7B (Table 2: 30 layers, d_model 4096, 4096
  // tokens): 72 x 30 x 4096^2 + 12 x 30 x 4096^2 = 42,278,584,320; Table 3's
  // (8, 512, 4096) row: 352,321,536 (352M).
  EXPECT_EQ(DeepSeekFlopsPerToken(30, 4096, 4096), 42278584320.0);
  EXPECT_EQ(DeepSeekFlopsPerToken(8, 512, 4096), 352321536.0);
  // Over 2e12 tokens, C = M D = 8.4557e22: eta = 4.246e-4 (Table 2 uses
  // 4.2e-4), B = 9.2226e6 tokens (Table 2: 2304 x 4096 = 9.4372e6).
  TrainingRun run;
  run.tokens = 2e12;
  run.flops_per_token = DeepSeekFlopsPerToken(30, 4096, 4096);
  run.training_flops = 6 * 6.9e9 * 2e12;  // C = 6ND: not what DeepSeek count
  const HyperparameterPrediction p = DeepSeekEq1()->Predict(run);
  EXPECT_EQ(p.law_budget, 42278584320.0 * 2e12);
  EXPECT_LT(Relative(p.peak_learning_rate, 4.246e-4), 5e-4);
  EXPECT_LT(Relative(p.batch_tokens, 9.2226e6), kFiveDigits);
}

TEST(HyperparameterFormTest, DeepSeekEq4Allocation) {
  // Sec. 3.2 Eq. 4 at C = 1e20: M_opt = 0.1715 x 10^10.486 = 5.2513e9
  // FLOPs/token, D_opt = 5.8316 x 10^9.514 = 1.9045e10 tokens;
  // M_opt D_opt = 1.00012 C (M_base D_base = 1.00012, a + b = 1).
  const auto f = Form("flops_per_token_allocation",
                      {{"m_base", 0.1715},
                       {"m_exponent", 0.5243},
                       {"d_base", 5.8316},
                       {"d_exponent", 0.4757}});
  const HyperparameterPrediction p = f->Predict(Budget(1e20));
  EXPECT_LT(Relative(p.optimal_flops_per_token, 5.2513e9), kFiveDigits);
  EXPECT_LT(Relative(p.optimal_tokens, 1.9045e10), kFiveDigits);
  EXPECT_LT(Relative(p.optimal_flops_per_token * p.optimal_tokens,
                     0.1715 * 5.8316 * 1e20),
            1e-9);
}

TEST(HyperparameterFormTest, KaplanCriticalBatchByHand) {
  // Eqs. 1.4, 5.3 with B* = 2e8, alpha_B = 0.21: at L = 3 nats 3^(1/0.21)
  // = e^(4.7619 x 1.098612) = e^5.231488 = 187.07, B_crit = 1.0691e6
  // tokens; at L = 2, 2^4.7619 = 27.13, B_crit = 7.3715e6.
  const auto f =
      Form("critical_batch", {{"b_star_tokens", 2e8}, {"alpha_b", 0.21}});
  TrainingRun run;
  run.loss = 3.0;
  EXPECT_LT(Relative(f->Predict(run).critical_batch_tokens, 1.0691e6),
            kFiveDigits);
  run.loss = 2.0;
  EXPECT_LT(Relative(f->Predict(run).critical_batch_tokens, 7.3715e6),
            kFiveDigits);
}

TEST(HyperparameterFormTest, McCandlishTradeoff) {
  // Kaplan Eq. 5.1: (S/S_min - 1)(E/E_min - 1) = 1; at B = B_crit/4 the run
  // takes 5 S_min and 1.25 E_min, at B_crit 2 and 2, at 4 B_crit 1.25 and 5.
  const double bc = 1.0691e6;
  EXPECT_DOUBLE_EQ(StepsOverMinimum(bc / 4, bc), 5.0);
  EXPECT_DOUBLE_EQ(TokensOverMinimum(bc / 4, bc), 1.25);
  EXPECT_DOUBLE_EQ(StepsOverMinimum(bc, bc), 2.0);
  EXPECT_DOUBLE_EQ(TokensOverMinimum(4 * bc, bc), 5.0);
  for (double b : {1e4, 3e5, 1e6, 7e7}) {
    EXPECT_NEAR((StepsOverMinimum(b, bc) - 1) * (TokensOverMinimum(b, bc) - 1),
                1.0,
                kRoundoff);
  }
}

TEST(HyperparameterFormTest, StepLaw) {
  // Li et al. 2025: N = 1e9, D = 1e11: eta = 1.79 x 10^(-6.417 + 3.377) =
  // 1.6325e-3, B = 0.58 x 10^6.281 = 1.1077e6 tokens.
  const auto f = Form("params_tokens_power_law",
                      {{"lr_coefficient", 1.79},
                       {"lr_params_exponent", -0.713},
                       {"lr_tokens_exponent", 0.307},
                       {"batch_coefficient", 0.58},
                       {"batch_tokens_exponent", 0.571}});
  TrainingRun run;
  run.params = 1e9;
  run.tokens = 1e11;
  const HyperparameterPrediction p = f->Predict(run);
  EXPECT_LT(Relative(p.peak_learning_rate, 1.6325e-3), 1e-4);
  EXPECT_LT(Relative(p.batch_tokens, 1.1077e6), 1e-4);
}

TEST(HyperparameterFormTest, BadConstants) {
  EXPECT_THROW(Form("cubic", {}), InvalidInput);
  EXPECT_THROW(Form("critical_batch", {{"b_star_tokens", 2e8}}), InvalidInput);
  EXPECT_THROW(Form("critical_batch",
                    {{"b_star_tokens", 2e8}, {"alpha_b", 0.21}, {"beta", 1.0}}),
               InvalidInput);
  EXPECT_THROW(
      Form("critical_batch", {{"b_star_tokens", -2e8}, {"alpha_b", 0.21}}),
      InvalidInput);
}

std::vector<HyperparameterLaw> Laws() {
  HyperparameterLawInfo deepseek;
  deepseek.name = "deepseek";
  HyperparameterLawInfo allocation;
  allocation.name = "allocation";
  HyperparameterLawInfo step;
  step.name = "step";
  step.param_count = ParamCount::kNonEmbedding;
  HyperparameterLawInfo kaplan;
  kaplan.name = "kaplan";
  KaplanConstants k;
  k.joint = {0.076, 0.103, 6.4e13, 1.8e13};  // Kaplan et al. 2020 Table 2
  kaplan.loss_law = Law(LawInfo{}, k);
  return {
      HyperparameterLaw(deepseek, DeepSeekEq1()),
      HyperparameterLaw(allocation,
                        Form("flops_per_token_allocation",
                             {{"m_base", 0.1715},
                              {"m_exponent", 0.5243},
                              {"d_base", 5.8316},
                              {"d_exponent", 0.4757}})),
      HyperparameterLaw(step,
                        Form("params_tokens_power_law",
                             {{"lr_coefficient", 1.79},
                              {"lr_params_exponent", -0.713},
                              {"lr_tokens_exponent", 0.307},
                              {"batch_coefficient", 0.58},
                              {"batch_tokens_exponent", 0.571}})),
      HyperparameterLaw(
          kaplan,
          Form("critical_batch", {{"b_star_tokens", 2e8}, {"alpha_b", 0.21}})),
  };
}

TEST(HyperparameterReportTest, ParamsAndTokensGiveTheBudget) {
  const std::vector<HyperparameterLaw> laws = Laws();
  HyperparameterQuery q;
  q.params = 1e9;
  q.tokens = 1e11;
  q.seq_len = 2048;
  const HyperparameterReport r = Hyperparameters(laws, q, false);
  EXPECT_EQ(r.run.training_flops, 6e20);
  ASSERT_EQ(r.batches.size(), 2U);
  // Without an architecture DeepSeek's C = M D takes M = 6 N.
  EXPECT_EQ(r.batches[0].prediction.law_budget, 6e20);
  // Step law: B = 1.1077e6 tokens = 540.9 sequences of 2048, D/B steps.
  EXPECT_LT(Relative(r.batches[1].prediction.batch_tokens / 2048, 540.9), 1e-4);
  ASSERT_EQ(r.critical_batches.size(), 1U);
  // The critical batch at Kaplan's L(N, D) (Eq. 1.5 with Table 2).
  const double loss = laws[3].info().loss_law->loss_law()->Loss(1e9, 1e11);
  EXPECT_EQ(r.critical_batches[0].loss, loss);
  EXPECT_EQ(r.critical_batches[0].critical_batch_tokens,
            2e8 / std::pow(loss, 1 / 0.21));
  // Six multiples of B_crit and the two laws' B_opt.
  EXPECT_EQ(r.tradeoffs.size(), 8U);
  ASSERT_EQ(r.allocations.size(), 1U);
}

TEST(HyperparameterReportTest, BudgetAloneTakesTheAllocation) {
  const std::vector<HyperparameterLaw> laws = Laws();
  HyperparameterQuery q;
  q.flops = 1e20;
  const HyperparameterReport r = Hyperparameters(laws, q, false);
  EXPECT_LT(Relative(r.run.tokens, 1.9045e10), kFiveDigits);
  EXPECT_LT(Relative(r.run.flops_per_token, 5.2513e9), kFiveDigits);
  EXPECT_DOUBLE_EQ(r.run.params, 1e20 / (6 * r.run.tokens));
  EXPECT_EQ(r.batches.size(), 2U);
}

TEST(HyperparameterReportTest, LawsOutsideTheirInput) {
  const std::vector<HyperparameterLaw> all = Laws();
  HyperparameterQuery q;
  q.flops = 1e20;
  // Without the allocation law a budget alone gives neither N nor D: the
  // step law and the critical batch are skipped, or bad input when named.
  const std::vector<HyperparameterLaw> no_allocation = {all[0], all[2], all[3]};
  const HyperparameterReport r = Hyperparameters(no_allocation, q, false);
  EXPECT_EQ(r.batches.size(), 1U);
  EXPECT_TRUE(r.critical_batches.empty());
  EXPECT_THROW(Hyperparameters({all[2]}, q, true), InvalidInput);
  EXPECT_THROW(Hyperparameters({all[3]}, q, true), InvalidInput);
  // With the loss given, the critical batch answers.
  q.target_loss = 3.0;
  const HyperparameterReport c = Hyperparameters({all[3]}, q, true);
  ASSERT_EQ(c.critical_batches.size(), 1U);
  EXPECT_LT(Relative(c.critical_batches[0].critical_batch_tokens, 1.0691e6),
            kFiveDigits);
  // No run, or an over-described one.
  EXPECT_THROW(Hyperparameters(all, HyperparameterQuery{}, false),
               InvalidInput);
  q.params = 1e9;
  q.tokens = 1e11;
  EXPECT_THROW(Hyperparameters(all, q, false), InvalidInput);
}

}  // namespace
}  // namespace scalesim::laws

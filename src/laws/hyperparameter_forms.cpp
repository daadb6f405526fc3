// The hyperparameter forms (hyperparameters.hpp): a class (or a factory of
// a shared class) each and one registration line in HyperparameterForms()
// at the end of this file.
#include <array>
#include <cmath>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "scalesim/laws/hyperparameters.hpp"
#include "scalesim/laws/law_form.hpp"

namespace scalesim::laws {
namespace {

// A run's budget as DeepSeek counts it, C = M D; M = 6 N without Eq. 2's M.
double BudgetInFlopsPerToken(const TrainingRun& run) {
  if (std::isnan(run.flops_per_token) || std::isnan(run.tokens))
    return run.training_flops;
  return run.flops_per_token * run.tokens;
}

// Two power laws of the budget C = M D: first = c1 C^e1, second =
// c2 C^e2, put into the prediction by `store`. DeepSeek-AI 2024 uses the
// pair twice: Eq. 1 (learning rate and batch) and Eq. 4 (M and D).
class BudgetPowerPair final : public HyperparameterForm {
 public:
  using Store = void (*)(HyperparameterPrediction&, double, double);
  // names: c1, e1, c2, e2 as the law file spells them.
  BudgetPowerPair(std::string_view name,
                  std::array<std::string_view, 4> names,
                  std::array<double, 4> k,
                  Store store)
      : name_(name), names_(names), k_(k), store_(store) {}

  std::string_view name() const override { return name_; }
  std::vector<Constant> constants() const override {
    std::vector<Constant> out;
    for (std::size_t i = 0; i < 4; ++i)
      out.push_back({std::string(names_[i]), k_[i]});
    return out;
  }
  RunInput input() const override { return RunInput::kBudget; }
  HyperparameterPrediction Predict(const TrainingRun& run) const override {
    HyperparameterPrediction p;
    p.law_budget = BudgetInFlopsPerToken(run);
    store_(p,
           k_[0] * std::pow(p.law_budget, k_[1]),
           k_[2] * std::pow(p.law_budget, k_[3]));
    return p;
  }

 private:
  std::string_view name_;
  std::array<std::string_view, 4> names_;
  std::array<double, 4> k_;
  Store store_;
};

// DeepSeek-AI 2024 Eq. 1: eta_opt = c_eta C^e_eta, B_opt = c_B C^e_B.
std::shared_ptr<const HyperparameterForm> MakeComputePowerLaw(
    ConstantReader& c) {
  return std::make_shared<BudgetPowerPair>(
      "compute_power_law",
      std::array<std::string_view, 4>{"lr_coefficient",
                                      "lr_exponent",
                                      "batch_coefficient",
                                      "batch_exponent"},
      std::array<double, 4>{c.Positive("lr_coefficient"),
                            c.Finite("lr_exponent"),
                            c.Positive("batch_coefficient"),
                            c.Finite("batch_exponent")},
      [](HyperparameterPrediction& p, double lr, double batch) {
        p.peak_learning_rate = lr;
        p.batch_tokens = batch;
      });
}

// Li et al. 2025 (Step Law): eta_opt = c_eta N^a D^b, B_opt = c_B D^e_B.
class ParamsTokensPowerLaw final : public HyperparameterForm {
 public:
  ParamsTokensPowerLaw(
      double lr_c, double lr_n, double lr_d, double batch_c, double batch_d)
      : lr_c_(lr_c),
        lr_n_(lr_n),
        lr_d_(lr_d),
        batch_c_(batch_c),
        batch_d_(batch_d) {}

  std::string_view name() const override { return "params_tokens_power_law"; }
  std::vector<Constant> constants() const override {
    return {{"lr_coefficient", lr_c_},
            {"lr_params_exponent", lr_n_},
            {"lr_tokens_exponent", lr_d_},
            {"batch_coefficient", batch_c_},
            {"batch_tokens_exponent", batch_d_}};
  }
  RunInput input() const override { return RunInput::kParamsAndTokens; }
  HyperparameterPrediction Predict(const TrainingRun& run) const override {
    HyperparameterPrediction p;
    p.law_budget = run.training_flops;
    p.peak_learning_rate =
        lr_c_ * std::pow(run.params, lr_n_) * std::pow(run.tokens, lr_d_);
    p.batch_tokens = batch_c_ * std::pow(run.tokens, batch_d_);
    return p;
  }
  static std::shared_ptr<const HyperparameterForm> Make(ConstantReader& c) {
    return std::make_shared<ParamsTokensPowerLaw>(
        c.Positive("lr_coefficient"),
        c.Finite("lr_params_exponent"),
        c.Finite("lr_tokens_exponent"),
        c.Positive("batch_coefficient"),
        c.Finite("batch_tokens_exponent"));
  }

 private:
  double lr_c_, lr_n_, lr_d_, batch_c_, batch_d_;
};

// Kaplan et al. 2020 Eqs. 1.4 / 5.3: B_crit(L) = B* / L^(1/alpha_B).
class CriticalBatch final : public HyperparameterForm {
 public:
  CriticalBatch(double b_star, double alpha_b)
      : b_star_(b_star), alpha_b_(alpha_b) {}

  std::string_view name() const override { return "critical_batch"; }
  std::vector<Constant> constants() const override {
    return {{"b_star_tokens", b_star_}, {"alpha_b", alpha_b_}};
  }
  RunInput input() const override { return RunInput::kLoss; }
  HyperparameterPrediction Predict(const TrainingRun& run) const override {
    HyperparameterPrediction p;
    p.critical_batch_tokens = b_star_ / std::pow(run.loss, 1.0 / alpha_b_);
    return p;
  }
  static std::shared_ptr<const HyperparameterForm> Make(ConstantReader& c) {
    return std::make_shared<CriticalBatch>(c.Positive("b_star_tokens"),
                                           c.Positive("alpha_b"));
  }

 private:
  double b_star_, alpha_b_;
};

// DeepSeek-AI 2024 Eq. 4: M_opt = M_base C^a, D_opt = D_base C^b, C = M D.
std::shared_ptr<const HyperparameterForm> MakeFlopsPerTokenAllocation(
    ConstantReader& c) {
  return std::make_shared<BudgetPowerPair>(
      "flops_per_token_allocation",
      std::array<std::string_view, 4>{
          "m_base", "m_exponent", "d_base", "d_exponent"},
      std::array<double, 4>{c.Positive("m_base"),
                            c.Positive("m_exponent"),
                            c.Positive("d_base"),
                            c.Positive("d_exponent")},
      [](HyperparameterPrediction& p, double m, double d) {
        p.optimal_flops_per_token = m;
        p.optimal_tokens = d;
      });
}

}  // namespace

const std::vector<HyperparameterFormEntry>& HyperparameterForms() {
  static const std::vector<HyperparameterFormEntry> kForms = {
      {"compute_power_law",
       "eta = c C^e, B = c_B C^e_B with C = M D (DeepSeek-AI 2024 Eq. 1)",
       &MakeComputePowerLaw},
      {"params_tokens_power_law",
       "eta = c N^a D^b, B = c_B D^e_B (Li et al. 2025, Step Law)",
       &ParamsTokensPowerLaw::Make},
      {"critical_batch",
       "B_crit = B* / L^(1/alpha_B) (Kaplan et al. 2020 Eqs. 1.4, 5.3)",
       &CriticalBatch::Make},
      {"flops_per_token_allocation",
       "M_opt = M_base C^a, D_opt = D_base C^b with C = M D (DeepSeek-AI "
       "2024 Eq. 4)",
       &MakeFlopsPerTokenAllocation},
  };
  return kForms;
}

}  // namespace scalesim::laws

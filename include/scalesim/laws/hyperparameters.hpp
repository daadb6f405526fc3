// Hyperparameter laws: the batch size, peak learning rate and critical batch
// of a training run as power laws of its budget, size, data or loss, and
// allocations in FLOPs per token. They predict no loss, so they are not
// LawForms: a registry of their own (HyperparameterForms(), one class plus
// one registration line in src/laws/hyperparameter_forms.cpp) and data
// files of their own (data/hparams/*.json, io::BuiltinHyperparameterLaws;
// `scalesim hparams`). Each law file names its form, its budget and unit
// conventions, its fitted range and its source.
//
// Built-in forms:
//   compute_power_law        eta_opt = c_eta C^e_eta, B_opt = c_B C^e_B,
//                            C = M D (DeepSeek-AI 2024 Eq. 1)
//   params_tokens_power_law  eta_opt = c_eta N^a D^b, B_opt = c_B D^e_B
//                            (Li et al. 2025, Step Law)
//   critical_batch           B_crit(L) = B* / L^(1/alpha_B) (Kaplan et al.
//                            2020 Eqs. 1.4, 5.3), with the S_min / E_min
//                            trade-off below (Eqs. 5.1, 5.4, 5.5)
//   flops_per_token_allocation  M_opt = M_base C^a, D_opt = D_base C^b,
//                            C = M D (DeepSeek-AI 2024 Eq. 4)
//
// Built-in laws (data/hparams/; sources also in data/README.md):
//   deepseek2024_hyperparameters  eta_opt = 0.3118 C^-0.1250, B_opt =
//       0.2920 C^0.3271 (tokens), C = M D with M of Eq. 2 (DeepSeek-AI 2024,
//       arXiv:2401.02954, Sec. 3.1 Eq. 1); fitted on 1e17-2e19 FLOPs.
//   deepseek2024_allocation  M_opt = 0.1715 C^0.5243 (FLOPs per token),
//       D_opt = 5.8316 C^0.4757 (ibid. Sec. 3.2 Eq. 4, Table 4); 1e17-3e20.
//   kaplan2020_critical_batch  B* = 2e8 tokens, alpha_B = 0.21 (Kaplan et
//       al. 2020, arXiv:2001.08361, Eqs. 1.4 and 5.3; Table 5 prints 2.1e8),
//       L in nats on WebText2 (the kaplan2020 loss law).
//   li2025_step_law  eta_opt = 1.79 N^-0.713 D^0.307, B_opt = 0.58 D^0.571
//       (tokens), N non-embedding (Li et al. 2025, arXiv:2503.04715; checked
//       against the authors' released bootstrap fit, github:step-law/steplaw).
#ifndef SCALESIM_LAWS_HYPERPARAMETERS_HPP_
#define SCALESIM_LAWS_HYPERPARAMETERS_HPP_

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scalesim/laws/law.hpp"
#include "scalesim/laws/law_form.hpp"
#include "scalesim/laws/loss_law.hpp"

namespace scalesim::laws {

// DeepSeek-AI 2024 (arXiv:2401.02954) Eq. 2: the non-embedding FLOPs per
// token M = 72 n_layer d_model^2 + 12 n_layer d_model l_seq, attention
// included, the vocabulary excluded, so that a budget is C = M D (Sec.
// 3.2). The 72 n_layer d_model^2 term is 6 N for Kaplan's N = 12 n_layer
// d_model^2 (dense, multi-head attention, d_ff = 4 d_model).
double DeepSeekFlopsPerToken(std::int64_t n_layers,
                             std::int64_t d_model,
                             std::int64_t seq_len);

// The McCandlish et al. 2018 trade-off as Kaplan et al. 2020 states it:
// (S/S_min - 1)(E/E_min - 1) = 1 (Eq. 5.1) with B_crit = E_min/S_min
// (Eq. 5.2), i.e. S = S_min (1 + B_crit/B) (Eq. 5.4) and
// E = E_min (1 + B/B_crit), C = C_min (1 + B/B_crit) (Eq. 5.5): training at
// batch B takes StepsOverMinimum times the fewest steps and
// TokensOverMinimum times the least data (and compute) that reach the same
// loss. At B = B_crit both are 2.
double StepsOverMinimum(double batch_tokens, double critical_batch_tokens);
double TokensOverMinimum(double batch_tokens, double critical_batch_tokens);

constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();

// One training run as a hyperparameter law reads it; NaN where unknown.
struct TrainingRun {
  double params = kUnknown;          // N, in the law's parameter count
  double tokens = kUnknown;          // D
  double training_flops = kUnknown;  // C = 6 N D
  // M (DeepSeek Eq. 2) for laws whose budget is C = M D; NaN: 6 N.
  double flops_per_token = kUnknown;
  double loss = kUnknown;  // the loss the run reaches, in the law's units
};

// What a law predicts for a run; NaN where the form gives nothing.
struct HyperparameterPrediction {
  double batch_tokens = kUnknown;             // B_opt, tokens per step
  double peak_learning_rate = kUnknown;       // eta_opt
  double critical_batch_tokens = kUnknown;    // B_crit
  double optimal_flops_per_token = kUnknown;  // M_opt (an allocation)
  double optimal_tokens = kUnknown;           // D_opt (an allocation)
  double law_budget = kUnknown;  // C as the law counts it (C = M D)
};

// What a form reads of a run.
enum class RunInput {
  kBudget,           // C (as M D: DeepSeek)
  kParamsAndTokens,  // N and D
  kLoss,             // L
};
// "the budget C", "N and D", "the loss L" (for messages).
std::string_view Describe(RunInput input);

class HyperparameterForm {
 public:
  virtual ~HyperparameterForm() = default;
  // The registry key and the spelling of law files.
  virtual std::string_view name() const = 0;
  // The constants as the law file holds them.
  virtual std::vector<Constant> constants() const = 0;
  virtual RunInput input() const = 0;
  // The prediction for a run that has input(): NaN fields the form does
  // not give.
  virtual HyperparameterPrediction Predict(const TrainingRun& run) const = 0;
};

using HyperparameterFormFactory =
    std::shared_ptr<const HyperparameterForm> (*)(ConstantReader&);
struct HyperparameterFormEntry {
  std::string_view name;
  std::string_view formula;  // one line, with its source
  HyperparameterFormFactory make;
};
// The registered forms (src/laws/hyperparameter_forms.cpp).
const std::vector<HyperparameterFormEntry>& HyperparameterForms();
// Builds the form called `name` (FindForm's errors, then the factory's,
// then any constant it did not read).
std::shared_ptr<const HyperparameterForm> MakeHyperparameterForm(
    std::string_view name, ConstantReader& constants);

struct HyperparameterLawInfo {
  std::string name;
  std::string citation;  // paper, section, equation
  std::string dataset;   // what it was fitted on
  std::string budget;    // how its C, N, D or L are counted
  std::string units;     // of B and eta (tokens; peak LR of which optimizer)
  std::string notes;
  // The N it reads (params_tokens forms); nullopt: it reads none.
  std::optional<ParamCount> param_count;
  FittedRange fitted_range;
  // The loss law whose loss L is (critical_batch: kaplan2020).
  std::optional<Law> loss_law;
};

class HyperparameterLaw {
 public:
  HyperparameterLaw(HyperparameterLawInfo info,
                    std::shared_ptr<const HyperparameterForm> form);

  const HyperparameterLawInfo& info() const { return info_; }
  const std::string& name() const { return info_.name; }
  const HyperparameterForm& form() const { return *form_; }
  std::string_view form_name() const { return form_->name(); }

 private:
  HyperparameterLawInfo info_;
  std::shared_ptr<const HyperparameterForm> form_;
};

}  // namespace scalesim::laws

#endif  // SCALESIM_LAWS_HYPERPARAMETERS_HPP_

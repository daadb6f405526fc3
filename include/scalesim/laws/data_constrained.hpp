// Data-constrained scaling: Muennighoff et al. 2023, "Scaling
// Data-Constrained Language Models" (arXiv:2305.16264, NeurIPS 2023). N
// parameters trained on D tokens that repeat U unique ones:
//
//   L(N, D, U) = E + A / N'^alpha + B / D'^beta        (Sec. 3.1; Eq. 14)
//   U_D = min(U, D),  R_D = D / U_D - 1                (Sec. 3)
//   D'  = U_D + U_D R_D* (1 - exp(-R_D / R_D*))        (Eq. 5)
//   U_N = min(N, G (U_D G)^(beta/alpha)),              (App. A Eq. 15)
//         G = (alpha A / (beta B))^(1/(alpha+beta))    (Eq. 3)
//   R_N = max(N / U_N - 1, 0)                          (App. A)
//   N'  = U_N + U_N R_N* (1 - exp(-R_N / R_N*))        (Eq. 6)
//
// U_N is the compute-optimal model for the U_D unique tokens (Eq. 3 with the
// loss's own A, B, alpha, beta); parameters beyond it are "repeated
// parameters" and decay with R_N* as repeated tokens do with R_D*.
//
// Published fit (data/laws/muennighoff2023.json): a = 6.255414,
// b = 7.3049974, e = 0.6254804 with A = e^a, B = e^b, E = e^e, alpha = beta
// = 0.3526596 (App. B, text before Eq. 20; C4, GPT-2 tokenizer), R_D* =
// 15.387756 and R_N* = 5.309743 (App. A, text before Eq. 17; Table 1).
// Golden: L(6.34e9, 242e9, 25e9) = 2.2256440889984477 (datablations README,
// "Parametric Fit"), computed here in the README's order of operations.
//
// Limits (tested): R_D = R_N = 0 gives the Chinchilla form E + A/N^alpha +
// B/D^beta exactly, which is the case when D <= U and N <= G (D G)^(beta/
// alpha); D' never exceeds U (1 + R_D*); R_D*, R_N* -> infinity recover
// Eq. 2. With unlimited unique data (U = infinity, U_D = D) parameters
// beyond the compute-optimal model for D still decay (R_N > 0): the
// compute-optimal frontier is Eq. 3's, and the form answers every
// unlimited-data question in closed form through it.
//
// Budget C = 6 N D with D every token processed, repeats included (Sec. 2,
// footnote 1); N counts every parameter, embeddings included (App. S
// Eq. 23).
#ifndef SCALESIM_LAWS_DATA_CONSTRAINED_HPP_
#define SCALESIM_LAWS_DATA_CONSTRAINED_HPP_

#include <cmath>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "scalesim/laws/chinchilla_form.hpp"
#include "scalesim/laws/law_form.hpp"
#include "scalesim/laws/loss_law.hpp"

namespace scalesim::laws {

// Eqs. 3, 5, 6 and 15 on any scalar type T: double for the law below, and
// ceres::Jet in the data-constrained fit (fit/data_constrained_fit.hpp),
// whose gradient differentiates these very lines. The one definition of the
// form's effective sizes; comparisons replace std::min/std::max (same
// operands, same results for doubles) so that T needs only <, arithmetic,
// exp, log and pow found by argument-dependent lookup.
template <typename T>
struct EffectiveSizeOf {
  T params;  // N'
  T tokens;  // D'
};

// Eqs. 5 and 6 share one shape: U + U R* (1 - exp(-R/R*)), written in the
// datablations README's order of operations so the golden value is
// reproduced to the last bit.
template <typename T>
T DiscountedRepeats(const T& unique, const T& repetitions, const T& r_star) {
  using std::exp;
  return unique + unique * r_star * (T(1.0) - exp(-repetitions / r_star));
}

// Eq. 15 without the min: U_N = G (U_D G)^(beta/alpha) (the README's
// D_to_N).
template <typename T>
T OptimalParamsFor(const T& unique_tokens,
                   const T& g,
                   const T& alpha,
                   const T& beta) {
  using std::pow;
  return pow(unique_tokens * g, beta / alpha) * g;
}

// N' and D' of N parameters trained on D tokens of U unique ones (U =
// infinity: unlimited unique data): U_D = min(U, D), R_D = max(D/U_D - 1,
// 0), U_N = min(N, OptimalParamsFor(U_D)), R_N = max(N/U_N - 1, 0).
template <typename T>
EffectiveSizeOf<T> DataConstrainedEffective(const T& params,
                                            const T& tokens,
                                            const T& unique_tokens,
                                            const T& g,
                                            const T& alpha,
                                            const T& beta,
                                            const T& r_d_star,
                                            const T& r_n_star) {
  const T u = tokens < unique_tokens ? tokens : unique_tokens;  // U_D
  const T excess_tokens = (tokens / u) - T(1.0);
  const T r_d = excess_tokens < T(0.0) ? T(0.0) : excess_tokens;
  const T optimal = OptimalParamsFor(u, g, alpha, beta);
  const T u_n = optimal < params ? optimal : params;
  const T excess_params = (params / u_n) - T(1.0);
  const T r_n = excess_params < T(0.0) ? T(0.0) : excess_params;
  return EffectiveSizeOf<T>{DiscountedRepeats(u_n, r_n, r_n_star),
                            DiscountedRepeats(u, r_d, r_d_star)};
}

// R_D* of Muennighoff et al. 2023's fit (App. A, text before Eq. 17;
// Table 1 row "Equation 14": 15.3878): the repetitions at which repeated
// data has lost 1 - 1/e of its value. The effective-data transform applied
// to laws without a repetition model (EffectiveDataLaw) uses it;
// data/laws/muennighoff2023.json holds the same number (tested).
inline constexpr double kMuennighoffRDStar = 15.387756;

// Eq. 5 alone: the effective tokens D' of D tokens repeating U unique ones
// (U_D = min(U, D)); D when D <= U. U = infinity gives D.
double EffectiveTokens(double tokens, double unique_tokens, double r_d_star);

struct DataConstrainedConstants {
  ChinchillaForm chinchilla;  // E, A, B, alpha, beta (the Eq. 2 part)
  double r_d_star = 0.0;      // R_D*: decay of repeated tokens
  double r_n_star = 0.0;      // R_N*: decay of excess parameters
};

class DataConstrainedLaw final : public LossLaw {
 public:
  explicit DataConstrainedLaw(const DataConstrainedConstants& constants);

  const DataConstrainedConstants& constants() const { return c_; }
  // U_N for U_D unique tokens without the min: G (U_D G)^(beta/alpha)
  // (Eq. 15; the README's D_to_N).
  double OptimalParamsForUniqueTokens(double unique_tokens) const;

  // Unlimited unique data: U_D = D (R_D = 0; R_N > 0 when N exceeds the
  // compute-optimal model for D).
  LossTerms Decompose(double params, double tokens) const override;
  // Closed form: dN'/dlnN = N e^(-R_N/R_N*) and, through U_N ~ D^(beta/
  // alpha), dN'/dlnD = (beta/alpha) (N' - N e^(-R_N/R_N*)) when N > U_N;
  // N' = N otherwise.
  LossGradient LogGradient(double params, double tokens) const override;
  double IrreducibleLoss() const override { return c_.chinchilla.E; }
  // E + A/N^alpha (U_N = N when D is unlimited).
  double LossWithUnlimitedData(double params) const override;
  double ParamsForLossWithUnlimitedData(double loss) const override;
  // The Chinchilla-form D where N <= U_N(D) there; otherwise the root of
  // L(N, D) = loss between it and the D at which U_N(D) = N (bisection).
  double TokensForLoss(double params, double loss) const override;

  LossTerms DecomposeRepeated(double params,
                              double tokens,
                              const DataBudget& data) const override;
  EffectiveSize Effective(double params,
                          double tokens,
                          const DataBudget& data) const override;
  bool ModelsRepetition() const override { return true; }

 private:
  DataConstrainedConstants c_;
  double g_ = 0.0;  // Eq. 3's G
};

// The form in the law registry ("data_constrained"). Its compute-optimal
// frontier with unlimited unique data is Eq. 3's (the Chinchilla form's, at
// N = U_N(D) exactly), so it answers budget, target-loss and model-size
// questions in closed form; under a unique-token budget plan solves it
// numerically (plan::ComputeOptimalRepeated).
class DataConstrainedLawForm final : public LawForm,
                                     public ClosedFormAllocator {
 public:
  explicit DataConstrainedLawForm(const DataConstrainedConstants& constants);

  const DataConstrainedLaw& law() const { return law_; }

  std::string_view name() const override { return "data_constrained"; }
  std::vector<Constant> constants() const override;
  const LossLaw* loss() const override { return &law_; }
  const ClosedFormAllocator* closed_form() const override { return this; }
  std::string DecompositionNote() const override;

  ClosedFormOptimum OptimumAt(double training_flops) const override;
  double ComputeForLoss(double loss) const override;
  ClosedFormOptimum OptimumForParams(double params) const override;
  double params_exponent() const override;
  double tokens_exponent() const override;

  // The registry's factory: E (>= 0), A, B, alpha, beta, R_D_star, R_N_star
  // (> 0).
  static std::shared_ptr<const LawForm> Make(ConstantReader& constants);

 private:
  DataConstrainedLaw law_;
  ChinchillaLawForm frontier_;  // Eq. 3 with the same constants
};

// A loss law without a repetition model, given Muennighoff et al. 2023's
// effective data (Eq. 5 with `r_d_star`): DecomposeRepeated(N, D, U) =
// law.Decompose(N, D'). Parameters are not discounted (the transform has no
// N'). `law` must outlive this.
class EffectiveDataLaw final : public LossLaw {
 public:
  EffectiveDataLaw(const LossLaw& law, double r_d_star)
      : law_(law), r_d_star_(r_d_star) {}

  LossTerms Decompose(double params, double tokens) const override {
    return law_.Decompose(params, tokens);
  }
  LossGradient LogGradient(double params, double tokens) const override {
    return law_.LogGradient(params, tokens);
  }
  double IrreducibleLoss() const override { return law_.IrreducibleLoss(); }
  double LossWithUnlimitedData(double params) const override {
    return law_.LossWithUnlimitedData(params);
  }
  double ParamsForLossWithUnlimitedData(double loss) const override {
    return law_.ParamsForLossWithUnlimitedData(loss);
  }
  double TokensForLoss(double params, double loss) const override {
    return law_.TokensForLoss(params, loss);
  }
  LossTerms DecomposeRepeated(double params,
                              double tokens,
                              const DataBudget& data) const override;
  EffectiveSize Effective(double params,
                          double tokens,
                          const DataBudget& data) const override;
  bool ModelsRepetition() const override { return true; }

 private:
  const LossLaw& law_;
  double r_d_star_;
};

}  // namespace scalesim::laws

#endif  // SCALESIM_LAWS_DATA_CONSTRAINED_HPP_

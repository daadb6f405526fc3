// The Chinchilla functional form of the loss (Hoffmann et al. 2022, Eq. 2):
//
//   L(N, D) = E + A / N^alpha + B / D^beta
//
// N is the parameter count (total parameters in Hoffmann et al.; a law file
// says which count it uses), D training tokens, L in nats per token.
//
// Published constants (data/laws/, docs/laws.md):
//   - Hoffmann et al. 2022 App. D.2, "Approach 3", as printed:
//     E 1.69, A 406.4, B 410.7, alpha 0.34, beta 0.28;
//   - the same fit unrounded (golden-numbers.md; the paper's LaTeX source):
//     E 1.69337, A 406.401, B 410.723, alpha 0.33917084, beta 0.2849083;
//   - Besiroglu et al. 2024, "Chinchilla Scaling: A replication attempt"
//     (Epoch AI's refit of Hoffmann's data): E 1.8172, A 482.01, B 2085.43,
//     alpha 0.3478, beta 0.3658;
//   - Sardana et al. 2024 (Sec. 2): E 1.69, A 406.4, B 410.7, alpha 0.336,
//     beta 0.283.
#ifndef SCALESIM_LAWS_CHINCHILLA_FORM_HPP_
#define SCALESIM_LAWS_CHINCHILLA_FORM_HPP_

#include <cmath>

#include "scalesim/laws/law_form.hpp"
#include "scalesim/laws/loss_law.hpp"

namespace scalesim::laws {

struct ChinchillaForm {
  double E = 0.0;      // irreducible loss (nats/token)
  double A = 0.0;      // parameter-term coefficient
  double B = 0.0;      // data-term coefficient
  double alpha = 0.0;  // parameter exponent
  double beta = 0.0;   // data exponent

  double ParameterTerm(double n) const;
  double DataTerm(double d) const;
  double Loss(double n, double d) const {
    return E + ParameterTerm(n) + DataTerm(d);
  }
};

// The closed-form compute-optimal frontier of the form under C = 6 N D
// (Hoffmann et al. 2022 Eq. 4 and App. D.3):
//   N_opt = G (C/6)^a, D_opt = G^-1 (C/6)^b,
//   G = (alpha A / (beta B))^(1/(alpha + beta)), a = beta/(alpha + beta),
//   b = alpha/(alpha + beta);
// and the loss along it, L_opt = E + loss_coefficient (C/6)^-loss_exponent
// with loss_coefficient = A G^-alpha + B G^beta, loss_exponent =
// alpha beta / (alpha + beta). Used by plan (every closed-form solve) and
// fit (the N_opt and D_opt of a fitted law).
struct ChinchillaFrontier {
  double g = 0.0;
  double params_exponent = 0.0;   // a
  double tokens_exponent = 0.0;   // b
  double loss_coefficient = 0.0;  // A G^-alpha + B G^beta
  double loss_exponent = 0.0;     // alpha beta / (alpha + beta)
};
ChinchillaFrontier FrontierOf(const ChinchillaForm& form);

// G = (alpha A / (beta B))^(1/(alpha + beta)) of Eq. 4 on any scalar type
// (double; ceres::Jet in the data-constrained fit's gradient).
template <typename T>
T FrontierG(const T& A, const T& B, const T& alpha, const T& beta) {
  using std::pow;
  return pow(alpha * A / (beta * B), T(1.0) / (alpha + beta));
}

// ChinchillaForm behind the LossLaw interface. Decompose gives E, A/N^alpha
// and B/D^beta exactly (the form is additive).
class ChinchillaLaw final : public LossLaw {
 public:
  explicit ChinchillaLaw(const ChinchillaForm& constants) : c_(constants) {}

  const ChinchillaForm& constants() const { return c_; }

  LossTerms Decompose(double params, double tokens) const override;
  // dL/dlnN = -alpha A / N^alpha, dL/dlnD = -beta B / D^beta.
  LossGradient LogGradient(double params, double tokens) const override;
  double IrreducibleLoss() const override { return c_.E; }
  double LossWithUnlimitedData(double params) const override;
  // N = (A / (loss - E))^(1/alpha).
  double ParamsForLossWithUnlimitedData(double loss) const override;
  // D = (B / (loss - E - A/N^alpha))^(1/beta).
  double TokensForLoss(double params, double loss) const override;

 private:
  ChinchillaForm c_;
};

// The form in the law registry ("chinchilla"), with Eq. 4 as its closed
// form.
class ChinchillaLawForm final : public LawForm, public ClosedFormAllocator {
 public:
  explicit ChinchillaLawForm(const ChinchillaForm& constants);

  const ChinchillaForm& form_constants() const { return law_.constants(); }

  std::string_view name() const override { return "chinchilla"; }
  std::vector<Constant> constants() const override;
  const LossLaw* loss() const override { return &law_; }
  const ClosedFormAllocator* closed_form() const override { return this; }

  ClosedFormOptimum OptimumAt(double training_flops) const override;
  double ComputeForLoss(double loss) const override;
  ClosedFormOptimum OptimumForParams(double params) const override;
  double params_exponent() const override { return frontier_.params_exponent; }
  double tokens_exponent() const override { return frontier_.tokens_exponent; }

  // The registry's factory: E (>= 0), A, B, alpha, beta (> 0).
  static std::shared_ptr<const LawForm> Make(ConstantReader& constants);

 private:
  ChinchillaLaw law_;
  ChinchillaFrontier frontier_;
};

}  // namespace scalesim::laws

#endif  // SCALESIM_LAWS_CHINCHILLA_FORM_HPP_

// Kaplan et al. 2020, "Scaling Laws for Neural Language Models"
// (arXiv:2001.08361). N is the number of non-embedding parameters (Sec. 2.1),
// D tokens of WebText2 (GPT-2 BPE), loss in nats per token on WebText2.
//
//   joint law (Eq. 1.5, constants of Table 2):
//       L(N, D) = [(N_c/N)^(alpha_N/alpha_D) + D_c/D]^alpha_D
//       alpha_N 0.076, alpha_D 0.103, N_c 6.4e13, D_c 1.8e13
//   single-variable laws (Eqs. 1.1-1.3, constants of Table 5):
//       L(N)     = (N_c/N)^alpha_N            alpha_N 0.076, N_c 8.8e13
//       L(D)     = (D_c/D)^alpha_D            alpha_D 0.095, D_c 5.4e13
//       L(C_min) = (C_c/C_min)^alpha_C_min    alpha_C_min 0.050, C_c 3.1e8
//       PF-days
//   compute-efficient allocation (Sec. 6.1, Fig. 14; Hoffmann et al. 2022
//   Table 2 lists its exponents a 0.73, b 0.27):
//       N_opt = 1.3e9 * C_min^0.73, D_opt = 2e10 * C_min^0.27 (C_min in
//       PF-days)
//
// Conventions (printed by every output that uses them):
//   - Kaplan's joint law has no additive decomposition. scalesim reports
//     irreducible = 0, parameter_term = L(N, infinite data) = (N_c/N)^alpha_N
//     (the joint law's own limit) and data_term = L(N, D) - L(N, infinite
//     data).
//   - C_min is the compute of training at a very large batch (Sec. 5.1);
//     training at the critical batch size costs twice as much,
//     C = 2 C_min (Sec. 5.1: S = 2 S_min and E = 2 E_min at B = B_crit).
//     Hoffmann et al. 2022 App. D.4 convert this way: 1e21 FLOPs gives
//     Kaplan's optimum 4.68e9 parameters. scalesim does the same
//     (kKaplanComputePerMinimumCompute).
#ifndef SCALESIM_LAWS_KAPLAN_HPP_
#define SCALESIM_LAWS_KAPLAN_HPP_

#include <optional>

#include "scalesim/laws/frontier.hpp"
#include "scalesim/laws/law_form.hpp"
#include "scalesim/laws/loss_law.hpp"

namespace scalesim::laws {

// C = 2 * C_min when training at the critical batch size (Kaplan et al. 2020
// Sec. 5.1; applied by Hoffmann et al. 2022 App. D.4).
inline constexpr double kKaplanComputePerMinimumCompute = 2.0;

// Eq. 1.5, Table 2.
struct KaplanJoint {
  double alpha_n = 0.0;
  double alpha_d = 0.0;
  double n_c = 0.0;  // non-embedding parameters
  double d_c = 0.0;  // tokens
};

// Eq. 1.1: L(N) = (N_c/N)^alpha_N (models trained to convergence on enough
// data).
struct KaplanParamsLaw {
  double alpha_n = 0.0;
  double n_c = 0.0;
};

// Eq. 1.2: L(D) = (D_c/D)^alpha_D (large models, early stopping).
struct KaplanDataLaw {
  double alpha_d = 0.0;
  double d_c = 0.0;
};

// Eq. 1.3: L(C_min) = (C_c/C_min)^alpha_C_min, C in PF-days (8.64e19 FLOPs).
struct KaplanComputeLaw {
  double alpha_c_min = 0.0;
  double c_c_pf_days = 0.0;
};

// Sec. 6.1: N_opt = params_coefficient * C_min^params_exponent,
// D_opt = tokens_coefficient * C_min^tokens_exponent, C_min in PF-days.
struct KaplanAllocation {
  double params_coefficient = 0.0;
  double params_exponent = 0.0;
  double tokens_coefficient = 0.0;
  double tokens_exponent = 0.0;
};

// The joint law is required; the others are optional (a law fitted by
// `scalesim fit` in Kaplan's form has only the joint law).
struct KaplanConstants {
  KaplanJoint joint;
  std::optional<KaplanParamsLaw> params_law;
  std::optional<KaplanDataLaw> data_law;
  std::optional<KaplanComputeLaw> compute_law;
  std::optional<KaplanAllocation> allocation;
};

class KaplanLaw final : public LossLaw {
 public:
  explicit KaplanLaw(const KaplanConstants& constants) : c_(constants) {}

  const KaplanConstants& constants() const { return c_; }

  // Joint law, Eq. 1.5, split as described in the header comment.
  LossTerms Decompose(double params, double tokens) const override;
  LossGradient LogGradient(double params, double tokens) const override;
  double IrreducibleLoss() const override { return 0.0; }
  // (N_c/N)^alpha_N with the joint law's constants.
  double LossWithUnlimitedData(double params) const override;
  // N = N_c * loss^(-1/alpha_N).
  double ParamsForLossWithUnlimitedData(double loss) const override;
  // D = D_c / (loss^(1/alpha_D) - (N_c/N)^(alpha_N/alpha_D)).
  double TokensForLoss(double params, double loss) const override;

  // Eqs. 1.1-1.3 where the law has them (nullopt otherwise).
  std::optional<double> LossFromParams(double params) const;
  std::optional<double> LossFromTokens(double tokens) const;
  // L(C_min) for a training budget in FLOPs, with C_min = training_flops /
  // kKaplanComputePerMinimumCompute.
  std::optional<double> LossFromCompute(double training_flops) const;

 private:
  KaplanConstants c_;
};

// Kaplan's Sec. 6.1 allocation as a frontier in FLOPs: anchored at C_min = 1
// PF-day, i.e. C = kKaplanComputePerMinimumCompute * 8.64e19 FLOPs.
PowerLawFrontier FrontierFromKaplanAllocation(
    const KaplanAllocation& allocation);

// The form in the law registry ("kaplan"): the joint law, its
// single-variable laws and its published allocation where the file has
// them.
class KaplanLawForm final : public LawForm {
 public:
  explicit KaplanLawForm(const KaplanConstants& constants) : law_(constants) {}

  const KaplanLaw& law() const { return law_; }

  std::string_view name() const override { return "kaplan"; }
  std::vector<Constant> constants() const override;
  const LossLaw* loss() const override { return &law_; }
  std::optional<PowerLawFrontier> published_allocation() const override;
  std::vector<NamedLoss> SingleVariableLosses(double params,
                                              double tokens) const override;
  std::string DecompositionNote() const override;

  // The registry's factory: joint.{alpha_n, alpha_d, n_c, d_c} and the
  // optional groups params_law, data_law, compute_law, allocation.
  static std::shared_ptr<const LawForm> Make(ConstantReader& constants);

 private:
  KaplanLaw law_;
};

}  // namespace scalesim::laws

#endif  // SCALESIM_LAWS_KAPLAN_HPP_

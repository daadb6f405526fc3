#include "scalesim/laws/data_constrained.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace scalesim::laws {
namespace {

// Halvings of the ln D bracket in TokensForLoss: the bracket spans at most
// ~70 e-folds, so 128 halvings reach adjacent doubles.
constexpr int kBisections = 128;

}  // namespace

double EffectiveTokens(double tokens, double unique_tokens, double r_d_star) {
  const double u = std::min(unique_tokens, tokens);  // U_D
  const double r_d = std::max((tokens / u) - 1.0, 0.0);
  return DiscountedRepeats(u, r_d, r_d_star);
}

DataConstrainedLaw::DataConstrainedLaw(const DataConstrainedConstants& c)
    : c_(c), g_(FrontierOf(c.chinchilla).g) {}

double DataConstrainedLaw::OptimalParamsForUniqueTokens(
    double unique_tokens) const {
  const ChinchillaForm& k = c_.chinchilla;
  return OptimalParamsFor(unique_tokens, g_, k.alpha, k.beta);
}

EffectiveSize DataConstrainedLaw::Effective(double params,
                                            double tokens,
                                            const DataBudget& data) const {
  const ChinchillaForm& k = c_.chinchilla;
  const EffectiveSizeOf<double> e = DataConstrainedEffective(params,
                                                             tokens,
                                                             data.unique_tokens,
                                                             g_,
                                                             k.alpha,
                                                             k.beta,
                                                             c_.r_d_star,
                                                             c_.r_n_star);
  return EffectiveSize{e.params, e.tokens};
}

LossTerms DataConstrainedLaw::DecomposeRepeated(double params,
                                                double tokens,
                                                const DataBudget& data) const {
  const EffectiveSize e = Effective(params, tokens, data);
  const ChinchillaForm& k = c_.chinchilla;
  return LossTerms{k.E, k.ParameterTerm(e.params), k.DataTerm(e.tokens)};
}

LossTerms DataConstrainedLaw::Decompose(double params, double tokens) const {
  return DecomposeRepeated(params, tokens, DataBudget{});
}

LossGradient DataConstrainedLaw::LogGradient(double params,
                                             double tokens) const {
  const ChinchillaForm& k = c_.chinchilla;
  const double n_eff = Effective(params, tokens, DataBudget{}).params;
  const double parameter = -k.alpha * k.ParameterTerm(n_eff);  // dL/dlnN'
  const double data = -k.beta * k.DataTerm(tokens);
  const double u_n = OptimalParamsForUniqueTokens(tokens);
  if (params <= u_n) return LossGradient{parameter, data};
  const double decay = std::exp(-(params / u_n - 1.0) / c_.r_n_star);
  const double by_params = params * decay / n_eff;  // dlnN'/dlnN
  const double by_tokens =
      (k.beta / k.alpha) * (n_eff - params * decay) / n_eff;  // dlnN'/dlnD
  return LossGradient{parameter * by_params, data + parameter * by_tokens};
}

double DataConstrainedLaw::LossWithUnlimitedData(double params) const {
  return ChinchillaLaw(c_.chinchilla).LossWithUnlimitedData(params);
}

double DataConstrainedLaw::ParamsForLossWithUnlimitedData(double loss) const {
  return ChinchillaLaw(c_.chinchilla).ParamsForLossWithUnlimitedData(loss);
}

double DataConstrainedLaw::TokensForLoss(double params, double loss) const {
  const double chinchilla =
      ChinchillaLaw(c_.chinchilla).TokensForLoss(params, loss);
  if (!std::isfinite(chinchilla) ||
      params <= OptimalParamsForUniqueTokens(chinchilla))
    return chinchilla;
  // There N exceeds U_N(D) and L > loss; L falls with D (N' grows with U_N)
  // and equals the Chinchilla form, below `loss`, from the D at which
  // U_N(D) = N on. A bisection in ln D between the two, written here
  // because the laws module has no numerical library (plan owns
  // Boost.Math) and the bracket is known.
  const ChinchillaForm& k = c_.chinchilla;
  double lo = std::log(chinchilla);
  double hi = std::log(std::pow(params / g_, k.alpha / k.beta) / g_);
  for (int i = 0; i < kBisections; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    (Loss(params, std::exp(mid)) > loss ? lo : hi) = mid;
  }
  return std::exp(hi);
}

DataConstrainedLawForm::DataConstrainedLawForm(
    const DataConstrainedConstants& constants)
    : law_(constants), frontier_(constants.chinchilla) {}

std::vector<Constant> DataConstrainedLawForm::constants() const {
  const DataConstrainedConstants& c = law_.constants();
  return {{"E", c.chinchilla.E},
          {"A", c.chinchilla.A},
          {"B", c.chinchilla.B},
          {"alpha", c.chinchilla.alpha},
          {"beta", c.chinchilla.beta},
          {"R_D_star", c.r_d_star},
          {"R_N_star", c.r_n_star}};
}

std::string DataConstrainedLawForm::DecompositionNote() const {
  return "parameter_term = A/N'^alpha and data_term = B/D'^beta with the "
         "effective N' and D' of Muennighoff et al. 2023 (Eqs. 5-6): tokens "
         "beyond the unique ones, and parameters beyond the compute-optimal "
         "model for them (U_N = G (U_D G)^(beta/alpha), Eq. 15), count less "
         "- parameters even on one epoch";
}

ClosedFormOptimum DataConstrainedLawForm::OptimumAt(
    double training_flops) const {
  return frontier_.OptimumAt(training_flops);
}

double DataConstrainedLawForm::ComputeForLoss(double loss) const {
  return frontier_.ComputeForLoss(loss);
}

ClosedFormOptimum DataConstrainedLawForm::OptimumForParams(
    double params) const {
  return frontier_.OptimumForParams(params);
}

double DataConstrainedLawForm::params_exponent() const {
  return frontier_.params_exponent();
}

double DataConstrainedLawForm::tokens_exponent() const {
  return frontier_.tokens_exponent();
}

std::shared_ptr<const LawForm> DataConstrainedLawForm::Make(ConstantReader& c) {
  DataConstrainedConstants k;
  k.chinchilla.E = c.NonNegative("E");
  k.chinchilla.A = c.Positive("A");
  k.chinchilla.B = c.Positive("B");
  k.chinchilla.alpha = c.Positive("alpha");
  k.chinchilla.beta = c.Positive("beta");
  k.r_d_star = c.Positive("R_D_star");
  k.r_n_star = c.Positive("R_N_star");
  return std::make_shared<DataConstrainedLawForm>(k);
}

LossTerms EffectiveDataLaw::DecomposeRepeated(double params,
                                              double tokens,
                                              const DataBudget& data) const {
  return law_.Decompose(params,
                        EffectiveTokens(tokens, data.unique_tokens, r_d_star_));
}

EffectiveSize EffectiveDataLaw::Effective(double params,
                                          double tokens,
                                          const DataBudget& data) const {
  return EffectiveSize{params,
                       EffectiveTokens(tokens, data.unique_tokens, r_d_star_)};
}

}  // namespace scalesim::laws

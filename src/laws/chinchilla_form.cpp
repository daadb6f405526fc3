#include "scalesim/laws/chinchilla_form.hpp"

#include <cmath>
#include <limits>

namespace scalesim::laws {

double ChinchillaForm::ParameterTerm(double n) const {
  return A / std::pow(n, alpha);
}
double ChinchillaForm::DataTerm(double d) const {
  return B / std::pow(d, beta);
}

LossTerms ChinchillaLaw::Decompose(double params, double tokens) const {
  return LossTerms{c_.E, c_.ParameterTerm(params), c_.DataTerm(tokens)};
}

LossGradient ChinchillaLaw::LogGradient(double params, double tokens) const {
  return LossGradient{-c_.alpha * c_.ParameterTerm(params),
                      -c_.beta * c_.DataTerm(tokens)};
}

double ChinchillaLaw::LossWithUnlimitedData(double params) const {
  return c_.E + c_.ParameterTerm(params);
}

double ChinchillaLaw::ParamsForLossWithUnlimitedData(double loss) const {
  const double excess = loss - c_.E;
  if (!(excess > 0.0)) return std::numeric_limits<double>::infinity();
  return std::pow(c_.A / excess, 1.0 / c_.alpha);
}

double ChinchillaLaw::TokensForLoss(double params, double loss) const {
  const double excess = loss - c_.E - c_.ParameterTerm(params);
  if (!(excess > 0.0)) return std::numeric_limits<double>::infinity();
  return std::pow(c_.B / excess, 1.0 / c_.beta);
}

ChinchillaFrontier FrontierOf(const ChinchillaForm& law) {
  ChinchillaFrontier f;
  const double sum = law.alpha + law.beta;
  f.g = FrontierG(law.A, law.B, law.alpha, law.beta);
  f.params_exponent = law.beta / sum;
  f.tokens_exponent = law.alpha / sum;
  f.loss_coefficient =
      law.A * std::pow(f.g, -law.alpha) + law.B * std::pow(f.g, law.beta);
  f.loss_exponent = law.alpha * law.beta / sum;
  return f;
}

namespace {
// C = 6 N D (Kaplan et al. 2020 Sec. 2.1; Hoffmann et al. 2022 Sec. 3.3).
constexpr double kFlopsPerParamToken = 6.0;
}  // namespace

ChinchillaLawForm::ChinchillaLawForm(const ChinchillaForm& constants)
    : law_(constants), frontier_(FrontierOf(constants)) {}

std::vector<Constant> ChinchillaLawForm::constants() const {
  const ChinchillaForm& c = law_.constants();
  return {
      {"E", c.E}, {"A", c.A}, {"B", c.B}, {"alpha", c.alpha}, {"beta", c.beta}};
}

ClosedFormOptimum ChinchillaLawForm::OptimumAt(double training_flops) const {
  const double s = training_flops / kFlopsPerParamToken;
  ClosedFormOptimum o;
  o.params = frontier_.g * std::pow(s, frontier_.params_exponent);
  o.tokens = std::pow(s, frontier_.tokens_exponent) / frontier_.g;
  o.training_flops = training_flops;
  return o;
}

double ChinchillaLawForm::ComputeForLoss(double loss) const {
  return kFlopsPerParamToken *
         std::pow(frontier_.loss_coefficient / (loss - law_.constants().E),
                  1.0 / frontier_.loss_exponent);
}

ClosedFormOptimum ChinchillaLawForm::OptimumForParams(double params) const {
  const double s =
      std::pow(params / frontier_.g, 1.0 / frontier_.params_exponent);
  ClosedFormOptimum o;
  o.params = params;
  o.tokens = s / params;
  o.training_flops = kFlopsPerParamToken * s;
  return o;
}

std::shared_ptr<const LawForm> ChinchillaLawForm::Make(ConstantReader& c) {
  ChinchillaForm f;
  f.E = c.NonNegative("E");
  f.A = c.Positive("A");
  f.B = c.Positive("B");
  f.alpha = c.Positive("alpha");
  f.beta = c.Positive("beta");
  return std::make_shared<ChinchillaLawForm>(f);
}

}  // namespace scalesim::laws

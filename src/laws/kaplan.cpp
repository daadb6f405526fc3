#include "scalesim/laws/kaplan.hpp"

#include <cmath>
#include <limits>

#include "scalesim/core/units.hpp"

namespace scalesim::laws {

LossTerms KaplanLaw::Decompose(double params, double tokens) const {
  const KaplanJoint& j = c_.joint;
  const double inner =
      std::pow(j.n_c / params, j.alpha_n / j.alpha_d) + j.d_c / tokens;
  const double loss = std::pow(inner, j.alpha_d);
  const double unlimited = LossWithUnlimitedData(params);
  return LossTerms{0.0, unlimited, loss - unlimited};
}

LossGradient KaplanLaw::LogGradient(double params, double tokens) const {
  // L = S^aD with S = (Nc/N)^(aN/aD) + Dc/D:
  //   dL/dlnN = -aN S^(aD-1) (Nc/N)^(aN/aD),  dL/dlnD = -aD S^(aD-1) Dc/D.
  const KaplanJoint& j = c_.joint;
  const double p = std::pow(j.n_c / params, j.alpha_n / j.alpha_d);
  const double q = j.d_c / tokens;
  const double scale = std::pow(p + q, j.alpha_d - 1.0);
  return LossGradient{-j.alpha_n * scale * p, -j.alpha_d * scale * q};
}

double KaplanLaw::LossWithUnlimitedData(double params) const {
  return std::pow(c_.joint.n_c / params, c_.joint.alpha_n);
}

double KaplanLaw::ParamsForLossWithUnlimitedData(double loss) const {
  if (!(loss > 0.0)) return std::numeric_limits<double>::infinity();
  return c_.joint.n_c * std::pow(loss, -1.0 / c_.joint.alpha_n);
}

double KaplanLaw::TokensForLoss(double params, double loss) const {
  if (!(loss > 0.0)) return std::numeric_limits<double>::infinity();
  const KaplanJoint& j = c_.joint;
  const double room = std::pow(loss, 1.0 / j.alpha_d) -
                      std::pow(j.n_c / params, j.alpha_n / j.alpha_d);
  if (!(room > 0.0)) return std::numeric_limits<double>::infinity();
  return j.d_c / room;
}

std::optional<double> KaplanLaw::LossFromParams(double params) const {
  if (!c_.params_law) return std::nullopt;
  return std::pow(c_.params_law->n_c / params, c_.params_law->alpha_n);
}

std::optional<double> KaplanLaw::LossFromTokens(double tokens) const {
  if (!c_.data_law) return std::nullopt;
  return std::pow(c_.data_law->d_c / tokens, c_.data_law->alpha_d);
}

std::optional<double> KaplanLaw::LossFromCompute(double training_flops) const {
  if (!c_.compute_law) return std::nullopt;
  const double c_min_pf_days = training_flops /
                               kKaplanComputePerMinimumCompute /
                               units::kFlopsPerPetaflopDay;
  return std::pow(c_.compute_law->c_c_pf_days / c_min_pf_days,
                  c_.compute_law->alpha_c_min);
}

PowerLawFrontier FrontierFromKaplanAllocation(
    const KaplanAllocation& allocation) {
  PowerLawFrontier f;
  f.anchor_flops =
      kKaplanComputePerMinimumCompute * units::kFlopsPerPetaflopDay;
  f.params_at_anchor = allocation.params_coefficient;
  f.tokens_at_anchor = allocation.tokens_coefficient;
  f.params_exponent = allocation.params_exponent;
  f.tokens_exponent = allocation.tokens_exponent;
  return f;
}

std::vector<Constant> KaplanLawForm::constants() const {
  const KaplanConstants& k = law_.constants();
  std::vector<Constant> c{{"joint.alpha_n", k.joint.alpha_n},
                          {"joint.alpha_d", k.joint.alpha_d},
                          {"joint.n_c", k.joint.n_c},
                          {"joint.d_c", k.joint.d_c}};
  if (k.params_law) {
    c.push_back({"params_law.alpha_n", k.params_law->alpha_n});
    c.push_back({"params_law.n_c", k.params_law->n_c});
  }
  if (k.data_law) {
    c.push_back({"data_law.alpha_d", k.data_law->alpha_d});
    c.push_back({"data_law.d_c", k.data_law->d_c});
  }
  if (k.compute_law) {
    c.push_back({"compute_law.alpha_c_min", k.compute_law->alpha_c_min});
    c.push_back({"compute_law.c_c_pf_days", k.compute_law->c_c_pf_days});
  }
  if (k.allocation) {
    c.push_back(
        {"allocation.params_coefficient", k.allocation->params_coefficient});
    c.push_back({"allocation.params_exponent", k.allocation->params_exponent});
    c.push_back(
        {"allocation.tokens_coefficient", k.allocation->tokens_coefficient});
    c.push_back({"allocation.tokens_exponent", k.allocation->tokens_exponent});
  }
  return c;
}

std::optional<PowerLawFrontier> KaplanLawForm::published_allocation() const {
  if (!law_.constants().allocation) return std::nullopt;
  return FrontierFromKaplanAllocation(*law_.constants().allocation);
}

std::vector<NamedLoss> KaplanLawForm::SingleVariableLosses(
    double params, double tokens) const {
  std::vector<NamedLoss> out;
  if (const auto l = law_.LossFromParams(params))
    out.push_back({"L(N)", *l, "Eq. 1.1: converged, unlimited data"});
  if (const auto l = law_.LossFromTokens(tokens))
    out.push_back({"L(D)", *l, "Eq. 1.2: large model, early stopping"});
  return out;
}

std::string KaplanLawForm::DecompositionNote() const {
  return "the joint law (Eq. 1.5) is not additive; irreducible = 0, "
         "parameter_term = L(N, infinite data) = (N_c/N)^alpha_N, data_term "
         "= L(N, D) - L(N, infinite data)";
}

std::shared_ptr<const LawForm> KaplanLawForm::Make(ConstantReader& c) {
  KaplanConstants k;
  k.joint = {c.Positive("joint.alpha_n"),
             c.Positive("joint.alpha_d"),
             c.Positive("joint.n_c"),
             c.Positive("joint.d_c")};
  if (c.HasGroup("params_law")) {
    k.params_law = KaplanParamsLaw{c.Positive("params_law.alpha_n"),
                                   c.Positive("params_law.n_c")};
  }
  if (c.HasGroup("data_law")) {
    k.data_law = KaplanDataLaw{c.Positive("data_law.alpha_d"),
                               c.Positive("data_law.d_c")};
  }
  if (c.HasGroup("compute_law")) {
    k.compute_law = KaplanComputeLaw{c.Positive("compute_law.alpha_c_min"),
                                     c.Positive("compute_law.c_c_pf_days")};
  }
  if (c.HasGroup("allocation")) {
    k.allocation = KaplanAllocation{c.Positive("allocation.params_coefficient"),
                                    c.Positive("allocation.params_exponent"),
                                    c.Positive("allocation.tokens_coefficient"),
                                    c.Positive("allocation.tokens_exponent")};
  }
  return std::make_shared<KaplanLawForm>(k);
}

}  // namespace scalesim::laws

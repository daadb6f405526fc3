#include "scalesim/fit/synthetic.hpp"

#include <cmath>
#include <limits>
#include <numbers>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "scalesim/core/fields.hpp"
#include "scalesim/core/validate.hpp"
#include "scalesim/fit/chinchilla_fit.hpp"

namespace scalesim::fit {
namespace {

// Uniform in (0, 1) from the top 53 bits of one draw (never 0, so log is
// finite).
double Uniform01(std::mt19937_64& rng) {
  return (static_cast<double>(rng() >> 11) + 0.5) * 0x1.0p-53;
}

double LogSpaced(double lo, double hi, int i, int n) {
  if (n == 1) return std::sqrt(lo * hi);
  const double t = static_cast<double>(i) / static_cast<double>(n - 1);
  return std::exp(std::log(lo) + t * (std::log(hi) - std::log(lo)));
}

// The IsoFLOP design around `law`'s compute-optimal N*, once per entry of
// `unique_tokens` (infinity: unique data), with loss(N, D, U). One noise
// stream over all runs, in order.
template <typename LossFn>
Dataset Synthesize(const laws::ChinchillaForm& law,
                   const IsoFlopDesign& design,
                   const std::vector<double>& unique_tokens,
                   const LossFn& loss) {
  Dataset data;
  data.source = "synthetic";
  std::mt19937_64 rng(design.seed);
  bool have_spare = false;
  double spare = 0.0;
  auto normal = [&]() {  // Box-Muller, both variates used
    if (have_spare) {
      have_spare = false;
      return spare;
    }
    const double radius = std::sqrt(-2.0 * std::log(Uniform01(rng)));
    const double angle = 2.0 * std::numbers::pi * Uniform01(rng);
    spare = radius * std::sin(angle);
    have_spare = true;
    return radius * std::cos(angle);
  };
  for (double unique : unique_tokens) {
    for (int k = 0; k < design.num_budgets; ++k) {
      const double budget =
          LogSpaced(design.min_flops, design.max_flops, k, design.num_budgets);
      const double optimum = ChinchillaComputeOptimal(law, budget).params;
      for (int j = 0; j < design.sizes_per_budget; ++j) {
        DataPoint p;
        p.params = LogSpaced(optimum / design.size_spread,
                             optimum * design.size_spread,
                             j,
                             design.sizes_per_budget);
        p.tokens = budget / (6.0 * p.params);
        if (design.round_counts) {
          p.params = std::round(p.params);
          p.tokens = std::round(p.tokens);
        }
        p.training_flops =
            design.round_counts ? SixNDFlops(p.params, p.tokens) : budget;
        p.unique_tokens = unique;
        const double z = design.noise_sigma > 0.0 ? normal() : 0.0;
        p.loss =
            loss(p.params, p.tokens, unique) * std::exp(design.noise_sigma * z);
        data.points.push_back(p);
      }
    }
  }
  data.notes.push_back(
      "synthetic IsoFLOP design: " + std::to_string(design.num_budgets) +
      " budgets x " + std::to_string(design.sizes_per_budget) + " model sizes" +
      (std::isinf(unique_tokens.front())
           ? std::string()
           : " x " + std::to_string(unique_tokens.size()) +
                 " unique-token budgets") +
      ", log-normal noise sigma " + std::to_string(design.noise_sigma) +
      ", seed " + std::to_string(design.seed));
  return data;
}

}  // namespace

Dataset SynthesizeChinchillaDataset(const laws::ChinchillaForm& law,
                                    const IsoFlopDesign& design) {
  return Synthesize(
      law,
      design,
      {std::numeric_limits<double>::infinity()},
      [&law](double n, double d, double /*u*/) { return law.Loss(n, d); });
}

Dataset SynthesizeDataConstrainedDataset(
    const laws::DataConstrainedConstants& law,
    const IsoFlopDesign& design,
    const std::vector<double>& unique_tokens) {
  const laws::DataConstrainedLaw loss(law);
  return Synthesize(law.chinchilla,
                    design,
                    unique_tokens,
                    [&loss](double n, double d, double u) {
                      return loss.LossRepeated(n, d, laws::DataBudget{u});
                    });
}

SynthPlan PlanSynthesis(const laws::ChinchillaForm& base,
                        const SynthRequest& r) {
  ValidateFields(r);
  if (!r.unique_tokens.empty()) {
    FailField("unique_tokens",
              "the law has no repetition model: give a data_constrained "
              "law (e.g. --law muennighoff2023)");
  }
  SynthPlan p;
  p.law = base;
  for (const auto& [given, field] : {std::pair{&r.E, &p.law.E},
                                     {&r.A, &p.law.A},
                                     {&r.B, &p.law.B},
                                     {&r.alpha, &p.law.alpha},
                                     {&r.beta, &p.law.beta}}) {
    if (*given) {
      *field = **given;
      p.overridden = true;
    }
  }
  if (r.max_flops < r.min_flops)
    FailField("max_flops", "must not be below --min-flops");
  p.design.noise_sigma = r.noise;
  p.design.seed = static_cast<std::uint64_t>(r.seed);
  p.design.num_budgets = static_cast<int>(r.budgets);
  p.design.sizes_per_budget = static_cast<int>(r.sizes);
  p.design.min_flops = r.min_flops;
  p.design.max_flops = r.max_flops;
  p.design.size_spread = r.spread;
  return p;
}

SynthPlan PlanSynthesis(const laws::DataConstrainedConstants& base,
                        const SynthRequest& r) {
  ValidateFields(r);
  if (r.unique_tokens.empty()) {
    FailField("unique_tokens",
              "missing: a data_constrained law needs the unique-token "
              "budgets, --unique-tokens U [U ...]");
  }
  SynthRequest unique = r;
  unique.unique_tokens.clear();
  SynthPlan p = PlanSynthesis(base.chinchilla, unique);
  p.repeated = base;
  p.repeated->chinchilla = p.law;
  p.unique_tokens = r.unique_tokens;
  return p;
}

Dataset Synthesize(const SynthPlan& plan) {
  if (plan.repeated) {
    return SynthesizeDataConstrainedDataset(
        *plan.repeated, plan.design, plan.unique_tokens);
  }
  return SynthesizeChinchillaDataset(plan.law, plan.design);
}

void RequireUsableRuns(const Dataset& data) {
  for (std::size_t i = 0; i < data.points.size(); ++i) {
    const DataPoint& p = data.points[i];
    const std::string run = "run " + std::to_string(i + 1) + " has N " +
                            NumberText(p.params) + ", D " +
                            NumberText(p.tokens);
    if (!(std::isfinite(p.params) && p.params >= 1.0 &&
          std::isfinite(p.tokens) && p.tokens >= 1.0 &&
          std::isfinite(p.training_flops))) {
      FailField("min_flops",
                run +
                    ": every run needs at least one parameter and one token "
                    "(the budgets, --spread or the law's constants are too "
                    "extreme)");
    }
    if (!(std::isfinite(p.loss) && p.loss > 0.0)) {
      FailField("noise",
                run + " and loss " + NumberText(p.loss) +
                    ": the loss must be a positive finite number "
                    "(--noise or the law's constants too extreme)");
    }
  }
}

}  // namespace scalesim::fit

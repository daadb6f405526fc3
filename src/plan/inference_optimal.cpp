#include "scalesim/plan/inference_optimal.hpp"

#include <cmath>
#include <string>

#include "scalesim/core/error.hpp"
#include "scalesim/core/units.hpp"

#include "plan/solvers.hpp"

namespace scalesim::plan {
namespace {

void RequirePositiveFinite(double value, const char* field) {
  if (!(value > 0.0) || !std::isfinite(value)) {
    throw InvalidInput(InputLocation{"", 0, field},
                       "must be a positive finite number, got " +
                           internal::FormatNumber(value));
  }
}

void Validate(const InferenceOptimalOptions& o) {
  if (!(o.inference_tokens >= 0.0) || !std::isfinite(o.inference_tokens)) {
    throw InvalidInput(InputLocation{"", 0, "inference_tokens"},
                       "must be a finite number >= 0, got " +
                           internal::FormatNumber(o.inference_tokens));
  }
  if (o.target_loss != 0.0) {
    RequirePositiveFinite(o.target_loss, "target_loss");
  } else {
    if (o.training_flops == 0.0) {
      throw InvalidInput(InputLocation{"", 0, "target_loss"},
                         "give a target loss or a training budget");
    }
    RequirePositiveFinite(o.training_flops, "training_flops");
  }
  if (o.prices) {
    RequirePositiveFinite(o.prices->training_dollars_per_flop,
                          "training_dollars_per_flop");
    RequirePositiveFinite(o.prices->inference_dollars_per_flop,
                          "inference_dollars_per_flop");
  }
}

LifetimePlan Lifetime(const Allocation& training,
                      const InferenceOptimalOptions& o) {
  LifetimePlan p;
  p.training = training;
  p.inference_flops =
      kInferenceFlopsPerParamToken * training.params * o.inference_tokens;
  p.total_flops = training.training_flops + p.inference_flops;
  if (o.prices) {
    p.training_dollars =
        training.training_flops * o.prices->training_dollars_per_flop;
    p.inference_dollars =
        p.inference_flops * o.prices->inference_dollars_per_flop;
    p.total_dollars = p.training_dollars + p.inference_dollars;
  }
  return p;
}

// The shared solver: `closed_form` is the law's closed form when it has
// one (Hoffmann et al. 2022 Eq. 4).
InferenceOptimalResult Solve(const laws::LossLaw& law,
                             const laws::ClosedFormAllocator* closed_form,
                             const InferenceOptimalOptions& o) {
  Validate(o);
  InferenceOptimalResult r;
  r.inference_tokens = o.inference_tokens;
  r.priced = o.prices.has_value();

  if (o.target_loss != 0.0) {
    r.target_loss = o.target_loss;
  } else {
    const ComputeOptimalOptions budget{o.training_flops, o.minimiser};
    const OptimumResult at_budget =
        closed_form != nullptr
            ? ComputeOptimalClosedForm(*closed_form, law, budget)
            : ComputeOptimalNumerical(law, budget);
    if (!at_budget.ok()) {
      r.status = at_budget.status;
      r.message = "compute-optimal model at the budget: " + at_budget.message;
      return r;
    }
    r.target_loss = at_budget.allocation.loss;
  }

  const MinimumComputeOptions target{r.target_loss, o.minimiser};
  const OptimumResult chinchilla =
      closed_form != nullptr
          ? MinimumComputeClosedForm(*closed_form, law, target)
          : MinimumComputeNumerical(law, target);
  if (!chinchilla.ok()) {
    r.status = chinchilla.status;
    r.message = chinchilla.message;
    return r;
  }

  // Dollars = p_tr (6 N D + (p_inf/p_tr) 2 D_inf N): the same minimiser with
  // inference tokens weighted by the price ratio.
  const double price_ratio = o.prices ? o.prices->inference_dollars_per_flop /
                                            o.prices->training_dollars_per_flop
                                      : 1.0;
  const double per_param_cost =
      kInferenceFlopsPerParamToken * o.inference_tokens * price_ratio;
  const internal::LossConstrainedMinimum m =
      internal::MinimiseAtLoss(law, r.target_loss, per_param_cost, o.minimiser);
  r.iterations = m.search.iterations;
  if (!m.search.converged || m.search.on_boundary) {
    r.status = SolveStatus::kNotConverged;
    r.message = m.search.converged
                    ? "the inference-optimal model lies on the edge of the "
                      "search interval"
                    : "Brent's method did not converge in " +
                          std::to_string(m.search.iterations) + " iterations";
    return r;
  }
  Allocation best;
  best.params = m.params;
  best.tokens = m.tokens;
  best.training_flops = kTrainingFlopsPerParamToken * m.params * m.tokens;
  best.terms = law.Decompose(best.params, best.tokens);
  best.loss = best.terms.total();

  r.chinchilla_style = Lifetime(chinchilla.allocation, o);
  r.inference_optimal = Lifetime(best, o);
  r.params_ratio =
      r.inference_optimal.training.params / r.chinchilla_style.training.params;
  r.tokens_ratio =
      r.inference_optimal.training.tokens / r.chinchilla_style.training.tokens;
  r.total_flops_ratio =
      r.inference_optimal.total_flops / r.chinchilla_style.total_flops;
  if (r.priced)
    r.total_dollars_ratio =
        r.inference_optimal.total_dollars / r.chinchilla_style.total_dollars;
  return r;
}

}  // namespace

double DollarsPerFlop(double peak_flops_per_second,
                      double mfu,
                      double dollars_per_hour) {
  RequirePositiveFinite(peak_flops_per_second, "peak_flops_per_second");
  RequirePositiveFinite(mfu, "mfu");
  if (mfu > 1.0) {
    throw InvalidInput(
        InputLocation{"", 0, "mfu"},
        "must be a fraction in (0, 1], got " + internal::FormatNumber(mfu));
  }
  RequirePositiveFinite(dollars_per_hour, "dollars_per_hour");
  return dollars_per_hour /
         (units::kSecondsPerHour * peak_flops_per_second * mfu);
}

InferenceOptimalResult InferenceOptimal(
    const laws::LossLaw& law, const InferenceOptimalOptions& options) {
  return Solve(law, nullptr, options);
}

InferenceOptimalResult InferenceOptimal(
    const laws::Law& law, const InferenceOptimalOptions& options) {
  const laws::LossLaw* loss = law.loss_law();
  if (loss == nullptr) {
    Validate(options);
    InferenceOptimalResult r;
    r.status = SolveStatus::kNotApplicable;
    r.message = "frontier law '" + law.name() + "' predicts no loss";
    return r;
  }
  return Solve(*loss, law.closed_form(), options);
}

}  // namespace scalesim::plan

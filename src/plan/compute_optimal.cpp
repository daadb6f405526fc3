#include "scalesim/plan/compute_optimal.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "scalesim/core/enum_names.hpp"
#include "scalesim/core/error.hpp"

#include "plan/solvers.hpp"

namespace scalesim::plan {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Half-width, in e-folds beyond the budget's own range, of the ln N search
// for the compute-optimal model: N from (C/6)^(-1/2) e^-25 to (C/6)^(3/2) e^25
// covers every optimum a power law can put on the iso-FLOP line.
constexpr double kLogSearchMargin = 25.0;
// ln D search around ln N when solving for the optimal tokens of a model.
constexpr double kLogTokensSearch = 40.0;
// u = ln(N/N_min - 1) search for loss-constrained minima: N from
// N_min (1 + 1e-13) to N_min e^30.
constexpr double kLogExcessLow = -30.0;
constexpr double kLogExcessHigh = 30.0;

std::string Num(double v) { return internal::FormatNumber(v); }

void RequirePositive(double value, const char* field, const char* what) {
  if (!(value > 0.0) || !std::isfinite(value)) {
    throw InvalidInput(InputLocation{"", 0, field},
                       std::string("must be a positive finite ") + what +
                           ", got " + Num(value));
  }
}

// The ln N interval searched for the compute-optimal model at s = C/6:
// centred on ln sqrt(s), kLogSearchMargin e-folds beyond the budget's range.
std::pair<double, double> LogParamsInterval(double s) {
  const double log_s = std::log(s);
  const double center = 0.5 * log_s;
  const double half = 0.5 * std::fabs(log_s) + kLogSearchMargin;
  return {center - half, center + half};
}

void FillLoss(const laws::LossLaw& law, Allocation& a) {
  a.terms = law.Decompose(a.params, a.tokens);
  a.loss = a.terms.total();
}

OptimumResult NotApplicable(SolveMethod method, const std::string& why) {
  OptimumResult r;
  r.status = SolveStatus::kNotApplicable;
  r.method = method;
  r.message = why;
  return r;
}

OptimumResult Unreachable(SolveMethod method, double target, double floor) {
  OptimumResult r;
  r.status = SolveStatus::kUnreachable;
  r.method = method;
  r.message = "target loss " + Num(target) +
              " is at or below the law's irreducible loss " + Num(floor);
  return r;
}

void FromSearch(const internal::ScalarMinimum& m, OptimumResult& r) {
  r.iterations = m.iterations;
  if (!m.converged) {
    r.status = SolveStatus::kNotConverged;
    r.message = "Brent's method did not converge in " +
                std::to_string(m.iterations) + " iterations";
  } else if (m.on_boundary) {
    r.status = SolveStatus::kNotConverged;
    r.message = "the optimum lies on the edge of the search interval";
  }
}

}  // namespace

std::string_view ToString(SolveStatus status) {
  constexpr EnumNames<SolveStatus, 4> kNames{
      {{"ok", SolveStatus::kOk},
       {"not_converged", SolveStatus::kNotConverged},
       {"unreachable", SolveStatus::kUnreachable},
       {"not_applicable", SolveStatus::kNotApplicable}}};
  return EnumName(status, kNames);
}

std::string_view ToString(SolveMethod method) {
  switch (method) {
    case SolveMethod::kClosedForm:
      return "closed_form";
    case SolveMethod::kNumerical:
      return "numerical";
    case SolveMethod::kPublishedFrontier:
      return "published_frontier";
  }
  return "";
}

// ---------------------------------------------------------------------------
// Budget -> N*, D*.

namespace {

// A closed-form optimum spending `training_flops`, with its loss.
OptimumResult ClosedFormResult(const laws::ClosedFormOptimum& x,
                               double training_flops,
                               const laws::LossLaw& loss) {
  OptimumResult r;
  r.method = SolveMethod::kClosedForm;
  r.allocation.params = x.params;
  r.allocation.tokens = x.tokens;
  r.allocation.training_flops = training_flops;
  FillLoss(loss, r.allocation);
  return r;
}

}  // namespace

OptimumResult ComputeOptimalClosedForm(const laws::ClosedFormAllocator& form,
                                       const laws::LossLaw& loss,
                                       const ComputeOptimalOptions& options) {
  RequirePositive(options.training_flops, "training_flops", "number of FLOPs");
  return ClosedFormResult(
      form.OptimumAt(options.training_flops), options.training_flops, loss);
}

OptimumResult ComputeOptimalClosedForm(const laws::ChinchillaForm& law,
                                       const ComputeOptimalOptions& options) {
  const laws::ChinchillaLawForm form(law);
  return ComputeOptimalClosedForm(form, *form.loss(), options);
}

OptimumResult ComputeOptimalNumerical(const laws::LossLaw& law,
                                      const ComputeOptimalOptions& options) {
  RequirePositive(options.training_flops, "training_flops", "number of FLOPs");
  const double s = options.training_flops / kTrainingFlopsPerParamToken;
  const auto [lo, hi] = LogParamsInterval(s);
  const auto loss_at = [&](double log_params) {
    const double n = std::exp(log_params);
    return law.Loss(n, s / n);
  };
  const internal::ScalarMinimum m =
      internal::MinimiseScalar(loss_at, lo, hi, options.minimiser);
  OptimumResult r;
  r.method = SolveMethod::kNumerical;
  r.allocation.params = std::exp(m.x);
  r.allocation.tokens = s / r.allocation.params;
  r.allocation.training_flops = options.training_flops;
  FillLoss(law, r.allocation);
  FromSearch(m, r);
  return r;
}

OptimumResult ComputeOptimalRepeated(const laws::LossLaw& law,
                                     const RepeatedOptimalOptions& options) {
  RequirePositive(options.training_flops, "training_flops", "number of FLOPs");
  RequirePositive(options.unique_tokens, "unique_tokens", "number of tokens");
  const double s = options.training_flops / kTrainingFlopsPerParamToken;
  const auto [lo, hi] = LogParamsInterval(s);
  const laws::DataBudget data{options.unique_tokens};
  const auto loss_at = [&](double log_params) {
    const double n = std::exp(log_params);
    return law.LossRepeated(n, s / n, data);
  };
  // The scan: the best point and its neighbours bracket the minimum.
  const double step = (hi - lo) / (kRepeatedScanPoints - 1);
  int best = 0;
  double best_loss = std::numeric_limits<double>::infinity();
  for (int i = 0; i < kRepeatedScanPoints; ++i) {
    const double v = loss_at(lo + step * i);
    if (v < best_loss) {
      best_loss = v;
      best = i;
    }
  }
  const internal::ScalarMinimum m = internal::MinimiseScalar(
      loss_at,
      lo + step * std::max(best - 1, 0),
      lo + step * std::min(best + 1, kRepeatedScanPoints - 1),
      options.minimiser);
  OptimumResult r;
  r.method = SolveMethod::kNumerical;
  r.allocation.params = std::exp(m.x);
  r.allocation.tokens = s / r.allocation.params;
  r.allocation.training_flops = options.training_flops;
  r.allocation.terms =
      law.DecomposeRepeated(r.allocation.params, r.allocation.tokens, data);
  r.allocation.loss = r.allocation.terms.total();
  r.iterations = m.iterations;
  if (!m.converged) {
    FromSearch(m, r);
  } else if (best == 0 || best == kRepeatedScanPoints - 1) {
    r.status = SolveStatus::kNotConverged;
    r.message = "the optimum lies on the edge of the search interval";
  }
  return r;
}

OptimumResult PublishedAllocation(const laws::Law& law,
                                  const ComputeOptimalOptions& options) {
  RequirePositive(options.training_flops, "training_flops", "number of FLOPs");
  const std::optional<laws::PowerLawFrontier> frontier =
      law.published_allocation();
  if (!frontier) {
    return NotApplicable(
        SolveMethod::kPublishedFrontier,
        "law '" + law.name() + "' has no published allocation");
  }
  OptimumResult r;
  r.method = SolveMethod::kPublishedFrontier;
  r.allocation.params = frontier->OptimalParams(options.training_flops);
  r.allocation.tokens = frontier->OptimalTokens(options.training_flops);
  r.allocation.training_flops = options.training_flops;
  if (const laws::KaplanLaw* k = law.kaplan()) {
    r.allocation.loss =
        k->LossFromCompute(options.training_flops).value_or(kNaN);
  }
  return r;
}

OptimumResult ComputeOptimal(const laws::Law& law,
                             const ComputeOptimalOptions& options) {
  if (const laws::ClosedFormAllocator* c = law.closed_form())
    return ComputeOptimalClosedForm(*c, *law.loss_law(), options);
  if (const laws::LossLaw* l = law.loss_law())
    return ComputeOptimalNumerical(*l, options);
  return PublishedAllocation(law, options);
}

// ---------------------------------------------------------------------------
// Target loss -> minimum compute.

namespace internal {

LossConstrainedMinimum MinimiseAtLoss(const laws::LossLaw& law,
                                      double target_loss,
                                      double per_param_cost,
                                      const MinimiserOptions& options) {
  LossConstrainedMinimum out;
  const double n_min = law.ParamsForLossWithUnlimitedData(target_loss);
  if (!std::isfinite(n_min) || !(target_loss > law.IrreducibleLoss()))
    return out;
  out.reachable = true;
  const auto params_at = [n_min](double u) {
    return n_min * (1.0 + std::exp(u));
  };
  // Log of the cost keeps the objective's scale moderate over the interval.
  const auto log_cost = [&](double u) {
    const double n = params_at(u);
    const double d = law.TokensForLoss(n, target_loss);
    return std::log(kTrainingFlopsPerParamToken * n * d + per_param_cost * n);
  };
  out.search = MinimiseScalar(log_cost, kLogExcessLow, kLogExcessHigh, options);
  out.params = params_at(out.search.x);
  out.tokens = law.TokensForLoss(out.params, target_loss);
  return out;
}

}  // namespace internal

OptimumResult MinimumComputeClosedForm(const laws::ClosedFormAllocator& form,
                                       const laws::LossLaw& loss,
                                       const MinimumComputeOptions& options) {
  RequirePositive(options.target_loss, "target_loss", "loss");
  const double floor = loss.IrreducibleLoss();
  if (options.target_loss <= floor) {
    return Unreachable(SolveMethod::kClosedForm, options.target_loss, floor);
  }
  const double flops = form.ComputeForLoss(options.target_loss);
  return ComputeOptimalClosedForm(
      form, loss, ComputeOptimalOptions{flops, options.minimiser});
}

OptimumResult MinimumComputeClosedForm(const laws::ChinchillaForm& law,
                                       const MinimumComputeOptions& options) {
  const laws::ChinchillaLawForm form(law);
  return MinimumComputeClosedForm(form, *form.loss(), options);
}

OptimumResult MinimumComputeNumerical(const laws::LossLaw& law,
                                      const MinimumComputeOptions& options) {
  RequirePositive(options.target_loss, "target_loss", "loss");
  const internal::LossConstrainedMinimum m = internal::MinimiseAtLoss(
      law, options.target_loss, 0.0, options.minimiser);
  if (!m.reachable) {
    return Unreachable(
        SolveMethod::kNumerical, options.target_loss, law.IrreducibleLoss());
  }
  OptimumResult r;
  r.method = SolveMethod::kNumerical;
  r.allocation.params = m.params;
  r.allocation.tokens = m.tokens;
  r.allocation.training_flops =
      kTrainingFlopsPerParamToken * m.params * m.tokens;
  FillLoss(law, r.allocation);
  FromSearch(m.search, r);
  return r;
}

OptimumResult MinimumCompute(const laws::Law& law,
                             const MinimumComputeOptions& options) {
  if (const laws::ClosedFormAllocator* c = law.closed_form())
    return MinimumComputeClosedForm(*c, *law.loss_law(), options);
  if (const laws::LossLaw* l = law.loss_law())
    return MinimumComputeNumerical(*l, options);
  return NotApplicable(SolveMethod::kPublishedFrontier,
                       "frontier law '" + law.name() + "' predicts no loss");
}

// ---------------------------------------------------------------------------
// Ratio and target loss -> the model of that ratio reaching the loss.

OptimumResult AllocationAtRatio(const laws::LossLaw& law,
                                const AtRatioOptions& options) {
  RequirePositive(options.tokens_per_param, "tokens_per_param", "ratio");
  RequirePositive(options.target_loss, "target_loss", "loss");
  const double r = options.tokens_per_param;
  const double l = options.target_loss;
  if (l <= law.IrreducibleLoss()) {
    return Unreachable(SolveMethod::kNumerical, l, law.IrreducibleLoss());
  }
  // g falls with ln N; above 0 at N_min(l), where even unlimited data only
  // just reaches l, so N_min bounds the root from below.
  const auto g = [&](double log_params) {
    const double n = std::exp(log_params);
    return law.Loss(n, r * n) - l;
  };
  const double n_min = law.ParamsForLossWithUnlimitedData(l);
  double lo = std::log(n_min);
  if (!std::isfinite(lo)) lo = 0.0;
  double hi = lo + 1.0;
  // Double the bracket until the loss falls below l (a few steps: the
  // data term falls as a power of N).
  for (int i = 0; i < 64 && g(hi) > 0.0; ++i) hi = lo + 2.0 * (hi - lo);
  OptimumResult result;
  result.method = SolveMethod::kNumerical;
  const internal::ScalarRoot root =
      internal::FindRoot(g, lo, hi, options.minimiser);
  result.iterations = root.iterations;
  if (!root.converged) {
    result.status = SolveStatus::kNotConverged;
    result.message = "no model of " + Num(r) +
                     " tokens per parameter reaches a loss of " + Num(l);
    return result;
  }
  result.allocation.params = std::exp(root.x);
  result.allocation.tokens = r * result.allocation.params;
  result.allocation.training_flops = kTrainingFlopsPerParamToken *
                                     result.allocation.params *
                                     result.allocation.tokens;
  FillLoss(law, result.allocation);
  return result;
}

// ---------------------------------------------------------------------------
// Model size -> compute-optimal tokens.

OptimumResult OptimalTokensClosedForm(const laws::ClosedFormAllocator& form,
                                      const laws::LossLaw& loss,
                                      const OptimalTokensOptions& options) {
  RequirePositive(options.params, "params", "parameter count");
  const laws::ClosedFormOptimum x = form.OptimumForParams(options.params);
  return ClosedFormResult(x, x.training_flops, loss);
}

OptimumResult OptimalTokensClosedForm(const laws::ChinchillaForm& law,
                                      const OptimalTokensOptions& options) {
  const laws::ChinchillaLawForm form(law);
  return OptimalTokensClosedForm(form, *form.loss(), options);
}

OptimumResult OptimalTokensNumerical(const laws::LossLaw& law,
                                     const OptimalTokensOptions& options) {
  RequirePositive(options.params, "params", "parameter count");
  const double n = options.params;
  // Along C = 6ND, dL/dlnN = dL/dlnN|_D - dL/dlnD|_N; zero at the optimum.
  const auto slope = [&](double log_tokens) {
    const laws::LossGradient g = law.LogGradient(n, std::exp(log_tokens));
    return g.dloss_dlog_params - g.dloss_dlog_tokens;
  };
  const double log_n = std::log(n);
  const internal::ScalarRoot root = internal::FindRoot(slope,
                                                       log_n - kLogTokensSearch,
                                                       log_n + kLogTokensSearch,
                                                       options.minimiser);
  OptimumResult r;
  r.method = SolveMethod::kNumerical;
  r.iterations = root.iterations;
  if (!root.converged) {
    r.status = SolveStatus::kNotConverged;
    r.message = "no optimal token count found within e^" +
                Num(kLogTokensSearch) + " of the parameter count";
    return r;
  }
  r.allocation.params = n;
  r.allocation.tokens = std::exp(root.x);
  r.allocation.training_flops =
      kTrainingFlopsPerParamToken * n * r.allocation.tokens;
  FillLoss(law, r.allocation);
  return r;
}

OptimumResult OptimalTokens(const laws::Law& law,
                            const OptimalTokensOptions& options) {
  if (const laws::ClosedFormAllocator* c = law.closed_form())
    return OptimalTokensClosedForm(*c, *law.loss_law(), options);
  if (const laws::LossLaw* l = law.loss_law())
    return OptimalTokensNumerical(*l, options);
  RequirePositive(options.params, "params", "parameter count");
  const laws::PowerLawFrontier& f = *law.frontier();
  OptimumResult r;
  r.method = SolveMethod::kPublishedFrontier;
  r.allocation.params = options.params;
  r.allocation.training_flops = f.FlopsForOptimalParams(options.params);
  r.allocation.tokens = f.OptimalTokens(r.allocation.training_flops);
  return r;
}

// ---------------------------------------------------------------------------
// Table 2 exponents.

namespace {

void RequireBudgets(const ExponentOptions& options) {
  RequirePositive(options.flops_low, "flops_low", "number of FLOPs");
  RequirePositive(options.flops_high, "flops_high", "number of FLOPs");
  if (!(options.flops_high > options.flops_low)) {
    throw InvalidInput(InputLocation{"", 0, "flops_high"},
                       "must exceed flops_low");
  }
}

AllocationExponents Slopes(const Allocation& low,
                           const Allocation& high,
                           double span) {
  AllocationExponents e;
  e.params_exponent = std::log(high.params / low.params) / span;
  e.tokens_exponent = std::log(high.tokens / low.tokens) / span;
  return e;
}

}  // namespace

AllocationExponents OptimalAllocationExponents(const laws::Law& law,
                                               const ExponentOptions& options) {
  RequireBudgets(options);
  AllocationExponents e;
  if (const laws::ClosedFormAllocator* c = law.closed_form()) {
    e.method = SolveMethod::kClosedForm;
    e.params_exponent = c->params_exponent();
    e.tokens_exponent = c->tokens_exponent();
    return e;
  }
  if (const laws::PowerLawFrontier* f = law.frontier()) {
    e.method = SolveMethod::kPublishedFrontier;
    e.params_exponent = f->params_exponent;
    e.tokens_exponent = f->tokens_exponent;
    return e;
  }
  const laws::LossLaw& l = *law.loss_law();
  const OptimumResult low = ComputeOptimalNumerical(
      l, ComputeOptimalOptions{options.flops_low, options.minimiser});
  const OptimumResult high = ComputeOptimalNumerical(
      l, ComputeOptimalOptions{options.flops_high, options.minimiser});
  if (!low.ok() || !high.ok()) {
    e.status = SolveStatus::kNotConverged;
    e.method = SolveMethod::kNumerical;
    e.message = !low.ok() ? low.message : high.message;
    return e;
  }
  e = Slopes(low.allocation,
             high.allocation,
             std::log(options.flops_high / options.flops_low));
  e.method = SolveMethod::kNumerical;
  return e;
}

AllocationExponents PublishedAllocationExponents(
    const laws::Law& law, const ExponentOptions& options) {
  RequireBudgets(options);
  const OptimumResult low = PublishedAllocation(
      law, ComputeOptimalOptions{options.flops_low, options.minimiser});
  if (!low.ok()) {
    AllocationExponents e;
    e.status = low.status;
    e.method = SolveMethod::kPublishedFrontier;
    e.message = low.message;
    return e;
  }
  const OptimumResult high = PublishedAllocation(
      law, ComputeOptimalOptions{options.flops_high, options.minimiser});
  AllocationExponents e =
      Slopes(low.allocation,
             high.allocation,
             std::log(options.flops_high / options.flops_low));
  e.method = SolveMethod::kPublishedFrontier;
  return e;
}

}  // namespace scalesim::plan

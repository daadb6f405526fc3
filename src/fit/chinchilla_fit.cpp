#include "scalesim/fit/chinchilla_fit.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>

#include "scalesim/core/enum_names.hpp"

#include "fit/chinchilla_objective.hpp"
#include "fit/parallel.hpp"

namespace scalesim::fit {
namespace internal {
namespace {

// exp() of more than this overflows double (e^709.78 = DBL_MAX): such a
// trial point is reported as undefined so the line search backs off.
constexpr double kMaxExponentArgument = 700.0;

bool ValidPoint(const DataPoint& p) {
  return std::isfinite(p.params) && p.params > 0.0 && std::isfinite(p.tokens) &&
         p.tokens > 0.0 && std::isfinite(p.loss) && p.loss > 0.0;
}

std::string Format(double v) {
  std::ostringstream s;
  s.precision(4);
  s << v;
  return s.str();
}

}  // namespace

std::string Diagnose(const ChinchillaParams& p, double min_loss) {
  std::string why;
  auto add = [&why](const std::string& s) {
    why += (why.empty() ? "" : "; ") + s;
  };
  const double big_e = std::exp(p.e);
  if (big_e < kCollapsedIrreducibleFraction * min_loss) {
    add("irreducible loss E = " + Format(big_e) + " collapsed towards 0 (< " +
        Format(kCollapsedIrreducibleFraction) + " x the smallest loss " +
        Format(min_loss) + ")");
  }
  for (const auto& [name, v] :
       {std::pair<const char*, double>{"alpha", p.alpha}, {"beta", p.beta}}) {
    if (!(v > kMinExponent))
      add(std::string(name) + " = " + Format(v) + " is not positive");
    if (v > kMaxExponent) {
      add(std::string(name) + " = " + Format(v) +
          " beyond the start grid's range [0, 2]");
    }
  }
  for (const auto& [name, v] :
       {std::pair<const char*, double>{"A", p.a}, {"B", p.b}}) {
    if (v > kMaxLogCoefficient) {
      add(std::string(name) + " = " + Format(std::exp(v)) + " is huge (log > " +
          Format(kMaxLogCoefficient) + ")");
    }
  }
  return why;
}

ChinchillaData MakeChinchillaData(const Dataset& data,
                                  const std::vector<int>* counts) {
  ChinchillaData d;
  d.min_loss = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < data.points.size(); ++i) {
    const int w = counts == nullptr ? 1 : (*counts)[i];
    if (w <= 0) continue;
    const DataPoint& p = data.points[i];
    d.log_n.push_back(std::log(p.params));
    d.log_d.push_back(std::log(p.tokens));
    d.log_l.push_back(std::log(p.loss));
    d.weight.push_back(static_cast<double>(w));
    d.num_points += w;
    d.min_loss = std::min(d.min_loss, p.loss);
  }
  while (!d.weight.empty() && d.weight.size() % kKernelPadding != 0) {
    d.log_n.push_back(d.log_n.back());
    d.log_d.push_back(d.log_d.back());
    d.log_l.push_back(d.log_l.back());
    d.weight.push_back(0.0);
  }
  return d;
}

bool ChinchillaObjective::Evaluate(const double* x,
                                   double* cost,
                                   double* gradient) {
  for (int i = 0; i < 5; ++i) {
    if (!std::isfinite(x[i])) return false;
  }
  if (x[2] > kMaxExponentArgument) return false;
  const KernelOutput out = ChinchillaKernel(input_, x, delta_, gradient);
  // exp overflowed, or s underflowed to 0 (log = -inf): undefined here.
  if (!(out.max_exponent <= kMaxExponentArgument) || !(out.min_sum > 0.0))
    return false;
  *cost = out.cost;
  return std::isfinite(out.cost);
}

std::vector<double> ToVector(const ChinchillaParams& p) {
  return {p.a, p.b, p.e, p.alpha, p.beta};
}

ChinchillaParams FromVector(const std::vector<double>& x) {
  return ChinchillaParams{x[0], x[1], x[2], x[3], x[4]};
}

ChinchillaFit FitPrepared(const ChinchillaData& data,
                          const std::vector<std::vector<double>>& starts,
                          const ChinchillaFitOptions& options,
                          int num_threads,
                          const ProgressCallback& progress) {
  ChinchillaFit fit;
  const ObjectiveFactory make = [&data, &options] {
    return std::make_unique<ChinchillaObjective>(data, options.huber_delta);
  };
  const std::vector<double> x =
      FitFromStarts(starts, make, options, num_threads, progress, fit);
  fit.num_points = data.num_points;
  if (x.empty()) return fit;
  fit.params = FromVector(x);
  fit.law = fit.params.ToForm();
  const std::string why = Diagnose(fit.params, data.min_loss);
  if (!why.empty()) MarkIllPosed(fit, why);
  return fit;
}

}  // namespace internal

laws::ChinchillaForm ChinchillaParams::ToForm() const {
  laws::ChinchillaForm f;
  f.E = std::exp(e);
  f.A = std::exp(a);
  f.B = std::exp(b);
  f.alpha = alpha;
  f.beta = beta;
  return f;
}

ChinchillaParams ChinchillaParams::FromForm(const laws::ChinchillaForm& f) {
  return ChinchillaParams{
      std::log(f.A), std::log(f.B), std::log(f.E), f.alpha, f.beta};
}

std::vector<ChinchillaParams> HoffmannStartGrid() {
  const double exponents[] = {0.0, 0.5, 1.0, 1.5, 2.0};
  const double log_e[] = {-1.0, -0.5, 0.0, 0.5, 1.0};
  const double log_coefficients[] = {0.0, 5.0, 10.0, 15.0, 20.0, 25.0};
  std::vector<ChinchillaParams> grid;
  grid.reserve(4500);
  for (double alpha : exponents) {
    for (double beta : exponents) {
      for (double e : log_e) {
        for (double a : log_coefficients) {
          for (double b : log_coefficients)
            grid.push_back(ChinchillaParams{a, b, e, alpha, beta});
        }
      }
    }
  }
  return grid;
}

std::string_view ToString(FitStatus status) {
  constexpr EnumNames<FitStatus, 4> kNames{
      {{"converged", FitStatus::kConverged},
       {"ill-posed", FitStatus::kIllPosed},
       {"not converged", FitStatus::kNotConverged},
       {"failed", FitStatus::kFailed}}};
  return EnumName(status, kNames);
}

ChinchillaFit FitChinchilla(const Dataset& data,
                            const ChinchillaFitOptions& options) {
  for (std::size_t i = 0; i < data.points.size(); ++i) {
    if (!internal::ValidPoint(data.points[i])) {
      ChinchillaFit fit;
      fit.message = "point " + std::to_string(i + 1) +
                    " has a non-positive or non-finite value";
      return fit;
    }
  }
  if (data.points.size() < 5) {
    ChinchillaFit fit;
    fit.num_points = static_cast<int>(data.points.size());
    fit.message = "needs at least 5 points for 5 parameters, got " +
                  std::to_string(data.points.size());
    return fit;
  }
  const internal::ChinchillaData prepared = internal::MakeChinchillaData(data);
  const std::vector<ChinchillaParams> grid =
      options.starts.empty() ? HoffmannStartGrid() : options.starts;
  std::vector<std::vector<double>> starts;
  starts.reserve(grid.size());
  for (const ChinchillaParams& p : grid)
    starts.push_back(internal::ToVector(p));
  return internal::FitPrepared(prepared,
                               starts,
                               options,
                               internal::ResolveThreads(options.num_threads),
                               options.progress);
}

double ChinchillaObjective(const Dataset& data,
                           const laws::ChinchillaForm& form,
                           double huber_delta) {
  const internal::ChinchillaData prepared = internal::MakeChinchillaData(data);
  internal::ChinchillaObjective objective(prepared, huber_delta);
  const std::vector<double> x =
      internal::ToVector(ChinchillaParams::FromForm(form));
  double cost = std::numeric_limits<double>::quiet_NaN();
  if (!objective.Evaluate(x.data(), &cost, nullptr))
    return std::numeric_limits<double>::quiet_NaN();
  return cost;
}

ComputeOptimal ChinchillaComputeOptimal(const laws::ChinchillaForm& f,
                                        double training_flops) {
  // Eq. 4 lives in the laws module (laws::ChinchillaLawForm).
  const laws::ChinchillaLawForm form(f);
  const laws::ClosedFormOptimum x = form.OptimumAt(training_flops);
  ComputeOptimal o;
  o.a = form.params_exponent();
  o.b = form.tokens_exponent();
  o.params = x.params;
  o.tokens = x.tokens;
  o.loss = f.Loss(o.params, o.tokens);
  return o;
}

}  // namespace scalesim::fit

#include "scalesim/fit/data_constrained_fit.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>

#include <ceres/jet.h>

#include "fit/chinchilla_objective.hpp"
#include "fit/data_constrained_objective.hpp"
#include "fit/kaplan_objective.hpp"
#include "fit/parallel.hpp"

namespace scalesim::fit {
namespace internal {
namespace {

constexpr int kNumParameters = 7;
// exp() of more than this overflows double (as in chinchilla_fit.cpp).
constexpr double kMaxExponentArgument = 700.0;

using Jet = ceres::Jet<double, kNumParameters>;

bool ValidPoint(const DataPoint& p) {
  return std::isfinite(p.params) && p.params > 0.0 && std::isfinite(p.tokens) &&
         p.tokens > 0.0 && std::isfinite(p.loss) && p.loss > 0.0 &&
         std::isfinite(p.unique_tokens) && p.unique_tokens > 0.0;
}

std::string Format(double v) {
  std::ostringstream s;
  s.precision(4);
  s << v;
  return s.str();
}

// Diagnose() of the Chinchilla part, and decay scales the runs cannot have
// measured.
std::string DiagnoseRepeated(const DataConstrainedParams& p, double min_loss) {
  std::string why = Diagnose(p.chinchilla, min_loss);
  for (const auto& [name, log_value] :
       {std::pair<const char*, double>{"R_D*", p.r_d}, {"R_N*", p.r_n}}) {
    if (std::exp(log_value) > kMaxRepetitionScale) {
      why += (why.empty() ? "" : "; ") + std::string(name) + " = " +
             Format(std::exp(log_value)) + " is beyond " +
             Format(kMaxRepetitionScale) +
             " repetitions: the runs do not measure its decay";
    }
  }
  return why;
}

}  // namespace

// A decay no run measures: R_D* without a run that repeats its tokens (D >
// U), R_N* without one whose N exceeds U_N at the fitted constants. The
// objective is then flat in it and the fit returns its start.
std::string UnmeasuredDecays(const Dataset& data,
                             const laws::DataConstrainedConstants& c) {
  const laws::DataConstrainedLaw law(c);
  bool tokens = false;
  bool params = false;
  for (const DataPoint& p : data.points) {
    tokens = tokens || p.tokens > p.unique_tokens;
    params = params || p.params > law.OptimalParamsForUniqueTokens(
                                      std::min(p.unique_tokens, p.tokens));
  }
  std::string why;
  if (!tokens) {
    why = "no run repeats its data (every D <= U): R_D* is not measured";
  }
  if (!params) {
    why += std::string(why.empty() ? "" : "; ") +
           "no run has more parameters than U_N (Eq. 15): R_N* is not "
           "measured";
  }
  return why;
}

RepeatedRuns MakeRepeatedRuns(const Dataset& data,
                              const std::vector<int>* counts) {
  RepeatedRuns r;
  r.min_loss = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < data.points.size(); ++i) {
    const int w = counts == nullptr ? 1 : (*counts)[i];
    if (w <= 0) continue;
    const DataPoint& p = data.points[i];
    r.params.push_back(p.params);
    r.tokens.push_back(p.tokens);
    r.unique_tokens.push_back(p.unique_tokens);
    r.log_l.push_back(std::log(p.loss));
    r.weight.push_back(static_cast<double>(w));
    r.num_points += w;
    r.min_loss = std::min(r.min_loss, p.loss);
  }
  return r;
}

bool DataConstrainedObjective::Evaluate(const double* x,
                                        double* cost,
                                        double* gradient) {
  for (int i = 0; i < kNumParameters; ++i) {
    if (!std::isfinite(x[i])) return false;
  }
  if (!(x[3] > 0.0) || !(x[4] > 0.0)) return false;  // U_N needs alpha > 0
  for (int i : {0, 1, 2, 5, 6}) {
    if (std::fabs(x[i]) > kMaxExponentArgument) return false;
  }
  Jet v[kNumParameters];
  for (int i = 0; i < kNumParameters; ++i) v[i] = Jet(x[i], i);
  const Jet& a = v[0];
  const Jet& b = v[1];
  const Jet& e = v[2];
  const Jet& alpha = v[3];
  const Jet& beta = v[4];
  const Jet r_d_star = exp(v[5]);
  const Jet r_n_star = exp(v[6]);
  const Jet g = laws::FrontierG(exp(a), exp(b), alpha, beta);
  Jet total(0.0);
  for (std::size_t i = 0; i < runs_.weight.size(); ++i) {
    const laws::EffectiveSizeOf<Jet> n_d =
        laws::DataConstrainedEffective(Jet(runs_.params[i]),
                                       Jet(runs_.tokens[i]),
                                       Jet(runs_.unique_tokens[i]),
                                       g,
                                       alpha,
                                       beta,
                                       r_d_star,
                                       r_n_star);
    // LSE(a - alpha log N', b - beta log D', e), shifted by its largest term.
    const Jet t1 = a - alpha * log(n_d.params);
    const Jet t2 = b - beta * log(n_d.tokens);
    const Jet m = t1 < t2 ? (t2 < e ? e : t2) : (t1 < e ? e : t1);
    const Jet predicted = m + log(exp(t1 - m) + exp(t2 - m) + exp(e - m));
    const Jet r = predicted - Jet(runs_.log_l[i]);
    // Huber(r) to first order: value Huber(r.a), slope HuberSlope(r.a).
    const double w = runs_.weight[i];
    total.a += w * Huber(r.a, delta_);
    total.v += (w * HuberSlope(r.a, delta_)) * r.v;
  }
  if (!std::isfinite(total.a)) return false;
  *cost = total.a;
  if (gradient != nullptr) {
    for (int i = 0; i < kNumParameters; ++i) {
      gradient[i] = total.v[i];
      if (!std::isfinite(gradient[i])) return false;
    }
  }
  return true;
}

std::vector<double> ToVector(const DataConstrainedParams& p) {
  const ChinchillaParams& c = p.chinchilla;
  return {c.a, c.b, c.e, c.alpha, c.beta, p.r_d, p.r_n};
}

DataConstrainedParams DataConstrainedFromVector(const std::vector<double>& x) {
  return DataConstrainedParams{
      ChinchillaParams{x[0], x[1], x[2], x[3], x[4]}, x[5], x[6]};
}

DataConstrainedFit FitRepeatedRuns(
    const RepeatedRuns& runs,
    const std::vector<std::vector<double>>& starts,
    const DataConstrainedFitOptions& options,
    int num_threads,
    const ProgressCallback& progress) {
  DataConstrainedFit fit;
  const ObjectiveFactory make = [&runs, &options] {
    return std::make_unique<DataConstrainedObjective>(runs,
                                                      options.huber_delta);
  };
  const std::vector<double> x =
      FitFromStarts(starts, make, options, num_threads, progress, fit);
  fit.num_points = runs.num_points;
  if (x.empty()) return fit;
  fit.params = DataConstrainedFromVector(x);
  fit.law = fit.params.ToConstants();
  const std::string why = DiagnoseRepeated(fit.params, runs.min_loss);
  if (!why.empty()) MarkIllPosed(fit, why);
  return fit;
}

}  // namespace internal

laws::DataConstrainedConstants DataConstrainedParams::ToConstants() const {
  laws::DataConstrainedConstants c;
  c.chinchilla = chinchilla.ToForm();
  c.r_d_star = std::exp(r_d);
  c.r_n_star = std::exp(r_n);
  return c;
}

DataConstrainedParams DataConstrainedParams::FromConstants(
    const laws::DataConstrainedConstants& c) {
  return DataConstrainedParams{ChinchillaParams::FromForm(c.chinchilla),
                               std::log(c.r_d_star),
                               std::log(c.r_n_star)};
}

DataConstrainedFit FitDataConstrained(
    const Dataset& data, const DataConstrainedFitOptions& options) {
  for (std::size_t i = 0; i < data.points.size(); ++i) {
    if (!internal::ValidPoint(data.points[i])) {
      DataConstrainedFit fit;
      fit.message = "point " + std::to_string(i + 1) +
                    " has a non-positive or non-finite value (N, D, U or "
                    "loss)";
      return fit;
    }
  }
  if (data.points.size() < 7) {
    DataConstrainedFit fit;
    fit.num_points = static_cast<int>(data.points.size());
    fit.message = "needs at least 7 points for 7 parameters, got " +
                  std::to_string(data.points.size());
    return fit;
  }
  const int threads = internal::ResolveThreads(options.num_threads);
  std::vector<std::vector<double>> starts;
  int stage_one_runs = 0;
  FitStatus stage_one_status = FitStatus::kFailed;
  if (!options.starts.empty()) {
    for (const DataConstrainedParams& p : options.starts)
      starts.push_back(internal::ToVector(p));
  } else {
    // Stage 1: Approach 3 on the runs that see each token once.
    Dataset unique;
    unique.source = data.source;
    for (const DataPoint& p : data.points) {
      if (p.tokens <= p.unique_tokens) unique.points.push_back(p);
    }
    const Dataset& stage_one =
        static_cast<int>(unique.points.size()) >= kMinStageOneRuns ? unique
                                                                   : data;
    ChinchillaFitOptions o;
    static_cast<MultiStartOptions&>(o) = options;
    o.progress = nullptr;
    const ChinchillaFit base = FitChinchilla(stage_one, o);
    stage_one_runs = static_cast<int>(stage_one.points.size());
    stage_one_status = base.status;
    // A failed stage 1 (no finite objective) leaves Hoffmann's printed fit
    // as the Chinchilla part of the starts.
    ChinchillaParams c = base.status == FitStatus::kFailed
                             ? ChinchillaParams::FromForm(laws::ChinchillaForm{
                                   1.69, 406.4, 410.7, 0.34, 0.28})
                             : base.params;
    c.alpha = std::max(c.alpha, kMinStartExponent);
    c.beta = std::max(c.beta, kMinStartExponent);
    for (double r_d : kRepetitionScaleStarts) {
      for (double r_n : kRepetitionScaleStarts) {
        starts.push_back(internal::ToVector(
            DataConstrainedParams{c, std::log(r_d), std::log(r_n)}));
      }
    }
  }
  const internal::RepeatedRuns runs = internal::MakeRepeatedRuns(data);
  DataConstrainedFit fit = internal::FitRepeatedRuns(
      runs, starts, options, threads, options.progress);
  fit.stage_one_runs = stage_one_runs;
  fit.stage_one_status = stage_one_status;
  if (fit.status == FitStatus::kConverged ||
      fit.status == FitStatus::kIllPosed) {
    const std::string why = internal::UnmeasuredDecays(data, fit.law);
    if (!why.empty()) {
      fit.message =
          (fit.status == FitStatus::kIllPosed ? fit.message + "; " : "") + why;
      fit.status = FitStatus::kIllPosed;
    }
  }
  return fit;
}

double DataConstrainedObjective(const Dataset& data,
                                const laws::DataConstrainedConstants& c,
                                double huber_delta) {
  const internal::RepeatedRuns runs = internal::MakeRepeatedRuns(data);
  internal::DataConstrainedObjective objective(runs, huber_delta);
  const std::vector<double> x =
      internal::ToVector(DataConstrainedParams::FromConstants(c));
  double cost = std::numeric_limits<double>::quiet_NaN();
  if (!objective.Evaluate(x.data(), &cost, nullptr))
    return std::numeric_limits<double>::quiet_NaN();
  return cost;
}

}  // namespace scalesim::fit

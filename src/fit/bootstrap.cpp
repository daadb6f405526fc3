#include "scalesim/fit/bootstrap.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <optional>
#include <random>

#include "scalesim/laws/uncertainty.hpp"

#include "fit/chinchilla_objective.hpp"
#include "fit/data_constrained_objective.hpp"
#include "fit/kaplan_objective.hpp"
#include "fit/parallel.hpp"

namespace scalesim::fit {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// One refit: the values of the named quantities (in BootstrapSummary order)
// and whether the refit settled (converged and well-posed), or nullopt when
// it has no finite optimum.
struct Refit {
  std::vector<double> values;
  bool settled = true;
};
using RefitFn =
    std::function<std::optional<Refit>(const std::vector<int>& counts)>;

BootstrapSummary Run(std::size_t num_points,
                     const std::vector<std::string>& names,
                     const std::vector<double>& full_values,
                     const BootstrapOptions& options,
                     const RefitFn& refit) {
  BootstrapSummary summary;
  summary.resamples = std::max(options.resamples, 0);
  summary.seed = options.seed;
  std::vector<std::optional<Refit>> refits(
      static_cast<std::size_t>(summary.resamples));
  internal::ParallelFor(
      summary.resamples,
      internal::ResolveThreads(options.num_threads),
      [&](std::int64_t index, int /*worker*/) {
        refits[static_cast<std::size_t>(index)] =
            refit(ResampleCounts(num_points, options.seed, index));
      },
      options.progress);
  std::vector<std::vector<double>> columns(names.size());
  for (const std::optional<Refit>& r : refits) {
    if (!r) continue;
    bool finite = true;
    for (double v : r->values) finite = finite && std::isfinite(v);
    if (!finite) continue;
    ++summary.usable;
    summary.unsettled += r->settled ? 0 : 1;
    summary.samples.push_back(r->values);
    for (std::size_t k = 0; k < names.size(); ++k)
      columns[k].push_back(r->values[k]);
  }
  for (std::size_t k = 0; k < names.size(); ++k) {
    BootstrapEstimate e;
    e.name = names[k];
    e.value = full_values[k];
    std::vector<double>& v = columns[k];
    if (v.size() < 2) {
      e.std_error = e.ci95_low = e.ci95_high = kNaN;
    } else {
      double mean = 0.0;
      for (double x : v) mean += x;
      mean /= static_cast<double>(v.size());
      double ss = 0.0;
      for (double x : v) ss += (x - mean) * (x - mean);
      e.std_error = std::sqrt(ss / static_cast<double>(v.size() - 1));
      std::sort(v.begin(), v.end());
      // Hyndman & Fan type 7, as every interval over draws.
      e.ci95_low = laws::PercentileType7(v, 0.025);
      e.ci95_high = laws::PercentileType7(v, 0.975);
    }
    summary.estimates.push_back(std::move(e));
  }
  return summary;
}

bool Settled(FitStatus s) { return s == FitStatus::kConverged; }

}  // namespace

const BootstrapEstimate* BootstrapSummary::Find(std::string_view name) const {
  for (const BootstrapEstimate& e : estimates) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

std::uint64_t ResampleSeed(std::uint64_t seed, std::int64_t index) {
  std::uint64_t z =
      seed + (static_cast<std::uint64_t>(index) + 1U) * 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31U);
}

std::vector<int> ResampleCounts(std::size_t n,
                                std::uint64_t seed,
                                std::int64_t index) {
  std::vector<int> counts(n, 0);
  if (n == 0) return counts;
  std::mt19937_64 rng(ResampleSeed(seed, index));
  std::uniform_int_distribution<std::size_t> pick(0, n - 1);
  for (std::size_t i = 0; i < n; ++i) ++counts[pick(rng)];
  return counts;
}

std::vector<ChinchillaParams> BootstrapStarts(
    const Dataset& /*data*/,
    const ChinchillaFit& full,
    const ChinchillaFitOptions& options) {
  std::vector<ChinchillaParams> starts{full.params};
  const std::vector<ChinchillaParams> grid =
      options.starts.empty() ? HoffmannStartGrid() : options.starts;
  const std::vector<int>& basin = full.basin_starts;
  const std::size_t take =
      std::min<std::size_t>(kBootstrapGridStarts, basin.size());
  for (std::size_t k = 0; k < take; ++k) {
    // Evenly spread over the basin's starts: k-th of `take` quantiles.
    const std::size_t pos = take == 1 ? 0 : k * (basin.size() - 1) / (take - 1);
    starts.push_back(grid[static_cast<std::size_t>(basin[pos])]);
  }
  return starts;
}

BootstrapSummary BootstrapChinchilla(const Dataset& data,
                                     const ChinchillaFit& full,
                                     const ChinchillaFitOptions& fit_options,
                                     const BootstrapOptions& options) {
  std::vector<std::string> names{"E", "A", "B", "alpha", "beta", "a", "b"};
  const bool budget = options.budget_flops > 0.0;
  if (budget) names.insert(names.end(), {"N_opt", "D_opt"});
  auto values = [&](const laws::ChinchillaForm& f) {
    const ComputeOptimal o =
        ChinchillaComputeOptimal(f, budget ? options.budget_flops : 1.0);
    std::vector<double> v{f.E, f.A, f.B, f.alpha, f.beta, o.a, o.b};
    if (budget) v.insert(v.end(), {o.params, o.tokens});
    return v;
  };
  std::vector<std::vector<double>> starts;
  for (const ChinchillaParams& p : BootstrapStarts(data, full, fit_options)) {
    starts.push_back(internal::ToVector(p));
  }
  ChinchillaFitOptions refit_options = fit_options;
  refit_options.progress = nullptr;
  refit_options.polish =
      false;  // start_settings already resolve the spread between resamples
  const RefitFn refit =
      [&](const std::vector<int>& counts) -> std::optional<Refit> {
    const internal::ChinchillaData d =
        internal::MakeChinchillaData(data, &counts);
    const ChinchillaFit f =
        internal::FitPrepared(d, starts, refit_options, 1, nullptr);
    if (f.status == FitStatus::kFailed) return std::nullopt;
    return Refit{values(f.law), Settled(f.status)};
  };
  return Run(data.points.size(), names, values(full.law), options, refit);
}

BootstrapSummary BootstrapDataConstrained(
    const Dataset& data,
    const DataConstrainedFit& full,
    const DataConstrainedFitOptions& fit_options,
    const BootstrapOptions& options) {
  std::vector<std::string> names{
      "E", "A", "B", "alpha", "beta", "R_D_star", "R_N_star", "a", "b"};
  const bool budget = options.budget_flops > 0.0;
  if (budget) names.insert(names.end(), {"N_opt", "D_opt"});
  auto values = [&](const laws::DataConstrainedConstants& c) {
    const laws::ChinchillaForm& f = c.chinchilla;
    const ComputeOptimal o =
        ChinchillaComputeOptimal(f, budget ? options.budget_flops : 1.0);
    std::vector<double> v{
        f.E, f.A, f.B, f.alpha, f.beta, c.r_d_star, c.r_n_star, o.a, o.b};
    if (budget) v.insert(v.end(), {o.params, o.tokens});
    return v;
  };
  const std::vector<std::vector<double>> starts{
      internal::ToVector(full.params)};
  DataConstrainedFitOptions refit_options = fit_options;
  refit_options.progress = nullptr;
  refit_options.polish = false;
  const RefitFn refit =
      [&](const std::vector<int>& counts) -> std::optional<Refit> {
    const internal::RepeatedRuns runs =
        internal::MakeRepeatedRuns(data, &counts);
    const DataConstrainedFit f =
        internal::FitRepeatedRuns(runs, starts, refit_options, 1, nullptr);
    if (f.status == FitStatus::kFailed) return std::nullopt;
    return Refit{values(f.law), Settled(f.status)};
  };
  return Run(data.points.size(), names, values(full.law), options, refit);
}

BootstrapSummary BootstrapKaplanJoint(const Dataset& data,
                                      const KaplanJointFit& full,
                                      const MultiStartOptions& fit_options,
                                      const BootstrapOptions& options) {
  const KaplanJointConstants& c = full.constants;
  const std::vector<std::vector<double>> starts{
      {std::log(c.n_c), std::log(c.d_c), c.alpha_n / c.alpha_d, c.alpha_d}};
  MultiStartOptions refit_options = fit_options;
  refit_options.progress = nullptr;
  refit_options.polish = false;
  const RefitFn refit =
      [&](const std::vector<int>& counts) -> std::optional<Refit> {
    const internal::LogRuns runs = internal::MakeJointRuns(data, &counts);
    const KaplanJointFit f =
        internal::FitJointRuns(runs, starts, refit_options, 1, nullptr);
    if (f.status == FitStatus::kFailed) return std::nullopt;
    const KaplanJointConstants& k = f.constants;
    return Refit{{k.n_c, k.d_c, k.alpha_n, k.alpha_d}, Settled(f.status)};
  };
  return Run(data.points.size(),
             {"N_c", "D_c", "alpha_N", "alpha_D"},
             {c.n_c, c.d_c, c.alpha_n, c.alpha_d},
             options,
             refit);
}

BootstrapSummary BootstrapPowerLaw(const Dataset& data,
                                   const PowerLawFit& full,
                                   const MultiStartOptions& fit_options,
                                   const BootstrapOptions& options) {
  const PowerLawConstants& c = full.constants;
  const std::vector<std::vector<double>> starts{
      c.irreducible ? std::vector<double>{std::log(c.A), std::log(c.E), c.alpha}
                    : std::vector<double>{std::log(c.A), c.alpha}};
  MultiStartOptions refit_options = fit_options;
  refit_options.progress = nullptr;
  refit_options.polish = false;
  auto values = [](const PowerLawConstants& k) {
    return k.irreducible ? std::vector<double>{k.E, k.A, k.alpha}
                         : std::vector<double>{k.x_c, k.A, k.alpha};
  };
  const RefitFn refit =
      [&](const std::vector<int>& counts) -> std::optional<Refit> {
    const internal::LogRuns runs =
        internal::MakePowerRuns(data, c.variable, &counts);
    const PowerLawFit f = internal::FitPowerRuns(
        runs, c.variable, c.irreducible, starts, refit_options, 1, nullptr);
    if (f.status == FitStatus::kFailed) return std::nullopt;
    return Refit{values(f.constants), Settled(f.status)};
  };
  const std::vector<std::string> names =
      c.irreducible
          ? std::vector<std::string>{"E", "A", "alpha"}
          : std::vector<std::string>{
                std::string(ToString(c.variable)) + "_c", "A", "alpha"};
  return Run(data.points.size(), names, values(c), options, refit);
}

BootstrapSummary BootstrapIsoFlop(const Dataset& data,
                                  const IsoFlopFit& full,
                                  const IsoFlopOptions& fit_options,
                                  const BootstrapOptions& options) {
  std::vector<std::string> names{"a", "b", "k_N", "k_D"};
  const bool budget = options.budget_flops > 0.0;
  if (budget) names.insert(names.end(), {"N_opt", "D_opt"});
  auto values = [&](const IsoFlopFit& f) {
    std::vector<double> v{f.params_fit.exponent,
                          f.tokens_fit.exponent,
                          f.params_fit.coefficient,
                          f.tokens_fit.coefficient};
    if (budget) {
      v.insert(v.end(),
               {f.params_fit.At(options.budget_flops),
                f.tokens_fit.At(options.budget_flops)});
    }
    return v;
  };
  const RefitFn refit =
      [&](const std::vector<int>& counts) -> std::optional<Refit> {
    Dataset resample;
    for (std::size_t i = 0; i < counts.size(); ++i) {
      for (int k = 0; k < counts[i]; ++k)
        resample.points.push_back(data.points[i]);
    }
    const IsoFlopFit f = FitIsoFlop(resample, fit_options);
    if (f.status == FitStatus::kFailed) return std::nullopt;
    return Refit{values(f), Settled(f.status)};
  };
  return Run(data.points.size(), names, values(full), options, refit);
}

std::string IdentifiabilityProblems(const BootstrapSummary& summary,
                                    double min_loss) {
  std::string why;
  auto add = [&why](const std::string& s) {
    why += (why.empty() ? "" : "; ") + s;
  };
  auto fmt = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return std::string(buf);
  };
  for (const BootstrapEstimate& e : summary.estimates) {
    if (!std::isfinite(e.ci95_low) || !std::isfinite(e.ci95_high)) continue;
    const std::string interval =
        "[" + fmt(e.ci95_low) + ", " + fmt(e.ci95_high) + "]";
    if (e.name == "E" &&
        e.ci95_low < kCollapsedIrreducibleFraction * min_loss) {
      add("E not distinguishable from 0 (95% interval " + interval + ")");
    }
    if ((e.name == "alpha" || e.name == "beta" || e.name == "alpha_N" ||
         e.name == "alpha_D") &&
        !(e.ci95_low > 0.0)) {
      add(e.name + " not distinguishable from 0 (95% interval " + interval +
          ")");
    }
    if ((e.name == "A" || e.name == "B" || e.name == "N_c" || e.name == "D_c" ||
         e.name == "C_c" || e.name == "R_D_star" || e.name == "R_N_star") &&
        !(e.ci95_high <= kMaxCoefficientIntervalRatio * e.ci95_low)) {
      add(e.name + " not determined (95% interval " + interval + ")");
    }
  }
  if (summary.usable > 0 &&
      static_cast<double>(summary.unsettled) >
          kMaxUnsettledFraction * static_cast<double>(summary.usable)) {
    add(std::to_string(summary.unsettled) + " of " +
        std::to_string(summary.usable) +
        " bootstrap refits did not converge or were ill-posed");
  }
  if (summary.usable * 2 < summary.resamples) {
    add("only " + std::to_string(summary.usable) + " of " +
        std::to_string(summary.resamples) + " bootstrap refits succeeded");
  }
  return why;
}

}  // namespace scalesim::fit

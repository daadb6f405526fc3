// Bootstrap uncertainty of fitted laws (Efron & Tibshirani 1993; applied to
// Approach 3 by Besiroglu et al. 2024 Sec. 3): resample the runs with
// replacement, refit, and report for every quantity
//   - the standard error: the sample standard deviation (n - 1) of the
//     refitted values;
//   - the 95 % percentile interval: the 2.5th and 97.5th percentiles of the
//     refitted values, linearly interpolated between order statistics
//     (Hyndman & Fan 1996 type 7, numpy's default).
//
// Reproducibility: resample i draws its n indices with std::mt19937_64
// seeded by ResampleSeed(seed, i), so the result does not depend on the
// number of threads or on scheduling. The indices come from
// std::uniform_int_distribution, whose algorithm the C++ standard leaves to
// the library: the same seed gives the same resamples with the same standard
// library (libstdc++ here).
//
// Chinchilla refits (speed, a documented choice): a refit does not rerun the
// 4,500-point grid. It starts L-BFGS from BootstrapStarts(full fit): the
// full-data optimum plus up to kBootstrapGridStarts grid points that reached
// the full fit's best basin, spread evenly over the grid order, and keeps the
// best, without the polishing run (the starts' own stopping rules resolve
// the constants far below their spread across resamples). A resample is a
// small perturbation of the data, so its optimum lies in the same basin;
// tests/fit/bootstrap_test.cpp checks on resamples that these starts reach
// the same objective as the full grid.
#ifndef SCALESIM_FIT_BOOTSTRAP_HPP_
#define SCALESIM_FIT_BOOTSTRAP_HPP_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scalesim/fit/chinchilla_fit.hpp"
#include "scalesim/fit/data_constrained_fit.hpp"
#include "scalesim/fit/dataset.hpp"
#include "scalesim/fit/fit_status.hpp"
#include "scalesim/fit/isoflop_fit.hpp"
#include "scalesim/fit/kaplan_fit.hpp"

namespace scalesim::fit {

inline constexpr int kDefaultBootstrapResamples = 4000;  // issue 5
inline constexpr int kBootstrapGridStarts = 2;

struct BootstrapOptions {
  int resamples = kDefaultBootstrapResamples;
  std::uint64_t seed = 0;
  int num_threads = 0;  // 0: std::thread::hardware_concurrency()
  // > 0: also the compute-optimal N* and D* at this training budget (FLOPs).
  double budget_flops = 0.0;
  ProgressCallback progress;
};

struct BootstrapEstimate {
  std::string name;    // "E", "A", "B", "alpha", "beta", "a", "b", "N_opt", ...
  double value = 0.0;  // from the full data
  double std_error = 0.0;  // NaN with fewer than 2 usable refits
  double ci95_low = 0.0;
  double ci95_high = 0.0;
};

struct BootstrapSummary {
  int resamples = 0;
  int usable = 0;     // refits with a finite optimum (the intervals use these)
  int unsettled = 0;  // of those, refits not converged or ill-posed
  std::uint64_t seed = 0;
  std::vector<BootstrapEstimate> estimates;
  // The refitted values themselves (for histograms): one row per usable
  // refit, in resample order, one value per estimate in the order of
  // `estimates`.
  std::vector<std::vector<double>> samples;

  // nullptr when no estimate has that name.
  const BootstrapEstimate* Find(std::string_view name) const;
};

// Seed of resample `index`: the SplitMix64 finaliser (Steele, Lea & Flood
// 2014) of seed + (index + 1)·0x9E3779B97F4A7C15.
std::uint64_t ResampleSeed(std::uint64_t seed, std::int64_t index);
// How often each of n runs is drawn in resample `index` (sums to n).
std::vector<int> ResampleCounts(std::size_t n,
                                std::uint64_t seed,
                                std::int64_t index);

// The starts of a Chinchilla bootstrap refit (see the header comment). Needs
// the grid the full fit used (empty: HoffmannStartGrid()).
std::vector<ChinchillaParams> BootstrapStarts(
    const Dataset& data,
    const ChinchillaFit& full,
    const ChinchillaFitOptions& options);

// E, A, B, alpha, beta, a = beta/(alpha+beta), b = alpha/(alpha+beta) and,
// with a budget, N_opt and D_opt (ChinchillaComputeOptimal).
BootstrapSummary BootstrapChinchilla(const Dataset& data,
                                     const ChinchillaFit& full,
                                     const ChinchillaFitOptions& fit_options,
                                     const BootstrapOptions& options);

// E, A, B, alpha, beta, R_D_star, R_N_star (the law file's names), a, b of
// the unlimited-data frontier (Eq. 3, as for the Chinchilla form) and, with
// a budget, its N_opt and D_opt. Refits start from the full-data optimum
// alone (no polishing run, as for the Kaplan forms).
BootstrapSummary BootstrapDataConstrained(
    const Dataset& data,
    const DataConstrainedFit& full,
    const DataConstrainedFitOptions& fit_options,
    const BootstrapOptions& options);

// N_c, D_c, alpha_N, alpha_D. Refits start from the full-data optimum (no
// polishing run, as for the Chinchilla form).
BootstrapSummary BootstrapKaplanJoint(const Dataset& data,
                                      const KaplanJointFit& full,
                                      const MultiStartOptions& fit_options,
                                      const BootstrapOptions& options);

// E (with the irreducible term), A, x_c (pure form), alpha. Refits start
// from the full-data optimum (no polishing run).
BootstrapSummary BootstrapPowerLaw(const Dataset& data,
                                   const PowerLawFit& full,
                                   const MultiStartOptions& fit_options,
                                   const BootstrapOptions& options);

// a, b, k_N, k_D and, with a budget, N_opt and D_opt from the regressions.
// Each resample regroups its runs; resamples with fewer than 2 usable
// budgets are not usable.
BootstrapSummary BootstrapIsoFlop(const Dataset& data,
                                  const IsoFlopFit& full,
                                  const IsoFlopOptions& fit_options,
                                  const BootstrapOptions& options);

// What the bootstrap says about identifiability (empty when nothing): a fit
// can converge to a precise optimum of a function the data barely constrain.
// Checked, by estimate name:
//   - "E": the 95 % interval reaches below kCollapsedIrreducibleFraction of
//     the smallest observed loss `min_loss` (E not distinguishable from 0);
//   - exponents ("alpha", "beta", "alpha_N", "alpha_D"): the interval
//     reaches 0;
//   - coefficients and scales ("A", "B", "N_c", "D_c", "C_c", "R_D_star",
//     "R_N_star"):
//     the interval spans more than a factor kMaxCoefficientIntervalRatio;
//   - more than kMaxUnsettledFraction of the usable refits did not converge
//     or were ill-posed.
// `scalesim fit` reports a converged fit with such problems as ill-posed.
inline constexpr double kMaxCoefficientIntervalRatio = 1e3;
inline constexpr double kMaxUnsettledFraction = 0.1;
std::string IdentifiabilityProblems(const BootstrapSummary& summary,
                                    double min_loss);

}  // namespace scalesim::fit

#endif  // SCALESIM_FIT_BOOTSTRAP_HPP_

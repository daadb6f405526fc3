// Fitting Muennighoff et al. 2023's data-constrained form
// (laws/data_constrained.hpp) to training runs that repeat their data:
//
//   L(N, D, U) = E + A/N'^alpha + B/D'^beta
//
// with N' and D' of Eqs. 5-6 and U_N of Eq. 15 (laws::
// DataConstrainedEffective: the law's own definition, differentiated here
// with ceres::Jet). All seven constants are fitted jointly; alpha and beta
// are FREE (not tied: Muennighoff et al.'s published fit has alpha = beta =
// 0.3526596, which a fit of this form recovers from data that have it, but
// it does not impose it). The objective is Approach 3's (Hoffmann et al.
// 2022 App. D.2), over every run:
//
//   minimise over (a, b, e, alpha, beta, r_D, r_N)
//     sum_i Huber_delta(LSE(a - alpha log N'_i, b - beta log D'_i, e)
//                       - log L_i)
//
// with A = e^a, B = e^b, E = e^e, R_D* = e^r_D, R_N* = e^r_N (the log keeps
// the decay scales positive) and delta = 1e-3.
//
// Starts (in two stages, a documented choice: the seven-parameter objective
// costs far more per evaluation than Approach 3's SIMD kernel, and its
// Chinchilla part is what the 4,500-point grid is for):
//   1. Approach 3 exactly (FitChinchilla, HoffmannStartGrid) on the runs that
//      see every token once (D <= U), or on all runs when fewer than 5 do;
//   2. L-BFGS on all seven parameters from that optimum combined with every
//      R_D*, R_N* in {1, 3, 10, 30, 100} (25 starts), the lowest objective
//      kept, polished and its basin counted (MultiStartOptions).
// Stage 1's exponents are raised to kMinStartExponent when it returns less
// (U_N divides by alpha).
#ifndef SCALESIM_FIT_DATA_CONSTRAINED_FIT_HPP_
#define SCALESIM_FIT_DATA_CONSTRAINED_FIT_HPP_

#include <vector>

#include "scalesim/fit/chinchilla_fit.hpp"
#include "scalesim/fit/dataset.hpp"
#include "scalesim/fit/fit_status.hpp"
#include "scalesim/laws/data_constrained.hpp"

namespace scalesim::fit {

// The optimisation variables (the header comment's x).
struct DataConstrainedParams {
  ChinchillaParams chinchilla;  // a, b, e, alpha, beta
  double r_d = 0.0;             // log R_D*
  double r_n = 0.0;             // log R_N*

  laws::DataConstrainedConstants ToConstants() const;
  static DataConstrainedParams FromConstants(
      const laws::DataConstrainedConstants& constants);
};

// Stage 2's decay scales R_D*, R_N* (each paired with each: 25 starts).
inline constexpr double kRepetitionScaleStarts[] = {
    1.0, 3.0, 10.0, 30.0, 100.0};
// Stage 1's exponents below this are raised to it in the starts.
inline constexpr double kMinStartExponent = 0.05;
// Fewer unique-data runs than this: stage 1 fits every run.
inline constexpr int kMinStageOneRuns = 5;
// R_D* or R_N* above this many repetitions: the runs do not measure a
// decay (Muennighoff et al. fit 5.3 and 15.4 over 1 to 500 epochs); the fit
// is ill-posed.
inline constexpr double kMaxRepetitionScale = 1e4;

struct DataConstrainedFitOptions : MultiStartOptions {
  // Empty: the two stages above. Otherwise stage 2 starts from these alone
  // and stage 1 is skipped.
  std::vector<DataConstrainedParams> starts;
};

struct DataConstrainedFit : MultiStartSummary {
  laws::DataConstrainedConstants law;
  DataConstrainedParams params;  // at the optimum
  int stage_one_runs = 0;        // runs stage 1 fitted (0: skipped)
  FitStatus stage_one_status = FitStatus::kFailed;
};

// Fits the form to `data`; every point needs a finite unique_tokens U > 0.
DataConstrainedFit FitDataConstrained(
    const Dataset& data, const DataConstrainedFitOptions& options = {});

// The objective above at `constants` (NaN where it is undefined).
double DataConstrainedObjective(const Dataset& data,
                                const laws::DataConstrainedConstants& constants,
                                double huber_delta = kHoffmannHuberDelta);

}  // namespace scalesim::fit

#endif  // SCALESIM_FIT_DATA_CONSTRAINED_FIT_HPP_

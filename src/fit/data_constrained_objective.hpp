// Private to fit: the objective of the data-constrained fit
// (data_constrained_fit.hpp) with its gradient by ceres::Jet, and the fit on
// prepared runs (shared by FitDataConstrained and the bootstrap).
#ifndef SCALESIM_SRC_FIT_DATA_CONSTRAINED_OBJECTIVE_HPP_
#define SCALESIM_SRC_FIT_DATA_CONSTRAINED_OBJECTIVE_HPP_

#include <string>
#include <vector>

#include "scalesim/fit/data_constrained_fit.hpp"

#include "fit/lbfgs.hpp"

namespace scalesim::fit::internal {

// Runs with their multiplicities (bootstrap weights; zero-weight runs left
// out).
struct RepeatedRuns {
  std::vector<double> params;
  std::vector<double> tokens;
  std::vector<double> unique_tokens;
  std::vector<double> log_l;
  std::vector<double> weight;
  double min_loss = 0.0;
  int num_points = 0;  // sum of the weights
};
RepeatedRuns MakeRepeatedRuns(const Dataset& data,
                              const std::vector<int>* counts = nullptr);

// x = (a, b, e, alpha, beta, log R_D*, log R_N*); undefined (false) where
// alpha or beta <= 0 or an exponential would overflow.
class DataConstrainedObjective final : public Objective {
 public:
  DataConstrainedObjective(const RepeatedRuns& runs, double huber_delta)
      : runs_(runs), delta_(huber_delta) {}
  int NumParameters() const override { return 7; }
  bool Evaluate(const double* x, double* cost, double* gradient) override;

 private:
  const RepeatedRuns& runs_;
  double delta_;
};

// Why the runs leave R_D* or R_N* unmeasured at `constants` (empty: both
// measured).
std::string UnmeasuredDecays(const Dataset& data,
                             const laws::DataConstrainedConstants& constants);

std::vector<double> ToVector(const DataConstrainedParams& p);
DataConstrainedParams DataConstrainedFromVector(const std::vector<double>& x);

// Stage 2 from `starts` on prepared runs: multi-start, polish, basin count,
// diagnostics.
DataConstrainedFit FitRepeatedRuns(
    const RepeatedRuns& runs,
    const std::vector<std::vector<double>>& starts,
    const DataConstrainedFitOptions& options,
    int num_threads,
    const ProgressCallback& progress);

}  // namespace scalesim::fit::internal

#endif  // SCALESIM_SRC_FIT_DATA_CONSTRAINED_OBJECTIVE_HPP_

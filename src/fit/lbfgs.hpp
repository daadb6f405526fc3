// Private to fit: L-BFGS runs through Ceres' GradientProblemSolver, one or
// many starts (in parallel, deterministic).
#ifndef SCALESIM_SRC_FIT_LBFGS_HPP_
#define SCALESIM_SRC_FIT_LBFGS_HPP_

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "scalesim/fit/fit_status.hpp"

namespace scalesim::fit::internal {

// An objective with its own scratch memory. Evaluate is therefore not
// thread safe: every worker owns one.
class Objective {
 public:
  virtual ~Objective() = default;
  virtual int NumParameters() const = 0;
  // cost = f(x) and, when `gradient` is not null, gradient = ∇f(x). Returns
  // false where f is undefined or not finite; the line search then backs off.
  virtual bool Evaluate(const double* x, double* cost, double* gradient) = 0;
};

using ObjectiveFactory = std::function<std::unique_ptr<Objective>()>;

struct RunOutcome {
  std::vector<double> x;  // final parameters
  double cost =
      std::numeric_limits<double>::infinity();  // f(x); inf if the run failed
  bool converged = false;                       // Ceres termination CONVERGENCE
  int iterations = 0;
};

// One L-BFGS run from `start`. `message` (optional) receives Ceres' summary.
RunOutcome MinimizeLbfgs(Objective& objective,
                         std::vector<double> start,
                         const LbfgsSettings& settings,
                         std::string* message = nullptr);

struct MultiStartOutcome {
  std::vector<RunOutcome> runs;  // one per start, in start order
  std::int64_t best = -1;        // lowest finite cost, ties to the lower index
};

// L-BFGS from every start on `num_threads` workers, each with an objective
// from `make_objective`. The outcome does not depend on the thread count.
MultiStartOutcome MultiStart(const std::vector<std::vector<double>>& starts,
                             const ObjectiveFactory& make_objective,
                             const LbfgsSettings& settings,
                             int num_threads,
                             const ProgressCallback& progress = {});

// Index of the lowest finite cost (ties to the lower index), -1 if none.
std::int64_t BestRun(const std::vector<RunOutcome>& runs);

// A whole multi-start fit (MultiStartOptions): every start, then the best
// run polished, then the basin count. Fills `summary` with status kFailed
// (no finite objective), kNotConverged or kConverged (callers add their
// ill-posedness diagnostics) and returns the best parameters (empty when
// failed). `num_points` is left to the caller.
std::vector<double> FitFromStarts(
    const std::vector<std::vector<double>>& starts,
    const ObjectiveFactory& make_objective,
    const MultiStartOptions& options,
    int num_threads,
    const ProgressCallback& progress,
    MultiStartSummary& summary);

// A fit whose parameters the data cannot identify (`why`, non-empty): a
// converged fit becomes kIllPosed with `why` as its message; any other
// status keeps its message, with `why` added "at the best point".
void MarkIllPosed(MultiStartSummary& summary, const std::string& why);

}  // namespace scalesim::fit::internal

#endif  // SCALESIM_SRC_FIT_LBFGS_HPP_

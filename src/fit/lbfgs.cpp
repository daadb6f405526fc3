#include "fit/lbfgs.hpp"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <utility>

#include <ceres/first_order_function.h>
#include <ceres/gradient_problem.h>
#include <ceres/gradient_problem_solver.h>
#include <glog/logging.h>

#include "fit/parallel.hpp"

namespace scalesim::fit::internal {
namespace {

// Ceres owns the FirstOrderFunction of a GradientProblem; this adapter lets
// it borrow a worker's objective instead.
class Borrowed final : public ceres::FirstOrderFunction {
 public:
  explicit Borrowed(Objective& objective) : objective_(objective) {}
  bool Evaluate(const double* x,
                double* cost,
                double* gradient) const override {
    return objective_.Evaluate(x, cost, gradient);
  }
  int NumParameters() const override { return objective_.NumParameters(); }

 private:
  Objective& objective_;
};

// Ceres logs a glog WARNING when a line-search interpolation degenerates
// ("Trying to extract roots from a constant polynomial", two trial points
// with equal cost) and then falls back to bisection: harmless, and the fit's
// status already says how each run ended. Raise glog's threshold to ERROR
// once, before the first solve, so such lines never reach the user's stderr.
void QuietCeresLogging() {
  static std::once_flag once;
  std::call_once(once, [] {
    FLAGS_minloglevel = std::max(FLAGS_minloglevel, google::GLOG_ERROR);
  });
}

ceres::GradientProblemSolver::Options SolverOptions(const LbfgsSettings& s) {
  QuietCeresLogging();
  ceres::GradientProblemSolver::Options o;
  o.line_search_direction_type = ceres::LBFGS;
  o.line_search_type = ceres::WOLFE;
  o.max_lbfgs_rank = s.max_lbfgs_rank;
  o.max_num_iterations = s.max_iterations;
  o.function_tolerance = s.function_tolerance;
  o.gradient_tolerance = s.gradient_tolerance;
  o.parameter_tolerance = s.parameter_tolerance;
  o.logging_type = ceres::SILENT;
  return o;
}

RunOutcome Run(const ceres::GradientProblem& problem,
               Objective& objective,
               std::vector<double> x,
               const ceres::GradientProblemSolver::Options& options,
               std::string* message) {
  ceres::GradientProblemSolver::Summary summary;
  ceres::Solve(options, problem, x.data(), &summary);
  RunOutcome r;
  double cost = 0.0;
  // Ceres leaves x at the last accepted point; evaluate there ourselves so
  // the reported cost is exactly f(x).
  if (objective.Evaluate(x.data(), &cost, nullptr) && std::isfinite(cost))
    r.cost = cost;
  r.x = std::move(x);
  r.converged = summary.termination_type == ceres::CONVERGENCE;
  r.iterations = static_cast<int>(summary.iterations.size());
  if (message != nullptr) *message = summary.message;
  return r;
}

}  // namespace

RunOutcome MinimizeLbfgs(Objective& objective,
                         std::vector<double> start,
                         const LbfgsSettings& settings,
                         std::string* message) {
  const ceres::GradientProblem problem(new Borrowed(objective));
  return Run(
      problem, objective, std::move(start), SolverOptions(settings), message);
}

std::int64_t BestRun(const std::vector<RunOutcome>& runs) {
  std::int64_t best = -1;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (!std::isfinite(runs[i].cost)) continue;
    if (best < 0 || runs[i].cost < runs[static_cast<std::size_t>(best)].cost) {
      best = static_cast<std::int64_t>(i);
    }
  }
  return best;
}

MultiStartOutcome MultiStart(const std::vector<std::vector<double>>& starts,
                             const ObjectiveFactory& make_objective,
                             const LbfgsSettings& settings,
                             int num_threads,
                             const ProgressCallback& progress) {
  MultiStartOutcome out;
  out.runs.resize(starts.size());
  const int threads = ResolveThreads(num_threads);
  struct Worker {
    std::unique_ptr<Objective> objective;
    std::unique_ptr<ceres::GradientProblem> problem;
  };
  std::vector<Worker> workers(static_cast<std::size_t>(threads));
  const ceres::GradientProblemSolver::Options options = SolverOptions(settings);
  ParallelFor(
      static_cast<std::int64_t>(starts.size()),
      threads,
      [&](std::int64_t task, int worker) {
        Worker& w = workers[static_cast<std::size_t>(worker)];
        if (!w.objective) {
          w.objective = make_objective();
          w.problem = std::make_unique<ceres::GradientProblem>(
              new Borrowed(*w.objective));
        }
        const auto i = static_cast<std::size_t>(task);
        out.runs[i] =
            Run(*w.problem, *w.objective, starts[i], options, nullptr);
      },
      progress);
  out.best = BestRun(out.runs);
  return out;
}

std::vector<double> FitFromStarts(
    const std::vector<std::vector<double>>& starts,
    const ObjectiveFactory& make_objective,
    const MultiStartOptions& options,
    int num_threads,
    const ProgressCallback& progress,
    MultiStartSummary& summary) {
  summary.num_starts = static_cast<int>(starts.size());
  const MultiStartOutcome grid = MultiStart(
      starts, make_objective, options.start_settings, num_threads, progress);
  summary.converged_starts = 0;
  for (const RunOutcome& r : grid.runs)
    summary.converged_starts += r.converged ? 1 : 0;
  if (grid.best < 0) {
    summary.status = FitStatus::kFailed;
    summary.message = "no start reached a finite objective";
    return {};
  }
  summary.best_start = static_cast<int>(grid.best);
  RunOutcome best = grid.runs[static_cast<std::size_t>(grid.best)];
  if (options.polish) {
    const std::unique_ptr<Objective> objective = make_objective();
    RunOutcome polished = MinimizeLbfgs(
        *objective, best.x, options.polish_settings, &summary.solver_message);
    if (polished.cost <= best.cost) {
      best = std::move(polished);
    } else {
      best.converged =
          polished
              .converged;  // no better point nearby: the start's optimum stands
    }
  }
  summary.objective = best.cost;
  summary.best_converged = best.converged;
  const double tolerance =
      options.basin_relative_tolerance * std::abs(summary.objective) +
      options.basin_absolute_tolerance;
  summary.basin_starts.clear();
  for (std::size_t i = 0; i < grid.runs.size(); ++i) {
    if (grid.runs[i].cost <= summary.objective + tolerance) {
      summary.basin_starts.push_back(static_cast<int>(i));
    }
  }
  summary.best_basin_starts = static_cast<int>(summary.basin_starts.size());
  if (!summary.best_converged) {
    summary.status = FitStatus::kNotConverged;
    summary.message = "the best start did not meet a stopping rule";
    if (!summary.solver_message.empty())
      summary.message += " (" + summary.solver_message + ")";
  } else {
    summary.status = FitStatus::kConverged;
    summary.message = "converged";
  }
  return best.x;
}

void MarkIllPosed(MultiStartSummary& summary, const std::string& why) {
  if (summary.status == FitStatus::kConverged) {
    summary.status = FitStatus::kIllPosed;
    summary.message = why;
  } else {
    summary.message += "; at the best point: " + why;
  }
}

}  // namespace scalesim::fit::internal

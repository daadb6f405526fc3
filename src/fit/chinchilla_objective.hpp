// Private to fit: the Approach 3 objective of Hoffmann et al. 2022 App. D.2
// with its analytic gradient, and the fit on prepared data (shared by
// FitChinchilla and the bootstrap).
#ifndef SCALESIM_SRC_FIT_CHINCHILLA_OBJECTIVE_HPP_
#define SCALESIM_SRC_FIT_CHINCHILLA_OBJECTIVE_HPP_

#include <string>
#include <vector>

#include "scalesim/fit/chinchilla_fit.hpp"

#include "fit/chinchilla_kernel.hpp"
#include "fit/lbfgs.hpp"

namespace scalesim::fit::internal {

// Runs in log space with multiplicities (a bootstrap resample is the same
// data with integer weights; points drawn zero times are left out), padded
// for the kernel (chinchilla_kernel.hpp).
struct ChinchillaData {
  std::vector<double> log_n;
  std::vector<double> log_d;
  std::vector<double> log_l;
  std::vector<double> weight;
  double min_loss = 0.0;
  int num_points = 0;  // sum of the weights

  KernelInput Input() const {
    return KernelInput{
        log_n.data(), log_d.data(), log_l.data(), weight.data(), log_n.size()};
  }
};

// All points of `data` with weight 1, or with weight counts[i] when given.
ChinchillaData MakeChinchillaData(const Dataset& data,
                                  const std::vector<int>* counts = nullptr);

// f(a, b, e, alpha, beta) = sum_i w_i Huber_delta(LSE(a - alpha log N_i,
// b - beta log D_i, e) - log L_i) and its gradient:
//   with t1 = e^(a - alpha log N), t2 = e^(b - beta log D), s = t1 + t2 + e^e,
//   r = log s - log L and h = Huber'(r) = r (|r| <= delta) or delta·sign(r):
//   df/da = sum w h t1/s, df/dalpha = -sum w h t1 log N / s, likewise b, beta,
//   df/de = sum w h e^e / s.
// Evaluated by ChinchillaKernel (vectorised, no allocation).
class ChinchillaObjective final : public Objective {
 public:
  ChinchillaObjective(const ChinchillaData& data, double huber_delta)
      : input_(data.Input()), delta_(huber_delta) {}
  int NumParameters() const override { return 5; }
  bool Evaluate(const double* x, double* cost, double* gradient) override;

 private:
  KernelInput input_;
  double delta_;
};

// Ill-posedness diagnostics of the Chinchilla part of a fit (thresholds in
// chinchilla_fit.hpp: collapsed E, exponents outside (0, 2], huge A or B);
// empty when none fired.
std::string Diagnose(const ChinchillaParams& p, double min_loss);

// Parameter vector (a, b, e, alpha, beta) <-> ChinchillaParams.
std::vector<double> ToVector(const ChinchillaParams& p);
ChinchillaParams FromVector(const std::vector<double>& x);

// The fit on prepared data from `starts`: multi-start, polish, basin count,
// diagnostics. `num_threads` workers.
ChinchillaFit FitPrepared(const ChinchillaData& data,
                          const std::vector<std::vector<double>>& starts,
                          const ChinchillaFitOptions& options,
                          int num_threads,
                          const ProgressCallback& progress);

}  // namespace scalesim::fit::internal

#endif  // SCALESIM_SRC_FIT_CHINCHILLA_OBJECTIVE_HPP_

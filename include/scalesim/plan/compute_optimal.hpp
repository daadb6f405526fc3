// Compute-optimal allocation: the model size N* and token count D* that
// minimise a law's loss at a training budget, and the inverse questions.
//
// Budget convention: C = 6 N D training FLOPs (Kaplan et al. 2020 Sec. 2.1;
// Hoffmann et al. 2022 Sec. 3.3 "FLOPs(N, D) ~ 6ND"), N in the law's own
// parameter count (laws::ParamCount).
//
// Chinchilla form, closed form (Hoffmann et al. 2022 Sec. 3.3, Eq. 4):
//   N*(C) = G (C/6)^a,  D*(C) = G^-1 (C/6)^b,
//   G = (alpha A / (beta B))^(1/(alpha+beta)),  a = beta/(alpha+beta),
//   b = alpha/(alpha+beta);
// substituting gives the loss on the frontier
//   L*(C) = E + K (C/6)^-gamma,  K = A G^-alpha + B G^beta,
//   gamma = alpha beta/(alpha+beta),
// and its inverses: the minimum compute for a target loss l,
//   C(l) = 6 (K / (l - E))^(1/gamma),
// and the budget at which N is optimal, C(N) = 6 (N/G)^(1/a).
//
// Any other loss law (Kaplan's joint law, Kaplan et al. 2020 Eq. 1.5),
// numerical:
//   - N* minimises L(N, C/(6N)) over ln N: Brent's method
//     (boost::math::tools::brent_find_minima);
//   - the minimum compute for a loss l minimises 6 N D(N, l) over N >
//     N_min(l), with D(N, l) from LossLaw::TokensForLoss (Brent again);
//   - the tokens that make a given N optimal solve dL/dlnN = dL/dlnD
//     (LossLaw::LogGradient) for ln D: TOMS 748
//     (boost::math::tools::toms748_solve).
// Brent's method locates a minimum to about the square root of machine
// precision: N* to ~1e-7 relative (kNumericalOptimumTolerance in the tests);
// D* = C/(6N*) so 6 N* D* = C holds to rounding.
//
// Published frontiers (Hoffmann Approaches 1 and 2, Kaplan's Sec. 6.1
// allocation) are evaluated as published: laws::PowerLawFrontier.
#ifndef SCALESIM_PLAN_COMPUTE_OPTIMAL_HPP_
#define SCALESIM_PLAN_COMPUTE_OPTIMAL_HPP_

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "scalesim/laws/law.hpp"

namespace scalesim::plan {

// C = 6 N D (Kaplan et al. 2020 Sec. 2.1: 2N forward + 4N backward per token).
inline constexpr double kTrainingFlopsPerParamToken = 6.0;

enum class SolveStatus {
  kOk,
  kNotConverged,  // iteration limit, or the optimum sits on the search boundary
  kUnreachable,   // target loss at or below what the law can reach
  kNotApplicable,  // the law cannot answer (a frontier has no loss)
};
enum class SolveMethod {
  kClosedForm,         // Chinchilla-form formulas above
  kNumerical,          // Brent / TOMS 748 on a LossLaw
  kPublishedFrontier,  // laws::PowerLawFrontier as published
};
std::string_view ToString(SolveStatus status);  // "ok", "not_converged", ...
std::string_view ToString(
    SolveMethod method);  // "closed_form", "numerical", "published_frontier"

struct MinimiserOptions {
  // Bits of precision asked of Brent's method; at most half the mantissa
  // (26 for double) is meaningful for a minimiser without derivatives.
  int brent_bits = std::numeric_limits<double>::digits / 2;
  std::uintmax_t max_iterations = 500;
};

// One (N, D) point with its budget and predicted loss.
struct Allocation {
  double params = 0.0;  // N, in the law's parameter count
  double tokens = 0.0;  // D
  double training_flops =
      0.0;  // C = 6 N D, or the budget asked for (published frontiers)
  // Predicted loss and its decomposition; NaN / zero terms when the law
  // predicts no loss (frontiers).
  double loss = std::numeric_limits<double>::quiet_NaN();
  laws::LossTerms terms;

  double tokens_per_param() const {
    return params > 0.0 ? tokens / params : 0.0;
  }
};

struct OptimumResult {
  SolveStatus status = SolveStatus::kOk;
  SolveMethod method = SolveMethod::kClosedForm;
  std::string message;  // why, when status is not kOk
  Allocation allocation;
  std::uintmax_t iterations = 0;  // numerical methods only

  bool ok() const { return status == SolveStatus::kOk; }
};

// ---------------------------------------------------------------------------
// Budget -> N*, D*.

struct ComputeOptimalOptions {
  double training_flops = 0.0;  // C > 0
  MinimiserOptions minimiser;
};

// Closed form for a Chinchilla-form law. Throws InvalidInput if C <= 0.
OptimumResult ComputeOptimalClosedForm(const laws::ClosedFormAllocator& form,
                                       const laws::LossLaw& loss,
                                       const ComputeOptimalOptions& options);
OptimumResult ComputeOptimalClosedForm(const laws::ChinchillaForm& law,
                                       const ComputeOptimalOptions& options);
// Brent's method over ln N for any loss law. Throws InvalidInput if C <= 0.
OptimumResult ComputeOptimalNumerical(const laws::LossLaw& law,
                                      const ComputeOptimalOptions& options);
// Dispatch: closed form (Chinchilla form), numerical (Kaplan), published
// frontier (frontier laws; loss NaN).
OptimumResult ComputeOptimal(const laws::Law& law,
                             const ComputeOptimalOptions& options);
// The law's published allocation at the budget (frontier laws; Kaplan's
// Sec. 6.1 allocation with C = 2 C_min, loss from L(C_min), Eq. 1.3, when the
// law has it). kNotApplicable for the Chinchilla form.
OptimumResult PublishedAllocation(const laws::Law& law,
                                  const ComputeOptimalOptions& options);

// ---------------------------------------------------------------------------
// Budget and unique tokens -> N*, D* with repeated data: the allocation that
// minimises a law's loss when its D = C/(6N) tokens repeat U unique ones
// (Muennighoff et al. 2023 Sec. 5, the data-constrained optimum; C counts
// every token processed, repeats included, Sec. 2 footnote 1).
//
// Minimises law.LossRepeated(N, C/(6N), {U}) over ln N on the interval of
// ComputeOptimalNumerical. The loss has kinks where D = U and where N = U_N
// (Eq. 15), so a scan of kRepeatedScanPoints log-spaced models finds the
// basin and Brent's method refines it between the best scan point's
// neighbours. The tests hold it to a brute-force grid to 1e-4 relative.

inline constexpr int kRepeatedScanPoints = 512;

struct RepeatedOptimalOptions {
  double training_flops = 0.0;  // C > 0
  double unique_tokens = 0.0;   // U > 0
  MinimiserOptions minimiser;
};

// Throws InvalidInput when C or U is not positive. A law that does not
// model repetition (LossLaw::ModelsRepetition false) gives its ordinary
// optimum (it assumes unique data); laws::Repetition says how a law answers.
OptimumResult ComputeOptimalRepeated(const laws::LossLaw& law,
                                     const RepeatedOptimalOptions& options);

// ---------------------------------------------------------------------------
// Target loss -> minimum compute (the compute-optimal model reaching it).

struct MinimumComputeOptions {
  double target_loss = 0.0;  // in the law's loss units
  MinimiserOptions minimiser;
};

// kUnreachable when target_loss <= E (Chinchilla form) or <= 0 (Kaplan).
OptimumResult MinimumComputeClosedForm(const laws::ClosedFormAllocator& form,
                                       const laws::LossLaw& loss,
                                       const MinimumComputeOptions& options);
OptimumResult MinimumComputeClosedForm(const laws::ChinchillaForm& law,
                                       const MinimumComputeOptions& options);
OptimumResult MinimumComputeNumerical(const laws::LossLaw& law,
                                      const MinimumComputeOptions& options);
// Dispatch as ComputeOptimal; kNotApplicable for frontiers.
OptimumResult MinimumCompute(const laws::Law& law,
                             const MinimumComputeOptions& options);

// ---------------------------------------------------------------------------
// Model size -> compute-optimal tokens (the D, and budget, at which N is N*).
// Also what Hoffmann et al. 2022 Table 3 lists per model size.

struct OptimalTokensOptions {
  double params = 0.0;  // N > 0, in the law's parameter count
  MinimiserOptions minimiser;
};

OptimumResult OptimalTokensClosedForm(const laws::ClosedFormAllocator& form,
                                      const laws::LossLaw& loss,
                                      const OptimalTokensOptions& options);
OptimumResult OptimalTokensClosedForm(const laws::ChinchillaForm& law,
                                      const OptimalTokensOptions& options);
// Solves dL/dlnN = dL/dlnD for ln D (TOMS 748).
OptimumResult OptimalTokensNumerical(const laws::LossLaw& law,
                                     const OptimalTokensOptions& options);
// Dispatch: closed form, numerical, or the inverted published frontier.
OptimumResult OptimalTokens(const laws::Law& law,
                            const OptimalTokensOptions& options);

// ---------------------------------------------------------------------------
// Tokens-per-parameter ratio and target loss -> the model of that ratio that
// reaches the loss (an over- or under-trained model on the iso-loss curve;
// Sardana et al. 2024 Fig. 2 sweeps this ratio).
//
// Solves L(N, r N) = l for ln N with TOMS 748. L(N, rN) falls strictly with N
// for every built-in form, from above l at N_min(l) (the smallest model that
// reaches l with unlimited data, LossLaw::ParamsForLossWithUnlimitedData) to
// the law's irreducible loss, so the root is unique.

struct AtRatioOptions {
  double tokens_per_param = 0.0;  // r = D / N > 0
  double target_loss = 0.0;       // l, in the law's loss units
  MinimiserOptions minimiser;
};

// kUnreachable when l <= the law's irreducible loss. Throws InvalidInput when
// r or l is not a positive finite number.
OptimumResult AllocationAtRatio(const laws::LossLaw& law,
                                const AtRatioOptions& options);

// ---------------------------------------------------------------------------
// Hoffmann et al. 2022 Table 2 exponents recomputed from a law:
// N_opt proportional to C^a, D_opt proportional to C^b.

struct ExponentOptions {
  // Numerical laws: log-log slope of the optimum between these budgets.
  double flops_low = 1e21;
  double flops_high = 1e25;
  MinimiserOptions minimiser;
};

struct AllocationExponents {
  SolveStatus status = SolveStatus::kOk;
  SolveMethod method = SolveMethod::kClosedForm;
  std::string message;
  double params_exponent = std::numeric_limits<double>::quiet_NaN();  // a
  double tokens_exponent = std::numeric_limits<double>::quiet_NaN();  // b

  bool ok() const { return status == SolveStatus::kOk; }
};

// Exponents of the law's compute-optimal frontier under C = 6ND: closed form
// a = beta/(alpha+beta) for the Chinchilla form; the slope of the numerical
// optimum for Kaplan's joint law (exactly alpha_D/(alpha_N+alpha_D) = 0.575,
// not Kaplan's published 0.73, which comes from L(N, S) and C_min, Sec. 6.1);
// the published exponents for a frontier.
AllocationExponents OptimalAllocationExponents(const laws::Law& law,
                                               const ExponentOptions& options);
// Exponents of the law's published allocation, measured as the log-log slope
// of PublishedAllocation between the two budgets (Kaplan: 0.73, 0.27).
// kNotApplicable for the Chinchilla form.
AllocationExponents PublishedAllocationExponents(
    const laws::Law& law, const ExponentOptions& options);

}  // namespace scalesim::plan

#endif  // SCALESIM_PLAN_COMPUTE_OPTIMAL_HPP_

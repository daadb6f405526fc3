// Synthetic training runs from a known law over a Chinchilla-like IsoFLOP
// design, for tests, examples and benchmarks.
//
// Design (after Hoffmann et al. 2022 Sec. 3.2 / Fig. 3, whose nine IsoFLOP
// budgets run from 6e18 to 3e21 FLOPs): `num_budgets` training budgets C
// log-spaced from min_flops to max_flops; at each, `sizes_per_budget` model
// sizes N log-spaced from N*/size_spread to N*·size_spread around the law's
// compute-optimal N* (ChinchillaComputeOptimal), tokens D = C/(6N). With
// round_counts, N and D are rounded to whole numbers and C recomputed as
// 6·N·D. Loss = L(N, D)·exp(noise_sigma·z) with z standard normal: log-normal
// noise of standard deviation noise_sigma in log L.
//
// Data-constrained runs (SynthesizeDataConstrainedDataset): the same design
// once per unique-token budget U (its N* the unlimited-data optimum, Eq. 3),
// each run with its U and the loss L(N, D, U) of Muennighoff et al. 2023
// (laws::DataConstrainedLaw::LossRepeated): several U over the budgets give
// repetition levels D/U from below one epoch to hundreds.
#ifndef SCALESIM_FIT_SYNTHETIC_HPP_
#define SCALESIM_FIT_SYNTHETIC_HPP_

#include <cstdint>
#include <optional>
#include <vector>

#include "scalesim/fit/dataset.hpp"
#include "scalesim/laws/chinchilla_form.hpp"
#include "scalesim/laws/data_constrained.hpp"

namespace scalesim::fit {

struct IsoFlopDesign {
  double min_flops = 6e18;  // Hoffmann et al. 2022 Fig. 3, smallest budget
  double max_flops = 3e21;  // Hoffmann et al. 2022 Fig. 3, largest budget
  int num_budgets = 12;
  int sizes_per_budget = 20;  // 12 x 20 = 240 runs
  double size_spread = 6.0;   // N from N*/6 to 6·N* (about 1.6 decades)
  double noise_sigma = 0.0;   // standard deviation of log L
  std::uint64_t seed = 0;     // of the noise (std::mt19937_64)
  bool round_counts = true;
};

// Normal variates come from std::mt19937_64 (fully specified by the C++
// standard) through the Box-Muller transform written out here, because
// std::normal_distribution's algorithm is implementation-defined: the same
// seed gives the same dataset with every standard library.
Dataset SynthesizeChinchillaDataset(const laws::ChinchillaForm& law,
                                    const IsoFlopDesign& design = {});
// The design once per entry of `unique_tokens` (in that order), every run
// carrying its U.
Dataset SynthesizeDataConstrainedDataset(
    const laws::DataConstrainedConstants& law,
    const IsoFlopDesign& design,
    const std::vector<double>& unique_tokens);

// What `scalesim synth` is asked: constants overriding a base law's, and
// the design, each declared once.
struct SynthRequest {
  std::optional<double> E;
  std::optional<double> A;
  std::optional<double> B;
  std::optional<double> alpha;
  std::optional<double> beta;
  double noise = 0.0;
  std::int64_t seed = 0;
  std::int64_t budgets = 12;
  std::int64_t sizes = 20;
  double min_flops = 6e18;
  double max_flops = 3e21;
  double spread = 6.0;
  std::vector<double> unique_tokens;  // data-constrained runs, per U

  template <typename V>
  void VisitFields(V&& v) {
    v(E,
      {.name = "E",
       .help = "irreducible loss E (nats/token; overrides the "
               "law's)",
       .min = 0,
       .max = 100});
    v(A,
      {.name = "A",
       .help = "parameter-term coefficient A",
       .min = 0,
       .max = 1e30,
       .min_exclusive = true});
    v(B,
      {.name = "B",
       .help = "data-term coefficient B",
       .min = 0,
       .max = 1e30,
       .min_exclusive = true});
    v(alpha,
      {.name = "alpha",
       .help = "parameter exponent alpha",
       .min = 0,
       .max = 10,
       .min_exclusive = true});
    v(beta,
      {.name = "beta",
       .help = "data exponent beta",
       .min = 0,
       .max = 10,
       .min_exclusive = true});
    v(noise,
      {.name = "noise",
       .help = "standard deviation of log-normal noise on the loss "
               "(0: none)",
       .min = 0,
       .max = 10});
    v(seed,
      {.name = "seed", .help = "seed of the noise", .min = 0, .max = 9.2e18});
    v(budgets,
      {.name = "budgets",
       .help = "number of training budgets",
       .min = 1,
       .max = 1000});
    v(sizes,
      {.name = "sizes",
       .help = "model sizes per budget",
       .min = 1,
       .max = 1000});
    v(min_flops,
      {.name = "min_flops",
       .help = "smallest budget (FLOPs)",
       .min = 0,
       .max = 1e40,
       .min_exclusive = true});
    v(max_flops,
      {.name = "max_flops",
       .help = "largest budget (FLOPs)",
       .min = 0,
       .max = 1e40,
       .min_exclusive = true});
    v(spread,
      {.name = "spread",
       .help = "model sizes from N*/spread to N* x spread",
       .min = 1,
       .max = 1e6});
    v(unique_tokens,
      {.name = "unique_tokens",
       .help = "unique-token budgets U (one or more): the design once per "
               "U, each run with its U column and the loss with repetition "
               "(needs a data_constrained law, e.g. --law muennighoff2023)",
       .unit = "U",
       .min = 1,
       .max = 1e30});
  }
};

// The design and law `request` describes over `base` (its constants
// overridden where given); throws InvalidInput naming the field for an
// impossible design.
struct SynthPlan {
  laws::ChinchillaForm law;
  IsoFlopDesign design;
  bool overridden = false;
  // Data-constrained runs: the decay scales (the law's) and the U budgets;
  // nullopt for unique data (the Chinchilla form).
  std::optional<laws::DataConstrainedConstants> repeated;
  std::vector<double> unique_tokens;
};
// A Chinchilla-form base: unique_tokens is bad input (the form has no
// repetition model).
SynthPlan PlanSynthesis(const laws::ChinchillaForm& base,
                        const SynthRequest& request);
// A data-constrained base: unique_tokens is required; E, A, B, alpha, beta
// override its Chinchilla part, R_D* and R_N* stay the law's.
SynthPlan PlanSynthesis(const laws::DataConstrainedConstants& base,
                        const SynthRequest& request);
// The runs `plan` describes.
Dataset Synthesize(const SynthPlan& plan);
// Every run of `data` has N, D >= 1 and a positive finite loss; throws
// InvalidInput naming the fields that made it so otherwise (extreme
// budgets or spread round a run to N = 0; extreme noise overflows a loss).
void RequireUsableRuns(const Dataset& data);

}  // namespace scalesim::fit

#endif  // SCALESIM_FIT_SYNTHETIC_HPP_

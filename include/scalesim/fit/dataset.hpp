// Training runs to fit scaling laws to: one point per run (parameters,
// tokens, training FLOPs, final loss).
//
// Units: params N and tokens D are counts, training_flops C in FLOPs,
// loss L in nats per token (whatever the user's evaluation set measured;
// never compare losses across datasets). C = 6·N·D is the Kaplan et al. 2020
// (Sec. 2.1) / Hoffmann et al. 2022 (Sec. 3) approximation of training
// compute; a dataset may carry its own C instead.
#ifndef SCALESIM_FIT_DATASET_HPP_
#define SCALESIM_FIT_DATASET_HPP_

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace scalesim::fit {

struct DataPoint {
  double params = 0.0;          // N
  double tokens = 0.0;          // D
  double training_flops = 0.0;  // C (FLOPs); 6·N·D when the source gave none
  double loss = 0.0;            // final loss, nats/token
  // U: the unique tokens D draws from (D > U repeats them D/U times);
  // infinity when the source gave none (every token unique).
  double unique_tokens = std::numeric_limits<double>::infinity();
  std::int64_t line = 0;  // 1-based line in the source file (0: generated)
};

struct Dataset {
  std::string source;  // file path or "synthetic"
  std::vector<DataPoint> points;
  std::vector<std::string> notes;  // how columns were mapped, what was derived
};

// Training FLOPs by the 6·N·D rule (Kaplan et al. 2020 Sec. 2.1).
inline double SixNDFlops(double params, double tokens) {
  return 6.0 * params * tokens;
}

}  // namespace scalesim::fit

#endif  // SCALESIM_FIT_DATASET_HPP_

// Private to perf: the memory-bound kernels of one transformer layer, shared
// by the step model (step.cpp) and the serving model (serve.cpp).
#ifndef SCALESIM_SRC_PERF_KERNELS_HPP_
#define SCALESIM_SRC_PERF_KERNELS_HPP_

#include <cstdint>

#include "scalesim/model/architecture.hpp"

namespace scalesim::perf::internal {

// The bytes the elementwise kernels of one layer move forward on one rank,
// and how many kernels they are: each norm reads and writes h per token,
// the two residual adds read two and write one (plus a dropout mask each
// when `dropout`), the MLP activation reads d_ff (gated: two) and writes
// one per token of its `ff_per_token` columns on the rank, rotary
// embeddings read and write the rank's query and key columns. The norms
// and residuals run on `replicated_tokens` (all tokens on every tensor
// rank without sequence parallelism, Korthikanti et al. 2022 Sec. 4.2.2),
// the rest on `tokens`; `act_bytes` per element.
struct ElementwiseTraffic {
  double bytes = 0.0;
  double kernels = 0.0;
};
ElementwiseTraffic LayerElementwise(const model::Architecture& arch,
                                    double tokens,
                                    double replicated_tokens,
                                    double ff_per_token,
                                    double tensor_parallel,
                                    double act_bytes,
                                    bool dropout);

// Throws naming `tp` unless tensor parallelism of degree `tp` splits the
// attention heads and either divides the KV heads or replicates them
// (Megatron-LM's rule; MLA's latent cache counts per query head).
void RequireTensorParallelHeads(const model::Architecture& arch,
                                std::int64_t tp);

}  // namespace scalesim::perf::internal

#endif  // SCALESIM_SRC_PERF_KERNELS_HPP_

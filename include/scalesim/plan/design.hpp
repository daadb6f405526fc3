// From a parameter target to a concrete model and a training layout.
//
// ProposeArchitecture: a Llama-style decoder (SwiGLU MLP, RMSNorm, rotary
// positions, untied LM head, grouped-query attention; Touvron et al. 2023)
// whose exact parameter count is within `tolerance` of a target N.
//   - head_dim 128 and d_model a multiple of 128 (tensor-core friendly
//     widths; Llama 2/3 and nanochat use 128-wide heads);
//   - n_kv_heads = min(n_heads, 8) (Llama 2 70B / Llama 3 use 8 KV heads);
//   - d_ff = 8/3 d_model rounded up to a multiple of 256, the SwiGLU width
//     that keeps the MLP at ~8 d_model^2 parameters (Shazeer 2020; Llama's
//     multiple_of = 256);
//   - depth from the aspect ratio d_model / n_layers, kept near
//     `target_aspect_ratio` (default 128: Llama 2 7B 4096/32 = 128, Llama 3
//     405B 16384/126 = 130; Kaplan et al. 2020 Fig. 5 find loss flat for
//     ratios between ~20 and ~200).
// Among the shapes within tolerance it returns the one whose aspect ratio is
// closest (in log) to the target, ties to the smaller count error.
//
// ProposeLayout: the simplest data/tensor/pipeline-parallel layout of a
// given device count whose most loaded device fits the device memory, with
// bf16 mixed precision and Adam (model/memory.hpp), FlashAttention, no
// dropout. Candidates are ordered by what they cost: layouts without full
// recomputation first (it adds ~1/3 compute, Korthikanti et al. 2022), then
// less model parallelism (t * p, tensor before pipeline), then lower ZeRO
// stages; the first that fits wins, with its largest micro-batch.
#ifndef SCALESIM_PLAN_DESIGN_HPP_
#define SCALESIM_PLAN_DESIGN_HPP_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "scalesim/laws/law.hpp"
#include "scalesim/model/architecture.hpp"
#include "scalesim/model/memory.hpp"

namespace scalesim::plan {

struct ArchitectureOptions {
  double target_params = 0.0;                         // N > 0
  laws::ParamCount count = laws::ParamCount::kTotal;  // which count must match
  double tolerance = 0.02;                            // |exact - N| / N
  std::int64_t vocab_size = 32000;
  std::int64_t context_length = 4096;
  double target_aspect_ratio = 128.0;
  std::int64_t head_dim = 128;
  std::int64_t max_kv_heads = 8;
  // n_heads a multiple of this (8: tensor parallelism can span an 8-GPU
  // node, as serving wants); 1: any d_model multiple of head_dim.
  std::int64_t heads_multiple = 1;
};

struct ArchitectureProposal {
  bool found = false;
  std::string message;  // why not, when !found
  model::Architecture arch;
  std::int64_t params = 0;  // in options.count
  double relative_error = 0.0;
};

ArchitectureProposal ProposeArchitecture(const ArchitectureOptions& options);

// ProposeArchitecture for many targets with the same shape options (a
// sweep's rows): each width's per-layer and fixed counts are counted once,
// when a target first reaches that width; a proposal then binary-searches
// the widths whose depths fit and the one whose aspect ratio meets the
// target, and scores outward from it until the aspect ratio alone loses.
// Propose(N) is ProposeArchitecture with target_params N (the same shape
// as scoring every width from the narrowest, ties to the narrower;
// options.target_params is ignored). Not thread-safe (it fills its table
// as it goes).
class ArchitectureProposer {
 public:
  explicit ArchitectureProposer(const ArchitectureOptions& options);
  ArchitectureProposal Propose(double target_params);

 private:
  struct Width {
    std::int64_t d_model = 0;
    std::int64_t per_layer = 0;  // one block's parameters
    std::int64_t fixed = 0;      // the rest, in options.count
  };
  void AddWidth();  // counts the next width, d_model = (size + 1) x step_
  // Layers that bring width `w` nearest `target` parameters (unrounded).
  static double LayersExact(const Width& w, double target);

  ArchitectureOptions o_;
  std::int64_t step_;  // d_model's step: head_dim x heads_multiple
  std::vector<Width> widths_;
};

// The Llama-style decoder every proposal is (Touvron et al. 2023: SwiGLU
// "silu", RMSNorm, rotary positions, untied head), named "proposed", with
// d_model = n_heads x head_dim; shared by ProposeArchitecture and plan's
// shardable shapes.
model::Architecture LlamaStyleArchitecture(std::int64_t n_heads,
                                           std::int64_t head_dim,
                                           std::int64_t n_kv_heads,
                                           std::int64_t d_ff,
                                           std::int64_t n_layers,
                                           std::int64_t vocab_size,
                                           std::int64_t context_length);
// The count a law reads (total or non-embedding) of a breakdown.
std::int64_t CountFor(const model::ParamBreakdown& params,
                      laws::ParamCount count);

struct LayoutOptions {
  std::int64_t devices = 1;
  std::int64_t device_memory_bytes = 0;
  std::int64_t seq_len = 4096;
  std::int64_t max_tensor_parallel = 8;  // within one 8-GPU node
};

struct LayoutProposal {
  bool found = false;
  std::string message;
  model::TrainingMemoryOptions options;  // the chosen layout (micro_batch set)
  std::int64_t data_parallel = 0;
  model::TrainingMemory memory;  // at options.micro_batch
};

LayoutProposal ProposeLayout(const model::Architecture& arch,
                             const LayoutOptions& options);

}  // namespace scalesim::plan

#endif  // SCALESIM_PLAN_DESIGN_HPP_

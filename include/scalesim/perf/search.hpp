// The fastest layout that fits: every layout of a device count and global
// batch, predicted by the step model (perf/step.hpp), ranked by time per
// token.
//
// Enumerated: tensor parallel t among the divisors of the scale-up domain
// (dividing the heads; the KV heads divide t or t divides them), context
// parallel c in 1, 2, 4, ... (s a multiple of 2c), pipeline parallel p
// among the divisors of N / (t c) up to the layers, v model chunks per
// rank (1, or a divisor of L / p when p > 1), expert parallel e among the
// divisors of the experts that divide c d (MoE models), ZeRO stage 0-3
// (0 only when c d = 1), sequence parallelism on and off (t > 1),
// micro-batch b among the divisors of B / d up to max_micro_batch, and
// recompute none, selective and full. A layout is kept when its most
// loaded stage (model::EstimateTrainingMemory: every stage, the first
// holding the most in-flight micro-batches) fits in usable_memory_fraction
// x device memory - runtime_reserve_gib; the kept are ranked by predicted
// step time (the global batch is fixed, so this is time per token), ties
// in enumeration order.
#ifndef SCALESIM_PERF_SEARCH_HPP_
#define SCALESIM_PERF_SEARCH_HPP_

#include <cstdint>
#include <string>
#include <vector>

#include "scalesim/core/enum_names.hpp"
#include "scalesim/core/schema.hpp"
#include "scalesim/model/architecture.hpp"
#include "scalesim/model/hardware.hpp"
#include "scalesim/perf/step.hpp"

namespace scalesim::perf {

struct SearchOptions {
  std::int64_t top = 5;               // layouts reported
  std::int64_t max_micro_batch = 16;  // sequences
  std::int64_t max_context_parallel = 1 << 20;
  std::int64_t max_tensor_parallel = 1 << 20;  // and the scale-up domain

  template <typename V>
  void VisitFields(V&& v) {
    v(top,
      {.name = "top",
       .help = "with --search: how many of the fastest layouts to print",
       .min = 1,
       .max = 1e6});
    v(max_micro_batch,
      {.name = "max_micro_batch",
       .help = "with --search: the largest micro-batch tried",
       .min = 1,
       .max = 1e6});
    v(max_context_parallel,
      {.name = "max_context_parallel",
       .help = "with --search: the largest context-parallel degree tried",
       .min = 1,
       .max = 1e9,
       .default_text = "every one"});
    v(max_tensor_parallel,
      {.name = "max_tensor_parallel",
       .help = "with --search: the largest tensor-parallel degree tried",
       .min = 1,
       .max = 1e9,
       .default_text = "the scale-up domain"});
  }
};

enum class SearchStatus { kOk, kNoneFits };
inline constexpr EnumNames<SearchStatus, 2> kSearchStatusNames = {{
    {"ok", SearchStatus::kOk},
    {"none_fits", SearchStatus::kNoneFits},
}};

struct RankedLayout {
  std::int64_t rank = 0;  // 1: the fastest
  StepPrediction prediction;
};

struct SearchResult {
  SearchStatus status = SearchStatus::kOk;
  std::string message;
  std::int64_t candidates = 0;  // layouts predicted
  std::int64_t fitting = 0;     // of which fit
  std::int64_t usable_memory_bytes = 0;
  std::vector<RankedLayout> best;  // at most `top`, fastest first
};

// Searches the layouts of `step.devices` devices (> 0) for the global batch
// of `step` (global_batch or global_batch_tokens; > 0); the layout fields
// of `step` (tp, pp, vp, cp, ep, zero, sequence_parallel, micro_batch,
// recompute, dp, microbatches) are what is searched and are ignored.
// Throws InvalidInput (field named) for a missing device count or batch
// and for what ResolveLayout rejects of every layout alike (dtype, device
// without a network).
SearchResult SearchLayouts(const model::Architecture& arch,
                           const model::Device& device,
                           const StepOptions& step,
                           const SearchOptions& options);

// rank, then the StepSchema columns that tell layouts apart: layout, tp,
// pp, vp, cp, ep, dp, zero, sequence_parallel, micro_batch, recompute,
// step_seconds, tokens_per_second, tokens_per_second_per_device,
// model_tflops_per_device, mfu, hfu, exposed_communication_seconds,
// bubble_seconds, memory_bytes, usable_memory_bytes, binds.
Schema<RankedLayout> SearchSchema();

}  // namespace scalesim::perf

#endif  // SCALESIM_PERF_SEARCH_HPP_

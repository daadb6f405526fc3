// The serving model in the cost version of Sardana et al. 2024 (scalesim
// optimal --inference-tokens ... --serve-device NAME).
//
// plan prices inference per FLOP (plan::DollarsPerFlop of a peak, an MFU
// and a price); perf knows what serving costs, and plan sits above perf:
// the inference-optimal model's size
// gives a Llama-style shape (plan::ProposeArchitecture), the serving model
// its cheapest layout on the serving device (perf::CheapestServingCost:
// tp, pp and batch searched, the latency targets met), and that layout's
// cost per token becomes plan's inference price (its effective MFU at the
// device's 16-bit peak and the price per device-hour); the solve repeats
// until the size settles (at most kServingIterations, within 1%).
#ifndef SCALESIM_PLAN_SERVING_COST_HPP_
#define SCALESIM_PLAN_SERVING_COST_HPP_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scalesim/laws/law.hpp"
#include "scalesim/model/hardware.hpp"
#include "scalesim/perf/serve.hpp"
#include "scalesim/plan/optimal_report.hpp"

namespace scalesim::plan {

// The serving hardware and traffic that price inference tokens.
struct ServingCostOptions {
  std::optional<std::string> serve_device;
  perf::ServeOptions serve;         // prompt and output tokens, formats
  perf::ServeSearchOptions search;  // latency targets, devices per replica

  template <typename V>
  void VisitFields(V&& v) {
    v(serve_device,
      {.name = "serve_device",
       .help = "cost version: price inference with the serving model on "
               "this device kind (the cheapest layout of the "
               "inference-optimal model; instead of --inference-mfu)",
       .unit = "NAME"});
    serve.VisitFields(v);
    search.VisitFields(v);
  }
};
// The fields of ServingCostOptions that are searched or set elsewhere, not
// flags of optimal (usd_per_hour is the training price there; the serving
// price is --inference-usd-per-hour).
inline const std::vector<std::string_view> kNotServingCostOptions = {
    "context",
    "batch",
    "tp",
    "pp",
    "ep",
    "usd_per_hour",
    "prefill_chunk",
    "step_overhead_ms",
    "usable_memory_fraction",
    "runtime_reserve_gib",
    "load_tokens_per_second",
    "prices",
    "top"};

// The fields of ServingCostOptions meaningful only with serve_device.
inline const std::vector<std::string_view> kServingCostOnlyOptions = {
    "prompt_tokens",
    "output_tokens",
    "weight_dtype",
    "group_size",
    "scale_bits",
    "embeddings_16bit",
    "kv_dtype",
    "target_tpot_ms",
    "target_ttft_ms",
    "max_devices"};

inline constexpr int kServingIterations = 4;

// plan::Optimal with the inference price from the serving model on
// `device`. Throws InvalidInput naming inference_mfu or
// inference_peak_tflops when they are given too, inference_usd_per_hour
// when no price is known, serve_device when no layout holds the model.
OptimalReport OptimalWithServingCost(const std::vector<laws::Law>& laws,
                                     OptimalOptions options,
                                     bool explicit_laws,
                                     const model::Device& device,
                                     const ServingCostOptions& flags);

}  // namespace scalesim::plan

#endif  // SCALESIM_PLAN_SERVING_COST_HPP_

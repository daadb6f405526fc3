// Serving: prefill and decode time, latency, throughput, the largest batch
// that fits and the cost per token of an architecture on a device kind, on
// the hardware catalog and network of the step model (perf/step.hpp,
// perf/collectives.hpp), and the cheapest layout that meets a latency
// target (SearchServing below).
//
// Layout: a replica of tp x pp devices serving `batch` sequences of
// `prompt_tokens` in and `output_tokens` out, statically batched (every
// sequence prefilled together, then decoded together: what TensorRT-LLM's
// gptSessionBenchmark, vLLM's benchmark_latency and gpt-fast measure).
// Tensor parallel t splits every weight matrix and the KV heads (Shoeybi
// et al. 2019; Pope et al. 2022 Sec. 3: the 1D weight-stationary layout);
// pipeline parallel p gives each stage ceil(L/p) layers; expert parallel
// e (MoE, e | t) spreads the routed experts over e of the t ranks, each
// expert split t/e ways (vLLM's --enable-expert-parallel inside a tensor
// group: tokens stay replicated, one all-reduce after the experts).
//
// Weights: the checkpoint at weight_dtype (with group scales), the token
// embeddings and LM head at 16 bits unless --no-embeddings-16bit
// (model::CheckpointWeightBytes). fp8 weights run fp8 GEMMs on devices
// with an fp8 peak (W8A8, TensorRT-LLM and vLLM FP8) and 16-bit GEMMs
// elsewhere; int8 and int4 are weight-only (dequantized into 16-bit GEMMs,
// as gpt-fast, GPTQ and AWQ kernels do).
//
// One forward of T tokens on one device (a stage of a replica), every
// weight matrix a GEMM of T x k by k x n (perf::GemmSecondsForBytes: its
// FLOPs at the GEMM dtype's peak x eta_matmul stretched by the tile
// overhead (k + 256)/k, or its bytes, weights at their width and 16-bit
// activations, at HBM bandwidth x eta_memory, whichever is more, + 2 us):
//   attention   q/k/v in, out-projection; a Gated DeltaNet layer's mixer
//   MLP         up (gate and up) and down; MoE: router, shared experts and
//               the routed experts the T tokens choose, expected distinct
//               E (1 - (1 - k/E)^T) under uniform routing, each read once
//   LM head     the sequences' last tokens only (logits of one token each)
//   attention   FlashAttention: the scores and value products of the
//   core        tokens over their keys (model::InferenceFlopsPerToken per
//               layer kind: sliding layers their window, chunked their
//               chunk, linear layers their recurrence) at the 16-bit peak x
//               eta_attention, or the KV cache it reads at HBM x
//               eta_memory, whichever is more (decode reads the KV cache of
//               every sequence at its current length, prefill reads the
//               keys it just wrote: none), + 2 us per layer
//   elementwise norms, residuals, activation, rotary (the step model's
//               count, perf/kernels.hpp) at HBM x eta_memory + 2 us each
//   tensor      2 all-reduces of T x h x 2 bytes per layer, one after the
//   parallel    embedding, an all-gather of the logits: the faster of the
//               ring and the one-shot algorithm (FastestAllReduceSeconds)
//   pipeline    one send of T x h x 2 bytes per stage boundary
//   step        kStepOverheadSeconds below, once per forward: the engine's
//   overhead    scheduling, sampling and launch of the step (the one
//               constant the serving validation fits)
//
// Prefill: the batch's B P tokens in forwards of at most prefill_chunk
// tokens (TensorRT-LLM's max_num_tokens, vLLM's max_num_batched_tokens),
// attention causal within each prompt; with p stages the chunks pipeline:
// (chunks + p - 1) stage times. TTFT = the prefill of the whole batch.
// Decode: one forward of b = B/m tokens per step at each context from P + 1
// to P + O - 1, m = min(B, p) micro-batches in flight; TPOT = p x (stage
// time of b + one send), the mean over the steps (exact for O - 1 <= 16
// steps, else the mean of 16 evenly spaced contexts: the midpoint rule,
// exact for full-attention layers whose cost is linear in the context).
// With no decode step (O = 1) TPOT is the step at context P + 1.
// e2e = TTFT + (O - 1) TPOT.
//
// Rates and bounds:
//   tokens/s per sequence 1 / TPOT; per device B / (TPOT x devices) (the
//   decode rate); e2e_tokens_per_second_per_device = B O / (e2e devices).
//   MBU (Databricks, "LLM Inference Performance Engineering", 2023): the
//   bytes a device reads per decode step (weights once per micro-batch,
//   the KV cache of its sequences) / TPOT / peak HBM bandwidth; at most
//   eta_memory <= 1. The decode bandwidth bound = those bytes / peak
//   bandwidth <= TPOT. The prefill compute bound = the prefill's GEMM
//   FLOPs at the GEMM dtype's peak + its attention FLOPs at the 16-bit
//   peak, spread over the devices, <= TTFT. prefill_mfu = the prefill's
//   FLOPs / (TTFT x devices x GEMM dtype peak).
//
// Memory per device (the slowest stage): weights (model::
// EstimateInferenceMemory at tp, ceil(L/p)/L of the blocks plus the larger
// of embedding and head when p > 1) + the KV cache of B sequences at P + O
// tokens (model::EstimateInferenceMemory: each layer by its kind) + the
// activations of one forward of min(B P, prefill_chunk) tokens (one
// layer's inputs, q/k/v, attention output and MLP intermediates at 16 bits,
// plus fp32 logits of B sequences: what vLLM's profile run measures)
// against MemoryBudget::UsableBytes. The largest batch is the largest B
// that fits (binary search on that monotone sum).
//
// Cost, at a price per device-hour (usd_per_hour, else the catalog's):
//   $/M output tokens = price x devices x TPOT / B / 3600 x 1e6 (decode
//   time per generated token); $/M input tokens = price x devices x TTFT /
//   (B P) / 3600 x 1e6; $/M tokens (blended, what Sardana et al. 2024
//   count as inference tokens) = price x devices x e2e / (B (P + O)) /
//   3600 x 1e6. Device-hours per million tokens the same without the
//   price; energy per million tokens the same with TDP x devices (an upper
//   bound; absent where the catalog has no TDP).
#ifndef SCALESIM_PERF_SERVE_HPP_
#define SCALESIM_PERF_SERVE_HPP_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "scalesim/core/enum_names.hpp"
#include "scalesim/core/schema.hpp"
#include "scalesim/model/architecture.hpp"
#include "scalesim/model/hardware.hpp"
#include "scalesim/model/memory.hpp"
#include "scalesim/perf/collectives.hpp"
#include "scalesim/perf/step.hpp"

namespace scalesim::perf {

// The engine's fixed cost per forward (scheduling, sampling, the launch of
// a CUDA graph; ServeOptions::step_overhead_ms): fitted once, with the
// decode_memory efficiencies, to the serving measurements of
// docs/validation-serving.md, the same for every row, device and
// framework. The batch-1 FP8/FP16 speed-up of 1.51 for Llama-2-7B on H100
// (TensorRT-LLM's quantization blog) against the 1.9 that bandwidth alone
// predicts asks for about 2 ms at 0.68 of the bandwidth; gpt-fast's
// torch.compile'd CUDA graphs (7B on 8 A100 in 3.0 ms a token) for well
// under 1 ms.
inline constexpr double kStepOverheadSeconds = 1.1e-3;

struct ServeOptions : MemoryBudget {
  // weight_dtype, group_size, scale_bits, embeddings_16bit, kv_dtype,
  // batch, tp; context is prompt_tokens + output_tokens (set here).
  model::InferenceMemoryOptions memory = [] {
    model::InferenceMemoryOptions m;
    m.weights.embeddings_16bit = true;
    return m;
  }();
  std::int64_t prompt_tokens = 512;
  std::int64_t output_tokens = 128;
  std::int64_t pipeline_parallel = 1;
  std::int64_t expert_parallel = 1;
  std::int64_t prefill_chunk = 8192;
  std::optional<double> usd_per_hour;  // per device; else the catalog's
  double step_overhead_ms = kStepOverheadSeconds * 1e3;

  template <typename V>
  void VisitFields(V&& v) {
    memory.VisitFields(v);
    v(prompt_tokens,
      {.name = "prompt_tokens",
       .help = "serving: tokens in each prompt",
       .unit = "TOKENS",
       .min = 1,
       .max = 1e9});
    v(output_tokens,
      {.name = "output_tokens",
       .help = "serving: tokens generated per sequence",
       .unit = "TOKENS",
       .min = 1,
       .max = 1e9});
    v(pipeline_parallel,
      {.name = "pp",
       .help = "pipeline-parallel degree",
       .min = 1,
       .max = 1e6,
       .alias = "pipeline_parallel"});
    v(expert_parallel,
      {.name = "ep",
       .help = "expert-parallel degree (MoE)",
       .min = 1,
       .max = 1e6,
       .alias = "expert_parallel"});
    v(prefill_chunk,
      {.name = "prefill_chunk",
       .help = "serving: most tokens in one prefill forward (TensorRT-LLM "
               "max_num_tokens, vLLM max_num_batched_tokens)",
       .unit = "TOKENS",
       .min = 1,
       .max = 1e9});
    v(usd_per_hour, model::kUsdPerHourField);
    v(step_overhead_ms,
      {.name = "step_overhead_ms",
       .help = "serving: the engine's fixed time per forward (scheduling, "
               "sampling, graph launch)",
       .unit = "MS",
       .min = 0,
       .max = 1e6});
    MemoryBudget::VisitFields(v);
  }
};

// A serving layout: one replica.
struct ServeLayout {
  std::int64_t tp = 1;
  std::int64_t pp = 1;
  std::int64_t ep = 1;
  std::int64_t batch = 1;
  std::int64_t devices() const { return tp * pp; }
  std::string Describe() const;  // "tp 2 pp 1, batch 8"
};

// Seconds of one forward (decode: one step) on the slowest stage, by part;
// they add up to the forward's time.
struct ForwardTime {
  double roofline = 0.0;  // sum over kernels of max(compute, memory)
  double compute = 0.0;   // the compute sides alone
  double memory = 0.0;    // the memory sides alone
  double kernels = 0.0;   // the fixed 2 us of every kernel
  double communication = 0.0;
  double overhead = 0.0;  // kStepOverheadSeconds
  double total() const { return roofline + kernels + communication + overhead; }
};

enum class ServeStatus { kOk, kDoesNotFit };
inline constexpr EnumNames<ServeStatus, 2> kServeStatusNames = {{
    {"ok", ServeStatus::kOk},
    {"does_not_fit", ServeStatus::kDoesNotFit},
}};

struct ServePrediction {
  ServeStatus status = ServeStatus::kOk;
  std::string message;
  std::string scenario;  // "requested" or "largest_batch"
  std::string device;
  ServeLayout layout;
  std::int64_t prompt_tokens = 0;
  std::int64_t output_tokens = 0;
  model::WeightDtype weight_dtype = model::WeightDtype::kBf16;
  model::WeightDtype kv_dtype = model::WeightDtype::kBf16;
  std::string gemm_dtype;  // "bf16", "fp8", "fp32"

  // Prefill of the batch.
  double ttft_seconds = 0.0;
  double prefill_flops = 0.0;  // the whole batch, every device
  double prefill_compute_bound_seconds = 0.0;
  double prefill_mfu = 0.0;
  std::int64_t prefill_forwards = 0;
  ForwardTime prefill;  // summed over the forwards, on the slowest stage

  // Decode, the mean step.
  double tpot_seconds = 0.0;
  ForwardTime decode;  // one step of one micro-batch on the slowest stage
  double decode_bytes_per_step = 0.0;  // per device: weights + KV read
  double decode_bandwidth_bound_seconds = 0.0;
  double mbu = 0.0;
  std::string decode_binds;  // "memory" or "compute"

  double e2e_seconds = 0.0;
  double tokens_per_second_per_sequence = 0.0;
  double tokens_per_second = 0.0;             // output, the replica
  double tokens_per_second_per_device = 0.0;  // output, decode
  double e2e_tokens_per_second_per_device = 0.0;

  // Memory per device.
  std::int64_t weights_bytes = 0;
  std::int64_t kv_cache_bytes = 0;
  std::int64_t activation_bytes = 0;
  std::int64_t memory_bytes = 0;
  std::int64_t usable_memory_bytes = 0;
  bool fits = true;
  std::int64_t largest_batch = 0;

  // Cost per million tokens.
  std::optional<double> usd_per_hour;  // per device
  double device_hours_per_million_input_tokens = 0.0;
  double device_hours_per_million_output_tokens = 0.0;
  double device_hours_per_million_tokens = 0.0;  // blended
  std::optional<double> usd_per_million_input_tokens;
  std::optional<double> usd_per_million_output_tokens;
  std::optional<double> usd_per_million_tokens;
  std::optional<double> energy_kwh_per_million_input_tokens;
  std::optional<double> energy_kwh_per_million_output_tokens;
};

// Checks `options` against the architecture and the device and returns
// the layout; throws InvalidInput naming the field (batch, prompt_tokens,
// output_tokens, tp, pp, ep, prefill_chunk, device): t must divide the
// heads and the scale-up domain and divide the KV heads or be a multiple of
// them; p at most the layers; e must divide t and the experts (MoE only);
// the device needs a memory bandwidth and a 16-bit peak.
ServeLayout ResolveServeLayout(const model::Architecture& arch,
                               const model::Device& device,
                               const ServeOptions& options);

// The prediction for one layout; everything that does not depend on it
// (FLOPs, parameters, the contexts of the decode steps) prepared once.
class ServeModel {
 public:
  ServeModel(const model::Architecture& arch,
             const model::Device& device,
             const ServeOptions& options);
  // `layout` as ResolveServeLayout returns it (or the search builds it).
  ServePrediction Predict(const ServeLayout& layout) const;
  // The largest batch that fits at tp, pp, ep (0: not even one).
  std::int64_t LargestBatch(ServeLayout layout) const;
  // Per-device memory of the layout.
  struct Memory {
    std::int64_t weights = 0;
    std::int64_t kv_cache = 0;
    std::int64_t activations = 0;
    std::int64_t total() const { return weights + kv_cache + activations; }
  };
  Memory MemoryOf(const ServeLayout& layout) const;
  const Efficiencies& efficiencies() const { return eff_; }

 private:
  struct Impl;
  struct Shared;
  std::shared_ptr<const Shared> shared_;
  Efficiencies eff_;
};

// The prediction at the requested batch, and at the largest batch that
// fits when that differs (scenario "largest_batch"): rows of the report.
struct ServeResult {
  std::vector<ServePrediction> rows;
};
ServeResult PredictServing(const model::Architecture& arch,
                           const model::Device& device,
                           const ServeOptions& options);

// The batch where a decode step stops being bound by memory: the weight
// GEMMs' compute time at b tokens equals the time to read their weights,
// b* = P x eta_matmul x bytes_per_weight / (2 x BW x eta_memory) x
// k / (k + 256) for a square-ish layer (activations neglected): ~ the
// device's FLOPs per byte over 2 / bytes_per_weight. A100 bf16 (312
// TFLOP/s x 0.71, 2,039 GB/s x 0.85): about 120 sequences.
double DecodeCrossoverBatch(const model::Device& device,
                            const ServeOptions& options,
                            double k);

// What a plan or sweep needs of serving: the cost of one inference token
// (prompt or generated: Sardana et al. 2024's D_inf counts both) for a
// chosen device and layout. flops_per_token is the 2 N of Sardana's Eq. 3
// (N the architecture's parameters); effective_mfu = flops_per_token /
// (device_seconds_per_token x the peak of the GEMMs' format: fp8 for fp8
// weights on a device with fp8 math, else 16-bit), so that
// plan::DollarsPerFlop(peak, effective_mfu, usd_per_hour) is
// usd_per_token / flops_per_token: the serving model in place of an
// assumed inference MFU.
struct ServingCost {
  std::string device;
  ServeLayout layout;
  std::string description;  // "llama2-70b on 2 x h100-sxm (tp 2 pp 1, ...)"
  double device_seconds_per_token = 0.0;  // blended over prompt and output
  double flops_per_token = 0.0;           // 2 N
  double effective_mfu = 0.0;
  double peak_flops_per_second = 0.0;  // the peak of the GEMMs' format
  std::optional<double> usd_per_hour;
  std::optional<double> usd_per_token;
  std::optional<double> usd_per_flop;
};
ServingCost ServingCostOf(const model::Architecture& arch,
                          const model::Device& device,
                          const ServePrediction& prediction);
// The cost of serving `arch` on `device` with the layout of `options`.
ServingCost ServingCostPerToken(const model::Architecture& arch,
                                const model::Device& device,
                                const ServeOptions& options);

// The columns of a prediction (scalesim serve), one row per scenario:
// scenario, status, device, layout, devices, tp, pp, ep, batch,
// prompt_tokens, output_tokens, weight_dtype, kv_dtype, gemm_dtype,
// ttft_seconds, tpot_seconds, e2e_seconds, tokens_per_second_per_sequence,
// tokens_per_second, tokens_per_second_per_device,
// e2e_tokens_per_second_per_device, mbu, decode_binds, prefill_mfu,
// prefill_flops, prefill_compute_bound_seconds,
// decode_bandwidth_bound_seconds, decode_bytes_per_step, the breakdowns
// prefill_* and decode_* (roofline, compute, memory, kernel,
// communication, overhead seconds), memory (weights_bytes,
// kv_cache_bytes, activation_bytes, memory_bytes, usable_memory_bytes,
// fits, largest_batch) and cost (usd_per_hour,
// device_hours_per_million_{input,output}_tokens,
// device_hours_per_million_tokens, usd_per_million_{input,output}_tokens,
// usd_per_million_tokens, energy_kwh_per_million_{input,output}_tokens).
Schema<ServePrediction> ServeSchema();

// What a serve report says beside the numbers: efficiencies, the weight
// and GEMM formats, the step overhead, the usable memory, the cost rules.
std::vector<std::string> ServeNotes(const model::Device& device,
                                    const ServeOptions& options);

// --- The cheapest layout that meets a latency target -----------------------

struct ServeSearchOptions {
  std::optional<double> target_tpot_ms;
  std::optional<double> target_ttft_ms;
  // Output tokens per second the deployment must generate; replicas =
  // ceil(load / the replica's tokens_per_second). Unset: one replica,
  // ranked by cost per token.
  std::optional<double> load_tokens_per_second;
  // Prices per device-hour by device name, "h100-sxm=6.88" (else the
  // catalog's, else ServeOptions::usd_per_hour for every kind).
  std::vector<std::string> prices;
  std::int64_t max_devices = 64;  // per replica: tp x pp at most
  std::int64_t top = 5;

  template <typename V>
  void VisitFields(V&& v) {
    v(target_tpot_ms,
      {.name = "target_tpot_ms",
       .help = "with --search: the slowest time per output token allowed",
       .unit = "MS",
       .min = 0,
       .max = 1e9,
       .min_exclusive = true});
    v(target_ttft_ms,
      {.name = "target_ttft_ms",
       .help = "with --search: the slowest time to first token allowed",
       .unit = "MS",
       .min = 0,
       .max = 1e12,
       .min_exclusive = true});
    v(load_tokens_per_second,
      {.name = "load_tokens_per_second",
       .help = "with --search: output tokens per second to serve "
               "(replicas enough for it)",
       .unit = "TOKENS/S",
       .min = 0,
       .max = 1e15,
       .min_exclusive = true,
       .default_text = "one replica, ranked by cost per token"});
    v(prices,
      {.name = "prices",
       .help = "with --search: prices per device-hour, NAME=USD,... (else "
               "the catalog's, else --usd-per-hour for every kind)",
       .unit = "NAME=USD,..."});
    v(max_devices,
      {.name = "max_devices",
       .help = "with --search: most devices in one replica (tp x pp)",
       .min = 1,
       .max = 1e6});
    v(top,
      {.name = "top",
       .help = "with --search: how many of the cheapest layouts to print",
       .min = 1,
       .max = 1e6});
  }
};

enum class ServeSearchStatus { kOk, kTargetNotMet, kNoneFits };
inline constexpr EnumNames<ServeSearchStatus, 3> kServeSearchStatusNames = {{
    {"ok", ServeSearchStatus::kOk},
    {"target_not_met", ServeSearchStatus::kTargetNotMet},
    {"none_fits", ServeSearchStatus::kNoneFits},
}};

struct ServeCandidate {
  std::int64_t rank = 0;  // 1: the cheapest (or, target_not_met, the best)
  ServePrediction prediction;
  std::int64_t replicas = 1;
  std::int64_t devices = 0;   // replicas x tp x pp
  double usd_per_hour = 0.0;  // the deployment
  bool meets = true;          // both latency targets
};

struct ServeSearchResult {
  ServeSearchStatus status = ServeSearchStatus::kOk;
  std::string message;
  std::int64_t candidates = 0;  // layouts predicted
  std::int64_t fitting = 0;
  std::int64_t meeting = 0;          // fit and meet the targets
  std::vector<std::string> devices;  // the kinds searched
  std::vector<std::string> skipped;  // "mi250x (no price)", ...
  // The cheapest that meet the targets, cheapest first; when none meets,
  // the one layout closest to them (the smallest max(tpot / target,
  // ttft / target)).
  std::vector<ServeCandidate> best;
};

// Searches `devices` (each with a price: `search.prices`, the catalog's,
// or options.usd_per_hour), tp among the divisors of each scale-up domain
// that ResolveServeLayout accepts, pp in 1, 2, 4, ... with tp x pp <=
// max_devices, and batches 1, 2, 4, ... up to the largest that fits and
// that largest itself; the layout fields of `options` (tp, pp, batch) are
// what is searched. Ranked by the deployment's dollars per hour
// (replicas x tp x pp x price) with a load, else by usd per million
// output tokens; ties to fewer devices, then the lower TPOT. Throws
// InvalidInput naming "prices" when no device has a price, or a price
// names no device or is malformed.
ServeSearchResult SearchServing(const model::Architecture& arch,
                                const std::vector<model::Device>& devices,
                                const ServeOptions& options,
                                const ServeSearchOptions& search);

// The cost per token of the cheapest layout of `arch` on `device` that
// meets the targets of `search` (its prices, load and top are not used):
// what a plan or sweep calls to price inference on chosen serving
// hardware without fixing tp, pp and batch. With a target no layout meets,
// the closest layout's cost and status kTargetNotMet; kNoneFits when no
// layout of at most search.max_devices devices holds the model (cost
// empty). The price: options.usd_per_hour, else the catalog's.
struct CheapestServing {
  ServeSearchStatus status = ServeSearchStatus::kOk;
  std::string message;
  std::optional<ServingCost> cost;
};
CheapestServing CheapestServingCost(const model::Architecture& arch,
                                    const model::Device& device,
                                    const ServeOptions& options,
                                    const ServeSearchOptions& search);

// rank, device, devices, replicas, then the ServeSchema columns that tell
// layouts apart (layout, tp, pp, ep, batch, ttft_seconds, tpot_seconds,
// tokens_per_second_per_device, mbu, largest_batch, memory_bytes,
// usd_per_hour (per device), usd_per_million_output_tokens,
// usd_per_million_tokens), deployment_usd_per_hour, meets_target.
Schema<ServeCandidate> ServeSearchSchema();

}  // namespace scalesim::perf

#endif  // SCALESIM_PERF_SERVE_HPP_

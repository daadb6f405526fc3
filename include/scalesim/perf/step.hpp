// The time of one optimizer step, predicted from first principles and a
// few efficiencies per device kind, for any layout of a training run.
//
// Layout (Narayanan et al. 2021; Korthikanti et al. 2022; Rajbhandari et al.
// 2020): N devices = t (tensor) x c (context) x d (data) x p (pipeline)
// ranks, numbered tensor-innermost in that order (Megatron-LM's); v model
// chunks per pipeline rank (interleaved 1F1B); e expert-parallel ranks
// carved out of the c x d ranks; ZeRO stage 0-3 over the c x d ranks;
// micro-batch b sequences of s tokens; global batch B sequences, so
// m = B / (b d) micro-batches per pipeline per step. A rank holds T = b s / c
// tokens of a micro-batch.
//
// Compute, per operation of a layer (model::CountOperationFlops, causal:
// the s(s+1)/2 query-key pairs), per rank:
//   GEMM       GemmSeconds below: F / (P x eta_matmul) stretched by
//              (K + 256) / K for the fixed work of each output tile, or the
//              operands' bytes / (BW x eta_memory) if more, + t_kernel; F
//              its FLOPs on the rank (1/t of the op, 1/c of the tokens).
//              The fixed t_kernel = 2 us (a launch and a partial last wave:
//              NVIDIA's "Matrix Multiplication Background User's Guide"
//              Sec. 3.1-3.2) and the tile term make small and thin GEMMs
//              run far below the peak, close to Calculon's A100 size steps
//              (Isaev et al. 2023, systems/a100_80g.json). Backward: the
//              input gradient (inner dimension N) and the weight gradient
//              (inner dimension M, the tokens). P is the dtype's peak: fp8
//              GEMMs (Transformer Engine) run at the fp8 peak x
//              eta_matmul_fp8, everything else at 16 bits.
//   attention  FlashAttention (Dao 2023, FlashAttention-2): the scores and
//              value products at P_bf16 x eta_attention, the backward
//              2.5 x the forward FLOPs (it recomputes QK^T: five products
//              against two; Dao 2023 Sec. 4).
//   memory-    bytes / (BW x eta_memory) + t_kernel per kernel: norms (read
//   bound      and write h per token), residual adds (two reads, one
//              write), the MLP activation (d_ff in and out; gated: two in),
//              rotary embeddings, dropout masks, token permutation for MoE,
//              the fp32 cross-entropy over the vocabulary (16 bytes per
//              logit), and with fp8 the casts of every GEMM input (read 16
//              bits, write 8; backward the gradient and its transpose).
//              Without sequence parallelism the norms, residuals and
//              dropout run on all T tokens on every tensor rank
//              (Korthikanti et al. 2022 Sec. 4.2.2). Backward moves twice
//              the forward bytes.
//   recompute  full: every layer's forward again before its backward;
//              selective: the attention forward again (Korthikanti et al.
//              2022 Sec. 5).
//   optimizer  Adam over the rank's parameters (its ZeRO shard from stage
//              1): read the 16-bit gradient, fp32 master and moments, write
//              them and the 16-bit weights: 28 bytes per parameter at HBM
//              bandwidth x eta_memory.
//
// Communication (perf/collectives.hpp for the alpha-beta costs), per
// micro-batch and layer unless said otherwise, each exposed as stated:
//   tensor     Korthikanti et al. 2022 Sec. 4.2: 2 all-reduces of the T x h
//              activations forward and 2 backward; with sequence
//              parallelism 2 all-gathers and 2 reduce-scatters each way
//              (the same bytes); full recompute repeats the forward ones;
//              the embedding and the LM head one more each way. Exposed
//              (Megatron-LM runs them on the critical path); with
//              tp_comm_overlap (Transformer Engine's userbuffers,
//              Megatron-LM --tp-comm-overlap) only what exceeds the
//              layer's GEMMs, each way.
//   context    ring attention (Liu et al. 2023; Megatron-LM's context
//              parallel): c - 1 sends of the rank's K and V forward, of K, V
//              and their gradients backward; hidden behind the attention
//              of the chunk in hand: exposed max(0, comm - attention).
//   expert     an all-to-all to dispatch the T k routed token copies of a
//              rank and one to combine them, forward and backward (Lepikhin
//              et al. 2020, GShard; Fedus et al. 2021). Exposed.
//   pipeline   one send of the T x h / t activations per model chunk per
//              micro-batch forward and one of their gradients backward
//              (Narayanan et al. 2021 Sec. 4.1, scatter/gather), between
//              stages t c d ranks apart. Exposed in plain 1F1B; interleaved
//              (v > 1), each send overlaps the next chunk's compute
//              (Megatron-LM's overlap_p2p_comm): exposed what exceeds it.
//   bubble     interleaved 1F1B: (p - 1) / v micro-batch times of the
//              slowest stage (Narayanan et al. 2021 Sec. 2.2.2; Dubey et al.
//              2024, Llama 3 Sec. 3.3.2); v = 1 is plain 1F1B.
//   data       over the c x d ranks holding the same parameters (routed
//              experts: c d / e): ZeRO 0 an all-reduce of the gradients,
//              ZeRO 1/2 a reduce-scatter of the gradients and an
//              all-gather of the updated 16-bit weights, once per step.
//              The gradient collective overlaps the backward of the last
//              micro-batch and the all-gather the forward of the first
//              (bucketed, as PyTorch DDP, Li et al. 2020, and Megatron-LM's
//              --overlap-grad-reduce / --overlap-param-gather): exposed is
//              what exceeds them. ZeRO 3 gathers each layer's weights in
//              the forward and again in the backward and reduce-scatters
//              its gradients, every micro-batch (PyTorch FSDP, Zhao et al.
//              2023), prefetched a layer ahead: exposed is max(0, comm -
//              the layer's compute), per layer.
//
// Step time = (m + (p - 1)/v) x t_mb + exposed data-parallel time +
// optimizer, t_mb the slowest stage's compute and exposed communication per
// micro-batch (each stage holds its layers, the first the embedding, the
// last the LM head and loss). The breakdown's parts add up to it.
//
// Efficiencies, per device kind (model::Efficiency from the catalog; these
// defaults where it has none): eta_matmul 0.75, eta_matmul_fp8 0.6,
// eta_attention 0.45, eta_memory 0.85, eta_scale_up 0.8, eta_scale_out 0.9.
// Where the catalog's values come from, and how well the model predicts 30
// published step times with them: data/README.md and
// docs/validation-step-time.md.
//
// Throughput: tokens/s = B s / step; model FLOPs per device per second
// under a named convention (model::TrainingFlops; default palm, the
// convention behind MFU, Chowdhery et al. 2022 App. B); MFU = that / the
// device's 16-bit peak (fp8 runs too, as NeMo and Megatron-LM report them);
// hardware FLOPs and HFU count the recomputed work too.
//
// Memory: model::EstimateTrainingMemory for the layout, every stage (the
// first holds the most in-flight micro-batches), against the usable memory
// usable_memory_fraction x device memory - runtime_reserve_gib (CUDA
// context, NCCL buffers, allocator fragmentation).
#ifndef SCALESIM_PERF_STEP_HPP_
#define SCALESIM_PERF_STEP_HPP_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scalesim/core/schema.hpp"
#include "scalesim/model/architecture.hpp"
#include "scalesim/model/flops.hpp"
#include "scalesim/model/hardware.hpp"
#include "scalesim/model/memory.hpp"
#include "scalesim/perf/collectives.hpp"

namespace scalesim::perf {

// The efficiencies the model uses: the device's, else the defaults above.
struct Efficiencies {
  double matmul = 0.75;
  double matmul_fp8 = 0.6;
  double attention = 0.45;
  double memory = 0.85;
  double decode_memory = 0.7;  // serving only (perf/serve.hpp)
  double scale_up = 0.8;
  double scale_out = 0.9;
};
Efficiencies EfficienciesOf(const model::Device& device);
// The network as the collectives see it: achieved bandwidths (line rate x
// efficiency), latencies, an 8.4 us launch per collective (NCCL tuning.cc's
// base latency of the Simple protocol).
NetworkModel NetworkOf(const model::Device& device, const Efficiencies& eff);

// One GEMM of `flops` FLOPs with operands M x K and K x N and an M x N
// result of `bytes_per_element` each, at `flops_per_second` (peak x eta)
// and `bytes_per_second` (HBM x eta):
//   max(F / flops_per_second x (K + 256) / K, bytes / bytes_per_second)
//   + 2 us.
// The 256 is the fixed work of an output tile (filling the software
// pipeline and writing the result) in elements of the inner dimension: a
// 4-stage pipeline of 64-deep k-tiles loads 3 before its first product
// (CUTLASS's Ampere and Hopper mainloops), the epilogue costs about one
// more. With eta 0.95 it gives square A100 GEMMs of 1, 16 and 128 GFLOP
// 0.50, 0.81 and 0.89 of peak where Calculon's table says 0.6, 0.9, 0.95.
double GemmSeconds(double flops,
                   double m,
                   double k,
                   double n,
                   double flops_per_second,
                   double bytes_per_second,
                   double bytes_per_element);
// The same with the bytes the GEMM moves given (operands of different
// widths: quantized weights, 16-bit activations):
//   max(GemmComputeSeconds, bytes / bytes_per_second) + 2 us.
// GemmComputeSeconds = F / flops_per_second x (K + 256) / K.
double GemmComputeSeconds(double flops, double k, double flops_per_second);
double GemmSecondsForBytes(double flops,
                           double k,
                           double bytes,
                           double flops_per_second,
                           double bytes_per_second);
// The fixed cost of one kernel in that model (a launch and a partial last
// wave): 2 us.
double KernelSeconds();

// The memory a layout may use on a device: usable_memory_fraction x device
// memory - runtime_reserve_gib (CUDA context, NCCL buffers, allocator
// fragmentation). 0.9 is also vLLM's default gpu_memory_utilization.
struct MemoryBudget {
  double usable_memory_fraction = 0.9;
  double runtime_reserve_gib = 1.0;

  // The usable bytes on `device` (0 when the reserve exceeds it).
  std::int64_t UsableBytes(const model::Device& device) const;
  // "usable memory per device: 0.9 x 80 GiB - 1 GiB runtime reserve
  // (--usable-memory-fraction, --runtime-reserve-gib)".
  std::string Describe(const model::Device& device) const;

  template <typename V>
  void VisitFields(V&& v) {
    v(usable_memory_fraction,
      {.name = "usable_memory_fraction",
       .help = "fraction of device memory a layout may use",
       .min = 0.0,
       .max = 1.0,
       .min_exclusive = true});
    v(runtime_reserve_gib,
      {.name = "runtime_reserve_gib",
       .help = "memory the runtime keeps (CUDA context, NCCL buffers)",
       .unit = "GIB",
       .min = 0.0,
       .max = 1e6});
  }
};

// The number formats of the GEMMs: bf16 (16-bit; fp16 reads as bf16) or
// fp8 (Transformer Engine: linear layers in fp8, attention in 16 bits).
inline constexpr EnumNames<model::Dtype, 3> kStepDtypeNames = {{
    {"bf16", model::Dtype::kBf16},
    {"fp16", model::Dtype::kBf16},
    {"fp8", model::Dtype::kFp8},
}};

struct StepOptions : MemoryBudget {
  // tp, pp, dp, zero, sequence_parallel, recompute, micro_batch, seq_len,
  // precision, optimizer, ... (memory.num_microbatches and
  // memory.states.data_parallel follow from the fields below when 0 / 1).
  model::TrainingMemoryOptions memory;
  std::int64_t devices = 0;  // 0: tp x cp x dp x pp
  std::int64_t virtual_stages = 1;
  std::int64_t context_parallel = 1;
  std::int64_t expert_parallel = 1;
  std::int64_t global_batch = 0;         // sequences; 0: see below
  std::int64_t global_batch_tokens = 0;  // or tokens (a multiple of seq_len)
  model::Dtype dtype = model::Dtype::kBf16;
  model::FlopsConvention convention = model::FlopsConvention::kPalm;
  bool tp_comm_overlap = false;

  template <typename V>
  void VisitFields(V&& v) {
    memory.VisitFields(v);
    v(devices,
      {.name = "devices",
       .help = "devices in the run",
       .min = 0,
       .max = 1e9,
       .default_text = "tp x cp x dp x pp"});
    v(virtual_stages,
      {.name = "vp",
       .help = "model chunks per pipeline rank (interleaved 1F1B)",
       .min = 1,
       .max = 1e6,
       .alias = "virtual_stages"});
    v(context_parallel,
      {.name = "cp",
       .help = "context-parallel degree (ring attention)",
       .min = 1,
       .max = 1e6,
       .alias = "context_parallel"});
    v(expert_parallel,
      {.name = "ep",
       .help = "expert-parallel degree (MoE)",
       .min = 1,
       .max = 1e6,
       .alias = "expert_parallel"});
    v(global_batch,
      {.name = "global_batch",
       .help = "sequences per optimizer step",
       .min = 0,
       .max = 1e12,
       .default_text = "micro_batch x dp x max(pp, microbatches)"});
    v(global_batch_tokens,
      {.name = "global_batch_tokens",
       .help = "tokens per optimizer step (instead of --global-batch)",
       .unit = "TOKENS",
       .min = 0,
       .max = 1e15});
    v(dtype,
      {.name = "dtype", .help = "GEMM number format: bf16, fp16 or fp8"},
      kStepDtypeNames);
    v(convention,
      {.name = "convention",
       .help = "FLOPs convention of model_tflops_per_device, MFU and HFU"},
      model::kConventionNames);
    v(tp_comm_overlap,
      {.name = "tp_comm_overlap",
       .help = "overlap tensor-parallel collectives with the GEMMs "
               "(Transformer Engine userbuffers; Megatron-LM "
               "--tp-comm-overlap)",
       .is_switch = true});
    MemoryBudget::VisitFields(v);
  }
};

// The layout of a prediction, every degree resolved.
struct Layout {
  std::int64_t devices = 1;
  std::int64_t tp = 1;
  std::int64_t pp = 1;
  std::int64_t vp = 1;
  std::int64_t cp = 1;
  std::int64_t ep = 1;
  std::int64_t dp = 1;
  std::int64_t zero = 0;
  bool sequence_parallel = false;
  model::Recompute recompute = model::Recompute::kNone;
  std::int64_t micro_batch = 1;
  std::int64_t microbatches = 1;  // m, per pipeline per step
  std::int64_t global_batch = 1;  // sequences
  std::int64_t seq_len = 0;
  model::Dtype dtype = model::Dtype::kBf16;
  std::string Describe() const;  // "tp 8 pp 12 dp 4, mb 1, full recompute"
};

struct CommTime {
  double total = 0.0;    // s per step on the slowest stage
  double exposed = 0.0;  // on the critical path
};

// Seconds per step; compute + every exposed + bubble + optimizer = step.
struct StepTime {
  double compute = 0.0;  // forward, backward, recompute of all micro-batches
  double matmul = 0.0;   // of which GEMMs
  double attention = 0.0;
  double memory_bound = 0.0;
  CommTime tensor;
  CommTime context;
  CommTime expert;
  CommTime pipeline;
  CommTime data;
  double bubble = 0.0;
  double optimizer = 0.0;
  double exposed_communication() const;
};

enum class StepStatus { kOk, kDoesNotFit };
inline constexpr EnumNames<StepStatus, 2> kStepStatusNames = {{
    {"ok", StepStatus::kOk},
    {"does_not_fit", StepStatus::kDoesNotFit},
}};

struct StepPrediction {
  StepStatus status = StepStatus::kOk;
  std::string message;
  Layout layout;
  StepTime time;
  double step_seconds = 0.0;
  double tokens_per_second = 0.0;
  double tokens_per_second_per_device = 0.0;
  std::string convention;  // of the FLOPs below
  double model_flops_per_token = 0.0;
  double hardware_flops_per_token = 0.0;
  double model_tflops_per_device = 0.0;  // per second
  double hardware_tflops_per_device = 0.0;
  double mfu = 0.0;  // of the 16-bit peak
  double hfu = 0.0;
  std::optional<double> energy_joules_per_token;  // at TDP, an upper bound
  model::TrainingMemory memory;
  std::int64_t usable_memory_bytes = 0;
  bool fits = true;
  // What limits it most: "memory" (within 5% of the usable memory), else
  // the largest of "bubble", "communication" and "optimizer" when above
  // 10% of the step, else "compute".
  std::string binds;
};

// Checks `options` against the architecture and the device; throws
// InvalidInput naming the field (tp, pp, vp, cp, ep, dp, devices,
// global_batch, global_batch_tokens, seq_len, dtype, ...): t must divide
// the heads, the KV heads (or be a multiple of them, replicating them) and
// the scale-up domain; p at most the layers and p x v dividing them when
// v > 1; devices a multiple of t x c x p; B a multiple of b x d; s a
// multiple of 2c (load-balanced ring attention); e dividing the experts and
// c x d; the dtype a peak of the device.
Layout ResolveLayout(const model::Architecture& arch,
                     const model::Device& device,
                     const StepOptions& options);

// The prediction for one layout (validated as above).
StepPrediction PredictStep(const model::Architecture& arch,
                           const model::Device& device,
                           const StepOptions& options);

// The same for a resolved layout, with the architecture's per-operation
// FLOPs and the device's efficiencies prepared once (the search calls it
// for every candidate).
class StepModel {
 public:
  StepModel(const model::Architecture& arch,
            const model::Device& device,
            const StepOptions& options);
  StepPrediction Predict(const Layout& layout) const;
  const Efficiencies& efficiencies() const { return eff_; }

 private:
  model::Architecture arch_;
  model::Device device_;
  StepOptions options_;
  Efficiencies eff_;
  NetworkModel net_;
  std::int64_t seq_len_ = 0;
  model::OperationFlops ops_;  // one causal sequence, forward
  // Parameters of one block on one rank before the t (and e) split.
  std::int64_t dense_block_params_ = 0;
  std::int64_t moe_block_params_ = 0;      // without the routed experts
  std::int64_t routed_expert_params_ = 0;  // all routed experts of a block
  std::int64_t embedding_params_ = 0;
  std::int64_t head_params_ = 0;
  // Convention FLOPs per token by recompute (none, selective, full).
  std::array<model::ConventionFlops, 3> flops_;
};

// The columns of a prediction as one record (scalesim step): status,
// layout, step_seconds, tokens_per_second, tokens_per_second_per_device,
// model_tflops_per_device, mfu, hardware_tflops_per_device, hfu, the time
// breakdown (compute_seconds, ..., <kind>_communication_seconds and
// <kind>_exposed_seconds, bubble_seconds, optimizer_seconds), memory and
// binds.
Schema<StepPrediction> StepSchema();
// One row per examined stage (first, last, most loaded): stage, weights,
// gradients, optimizer states, activations, total, usable, fits.
struct StageRow {
  std::string which;  // "first", "last", "most loaded"
  model::StageMemory stage;
  std::int64_t usable_bytes = 0;
};
std::vector<StageRow> StageRows(const StepPrediction& p);
Schema<StageRow> StageSchema();

// What a report says beside the numbers: the efficiencies used and where
// they come from, the usable memory, the FLOPs convention and peak of MFU,
// the overlap rules.
std::vector<std::string> StepNotes(const model::Device& device,
                                   const StepOptions& options);

}  // namespace scalesim::perf

#endif  // SCALESIM_PERF_STEP_HPP_

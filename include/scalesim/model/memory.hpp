// Training and inference memory per device, in bytes (exact integers).
//
// Training memory = model states (weights, gradients, optimizer states)
// + activations, on the most loaded device:
//
// Model states (Rajbhandari et al. 2020, "ZeRO", Sec. 3.1 and Fig. 1):
//   weights      fp32: 4 bytes/param; bf16/fp16 mixed: 2; fp8 mixed: 1 (the
//                low-precision working copy);
//   gradients    16-bit: 2; 32-bit: 4; "16+32": a 16-bit gradient plus an
//                fp32 accumulation buffer, 6;
//   optimizer    mixed precision keeps an fp32 master copy (4) in the
//                optimizer states (ZeRO's K); Adam/AdamW m and v in fp32
//                (8); SGD with momentum 4; Adafactor's factored second
//                moments, r + c scalars per r x c matrix, 4 bytes each, no
//                first moment (Shazeer and Stern 2018, beta1 = 0); 8-bit
//                Adam 2 bytes plus one fp32 absmax per 2,048-element block
//                and state (Dettmers et al. 2022).
//   So mixed Adam is 2 + 2 + 12 = 16 bytes/param (ZeRO's K = 12), 18 with
//   fp32 gradients (Megatron-LM's theoretical-memory convention) and 20 with
//   both; fp32 Adam is 4 + 4 + 8 = 16. The convention is always printed.
//   ZeRO stage 1 shards the optimizer states over the data-parallel degree
//   N_d, stage 2 also the gradients, stage 3 also the weights.
//
// Parallelism (Narayanan et al. 2021; Korthikanti et al. 2022): tensor
// parallel t divides every parameter of a stage by t (norms and biases that
// Megatron replicates are counted as split: < 0.01% for large models);
// pipeline parallel p gives the first stage the token (and position)
// embeddings and ceil(L/p) layers, the last stage the remaining layers,
// final norm and LM head (with tied embeddings a copy of the embedding
// matrix when p > 1, as Megatron keeps one). Under the 1F1B schedule the
// first stage holds activations of min(p, micro-batches) micro-batches.
// Every stage is examined (at most 4,096) and the most loaded reported: with
// MoE layers or leading dense layers a middle stage can hold the most.
// When t does not divide the KV heads (t > n_kv_heads under GQA/MQA), each
// rank keeps ceil(n_kv_heads / t) whole KV heads: their K/V weights and K/V
// activations are replicated rather than split, as in serving.
//
// Activations per layer (Korthikanti et al. 2022 Sec. 4, Table 2), bytes for
// sequence s, micro-batch b, width h, a heads, 16-bit activations and 1-byte
// dropout masks:
//   no parallelism        sbh (34 + 5as/h)
//   tensor parallel       sbh (10 + 24/t + 5as/(ht))
//   + sequence parallel   sbh/t (34 + 5as/h)
//   selective recompute   the 5as/h term dropped
//   full recompute        2sbh (the layer input; /t with sequence parallel)
//   FlashAttention        the s^2 terms replaced by the softmax
//                         log-sum-exp, 4 a s b bytes (Dao et al. 2022)
// generalised term by term to GQA (K and V of n_kv_heads), other head
// widths, gated MLPs (gate, up and down inputs: 6 s b d_ff bytes instead of
// 4), MoE (each token's top-k and shared experts) and no dropout. Embedding
// (int64 token ids 8sb, dropout mask sbh) and final norm + logits
// (4sbh + 4sbV, fp32 logits) follow Korthikanti Sec. 4.3 and Megatron-LM's
// theoretical_memory_usage.py.
//
// Inference (weights + KV cache; activations and framework workspace not
// included): weights at 32/16/8/4 bits with an optional per-group scale, of
// the whole checkpoint (a multimodal model's vision tower too); KV cache
// 2 * kv_heads * head_dim * bytes per token per layer (GQA/MQA aware); MLA
// caches its latent, (kv_lora_rank + qk_rope_head_dim) per token per layer
// (DeepSeek-AI 2024, DeepSeek-V2 Sec. 2.1.3), DSA also its indexer key
// (index_head_dim). Each layer by its kind: a full-attention layer keeps
// every token of the context, a sliding-window layer at most W (Mistral's
// 4,096, Gemma 2/3 local layers, gpt-oss's 128), a chunked one at most its
// chunk C (Llama 4; transformers allocates a window of C for it), a Gated
// DeltaNet layer no tokens but a constant state: conv_dim x K values in
// the cache dtype and n_v x d_k x d_v in float32 (Qwen3-Next: 2,162,688
// bytes per layer and sequence at bf16).
//
// Training memory counts the language model (a multimodal checkpoint's
// vision tower is not in it); Gated DeltaNet layers' activations are
// approximated (LayerActivationBytes), their parameters exact.
#ifndef SCALESIM_MODEL_MEMORY_HPP_
#define SCALESIM_MODEL_MEMORY_HPP_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "scalesim/core/enum_names.hpp"
#include "scalesim/model/architecture.hpp"
#include "scalesim/model/flops.hpp"

namespace scalesim::model {

enum class Precision { kFp32, kMixed16, kFp8Mixed };
// Names in flags and files (the first of a value is how it prints).
inline constexpr EnumNames<Precision, 4> kPrecisionNames = {{
    {"fp32", Precision::kFp32},
    {"bf16", Precision::kMixed16},
    {"fp16", Precision::kMixed16},
    {"fp8", Precision::kFp8Mixed},
}};
// "fp32", "bf16" or "fp16" (mixed 16-bit), "fp8" (mixed fp8).
Precision ParsePrecision(std::string_view text);
std::string_view ToString(Precision precision);

enum class GradientDtype { k16, k32, k16And32 };
// Names in flags and files (the first of a value is how it prints).
inline constexpr EnumNames<GradientDtype, 3> kGradientNames = {{
    {"16", GradientDtype::k16},
    {"32", GradientDtype::k32},
    {"16+32", GradientDtype::k16And32},
}};
GradientDtype ParseGradientDtype(std::string_view text);  // "16", "32", "16+32"
std::string_view ToString(GradientDtype dtype);
// The gradient dtype a precision implies unless told otherwise: 32-bit for
// fp32 training, 16-bit otherwise (ZeRO's 2 + 2 + K).
GradientDtype DefaultGradientDtype(Precision precision);

enum class Optimizer { kAdam, kAdamW, kSgdMomentum, kAdafactor, kAdam8bit };
// Names in flags and files (the first of a value is how it prints).
inline constexpr EnumNames<Optimizer, 6> kOptimizerNames = {{
    {"adam", Optimizer::kAdam},
    {"adamw", Optimizer::kAdamW},
    {"sgd-momentum", Optimizer::kSgdMomentum},
    {"sgd", Optimizer::kSgdMomentum},
    {"adafactor", Optimizer::kAdafactor},
    {"adam8bit", Optimizer::kAdam8bit},
}};
// "adam", "adamw", "sgd-momentum" (or "sgd"), "adafactor", "adam8bit".
Optimizer ParseOptimizer(std::string_view text);
std::string_view ToString(Optimizer optimizer);

// Integer sizes are bounded by int64 (counts that overflow it are bad
// input, named when they are computed).
inline constexpr double kMaxCount = 9.2e18;

struct ModelStateOptions {
  Precision precision = Precision::kMixed16;
  // Unset: DefaultGradientDtype(precision).
  std::optional<GradientDtype> grad_dtype;
  Optimizer optimizer = Optimizer::kAdam;
  std::int64_t zero_stage = 0;     // 0..3
  std::int64_t data_parallel = 1;  // N_d, > 0

  GradientDtype gradient_dtype() const {
    return grad_dtype.value_or(DefaultGradientDtype(precision));
  }

  template <typename V>
  void VisitFields(V&& v) {
    v(precision,
      {.name = "precision",
       .help = "fp32, bf16/fp16 (mixed, fp32 master) or fp8 (mixed)"},
      kPrecisionNames);
    v(grad_dtype,
      {.name = "grad_dtype",
       .help = "gradient bits: 16, 32 or 16+32",
       .default_text = "32 for fp32, else 16"},
      kGradientNames);
    v(optimizer,
      {.name = "optimizer",
       .help = "adam, adamw, sgd-momentum, adafactor or adam8bit"},
      kOptimizerNames);
    v(zero_stage,
      {.name = "zero",
       .help = "ZeRO stage over the data-parallel degree",
       .min = 0,
       .max = 3,
       .alias = "zero_stage"});
    v(data_parallel,
      {.name = "dp",
       .help = "data-parallel degree",
       .min = 1,
       .max = kMaxCount,
       .alias = "data_parallel"});
  }
};

struct ModelStateBytes {
  std::int64_t weights = 0;
  std::int64_t gradients = 0;
  std::int64_t optimizer_states = 0;  // incl. the fp32 master weights
  std::int64_t total() const { return weights + gradients + optimizer_states; }
};

// Unsharded bytes per parameter of each state, and their sum (16, 18, 20,
// ...). Adafactor and 8-bit Adam depend on shapes and block counts; their
// optimizer figure here is the master weights plus the per-element state
// (0 for Adafactor's factored moments, 2 for 8-bit Adam).
struct BytesPerParam {
  double weights = 0.0;
  double gradients = 0.0;
  double optimizer_states = 0.0;
  double total() const { return weights + gradients + optimizer_states; }
};
BytesPerParam BytesPerParamOf(const ModelStateOptions& options);
// "bf16/fp16 mixed: 2 (weights) + 2 (16-bit gradients) + 4 (fp32 master) +
// 8 (Adam m, v fp32) = 16 bytes/param" -- printed in every report.
std::string DescribeBytesPerParam(const ModelStateOptions& options);

// Model states of `params` parameters on one data-parallel rank after ZeRO
// sharding (ceil(bytes / N_d) per sharded state). For Adafactor
// `factored_state_scalars` is the number of second-moment scalars of those
// parameters (AdafactorStateScalars); ignored otherwise. Throws
// InvalidInput for a negative count, a ZeRO stage outside 0..3 or
// N_d <= 0. ZeRO Fig. 1 (Psi = 7.5e9, N_d = 64, K = 12): 120, 31.4, 16.6
// and 1.9 GB for stages 0..3.
ModelStateBytes ComputeModelStateBytes(std::int64_t params,
                                       const ModelStateOptions& options,
                                       std::int64_t factored_state_scalars = 0);

// ---------------------------------------------------------------------------
// Training memory of an architecture.

struct TrainingMemoryOptions {
  ModelStateOptions states;
  std::int64_t tensor_parallel = 1;    // t: must divide n_heads
  std::int64_t pipeline_parallel = 1;  // p: 1..n_layers
  bool sequence_parallel = false;      // Korthikanti et al. 2022 Sec. 4.2.2
  Recompute recompute = Recompute::kNone;
  // LLM pre-training today: FlashAttention (Dao et al. 2022) and no
  // dropout. Korthikanti et al. 2022's Table 2 assumes neither.
  bool flash_attention = true;
  bool dropout = false;
  std::int64_t micro_batch = 1;  // b
  std::int64_t seq_len = 0;      // s, > 0 (TrainingSeqLen for a default)
  // Micro-batches per optimizer step; 0: at least p, so the first stage
  // holds p in flight.
  std::int64_t num_microbatches = 0;
  // Set by perf::StepOptions, whose fields declare their flags (--cp, --ep,
  // --vp); 1 leaves the estimate as above.
  //   context_parallel c: each rank holds s/c tokens of every sequence (the
  //     activations of s/c tokens); ZeRO shards over N_d * c, as Megatron's
  //     distributed optimizer does over its data-and-context group.
  //   expert_parallel e: each rank holds num_experts / e routed experts
  //     (split t ways too); their states shard over N_d * c / e.
  //   virtual_stages v: the interleaved 1F1B schedule; stage i holds
  //     2(p - i - 1) + (v - 1) p + 1 model chunks of L/(p v) layers in flight
  //     (Megatron-LM schedules.py warm-up), so the first stage holds
  //     p (1 + (p - 1)/(p v)) micro-batches' worth of its layers
  //     (Narayanan et al. 2021 Sec. 2.2.2; Korthikanti et al. 2022 Sec.
  //     4.2.3).
  std::int64_t context_parallel = 1;
  std::int64_t expert_parallel = 1;
  std::int64_t virtual_stages = 1;

  template <typename V>
  void VisitFields(V&& v) {
    states.VisitFields(v);
    v(tensor_parallel,
      {.name = "tp",
       .help = "tensor-parallel degree",
       .min = 1,
       .max = kMaxCount,
       .alias = "tensor_parallel"});
    v(pipeline_parallel,
      {.name = "pp",
       .help = "pipeline-parallel degree",
       .min = 1,
       .max = kMaxCount,
       .alias = "pipeline_parallel"});
    v(sequence_parallel,
      {.name = "sequence_parallel",
       .help = "sequence parallelism (Korthikanti et al. "
               "2022 Sec. 4.2.2)",
       .is_switch = true});
    v(recompute,
      {.name = "recompute",
       .help = "activation recompute: none, selective or full"},
      kRecomputeNames);
    v(flash_attention,
      {.name = "flash_attention",
       .help = "count the s^2 attention activations "
               "(no FlashAttention)",
       .is_switch = true});
    v(dropout,
      {.name = "dropout", .help = "count dropout masks", .is_switch = true});
    v(micro_batch,
      {.name = "micro_batch",
       .help = "sequences per micro-batch",
       .min = 1,
       .max = kMaxCount});
    v(num_microbatches,
      {.name = "microbatches",
       .help = "micro-batches per step",
       .min = 1,
       .max = kMaxCount,
       .default_text = "at least the pipeline depth",
       .alias = "num_microbatches",
       .zero_is_default = true});
    v(seq_len,
      {.name = "seq_len",
       .help = "training sequence length",
       .unit = "TOKENS",
       .min = 1,
       .max = kMaxCount,
       .default_text = "the model's maximum context, at most 4096",
       .zero_is_default = true});
  }
};

// The training sequence length scalesim assumes when none is given: a
// typical pre-training length (Llama 2 and 3 pre-train at 4,096; Touvron et
// al. 2023 Table 1, Dubey et al. 2024 Sec. 3.4), or the model's maximum
// context when that is shorter. Never the model's long-context maximum
// (131,072 tokens for Llama 3.2), which no pre-training step uses.
inline constexpr std::int64_t kDefaultTrainingSeqLen = 4096;
// `requested` when > 0, else min(context_length, 4096) (4096 when the model
// gives no context length).
std::int64_t TrainingSeqLen(const Architecture& arch, std::int64_t requested);

// Activation bytes of one layer on one tensor-parallel rank (Table 2 row
// chosen by t, sequence_parallel, recompute and flash_attention).
std::int64_t LayerActivationBytes(const Architecture& arch,
                                  const TrainingMemoryOptions& options,
                                  bool moe_layer = false);

struct ActivationBytes {
  std::int64_t layers = 0;     // layers held by the stage
  std::int64_t in_flight = 0;  // micro-batches whose activations are held
  std::int64_t blocks = 0;     // in_flight * sum of the layers' bytes
  std::int64_t embedding =
      0;  // token ids + embedding dropout mask, per in-flight batch
  std::int64_t final_norm_and_logits = 0;  // last stage only
  std::int64_t total() const {
    return blocks + embedding + final_norm_and_logits;
  }
};

struct StageMemory {
  std::int64_t stage = 0;              // 0-based pipeline stage
  std::int64_t params_per_device = 0;  // stage parameters / t
  // Of which routed-expert parameters, split t * e ways (0 unless
  // expert_parallel > 1).
  std::int64_t expert_params_per_device = 0;
  ModelStateBytes states;
  ActivationBytes activations;
  std::int64_t total() const { return states.total() + activations.total(); }
};

struct TrainingMemory {
  StageMemory most_loaded;  // the stage with the largest total
  StageMemory first;
  StageMemory last;
  BytesPerParam bytes_per_param;
  std::string activation_formula;  // which Table 2 row, for the report
};

// Throws InvalidInput (field named after the option) for t not dividing
// n_heads, p outside 1..n_layers, non-positive sizes, bad ZeRO settings.
TrainingMemory EstimateTrainingMemory(const Architecture& arch,
                                      const TrainingMemoryOptions& options);

// Largest micro-batch b whose most loaded device fits in `device_bytes`
// (0 when not even b = 1 fits).
std::int64_t LargestMicroBatch(const Architecture& arch,
                               TrainingMemoryOptions options,
                               std::int64_t device_bytes);

// Adafactor second-moment scalars of the whole model: r + c for each r x c
// weight matrix, the full size of vectors (Shazeer and Stern 2018 Sec. 3).
std::int64_t AdafactorStateScalars(const Architecture& arch);

// ---------------------------------------------------------------------------
// Inference.

enum class WeightDtype { kFp32, kBf16, kFp8, kInt8, kInt4 };
// Names in flags and files (the first of a value is how it prints).
inline constexpr EnumNames<WeightDtype, 6> kWeightDtypeNames = {{
    {"fp32", WeightDtype::kFp32},
    {"bf16", WeightDtype::kBf16},
    {"fp16", WeightDtype::kBf16},
    {"fp8", WeightDtype::kFp8},
    {"int8", WeightDtype::kInt8},
    {"int4", WeightDtype::kInt4},
}};
// "fp32", "bf16" or "fp16", "fp8", "int8", "int4".
WeightDtype ParseWeightDtype(std::string_view text);
std::string_view ToString(WeightDtype dtype);
std::int64_t BitsOf(WeightDtype dtype);  // 32, 16, 8, 8, 4

struct QuantizationOptions {
  WeightDtype dtype = WeightDtype::kBf16;
  // Group-wise quantization stores one scale of `scale_bits` per
  // `group_size` weights (GPTQ, Frantar et al. 2023; AWQ, Lin et al. 2024);
  // 0: no scales.
  std::int64_t group_size = 0;
  std::int64_t scale_bits = 16;
  // The token embeddings and the LM head stay in 16 bits below 16-bit
  // weights (GPTQ, AWQ and the FP8 recipes of TensorRT-LLM and vLLM leave
  // lm_head and embed_tokens unquantized; gpt-fast's int8 quantizes the
  // head too). Off here: every parameter at `dtype`; perf::ServeOptions
  // turns it on.
  bool embeddings_16bit = false;

  template <typename V>
  void VisitFields(V&& v) {
    v(dtype,
      {.name = "weight_dtype",
       .help = "serving weights: fp32, bf16, fp16, fp8, int8 or int4"},
      kWeightDtypeNames);
    v(embeddings_16bit,
      {.name = "embeddings_16bit",
       .help = "token embeddings and LM head in 16 bits whatever the "
               "weight dtype (as GPTQ, AWQ and FP8 checkpoints keep them)",
       .is_switch = true,
       .off_help = "token embeddings and LM head in the weight dtype too "
                   "(by default they stay in 16 bits, as GPTQ, AWQ and FP8 "
                   "checkpoints keep them)"});
    v(group_size,
      {.name = "group_size",
       .help = "weights per quantization scale (0: none)",
       .min = 0,
       .max = kMaxCount});
    v(scale_bits,
      {.name = "scale_bits",
       .help = "bits per quantization scale",
       .min = 1,
       .max = 64});
  }
};

// ceil(params * bits / 8) + ceil(params / group_size) * scale_bits / 8.
// 7e9 parameters: 28 / 14 / 7 / 3.5 GB at fp32 / bf16 / int8 / int4.
// (embeddings_16bit plays no part: these are `params` of one kind.)
std::int64_t WeightBytes(std::int64_t params,
                         const QuantizationOptions& options);
// The parameters embeddings_16bit keeps in 16 bits: the token and position
// embeddings and the untied LM head.
std::int64_t EmbeddingAndHeadParams(const Architecture& arch);
// Bytes of every weight of the checkpoint at `options`: WeightBytes of the
// whole checkpoint, or with embeddings_16bit (and fewer than 16 bits) the
// rest at `dtype` and EmbeddingAndHeadParams at 2 bytes. Llama-2-7B at
// int4 without scales: 3,369,207,808 bytes; with embeddings_16bit
// 3,762,423,808 (262,144,000 embedding and head parameters at 2 bytes).
std::int64_t CheckpointWeightBytes(const Architecture& arch,
                                   const QuantizationOptions& options);

// KV-cache bytes each token adds while the context is within every window:
// 2 * (attention layers) * n_kv_heads * head_dim * kv_bits / 8; MLA:
// layers * (kv_lora_rank + qk_rope_head_dim) * kv_bits / 8 (linear-attention
// layers add none). Llama-2-7B at 16 bits: 524,288; Llama-2-70B (8 KV
// heads): 327,680. Beyond a window, KvCacheBytes is the exact figure.
std::int64_t KvCacheBytesPerToken(const Architecture& arch,
                                  std::int64_t kv_bits = 16);
// KV cache (and recurrent state) of one sequence of `context` tokens, every
// layer by its kind (see above): gemma-3-1b at 32,768 tokens, bf16:
// 145,752,064 bytes (22 local layers x 512 + 4 global x 32,768 tokens, 1,024
// bytes each).
std::int64_t KvCacheBytes(const Architecture& arch,
                          std::int64_t context,
                          std::int64_t kv_bits = 16);

struct InferenceMemoryOptions {
  QuantizationOptions weights;
  WeightDtype kv_dtype = WeightDtype::kBf16;
  std::int64_t context = 0;  // tokens per sequence held in the cache, > 0
  std::int64_t batch = 1;    // concurrent sequences, > 0
  // Weights split t ways; KV heads split t ways (ceil(n_kv_heads / t) per
  // device: replicated when fewer than t). MLA's latent is replicated.
  std::int64_t tensor_parallel = 1;

  std::int64_t kv_bits() const { return BitsOf(kv_dtype); }

  template <typename V>
  void VisitFields(V&& v) {
    weights.VisitFields(v);
    v(kv_dtype,
      {.name = "kv_dtype",
       .help = "KV cache: fp32, bf16, fp16, fp8, int8 or int4"},
      kWeightDtypeNames);
    v(context,
      {.name = "context",
       .help = "serving: tokens per sequence in the KV cache "
               "(prompt + output)",
       .unit = "TOKENS",
       .min = 1,
       .max = kMaxCount,
       .default_text = "the model's maximum context, at most 4096",
       .zero_is_default = true});
    v(batch,
      {.name = "batch",
       .help = "serving: concurrent sequences",
       .min = 1,
       .max = kMaxCount});
    v(tensor_parallel,
      {.name = "tp",
       .help = "tensor-parallel degree",
       .min = 1,
       .max = kMaxCount,
       .alias = "tensor_parallel"});
  }
};

struct InferenceMemory {
  std::int64_t weights_per_device = 0;
  // KV cache of batch x context tokens, each layer by its kind, including
  // the linear-attention layers' recurrent state.
  std::int64_t kv_cache_per_device = 0;
  std::int64_t recurrent_state_per_device = 0;  // the part of it for linear
                                                // attention
  std::int64_t kv_cache_bytes_per_token = 0;    // whole model, unsplit
  std::int64_t kv_heads_per_device = 0;         // 0 for MLA
  std::int64_t total_per_device() const {
    return weights_per_device + kv_cache_per_device;
  }
};

InferenceMemory EstimateInferenceMemory(const Architecture& arch,
                                        const InferenceMemoryOptions& options);
// Largest batch (concurrent sequences) that fits in `device_bytes`; 0 when
// the weights alone do not fit.
std::int64_t LargestInferenceBatch(const Architecture& arch,
                                   InferenceMemoryOptions options,
                                   std::int64_t device_bytes);

}  // namespace scalesim::model

#endif  // SCALESIM_MODEL_MEMORY_HPP_

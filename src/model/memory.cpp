#include "scalesim/model/memory.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>
#include <utility>

#include "scalesim/core/checked.hpp"
#include "scalesim/core/enum_names.hpp"
#include "scalesim/core/error.hpp"
#include "scalesim/model/params.hpp"

#include "model/counting.hpp"

namespace scalesim::model {
namespace {

using I = std::int64_t;

[[noreturn]] void Fail(std::string_view field, const std::string& problem) {
  throw InvalidInput(InputLocation{"", 0, std::string(field)}, problem);
}

void RequirePositive(I value, std::string_view field) {
  if (value <= 0)
    Fail(field, "must be a positive integer, got " + std::to_string(value));
}

// 8-bit Adam quantizes each state block-wise with one fp32 absmax per block
// of 2,048 elements (Dettmers et al. 2022, Sec. 2).
constexpr I kAdam8bitBlock = 2048;
constexpr I kTokenIdBytes = 8;  // int64 token ids (Megatron-LM)
constexpr I kLogitBytes =
    4;  // fp32 logits for the cross-entropy (Korthikanti Sec. 4.3)
constexpr I kLseBytes =
    4;  // FlashAttention's fp32 log-sum-exp per head and row

using internal::CeilDiv;
using internal::Counter;
using internal::NormParams;

// Adafactor second-moment scalars: r + c per r x c matrix, n per vector.
struct Factored {
  const Counter& c;
  I scalars = 0;
  void Matrix(I rows, I cols, I count = 1, bool bias = false) {
    scalars = c.Add(scalars, c.Mul({count, rows + cols + (bias ? cols : 0)}));
  }
  void Vector(I n, I count = 1) { scalars = c.Add(scalars, c.Mul({count, n})); }
};

void MlpFactored(const Architecture& a, I d_ff, I count, Factored& f) {
  const I d = a.d_model;
  f.Matrix(d, d_ff, count * (a.mlp == MlpKind::kGated ? 2 : 1), a.mlp_bias);
  f.Matrix(d_ff, d, count, a.mlp_bias);
}

// The full-attention token mixer (attention, sinks, indexer, relative
// positions).
void MixerFactored(const Architecture& a, Factored& f) {
  const I d = a.d_model;
  const I heads = a.n_heads;
  if (a.mla.enabled()) {
    const MlaConfig& m = a.mla;
    const I qk = m.qk_nope_head_dim + m.qk_rope_head_dim;
    if (m.q_lora_rank > 0) {
      f.Matrix(d, m.q_lora_rank, 1, a.q_bias);
      f.Vector(NormParams(a.norm, m.q_lora_rank));
      f.Matrix(m.q_lora_rank, heads * qk);
    } else {
      f.Matrix(d, heads * qk);
    }
    f.Matrix(d, m.kv_lora_rank + m.qk_rope_head_dim, 1, a.q_bias);
    f.Vector(NormParams(a.norm, m.kv_lora_rank));
    f.Matrix(m.kv_lora_rank, heads * (m.qk_nope_head_dim + m.v_head_dim));
    f.Matrix(heads * m.v_head_dim, d, 1, a.q_bias);
  } else {
    const I hd = a.head_size();
    f.Matrix(d, heads * hd * (a.attention_output_gate ? 2 : 1), 1, a.q_bias);
    f.Matrix(d, a.kv_heads() * hd, 1, a.k_bias);
    f.Matrix(d, a.kv_heads() * hd, 1, a.v_bias);
    f.Matrix(heads * hd, d, 1, a.o_bias);
    if (a.qk_norm && a.qk_norm_full_width) {
      f.Vector(NormParams(a.norm, heads * hd));
      f.Vector(NormParams(a.norm, a.kv_heads() * hd));
    } else if (a.qk_norm) {
      f.Vector(NormParams(a.norm, hd), 2);
    }
  }
  if (a.attention_sinks) f.Vector(heads);
  if (a.indexer.enabled()) {
    const IndexerConfig& x = a.indexer;
    f.Matrix(a.mla.q_lora_rank, x.n_heads * x.head_dim);
    f.Matrix(d, x.head_dim);
    f.Vector(2 * x.head_dim);
    f.Matrix(d, x.n_heads);
  }
  if (a.position == PositionKind::kRelative) {
    f.Matrix(d, a.attention_width());
    f.Vector(a.attention_width(), 2);
  }
}

// A Gated DeltaNet layer's mixer (in_proj_qkvz, in_proj_ba, conv1d as a
// conv_dim x K matrix, dt_bias and A_log, norm, out_proj).
void LinearMixerFactored(const Architecture& a, Factored& f) {
  const LinearAttentionConfig& l = a.linear_attention;
  const I d = a.d_model;
  f.Matrix(d, 2 * l.key_dim() + 2 * l.value_dim());
  f.Matrix(d, 2 * l.num_value_heads);
  f.Matrix(l.conv_dim(), l.conv_kernel);
  f.Vector(l.num_value_heads, 2);
  f.Vector(l.value_head_dim);
  f.Matrix(l.value_dim(), d);
}

I BlockFactored(const Architecture& a, bool moe, const Counter& c) {
  Factored f{c};
  const I d = a.d_model;
  MixerFactored(a, f);
  f.Vector(NormParams(a.norm, d), a.norms_per_block);
  if (!moe) {
    MlpFactored(a, a.d_ff, 1, f);
    return f.scalars;
  }
  const MoeConfig& m = a.moe;
  MlpFactored(a, m.expert_d_ff, m.num_experts, f);
  if (m.shared_experts > 0) {
    MlpFactored(a,
                m.shared_expert_d_ff > 0 ? m.shared_expert_d_ff : m.expert_d_ff,
                m.shared_experts,
                f);
  }
  f.Matrix(d, m.num_experts, 1, m.router_bias);
  if (m.shared_expert_gate && m.shared_experts > 0) f.Vector(d);
  return f.scalars;
}

// Parameters and Adafactor scalars of the parts a pipeline stage holds.
struct Part {
  I params = 0;
  I factored = 0;
};

struct ModelParts {
  Part embedding;    // token + position embeddings, embedding norm, OPT
                     // projections
  Part dense_block;  // one block
  Part moe_block;
  Part head;       // final norm + LM head
  Part tied_copy;  // the embedding matrix a last stage keeps for a tied head
  // What a linear-attention layer holds more than a full-attention one (its
  // mixer instead; usually negative).
  Part linear_delta;
};

ModelParts PartsOf(const Architecture& a, const Counter& c) {
  const ParamBreakdown p = CountParameters(a);
  ModelParts m;
  const I e = a.token_embed_dim();
  Factored emb{c};
  emb.Matrix(a.vocab_size, e);
  if (p.position_embedding > 0)
    emb.Matrix(a.max_positions + a.position_offset, a.d_model);
  emb.Vector(p.embedding_norm);
  if (p.embed_projection > 0) emb.Matrix(e, a.d_model, 2);
  m.embedding = {c.Sum({p.token_embedding,
                        p.position_embedding,
                        p.embedding_norm,
                        p.embed_projection}),
                 emb.scalars};
  m.dense_block = {p.dense_block.total(), BlockFactored(a, false, c)};
  if (a.moe.enabled())
    m.moe_block = {p.moe_block.total(), BlockFactored(a, true, c)};
  Factored head{c};
  head.Vector(p.final_norm);
  if (!a.tied_embeddings) head.Matrix(e, a.vocab_size);
  if (a.lm_head_bias) head.Vector(a.vocab_size);
  m.head = {c.Add(p.final_norm, p.lm_head), head.scalars};
  if (a.tied_embeddings)
    m.tied_copy = {p.token_embedding, c.Add(a.vocab_size, e)};
  if (p.n_linear_layers > 0) {
    Factored full{c};
    MixerFactored(a, full);
    Factored linear{c};
    LinearMixerFactored(a, linear);
    const BlockParams& any = p.n_dense_blocks > 0 ? p.dense_block : p.moe_block;
    m.linear_delta = {p.linear_attention - any.mixer(),
                      linear.scalars - full.scalars};
  }
  return m;
}

I ElementBytes(Precision precision) {
  return precision == Precision::kFp32 ? 4 : 2;
}

// Every stage is examined (EstimateTrainingMemory); no real pipeline comes
// near this many (Megatron-LM's largest published layouts use 64-105).
constexpr I kMaxPipelineStages = 4096;

I InFlightMicrobatches(const TrainingMemoryOptions& o, I stage) {
  const I p = o.pipeline_parallel;
  // 1F1B: stage i runs p - i forward passes before its first backward.
  const I warmup = p - stage;
  return o.num_microbatches > 0 ? std::min(warmup, o.num_microbatches) : warmup;
}

// Interleaved 1F1B: model chunks (of 1/v of the stage's layers) whose
// activations stage i holds: Megatron-LM's warm-up 2(p - i - 1) + (v - 1) p
// plus the one in its first backward, at most every chunk of the step.
I InFlightChunks(const TrainingMemoryOptions& o, I stage) {
  const I p = o.pipeline_parallel;
  const I v = o.virtual_stages;
  const I chunks = 2 * (p - stage - 1) + (v - 1) * p + 1;
  return o.num_microbatches > 0 ? std::min(chunks, o.num_microbatches * v)
                                : chunks;
}

// Parameters of one routed expert (gate/up and down projections).
I ExpertParams(const Architecture& a, const Counter& c) {
  const I d = a.d_model;
  const I f = a.moe.expert_d_ff;
  const I bias = a.mlp_bias ? 1 : 0;
  const I up =
      c.Mul({a.mlp == MlpKind::kGated ? 2 : 1, c.Add(c.Mul({d, f}), bias * f)});
  return c.Add(up, c.Add(c.Mul({f, d}), bias * d));
}

void ValidateStates(const ModelStateOptions& o) {
  if (o.zero_stage < 0 || o.zero_stage > 3) {
    Fail("zero_stage",
         "must be 0, 1, 2 or 3, got " + std::to_string(o.zero_stage));
  }
  RequirePositive(o.data_parallel, "data_parallel");
}

void ValidateTraining(const Architecture& a, const TrainingMemoryOptions& o) {
  Validate(a, "architecture");
  ValidateStates(o.states);
  RequirePositive(o.tensor_parallel, "tensor_parallel");
  RequirePositive(o.pipeline_parallel, "pipeline_parallel");
  RequirePositive(o.micro_batch, "micro_batch");
  RequirePositive(o.seq_len, "seq_len");
  if (o.num_microbatches < 0) Fail("num_microbatches", "must not be negative");
  RequirePositive(o.context_parallel, "context_parallel");
  RequirePositive(o.expert_parallel, "expert_parallel");
  RequirePositive(o.virtual_stages, "virtual_stages");
  if (o.seq_len % o.context_parallel != 0) {
    Fail("context_parallel",
         "context parallel degree " + std::to_string(o.context_parallel) +
             " does not divide the sequence length " +
             std::to_string(o.seq_len));
  }
  if (o.expert_parallel > 1) {
    if (!a.moe.enabled())
      Fail("expert_parallel", "expert parallelism needs an MoE model");
    const I shards = o.states.data_parallel * o.context_parallel;
    if (a.moe.num_experts % o.expert_parallel != 0 ||
        shards % o.expert_parallel != 0) {
      Fail("expert_parallel",
           "expert parallel degree " + std::to_string(o.expert_parallel) +
               " must divide the " + std::to_string(a.moe.num_experts) +
               " experts and the " + std::to_string(shards) +
               " data-parallel ranks");
    }
  }
  if (o.virtual_stages > 1 &&
      o.pipeline_parallel * o.virtual_stages > a.n_layers) {
    Fail("virtual_stages",
         "pipeline x virtual stages " +
             std::to_string(o.pipeline_parallel * o.virtual_stages) +
             " exceeds " + std::to_string(a.n_layers) + " layers");
  }
  if (a.n_heads % o.tensor_parallel != 0) {
    Fail("tensor_parallel",
         "tensor parallel degree " + std::to_string(o.tensor_parallel) +
             " does not divide " + std::to_string(a.n_heads) +
             " attention heads");
  }
  if (o.pipeline_parallel > kMaxPipelineStages) {
    Fail("pipeline_parallel",
         "at most " + std::to_string(kMaxPipelineStages) +
             " pipeline stages, got " + std::to_string(o.pipeline_parallel));
  }
  if (o.pipeline_parallel > a.n_layers) {
    Fail("pipeline_parallel",
         "pipeline parallel degree " + std::to_string(o.pipeline_parallel) +
             " exceeds " + std::to_string(a.n_layers) + " layers");
  }
}

std::string Num(double v) {
  std::array<char, 32> buf{};
  std::snprintf(buf.data(), buf.size(), "%g", v);
  return buf.data();
}

}  // namespace

Precision ParsePrecision(std::string_view text) {
  return ParseEnumName(text, kPrecisionNames, "precision");
}
std::string_view ToString(Precision precision) {
  switch (precision) {
    case Precision::kFp32:
      return "fp32";
    case Precision::kMixed16:
      return "bf16/fp16 mixed";
    case Precision::kFp8Mixed:
      return "fp8 mixed";
  }
  return "?";
}

GradientDtype ParseGradientDtype(std::string_view text) {
  return ParseEnumName(text, kGradientNames, "grad_dtype");
}
std::string_view ToString(GradientDtype dtype) {
  return EnumName(dtype, kGradientNames);
}
GradientDtype DefaultGradientDtype(Precision precision) {
  return precision == Precision::kFp32 ? GradientDtype::k32
                                       : GradientDtype::k16;
}

Optimizer ParseOptimizer(std::string_view text) {
  return ParseEnumName(text, kOptimizerNames, "optimizer");
}
std::string_view ToString(Optimizer optimizer) {
  return EnumName(optimizer, kOptimizerNames);
}

WeightDtype ParseWeightDtype(std::string_view text) {
  return ParseEnumName(text, kWeightDtypeNames, "weight_dtype");
}
std::string_view ToString(WeightDtype dtype) {
  return EnumName(dtype, kWeightDtypeNames);
}
std::int64_t BitsOf(WeightDtype dtype) {
  switch (dtype) {
    case WeightDtype::kFp32:
      return 32;
    case WeightDtype::kBf16:
      return 16;
    case WeightDtype::kFp8:
    case WeightDtype::kInt8:
      return 8;
    case WeightDtype::kInt4:
      return 4;
  }
  return 0;
}

BytesPerParam BytesPerParamOf(const ModelStateOptions& o) {
  BytesPerParam b;
  switch (o.precision) {
    case Precision::kFp32:
      b.weights = 4;
      break;
    case Precision::kMixed16:
      b.weights = 2;
      break;
    case Precision::kFp8Mixed:
      b.weights = 1;
      break;
  }
  switch (o.gradient_dtype()) {
    case GradientDtype::k16:
      b.gradients = 2;
      break;
    case GradientDtype::k32:
      b.gradients = 4;
      break;
    case GradientDtype::k16And32:
      b.gradients = 6;
      break;
  }
  b.optimizer_states =
      o.precision == Precision::kFp32 ? 0 : 4;  // fp32 master weights
  switch (o.optimizer) {
    case Optimizer::kAdam:
    case Optimizer::kAdamW:
      b.optimizer_states += 8;
      break;
    case Optimizer::kSgdMomentum:
      b.optimizer_states += 4;
      break;
    case Optimizer::kAdafactor:
      break;
    case Optimizer::kAdam8bit:
      b.optimizer_states += 2;
      break;
  }
  return b;
}

std::string DescribeBytesPerParam(const ModelStateOptions& o) {
  const BytesPerParam b = BytesPerParamOf(o);
  std::string s = std::string(ToString(o.precision)) + ": " + Num(b.weights) +
                  " (weights) + " + Num(b.gradients) + " (" +
                  (o.gradient_dtype() == GradientDtype::k16 ? "16-bit gradients"
                   : o.gradient_dtype() == GradientDtype::k32
                       ? "fp32 gradients"
                       : "16-bit gradients + fp32 accumulation") +
                  ")";
  if (o.precision != Precision::kFp32) s += " + 4 (fp32 master)";
  switch (o.optimizer) {
    case Optimizer::kAdam:
    case Optimizer::kAdamW:
      s += " + 8 (" + std::string(ToString(o.optimizer)) + " m, v fp32)";
      break;
    case Optimizer::kSgdMomentum:
      s += " + 4 (SGD momentum fp32)";
      break;
    case Optimizer::kAdafactor:
      s += " + Adafactor factored second moments (4 bytes x (rows + cols) per "
           "matrix)";
      break;
    case Optimizer::kAdam8bit:
      s += " + 2 (8-bit m, v) + 8 bytes per 2,048-element block";
      break;
  }
  s += " = " + Num(b.total()) + " bytes/param";
  if (o.optimizer == Optimizer::kAdafactor ||
      o.optimizer == Optimizer::kAdam8bit) {
    s += " plus the shape-dependent part";
  }
  return s;
}

ModelStateBytes ComputeModelStateBytes(std::int64_t params,
                                       const ModelStateOptions& o,
                                       std::int64_t factored_state_scalars) {
  if (params < 0) Fail("params", "must not be negative");
  ValidateStates(o);
  const Counter c{"model-state bytes"};
  const BytesPerParam b = BytesPerParamOf(o);
  ModelStateBytes m;
  m.weights = c.Mul({static_cast<I>(b.weights), params});
  m.gradients = c.Mul({static_cast<I>(b.gradients), params});
  const I master = o.precision == Precision::kFp32 ? 0 : c.Mul({4, params});
  I states = 0;
  switch (o.optimizer) {
    case Optimizer::kAdam:
    case Optimizer::kAdamW:
      states = c.Mul({8, params});
      break;
    case Optimizer::kSgdMomentum:
      states = c.Mul({4, params});
      break;
    case Optimizer::kAdafactor:
      states = c.Mul({4, std::max<I>(factored_state_scalars, 0)});
      break;
    case Optimizer::kAdam8bit:
      states = c.Add(c.Mul({2, params}),
                     c.Mul({2, 4, CeilDiv(params, kAdam8bitBlock)}));
      break;
  }
  m.optimizer_states = c.Add(master, states);
  const I d = o.data_parallel;
  if (o.zero_stage >= 1) m.optimizer_states = CeilDiv(m.optimizer_states, d);
  if (o.zero_stage >= 2) m.gradients = CeilDiv(m.gradients, d);
  if (o.zero_stage >= 3) m.weights = CeilDiv(m.weights, d);
  c.Add(c.Add(m.weights, m.gradients), m.optimizer_states);
  return m;
}

std::int64_t AdafactorStateScalars(const Architecture& arch) {
  Validate(arch, "architecture");
  const Counter c{"Adafactor states of " + arch.name};
  const ModelParts m = PartsOf(arch, c);
  const I n_moe = arch.NumMoeLayers();
  return c.Sum({m.embedding.factored,
                c.Mul({arch.n_layers - n_moe, m.dense_block.factored}),
                c.Mul({n_moe, m.moe_block.factored}),
                c.Mul({arch.NumLayersOf(AttentionKind::kLinear),
                       m.linear_delta.factored}),
                m.head.factored});
}

namespace {

// LayerActivationBytes of a full-attention layer, or of a linear-attention
// (Gated DeltaNet) one: its projections taken as attention of n_v heads
// (q, k of width d_k, v of d_v) with no s^2 core and no log-sum-exp. That
// is an approximation: the chunked kernels' intermediate states are not
// modelled.
I LayerBytes(const Architecture& a,
             const TrainingMemoryOptions& o,
             bool moe_layer,
             bool linear_layer) {
  const Counter c{"activation bytes of " + a.name};
  const I e = ElementBytes(o.states.precision);
  const I mask = o.dropout ? 1 : 0;
  const I t = o.tensor_parallel;
  const I sb = c.Mul({o.seq_len, o.micro_batch});
  const I sbh = c.Mul({sb, a.d_model});
  auto split = [&](I bytes) {
    return o.sequence_parallel ? CeilDiv(bytes, t) : bytes;
  };
  if (o.recompute == Recompute::kFull)
    return split(c.Mul({e, sbh}));  // the layer input

  const LinearAttentionConfig& l = a.linear_attention;
  const I heads = linear_layer ? l.num_value_heads : a.n_heads;
  I qk = linear_layer ? l.key_head_dim : a.head_size();
  I v = linear_layer ? l.value_head_dim : a.head_size();
  I kv_heads = linear_layer ? l.num_key_heads : a.kv_heads();
  // Replicated across tensor-parallel ranks (split by sequence parallel):
  // the inputs of the norms, of the QKV and first MLP products, and the two
  // dropout masks (Korthikanti Table 2: the 10 sbh).
  I unsplit = c.Sum({c.Mul({a.norms_per_block, e, sbh}),
                     c.Mul({2, e, sbh}),
                     c.Mul({2, mask, sbh})});
  if (a.mla.enabled() && !linear_layer) {
    qk = a.mla.qk_nope_head_dim + a.mla.qk_rope_head_dim;
    v = a.mla.v_head_dim;
    kv_heads = heads;
    // The compressed latents feeding the up-projections.
    unsplit =
        c.Add(unsplit, c.Mul({e, sb, a.mla.kv_lora_rank + a.mla.q_lora_rank}));
  }
  // Split t ways: Q, K, V, the projection input and the MLP's inner
  // activations (the 24 sbh).
  I d_ff = a.d_ff;
  if (moe_layer) {
    const MoeConfig& m = a.moe;
    const I shared_d_ff =
        m.shared_expert_d_ff > 0 ? m.shared_expert_d_ff : m.expert_d_ff;
    d_ff = c.Add(c.Mul({m.experts_per_token, m.expert_d_ff}),
                 c.Mul({m.shared_experts, shared_d_ff}));
  }
  // The attention core: softmax output, dropout mask and dropout output,
  // a s^2 b (e + 1 + e) = 5 a s^2 b; none under selective recompute;
  // FlashAttention keeps only the log-sum-exp.
  I core = 0;
  if (o.recompute == Recompute::kNone && !linear_layer) {
    core = o.flash_attention
               ? c.Mul({kLseBytes, heads, sb})
               : c.Mul({e + mask + mask * e, heads, o.seq_len, sb});
  }
  const I mlp_inner = c.Mul({a.mlp == MlpKind::kGated ? 3 : 2, e, sb, d_ff});
  if (t > 1 && kv_heads % t != 0) {
    // Fewer KV heads than ranks (or not a multiple): each rank keeps
    // ceil(kv/t) whole KV heads, replicated, as serving does
    // (EstimateInferenceMemory); the rest splits t ways.
    const I kv_rank = c.Mul({e, sb, CeilDiv(kv_heads, t), qk + v});
    const I rest =
        c.Sum({c.Mul({e, sb, heads, qk}), c.Mul({e, sb, heads, v}), mlp_inner});
    if (o.sequence_parallel)
      return c.Add(CeilDiv(c.Sum({unsplit, rest, core}), t), kv_rank);
    return c.Sum({unsplit, CeilDiv(rest, t), kv_rank, CeilDiv(core, t)});
  }
  const I split_t = c.Sum({c.Mul({e, sb, heads, qk}),
                           c.Mul({e, sb, kv_heads, qk}),
                           c.Mul({e, sb, kv_heads, v}),
                           c.Mul({e, sb, heads, v}),
                           mlp_inner});
  if (o.sequence_parallel) return CeilDiv(c.Sum({unsplit, split_t, core}), t);
  return c.Sum({unsplit, CeilDiv(split_t, t), CeilDiv(core, t)});
}

}  // namespace

std::int64_t LayerActivationBytes(const Architecture& a,
                                  const TrainingMemoryOptions& o,
                                  bool moe_layer) {
  return LayerBytes(a, o, moe_layer, false);
}

TrainingMemory EstimateTrainingMemory(const Architecture& a,
                                      const TrainingMemoryOptions& options) {
  ValidateTraining(a, options);
  // Context parallelism: every rank holds s/c tokens of each sequence.
  TrainingMemoryOptions o = options;
  o.seq_len = options.seq_len / options.context_parallel;
  const Counter c{"training memory of " + a.name};
  const ModelParts parts = PartsOf(a, c);
  const I p = o.pipeline_parallel;
  const I t = o.tensor_parallel;
  const I v = o.virtual_stages;
  const I base = a.n_layers / p;
  const I extra =
      a.n_layers % p;  // the first `extra` stages get one more layer
  const I dense_bytes = LayerActivationBytes(a, o, false);
  const I moe_bytes = a.moe.enabled() ? LayerActivationBytes(a, o, true) : 0;
  // A linear-attention layer's activations differ from a full-attention
  // one's in its mixer only.
  const bool hybrid = a.NumLayersOf(AttentionKind::kLinear) > 0;
  const I linear_delta =
      hybrid ? LayerBytes(a, o, false, true) - dense_bytes : 0;
  const I e = ElementBytes(o.states.precision);
  const I sb = c.Mul({o.seq_len, o.micro_batch});
  // ZeRO shards dense states over the data-and-context ranks, routed-expert
  // states over those holding the same experts.
  ModelStateOptions dense_states = o.states;
  dense_states.data_parallel =
      c.Mul({o.states.data_parallel, o.context_parallel});
  ModelStateOptions expert_states = dense_states;
  expert_states.data_parallel = dense_states.data_parallel / o.expert_parallel;
  const I routed_per_moe_layer =
      a.moe.enabled() ? c.Mul({a.moe.num_experts, ExpertParams(a, c)}) : 0;
  const I sbh = c.Mul({sb, a.d_model});

  // K and V weights a rank holds whole when t does not divide the KV heads
  // (replicated, as in serving), per layer: the excess over an even split.
  I kv_params_per_head = 0;
  I kv_heads_per_rank = 0;
  if (t > 1 && !a.mla.enabled() && a.kv_heads() % t != 0) {
    const I hd = a.head_size();
    kv_params_per_head = c.Add(c.Mul({2, a.d_model, hd}),
                               (a.k_bias ? hd : 0) + (a.v_bias ? hd : 0));
    kv_heads_per_rank = CeilDiv(a.kv_heads(), t);
  }

  auto stage_memory = [&](I stage) {
    StageMemory m;
    m.stage = stage;
    const I first_layer = stage * base + std::min(stage, extra);
    const I layers = base + (stage < extra ? 1 : 0);
    // Arithmetic (Architecture::NumMoeLayersBelow): a stage costs the same
    // whatever its depth.
    const I moe_layers = a.NumMoeLayersBelow(first_layer + layers) -
                         a.NumMoeLayersBelow(first_layer);
    const I dense_layers = layers - moe_layers;
    const I linear_layers =
        a.NumLayersOfBelow(AttentionKind::kLinear, first_layer + layers) -
        a.NumLayersOfBelow(AttentionKind::kLinear, first_layer);
    Part sum;
    sum.params = c.Sum({c.Mul({dense_layers, parts.dense_block.params}),
                        c.Mul({moe_layers, parts.moe_block.params}),
                        c.Mul({linear_layers, parts.linear_delta.params})});
    sum.factored = c.Sum({c.Mul({dense_layers, parts.dense_block.factored}),
                          c.Mul({moe_layers, parts.moe_block.factored}),
                          c.Mul({linear_layers, parts.linear_delta.factored})});
    const I layer_bytes = c.Sum({c.Mul({dense_layers, dense_bytes}),
                                 c.Mul({moe_layers, moe_bytes}),
                                 c.Mul({linear_layers, linear_delta})});
    ActivationBytes& act = m.activations;
    act.layers = layers;
    if (v > 1) {
      const I chunks = InFlightChunks(o, stage);
      act.in_flight = CeilDiv(chunks, v);
      act.blocks = CeilDiv(c.Mul({chunks, layer_bytes}), v);
    } else {
      act.in_flight = InFlightMicrobatches(o, stage);
      act.blocks = c.Mul({act.in_flight, layer_bytes});
    }
    if (stage == 0) {
      sum.params = c.Add(sum.params, parts.embedding.params);
      sum.factored = c.Add(sum.factored, parts.embedding.factored);
      // Token ids and the embedding dropout mask (Megatron-LM's
      // theoretical memory); split t ways with sequence parallel.
      const I per_batch =
          c.Add(c.Mul({kTokenIdBytes, sb}), o.dropout ? sbh : 0);
      act.embedding =
          c.Mul({act.in_flight,
                 o.sequence_parallel ? CeilDiv(per_batch, t) : per_batch});
    }
    if (stage == p - 1) {
      sum.params = c.Add(sum.params, parts.head.params);
      sum.factored = c.Add(sum.factored, parts.head.factored);
      if (p > 1) {
        sum.params = c.Add(sum.params, parts.tied_copy.params);
        sum.factored = c.Add(sum.factored, parts.tied_copy.factored);
      }
      // Final-norm input and LM-head input (2 e sbh) and fp32 logits
      // (Korthikanti Sec. 4.3: 4sbh(1 + v/h)/t with sequence parallel).
      const I inputs = c.Mul({2, e, sbh});
      const I logits = c.Mul({kLogitBytes, sb, a.vocab_size});
      act.final_norm_and_logits =
          c.Mul({act.in_flight,
                 c.Add(o.sequence_parallel ? CeilDiv(inputs, t) : inputs,
                       CeilDiv(logits, t))});
    }
    // With expert parallelism, routed experts split t * e ways and the rest
    // t ways (without it, everything t ways, as counted below).
    const I routed =
        o.expert_parallel > 1 ? c.Mul({moe_layers, routed_per_moe_layer}) : 0;
    m.expert_params_per_device = CeilDiv(routed, c.Mul({t, o.expert_parallel}));
    m.params_per_device =
        c.Add(CeilDiv(sum.params - routed, t), m.expert_params_per_device);
    if (kv_heads_per_rank > 0) {
      // The replicated K/V weights: whole heads on every rank.
      const I kv_layers = layers - linear_layers;  // linear ones have none
      const I kv_total = c.Mul({kv_layers, a.kv_heads(), kv_params_per_head});
      m.params_per_device =
          c.Add(c.Add(CeilDiv(sum.params - routed - kv_total, t),
                      c.Mul({kv_layers, kv_heads_per_rank, kv_params_per_head})),
                m.expert_params_per_device);
    }
    const I dense_params = m.params_per_device - m.expert_params_per_device;
    const I factored = CeilDiv(sum.factored, t);
    m.states = ComputeModelStateBytes(dense_params, dense_states, factored);
    if (m.expert_params_per_device > 0) {
      const ModelStateBytes experts =
          ComputeModelStateBytes(m.expert_params_per_device, expert_states, 0);
      m.states.weights = c.Add(m.states.weights, experts.weights);
      m.states.gradients = c.Add(m.states.gradients, experts.gradients);
      m.states.optimizer_states =
          c.Add(m.states.optimizer_states, experts.optimizer_states);
    }
    c.Add(m.states.total(), act.total());
    return m;
  };

  // Every stage: with MoE layers (or leading dense ones) a middle stage can
  // hold more than the first or the last.
  TrainingMemory r;
  r.first = stage_memory(0);
  r.most_loaded = r.first;
  for (I stage = 1; stage < p; ++stage) {
    StageMemory m = stage_memory(stage);
    if (m.total() > r.most_loaded.total()) r.most_loaded = m;
    if (stage == p - 1) r.last = std::move(m);
  }
  if (p == 1) r.last = r.first;
  r.bytes_per_param = BytesPerParamOf(o.states);
  std::string row;
  if (o.recompute == Recompute::kFull) {
    row = o.sequence_parallel ? "full recompute: 2sbh/t per layer"
                              : "full recompute: 2sbh per layer";
  } else {
    const bool tp = t > 1;
    const std::string core =
        o.recompute == Recompute::kSelective
            ? ""
            : (o.flash_attention ? " + FlashAttention log-sum-exp 4asb"
                                 : " + 5as^2b");
    if (o.sequence_parallel && tp) {
      row = "tensor + sequence parallel: (34sbh" + core + ")/t";
    } else if (tp) {
      row =
          "tensor parallel: sbh(10 + 24/t)" + (core.empty() ? "" : core + "/t");
    } else {
      row = "no parallelism: 34sbh" + core;
    }
    if (o.recompute == Recompute::kSelective) row += ", selective recompute";
    row += " (MHA, 4h MLP, dropout; generalised to this architecture)";
  }
  r.activation_formula = "Korthikanti et al. 2022 Table 2, " + row;
  if (hybrid) {
    r.activation_formula +=
        "; Gated DeltaNet layers approximated as attention of their head "
        "widths without the s^2 core";
  }
  return r;
}

std::int64_t TrainingSeqLen(const Architecture& arch, std::int64_t requested) {
  if (requested > 0) return requested;
  if (arch.context_length > 0)
    return std::min(arch.context_length, kDefaultTrainingSeqLen);
  return kDefaultTrainingSeqLen;
}

std::int64_t LargestMicroBatch(const Architecture& arch,
                               TrainingMemoryOptions options,
                               std::int64_t device_bytes) {
  auto fits = [&](I b) {
    options.micro_batch = b;
    try {
      return EstimateTrainingMemory(arch, options).most_loaded.total() <=
             device_bytes;
    } catch (const InvalidInput&) {
      return false;  // overflow: far beyond any device
    }
  };
  options.micro_batch = 1;
  EstimateTrainingMemory(arch, options);  // bad options throw here, not below
  if (!fits(1)) return 0;
  I lo = 1;  // fits
  I hi = 2;
  while (hi < (I{1} << 40) && fits(hi)) {
    lo = hi;
    hi *= 2;
  }
  while (hi - lo > 1) {
    const I mid = lo + (hi - lo) / 2;
    (fits(mid) ? lo : hi) = mid;
  }
  return lo;
}

std::int64_t WeightBytes(std::int64_t params, const QuantizationOptions& q) {
  if (params < 0) Fail("params", "must not be negative");
  if (q.group_size < 0) Fail("group_size", "must not be negative");
  RequirePositive(q.scale_bits, "scale_bits");
  const Counter c{"weight bytes"};
  I bytes = CeilDiv(c.Mul({params, BitsOf(q.dtype)}), 8);
  if (q.group_size > 0)
    bytes =
        c.Add(bytes,
              CeilDiv(c.Mul({CeilDiv(params, q.group_size), q.scale_bits}), 8));
  return bytes;
}

std::int64_t EmbeddingAndHeadParams(const Architecture& arch) {
  const ParamBreakdown p = CountParameters(arch);
  const Counter c{"parameters of " + arch.name};
  return c.Sum({p.token_embedding, p.position_embedding, p.lm_head});
}

std::int64_t CheckpointWeightBytes(const Architecture& arch,
                                   const QuantizationOptions& q) {
  const I total = CountParameters(arch).checkpoint_total();
  if (!q.embeddings_16bit || BitsOf(q.dtype) >= 16)
    return WeightBytes(total, q);
  const I kept = EmbeddingAndHeadParams(arch);
  const Counter c{"weight bytes of " + arch.name};
  return c.Add(WeightBytes(total - kept, q), c.Mul({kept, 2}));
}

namespace {

void ValidateKvBits(I kv_bits) {
  if (kv_bits != 4 && kv_bits != 8 && kv_bits != 16 && kv_bits != 32) {
    Fail("kv_bits", "must be 4, 8, 16 or 32, got " + std::to_string(kv_bits));
  }
}

// Bits one cached token takes in one attention layer on one device: K and
// V of the device's KV heads, or MLA's latent (replicated) and DSA's
// indexer key.
I EntryBits(const Architecture& a, I kv_bits, I kv_heads, const Counter& c) {
  if (a.mla.enabled()) {
    const I indexer = a.indexer.enabled() ? a.indexer.head_dim : 0;
    return c.Mul({c.Sum({a.mla.kv_lora_rank, a.mla.qk_rope_head_dim, indexer}),
                  kv_bits});
  }
  return c.Mul({2, kv_heads, a.head_size(), kv_bits});
}

// Tokens a layer of `kind` keeps at `context` tokens of context: all of
// them (full), at most the window (sliding) or the chunk (chunked; the
// allocation transformers' sliding-window cache makes for it), none
// (linear: its state instead).
I CachedTokens(const Architecture& a, AttentionKind kind, I context) {
  switch (kind) {
    case AttentionKind::kFull:
      return context;
    case AttentionKind::kSliding:
      return std::min(context, a.sliding_window);
    case AttentionKind::kChunked:
      return std::min(context, a.attention_chunk);
    case AttentionKind::kLinear:
      return 0;
  }
  return 0;
}

// Bits of one Gated DeltaNet layer's state on one of t devices (heads
// split t ways): the conv state, conv_dim x K in the cache dtype (as
// transformers keeps it; K - 1 columns would do), and the recurrent state
// n_v x d_k x d_v in float32, whatever the cache dtype.
I LinearStateBits(const Architecture& a, I kv_bits, I t, const Counter& c) {
  const LinearAttentionConfig& l = a.linear_attention;
  const I k_heads = CeilDiv(l.num_key_heads, t);
  const I v_heads = CeilDiv(l.num_value_heads, t);
  const I conv = c.Mul({c.Add(c.Mul({2, k_heads, l.key_head_dim}),
                              c.Mul({v_heads, l.value_head_dim})),
                        l.conv_kernel,
                        kv_bits});
  return c.Add(conv, c.Mul({v_heads, l.key_head_dim, l.value_head_dim, 32}));
}

// Bits of cache one sequence of `context` tokens needs on one device:
// every layer by its kind.
I SequenceCacheBits(const Architecture& a,
                    I context,
                    I kv_bits,
                    I kv_heads,
                    I t,
                    const Counter& c) {
  I entries = 0;
  for (AttentionKind kind : {AttentionKind::kFull,
                             AttentionKind::kSliding,
                             AttentionKind::kChunked}) {
    entries = c.Add(
        entries, c.Mul({a.NumLayersOf(kind), CachedTokens(a, kind, context)}));
  }
  I bits = c.Mul({entries, EntryBits(a, kv_bits, kv_heads, c)});
  const I linear = a.NumLayersOf(AttentionKind::kLinear);
  if (linear > 0)
    bits = c.Add(bits, c.Mul({linear, LinearStateBits(a, kv_bits, t, c)}));
  return bits;
}

}  // namespace

std::int64_t KvCacheBytesPerToken(const Architecture& arch,
                                  std::int64_t kv_bits) {
  Validate(arch, "architecture");
  ValidateKvBits(kv_bits);
  const Counter c{"KV cache of " + arch.name};
  const I layers = arch.n_layers - arch.NumLayersOf(AttentionKind::kLinear);
  return CeilDiv(c.Mul({layers, EntryBits(arch, kv_bits, arch.kv_heads(), c)}),
                 8);
}

std::int64_t KvCacheBytes(const Architecture& arch,
                          std::int64_t context,
                          std::int64_t kv_bits) {
  Validate(arch, "architecture");
  ValidateKvBits(kv_bits);
  RequirePositive(context, "context");
  const Counter c{"KV cache of " + arch.name};
  return CeilDiv(
      SequenceCacheBits(arch, context, kv_bits, arch.kv_heads(), 1, c), 8);
}

InferenceMemory EstimateInferenceMemory(const Architecture& a,
                                        const InferenceMemoryOptions& o) {
  Validate(a, "architecture");
  ValidateKvBits(o.kv_bits());
  RequirePositive(o.context, "context");
  RequirePositive(o.batch, "batch");
  RequirePositive(o.tensor_parallel, "tensor_parallel");
  const I t = o.tensor_parallel;
  if (a.n_heads % t != 0) {
    Fail("tensor_parallel",
         "tensor parallel degree " + std::to_string(t) + " does not divide " +
             std::to_string(a.n_heads) + " attention heads");
  }
  const Counter c{"inference memory of " + a.name};
  InferenceMemory m;
  // Every expert must be resident: the total, not the active, parameters;
  // and the whole checkpoint (a vision tower too).
  m.weights_per_device = CeilDiv(CheckpointWeightBytes(a, o.weights), t);
  m.kv_cache_bytes_per_token = KvCacheBytesPerToken(a, o.kv_bits());
  m.kv_heads_per_device = a.mla.enabled() ? 0 : CeilDiv(a.kv_heads(), t);
  const I bits =
      SequenceCacheBits(a, o.context, o.kv_bits(), m.kv_heads_per_device, t, c);
  m.kv_cache_per_device = CeilDiv(c.Mul({bits, o.batch}), 8);
  const I linear = a.NumLayersOf(AttentionKind::kLinear);
  if (linear > 0) {
    m.recurrent_state_per_device = CeilDiv(
        c.Mul({linear, LinearStateBits(a, o.kv_bits(), t, c), o.batch}), 8);
  }
  c.Add(m.weights_per_device, m.kv_cache_per_device);
  return m;
}

std::int64_t LargestInferenceBatch(const Architecture& arch,
                                   InferenceMemoryOptions options,
                                   std::int64_t device_bytes) {
  options.batch = 1;
  const InferenceMemory one = EstimateInferenceMemory(arch, options);
  if (one.weights_per_device > device_bytes) return 0;
  const Counter c{"KV cache of " + arch.name};
  const I bits_per_sequence = SequenceCacheBits(arch,
                                                options.context,
                                                options.kv_bits(),
                                                one.kv_heads_per_device,
                                                options.tensor_parallel,
                                                c);
  const I free_bytes = device_bytes - one.weights_per_device;
  // ceil(B * bits / 8) <= free  <=>  B * bits <= 8 * free, without forming
  // 8 * free: 8 free / bits = 8 q + 8 r / bits with free = q bits + r.
  const I q = free_bytes / bits_per_sequence;
  const I r = free_bytes % bits_per_sequence;
  // r < bits, so 8 r may overflow only for absurd sizes: long double holds
  // 64 significant bits.
  const auto rest = static_cast<I>(8.0L * static_cast<long double>(r) /
                                   static_cast<long double>(bits_per_sequence));
  return c.Add(c.Mul({8, q}), rest);
}

}  // namespace scalesim::model

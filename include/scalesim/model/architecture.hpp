// Architecture: a description of any decoder-only transformer precise enough
// to count its parameters exactly.
//
// Conventions (each named; see docs/conventions.md):
//   - d_model is the residual width; head_dim defaults to d_model / n_heads but
//     may differ (Gemma: 8 heads x 256 on d_model 2048).
//   - Attention projections: q is d_model x (n_heads * head_dim), k and v are
//     d_model x (n_kv_heads * head_dim), o is (n_heads * head_dim) x d_model.
//     n_kv_heads == n_heads is MHA, 1 is MQA (Shazeer 2019), in between GQA
//     (Ainslie et al. 2023).
//   - MLP: kStandard has two matrices d_model x d_ff and d_ff x d_model with
//   any
//     elementwise activation (GELU, ReLU, ReLU^2); kGated has three (gate, up,
//     down; SwiGLU/GeGLU, Shazeer 2020).
//   - Norms: LayerNorm has weight and bias (2 d params), RMSNorm and
//     bias-free LayerNorm have a weight (d params), kNone has none (nanochat).
//   - Layers may differ in how they attend (layer_pattern): full causal
//     attention, a sliding window of W keys, chunked attention within chunks
//     of C tokens, or a linear-attention token mixer (Gated DeltaNet) with a
//     constant-size recurrent state. Only the last has other parameters; the
//     others change the KV cache and the attention FLOPs.
#ifndef SCALESIM_MODEL_ARCHITECTURE_HPP_
#define SCALESIM_MODEL_ARCHITECTURE_HPP_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scalesim/core/enum_names.hpp"

namespace scalesim::model {

enum class MlpKind { kStandard, kGated };
// Names in flags and files (the first of a value is how it prints).
inline constexpr EnumNames<MlpKind, 2> kMlpNames = {{
    {"standard", MlpKind::kStandard},
    {"gated", MlpKind::kGated},
}};
enum class NormKind { kLayerNorm, kLayerNormNoBias, kRmsNorm, kNone };
// Names in flags and files (the first of a value is how it prints).
inline constexpr EnumNames<NormKind, 4> kNormNames = {{
    {"layernorm", NormKind::kLayerNorm},
    {"layernorm-nobias", NormKind::kLayerNormNoBias},
    {"rmsnorm", NormKind::kRmsNorm},
    {"none", NormKind::kNone},
}};
// kLearned: a (max_positions + position_offset) x d_model table (GPT-2, OPT).
// kRotary / kAlibi / kNone: no parameters (RoPE, Su et al. 2021; ALiBi, Press
// et al. 2022).
// kRelative: Transformer-XL relative encodings as used by Gopher and
// Chinchilla (Rae et al. 2021, Hoffmann et al. 2022): per layer a d_model x
// (n_heads * head_dim) position projection and two (n_heads * head_dim) bias
// vectors (Dai et al. 2019, Sec. 3.3).
enum class PositionKind { kLearned, kRotary, kAlibi, kRelative, kNone };
// Names in flags and files (the first of a value is how it prints).
inline constexpr EnumNames<PositionKind, 5> kPositionNames = {{
    {"learned", PositionKind::kLearned},
    {"rotary", PositionKind::kRotary},
    {"alibi", PositionKind::kAlibi},
    {"relative", PositionKind::kRelative},
    {"none", PositionKind::kNone},
}};

// Mixture of experts (Shazeer et al. 2017; Fedus et al. 2021; Jiang et al.
// 2024 Mixtral; Dai et al. 2024 DeepSeekMoE). num_experts == 0 means dense.
struct MoeConfig {
  std::int64_t num_experts = 0;        // routed experts per MoE layer
  std::int64_t experts_per_token = 0;  // top-k routed experts
  std::int64_t shared_experts = 0;     // always-active experts
  std::int64_t expert_d_ff = 0;        // hidden width of one routed expert
  std::int64_t shared_expert_d_ff =
      0;  // width of each shared expert (0: expert_d_ff)
  bool shared_expert_gate = false;  // Qwen2-MoE: sigmoid gate d_model -> 1
  bool router_bias =
      false;  // per-expert bias (DeepSeek-V3 e_score_correction_bias)
  // Layer i (0-based) is an MoE layer iff i >= first_dense_layers,
  // (i + layer_offset) % layer_freq == 0 and i is not in dense_layers.
  // DeepSeek: first_k_dense_replace, moe_layer_freq, offset 0; Qwen2-MoE:
  // decoder_sparse_step s gives freq s, offset 1, dense_layers =
  // mlp_only_layers.
  std::int64_t first_dense_layers = 0;
  std::int64_t layer_freq = 1;
  std::int64_t layer_offset = 0;
  std::vector<std::int64_t> dense_layers;

  bool enabled() const { return num_experts > 0; }
};

// How one layer attends. kFull: every earlier key (causal); kSliding: the
// last sliding_window keys including itself (Beltagy et al. 2020;
// transformers' mask: key k visible from query q iff q - W < k <= q);
// kChunked: the keys of its own chunk of attention_chunk tokens (Llama 4);
// kLinear: no attention, a Gated DeltaNet recurrence (Yang et al. 2025,
// "Gated Delta Networks", arXiv:2412.06464) over a constant-size state.
enum class AttentionKind { kFull, kSliding, kChunked, kLinear };
// Names in flags and files (the first of a value is how it prints).
inline constexpr EnumNames<AttentionKind, 4> kAttentionKindNames = {{
    {"full", AttentionKind::kFull},
    {"sliding", AttentionKind::kSliding},
    {"chunked", AttentionKind::kChunked},
    {"linear", AttentionKind::kLinear},
}};

// One layer of a pattern: its attention kind and whether it skips the
// model's rotary positions (NoPE: SmolLM3 every 4th layer, Llama 4 and
// Command R7B global layers). NoPE has no parameters, FLOPs or cache of its
// own; it is kept so that a description says what the model does.
struct LayerKind {
  AttentionKind attention = AttentionKind::kFull;
  bool nope = false;
  friend bool operator==(const LayerKind&, const LayerKind&) = default;
};

// Patterns are stored as their shortest period, so a config of any depth is
// counted arithmetically; a pattern that does not repeat is one entry per
// layer, which limits it to this many layers.
inline constexpr std::int64_t kMaxLayerPattern = 4096;

// Layer i of `pattern` (pattern[i % size]; a default LayerKind when empty).
LayerKind PatternAt(const std::vector<LayerKind>& pattern, std::int64_t i);
// The shortest prefix p of `layers` with layers[i] == p[i % |p|], empty when
// every layer is a default LayerKind (full attention with positions).
std::vector<LayerKind> ShortestPeriod(const std::vector<LayerKind>& layers);

// Gated DeltaNet token mixer of the linear-attention layers (Qwen3-Next,
// Qwen3.5; Qwen3NextGatedDeltaNet): per layer in_proj_qkvz [2 key_dim +
// 2 value_dim, d], in_proj_ba [2 n_v, d], a depthwise conv1d [conv_dim, 1,
// K] over q, k, v (conv_dim = 2 key_dim + value_dim, no bias), dt_bias and
// A_log [n_v], a gated RMSNorm [d_v] and out_proj [d, value_dim]; key_dim =
// n_k d_k, value_dim = n_v d_v. Its cache is a conv state (conv_dim x K in
// the model dtype) and a recurrent state (n_v x d_k x d_v, float32).
struct LinearAttentionConfig {
  std::int64_t num_key_heads = 0;    // n_k
  std::int64_t num_value_heads = 0;  // n_v (a multiple of n_k)
  std::int64_t key_head_dim = 0;     // d_k
  std::int64_t value_head_dim = 0;   // d_v
  std::int64_t conv_kernel = 0;      // K

  bool enabled() const { return num_value_heads > 0; }
  std::int64_t key_dim() const { return num_key_heads * key_head_dim; }
  std::int64_t value_dim() const { return num_value_heads * value_head_dim; }
  std::int64_t conv_dim() const { return 2 * key_dim() + value_dim(); }
};

// DeepSeek Sparse Attention's lightning indexer (DeepSeek-V3.2-Exp,
// inference/model.py Indexer; transformers DeepseekV32): per layer wq_b
// [n_heads head_dim, q_lora_rank], wk [head_dim, d], k_norm (LayerNorm with
// bias, 2 head_dim), weights_proj [n_heads, d]. It scores every earlier
// token; the MLA then attends to the top `topk` of them. n_heads == 0
// means no indexer.
struct IndexerConfig {
  std::int64_t n_heads = 0;
  std::int64_t head_dim = 0;
  std::int64_t topk = 0;

  bool enabled() const { return n_heads > 0; }
};

// Multi-head latent attention (DeepSeek-AI 2024, DeepSeek-V2 Sec. 2.1).
// kv_lora_rank == 0 means ordinary attention.
struct MlaConfig {
  std::int64_t q_lora_rank =
      0;  // 0: q is a plain d_model -> heads*(nope+rope) projection
  std::int64_t kv_lora_rank = 0;
  std::int64_t qk_nope_head_dim = 0;
  std::int64_t qk_rope_head_dim = 0;
  std::int64_t v_head_dim = 0;

  bool enabled() const { return kv_lora_rank > 0; }
};

struct Architecture {
  std::string name;

  std::int64_t vocab_size = 0;
  std::int64_t d_model = 0;
  std::int64_t n_layers = 0;
  std::int64_t n_heads = 0;
  std::int64_t n_kv_heads = 0;  // 0: same as n_heads (MHA)
  std::int64_t head_dim = 0;    // 0: d_model / n_heads (must divide)
  std::int64_t d_ff = 0;        // dense MLP hidden width

  MlpKind mlp = MlpKind::kStandard;
  std::string activation =
      "gelu";  // informational: gelu, relu, relu2, silu, ...

  // Biases per projection.
  bool q_bias = false;
  bool k_bias = false;
  bool v_bias = false;
  bool o_bias = false;
  bool mlp_bias = false;
  bool lm_head_bias = false;
  // Query/key norms: per head of size head_dim, shared by the heads (Phi
  // qk_layernorm, Qwen3, Gemma 3), or with qk_norm_full_width over the whole
  // projections, n_heads head_dim and n_kv_heads head_dim (OLMo-2, OLMoE,
  // Cohere use_qk_norm).
  bool qk_norm = false;
  bool qk_norm_full_width = false;
  // One learned attention-sink logit per head per layer (gpt-oss sinks).
  bool attention_sinks = false;
  // Gated attention: q_proj twice as wide, the query and a sigmoid gate on
  // the attention output (Qwen3-Next, Qwen3.5 full-attention layers).
  bool attention_output_gate = false;

  NormKind norm = NormKind::kLayerNorm;
  std::int64_t norms_per_block = 2;  // 1: parallel block (Phi); 4: Gemma 2
  bool final_norm = true;
  bool embedding_norm = false;  // norm after the token embedding (BLOOM)

  PositionKind position = PositionKind::kRotary;
  std::int64_t max_positions = 0;    // rows of a learned position table
  std::int64_t position_offset = 0;  // extra rows (OPT: 2)

  bool tied_embeddings = false;
  // OPT-350m: token embeddings of width embed_dim, projected in and out
  // (bias-free Linear embed_dim <-> d_model). 0: same as d_model.
  std::int64_t embed_dim = 0;

  std::int64_t context_length = 0;  // training sequence length (FLOPs, memory)

  MoeConfig moe;
  MlaConfig mla;

  // Per-layer attention (empty: every layer full attention): layer i is
  // layer_pattern[i % size], at most kMaxLayerPattern entries.
  std::vector<LayerKind> layer_pattern;
  std::int64_t sliding_window = 0;   // W of kSliding layers (keys incl. self)
  std::int64_t attention_chunk = 0;  // C of kChunked layers
  LinearAttentionConfig linear_attention;  // kLinear layers
  IndexerConfig indexer;                   // DSA (every layer, with MLA)

  // Multimodal checkpoints: parameters outside the language model (vision
  // encoder; projector into the text width), counted by the importer from
  // the vision config. They are separate components: the language model's
  // counts, FLOPs and KV cache exclude them; the whole checkpoint (what
  // serving must hold) includes them.
  std::int64_t vision_tower_params = 0;
  std::int64_t multimodal_projector_params = 0;

  // Derived quantities (valid after Validate()).
  std::int64_t kv_heads() const {
    return n_kv_heads > 0 ? n_kv_heads : n_heads;
  }
  std::int64_t head_size() const {
    return head_dim > 0 ? head_dim : (n_heads > 0 ? d_model / n_heads : 0);
  }
  std::int64_t token_embed_dim() const {
    return embed_dim > 0 ? embed_dim : d_model;
  }
  // Width of attention's q/k/v space, n_heads * head_dim (Kaplan's d_attn).
  std::int64_t attention_width() const { return n_heads * head_size(); }
  // Whether layer `index` (0-based) uses the MoE MLP.
  bool IsMoeLayer(std::int64_t index) const;
  // The same without the explicit dense_layers list.
  bool IsMoeLayerIgnoringDenseList(std::int64_t index) const;
  std::int64_t NumMoeLayers() const;
  // MoE layers among layers [0, end) (arithmetic, like NumMoeLayers; end is
  // clamped to [0, n_layers]).
  std::int64_t NumMoeLayersBelow(std::int64_t end) const;

  LayerKind LayerKindAt(std::int64_t index) const {
    return PatternAt(layer_pattern, index);
  }
  // Layers of `kind` among all layers / among [0, end) (arithmetic).
  std::int64_t NumLayersOf(AttentionKind kind) const;
  std::int64_t NumLayersOfBelow(AttentionKind kind, std::int64_t end) const;
  // The window (kSliding), chunk (kChunked) or 0 of a kind.
  std::int64_t WindowOf(AttentionKind kind) const;
};

// Parses names used in flags and files. Throw InvalidInput on unknown names.
MlpKind ParseMlpKind(std::string_view text);
NormKind ParseNormKind(std::string_view text);
PositionKind ParsePositionKind(std::string_view text);
std::string_view ToString(MlpKind kind);
std::string_view ToString(NormKind kind);
std::string_view ToString(PositionKind kind);
std::string_view ToString(AttentionKind kind);
// "full", "sliding-nope", ...: the kind's name, "-nope" for NoPE layers.
std::string ToString(const LayerKind& kind);
// Parses ToString(LayerKind) (InvalidInput naming `field` otherwise).
LayerKind ParseLayerKind(std::string_view text, std::string_view field);

// Checks the description is self-consistent and throws InvalidInput naming the
// offending field (prefixed by `source`) otherwise: sizes positive, heads
// dividing d_model when head_dim is implied, KV heads dividing heads, MoE,
// MLA, linear-attention and indexer fields complete, a window or chunk for
// the layers that need one, patterns and lists within kMaxLayerPattern.
void Validate(const Architecture& arch, std::string_view source);

}  // namespace scalesim::model

#endif  // SCALESIM_MODEL_ARCHITECTURE_HPP_

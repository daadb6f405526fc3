// Training and inference FLOPs of a decoder-only transformer under named
// conventions.
//
// One FLOP is one floating-point add or multiply: a matrix product
// (m x k) @ (k x n) costs 2*m*k*n FLOPs. Sources count different things, so
// scalesim computes every convention side by side and never picks one
// silently (docs/conventions-flops-memory.md):
//
//   6nd         C = 6 * N * D with N the total (or the non-embedding)
//               parameters: 2 FLOPs per parameter per token forward, 4
//               backward (Kaplan et al. 2020 Sec. 2.1; Hoffmann et al. 2022
//               Sec. 3 "C = 6ND"). No attention term.
//   kaplan      forward per token 2N + 2 * n_layer * n_ctx * d_attn with N
//               the non-embedding parameters, training 3 x forward
//               (Kaplan et al. 2020 Sec. 2.1, Table 1).
//   palm        training per token 6N + 12 * L * H * Q * T (Chowdhery et al.
//               2022, "PaLM", App. B, the model FLOPs behind MFU), N the
//               parameters excluding learned position tables.
//   chinchilla  the per-operation count of Hoffmann et al. 2022 App. F
//               (embeddings, QKV, logits, softmax, value reduction,
//               projection, MLP, final logits; backward = 2 x forward), made
//               exact, GQA-, MLA-, gated-MLP- and MoE-aware, and per
//               layer kind: a sliding-window layer attends at most W keys,
//               a chunked one the keys of its chunk, a Gated DeltaNet
//               layer none (its recurrence instead), a DSA layer the
//               top-k keys its indexer picks (plus the indexer's scores).
//   matmul-only the same count restricted to weight and attention matrix
//               products (no embeddings, no softmax): Karpathy's nanoGPT
//               transformer_sizing notebook.
//   megatron    the closed forms of Narayanan et al. 2021 (Eq. 3, full
//               recompute: 96 B s L h^2 (1 + s/(6h) + V/(16 L h))) and
//               Korthikanti et al. 2022 Sec. 6 (model FLOPs
//               72 B s L h^2 (1 + s/(6h) + V/(12 L h)); selective recompute
//               hardware FLOPs with s/(3h)). Assume a GPT block: MHA, 4h MLP.
//
// Model FLOPs count each operation once (what MFU divides by, Chowdhery et
// al. 2022 App. B); hardware FLOPs add the forward work that activation
// recompute repeats (HFU; Korthikanti et al. 2022 Sec. 6).
#ifndef SCALESIM_MODEL_FLOPS_HPP_
#define SCALESIM_MODEL_FLOPS_HPP_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scalesim/core/enum_names.hpp"
#include "scalesim/model/architecture.hpp"

namespace scalesim::model {

// Activation recomputation (Korthikanti et al. 2022 Sec. 5): kNone stores all
// activations; kSelective recomputes the attention core (QK^T, softmax,
// dropout, attention over V); kFull recomputes each transformer layer from
// its input (Chen et al. 2016).
enum class Recompute { kNone, kSelective, kFull };
// Names in flags and files (the first of a value is how it prints).
inline constexpr EnumNames<Recompute, 3> kRecomputeNames = {{
    {"none", Recompute::kNone},
    {"selective", Recompute::kSelective},
    {"full", Recompute::kFull},
}};
Recompute ParseRecompute(std::string_view text);  // "none", "selective", "full"
std::string_view ToString(Recompute recompute);

enum class FlopsConvention {
  k6ndTotal,
  k6ndNonEmbedding,
  kKaplan,
  kPalm,
  kChinchilla,
  kMatmulOnly,
  kMegatron,
};
// Names in flags and files (the first of a value is how it prints).
inline constexpr EnumNames<FlopsConvention, 7> kConventionNames = {{
    {"6nd", FlopsConvention::k6ndTotal},
    {"6nd-non-embedding", FlopsConvention::k6ndNonEmbedding},
    {"kaplan", FlopsConvention::kKaplan},
    {"palm", FlopsConvention::kPalm},
    {"chinchilla", FlopsConvention::kChinchilla},
    {"matmul-only", FlopsConvention::kMatmulOnly},
    {"megatron", FlopsConvention::kMegatron},
}};
// "6nd", "6nd-non-embedding", "kaplan", "palm", "chinchilla", "matmul-only",
// "megatron".
FlopsConvention ParseFlopsConvention(std::string_view text);
std::string_view ToString(FlopsConvention convention);
std::vector<FlopsConvention> AllFlopsConventions();

// ---------------------------------------------------------------------------
// Per-operation count (Hoffmann et al. 2022 App. F), exact integers.

struct OperationOptions {
  // Tokens per sequence (queries and keys of self-attention), > 0.
  std::int64_t seq_len = 0;
  // Causal attention computes only the s(s+1)/2 query-key pairs on or below
  // the diagonal instead of s^2; this changes the scores, softmax and value
  // reduction terms and nothing else. App. F counts the full s^2.
  bool causal = false;
  // App. F counts the embedding lookup as a one-hot matrix product,
  // 2 * s * vocab * d_model; nanoGPT's count leaves it out.
  bool include_embeddings = true;
  // App. F counts the softmax as 3 * heads * s^2; nanoGPT leaves it out.
  bool include_softmax = true;
  // Recompute adds the repeated forward work to the hardware count.
  Recompute recompute = Recompute::kNone;
};

// FLOPs of one transformer block on one sequence, forward. Biases, norms,
// residual additions and activation functions are not counted (App. F).
struct BlockOperationFlops {
  // Q, K, V projections: 2 s d_model (n_heads + 2 n_kv_heads) head_dim;
  // MLA: the q path plus kv_a (d_model -> kv_lora_rank + rope) and kv_b.
  std::int64_t attention_qkv = 0;
  std::int64_t attention_scores = 0;   // QK^T: 2 pairs n_heads qk_head_dim
  std::int64_t attention_softmax = 0;  // 3 n_heads pairs (App. F)
  std::int64_t attention_value_reduce =
      0;  // softmax @ V: 2 pairs n_heads v_head_dim
  std::int64_t attention_projection = 0;  // 2 s (n_heads v_head_dim) d_model
  // 2 s (matrices of the MLP): standard 2 d d_ff, gated 3 d d_ff; MoE: the
  // top-k routed experts plus the shared experts.
  std::int64_t mlp = 0;
  std::int64_t router = 0;  // MoE router: 2 s d_model num_experts
  // Gated DeltaNet layers: the recurrence, 7 n_v d_k d_v per token (decay,
  // read, delta, rank-1 write and readout of the d_k x d_v state per head,
  // counted from transformers' torch_recurrent_gated_delta_rule), and the
  // depthwise convolution, 2 conv_dim K per token. Chunked training kernels
  // (chunk 64) do more work per token than this algorithmic count.
  std::int64_t linear_attention_state = 0;
  // DSA (DeepSeek-V3.2): the indexer's projections, 2 s (q_lora n h + d h +
  // d n), and its scores, 2 (pairs over all earlier keys) n (h + 1).
  std::int64_t indexer = 0;

  std::int64_t attention() const;  // qkv + scores + softmax + value_reduce +
                                   // projection + linear state + indexer
  std::int64_t total() const;      // attention + mlp + router
};

// The attention terms (mlp and router 0) of the layers of one attention
// kind.
struct AttentionLayerFlops {
  AttentionKind kind = AttentionKind::kFull;
  std::int64_t layers = 0;
  BlockOperationFlops block;  // one such layer
};

struct OperationFlops {
  std::int64_t seq_len = 0;
  std::int64_t embeddings = 0;            // 2 s vocab embed_dim (when included)
  std::int64_t embedding_projection = 0;  // OPT-350m project_in + project_out
  // One dense and one MoE block with full (global) attention. Layers of
  // other kinds (sliding, chunked, linear) have the attention terms of
  // attention_layers instead; blocks() sums each layer by its own kind.
  BlockOperationFlops dense_block;
  BlockOperationFlops moe_block;
  std::int64_t n_dense_blocks = 0;
  std::int64_t n_moe_blocks = 0;
  std::vector<AttentionLayerFlops> attention_layers;  // each kind present
  std::int64_t lm_head = 0;  // final logits: 2 s embed_dim vocab
  // Forward work repeated by activation recompute (sum over all blocks):
  // kSelective the scores, softmax and value reduction; kFull every block.
  std::int64_t recompute = 0;

  std::int64_t blocks() const;    // all blocks, forward
  std::int64_t forward() const;   // embeddings + projection + blocks + lm_head
  std::int64_t backward() const;  // 2 x forward (App. F)
  std::int64_t training() const;  // 3 x forward: model FLOPs
  std::int64_t hardware_training() const;  // training + recompute
};

// Exact per-operation FLOPs of one sequence. Validates `arch`; throws
// InvalidInput for seq_len <= 0 or on int64 overflow.
OperationFlops CountOperationFlops(const Architecture& arch,
                                   const OperationOptions& options);

// ---------------------------------------------------------------------------
// Closed forms on plain numbers (for published models given only by N, L,
// H, ...). FLOPs per token, doubles.

// 6 N: training FLOPs per token (Kaplan et al. 2020 Sec. 2.1).
double SixNFlopsPerToken(double params);
// Kaplan et al. 2020 Table 1: forward FLOPs per token
// C_forward = 2 N + 2 n_layer n_ctx d_attn, N non-embedding.
double KaplanForwardFlopsPerToken(double non_embedding_params,
                                  std::int64_t n_layers,
                                  std::int64_t n_ctx,
                                  std::int64_t d_attn);
// Chowdhery et al. 2022 App. B: training FLOPs per token
// 6 N + 12 L H Q T (L layers, H heads, Q head dim, T sequence length).
double PalmFlopsPerToken(double params,
                         std::int64_t n_layers,
                         std::int64_t n_heads,
                         std::int64_t head_dim,
                         std::int64_t seq_len);
// Korthikanti et al. 2022 Sec. 6 model FLOPs per token:
// 72 L h^2 (1 + s/(6h) + V/(12 L h)) (per batch multiply by B s).
// causal halves the s/(6h) attention term.
double MegatronModelFlopsPerToken(std::int64_t n_layers,
                                  std::int64_t hidden,
                                  std::int64_t seq_len,
                                  std::int64_t vocab,
                                  bool causal = false);
// Hardware FLOPs per token with recompute: kNone equals the model FLOPs;
// kSelective 72 L h^2 (1 + s/(3h) + V/(12 L h)) (Korthikanti et al. 2022
// Sec. 6); kFull 96 L h^2 (1 + s/(6h) + V/(16 L h)) (Narayanan et al. 2021
// Eq. 3, four forward passes of each layer, three of the logits).
double MegatronHardwareFlopsPerToken(std::int64_t n_layers,
                                     std::int64_t hidden,
                                     std::int64_t seq_len,
                                     std::int64_t vocab,
                                     Recompute recompute,
                                     bool causal = false);

// ---------------------------------------------------------------------------
// All conventions for an architecture.

struct FlopsOptions {
  std::int64_t seq_len = 0;  // > 0
  // Halve the attention-score terms (kaplan excepted: its published
  // 2 n_layer n_ctx d_attn already counts half of QK^T + AV).
  bool causal = false;
  Recompute recompute = Recompute::kNone;
  // MoE: N is the active parameters (top-k routed + shared experts) rather
  // than the total. No effect on dense models.
  bool moe_active_params = true;
};

struct ConventionFlops {
  FlopsConvention convention = FlopsConvention::k6ndTotal;
  double params = 0.0;  // the N the convention uses (0 where it has none)
  double forward_flops_per_token = 0.0;
  double model_flops_per_token = 0.0;     // training, each operation once (MFU)
  double hardware_flops_per_token = 0.0;  // training incl. recompute (HFU)
  std::string formula;                    // e.g. "6N + 12*L*H*Q*T"
  std::string source;                     // paper, section
};

// Training FLOPs per token under one convention. For 6nd, kaplan and palm,
// full recompute adds one forward pass (8N instead of 6N) and selective
// recompute adds the forward attention-score term; chinchilla and
// matmul-only add exactly the recomputed operations; megatron uses its
// published hardware forms.
ConventionFlops TrainingFlops(const Architecture& arch,
                              FlopsConvention convention,
                              const FlopsOptions& options);
std::vector<ConventionFlops> TrainingFlopsByConvention(
    const Architecture& arch, const FlopsOptions& options);

// Inference: FLOPs to generate one token that attends to `context` keys
// (the cached tokens and itself) during decoding. Weight matrix products
// (attention projections, active MLP, router, LM head; no embedding lookup)
// cost 2 FLOPs per weight; attention over the context costs 2 * keys *
// n_heads * (qk_head_dim + v_head_dim) per layer (Kaplan et al. 2020 Table 1
// counts one product: 2 n_layer n_ctx d_attn), with keys = context for full
// layers, min(context, W) for sliding ones, ((context - 1) mod C) + 1 for
// chunked ones and min(context, topk) for DSA (plus its indexer over the
// context); a Gated DeltaNet layer costs its recurrence, whatever the
// context.
struct InferenceFlops {
  std::int64_t weight_flops = 0;
  std::int64_t attention_flops = 0;
  std::int64_t total() const { return weight_flops + attention_flops; }
};
InferenceFlops InferenceFlopsPerToken(const Architecture& arch,
                                      std::int64_t context);

}  // namespace scalesim::model

#endif  // SCALESIM_MODEL_FLOPS_HPP_

#include "scalesim/model/flops.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "scalesim/core/checked.hpp"
#include "scalesim/core/enum_names.hpp"
#include "scalesim/core/error.hpp"
#include "scalesim/model/params.hpp"

#include "model/counting.hpp"

namespace scalesim::model {
namespace {

using I = std::int64_t;

using internal::Counter;

// Head widths of the attention products: QK^T uses qk_dim per head,
// softmax @ V uses v_dim per head.
struct HeadDims {
  I qk = 0;
  I v = 0;
};

HeadDims HeadDimsOf(const Architecture& a) {
  if (a.mla.enabled()) {
    return {a.mla.qk_nope_head_dim + a.mla.qk_rope_head_dim, a.mla.v_head_dim};
  }
  return {a.head_size(), a.head_size()};
}

// Weights of one MLP of hidden width d_ff that a token multiplies.
I MlpMatrixWeights(const Architecture& a, I d_ff, const Counter& c) {
  return c.Mul({a.mlp == MlpKind::kGated ? 3 : 2, a.d_model, d_ff});
}

// Attention projection weights before the products (Q, K, V or MLA's
// down/up projections), per token.
I QkvWeights(const Architecture& a, const Counter& c) {
  const I d = a.d_model;
  const I heads = a.n_heads;
  if (a.mla.enabled()) {
    const MlaConfig& m = a.mla;
    const I qk = m.qk_nope_head_dim + m.qk_rope_head_dim;
    I w = m.q_lora_rank > 0 ? c.Add(c.Mul({d, m.q_lora_rank}),
                                    c.Mul({m.q_lora_rank, heads, qk}))
                            : c.Mul({d, heads, qk});
    w = c.Add(w, c.Mul({d, m.kv_lora_rank + m.qk_rope_head_dim}));
    return c.Add(
        w, c.Mul({m.kv_lora_rank, heads, m.qk_nope_head_dim + m.v_head_dim}));
  }
  const I hd = a.head_size();
  // Gated attention: q_proj also yields the output gate.
  const I q = c.Mul({a.attention_output_gate ? 2 : 1, heads, hd});
  return c.Mul({d, c.Add(q, c.Mul({2, a.kv_heads(), hd}))});
}

// DSA indexer weights a token multiplies: wq_b, wk, weights_proj.
I IndexerWeights(const Architecture& a, const Counter& c) {
  const IndexerConfig& x = a.indexer;
  if (!x.enabled()) return 0;
  return c.Sum({c.Mul({a.mla.q_lora_rank, x.n_heads, x.head_dim}),
                c.Mul({a.d_model, x.head_dim}),
                c.Mul({a.d_model, x.n_heads})});
}

// The indexer's scores over `pairs` query-key pairs: a head_dim dot product
// per head and the weighted sum over heads.
I IndexerScores(const Architecture& a, I pairs, const Counter& c) {
  const IndexerConfig& x = a.indexer;
  if (!x.enabled()) return 0;
  return c.Mul({2, pairs, x.n_heads, c.Add(x.head_dim, 1)});
}

// Queries of s tokens seeing at most w keys each (itself included).
I WindowedPairs(I s, I w, bool causal, const Counter& c) {
  if (w <= 0 || w >= s) {
    return causal ? c.Mul({s, s + 1}) / 2 : c.Mul({s, s});
  }
  if (!causal) return c.Mul({s, w});
  return c.Add(c.Mul({w, w + 1}) / 2, c.Mul({s - w, w}));
}

// Query-key pairs of one layer of `kind` over s tokens: causal counts
// only the keys on or below the diagonal, otherwise every key the layer
// may see (App. F's s^2 for full attention).
I Pairs(const Architecture& a,
        AttentionKind kind,
        I s,
        bool causal,
        const Counter& c) {
  switch (kind) {
    case AttentionKind::kFull:
      // DSA: the main attention reads the indexer's top-k keys.
      return WindowedPairs(
          s, a.indexer.enabled() ? a.indexer.topk : 0, causal, c);
    case AttentionKind::kSliding:
      return WindowedPairs(s, a.sliding_window, causal, c);
    case AttentionKind::kChunked: {
      const I chunk = a.attention_chunk;
      if (chunk >= s) return WindowedPairs(s, 0, causal, c);  // one chunk
      const I n = s / chunk;
      const I r = s % chunk;
      if (causal) {
        return c.Add(c.Mul({n, c.Mul({chunk, chunk + 1}) / 2}),
                     c.Mul({r, r + 1}) / 2);
      }
      return c.Add(c.Mul({n, chunk, chunk}), c.Mul({r, r}));
    }
    case AttentionKind::kLinear:
      return 0;
  }
  return 0;
}

// A Gated DeltaNet layer's recurrence and convolution per token
// (BlockOperationFlops::linear_attention_state).
I LinearStatePerToken(const Architecture& a, const Counter& c) {
  const LinearAttentionConfig& l = a.linear_attention;
  const I conv_dim = c.Add(c.Mul({2, l.num_key_heads, l.key_head_dim}),
                           c.Mul({l.num_value_heads, l.value_head_dim}));
  return c.Add(c.Mul({7, l.num_value_heads, l.key_head_dim, l.value_head_dim}),
               c.Mul({2, conv_dim, l.conv_kernel}));
}

// The attention terms of one layer of `kind`: `tokens` queries, `pairs`
// query-key pairs, `index_pairs` pairs the DSA indexer scores.
BlockOperationFlops AttentionOps(const Architecture& a,
                                 AttentionKind kind,
                                 I tokens,
                                 I pairs,
                                 I index_pairs,
                                 bool softmax,
                                 const Counter& c) {
  BlockOperationFlops b;
  const I d = a.d_model;
  if (kind == AttentionKind::kLinear) {
    const LinearAttentionConfig& l = a.linear_attention;
    const I kd = c.Mul({l.num_key_heads, l.key_head_dim});
    const I vd = c.Mul({l.num_value_heads, l.value_head_dim});
    // in_proj_qkvz and in_proj_ba; out_proj.
    b.attention_qkv = c.Mul(
        {2,
         tokens,
         d,
         c.Sum(
             {c.Mul({2, kd}), c.Mul({2, vd}), c.Mul({2, l.num_value_heads})})});
    b.linear_attention_state = c.Mul({tokens, LinearStatePerToken(a, c)});
    b.attention_projection = c.Mul({2, tokens, vd, d});
    return b;
  }
  const HeadDims hd = HeadDimsOf(a);
  const I heads = a.n_heads;
  b.attention_qkv = c.Mul({2, tokens, QkvWeights(a, c)});
  b.attention_scores = c.Mul({2, pairs, heads, hd.qk});
  b.attention_softmax = softmax ? c.Mul({3, heads, pairs}) : 0;
  b.attention_value_reduce = c.Mul({2, pairs, heads, hd.v});
  b.attention_projection = c.Mul({2, tokens, heads, hd.v, d});
  b.indexer = c.Add(c.Mul({2, tokens, IndexerWeights(a, c)}),
                    IndexerScores(a, index_pairs, c));
  return b;
}

// The MLP terms of a dense or an MoE block.
void MlpOps(const Architecture& a,
            bool moe,
            I tokens,
            const Counter& c,
            BlockOperationFlops& b) {
  if (!moe) {
    b.mlp = c.Mul({2, tokens, MlpMatrixWeights(a, a.d_ff, c)});
    return;
  }
  const MoeConfig& m = a.moe;
  const I shared_d_ff =
      m.shared_expert_d_ff > 0 ? m.shared_expert_d_ff : m.expert_d_ff;
  const I weights =
      c.Add(c.Mul({m.experts_per_token, MlpMatrixWeights(a, m.expert_d_ff, c)}),
            c.Mul({m.shared_experts, MlpMatrixWeights(a, shared_d_ff, c)}));
  b.mlp = c.Mul({2, tokens, weights});
  b.router = c.Mul({2, tokens, a.d_model, m.num_experts});
}

// One block with full attention: `tokens` query positions and `pairs`
// query-key pairs.
BlockOperationFlops BlockOps(const Architecture& a,
                             bool moe,
                             I tokens,
                             I pairs,
                             I index_pairs,
                             bool softmax,
                             const Counter& c) {
  BlockOperationFlops b = AttentionOps(
      a, AttentionKind::kFull, tokens, pairs, index_pairs, softmax, c);
  MlpOps(a, moe, tokens, c, b);
  return b;
}

constexpr AttentionKind kAllKinds[] = {AttentionKind::kFull,
                                       AttentionKind::kSliding,
                                       AttentionKind::kChunked,
                                       AttentionKind::kLinear};

// The attention core that selective recompute repeats: scores, softmax,
// value reduction (and a linear layer's recurrence).
I AttentionCore(const BlockOperationFlops& b, const Counter& c) {
  return c.Sum({b.attention_scores,
                b.attention_softmax,
                b.attention_value_reduce,
                b.linear_attention_state});
}

// The context-dependent forward FLOPs per token of the Kaplan and PaLM
// closed forms, each layer by its own keys: Kaplan 2 keys d_attn (keys =
// n_ctx for full layers whatever the mask), PaLM 2 H keys (Q_qk + Q_v)
// (keys = T, halved when causal); sliding, chunked and DSA layers their
// mean keys per query; a Gated DeltaNet layer its recurrence; the DSA
// indexer its scores.
double ContextFlopsPerToken(const Architecture& a,
                            I s,
                            bool causal,
                            bool kaplan) {
  const Counter c{"FLOPs of " + a.name};
  const HeadDims hd = HeadDimsOf(a);
  const double heads = static_cast<double>(a.n_heads);
  const double per_key = kaplan
                             ? 2.0 * heads * static_cast<double>(hd.qk)
                             : 2.0 * heads * static_cast<double>(hd.qk + hd.v);
  const double mask = causal && !kaplan ? 0.5 : 1.0;
  const double tokens = static_cast<double>(s);
  double sum = 0.0;
  for (AttentionKind kind : kAllKinds) {
    const double layers = static_cast<double>(a.NumLayersOf(kind));
    if (layers == 0.0) continue;
    if (kind == AttentionKind::kLinear) {
      sum += layers * static_cast<double>(LinearStatePerToken(a, c));
      continue;
    }
    const bool windowed = kind != AttentionKind::kFull ||
                          (a.indexer.enabled() && a.indexer.topk > 0);
    const double keys =
        windowed
            ? static_cast<double>(Pairs(a, kind, s, causal && !kaplan, c)) /
                  tokens
            : mask * tokens;
    sum += layers * per_key * keys;
    if (a.indexer.enabled()) {
      sum += layers * 2.0 * static_cast<double>(a.indexer.n_heads) *
             static_cast<double>(a.indexer.head_dim + 1) * mask * tokens;
    }
  }
  return sum;
}

void RequirePositive(I value, const char* field) {
  if (value <= 0) {
    throw InvalidInput(
        InputLocation{"", 0, field},
        "must be a positive integer, got " + std::to_string(value));
  }
}

double D(I v) { return static_cast<double>(v); }

}  // namespace

Recompute ParseRecompute(std::string_view text) {
  return ParseEnumName(text, kRecomputeNames, "recompute");
}
std::string_view ToString(Recompute recompute) {
  return EnumName(recompute, kRecomputeNames);
}

FlopsConvention ParseFlopsConvention(std::string_view text) {
  return ParseEnumName(text, kConventionNames, "convention");
}
std::string_view ToString(FlopsConvention convention) {
  return EnumName(convention, kConventionNames);
}
std::vector<FlopsConvention> AllFlopsConventions() {
  std::vector<FlopsConvention> out;
  for (const auto& [name, value] : kConventionNames) out.push_back(value);
  return out;
}

std::int64_t BlockOperationFlops::attention() const {
  return attention_qkv + attention_scores + attention_softmax +
         attention_value_reduce + attention_projection +
         linear_attention_state + indexer;
}
std::int64_t BlockOperationFlops::total() const {
  return attention() + mlp + router;
}

std::int64_t OperationFlops::blocks() const {
  std::int64_t sum = (dense_block.mlp + dense_block.router) * n_dense_blocks +
                     (moe_block.mlp + moe_block.router) * n_moe_blocks;
  for (const AttentionLayerFlops& k : attention_layers)
    sum += k.block.attention() * k.layers;
  return sum;
}
std::int64_t OperationFlops::forward() const {
  return embeddings + embedding_projection + blocks() + lm_head;
}
std::int64_t OperationFlops::backward() const { return 2 * forward(); }
std::int64_t OperationFlops::training() const { return 3 * forward(); }
std::int64_t OperationFlops::hardware_training() const {
  return training() + recompute;
}

OperationFlops CountOperationFlops(const Architecture& arch,
                                   const OperationOptions& options) {
  Validate(arch, "architecture");
  RequirePositive(options.seq_len, "seq_len");
  const Counter c{"FLOPs of " + arch.name};
  const I s = options.seq_len;
  const bool causal = options.causal;
  // Causal: the s(s+1)/2 pairs on or below the diagonal.
  const I pairs = Pairs(arch, AttentionKind::kFull, s, causal, c);
  const I index_pairs =
      arch.indexer.enabled() ? WindowedPairs(s, 0, causal, c) : 0;

  OperationFlops f;
  f.seq_len = s;
  const I e = arch.token_embed_dim();
  if (options.include_embeddings)
    f.embeddings = c.Mul({2, s, arch.vocab_size, e});
  if (e != arch.d_model)
    f.embedding_projection = c.Mul({2, 2, s, e, arch.d_model});
  f.n_moe_blocks = arch.NumMoeLayers();
  f.n_dense_blocks = arch.n_layers - f.n_moe_blocks;
  const bool softmax = options.include_softmax;
  if (f.n_dense_blocks > 0)
    f.dense_block = BlockOps(arch, false, s, pairs, index_pairs, softmax, c);
  if (f.n_moe_blocks > 0)
    f.moe_block = BlockOps(arch, true, s, pairs, index_pairs, softmax, c);
  I blocks = c.Add(
      c.Mul({c.Add(f.dense_block.mlp, f.dense_block.router), f.n_dense_blocks}),
      c.Mul({c.Add(f.moe_block.mlp, f.moe_block.router), f.n_moe_blocks}));
  I core = 0;
  for (AttentionKind kind : kAllKinds) {
    const I layers = arch.NumLayersOf(kind);
    if (layers == 0) continue;
    AttentionLayerFlops k{kind,
                          layers,
                          AttentionOps(arch,
                                       kind,
                                       s,
                                       Pairs(arch, kind, s, causal, c),
                                       index_pairs,
                                       softmax,
                                       c)};
    const BlockOperationFlops& b = k.block;
    const I attention = c.Sum({b.attention_qkv,
                               b.attention_scores,
                               b.attention_softmax,
                               b.attention_value_reduce,
                               b.attention_projection,
                               b.linear_attention_state,
                               b.indexer});
    blocks = c.Add(blocks, c.Mul({attention, layers}));
    core = c.Add(core, c.Mul({AttentionCore(b, c), layers}));
    f.attention_layers.push_back(std::move(k));
  }
  f.lm_head = c.Mul({2, s, e, arch.vocab_size});

  // Checked totals (the accessors then cannot overflow).
  c.Add(c.Mul({f.dense_block.total(), f.n_dense_blocks}),
        c.Mul({f.moe_block.total(), f.n_moe_blocks}));
  const I forward =
      c.Sum({f.embeddings, f.embedding_projection, blocks, f.lm_head});
  c.Mul({3, forward});
  switch (options.recompute) {
    case Recompute::kNone:
      break;
    case Recompute::kSelective:
      f.recompute = core;
      break;
    case Recompute::kFull:
      f.recompute = blocks;
      break;
  }
  c.Add(c.Mul({3, forward}), f.recompute);
  return f;
}

double SixNFlopsPerToken(double params) { return 6.0 * params; }

double KaplanForwardFlopsPerToken(double non_embedding_params,
                                  std::int64_t n_layers,
                                  std::int64_t n_ctx,
                                  std::int64_t d_attn) {
  return 2.0 * non_embedding_params + 2.0 * D(n_layers) * D(n_ctx) * D(d_attn);
}

double PalmFlopsPerToken(double params,
                         std::int64_t n_layers,
                         std::int64_t n_heads,
                         std::int64_t head_dim,
                         std::int64_t seq_len) {
  return 6.0 * params +
         12.0 * D(n_layers) * D(n_heads) * D(head_dim) * D(seq_len);
}

double MegatronModelFlopsPerToken(std::int64_t n_layers,
                                  std::int64_t hidden,
                                  std::int64_t seq_len,
                                  std::int64_t vocab,
                                  bool causal) {
  const double l = D(n_layers);
  const double h = D(hidden);
  const double attention = (causal ? 0.5 : 1.0) * D(seq_len) / (6.0 * h);
  return 72.0 * l * h * h * (1.0 + attention + D(vocab) / (12.0 * l * h));
}

double MegatronHardwareFlopsPerToken(std::int64_t n_layers,
                                     std::int64_t hidden,
                                     std::int64_t seq_len,
                                     std::int64_t vocab,
                                     Recompute recompute,
                                     bool causal) {
  const double l = D(n_layers);
  const double h = D(hidden);
  const double half = causal ? 0.5 : 1.0;
  switch (recompute) {
    case Recompute::kNone:
      return MegatronModelFlopsPerToken(
          n_layers, hidden, seq_len, vocab, causal);
    case Recompute::kSelective:
      return 72.0 * l * h * h *
             (1.0 + half * D(seq_len) / (3.0 * h) + D(vocab) / (12.0 * l * h));
    case Recompute::kFull:
      return 96.0 * l * h * h *
             (1.0 + half * D(seq_len) / (6.0 * h) + D(vocab) / (16.0 * l * h));
  }
  return 0.0;
}

ConventionFlops TrainingFlops(const Architecture& arch,
                              FlopsConvention convention,
                              const FlopsOptions& options) {
  RequirePositive(options.seq_len, "seq_len");
  const ParamBreakdown p = CountParameters(arch);
  const bool active = options.moe_active_params;
  const double n_total = D(active ? p.active() : p.total());
  const double n_non_embedding =
      D(active ? p.active_non_embedding() : p.non_embedding());
  const I s = options.seq_len;

  ConventionFlops r;
  r.convention = convention;
  // 6N-style conventions: forward F, model 3F; recompute repeats F (full)
  // or the forward attention-score term (selective).
  auto three_forward =
      [&](double params, double forward, double attention_forward) {
        r.params = params;
        r.forward_flops_per_token = forward;
        r.model_flops_per_token = 3.0 * forward;
        r.hardware_flops_per_token = r.model_flops_per_token;
        if (options.recompute == Recompute::kFull)
          r.hardware_flops_per_token += forward;
        if (options.recompute == Recompute::kSelective)
          r.hardware_flops_per_token += attention_forward;
      };
  auto per_operation = [&](bool app_f) {
    OperationOptions o;
    o.seq_len = s;
    o.causal = options.causal;
    o.include_embeddings = app_f;
    o.include_softmax = app_f;
    o.recompute = options.recompute;
    const OperationFlops f = CountOperationFlops(arch, o);
    r.params = 0.0;  // counted per operation, not from N
    r.forward_flops_per_token = D(f.forward()) / D(s);
    r.model_flops_per_token = D(f.training()) / D(s);
    r.hardware_flops_per_token = D(f.hardware_training()) / D(s);
  };

  switch (convention) {
    case FlopsConvention::k6ndTotal:
      three_forward(n_total, 2.0 * n_total, 0.0);
      r.formula = "6N, N total" +
                  std::string(active && p.n_moe_blocks > 0 ? " active" : "") +
                  " parameters";
      r.source = "Kaplan et al. 2020 Sec. 2.1; Hoffmann et al. 2022 Sec. 3";
      break;
    case FlopsConvention::k6ndNonEmbedding:
      three_forward(n_non_embedding, 2.0 * n_non_embedding, 0.0);
      r.formula = "6N, N non-embedding" +
                  std::string(active && p.n_moe_blocks > 0 ? " active" : "") +
                  " parameters";
      r.source = "Kaplan et al. 2020 Sec. 2.1";
      break;
    case FlopsConvention::kKaplan: {
      // Published as is: the causal switch does not halve it again. Each
      // layer by the keys it attends (2 n_ctx d_attn for full layers).
      const double attention = ContextFlopsPerToken(arch, s, false, true);
      three_forward(
          n_non_embedding, 2.0 * n_non_embedding + attention, attention);
      r.formula = "3 x (2N + 2*n_layer*n_ctx*d_attn), N non-embedding";
      r.source = "Kaplan et al. 2020 Sec. 2.1, Table 1";
      break;
    }
    case FlopsConvention::kPalm: {
      // 12 L H Q T = 3 x forward 2 L H T (Q_qk + Q_v); N without learned
      // position tables (nanoGPT transformer_sizing's reading of App. B).
      const double n = n_total - D(p.position_embedding);
      const double attention =
          ContextFlopsPerToken(arch, s, options.causal, false);
      three_forward(n, 2.0 * n + attention, attention);
      r.formula = "6N + 12*L*H*Q*T, N without position embeddings";
      r.source = "Chowdhery et al. 2022 (PaLM) App. B";
      break;
    }
    case FlopsConvention::kChinchilla:
      per_operation(true);
      r.formula =
          "per operation incl. embeddings and softmax, backward = 2 x forward";
      r.source = "Hoffmann et al. 2022 App. F";
      break;
    case FlopsConvention::kMatmulOnly:
      per_operation(false);
      r.formula = "per operation, matrix products only, backward = 2 x forward";
      r.source = "Karpathy, nanoGPT transformer_sizing notebook";
      break;
    case FlopsConvention::kMegatron:
      r.params = 0.0;
      r.model_flops_per_token = MegatronModelFlopsPerToken(
          arch.n_layers, arch.d_model, s, arch.vocab_size, options.causal);
      r.forward_flops_per_token = r.model_flops_per_token / 3.0;
      r.hardware_flops_per_token =
          MegatronHardwareFlopsPerToken(arch.n_layers,
                                        arch.d_model,
                                        s,
                                        arch.vocab_size,
                                        options.recompute,
                                        options.causal);
      r.formula = "72*L*h^2*(1 + s/(6h) + V/(12*L*h)); hardware per recompute";
      r.source = "Korthikanti et al. 2022 Sec. 6; Narayanan et al. 2021 Eq. 3";
      break;
  }
  return r;
}

std::vector<ConventionFlops> TrainingFlopsByConvention(
    const Architecture& arch, const FlopsOptions& options) {
  std::vector<ConventionFlops> out;
  for (FlopsConvention c : AllFlopsConventions())
    out.push_back(TrainingFlops(arch, c, options));
  return out;
}

InferenceFlops InferenceFlopsPerToken(const Architecture& arch,
                                      std::int64_t context) {
  Validate(arch, "architecture");
  RequirePositive(context, "context");
  const Counter c{"inference FLOPs of " + arch.name};
  const I n_moe = arch.NumMoeLayers();
  const I n_dense = arch.n_layers - n_moe;
  InferenceFlops f;
  I weights = 0;
  I attention = 0;
  for (const auto& [moe, count] :
       {std::pair{false, n_dense}, std::pair{true, n_moe}}) {
    if (count == 0) continue;
    BlockOperationFlops b;
    MlpOps(arch, moe, 1, c, b);
    weights = c.Add(weights, c.Mul({count, c.Add(b.mlp, b.router)}));
  }
  for (AttentionKind kind : kAllKinds) {
    const I layers = arch.NumLayersOf(kind);
    if (layers == 0) continue;
    // Keys the new token attends: the whole context, the last W, those of
    // its own chunk, DSA's top-k.
    I keys = context;
    if (kind == AttentionKind::kSliding) {
      keys = std::min(context, arch.sliding_window);
    } else if (kind == AttentionKind::kChunked) {
      keys = (context - 1) % arch.attention_chunk + 1;
    } else if (arch.indexer.enabled() && arch.indexer.topk > 0) {
      keys = std::min(context, arch.indexer.topk);
    }
    const BlockOperationFlops b =
        AttentionOps(arch, kind, 1, keys, context, false, c);
    const I index_weights = c.Mul({2, IndexerWeights(arch, c)});
    weights = c.Add(
        weights,
        c.Mul(
            {layers,
             c.Sum({b.attention_qkv, b.attention_projection, index_weights})}));
    attention = c.Add(attention,
                      c.Mul({layers,
                             c.Sum({b.attention_scores,
                                    b.attention_value_reduce,
                                    b.linear_attention_state,
                                    b.indexer - index_weights})}));
  }
  const I e = arch.token_embed_dim();
  weights = c.Add(weights, c.Mul({2, e, arch.vocab_size}));
  if (e != arch.d_model)
    weights = c.Add(weights, c.Mul({2, 2, e, arch.d_model}));
  f.weight_flops = weights;
  f.attention_flops = attention;
  c.Add(weights, attention);
  return f;
}

}  // namespace scalesim::model

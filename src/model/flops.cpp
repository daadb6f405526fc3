#include "scalesim/model/flops.hpp"

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
  return c.Mul({d, c.Add(c.Mul({heads, hd}), c.Mul({2, a.kv_heads(), hd}))});
}

// One block: `tokens` query positions and `pairs` query-key pairs.
BlockOperationFlops BlockOps(const Architecture& a,
                             bool moe,
                             I tokens,
                             I pairs,
                             bool softmax,
                             const Counter& c) {
  const HeadDims hd = HeadDimsOf(a);
  const I heads = a.n_heads;
  BlockOperationFlops b;
  b.attention_qkv = c.Mul({2, tokens, QkvWeights(a, c)});
  b.attention_scores = c.Mul({2, pairs, heads, hd.qk});
  b.attention_softmax = softmax ? c.Mul({3, heads, pairs}) : 0;
  b.attention_value_reduce = c.Mul({2, pairs, heads, hd.v});
  b.attention_projection = c.Mul({2, tokens, heads, hd.v, a.d_model});
  if (!moe) {
    b.mlp = c.Mul({2, tokens, MlpMatrixWeights(a, a.d_ff, c)});
    return b;
  }
  const MoeConfig& m = a.moe;
  const I shared_d_ff =
      m.shared_expert_d_ff > 0 ? m.shared_expert_d_ff : m.expert_d_ff;
  const I weights =
      c.Add(c.Mul({m.experts_per_token, MlpMatrixWeights(a, m.expert_d_ff, c)}),
            c.Mul({m.shared_experts, MlpMatrixWeights(a, shared_d_ff, c)}));
  b.mlp = c.Mul({2, tokens, weights});
  b.router = c.Mul({2, tokens, a.d_model, m.num_experts});
  return b;
}

I AttentionCore(const BlockOperationFlops& b, const Counter& c) {
  return c.Sum(
      {b.attention_scores, b.attention_softmax, b.attention_value_reduce});
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
         attention_value_reduce + attention_projection;
}
std::int64_t BlockOperationFlops::total() const {
  return attention() + mlp + router;
}

std::int64_t OperationFlops::blocks() const {
  return dense_block.total() * n_dense_blocks +
         moe_block.total() * n_moe_blocks;
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
  // Causal: the s(s+1)/2 pairs on or below the diagonal.
  const I pairs = options.causal ? c.Mul({s, s + 1}) / 2 : c.Mul({s, s});

  OperationFlops f;
  f.seq_len = s;
  const I e = arch.token_embed_dim();
  if (options.include_embeddings)
    f.embeddings = c.Mul({2, s, arch.vocab_size, e});
  if (e != arch.d_model)
    f.embedding_projection = c.Mul({2, 2, s, e, arch.d_model});
  f.n_moe_blocks = arch.NumMoeLayers();
  f.n_dense_blocks = arch.n_layers - f.n_moe_blocks;
  if (f.n_dense_blocks > 0)
    f.dense_block = BlockOps(arch, false, s, pairs, options.include_softmax, c);
  if (f.n_moe_blocks > 0)
    f.moe_block = BlockOps(arch, true, s, pairs, options.include_softmax, c);
  f.lm_head = c.Mul({2, s, e, arch.vocab_size});

  // Checked totals (the accessors then cannot overflow).
  const I blocks = c.Add(c.Mul({f.dense_block.total(), f.n_dense_blocks}),
                         c.Mul({f.moe_block.total(), f.n_moe_blocks}));
  const I forward =
      c.Sum({f.embeddings, f.embedding_projection, blocks, f.lm_head});
  c.Mul({3, forward});
  switch (options.recompute) {
    case Recompute::kNone:
      break;
    case Recompute::kSelective:
      f.recompute =
          c.Add(c.Mul({AttentionCore(f.dense_block, c), f.n_dense_blocks}),
                c.Mul({AttentionCore(f.moe_block, c), f.n_moe_blocks}));
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
  const HeadDims hd = HeadDimsOf(arch);
  const double causal_factor = options.causal ? 0.5 : 1.0;

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
      // Published as is: the causal switch does not halve it again.
      const double attention =
          2.0 * D(arch.n_layers) * D(s) * D(arch.n_heads * hd.qk);
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
      const double attention = causal_factor * 2.0 * D(arch.n_layers) *
                               D(arch.n_heads) * D(s) * D(hd.qk + hd.v);
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
    const BlockOperationFlops b = BlockOps(arch, moe, 1, context, false, c);
    weights = c.Add(
        weights,
        c.Mul(
            {count,
             c.Sum(
                 {b.attention_qkv, b.attention_projection, b.mlp, b.router})}));
    attention = c.Add(
        attention,
        c.Mul({count, c.Add(b.attention_scores, b.attention_value_reduce)}));
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

#include "scalesim/model/params.hpp"

#include <cstdint>
#include <string>

#include "scalesim/core/checked.hpp"

#include "model/counting.hpp"

namespace scalesim::model {
namespace {

using I = std::int64_t;

using internal::Counter;
using internal::NormParams;

I AttentionParams(const Architecture& a, const Counter& c) {
  const I d = a.d_model;
  const I heads = a.n_heads;
  if (a.mla.enabled()) {
    // DeepSeek-V2 Sec. 2.1.2 (Eqs. 9-11, 12-14): low-rank joint KV
    // compression with a decoupled RoPE key shared across heads.
    const MlaConfig& m = a.mla;
    const I qk_head = m.qk_nope_head_dim + m.qk_rope_head_dim;
    // The biases of the down projections and of o follow attention_bias
    // (q_bias); the up projections never have one (HF DeepseekV2Attention).
    const bool bias = a.q_bias;
    I total = 0;
    if (m.q_lora_rank > 0) {
      total = c.Add(total, c.Linear(d, m.q_lora_rank, bias));   // q_a_proj
      total = c.Add(total, NormParams(a.norm, m.q_lora_rank));  // q_a_layernorm
      total = c.Add(
          total,
          c.Linear(m.q_lora_rank, c.Mul(heads, qk_head), false));  // q_b_proj
    } else {
      total =
          c.Add(total, c.Linear(d, c.Mul(heads, qk_head), false));  // q_proj
    }
    total = c.Add(total,
                  c.Linear(d,
                           m.kv_lora_rank + m.qk_rope_head_dim,
                           bias));  // kv_a_proj_with_mqa
    total = c.Add(total, NormParams(a.norm, m.kv_lora_rank));  // kv_a_layernorm
    total = c.Add(total,
                  c.Linear(m.kv_lora_rank,
                           c.Mul(heads, m.qk_nope_head_dim + m.v_head_dim),
                           false));  // kv_b_proj
    total =
        c.Add(total, c.Linear(c.Mul(heads, m.v_head_dim), d, bias));  // o_proj
    return total;
  }
  const I hd = a.head_size();
  const I q_width = c.Mul(heads, hd);
  const I kv_width = c.Mul(a.kv_heads(), hd);
  // Gated attention (Qwen3-Next): q_proj also produces the output gate.
  const I q_out = a.attention_output_gate ? c.Mul(2, q_width) : q_width;
  I total = c.Linear(d, q_out, a.q_bias);
  total = c.Add(total, c.Linear(d, kv_width, a.k_bias));
  total = c.Add(total, c.Linear(d, kv_width, a.v_bias));
  total = c.Add(total, c.Linear(q_width, d, a.o_bias));
  if (a.qk_norm) {
    // Per head: q_norm, k_norm [head_dim] shared by the heads; full width
    // (OLMo-2): q_norm [heads head_dim], k_norm [kv_heads head_dim].
    total = c.Add(total,
                  a.qk_norm_full_width ? c.Add(NormParams(a.norm, q_width),
                                               NormParams(a.norm, kv_width))
                                       : 2 * NormParams(a.norm, hd));
  }
  return total;
}

// DeepSeek-V3.2 Indexer: wq_b [n h, q_lora_rank], wk [h, d], k_norm
// (nn.LayerNorm: weight and bias), weights_proj [n, d]; no biases.
I IndexerParams(const Architecture& a, const Counter& c) {
  const IndexerConfig& x = a.indexer;
  if (!x.enabled()) return 0;
  return c.Sum({c.Mul({a.mla.q_lora_rank, x.n_heads, x.head_dim}),
                c.Mul(a.d_model, x.head_dim),
                c.Mul(2, x.head_dim),
                c.Mul(a.d_model, x.n_heads)});
}

I LinearParams(const Architecture& a, const Counter& c) {
  const LinearAttentionConfig& l = a.linear_attention;
  if (a.NumLayersOf(AttentionKind::kLinear) == 0) return 0;
  const I d = a.d_model;
  const I kd = c.Mul(l.num_key_heads, l.key_head_dim);
  const I vd = c.Mul(l.num_value_heads, l.value_head_dim);
  const I conv_dim = c.Add(c.Mul(2, kd), vd);
  return c.Sum({c.Mul(d, c.Add(c.Mul(2, kd), c.Mul(2, vd))),  // in_proj_qkvz
                c.Mul({2, d, l.num_value_heads}),             // in_proj_ba
                c.Mul(conv_dim, l.conv_kernel),               // conv1d
                c.Mul(2, l.num_value_heads),                  // dt_bias, A_log
                l.value_head_dim,                             // norm
                c.Mul(vd, d)});                               // out_proj
}

I MlpParams(const Architecture& a, I d_ff, const Counter& c) {
  const I d = a.d_model;
  if (a.mlp == MlpKind::kGated) {
    // gate and up: d -> d_ff each; down: d_ff -> d.
    return c.Add(c.Mul(2, c.Linear(d, d_ff, a.mlp_bias)),
                 c.Linear(d_ff, d, a.mlp_bias));
  }
  return c.Add(c.Linear(d, d_ff, a.mlp_bias), c.Linear(d_ff, d, a.mlp_bias));
}

BlockParams BlockFor(const Architecture& a, bool moe, const Counter& c) {
  BlockParams b;
  b.attention = AttentionParams(a, c);
  if (a.attention_sinks) b.attention_sinks = a.n_heads;
  b.indexer = IndexerParams(a, c);
  if (a.position == PositionKind::kRelative) {
    // Transformer-XL (Dai et al. 2019, Sec. 3.3): W_{k,R} and the u, v biases.
    const I width = a.attention_width();
    b.position = c.Add(c.Mul(a.d_model, width), c.Mul(2, width));
  }
  b.norms = c.Mul(a.norms_per_block, NormParams(a.norm, a.d_model));
  // BlockParams::total() sums unchecked: check the sum once here (a fuzzer
  // found a width whose block overflowed only in the sum).
  auto checked = [&c](const BlockParams& block) {
    I sum = c.Sum({block.attention,
                   block.attention_sinks,
                   block.indexer,
                   block.position});
    sum = c.Add(sum, block.mlp);
    sum = c.Add(sum, block.router);
    c.Add(sum, block.norms);
    return block;
  };
  if (!moe) {
    b.mlp = MlpParams(a, a.d_ff, c);
    b.mlp_active = b.mlp;
    return checked(b);
  }
  const MoeConfig& m = a.moe;
  const I expert = MlpParams(a, m.expert_d_ff, c);
  const I shared_d_ff =
      m.shared_expert_d_ff > 0 ? m.shared_expert_d_ff : m.expert_d_ff;
  const I shared = c.Mul(m.shared_experts, MlpParams(a, shared_d_ff, c));
  b.mlp = c.Add(c.Mul(m.num_experts, expert), shared);
  b.mlp_active = c.Add(c.Mul(m.experts_per_token, expert), shared);
  b.router = c.Linear(a.d_model, m.num_experts, m.router_bias);
  if (m.shared_expert_gate && m.shared_experts > 0)
    b.router = c.Add(b.router, a.d_model);
  return checked(b);
}

}  // namespace

namespace {

// The full-attention mixer every block has before linear layers replace it.
const BlockParams& AnyBlock(const ParamBreakdown& p) {
  return p.n_dense_blocks > 0 ? p.dense_block : p.moe_block;
}

// Linear-attention layers: their mixer instead of the full one.
I LinearCorrection(const ParamBreakdown& p) {
  return p.n_linear_layers * (p.linear_attention - AnyBlock(p).mixer());
}

}  // namespace

std::int64_t ParamBreakdown::n_attention_layers() const {
  return n_dense_blocks + n_moe_blocks - n_linear_layers;
}
std::int64_t ParamBreakdown::attention() const {
  return AnyBlock(*this).attention * n_attention_layers();
}
std::int64_t ParamBreakdown::attention_sinks() const {
  return AnyBlock(*this).attention_sinks * n_attention_layers();
}
std::int64_t ParamBreakdown::indexer() const {
  return AnyBlock(*this).indexer * n_attention_layers();
}
std::int64_t ParamBreakdown::linear_attention_total() const {
  return linear_attention * n_linear_layers;
}
std::int64_t ParamBreakdown::relative_position() const {
  return AnyBlock(*this).position * n_attention_layers();
}
std::int64_t ParamBreakdown::mlp() const {
  return dense_block.mlp * n_dense_blocks + moe_block.mlp * n_moe_blocks;
}
std::int64_t ParamBreakdown::router() const {
  return dense_block.router * n_dense_blocks + moe_block.router * n_moe_blocks;
}
std::int64_t ParamBreakdown::norms() const {
  return dense_block.norms * n_dense_blocks + moe_block.norms * n_moe_blocks +
         final_norm + embedding_norm;
}
std::int64_t ParamBreakdown::blocks() const {
  return dense_block.total() * n_dense_blocks +
         moe_block.total() * n_moe_blocks + LinearCorrection(*this);
}
std::int64_t ParamBreakdown::total() const {
  return token_embedding + position_embedding + embedding_norm +
         embed_projection + blocks() + final_norm + lm_head;
}
std::int64_t ParamBreakdown::non_embedding() const {
  return total() - token_embedding - position_embedding - lm_head;
}
std::int64_t ParamBreakdown::active() const {
  return token_embedding + position_embedding + embedding_norm +
         embed_projection + dense_block.active() * n_dense_blocks +
         moe_block.active() * n_moe_blocks + LinearCorrection(*this) +
         final_norm + lm_head;
}
std::int64_t ParamBreakdown::active_non_embedding() const {
  return active() - token_embedding - position_embedding - lm_head;
}
std::int64_t ParamBreakdown::active_excluding_input_embedding() const {
  // A tied head is the embedding matrix used as the unembedding: it stays.
  return active() - (tied_lm_head ? 0 : token_embedding) - position_embedding;
}
std::int64_t ParamBreakdown::checkpoint_total() const {
  return total() + vision_tower + multimodal_projector;
}

std::int64_t LinearAttentionParams(const Architecture& arch) {
  const Counter c{"linear-attention parameters of " + arch.name};
  return LinearParams(arch, c);
}

ParamBreakdown CountParameters(const Architecture& arch,
                               std::string_view source) {
  Validate(arch, source);
  // "parameters of llama2-7b: count overflows a 64-bit integer", as the FLOPs
  // and memory counts name theirs.
  const Counter c{"parameters of " +
                  (arch.name.empty() ? std::string(source) : arch.name)};
  ParamBreakdown p;
  const I e = arch.token_embed_dim();
  p.token_embedding = c.Mul(arch.vocab_size, e);
  if (arch.position == PositionKind::kLearned) {
    p.position_embedding =
        c.Mul(arch.max_positions + arch.position_offset, arch.d_model);
  }
  if (arch.embedding_norm) p.embedding_norm = NormParams(arch.norm, e);
  if (e != arch.d_model) p.embed_projection = c.Mul(2, c.Mul(e, arch.d_model));
  p.n_moe_blocks = arch.NumMoeLayers();
  p.n_dense_blocks = arch.n_layers - p.n_moe_blocks;
  if (p.n_dense_blocks > 0) p.dense_block = BlockFor(arch, false, c);
  if (p.n_moe_blocks > 0) p.moe_block = BlockFor(arch, true, c);
  if (arch.final_norm) p.final_norm = NormParams(arch.norm, arch.d_model);
  p.lm_head = c.Add(arch.tied_embeddings ? 0 : c.Mul(arch.vocab_size, e),
                    arch.lm_head_bias ? arch.vocab_size : 0);
  p.tied_lm_head = arch.tied_embeddings;
  p.n_linear_layers = arch.NumLayersOf(AttentionKind::kLinear);
  p.linear_attention = LinearParams(arch, c);
  p.vision_tower = arch.vision_tower_params;
  p.multimodal_projector = arch.multimodal_projector_params;
  // Overflow check of the sums (each block product was checked above).
  I sum = c.Add(p.token_embedding, p.position_embedding);
  sum = c.Add(sum, c.Mul(p.dense_block.total(), p.n_dense_blocks));
  sum = c.Add(sum, c.Mul(p.moe_block.total(), p.n_moe_blocks));
  sum = c.Add(sum, c.Mul(p.n_linear_layers, p.linear_attention));
  sum = c.Add(sum, p.lm_head);
  c.Add(c.Add(sum, p.vision_tower), p.multimodal_projector);
  return p;
}

std::int64_t RuleOfThumbParams(const Architecture& arch) {
  return CheckedProduct({12, arch.n_layers, arch.d_model, arch.d_model},
                        "12*L*d^2");
}

}  // namespace scalesim::model

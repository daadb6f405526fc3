// Phi: phi (PhiForCausalLM), phi3 (Phi3ForCausalLM), phimoe
// (PhimoeForCausalLM, Phi-3.5-MoE).
#include "io/hf/common.hpp"
#include "io/hf/families.hpp"

namespace scalesim::io::hf {

using model::MlpKind;
using model::NormKind;
using model::PositionKind;

void ImportPhi(const Fields& f, model::Architecture& a) {
  a.vocab_size = f.Require("vocab_size", {"vocab_size"});
  a.d_model = f.Require("d_model", {"hidden_size"});
  a.n_layers = f.Require("n_layers", {"num_hidden_layers"});
  a.n_heads = f.Require("n_heads", {"num_attention_heads"});
  a.n_kv_heads = f.Or("n_kv_heads", {"num_key_value_heads"}, a.n_heads);
  a.d_ff = f.Require("d_ff", {"intermediate_size"});
  a.mlp = MlpKind::kStandard;
  a.activation = f.Str({"hidden_act"}).value_or("gelu_new");
  a.q_bias = a.k_bias = a.v_bias = a.o_bias = a.mlp_bias = true;
  a.lm_head_bias = true;
  a.qk_norm = f.BoolOr({"qk_layernorm"}, false);
  a.norm = NormKind::kLayerNorm;
  a.norms_per_block = 1;  // parallel attention and MLP share input_layernorm
  a.position = PositionKind::kRotary;
  a.tied_embeddings = f.BoolOr({"tie_word_embeddings"}, false);
  a.context_length = f.IntOr({"max_position_embeddings"}, 0);
}

void ImportPhi3(const Fields& f, model::Architecture& a) {
  LlamaLike(f, a, false);
  a.head_dim = 0;  // Phi3Attention: hidden_size / num_heads
}

void ImportPhimoe(const Fields& f, model::Architecture& a) {
  LlamaLike(f, a, false);
  KvHeads(f, a, 8, true);   // PhimoeConfig: 8; null -> heads
  HeadDim(f, a, 0, false);  // no class field: hidden / heads
  const bool bias = f.BoolOr({"attention_bias"}, false);
  a.q_bias = a.k_bias = a.v_bias = a.o_bias = bias;  // o_proj too
  a.lm_head_bias = f.BoolOr({"lm_head_bias"}, false);
  // LayerNorm with bias (the checkpoint's .bias keys; transformers 4.57.x
  // builds RMSNorm by mistake, 2 d L fewer).
  a.norm = NormKind::kLayerNorm;
  // block_sparse_moe: gate [E, d] without bias, experts w1/w3 [f, d], w2
  // [d, f]; intermediate_size is one expert's width.
  ExpertsOfIntermediateSize(f, a, {"num_local_experts"});
  // One sliding_window (default None) for every layer.
  SlidingEverywhere(a, WindowOr(f, "sliding_window", 0));
}

}  // namespace scalesim::io::hf

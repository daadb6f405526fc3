// Falcon (FalconForCausalLM): fused query_key_value, parallel attention and
// MLP, LayerNorms with bias, ALiBi or rotary positions, tied by default
// (no class field). The KV heads: num_kv_heads under
// new_decoder_architecture (Falcon-40B/180B), one under multi_query
// (Falcon-7B), else every head (Falcon-RW).
#include "io/hf/families.hpp"

namespace scalesim::io::hf {

void ImportFalcon(const Fields& f, model::Architecture& a) {
  a.vocab_size = f.Require("vocab_size", {"vocab_size"});
  a.d_model = f.Require("d_model", {"hidden_size", "n_embed"});
  a.n_layers = f.Require("n_layers", {"num_hidden_layers", "n_layer"});
  a.n_heads = f.Require("n_heads", {"num_attention_heads", "n_head"});
  const bool new_arch = f.BoolOr({"new_decoder_architecture"}, false);
  const bool multi_query = f.BoolOr({"multi_query"}, true);
  const bool parallel = f.BoolOr({"parallel_attn"}, true);
  const bool bias = f.BoolOr({"bias"}, false);
  if (new_arch) {
    a.n_kv_heads = f.Or("n_kv_heads", {"num_kv_heads"}, a.n_heads);
  } else if (multi_query) {
    a.n_kv_heads = 1;
    f.Name("n_kv_heads", "multi_query");
  } else {
    a.n_kv_heads = a.n_heads;
  }
  a.head_dim = 0;  // hidden / heads, which must divide
  // ffn_hidden_size defaults to 4 x the hidden_size argument (4544 when a
  // config names only n_embed: FalconConfig's quirk).
  a.d_ff = f.Or("d_ff", {"ffn_hidden_size"}, 0);
  if (!f.Int({"ffn_hidden_size"})) {
    a.d_ff = f.Times(4, "d_model", f.IntOr({"hidden_size"}, 4544),
                     "d_ff (ffn_hidden_size unset)");
  }
  a.mlp = model::MlpKind::kStandard;
  a.activation = f.Str({"activation"}).value_or("gelu");
  a.q_bias = a.k_bias = a.v_bias = a.o_bias = a.mlp_bias = bias;
  a.norm = model::NormKind::kLayerNorm;  // nn.LayerNorm: weight and bias
  // Sequential blocks: input and post-attention norms; parallel ones:
  // ln_attn and ln_mlp when num_ln_in_parallel_attn is 2 (the default of
  // the new architecture), else one input_layernorm.
  const std::int64_t parallel_norms =
      f.IntOr({"num_ln_in_parallel_attn"}, new_arch ? 2 : 1);
  a.norms_per_block = !parallel || parallel_norms == 2 ? 2 : 1;
  a.position = f.BoolOr({"alibi"}, false) ? model::PositionKind::kAlibi
                                          : model::PositionKind::kRotary;
  a.tied_embeddings = f.BoolOr({"tie_word_embeddings"}, true);
  a.context_length = f.IntOr({"max_position_embeddings"}, 0);
}

}  // namespace scalesim::io::hf

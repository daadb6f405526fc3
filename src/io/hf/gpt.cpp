// GPT-2 and its descendants with learned or ALiBi positions and biases
// everywhere: gpt2 (GPT2LMHeadModel), gpt_neox (GPTNeoXForCausalLM), opt
// (OPTForCausalLM), bloom (BloomForCausalLM).
#include "io/hf/families.hpp"

namespace scalesim::io::hf {

using model::MlpKind;
using model::NormKind;
using model::PositionKind;

void ImportGpt2(const Fields& f, model::Architecture& a) {
  a.vocab_size = f.Require("vocab_size", {"vocab_size"});
  a.d_model = f.Require("d_model", {"n_embd", "hidden_size"});
  a.n_layers = f.Require("n_layers", {"n_layer", "num_hidden_layers"});
  a.n_heads = f.Require("n_heads", {"n_head", "num_attention_heads"});
  // n_inner null means 4 * n_embd.
  a.d_ff = f.Or("d_ff", {"n_inner"}, 0);
  if (!f.Int({"n_inner"}))
    a.d_ff = f.Times(4, "d_model", a.d_model, "d_ff (n_inner unset)");
  a.max_positions =
      f.Require("max_positions", {"n_positions", "max_position_embeddings"});
  a.context_length = f.IntOr({"n_ctx"}, a.max_positions);
  a.mlp = MlpKind::kStandard;
  a.activation = f.Str({"activation_function"}).value_or("gelu_new");
  a.q_bias = a.k_bias = a.v_bias = a.o_bias = a.mlp_bias = true;
  a.norm = NormKind::kLayerNorm;
  a.position = PositionKind::kLearned;
  a.tied_embeddings = f.BoolOr({"tie_word_embeddings"}, true);
}

void ImportGptNeox(const Fields& f, model::Architecture& a) {
  a.vocab_size = f.Require("vocab_size", {"vocab_size"});
  a.d_model = f.Require("d_model", {"hidden_size"});
  a.n_layers = f.Require("n_layers", {"num_hidden_layers"});
  a.n_heads = f.Require("n_heads", {"num_attention_heads"});
  a.d_ff = f.Require("d_ff", {"intermediate_size"});
  a.mlp = MlpKind::kStandard;
  a.activation = f.Str({"hidden_act"}).value_or("gelu");
  const bool bias = f.BoolOr({"attention_bias"}, true);
  a.q_bias = a.k_bias = a.v_bias = a.o_bias = bias;
  a.mlp_bias = true;
  a.norm = NormKind::kLayerNorm;
  a.position = PositionKind::kRotary;
  a.tied_embeddings = f.BoolOr({"tie_word_embeddings"}, false);
  a.context_length = f.IntOr({"max_position_embeddings"}, 0);
}

void ImportOpt(const Fields& f, model::Architecture& a) {
  a.vocab_size = f.Require("vocab_size", {"vocab_size"});
  a.d_model = f.Require("d_model", {"hidden_size"});
  a.n_layers = f.Require("n_layers", {"num_hidden_layers"});
  a.n_heads = f.Require("n_heads", {"num_attention_heads"});
  a.d_ff = f.Require("d_ff", {"ffn_dim"});
  a.max_positions = f.Or("max_positions", {"max_position_embeddings"}, 2048);
  a.position_offset = 2;  // OPTLearnedPositionalEmbedding: offset 2 rows
  a.position = PositionKind::kLearned;
  a.context_length = a.max_positions;
  a.mlp = MlpKind::kStandard;
  a.activation = f.Str({"activation_function"}).value_or("relu");
  const bool bias = f.BoolOr({"enable_bias"}, true);
  a.q_bias = a.k_bias = a.v_bias = a.o_bias = a.mlp_bias = bias;
  a.norm = f.BoolOr({"layer_norm_elementwise_affine"}, true)
               ? NormKind::kLayerNorm
               : NormKind::kNone;
  a.final_norm = f.BoolOr({"do_layer_norm_before"}, true) &&
                 !f.BoolOr({"_remove_final_layer_norm"}, false);
  const std::int64_t proj =
      f.Or("embed_dim", {"word_embed_proj_dim"}, a.d_model);
  a.embed_dim = proj == a.d_model ? 0 : proj;  // project_in / project_out
  a.tied_embeddings = f.BoolOr({"tie_word_embeddings"}, true);
}

void ImportBloom(const Fields& f, model::Architecture& a) {
  a.vocab_size = f.Require("vocab_size", {"vocab_size"});
  a.d_model = f.Require("d_model", {"hidden_size", "n_embed"});
  a.n_layers = f.Require("n_layers", {"n_layer", "num_hidden_layers"});
  a.n_heads = f.Require("n_heads", {"n_head", "num_attention_heads"});
  a.d_ff = f.Times(4, "d_model", a.d_model,
                   "d_ff (BloomMLP: 4 * hidden_size)");  // dense_h_to_4h
  a.mlp = MlpKind::kStandard;
  a.activation = "gelu";
  a.q_bias = a.k_bias = a.v_bias = a.o_bias = a.mlp_bias = true;
  a.norm = NormKind::kLayerNorm;
  a.embedding_norm = true;  // word_embeddings_layernorm
  a.position = PositionKind::kAlibi;
  a.tied_embeddings = f.BoolOr({"tie_word_embeddings"}, true);
  a.context_length = f.IntOr({"seq_length"}, 0);
}

}  // namespace scalesim::io::hf

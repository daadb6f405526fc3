#include "io/hf/common.hpp"

#include <string>

namespace scalesim::io::hf {

using model::MlpKind;
using model::NormKind;
using model::PositionKind;

void LlamaLike(const Fields& f, model::Architecture& a, bool default_tied) {
  a.vocab_size = f.Require("vocab_size", {"vocab_size"});
  a.d_model = f.Require("d_model", {"hidden_size"});
  a.n_layers = f.Require("n_layers", {"num_hidden_layers"});
  a.n_heads = f.Require("n_heads", {"num_attention_heads"});
  a.n_kv_heads = f.Or("n_kv_heads", {"num_key_value_heads"}, a.n_heads);
  a.head_dim = f.Or("head_dim", {"head_dim"}, 0);
  a.d_ff = f.Require("d_ff", {"intermediate_size"});
  a.mlp = MlpKind::kGated;
  a.activation = f.Str({"hidden_act", "hidden_activation"}).value_or("silu");
  a.norm = NormKind::kRmsNorm;
  a.norms_per_block = 2;
  a.final_norm = true;
  a.position = PositionKind::kRotary;
  a.tied_embeddings = f.BoolOr({"tie_word_embeddings"}, default_tied);
  a.context_length = f.IntOr({"max_position_embeddings"}, 0);
}

}  // namespace scalesim::io::hf

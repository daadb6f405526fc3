// AllenAI OLMo: olmo2 (Olmo2ForCausalLM: q/k norms over the whole
// projections, norms after the sublayers) and olmoe (OlmoeForCausalLM:
// every layer MoE, q_norm [hidden], k_norm [hidden / heads x kv heads]).
#include <string>

#include "io/hf/common.hpp"
#include "io/hf/families.hpp"

namespace scalesim::io::hf {

void ImportOlmo2(const Fields& f, model::Architecture& a) {
  LlamaLike(f, a, false);
  HeadDim(f, a, 0, false);
  const bool bias = f.BoolOr({"attention_bias"}, false);
  a.q_bias = a.k_bias = a.v_bias = a.o_bias = bias;
  // q_norm [heads head_dim], k_norm [kv_heads head_dim]; the two block
  // norms are post_attention and post_feedforward (no input norm).
  a.qk_norm = true;
  a.qk_norm_full_width = true;
}

void ImportOlmoe(const Fields& f, model::Architecture& a) {
  LlamaLike(f, a, false);
  HeadDim(f, a, 0, false);
  const bool bias = f.BoolOr({"attention_bias"}, false);
  a.q_bias = a.k_bias = a.v_bias = a.o_bias = bias;
  // OlmoeAttention: q_norm RMSNorm(hidden_size), k_norm RMSNorm((hidden /
  // heads) kv_heads), tied to hidden / heads rather than head_dim: a config
  // whose head_dim differs builds a model that fails when run.
  if (a.head_dim != 0 && a.head_dim * a.n_heads != a.d_model) {
    f.Fail("head_dim",
           std::to_string(a.head_dim) + " differs from hidden_size / " +
               "num_attention_heads, which OLMoE's q/k norms assume");
  }
  a.qk_norm = true;
  a.qk_norm_full_width = true;
  ExpertsOfIntermediateSize(f, a, {"num_experts", "num_local_experts"});
}

}  // namespace scalesim::io::hf

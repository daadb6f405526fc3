// StarCoder2 (Starcoder2ForCausalLM): biases everywhere (use_bias),
// LayerNorm with bias, a standard c_fc / c_proj MLP, tied by default (no
// class field: PreTrainedConfig's default), one sliding window for every
// layer when set.
#include "io/hf/common.hpp"
#include "io/hf/families.hpp"

namespace scalesim::io::hf {

void ImportStarcoder2(const Fields& f, model::Architecture& a) {
  LlamaLike(f, a, true);
  KvHeads(f, a, 2, false);  // Starcoder2Config: 2; null has no fallback
  HeadDim(f, a, 0, true);   // getattr(...) or hidden / heads: null allowed
  const bool bias = f.BoolOr({"use_bias"}, true);
  a.q_bias = a.k_bias = a.v_bias = a.o_bias = a.mlp_bias = bias;
  a.mlp = model::MlpKind::kStandard;
  a.activation = f.Str({"hidden_act"}).value_or("gelu_pytorch_tanh");
  a.norm = model::NormKind::kLayerNorm;
  SlidingEverywhere(a, WindowOr(f, "sliding_window", 0));
}

}  // namespace scalesim::io::hf

// gpt-oss (GptOssForCausalLM): attention with biases and one sink logit per
// head, every layer MoE with biased experts and a biased router,
// alternating 128-token sliding-window and full layers.
#include <string>

#include "io/hf/common.hpp"
#include "io/hf/families.hpp"

namespace scalesim::io::hf {

using model::AttentionKind;
using model::LayerKind;

void ImportGptOss(const Fields& f, model::Architecture& a) {
  LlamaBase(f, a, false);
  KvHeads(f, a, 8, true);           // GptOssConfig: 8; null -> heads
  HeadDim(f, a, 64, true);          // 64 (64 x 64 = 4096 != hidden 2880)
  AttentionBias(f, a, true, true);  // q, k, v, o biases by default
  a.attention_sinks = true;         // self_attn.sinks [heads]
  a.activation = "swiglu";
  // GptOssExperts: gate_up_proj [E, d, 2f] + bias [E, 2f], down_proj
  // [E, f, d] + bias [E, d]: a gated MLP with biases, 3 d f + 2 f + d per
  // expert; GptOssTopKRouter: weight [E, d] + bias [E]. No dense MLP.
  a.moe.num_experts =
      f.Require("moe.num_experts", {"num_local_experts", "num_experts"});
  a.moe.experts_per_token = f.Require(
      "moe.experts_per_token", {"num_experts_per_tok", "experts_per_token"});
  a.moe.expert_d_ff = f.Require("moe.expert_d_ff", {"intermediate_size"});
  a.moe.router_bias = true;
  a.mlp_bias = true;
  a.d_ff = 0;
  // layer_types when given, else even layers slide (sliding_window 128).
  a.sliding_window = WindowOr(f, "sliding_window", 128);
  f.Name("sliding_window", "sliding_window");
  const std::vector<AttentionKind> types = LayerTypes(f, a.n_layers);
  if (!types.empty()) {
    SetLayerPatternFromTypes(f, a, types);
  } else if (a.sliding_window > 0) {
    SetLayerPattern(f, a, 2, "layer_types", [](std::int64_t i) {
      return LayerKind{
          i % 2 == 0 ? AttentionKind::kSliding : AttentionKind::kFull, false};
    });
  }
}

}  // namespace scalesim::io::hf

// Llama 4: llama4_text (Llama4ForCausalLM) and the multimodal llama4
// (Llama4ForConditionalGeneration: vision model and projector).
#include <string>

#include "io/hf/common.hpp"
#include "io/hf/families.hpp"
#include "io/hf/registry.hpp"
#include "io/hf/vision.hpp"

namespace scalesim::io::hf {

using model::AttentionKind;
using model::LayerKind;

void ImportLlama4Text(const Fields& f, model::Architecture& a) {
  LlamaBase(f, a, false);
  KvHeads(f, a, 8, true);    // Llama4TextConfig: 8; null -> heads
  HeadDim(f, a, 128, true);  // 128; null -> hidden / heads
  AttentionBias(f, a, false, true);
  // use_qk_norm is a weightless L2 norm: no parameters.
  // MoE layers: routed experts of intermediate_size and one shared expert
  // of the same width (Llama4TextMoe), router without bias; dense layers:
  // an MLP of intermediate_size_mlp.
  a.moe.num_experts = f.Require("moe.num_experts", {"num_local_experts"});
  a.moe.experts_per_token =
      f.Require("moe.experts_per_token", {"num_experts_per_tok"});
  a.moe.expert_d_ff = f.Require("moe.expert_d_ff", {"intermediate_size"});
  a.moe.shared_experts = 1;
  a.moe.shared_expert_d_ff = a.moe.expert_d_ff;
  const std::vector<std::int64_t> listed = f.IntList("moe_layers");
  if (f.Find({"moe_layers"}) != nullptr) {
    SetMoeLayers(f, a, listed, "moe_layers");
  } else {
    // moe_layers = range(step - 1, L, step)
    a.moe.layer_freq = f.Or("moe.layer_freq", {"interleave_moe_layer_step"}, 1);
    a.moe.layer_offset = 1;
  }
  a.d_ff = f.Or("d_ff", {"intermediate_size_mlp"}, 0);
  if (a.moe.enabled() && a.moe.layer_freq > 0 &&
      a.NumMoeLayers() < a.n_layers && a.d_ff == 0) {
    f.Fail("intermediate_size_mlp",
           "missing required field (the dense layers use it)");
  }
  if (!a.moe.enabled()) {
    a.d_ff = f.Require("d_ff", {"intermediate_size_mlp"});
  }
  // Attention: RoPE layers (no_rope_layers[i] = 1) attend within chunks of
  // attention_chunk_size (8192); the others are global NoPE layers. Default
  // no_rope_layers: (i + 1) % no_rope_layer_interval (4) != 0.
  a.attention_chunk = WindowOr(f, "attention_chunk_size", 8192);
  f.Name("attention_chunk", "attention_chunk_size");
  const RopeLayers rope = ReadRopeLayers(f, a.n_layers);
  SetLayerPattern(f, a, rope.period(), rope.key(), [&](std::int64_t i) {
    const bool uses_rope = rope.UsesRope(i);
    return LayerKind{uses_rope && a.attention_chunk > 0
                         ? AttentionKind::kChunked
                         : AttentionKind::kFull,
                     !uses_rope};
  });
  SetLayerPatternFromTypes(f, a, LayerTypes(f, a.n_layers));
}

void ImportLlama4(const Fields& f, model::Architecture& a) {
  ImportTextConfig(f, "llama4_text", a);
  const VisionParams v =
      Llama4Vision(f.ObjectOrEmpty("vision_config"), a.d_model);
  SetVision(a, v);
}

}  // namespace scalesim::io::hf

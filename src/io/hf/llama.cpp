// The Llama layout and its direct relatives: llama (LlamaForCausalLM),
// mistral (MistralForCausalLM), mixtral (MixtralForCausalLM), smollm3
// (SmolLM3ForCausalLM) and the multimodal mistral3
// (Mistral3ForConditionalGeneration: Pixtral vision tower and projector).
#include "io/hf/common.hpp"
#include "io/hf/families.hpp"
#include "io/hf/registry.hpp"
#include "io/hf/vision.hpp"

namespace scalesim::io::hf {

using model::AttentionKind;
using model::LayerKind;

void ImportLlama(const Fields& f, model::Architecture& a) {
  LlamaLike(f, a, false);
  const bool bias = f.BoolOr({"attention_bias"}, false);
  a.q_bias = a.k_bias = a.v_bias = a.o_bias = bias;
  a.mlp_bias = f.BoolOr({"mlp_bias"}, false);
}

void ImportMistral(const Fields& f, model::Architecture& a) {
  LlamaLike(f, a, false);
  // MistralConfig: one sliding_window for every layer, 4096 when absent
  // (Mistral-7B-v0.1); null (v0.2, v0.3, Mistral Small 3) is none.
  SlidingEverywhere(a, WindowOr(f, "sliding_window", 4096));
  f.Name("sliding_window", "sliding_window");
}

void ImportMixtral(const Fields& f, model::Architecture& a) {
  LlamaLike(f, a, false);
  a.moe.num_experts = f.Require("moe.num_experts", {"num_local_experts"});
  a.moe.experts_per_token =
      f.Require("moe.experts_per_token", {"num_experts_per_tok"});
  a.moe.expert_d_ff = a.d_ff;
  f.Name("moe.expert_d_ff", "intermediate_size");
  // MixtralConfig: sliding_window defaults to None.
  SlidingEverywhere(a, WindowOr(f, "sliding_window", 0));
  f.Name("sliding_window", "sliding_window");
}

void ImportSmolLm3(const Fields& f, model::Architecture& a) {
  // SmolLM3Config: tied by default (SmolLM3-3B's config has no key); KV
  // heads 4 when absent; no head_dim field (hidden / heads).
  LlamaLike(f, a, true);
  KvHeads(f, a, 4, true);
  HeadDim(f, a, 0, false);
  const bool bias = f.BoolOr({"attention_bias"}, false);
  a.q_bias = a.k_bias = a.v_bias = a.o_bias = bias;
  a.mlp_bias = f.BoolOr({"mlp_bias"}, false);
  const RopeLayers rope = ReadRopeLayers(f, a.n_layers);
  // With use_sliding_window and a sliding_window, the NoPE layers slide
  // (SmolLM3Config: sic).
  const std::int64_t window = f.BoolOr({"use_sliding_window"}, false)
                                  ? WindowOr(f, "sliding_window", 0)
                                  : 0;
  a.sliding_window = window;
  SetLayerPattern(f, a, rope.period(), rope.key(), [&](std::int64_t i) {
    const bool nope = !rope.UsesRope(i);
    return LayerKind{
        nope && window > 0 ? AttentionKind::kSliding : AttentionKind::kFull,
        nope};
  });
  SetLayerPatternFromTypes(f, a, LayerTypes(f, a.n_layers));
}

void ImportMistral3(const Fields& f, model::Architecture& a) {
  ImportTextConfig(f, "mistral", a);
  // The head is tied as the text config says (MistralConfig: untied); the
  // wrapper's own tie_word_embeddings is not what decides (transformers
  // #42313).
  const VisionParams v = Mistral3Vision(f, a.d_model);
  SetVision(a, v);
}

}  // namespace scalesim::io::hf

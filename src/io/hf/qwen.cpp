// Qwen: qwen2 (Qwen2ForCausalLM), qwen2_moe (Qwen2MoeForCausalLM), qwen3
// (Qwen3ForCausalLM), qwen3_moe (Qwen3MoeForCausalLM), qwen3_next
// (Qwen3NextForCausalLM) and Qwen3.5: qwen3_5_text (Qwen3_5ForCausalLM) and
// its multimodal wrapper qwen3_5 (Qwen3_5ForConditionalGeneration).
#include <string>

#include "io/hf/common.hpp"
#include "io/hf/families.hpp"
#include "io/hf/registry.hpp"
#include "io/hf/vision.hpp"

namespace scalesim::io::hf {
namespace {

using model::AttentionKind;
using model::LayerKind;

// Qwen2Config / Qwen3Config: with use_sliding_window (default false) and a
// sliding_window (default 4096; null: none), layers i >= max_window_layers
// (default 28) slide; an explicit layer_types list wins.
void QwenWindows(const Fields& f, model::Architecture& a) {
  const std::vector<AttentionKind> types = LayerTypes(f, a.n_layers);
  const bool use = f.BoolOr({"use_sliding_window"}, false);
  const std::int64_t window = use ? WindowOr(f, "sliding_window", 4096) : 0;
  if (!types.empty()) {
    a.sliding_window = window;
    SetLayerPatternFromTypes(f, a, types);
    return;
  }
  if (window <= 0) return;
  const std::int64_t full_layers = f.IntOr({"max_window_layers"}, 28);
  a.sliding_window = window;
  SetLayerPattern(f, a, 0, "max_window_layers", [&](std::int64_t i) {
    return LayerKind{
        i >= full_layers ? AttentionKind::kSliding : AttentionKind::kFull,
        false};
  });
}

// The MoE block of Qwen2-MoE, Qwen3-MoE and Qwen3-Next (given the expert
// count): layer i is MoE iff i is not in mlp_only_layers and (i + 1) %
// decoder_sparse_step == 0; an optional shared expert of its own width with
// a sigmoid gate d_model -> 1 (Linear(d_model, 1), no bias).
void QwenMoeLayers(const Fields& f, model::Architecture& a) {
  a.moe.experts_per_token =
      f.Require("moe.experts_per_token", {"num_experts_per_tok"});
  a.moe.expert_d_ff = f.Require("moe.expert_d_ff", {"moe_intermediate_size"});
  const std::int64_t shared =
      f.Or("moe.shared_expert_d_ff", {"shared_expert_intermediate_size"}, 0);
  if (shared > 0) {
    a.moe.shared_experts = 1;
    a.moe.shared_expert_d_ff = shared;
    a.moe.shared_expert_gate = true;
  }
  a.moe.layer_freq = f.Or("moe.layer_freq", {"decoder_sparse_step"}, 1);
  a.moe.layer_offset = 1;
  a.moe.dense_layers = f.IntList("mlp_only_layers");
  f.Name("moe.dense_layers", "mlp_only_layers");
}

// Qwen3-MoE and Qwen3-Next: the expert count is required, intermediate_size
// is the width of the dense layers only.
void QwenMoe(const Fields& f, model::Architecture& a) {
  a.moe.num_experts =
      f.Require("moe.num_experts", {"num_experts", "num_local_experts"});
  QwenMoeLayers(f, a);
  a.d_ff = f.Or("d_ff", {"intermediate_size"}, 0);
  if (a.moe.layer_freq > 0 && a.NumMoeLayers() < a.n_layers && a.d_ff == 0) {
    f.Fail("intermediate_size",
           "missing required field (the dense layers use it)");
  }
}

// Qwen3-Next and Qwen3.5: Gated DeltaNet layers (linear_attn) and gated
// full-attention layers (self_attn, q_proj twice as wide), layer i linear
// iff (i + 1) % full_attention_interval (default 4) != 0 unless layer_types
// says otherwise.
void QwenHybrid(const Fields& f, model::Architecture& a) {
  LlamaBase(f, a, false);
  KvHeads(f, a, 0, false);
  HeadDim(f, a, 256, false);
  AttentionBias(f, a, false, true);
  a.qk_norm = true;                // q_norm, k_norm [head_dim]
  a.attention_output_gate = true;  // q_proj [2 H head_dim, d]
  model::LinearAttentionConfig& l = a.linear_attention;
  l.num_key_heads = f.IntOr({"linear_num_key_heads"}, 16);
  l.num_value_heads = f.IntOr({"linear_num_value_heads"}, 32);
  l.key_head_dim = f.IntOr({"linear_key_head_dim"}, 128);
  l.value_head_dim = f.IntOr({"linear_value_head_dim"}, 128);
  l.conv_kernel = f.IntOr({"linear_conv_kernel_dim"}, 4);
  f.Name("linear_attention.num_key_heads", "linear_num_key_heads");
  f.Name("linear_attention.num_value_heads", "linear_num_value_heads");
  f.Name("linear_attention.key_head_dim", "linear_key_head_dim");
  f.Name("linear_attention.value_head_dim", "linear_value_head_dim");
  f.Name("linear_attention.conv_kernel", "linear_conv_kernel_dim");
  const std::vector<AttentionKind> types = LayerTypes(f, a.n_layers);
  if (!types.empty()) {
    SetLayerPatternFromTypes(f, a, types);
    return;
  }
  const std::int64_t interval = f.IntOr({"full_attention_interval"}, 4);
  if (interval <= 0) {
    f.Fail("full_attention_interval",
           "must be a positive integer, got " + std::to_string(interval));
  }
  SetLayerPattern(
      f, a, interval, "full_attention_interval", [&](std::int64_t i) {
        return LayerKind{(i + 1) % interval != 0 ? AttentionKind::kLinear
                                                 : AttentionKind::kFull,
                         false};
      });
}

}  // namespace

void ImportQwen2(const Fields& f, model::Architecture& a) {
  LlamaLike(f, a, false);
  // Qwen2Attention: q/k/v biases, o without.
  a.q_bias = a.k_bias = a.v_bias = true;
  a.o_bias = false;
  QwenWindows(f, a);
}

void ImportQwen2Moe(const Fields& f, model::Architecture& a) {
  ImportQwen2(f, a);
  // No expert count: a dense model.
  a.moe.num_experts = f.Or("moe.num_experts", {"num_experts"}, 0);
  if (a.moe.num_experts > 0) QwenMoeLayers(f, a);
}

void ImportQwen3(const Fields& f, model::Architecture& a) {
  LlamaBase(f, a, false);
  a.d_ff = f.Require("d_ff", {"intermediate_size"});
  KvHeads(f, a, 32, true);    // Qwen3Config: 32; null -> heads
  HeadDim(f, a, 128, false);  // Qwen3Config: 128, independent of hidden/heads
  AttentionBias(f, a, false, true);
  a.qk_norm = true;  // Qwen3Attention: q_norm, k_norm [head_dim]
  QwenWindows(f, a);
}

void ImportQwen3Moe(const Fields& f, model::Architecture& a) {
  LlamaBase(f, a, false);
  KvHeads(f, a, 4, false);  // Qwen3MoeConfig: 4; null has no fallback
  HeadDim(f, a, 0, false);  // no class field: getattr(hidden // heads)
  AttentionBias(f, a, false, true);
  a.qk_norm = true;
  QwenMoe(f, a);  // no shared expert in Qwen3-MoE configs
  // Qwen3MoeConfig: one window for every layer when use_sliding_window.
  if (f.BoolOr({"use_sliding_window"}, false)) {
    SlidingEverywhere(a, WindowOr(f, "sliding_window", 4096));
  }
}

void ImportQwen3Next(const Fields& f, model::Architecture& a) {
  QwenHybrid(f, a);
  QwenMoe(f, a);
}

void ImportQwen3_5Text(const Fields& f, model::Architecture& a) {
  QwenHybrid(f, a);
  // Qwen3_5TextConfig: a dense MLP in every layer.
  a.d_ff = f.Require("d_ff", {"intermediate_size"});
}

void ImportQwen3_5(const Fields& f, model::Architecture& a) {
  ImportTextConfig(f, "qwen3_5_text", a);
  // The language model ties its head as text_config says, else as the
  // wrapper's tie_word_embeddings (default false) says.
  const Fields text = f.ObjectOrEmpty("text_config");
  a.tied_embeddings = text.BoolOr({"tie_word_embeddings"},
                                  f.BoolOr({"tie_word_embeddings"}, false));
  const VisionParams v = Qwen3_5Vision(f.ObjectOrEmpty("vision_config"));
  SetVision(a, v);
}

}  // namespace scalesim::io::hf

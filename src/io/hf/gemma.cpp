// Gemma: gemma (GemmaForCausalLM), gemma2 (Gemma2ForCausalLM), gemma3_text
// (Gemma3ForCausalLM) and the multimodal gemma3
// (Gemma3ForConditionalGeneration: SigLIP vision tower and projector).
#include <string>

#include "io/hf/common.hpp"
#include "io/hf/families.hpp"
#include "io/hf/registry.hpp"
#include "io/hf/vision.hpp"

namespace scalesim::io::hf {
namespace {

using model::AttentionKind;
using model::LayerKind;

void GemmaLike(const Fields& f,
               model::Architecture& a,
               std::int64_t norms_per_block) {
  LlamaLike(f, a, true);
  // GemmaConfig default head_dim 256
  a.head_dim = f.Or("head_dim", {"head_dim"}, 256);
  const bool bias = f.BoolOr({"attention_bias"}, false);
  a.q_bias = a.k_bias = a.v_bias = a.o_bias = bias;
  // Gemma 2: pre/post attention and MLP norms
  a.norms_per_block = norms_per_block;
  if (a.activation == "silu") a.activation = "gelu_pytorch_tanh";
}

// Local (sliding) and global layers: layer_types when given, else layer i
// slides iff (i + 1) % period != 0.
void LocalGlobal(const Fields& f,
                 model::Architecture& a,
                 std::int64_t period,
                 const char* period_key) {
  a.sliding_window = WindowOr(f, "sliding_window", 4096);
  f.Name("sliding_window", "sliding_window");
  const std::vector<AttentionKind> types = LayerTypes(f, a.n_layers);
  if (!types.empty()) {
    SetLayerPatternFromTypes(f, a, types);
    return;
  }
  if (a.sliding_window <= 0) return;
  if (period <= 0) {
    f.Fail(period_key,
           "must be a positive integer, got " + std::to_string(period));
  }
  SetLayerPattern(f, a, period, period_key, [&](std::int64_t i) {
    return LayerKind{
        (i + 1) % period != 0 ? AttentionKind::kSliding : AttentionKind::kFull,
        false};
  });
}

}  // namespace

void ImportGemma(const Fields& f, model::Architecture& a) {
  GemmaLike(f, a, 2);
}

void ImportGemma2(const Fields& f, model::Architecture& a) {
  GemmaLike(f, a, 4);
  // Gemma2Config: sliding_window 4096; even layers local, odd global.
  LocalGlobal(f, a, 2, "layer_types");
}

void ImportGemma3Text(const Fields& f, model::Architecture& a) {
  // Inside a gemma3 config the real 4b/12b/27b text_configs omit these and
  // rely on Gemma3TextConfig's defaults (vocabulary 262,208 = 262,144 text
  // tokens + 64, 8 heads); a top-level gemma3_text config must give them.
  const bool nested = !f.prefix().empty();
  a.vocab_size = nested ? f.Or("vocab_size", {"vocab_size"}, 262208)
                        : f.Require("vocab_size", {"vocab_size"});
  a.d_model = f.Require("d_model", {"hidden_size"});
  a.n_layers = f.Require("n_layers", {"num_hidden_layers"});
  a.n_heads = nested ? f.Or("n_heads", {"num_attention_heads"}, 8)
                     : f.Require("n_heads", {"num_attention_heads"});
  a.d_ff = f.Require("d_ff", {"intermediate_size"});
  KvHeads(f, a, 4, false);    // Gemma3TextConfig: 4
  HeadDim(f, a, 256, false);  // 256, independent of hidden/heads
  a.mlp = model::MlpKind::kGated;
  a.activation =
      f.Str({"hidden_activation", "hidden_act"}).value_or("gelu_pytorch_tanh");
  a.norm = model::NormKind::kRmsNorm;
  a.norms_per_block = 4;  // input, post-attention, pre- and post-feedforward
  a.qk_norm = true;       // q_norm, k_norm [head_dim]
  AttentionBias(f, a, false, true);
  a.position = model::PositionKind::kRotary;
  a.tied_embeddings = f.BoolOr({"tie_word_embeddings"}, true);
  a.context_length = f.IntOr({"max_position_embeddings"}, 0);
  // 5 local : 1 global (sliding_window_pattern, default 6).
  LocalGlobal(
      f, a, f.IntOr({"sliding_window_pattern"}, 6), "sliding_window_pattern");
}

void ImportGemma3(const Fields& f, model::Architecture& a) {
  ImportTextConfig(f, "gemma3_text", a);
  const VisionParams v =
      Gemma3Vision(f.ObjectOrEmpty("vision_config"), a.d_model);
  SetVision(a, v);
}

}  // namespace scalesim::io::hf

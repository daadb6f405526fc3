// Cohere: cohere (CohereForCausalLM: Command R, R+, Aya Expanse) and
// cohere2 (Cohere2ForCausalLM: Command R7B, Command A). Parallel blocks
// with one bias-free LayerNorm, tied by default; logit_scale has no
// parameters.
#include "io/hf/common.hpp"
#include "io/hf/families.hpp"

namespace scalesim::io::hf {
namespace {

using model::AttentionKind;
using model::LayerKind;

void CohereLike(const Fields& f, model::Architecture& a) {
  LlamaLike(f, a, true);
  HeadDim(f, a, 0, false);  // hidden / heads unless given
  const bool bias = f.BoolOr({"attention_bias"}, false);
  a.q_bias = a.k_bias = a.v_bias = a.o_bias = bias;
  a.norm = model::NormKind::kLayerNormNoBias;  // CohereLayerNorm: no bias
  a.norms_per_block = 1;  // attention and MLP read the same normed input
}

}  // namespace

void ImportCohere(const Fields& f, model::Architecture& a) {
  CohereLike(f, a);
  // use_qk_norm: q_norm [heads, head_dim], k_norm [kv_heads, head_dim].
  a.qk_norm = f.BoolOr({"use_qk_norm"}, false);
  a.qk_norm_full_width = a.qk_norm;
}

void ImportCohere2(const Fields& f, model::Architecture& a) {
  CohereLike(f, a);
  // layer_types when given, else 3 sliding : 1 global ((i + 1) % 4 != 0,
  // period 4 whatever sliding_window_pattern says in transformers 4.57);
  // sliding layers use RoPE, global layers none.
  a.sliding_window = WindowOr(f, "sliding_window", 4096);
  f.Name("sliding_window", "sliding_window");
  const std::vector<AttentionKind> types = LayerTypes(f, a.n_layers);
  if (types.empty() && a.sliding_window <= 0) return;
  SetLayerPattern(
      f, a, types.empty() ? 4 : 0, "layer_types", [&](std::int64_t i) {
        const AttentionKind k =
            types.empty() ? ((i + 1) % 4 != 0 ? AttentionKind::kSliding
                                              : AttentionKind::kFull)
                          : types[static_cast<std::size_t>(i)];
        return LayerKind{k, k != AttentionKind::kSliding};
      });
  if (!types.empty()) SetLayerPatternFromTypes(f, a, types);
}

}  // namespace scalesim::io::hf

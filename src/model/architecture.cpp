#include "scalesim/model/architecture.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "scalesim/core/enum_names.hpp"
#include "scalesim/core/error.hpp"

namespace scalesim::model {

LayerKind PatternAt(const std::vector<LayerKind>& pattern, std::int64_t i) {
  if (pattern.empty() || i < 0) return {};
  return pattern[static_cast<std::size_t>(
      i % static_cast<std::int64_t>(pattern.size()))];
}

std::vector<LayerKind> ShortestPeriod(const std::vector<LayerKind>& layers) {
  const std::size_t n = layers.size();
  if (std::all_of(layers.begin(), layers.end(), [](const LayerKind& k) {
        return k == LayerKind{};
      })) {
    return {};
  }
  for (std::size_t p = 1; p < n; ++p) {
    bool repeats = true;
    for (std::size_t i = p; i < n && repeats; ++i)
      repeats = layers[i] == layers[i % p];
    if (repeats)
      return {layers.begin(), layers.begin() + static_cast<std::ptrdiff_t>(p)};
  }
  return layers;
}

MlpKind ParseMlpKind(std::string_view text) {
  return ParseEnumName(text, kMlpNames, "mlp");
}
NormKind ParseNormKind(std::string_view text) {
  return ParseEnumName(text, kNormNames, "norm");
}
PositionKind ParsePositionKind(std::string_view text) {
  return ParseEnumName(text, kPositionNames, "position");
}
std::string_view ToString(MlpKind kind) { return EnumName(kind, kMlpNames); }
std::string_view ToString(NormKind kind) { return EnumName(kind, kNormNames); }
std::string_view ToString(PositionKind kind) {
  return EnumName(kind, kPositionNames);
}
std::string_view ToString(AttentionKind kind) {
  return EnumName(kind, kAttentionKindNames);
}
std::string ToString(const LayerKind& kind) {
  return std::string(ToString(kind.attention)) + (kind.nope ? "-nope" : "");
}
LayerKind ParseLayerKind(std::string_view text, std::string_view field) {
  LayerKind k;
  constexpr std::string_view kNope = "-nope";
  if (text.size() > kNope.size() &&
      text.substr(text.size() - kNope.size()) == kNope) {
    k.nope = true;
    text = text.substr(0, text.size() - kNope.size());
  }
  k.attention = ParseEnumName(text, kAttentionKindNames, field);
  return k;
}

std::int64_t Architecture::NumLayersOf(AttentionKind kind) const {
  return NumLayersOfBelow(kind, n_layers);
}

std::int64_t Architecture::NumLayersOfBelow(AttentionKind kind,
                                            std::int64_t end) const {
  end = std::clamp<std::int64_t>(end, 0, n_layers);
  if (layer_pattern.empty()) return kind == AttentionKind::kFull ? end : 0;
  // Arithmetic: whole periods, then the rest of one.
  const auto period = static_cast<std::int64_t>(layer_pattern.size());
  std::int64_t per_period = 0;
  std::int64_t in_rest = 0;
  const std::int64_t rest = end % period;
  for (std::int64_t i = 0; i < period; ++i) {
    if (layer_pattern[static_cast<std::size_t>(i)].attention != kind) continue;
    ++per_period;
    if (i < rest) ++in_rest;
  }
  return (end / period) * per_period + in_rest;
}

std::int64_t Architecture::WindowOf(AttentionKind kind) const {
  switch (kind) {
    case AttentionKind::kSliding:
      return sliding_window;
    case AttentionKind::kChunked:
      return attention_chunk;
    case AttentionKind::kFull:
    case AttentionKind::kLinear:
      return 0;
  }
  return 0;
}

bool Architecture::IsMoeLayerIgnoringDenseList(std::int64_t index) const {
  if (!moe.enabled() || index < moe.first_dense_layers) return false;
  const std::int64_t freq = moe.layer_freq > 0 ? moe.layer_freq : 1;
  const std::int64_t offset =
      std::max<std::int64_t>(moe.layer_offset, 0) % freq;
  return (index % freq + offset) % freq == 0;
}

bool Architecture::IsMoeLayer(std::int64_t index) const {
  if (!IsMoeLayerIgnoringDenseList(index)) return false;
  for (std::int64_t dense : moe.dense_layers) {
    if (dense == index) return false;
  }
  return true;
}

std::int64_t Architecture::NumMoeLayers() const {
  return NumMoeLayersBelow(n_layers);
}

std::int64_t Architecture::NumMoeLayersBelow(std::int64_t end) const {
  // Arithmetic, not a loop over layers: n_layers comes from user files and
  // may be huge (a fuzzer found a config that took minutes to validate).
  end = std::clamp<std::int64_t>(end, 0, n_layers);
  if (!moe.enabled() || end <= moe.first_dense_layers) return 0;
  // Layers i in [first, end) with (i + offset) % freq == 0 are the
  // multiples of freq in [lo, hi) = [first + offset, end + offset):
  // ceil(hi/f) - ceil(lo/f). Unsigned, so the sums cannot overflow.
  using U = std::uint64_t;
  const U freq = static_cast<U>(moe.layer_freq > 0 ? moe.layer_freq : 1);
  const U offset =
      static_cast<U>(std::max<std::int64_t>(moe.layer_offset, 0)) % freq;
  auto ceil_div = [freq](U x) { return x / freq + (x % freq != 0 ? 1U : 0U); };
  const U lo =
      static_cast<U>(std::max<std::int64_t>(moe.first_dense_layers, 0)) +
      offset;
  const U hi = static_cast<U>(end) + offset;
  auto count = static_cast<std::int64_t>(ceil_div(hi) - ceil_div(lo));
  std::vector<std::int64_t> seen;
  for (std::int64_t dense : moe.dense_layers) {
    if (dense < 0 || dense >= end) continue;
    if (std::find(seen.begin(), seen.end(), dense) != seen.end()) continue;
    seen.push_back(dense);
    if (IsMoeLayerIgnoringDenseList(dense)) --count;
  }
  return count;
}

void Validate(const Architecture& arch, std::string_view source) {
  const std::string src(source);
  auto fail = [&](std::string_view field, const std::string& problem) {
    throw InvalidInput(InputLocation{src, 0, std::string(field)}, problem);
  };
  auto positive = [&](std::string_view field, std::int64_t value) {
    if (value <= 0)
      fail(field, "must be a positive integer, got " + std::to_string(value));
  };
  auto non_negative = [&](std::string_view field, std::int64_t value) {
    if (value < 0)
      fail(field, "must not be negative, got " + std::to_string(value));
  };

  positive("vocab_size", arch.vocab_size);
  positive("d_model", arch.d_model);
  positive("n_layers", arch.n_layers);
  positive("n_heads", arch.n_heads);
  non_negative("n_kv_heads", arch.n_kv_heads);
  non_negative("head_dim", arch.head_dim);
  non_negative("embed_dim", arch.embed_dim);
  non_negative("max_positions", arch.max_positions);
  non_negative("position_offset", arch.position_offset);
  non_negative("context_length", arch.context_length);
  non_negative("norms_per_block", arch.norms_per_block);
  const auto listed = [&](std::string_view field, std::size_t size) {
    if (static_cast<std::int64_t>(size) > kMaxLayerPattern) {
      fail(field,
           "lists " + std::to_string(size) + " layers, more than the " +
               std::to_string(kMaxLayerPattern) + " scalesim handles");
    }
  };
  listed("moe.dense_layers", arch.moe.dense_layers.size());
  listed("layer_pattern", arch.layer_pattern.size());

  if (arch.head_dim == 0 && !arch.mla.enabled() &&
      arch.d_model % arch.n_heads != 0) {
    fail("n_heads",
         std::to_string(arch.n_heads) + " heads do not divide d_model " +
             std::to_string(arch.d_model) + " (set head_dim explicitly)");
  }
  if (arch.n_kv_heads > arch.n_heads) {
    fail("n_kv_heads",
         std::to_string(arch.n_kv_heads) + " KV heads exceed " +
             std::to_string(arch.n_heads) + " query heads");
  }
  if (arch.n_kv_heads > 0 && arch.n_heads % arch.n_kv_heads != 0) {
    fail("n_kv_heads",
         std::to_string(arch.n_kv_heads) + " KV heads do not divide " +
             std::to_string(arch.n_heads) + " query heads");
  }
  if (arch.position == PositionKind::kLearned)
    positive("max_positions", arch.max_positions);

  const bool dense_layers_exist =
      !arch.moe.enabled() || arch.NumMoeLayers() < arch.n_layers;
  if (dense_layers_exist)
    positive("d_ff", arch.d_ff);
  else
    non_negative("d_ff", arch.d_ff);

  if (arch.moe.enabled()) {
    positive("moe.experts_per_token", arch.moe.experts_per_token);
    positive("moe.expert_d_ff", arch.moe.expert_d_ff);
    non_negative("moe.shared_experts", arch.moe.shared_experts);
    non_negative("moe.shared_expert_d_ff", arch.moe.shared_expert_d_ff);
    non_negative("moe.first_dense_layers", arch.moe.first_dense_layers);
    positive("moe.layer_freq", arch.moe.layer_freq);
    non_negative("moe.layer_offset", arch.moe.layer_offset);
    if (arch.moe.experts_per_token > arch.moe.num_experts) {
      fail("moe.experts_per_token",
           std::to_string(arch.moe.experts_per_token) + " exceeds the " +
               std::to_string(arch.moe.num_experts) + " experts");
    }
  } else {
    non_negative("moe.num_experts", arch.moe.num_experts);
  }

  if (arch.mla.enabled()) {
    non_negative("mla.q_lora_rank", arch.mla.q_lora_rank);
    non_negative("mla.qk_nope_head_dim", arch.mla.qk_nope_head_dim);
    positive("mla.qk_rope_head_dim", arch.mla.qk_rope_head_dim);
    positive("mla.v_head_dim", arch.mla.v_head_dim);
  } else {
    non_negative("mla.kv_lora_rank", arch.mla.kv_lora_rank);
  }

  if (static_cast<std::int64_t>(arch.layer_pattern.size()) > arch.n_layers) {
    fail("layer_pattern",
         "has " + std::to_string(arch.layer_pattern.size()) + " entries for " +
             std::to_string(arch.n_layers) + " layers");
  }
  non_negative("sliding_window", arch.sliding_window);
  non_negative("attention_chunk", arch.attention_chunk);
  non_negative("vision_tower_params", arch.vision_tower_params);
  non_negative("multimodal_projector_params", arch.multimodal_projector_params);
  if (arch.NumLayersOf(AttentionKind::kSliding) > 0)
    positive("sliding_window", arch.sliding_window);
  if (arch.NumLayersOf(AttentionKind::kChunked) > 0)
    positive("attention_chunk", arch.attention_chunk);
  const LinearAttentionConfig& l = arch.linear_attention;
  if (arch.NumLayersOf(AttentionKind::kLinear) > 0) {
    positive("linear_attention.num_key_heads", l.num_key_heads);
    positive("linear_attention.num_value_heads", l.num_value_heads);
    positive("linear_attention.key_head_dim", l.key_head_dim);
    positive("linear_attention.value_head_dim", l.value_head_dim);
    positive("linear_attention.conv_kernel", l.conv_kernel);
    if (l.num_value_heads % l.num_key_heads != 0) {
      fail("linear_attention.num_value_heads",
           std::to_string(l.num_value_heads) + " value heads are not a " +
               "multiple of " + std::to_string(l.num_key_heads) + " key heads");
    }
  } else {
    non_negative("linear_attention.num_value_heads", l.num_value_heads);
  }
  if (arch.qk_norm_full_width && !arch.qk_norm) {
    fail("qk_norm_full_width", "needs qk_norm");
  }
  if (arch.indexer.enabled()) {
    positive("indexer.head_dim", arch.indexer.head_dim);
    non_negative("indexer.topk", arch.indexer.topk);
    if (!arch.mla.enabled() || arch.mla.q_lora_rank <= 0) {
      fail("indexer.n_heads",
           "the DSA indexer reads the query latent: it needs MLA with a "
           "q_lora_rank");
    }
  } else {
    non_negative("indexer.n_heads", arch.indexer.n_heads);
  }
}

}  // namespace scalesim::model

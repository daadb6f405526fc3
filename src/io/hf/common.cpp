#include "io/hf/common.hpp"

#include <algorithm>
#include <set>
#include <string>

namespace scalesim::io::hf {

using model::AttentionKind;
using model::LayerKind;
using model::MlpKind;
using model::NormKind;
using model::PositionKind;

void LlamaBase(const Fields& f, model::Architecture& a, bool default_tied) {
  a.vocab_size = f.Require("vocab_size", {"vocab_size"});
  a.d_model = f.Require("d_model", {"hidden_size"});
  a.n_layers = f.Require("n_layers", {"num_hidden_layers"});
  a.n_heads = f.Require("n_heads", {"num_attention_heads"});
  a.mlp = MlpKind::kGated;
  a.activation = f.Str({"hidden_act", "hidden_activation"}).value_or("silu");
  a.norm = NormKind::kRmsNorm;
  a.norms_per_block = 2;
  a.final_norm = true;
  a.position = PositionKind::kRotary;
  a.tied_embeddings = f.BoolOr({"tie_word_embeddings"}, default_tied);
  a.context_length = f.IntOr({"max_position_embeddings"}, 0);
}

void LlamaLike(const Fields& f, model::Architecture& a, bool default_tied) {
  LlamaBase(f, a, default_tied);
  a.n_kv_heads = f.Or("n_kv_heads", {"num_key_value_heads"}, a.n_heads);
  a.head_dim = f.Or("head_dim", {"head_dim"}, 0);
  a.d_ff = f.Require("d_ff", {"intermediate_size"});
}

RopeLayers ReadRopeLayers(const Fields& f, std::int64_t n_layers) {
  RopeLayers r;
  r.listed = f.IntList("no_rope_layers");
  r.interval = f.IntOr({"no_rope_layer_interval"}, 4);
  if (!r.listed.empty() &&
      static_cast<std::int64_t>(r.listed.size()) != n_layers) {
    f.Fail("no_rope_layers",
           "lists " + std::to_string(r.listed.size()) + " layers, but " +
               "num_hidden_layers is " + std::to_string(n_layers));
  }
  if (r.listed.empty() && r.interval <= 0) {
    f.Fail("no_rope_layer_interval",
           "must be a positive integer, got " + std::to_string(r.interval));
  }
  return r;
}

void ExpertsOfIntermediateSize(const Fields& f,
                               model::Architecture& a,
                               std::initializer_list<const char*> experts) {
  a.moe.num_experts = f.Require("moe.num_experts", experts);
  a.moe.experts_per_token =
      f.Require("moe.experts_per_token", {"num_experts_per_tok"});
  a.moe.expert_d_ff = a.d_ff;
  f.Name("moe.expert_d_ff", "intermediate_size");
  a.d_ff = 0;
}

void DeepseekMoe(const Fields& f,
                 model::Architecture& a,
                 std::int64_t shared_default,
                 std::int64_t first_dense_default) {
  a.moe.experts_per_token =
      f.Require("moe.experts_per_token", {"num_experts_per_tok"});
  a.moe.expert_d_ff = f.Require("moe.expert_d_ff", {"moe_intermediate_size"});
  a.moe.shared_experts =
      f.Or("moe.shared_experts", {"n_shared_experts"}, shared_default);
  a.moe.first_dense_layers = f.Or(
      "moe.first_dense_layers", {"first_k_dense_replace"}, first_dense_default);
}

void KvHeads(const Fields& f,
             model::Architecture& a,
             std::int64_t absent,
             bool null_is_heads) {
  if (f.IsNull("num_key_value_heads")) {
    if (!null_is_heads) {
      f.Fail("num_key_value_heads",
             "is null; this family's configuration class has no fallback "
             "for it (give the number of key/value heads)");
    }
    f.Name("n_kv_heads", "num_key_value_heads");
    a.n_kv_heads = a.n_heads;
    return;
  }
  a.n_kv_heads = f.Or(
      "n_kv_heads", {"num_key_value_heads"}, absent > 0 ? absent : a.n_heads);
}

void HeadDim(const Fields& f,
             model::Architecture& a,
             std::int64_t absent,
             bool null_is_derived) {
  f.Name("head_dim", "head_dim");
  if (f.IsNull("head_dim")) {
    if (!null_is_derived) {
      f.Fail("head_dim",
             "is null; this family's configuration class has no fallback "
             "for it (give the width of one head)");
    }
    a.head_dim = 0;
    return;
  }
  a.head_dim = f.Or("head_dim", {"head_dim"}, absent);
}

void AttentionBias(const Fields& f,
                   model::Architecture& a,
                   bool fallback,
                   bool o_too) {
  const bool bias = f.BoolOr({"attention_bias"}, fallback);
  a.q_bias = a.k_bias = a.v_bias = bias;
  a.o_bias = o_too && bias;
}

std::vector<AttentionKind> LayerTypes(const Fields& f, std::int64_t n_layers) {
  const std::vector<std::string> names = f.StrList("layer_types");
  std::vector<AttentionKind> out;
  if (names.empty()) return out;
  if (static_cast<std::int64_t>(names.size()) != n_layers) {
    f.Fail("layer_types",
           "lists " + std::to_string(names.size()) + " layers, but " +
               "num_hidden_layers is " + std::to_string(n_layers));
  }
  for (const std::string& n : names) {
    if (n == "full_attention" || n == "deepseek_sparse_attention") {
      out.push_back(AttentionKind::kFull);
    } else if (n == "sliding_attention") {
      out.push_back(AttentionKind::kSliding);
    } else if (n == "chunked_attention") {
      out.push_back(AttentionKind::kChunked);
    } else if (n == "linear_attention") {
      out.push_back(AttentionKind::kLinear);
    } else {
      f.Fail("layer_types",
             "unknown layer type '" + n +
                 "' (known: full_attention, sliding_attention, "
                 "chunked_attention, linear_attention)");
    }
  }
  return out;
}

void SetLayerPattern(
    const Fields& f,
    model::Architecture& a,
    std::int64_t period,
    const char* key,
    const std::function<model::LayerKind(std::int64_t)>& kind_of) {
  std::int64_t count = a.n_layers;
  if (period > 0 && period < a.n_layers) count = period;
  if (count > model::kMaxLayerPattern) {
    f.Fail(key,
           "a per-layer attention pattern is limited to " +
               std::to_string(model::kMaxLayerPattern) + " layers, got " +
               std::to_string(count));
  }
  std::vector<LayerKind> layers;
  layers.reserve(static_cast<std::size_t>(std::max<std::int64_t>(count, 0)));
  for (std::int64_t i = 0; i < count; ++i) layers.push_back(kind_of(i));
  a.layer_pattern = model::ShortestPeriod(layers);
}

void SetLayerPatternFromTypes(const Fields& f,
                              model::Architecture& a,
                              const std::vector<AttentionKind>& types) {
  if (types.empty()) return;
  const bool sliding =
      std::count(types.begin(), types.end(), AttentionKind::kSliding) > 0;
  const bool chunked =
      std::count(types.begin(), types.end(), AttentionKind::kChunked) > 0;
  if (sliding && a.sliding_window <= 0) {
    f.Fail("sliding_window",
           "layer_types has sliding_attention layers but no window is set");
  }
  if (chunked && a.attention_chunk <= 0) {
    f.Fail("attention_chunk_size",
           "layer_types has chunked_attention layers but no chunk is set");
  }
  std::vector<LayerKind> old = a.layer_pattern;
  SetLayerPattern(f, a, 0, "layer_types", [&](std::int64_t i) {
    LayerKind k = model::PatternAt(old, i);
    k.attention = types[static_cast<std::size_t>(i)];
    return k;
  });
}

void SlidingEverywhere(model::Architecture& a, std::int64_t window) {
  if (window <= 0) return;
  a.sliding_window = window;
  a.layer_pattern = {LayerKind{AttentionKind::kSliding, false}};
}

std::int64_t WindowOr(const Fields& f, const char* key, std::int64_t fallback) {
  if (f.IsNull(key)) return 0;
  return f.IntOr({key}, fallback);
}

void SetMoeLayers(const Fields& f,
                  model::Architecture& a,
                  const std::vector<std::int64_t>& moe_layers,
                  const char* key) {
  const std::set<std::int64_t> moe(moe_layers.begin(), moe_layers.end());
  for (std::int64_t i : moe) {
    if (i < 0 || i >= a.n_layers) {
      f.Fail(key,
             "layer " + std::to_string(i) + " is outside 0.." +
                 std::to_string(a.n_layers - 1));
    }
  }
  a.moe.first_dense_layers = 0;
  a.moe.dense_layers.clear();
  if (moe.empty()) {
    a.moe.num_experts = 0;  // every layer dense
    return;
  }
  // The step s with MoE layers exactly {i : (i + 1) % s == 0}: the first
  // MoE layer is s - 1.
  const std::int64_t step = *moe.begin() + 1;
  if (static_cast<std::int64_t>(moe.size()) == a.n_layers / step) {
    bool all = true;
    for (std::int64_t i : moe) all = all && (i + 1) % step == 0;
    if (all) {
      a.moe.layer_freq = step;
      a.moe.layer_offset = 1;
      return;
    }
  }
  if (a.n_layers > model::kMaxLayerPattern) {
    f.Fail(key,
           "an irregular list of MoE layers is limited to " +
               std::to_string(model::kMaxLayerPattern) + " layers");
  }
  a.moe.layer_freq = 1;
  a.moe.layer_offset = 0;
  for (std::int64_t i = 0; i < a.n_layers; ++i) {
    if (moe.count(i) == 0U) a.moe.dense_layers.push_back(i);
  }
}

}  // namespace scalesim::io::hf

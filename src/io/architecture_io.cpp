#include "scalesim/io/architecture_io.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "scalesim/core/error.hpp"
#include "scalesim/core/names.hpp"
#include "scalesim/io/embedded.hpp"
#include "scalesim/model/architecture.hpp"

#include "io/hf/fields.hpp"
#include "io/hf/registry.hpp"
#include "io/json_text.hpp"

namespace scalesim::io {
namespace {

using json = nlohmann::json;
using model::Architecture;
using model::MlpKind;
using model::NormKind;
using model::PositionKind;

// Parses JSON text; a syntax error names the line.
json ParseJson(std::string_view text, std::string_view source) {
  return internal::ParseJsonText(text, source);
}

using hf::Fields;

// ---------------------------------------------------------------------------
// scalesim's own schema.

template <typename Parse>
auto ParseEnumField(const Fields& f, const char* key, Parse parse) {
  auto text = f.Str({key});
  try {
    return parse(*text);
  } catch (const InvalidInput& e) {
    f.Fail(key, "unknown value '" + Excerpt(*text) + "'");
  }
}

void ApplyScalesimJson(const json& obj,
                       const std::string& source,
                       Architecture& a) {
  if (!obj.is_object())
    throw InvalidInput(InputLocation{source, 0, ""}, "expected a JSON object");
  static const std::vector<std::string> kKeys = {"name",
                                                 "description",
                                                 "source",
                                                 "family",
                                                 "vocab_size",
                                                 "d_model",
                                                 "n_layers",
                                                 "n_heads",
                                                 "n_kv_heads",
                                                 "head_dim",
                                                 "d_ff",
                                                 "mlp",
                                                 "activation",
                                                 "attention_bias",
                                                 "q_bias",
                                                 "k_bias",
                                                 "v_bias",
                                                 "o_bias",
                                                 "mlp_bias",
                                                 "lm_head_bias",
                                                 "qk_norm",
                                                 "norm",
                                                 "norms_per_block",
                                                 "final_norm",
                                                 "embedding_norm",
                                                 "position",
                                                 "max_positions",
                                                 "position_offset",
                                                 "tied_embeddings",
                                                 "embed_dim",
                                                 "context_length",
                                                 "moe",
                                                 "mla",
                                                 "qk_norm_full_width",
                                                 "attention_sinks",
                                                 "attention_output_gate",
                                                 "layer_pattern",
                                                 "sliding_window",
                                                 "attention_chunk",
                                                 "linear_attention",
                                                 "indexer",
                                                 "vision_tower_params",
                                                 "multimodal_projector_params"};
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (std::find(kKeys.begin(), kKeys.end(), it.key()) == kKeys.end()) {
      throw InvalidInput(InputLocation{source, 0, Excerpt(it.key())},
                         "unknown field");
    }
  }
  const Fields f(obj, source);
  if (auto s = f.Str({"name"})) a.name = *s;
  a.vocab_size = f.IntOr({"vocab_size"}, a.vocab_size);
  a.d_model = f.IntOr({"d_model"}, a.d_model);
  a.n_layers = f.IntOr({"n_layers"}, a.n_layers);
  a.n_heads = f.IntOr({"n_heads"}, a.n_heads);
  a.n_kv_heads = f.IntOr({"n_kv_heads"}, a.n_kv_heads);
  a.head_dim = f.IntOr({"head_dim"}, a.head_dim);
  a.d_ff = f.IntOr({"d_ff"}, a.d_ff);
  if (f.Find({"mlp"})) a.mlp = ParseEnumField(f, "mlp", model::ParseMlpKind);
  if (auto s = f.Str({"activation"})) a.activation = *s;
  if (f.Find({"attention_bias"})) {
    const bool b = f.BoolOr({"attention_bias"}, false);
    a.q_bias = a.k_bias = a.v_bias = a.o_bias = b;
  }
  a.q_bias = f.BoolOr({"q_bias"}, a.q_bias);
  a.k_bias = f.BoolOr({"k_bias"}, a.k_bias);
  a.v_bias = f.BoolOr({"v_bias"}, a.v_bias);
  a.o_bias = f.BoolOr({"o_bias"}, a.o_bias);
  a.mlp_bias = f.BoolOr({"mlp_bias"}, a.mlp_bias);
  a.lm_head_bias = f.BoolOr({"lm_head_bias"}, a.lm_head_bias);
  a.qk_norm = f.BoolOr({"qk_norm"}, a.qk_norm);
  a.qk_norm_full_width = f.BoolOr({"qk_norm_full_width"}, a.qk_norm_full_width);
  a.attention_sinks = f.BoolOr({"attention_sinks"}, a.attention_sinks);
  a.attention_output_gate =
      f.BoolOr({"attention_output_gate"}, a.attention_output_gate);
  if (f.Find({"layer_pattern"})) {
    a.layer_pattern.clear();
    for (const std::string& name : f.StrList("layer_pattern")) {
      try {
        a.layer_pattern.push_back(model::ParseLayerKind(name, "layer_pattern"));
      } catch (const InvalidInput& e) {
        f.Fail("layer_pattern", e.problem());
      }
    }
  }
  a.sliding_window = f.IntOr({"sliding_window"}, a.sliding_window);
  a.attention_chunk = f.IntOr({"attention_chunk"}, a.attention_chunk);
  a.vision_tower_params =
      f.IntOr({"vision_tower_params"}, a.vision_tower_params);
  a.multimodal_projector_params =
      f.IntOr({"multimodal_projector_params"}, a.multimodal_projector_params);
  if (std::optional<Fields> l = f.Object("linear_attention")) {
    model::LinearAttentionConfig& c = a.linear_attention;
    c.num_key_heads = l->IntOr({"num_key_heads"}, c.num_key_heads);
    c.num_value_heads = l->IntOr({"num_value_heads"}, c.num_value_heads);
    c.key_head_dim = l->IntOr({"key_head_dim"}, c.key_head_dim);
    c.value_head_dim = l->IntOr({"value_head_dim"}, c.value_head_dim);
    c.conv_kernel = l->IntOr({"conv_kernel"}, c.conv_kernel);
  }
  if (std::optional<Fields> x = f.Object("indexer")) {
    a.indexer.n_heads = x->IntOr({"n_heads"}, a.indexer.n_heads);
    a.indexer.head_dim = x->IntOr({"head_dim"}, a.indexer.head_dim);
    a.indexer.topk = x->IntOr({"topk"}, a.indexer.topk);
  }
  if (f.Find({"norm"}))
    a.norm = ParseEnumField(f, "norm", model::ParseNormKind);
  a.norms_per_block = f.IntOr({"norms_per_block"}, a.norms_per_block);
  a.final_norm = f.BoolOr({"final_norm"}, a.final_norm);
  a.embedding_norm = f.BoolOr({"embedding_norm"}, a.embedding_norm);
  if (f.Find({"position"}))
    a.position = ParseEnumField(f, "position", model::ParsePositionKind);
  a.max_positions = f.IntOr({"max_positions"}, a.max_positions);
  a.position_offset = f.IntOr({"position_offset"}, a.position_offset);
  a.tied_embeddings = f.BoolOr({"tied_embeddings"}, a.tied_embeddings);
  a.embed_dim = f.IntOr({"embed_dim"}, a.embed_dim);
  a.context_length = f.IntOr({"context_length"}, a.context_length);
  if (const json* moe = f.Find({"moe"})) {
    if (!moe->is_object()) f.Fail("moe", "must be an object");
    const Fields m(*moe, source, "moe.");
    a.moe.num_experts = m.IntOr({"num_experts"}, a.moe.num_experts);
    a.moe.experts_per_token =
        m.IntOr({"experts_per_token"}, a.moe.experts_per_token);
    a.moe.shared_experts = m.IntOr({"shared_experts"}, a.moe.shared_experts);
    a.moe.expert_d_ff = m.IntOr({"expert_d_ff"}, a.moe.expert_d_ff);
    a.moe.shared_expert_d_ff =
        m.IntOr({"shared_expert_d_ff"}, a.moe.shared_expert_d_ff);
    a.moe.shared_expert_gate =
        m.BoolOr({"shared_expert_gate"}, a.moe.shared_expert_gate);
    a.moe.router_bias = m.BoolOr({"router_bias"}, a.moe.router_bias);
    a.moe.first_dense_layers =
        m.IntOr({"first_dense_layers"}, a.moe.first_dense_layers);
    a.moe.layer_freq = m.IntOr({"layer_freq"}, a.moe.layer_freq);
    a.moe.layer_offset = m.IntOr({"layer_offset"}, a.moe.layer_offset);
    if (m.Find({"dense_layers"}))
      a.moe.dense_layers = m.IntList("dense_layers");
  }
  if (const json* mla = f.Find({"mla"})) {
    if (!mla->is_object()) f.Fail("mla", "must be an object");
    const Fields m(*mla, source, "mla.");
    a.mla.q_lora_rank = m.IntOr({"q_lora_rank"}, a.mla.q_lora_rank);
    a.mla.kv_lora_rank = m.IntOr({"kv_lora_rank"}, a.mla.kv_lora_rank);
    a.mla.qk_nope_head_dim =
        m.IntOr({"qk_nope_head_dim"}, a.mla.qk_nope_head_dim);
    a.mla.qk_rope_head_dim =
        m.IntOr({"qk_rope_head_dim"}, a.mla.qk_rope_head_dim);
    a.mla.v_head_dim = m.IntOr({"v_head_dim"}, a.mla.v_head_dim);
  }
}

// ---------------------------------------------------------------------------
// Presets: data/models/*.json hold {"family", "source", "defaults": {...},
// "presets": [{...}, ...]}; each preset is defaults overlaid by its entry.

struct PresetEntry {
  PresetInfo info;
  json fields;  // merged
  std::string file;
};

const std::vector<PresetEntry>& Presets() {
  static const std::vector<PresetEntry> kPresets = [] {
    std::vector<PresetEntry> out;
    for (std::string_view path : EmbeddedPaths("models/")) {
      const std::string src = "data/" + std::string(path);
      const json doc = ParseJson(*EmbeddedData(path), src);
      const json defaults = doc.value("defaults", json::object());
      for (const json& entry : doc.at("presets")) {
        json merged = defaults;
        merged.merge_patch(entry);
        PresetEntry p;
        p.info.name = merged.at("name").get<std::string>();
        p.info.family = doc.value("family", "");
        p.info.description = merged.value("description", "");
        p.info.source = merged.value("source", doc.value("source", ""));
        p.fields = std::move(merged);
        p.file = src;
        out.push_back(std::move(p));
      }
    }
    return out;
  }();
  return kPresets;
}

// By name, ignoring case; an unknown name is an error about the field
// `preset` with the closest name as a suggestion.
const PresetEntry& FindPreset(std::string_view name) {
  std::vector<std::string> names;
  for (const PresetEntry& p : Presets()) names.push_back(p.info.name);
  if (const auto i = FindIgnoringCase(name, names)) return Presets()[*i];
  throw InvalidInput(InputLocation{"", 0, "preset"},
                     "unknown preset '" + std::string(name) + "'" +
                         DidYouMean(name, names) +
                         " (scalesim params --list shows the presets)");
}

}  // namespace

Architecture ArchitectureFromJson(std::string_view text,
                                  std::string_view source) {
  const std::string src(source);
  const json doc = ParseJson(text, source);
  Architecture a;
  ApplyScalesimJson(doc, src, a);
  model::Validate(a, src);
  return a;
}

Architecture ArchitectureFromHfConfig(std::string_view text,
                                      std::string_view source) {
  const std::string src(source);
  const json doc = ParseJson(text, source);
  if (!doc.is_object())
    throw InvalidInput(InputLocation{src, 0, ""}, "expected a JSON object");
  const Fields f(doc, src);
  const auto type = f.Str({"model_type"});
  if (!type) f.Fail("model_type", "missing required field");
  const hf::Family* family = hf::FindFamily(*type);
  if (family == nullptr) {
    std::string valid;
    for (const hf::Family& fam : hf::Families())
      valid += (valid.empty() ? "" : ", ") + std::string(fam.model_type);
    f.Fail("model_type",
           "unsupported model_type '" + Excerpt(*type) + "'" +
               DidYouMean(*type, SupportedHfModelTypes()) + " (supported: " +
               valid + ")");
  }
  Architecture a;
  a.name = *type;
  family->import(f, a);
  try {
    model::Validate(a, src);
  } catch (const InvalidInput& e) {
    // Name the key of the user's file, not scalesim's field.
    auto key = f.names().find(e.where().field);
    if (key == f.names().end()) throw;
    throw InvalidInput(InputLocation{src, 0, key->second}, e.problem());
  }
  return a;
}

std::vector<std::string> SupportedHfModelTypes() {
  std::vector<std::string> out;
  for (const hf::Family& fam : hf::Families()) out.emplace_back(fam.model_type);
  return out;
}

std::vector<PresetInfo> ListPresets() {
  std::vector<PresetInfo> out;
  for (const PresetEntry& p : Presets()) out.push_back(p.info);
  return out;
}

Architecture LoadPreset(std::string_view name) {
  const PresetEntry& p = FindPreset(name);
  json fields = p.fields;
  Architecture a;
  ApplyScalesimJson(fields, p.file + " preset " + p.info.name, a);
  model::Validate(a, p.file);
  return a;
}

PresetInfo PresetInfoFor(std::string_view name) {
  return FindPreset(name).info;
}

}  // namespace scalesim::io

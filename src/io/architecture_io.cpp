#include "scalesim/io/architecture_io.hpp"

#include <algorithm>
#include <climits>
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

// Reads typed fields of one JSON object, naming source and field in errors.
class Fields {
 public:
  Fields(const json& obj, std::string source, std::string prefix = "")
      : obj_(obj), source_(std::move(source)), prefix_(std::move(prefix)) {}

  // A value as text for messages, bounded (internal::ShowJson).
  static std::string Show(const json& v) { return internal::ShowJson(v); }

  [[noreturn]] void Fail(const std::string& key,
                         const std::string& problem) const {
    throw InvalidInput(InputLocation{source_, 0, prefix_ + key}, problem);
  }

  // First key present with a non-null value.
  const json* Find(std::initializer_list<const char*> keys,
                   std::string* found = nullptr) const {
    for (const char* k : keys) {
      auto it = obj_.find(k);
      if (it != obj_.end() && !it->is_null()) {
        if (found != nullptr) *found = k;
        return &*it;
      }
    }
    return nullptr;
  }

  std::optional<std::int64_t> Int(std::initializer_list<const char*> keys,
                                  std::string* found = nullptr) const {
    std::string key;
    const json* v = Find(keys, &key);
    if (found != nullptr) *found = key;
    if (v == nullptr) return std::nullopt;
    if (const auto i = AsInt64(*v)) return *i;
    if (v->is_number_integer()) {
      // An unsigned JSON integer beyond int64 (18446744073709551615) is
      // shown as written, not wrapped to -1.
      Fail(key, "must be an integer below 2^63, got " + Show(*v));
    }
    if (v->is_number_float()) {
      const double d = v->get<double>();
      if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e18) {
        return static_cast<std::int64_t>(d);
      }
    }
    Fail(key, "must be an integer, got " + Show(*v));
  }
  // `found` receives the key the value came from (for messages about it).
  std::int64_t RequireInt(std::initializer_list<const char*> keys,
                          std::string* found = nullptr) const {
    auto v = Int(keys, found);
    if (!v) Fail(*keys.begin(), "missing required field");
    return *v;
  }
  std::int64_t IntOr(std::initializer_list<const char*> keys,
                     std::int64_t fallback) const {
    return Int(keys).value_or(fallback);
  }
  // A value that, when given, must be positive: for fields where 0 would
  // otherwise silently mean "derive it" (num_key_value_heads: 0 is not
  // "as many as the query heads").
  std::int64_t PositiveIntOr(std::initializer_list<const char*> keys,
                             std::int64_t fallback) const {
    std::string key;
    const auto v = Int(keys, &key);
    if (!v) return fallback;
    if (*v <= 0)
      Fail(key, "must be a positive integer, got " + std::to_string(*v));
    return *v;
  }
  // factor * (the integer at `key`), checked: names `key` (the field the
  // user gave) when the product overflows int64.
  std::int64_t Times(std::int64_t factor,
                     std::int64_t value,
                     const std::string& key,
                     const std::string& what) const {
    std::int64_t out = 0;
    if (__builtin_mul_overflow(factor, value, &out)) {
      Fail(key,
           what + " = " + std::to_string(factor) + " * " +
               std::to_string(value) + " overflows a 64-bit integer");
    }
    return out;
  }
  bool BoolOr(std::initializer_list<const char*> keys, bool fallback) const {
    std::string key;
    const json* v = Find(keys, &key);
    if (v == nullptr) return fallback;
    if (!v->is_boolean()) Fail(key, "must be true or false, got " + Show(*v));
    return v->get<bool>();
  }
  std::optional<std::string> Str(
      std::initializer_list<const char*> keys) const {
    std::string key;
    const json* v = Find(keys, &key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_string()) Fail(key, "must be a string, got " + Show(*v));
    return v->get<std::string>();
  }
  std::vector<std::int64_t> IntList(const char* key) const {
    std::vector<std::int64_t> out;
    const json* v = Find({key});
    if (v == nullptr) return out;
    if (!v->is_array()) Fail(key, "must be a list of integers");
    for (const json& e : *v) {
      const auto i = AsInt64(e);
      if (!e.is_number_integer() || !i) Fail(key, "must be a list of integers");
      out.push_back(*i);
    }
    return out;
  }
  const std::string& source() const { return source_; }

 private:
  // A JSON integer that fits int64 (nlohmann stores 2^63 and above as an
  // unsigned number, and get<int64_t>() would wrap it).
  static std::optional<std::int64_t> AsInt64(const json& v) {
    if (v.is_number_unsigned()) {
      const auto u = v.get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
      return static_cast<std::int64_t>(u);
    }
    if (v.is_number_integer()) return v.get<std::int64_t>();
    return std::nullopt;
  }

  const json& obj_;
  std::string source_;
  std::string prefix_;
};

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
                                                 "mla"};
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
// Hugging Face families. Defaults follow transformers' *Config classes.

struct Common {
  const char* hidden = "hidden_size";
  const char* layers = "num_hidden_layers";
  const char* heads = "num_attention_heads";
};

void LlamaLike(const Fields& f, Architecture& a, bool default_tied) {
  a.vocab_size = f.RequireInt({"vocab_size"});
  a.d_model = f.RequireInt({"hidden_size"});
  a.n_layers = f.RequireInt({"num_hidden_layers"});
  a.n_heads = f.RequireInt({"num_attention_heads"});
  a.n_kv_heads = f.PositiveIntOr({"num_key_value_heads"}, a.n_heads);
  a.head_dim = f.IntOr({"head_dim"}, 0);
  a.d_ff = f.RequireInt({"intermediate_size"});
  a.mlp = MlpKind::kGated;
  a.activation = f.Str({"hidden_act", "hidden_activation"}).value_or("silu");
  a.norm = NormKind::kRmsNorm;
  a.norms_per_block = 2;
  a.final_norm = true;
  a.position = PositionKind::kRotary;
  a.tied_embeddings = f.BoolOr({"tie_word_embeddings"}, default_tied);
  a.context_length = f.IntOr({"max_position_embeddings"}, 0);
}

void ImportGpt2(const Fields& f, Architecture& a) {
  a.vocab_size = f.RequireInt({"vocab_size"});
  std::string width_key;
  a.d_model = f.RequireInt({"n_embd", "hidden_size"}, &width_key);
  a.n_layers = f.RequireInt({"n_layer", "num_hidden_layers"});
  a.n_heads = f.RequireInt({"n_head", "num_attention_heads"});
  // n_inner null means 4 * n_embd (GPT2MLP).
  if (const auto inner = f.Int({"n_inner"})) {
    a.d_ff = *inner;
  } else {
    a.d_ff = f.Times(4, a.d_model, width_key, "d_ff (n_inner unset)");
  }
  a.max_positions = f.RequireInt({"n_positions", "max_position_embeddings"});
  a.context_length = f.IntOr({"n_ctx"}, a.max_positions);
  a.mlp = MlpKind::kStandard;
  a.activation = f.Str({"activation_function"}).value_or("gelu_new");
  a.q_bias = a.k_bias = a.v_bias = a.o_bias = a.mlp_bias = true;
  a.norm = NormKind::kLayerNorm;
  a.position = PositionKind::kLearned;
  a.tied_embeddings = f.BoolOr({"tie_word_embeddings"}, true);
}

void ImportGptNeox(const Fields& f, Architecture& a) {
  a.vocab_size = f.RequireInt({"vocab_size"});
  a.d_model = f.RequireInt({"hidden_size"});
  a.n_layers = f.RequireInt({"num_hidden_layers"});
  a.n_heads = f.RequireInt({"num_attention_heads"});
  a.d_ff = f.RequireInt({"intermediate_size"});
  a.mlp = MlpKind::kStandard;
  a.activation = f.Str({"hidden_act"}).value_or("gelu");
  const bool bias = f.BoolOr({"attention_bias"}, true);
  a.q_bias = a.k_bias = a.v_bias = a.o_bias = bias;
  a.mlp_bias = true;
  a.norm = NormKind::kLayerNorm;
  a.position = PositionKind::kRotary;
  a.tied_embeddings = f.BoolOr({"tie_word_embeddings"}, false);
  a.context_length = f.IntOr({"max_position_embeddings"}, 0);
}

void ImportLlama(const Fields& f, Architecture& a) {
  LlamaLike(f, a, false);
  const bool bias = f.BoolOr({"attention_bias"}, false);
  a.q_bias = a.k_bias = a.v_bias = a.o_bias = bias;
  a.mlp_bias = f.BoolOr({"mlp_bias"}, false);
}

void ImportMistral(const Fields& f, Architecture& a) { LlamaLike(f, a, false); }

void ImportMixtral(const Fields& f, Architecture& a) {
  LlamaLike(f, a, false);
  a.moe.num_experts = f.RequireInt({"num_local_experts"});
  a.moe.experts_per_token = f.RequireInt({"num_experts_per_tok"});
  a.moe.expert_d_ff = a.d_ff;
}

void ImportQwen2(const Fields& f, Architecture& a) {
  LlamaLike(f, a, false);
  a.q_bias = a.k_bias = a.v_bias =
      true;  // Qwen2Attention: q/k/v bias, o without
  a.o_bias = false;
}

void ImportQwen2Moe(const Fields& f, Architecture& a) {
  ImportQwen2(f, a);
  a.moe.num_experts = f.IntOr({"num_experts"}, 0);
  if (a.moe.num_experts > 0) {
    a.moe.experts_per_token = f.RequireInt({"num_experts_per_tok"});
    a.moe.expert_d_ff = f.RequireInt({"moe_intermediate_size"});
    const std::int64_t shared = f.IntOr({"shared_expert_intermediate_size"}, 0);
    if (shared > 0) {
      a.moe.shared_experts = 1;
      a.moe.shared_expert_d_ff = shared;
      a.moe.shared_expert_gate =
          true;  // sigmoid gate Linear(d_model, 1), no bias
    }
    // Qwen2MoeDecoderLayer: MoE iff idx not in mlp_only_layers and
    // (idx + 1) % decoder_sparse_step == 0.
    a.moe.layer_freq = f.IntOr({"decoder_sparse_step"}, 1);
    a.moe.layer_offset = 1;
    a.moe.dense_layers = f.IntList("mlp_only_layers");
  }
}

void ImportGemma(const Fields& f,
                 Architecture& a,
                 std::int64_t norms_per_block) {
  LlamaLike(f, a, true);
  a.head_dim = f.IntOr({"head_dim"}, 256);  // GemmaConfig default head_dim 256
  const bool bias = f.BoolOr({"attention_bias"}, false);
  a.q_bias = a.k_bias = a.v_bias = a.o_bias = bias;
  a.norms_per_block =
      norms_per_block;  // Gemma 2: pre/post attention and MLP norms
  if (a.activation == "silu") a.activation = "gelu_pytorch_tanh";
}

void ImportPhi(const Fields& f, Architecture& a) {
  a.vocab_size = f.RequireInt({"vocab_size"});
  a.d_model = f.RequireInt({"hidden_size"});
  a.n_layers = f.RequireInt({"num_hidden_layers"});
  a.n_heads = f.RequireInt({"num_attention_heads"});
  a.n_kv_heads = f.PositiveIntOr({"num_key_value_heads"}, a.n_heads);
  a.d_ff = f.RequireInt({"intermediate_size"});
  a.mlp = MlpKind::kStandard;
  a.activation = f.Str({"hidden_act"}).value_or("gelu_new");
  a.q_bias = a.k_bias = a.v_bias = a.o_bias = a.mlp_bias = true;
  a.lm_head_bias = true;
  a.qk_norm = f.BoolOr({"qk_layernorm"}, false);
  a.norm = NormKind::kLayerNorm;
  a.norms_per_block = 1;  // parallel attention and MLP share input_layernorm
  a.position = PositionKind::kRotary;
  a.tied_embeddings = f.BoolOr({"tie_word_embeddings"}, false);
  a.context_length = f.IntOr({"max_position_embeddings"}, 0);
}

void ImportPhi3(const Fields& f, Architecture& a) {
  LlamaLike(f, a, false);
  a.head_dim = 0;  // Phi3Attention: hidden_size / num_heads
}

void ImportOpt(const Fields& f, Architecture& a) {
  a.vocab_size = f.RequireInt({"vocab_size"});
  a.d_model = f.RequireInt({"hidden_size"});
  a.n_layers = f.RequireInt({"num_hidden_layers"});
  a.n_heads = f.RequireInt({"num_attention_heads"});
  a.d_ff = f.RequireInt({"ffn_dim"});
  a.max_positions = f.IntOr({"max_position_embeddings"}, 2048);
  a.position_offset = 2;  // OPTLearnedPositionalEmbedding: offset 2 rows
  a.position = PositionKind::kLearned;
  a.context_length = a.max_positions;
  a.mlp = MlpKind::kStandard;
  a.activation = f.Str({"activation_function"}).value_or("relu");
  const bool bias = f.BoolOr({"enable_bias"}, true);
  a.q_bias = a.k_bias = a.v_bias = a.o_bias = a.mlp_bias = bias;
  a.norm = f.BoolOr({"layer_norm_elementwise_affine"}, true)
               ? NormKind::kLayerNorm
               : NormKind::kNone;
  a.final_norm = f.BoolOr({"do_layer_norm_before"}, true) &&
                 !f.BoolOr({"_remove_final_layer_norm"}, false);
  const std::int64_t proj = f.IntOr({"word_embed_proj_dim"}, a.d_model);
  a.embed_dim = proj == a.d_model ? 0 : proj;  // project_in / project_out
  a.tied_embeddings = f.BoolOr({"tie_word_embeddings"}, true);
}

void ImportBloom(const Fields& f, Architecture& a) {
  a.vocab_size = f.RequireInt({"vocab_size"});
  std::string width_key;
  a.d_model = f.RequireInt({"hidden_size", "n_embed"}, &width_key);
  a.n_layers = f.RequireInt({"n_layer", "num_hidden_layers"});
  a.n_heads = f.RequireInt({"n_head", "num_attention_heads"});
  // BloomMLP: dense_h_to_4h.
  a.d_ff = f.Times(4, a.d_model, width_key, "d_ff (BloomMLP: 4 * hidden_size)");
  a.mlp = MlpKind::kStandard;
  a.activation = "gelu";
  a.q_bias = a.k_bias = a.v_bias = a.o_bias = a.mlp_bias = true;
  a.norm = NormKind::kLayerNorm;
  a.embedding_norm = true;  // word_embeddings_layernorm
  a.position = PositionKind::kAlibi;
  a.tied_embeddings = f.BoolOr({"tie_word_embeddings"}, true);
  a.context_length = f.IntOr({"seq_length"}, 0);
}

void ImportDeepseek(const Fields& f, Architecture& a, bool v3) {
  LlamaLike(f, a, false);
  a.n_kv_heads = 0;  // MLA: every head reads the shared latent
  a.head_dim = 0;
  const bool bias = f.BoolOr({"attention_bias"}, false);
  a.q_bias = a.k_bias = a.v_bias = a.o_bias = bias;
  a.mla.q_lora_rank =
      f.IntOr({"q_lora_rank"}, 0);  // null: plain q_proj (V2-Lite)
  a.mla.kv_lora_rank = f.RequireInt({"kv_lora_rank"});
  a.mla.qk_nope_head_dim = f.RequireInt({"qk_nope_head_dim"});
  a.mla.qk_rope_head_dim = f.RequireInt({"qk_rope_head_dim"});
  a.mla.v_head_dim = f.RequireInt({"v_head_dim"});
  a.moe.num_experts = f.IntOr({"n_routed_experts"}, 0);
  if (a.moe.num_experts > 0) {
    a.moe.experts_per_token = f.RequireInt({"num_experts_per_tok"});
    a.moe.expert_d_ff = f.RequireInt({"moe_intermediate_size"});
    a.moe.shared_experts = f.IntOr({"n_shared_experts"}, 0);
    a.moe.first_dense_layers = f.IntOr({"first_k_dense_replace"}, 0);
    a.moe.layer_freq = f.IntOr({"moe_layer_freq"}, 1);
    // DeepSeek-V3's noaux_tc routing learns a per-expert score bias
    // (e_score_correction_bias, DeepSeek-V3 report Sec. 2.1.2).
    const std::string method =
        f.Str({"topk_method"}).value_or(v3 ? "noaux_tc" : "greedy");
    a.moe.router_bias = method == "noaux_tc";
  }
}

using Importer = std::function<void(const Fields&, Architecture&)>;

const std::map<std::string, Importer>& Importers() {
  static const std::map<std::string, Importer> kImporters = {
      {"gpt2", ImportGpt2},
      {"gpt_neox", ImportGptNeox},
      {"llama", ImportLlama},
      {"mistral", ImportMistral},
      {"mixtral", ImportMixtral},
      {"qwen2", ImportQwen2},
      {"qwen2_moe", ImportQwen2Moe},
      {"gemma", [](const Fields& f, Architecture& a) { ImportGemma(f, a, 2); }},
      {"gemma2",
       [](const Fields& f, Architecture& a) { ImportGemma(f, a, 4); }},
      {"phi", ImportPhi},
      {"phi3", ImportPhi3},
      {"opt", ImportOpt},
      {"bloom", ImportBloom},
      {"deepseek_v2",
       [](const Fields& f, Architecture& a) { ImportDeepseek(f, a, false); }},
      {"deepseek_v3",
       [](const Fields& f, Architecture& a) { ImportDeepseek(f, a, true); }},
  };
  return kImporters;
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
  const auto& importers = Importers();
  auto it = importers.find(*type);
  if (it == importers.end()) {
    std::string valid;
    for (const auto& [name, fn] : importers)
      valid += (valid.empty() ? "" : ", ") + name;
    f.Fail("model_type",
           "unsupported model_type '" + Excerpt(*type) +
               "' (supported: " + valid + ")");
  }
  Architecture a;
  a.name = *type;
  it->second(f, a);
  model::Validate(a, src);
  return a;
}

std::vector<std::string> SupportedHfModelTypes() {
  std::vector<std::string> out;
  for (const auto& [name, fn] : Importers()) out.push_back(name);
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

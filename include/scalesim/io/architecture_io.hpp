// Architectures from files: scalesim's own JSON, Hugging Face config.json,
// and the built-in presets of data/models/.
#ifndef SCALESIM_IO_ARCHITECTURE_IO_HPP_
#define SCALESIM_IO_ARCHITECTURE_IO_HPP_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scalesim/core/fields.hpp"
#include "scalesim/io/checkpoint.hpp"
#include "scalesim/model/architecture.hpp"

namespace scalesim::io {

// scalesim's architecture JSON: an object whose keys are the field names of
// model::Architecture ("d_model", "n_layers", "mlp": "gated", "moe": {...},
// "mla": {...}; "attention_bias": true sets q/k/v/o biases). Unknown keys are
// an error, so a typo never silently falls back to a default. The result is
// validated. Errors name `source`, the line (for syntax errors) and the field.
model::Architecture ArchitectureFromJson(std::string_view text,
                                         std::string_view source);

// A Hugging Face config.json of one of the families SupportedHfModelTypes()
// lists (a registry, src/io/hf/registry.cpp), with each family's defaults
// and quirks as transformers' configuration and modelling classes define
// them (see docs/hf-import.md); multimodal wrappers (gemma3, mistral3,
// llama4, qwen3_5) read their language model from text_config and count
// the vision tower and projector as components of their own. The size
// fields (vocabulary, width, depth, heads and the MLP width where the
// family does not derive it) are required: a config without them is an
// error rather than a silent default. Errors name the key of the user's
// file ("num_key_value_heads", "text_config.hidden_size").
model::Architecture ArchitectureFromHfConfig(std::string_view text,
                                             std::string_view source);

// The model_type values ArchitectureFromHfConfig accepts.
std::vector<std::string> SupportedHfModelTypes();

struct PresetInfo {
  std::string name;
  std::string family;
  std::string description;
  std::string source;  // citation
};

// Every built-in preset, in data/models/ order.
std::vector<PresetInfo> ListPresets();
// A built-in preset by name; throws InvalidInput for an unknown name.
model::Architecture LoadPreset(std::string_view name);
// Citation of a preset (for notes in outputs).
PresetInfo PresetInfoFor(std::string_view name);

// Where a command's model comes from: a base (a preset, a Hugging Face
// config.json, a downloaded checkpoint folder -- its config.json, checked
// against the headers of its safetensors files -- or a scalesim
// architecture JSON; at most one), then fields given one by one override it.
// Without a base, layers, d_model, heads and vocab are required and the rest
// takes the defaults of a GPT-style block (d_ff 4 d_model).
struct ArchitectureSource {
  std::optional<std::string> preset;
  std::optional<std::string> hf_config;
  std::optional<std::string> arch;
  std::optional<std::string> checkpoint;
  std::optional<std::int64_t> layers;
  std::optional<std::int64_t> d_model;
  std::optional<std::int64_t> heads;
  std::optional<std::int64_t> kv_heads;
  std::optional<std::int64_t> head_dim;
  std::optional<std::int64_t> d_ff;
  std::optional<std::int64_t> vocab;
  std::optional<std::int64_t> max_context;
  std::optional<model::MlpKind> mlp;
  std::optional<model::NormKind> norm;
  std::optional<model::PositionKind> position;
  std::optional<std::int64_t> max_positions;
  std::optional<std::string> bias;  // none, all, qkv
  std::optional<bool> tied;
  std::optional<std::int64_t> experts;
  std::optional<std::int64_t> experts_per_token;
  std::optional<std::int64_t> shared_experts;
  std::optional<std::int64_t> expert_d_ff;
  std::optional<std::int64_t> first_dense_layers;

  // Whether any base or field was given.
  bool Given() const;

  template <typename V>
  void VisitFields(V&& v) {
    constexpr double kMaxSize = 9.0e18;  // int64, checked again when counted
    v(preset,
      {.name = "preset",
       .help = "built-in model (scalesim params --list)",
       .unit = "NAME"});
    v(hf_config,
      {.name = "hf_config",
       .help = "a Hugging Face config.json",
       .unit = "FILE"});
    v(arch,
      {.name = "arch",
       .help = "a scalesim architecture JSON file",
       .unit = "FILE"});
    v(checkpoint,
      {.name = "checkpoint",
       .help = "a downloaded Hugging Face model folder: its config.json, "
               "checked against the headers of its *.safetensors files",
       .unit = "DIR"});
    v(layers,
      {.name = "layers",
       .help = "transformer blocks",
       .min = 1,
       .max = kMaxSize,
       .alias = "n_layers"});
    v(d_model,
      {.name = "d_model", .help = "residual width", .min = 1, .max = kMaxSize});
    v(heads,
      {.name = "heads",
       .help = "attention heads",
       .min = 1,
       .max = kMaxSize,
       .alias = "n_heads"});
    v(kv_heads,
      {.name = "kv_heads",
       .help = "key/value heads (GQA; 1 = MQA)",
       .min = 1,
       .max = kMaxSize,
       .alias = "n_kv_heads"});
    v(head_dim,
      {.name = "head_dim",
       .help = "width of one head (default d_model/heads)",
       .min = 1,
       .max = kMaxSize});
    v(d_ff,
      {.name = "d_ff",
       .help = "MLP hidden width (default 4 d_model)",
       .min = 1,
       .max = kMaxSize});
    v(vocab,
      {.name = "vocab",
       .help = "vocabulary size",
       .min = 1,
       .max = kMaxSize,
       .alias = "vocab_size"});
    v(max_context,
      {.name = "max_context",
       .help = "the model's maximum context length (tokens)",
       .min = 1,
       .max = kMaxSize,
       .alias = "context_length"});
    v(mlp,
      {.name = "mlp", .help = "standard (2 matrices) or gated (3, SwiGLU)"},
      model::kMlpNames);
    v(norm,
      {.name = "norm", .help = "layernorm, layernorm-nobias, rmsnorm or none"},
      model::kNormNames);
    v(position,
      {.name = "position", .help = "learned, rotary, alibi, relative or none"},
      model::kPositionNames);
    v(max_positions,
      {.name = "max_positions",
       .help = "rows of a learned position table",
       .min = 1,
       .max = kMaxSize});
    v(bias, {.name = "bias", .help = "none, all (q,k,v,o,mlp) or qkv"});
    v(tied,
      {.name = "tied",
       .help = "tie the LM head to the token embedding",
       .alias = "tied_embeddings"});
    v(experts,
      {.name = "experts",
       .help = "MoE: routed experts per layer",
       .min = 0,
       .max = kMaxSize,
       .alias = "moe.num_experts"});
    v(experts_per_token,
      {.name = "experts_per_token",
       .help = "MoE: top-k routed experts",
       .min = 1,
       .max = kMaxSize,
       .alias = "moe.experts_per_token"});
    v(shared_experts,
      {.name = "shared_experts",
       .help = "MoE: always-active experts",
       .min = 0,
       .max = kMaxSize,
       .alias = "moe.shared_experts"});
    v(expert_d_ff,
      {.name = "expert_d_ff",
       .help = "MoE: hidden width of one expert",
       .min = 1,
       .max = kMaxSize,
       .alias = "moe.expert_d_ff"});
    v(first_dense_layers,
      {.name = "first_dense_layers",
       .help = "MoE: leading layers with a dense MLP",
       .min = 0,
       .max = kMaxSize,
       .alias = "moe.first_dense_layers"});
  }
};

struct ResolvedArchitecture {
  model::Architecture arch;
  std::vector<std::string> notes;  // where it came from, what was assumed
  // With a checkpoint folder: its tensors against config.json.
  std::optional<CheckpointComparison> checkpoint;
};

// The architecture `source` describes, validated and countable. Errors about
// a field given on its own name that field (empty source: the front end
// names its flag); errors inside a base file name the file.
ResolvedArchitecture ResolveArchitecture(const ArchitectureSource& source);

}  // namespace scalesim::io

#endif  // SCALESIM_IO_ARCHITECTURE_IO_HPP_

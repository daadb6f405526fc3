// io::ResolveArchitecture: a base model and field-by-field overrides.
#include <filesystem>
#include <string>
#include <vector>

#include "scalesim/core/checked.hpp"
#include "scalesim/core/error.hpp"
#include "scalesim/io/architecture_io.hpp"
#include "scalesim/io/checkpoint.hpp"
#include "scalesim/io/files.hpp"
#include "scalesim/io/safetensors.hpp"
#include "scalesim/model/params.hpp"

namespace scalesim::io {
namespace {

// The fields that override a base, in the order they are applied.
bool AnyOverride(const ArchitectureSource& s) {
  return s.layers || s.d_model || s.heads || s.kv_heads || s.head_dim ||
         s.d_ff || s.vocab || s.max_context || s.mlp || s.norm || s.position ||
         s.max_positions || s.bias || s.tied || s.experts ||
         s.experts_per_token || s.shared_experts || s.expert_d_ff ||
         s.first_dense_layers;
}

void ApplyBias(const std::string& b, model::Architecture& a) {
  if (b == "none") {
    a.q_bias = a.k_bias = a.v_bias = a.o_bias = a.mlp_bias = false;
  } else if (b == "all") {
    a.q_bias = a.k_bias = a.v_bias = a.o_bias = a.mlp_bias = true;
  } else if (b == "qkv") {
    a.q_bias = a.k_bias = a.v_bias = true;
    a.o_bias = a.mlp_bias = false;
  } else {
    throw InvalidInput(InputLocation{"", 0, "bias"},
                       "unknown value '" + b + "' (valid: none, all, qkv)");
  }
}

}  // namespace

bool ArchitectureSource::Given() const {
  return preset || hf_config || arch || checkpoint || AnyOverride(*this);
}

ResolvedArchitecture ResolveArchitecture(const ArchitectureSource& s) {
  const int bases = (s.preset ? 1 : 0) + (s.hf_config ? 1 : 0) +
                    (s.arch ? 1 : 0) + (s.checkpoint ? 1 : 0);
  if (bases > 1) {
    throw InvalidInput(
        InputLocation{"", 0, "preset"},
        "give at most one of --preset, --hf-config, --arch and --checkpoint");
  }
  ResolvedArchitecture r;
  model::Architecture& a = r.arch;
  std::string source;  // the base file, whose own errors name it
  if (s.preset) {
    a = LoadPreset(*s.preset);
    r.notes.push_back("preset " + a.name + ": " + PresetInfoFor(a.name).source);
  } else if (s.hf_config) {
    source = *s.hf_config;
    a = ArchitectureFromHfConfig(ReadTextFile(source), source);
    r.notes.push_back("Hugging Face config " + source + " (model_type " +
                      a.name + ")");
  } else if (s.checkpoint) {
    const CheckpointTensors tensors = ReadCheckpointTensors(*s.checkpoint);
    source = (std::filesystem::path(*s.checkpoint) / "config.json").string();
    a = ArchitectureFromHfConfig(ReadTextFile(source), source);
    r.notes.push_back("Hugging Face checkpoint " + *s.checkpoint +
                      " (model_type " + a.name + ")");
    r.checkpoint = CompareCheckpoint(a, tensors);
    for (const std::string& n : r.checkpoint->notes) r.notes.push_back(n);
  } else if (s.arch) {
    source = *s.arch;
    a = ArchitectureFromJson(ReadTextFile(source), source);
  } else {
    const std::pair<const std::optional<std::int64_t>*, const char*>
        kRequired[] = {{&s.layers, "layers"},
                       {&s.d_model, "d_model"},
                       {&s.heads, "heads"},
                       {&s.vocab, "vocab"}};
    for (const auto& [field, name] : kRequired) {
      if (!*field) {
        throw InvalidInput(
            InputLocation{"", 0, name},
            "missing: give --preset, --hf-config, --arch, --checkpoint or "
            "the flags --layers --d-model --heads --vocab");
      }
    }
    a.name = "custom";
  }
  auto set = [](const std::optional<std::int64_t>& v, std::int64_t& field) {
    if (v) field = *v;
  };
  set(s.layers, a.n_layers);
  set(s.d_model, a.d_model);
  set(s.heads, a.n_heads);
  set(s.kv_heads, a.n_kv_heads);
  set(s.head_dim, a.head_dim);
  set(s.d_ff, a.d_ff);
  set(s.vocab, a.vocab_size);
  set(s.max_context, a.context_length);
  set(s.max_positions, a.max_positions);
  set(s.experts, a.moe.num_experts);
  set(s.experts_per_token, a.moe.experts_per_token);
  set(s.shared_experts, a.moe.shared_experts);
  set(s.expert_d_ff, a.moe.expert_d_ff);
  set(s.first_dense_layers, a.moe.first_dense_layers);
  if (s.mlp) a.mlp = *s.mlp;
  if (s.norm) a.norm = *s.norm;
  if (s.position) a.position = *s.position;
  if (s.bias) ApplyBias(*s.bias, a);
  if (s.tied) a.tied_embeddings = *s.tied;
  const bool from_fields = bases == 0;
  if (from_fields) {
    if (!s.d_ff && a.d_model > 0) {
      a.d_ff = CheckedMul(4, a.d_model, "d_ff = 4 * d_model");
      r.notes.push_back("d_ff not given: 4 * d_model");
    }
    if (a.moe.num_experts > 0 && a.moe.expert_d_ff == 0)
      a.moe.expert_d_ff = a.d_ff;
    r.notes.push_back(std::string("architecture from flags: mlp ") +
                      std::string(model::ToString(a.mlp)) + ", norm " +
                      std::string(model::ToString(a.norm)) + ", position " +
                      std::string(model::ToString(a.position)) + ", " +
                      (a.tied_embeddings ? "tied" : "untied") + " LM head");
  }
  // A base file's own inconsistencies name the file; once a field was given
  // on its own the error names that field (its flag), as does an overflow.
  const std::string where = AnyOverride(s) ? std::string() : source;
  model::Validate(a, where);
  try {
    model::CountParameters(a, where);
  } catch (const InvalidInput& e) {
    if (!e.where().source.empty() || where.empty()) throw;
    throw InvalidInput(InputLocation{where, 0, ""}, e.problem());
  }
  return r;
}

}  // namespace scalesim::io

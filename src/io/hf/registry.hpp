// Private to io: the Hugging Face families scalesim imports, one entry per
// model_type in one table (registry.cpp). A family is a function in its own
// file under src/io/hf/ that reads a config.json object into an
// Architecture with the defaults of transformers' configuration class;
// ARCHITECTURE.md ("How to add an HF family") lists the files it touches.
#ifndef SCALESIM_SRC_IO_HF_REGISTRY_HPP_
#define SCALESIM_SRC_IO_HF_REGISTRY_HPP_

#include <string_view>
#include <vector>

#include "scalesim/model/architecture.hpp"

#include "io/hf/fields.hpp"

namespace scalesim::io::hf {

// Reads `config` (the whole config.json, or a nested text_config) into
// `arch`, whose name is already the model_type. Throws InvalidInput naming
// the config key for a missing or malformed field; model::Validate checks
// the rest afterwards.
using Importer = void (*)(const Fields& config, model::Architecture& arch);

struct Family {
  std::string_view model_type;
  Importer import;
};

// Every family, sorted by model_type.
const std::vector<Family>& Families();
// The family of `model_type`, or nullptr.
const Family* FindFamily(std::string_view model_type);

// Multimodal wrappers (gemma3, mistral3, llama4, qwen3_5): imports the
// language model from `config`'s text_config with the family of its
// model_type, or `default_type` when it names none; errors name
// "text_config.<key>". A missing text_config is the text family's defaults
// of an empty object, which refuses for want of the required sizes.
void ImportTextConfig(const Fields& config,
                      std::string_view default_type,
                      model::Architecture& arch);

}  // namespace scalesim::io::hf

#endif  // SCALESIM_SRC_IO_HF_REGISTRY_HPP_

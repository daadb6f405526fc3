#include "io/hf/registry.hpp"

#include <algorithm>
#include <string>

#include "io/hf/families.hpp"

namespace scalesim::io::hf {

const std::vector<Family>& Families() {
  // One line per model_type, sorted.
  static const std::vector<Family> kFamilies = {
      {"bloom", ImportBloom},
      {"deepseek_v2", ImportDeepseekV2},
      {"deepseek_v3", ImportDeepseekV3},
      {"gemma", ImportGemma},
      {"gemma2", ImportGemma2},
      {"gpt2", ImportGpt2},
      {"gpt_neox", ImportGptNeox},
      {"llama", ImportLlama},
      {"mistral", ImportMistral},
      {"mixtral", ImportMixtral},
      {"opt", ImportOpt},
      {"phi", ImportPhi},
      {"phi3", ImportPhi3},
      {"qwen2", ImportQwen2},
      {"qwen2_moe", ImportQwen2Moe},
  };
  return kFamilies;
}

const Family* FindFamily(std::string_view model_type) {
  const std::vector<Family>& all = Families();
  auto it = std::find_if(all.begin(), all.end(), [&](const Family& f) {
    return f.model_type == model_type;
  });
  return it == all.end() ? nullptr : &*it;
}

void ImportTextConfig(const Fields& config,
                      std::string_view default_type,
                      model::Architecture& arch) {
  const Fields text = config.ObjectOrEmpty("text_config");
  const std::string type =
      text.Str({"model_type"}).value_or(std::string(default_type));
  const Family* family = FindFamily(type);
  if (family == nullptr) {
    text.Fail("model_type",
              "unsupported text model_type '" + type + "' in a " + arch.name +
                  " config");
  }
  family->import(text, arch);
}

}  // namespace scalesim::io::hf

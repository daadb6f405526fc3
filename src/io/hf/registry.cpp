#include "io/hf/registry.hpp"

#include <algorithm>
#include <string>

#include "io/hf/families.hpp"

namespace scalesim::io::hf {

const std::vector<Family>& Families() {
  // One line per model_type, sorted.
  static const std::vector<Family> kFamilies = {
      {"bloom", ImportBloom},
      {"cohere", ImportCohere},
      {"cohere2", ImportCohere2},
      {"deepseek_v2", ImportDeepseekV2},
      {"deepseek_v3", ImportDeepseekV3},
      {"deepseek_v32", ImportDeepseekV32},
      {"falcon", ImportFalcon},
      {"gemma", ImportGemma},
      {"gemma2", ImportGemma2},
      {"gemma3", ImportGemma3},
      {"gemma3_text", ImportGemma3Text},
      {"glm4", ImportGlm4},
      {"glm4_moe", ImportGlm4Moe},
      {"gpt2", ImportGpt2},
      {"gpt_neox", ImportGptNeox},
      {"gpt_oss", ImportGptOss},
      {"granite", ImportGranite},
      {"granitemoe", ImportGraniteMoe},
      {"kimi_k2", ImportDeepseekV3},
      {"llama", ImportLlama},
      {"llama4", ImportLlama4},
      {"llama4_text", ImportLlama4Text},
      {"mistral", ImportMistral},
      {"mistral3", ImportMistral3},
      {"mixtral", ImportMixtral},
      {"olmo2", ImportOlmo2},
      {"olmoe", ImportOlmoe},
      {"opt", ImportOpt},
      {"phi", ImportPhi},
      {"phi3", ImportPhi3},
      {"phimoe", ImportPhimoe},
      {"qwen2", ImportQwen2},
      {"qwen2_moe", ImportQwen2Moe},
      {"qwen3", ImportQwen3},
      {"qwen3_5", ImportQwen3_5},
      {"qwen3_5_text", ImportQwen3_5Text},
      {"qwen3_moe", ImportQwen3Moe},
      {"qwen3_next", ImportQwen3Next},
      {"smollm3", ImportSmolLm3},
      {"starcoder2", ImportStarcoder2},
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
  // A wrapper's language model is a text model: a wrapper inside a
  // text_config (which could nest without end) is refused.
  if (!config.prefix().empty()) {
    config.Fail("model_type",
                "a multimodal " + arch.name + " config inside a text_config");
  }
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

// Private to io: the importer of every Hugging Face family (one function per
// model_type, defined in the file named beside it), registered in
// registry.cpp.
#ifndef SCALESIM_SRC_IO_HF_FAMILIES_HPP_
#define SCALESIM_SRC_IO_HF_FAMILIES_HPP_

#include "scalesim/model/architecture.hpp"

#include "io/hf/fields.hpp"

namespace scalesim::io::hf {

// gpt.cpp
void ImportGpt2(const Fields& f, model::Architecture& a);
void ImportGptNeox(const Fields& f, model::Architecture& a);
void ImportOpt(const Fields& f, model::Architecture& a);
void ImportBloom(const Fields& f, model::Architecture& a);
// falcon.cpp, starcoder.cpp
void ImportFalcon(const Fields& f, model::Architecture& a);
void ImportStarcoder2(const Fields& f, model::Architecture& a);
// llama.cpp
void ImportLlama(const Fields& f, model::Architecture& a);
void ImportMistral(const Fields& f, model::Architecture& a);
void ImportMixtral(const Fields& f, model::Architecture& a);
void ImportSmolLm3(const Fields& f, model::Architecture& a);
void ImportMistral3(const Fields& f, model::Architecture& a);
// llama4.cpp
void ImportLlama4Text(const Fields& f, model::Architecture& a);
void ImportLlama4(const Fields& f, model::Architecture& a);
// qwen.cpp
void ImportQwen2(const Fields& f, model::Architecture& a);
void ImportQwen2Moe(const Fields& f, model::Architecture& a);
void ImportQwen3(const Fields& f, model::Architecture& a);
void ImportQwen3Moe(const Fields& f, model::Architecture& a);
void ImportQwen3Next(const Fields& f, model::Architecture& a);
void ImportQwen3_5Text(const Fields& f, model::Architecture& a);
void ImportQwen3_5(const Fields& f, model::Architecture& a);
// gemma.cpp
void ImportGemma(const Fields& f, model::Architecture& a);
void ImportGemma2(const Fields& f, model::Architecture& a);
void ImportGemma3Text(const Fields& f, model::Architecture& a);
void ImportGemma3(const Fields& f, model::Architecture& a);
// gpt_oss.cpp
void ImportGptOss(const Fields& f, model::Architecture& a);
// granite.cpp
void ImportGranite(const Fields& f, model::Architecture& a);
void ImportGraniteMoe(const Fields& f, model::Architecture& a);
// olmo.cpp
void ImportOlmo2(const Fields& f, model::Architecture& a);
void ImportOlmoe(const Fields& f, model::Architecture& a);
// phi.cpp
void ImportPhi(const Fields& f, model::Architecture& a);
void ImportPhi3(const Fields& f, model::Architecture& a);
void ImportPhimoe(const Fields& f, model::Architecture& a);
// glm.cpp
void ImportGlm4(const Fields& f, model::Architecture& a);
void ImportGlm4Moe(const Fields& f, model::Architecture& a);
// cohere.cpp
void ImportCohere(const Fields& f, model::Architecture& a);
void ImportCohere2(const Fields& f, model::Architecture& a);
// deepseek.cpp (kimi_k2 is deepseek_v3)
void ImportDeepseekV2(const Fields& f, model::Architecture& a);
void ImportDeepseekV3(const Fields& f, model::Architecture& a);
void ImportDeepseekV32(const Fields& f, model::Architecture& a);

}  // namespace scalesim::io::hf

#endif  // SCALESIM_SRC_IO_HF_FAMILIES_HPP_

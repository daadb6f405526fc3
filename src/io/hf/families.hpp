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
// llama.cpp
void ImportLlama(const Fields& f, model::Architecture& a);
void ImportMistral(const Fields& f, model::Architecture& a);
void ImportMixtral(const Fields& f, model::Architecture& a);
// qwen.cpp
void ImportQwen2(const Fields& f, model::Architecture& a);
void ImportQwen2Moe(const Fields& f, model::Architecture& a);
// gemma.cpp
void ImportGemma(const Fields& f, model::Architecture& a);
void ImportGemma2(const Fields& f, model::Architecture& a);
// phi.cpp
void ImportPhi(const Fields& f, model::Architecture& a);
void ImportPhi3(const Fields& f, model::Architecture& a);
// deepseek.cpp
void ImportDeepseekV2(const Fields& f, model::Architecture& a);
void ImportDeepseekV3(const Fields& f, model::Architecture& a);

}  // namespace scalesim::io::hf

#endif  // SCALESIM_SRC_IO_HF_FAMILIES_HPP_

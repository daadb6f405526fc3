// Private to io: parameter counts of the vision towers and projectors of the
// multimodal wrappers (gemma3, mistral3, llama4, qwen3_5), from their
// vision_config with the defaults of its configuration class. They are
// separate components of the checkpoint (model::Architecture's
// vision_tower_params and multimodal_projector_params): the language model's
// count, FLOPs and KV cache do not include them.
#ifndef SCALESIM_SRC_IO_HF_VISION_HPP_
#define SCALESIM_SRC_IO_HF_VISION_HPP_

#include <cstdint>

#include "scalesim/model/architecture.hpp"

#include "io/hf/fields.hpp"

namespace scalesim::io::hf {

struct VisionParams {
  std::int64_t tower = 0;
  std::int64_t projector = 0;
};

// The checkpoint's components outside the language model.
inline void SetVision(model::Architecture& a, const VisionParams& v) {
  a.vision_tower_params = v.tower;
  a.multimodal_projector_params = v.projector;
}

// SigLIP (SiglipVisionModel, modeling_siglip.py) and the Gemma 3 projector
// (Gemma3MultiModalProjector) onto text width `d_model`.
VisionParams Gemma3Vision(const Fields& vision, std::int64_t d_model);
// Pixtral (PixtralVisionModel) and the Mistral 3 projector
// (Mistral3MultiModalProjector with its Mistral3PatchMerger); `config` is
// the whole Mistral3Config (spatial_merge_size, vision_feature_layer and
// multimodal_projector_bias live there).
VisionParams Mistral3Vision(const Fields& config, std::int64_t d_model);
// Llama4VisionModel (with its vision adapter) and Llama4MultiModalProjector.
VisionParams Llama4Vision(const Fields& vision, std::int64_t d_model);
// Qwen3_5VisionModel (Qwen3VLVisionModel without DeepStack mergers); its
// patch merger (model.visual.merger) is the projector.
VisionParams Qwen3_5Vision(const Fields& vision);

}  // namespace scalesim::io::hf

#endif  // SCALESIM_SRC_IO_HF_VISION_HPP_

// Vision towers of multimodal checkpoints. Shapes are those of the
// transformers modelling classes named in vision.hpp (nn.Linear(in, out)
// stores [out, in] and a bias [out]; Conv2d [out, in, kh, kw]; LayerNorm a
// weight and a bias; RMSNorm a weight). Every product is checked.
#include "io/hf/vision.hpp"

#include <string>

#include "scalesim/core/checked.hpp"

namespace scalesim::io::hf {
namespace {

using I = std::int64_t;

struct Sum {
  const char* what;
  I total = 0;
  void Add(std::initializer_list<I> factors) {
    total = CheckedAdd(total, CheckedProduct(factors, what), what);
  }
  I Linear(I in, I out, bool bias) const {
    return CheckedAdd(CheckedMul(in, out, what), bias ? out : 0, what);
  }
};

// A positive size from the vision config (class default when absent).
I Size(const Fields& f, const char* key, I fallback) {
  const I v = f.IntOr({key}, fallback);
  if (v <= 0)
    f.Fail(key, "must be a positive integer, got " + std::to_string(v));
  return v;
}

}  // namespace

VisionParams Gemma3Vision(const Fields& v, std::int64_t d_model) {
  // SiglipVisionConfig defaults (the base SigLIP, not So400m).
  const I h = Size(v, "hidden_size", 768);
  const I inter = Size(v, "intermediate_size", 3072);
  const I layers = Size(v, "num_hidden_layers", 12);
  const I channels = Size(v, "num_channels", 3);
  const I image = Size(v, "image_size", 224);
  const I patch = Size(v, "patch_size", 16);
  const I side = image / patch;
  // vision_use_head is no declared field: the pooling head is built unless
  // the config says false.
  const bool head = v.BoolOr({"vision_use_head"}, true);
  Sum s{"vision tower parameters"};
  s.Add({h, channels, patch, patch});  // embeddings.patch_embedding.weight
  s.Add({h});                          // .bias
  s.Add({side, side, h});              // embeddings.position_embedding
  // Per layer: q, k, v, out_proj with biases; layer_norm1/2; mlp.fc1/fc2.
  const I layer = CheckedAdd(
      CheckedAdd(CheckedMul(4, s.Linear(h, h, true), s.what),
                 CheckedMul(4, h, s.what),
                 s.what),
      CheckedAdd(s.Linear(h, inter, true), s.Linear(inter, h, true), s.what),
      s.what);
  s.Add({layers, layer});
  s.Add({2, h});  // post_layernorm
  if (head) {
    // probe [1, 1, H]; MultiheadAttention in_proj [3H, H] + [3H] and
    // out_proj; layernorm; mlp fc1/fc2.
    s.Add({h});
    s.Add({3, h, h});
    s.Add({3, h});
    s.Add({h, h});
    s.Add({h});
    s.Add({2, h});
    s.total = CheckedAdd(s.total, s.Linear(h, inter, true), s.what);
    s.total = CheckedAdd(s.total, s.Linear(inter, h, true), s.what);
  }
  Sum p{"multimodal projector parameters"};
  p.Add({h, d_model});  // mm_input_projection_weight [H, d]
  p.Add({h});           // mm_soft_emb_norm (RMSNorm over the vision width)
  return {s.total, p.total};
}

VisionParams Mistral3Vision(const Fields& config, std::int64_t d_model) {
  // Without a vision_config Mistral3Config builds Pixtral with image 1540
  // and patch 14; a vision_config dict takes PixtralVisionConfig's defaults
  // (image 1024, patch 16). Neither size changes a count except the patch.
  const std::optional<Fields> given = config.Object("vision_config");
  const Fields v = config.ObjectOrEmpty("vision_config");
  const I h = Size(v, "hidden_size", 1024);
  const I inter = Size(v, "intermediate_size", 4096);
  const I layers = Size(v, "num_hidden_layers", 24);
  const I channels = Size(v, "num_channels", 3);
  const I patch = Size(v, "patch_size", given ? 16 : 14);
  Sum s{"vision tower parameters"};
  s.Add({h, channels, patch, patch});  // patch_conv.weight, no bias
  s.Add({h});                          // ln_pre (RMSNorm)
  // Per layer: attention_norm, ffn_norm; q, k, v, o [H, H] without bias;
  // gated feed_forward gate/up [I, H], down [H, I].
  s.Add({layers,
         CheckedAdd(CheckedAdd(CheckedProduct({4, h, h}, s.what),
                               CheckedProduct({3, h, inter}, s.what),
                               s.what),
                    CheckedMul(2, h, s.what),
                    s.what)});
  const I merge = Size(config, "spatial_merge_size", 2);
  I feature_layers = 1;
  if (const json* fl = config.Find({"vision_feature_layer"});
      fl != nullptr && fl->is_array()) {
    feature_layers = static_cast<I>(fl->size());
  }
  const bool bias = config.BoolOr({"multimodal_projector_bias"}, false);
  Sum p{"multimodal projector parameters"};
  p.Add({h});                   // norm (RMSNorm)
  p.Add({merge, merge, h, h});  // patch_merger.merging_layer [H, H m^2]
  p.total =
      CheckedAdd(p.total,
                 p.Linear(CheckedMul(h, feature_layers, p.what), d_model, bias),
                 p.what);  // linear_1
  p.total = CheckedAdd(
      p.total, p.Linear(d_model, d_model, bias), p.what);  // linear_2
  return {s.total, p.total};
}

VisionParams Llama4Vision(const Fields& v, std::int64_t d_model) {
  // Llama4VisionConfig defaults.
  const I h = Size(v, "hidden_size", 768);
  const I inter = Size(v, "intermediate_size", 5632);
  const I layers = Size(v, "num_hidden_layers", 34);
  const I channels = Size(v, "num_channels", 3);
  const I image = Size(v, "image_size", 448);
  const I patch = Size(v, "patch_size", 14);
  const I out_dim = Size(v, "vision_output_dim", 7680);
  const I p_in = Size(v, "projector_input_dim", 4096);
  const I p_out = Size(v, "projector_output_dim", 4096);
  const I side = image / patch;
  Sum s{"vision tower parameters"};
  s.Add({channels, patch, patch, h});  // patch_embedding.linear (no bias)
  s.Add({h});                          // class_embedding
  s.total = CheckedAdd(
      s.total,
      CheckedMul(
          CheckedAdd(CheckedMul(side, side, s.what), 1, s.what), h, s.what),
      s.what);    // positional_embedding_vlm [(side^2 + 1), H]
  s.Add({4, h});  // layernorm_pre, layernorm_post (LayerNorm)
  // Per layer: q, k, v, o with biases; mlp fc1/fc2 with biases; two
  // LayerNorms.
  const I layer =
      CheckedAdd(CheckedAdd(CheckedMul(4, s.Linear(h, h, true), s.what),
                            CheckedAdd(s.Linear(h, inter, true),
                                       s.Linear(inter, h, true),
                                       s.what),
                            s.what),
                 CheckedMul(4, h, s.what),
                 s.what);
  s.Add({layers, layer});
  // vision_adapter.mlp: fc1 [projector_input_dim, intermediate_size], fc2
  // [projector_output_dim, projector_output_dim], no biases.
  s.Add({inter, p_in});
  s.Add({p_out, p_out});
  Sum p{"multimodal projector parameters"};
  p.Add({out_dim, d_model});  // linear_1 [d, vision_output_dim], no bias
  return {s.total, p.total};
}

VisionParams Qwen3_5Vision(const Fields& v) {
  // Qwen3_5VisionConfig defaults.
  const I h = Size(v, "hidden_size", 1152);
  const I inter = Size(v, "intermediate_size", 4304);
  const I depth = Size(v, "depth", 27);
  const I channels = Size(v, "in_channels", 3);
  const I patch = Size(v, "patch_size", 16);
  const I temporal = Size(v, "temporal_patch_size", 2);
  const I merge = Size(v, "spatial_merge_size", 2);
  const I out = Size(v, "out_hidden_size", 3584);
  const I positions = Size(v, "num_position_embeddings", 2304);
  Sum s{"vision tower parameters"};
  s.Add({h, channels, temporal, patch, patch});  // patch_embed.proj (Conv3d)
  s.Add({h});                                    // .bias
  s.Add({positions, h});                         // pos_embed
  // Per block: norm1, norm2 (LayerNorm); attn.qkv [3H, H] + bias, attn.proj
  // with bias; mlp linear_fc1/fc2 with biases.
  const I block = CheckedAdd(
      CheckedAdd(CheckedMul(4, h, s.what), s.Linear(h, 3 * h, true), s.what),
      CheckedAdd(
          s.Linear(h, h, true),
          CheckedAdd(
              s.Linear(h, inter, true), s.Linear(inter, h, true), s.what),
          s.what),
      s.what);
  s.Add({depth, block});
  // merger: norm LayerNorm(H); linear_fc1 [H m^2, H m^2] + bias; linear_fc2
  // [out, H m^2] + bias.
  const I wide = CheckedProduct({h, merge, merge}, "multimodal projector");
  Sum p{"multimodal projector parameters"};
  p.Add({2, h});
  p.total = CheckedAdd(p.total, p.Linear(wide, wide, true), p.what);
  p.total = CheckedAdd(p.total, p.Linear(wide, out, true), p.what);
  return {s.total, p.total};
}

}  // namespace scalesim::io::hf

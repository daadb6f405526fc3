// Architectures of published models, built field by field so that the model
// tests depend on module model only (the presets live in module io).
#ifndef SCALESIM_TESTS_MODEL_REFERENCE_MODELS_HPP_
#define SCALESIM_TESTS_MODEL_REFERENCE_MODELS_HPP_

#include <cstdint>

#include "scalesim/model/architecture.hpp"

namespace scalesim::model::testing {

// GPT-2 small as nanoGPT builds it with bias=False: bias-free LayerNorm, no
// linear biases, tied head, 1,024 learned positions; 124,337,664 parameters
// [golden-numbers.md, nanoGPT transformer_sizing].
inline Architecture NanoGpt() {
  Architecture a;
  a.name = "nanogpt-124m";
  a.vocab_size = 50257;
  a.d_model = 768;
  a.n_layers = 12;
  a.n_heads = 12;
  a.d_ff = 3072;
  a.mlp = MlpKind::kStandard;
  a.norm = NormKind::kLayerNormNoBias;
  a.position = PositionKind::kLearned;
  a.max_positions = 1024;
  a.tied_embeddings = true;
  a.context_length = 1024;
  return a;
}

// GPT-3 175B (Brown et al. 2020 Table 2.1) with the GPT-2 block: biases,
// LayerNorm, tied, 2,048 learned positions; 174,604,259,328 parameters with
// vocabulary 50,257 [golden-numbers.md]. Megatron pads the vocabulary to
// 51,200.
inline Architecture Gpt3_175b(std::int64_t vocab = 50257) {
  Architecture a;
  a.name = "gpt3-175b";
  a.vocab_size = vocab;
  a.d_model = 12288;
  a.n_layers = 96;
  a.n_heads = 96;
  a.d_ff = 49152;
  a.mlp = MlpKind::kStandard;
  a.norm = NormKind::kLayerNorm;
  a.q_bias = a.k_bias = a.v_bias = a.o_bias = a.mlp_bias = true;
  a.position = PositionKind::kLearned;
  a.max_positions = 2048;
  a.tied_embeddings = true;
  a.context_length = 2048;
  return a;
}

// Llama 2 (Touvron et al. 2023 Table 1; HF config.json): SwiGLU, RMSNorm,
// RoPE, untied. 7B: 6,738,415,616 parameters; 70B: 68,976,648,192.
inline Architecture Llama2(std::int64_t d_model,
                           std::int64_t layers,
                           std::int64_t heads,
                           std::int64_t kv_heads,
                           std::int64_t d_ff) {
  Architecture a;
  a.name = "llama2";
  a.vocab_size = 32000;
  a.d_model = d_model;
  a.n_layers = layers;
  a.n_heads = heads;
  a.n_kv_heads = kv_heads;
  a.d_ff = d_ff;
  a.mlp = MlpKind::kGated;
  a.norm = NormKind::kRmsNorm;
  a.position = PositionKind::kRotary;
  a.tied_embeddings = false;
  a.context_length = 4096;
  return a;
}
inline Architecture Llama2_7b() { return Llama2(4096, 32, 32, 32, 11008); }
inline Architecture Llama2_70b() { return Llama2(8192, 80, 64, 8, 28672); }

// Mixtral 8x7B (Jiang et al. 2024 Table 1): 8 experts, top-2, GQA 8;
// 46,702,792,704 parameters, 12,879,925,248 active.
inline Architecture Mixtral8x7b() {
  Architecture a = Llama2(4096, 32, 32, 8, 14336);
  a.name = "mixtral-8x7b";
  a.moe.num_experts = 8;
  a.moe.experts_per_token = 2;
  a.moe.expert_d_ff = 14336;
  return a;
}

// gemma-3-1b-it (HF config.json, Gemma3TextConfig defaults): 26 layers,
// d 1152, 4 heads of 256, 1 KV head, gated MLP 6912, vocabulary 262,144,
// q/k norms, four norms per block, tied; sliding_window 512 and the
// default pattern of 6 (layer i local iff (i + 1) % 6 != 0): 22 local
// layers, global at 5, 11, 17, 23. 999,885,952 parameters.
inline Architecture Gemma3_1b() {
  Architecture a;
  a.name = "gemma-3-1b";
  a.vocab_size = 262144;
  a.d_model = 1152;
  a.n_layers = 26;
  a.n_heads = 4;
  a.n_kv_heads = 1;
  a.head_dim = 256;
  a.d_ff = 6912;
  a.mlp = MlpKind::kGated;
  a.norm = NormKind::kRmsNorm;
  a.norms_per_block = 4;
  a.qk_norm = true;
  a.position = PositionKind::kRotary;
  a.tied_embeddings = true;
  const LayerKind local{AttentionKind::kSliding, false};
  a.layer_pattern = {local, local, local, local, local, LayerKind{}};
  a.sliding_window = 512;
  a.context_length = 32768;
  return a;
}

// Qwen3-Next-80B-A3B (HF config.json): 48 layers of which 36 Gated
// DeltaNet ((i + 1) % 4 != 0) and 12 gated attention (16 heads of 256, 2
// KV heads), every layer MoE (512 experts of 512, top-10, one shared
// expert of 512 with a gate); 79,674,391,296 parameters.
inline Architecture Qwen3Next80b() {
  Architecture a;
  a.name = "qwen3-next-80b";
  a.vocab_size = 151936;
  a.d_model = 2048;
  a.n_layers = 48;
  a.n_heads = 16;
  a.n_kv_heads = 2;
  a.head_dim = 256;
  a.d_ff = 5120;
  a.mlp = MlpKind::kGated;
  a.norm = NormKind::kRmsNorm;
  a.qk_norm = true;
  a.attention_output_gate = true;
  a.position = PositionKind::kRotary;
  a.tied_embeddings = false;
  const LayerKind linear{AttentionKind::kLinear, false};
  a.layer_pattern = {linear, linear, linear, LayerKind{}};
  a.linear_attention = {16, 32, 128, 128, 4};
  a.moe.num_experts = 512;
  a.moe.experts_per_token = 10;
  a.moe.expert_d_ff = 512;
  a.moe.shared_experts = 1;
  a.moe.shared_expert_d_ff = 512;
  a.moe.shared_expert_gate = true;
  a.moe.layer_freq = 1;
  a.moe.layer_offset = 1;
  a.context_length = 262144;
  return a;
}

}  // namespace scalesim::model::testing

#endif  // SCALESIM_TESTS_MODEL_REFERENCE_MODELS_HPP_

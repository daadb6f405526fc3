// The Hugging Face families of 2025-26 (issue 12), counted exactly.
//
//   1. The six reference configs of ../shared/reference/hf-configs/
//      (expected_counts.csv, sum of numel of the *ForCausalLM), written
//      here as fixtures with their architecture fields.
//   2. Further real configs of these families, against counts published
//      independently of scalesim (Hub safetensors counts, keras-hub preset
//      metadata, llama.cpp n_params, header recounts; sources beside each).
//   3. One small config per family whose count is derived by hand below
//      from the shapes of the transformers modelling class named there
//      (nn.Linear(in, out) holds [out, in] + bias [out]; RMSNorm a weight,
//      LayerNorm a weight and a bias).
//   4. Defaults, per-layer attention patterns and bad input.
#include <cstdint>
#include <string>

#include <gtest/gtest.h>

#include "scalesim/core/error.hpp"
#include "scalesim/io/architecture_io.hpp"
#include "scalesim/model/memory.hpp"
#include "scalesim/model/params.hpp"

#include "io/hf_case.hpp"

namespace scalesim::io {
namespace {

using model::AttentionKind;

using testing::Case;
using testing::CheckCase;

model::ParamBreakdown Count(const char* config) {
  return model::CountParameters(ArchitectureFromHfConfig(config, "test"));
}

// --- 1. Reference configs (expected_counts.csv) ----------------------------

const Case kReferenceCases[] = {
    {"Qwen3-8B",
     R"({"model_type": "qwen3", "vocab_size": 151936, "hidden_size": 4096,
         "intermediate_size": 12288, "num_hidden_layers": 36, "num_attention_heads": 32,
         "num_key_value_heads": 8, "head_dim": 128, "attention_bias": false,
         "max_position_embeddings": 40960, "max_window_layers": 36, "sliding_window": null,
         "use_sliding_window": false, "tie_word_embeddings": false})",
     8'190'735'360,
     8'190'735'360,
     0},
    {"Qwen3-30B-A3B",
     R"({"model_type": "qwen3_moe", "vocab_size": 151936, "hidden_size": 2048,
         "intermediate_size": 6144, "moe_intermediate_size": 768, "num_experts": 128,
         "num_experts_per_tok": 8, "decoder_sparse_step": 1, "mlp_only_layers": [],
         "norm_topk_prob": true, "num_hidden_layers": 48, "num_attention_heads": 32,
         "num_key_value_heads": 4, "head_dim": 128, "attention_bias": false,
         "max_window_layers": 48, "sliding_window": null, "use_sliding_window": false,
         "tie_word_embeddings": false})",
     30'532'122'624,
     3'353'032'704,
     0},
    {"gemma-3-1b-it",
     R"({"model_type": "gemma3_text", "hidden_size": 1152, "intermediate_size": 6912,
         "num_hidden_layers": 26, "num_attention_heads": 4, "num_key_value_heads": 1,
         "head_dim": 256, "vocab_size": 262144, "sliding_window": 512,
         "query_pre_attn_scalar": 256, "hidden_activation": "gelu_pytorch_tanh"})",
     999'885'952,
     999'885'952,
     0},
    {"gpt-oss-20b",
     R"({"model_type": "gpt_oss", "vocab_size": 201088, "hidden_size": 2880,
         "intermediate_size": 2880, "num_hidden_layers": 24, "num_attention_heads": 64,
         "num_key_value_heads": 8, "head_dim": 64, "num_local_experts": 32,
         "num_experts_per_tok": 4, "experts_per_token": 4, "attention_bias": true,
         "sliding_window": 128, "tie_word_embeddings": false,
         "layer_types": ["sliding_attention", "full_attention", "sliding_attention",
           "full_attention", "sliding_attention", "full_attention", "sliding_attention",
           "full_attention", "sliding_attention", "full_attention", "sliding_attention",
           "full_attention", "sliding_attention", "full_attention", "sliding_attention",
           "full_attention", "sliding_attention", "full_attention", "sliding_attention",
           "full_attention", "sliding_attention", "full_attention", "sliding_attention",
           "full_attention"]})",
     20'914'757'184,
     4'187'440'704,
     0},
    {"granite-3.1-1b-a400m-instruct",
     R"({"model_type": "granitemoe", "vocab_size": 49155, "hidden_size": 1024,
         "intermediate_size": 512, "num_hidden_layers": 24, "num_attention_heads": 16,
         "num_key_value_heads": 8, "num_local_experts": 32, "num_experts_per_tok": 8,
         "attention_bias": false, "attention_multiplier": 0.015625,
         "embedding_multiplier": 12.0, "residual_multiplier": 0.22, "logits_scaling": 6.0,
         "tie_word_embeddings": true})",
     1'334'628'352,
     428'658'688,
     0},
    {"SmolLM3-3B (no tie key: tied by default)",
     R"({"model_type": "smollm3", "vocab_size": 128256, "hidden_size": 2048,
         "intermediate_size": 11008, "num_hidden_layers": 36, "num_attention_heads": 16,
         "num_key_value_heads": 4, "attention_bias": false, "mlp_bias": false,
         "no_rope_layer_interval": 4, "use_sliding_window": false, "sliding_window": null,
         "max_window_layers": 28})",
     3'075'098'624,
     3'075'098'624,
     0},
};

TEST(HfFamiliesTest, ReferenceConfigsMatchExpectedCounts) {
  for (const Case& c : kReferenceCases) CheckCase(c);
}

// gpt-oss-20b: OpenAI's card gives 3.61B active parameters, without the
// input embedding: 4,187,440,704 - 201,088 x 2,880 (579,133,440) =
// 3,608,307,264; the unembedding stays.
TEST(HfFamiliesTest, ActiveParametersWithAndWithoutTheInputEmbedding) {
  const model::ParamBreakdown p = Count(kReferenceCases[3].config);
  EXPECT_EQ(p.active(), 4'187'440'704);
  EXPECT_EQ(p.active_excluding_input_embedding(), 3'608'307'264);
  // Kaplan's non-embedding active count drops the LM head too.
  EXPECT_EQ(p.active_non_embedding(), 3'608'307'264 - 579'133'440);
  // Tied (granite-3.1-1b): the head is the embedding matrix used as the
  // unembedding, so only nothing is dropped: 428,658,688.
  EXPECT_EQ(Count(kReferenceCases[4].config).active_excluding_input_embedding(),
            428'658'688);
}

// --- 2. Further real configs -----------------------------------------------

const Case kFurtherCases[] = {
    // keras-hub qwen3 presets.
    {"Qwen3-0.6B (head_dim 128 x 16 heads != hidden 1024; tied)",
     R"({"model_type": "qwen3", "vocab_size": 151936, "hidden_size": 1024,
         "num_hidden_layers": 28, "num_attention_heads": 16, "num_key_value_heads": 8,
         "head_dim": 128, "intermediate_size": 3072, "tie_word_embeddings": true})",
     596'049'920,
     596'049'920,
     0},
    {"Qwen3-1.7B",
     R"({"model_type": "qwen3", "vocab_size": 151936, "hidden_size": 2048,
         "num_hidden_layers": 28, "num_attention_heads": 16, "num_key_value_heads": 8,
         "head_dim": 128, "intermediate_size": 6144, "tie_word_embeddings": true})",
     1'720'574'976,
     0,
     0},
    {"Qwen3-4B",
     R"({"model_type": "qwen3", "vocab_size": 151936, "hidden_size": 2560,
         "num_hidden_layers": 36, "num_attention_heads": 32, "num_key_value_heads": 8,
         "head_dim": 128, "intermediate_size": 9728, "tie_word_embeddings": true})",
     4'022'468'096,
     0,
     0},
    {"Qwen3-14B",
     R"({"model_type": "qwen3", "vocab_size": 151936, "hidden_size": 5120,
         "num_hidden_layers": 40, "num_attention_heads": 40, "num_key_value_heads": 8,
         "head_dim": 128, "intermediate_size": 17408, "tie_word_embeddings": false})",
     14'768'307'200,
     0,
     0},
    {"Qwen3-32B",
     R"({"model_type": "qwen3", "vocab_size": 151936, "hidden_size": 5120,
         "num_hidden_layers": 64, "num_attention_heads": 64, "num_key_value_heads": 8,
         "head_dim": 128, "intermediate_size": 25600, "tie_word_embeddings": false})",
     32'762'123'264,
     0,
     0},
    // keras-hub qwen3_moe presets; Hub safetensors count.
    {"Qwen3-235B-A22B",
     R"({"model_type": "qwen3_moe", "vocab_size": 151936, "hidden_size": 4096,
         "num_hidden_layers": 94, "num_attention_heads": 64, "num_key_value_heads": 4,
         "head_dim": 128, "intermediate_size": 12288, "moe_intermediate_size": 1536,
         "num_experts": 128, "num_experts_per_tok": 8, "decoder_sparse_step": 1,
         "mlp_only_layers": [], "tie_word_embeddings": false})",
     235'093'634'560,
     22'190'763'520,
     0},
    // keras-hub gemma3_270m.
    {"gemma-3-270m",
     R"({"model_type": "gemma3_text", "vocab_size": 262144, "hidden_size": 640,
         "num_hidden_layers": 18, "num_attention_heads": 4, "num_key_value_heads": 1,
         "head_dim": 256, "intermediate_size": 2048, "sliding_window": 512,
         "sliding_window_pattern": 6})",
     268'098'176,
     0,
     0},
    // gemma-3-4b-it: HF sum(numel) 4,300,079,472 (asserted in public code)
    // and its index total_size 8,600,158,944 = 2 x that (all BF16); the
    // text_config omits vocab, heads, kv heads and head_dim: 262,208 / 8 / 4
    // / 256 by Gemma3TextConfig. Language model 3,880,263,168 (keras-hub
    // 3,880,099,328 at vocab 262,144, + 64 x 2,560).
    {"gemma-3-4b-it (multimodal: SigLIP So400m + projector)",
     R"({"model_type": "gemma3", "mm_tokens_per_image": 256,
         "text_config": {"model_type": "gemma3_text", "hidden_size": 2560,
           "intermediate_size": 10240, "num_hidden_layers": 34, "sliding_window": 1024},
         "vision_config": {"model_type": "siglip_vision_model", "hidden_size": 1152,
           "image_size": 896, "intermediate_size": 4304, "num_attention_heads": 16,
           "num_hidden_layers": 27, "patch_size": 14, "vision_use_head": false}})",
     3'880'263'168,
     0,
     4'300'079'472},
    // Hub count of gemma-3-27b-it 27,432,406,640 (medgemma-27b-it index
    // total_size 54,864,813,280 = 2 x); text 27,009,346,304 = llama.cpp
    // n_params of the text model.
    {"gemma-3-27b-it",
     R"({"model_type": "gemma3",
         "text_config": {"model_type": "gemma3_text", "head_dim": 128, "hidden_size": 5376,
           "intermediate_size": 21504, "num_attention_heads": 32, "num_hidden_layers": 62,
           "num_key_value_heads": 16, "query_pre_attn_scalar": 168, "sliding_window": 1024},
         "vision_config": {"model_type": "siglip_vision_model", "hidden_size": 1152,
           "image_size": 896, "intermediate_size": 4304, "num_attention_heads": 16,
           "num_hidden_layers": 27, "patch_size": 14, "vision_use_head": false}})",
     27'009'346'304,
     0,
     27'432'406'640},
    // keras-hub gpt_oss presets; llama.cpp n_params; OpenAI 116.83B / 5.13B.
    {"gpt-oss-120b (default alternating pattern)",
     R"({"model_type": "gpt_oss", "vocab_size": 201088, "hidden_size": 2880,
         "num_hidden_layers": 36, "num_attention_heads": 64, "num_key_value_heads": 8,
         "head_dim": 64, "intermediate_size": 2880, "num_local_experts": 128,
         "num_experts_per_tok": 4, "attention_bias": true, "sliding_window": 128,
         "tie_word_embeddings": false})",
     116'829'156'672,
     5'711'982'912,
     0},
    // Hub API safetensors totals (F32 checkpoints).
    {"OLMo-2-1124-7B",
     R"({"model_type": "olmo2", "vocab_size": 100352, "hidden_size": 4096,
         "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 32,
         "intermediate_size": 11008, "attention_bias": false, "tie_word_embeddings": false})",
     7'298'617'344,
     0,
     0},
    {"OLMo-2-1124-13B",
     R"({"model_type": "olmo2", "vocab_size": 100352, "hidden_size": 5120,
         "num_hidden_layers": 40, "num_attention_heads": 40, "num_key_value_heads": 40,
         "intermediate_size": 13824, "attention_bias": false, "tie_word_embeddings": false})",
     13'716'198'400,
     0,
     0},
    {"OLMoE-1B-7B-0924",
     R"({"model_type": "olmoe", "vocab_size": 50304, "hidden_size": 2048,
         "num_hidden_layers": 16, "num_attention_heads": 16, "num_key_value_heads": 16,
         "intermediate_size": 1024, "num_experts": 64, "num_experts_per_tok": 8,
         "clip_qkv": null, "tie_word_embeddings": false})",
     6'919'161'856,
     1'282'017'280,
     0},
    // safetensors metadata of the model page.
    {"granite-3.1-8b-instruct",
     R"({"model_type": "granite", "vocab_size": 49155, "hidden_size": 4096,
         "num_hidden_layers": 40, "num_attention_heads": 32, "num_key_value_heads": 8,
         "intermediate_size": 12800, "attention_bias": false, "mlp_bias": false,
         "embedding_multiplier": 12.0, "tie_word_embeddings": true})",
     8'170'848'256,
     0,
     0},
    {"granite-guardian-3.2-3b-a800m",
     R"({"model_type": "granitemoe", "vocab_size": 49155, "hidden_size": 1536,
         "num_hidden_layers": 32, "num_attention_heads": 24, "num_key_value_heads": 8,
         "intermediate_size": 512, "num_local_experts": 40, "num_experts_per_tok": 8,
         "tie_word_embeddings": true})",
     3'298'793'472,
     882'874'368,
     0},
    // Community count 41,873,153,344 (Hub: 41.9B).
    {"Phi-3.5-MoE-instruct (LayerNorm with bias, LM-head bias)",
     R"({"model_type": "phimoe", "vocab_size": 32064, "hidden_size": 4096,
         "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 8,
         "intermediate_size": 6400, "num_local_experts": 16, "num_experts_per_tok": 2,
         "attention_bias": true, "lm_head_bias": true, "sliding_window": 131072,
         "tie_word_embeddings": false})",
     41'873'153'344,
     6'640'999'744,
     0},
    // llama.cpp n_params of a glm4 text model of these dimensions.
    {"GLM-4-9B-0414",
     R"({"model_type": "glm4", "vocab_size": 151552, "hidden_size": 4096,
         "num_hidden_layers": 40, "num_attention_heads": 32, "num_key_value_heads": 2,
         "head_dim": 128, "intermediate_size": 13696, "attention_bias": true,
         "partial_rotary_factor": 0.5, "tie_word_embeddings": false})",
     9'400'279'040,
     0,
     0},
    // Hub count of INTELLECT-3 (the GLM-4.5-Air architecture without the MTP
    // layer).
    {"GLM-4.5-Air (head_dim 128 with 96 heads on 4096)",
     R"({"model_type": "glm4_moe", "vocab_size": 151552, "hidden_size": 4096,
         "num_hidden_layers": 46, "num_attention_heads": 96, "num_key_value_heads": 8,
         "head_dim": 128, "intermediate_size": 10944, "moe_intermediate_size": 1408,
         "n_routed_experts": 128, "n_shared_experts": 1, "num_experts_per_tok": 8,
         "first_k_dense_replace": 1, "attention_bias": true, "use_qk_norm": false,
         "num_nextn_predict_layers": 1, "tie_word_embeddings": false})",
     106'852'251'264,
     13'424'129'664,
     0},
    // Provider paramCount.
    {"GLM-4.5 (q/k norms)",
     R"({"model_type": "glm4_moe", "vocab_size": 151552, "hidden_size": 5120,
         "num_hidden_layers": 92, "num_attention_heads": 96, "num_key_value_heads": 8,
         "head_dim": 128, "intermediate_size": 12288, "moe_intermediate_size": 1536,
         "n_routed_experts": 160, "n_shared_experts": 1, "num_experts_per_tok": 8,
         "first_k_dense_replace": 3, "attention_bias": true, "use_qk_norm": true,
         "tie_word_embeddings": false})",
     352'797'829'024,
     33'632'266'144,
     0},
    // Hub safetensors parameter_count (no tie key: tied by default).
    {"aya-expanse-8b",
     R"({"model_type": "cohere", "vocab_size": 256000, "hidden_size": 4096,
         "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 8,
         "intermediate_size": 14336, "logit_scale": 0.125, "use_qk_norm": false})",
     8'028'033'024,
     0,
     0},
    // A recount of all 61 safetensors headers (139,644 tensors).
    {"Kimi-K2-Instruct",
     R"({"model_type": "kimi_k2", "vocab_size": 163840, "hidden_size": 7168,
         "num_hidden_layers": 61, "num_attention_heads": 64, "num_key_value_heads": 64,
         "intermediate_size": 18432, "moe_intermediate_size": 2048, "n_routed_experts": 384,
         "n_shared_experts": 1, "num_experts_per_tok": 8, "first_k_dense_replace": 1,
         "moe_layer_freq": 1, "topk_method": "noaux_tc", "q_lora_rank": 1536,
         "kv_lora_rank": 512, "qk_nope_head_dim": 128, "qk_rope_head_dim": 64,
         "v_head_dim": 128, "num_nextn_predict_layers": 0, "tie_word_embeddings": false})",
     1'026'408'232'448,
     32'861'500'928,
     0},
    // Hub count of Llama-4-Scout-17B-16E-Instruct 108,641,793,536 with the
    // vision model and projector (871,932,416).
    {"Llama-4-Scout-17B-16E-Instruct (multimodal)",
     R"({"model_type": "llama4", "tie_word_embeddings": false,
         "text_config": {"model_type": "llama4_text", "attention_bias": false,
           "attention_chunk_size": 8192, "head_dim": 128, "hidden_size": 5120,
           "interleave_moe_layer_step": 1, "intermediate_size": 8192,
           "intermediate_size_mlp": 16384, "num_attention_heads": 40,
           "num_experts_per_tok": 1, "num_hidden_layers": 48, "num_key_value_heads": 8,
           "num_local_experts": 16, "use_qk_norm": true, "vocab_size": 202048},
         "vision_config": {"hidden_size": 1408, "image_size": 336, "intermediate_size": 5632,
           "num_attention_heads": 16, "num_channels": 3, "num_hidden_layers": 34,
           "patch_size": 14, "pixel_shuffle_ratio": 0.5, "projector_input_dim": 4096,
           "projector_output_dim": 4096, "vision_output_dim": 4096}})",
     107'769'861'120,
     17'172'894'720,
     108'641'793'536},
    // A public tensor audit: decoder parameters 400,711,848,960.
    {"Llama-4-Maverick-17B-128E text (MoE every 2nd layer)",
     R"({"model_type": "llama4_text", "vocab_size": 202048, "hidden_size": 5120,
         "num_hidden_layers": 48, "num_attention_heads": 40, "num_key_value_heads": 8,
         "head_dim": 128, "intermediate_size": 8192, "intermediate_size_mlp": 16384,
         "num_local_experts": 128, "num_experts_per_tok": 1, "interleave_moe_layer_step": 2,
         "use_qk_norm": false, "attention_chunk_size": 8192, "tie_word_embeddings": false})",
     400'711'848'960,
     17'184'691'200,
     0},
    // keras-hub falcon_refinedweb_1b_en.
    {"falcon-rw-1b (ALiBi, biases, sequential, MHA)",
     R"({"model_type": "falcon", "vocab_size": 50304, "hidden_size": 2048,
         "num_hidden_layers": 24, "num_attention_heads": 32, "alibi": true, "bias": true,
         "multi_query": false, "new_decoder_architecture": false, "parallel_attn": false})",
     1'311'625'216,
     0,
     0},
    // Hub API safetensors total.
    {"falcon-180B (new decoder architecture, 8 KV heads, untied)",
     R"({"model_type": "falcon", "vocab_size": 65024, "hidden_size": 14848,
         "num_hidden_layers": 80, "num_attention_heads": 232, "num_kv_heads": 8,
         "alibi": false, "bias": false, "multi_query": true,
         "new_decoder_architecture": true, "parallel_attn": true,
         "tie_word_embeddings": false})",
     179'522'565'120,
     0,
     0},
    // Keras-Hub preset metadata mistral_small_3.1_24b: 24,011,361,280.
    {"Mistral-Small-3.1-24B-Instruct-2503 (multimodal: Pixtral + projector)",
     R"({"model_type": "mistral3", "multimodal_projector_bias": false,
         "spatial_merge_size": 2, "vision_feature_layer": -1,
         "text_config": {"model_type": "mistral", "head_dim": 128, "hidden_size": 5120,
           "intermediate_size": 32768, "num_attention_heads": 32, "num_hidden_layers": 40,
           "num_key_value_heads": 8, "sliding_window": null, "vocab_size": 131072},
         "vision_config": {"model_type": "pixtral", "head_dim": 64, "hidden_size": 1024,
           "image_size": 1540, "intermediate_size": 4096, "num_attention_heads": 16,
           "num_channels": 3, "num_hidden_layers": 24, "patch_size": 14}})",
     23'572'403'200,
     0,
     24'011'361'280},
    // Hub safetensors count of Qwen3-Coder-Next (same architecture, no MTP)
    // and llama.cpp n_params: 79,674,391,296; active: 10 routed + shared.
    {"Qwen3-Next-80B-A3B (36 Gated DeltaNet + 12 attention layers)",
     R"({"model_type": "qwen3_next", "attention_bias": false, "decoder_sparse_step": 1,
         "full_attention_interval": 4, "head_dim": 256, "hidden_size": 2048,
         "intermediate_size": 5120, "linear_conv_kernel_dim": 4, "linear_key_head_dim": 128,
         "linear_num_key_heads": 16, "linear_num_value_heads": 32,
         "linear_value_head_dim": 128, "mlp_only_layers": [], "moe_intermediate_size": 512,
         "num_attention_heads": 16, "num_experts": 512, "num_experts_per_tok": 10,
         "num_hidden_layers": 48, "num_key_value_heads": 2,
         "shared_expert_intermediate_size": 512, "tie_word_embeddings": false,
         "vocab_size": 151936})",
     79'674'391'296,
     3'874'929'408,
     0},
};

TEST(HfFamiliesTest, FurtherRealConfigsMatchIndependentCounts) {
  for (const Case& c : kFurtherCases) CheckCase(c);
}

// --- 3. One config per family, counted by hand -----------------------------
//
// Common to the small configs: vocabulary V = 1,000, hidden d = 64, so the
// token embedding is 64,000 and so is an untied lm_head; an RMSNorm over d
// is 64.

// Qwen3ForCausalLM (modeling_qwen3.py): Qwen3Attention q_proj [H h, d],
// k/v_proj [K h, d], o_proj [d, H h], q_norm/k_norm [h]; Qwen3MLP gate/up
// [f, d], down [d, f]; input/post_attention_layernorm [d].
TEST(HfFamiliesTest, Qwen3ByHand) {
  // H 4, K 2, h 32 (not d / H = 16), f 128, 2 layers, untied:
  // q 128 x 64 = 8,192; k, v 64 x 64 = 4,096 each; o 8,192; q/k norms 64;
  // MLP 3 x 64 x 128 = 24,576; norms 128: layer 49,344.
  // 2 x 49,344 + 64,000 x 2 + final 64 = 226,752.
  EXPECT_EQ(
      Count(R"({"model_type": "qwen3", "vocab_size": 1000, "hidden_size": 64,
                      "num_hidden_layers": 2, "num_attention_heads": 4,
                      "num_key_value_heads": 2, "head_dim": 32, "intermediate_size": 128,
                      "tie_word_embeddings": false})")
          .total(),
      226'752);
}

// Qwen3MoeForCausalLM (modeling_qwen3_moe.py): Qwen3MoeSparseMoeBlock gate
// [E, d] without bias and E experts of gate/up [fe, d], down [d, fe]; no
// shared expert. Layer i is MoE iff i not in mlp_only_layers and
// (i + 1) % decoder_sparse_step == 0.
TEST(HfFamiliesTest, Qwen3MoeByHand) {
  // 4 layers, step 2, mlp_only_layers [3]: MoE only at i = 1 (i = 3 is in
  // the list), dense at 0, 2, 3. No head_dim: h = 64 / 4 = 16, K 2:
  // attention 4,096 + 2,048 + 2,048 + 4,096 + q/k norms 32 = 12,320;
  // norms 128. Dense MLP 3 x 64 x 128 = 24,576; MoE: router 8 x 64 = 512,
  // 8 experts x 3 x 64 x 32 (6,144) = 49,152, top-2 12,288.
  // total 4 x 12,448 + 3 x 24,576 + 512 + 49,152 + 128,000 + 64 = 301,248;
  // active 301,248 - 6 x 6,144 = 264,384.
  const model::ParamBreakdown p = Count(
      R"({"model_type": "qwen3_moe", "vocab_size": 1000, "hidden_size": 64,
                "num_hidden_layers": 4, "num_attention_heads": 4, "num_key_value_heads": 2,
                "intermediate_size": 128, "moe_intermediate_size": 32, "num_experts": 8,
                "num_experts_per_tok": 2, "decoder_sparse_step": 2,
                "mlp_only_layers": [3]})");
  EXPECT_EQ(p.n_moe_blocks, 1);
  EXPECT_EQ(p.total(), 301'248);
  EXPECT_EQ(p.active(), 264'384);
}

// Gemma3ForCausalLM (modeling_gemma3.py): Gemma3Attention with q_norm /
// k_norm [h]; four norms per layer (input, post_attention,
// pre_feedforward, post_feedforward); tied head (Gemma3TextConfig).
TEST(HfFamiliesTest, Gemma3TextByHand) {
  // H 2, K 1, h 16, f 128, 6 layers: q 32 x 64 = 2,048; k, v 1,024 each;
  // o 2,048; q/k norms 32; MLP 24,576; norms 4 x 64 = 256: layer 31,008.
  // 6 x 31,008 + 64,000 (tied) + 64 = 250,112.
  EXPECT_EQ(Count(R"({"model_type": "gemma3_text", "vocab_size": 1000,
                      "hidden_size": 64, "num_hidden_layers": 6,
                      "num_attention_heads": 2, "num_key_value_heads": 1,
                      "head_dim": 16, "intermediate_size": 128,
                      "sliding_window": 8})")
                .total(),
            250'112);
}

// GptOssForCausalLM (modeling_gpt_oss.py): GptOssAttention q/k/v/o with
// biases and sinks [H]; GptOssTopKRouter weight [E, d] + bias [E];
// GptOssExperts gate_up_proj [E, d, 2f] + bias [E, 2f], down_proj
// [E, f, d] + bias [E, d].
TEST(HfFamiliesTest, GptOssByHand) {
  // H 4, K 2, h 8, f 32, E 4, top-2, 2 layers:
  // q 32 x 64 + 32 = 2,080; k, v 16 x 64 + 16 = 1,040 each; o 64 x 32 + 64
  // = 2,112; sinks 4; router 4 x 64 + 4 = 260; norms 128; one expert
  // 64 x 64 + 64 + 32 x 64 + 64 = 6,272, four 25,088.
  // layer 6,664 + 25,088 = 31,752; total 2 x 31,752 + 128,000 + 64 =
  // 191,568; active 191,568 - 2 x 2 x 6,272 = 166,480.
  const model::ParamBreakdown p =
      Count(R"({"model_type": "gpt_oss", "vocab_size": 1000, "hidden_size": 64,
                "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
                "head_dim": 8, "intermediate_size": 32, "num_local_experts": 4,
                "num_experts_per_tok": 2})");
  EXPECT_EQ(p.total(), 191'568);
  EXPECT_EQ(p.active(), 166'480);
  EXPECT_EQ(p.attention_sinks(), 2 * 4);
}

// SmolLM3ForCausalLM (modeling_smollm3.py): the Llama layout; tied by
// default; NoPE layers have no parameters of their own.
TEST(HfFamiliesTest, SmolLm3ByHand) {
  // H 4, K 2 -> h 16: attention 4,096 + 2,048 + 2,048 + 4,096 = 12,288;
  // MLP 24,576; norms 128: layer 36,992. 4 x 36,992 + 64,000 + 64 =
  // 212,032.
  EXPECT_EQ(Count(R"({"model_type": "smollm3", "vocab_size": 1000,
                      "hidden_size": 64, "num_hidden_layers": 4,
                      "num_attention_heads": 4, "num_key_value_heads": 2,
                      "intermediate_size": 128})")
                .total(),
            212'032);
}

// GraniteForCausalLM (modeling_granite.py): Llama layout, mlp_bias on gate,
// up and down; the multipliers are scalars of the config.
TEST(HfFamiliesTest, GraniteByHand) {
  // attention 12,288; MLP 3 x 8,192 + 128 + 128 + 64 = 24,896; norms 128:
  // layer 37,312. 2 x 37,312 + 64,000 (tied) + 64 = 138,688.
  EXPECT_EQ(
      Count(R"({"model_type": "granite", "vocab_size": 1000, "hidden_size": 64,
                      "num_hidden_layers": 2, "num_attention_heads": 4,
                      "num_key_value_heads": 2, "intermediate_size": 128,
                      "mlp_bias": true, "tie_word_embeddings": true,
                      "embedding_multiplier": 12.0})")
          .total(),
      138'688);
}

// GraniteMoeForCausalLM (modeling_granitemoe.py): block_sparse_moe
// input_linear [E, 2f, d], output_linear [E, d, f], router.layer [E, d]
// without bias; every layer MoE.
TEST(HfFamiliesTest, GraniteMoeByHand) {
  // f 32, E 4, top-2: experts 4 x (2 x 32 x 64 + 64 x 32) = 4 x 6,144 =
  // 24,576; router 256; attention 12,288; norms 128: layer 37,248.
  // 2 x 37,248 + 64,000 (tied) + 64 = 138,560; active 138,560 - 2 x 2 x
  // 6,144 = 113,984.
  const model::ParamBreakdown p = Count(
      R"({"model_type": "granitemoe", "vocab_size": 1000, "hidden_size": 64,
                "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
                "intermediate_size": 32, "num_local_experts": 4, "num_experts_per_tok": 2,
                "tie_word_embeddings": true})");
  EXPECT_EQ(p.total(), 138'560);
  EXPECT_EQ(p.active(), 113'984);
}

// Olmo2ForCausalLM (modeling_olmo2.py): Olmo2Attention q_norm [H h] and
// k_norm [K h] over the whole projections; post_attention and
// post_feedforward norms.
TEST(HfFamiliesTest, Olmo2ByHand) {
  // attention 12,288 + q_norm 64 + k_norm 32; MLP 24,576; norms 128: layer
  // 37,088. 2 x 37,088 + 128,000 + 64 = 202,240.
  EXPECT_EQ(
      Count(R"({"model_type": "olmo2", "vocab_size": 1000, "hidden_size": 64,
                      "num_hidden_layers": 2, "num_attention_heads": 4,
                      "num_key_value_heads": 2, "intermediate_size": 128})")
          .total(),
      202'240);
}

// OlmoeForCausalLM (modeling_olmoe.py): q_norm [d], k_norm [(d / H) K];
// OlmoeSparseMoeBlock gate [E, d], experts gate/up [f, d], down [d, f].
TEST(HfFamiliesTest, OlmoeByHand) {
  // attention 12,288 + 64 + 32; router 256; experts 4 x 6,144 = 24,576;
  // norms 128: layer 37,344. 2 x 37,344 + 128,000 + 64 = 202,752; active
  // 202,752 - 2 x 2 x 6,144 = 178,176.
  const model::ParamBreakdown p =
      Count(R"({"model_type": "olmoe", "vocab_size": 1000, "hidden_size": 64,
                "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
                "intermediate_size": 32, "num_experts": 4, "num_experts_per_tok": 2})");
  EXPECT_EQ(p.total(), 202'752);
  EXPECT_EQ(p.active(), 178'176);
}

// PhimoeForCausalLM (modeling_phimoe.py, main): q/k/v/o with biases
// (attention_bias), LayerNorms with bias, block_sparse_moe gate [E, d],
// experts w1/w3 [f, d], w2 [d, f]; lm_head with bias (lm_head_bias).
TEST(HfFamiliesTest, PhimoeByHand) {
  // q 4,096 + 64; k, v 2,048 + 32 each; o 4,096 + 64 = 12,480; router 256;
  // experts 24,576; norms 2 x 128 = 256: layer 37,568.
  // 2 x 37,568 + 64,000 + lm_head 64,000 + 1,000 + final LayerNorm 128 =
  // 204,264; active 204,264 - 2 x 2 x 6,144 = 179,688.
  const model::ParamBreakdown p =
      Count(R"({"model_type": "phimoe", "vocab_size": 1000, "hidden_size": 64,
                "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
                "intermediate_size": 32, "num_local_experts": 4, "num_experts_per_tok": 2,
                "attention_bias": true, "lm_head_bias": true})");
  EXPECT_EQ(p.total(), 204'264);
  EXPECT_EQ(p.active(), 179'688);
}

// Glm4ForCausalLM (modeling_glm4.py): q/k/v biases (attention_bias, default
// true), o_proj without; gate_up_proj [2f, d], down_proj [d, f]; four norms.
TEST(HfFamiliesTest, Glm4ByHand) {
  // H 4, K 2, h 16: q 4,096 + 64; k, v 2,048 + 32; o 4,096; MLP 24,576;
  // norms 256: layer 37,248. 2 x 37,248 + 128,000 + 64 = 202,560.
  EXPECT_EQ(
      Count(R"({"model_type": "glm4", "vocab_size": 1000, "hidden_size": 64,
                      "num_hidden_layers": 2, "num_attention_heads": 4,
                      "num_key_value_heads": 2, "head_dim": 16,
                      "intermediate_size": 128})")
          .total(),
      202'560);
}

// Glm4MoeForCausalLM (modeling_glm4_moe.py): glm4 attention (+ q_norm,
// k_norm [h] with use_qk_norm), two norms; first_k_dense_replace dense
// layers; MoE layers: gate [E, d] + e_score_correction_bias [E], experts
// [fe, d] / [d, fe], shared_experts of width fe x n_shared.
TEST(HfFamiliesTest, Glm4MoeByHand) {
  // H 4, K 2, h 32, attention_bias: q 128 x 64 + 128 = 8,320; k, v 4,096 +
  // 64 each; o 8,192; q/k norms 64: 24,896; norms 128.
  // Layer 0 dense: + 24,576 = 49,600. Layers 1, 2: router 512 + 8 = 520,
  // shared 3 x 64 x 16 = 3,072, 8 experts x 3,072 = 24,576: 53,192 each.
  // 49,600 + 2 x 53,192 + 128,000 + 64 = 284,048; active 284,048 - 2 x 6 x
  // 3,072 = 247,184.
  const model::ParamBreakdown p =
      Count(R"({"model_type": "glm4_moe", "vocab_size": 1000, "hidden_size": 64,
                "num_hidden_layers": 3, "num_attention_heads": 4, "num_key_value_heads": 2,
                "head_dim": 32, "intermediate_size": 128, "moe_intermediate_size": 16,
                "n_routed_experts": 8, "num_experts_per_tok": 2, "n_shared_experts": 1,
                "first_k_dense_replace": 1, "attention_bias": true, "use_qk_norm": true})");
  EXPECT_EQ(p.total(), 284'048);
  EXPECT_EQ(p.active(), 247'184);
}

// CohereForCausalLM (modeling_cohere.py): parallel block with one
// CohereLayerNorm (weight, no bias); use_qk_norm: q_norm [H, h], k_norm
// [K, h]; tied by default.
TEST(HfFamiliesTest, CohereByHand) {
  // attention 12,288 + 64 + 32; MLP 24,576; one norm 64: layer 37,024.
  // 2 x 37,024 + 64,000 + 64 = 138,112.
  EXPECT_EQ(
      Count(R"({"model_type": "cohere", "vocab_size": 1000, "hidden_size": 64,
                      "num_hidden_layers": 2, "num_attention_heads": 4,
                      "num_key_value_heads": 2, "intermediate_size": 128,
                      "use_qk_norm": true})")
          .total(),
      138'112);
}

// Cohere2ForCausalLM (modeling_cohere2.py): cohere's tensors without q/k
// norms; sliding layers change no count.
TEST(HfFamiliesTest, Cohere2ByHand) {
  // layer 12,288 + 24,576 + 64 = 36,928; 4 x 36,928 + 64,000 + 64 =
  // 211,776.
  EXPECT_EQ(
      Count(R"({"model_type": "cohere2", "vocab_size": 1000, "hidden_size": 64,
                      "num_hidden_layers": 4, "num_attention_heads": 4,
                      "num_key_value_heads": 2, "intermediate_size": 128,
                      "sliding_window": 16})")
          .total(),
      211'776);
}

// Starcoder2ForCausalLM (modeling_starcoder2.py): q/k/v/o with biases
// (use_bias), mlp.c_fc [f, d] + [f], c_proj [d, f] + [d], LayerNorms with
// bias; tied (no class field).
TEST(HfFamiliesTest, Starcoder2ByHand) {
  // attention 12,288 + 64 + 32 + 32 + 64 = 12,480; MLP 64 x 256 + 256 +
  // 256 x 64 + 64 = 33,088; norms 256: layer 45,824. 2 x 45,824 + 64,000 +
  // final LayerNorm 128 = 155,776.
  EXPECT_EQ(Count(R"({"model_type": "starcoder2", "vocab_size": 1000,
                      "hidden_size": 64, "num_hidden_layers": 2,
                      "num_attention_heads": 4, "num_key_value_heads": 2,
                      "intermediate_size": 256, "sliding_window": 16})")
                .total(),
            155'776);
}

// FalconForCausalLM (modeling_falcon.py): query_key_value [q, d] with q =
// (2 kv + H) h (new architecture), d + 2h (multi_query) or 3d; dense
// [d, d]; dense_h_to_4h / dense_4h_to_h with ffn_hidden_size (4 d); biases
// iff bias; nn.LayerNorm (weight and bias): ln_attn + ln_mlp (new
// architecture), input_layernorm (parallel), input + post_attention
// (sequential); ln_f.
TEST(HfFamiliesTest, FalconByHand) {
  // Defaults (multi_query, parallel, no bias, tied): qkv 64 x (64 + 32) =
  // 6,144; dense 4,096; MLP 2 x 64 x 256 = 32,768; one LayerNorm 128:
  // layer 43,136. 2 x 43,136 + 64,000 + 128 = 150,400.
  EXPECT_EQ(
      Count(R"({"model_type": "falcon", "vocab_size": 1000, "hidden_size": 64,
                      "num_hidden_layers": 2, "num_attention_heads": 4})")
          .total(),
      150'400);
  // New architecture, 2 KV heads, ffn 128, untied: qkv (4 + 4) x 16 x 64 =
  // 8,192; dense 4,096; MLP 16,384; two LayerNorms 256: layer 28,928.
  // 2 x 28,928 + 128,000 + 128 = 185,984.
  EXPECT_EQ(
      Count(R"({"model_type": "falcon", "vocab_size": 1000, "hidden_size": 64,
                      "num_hidden_layers": 2, "num_attention_heads": 4,
                      "num_kv_heads": 2, "new_decoder_architecture": true,
                      "tie_word_embeddings": false, "ffn_hidden_size": 128})")
          .total(),
      185'984);
  // Falcon-RW (MHA, sequential, biases, ALiBi): qkv 64 x 192 + 192 =
  // 12,480; dense 4,160; MLP 16,640 + 16,448 = 33,088; norms 256: layer
  // 49,984. 2 x 49,984 + 64,000 + 128 = 164,096.
  EXPECT_EQ(
      Count(R"({"model_type": "falcon", "vocab_size": 1000, "hidden_size": 64,
                      "num_hidden_layers": 2, "num_attention_heads": 4, "alibi": true,
                      "bias": true, "multi_query": false, "parallel_attn": false})")
          .total(),
      164'096);
}

// Kimi K2 (Moonshot's DeepseekV3ForCausalLM, model_type kimi_k2): MLA
// q_a_proj [q_lora, d], q_a_layernorm, q_b_proj [H (nope + rope), q_lora],
// kv_a_proj_with_mqa [kv_lora + rope, d], kv_a_layernorm, kv_b_proj
// [H (nope + v), kv_lora], o_proj [d, H v]; DeepseekV3MoE gate [E, d] +
// e_score_correction_bias [E], shared_experts of width fe x n_shared.
TEST(HfFamiliesTest, KimiK2ByHand) {
  // H 4, q_lora 32, kv_lora 16, nope 8, rope 4, v 8: q_a 2,048 + 32; q_b
  // 32 x 48 = 1,536; kv_a 64 x 20 = 1,280 + 16; kv_b 16 x 64 = 1,024; o
  // 32 x 64 = 2,048: MLA 7,984; norms 128. Layer 0 dense (f 128) + 24,576 =
  // 32,688; layers 1, 2: router 520, shared 3,072, experts 24,576 = 36,280.
  // 32,688 + 2 x 36,280 + 128,000 + 64 = 233,312; active - 2 x 6 x 3,072 =
  // 196,448.
  const char* kKimi =
      R"({"model_type": "kimi_k2", "vocab_size": 1000, "hidden_size": 64,
          "num_hidden_layers": 3, "num_attention_heads": 4, "num_key_value_heads": 4,
          "intermediate_size": 128, "moe_intermediate_size": 16, "n_routed_experts": 8,
          "n_shared_experts": 1, "num_experts_per_tok": 2, "first_k_dense_replace": 1,
          "q_lora_rank": 32, "kv_lora_rank": 16, "qk_nope_head_dim": 8,
          "qk_rope_head_dim": 4, "v_head_dim": 8})";
  EXPECT_EQ(Count(kKimi).total(), 233'312);
  EXPECT_EQ(Count(kKimi).active(), 196'448);
}

// DeepseekV32ForCausalLM (transformers main; DeepSeek-V3.2-Exp
// inference/model.py Indexer): DeepSeek-V3 plus per layer
// self_attn.indexer.wq_b [n ih, q_lora], wk [ih, d], k_norm (LayerNorm,
// weight and bias [ih]), weights_proj [n, d].
TEST(HfFamiliesTest, DeepseekV32ByHand) {
  // The Kimi config above with index_n_heads 2, index_head_dim 8: wq_b
  // 16 x 32 = 512; wk 8 x 64 = 512; k_norm 16; weights_proj 2 x 64 = 128:
  // 1,168 per layer, 3 layers: 233,312 + 3,504 = 236,816.
  const model::ParamBreakdown p = Count(
      R"({"model_type": "deepseek_v32", "vocab_size": 1000, "hidden_size": 64,
                "num_hidden_layers": 3, "num_attention_heads": 4, "num_key_value_heads": 4,
                "intermediate_size": 128, "moe_intermediate_size": 16,
                "n_routed_experts": 8, "n_shared_experts": 1, "num_experts_per_tok": 2,
                "first_k_dense_replace": 1, "q_lora_rank": 32, "kv_lora_rank": 16,
                "qk_nope_head_dim": 8, "qk_rope_head_dim": 4, "v_head_dim": 8,
                "index_n_heads": 2, "index_head_dim": 8, "index_topk": 16})");
  EXPECT_EQ(p.indexer(), 3'504);
  EXPECT_EQ(p.total(), 236'816);
  EXPECT_EQ(p.active(), 199'952);
  // DeepSeek-V3.2-Exp itself: DeepSeek-V3's 671,026,419,200 plus 61 x
  // (64 x 128 x 1536 + 128 x 7168 + 256 + 64 x 7168 = 13,959,424) =
  // 671,877,944,064 (DeepSeek's "685B" adds the MTP module).
  EXPECT_EQ(Count(R"({"model_type": "deepseek_v32", "vocab_size": 129280,
                      "hidden_size": 7168, "num_hidden_layers": 61,
                      "num_attention_heads": 128, "intermediate_size": 18432,
                      "moe_intermediate_size": 2048, "n_routed_experts": 256,
                      "n_shared_experts": 1, "num_experts_per_tok": 8,
                      "first_k_dense_replace": 3, "q_lora_rank": 1536,
                      "kv_lora_rank": 512, "qk_nope_head_dim": 128,
                      "qk_rope_head_dim": 64, "v_head_dim": 128, "index_n_heads": 64,
                      "index_head_dim": 128, "index_topk": 2048})")
                .total(),
            671'877'944'064);
}

// Llama4ForCausalLM (modeling_llama4.py): Llama4TextAttention (weightless
// L2 qk norm); MoE layers: Llama4TextMoe router [E, d], experts
// gate_up_proj [E, d, 2f], down_proj [E, f, d], shared_expert gate/up
// [f, d], down [d, f]; dense layers: Llama4TextMLP of intermediate_size_mlp.
TEST(HfFamiliesTest, Llama4TextByHand) {
  // 4 layers, interleave step 2: MoE at 1, 3. H 4, K 2, h 16: attention
  // 12,288; norms 128. Dense: 3 x 64 x 128 = 24,576 -> 36,992. MoE (f 32,
  // E 4, top-1): router 256, shared 6,144, experts 4 x 6,144 = 24,576 ->
  // 43,392. 2 x 36,992 + 2 x 43,392 + 128,000 + 64 = 288,832; active
  // 288,832 - 2 x 3 x 6,144 = 251,968.
  const model::ParamBreakdown p = Count(
      R"({"model_type": "llama4_text", "vocab_size": 1000, "hidden_size": 64,
                "num_hidden_layers": 4, "num_attention_heads": 4, "num_key_value_heads": 2,
                "head_dim": 16, "intermediate_size": 32, "intermediate_size_mlp": 128,
                "num_local_experts": 4, "num_experts_per_tok": 1,
                "interleave_moe_layer_step": 2, "attention_chunk_size": 16})");
  EXPECT_EQ(p.n_moe_blocks, 2);
  EXPECT_EQ(p.total(), 288'832);
  EXPECT_EQ(p.active(), 251'968);
}

// Qwen3NextForCausalLM (modeling_qwen3_next.py): Qwen3NextGatedDeltaNet
// in_proj_qkvz [2 n_k d_k + 2 n_v d_v, d], in_proj_ba [2 n_v, d], conv1d
// [2 n_k d_k + n_v d_v, 1, K], dt_bias, A_log [n_v], norm [d_v], out_proj
// [d, n_v d_v]; Qwen3NextAttention q_proj [2 H h, d] (query and gate).
TEST(HfFamiliesTest, Qwen3NextLinearAttentionByHand) {
  // Qwen3-Next-80B's Gated DeltaNet layer: in_proj_qkvz 2048 x (4,096 +
  // 8,192) = 25,165,824; in_proj_ba 2048 x 64 = 131,072; conv1d 8,192 x 4 =
  // 32,768; dt_bias + A_log 64; norm 128; out_proj 4,096 x 2048 =
  // 8,388,608: 33,718,464. Its gated attention layer: q 2048 x 8,192 =
  // 16,777,216; k, v 2048 x 512 each; o 4,096 x 2048; q/k norms 512:
  // 27,263,488.
  const model::ParamBreakdown p = Count(kFurtherCases[26].config);
  EXPECT_EQ(p.linear_attention, 33'718'464);
  EXPECT_EQ(p.n_linear_layers, 36);
  EXPECT_EQ(p.moe_block.attention, 27'263'488);
  EXPECT_EQ(p.linear_attention_total(), 36 * 33'718'464);
  EXPECT_EQ(p.attention(), 12 * 27'263'488);
}

// Qwen3_5ForCausalLM (modular_qwen3_5.py): Qwen3-Next's mixers with the
// projections split (in_proj_qkv, in_proj_z, in_proj_b, in_proj_a: the
// same total) and a dense MLP; the multimodal wrapper adds
// Qwen3_5VisionModel (Qwen3VLVisionModel without DeepStack) whose merger
// is the projector. No published Qwen3.5 count was found: derived here.
TEST(HfFamiliesTest, Qwen3_5ByHand) {
  // 4 layers (interval 4: linear 0-2, full 3), d 64, H 2, K 1, h 16, n_k 1,
  // n_v 2, d_k = d_v = 8, K 4, f 128, untied.
  // Linear mixer: key_dim 8, value_dim 16: in_proj 64 x (16 + 32) = 3,072;
  // b, a 64 x 4 = 256; conv1d (16 + 16) x 4 = 128; dt_bias + A_log 4; norm
  // 8; out_proj 16 x 64 = 1,024: 4,492.
  // Full mixer: q 64 x 64 = 4,096; k, v 64 x 16 = 1,024 each; o 32 x 64 =
  // 2,048; q/k norms 32: 8,224.
  // Per layer MLP 24,576 + norms 128 = 24,704.
  // 3 x 4,492 + 8,224 + 4 x 24,704 + 128,000 + 64 = 248,580.
  const char* kText =
      R"({"model_type": "qwen3_5_text", "vocab_size": 1000, "hidden_size": 64,
          "num_hidden_layers": 4, "num_attention_heads": 2, "num_key_value_heads": 1,
          "head_dim": 16, "intermediate_size": 128, "linear_num_key_heads": 1,
          "linear_num_value_heads": 2, "linear_key_head_dim": 8,
          "linear_value_head_dim": 8, "linear_conv_kernel_dim": 4})";
  EXPECT_EQ(Count(kText).total(), 248'580);
  // Wrapper with the vision tower: H 32, I 64, depth 2, channels 3, patch
  // 4, temporal 2, merge 2, out 64, 16 positions.
  // patch_embed 32 x 3 x 2 x 4 x 4 = 3,072 + 32; pos_embed 16 x 32 = 512;
  // per block: norms 128, qkv 32 x 96 + 96 = 3,168, proj 1,056, fc1 2,048 +
  // 64, fc2 2,048 + 32: 8,544, two 17,088: tower 20,704.
  // merger: norm 64; fc1 128 x 128 + 128 = 16,512; fc2 128 x 64 + 64 =
  // 8,256: projector 24,832.
  const model::ParamBreakdown w = Count(R"({"model_type": "qwen3_5",
                "text_config": {"model_type": "qwen3_5_text", "vocab_size": 1000,
                  "hidden_size": 64, "num_hidden_layers": 4, "num_attention_heads": 2,
                  "num_key_value_heads": 1, "head_dim": 16, "intermediate_size": 128,
                  "linear_num_key_heads": 1, "linear_num_value_heads": 2,
                  "linear_key_head_dim": 8, "linear_value_head_dim": 8},
                "vision_config": {"hidden_size": 32, "intermediate_size": 64, "depth": 2,
                  "patch_size": 4, "temporal_patch_size": 2, "spatial_merge_size": 2,
                  "out_hidden_size": 64, "num_position_embeddings": 16}})");
  EXPECT_EQ(w.total(), 248'580);
  EXPECT_EQ(w.vision_tower, 20'704);
  EXPECT_EQ(w.multimodal_projector, 24'832);
  EXPECT_EQ(w.checkpoint_total(), 248'580 + 20'704 + 24'832);
}

// The wrappers' vision towers by hand (SiglipVisionModel,
// Gemma3MultiModalProjector; PixtralVisionModel,
// Mistral3MultiModalProjector; Llama4VisionModel,
// Llama4MultiModalProjector).
TEST(HfFamiliesTest, VisionTowersByHand) {
  // gemma-3-4b's SigLIP So400m at 896 px, patch 14 (64 x 64 = 4,096
  // positions), no head: patch conv 1152 x 3 x 14 x 14 = 677,376 + 1,152;
  // positions 4,718,592; per layer 4 x (1152^2 + 1152) + 4 x 1152 +
  // (1152 x 4304 + 4304) + (4304 x 1152 + 1152) = 15,239,504, 27 layers
  // 411,466,608; post_layernorm 2,304: 416,866,032. Projector 1152 x 2560
  // + 1152 = 2,950,272.
  const model::ParamBreakdown g = Count(kFurtherCases[7].config);
  EXPECT_EQ(g.vision_tower, 416'866'032);
  EXPECT_EQ(g.multimodal_projector, 2'950'272);
  // Mistral-Small-3.1's Pixtral: patch_conv 1024 x 3 x 14 x 14 = 602,112;
  // ln_pre 1,024; 24 x (4 x 1024^2 + 3 x 1024 x 4096 + 2 x 1024) =
  // 402,702,336: 403,305,472. Projector: norm 1,024, patch merger
  // 4 x 1024^2 = 4,194,304, linear_1 1024 x 5120 = 5,242,880, linear_2
  // 5120^2 = 26,214,400: 35,652,608.
  const model::ParamBreakdown m = Count(kFurtherCases[25].config);
  EXPECT_EQ(m.vision_tower, 403'305'472);
  EXPECT_EQ(m.multimodal_projector, 35'652'608);
  // Llama-4-Scout's vision model: 24 x 24 + 1 = 577 positions; patch
  // 3 x 14 x 14 x 1408 = 827,904; class 1,408; positions 812,416;
  // layernorm_pre/post 5,632; per layer 4 x (1408^2 + 1408) + (1408 x 5632
  // + 5632) + (5632 x 1408 + 1408) + 4 x 1408 = 23,807,872, 34 layers
  // 809,467,648; adapter 5632 x 4096 + 4096^2 = 39,845,888: 850,960,896.
  // Projector 4096 x 5120 = 20,971,520.
  const model::ParamBreakdown l = Count(kFurtherCases[21].config);
  EXPECT_EQ(l.vision_tower, 850'960'896);
  EXPECT_EQ(l.multimodal_projector, 20'971'520);
}

// --- 4. Defaults, patterns, bad input --------------------------------------

model::Architecture Import(const char* config) {
  return ArchitectureFromHfConfig(config, "config.json");
}

TEST(HfFamiliesTest, ClassDefaultsWhereRealConfigsOmitFields) {
  // qwen3: head_dim 128 and 32 KV heads when absent (Qwen3Config).
  const auto q =
      Import(R"({"model_type": "qwen3", "vocab_size": 10, "hidden_size": 64,
                            "num_hidden_layers": 1, "num_attention_heads": 32,
                            "intermediate_size": 8})");
  EXPECT_EQ(q.head_size(), 128);
  EXPECT_EQ(q.kv_heads(), 32);
  // qwen3_moe: no head_dim field (hidden / heads), 4 KV heads.
  const auto qm = Import(
      R"({"model_type": "qwen3_moe", "vocab_size": 10, "hidden_size": 64,
          "num_hidden_layers": 1, "num_attention_heads": 8, "moe_intermediate_size": 8,
          "num_experts": 4, "num_experts_per_tok": 1})");
  EXPECT_EQ(qm.head_size(), 8);
  EXPECT_EQ(qm.kv_heads(), 4);
  // smollm3 and cohere tie by default, qwen3 and gpt_oss do not.
  EXPECT_FALSE(q.tied_embeddings);
  EXPECT_TRUE(
      Import(R"({"model_type": "smollm3", "vocab_size": 10, "hidden_size": 64,
                         "num_hidden_layers": 1, "num_attention_heads": 4,
                         "intermediate_size": 8})")
          .tied_embeddings);
  // gemma3 nested text_config: vocabulary 262,208, 8 heads, 4 KV heads,
  // head_dim 256 (Gemma3TextConfig), tied.
  const auto g = Import(
      R"({"model_type": "gemma3", "text_config": {"hidden_size": 2560,
          "intermediate_size": 10240, "num_hidden_layers": 34}})");
  EXPECT_EQ(g.vocab_size, 262208);
  EXPECT_EQ(g.n_heads, 8);
  EXPECT_EQ(g.kv_heads(), 4);
  EXPECT_EQ(g.head_size(), 256);
  EXPECT_TRUE(g.tied_embeddings);
  // ... and the base SigLIP without a vision_config (with its pooling head:
  // no vision_use_head key).
  EXPECT_GT(g.vision_tower_params, 0);
  // A top-level gemma3_text config must give its vocabulary.
  EXPECT_THROW(Import(R"({"model_type": "gemma3_text", "hidden_size": 64,
                          "intermediate_size": 8, "num_hidden_layers": 1,
                          "num_attention_heads": 4})"),
               InvalidInput);
}

TEST(HfFamiliesTest, PerLayerAttentionFromTheFamilyRules) {
  // gemma-3-1b (26 layers, no pattern key): sliding_window_pattern 6 -> full
  // at 5, 11, 17, 23; 22 layers slide over 512 keys.
  const auto g = Import(kReferenceCases[2].config);
  EXPECT_EQ(g.NumLayersOf(AttentionKind::kFull), 4);
  EXPECT_EQ(g.NumLayersOf(AttentionKind::kSliding), 22);
  EXPECT_EQ(g.sliding_window, 512);
  EXPECT_EQ(g.LayerKindAt(5).attention, AttentionKind::kFull);
  EXPECT_EQ(g.LayerKindAt(24).attention, AttentionKind::kSliding);
  // gpt-oss-20b: its layer_types, 12 sliding (128) + 12 full.
  const auto o = Import(kReferenceCases[3].config);
  EXPECT_EQ(o.layer_pattern.size(), 2U);
  EXPECT_EQ(o.NumLayersOf(AttentionKind::kSliding), 12);
  EXPECT_EQ(o.sliding_window, 128);
  // Llama-4-Scout: chunked (8192) RoPE layers, every 4th a global NoPE one.
  const auto l = Import(kFurtherCases[21].config);
  EXPECT_EQ(l.NumLayersOf(AttentionKind::kChunked), 36);
  EXPECT_EQ(l.NumLayersOf(AttentionKind::kFull), 12);
  EXPECT_TRUE(l.LayerKindAt(3).nope);
  EXPECT_EQ(l.attention_chunk, 8192);
  // SmolLM3-3B: NoPE every 4th layer, all full attention.
  const auto s = Import(kReferenceCases[5].config);
  EXPECT_EQ(s.NumLayersOf(AttentionKind::kFull), 36);
  EXPECT_TRUE(s.LayerKindAt(3).nope);
  EXPECT_FALSE(s.LayerKindAt(4).nope);
  // Command R7B: 3 sliding (RoPE) : 1 full (NoPE).
  const auto c = Import(R"({"model_type": "cohere2", "vocab_size": 256000,
                            "hidden_size": 4096, "num_hidden_layers": 32,
                            "num_attention_heads": 32, "num_key_value_heads": 8,
                            "intermediate_size": 14336, "sliding_window": 4096})");
  EXPECT_EQ(c.NumLayersOf(AttentionKind::kSliding), 24);
  EXPECT_TRUE(c.LayerKindAt(3).nope);
  EXPECT_EQ(model::CountParameters(c).total(), 8'028'033'024);  // = aya-8b
  // Mistral: one 4096 window for every layer when the key is absent
  // (Mistral-7B-v0.1), none when null.
  const char* kMistral =
      R"({"model_type": "mistral", "vocab_size": 32000, "hidden_size": 4096,
          "intermediate_size": 14336, "num_hidden_layers": 32,
          "num_attention_heads": 32, "num_key_value_heads": 8})";
  EXPECT_EQ(Import(kMistral).NumLayersOf(AttentionKind::kSliding), 32);
  EXPECT_EQ(Import(kMistral).sliding_window, 4096);
  // Qwen3-Next: linear at (i + 1) % 4 != 0.
  const auto n = Import(kFurtherCases[26].config);
  EXPECT_EQ(n.NumLayersOf(AttentionKind::kLinear), 36);
  EXPECT_EQ(n.LayerKindAt(3).attention, AttentionKind::kFull);
  // A depth no list could hold is still arithmetic when the rule repeats.
  const auto deep = Import(
      R"({"model_type": "gemma3_text", "vocab_size": 10, "hidden_size": 8,
          "num_hidden_layers": 6000000000, "num_attention_heads": 1,
          "num_key_value_heads": 1, "head_dim": 8, "intermediate_size": 8})");
  EXPECT_EQ(deep.NumLayersOf(AttentionKind::kFull), 1'000'000'000);
}

// The KV cache the imported configs imply, each layer by its kind (bf16).
TEST(HfFamiliesTest, KvCacheOfImportedConfigsCountsEachLayerByItsKind) {
  // gemma-3-1b-it at 32,768 tokens: its config gives sliding_window 512 and
  // no pattern, so Gemma3TextConfig's sliding_window_pattern 6 applies:
  // layers 5, 11, 17, 23 global, 22 local. Per token per layer 2 (K, V) x
  // 1 KV head x 256 x 2 bytes = 1,024: 4 x 32,768 x 1,024 + 22 x 512 x
  // 1,024 = 134,217,728 + 11,534,336 = 145,752,064 bytes.
  EXPECT_EQ(model::KvCacheBytes(Import(kReferenceCases[2].config), 32768),
            145'752'064);
  // gpt-oss-20b at 131,072: 12 sliding layers keep 128 tokens, 12 full
  // ones all; 2 x 8 x 64 x 2 = 2,048 bytes per token per layer:
  // (12 x 128 + 12 x 131,072) x 2,048 = 3,224,371,200.
  EXPECT_EQ(model::KvCacheBytes(Import(kReferenceCases[3].config), 131072),
            3'224'371'200);
  // Llama-4-Scout at 262,144: 36 chunked layers keep 8,192 tokens, 12
  // global ones all; 2 x 8 x 128 x 2 = 4,096 bytes: (36 x 8,192 + 12 x
  // 262,144) x 4,096 = 14,092,861,440.
  EXPECT_EQ(model::KvCacheBytes(Import(kFurtherCases[21].config), 262144),
            14'092'861'440);
  // Mistral-7B-v0.1 (no sliding_window key: 4,096) at 8,192 tokens: every
  // layer keeps 4,096; 32 x 4,096 x (2 x 8 x 128 x 2) = 536,870,912, half
  // of what full attention would keep.
  EXPECT_EQ(model::KvCacheBytes(
                Import(R"({"model_type": "mistral", "vocab_size": 32000,
                           "hidden_size": 4096, "intermediate_size": 14336,
                           "num_hidden_layers": 32, "num_attention_heads": 32,
                           "num_key_value_heads": 8})"),
                8192),
            536'870'912);
}

std::string Message(const char* config) {
  try {
    ArchitectureFromHfConfig(config, "config.json");
  } catch (const InvalidInput& e) {
    return e.what();
  }
  return "no error";
}

TEST(HfFamiliesTest, BadInputNamesTheConfigKey) {
  EXPECT_EQ(
      Message(
          R"({"model_type": "qwen3_moe", "vocab_size": 10, "hidden_size": 64,
                        "num_hidden_layers": 1, "num_attention_heads": 8,
                        "moe_intermediate_size": 8, "num_experts": 4,
                        "num_experts_per_tok": 8})"),
      "config.json: field 'num_experts_per_tok': 8 exceeds the 4 experts");
  EXPECT_EQ(
      Message(R"({"model_type": "gemma3", "text_config": {"hidden_size": 64,
                        "intermediate_size": 8, "num_hidden_layers": 1,
                        "num_attention_heads": 4, "num_key_value_heads": 3}})"),
      "config.json: field 'text_config.num_key_value_heads': 3 KV heads "
      "do not divide 4 query heads");
  EXPECT_EQ(
      Message(
          R"({"model_type": "glm4_moe", "vocab_size": 10, "hidden_size": 4096,
                        "num_hidden_layers": 1, "num_attention_heads": 96,
                        "intermediate_size": 8, "moe_intermediate_size": 8,
                        "n_routed_experts": 4, "num_experts_per_tok": 1})"),
      "config.json: field 'num_attention_heads': 96 heads do not divide "
      "d_model 4096 (set head_dim explicitly)");
  EXPECT_EQ(
      Message(R"({"model_type": "gpt_oss", "vocab_size": 10, "hidden_size": 64,
                        "num_hidden_layers": 2, "num_attention_heads": 4,
                        "intermediate_size": 8, "num_local_experts": 4,
                        "num_experts_per_tok": 1, "layer_types": ["full_attention"]})"),
      "config.json: field 'layer_types': lists 1 layers, but "
      "num_hidden_layers is 2");
  EXPECT_EQ(
      Message(R"({"model_type": "qwen3", "vocab_size": 10, "hidden_size": 64,
                        "num_hidden_layers": 1, "num_attention_heads": 4,
                        "intermediate_size": 8, "head_dim": null})"),
      "config.json: field 'head_dim': is null; this family's configuration "
      "class has no fallback for it (give the width of one head)");
  EXPECT_EQ(
      Message(R"({"model_type": "deepseek_v32", "vocab_size": 10,
                        "hidden_size": 64, "num_hidden_layers": 1,
                        "num_attention_heads": 4, "intermediate_size": 8,
                        "kv_lora_rank": 8, "qk_nope_head_dim": 8,
                        "qk_rope_head_dim": 4, "v_head_dim": 8})"),
      "config.json: field 'q_lora_rank': missing: DeepSeek-V3.2's indexer "
      "reads the query latent (q_lora_rank)");
  EXPECT_EQ(Message(R"({"model_type": "gemma3", "text_config":
                        {"model_type": "gemma3", "text_config": {}}})"),
            "config.json: field 'text_config.model_type': a multimodal gemma3 "
            "config inside a text_config");
  EXPECT_EQ(Message(R"({"model_type": "mistral3", "text_config":
                        {"model_type": "ministral3"}})"),
            "config.json: field 'text_config.model_type': unsupported text "
            "model_type 'ministral3' in a mistral3 config");
}

}  // namespace
}  // namespace scalesim::io

// Hugging Face config.json import and presets, against exact counts.
// The eight configs of ../shared/reference/hf-configs/ with their
// expected_counts.csv, written here as fixtures (architecture fields only),
// plus other public configs of the same families with their HF
// num_parameters().
#include "scalesim/io/architecture_io.hpp"

#include <cstdint>
#include <string>

#include <gtest/gtest.h>

#include "scalesim/core/error.hpp"
#include "scalesim/model/params.hpp"

#include "io/hf_case.hpp"

namespace scalesim::io {
namespace {

using testing::Case;
using testing::CheckCase;

// expected_counts.csv (sum of numel of the *ForCausalLM model).
const Case kReferenceCases[] = {
    {"gpt2",
     R"({"activation_function": "gelu_new", "model_type": "gpt2", "n_ctx": 1024, "n_embd": 768,
         "n_head": 12, "n_layer": 12, "n_positions": 1024, "vocab_size": 50257})",
     124'439'808,
     124'439'808},
    {"Llama-2-7b-hf",
     R"({"hidden_act": "silu", "hidden_size": 4096, "intermediate_size": 11008,
         "max_position_embeddings": 4096, "model_type": "llama", "num_attention_heads": 32,
         "num_hidden_layers": 32, "num_key_value_heads": 32, "rope_scaling": null,
         "tie_word_embeddings": false, "vocab_size": 32000})",
     6'738'415'616,
     6'738'415'616},
    {"Mixtral-8x7B-v0.1",
     R"({"hidden_act": "silu", "hidden_size": 4096, "intermediate_size": 14336,
         "max_position_embeddings": 32768, "model_type": "mixtral", "num_attention_heads": 32,
         "num_experts_per_tok": 2, "num_hidden_layers": 32, "num_key_value_heads": 8,
         "num_local_experts": 8, "sliding_window": null, "tie_word_embeddings": false,
         "vocab_size": 32000})",
     46'702'792'704,
     12'879'925'248},
    {"Qwen2-0.5B",
     R"({"hidden_act": "silu", "hidden_size": 896, "intermediate_size": 4864,
         "max_position_embeddings": 131072, "max_window_layers": 24, "model_type": "qwen2",
         "num_attention_heads": 14, "num_hidden_layers": 24, "num_key_value_heads": 2,
         "sliding_window": 131072, "tie_word_embeddings": true, "use_sliding_window": false,
         "vocab_size": 151936})",
     494'032'768,
     494'032'768},
    {"pythia-160m",
     R"({"hidden_act": "gelu", "hidden_size": 768, "intermediate_size": 3072,
         "max_position_embeddings": 2048, "model_type": "gpt_neox", "num_attention_heads": 12,
         "num_hidden_layers": 12, "rotary_emb_base": 10000, "rotary_pct": 0.25,
         "tie_word_embeddings": false, "use_parallel_residual": true, "vocab_size": 50304})",
     162'322'944,
     162'322'944},
    {"gemma-2b",
     R"({"attention_bias": false, "head_dim": 256, "hidden_act": "gelu", "hidden_size": 2048,
         "intermediate_size": 16384, "max_position_embeddings": 8192, "model_type": "gemma",
         "num_attention_heads": 8, "num_hidden_layers": 18, "num_key_value_heads": 1,
         "vocab_size": 256000})",
     2'506'172'416,
     2'506'172'416},
    {"Meta-Llama-3-8B",
     R"({"attention_bias": false, "hidden_act": "silu", "hidden_size": 4096,
         "intermediate_size": 14336, "max_position_embeddings": 8192, "model_type": "llama",
         "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8,
         "tie_word_embeddings": false, "vocab_size": 128256})",
     8'030'261'248,
     8'030'261'248},
    {"DeepSeek-V3",
     R"({"attention_bias": false, "first_k_dense_replace": 3, "hidden_act": "silu",
         "hidden_size": 7168, "intermediate_size": 18432, "kv_lora_rank": 512,
         "max_position_embeddings": 163840, "model_type": "deepseek_v3",
         "moe_intermediate_size": 2048, "moe_layer_freq": 1, "n_group": 8,
         "n_routed_experts": 256, "n_shared_experts": 1, "norm_topk_prob": true,
         "num_attention_heads": 128, "num_experts_per_tok": 8, "num_hidden_layers": 61,
         "num_key_value_heads": 128, "num_nextn_predict_layers": 1, "q_lora_rank": 1536,
         "qk_nope_head_dim": 128, "qk_rope_head_dim": 64, "scoring_func": "sigmoid",
         "tie_word_embeddings": false, "topk_group": 4, "topk_method": "noaux_tc",
         "v_head_dim": 128, "vocab_size": 129280})",
     671'026'419'200,
     37'552'297'472},
};

// Other public configs of the supported families; totals are the models'
// Hugging Face num_parameters() (each also derivable by hand from the
// modelling code).
const Case kOtherFamilyCases[] = {
    {"opt-350m (project_in/out, +2 positions, no final norm)",
     R"({"model_type": "opt", "vocab_size": 50272, "hidden_size": 1024, "ffn_dim": 4096,
         "num_hidden_layers": 24, "num_attention_heads": 16, "max_position_embeddings": 2048,
         "word_embed_proj_dim": 512, "do_layer_norm_before": false, "activation_function": "relu"})",
     331'196'416,
     331'196'416},
    {"bloom-560m (embedding LayerNorm, ALiBi, n_layer/n_head aliases)",
     R"({"model_type": "bloom", "vocab_size": 250880, "hidden_size": 1024, "n_layer": 24,
         "n_head": 16})",
     559'214'592,
     559'214'592},
    {"phi-2 (one LayerNorm per block, LM-head bias)",
     R"({"model_type": "phi", "vocab_size": 51200, "hidden_size": 2560, "intermediate_size": 10240,
         "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 32,
         "hidden_act": "gelu_new", "qk_layernorm": false, "tie_word_embeddings": false})",
     2'779'683'840,
     2'779'683'840},
    {"Phi-3-mini-4k-instruct",
     R"({"model_type": "phi3", "vocab_size": 32064, "hidden_size": 3072, "intermediate_size": 8192,
         "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 32,
         "tie_word_embeddings": false})",
     3'821'079'552,
     3'821'079'552},
    {"Mistral-7B-v0.1",
     R"({"model_type": "mistral", "vocab_size": 32000, "hidden_size": 4096,
         "intermediate_size": 14336, "num_hidden_layers": 32, "num_attention_heads": 32,
         "num_key_value_heads": 8, "tie_word_embeddings": false})",
     7'241'732'096,
     7'241'732'096},
    {"gemma-2-2b (four norms per block; tied by default)",
     R"({"model_type": "gemma2", "vocab_size": 256000, "hidden_size": 2304,
         "intermediate_size": 9216, "num_hidden_layers": 26, "num_attention_heads": 8,
         "num_key_value_heads": 4, "head_dim": 256})",
     2'614'341'888,
     2'614'341'888},
    {"DeepSeek-V2-Lite (no q LoRA)",
     R"({"model_type": "deepseek_v2", "vocab_size": 102400, "hidden_size": 2048,
         "intermediate_size": 10944, "moe_intermediate_size": 1408, "num_hidden_layers": 27,
         "num_attention_heads": 16, "num_key_value_heads": 16, "n_shared_experts": 2,
         "n_routed_experts": 64, "num_experts_per_tok": 6, "first_k_dense_replace": 1,
         "moe_layer_freq": 1, "kv_lora_rank": 512, "q_lora_rank": null,
         "qk_rope_head_dim": 64, "qk_nope_head_dim": 128, "v_head_dim": 128,
         "topk_method": "greedy", "tie_word_embeddings": false})",
     15'706'484'224,
     0},
    {"Qwen1.5-MoE-A2.7B (shared expert with gate)",
     R"({"model_type": "qwen2_moe", "vocab_size": 151936, "hidden_size": 2048,
         "intermediate_size": 5632, "moe_intermediate_size": 1408,
         "shared_expert_intermediate_size": 5632, "num_experts": 60, "num_experts_per_tok": 4,
         "num_hidden_layers": 24, "num_attention_heads": 16, "num_key_value_heads": 16,
         "decoder_sparse_step": 1, "tie_word_embeddings": false})",
     14'315'784'192,
     0},
};

TEST(HfConfigTest, ReferenceConfigsMatchExpectedCounts) {
  for (const Case& c : kReferenceCases) CheckCase(c);
}

TEST(HfConfigTest, OtherConfigsOfTheFamiliesMatch) {
  for (const Case& c : kOtherFamilyCases) CheckCase(c);
}

TEST(HfConfigTest, FamilyDefaults) {
  // gpt2: n_inner null means 4 * n_embd; tie_word_embeddings defaults to true.
  const auto gpt2 = ArchitectureFromHfConfig(
      R"({"model_type": "gpt2", "n_embd": 1024, "n_layer": 24, "n_head": 16, "n_inner": null,
          "n_positions": 1024, "vocab_size": 50257})",
      "gpt2-medium");
  EXPECT_EQ(gpt2.d_ff, 4096);
  EXPECT_TRUE(gpt2.tied_embeddings);
  EXPECT_EQ(model::CountParameters(gpt2).total(), 354'823'168);  // gpt2-medium
  // llama: untied by default; KV heads default to heads.
  const auto llama = ArchitectureFromHfConfig(
      R"({"model_type": "llama", "vocab_size": 32000, "hidden_size": 4096,
          "intermediate_size": 11008, "num_hidden_layers": 32, "num_attention_heads": 32})",
      "llama");
  EXPECT_FALSE(llama.tied_embeddings);
  EXPECT_EQ(llama.kv_heads(), 32);
  EXPECT_EQ(model::CountParameters(llama).total(), 6'738'415'616);
  // gemma: tied by default.
  const auto gemma = ArchitectureFromHfConfig(
      R"({"model_type": "gemma", "vocab_size": 256000, "hidden_size": 2048,
          "intermediate_size": 16384, "num_hidden_layers": 18, "num_attention_heads": 8,
          "num_key_value_heads": 1})",
      "gemma");
  EXPECT_TRUE(gemma.tied_embeddings);
  EXPECT_EQ(gemma.head_size(), 256);
  // qwen2: q/k/v biases, no o bias.
  const auto qwen = ArchitectureFromHfConfig(
      R"({"model_type": "qwen2", "vocab_size": 151936, "hidden_size": 896,
          "intermediate_size": 4864, "num_hidden_layers": 24, "num_attention_heads": 14,
          "num_key_value_heads": 2})",
      "qwen2");
  EXPECT_TRUE(qwen.q_bias && qwen.k_bias && qwen.v_bias);
  EXPECT_FALSE(qwen.o_bias);
  EXPECT_FALSE(qwen.tied_embeddings);
}

TEST(HfConfigTest, ErrorsNameTheProblem) {
  auto message = [](const char* text) {
    try {
      ArchitectureFromHfConfig(text, "config.json");
    } catch (const InvalidInput& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message(R"({"model_type": "t5", "d_model": 512})"),
            "config.json: field 'model_type': unsupported model_type 't5' "
            "(supported: bloom, cohere, cohere2, deepseek_v2, deepseek_v3, "
            "deepseek_v32, falcon, gemma, gemma2, gemma3, gemma3_text, glm4, "
            "glm4_moe, gpt2, gpt_neox, gpt_oss, granite, granitemoe, kimi_k2, "
            "llama, llama4, llama4_text, mistral, mistral3, mixtral, olmo2, "
            "olmoe, opt, phi, phi3, phimoe, qwen2, qwen2_moe, qwen3, qwen3_5, "
            "qwen3_5_text, qwen3_moe, qwen3_next, smollm3, starcoder2)");
  EXPECT_EQ(message(R"({"hidden_size": 512})"),
            "config.json: field 'model_type': missing required field");
  EXPECT_EQ(
      message(
          R"({"model_type": "llama", "vocab_size": 32000, "num_hidden_layers": 2,
                        "num_attention_heads": 4, "intermediate_size": 64})"),
      "config.json: field 'hidden_size': missing required field");
  EXPECT_EQ(
      message(
          R"({"model_type": "gpt2", "n_embd": 100, "n_layer": 2, "n_head": 3,
                        "n_positions": 8, "vocab_size": 10})"),
      "config.json: field 'n_head': 3 heads do not divide d_model 100 (set "
      "head_dim "
      "explicitly)");
  EXPECT_EQ(
      message(R"({"model_type": "llama", "vocab_size": 32000, "hidden_size": 64,
                        "num_hidden_layers": 2, "num_attention_heads": 4,
                        "num_key_value_heads": 3, "intermediate_size": 64})"),
      "config.json: field 'num_key_value_heads': 3 KV heads do not divide 4 "
      "query "
      "heads");
  EXPECT_EQ(
      message(
          R"({"model_type": "llama", "vocab_size": 32000, "hidden_size": -64,
                        "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 64})"),
      "config.json: field 'hidden_size': must be a positive integer, got -64");
  EXPECT_EQ(message(R"({"model_type": "llama", "vocab_size": "big"})"),
            "config.json: field 'vocab_size': must be an integer, got \"big\"");
  EXPECT_EQ(message("{\n\"model_type\": \"llama\",\n oops}"),
            "config.json:3: invalid JSON");
}

TEST(ScalesimJsonTest, ReadsAndRejectsUnknownFields) {
  const auto a = ArchitectureFromJson(
      R"({"name": "tiny", "vocab_size": 1000, "d_model": 64, "n_layers": 2, "n_heads": 4,
          "d_ff": 256, "mlp": "gated", "norm": "rmsnorm", "moe": {"num_experts": 4,
          "experts_per_token": 1, "expert_d_ff": 128}})",
      "tiny.json");
  EXPECT_EQ(a.moe.num_experts, 4);
  EXPECT_EQ(a.mlp, model::MlpKind::kGated);
  EXPECT_THROW(ArchitectureFromJson(R"({"d_modle": 64})", "typo.json"),
               InvalidInput);
  EXPECT_THROW(
      ArchitectureFromJson(R"({"vocab_size": 10, "d_model": 64, "n_layers": 2,
                                        "n_heads": 4, "d_ff": 8, "norm": "batchnorm"})",
                           "bad.json"),
      InvalidInput);
}

TEST(ScalesimJsonTest, ReadsPerLayerAttentionAndCheckpointComponents) {
  const auto a = ArchitectureFromJson(
      R"({"name": "hybrid", "vocab_size": 1000, "d_model": 64, "n_layers": 6,
          "n_heads": 4, "d_ff": 256, "mlp": "gated", "norm": "rmsnorm",
          "qk_norm": true, "qk_norm_full_width": true, "attention_sinks": true,
          "layer_pattern": ["sliding", "linear", "full-nope"], "sliding_window": 512,
          "linear_attention": {"num_key_heads": 2, "num_value_heads": 4,
                               "key_head_dim": 8, "value_head_dim": 8,
                               "conv_kernel": 4},
          "vision_tower_params": 10, "multimodal_projector_params": 2})",
      "hybrid.json");
  EXPECT_EQ(a.NumLayersOf(model::AttentionKind::kLinear), 2);
  EXPECT_TRUE(a.LayerKindAt(5).nope);
  EXPECT_EQ(a.sliding_window, 512);
  EXPECT_EQ(model::CountParameters(a).checkpoint_total() -
                model::CountParameters(a).total(),
            12);
  EXPECT_THROW(
      ArchitectureFromJson(R"({"vocab_size": 10, "d_model": 64, "n_layers": 2,
                               "n_heads": 4, "d_ff": 8, "layer_pattern": ["local"]})",
                           "bad.json"),
      InvalidInput);
}

// Presets against published sizes [data/README.md].
TEST(PresetTest, PresetsHaveTheirPublishedSizes) {
  auto total = [](const char* name) {
    return model::CountParameters(LoadPreset(name)).total();
  };
  EXPECT_EQ(total("gpt2-small"), 124'439'808);
  EXPECT_EQ(total("gpt2-medium"), 354'823'168);
  EXPECT_EQ(total("gpt2-large"), 774'030'080);
  EXPECT_EQ(total("gpt2-xl"), 1'557'611'200);
  EXPECT_EQ(total("gpt3-175b"), 174'604'259'328);
  EXPECT_EQ(total("llama2-7b"), 6'738'415'616);
  EXPECT_EQ(total("llama2-13b"), 13'015'864'320);
  EXPECT_EQ(total("llama2-70b"), 68'976'648'192);
  EXPECT_EQ(total("llama3-8b"), 8'030'261'248);
  EXPECT_EQ(total("llama3-70b"), 70'553'706'496);
  EXPECT_EQ(total("llama3-405b"), 405'853'388'800);
  EXPECT_EQ(total("mistral-7b"), 7'241'732'096);
  EXPECT_EQ(total("mixtral-8x7b"), 46'702'792'704);
  EXPECT_EQ(total("nanochat-d20"), 560'988'160);
  EXPECT_EQ(total("nanochat-d8"), 92'274'688);
  constexpr double kPublishedTolerance =
      0.01;  // Table A9 / Rae et al. give ~70B / 280B
  EXPECT_NEAR(static_cast<double>(total("chinchilla-70b")),
              70.06e9,
              70.06e9 * kPublishedTolerance);
  EXPECT_NEAR(static_cast<double>(total("gopher-280b")),
              280e9,
              280e9 * kPublishedTolerance);
}

TEST(PresetTest, ListAndUnknown) {
  const auto presets = ListPresets();
  EXPECT_EQ(
      presets.size(),
      30U);  // 4 GPT-2, 8 GPT-3, 6 Llama, 2 Mistral, 2 DeepMind, 8 nanochat
  EXPECT_THROW(LoadPreset("gpt5"), InvalidInput);
}

}  // namespace
}  // namespace scalesim::io

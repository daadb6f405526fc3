// The bad-input matrix of docs/errors.md, one test per row, run against the
// real binary: exit code 2, exactly one line on stderr naming the file, line,
// field or flag, nothing on stdout and nothing left in the output directory
// (neither the output file nor a temporary file). Also: an output is never
// half-written when the process is killed in the middle of writing it.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "cli/cli_test_support.hpp"
#include "safetensors_test_support.hpp"
#include "test_support.hpp"

extern char** environ;

namespace scalesim::testing {
namespace {

// The checkpoint rows' config.json and one-tensor header.
constexpr const char* kTinyQwen3 =
    R"({"model_type": "qwen3", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 32, "intermediate_size": 128})";
constexpr const char* kOneTensor =
    R"({"t": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}})";

std::string Padded(std::string header) {
  while (header.size() % 8 != 0) header += ' ';
  return header;
}

// An 8-byte little-endian length that need not match what follows.
std::string LengthPrefixed(std::uint64_t n, const std::string& rest) {
  std::string out(8, '\0');
  for (std::size_t i = 0; i < 8; ++i) {
    out[i] = static_cast<char>(n & 0xFFU);
    n >>= 8;
  }
  return out + rest;
}

// Input files the rows refer to as {in}/<name>. Contents are the smallest
// file showing each class of bad input (docs/errors.md, "Fixtures").
const std::map<std::string, std::string>& Fixtures() {
  static const std::map<std::string, std::string> files =
      {
          {"bad_syntax.json", "{\"a\": 1,\n \"b\": }\n"},
          {"not_object.json", "[1, 2]\n"},
          {"arch_ok.json",
           R"({"name": "a", "n_layers": 2, "d_model": 64, "n_heads": 4, "vocab_size": 100, "d_ff": 256})"},
          {"arch_unknown.json",
           R"({"name": "a", "n_layers": 2, "d_model": 64, "n_heads": 4, "vocab_size": 100, "d_ff": 256, "colour": 1})"},
          {"arch_type.json",
           R"({"name": "a", "n_layers": "two", "d_model": 64, "n_heads": 4, "vocab_size": 100, "d_ff": 256})"},
          {"arch_fraction.json",
           R"({"name": "a", "n_layers": 2, "d_model": 64.5, "n_heads": 4, "vocab_size": 100, "d_ff": 256})"},
          {"arch_heads.json",
           R"({"name": "a", "n_layers": 2, "d_model": 64, "n_heads": 5, "vocab_size": 100, "d_ff": 256})"},
          {"arch_kv.json",
           R"({"name": "a", "n_layers": 2, "d_model": 64, "n_heads": 4, "n_kv_heads": 3, "vocab_size": 100, "d_ff": 256})"},
          {"arch_enum.json",
           R"({"name": "a", "n_layers": 2, "d_model": 64, "n_heads": 4, "vocab_size": 100, "d_ff": 256, "mlp": "cubic"})"},
          {"hf_t5.json", R"({"model_type": "t5", "d_model": 512})"},
          {"hf_missing.json",
           R"({"model_type": "llama", "vocab_size": 32000, "hidden_size": 4096, "intermediate_size": 11008, "num_hidden_layers": 32})"},
          {"hf_type.json",
           R"({"model_type": "llama", "vocab_size": "big", "hidden_size": 4096, "intermediate_size": 11008, "num_hidden_layers": 32, "num_attention_heads": 32})"},
          {"hf_kv.json",
           R"({"model_type": "llama", "vocab_size": 32000, "hidden_size": 4096, "intermediate_size": 11008, "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 5})"},
          {"hf_overflow.json",
           R"({"model_type": "llama", "vocab_size": 3200000000000, "hidden_size": 4096000000, "intermediate_size": 11008, "num_hidden_layers": 32, "num_attention_heads": 32})"},
          // One per HF family (issue 12): a missing required field and an
          // inconsistent config.
          {"hf_qwen3_missing.json",
           R"({"model_type": "qwen3", "vocab_size": 1000, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128})"},
          {"hf_qwen3_bad.json",
           R"({"model_type": "qwen3", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128, "num_key_value_heads": 3})"},
          {"hf_qwen3_moe_missing.json",
           R"({"model_type": "qwen3_moe", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128, "num_experts": 4, "num_experts_per_tok": 2})"},
          {"hf_qwen3_moe_bad.json",
           R"({"model_type": "qwen3_moe", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128, "moe_intermediate_size": 32, "num_experts": 4, "num_experts_per_tok": 8})"},
          {"hf_qwen3_next_missing.json",
           R"({"model_type": "qwen3_next", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128, "moe_intermediate_size": 32, "num_experts_per_tok": 2})"},
          {"hf_qwen3_next_bad.json",
           R"({"model_type": "qwen3_next", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128, "moe_intermediate_size": 32, "num_experts": 4, "num_experts_per_tok": 2, "linear_num_key_heads": 3, "linear_num_value_heads": 4})"},
          {"hf_qwen3_5_text_missing.json",
           R"({"model_type": "qwen3_5_text", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4})"},
          {"hf_qwen3_5_text_bad.json",
           R"({"model_type": "qwen3_5_text", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128, "num_key_value_heads": 3})"},
          {"hf_qwen3_5_missing.json",
           R"({"model_type": "qwen3_5", "text_config": {"model_type": "qwen3_5_text", "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128}})"},
          {"hf_qwen3_5_bad.json",
           R"({"model_type": "qwen3_5", "text_config": {"model_type": "qwen3_5_text", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128, "num_key_value_heads": 3}})"},
          {"hf_gemma3_text_missing.json",
           R"({"model_type": "gemma3_text", "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128})"},
          {"hf_gemma3_text_bad.json",
           R"({"model_type": "gemma3_text", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128, "num_key_value_heads": 3})"},
          {"hf_gemma3_missing.json",
           R"({"model_type": "gemma3", "text_config": {"hidden_size": 64, "num_hidden_layers": 2}})"},
          {"hf_gemma3_bad.json",
           R"({"model_type": "gemma3", "text_config": {"hidden_size": 64, "num_hidden_layers": 2, "intermediate_size": 128, "num_attention_heads": 4, "num_key_value_heads": 3}})"},
          {"hf_llama4_text_missing.json",
           R"({"model_type": "llama4_text", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 32, "intermediate_size_mlp": 128, "num_experts_per_tok": 1})"},
          {"hf_llama4_text_bad.json",
           R"({"model_type": "llama4_text", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 32, "intermediate_size_mlp": 128, "num_local_experts": 4, "num_experts_per_tok": 8, "num_key_value_heads": 2})"},
          {"hf_llama4_missing.json",
           R"({"model_type": "llama4", "text_config": {"model_type": "llama4_text", "vocab_size": 1000, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 32, "intermediate_size_mlp": 128, "num_local_experts": 4, "num_experts_per_tok": 1}})"},
          {"hf_llama4_bad.json",
           R"({"model_type": "llama4", "text_config": {"model_type": "llama4_text", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 32, "intermediate_size_mlp": 128, "num_local_experts": 4, "num_experts_per_tok": 1, "num_key_value_heads": 3}})"},
          {"hf_mistral3_missing.json", R"({"model_type": "mistral3", "text_config": {"model_type": "mistral", "vocab_size": 1000, "hidden_size": 64, "num_attention_heads": 4, "intermediate_size": 128}})"},
          {"hf_mistral3_bad.json",
           R"({"model_type": "mistral3", "text_config": {"model_type": "mistral", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128, "num_key_value_heads": 3}})"},
          {"hf_gpt_oss_missing.json",
           R"({"model_type": "gpt_oss", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128, "num_experts_per_tok": 2})"},
          {"hf_gpt_oss_bad.json",
           R"({"model_type": "gpt_oss", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128, "num_local_experts": 4, "num_experts_per_tok": 8, "num_key_value_heads": 2})"},
          {"hf_smollm3_missing.json",
           R"({"model_type": "smollm3", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "intermediate_size": 128})"},
          {"hf_smollm3_bad.json",
           R"({"model_type": "smollm3", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128, "num_key_value_heads": 3})"},
          {"hf_granite_missing.json",
           R"({"model_type": "granite", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4})"},
          {"hf_granite_bad.json",
           R"({"model_type": "granite", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 3, "intermediate_size": 128})"},
          {"hf_granitemoe_missing.json",
           R"({"model_type": "granitemoe", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128, "num_local_experts": 4})"},
          {"hf_granitemoe_bad.json",
           R"({"model_type": "granitemoe", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128, "num_local_experts": 4, "num_experts_per_tok": 8})"},
          {"hf_olmo2_missing.json",
           R"({"model_type": "olmo2", "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128})"},
          {"hf_olmo2_bad.json",
           R"({"model_type": "olmo2", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128, "num_key_value_heads": 3})"},
          {"hf_olmoe_missing.json",
           R"({"model_type": "olmoe", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128, "num_experts_per_tok": 2})"},
          {"hf_olmoe_bad.json",
           R"({"model_type": "olmoe", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128, "num_experts": 4, "num_experts_per_tok": 2, "head_dim": 32})"},
          {"hf_phimoe_missing.json", R"({"model_type": "phimoe", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128, "num_experts_per_tok": 2})"},
          {"hf_phimoe_bad.json",
           R"({"model_type": "phimoe", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128, "num_local_experts": 4, "num_experts_per_tok": 8, "num_key_value_heads": 2})"},
          {"hf_glm4_missing.json",
           R"({"model_type": "glm4", "vocab_size": 1000, "hidden_size": 64, "num_attention_heads": 4, "intermediate_size": 128})"},
          {"hf_glm4_bad.json",
           R"({"model_type": "glm4", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128, "num_key_value_heads": 3})"},
          {"hf_glm4_moe_missing.json",
           R"({"model_type": "glm4_moe", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "moe_intermediate_size": 16, "n_routed_experts": 4, "num_experts_per_tok": 2})"},
          {"hf_glm4_moe_bad.json",
           R"({"model_type": "glm4_moe", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 96, "intermediate_size": 128, "moe_intermediate_size": 16, "n_routed_experts": 4, "num_experts_per_tok": 2})"},
          {"hf_cohere_missing.json",
           R"({"model_type": "cohere", "vocab_size": 1000, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128})"},
          {"hf_cohere_bad.json",
           R"({"model_type": "cohere", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128, "num_key_value_heads": 3})"},
          {"hf_cohere2_missing.json",
           R"({"model_type": "cohere2", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4})"},
          {"hf_cohere2_bad.json",
           R"({"model_type": "cohere2", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128, "layer_types": ["sliding_attention"]})"},
          {"hf_starcoder2_missing.json",
           R"({"model_type": "starcoder2", "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128})"},
          {"hf_starcoder2_bad.json",
           R"({"model_type": "starcoder2", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128, "num_key_value_heads": 3})"},
          {"hf_falcon_missing.json",
           R"({"model_type": "falcon", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "intermediate_size": 128})"},
          {"hf_falcon_bad.json",
           R"({"model_type": "falcon", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 5, "intermediate_size": 128})"},
          {"hf_kimi_k2_missing.json",
           R"({"model_type": "kimi_k2", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128, "q_lora_rank": 32, "qk_nope_head_dim": 8, "qk_rope_head_dim": 4, "v_head_dim": 8, "moe_intermediate_size": 16, "n_routed_experts": 4, "num_experts_per_tok": 2, "n_shared_experts": 1, "first_k_dense_replace": 1})"},
          {"hf_kimi_k2_bad.json",
           R"({"model_type": "kimi_k2", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128, "kv_lora_rank": 16, "q_lora_rank": 32, "qk_nope_head_dim": 8, "qk_rope_head_dim": 4, "v_head_dim": 8, "moe_intermediate_size": 16, "n_routed_experts": 4, "num_experts_per_tok": 8, "n_shared_experts": 1, "first_k_dense_replace": 1})"},
          {"hf_deepseek_v32_missing.json",
           R"({"model_type": "deepseek_v32", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128, "kv_lora_rank": 16, "qk_nope_head_dim": 8, "qk_rope_head_dim": 4, "v_head_dim": 8, "moe_intermediate_size": 16, "n_routed_experts": 4, "num_experts_per_tok": 2, "n_shared_experts": 1, "first_k_dense_replace": 1})"},
          {"hf_deepseek_v32_bad.json",
           R"({"model_type": "deepseek_v32", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128, "kv_lora_rank": 16, "q_lora_rank": 32, "qk_nope_head_dim": 8, "qk_rope_head_dim": 4, "v_head_dim": 8, "moe_intermediate_size": 16, "n_routed_experts": 4, "num_experts_per_tok": 2, "n_shared_experts": 1, "first_k_dense_replace": 1, "index_head_dim": 0})"},
          // Checkpoint folders: a tiny Qwen3 config.json beside damaged or
          // hostile safetensors files.
          {"ckpt_short/config.json", kTinyQwen3},
          {"ckpt_short/model.safetensors", "abc"},
          {"ckpt_past_end/config.json", kTinyQwen3},
          {"ckpt_past_end/model.safetensors",
           LengthPrefixed(4096, Padded(kOneTensor) + std::string(8, '\0'))},
          {"ckpt_huge_header/config.json", kTinyQwen3},
          {"ckpt_huge_header/model.safetensors",
           LengthPrefixed(std::uint64_t{1} << 40,
                          Padded(kOneTensor) + std::string(8, '\0'))},
          {"ckpt_overflow/config.json", kTinyQwen3},
          {"ckpt_overflow/model.safetensors",
           WithHeader(
               R"({"t": {"dtype": "U8", "shape": [4611686018427387904, 4], "data_offsets": [0, 0]}})",
               0)},
          {"ckpt_not_json/config.json", kTinyQwen3},
          {"ckpt_not_json/model.safetensors", WithHeader("{not json}", 0)},
          {"ckpt_duplicate/config.json", kTinyQwen3},
          {"ckpt_duplicate/model.safetensors",
           WithHeader(
               R"({"t": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "t": {"dtype": "F32", "shape": [2], "data_offsets": [8, 16]}})",
               16)},
          {"ckpt_special/config.json", kTinyQwen3},
          {"ckpt_special/model.safetensors/placeholder", ""},  // a directory
          {"ckpt_empty/config.json", kTinyQwen3},
          {"ckpt_no_config/model.safetensors", WithHeader(kOneTensor, 8)},
          {"catalog_type.json",
           R"({"devices": [{"name": "x", "memory_gib": "big", "source": "s"}]})"},
          {"catalog_unknown.json",
           R"({"devices": [{"name": "x", "memory_gib": 80, "source": "s", "colour": "red"}]})"},
          {"catalog_negative.json",
           R"({"devices": [{"name": "x", "memory_gib": -80, "source": "s"}]})"},
          {"catalog_missing.json",
           R"({"devices": [{"name": "x", "source": "s"}]})"},
          {"catalog_network_negative.json",
           R"({"devices": [{"name": "x", "peak_tflops": {"bf16": 100}, "memory_gib": 80, "source": "s", "network": {"scale_up_domain": 8, "scale_up_gb_per_s": -450, "scale_up_latency_us": 2, "scale_out_gb_per_s": 50, "scale_out_latency_us": 5, "source": "n"}}]})"},
          {"law_type.json", R"({"name": "x", "form": "chinchilla", "constants": {"E": "1", "A": 1, "B": 1, "alpha": 0.3, "beta": 0.3}, "param_count": "total", "loss_units": "n", "dataset": "d", "citation": "c"})"},
          {"law_unknown.json",
           R"({"name": "x", "form": "chinchilla", "constants": {"E": 1, "A": 1, "B": 1, "alpha": 0.3, "beta": 0.3}, "param_count": "total", "loss_units": "n", "dataset": "d", "citation": "c", "bogus": 1})"},
          {"law_draws_length.json",
           R"({"name": "x", "form": "chinchilla", "constants": {"E": 1, "A": 1, "B": 1, "alpha": 0.3, "beta": 0.3}, "param_count": "total", "loss_units": "n", "dataset": "d", "citation": "c", "bootstrap": {"resamples": 3, "seed": 0, "draws": {"E": [1, 1, 1], "A": [1, 1], "B": [1, 1, 1], "alpha": [0.3, 0.3, 0.3], "beta": [0.3, 0.3, 0.3]}}})"},
          {"law_draws_negative.json",
           R"({"name": "x", "form": "chinchilla", "constants": {"E": 1, "A": 1, "B": 1, "alpha": 0.3, "beta": 0.3}, "param_count": "total", "loss_units": "n", "dataset": "d", "citation": "c", "bootstrap": {"resamples": 2, "seed": 0, "draws": {"E": [1, 1], "A": [1, 1], "B": [1, 1], "alpha": [0.3, -0.3], "beta": [0.3, 0.3]}}})"},
          {"law_draws_type.json",
           R"({"name": "x", "form": "chinchilla", "constants": {"E": 1, "A": 1, "B": 1, "alpha": 0.3, "beta": 0.3}, "param_count": "total", "loss_units": "n", "dataset": "d", "citation": "c", "bootstrap": {"resamples": 2, "seed": 0, "draws": {"E": [1, 1], "A": [1, 1], "B": ["x", 1], "alpha": [0.3, 0.3], "beta": [0.3, 0.3]}}})"},
          {"law_negative.json",
           R"({"name": "x", "form": "chinchilla", "constants": {"E": 1, "A": -1, "B": 1, "alpha": 0.3, "beta": 0.3}, "param_count": "total", "loss_units": "n", "dataset": "d", "citation": "c"})"},
          {"law_form.json",
           R"({"name": "x", "form": "cubic", "constants": {}, "param_count": "total", "loss_units": "n", "dataset": "d", "citation": "c"})"},
          {"hparams_form.json",
           R"({"name": "x", "form": "cubic", "constants": {}, "budget": "b", "units": "u", "dataset": "d", "citation": "c"})"},
          {"law_hparams_form.json",
           R"({"name": "x", "form": "critical_batch", "constants": {}, "param_count": "total", "loss_units": "n", "dataset": "d", "citation": "c"})"},
          {"law_dc_missing.json",
           R"({"name": "x", "form": "data_constrained", "constants": {"E": 1.87, "A": 520, "B": 1488, "alpha": 0.35, "beta": 0.35, "R_D_star": 15.4}, "param_count": "total", "loss_units": "n", "dataset": "d", "citation": "c"})"},
          {"law_missing.json", R"({"name": "x", "constants": {"E": 1, "A": 1, "B": 1, "alpha": 0.3, "beta": 0.3}, "param_count": "total", "loss_units": "n", "dataset": "d", "citation": "c"})"},
          {"law_syntax.json",
           "{\"name\": \"x\",\n\"form\": \"chinchilla\",\n  \"constants\": "
           "{\"E\": "
           "1,,}}\n"},
          {"runs_ok.csv", "N,D,loss\n1e9,2e10,2.5\n2e9,4e10,2.3\n"},
          {"runs_no_loss.csv", "N,D\n1e9,2e10\n"},
          {"runs_text.csv", "N,D,loss\n1e9,2e10,abc\n"},
          {"runs_nan.csv", "N,D,loss\n1e9,2e10,2.5\n1e9,nan,2.5\n"},
          {"runs_inf.csv", "N,D,loss\n1e9,2e10,inf\n"},
          {"runs_negative.csv", "N,D,loss\n1e9,2e10,2.5\n-1e9,2e10,2.5\n"},
          {"runs_zero.csv", "N,D,loss\n1e9,2e10,0\n"},
          {"runs_empty.csv", ""},
          {"runs_header.csv", "N,D,loss\n"},
          {"runs_short.csv", "N,D,loss\n1e9,2e10\n"},
          {"runs_long.csv", "N,D,loss\n1e9,2e10,2.5,7\n"},
          {"runs_quote.csv", "N,D,loss\n\"1e9,2e10,2.5\n"},
          {"runs_u_zero.csv",
           "N,D,U,loss\n1e9,2e10,1e10,2.5\n1e9,2e10,0,2.5\n"},
          {"runs_u_negative.csv", "N,D,U,loss\n1e9,2e10,-5e9,2.5\n"},
          {"runs_u_empty.csv", "N,D,U,loss\n1e9,2e10,,2.5\n"},
      };
  return files;
}

// One row of docs/errors.md. In `args`, {in} is the fixture directory,
// {out} a file in the (initially empty) output directory and {outdir} that
// directory. The stderr line must contain both `names` (the file:line,
// field or flag) and `message` (the key part of the problem).
struct Row {
  const char* id;
  const char* args;
  const char* names;
  const char* message;
};

const Row kRows[] = {
    // --- any command
    {"cli_unknown_command",
     "frobnicate",
     "command line",
     "unknown command 'frobnicate'"},
    // --- params (and the architecture flags/files of flops, memory, loss)
    {"params_unknown_flag",
     "params --preset gpt2-small --bogus --out {out}",
     "'--bogus'",
     "unrecognised option"},
    {"params_abbreviated_flag",
     "params --pres gpt2-small --out {out}",
     "'--pres'",
     "unrecognised option"},
    {"params_stray_argument",
     "params --preset gpt2-small extra --out {out}",
     "'extra'",
     "unexpected argument"},
    {"params_placeholder_argument",
     "params --preset %name% --out {out}",
     "'%name%'",
     "placeholder"},
    {"params_malformed_integer",
     "params --layers 1e3 --d-model 768 --heads 12 --vocab 100 --out {out}",
     "'--layers'",
     "is invalid"},
    {"params_missing_value", "params --preset", "'--preset'", "missing"},
    {"params_missing_required",
     "params --d-model 768 --heads 12 --vocab 100 --out {out}",
     "field '--layers'",
     "missing"},
    {"params_zero",
     "params --layers 0 --d-model 768 --heads 12 --vocab 100 --out {out}",
     "field '--layers'",
     "must be a positive integer, got 0"},
    {"params_negative",
     "params --layers 2 --d-model -768 --heads 12 --vocab 100 --out {out}",
     "field '--d-model'",
     "-768"},
    {"params_heads_not_dividing_width",
     "params --layers 2 --d-model 100 --heads 3 --vocab 100 --out {out}",
     "field '--heads'",
     "3 heads do not divide d_model 100"},
    {"params_kv_heads_not_dividing_heads",
     "params --preset llama2-70b --kv-heads 3 --out {out}",
     "field '--kv-heads'",
     "3 KV heads do not divide 64 query heads"},
    {"params_unknown_enum",
     "params --preset gpt2-small --mlp cubic --out {out}",
     "field '--mlp'",
     "unknown value 'cubic'"},
    {"params_malformed_bool",
     "params --preset gpt2-small --tied maybe --out {out}",
     "'--tied'",
     "is invalid"},
    {"params_unknown_preset",
     "params --preset nosuch --out {out}",
     "nosuch",
     "unknown preset 'nosuch'"},
    {"params_two_sources",
     "params --preset gpt2-small --arch {in}/arch_ok.json --out {out}",
     "field '--preset'",
     "give at most one"},
    {"params_missing_file",
     "params --hf-config {in}/nope.json --out {out}",
     "nope.json",
     "cannot read file"},
    {"params_directory_as_file",
     "params --arch {in} --out {out}",
     "{in}",
     "is a directory, not a file"},
    {"params_json_syntax",
     "params --arch {in}/bad_syntax.json --out {out}",
     "bad_syntax.json:2",
     "invalid JSON"},
    {"params_json_not_object",
     "params --arch {in}/not_object.json --out {out}",
     "not_object.json",
     "JSON object"},
    {"params_json_unknown_field",
     "params --arch {in}/arch_unknown.json --out {out}",
     "arch_unknown.json: field 'colour'",
     "unknown field"},
    {"params_json_wrong_type",
     "params --arch {in}/arch_type.json --out {out}",
     "arch_type.json: field 'n_layers'",
     "must be an integer, got \"two\""},
    {"params_json_fraction",
     "params --arch {in}/arch_fraction.json --out {out}",
     "arch_fraction.json: field 'd_model'",
     "must be an integer, got 64.5"},
    {"params_json_heads_not_dividing_width",
     "params --arch {in}/arch_heads.json --out {out}",
     "arch_heads.json: field 'n_heads'",
     "5 heads do not divide d_model 64"},
    {"params_json_kv_heads_not_dividing_heads",
     "params --arch {in}/arch_kv.json --out {out}",
     "arch_kv.json: field 'n_kv_heads'",
     "3 KV heads do not divide 4 query heads"},
    {"params_json_unknown_enum",
     "params --arch {in}/arch_enum.json --out {out}",
     "arch_enum.json: field 'mlp'",
     "unknown value 'cubic'"},
    {"params_hf_unsupported_model_type",
     "params --hf-config {in}/hf_t5.json --out {out}",
     "hf_t5.json",
     "unsupported model_type 't5'"},
    {"params_hf_missing_field",
     "params --hf-config {in}/hf_missing.json --out {out}",
     "hf_missing.json: field 'num_attention_heads'",
     "missing required field"},
    {"params_hf_wrong_type",
     "params --hf-config {in}/hf_type.json --out {out}",
     "hf_type.json: field 'vocab_size'",
     "must be an integer"},
    {"params_hf_kv_heads_not_dividing_heads",
     "params --hf-config {in}/hf_kv.json --out {out}",
     "hf_kv.json: field 'num_key_value_heads'",
     "5 KV heads do not divide 32 query heads"},
    {"params_overflow_flags",
     "params --layers 1000000 --d-model 100000000 --heads 1 --vocab 100 --out "
     "{out}",
     "command line: parameters of custom",
     "count overflows a 64-bit integer"},
    {"params_overflow_file",
     "params --hf-config {in}/hf_overflow.json --out {out}",
     "hf_overflow.json: parameters of llama",
     "count overflows a 64-bit integer"},
    // --- params: the HF families of issue 12 and checkpoint folders
    {"params_hf_qwen3_missing_field",
     "params --hf-config {in}/hf_qwen3_missing.json --out {out}",
     "hf_qwen3_missing.json: field 'hidden_size'",
     "missing required field"},
    {"params_hf_qwen3_inconsistent",
     "params --hf-config {in}/hf_qwen3_bad.json --out {out}",
     "hf_qwen3_bad.json: field 'num_key_value_heads'",
     "3 KV heads do not divide 4 query heads"},
    {"params_hf_qwen3_moe_missing_field",
     "params --hf-config {in}/hf_qwen3_moe_missing.json --out {out}",
     "hf_qwen3_moe_missing.json: field 'moe_intermediate_size'",
     "missing required field"},
    {"params_hf_qwen3_moe_inconsistent",
     "params --hf-config {in}/hf_qwen3_moe_bad.json --out {out}",
     "hf_qwen3_moe_bad.json: field 'num_experts_per_tok'",
     "8 exceeds the 4 experts"},
    {"params_hf_qwen3_next_missing_field",
     "params --hf-config {in}/hf_qwen3_next_missing.json --out {out}",
     "hf_qwen3_next_missing.json: field 'num_experts'",
     "missing required field"},
    {"params_hf_qwen3_next_inconsistent",
     "params --hf-config {in}/hf_qwen3_next_bad.json --out {out}",
     "hf_qwen3_next_bad.json: field 'linear_num_value_heads'",
     "4 value heads are not a multiple of 3 key heads"},
    {"params_hf_qwen3_5_text_missing_field",
     "params --hf-config {in}/hf_qwen3_5_text_missing.json --out {out}",
     "hf_qwen3_5_text_missing.json: field 'intermediate_size'",
     "missing required field"},
    {"params_hf_qwen3_5_text_inconsistent",
     "params --hf-config {in}/hf_qwen3_5_text_bad.json --out {out}",
     "hf_qwen3_5_text_bad.json: field 'num_key_value_heads'",
     "3 KV heads do not divide 4 query heads"},
    {"params_hf_qwen3_5_missing_field",
     "params --hf-config {in}/hf_qwen3_5_missing.json --out {out}",
     "hf_qwen3_5_missing.json: field 'text_config.vocab_size'",
     "missing required field"},
    {"params_hf_qwen3_5_inconsistent",
     "params --hf-config {in}/hf_qwen3_5_bad.json --out {out}",
     "hf_qwen3_5_bad.json: field 'text_config.num_key_value_heads'",
     "3 KV heads do not divide 4 query heads"},
    {"params_hf_gemma3_text_missing_field",
     "params --hf-config {in}/hf_gemma3_text_missing.json --out {out}",
     "hf_gemma3_text_missing.json: field 'vocab_size'",
     "missing required field"},
    {"params_hf_gemma3_text_inconsistent",
     "params --hf-config {in}/hf_gemma3_text_bad.json --out {out}",
     "hf_gemma3_text_bad.json: field 'num_key_value_heads'",
     "3 KV heads do not divide 4 query heads"},
    {"params_hf_gemma3_missing_field",
     "params --hf-config {in}/hf_gemma3_missing.json --out {out}",
     "hf_gemma3_missing.json: field 'text_config.intermediate_size'",
     "missing required field"},
    {"params_hf_gemma3_inconsistent",
     "params --hf-config {in}/hf_gemma3_bad.json --out {out}",
     "hf_gemma3_bad.json: field 'text_config.num_key_value_heads'",
     "3 KV heads do not divide 4 query heads"},
    {"params_hf_llama4_text_missing_field",
     "params --hf-config {in}/hf_llama4_text_missing.json --out {out}",
     "hf_llama4_text_missing.json: field 'num_local_experts'",
     "missing required field"},
    {"params_hf_llama4_text_inconsistent",
     "params --hf-config {in}/hf_llama4_text_bad.json --out {out}",
     "hf_llama4_text_bad.json: field 'num_experts_per_tok'",
     "8 exceeds the 4 experts"},
    {"params_hf_llama4_missing_field",
     "params --hf-config {in}/hf_llama4_missing.json --out {out}",
     "hf_llama4_missing.json: field 'text_config.hidden_size'",
     "missing required field"},
    {"params_hf_llama4_inconsistent",
     "params --hf-config {in}/hf_llama4_bad.json --out {out}",
     "hf_llama4_bad.json: field 'text_config.num_key_value_heads'",
     "3 KV heads do not divide 4 query heads"},
    {"params_hf_mistral3_missing_field",
     "params --hf-config {in}/hf_mistral3_missing.json --out {out}",
     "hf_mistral3_missing.json: field 'text_config.num_hidden_layers'",
     "missing required field"},
    {"params_hf_mistral3_inconsistent",
     "params --hf-config {in}/hf_mistral3_bad.json --out {out}",
     "hf_mistral3_bad.json: field 'text_config.num_key_value_heads'",
     "3 KV heads do not divide 4 query heads"},
    {"params_hf_gpt_oss_missing_field",
     "params --hf-config {in}/hf_gpt_oss_missing.json --out {out}",
     "hf_gpt_oss_missing.json: field 'num_local_experts'",
     "missing required field"},
    {"params_hf_gpt_oss_inconsistent",
     "params --hf-config {in}/hf_gpt_oss_bad.json --out {out}",
     "hf_gpt_oss_bad.json: field 'num_experts_per_tok'",
     "8 exceeds the 4 experts"},
    {"params_hf_smollm3_missing_field",
     "params --hf-config {in}/hf_smollm3_missing.json --out {out}",
     "hf_smollm3_missing.json: field 'num_attention_heads'",
     "missing required field"},
    {"params_hf_smollm3_inconsistent",
     "params --hf-config {in}/hf_smollm3_bad.json --out {out}",
     "hf_smollm3_bad.json: field 'num_key_value_heads'",
     "3 KV heads do not divide 4 query heads"},
    {"params_hf_granite_missing_field",
     "params --hf-config {in}/hf_granite_missing.json --out {out}",
     "hf_granite_missing.json: field 'intermediate_size'",
     "missing required field"},
    {"params_hf_granite_inconsistent",
     "params --hf-config {in}/hf_granite_bad.json --out {out}",
     "hf_granite_bad.json: field 'num_attention_heads'",
     "3 heads do not divide d_model 64"},
    {"params_hf_granitemoe_missing_field",
     "params --hf-config {in}/hf_granitemoe_missing.json --out {out}",
     "hf_granitemoe_missing.json: field 'num_experts_per_tok'",
     "missing required field"},
    {"params_hf_granitemoe_inconsistent",
     "params --hf-config {in}/hf_granitemoe_bad.json --out {out}",
     "hf_granitemoe_bad.json: field 'num_experts_per_tok'",
     "8 exceeds the 4 experts"},
    {"params_hf_olmo2_missing_field",
     "params --hf-config {in}/hf_olmo2_missing.json --out {out}",
     "hf_olmo2_missing.json: field 'vocab_size'",
     "missing required field"},
    {"params_hf_olmo2_inconsistent",
     "params --hf-config {in}/hf_olmo2_bad.json --out {out}",
     "hf_olmo2_bad.json: field 'num_key_value_heads'",
     "3 KV heads do not divide 4 query heads"},
    {"params_hf_olmoe_missing_field",
     "params --hf-config {in}/hf_olmoe_missing.json --out {out}",
     "hf_olmoe_missing.json: field 'num_experts'",
     "missing required field"},
    {"params_hf_olmoe_inconsistent",
     "params --hf-config {in}/hf_olmoe_bad.json --out {out}",
     "hf_olmoe_bad.json: field 'head_dim'",
     "32 differs from hidden_size / num_attention_heads, which OLMoE's q/k "
     "norms assume"},
    {"params_hf_phimoe_missing_field",
     "params --hf-config {in}/hf_phimoe_missing.json --out {out}",
     "hf_phimoe_missing.json: field 'num_local_experts'",
     "missing required field"},
    {"params_hf_phimoe_inconsistent",
     "params --hf-config {in}/hf_phimoe_bad.json --out {out}",
     "hf_phimoe_bad.json: field 'num_experts_per_tok'",
     "8 exceeds the 4 experts"},
    {"params_hf_glm4_missing_field",
     "params --hf-config {in}/hf_glm4_missing.json --out {out}",
     "hf_glm4_missing.json: field 'num_hidden_layers'",
     "missing required field"},
    {"params_hf_glm4_inconsistent",
     "params --hf-config {in}/hf_glm4_bad.json --out {out}",
     "hf_glm4_bad.json: field 'num_key_value_heads'",
     "3 KV heads do not divide 4 query heads"},
    {"params_hf_glm4_moe_missing_field",
     "params --hf-config {in}/hf_glm4_moe_missing.json --out {out}",
     "hf_glm4_moe_missing.json: field 'intermediate_size'",
     "missing required field"},
    {"params_hf_glm4_moe_inconsistent",
     "params --hf-config {in}/hf_glm4_moe_bad.json --out {out}",
     "hf_glm4_moe_bad.json: field 'num_attention_heads'",
     "96 heads do not divide d_model 64"},
    {"params_hf_cohere_missing_field",
     "params --hf-config {in}/hf_cohere_missing.json --out {out}",
     "hf_cohere_missing.json: field 'hidden_size'",
     "missing required field"},
    {"params_hf_cohere_inconsistent",
     "params --hf-config {in}/hf_cohere_bad.json --out {out}",
     "hf_cohere_bad.json: field 'num_key_value_heads'",
     "3 KV heads do not divide 4 query heads"},
    {"params_hf_cohere2_missing_field",
     "params --hf-config {in}/hf_cohere2_missing.json --out {out}",
     "hf_cohere2_missing.json: field 'intermediate_size'",
     "missing required field"},
    {"params_hf_cohere2_inconsistent",
     "params --hf-config {in}/hf_cohere2_bad.json --out {out}",
     "hf_cohere2_bad.json: field 'layer_types'",
     "lists 1 layers, but num_hidden_layers is 2"},
    {"params_hf_starcoder2_missing_field",
     "params --hf-config {in}/hf_starcoder2_missing.json --out {out}",
     "hf_starcoder2_missing.json: field 'vocab_size'",
     "missing required field"},
    {"params_hf_starcoder2_inconsistent",
     "params --hf-config {in}/hf_starcoder2_bad.json --out {out}",
     "hf_starcoder2_bad.json: field 'num_key_value_heads'",
     "3 KV heads do not divide 4 query heads"},
    {"params_hf_falcon_missing_field",
     "params --hf-config {in}/hf_falcon_missing.json --out {out}",
     "hf_falcon_missing.json: field 'num_attention_heads'",
     "missing required field"},
    {"params_hf_falcon_inconsistent",
     "params --hf-config {in}/hf_falcon_bad.json --out {out}",
     "hf_falcon_bad.json: field 'num_attention_heads'",
     "5 heads do not divide d_model 64"},
    {"params_hf_kimi_k2_missing_field",
     "params --hf-config {in}/hf_kimi_k2_missing.json --out {out}",
     "hf_kimi_k2_missing.json: field 'kv_lora_rank'",
     "missing required field"},
    {"params_hf_kimi_k2_inconsistent",
     "params --hf-config {in}/hf_kimi_k2_bad.json --out {out}",
     "hf_kimi_k2_bad.json: field 'num_experts_per_tok'",
     "8 exceeds the 4 experts"},
    {"params_hf_deepseek_v32_missing_field",
     "params --hf-config {in}/hf_deepseek_v32_missing.json --out {out}",
     "hf_deepseek_v32_missing.json: field 'q_lora_rank'",
     "missing: DeepSeek-V3.2's indexer reads the query latent"},
    {"params_hf_deepseek_v32_inconsistent",
     "params --hf-config {in}/hf_deepseek_v32_bad.json --out {out}",
     "hf_deepseek_v32_bad.json: field 'index_head_dim'",
     "must be a positive integer, got 0"},
    {"params_checkpoint_truncated_header",
     "params --checkpoint {in}/ckpt_short --out {out}",
     "ckpt_short/model.safetensors",
     "not a safetensors file: 3 bytes, shorter than the 8-byte header length"},
    {"params_checkpoint_header_past_end",
     "params --checkpoint {in}/ckpt_past_end --out {out}",
     "ckpt_past_end/model.safetensors",
     "header length 4096 bytes runs past the end of the file"},
    {"params_checkpoint_header_too_large",
     "params --checkpoint {in}/ckpt_huge_header --out {out}",
     "ckpt_huge_header/model.safetensors",
     "header length 1099511627776 bytes exceeds the 100,000,000-byte limit of "
     "the format"},
    {"params_checkpoint_shape_overflow",
     "params --checkpoint {in}/ckpt_overflow --out {out}",
     "ckpt_overflow/model.safetensors",
     "the shape of tensor 't' has more than 2^63 elements"},
    {"params_checkpoint_not_json",
     "params --checkpoint {in}/ckpt_not_json --out {out}",
     "ckpt_not_json/model.safetensors",
     "the header is not valid UTF-8 JSON"},
    {"params_checkpoint_duplicate_tensor",
     "params --checkpoint {in}/ckpt_duplicate --out {out}",
     "ckpt_duplicate/model.safetensors",
     "tensor 't' is listed twice"},
    {"params_checkpoint_special_file",
     "params --checkpoint {in}/ckpt_special --out {out}",
     "ckpt_special/model.safetensors",
     "not a regular file"},
    {"params_checkpoint_no_tensors",
     "params --checkpoint {in}/ckpt_empty --out {out}",
     "ckpt_empty",
     "no model.safetensors.index.json and no *.safetensors files"},
    {"params_checkpoint_no_config",
     "params --checkpoint {in}/ckpt_no_config --out {out}",
     "ckpt_no_config/config.json",
     "cannot read file"},
    {"params_checkpoint_not_a_directory",
     "params --checkpoint {in}/ckpt_short/config.json --out {out}",
     "ckpt_short/config.json",
     "not a directory"},
    {"params_unknown_format",
     "params --preset gpt2-small --format xml --out {out}",
     "field '--format'",
     "unknown value 'xml'"},
    {"params_unwritable_out",
     "params --preset gpt2-small --out {in}/no_such_dir/p.json",
     "no_such_dir/p.json",
     "cannot write file"},
    {"params_out_is_directory",
     "params --preset gpt2-small --out {outdir}",
     "{outdir}",
     "is a directory, not a file"},
    // --- flops
    {"flops_malformed_number",
     "flops --preset gpt2-small --tokens abc --out {out}",
     "'--tokens'",
     "is invalid"},
    {"flops_negative",
     "flops --preset gpt2-small --tokens -1 --out {out}",
     "field '--tokens'",
     "must be in (0, 1e+30], got -1"},
    {"flops_nan",
     "flops --preset gpt2-small --tokens nan --out {out}",
     "field '--tokens'",
     "got nan"},
    {"flops_infinite",
     "flops --preset gpt2-small --tokens inf --out {out}",
     "field '--tokens'",
     "got inf"},
    {"flops_beyond_double",
     "flops --preset gpt2-small --tokens 1e999 --out {out}",
     "'--tokens'",
     "is invalid"},
    {"flops_tokens_overflow",
     "flops --preset gpt2-small --tokens 1e300 --out {out}",
     "field '--tokens'",
     "must be in (0, 1e+30], got 1e+300"},
    {"flops_days_overflow",
     "flops --preset gpt2-small --device h100-sxm --days 1e300 --out {out}",
     "field '--days'",
     "must be in (0, 1e+30], got 1e+300"},
    {"flops_throughput_overflow",
     "flops --preset gpt2-small --device h100-sxm --tokens-per-second 1e300 "
     "--out {out}",
     "field '--tokens-per-second'",
     "must be in (0, 1e+30], got 1e+300"},
    {"flops_cost_overflow",
     "flops --preset gpt2-small --device h100-sxm --usd-per-hour 1e300 "
     "--tokens 1e30 --out {out}",
     "field '--usd-per-hour'",
     "must be in [0, 1e+09], got 1e+300"},
    {"flops_mfu_denormal",
     "flops --preset gpt2-small --device h100-sxm --mfu 5e-324 --tokens 1e30 "
     "--out {out}",
     "field '--mfu'",
     "the training time it gives exceeds the range of a double"},
    {"flops_mfu_above_one",
     "flops --preset gpt2-small --device h100-sxm --mfu 1.5 --out {out}",
     "field '--mfu'",
     "must be in (0, 1], got 1.5"},
    {"flops_mfu_zero",
     "flops --preset gpt2-small --device h100-sxm --mfu 0 --out {out}",
     "field '--mfu'",
     "must be in (0, 1], got 0"},
    {"flops_unknown_device",
     "flops --preset gpt2-small --device nosuch --out {out}",
     "field '--device'",
     "unknown device 'nosuch'"},
    {"flops_device_flag_without_device",
     "flops --preset gpt2-small --devices 4 --out {out}",
     "field '--device'",
     "--devices needs a --device"},
    {"flops_devices_zero",
     "flops --preset gpt2-small --device h100-sxm --devices 0 --out {out}",
     "field '--devices'",
     "must be a positive integer, got 0"},
    {"flops_price_negative",
     "flops --preset gpt2-small --device h100-sxm --usd-per-hour -1 --out "
     "{out}",
     "field '--usd-per-hour'",
     "must be in [0, 1e+09], got -1"},
    {"flops_seq_len_zero",
     "flops --preset gpt2-small --seq-len 0 --out {out}",
     "field '--seq-len'",
     "must be a positive integer, got 0"},
    {"flops_seq_len_overflow",
     "flops --preset gpt2-small --seq-len 100000000000 --out {out}",
     "FLOPs of gpt2-small",
     "count overflows a 64-bit integer"},
    {"flops_unknown_recompute",
     "flops --preset gpt2-small --recompute some --out {out}",
     "field '--recompute'",
     "unknown value 'some'"},
    {"flops_unknown_dtype",
     "flops --preset gpt2-small --dtype fp4 --out {out}",
     "field '--dtype'",
     "fp4"},
    {"flops_dtype_not_on_device",
     "flops --preset gpt2-small --device v100-sxm2-32gb --dtype fp8 --out "
     "{out}",
     "field '--dtype'",
     "fp8"},
    {"flops_unknown_moe_params",
     "flops --preset mixtral-8x7b --moe-params some --out {out}",
     "field '--moe-params'",
     "unknown value 'some'"},
    {"flops_catalog_syntax",
     "flops --preset gpt2-small --device h100-sxm --catalog "
     "{in}/bad_syntax.json --out {out}",
     "bad_syntax.json:2",
     "invalid JSON"},
    {"flops_missing_model",
     "flops --tokens 1e9 --out {out}",
     "field '--layers'",
     "missing"},
    {"flops_arch_heads_not_dividing_width",
     "flops --arch {in}/arch_heads.json --out {out}",
     "arch_heads.json: field 'n_heads'",
     "do not divide"},
    // --- memory
    {"memory_tp_not_dividing_heads",
     "memory --preset llama2-7b --tp 3 --out {out}",
     "field '--tp'",
     "tensor parallel degree 3 does not divide 32 attention heads"},
    {"memory_tp_zero",
     "memory --preset llama2-7b --tp 0 --out {out}",
     "field '--tp'",
     "must be a positive integer, got 0"},
    {"memory_pp_exceeds_layers",
     "memory --preset llama2-7b --pp 1000 --out {out}",
     "field '--pp'",
     "pipeline parallel degree 1000 exceeds 32 layers"},
    {"memory_dp_zero",
     "memory --preset llama2-7b --dp 0 --out {out}",
     "field '--dp'",
     "must be a positive integer, got 0"},
    {"memory_zero_stage",
     "memory --preset llama2-7b --zero 4 --out {out}",
     "field '--zero'",
     "must be 0, 1, 2 or 3, got 4"},
    {"memory_unknown_precision",
     "memory --preset llama2-7b --precision fp4 --out {out}",
     "field '--precision'",
     "unknown value 'fp4'"},
    {"memory_unknown_optimizer",
     "memory --preset llama2-7b --optimizer lion --out {out}",
     "field '--optimizer'",
     "unknown value 'lion'"},
    {"memory_seq_len_negative",
     "memory --preset llama2-7b --seq-len -5 --out {out}",
     "field '--seq-len'",
     "must be a positive integer, got -5"},
    {"memory_training_flag_with_inference",
     "memory --preset llama2-7b --inference --zero 1 --out {out}",
     "field '--zero'",
     "applies to training memory"},
    {"memory_inference_flag_without_inference",
     "memory --preset llama2-7b --batch 4 --out {out}",
     "field '--batch'",
     "applies to inference memory"},
    {"memory_stray_argument_after_switch",
     "memory --preset llama2-7b --sequence-parallel maybe --out {out}",
     "'maybe'",
     "unexpected argument"},
    {"memory_unknown_kv_dtype",
     "memory --preset llama2-7b --inference --kv-dtype fp2 --out {out}",
     "field '--kv-dtype'",
     "unknown value 'fp2'"},
    {"memory_unknown_weight_dtype",
     "memory --preset llama2-7b --inference --weight-dtype int2 --out {out}",
     "field '--weight-dtype'",
     "unknown value 'int2'"},
    {"memory_group_size_negative",
     "memory --preset llama2-7b --inference --group-size -1 --out {out}",
     "field '--group-size'",
     "must not be negative"},
    {"memory_batch_zero",
     "memory --preset llama2-7b --inference --batch 0 --out {out}",
     "field '--batch'",
     "must be a positive integer, got 0"},
    {"memory_activation_overflow",
     "memory --preset llama2-7b --micro-batch 1000000000000 --out {out}",
     "activation bytes of llama2-7b",
     "count overflows a 64-bit integer"},
    {"memory_kv_cache_overflow",
     "memory --preset llama2-7b --inference --batch 1000000000000 --out {out}",
     "inference memory of llama2-7b",
     "count overflows a 64-bit integer"},
    {"memory_unknown_device",
     "memory --preset llama2-7b --device nosuch --out {out}",
     "field '--device'",
     "unknown device 'nosuch'"},
    {"memory_catalog_wrong_type",
     "memory --preset llama2-7b --catalog {in}/catalog_type.json "
     "--which-devices --out {out}",
     "catalog_type.json: field 'devices[0].memory_gib'",
     "must be a number"},
    {"memory_catalog_non_positive",
     "memory --preset llama2-7b --catalog {in}/catalog_negative.json "
     "--which-devices --out {out}",
     "catalog_negative.json: field 'devices[0].memory_gib'",
     "must be positive, got -80"},
    {"memory_catalog_missing_field",
     "memory --preset llama2-7b --catalog {in}/catalog_missing.json "
     "--which-devices --out {out}",
     "catalog_missing.json: field 'devices[0].memory_gib'",
     "missing"},
    {"memory_hf_kv_heads_not_dividing_heads",
     "memory --hf-config {in}/hf_kv.json --out {out}",
     "hf_kv.json: field 'num_key_value_heads'",
     "do not divide"},
    // --- hardware
    {"hardware_catalog_unknown_field",
     "hardware --catalog {in}/catalog_unknown.json --out {out}",
     "catalog_unknown.json: field 'devices[0].colour'",
     "unknown field"},
    {"hardware_catalog_missing_file",
     "hardware --catalog {in}/nope.json --out {out}",
     "nope.json",
     "cannot read file"},
    {"hardware_catalog_syntax",
     "hardware --catalog {in}/bad_syntax.json --out {out}",
     "bad_syntax.json:2",
     "invalid JSON"},
    {"hardware_catalog_not_object",
     "hardware --catalog {in}/not_object.json --out {out}",
     "not_object.json",
     "object"},
    {"hardware_unknown_format",
     "hardware --format xml --out {out}",
     "field '--format'",
     "unknown value 'xml'"},
    {"hardware_stray_argument",
     "hardware extra --out {out}",
     "'extra'",
     "unexpected argument"},
    {"hardware_unwritable_out",
     "hardware --out {in}/no_such_dir/h.csv",
     "no_such_dir/h.csv",
     "cannot write file"},
    {"hardware_catalog_negative_bandwidth",
     "hardware --catalog {in}/catalog_network_negative.json --out {out}",
     "catalog_network_negative.json: field "
     "'devices[0].network.scale_up_gb_per_s'",
     "must be positive"},
    // --- step
    {"step_tp_not_dividing_heads",
     "step --preset llama2-7b --device h100-sxm --tp 3 --out {out}",
     "field '--tp'",
     "does not divide 32 attention heads"},
    {"step_tp_not_dividing_kv_heads",
     "step --layers 2 --d-model 768 --heads 48 --kv-heads 8 --head-dim 16 "
     "--d-ff 1024 --vocab 1000 --device h100-sxm --tp 6 --out {out}",
     "field '--tp'",
     "neither divides the 8 KV heads"},
    {"step_tp_not_dividing_domain",
     "step --preset llama2-7b --device h100-sxm --tp 16 --out {out}",
     "field '--tp'",
     "8-device scale-up domain"},
    {"step_pp_exceeds_layers",
     "step --preset llama2-7b --device h100-sxm --pp 33 --out {out}",
     "field '--pp'",
     "exceeds 32 layers"},
    {"step_global_batch_not_divisible",
     "step --preset llama2-7b --device h100-sxm --devices 8 --global-batch 12 "
     "--out {out}",
     "field '--global-batch'",
     "not a multiple of micro_batch x dp = 8"},
    {"step_devices_not_multiple",
     "step --preset llama2-7b --device h100-sxm --devices 12 --tp 8 --out "
     "{out}",
     "field '--devices'",
     "not a multiple of tp x cp x pp = 8"},
    {"step_dp_mismatch",
     "step --preset llama2-7b --device h100-sxm --devices 8 --dp 4 --out {out}",
     "field '--dp'",
     "does not match devices"},
    {"step_vp_without_pp",
     "step --preset llama2-7b --device h100-sxm --vp 2 --out {out}",
     "field '--vp'",
     "needs pp > 1"},
    {"step_cp_not_dividing_seq_len",
     "step --preset llama2-7b --device h100-sxm --cp 3 --out {out}",
     "field '--cp'",
     "not a multiple of 2 x cp = 6"},
    {"step_ep_dense_model",
     "step --preset llama2-7b --device h100-sxm --devices 2 --ep 2 --out {out}",
     "field '--ep'",
     "needs an MoE model"},
    {"step_both_batches",
     "step --preset llama2-7b --device h100-sxm --global-batch 8 "
     "--global-batch-tokens 32768 --out {out}",
     "field '--global-batch-tokens'",
     "not both"},
    {"step_batch_tokens_not_whole",
     "step --preset llama2-7b --device h100-sxm --global-batch-tokens 1000 "
     "--out {out}",
     "field '--global-batch-tokens'",
     "not a whole number of sequences"},
    {"step_unknown_device",
     "step --preset llama2-7b --device h300 --out {out}",
     "field '--device'",
     "unknown device 'h300'"},
    {"step_missing_device",
     "step --preset llama2-7b --out {out}",
     "field '--device'",
     "name a device"},
    {"step_catalog_negative_bandwidth",
     "step --preset llama2-7b --catalog {in}/catalog_network_negative.json "
     "--device x --out {out}",
     "catalog_network_negative.json: field "
     "'devices[0].network.scale_up_gb_per_s'",
     "must be positive, got -450"},
    {"step_unknown_dtype",
     "step --preset llama2-7b --device h100-sxm --dtype fp4 --out {out}",
     "field '--dtype'",
     "unknown value 'fp4'"},
    {"step_dtype_not_on_device",
     "step --preset llama2-7b --device a100-sxm4-80gb --dtype fp8 --out {out}",
     "field '--dtype'",
     "has no fp8 peak"},
    {"step_no_flash_attention",
     "step --preset llama2-7b --device h100-sxm --no-flash-attention --out "
     "{out}",
     "field '--no-flash-attention'",
     "FlashAttention"},
    {"step_search_without_devices",
     "step --preset llama2-7b --device h100-sxm --search --global-batch 8 "
     "--out {out}",
     "field '--devices'",
     "the search needs the number of devices"},
    {"step_search_without_batch",
     "step --preset llama2-7b --device h100-sxm --search --devices 8 --out "
     "{out}",
     "field '--global-batch'",
     "the search needs the global batch"},
    // --- serve
    {"serve_batch_zero",
     "serve --preset llama2-7b --device h100-sxm --batch 0 --out {out}",
     "field '--batch'",
     "must be a positive integer, got 0"},
    {"serve_prompt_zero",
     "serve --preset llama2-7b --device h100-sxm --prompt-tokens 0 --out {out}",
     "field '--prompt-tokens'",
     "must be a positive integer, got 0"},
    {"serve_tp_not_dividing_heads",
     "serve --preset llama2-7b --device h100-sxm --tp 3 --out {out}",
     "field '--tp'",
     "does not divide 32 attention heads"},
    {"serve_tp_not_dividing_kv_heads",
     "serve --layers 2 --d-model 768 --heads 48 --kv-heads 8 --head-dim 16 "
     "--d-ff 1024 --vocab 1000 --device h100-sxm --tp 6 --out {out}",
     "field '--tp'",
     "neither divides the 8 KV heads"},
    {"serve_tp_not_dividing_domain",
     "serve --preset llama2-7b --device h100-sxm --tp 16 --out {out}",
     "field '--tp'",
     "8-device scale-up domain"},
    {"serve_pp_exceeds_layers",
     "serve --preset llama2-7b --device h100-sxm --pp 33 --out {out}",
     "field '--pp'",
     "exceeds 32 layers"},
    {"serve_ep_dense_model",
     "serve --preset llama2-7b --device h100-sxm --tp 2 --ep 2 --out {out}",
     "field '--ep'",
     "needs an MoE model"},
    {"serve_ep_not_dividing_tp",
     "serve --preset mixtral-8x7b --device h100-sxm --tp 2 --ep 4 --out {out}",
     "field '--ep'",
     "must divide tp 2 and the 8 experts"},
    {"serve_missing_device",
     "serve --preset llama2-7b --out {out}",
     "field '--device'",
     "name a device"},
    {"serve_unknown_weight_dtype",
     "serve --preset llama2-7b --device h100-sxm --weight-dtype int3 "
     "--out {out}",
     "field '--weight-dtype'",
     "unknown value 'int3'"},
    {"serve_target_without_search",
     "serve --preset llama2-7b --device h100-sxm --target-tpot-ms 50 "
     "--out {out}",
     "field '--target-tpot-ms'",
     "add --search"},
    {"serve_target_zero",
     "serve --preset llama2-7b --search --prices h100-sxm=2 "
     "--target-tpot-ms 0 --out {out}",
     "field '--target-tpot-ms'",
     "must be in (0, 1e+09], got 0"},
    {"serve_search_without_prices",
     "serve --preset llama2-7b --search --out {out}",
     "field '--prices'",
     "no device has a price"},
    {"serve_price_unknown_device",
     "serve --preset llama2-7b --search --prices h300=2 --out {out}",
     "field '--prices'",
     "no device 'h300' in the catalog"},
    {"serve_price_malformed",
     "serve --preset llama2-7b --search --prices h100-sxm --out {out}",
     "field '--prices'",
     "expected NAME=USD"},
    {"serve_price_not_a_number",
     "serve --preset llama2-7b --search --prices h100-sxm=abc --out {out}",
     "field '--prices'",
     "must be a positive number of dollars"},
    // --- loss
    {"loss_missing_tokens",
     "loss --params 7e9 --out {out}",
     "field '--tokens'",
     "missing"},
    {"loss_missing_params",
     "loss --tokens 1e12 --out {out}",
     "field '--params'",
     "missing"},
    {"loss_params_and_architecture",
     "loss --params 7e9 --tokens 1e12 --preset llama2-7b --out {out}",
     "field '--params'",
     "not both"},
    {"loss_zero",
     "loss --params 0 --tokens 1e12 --out {out}",
     "field '--params'",
     "must be in [1, 1e+30], got 0"},
    {"loss_below_one",
     "loss --params 0.5 --tokens 1e12 --out {out}",
     "field '--params'",
     "must be in [1, 1e+30], got 0.5"},
    {"loss_negative",
     "loss --params 7e9 --tokens -1e12 --out {out}",
     "field '--tokens'",
     "must be in [1, 1e+30], got -1e+12"},
    {"loss_nan",
     "loss --params 7e9 --tokens nan --out {out}",
     "field '--tokens'",
     "got nan"},
    {"loss_infinite",
     "loss --params 7e9 --tokens inf --out {out}",
     "field '--tokens'",
     "got inf"},
    {"loss_malformed_number",
     "loss --params 7e9x --tokens 1e12 --out {out}",
     "'--params'",
     "is invalid"},
    {"loss_unknown_law",
     "loss --params 7e9 --tokens 1e12 --law nosuch --out {out}",
     "field '--law'",
     "unknown law 'nosuch'"},
    {"loss_frontier_law",
     "loss --params 7e9 --tokens 1e12 --law hoffmann2022_approach1 --out {out}",
     "field '--law'",
     "predicts no loss"},
    {"loss_law_wrong_type",
     "loss --params 7e9 --tokens 1e12 --law {in}/law_type.json --out {out}",
     "law_type.json: field 'constants.E'",
     "must be a number, got \"1\""},
    {"loss_law_unknown_field",
     "loss --params 7e9 --tokens 1e12 --law {in}/law_unknown.json --out {out}",
     "law_unknown.json: field 'bogus'",
     "unknown field"},
    {"loss_law_non_positive",
     "loss --params 7e9 --tokens 1e12 --law {in}/law_negative.json --out {out}",
     "law_negative.json: field 'constants.A'",
     "must be a finite number > 0, got -1"},
    {"loss_law_draws_length",
     "loss --params 7e9 --tokens 1e12 --law {in}/law_draws_length.json --out "
     "{out}",
     "law_draws_length.json: field 'bootstrap.draws.A'",
     "holds 2 draws, E holds 3"},
    {"loss_law_draws_negative",
     "loss --params 7e9 --tokens 1e12 --law {in}/law_draws_negative.json "
     "--out {out}",
     "law_draws_negative.json: field 'bootstrap.draws.alpha[1]'",
     "must be a finite number > 0, got -0.3"},
    {"optimal_law_draws_type",
     "optimal --flops 1e21 --law {in}/law_draws_type.json --out {out}",
     "law_draws_type.json: field 'bootstrap.draws.B[0]'",
     "must be a number, got \"x\""},
    {"loss_law_unknown_form",
     "loss --params 7e9 --tokens 1e12 --law {in}/law_form.json --out {out}",
     "law_form.json: field 'form'",
     "unknown form 'cubic'"},
    {"loss_law_missing_field",
     "loss --params 7e9 --tokens 1e12 --law {in}/law_missing.json --out {out}",
     "law_missing.json: field 'form'",
     "missing required field"},
    {"loss_law_syntax",
     "loss --params 7e9 --tokens 1e12 --law {in}/law_syntax.json --out {out}",
     "law_syntax.json:3",
     "invalid JSON"},
    {"loss_law_not_object",
     "loss --params 7e9 --tokens 1e12 --law {in}/not_object.json --out {out}",
     "not_object.json",
     "JSON object"},
    {"loss_unique_tokens_zero",
     "loss --params 7e9 --tokens 1e12 --unique-tokens 0 --out {out}",
     "field '--unique-tokens'",
     "must be in [1, 1e+30], got 0"},
    {"loss_unique_tokens_negative",
     "loss --params 7e9 --tokens 1e12 --unique-tokens -25e9 --out {out}",
     "field '--unique-tokens'",
     "must be in [1, 1e+30], got -2.5e+10"},
    {"loss_effective_data_alone",
     "loss --params 7e9 --tokens 1e12 --effective-data --out {out}",
     "field '--effective-data'",
     "give --unique-tokens U as well"},
    {"loss_law_data_constrained_missing",
     "loss --params 7e9 --tokens 1e12 --unique-tokens 1e11 --law "
     "{in}/law_dc_missing.json --out {out}",
     "law_dc_missing.json: field 'constants.R_N_star'",
     "missing required field"},
    {"loss_hyperparameter_law",
     "loss --params 7e9 --tokens 1e12 --law deepseek2024_hyperparameters "
     "--out {out}",
     "field '--law'",
     "is a hyperparameter law (scalesim hparams), not a loss law"},
    {"loss_law_hyperparameter_form",
     "loss --params 7e9 --tokens 1e12 --law {in}/law_hparams_form.json --out "
     "{out}",
     "law_hparams_form.json: field 'form'",
     "it is a hyperparameter form"},
    {"loss_arch_unknown_field",
     "loss --arch {in}/arch_unknown.json --tokens 1e9 --out {out}",
     "arch_unknown.json: field 'colour'",
     "unknown field"},
    {"loss_out_is_directory",
     "loss --params 7e9 --tokens 1e12 --out {outdir}",
     "{outdir}",
     "is a directory, not a file"},
    // --- optimal
    {"optimal_no_question",
     "optimal --out {out}",
     "field '--target-loss'",
     "give exactly one of --flops, --target-loss and --params"},
    {"optimal_two_questions",
     "optimal --flops 1e23 --params 7e9 --out {out}",
     "field '--flops'",
     "give exactly one of --flops, --target-loss and --params"},
    {"optimal_zero",
     "optimal --flops 0 --out {out}",
     "field '--flops'",
     "must be in (0, 1e+40], got 0"},
    {"optimal_negative_infinite",
     "optimal --flops -inf --out {out}",
     "field '--flops'",
     "got -inf"},
    {"optimal_target_below_irreducible",
     "optimal --target-loss 1.5 --law hoffmann2022_approach3 --out {out}",
     "field '--target-loss'",
     "target loss 1.5 is at or below the law's irreducible loss 1.69"},
    {"optimal_target_equal_irreducible",
     "optimal --target-loss 1.69 --law hoffmann2022_approach3 --out {out}",
     "field '--target-loss'",
     "target loss 1.69 is at or below the law's irreducible loss 1.69"},
    {"optimal_inference_with_params",
     "optimal --params 7e9 --inference-tokens 1e12 --out {out}",
     "field '--inference-tokens'",
     "needs --target-loss or --flops"},
    {"optimal_inference_negative",
     "optimal --flops 1e23 --inference-tokens -1 --out {out}",
     "field '--inference-tokens'",
     "must be in [0, 1e+30], got -1"},
    {"optimal_mfu_above_one",
     "optimal --flops 1e23 --inference-tokens 1e12 --peak-tflops 989 "
     "--mfu 1.5 --usd-per-hour 2 --out {out}",
     "field '--mfu'",
     "must be in (0, 1], got 1.5"},
    {"optimal_prices_incomplete",
     "optimal --flops 1e23 --inference-tokens 1e12 --usd-per-hour 2 --out "
     "{out}",
     "field '--peak-tflops'",
     "missing"},
    {"optimal_prices_without_inference",
     "optimal --flops 1e23 --peak-tflops 989 --mfu 0.4 --usd-per-hour 2 "
     "--out {out}",
     "field '--peak-tflops'",
     "give --inference-tokens"},
    {"optimal_frontier_law_for_loss",
     "optimal --target-loss 2 --law hoffmann2022_approach1 --out {out}",
     "field '--law'",
     "predicts no loss"},
    {"optimal_unknown_law",
     "optimal --flops 1e23 --law nosuch --out {out}",
     "field '--law'",
     "unknown law 'nosuch'"},
    {"optimal_law_unknown_field",
     "optimal --flops 1e23 --law {in}/law_unknown.json --out {out}",
     "law_unknown.json: field 'bogus'",
     "unknown field"},
    {"optimal_unique_tokens_zero",
     "optimal --flops 1e22 --unique-tokens 0 --out {out}",
     "field '--unique-tokens'",
     "must be in [1, 1e+30], got 0"},
    {"optimal_unique_tokens_without_budget",
     "optimal --params 7e9 --unique-tokens 1e9 --out {out}",
     "field '--unique-tokens'",
     "applies to a training budget"},
    {"optimal_unwritable_out",
     "optimal --flops 1e23 --out {in}/no_such_dir/o.json",
     "no_such_dir/o.json",
     "cannot write file"},
    {"optimal_serve_device_with_mfu",
     "optimal --flops 1e24 --inference-tokens 1e13 --device h100-sxm "
     "--usd-per-hour 2 --serve-device h100-sxm --inference-mfu 0.3 "
     "--out {out}",
     "field '--inference-mfu'",
     "not both"},
    {"optimal_serving_flag_without_serve_device",
     "optimal --flops 1e24 --inference-tokens 1e13 --device h100-sxm "
     "--usd-per-hour 2 --prompt-tokens 10 --out {out}",
     "field '--prompt-tokens'",
     "applies with --serve-device"},
    {"optimal_serve_device_without_inference",
     "optimal --flops 1e24 --serve-device h100-sxm --out {out}",
     "field '--serve-device'",
     "give --inference-tokens"},
    {"optimal_serve_device_unknown",
     "optimal --flops 1e24 --inference-tokens 1e13 --device h100-sxm "
     "--usd-per-hour 2 --serve-device h300 --out {out}",
     "field '--serve-device'",
     "unknown device 'h300'"},
    {"optimal_serve_device_without_price",
     "optimal --flops 1e24 --inference-tokens 1e13 --peak-tflops 300 "
     "--serve-device h100-sxm --out {out}",
     "field '--inference-usd-per-hour'",
     "the price per device-hour of h100-sxm"},
    // --- laws
    {"laws_unknown_law",
     "laws --law nosuch --out {out}",
     "field '--law'",
     "unknown law 'nosuch'"},
    {"laws_law_unknown_field",
     "laws --law {in}/law_unknown.json --out {out}",
     "law_unknown.json: field 'bogus'",
     "unknown field"},
    {"laws_law_syntax",
     "laws --law {in}/law_syntax.json --out {out}",
     "law_syntax.json:3",
     "invalid JSON"},
    {"laws_stray_argument",
     "laws kaplan2020 --out {out}",
     "'kaplan2020'",
     "unexpected argument"},
    {"laws_unknown_format",
     "laws --format yaml --out {out}",
     "field '--format'",
     "unknown value 'yaml'"},
    // --- hparams
    {"hparams_no_run",
     "hparams --out {out}",
     "field '--flops'",
     "missing: give --flops C"},
    {"hparams_overdescribed_run",
     "hparams --flops 1e21 --params 1e9 --tokens 1e11 --out {out}",
     "field '--flops'",
     "give two of --flops"},
    {"hparams_params_and_architecture",
     "hparams --params 1e9 --preset llama2-7b --tokens 1e11 --out {out}",
     "field '--params'",
     "not both"},
    {"hparams_target_loss_zero",
     "hparams --flops 1e21 --target-loss 0 --out {out}",
     "field '--target-loss'",
     "must be in (0, 1000], got 0"},
    {"hparams_unknown_law",
     "hparams --flops 1e21 --law nosuch --out {out}",
     "field '--law'",
     "unknown hyperparameter law 'nosuch'"},
    {"hparams_loss_law",
     "hparams --flops 1e21 --law hoffmann2022_approach3 --out {out}",
     "field '--law'",
     "is a loss law"},
    {"hparams_law_outside_form",
     "hparams --flops 1e21 --law li2025_step_law --out {out}",
     "field '--law'",
     "predicts from N and D"},
    {"hparams_critical_batch_without_loss",
     "hparams --flops 1e21 --law kaplan2020_critical_batch --out {out}",
     "field '--law'",
     "predicts from the loss L"},
    {"hparams_law_unknown_form",
     "hparams --flops 1e21 --law {in}/hparams_form.json --out {out}",
     "hparams_form.json: field 'form'",
     "unknown form 'cubic'"},
    // --- plan
    {"plan_zero_budget",
     "plan --flops 0 --out {out}",
     "field '--flops'",
     "must be in (0, 1e+40], got 0"},
    {"plan_flops_and_days",
     "plan --flops 1e23 --days 3 --out {out}",
     "field '--days'",
     "give one budget"},
    {"plan_usable_memory_above_one",
     "plan --usable-memory-fraction 2 --out {out}",
     "field '--usable-memory-fraction'",
     "got 2"},
    {"plan_pue_below_one",
     "plan --pue 0.5 --out {out}",
     "field '--pue'",
     "got 0.5"},
    {"plan_tokens_without_architecture",
     "plan --tokens 1e12 --out {out}",
     "field '--tokens'",
     "needs a fixed architecture"},
    {"plan_flops_and_money",
     "plan --flops 1e23 --budget-usd 1e6 --out {out}",
     "field '--budget-usd'",
     "give one budget"},
    {"plan_money_without_price",
     "plan --budget-usd 1e6 --out {out}",
     "field '--budget-usd'",
     "needs a price per device-hour"},
    {"plan_unknown_hparams_law",
     "plan --hparams-law nosuch --out {out}",
     "field '--hparams-law'",
     "unknown hyperparameter law 'nosuch'"},
    {"plan_hparams_law_is_a_loss_law",
     "plan --hparams-law besiroglu2024 --out {out}",
     "field '--hparams-law'",
     "is a loss law"},
    {"plan_two_unique_token_budgets",
     "plan --unique-tokens 1e11 --unique-tokens 2e11 --out {out}",
     "field '--unique-tokens'",
     "a plan takes one unique-token budget U, got 2"},
    {"plan_effective_data_without_unique_tokens",
     "plan --effective-data --out {out}",
     "field '--effective-data'",
     "give --unique-tokens U as well"},
    {"plan_batch_below_sequence",
     "plan --global-batch-tokens 100 --out {out}",
     "field '--global-batch-tokens'",
     "must hold at least one training sequence"},
    {"plan_devices_zero",
     "plan --devices 0 --out {out}",
     "field '--devices'",
     "must be a positive integer, got 0"},
    {"plan_unknown_device",
     "plan --device nosuch --out {out}",
     "field '--device'",
     "unknown device 'nosuch'"},
    {"plan_unknown_law",
     "plan --law nosuch --out {out}",
     "field '--law'",
     "unknown law 'nosuch'"},
    {"plan_frontier_law",
     "plan --law hoffmann2022_approach1 --out {out}",
     "field '--law'",
     "plan needs a loss law"},
    {"plan_vocab_zero",
     "plan --vocab 0 --out {out}",
     "field '--vocab'",
     "must be a positive integer, got 0"},
    {"plan_seq_len_negative",
     "plan --seq-len -1 --out {out}",
     "field '--seq-len'",
     "must be a positive integer, got -1"},
    {"plan_price_negative",
     "plan --usd-per-hour -1 --out {out}",
     "field '--usd-per-hour'",
     "must be in (0, 1e+09], got -1"},
    {"plan_days_infinite",
     "plan --days inf --out {out}",
     "field '--days'",
     "must be in (0, 1e+30], got inf"},
    {"plan_days_overflow",
     "plan --days 1e300 --out {out}",
     "field '--days'",
     "got 1e+300"},
    {"plan_cost_overflow",
     "plan --usd-per-hour 1.7e308 --out {out}",
     "field '--usd-per-hour'",
     "got 1.7e+308"},
    {"plan_serve_device_without_inference",
     "plan --flops 1e21 --serve-device h100-sxm --out {out}",
     "field '--serve-device'",
     "give --inference-tokens"},
    {"plan_serving_flag_without_serve_device",
     "plan --flops 1e21 --inference-tokens 1e12 --target-tpot-ms 50 --out "
     "{out}",
     "field '--target-tpot-ms'",
     "applies with --serve-device"},
    {"plan_unknown_serve_device",
     "plan --flops 1e21 --inference-tokens 1e12 --serve-device nosuch --out "
     "{out}",
     "field '--serve-device'",
     "unknown device 'nosuch'"},
    {"plan_inference_negative",
     "plan --inference-tokens -5 --out {out}",
     "field '--inference-tokens'",
     "must be in [0, 1e+30], got -5"},
    {"plan_catalog_unknown_field",
     "plan --catalog {in}/catalog_unknown.json --out {out}",
     "catalog_unknown.json: field 'devices[0].colour'",
     "unknown field"},
    {"plan_stray_argument",
     "plan 1e24 --out {out}",
     "'1e24'",
     "unexpected argument"},
    {"plan_unwritable_out",
     "plan --out {in}/no_such_dir/p.json",
     "no_such_dir/p.json",
     "cannot write file"},
    // --- compare
    {"compare_missing_name",
     "compare --out {out}",
     "command line",
     "name a comparison: chinchilla-gopher"},
    {"compare_unknown_name",
     "compare nosuch --out {out}",
     "command line",
     "unknown comparison 'nosuch'"},
    {"compare_unknown_flag",
     "compare chinchilla-gopher --bogus --out {out}",
     "'--bogus'",
     "unrecognised option"},
    {"compare_stray_argument",
     "compare chinchilla-gopher extra --out {out}",
     "'extra'",
     "unexpected argument"},
    {"compare_unwritable_out",
     "compare chinchilla-gopher --out {in}/no_such_dir/c.json",
     "no_such_dir/c.json",
     "cannot write file"},
    // --- fit (rows ask for --out, some also for --residuals: neither may
    // appear)
    {"fit_missing_form",
     "fit --data {in}/runs_ok.csv --out {out}",
     "field '--form'",
     "missing"},
    {"fit_missing_data",
     "fit --form chinchilla --out {out}",
     "field '--data'",
     "missing"},
    {"fit_unknown_form",
     "fit --form cubic --data {in}/runs_ok.csv --out {out}",
     "field '--form'",
     "unknown form 'cubic'"},
    {"fit_missing_file",
     "fit --form chinchilla --data {in}/nope.csv --out {out}",
     "nope.csv",
     "cannot read file"},
    {"fit_directory_as_file",
     "fit --form chinchilla --data {in} --out {out}",
     "{in}",
     "is a directory, not a file"},
    {"fit_csv_missing_column",
     "fit --form chinchilla --data {in}/runs_no_loss.csv --residuals "
     "{outdir}/r.csv --out {out}",
     "runs_no_loss.csv:1: field 'loss'",
     "missing column"},
    {"fit_csv_not_a_number",
     "fit --form chinchilla --data {in}/runs_text.csv --out {out}",
     "runs_text.csv:2: field 'loss'",
     "not a number: 'abc'"},
    {"fit_csv_nan",
     "fit --form chinchilla --data {in}/runs_nan.csv --out {out}",
     "runs_nan.csv:3: field 'D'",
     "not finite: 'nan'"},
    {"fit_csv_infinite",
     "fit --form chinchilla --data {in}/runs_inf.csv --out {out}",
     "runs_inf.csv:2: field 'loss'",
     "not finite: 'inf'"},
    {"fit_csv_negative",
     "fit --form chinchilla --data {in}/runs_negative.csv --out {out}",
     "runs_negative.csv:3: field 'N'",
     "must be positive, got -1e9"},
    {"fit_csv_zero",
     "fit --form chinchilla --data {in}/runs_zero.csv --out {out}",
     "runs_zero.csv:2: field 'loss'",
     "must be positive, got 0"},
    {"fit_data_constrained_missing_unique_column",
     "fit --form data_constrained --data {in}/runs_ok.csv --residuals "
     "{outdir}/r.csv --law-out {outdir}/law.json --out {out}",
     "runs_ok.csv:1: field 'U'",
     "missing column (unique tokens U)"},
    {"fit_data_constrained_unique_col_missing",
     "fit --form data_constrained --data {in}/runs_u_zero.csv --unique-col "
     "unique --out {out}",
     "runs_u_zero.csv:1: field 'unique'",
     "missing column (unique tokens U)"},
    {"fit_data_constrained_unique_zero",
     "fit --form data_constrained --data {in}/runs_u_zero.csv --law-out "
     "{outdir}/law.json --out {out}",
     "runs_u_zero.csv:3: field 'U'",
     "must be positive, got 0"},
    {"fit_data_constrained_unique_negative",
     "fit --form data_constrained --data {in}/runs_u_negative.csv --out "
     "{out}",
     "runs_u_negative.csv:2: field 'U'",
     "must be positive, got -5e9"},
    {"fit_data_constrained_unique_empty",
     "fit --form data_constrained --data {in}/runs_u_empty.csv --out {out}",
     "runs_u_empty.csv:2: field 'U'",
     "empty value"},
    {"fit_csv_empty_file",
     "fit --form chinchilla --data {in}/runs_empty.csv --out {out}",
     "runs_empty.csv",
     "empty file"},
    {"fit_csv_header_only",
     "fit --form chinchilla --data {in}/runs_header.csv --out {out}",
     "runs_header.csv:1",
     "no data rows"},
    {"fit_csv_too_few_columns",
     "fit --form chinchilla --data {in}/runs_short.csv --out {out}",
     "runs_short.csv:2",
     "too few columns"},
    {"fit_csv_too_many_columns",
     "fit --form chinchilla --data {in}/runs_long.csv --out {out}",
     "runs_long.csv:2",
     "too many columns"},
    {"fit_csv_unclosed_quote",
     "fit --form chinchilla --data {in}/runs_quote.csv --out {out}",
     "runs_quote.csv:2",
     "unclosed quote"},
    {"fit_column_flag_missing_column",
     "fit --form chinchilla --data {in}/runs_ok.csv --params-col Q --out {out}",
     "runs_ok.csv:1: field 'Q'",
     "missing column"},
    {"fit_filter_malformed",
     "fit --form chinchilla --data {in}/runs_ok.csv --filter bad --out {out}",
     "field '--filter'",
     "expected COLUMN=VALUE"},
    {"fit_filter_missing_column",
     "fit --form chinchilla --data {in}/runs_ok.csv --filter x=1 --out {out}",
     "runs_ok.csv:1: field 'x'",
     "missing column"},
    {"fit_filter_matches_nothing",
     "fit --form chinchilla --data {in}/runs_ok.csv --filter N=5 --out {out}",
     "runs_ok.csv: field 'N'",
     "no row matches the filters"},
    {"fit_bootstrap_negative",
     "fit --form chinchilla --data {in}/runs_ok.csv --bootstrap -1 --out {out}",
     "field '--bootstrap'",
     "must not be negative, got -1"},
    {"fit_threads_too_many",
     "fit --form chinchilla --data {in}/runs_ok.csv --threads 5000 --out {out}",
     "field '--threads'",
     "must be an integer in [0, 1024], got 5000"},
    {"fit_seed_negative",
     "fit --form chinchilla --data {in}/runs_ok.csv --seed -1 --out {out}",
     "field '--seed'",
     "must not be negative, got -1"},
    {"fit_unknown_variable",
     "fit --form power --data {in}/runs_ok.csv --variable Q",
     "field '--variable'",
     "unknown value 'Q'"},
    {"fit_power_law_file",
     "fit --form power --data {in}/runs_ok.csv --law-out {out}",
     "field '--law-out'",
     "no law-file form"},
    {"fit_isoflop_residuals",
     "fit --form isoflop --data {in}/runs_ok.csv --residuals {outdir}/r.csv",
     "field '--residuals'",
     "isoflop predicts no loss per run"},
    {"fit_unknown_param_count",
     "fit --form chinchilla --data {in}/runs_ok.csv --param-count some --out "
     "{out}",
     "field '--param-count'",
     "unknown value 'some'"},
    {"fit_budget_negative",
     "fit --form chinchilla --data {in}/runs_ok.csv --budget -1 --out {out}",
     "field '--budget'",
     "must be in (0, 1e+40], got -1"},
    {"fit_drop_negative",
     "fit --form chinchilla --data {in}/runs_ok.csv --drop-highest-loss -1 "
     "--out {out}",
     "field '--drop-highest-loss'",
     "must not be negative"},
    {"fit_drop_everything",
     "fit --form chinchilla --data {in}/runs_ok.csv --drop-highest-loss 5 "
     "--out {out}",
     "field '--drop-highest-loss'",
     "dropping 5 of 2 runs leaves none"},
    {"fit_unknown_format",
     "fit --form chinchilla --data {in}/runs_ok.csv --format xml --out {out}",
     "field '--format'",
     "unknown value 'xml'"},
    {"fit_unwritable_out_with_residuals",
     "fit --form chinchilla --data {in}/runs_ok.csv --bootstrap 0 --residuals "
     "{outdir}/r.csv "
     "--out {in}/no_such_dir/law.json",
     "no_such_dir/law.json",
     "cannot write file"},
    {"fit_unwritable_residuals",
     "fit --form chinchilla --data {in}/runs_ok.csv --bootstrap 0 --residuals "
     "{in}/no_such_dir/r.csv --out {out}",
     "no_such_dir/r.csv",
     "cannot write file"},
    // --- synth
    {"synth_missing_out", "synth", "field '--out'", "missing"},
    {"synth_noise_negative",
     "synth --out {out} --noise -1",
     "field '--noise'",
     "must be in [0, 10], got -1"},
    {"synth_budgets_zero",
     "synth --out {out} --budgets 0",
     "field '--budgets'",
     "must be a positive integer, got 0"},
    {"synth_sizes_too_many",
     "synth --out {out} --sizes 5000",
     "field '--sizes'",
     "must be an integer in [1, 1000], got 5000"},
    {"synth_budget_range_reversed",
     "synth --out {out} --min-flops 1e20 --max-flops 1e19",
     "field '--max-flops'",
     "must not be below --min-flops"},
    {"synth_spread_below_one",
     "synth --out {out} --spread 0.5",
     "field '--spread'",
     "must be in [1, 1e+06], got 0.5"},
    {"synth_unknown_law",
     "synth --out {out} --law nosuch",
     "field '--law'",
     "unknown law 'nosuch'"},
    {"synth_not_chinchilla_form",
     "synth --out {out} --law kaplan2020",
     "field '--law'",
     "not of the Chinchilla form"},
    {"synth_unique_tokens_without_repetition_model",
     "synth --out {out} --unique-tokens 1e9",
     "field '--unique-tokens'",
     "the law has no repetition model"},
    {"synth_data_constrained_without_unique_tokens",
     "synth --out {out} --law muennighoff2023",
     "field '--unique-tokens'",
     "missing"},
    {"synth_unique_tokens_zero",
     "synth --out {out} --law muennighoff2023 --unique-tokens 1e9 0",
     "field '--unique-tokens'",
     "got 0"},
    {"synth_law_non_positive",
     "synth --out {out} --law {in}/law_negative.json",
     "law_negative.json: field 'constants.A'",
     "must be a finite number > 0"},
    {"synth_constant_negative",
     "synth --out {out} --E -1",
     "field '--E'",
     "must be in [0, 100], got -1"},
    {"synth_exponent_zero",
     "synth --out {out} --alpha 0",
     "field '--alpha'",
     "must be in (0, 10], got 0"},
    {"synth_runs_without_parameters",
     "synth --out {out} --min-flops 1e-300 --max-flops 1e-290",
     "field '--min-flops'",
     "run 1 has N 0, D 0"},
    {"synth_loss_overflow",
     "synth --out {out} --noise 1e300",
     "field '--noise'",
     "must be in [0, 10], got 1e+300"},
    {"synth_seed_negative",
     "synth --out {out} --seed -1",
     "field '--seed'",
     "must not be negative, got -1"},
    {"synth_seed_malformed",
     "synth --out {out} --seed abc",
     "'--seed'",
     "is invalid"},
    {"synth_unknown_format",
     "synth --out {out} --format xml",
     "field '--format'",
     "unknown value 'xml'"},
    {"synth_stray_argument",
     "synth --out {out} extra",
     "'extra'",
     "unexpected argument"},
    {"synth_unwritable_out",
     "synth --out {in}/no_such_dir/runs.csv",
     "no_such_dir/runs.csv",
     "cannot write file"},
    {"synth_out_is_directory",
     "synth --out {outdir}",
     "{outdir}",
     "is a directory, not a file"},
    // --- sweep
    {"sweep_missing_kind", "sweep", "command line", "name a sweep"},
    {"sweep_unknown_kind",
     "sweep nope --out {out}",
     "command line",
     "unknown sweep 'nope'"},
    {"sweep_unknown_flag",
     "sweep budget --bogus --out {out}",
     "'--bogus'",
     "unrecognised option"},
    {"sweep_stray_argument",
     "sweep budget extra --out {out}",
     "'extra'",
     "unexpected argument"},
    {"sweep_reversed_range",
     "sweep budget --flops-min 1e25 --flops-max 1e20 --out {out}",
     "'--flops-min'",
     "must not exceed"},
    {"sweep_zero_points",
     "sweep overtraining --flops 1e23 --points 0 --out {out}",
     "'--points'",
     "must be a positive integer, got 0"},
    {"sweep_too_many_points",
     "sweep budget --points 1000000000 --out {out}",
     "'--points'",
     "must be an integer in [1, 1e+08], got 1e+09"},
    {"sweep_one_point_two_ends",
     "sweep budget --points 1 --out {out}",
     "'--points'",
     "1 point needs"},
    {"sweep_unique_tokens_zero",
     "sweep overtraining --flops 1e23 --unique-tokens 0 --out {out}",
     "field '--unique-tokens'",
     "must be in [1, 1e+30], got 0"},
    {"sweep_two_unique_tokens",
     "sweep overtraining --flops 1e23 --unique-tokens 1e9 2e9 --out {out}",
     "field '--unique-tokens'",
     "a sweep takes one unique-token budget U, got 2"},
    {"sweep_ratio_zero",
     "sweep overtraining --flops 1e23 --ratio-min 0 --out {out}",
     "'--ratio-min'",
     "must be in (0, 1e+12], got 0"},
    {"sweep_ratio_negative",
     "sweep overtraining --flops 1e23 --ratio-max -10 --out {out}",
     "'--ratio-max'",
     "must be in (0, 1e+12], got -10"},
    {"sweep_range_not_finite",
     "sweep loss-grid --params-max inf --out {out}",
     "'--params-max'",
     "must be in [1, 1e+30], got inf"},
    {"sweep_range_malformed",
     "sweep budget --flops-min abc --out {out}",
     "'--flops-min'",
     "is invalid"},
    {"sweep_budget_negative",
     "sweep isoflop --flops 0 --out {out}",
     "'--flops'",
     "must be in (0, 1e+40], got 0"},
    {"sweep_no_target",
     "sweep overtraining --out {out}",
     "'--flops'",
     "give exactly one of --flops and --target-loss"},
    {"sweep_both_targets",
     "sweep overtraining --flops 1e23 --target-loss 2 --out {out}",
     "'--flops'",
     "give exactly one of --flops and --target-loss"},
    {"sweep_inference_tokens_negative",
     "sweep overtraining --flops 1e23 --inference-tokens -1 --out {out}",
     "'--inference-tokens'",
     "must be"},
    {"sweep_span_not_above_one",
     "sweep isoflop --span 1 --out {out}",
     "'--span'",
     "must be in (1, 1e+12], got 1"},
    {"sweep_unknown_law",
     "sweep budget --law nope --out {out}",
     "'--law'",
     "nope"},
    {"sweep_law_file_syntax",
     "sweep budget --law {in}/law_syntax.json --out {out}",
     "{in}/law_syntax.json:3",
     "invalid JSON"},
    {"sweep_unknown_dtype",
     "sweep overtraining --flops 1e23 --weight-dtype fp3 --out {out}",
     "'--weight-dtype'",
     "fp3"},
    {"sweep_integer_list_malformed",
     "sweep arch --layers 8,x --out {out}",
     "'--layers'",
     "expected a positive integer"},
    {"sweep_integer_range_reversed",
     "sweep arch --layers 80:8 --out {out}",
     "'--layers'",
     "runs backwards"},
    {"sweep_no_valid_shape",
     "sweep arch --d-model 100 --out {out}",
     "'--d-model'",
     "no valid shape"},
    {"sweep_unknown_preset",
     "sweep arch --preset gpt5 --out {out}",
     "'--preset'",
     "unknown preset 'gpt5'"},
    {"sweep_hf_config_unsupported",
     "sweep arch --hf-config {in}/hf_t5.json --out {out}",
     "{in}/hf_t5.json",
     "t5"},
    {"sweep_arch_file_unknown_field",
     "sweep arch --arch {in}/arch_unknown.json --out {out}",
     "{in}/arch_unknown.json",
     "colour"},
    {"sweep_two_bases",
     "sweep arch --preset llama2-7b --arch {in}/arch_ok.json --out {out}",
     "'--preset'",
     "at most one"},
    {"sweep_zero_stage_out_of_range",
     "sweep arch --zero 4 --out {out}",
     "'--zero'",
     "must be 0, 1, 2 or 3"},
    {"sweep_table_too_many_rows",
     "sweep loss-grid --params-points 1000 --tokens-points 1000 --format table "
     "--out {out}",
     "'--format'",
     "table and markdown hold every row in memory"},
    {"sweep_frontier_law_needs_loss",
     "sweep isoflop --law hoffmann2022_approach1 --out {out}",
     "'--law'",
     "predicts no loss"},
    {"sweep_unreachable_target_loss",
     "sweep overtraining --target-loss 1.5 --law hoffmann2022_approach3 --out "
     "{out}",
     "'--target-loss'",
     "at or below its irreducible loss"},
    {"sweep_unknown_format",
     "sweep budget --format xml --out {out}",
     "'--format'",
     "unknown value 'xml'"},
    {"sweep_unwritable_out",
     "sweep budget --out {in}/no_such_dir/f.csv",
     "{in}/no_such_dir/f.csv",
     "cannot write file"},
    {"sweep_out_is_directory",
     "sweep budget --out {outdir}",
     "{outdir}",
     "is a directory, not a file"},
    {"fit_bootstrap_samples_without_bootstrap",
     "fit --form chinchilla --data {in}/runs_ok.csv --bootstrap 0 "
     "--bootstrap-samples {out}",
     "'--bootstrap-samples'",
     "needs --bootstrap"},
    {"fit_bootstrap_samples_unwritable",
     "fit --form chinchilla --data {in}/runs_ok.csv --bootstrap-samples "
     "{in}/no_such_dir/s.csv",
     "{in}/no_such_dir/s.csv",
     "cannot write file"},
};

std::string Replace(std::string s,
                    const std::string& from,
                    const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos;
       at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
  return s;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> Entries(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    names.push_back(e.path().filename().string());
  }
  return names;
}

class ErrorsMatrixTest : public ::testing::TestWithParam<Row> {
 protected:
  static void SetUpTestSuite() {
    inputs_ = std::make_unique<TempDir>("errors_in");
    for (const auto& [name, content] : Fixtures())
      inputs_->Write(name, content);
  }
  static void TearDownTestSuite() { inputs_.reset(); }

  static std::unique_ptr<TempDir> inputs_;
};

std::unique_ptr<TempDir> ErrorsMatrixTest::inputs_;

TEST_P(ErrorsMatrixTest, ExitsTwoWithOneLineAndNoOutput) {
  const Row& row = GetParam();
  TempDir outdir(std::string("errors_out_") + row.id);
  const std::string in = inputs_->File("");
  const std::string in_dir = in.substr(0, in.size() - 1);  // without the slash
  const std::string out_dir = outdir.File("");
  auto expand = [&](std::string s) {
    s = Replace(s, "{outdir}", out_dir.substr(0, out_dir.size() - 1));
    s = Replace(s, "{out}", outdir.File("result.out"));
    return Replace(s, "{in}", in_dir);
  };
  const std::string args = expand(row.args);
  SCOPED_TRACE(args);
  const CliResult r =
      RunBinary(args, inputs_->File(std::string("stderr_") + row.id + ".txt"));
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_EQ(CountLines(r.err), 1) << r.err;
  EXPECT_EQ(r.err.rfind("scalesim: error: ", 0), 0U) << r.err;
  EXPECT_NE(r.err.find(expand(row.names)), std::string::npos)
      << "stderr does not name '" << expand(row.names) << "': " << r.err;
  EXPECT_NE(r.err.find(row.message), std::string::npos)
      << "stderr lacks '" << row.message << "': " << r.err;
  // Neither the output file nor a temporary remains.
  EXPECT_TRUE(Entries(out_dir).empty())
      << "left behind: " << Entries(out_dir).front();
}

INSTANTIATE_TEST_SUITE_P(Rows,
                         ErrorsMatrixTest,
                         ::testing::ValuesIn(kRows),
                         [](const ::testing::TestParamInfo<Row>& param) {
                           return std::string(param.param.id);
                         });

// docs/errors.md and kRows list the same rows: each row of the document's
// tables starts with "| `<id>` |".
TEST(ErrorsMatrixDocTest, DocumentListsEveryRowAndNoOther) {
  const std::string doc =
      ReadFile(std::string(SCALESIM_SOURCE_DIR) + "/docs/errors.md");
  ASSERT_FALSE(doc.empty());
  std::set<std::string> documented;
  std::istringstream lines(doc);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("| `", 0) != 0) continue;
    const std::size_t end = line.find("` |", 3);
    if (end == std::string::npos) continue;
    const std::string id = line.substr(3, end - 3);
    // Fixture rows ("| `runs_ok.csv` |") have a dot: not an id.
    if (id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") ==
        std::string::npos) {
      documented.insert(id);
    }
  }
  std::set<std::string> tested;
  for (const Row& row : kRows) {
    EXPECT_TRUE(tested.insert(row.id).second) << "duplicate id " << row.id;
    EXPECT_EQ(documented.count(row.id), 1U)
        << row.id << " is not in docs/errors.md";
  }
  for (const std::string& id : documented) {
    EXPECT_EQ(tested.count(id), 1U) << id << " is documented but not tested";
  }
}

// The message column of docs/errors.md is what the binary prints for the
// row (after "scalesim: error: ", the fixture directory shown as `in`, the
// output directory as `out`, `|` escaped for Markdown), and its args column
// the arguments the test runs. With SCALESIM_UPDATE_DOCS=1 the test
// rewrites the columns instead.
TEST(ErrorsMatrixDocTest, MessagesAreWhatTheBinaryPrints) {
  const std::string path = std::string(SCALESIM_SOURCE_DIR) + "/docs/errors.md";
  std::string doc = ReadFile(path);
  ASSERT_FALSE(doc.empty());
  TempDir inputs("errors_doc_in");
  for (const auto& [name, content] : Fixtures()) inputs.Write(name, content);
  const std::string in_dir =
      inputs.File("").substr(0, inputs.File("").size() - 1);
  const bool update = std::getenv("SCALESIM_UPDATE_DOCS") != nullptr;
  int mismatches = 0;
  for (const Row& row : kRows) {
    TempDir outdir(std::string("errors_doc_out_") + row.id);
    const std::string out_dir =
        outdir.File("").substr(0, outdir.File("").size() - 1);
    std::string args = Replace(row.args, "{outdir}", out_dir);
    args = Replace(args, "{out}", outdir.File("result.out"));
    args = Replace(args, "{in}", in_dir);
    const CliResult r = RunBinary(
        args, inputs.File(std::string("doc_stderr_") + row.id + ".txt"));
    std::string message = r.err;
    const std::string prefix = "scalesim: error: ";
    if (message.rfind(prefix, 0) == 0) message.erase(0, prefix.size());
    while (!message.empty() && message.back() == '\n') message.pop_back();
    message = Replace(message, out_dir, "out");
    message = Replace(message, in_dir, "in");
    message = Replace(message, "|", "\\|");
    // "| `id` | what | `args` | `message` | code |"
    const std::string key = std::string("| `") + row.id + "` |";
    const std::size_t at = doc.find(key);
    if (at == std::string::npos) continue;  // the test above reports it
    const std::size_t eol = doc.find('\n', at);
    const std::size_t end = doc.rfind("` | ", eol);
    const std::size_t begin = doc.rfind(" | `", end - 1);
    ASSERT_TRUE(end != std::string::npos && begin != std::string::npos &&
                begin > at)
        << "row " << row.id << " of docs/errors.md has no message cell";
    const std::size_t from = begin + 4;
    // The args cell before it: the row's own arguments, with the fixture
    // and output directories shown as `in` and `out`.
    const std::size_t args_at = doc.rfind(" | `", begin - 1);
    ASSERT_TRUE(args_at != std::string::npos && args_at > at &&
                doc[begin - 1] == '`')
        << "row " << row.id << " of docs/errors.md has no args cell";
    const std::size_t args_from = args_at + 4;
    const std::size_t args_size = begin - 1 - args_from;
    std::string shown = Replace(row.args, "{outdir}", "out");
    shown = Replace(shown, "{out}", "out/result.out");
    shown = Replace(shown, "{in}", "in");
    shown = Replace(shown, "|", "\\|");
    const bool message_ok = doc.compare(from, end - from, message) == 0;
    const bool args_ok = doc.compare(args_from, args_size, shown) == 0;
    if (message_ok && args_ok) continue;
    if (update) {
      // The message first: it follows the args on the line.
      if (!message_ok) doc.replace(from, end - from, message);
      if (!args_ok) doc.replace(args_from, args_size, shown);
      continue;
    }
    ++mismatches;
    if (!message_ok)
      ADD_FAILURE() << row.id << ": docs/errors.md says\n  "
                    << doc.substr(from, end - from) << "\nthe binary prints\n  "
                    << message;
    if (!args_ok)
      ADD_FAILURE() << row.id << ": docs/errors.md runs\n  "
                    << doc.substr(args_from, args_size) << "\nthe test runs\n  "
                    << shown;
  }
  if (update) std::ofstream(path, std::ios::binary) << doc;
  EXPECT_EQ(mismatches, 0) << "run with SCALESIM_UPDATE_DOCS=1 to rewrite "
                              "the args and message columns";
}

// --- Interrupted writes ----------------------------------------------------

// synth writes 90,000 runs (about 5.6 MB): large enough to be interrupted in
// the middle of writing, small enough to take a fraction of a second.
constexpr const char* kSynthArgs =
    "synth --budgets 300 --sizes 300 --noise 0.01 --seed 7";
// What the output path holds before each interrupted run.
constexpr const char* kPreviousContent =
    "N,D,C,loss\nprevious,complete,file,1\n";

// Whether `name` is `base` or a temporary ".scalesim-<16 hex digits>.tmp"
// (include/scalesim/io/files.hpp).
bool IsFinalOrTemporary(const std::string& name, const std::string& base) {
  return name == base ||
         (name.size() == 30 && name.rfind(".scalesim-", 0) == 0 &&
          name.find_first_not_of("0123456789abcdef", 10) == 26 &&
          name.compare(26, 4, ".tmp") == 0);
}

// A file-size limit (RLIMIT_FSIZE) below the output's size makes the kernel
// stop the process with SIGXFSZ in the middle of writing its temporary file:
// a deterministic kill mid-write. The output path keeps the previous file;
// the partial temporary stays behind (SIGXFSZ, like SIGKILL, is not one of
// the signals whose handler removes it; docs/errors.md).
TEST(AtomicOutputTest, KilledMidWriteKeepsThePreviousFile) {
  TempDir dir("atomic_xfsz");
  const std::string out = dir.Write("runs.csv", kPreviousContent);
  // ulimit -f counts 512- or 1024-byte blocks by shell: 1 MB or 2 MB, both
  // below the 5.6 MB output.
  const std::string cmd = "ulimit -c 0 && ulimit -f 2000 && exec " +
                          std::string(SCALESIM_BINARY) + " " + kSynthArgs +
                          " --out " + out + " >/dev/null 2>&1";
  const int status = std::system(cmd.c_str());
  ASSERT_TRUE(WIFSIGNALED(status)) << "status " << status;
  EXPECT_EQ(WTERMSIG(status), SIGXFSZ);
  EXPECT_EQ(ReadFile(out), kPreviousContent);
  int temporaries = 0;
  for (const std::string& name : Entries(dir.File(""))) {
    EXPECT_TRUE(IsFinalOrTemporary(name, "runs.csv")) << name;
    if (name != "runs.csv") {
      ++temporaries;
      // Partial: cut at the limit, shorter than the whole output.
      EXPECT_GT(std::filesystem::file_size(dir.File(name)), 0U);
      EXPECT_LE(std::filesystem::file_size(dir.File(name)), 2000U * 1024U);
    }
  }
  EXPECT_EQ(temporaries, 1);  // the interrupted write's
}

// SIGKILL at moments spread over a whole run: the output path always holds
// either the complete previous file or the complete new one.
TEST(AtomicOutputTest, SigkillAtAnyMomentLeavesOldOrNewFileWhole) {
  TempDir dir("atomic_kill");
  // The complete new file, from a run left alone.
  const std::string reference_path = dir.File("reference.csv");
  const std::string ref_cmd = std::string(SCALESIM_BINARY) + " " + kSynthArgs +
                              " --out " + reference_path + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(ref_cmd.c_str()), 0);
  const std::string reference = ReadFile(reference_path);
  ASSERT_GT(reference.size(), 1'000'000U);
  std::filesystem::remove(reference_path);

  const std::string out = dir.File("runs.csv");
  std::vector<std::string> argv_text = {SCALESIM_BINARY};
  std::istringstream words(kSynthArgs);
  for (std::string w; words >> w;) argv_text.push_back(w);
  argv_text.insert(argv_text.end(), {"--out", out, "--format", "csv"});
  std::vector<char*> argv;
  for (std::string& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t quiet;
  posix_spawn_file_actions_init(&quiet);
  posix_spawn_file_actions_addopen(
      &quiet, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  int outcomes[3] = {0, 0, 0};  // previous file, new file, temporary left
  constexpr int kKills = 16;
  constexpr int kStepMicroseconds = 5'000;
  for (int i = 0; i < kKills; ++i) {
    std::ofstream(out, std::ios::binary | std::ios::trunc) << kPreviousContent;
    pid_t pid = 0;
    ASSERT_EQ(posix_spawn(
                  &pid, SCALESIM_BINARY, &quiet, nullptr, argv.data(), environ),
              0);
    std::this_thread::sleep_for(
        std::chrono::microseconds(i * kStepMicroseconds));
    kill(pid, SIGKILL);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    const std::string now = ReadFile(out);
    const bool previous = now == kPreviousContent;
    const bool complete = now == reference;
    EXPECT_TRUE(previous || complete)
        << "kill after " << i * kStepMicroseconds << " us: " << now.size()
        << " bytes at the path";
    ++outcomes[previous ? 0 : 1];
    for (const std::string& name : Entries(dir.File(""))) {
      EXPECT_TRUE(IsFinalOrTemporary(name, "runs.csv")) << name;
      if (name != "runs.csv") {
        ++outcomes[2];
        std::filesystem::remove(dir.File(name));
      }
    }
  }
  posix_spawn_file_actions_destroy(&quiet);
  RecordProperty("kills_leaving_previous_file", outcomes[0]);
  RecordProperty("kills_leaving_new_file", outcomes[1]);
  RecordProperty("kills_leaving_a_temporary", outcomes[2]);
}

}  // namespace
}  // namespace scalesim::testing

// Writing small safetensors files for tests: real headers (8-byte
// little-endian length, JSON, space padding to 8 bytes) and zero-filled
// data, as the safetensors writer lays them out.
#ifndef SCALESIM_TESTS_SAFETENSORS_TEST_SUPPORT_HPP_
#define SCALESIM_TESTS_SAFETENSORS_TEST_SUPPORT_HPP_

#include <cstdint>
#include <string>
#include <vector>

namespace scalesim::testing {

struct TensorSpec {
  std::string name;
  std::string dtype;  // BF16, F32, U8, ...
  std::vector<std::int64_t> shape;
};

inline int SpecBits(const std::string& dtype) {
  if (dtype == "F32" || dtype == "I32") return 32;
  if (dtype == "U8" || dtype == "I8" || dtype == "F8_E4M3") return 8;
  return 16;
}

// 8-byte length + `header` (padded with spaces to a multiple of 8) +
// `data_bytes` zero bytes.
inline std::string WithHeader(std::string header, std::size_t data_bytes) {
  while (header.size() % 8 != 0) header += ' ';
  std::string out(8, '\0');
  std::uint64_t n = header.size();
  for (int i = 0; i < 8; ++i) {
    out[static_cast<std::size_t>(i)] = static_cast<char>(n & 0xFFU);
    n >>= 8;
  }
  return out + header + std::string(data_bytes, '\0');
}

// A complete file holding `tensors` in order.
inline std::string SafetensorsBytes(const std::vector<TensorSpec>& tensors) {
  std::string header = "{\"__metadata__\": {\"format\": \"pt\"}";
  std::size_t offset = 0;
  for (const TensorSpec& t : tensors) {
    std::int64_t numel = 1;
    std::string shape;
    for (std::int64_t d : t.shape) {
      numel *= d;
      shape += (shape.empty() ? "" : ", ") + std::to_string(d);
    }
    const auto bytes = static_cast<std::size_t>(numel * SpecBits(t.dtype) / 8);
    header += ", \"" + t.name + "\": {\"dtype\": \"" + t.dtype +
              "\", \"shape\": [" + shape + "], \"data_offsets\": [" +
              std::to_string(offset) + ", " + std::to_string(offset + bytes) +
              "]}";
    offset += bytes;
  }
  return WithHeader(header + "}", offset);
}

// The tensors of a Llama-layout decoder (Qwen3 with q/k norms when
// `qk_norm`): model.embed_tokens, layers.{i}.self_attn.{q,k,v,o}_proj,
// mlp.{gate,up,down}_proj, the two norms, model.norm and (untied)
// lm_head, all BF16.
inline std::vector<TensorSpec> LlamaTensors(std::int64_t vocab,
                                            std::int64_t d,
                                            std::int64_t layers,
                                            std::int64_t q_width,
                                            std::int64_t kv_width,
                                            std::int64_t head_dim,
                                            std::int64_t d_ff,
                                            bool qk_norm,
                                            bool lm_head) {
  std::vector<TensorSpec> t = {
      {"model.embed_tokens.weight", "BF16", {vocab, d}},
      {"model.norm.weight", "BF16", {d}}};
  if (lm_head) t.push_back({"lm_head.weight", "BF16", {vocab, d}});
  for (std::int64_t i = 0; i < layers; ++i) {
    const std::string p = "model.layers." + std::to_string(i) + ".";
    t.push_back({p + "self_attn.q_proj.weight", "BF16", {q_width, d}});
    t.push_back({p + "self_attn.k_proj.weight", "BF16", {kv_width, d}});
    t.push_back({p + "self_attn.v_proj.weight", "BF16", {kv_width, d}});
    t.push_back({p + "self_attn.o_proj.weight", "BF16", {d, q_width}});
    if (qk_norm) {
      t.push_back({p + "self_attn.q_norm.weight", "BF16", {head_dim}});
      t.push_back({p + "self_attn.k_norm.weight", "BF16", {head_dim}});
    }
    t.push_back({p + "mlp.gate_proj.weight", "BF16", {d_ff, d}});
    t.push_back({p + "mlp.up_proj.weight", "BF16", {d_ff, d}});
    t.push_back({p + "mlp.down_proj.weight", "BF16", {d, d_ff}});
    t.push_back({p + "input_layernorm.weight", "BF16", {d}});
    t.push_back({p + "post_attention_layernorm.weight", "BF16", {d}});
  }
  return t;
}

}  // namespace scalesim::testing

#endif  // SCALESIM_TESTS_SAFETENSORS_TEST_SUPPORT_HPP_

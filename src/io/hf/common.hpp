// Private to io: building blocks several Hugging Face families share.
#ifndef SCALESIM_SRC_IO_HF_COMMON_HPP_
#define SCALESIM_SRC_IO_HF_COMMON_HPP_

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <vector>

#include "scalesim/model/architecture.hpp"

#include "io/hf/fields.hpp"

namespace scalesim::io::hf {

// The sizes and the block every Llama-derived family shares:
// vocab_size, hidden_size, num_hidden_layers and num_attention_heads
// required; gated MLP, two RMSNorms per block, final norm, rotary
// positions, no biases; tie_word_embeddings defaults to `default_tied`.
void LlamaBase(const Fields& f, model::Architecture& a, bool default_tied);

// The Llama layout (LlamaConfig and the many classes copied from it):
// vocab_size, hidden_size, num_hidden_layers, num_attention_heads and
// intermediate_size required; num_key_value_heads defaults to the heads,
// head_dim to hidden/heads; gated MLP, two RMSNorms per block, final norm,
// rotary positions, no biases; tie_word_embeddings defaults to
// `default_tied`.
void LlamaLike(const Fields& f, model::Architecture& a, bool default_tied);

// num_key_value_heads as a family's configuration class builds it: the
// class default `absent` when the key is missing (0: the head count), the
// head count when it is null and `null_is_heads`, else null is refused
// (transformers would build no model).
void KvHeads(const Fields& f,
             model::Architecture& a,
             std::int64_t absent,
             bool null_is_heads);

// head_dim: the class default `absent` when missing (0: hidden/heads, which
// must divide: transformers' hidden // heads would silently round down);
// null is hidden/heads when `null_is_derived`, else refused.
void HeadDim(const Fields& f,
             model::Architecture& a,
             std::int64_t absent,
             bool null_is_derived);

// attention_bias (default `fallback`) on q, k, v and, when `o_too`, o.
void AttentionBias(const Fields& f,
                   model::Architecture& a,
                   bool fallback,
                   bool o_too);

// The layer_types list of a config ("full_attention", "sliding_attention",
// "chunked_attention", "linear_attention"; DeepSeek's
// "deepseek_sparse_attention" is full attention here), one per layer; empty
// when absent. A list of another length, or an unknown name, is an error
// naming layer_types.
std::vector<model::AttentionKind> LayerTypes(const Fields& f,
                                             std::int64_t n_layers);

// Sets a.layer_pattern from the kind of each layer, `kind_of(i)`. When the
// rule repeats every `period` layers (0: no period), only one period is
// built, so a config of any depth is arithmetic; otherwise every layer is
// built, which needs n_layers <= model::kMaxLayerPattern (an error naming
// `key` beyond). The pattern is stored as its shortest period, empty when
// every layer is full attention with positions.
void SetLayerPattern(
    const Fields& f,
    model::Architecture& a,
    std::int64_t period,
    const char* key,
    const std::function<model::LayerKind(std::int64_t)>& kind_of);

// The same from a layer_types list (LayerTypes), with the window of sliding
// layers and the chunk of chunked layers (errors name the keys when such a
// layer has none).
void SetLayerPatternFromTypes(const Fields& f,
                              model::Architecture& a,
                              const std::vector<model::AttentionKind>& types);

// Every layer attends within one window `window` (Mistral, StarCoder2,
// Phi-3.5-MoE, Qwen3-MoE with use_sliding_window); nothing when window <= 0.
void SlidingEverywhere(model::Architecture& a, std::int64_t window);

// The window a config gives: `key`'s value, `fallback` when absent, 0 when
// null (transformers' None: no window).
std::int64_t WindowOr(const Fields& f, const char* key, std::int64_t fallback);

// Which layers use RoPE (SmolLM3, Llama 4): no_rope_layers[i] = 1 where the
// layer does, or by default every layer but each no_rope_layer_interval-th
// ((i + 1) % interval == 0 is NoPE).
struct RopeLayers {
  std::vector<std::int64_t> listed;
  std::int64_t interval = 4;
  bool UsesRope(std::int64_t i) const {
    return listed.empty() ? (i + 1) % interval != 0
                          : listed[static_cast<std::size_t>(i)] != 0;
  }
  std::int64_t period() const { return listed.empty() ? interval : 0; }
  const char* key() const {
    return listed.empty() ? "no_rope_layer_interval" : "no_rope_layers";
  }
};
RopeLayers ReadRopeLayers(const Fields& f, std::int64_t n_layers);

// Routed experts whose width is intermediate_size (Mixtral-style:
// granitemoe, olmoe, phimoe): every layer MoE, no dense MLP. `experts`
// names the expert-count keys.
void ExpertsOfIntermediateSize(const Fields& f,
                               model::Architecture& a,
                               std::initializer_list<const char*> experts);

// DeepSeekMoE placement (deepseek_v2/v3, kimi_k2, glm4_moe): routed experts
// of moe_intermediate_size, n_shared_experts shared ones of the same width,
// first_k_dense_replace dense layers; the defaults are the family's.
void DeepseekMoe(const Fields& f,
                 model::Architecture& a,
                 std::int64_t shared_default,
                 std::int64_t first_dense_default);

// MoE placement from an explicit list of MoE layers (Llama 4 moe_layers):
// every layer, every step-th layer ((i + 1) % step == 0) or, failing both,
// the complement as moe.dense_layers (n_layers <= kMaxLayerPattern).
void SetMoeLayers(const Fields& f,
                  model::Architecture& a,
                  const std::vector<std::int64_t>& moe_layers,
                  const char* key);

}  // namespace scalesim::io::hf

#endif  // SCALESIM_SRC_IO_HF_COMMON_HPP_

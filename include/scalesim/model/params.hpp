// Exact parameter counts of a decoder-only transformer.
//
// Every count is the number of trainable scalars that
// sum(p.numel() for p in model.parameters()) reports for the equivalent
// PyTorch model: tied weights counted once, buffers (rotary inv_freq, causal
// masks) excluded. A linear map in -> out with bias has in*out + out
// parameters (e.g. 768 -> 3072: 2,362,368).
//
// Two totals are reported because the literature uses both:
//   - total: every parameter (Hoffmann et al. 2022, "Chinchilla", count N this
//     way; so do Hugging Face's num_parameters()).
//   - non_embedding: total minus token and position embeddings (Kaplan et al.
//     2020, Sec. 2.1). The LM head counts as embedding when tied (it is the
//     same matrix) and as non-embedding when untied, following Kaplan's
//     definition of N as the weights outside the embedding matrices; see
//     docs/conventions.md ("non-embedding parameters").
//
// Active parameters (MoE: used per token, top-k routed + shared experts)
// are given with and without the input embedding, because model cards
// disagree: scalesim's active() counts the token embedding (as HF's
// num_parameters counts it), OpenAI's gpt-oss card does not (3.61B for
// gpt-oss-20b, scalesim active() 4,187,440,704: the lookup multiplies
// nothing, the unembedding does), which is
// active_excluding_input_embedding().
//
// Multimodal checkpoints: total() is the language model (the
// *ForCausalLM); checkpoint_total() adds the vision tower and the
// multimodal projector.
#ifndef SCALESIM_MODEL_PARAMS_HPP_
#define SCALESIM_MODEL_PARAMS_HPP_

#include <cstdint>

#include "scalesim/model/architecture.hpp"

namespace scalesim::model {

// Parameters of one transformer block, by component.
struct BlockParams {
  std::int64_t attention =
      0;  // q, k, v, o (+ MLA down/up projections and norms, qk norms)
  std::int64_t attention_sinks = 0;  // one logit per head (gpt-oss)
  std::int64_t indexer = 0;          // DSA lightning indexer (DeepSeek-V3.2)
  std::int64_t position =
      0;  // relative-position projection and biases (Gopher)
  std::int64_t mlp =
      0;  // dense MLP, or all experts (routed + shared) of an MoE layer
  std::int64_t router = 0;  // MoE router (+ bias, + shared-expert gate)
  std::int64_t norms = 0;   // the block's norms
  // MoE: parameters one token uses in the MLP (top-k routed + shared experts).
  std::int64_t mlp_active = 0;

  // The token mixer of a full-attention layer: what a linear-attention
  // layer has instead.
  std::int64_t mixer() const {
    return attention + attention_sinks + indexer + position;
  }
  std::int64_t total() const { return mixer() + mlp + router + norms; }
  std::int64_t active() const { return mixer() + mlp_active + router + norms; }
};

struct ParamBreakdown {
  std::int64_t token_embedding = 0;     // vocab x embed_dim
  std::int64_t position_embedding = 0;  // learned position table (0 otherwise)
  std::int64_t embedding_norm = 0;      // BLOOM's word_embeddings_layernorm
  std::int64_t embed_projection = 0;    // OPT-350m project_in + project_out
  // One dense block and one MoE block, each with a full-attention token
  // mixer; n_linear_layers of the n_dense_blocks + n_moe_blocks layers have
  // the linear_attention mixer (per layer) instead (hybrid models).
  BlockParams dense_block;  // one dense block (n_dense_blocks of them)
  BlockParams moe_block;    // one MoE block (n_moe_blocks of them)
  std::int64_t n_dense_blocks = 0;
  std::int64_t n_moe_blocks = 0;
  std::int64_t n_linear_layers = 0;
  std::int64_t linear_attention = 0;  // Gated DeltaNet, one layer
  std::int64_t final_norm = 0;
  std::int64_t lm_head =
      0;  // 0 when tied to the token embedding (bias only if any)
  bool tied_lm_head = false;      // the LM head is the token embedding matrix
  std::int64_t vision_tower = 0;  // multimodal checkpoints only
  std::int64_t multimodal_projector = 0;  // multimodal checkpoints only

  // Layers with a full-attention mixer (all but the linear ones).
  std::int64_t n_attention_layers() const;

  // Sums over all blocks.
  std::int64_t attention() const;  // full-attention layers' q, k, v, o, norms
  std::int64_t attention_sinks() const;
  std::int64_t indexer() const;
  std::int64_t linear_attention_total() const;
  std::int64_t relative_position() const;
  std::int64_t mlp() const;
  std::int64_t router() const;
  std::int64_t norms() const;   // block norms + final norm + embedding norm
  std::int64_t blocks() const;  // all blocks

  std::int64_t total() const;
  // Kaplan et al. 2020 N: total minus token and position embeddings.
  std::int64_t non_embedding() const;
  // Parameters used per token (== total for dense models).
  std::int64_t active() const;
  // Active parameters minus token and position embeddings.
  std::int64_t active_non_embedding() const;
  // Active parameters without the input embedding lookup (token and
  // position tables; a tied LM head still counts, as the unembedding):
  // OpenAI's convention for gpt-oss.
  std::int64_t active_excluding_input_embedding() const;
  // The whole checkpoint: total() + vision tower + projector.
  std::int64_t checkpoint_total() const;
  bool multimodal() const { return vision_tower + multimodal_projector > 0; }
};

// Parameters of one Gated DeltaNet layer's token mixer (Qwen3-Next:
// 33,718,464): d (2 key_dim + 2 value_dim) + 2 d n_v + conv_dim K + 2 n_v +
// d_v + value_dim d.
std::int64_t LinearAttentionParams(const Architecture& arch);

// Counts parameters exactly. Calls Validate(arch, source) first; throws
// InvalidInput on an invalid description or a count that overflows int64
// ("parameters of <name>: count overflows a 64-bit integer").
ParamBreakdown CountParameters(const Architecture& arch,
                               std::string_view source = "architecture");

// The 12 * n_layers * d_model^2 rule of thumb (Kaplan et al. 2020, Eq. 2.1,
// for d_attn = d_model and d_ff = 4 d_model). Exact integer.
std::int64_t RuleOfThumbParams(const Architecture& arch);

}  // namespace scalesim::model

#endif  // SCALESIM_MODEL_PARAMS_HPP_

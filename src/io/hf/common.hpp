// Private to io: building blocks several Hugging Face families share.
#ifndef SCALESIM_SRC_IO_HF_COMMON_HPP_
#define SCALESIM_SRC_IO_HF_COMMON_HPP_

#include "scalesim/model/architecture.hpp"

#include "io/hf/fields.hpp"

namespace scalesim::io::hf {

// The Llama layout (LlamaConfig and the many classes copied from it):
// vocab_size, hidden_size, num_hidden_layers, num_attention_heads and
// intermediate_size required; num_key_value_heads defaults to the heads,
// head_dim to hidden/heads; gated MLP, two RMSNorms per block, final norm,
// rotary positions, no biases; tie_word_embeddings defaults to
// `default_tied`.
void LlamaLike(const Fields& f, model::Architecture& a, bool default_tied);

}  // namespace scalesim::io::hf

#endif  // SCALESIM_SRC_IO_HF_COMMON_HPP_

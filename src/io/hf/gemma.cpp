// Gemma: gemma (GemmaForCausalLM), gemma2 (Gemma2ForCausalLM).
#include "io/hf/common.hpp"
#include "io/hf/families.hpp"

namespace scalesim::io::hf {
namespace {

void GemmaLike(const Fields& f,
               model::Architecture& a,
               std::int64_t norms_per_block) {
  LlamaLike(f, a, true);
  // GemmaConfig default head_dim 256
  a.head_dim = f.Or("head_dim", {"head_dim"}, 256);
  const bool bias = f.BoolOr({"attention_bias"}, false);
  a.q_bias = a.k_bias = a.v_bias = a.o_bias = bias;
  // Gemma 2: pre/post attention and MLP norms
  a.norms_per_block = norms_per_block;
  if (a.activation == "silu") a.activation = "gelu_pytorch_tanh";
}

}  // namespace

void ImportGemma(const Fields& f, model::Architecture& a) {
  GemmaLike(f, a, 2);
}

void ImportGemma2(const Fields& f, model::Architecture& a) {
  GemmaLike(f, a, 4);
}

}  // namespace scalesim::io::hf

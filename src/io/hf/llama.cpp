// The Llama layout and its direct relatives: llama (LlamaForCausalLM),
// mistral (MistralForCausalLM), mixtral (MixtralForCausalLM).
#include "io/hf/common.hpp"
#include "io/hf/families.hpp"

namespace scalesim::io::hf {

void ImportLlama(const Fields& f, model::Architecture& a) {
  LlamaLike(f, a, false);
  const bool bias = f.BoolOr({"attention_bias"}, false);
  a.q_bias = a.k_bias = a.v_bias = a.o_bias = bias;
  a.mlp_bias = f.BoolOr({"mlp_bias"}, false);
}

void ImportMistral(const Fields& f, model::Architecture& a) {
  LlamaLike(f, a, false);
}

void ImportMixtral(const Fields& f, model::Architecture& a) {
  LlamaLike(f, a, false);
  a.moe.num_experts = f.Require("moe.num_experts", {"num_local_experts"});
  a.moe.experts_per_token =
      f.Require("moe.experts_per_token", {"num_experts_per_tok"});
  a.moe.expert_d_ff = a.d_ff;
  f.Name("moe.expert_d_ff", "intermediate_size");
}

}  // namespace scalesim::io::hf

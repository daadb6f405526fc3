// Zhipu GLM: glm4 (Glm4ForCausalLM, GLM-4-0414: four norms per block, q/k/v
// biases without o) and glm4_moe (Glm4MoeForCausalLM, GLM-4.5/4.6/4.7:
// DeepSeekMoE-style layers with a sigmoid router and its per-expert score
// correction bias). Partial rotary has no parameters.
#include "io/hf/common.hpp"
#include "io/hf/families.hpp"

namespace scalesim::io::hf {

void ImportGlm4(const Fields& f, model::Architecture& a) {
  LlamaLike(f, a, false);
  KvHeads(f, a, 2, false);           // Glm4Config: 2; null has no fallback
  HeadDim(f, a, 128, false);         // 128
  AttentionBias(f, a, true, false);  // q, k, v bias (default true); o never
  // input, post_self_attn, post_attention and post_mlp layernorms; the
  // fused gate_up_proj [2f, d] counts as gate + up.
  a.norms_per_block = 4;
}

void ImportGlm4Moe(const Fields& f, model::Architecture& a) {
  LlamaBase(f, a, false);
  KvHeads(f, a, 8, false);  // Glm4MoeConfig: 8; null has no fallback
  HeadDim(f, a, 0, false);  // no class field: hidden // heads (refused
                            // when it does not divide: GLM-4.5 gives 128)
  AttentionBias(f, a, false, false);             // q, k, v; o never
  a.qk_norm = f.BoolOr({"use_qk_norm"}, false);  // q_norm, k_norm [head_dim]
  a.moe.num_experts = f.Require("moe.num_experts", {"n_routed_experts"});
  // shared_experts [fe n_shared, d]: n_shared experts of width fe; one
  // shared expert and one dense layer by default.
  DeepseekMoe(f, a, 1, 1);
  a.moe.router_bias = true;  // gate.e_score_correction_bias [E]
  a.d_ff = a.moe.first_dense_layers > 0
               ? f.Require("d_ff", {"intermediate_size"})
               : f.Or("d_ff", {"intermediate_size"}, 0);
  // The multi-token-prediction layer (num_nextn_predict_layers) is not
  // built by transformers and not counted.
}

}  // namespace scalesim::io::hf

// Qwen: qwen2 (Qwen2ForCausalLM), qwen2_moe (Qwen2MoeForCausalLM).
#include "io/hf/common.hpp"
#include "io/hf/families.hpp"

namespace scalesim::io::hf {

void ImportQwen2(const Fields& f, model::Architecture& a) {
  LlamaLike(f, a, false);
  // Qwen2Attention: q/k/v biases, o without.
  a.q_bias = a.k_bias = a.v_bias = true;
  a.o_bias = false;
}

void ImportQwen2Moe(const Fields& f, model::Architecture& a) {
  ImportQwen2(f, a);
  a.moe.num_experts = f.Or("moe.num_experts", {"num_experts"}, 0);
  if (a.moe.num_experts > 0) {
    a.moe.experts_per_token =
        f.Require("moe.experts_per_token", {"num_experts_per_tok"});
    a.moe.expert_d_ff = f.Require("moe.expert_d_ff", {"moe_intermediate_size"});
    const std::int64_t shared =
        f.Or("moe.shared_expert_d_ff", {"shared_expert_intermediate_size"}, 0);
    if (shared > 0) {
      a.moe.shared_experts = 1;
      a.moe.shared_expert_d_ff = shared;
      // sigmoid gate Linear(d_model, 1), no bias
      a.moe.shared_expert_gate = true;
    }
    // Qwen2MoeDecoderLayer: MoE iff idx not in mlp_only_layers and
    // (idx + 1) % decoder_sparse_step == 0.
    a.moe.layer_freq = f.Or("moe.layer_freq", {"decoder_sparse_step"}, 1);
    a.moe.layer_offset = 1;
    a.moe.dense_layers = f.IntList("mlp_only_layers");
    f.Name("moe.dense_layers", "mlp_only_layers");
  }
}

}  // namespace scalesim::io::hf

// DeepSeek: deepseek_v2 (DeepseekV2ForCausalLM), deepseek_v3
// (DeepseekV3ForCausalLM; also Kimi K2's model_type kimi_k2, Moonshot's
// DeepseekV3ForCausalLM) and deepseek_v32 (DeepseekV32ForCausalLM:
// DeepSeek-V3 plus the DSA lightning indexer in every layer): multi-head
// latent attention and DeepSeekMoE.
#include <string>

#include "io/hf/common.hpp"
#include "io/hf/families.hpp"

namespace scalesim::io::hf {
namespace {

void DeepseekLike(const Fields& f, model::Architecture& a, bool v3) {
  LlamaLike(f, a, false);
  a.n_kv_heads = 0;  // MLA: every head reads the shared latent
  a.head_dim = 0;
  const bool bias = f.BoolOr({"attention_bias"}, false);
  a.q_bias = a.k_bias = a.v_bias = a.o_bias = bias;
  // null: plain q_proj (V2-Lite)
  a.mla.q_lora_rank = f.Or("mla.q_lora_rank", {"q_lora_rank"}, 0);
  a.mla.kv_lora_rank = f.Require("mla.kv_lora_rank", {"kv_lora_rank"});
  a.mla.qk_nope_head_dim =
      f.Require("mla.qk_nope_head_dim", {"qk_nope_head_dim"});
  a.mla.qk_rope_head_dim =
      f.Require("mla.qk_rope_head_dim", {"qk_rope_head_dim"});
  a.mla.v_head_dim = f.Require("mla.v_head_dim", {"v_head_dim"});
  a.moe.num_experts = f.Or("moe.num_experts", {"n_routed_experts"}, 0);
  if (a.moe.num_experts > 0) {
    a.moe.experts_per_token =
        f.Require("moe.experts_per_token", {"num_experts_per_tok"});
    a.moe.expert_d_ff = f.Require("moe.expert_d_ff", {"moe_intermediate_size"});
    a.moe.shared_experts = f.Or("moe.shared_experts", {"n_shared_experts"}, 0);
    a.moe.first_dense_layers =
        f.Or("moe.first_dense_layers", {"first_k_dense_replace"}, 0);
    a.moe.layer_freq = f.Or("moe.layer_freq", {"moe_layer_freq"}, 1);
    // DeepSeek-V3's noaux_tc routing learns a per-expert score bias
    // (e_score_correction_bias, DeepSeek-V3 report Sec. 2.1.2).
    const std::string method =
        f.Str({"topk_method"}).value_or(v3 ? "noaux_tc" : "greedy");
    a.moe.router_bias = method == "noaux_tc";
  }
}

}  // namespace

void ImportDeepseekV2(const Fields& f, model::Architecture& a) {
  DeepseekLike(f, a, false);
}

void ImportDeepseekV3(const Fields& f, model::Architecture& a) {
  DeepseekLike(f, a, true);
}

void ImportDeepseekV32(const Fields& f, model::Architecture& a) {
  DeepseekLike(f, a, true);
  // DeepseekV32Config: index_n_heads 64, index_head_dim 128, index_topk
  // 2048. The indexer reads the query latent, so q_lora_rank is required.
  a.indexer.n_heads = f.Or("indexer.n_heads", {"index_n_heads"}, 64);
  a.indexer.head_dim = f.Or("indexer.head_dim", {"index_head_dim"}, 128);
  a.indexer.topk = f.Or("indexer.topk", {"index_topk"}, 2048);
  if (a.mla.q_lora_rank <= 0) {
    f.Fail("q_lora_rank",
           "missing: DeepSeek-V3.2's indexer reads the query latent "
           "(q_lora_rank)");
  }
}

}  // namespace scalesim::io::hf

// IBM Granite: granite (GraniteForCausalLM, the Llama layout with scalar
// multipliers that have no parameters) and granitemoe
// (GraniteMoeForCausalLM: every layer MoE, fused input_linear [E, 2f, d]
// and output_linear [E, d, f], router without bias).
#include "io/hf/common.hpp"
#include "io/hf/families.hpp"

namespace scalesim::io::hf {

void ImportGranite(const Fields& f, model::Architecture& a) {
  LlamaLike(f, a, false);
  HeadDim(f, a, 0, false);  // no class field: hidden / heads
  const bool bias = f.BoolOr({"attention_bias"}, false);
  a.q_bias = a.k_bias = a.v_bias = a.o_bias = bias;
  a.mlp_bias = f.BoolOr({"mlp_bias"}, false);
}

void ImportGraniteMoe(const Fields& f, model::Architecture& a) {
  LlamaLike(f, a, false);
  HeadDim(f, a, 0, false);
  const bool bias = f.BoolOr({"attention_bias"}, false);
  a.q_bias = a.k_bias = a.v_bias = a.o_bias = bias;
  // intermediate_size is the width of one expert.
  ExpertsOfIntermediateSize(f, a, {"num_local_experts"});
}

}  // namespace scalesim::io::hf

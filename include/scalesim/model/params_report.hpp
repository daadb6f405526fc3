// The parameter report of an architecture: one row per component and a
// record of totals, each with its column schema (core/schema.hpp), used by
// `scalesim params`, plan, compare and the Python module.
#ifndef SCALESIM_MODEL_PARAMS_REPORT_HPP_
#define SCALESIM_MODEL_PARAMS_REPORT_HPP_

#include <cstdint>
#include <string>
#include <vector>

#include "scalesim/core/schema.hpp"
#include "scalesim/model/architecture.hpp"
#include "scalesim/model/params.hpp"

namespace scalesim::model {

struct ComponentRow {
  std::string component;  // token_embedding, attention, mlp, ..., total
  bool in_block = false;  // a per-block component (has per-block counts)
  std::int64_t per_dense_block = 0;
  std::int64_t per_moe_block = 0;
  std::int64_t params = 0;  // over the whole model
  std::int64_t active = 0;  // used per token (MoE)
  double share = 0.0;       // of the whole checkpoint (the total for text)
};

// The components with a nonzero count, then "total" (the language model);
// a multimodal checkpoint adds vision_tower, multimodal_projector and
// checkpoint_total after it.
std::vector<ComponentRow> ComponentRows(const ParamBreakdown& p);
// Columns: component, per_block (or per_dense_block / per_moe_block for a
// model with both), params, share, and active_params for MoE models.
Schema<ComponentRow> ComponentSchema(const ParamBreakdown& p,
                                     const std::string& model_name);

// Totals and the 12 L d^2 rule of thumb (Kaplan et al. 2020 Eq. 2.1).
struct ParamSummary {
  std::int64_t total_params = 0;  // the language model
  std::int64_t non_embedding_params = 0;
  std::int64_t active_params = 0;
  std::int64_t active_non_embedding_params = 0;
  // OpenAI's gpt-oss convention: active without the input embedding.
  std::int64_t active_params_excluding_input_embedding = 0;
  std::int64_t checkpoint_params = 0;  // + vision tower and projector
  std::int64_t layers = 0;
  std::int64_t moe_layers = 0;
  std::int64_t linear_attention_layers = 0;
  bool moe = false;
  bool multimodal = false;
  // 12 n_layers d_model^2, exact when below 4e18 (else only rule_real).
  bool rule_exact = true;
  std::int64_t rule_of_thumb = 0;
  double rule_real = 0.0;
  double rule_error_vs_non_embedding = 0.0;  // (12 L d^2 - exact) / exact
  double rule_error_vs_total = 0.0;
};

ParamSummary SummarizeParams(const Architecture& arch, const ParamBreakdown& p);
// A record: total_params, (checkpoint_params,) non_embedding_params,
// (active_params, active_non_embedding_params,
// active_params_excluding_input_embedding,) layers, (moe_layers,)
// (linear_attention_layers,) rule_of_thumb_12Ld2,
// rule_of_thumb_error_vs_non_embedding, rule_of_thumb_error_vs_total; the
// columns in brackets for MoE, multimodal and hybrid models.
Schema<ParamSummary> SummarySchema(const ParamSummary& summary);
// The notes the parameter report prints (counting conventions).
std::vector<std::string> ParamsNotes(const ParamSummary& summary);

}  // namespace scalesim::model

#endif  // SCALESIM_MODEL_PARAMS_REPORT_HPP_

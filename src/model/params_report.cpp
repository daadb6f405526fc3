#include "scalesim/model/params_report.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace scalesim::model {
namespace {

using I = std::int64_t;

// Below 2^63 with room for the difference from an exact count (which must
// itself fit in int64).
constexpr double kMaxExactRule = 4.0e18;

double Share(I part, I total) {
  return total > 0 ? static_cast<double>(part) / static_cast<double>(total)
                   : 0.0;
}

}  // namespace

std::vector<ComponentRow> ComponentRows(const ParamBreakdown& p) {
  const I total = p.checkpoint_total();
  std::vector<ComponentRow> rows;
  auto add = [&](std::string name,
                 bool in_block,
                 I dense_v,
                 I moe_v,
                 I sum,
                 I active) {
    if (sum == 0 && name != "total" && name != "checkpoint_total") return;
    rows.push_back({std::move(name),
                    in_block,
                    dense_v,
                    moe_v,
                    sum,
                    active,
                    Share(sum, total)});
  };
  const BlockParams& db = p.dense_block;
  const BlockParams& mb = p.moe_block;
  const I block_norms = p.norms() - p.final_norm - p.embedding_norm;
  add("token_embedding", false, 0, 0, p.token_embedding, p.token_embedding);
  add("position_embedding",
      false,
      0,
      0,
      p.position_embedding,
      p.position_embedding);
  add("embedding_norm", false, 0, 0, p.embedding_norm, p.embedding_norm);
  add("embedding_projection",
      false,
      0,
      0,
      p.embed_projection,
      p.embed_projection);
  add("attention",
      true,
      db.attention,
      mb.attention,
      p.attention(),
      p.attention());
  add("attention_sinks",
      true,
      db.attention_sinks,
      mb.attention_sinks,
      p.attention_sinks(),
      p.attention_sinks());
  add("indexer", true, db.indexer, mb.indexer, p.indexer(), p.indexer());
  add("linear_attention",
      true,
      p.linear_attention,
      p.linear_attention,
      p.linear_attention_total(),
      p.linear_attention_total());
  add("relative_position",
      true,
      db.position,
      mb.position,
      p.relative_position(),
      p.relative_position());
  add(p.n_moe_blocks > 0 ? "mlp_and_experts" : "mlp",
      true,
      db.mlp,
      mb.mlp,
      p.mlp(),
      db.mlp_active * p.n_dense_blocks + mb.mlp_active * p.n_moe_blocks);
  add("router", true, db.router, mb.router, p.router(), p.router());
  add("block_norms", true, db.norms, mb.norms, block_norms, block_norms);
  // With linear-attention layers blocks differ by their mixer: no single
  // per-block figure.
  const bool uniform = p.n_linear_layers == 0;
  const I blocks_active = db.active() * p.n_dense_blocks +
                          mb.active() * p.n_moe_blocks +
                          (p.blocks() - db.total() * p.n_dense_blocks -
                           mb.total() * p.n_moe_blocks);
  add("blocks", uniform, db.total(), mb.total(), p.blocks(), blocks_active);
  add("final_norm", false, 0, 0, p.final_norm, p.final_norm);
  add("lm_head", false, 0, 0, p.lm_head, p.lm_head);
  add("total", uniform, db.total(), mb.total(), p.total(), p.active());
  if (p.multimodal()) {
    add("vision_tower", false, 0, 0, p.vision_tower, p.vision_tower);
    add("multimodal_projector",
        false,
        0,
        0,
        p.multimodal_projector,
        p.multimodal_projector);
    add("checkpoint_total",
        false,
        0,
        0,
        total,
        p.active() + p.vision_tower + p.multimodal_projector);
  }
  return rows;
}

Schema<ComponentRow> ComponentSchema(const ParamBreakdown& p,
                                     const std::string& model_name) {
  const bool moe = p.n_moe_blocks > 0;
  const bool dense = p.n_dense_blocks > 0;
  Schema<ComponentRow> s{"components",
                         "Parameters of " + model_name + " by component",
                         {},
                         nullptr};
  s.Add("component", CellKind::kText, [](const ComponentRow& r) {
    return CellValue{r.component};
  });
  auto per_block = [](I ComponentRow::*field) {
    return [field](const ComponentRow& r) {
      return r.in_block ? CellValue{r.*field} : CellValue{};
    };
  };
  if (dense) {
    s.Add(moe ? "per_dense_block" : "per_block",
          CellKind::kCount,
          per_block(&ComponentRow::per_dense_block));
  }
  if (moe) {
    s.Add("per_moe_block",
          CellKind::kCount,
          per_block(&ComponentRow::per_moe_block));
  }
  s.Add("params", CellKind::kCount, [](const ComponentRow& r) {
    return CellValue{r.params};
  });
  s.Add("share", CellKind::kPercent, [](const ComponentRow& r) {
    return CellValue{r.share};
  });
  if (moe) {
    s.Add("active_params", CellKind::kCount, [](const ComponentRow& r) {
      return CellValue{r.active};
    });
  }
  return s;
}

ParamSummary SummarizeParams(const Architecture& a, const ParamBreakdown& p) {
  ParamSummary s;
  s.total_params = p.total();
  s.non_embedding_params = p.non_embedding();
  s.active_params = p.active();
  s.active_non_embedding_params = p.active_non_embedding();
  s.active_params_excluding_input_embedding =
      p.active_excluding_input_embedding();
  s.checkpoint_params = p.checkpoint_total();
  s.layers = a.n_layers;
  s.moe_layers = p.n_moe_blocks;
  s.linear_attention_layers = p.n_linear_layers;
  s.moe = p.n_moe_blocks > 0;
  s.multimodal = p.multimodal();
  // 12 L d^2 can exceed int64 where the exact count does not (a narrow
  // MLP): then it is given in floating point rather than failing.
  s.rule_real = 12.0 * static_cast<double>(a.n_layers) *
                static_cast<double>(a.d_model) * static_cast<double>(a.d_model);
  s.rule_exact = s.rule_real < kMaxExactRule;
  auto error = [&](I exact) {
    if (s.rule_exact) return Share(s.rule_of_thumb - exact, exact);
    return exact > 0 ? (s.rule_real - static_cast<double>(exact)) /
                           static_cast<double>(exact)
                     : 0.0;
  };
  if (s.rule_exact) s.rule_of_thumb = RuleOfThumbParams(a);
  s.rule_error_vs_non_embedding = error(s.non_embedding_params);
  s.rule_error_vs_total = error(s.total_params);
  return s;
}

Schema<ParamSummary> SummarySchema(const ParamSummary& summary) {
  using S = ParamSummary;
  const bool moe = summary.moe;
  Schema<S> s{"summary", "Totals", {}, nullptr};
  s.Add("total_params", CellKind::kCount, [](const S& r) {
    return CellValue{r.total_params};
  });
  if (summary.multimodal) {
    s.Add("checkpoint_params", CellKind::kCount, [](const S& r) {
      return CellValue{r.checkpoint_params};
    });
  }
  s.Add("non_embedding_params", CellKind::kCount, [](const S& r) {
    return CellValue{r.non_embedding_params};
  });
  if (moe) {
    s.Add("active_params", CellKind::kCount, [](const S& r) {
      return CellValue{r.active_params};
    });
    s.Add("active_non_embedding_params", CellKind::kCount, [](const S& r) {
      return CellValue{r.active_non_embedding_params};
    });
    s.Add("active_params_excluding_input_embedding",
          CellKind::kCount,
          [](const S& r) {
            return CellValue{r.active_params_excluding_input_embedding};
          });
  }
  s.Add("layers", CellKind::kInteger, [](const S& r) {
    return CellValue{r.layers};
  });
  if (moe) {
    s.Add("moe_layers", CellKind::kInteger, [](const S& r) {
      return CellValue{r.moe_layers};
    });
  }
  if (summary.linear_attention_layers > 0) {
    s.Add("linear_attention_layers", CellKind::kInteger, [](const S& r) {
      return CellValue{r.linear_attention_layers};
    });
  }
  s.Add("rule_of_thumb_12Ld2", CellKind::kCount, [](const S& r) {
    return r.rule_exact ? CellValue{r.rule_of_thumb} : CellValue{r.rule_real};
  });
  s.Add("rule_of_thumb_error_vs_non_embedding",
        CellKind::kPercent,
        [](const S& r) { return CellValue{r.rule_error_vs_non_embedding}; });
  s.Add("rule_of_thumb_error_vs_total", CellKind::kPercent, [](const S& r) {
    return CellValue{r.rule_error_vs_total};
  });
  return s;
}

std::vector<std::string> ParamsNotes(const ParamSummary& summary) {
  std::vector<std::string> notes{
      "counts are exact: sum of numel over parameters, tied weights once, "
      "buffers excluded",
      "total_params: all parameters (Hoffmann et al. 2022; HF "
      "num_parameters); non_embedding_params: without token/position "
      "embeddings and an untied LM head (Kaplan et al. 2020 N)",
      "rule_of_thumb_12Ld2 = 12 * n_layers * d_model^2 (Kaplan et al. 2020 "
      "Eq. 2.1); its errors are (12Ld^2 - exact) / exact"};
  if (summary.moe) {
    notes.push_back(
        "active_params: used per token, top-k routed + shared experts, "
        "with the input embedding (as HF counts it); "
        "active_non_embedding_params: without embeddings and an untied LM "
        "head (Kaplan's counting); "
        "active_params_excluding_input_embedding: without the embedding "
        "lookup but with the unembedding (OpenAI's gpt-oss card: 3.61B for "
        "gpt-oss-20b)");
  }
  if (summary.multimodal) {
    notes.push_back(
        "total_params: the language model (the *ForCausalLM, what FLOPs and "
        "the KV cache count); checkpoint_params: the whole checkpoint with "
        "the vision tower and the multimodal projector (what serving "
        "holds); share is of checkpoint_params");
  }
  if (summary.linear_attention_layers > 0) {
    notes.push_back(
        "linear_attention: the Gated DeltaNet token mixer of the "
        "linear-attention layers, in place of attention; per_block of "
        "blocks and total is left empty as blocks differ by their mixer");
  }
  return notes;
}

}  // namespace scalesim::model

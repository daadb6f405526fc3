#include "scalesim/model/flops_report.hpp"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "scalesim/core/units.hpp"
#include "scalesim/core/validate.hpp"
#include "scalesim/model/memory.hpp"

namespace scalesim::model {
namespace {

using I = std::int64_t;
constexpr double kFlopsPerTflop = 1e12;

CellValue Name(FlopsConvention c) {
  return CellValue{std::string(ToString(c))};
}

// Whether the block is the GPT block Megatron's closed forms assume.
bool IsGptBlock(const Architecture& a) {
  return a.mlp == MlpKind::kStandard && a.d_ff == 4 * a.d_model &&
         a.kv_heads() == a.n_heads && a.attention_width() == a.d_model &&
         !a.moe.enabled() && !a.mla.enabled();
}

void AddBlockRows(std::vector<OperationRow>& rows,
                  const std::string& prefix,
                  const BlockOperationFlops& full,
                  const BlockOperationFlops& matmul,
                  bool moe) {
  auto row = [&](const std::string& name, I a, I b) {
    rows.push_back({prefix + name, a, b});
  };
  row("attention_qkv", full.attention_qkv, matmul.attention_qkv);
  row("attention_scores", full.attention_scores, matmul.attention_scores);
  row("attention_softmax", full.attention_softmax, matmul.attention_softmax);
  row("attention_value_reduce",
      full.attention_value_reduce,
      matmul.attention_value_reduce);
  row("attention_projection",
      full.attention_projection,
      matmul.attention_projection);
  row("attention", full.attention(), matmul.attention());
  row("mlp", full.mlp, matmul.mlp);
  if (moe) row("router", full.router, matmul.router);
  row("total", full.total(), matmul.total());
}

std::vector<OperationRow> OperationRows(const Architecture& a,
                                        const FlopsRunOptions& run) {
  OperationOptions oo;
  oo.seq_len = run.seq_len;
  oo.causal = run.causal;
  oo.recompute = run.recompute;
  const OperationFlops full = CountOperationFlops(a, oo);
  oo.include_embeddings = false;
  oo.include_softmax = false;
  const OperationFlops matmul = CountOperationFlops(a, oo);
  std::vector<OperationRow> rows;
  rows.push_back({"embeddings", full.embeddings, matmul.embeddings});
  if (full.embedding_projection > 0) {
    rows.push_back({"embedding_projection",
                    full.embedding_projection,
                    matmul.embedding_projection});
  }
  const bool moe = full.n_moe_blocks > 0;
  if (full.n_dense_blocks > 0) {
    AddBlockRows(rows,
                 moe ? "dense_block." : "block.",
                 full.dense_block,
                 matmul.dense_block,
                 false);
  }
  if (moe)
    AddBlockRows(rows, "moe_block.", full.moe_block, matmul.moe_block, true);
  rows.push_back({"all_blocks", full.blocks(), matmul.blocks()});
  rows.push_back({"lm_head", full.lm_head, matmul.lm_head});
  rows.push_back({"forward", full.forward(), matmul.forward()});
  rows.push_back({"backward", full.backward(), matmul.backward()});
  rows.push_back({"training", full.training(), matmul.training()});
  if (run.recompute != Recompute::kNone) {
    rows.push_back({"recompute", full.recompute, matmul.recompute});
    rows.push_back({"hardware_training",
                    full.hardware_training(),
                    matmul.hardware_training()});
  }
  return rows;
}

}  // namespace

Schema<ConventionRow> ConventionSchema(const std::string& model_name,
                                       std::int64_t seq_len,
                                       bool with_tokens) {
  using R = ConventionRow;
  Schema<R> s{"conventions",
              "Training FLOPs of " + model_name + " by convention (seq_len " +
                  std::to_string(seq_len) + ")",
              {},
              nullptr};
  s.Add("convention", CellKind::kText, [](const R& r) {
    return Name(r.flops.convention);
  });
  s.Add("params", CellKind::kShortCount, [](const R& r) {
    return r.flops.params > 0 ? CellValue{r.flops.params} : CellValue{};
  });
  s.Add("forward_flops_per_token", CellKind::kScientific, [](const R& r) {
    return CellValue{r.flops.forward_flops_per_token};
  });
  s.Add("model_flops_per_token", CellKind::kScientific, [](const R& r) {
    return CellValue{r.flops.model_flops_per_token};
  });
  s.Add("hardware_flops_per_token", CellKind::kScientific, [](const R& r) {
    return CellValue{r.flops.hardware_flops_per_token};
  });
  s.Add("model_flops_per_sequence", CellKind::kScientific, [](const R& r) {
    return CellValue{r.flops.model_flops_per_token *
                     static_cast<double>(r.seq_len)};
  });
  if (with_tokens) {
    s.Add("training_flops", CellKind::kScientific, [](const R& r) {
      return CellValue{*r.training_flops};
    });
    s.Add("training_pf_days", CellKind::kReal, [](const R& r) {
      return CellValue{*r.training_flops / units::kFlopsPerPetaflopDay};
    });
  }
  s.Add("formula", CellKind::kText, [](const R& r) {
    return CellValue{r.flops.formula};
  });
  s.Add("source", CellKind::kText, [](const R& r) {
    return CellValue{r.flops.source};
  });
  return s;
}

Schema<OperationRow> OperationSchema() {
  using R = OperationRow;
  Schema<R> s{"per_operation",
              "Forward FLOPs per sequence by operation (exact)",
              {},
              nullptr};
  s.Add("operation", CellKind::kText, [](const R& r) {
    return CellValue{r.operation};
  });
  s.Add("chinchilla_flops_per_sequence", CellKind::kCount, [](const R& r) {
    return CellValue{r.chinchilla};
  });
  s.Add("matmul_only_flops_per_sequence", CellKind::kCount, [](const R& r) {
    return CellValue{r.matmul_only};
  });
  return s;
}

Schema<InferenceFlopsRecord> InferenceFlopsSchema(std::int64_t context) {
  using R = InferenceFlopsRecord;
  Schema<R> s{"inference",
              "Inference FLOPs per generated token at context " +
                  std::to_string(context),
              {},
              nullptr};
  s.Add("context", CellKind::kInteger, [](const R& r) {
    return CellValue{r.context};
  });
  s.Add("weight_flops_per_token", CellKind::kCount, [](const R& r) {
    return CellValue{r.flops.weight_flops};
  });
  s.Add("attention_flops_per_token", CellKind::kCount, [](const R& r) {
    return CellValue{r.flops.attention_flops};
  });
  s.Add("flops_per_token", CellKind::kCount, [](const R& r) {
    return CellValue{r.flops.total()};
  });
  return s;
}

Schema<DeviceRecord> DeviceRecordSchema() {
  using R = DeviceRecord;
  Schema<R> s{"device", "Device", {}, nullptr};
  s.Add("device", CellKind::kText, [](const R& r) {
    return CellValue{r.device};
  });
  s.Add("devices", CellKind::kInteger, [](const R& r) {
    return CellValue{r.devices};
  });
  s.Add("dtype", CellKind::kText, [](const R& r) {
    return CellValue{std::string(ToString(r.dtype))};
  });
  s.Add("peak_tflops_per_device", CellKind::kReal, [](const R& r) {
    return CellValue{r.peak_tflops};
  });
  s.Add("mfu", CellKind::kPercent, [](const R& r) { return CellValue{r.mfu}; });
  s.Add("usd_per_hour", CellKind::kUsd, [](const R& r) {
    return r.usd_per_hour ? CellValue{*r.usd_per_hour} : CellValue{};
  });
  s.Add("price_source", CellKind::kText, [](const R& r) {
    return CellValue{r.price_source};
  });
  return s;
}

Schema<TimeRow> TimeSchema(const std::string& title) {
  using R = TimeRow;
  Schema<R> s{"training_time", title, {}, nullptr};
  s.Add("convention", CellKind::kText, [](const R& r) {
    return Name(r.convention);
  });
  s.Add("training_flops", CellKind::kScientific, [](const R& r) {
    return CellValue{r.training_flops};
  });
  s.Add("training_time_seconds", CellKind::kSeconds, [](const R& r) {
    return CellValue{r.time.seconds};
  });
  s.Add("device_hours", CellKind::kShortCount, [](const R& r) {
    return CellValue{r.time.device_hours};
  });
  s.Add("cost_usd", CellKind::kUsd, [](const R& r) {
    return r.time.cost_usd ? CellValue{*r.time.cost_usd} : CellValue{};
  });
  return s;
}

Schema<BudgetRow> BudgetSchema(const std::string& title) {
  using R = BudgetRow;
  Schema<R> s{"budget", title, {}, nullptr};
  s.Add("convention", CellKind::kText, [](const R& r) {
    return Name(r.convention);
  });
  s.Add("flop_budget", CellKind::kScientific, [](const R& r) {
    return CellValue{r.flop_budget};
  });
  s.Add("pf_days", CellKind::kReal, [](const R& r) {
    return CellValue{r.flop_budget / units::kFlopsPerPetaflopDay};
  });
  s.Add("tokens", CellKind::kShortCount, [](const R& r) {
    return CellValue{r.tokens};
  });
  s.Add("cost_usd", CellKind::kUsd, [](const R& r) {
    return r.cost_usd ? CellValue{*r.cost_usd} : CellValue{};
  });
  return s;
}

Schema<UtilizationRow> UtilizationSchema(const std::string& title) {
  using R = UtilizationRow;
  Schema<R> s{"utilization", title, {}, nullptr};
  s.Add("convention", CellKind::kText, [](const R& r) {
    return Name(r.convention);
  });
  s.Add("model_flops_per_token", CellKind::kScientific, [](const R& r) {
    return CellValue{r.model_flops_per_token};
  });
  s.Add("achieved_tflops_per_device", CellKind::kReal, [](const R& r) {
    return CellValue{r.achieved_flops_per_device / kFlopsPerTflop};
  });
  s.Add("mfu", CellKind::kPercent, [](const R& r) { return CellValue{r.mfu}; });
  s.Add("hardware_flops_per_token", CellKind::kScientific, [](const R& r) {
    return CellValue{r.hardware_flops_per_token};
  });
  s.Add("hfu", CellKind::kPercent, [](const R& r) { return CellValue{r.hfu}; });
  return s;
}

FlopsReport ReportFlops(const Architecture& a,
                        FlopsRunOptions run,
                        const std::optional<Device>& device,
                        const DeviceRunOptions& dev) {
  FlopsReport r;
  const bool defaulted_seq = run.seq_len <= 0;
  run.seq_len = TrainingSeqLen(a, run.seq_len);
  ValidateFields(run);
  ValidateFields(dev);
  r.notes.push_back(
      "sequence length " + std::to_string(run.seq_len) + " tokens" +
      (defaulted_seq ? " (the model's maximum context, at most " +
                           std::to_string(kDefaultTrainingSeqLen) +
                           "; --seq-len to change)"
                     : ""));
  r.run = run;
  FlopsOptions fo;
  fo.seq_len = run.seq_len;
  fo.causal = run.causal;
  fo.recompute = run.recompute;
  fo.moe_active_params = run.moe_params == MoeParams::kActive;
  for (const ConventionFlops& c : TrainingFlopsByConvention(a, fo)) {
    ConventionRow row{c, run.seq_len, std::nullopt};
    if (run.tokens) {
      row.training_flops = RequireFiniteResult(
          c.model_flops_per_token * *run.tokens, "tokens", "training FLOPs");
    }
    r.conventions.push_back(std::move(row));
  }
  r.operations = OperationRows(a, run);
  r.inference = {run.seq_len, InferenceFlopsPerToken(a, run.seq_len)};

  if (device) {
    DeviceRecord d;
    d.device = device->name;
    d.devices = dev.devices;
    d.dtype = dev.dtype;
    const double peak = device->PeakFlopsPerSecond(dev.dtype);
    d.peak_tflops = peak / kFlopsPerTflop;
    d.mfu = dev.mfu;
    d.usd_per_hour =
        dev.usd_per_hour ? dev.usd_per_hour : device->price_per_hour_usd;
    d.price_source = dev.usd_per_hour ? "--usd-per-hour"
                     : device->price_per_hour_usd
                         ? "catalog"
                         : "none: give --usd-per-hour for cost";
    TrainingTimeOptions to;
    to.devices = dev.devices;
    to.peak_flops_per_device = peak;
    to.mfu = dev.mfu;
    to.price_per_device_hour_usd = d.usd_per_hour;
    const double price_field_is_flag = dev.usd_per_hour.has_value();
    const char* price_field = price_field_is_flag ? "usd_per_hour" : "device";
    if (run.tokens) {
      for (const ConventionRow& c : r.conventions) {
        TimeRow t{c.flops.convention,
                  *c.training_flops,
                  EstimateTrainingTime(*c.training_flops, to)};
        RequireFiniteResult(t.time.seconds, "mfu", "training time");
        if (t.time.cost_usd)
          RequireFiniteResult(*t.time.cost_usd, price_field, "cost");
        r.times.push_back(t);
      }
    }
    if (dev.days) {
      const double budget =
          RequireFiniteResult(FlopBudget(*dev.days, to), "days", "FLOP budget");
      const double device_hours =
          static_cast<double>(dev.devices) * *dev.days * 24.0;
      std::optional<double> cost;
      if (d.usd_per_hour) {
        cost = RequireFiniteResult(
            device_hours * *d.usd_per_hour, price_field, "cost");
      }
      for (const ConventionRow& c : r.conventions) {
        r.budgets.push_back({c.flops.convention,
                             budget,
                             budget / c.flops.model_flops_per_token,
                             cost});
      }
    }
    if (dev.tokens_per_second) {
      for (const ConventionRow& c : r.conventions) {
        UtilizationRow u;
        u.convention = c.flops.convention;
        u.model_flops_per_token = c.flops.model_flops_per_token;
        u.achieved_flops_per_device = RequireFiniteResult(
            AchievedFlopsPerDevice(c.flops.model_flops_per_token,
                                   *dev.tokens_per_second,
                                   dev.devices),
            "tokens_per_second",
            "achieved FLOP/s");
        u.mfu = u.achieved_flops_per_device / peak;
        u.hardware_flops_per_token = c.flops.hardware_flops_per_token;
        u.hfu = Utilization(c.flops.hardware_flops_per_token,
                            *dev.tokens_per_second,
                            dev.devices,
                            peak);
        r.utilizations.push_back(u);
      }
    }
    r.device = d;
  }

  r.notes.push_back(
      "1 FLOP = one add or multiply; a matrix product (m x k)(k x n) costs "
      "2mkn; 1 PF-day = 8.64e19 FLOPs");
  r.notes.push_back(std::string("causal ") +
                    (run.causal
                         ? "true: attention-score terms over the s(s+1)/2 "
                           "unmasked pairs (palm, megatron: halved)"
                         : "false: attention over all s^2 query-key pairs, "
                           "as App. F, PaLM and Megatron count") +
                    "; kaplan is printed as published (its "
                    "2*n_layer*n_ctx*d_attn is half of QK^T + AV)");
  r.notes.push_back(
      "recompute " + std::string(ToString(run.recompute)) +
      ": model FLOPs count each operation once (MFU); hardware FLOPs add the "
      "recomputed forward work (HFU): 6nd/kaplan/palm add one forward (full) "
      "or the attention-score forward (selective), chinchilla/matmul-only "
      "the recomputed operations, megatron its published forms (selective "
      "s/(3h), Korthikanti et al. 2022 Sec. 6)");
  r.notes.push_back(
      "palm: N excludes learned position embeddings; chinchilla and "
      "matmul-only count weight products only (no biases, norms, "
      "activations); backward = 2 x forward");
  r.notes.push_back(
      "inference: 2 FLOPs per weight used (attention projections, active "
      "MLP, router, LM head) plus QK^T and softmax @ V over the context");
  if (a.moe.enabled()) {
    r.notes.push_back(std::string("MoE: N = ") +
                      (fo.moe_active_params ? "active" : "total") +
                      " parameters for 6nd/kaplan/palm (--moe-params); "
                      "per-operation counts use the top-k routed and shared "
                      "experts");
  }
  if (!IsGptBlock(a)) {
    r.notes.push_back(
        "megatron: the closed form assumes MHA, a 4h standard MLP and d_attn "
        "= h; this model differs, prefer chinchilla/matmul-only");
  }
  if (device) {
    r.notes.push_back(
        "training time = model FLOPs / (devices x dense peak x MFU); MFU " +
        NumberText(dev.mfu) + " (--mfu)");
  }
  return r;
}

}  // namespace scalesim::model

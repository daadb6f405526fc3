#include "scalesim/laws/hyperparameter_report.hpp"

#include <cmath>
#include <string>
#include <vector>

#include "scalesim/core/names.hpp"
#include "scalesim/core/validate.hpp"
#include "scalesim/model/memory.hpp"
#include "scalesim/model/params.hpp"

namespace scalesim::laws {
namespace {

// C = 6 N D (Kaplan et al. 2020 Sec. 2.1).
constexpr double kFlopsPerParamToken = 6.0;
// The batches of the trade-off table, as multiples of B_crit.
constexpr double kCriticalMultiples[] = {0.25, 0.5, 1.0, 2.0, 4.0, 8.0};

CellValue MaybeReal(double v) {
  return std::isfinite(v) ? CellValue{v} : CellValue{};
}

double PerSequence(double tokens, std::int64_t seq_len) {
  return tokens / static_cast<double>(seq_len);
}

// The run as `law` reads it: N in its own count where an architecture
// gives one.
TrainingRun RunFor(const HyperparameterLaw& law,
                   const HyperparameterRun& run,
                   const std::optional<model::ParamBreakdown>& counts) {
  TrainingRun t;
  const std::optional<ParamCount>& count = law.info().param_count;
  t.params = counts && count ? ParamsFor(*counts, *count) : run.params;
  t.tokens = run.tokens;
  t.training_flops = run.training_flops;
  t.flops_per_token = run.flops_per_token;
  return t;
}

// The run of `q`, with the architecture's counts where it has one.
HyperparameterRun RunOf(const std::vector<HyperparameterLaw>& laws,
                        const HyperparameterQuery& q,
                        const std::optional<model::ParamBreakdown>& counts) {
  if (q.params && q.architecture)
    FailField("params", "give either --params or an architecture, not both");
  const bool has_params = q.params || q.architecture;
  const int given =
      (q.flops ? 1 : 0) + (has_params ? 1 : 0) + (q.tokens ? 1 : 0);
  if (given == 3) {
    FailField("flops",
              "give two of --flops, --params (or an architecture) and "
              "--tokens (C = 6 N D gives the third), or --flops alone");
  }
  if (given == 0 || (given == 1 && !q.flops)) {
    FailField(has_params ? "tokens"
              : q.tokens ? "params"
                         : "flops",
              "missing: give --flops C, or two of --flops, --params (or an "
              "architecture) and --tokens");
  }
  HyperparameterRun run;
  run.seq_len =
      q.architecture
          ? model::TrainingSeqLen(*q.architecture, q.seq_len)
          : (q.seq_len > 0 ? q.seq_len : model::kDefaultTrainingSeqLen);
  const double n = counts ? static_cast<double>(counts->total())
                          : q.params.value_or(kUnknown);
  if (has_params && q.tokens) {
    run.params = n;
    run.tokens = *q.tokens;
    run.training_flops = kFlopsPerParamToken * n * *q.tokens;
    run.from = "N and D given, C = 6 N D";
  } else if (q.tokens) {
    run.tokens = *q.tokens;
    run.training_flops = *q.flops;
    run.params = *q.flops / (kFlopsPerParamToken * *q.tokens);
    run.from = "C and D given, N = C/(6 D)";
  } else if (has_params) {
    run.params = n;
    run.training_flops = *q.flops;
    run.tokens = *q.flops / (kFlopsPerParamToken * n);
    run.from = "C and N given, D = C/(6 N)";
  } else {
    run.training_flops = *q.flops;
    run.from = "C given; no allocation law selected, so N and D are unknown";
    for (const HyperparameterLaw& law : laws) {
      if (law.form().input() != RunInput::kBudget) continue;
      const HyperparameterPrediction p =
          law.form().Predict(RunFor(law, run, counts));
      if (!std::isfinite(p.optimal_tokens)) continue;
      run.tokens = p.optimal_tokens;
      run.flops_per_token = p.optimal_flops_per_token;
      run.params = *q.flops / (kFlopsPerParamToken * run.tokens);
      run.from =
          "C given; D and M from " + law.name() + "'s allocation, N = C/(6 D)";
      break;
    }
  }
  RequireFiniteResult(run.training_flops, "flops", "budget");
  if (q.architecture) {
    run.flops_per_token = DeepSeekFlopsPerToken(
        q.architecture->n_layers, q.architecture->d_model, run.seq_len);
  }
  return run;
}

std::string Describe(const HyperparameterLaw& law) {
  const HyperparameterLawInfo& i = law.info();
  std::string note = i.name + ": " + i.citation + ". Fitted on " + i.dataset +
                     "; " + i.budget + "; " + i.units;
  if (i.param_count) {
    note += "; N = " + std::string(*i.param_count == ParamCount::kTotal
                                       ? "total parameters"
                                       : "non-embedding parameters");
  }
  return note;
}

}  // namespace

Schema<HyperparameterRun> RunSchema() {
  using R = HyperparameterRun;
  Schema<R> s{"run", "The training run", {}, nullptr};
  s.Add("params", CellKind::kShortCount, [](const R& r) {
    return MaybeReal(r.params);
  });
  s.Add("tokens", CellKind::kShortCount, [](const R& r) {
    return MaybeReal(r.tokens);
  });
  s.Add("training_flops", CellKind::kScientific, [](const R& r) {
    return MaybeReal(r.training_flops);
  });
  s.Add("flops_per_token", CellKind::kScientific, [](const R& r) {
    return MaybeReal(r.flops_per_token);
  });
  s.Add("seq_len", CellKind::kInteger, [](const R& r) {
    return CellValue{r.seq_len};
  });
  s.Add("from", CellKind::kText, [](const R& r) { return CellValue{r.from}; });
  return s;
}

Schema<BatchRow> BatchSchema() {
  using R = BatchRow;
  Schema<R> s{"hyperparameters",
              "Global batch and peak learning rate per law",
              {},
              nullptr};
  s.Add("law", CellKind::kText, [](const R& r) {
    return CellValue{r.law->name()};
  });
  s.Add("form", CellKind::kText, [](const R& r) {
    return CellValue{std::string(r.law->form_name())};
  });
  s.Add("params", CellKind::kShortCount, [](const R& r) {
    return MaybeReal(r.params);
  });
  s.Add("law_budget_flops", CellKind::kScientific, [](const R& r) {
    return MaybeReal(r.prediction.law_budget);
  });
  s.Add("batch_tokens", CellKind::kShortCount, [](const R& r) {
    return MaybeReal(r.prediction.batch_tokens);
  });
  s.Add("batch_sequences", CellKind::kReal, [](const R& r) {
    return MaybeReal(PerSequence(r.prediction.batch_tokens, r.seq_len));
  });
  s.Add("peak_learning_rate", CellKind::kScientific, [](const R& r) {
    return MaybeReal(r.prediction.peak_learning_rate);
  });
  s.Add("steps", CellKind::kShortCount, [](const R& r) {
    return MaybeReal(r.tokens / r.prediction.batch_tokens);
  });
  s.Add("in_fitted_range", CellKind::kText, [](const R& r) {
    return CellValue{InFittedRange(r.law->info().fitted_range,
                                   r.params,
                                   r.tokens,
                                   r.prediction.law_budget)};
  });
  return s;
}

Schema<CriticalBatchRow> CriticalBatchSchema() {
  using R = CriticalBatchRow;
  Schema<R> s{"critical_batch",
              "Critical batch B_crit(L) at the loss of the run",
              {},
              nullptr};
  s.Add("law", CellKind::kText, [](const R& r) {
    return CellValue{r.law->name()};
  });
  s.Add("loss_nats", CellKind::kReal, [](const R& r) {
    return CellValue{r.loss};
  });
  s.Add("loss_from", CellKind::kText, [](const R& r) {
    return CellValue{r.loss_from};
  });
  s.Add("critical_batch_tokens", CellKind::kShortCount, [](const R& r) {
    return CellValue{r.critical_batch_tokens};
  });
  s.Add("critical_batch_sequences", CellKind::kReal, [](const R& r) {
    return CellValue{PerSequence(r.critical_batch_tokens, r.seq_len)};
  });
  return s;
}

Schema<BatchTradeoffRow> BatchTradeoffSchema() {
  using R = BatchTradeoffRow;
  Schema<R> s{"batch_tradeoff",
              "Training at batch B against B_crit (Kaplan et al. 2020 Eqs. "
              "5.1, 5.4, 5.5)",
              {},
              nullptr};
  s.Add(
      "batch", CellKind::kText, [](const R& r) { return CellValue{r.batch}; });
  s.Add("batch_tokens", CellKind::kShortCount, [](const R& r) {
    return CellValue{r.batch_tokens};
  });
  s.Add("batch_sequences", CellKind::kReal, [](const R& r) {
    return CellValue{PerSequence(r.batch_tokens, r.seq_len)};
  });
  s.Add("batch_over_critical", CellKind::kReal, [](const R& r) {
    return CellValue{r.batch_tokens / r.critical_batch_tokens};
  });
  s.Add("steps_over_minimum", CellKind::kReal, [](const R& r) {
    return CellValue{StepsOverMinimum(r.batch_tokens, r.critical_batch_tokens)};
  });
  s.Add("compute_over_minimum", CellKind::kReal, [](const R& r) {
    return CellValue{
        TokensOverMinimum(r.batch_tokens, r.critical_batch_tokens)};
  });
  s.Add("steps_vs_critical", CellKind::kReal, [](const R& r) {
    return CellValue{StepsOverMinimum(r.batch_tokens, r.critical_batch_tokens) /
                     2.0};
  });
  s.Add("compute_vs_critical", CellKind::kReal, [](const R& r) {
    return CellValue{
        TokensOverMinimum(r.batch_tokens, r.critical_batch_tokens) / 2.0};
  });
  s.Add("steps", CellKind::kShortCount, [](const R& r) {
    return MaybeReal(r.tokens / r.batch_tokens);
  });
  return s;
}

Schema<FlopsPerTokenAllocationRow> FlopsPerTokenAllocationSchema() {
  using R = FlopsPerTokenAllocationRow;
  Schema<R> s{"flops_per_token_allocation",
              "Compute-optimal allocation in FLOPs per token (C = M D)",
              {},
              nullptr};
  s.Add("law", CellKind::kText, [](const R& r) {
    return CellValue{r.law->name()};
  });
  s.Add("law_budget_flops", CellKind::kScientific, [](const R& r) {
    return CellValue{r.prediction.law_budget};
  });
  s.Add("optimal_flops_per_token", CellKind::kScientific, [](const R& r) {
    return CellValue{r.prediction.optimal_flops_per_token};
  });
  s.Add("optimal_tokens", CellKind::kShortCount, [](const R& r) {
    return CellValue{r.prediction.optimal_tokens};
  });
  s.Add("params_6n_equivalent", CellKind::kShortCount, [](const R& r) {
    return CellValue{r.prediction.optimal_flops_per_token /
                     kFlopsPerParamToken};
  });
  s.Add("in_fitted_range", CellKind::kText, [](const R& r) {
    return CellValue{InFittedRange(r.law->info().fitted_range,
                                   kUnknown,
                                   kUnknown,
                                   r.prediction.law_budget)};
  });
  return s;
}

HyperparameterReport Hyperparameters(const std::vector<HyperparameterLaw>& laws,
                                     const HyperparameterQuery& q,
                                     bool explicit_laws) {
  ValidateFields(q);
  std::optional<model::ParamBreakdown> counts;
  if (q.architecture) counts = model::CountParameters(*q.architecture);
  HyperparameterReport r;
  r.run = RunOf(laws, q, counts);
  const HyperparameterRun& run = r.run;
  const bool sized = std::isfinite(run.params) && std::isfinite(run.tokens);
  std::vector<std::string> skipped;
  const auto cannot = [&](const HyperparameterLaw& law,
                          const std::string& why) {
    if (explicit_laws) {
      FailField("law",
                "law '" + law.name() + "' (" + std::string(law.form_name()) +
                    ") predicts from " +
                    std::string(Describe(law.form().input())) + ": " + why);
    }
    skipped.push_back(law.name());
  };
  for (const HyperparameterLaw& law : laws) {
    TrainingRun t = RunFor(law, run, counts);
    std::string loss_from;
    if (law.form().input() == RunInput::kParamsAndTokens && !sized) {
      cannot(law,
             "give --params (or an architecture) and --tokens, or --flops "
             "with one of them");
      continue;
    }
    if (law.form().input() == RunInput::kLoss) {
      if (q.target_loss) {
        t.loss = *q.target_loss;
        loss_from = "--target-loss";
      } else if (law.info().loss_law && sized) {
        const Law& l = *law.info().loss_law;
        const double n =
            counts ? ParamsFor(*counts, l.info().param_count) : run.params;
        t.loss = l.loss_law()->Loss(n, run.tokens);
        loss_from = l.name() + " L(N, D)";
      } else {
        cannot(law,
               "give --target-loss L, or N and D for its loss law to "
               "predict L");
        continue;
      }
    }
    const HyperparameterPrediction p = law.form().Predict(t);
    if (std::isfinite(p.batch_tokens) || std::isfinite(p.peak_learning_rate))
      r.batches.push_back({&law, t.params, run.tokens, run.seq_len, p});
    if (std::isfinite(p.critical_batch_tokens)) {
      r.critical_batches.push_back(
          {&law, t.loss, loss_from, run.seq_len, p.critical_batch_tokens});
    }
    if (std::isfinite(p.optimal_tokens)) r.allocations.push_back({&law, p});
    r.notes.push_back(Describe(law));
    if (!law.info().notes.empty())
      r.notes.push_back(law.name() + ": " + law.info().notes);
  }
  if (r.batches.empty() && r.critical_batches.empty() &&
      r.allocations.empty()) {
    FailField("law", "no selected hyperparameter law can answer for this run");
  }
  if (!r.critical_batches.empty()) {
    const CriticalBatchRow& c = r.critical_batches.front();
    for (double m : kCriticalMultiples) {
      r.tradeoffs.push_back({c.law->name() + " B_crit x " + NumberText(m),
                             m * c.critical_batch_tokens,
                             c.critical_batch_tokens,
                             run.seq_len,
                             run.tokens});
    }
    for (const BatchRow& b : r.batches) {
      r.tradeoffs.push_back({b.law->name() + " B_opt",
                             b.prediction.batch_tokens,
                             c.critical_batch_tokens,
                             run.seq_len,
                             run.tokens});
    }
    r.notes.push_back(
        "batch_tradeoff: McCandlish et al. 2018 as Kaplan et al. 2020 state "
        "it, (S/S_min - 1)(E/E_min - 1) = 1 (Eq. 5.1) with B_crit = E_min/"
        "S_min (Eq. 5.2): at batch B the run takes steps_over_minimum = 1 + "
        "B_crit/B times the fewest steps (Eq. 5.4) and compute_over_minimum "
        "= 1 + B/B_crit times the least data and compute (Eq. 5.5) that "
        "reach the same loss; *_vs_critical divide by the factor 2 of "
        "training at B_crit. Above B_crit, extra compute buys ever fewer "
        "steps; below it, extra steps save ever less compute");
  }
  r.notes.push_back("run: " + run.from + "; batch_sequences = batch_tokens / " +
                    std::to_string(run.seq_len) +
                    " tokens per sequence; steps = D / batch_tokens");
  if (!q.architecture && std::isnan(run.flops_per_token)) {
    r.notes.push_back(
        "C = M D laws (DeepSeek) take M = 6 N without an architecture: "
        "Eq. 2's M = 72 n_layer d_model^2 + 12 n_layer d_model l_seq adds "
        "attention (give --preset or --layers ... for it)");
  }
  if (!q.architecture && std::isfinite(run.params)) {
    r.notes.push_back("N = " + NumberText(run.params) +
                      " is fed as given to every law that reads N and to the "
                      "loss laws of critical-batch laws (give an architecture "
                      "to feed each the count it reads)");
  }
  if (!skipped.empty()) {
    r.notes.push_back("skipped (the run lacks their input): " +
                      JoinNames(skipped));
  }
  return r;
}

}  // namespace scalesim::laws

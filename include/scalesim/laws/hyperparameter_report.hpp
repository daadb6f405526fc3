// The hyperparameter report: for one training run (a budget, or N and D),
// the global batch in tokens and sequences, the peak learning rate and the
// number of steps under each hyperparameter law (hyperparameters.hpp), the
// critical batch and what training at other batches costs (Kaplan et al.
// 2020 Eqs. 5.1-5.5), and DeepSeek's allocation in FLOPs per token; each
// table with its schema (core/schema.hpp). Used by `scalesim hparams`.
#ifndef SCALESIM_LAWS_HYPERPARAMETER_REPORT_HPP_
#define SCALESIM_LAWS_HYPERPARAMETER_REPORT_HPP_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scalesim/core/fields.hpp"
#include "scalesim/core/schema.hpp"
#include "scalesim/laws/hyperparameters.hpp"
#include "scalesim/laws/loss_report.hpp"
#include "scalesim/model/architecture.hpp"

namespace scalesim::laws {

// What the run is: two of flops, params (or an architecture) and tokens
// (C = 6 N D gives the third), or flops alone (the first allocation law of
// the selection gives D and M, and N = C/(6 D)).
struct HyperparameterQuery {
  std::optional<double> flops;
  std::optional<double> params;
  std::optional<double> tokens;
  std::int64_t seq_len = 0;  // 0: the model's context <= 4096, else 4096
  std::optional<double> target_loss;  // L for the critical batch
  // Instead of params (set by the front end): each law is fed the count it
  // reads, and DeepSeek's M comes from Eq. 2.
  std::optional<model::Architecture> architecture;

  template <typename V>
  void VisitFields(V&& v) {
    v(flops,
      {.name = "flops",
       .help = "training budget C (FLOPs, C = 6 N D): with --params or "
               "--tokens, or alone (D and M from an allocation law)",
       .unit = "C",
       .min = 0,
       .max = 1e40,
       .min_exclusive = true});
    v(params, kParamsField);
    v(tokens, kTokensField);
    v(seq_len,
      {.name = "seq_len",
       .help = "tokens per sequence: the batch in sequences, and "
               "DeepSeek's M (Eq. 2) with an architecture",
       .unit = "TOKENS",
       .min = 1,
       .max = 9.2e18,
       .default_text = "the model's maximum context, at most 4096 (4096 "
                       "without a model)",
       .zero_is_default = true});
    v(target_loss,
      {.name = "target_loss",
       .help = "the loss the run reaches, for the critical batch B_crit(L), "
               "in the critical-batch law's units",
       .unit = "NATS",
       .min = 0,
       .max = 1e3,
       .min_exclusive = true,
       .default_text = "its loss law's L(N, D)"});
  }
};

// The run every law is asked about.
struct HyperparameterRun {
  double params = kUnknown;  // N as given (or the architecture's total)
  double tokens = kUnknown;
  double training_flops = kUnknown;  // C = 6 N D
  // DeepSeek's M: Eq. 2 of the architecture, or the allocation's M_opt;
  // NaN: 6 N.
  double flops_per_token = kUnknown;
  std::int64_t seq_len = 0;
  std::string from;  // how the run was completed
};
Schema<HyperparameterRun> RunSchema();

// A batch-size and learning-rate law's answer.
struct BatchRow {
  const HyperparameterLaw* law = nullptr;
  double params = kUnknown;  // the N it was fed
  double tokens = kUnknown;
  std::int64_t seq_len = 0;
  HyperparameterPrediction prediction;
};
Schema<BatchRow> BatchSchema();

// A critical-batch law's answer at the loss of the run.
struct CriticalBatchRow {
  const HyperparameterLaw* law = nullptr;
  double loss = kUnknown;
  std::string loss_from;  // "--target-loss", "kaplan2020 L(N, D)"
  std::int64_t seq_len = 0;
  double critical_batch_tokens = kUnknown;
};
Schema<CriticalBatchRow> CriticalBatchSchema();

// Training at `batch_tokens` against the first critical batch (Kaplan et al.
// 2020 Eqs. 5.1, 5.4, 5.5).
struct BatchTradeoffRow {
  std::string batch;  // "B_crit x 4", "<law> B_opt"
  double batch_tokens = kUnknown;
  double critical_batch_tokens = kUnknown;
  std::int64_t seq_len = 0;
  double tokens = kUnknown;  // the run's D: its steps at this batch
};
Schema<BatchTradeoffRow> BatchTradeoffSchema();

// An allocation law's M_opt and D_opt at the budget.
struct FlopsPerTokenAllocationRow {
  const HyperparameterLaw* law = nullptr;
  HyperparameterPrediction prediction;
};
Schema<FlopsPerTokenAllocationRow> FlopsPerTokenAllocationSchema();

struct HyperparameterReport {
  HyperparameterRun run;
  std::vector<BatchRow> batches;
  std::vector<CriticalBatchRow> critical_batches;
  std::vector<BatchTradeoffRow> tradeoffs;
  std::vector<FlopsPerTokenAllocationRow> allocations;
  std::vector<std::string> notes;
};

// Every law of `laws` that can answer for the run of `query` (rows point
// into `laws`, which must outlive the report). A law whose input the run
// lacks (N and D, or a loss) is skipped with a note, or, when
// `explicit_laws`, is bad input naming the field "law"; a query that
// describes no run, or over-describes it, is bad input naming its field.
HyperparameterReport Hyperparameters(const std::vector<HyperparameterLaw>& laws,
                                     const HyperparameterQuery& query,
                                     bool explicit_laws);

}  // namespace scalesim::laws

#endif  // SCALESIM_LAWS_HYPERPARAMETER_REPORT_HPP_

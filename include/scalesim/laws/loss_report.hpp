// The loss report: the predicted loss of (N, D) under each law, decomposed
// (Hoffmann et al. 2022 App. D.2), with its column schema (core/schema.hpp).
// Used by `scalesim loss` and the Python module.
#ifndef SCALESIM_LAWS_LOSS_REPORT_HPP_
#define SCALESIM_LAWS_LOSS_REPORT_HPP_

#include <optional>
#include <string>
#include <vector>

#include "scalesim/core/fields.hpp"
#include "scalesim/core/schema.hpp"
#include "scalesim/laws/law.hpp"
#include "scalesim/laws/repeated_data.hpp"
#include "scalesim/laws/uncertainty.hpp"
#include "scalesim/model/params.hpp"

namespace scalesim::laws {

// What the loss is asked of: N given as a number (fed as is to every law)
// or an exact architecture's count (each law gets the count it was fitted
// with), and D.
struct LossQuery {
  std::optional<double> params;                 // N as given
  std::optional<model::ParamBreakdown> counts;  // or an architecture's
  std::string model_name;                       // with counts
  double tokens = 0.0;                          // D
  RepeatedDataOptions repeated;                 // U: a row per law and U

  // The fields a front end binds beside N (a number or an architecture)
  // and D, which it checks itself.
  template <typename V>
  void VisitFields(V&& v) {
    repeated.VisitFields(v);
  }
};

// The fields N and D of a question put to a law (loss, hparams).
inline constexpr FieldInfo kParamsField = {
    .name = "params",
    .help = "parameter count N (fed as is to every law; see the notes)",
    .unit = "N",
    .min = 1,
    .max = 1e30};
inline constexpr FieldInfo kTokensField = {.name = "tokens",
                                           .help = "training tokens D",
                                           .unit = "D",
                                           .min = 1,
                                           .max = 1e30};

// N (a number; a front end may take an architecture instead) and D, as
// given: the query fields a front end checks itself.
struct LossInputs {
  std::optional<double> params;
  std::optional<double> tokens;
  template <typename V>
  void VisitFields(V&& v) {
    v(params, kParamsField);
    v(tokens, kTokensField);
  }
};

struct LossRow {
  const Law* law = nullptr;
  double params = 0.0;        // the N fed to the law
  bool exact_params = false;  // from an architecture (an integer count)
  double tokens = 0.0;
  LossTerms terms;  // with repetition, when `repeated`
  std::optional<RepeatedDataPoint> repeated;
  // The 95 % interval of the loss over the law's bootstrap draws
  // (uncertainty.hpp); nullopt for a law without draws.
  std::optional<DrawInterval> loss_interval = std::nullopt;
};
// With `repeated`, the repeated-data columns (repeated_data.hpp) after the
// decomposition; with `intervals` (a law of the report has bootstrap
// draws), loss_ci95_low_nats and loss_ci95_high_nats after loss_nats,
// empty for laws without draws.
Schema<LossRow> LossSchema(double tokens,
                           bool repeated = false,
                           bool intervals = false);

struct SingleVariableRow {
  const Law* law = nullptr;
  NamedLoss loss;
};
Schema<SingleVariableRow> SingleVariableSchema();

struct LossReport {
  std::vector<LossRow> rows;
  bool intervals = false;                          // a row has a loss interval
  std::vector<SingleVariableRow> single_variable;  // Kaplan's Eqs. 1.1-1.2
  std::vector<std::string> notes;
};

// The loss of `query` under every law of `laws` that predicts one. A
// frontier law is skipped with a note, or, when `explicit_laws` (the user
// named it), is bad input naming the field "law". N and D must be >= 1
// (below one parameter or token the power terms overflow). With unique
// tokens, a row per law and U: the loss with repetition as each law
// answers it (repeated_data.hpp), noted where a law assumes unique data.
// A law with bootstrap draws also gives the 95 % interval of that loss
// (the same question under every draw; uncertainty.hpp), with a note.
LossReport EvaluateLosses(const std::vector<Law>& laws,
                          const LossQuery& query,
                          bool explicit_laws);

}  // namespace scalesim::laws

#endif  // SCALESIM_LAWS_LOSS_REPORT_HPP_

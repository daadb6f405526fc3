#include "scalesim/laws/loss_report.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "scalesim/core/error.hpp"
#include "scalesim/core/fields.hpp"
#include "scalesim/core/names.hpp"
#include "scalesim/core/validate.hpp"
#include "scalesim/laws/law_columns.hpp"

namespace scalesim::laws {
namespace {}  // namespace

Schema<LossRow> LossSchema(double tokens, bool repeated, bool intervals) {
  using R = LossRow;
  Schema<R> s{"loss",
              "Predicted loss for D = " + NumberText(tokens) + " tokens" +
                  (repeated ? " of U unique tokens" : ""),
              {},
              nullptr};
  s.columns.push_back(LawNameColumn<R>());
  s.Add("form", CellKind::kText, [](const R& r) {
    return CellValue{std::string(r.law->form_name())};
  });
  s.columns.push_back(ParamCountColumn<R>());
  s.Add("params", CellKind::kCount, [](const R& r) {
    // An architecture's count is an exact integer.
    return r.exact_params ? CellValue{static_cast<std::int64_t>(r.params)}
                          : CellValue{r.params};
  });
  s.Add("tokens", CellKind::kShortCount, [](const R& r) {
    return CellValue{r.tokens};
  });
  s.Add("tokens_per_param", CellKind::kReal, [](const R& r) {
    return CellValue{r.tokens / r.params};
  });
  s.Add("loss_nats", CellKind::kReal, [](const R& r) {
    return CellValue{r.terms.total()};
  });
  if (intervals) {
    s.Append(DrawIntervalColumns<R>(
        "loss", "_nats", CellKind::kReal, &R::loss_interval));
  }
  s.Add("irreducible_nats", CellKind::kReal, [](const R& r) {
    return CellValue{r.terms.irreducible};
  });
  s.Add("parameter_term_nats", CellKind::kReal, [](const R& r) {
    return CellValue{r.terms.parameter_term};
  });
  s.Add("data_term_nats", CellKind::kReal, [](const R& r) {
    return CellValue{r.terms.data_term};
  });
  if (repeated) {
    s.Append(Project<R>(
        RepeatedDataColumns(),
        [](const R& r) -> const RepeatedDataPoint& { return *r.repeated; }));
  }
  s.Add("in_fitted_range", CellKind::kText, [](const R& r) {
    return CellValue{InFittedRange(*r.law, r.params, r.tokens)};
  });
  return s;
}

Schema<SingleVariableRow> SingleVariableSchema() {
  using R = SingleVariableRow;
  Schema<R> s{"kaplan_single_variable",
              "Kaplan et al. 2020 single-variable laws",
              {},
              nullptr};
  s.Add("law", CellKind::kText, [](const R& r) {
    return CellValue{r.law->name()};
  });
  s.Add("quantity", CellKind::kText, [](const R& r) {
    return CellValue{r.loss.quantity};
  });
  s.Add("loss_nats", CellKind::kReal, [](const R& r) {
    return CellValue{r.loss.loss};
  });
  s.Add("source", CellKind::kText, [](const R& r) {
    return CellValue{r.loss.source};
  });
  return s;
}

LossReport EvaluateLosses(const std::vector<Law>& laws,
                          const LossQuery& query,
                          bool explicit_laws) {
  auto at_least_one = [](double v, const char* field) {
    RequirePositive(v, field);
    if (v < 1.0) FailField(field, "must be at least 1, got " + NumberText(v));
  };
  at_least_one(query.tokens, "tokens");
  if (query.params) at_least_one(*query.params, "params");
  ValidateFields(query);
  query.repeated.Validate();
  LossReport r;
  std::vector<std::string> skipped;
  std::vector<std::string> assumed_unique;
  std::vector<std::string> transformed;
  std::vector<std::string> total_laws;
  std::vector<std::string> non_embedding_laws;
  std::vector<const Law*> with_draws;
  for (const Law& law : laws) {
    const LossLaw* loss = law.loss_law();
    if (loss == nullptr) {
      if (explicit_laws) {
        FailField("law",
                  "law '" + law.name() +
                      "' is a compute-optimal frontier and predicts "
                      "no loss (use scalesim optimal)");
      }
      skipped.push_back(law.name());
      continue;
    }
    const ParamCount count = law.info().param_count;
    (count == ParamCount::kTotal ? total_laws : non_embedding_laws)
        .push_back(law.name());
    LossRow row;
    row.law = &law;
    row.exact_params = query.counts.has_value();
    row.params = query.counts ? ParamsFor(*query.counts, count) : *query.params;
    row.tokens = query.tokens;
    // The loss of the row under a draw of the law: the same question.
    const bool effective = query.repeated.effective_data;
    auto interval = [&](std::optional<double> u) {
      return PercentileInterval(law, [&](const Law& draw) {
        const LossLaw& l = *draw.loss_law();
        if (!u) return l.Loss(row.params, row.tokens);
        return RepeatedTerms(
                   l, Repetition(l, effective), row.params, row.tokens, *u)
            .total();
      });
    };
    if (law.has_draws()) with_draws.push_back(&law);
    if (!query.repeated.given()) {
      row.terms = loss->Decompose(row.params, row.tokens);
      row.loss_interval = interval(std::nullopt);
      r.rows.push_back(row);
    }
    const Repetition repetition(*loss, effective);
    for (double u : query.repeated.unique_tokens) {
      row.terms = RepeatedTerms(*loss, repetition, row.params, row.tokens, u);
      row.repeated = RepeatedAt(*loss, repetition, row.params, row.tokens, u);
      row.loss_interval = interval(u);
      r.rows.push_back(row);
    }
    if (query.repeated.given()) {
      if (repetition.model() == RepetitionModel::kEffectiveData) {
        transformed.push_back(law.name());
      } else if (repetition.model() == RepetitionModel::kAssumesUnique &&
                 std::any_of(query.repeated.unique_tokens.begin(),
                             query.repeated.unique_tokens.end(),
                             [&](double u) { return row.tokens > u; })) {
        assumed_unique.push_back(law.name());
      }
    }
    r.notes.push_back(Describe(law));
    for (const NamedLoss& l :
         law.form().SingleVariableLosses(row.params, row.tokens)) {
      r.single_variable.push_back({&law, l});
    }
    if (const std::string d = law.form().DecompositionNote(); !d.empty())
      r.notes.push_back(law.name() + ": " + d);
  }
  if (r.rows.empty()) FailField("law", "no selected law predicts a loss");
  if (!with_draws.empty()) {
    r.intervals = true;
    r.notes.push_back(IntervalNote(with_draws));
  }
  if (query.repeated.given()) {
    for (std::string& n :
         RepeatedDataNotes(assumed_unique,
                           transformed,
                           "the same law at the same N and D with every "
                           "token unique"))
      r.notes.push_back(std::move(n));
  }
  if (query.counts && query.counts->n_moe_blocks > 0) {
    r.notes.push_back(
        "mixture of experts: every expert is counted (total and "
        "non-embedding include all experts); the laws were fitted on dense "
        "models");
  }
  if (query.counts) {
    r.notes.push_back("architecture " + query.model_name + ": " +
                      GroupedDigits(query.counts->total()) +
                      " total parameters, " +
                      GroupedDigits(query.counts->non_embedding()) +
                      " non-embedding; each law is fed the count it was "
                      "fitted with");
  } else {
    std::string n = "N = " + NumberText(*query.params) + " is fed as given";
    if (!total_laws.empty())
      n += ", as total parameters to " + JoinNames(total_laws);
    if (!non_embedding_laws.empty()) {
      n += std::string(total_laws.empty() ? "," : " and") +
           " as non-embedding parameters to " + JoinNames(non_embedding_laws);
    }
    r.notes.push_back(n +
                      " (give an architecture to feed each law its own count)");
  }
  r.notes.push_back(
      "in_fitted_range: whether N and D lie within the runs the law was "
      "fitted on; outside it the law extrapolates");
  if (!non_embedding_laws.empty() && !total_laws.empty()) {
    r.notes.push_back(
        "losses measured on different datasets and tokenizers (WebText2 vs "
        "MassiveText) are not comparable with each other");
  }
  if (!skipped.empty()) {
    r.notes.push_back(
        "skipped compute-optimal frontiers (no loss prediction): " +
        JoinNames(skipped));
  }
  return r;
}

}  // namespace scalesim::laws

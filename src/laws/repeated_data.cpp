#include "scalesim/laws/repeated_data.hpp"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "scalesim/core/names.hpp"
#include "scalesim/core/validate.hpp"

namespace scalesim::laws {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

CellValue MaybeReal(double v) {
  return std::isfinite(v) ? CellValue{v} : CellValue{};
}

}  // namespace

void RepeatedDataOptions::Validate() const {
  if (effective_data && !given()) {
    FailField("effective_data",
              "applies to repeated data: give --unique-tokens U as well");
  }
}

std::string_view ToString(RepetitionModel model) {
  switch (model) {
    case RepetitionModel::kOwn:
      return "own";
    case RepetitionModel::kEffectiveData:
      return "effective_data";
    case RepetitionModel::kAssumesUnique:
      return "assumes_unique";
  }
  return "";
}

Repetition::Repetition(const LossLaw& law, bool effective_data)
    : law_(law),
      model_(law.ModelsRepetition() ? RepetitionModel::kOwn
             : effective_data       ? RepetitionModel::kEffectiveData
                                    : RepetitionModel::kAssumesUnique) {
  if (model_ == RepetitionModel::kEffectiveData)
    effective_.emplace(law, kMuennighoffRDStar);
}

const LossLaw* Repetition::repeated() const {
  switch (model_) {
    case RepetitionModel::kOwn:
      return &law_;
    case RepetitionModel::kEffectiveData:
      return &*effective_;
    case RepetitionModel::kAssumesUnique:
      return nullptr;
  }
  return nullptr;
}

double RepeatedDataPoint::penalty() const {
  if (model == RepetitionModel::kAssumesUnique && epochs > 1.0) return kNaN;
  return loss - unique_data_loss;
}

LossTerms RepeatedTerms(const LossLaw& law,
                        const Repetition& repetition,
                        double params,
                        double tokens,
                        double unique_tokens) {
  const LossLaw* repeated = repetition.repeated();
  return repeated != nullptr ? repeated->DecomposeRepeated(
                                   params, tokens, DataBudget{unique_tokens})
                             : law.Decompose(params, tokens);
}

RepeatedDataPoint RepeatedAt(const LossLaw& law,
                             const Repetition& repetition,
                             double params,
                             double tokens,
                             double unique_tokens) {
  RepeatedDataPoint p;
  p.model = repetition.model();
  p.unique_tokens = unique_tokens;
  p.epochs = tokens / unique_tokens;
  p.unique_data_loss = law.Loss(params, tokens);
  const LossLaw* repeated = repetition.repeated();
  p.effective =
      repeated != nullptr
          ? repeated->Effective(params, tokens, DataBudget{unique_tokens})
          : EffectiveSize{params, tokens};
  p.loss =
      RepeatedTerms(law, repetition, params, tokens, unique_tokens).total();
  return p;
}

std::vector<Column<RepeatedDataPoint>> RepeatedDataColumns() {
  using R = RepeatedDataPoint;
  Schema<R> s;
  s.Add("unique_tokens", CellKind::kShortCount, [](const R& r) {
    return CellValue{r.unique_tokens};
  });
  s.Add("epochs", CellKind::kReal, [](const R& r) {
    return CellValue{r.epochs};
  });
  s.Add("effective_params", CellKind::kShortCount, [](const R& r) {
    return CellValue{r.effective.params};
  });
  s.Add("effective_tokens", CellKind::kShortCount, [](const R& r) {
    return CellValue{r.effective.tokens};
  });
  s.Add("unique_data_loss_nats", CellKind::kReal, [](const R& r) {
    return MaybeReal(r.unique_data_loss);
  });
  s.Add("repetition_penalty_nats", CellKind::kReal, [](const R& r) {
    return MaybeReal(r.penalty());
  });
  s.Add("repetition_model", CellKind::kText, [](const R& r) {
    return CellValue{std::string(ToString(r.model))};
  });
  return s.columns;
}

std::vector<std::string> RepeatedDataNotes(
    const std::vector<std::string>& assumed_unique,
    const std::vector<std::string>& transformed,
    std::string_view unique_data_loss_is) {
  std::vector<std::string> notes;
  notes.push_back(
      "repeated data: D tokens of U unique ones, epochs = D/U; "
      "effective_params N' and effective_tokens D' are what the law trains "
      "as (Muennighoff et al. 2023 Eqs. 5-6); unique_data_loss_nats is " +
      std::string(unique_data_loss_is) +
      "; repetition_penalty_nats = loss_nats - unique_data_loss_nats; "
      "repetition_model: own (the law models repetition), effective_data "
      "(Muennighoff's D' applied to a law without a repetition model), "
      "assumes_unique (the law treats every token as unique)");
  if (!assumed_unique.empty()) {
    notes.push_back(
        "assumes unique data: " + JoinNames(assumed_unique) +
        " have no repetition model, so where D > U their loss is that of D "
        "unique tokens and the penalty is unknown (empty); --effective-data "
        "applies Muennighoff et al. 2023's effective data D' (Eq. 5)");
  }
  if (!transformed.empty()) {
    notes.push_back(
        "effective data: " + JoinNames(transformed) +
        " are evaluated at Muennighoff et al. 2023's D' = U + U R_D* (1 - "
        "exp(-R_D/R_D*)), R_D = D/U - 1 (Eq. 5) with their published R_D* = " +
        NumberText(kMuennighoffRDStar) +
        " (App. A), parameters undiscounted; a transform fitted on C4 "
        "applied to another law's data term");
  }
  return notes;
}

}  // namespace scalesim::laws

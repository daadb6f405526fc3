// Questions with a unique-token budget: D training tokens drawn from U
// unique ones, repeated D/U times (epochs) when D > U. The options every
// front end binds (--unique-tokens, --effective-data), how each law answers,
// and the columns that report it (loss_report.hpp, plan/optimal_report.hpp).
//
// How a law answers (RepetitionModel):
//   own             its loss models repetition (the data_constrained form,
//                   Muennighoff et al. 2023): LossLaw::DecomposeRepeated;
//   effective_data  a law without a repetition model, asked for
//                   Muennighoff et al. 2023's effective data: L(N, D') with
//                   D' of Eq. 5 and its published R_D* = 15.387756
//                   (EffectiveDataLaw);
//   assumes_unique  a law without a repetition model: L(N, D) as if every
//                   token were unique. Exact for D <= U; for D > U the law
//                   does not know the penalty, and every report says so.
#ifndef SCALESIM_LAWS_REPEATED_DATA_HPP_
#define SCALESIM_LAWS_REPEATED_DATA_HPP_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scalesim/core/fields.hpp"
#include "scalesim/core/schema.hpp"
#include "scalesim/laws/data_constrained.hpp"
#include "scalesim/laws/law.hpp"
#include "scalesim/laws/loss_law.hpp"

namespace scalesim::laws {

struct RepeatedDataOptions {
  std::vector<double> unique_tokens;  // U, one or more; empty: unique data
  bool effective_data = false;

  bool given() const { return !unique_tokens.empty(); }

  template <typename V>
  void VisitFields(V&& v) {
    v(unique_tokens,
      {.name = "unique_tokens",
       .help = "unique tokens U (one or more): D > U repeats them D/U times; "
               "adds epochs, effective data, the loss with repetition and "
               "its penalty against unique data (laws that model "
               "repetition, muennighoff2023, join the default --law "
               "selection)",
       .unit = "U",
       .min = 1,
       .max = 1e30});
    v(effective_data,
      {.name = "effective_data",
       .help = "with --unique-tokens: laws without a repetition model use "
               "Muennighoff et al. 2023's effective data D' (Eq. 5, R_D* "
               "15.387756) instead of assuming unique data",
       .is_switch = true});
  }
  // Bad input naming "effective_data" when it is set without unique
  // tokens.
  void Validate() const;
};

enum class RepetitionModel { kOwn, kEffectiveData, kAssumesUnique };
// "own", "effective_data", "assumes_unique".
std::string_view ToString(RepetitionModel model);

// How `law` answers with repeated data, and the loss law that answers it.
class Repetition {
 public:
  Repetition(const LossLaw& law, bool effective_data);
  Repetition(const Repetition&) = delete;
  Repetition& operator=(const Repetition&) = delete;

  RepetitionModel model() const { return model_; }
  // The law that evaluates DecomposeRepeated with repetition: the law
  // itself, or its EffectiveDataLaw; nullptr when it assumes unique data.
  const LossLaw* repeated() const;

 private:
  const LossLaw& law_;
  RepetitionModel model_;
  std::optional<EffectiveDataLaw> effective_;
};

// One answer with repeated data: its tokens D of U unique, the effective
// N', D' it trains as, and the loss against unlimited unique data.
struct RepeatedDataPoint {
  RepetitionModel model = RepetitionModel::kAssumesUnique;
  double unique_tokens = 0.0;
  double epochs = 0.0;  // D / U
  EffectiveSize effective;
  double loss = 0.0;              // with repetition (NaN: no loss)
  double unique_data_loss = 0.0;  // the same law with unique data

  // loss - unique_data_loss; NaN when the law assumes unique data for
  // D > U (it does not know the penalty) or predicts no loss.
  double penalty() const;
};

// L(N, D) of U unique tokens, decomposed, as `repetition` answers it for
// `law` (Decompose(N, D) when it assumes unique data).
LossTerms RepeatedTerms(const LossLaw& law,
                        const Repetition& repetition,
                        double params,
                        double tokens,
                        double unique_tokens);
// The same, against the same (N, D) with every token unique.
RepeatedDataPoint RepeatedAt(const LossLaw& law,
                             const Repetition& repetition,
                             double params,
                             double tokens,
                             double unique_tokens);

// unique_tokens, epochs, effective_params, effective_tokens,
// unique_data_loss_nats, repetition_penalty_nats, repetition_model.
std::vector<Column<RepeatedDataPoint>> RepeatedDataColumns();

// The notes of a report with repeated data: what the columns mean, the
// laws that assume unique data where D exceeded U, and the effective-data
// transform when it was applied. `assumed_unique` and `transformed` are law
// names.
std::vector<std::string> RepeatedDataNotes(
    const std::vector<std::string>& assumed_unique,
    const std::vector<std::string>& transformed,
    std::string_view unique_data_loss_is);

}  // namespace scalesim::laws

#endif  // SCALESIM_LAWS_REPEATED_DATA_HPP_

#include "scalesim/laws/law.hpp"

#include <cassert>
#include <cmath>
#include <memory>
#include <string>
#include <utility>

#include "scalesim/core/error.hpp"
#include "scalesim/core/units.hpp"
#include "scalesim/core/validate.hpp"

namespace scalesim::laws {

std::string_view ToString(ParamCount count) {
  return count == ParamCount::kTotal ? "total" : "non_embedding";
}

ParamCount ParseParamCount(std::string_view text,
                           std::string_view source,
                           std::string_view field) {
  if (text == "total") return ParamCount::kTotal;
  if (text == "non_embedding") return ParamCount::kNonEmbedding;
  throw InvalidInput(InputLocation{std::string(source), 0, std::string(field)},
                     "unknown parameter count '" + Excerpt(text) +
                         "' (valid: total, non_embedding)");
}

double ParamsFor(const model::ParamBreakdown& params, ParamCount count) {
  return static_cast<double>(
      count == ParamCount::kTotal ? params.total() : params.non_embedding());
}

bool FittedRange::empty() const {
  return min_params == 0.0 && max_params == 0.0 && min_tokens == 0.0 &&
         max_tokens == 0.0 && min_training_flops == 0.0 &&
         max_training_flops == 0.0;
}

double PowerLawFrontier::OptimalParams(double training_flops) const {
  return params_at_anchor *
         std::pow(training_flops / anchor_flops, params_exponent);
}

double PowerLawFrontier::OptimalTokens(double training_flops) const {
  return tokens_at_anchor *
         std::pow(training_flops / anchor_flops, tokens_exponent);
}

double PowerLawFrontier::FlopsForOptimalParams(double params) const {
  return anchor_flops *
         std::pow(params / params_at_anchor, 1.0 / params_exponent);
}

namespace {
const std::shared_ptr<const LawDraws>& NoDraws() {
  static const std::shared_ptr<const LawDraws> none =
      std::make_shared<const LawDraws>();
  return none;
}
}  // namespace

Law::Law(LawInfo info, std::shared_ptr<const LawForm> form)
    : info_(std::move(info)), form_(std::move(form)), draws_(NoDraws()) {}
Law::Law(LawInfo info, std::shared_ptr<const LawForm> form, LawDraws draws)
    : info_(std::move(info)),
      form_(std::move(form)),
      draws_(draws.empty()
                 ? NoDraws()
                 : std::make_shared<const LawDraws>(std::move(draws))) {
  for (const std::shared_ptr<const LawForm>& d : draws_->forms) {
    assert(d != nullptr && d->name() == form_->name());
    (void)d;
  }
}

Law Law::Draw(std::size_t i) const {
  assert(i < draws_->size());
  return Law(info_, draws_->forms[i]);
}
Law::Law(LawInfo info, const ChinchillaForm& constants)
    : Law(std::move(info), std::make_shared<ChinchillaLawForm>(constants)) {}
Law::Law(LawInfo info, const KaplanConstants& constants)
    : Law(std::move(info), std::make_shared<KaplanLawForm>(constants)) {}
Law::Law(LawInfo info, const PowerLawFrontier& frontier)
    : Law(std::move(info), std::make_shared<FrontierLawForm>(frontier)) {}

const ChinchillaForm* Law::chinchilla() const {
  const auto* c = dynamic_cast<const ChinchillaLawForm*>(form_.get());
  return c != nullptr ? &c->form_constants() : nullptr;
}

const KaplanLaw* Law::kaplan() const {
  const auto* k = dynamic_cast<const KaplanLawForm*>(form_.get());
  return k != nullptr ? &k->law() : nullptr;
}

const PowerLawFrontier* Law::frontier() const {
  const auto* f = dynamic_cast<const FrontierLawForm*>(form_.get());
  return f != nullptr ? &f->frontier() : nullptr;
}

const DataConstrainedConstants* Law::data_constrained() const {
  const auto* d = dynamic_cast<const DataConstrainedLawForm*>(form_.get());
  return d != nullptr ? &d->law().constants() : nullptr;
}

std::string Describe(const Law& law) {
  const LawInfo& i = law.info();
  std::string note = i.name + ": " + i.citation + ". ";
  if (law.loss_law() == nullptr) {
    note += "Compute-optimal frontier only (no loss prediction)";
  } else {
    note += "Loss in " + i.loss_units + " on " + i.dataset;
  }
  note += "; N = " + std::string(i.param_count == ParamCount::kTotal
                                     ? "total parameters"
                                     : "non-embedding parameters");
  return note;
}

std::string ConstantsText(const Law& law) {
  return ConstantsText(law.form().constants());
}

std::string InFittedRange(const Law& law,
                          double params,
                          double tokens,
                          double training_flops) {
  return InFittedRange(law.info().fitted_range, params, tokens, training_flops);
}

std::string InFittedRange(const FittedRange& r,
                          double params,
                          double tokens,
                          double training_flops) {
  bool known = false;
  bool inside = true;
  if (training_flops > 0.0 && r.max_training_flops > 0.0) {
    known = true;
    inside = training_flops >= r.min_training_flops &&
             training_flops <= r.max_training_flops;
  }
  if (r.max_params > 0.0) {
    known = true;
    inside = inside && params >= r.min_params && params <= r.max_params;
  }
  if (r.max_tokens > 0.0) {
    known = true;
    inside = inside && tokens >= r.min_tokens && tokens <= r.max_tokens;
  }
  if (!known) return "unknown";
  return inside ? "yes" : "no";
}

std::string InFittedRangeNote() {
  return "in_fitted_range: whether N and D (and C where the law gives a "
         "FLOPs range) lie within the runs the law was fitted on (scalesim "
         "laws shows each range); 'no' means the law extrapolates, 'unknown' "
         "that its file gives no range";
}

bool ModelsRepetition(const Law& law) {
  return law.loss_law() != nullptr && law.loss_law()->ModelsRepetition();
}

void LawRegistry::Add(Law law, std::string_view source) {
  if (Find(law.name()) != nullptr) {
    throw InvalidInput(InputLocation{std::string(source), 0, "name"},
                       "a law named '" + law.name() + "' exists already");
  }
  if (!ModelsRepetition(law)) defaults_.push_back(law);
  laws_.push_back(std::move(law));
}

const Law* LawRegistry::Find(std::string_view name) const {
  for (const Law& law : laws_) {
    if (law.name() == name) return &law;
  }
  return nullptr;
}

std::vector<std::string> LawRegistry::Names() const {
  std::vector<std::string> out;
  out.reserve(laws_.size());
  for (const Law& law : laws_) out.push_back(law.name());
  return out;
}

}  // namespace scalesim::laws

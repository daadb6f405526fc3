#include "scalesim/laws/law.hpp"

#include <cmath>
#include <string>
#include <utility>

#include "scalesim/core/error.hpp"
#include "scalesim/core/units.hpp"

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

std::string_view ToString(LawForm form) {
  switch (form) {
    case LawForm::kChinchilla:
      return "chinchilla";
    case LawForm::kKaplan:
      return "kaplan";
    case LawForm::kFrontier:
      return "frontier";
  }
  return "";
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

Law::Law(LawInfo info, const ChinchillaForm& constants)
    : info_(std::move(info)), body_(ChinchillaLaw(constants)) {}
Law::Law(LawInfo info, const KaplanConstants& constants)
    : info_(std::move(info)), body_(KaplanLaw(constants)) {}
Law::Law(LawInfo info, const PowerLawFrontier& frontier)
    : info_(std::move(info)), body_(frontier) {}

LawForm Law::form() const {
  if (std::holds_alternative<ChinchillaLaw>(body_)) return LawForm::kChinchilla;
  if (std::holds_alternative<KaplanLaw>(body_)) return LawForm::kKaplan;
  return LawForm::kFrontier;
}

const LossLaw* Law::loss_law() const {
  if (const auto* c = std::get_if<ChinchillaLaw>(&body_)) return c;
  if (const auto* k = std::get_if<KaplanLaw>(&body_)) return k;
  return nullptr;
}

const ChinchillaForm* Law::chinchilla() const {
  const auto* c = std::get_if<ChinchillaLaw>(&body_);
  return c != nullptr ? &c->constants() : nullptr;
}

const KaplanLaw* Law::kaplan() const { return std::get_if<KaplanLaw>(&body_); }

const PowerLawFrontier* Law::frontier() const {
  return std::get_if<PowerLawFrontier>(&body_);
}

std::optional<PowerLawFrontier> Law::published_allocation() const {
  if (const auto* f = frontier()) return *f;
  if (const auto* k = kaplan(); k != nullptr && k->constants().allocation) {
    return FrontierFromKaplanAllocation(*k->constants().allocation);
  }
  return std::nullopt;
}

PowerLawFrontier FrontierFromKaplanAllocation(
    const KaplanAllocation& allocation) {
  PowerLawFrontier f;
  f.anchor_flops =
      kKaplanComputePerMinimumCompute * units::kFlopsPerPetaflopDay;
  f.params_at_anchor = allocation.params_coefficient;
  f.tokens_at_anchor = allocation.tokens_coefficient;
  f.params_exponent = allocation.params_exponent;
  f.tokens_exponent = allocation.tokens_exponent;
  return f;
}

void LawRegistry::Add(Law law, std::string_view source) {
  if (Find(law.name()) != nullptr) {
    throw InvalidInput(InputLocation{std::string(source), 0, "name"},
                       "a law named '" + law.name() + "' exists already");
  }
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

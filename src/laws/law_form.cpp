#include "scalesim/laws/law_form.hpp"

#include <cmath>
#include <string>
#include <utility>

#include "scalesim/core/error.hpp"
#include "scalesim/core/names.hpp"
#include "scalesim/core/validate.hpp"

namespace scalesim::laws {

ConstantReader::ConstantReader(
    std::map<std::string, double, std::less<>> values,
    std::string source,
    std::string field_prefix,
    std::string field_suffix)
    : values_(std::move(values)),
      source_(std::move(source)),
      field_prefix_(std::move(field_prefix)),
      field_suffix_(std::move(field_suffix)) {}

void ConstantReader::Fail(std::string_view key,
                          std::string_view problem) const {
  throw InvalidInput(
      InputLocation{
          source_, 0, field_prefix_ + std::string(key) + field_suffix_},
      problem);
}

double ConstantReader::Read(std::string_view key, Sign sign) {
  asked_.emplace_back(key);
  const auto it = values_.find(key);
  if (it == values_.end()) Fail(key, "missing required field");
  const double v = it->second;
  if (sign == Sign::kAny) {
    if (!std::isfinite(v))
      Fail(key, "must be a finite number, got " + NumberText(v));
    return v;
  }
  const bool zero_ok = sign == Sign::kNonNegative;
  if (!std::isfinite(v) || v < 0.0 || (v == 0.0 && !zero_ok)) {
    Fail(key,
         std::string("must be a finite number ") + (zero_ok ? ">= 0" : "> 0") +
             ", got " + NumberText(v));
  }
  return v;
}

double ConstantReader::Positive(std::string_view key) {
  return Read(key, Sign::kPositive);
}

double ConstantReader::NonNegative(std::string_view key) {
  return Read(key, Sign::kNonNegative);
}

double ConstantReader::Finite(std::string_view key) {
  return Read(key, Sign::kAny);
}

std::optional<double> ConstantReader::OptionalPositive(std::string_view key) {
  if (values_.find(key) == values_.end()) {
    asked_.emplace_back(key);
    return std::nullopt;
  }
  return Read(key, Sign::kPositive);
}

bool ConstantReader::HasGroup(std::string_view group) {
  groups_.emplace(group);
  const std::string prefix = std::string(group) + ".";
  const auto it = values_.lower_bound(prefix);
  return it != values_.end() &&
         it->first.compare(0, prefix.size(), prefix) == 0;
}

void ConstantReader::RejectUnread() const {
  for (const auto& [key, value] : values_) {
    bool read = false;
    for (const std::string& a : asked_) read = read || a == key;
    if (read) continue;
    std::string valid;
    for (const std::string& a : asked_)
      valid += (valid.empty() ? "" : ", ") + a;
    for (const std::string& g : groups_) {
      bool listed = false;
      for (const std::string& a : asked_)
        listed = listed || a.compare(0, g.size() + 1, g + ".") == 0;
      if (!listed) valid += (valid.empty() ? "" : ", ") + g + ".*";
    }
    Fail(key,
         "unknown field" + DidYouMean(key, asked_) + " (valid: " + valid + ")");
  }
}

std::string ConstantsText(const std::vector<Constant>& constants) {
  std::string s;
  for (const Constant& c : constants)
    s += (s.empty() ? "" : " ") + c.name + "=" + NumberText(c.value);
  return s;
}

std::vector<std::string> LawFormNames() {
  std::vector<std::string> names;
  for (const FormEntry& e : LawForms()) names.emplace_back(e.name);
  return names;
}

namespace internal {

void UnknownForm(std::string_view name,
                 const std::vector<std::string>& names,
                 std::string_view source,
                 std::string_view hint) {
  throw InvalidInput(
      InputLocation{std::string(source), 0, "form"},
      "unknown form '" + Excerpt(name) + "'" + DidYouMean(name, names) +
          " (valid: " + JoinNames(names) + ")" + std::string(hint));
}

}  // namespace internal

const FormEntry& FindLawForm(std::string_view name, std::string_view source) {
  return FindForm(LawForms(), name, source);
}

std::shared_ptr<const LawForm> MakeLawForm(std::string_view name,
                                           ConstantReader& constants) {
  std::shared_ptr<const LawForm> form =
      FindLawForm(name, constants.source()).make(constants);
  constants.RejectUnread();
  return form;
}

}  // namespace scalesim::laws

#include "scalesim/laws/law_form.hpp"

#include <cmath>
#include <string>
#include <utility>

#include "scalesim/core/error.hpp"
#include "scalesim/core/names.hpp"
#include "scalesim/core/validate.hpp"

namespace scalesim::laws {

ConstantReader::ConstantReader(
    std::map<std::string, double, std::less<>> values, std::string source)
    : values_(std::move(values)), source_(std::move(source)) {}

void ConstantReader::Fail(std::string_view key,
                          std::string_view problem) const {
  throw InvalidInput(InputLocation{source_, 0, "constants." + std::string(key)},
                     problem);
}

double ConstantReader::Read(std::string_view key, bool zero_ok) {
  asked_.emplace_back(key);
  const auto it = values_.find(key);
  if (it == values_.end()) Fail(key, "missing required field");
  const double v = it->second;
  if (!std::isfinite(v) || v < 0.0 || (v == 0.0 && !zero_ok)) {
    Fail(key,
         std::string("must be a finite number ") + (zero_ok ? ">= 0" : "> 0") +
             ", got " + NumberText(v));
  }
  return v;
}

double ConstantReader::Positive(std::string_view key) {
  return Read(key, false);
}

double ConstantReader::NonNegative(std::string_view key) {
  return Read(key, true);
}

std::optional<double> ConstantReader::OptionalPositive(std::string_view key) {
  if (values_.find(key) == values_.end()) {
    asked_.emplace_back(key);
    return std::nullopt;
  }
  return Read(key, false);
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

std::vector<std::string> LawFormNames() {
  std::vector<std::string> names;
  for (const FormEntry& e : LawForms()) names.emplace_back(e.name);
  return names;
}

const FormEntry& FindLawForm(std::string_view name, std::string_view source) {
  for (const FormEntry& e : LawForms()) {
    if (e.name == name) return e;
  }
  std::string valid;
  for (const FormEntry& e : LawForms())
    valid += (valid.empty() ? "" : ", ") + std::string(e.name);
  throw InvalidInput(InputLocation{std::string(source), 0, "form"},
                     "unknown form '" + Excerpt(name) + "'" +
                         DidYouMean(name, LawFormNames()) +
                         " (valid: " + valid + ")");
}

std::shared_ptr<const LawForm> MakeLawForm(std::string_view name,
                                           ConstantReader& constants) {
  std::shared_ptr<const LawForm> form =
      FindLawForm(name, constants.source()).make(constants);
  constants.RejectUnread();
  return form;
}

}  // namespace scalesim::laws

#include "scalesim/io/law_io.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <limits>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "scalesim/core/error.hpp"
#include "scalesim/core/names.hpp"
#include "scalesim/core/validate.hpp"
#include "scalesim/io/embedded.hpp"
#include "scalesim/io/files.hpp"
#include "scalesim/io/format.hpp"
#include "scalesim/laws/hyperparameters.hpp"
#include "scalesim/laws/law_form.hpp"

#include "io/json_text.hpp"

namespace scalesim::io {
namespace {

using json = nlohmann::json;
using ordered_json = nlohmann::ordered_json;

json ParseJson(std::string_view text, std::string_view source) {
  return internal::ParseJsonText(text, source);
}

std::string Show(const json& v) { return internal::ShowJson(v); }

// Reads the fields of one JSON object, naming source and dotted field path in
// errors, and rejecting keys it was not asked about.
class Object {
 public:
  Object(const json& obj, std::string source, std::string prefix)
      : obj_(obj), source_(std::move(source)), prefix_(std::move(prefix)) {
    if (!obj_.is_object()) {
      throw InvalidInput(
          InputLocation{
              source_,
              0,
              prefix_.empty() ? "" : prefix_.substr(0, prefix_.size() - 1)},
          "must be a JSON object");
    }
  }

  [[noreturn]] void Fail(const std::string& key,
                         const std::string& problem) const {
    throw InvalidInput(InputLocation{source_, 0, prefix_ + key}, problem);
  }

  void AllowOnly(std::initializer_list<const char*> keys) const {
    AllowOnly(std::span<const char* const>(keys.begin(), keys.size()));
  }
  void AllowOnly(std::span<const char* const> keys) const {
    for (const auto& item : obj_.items()) {
      // A named copy: clang 14 cannot capture a structured binding.
      const std::string& key = item.key();
      if (std::find_if(keys.begin(), keys.end(), [&](const char* k) {
            return key == k;
          }) == keys.end()) {
        std::string valid;
        for (const char* k : keys)
          valid += std::string(valid.empty() ? "" : ", ") + k;
        Fail(Excerpt(key), "unknown field (valid: " + valid + ")");
      }
    }
  }

  bool Has(const char* key) const {
    return obj_.contains(key) && !obj_.at(key).is_null();
  }

  std::string RequireString(const char* key) const {
    if (!Has(key)) Fail(key, "missing required field");
    const json& v = obj_.at(key);
    if (!v.is_string()) Fail(key, "must be a string, got " + Show(v));
    std::string s = v.get<std::string>();
    if (s.empty()) Fail(key, "must not be empty");
    return s;
  }
  std::string StringOr(const char* key, std::string fallback) const {
    return Has(key) ? RequireString(key) : std::move(fallback);
  }

  // A finite number > 0 (>= 0 when zero_ok).
  double RequirePositive(const char* key, bool zero_ok = false) const {
    if (!Has(key)) Fail(key, "missing required field");
    return Positive(obj_.at(key), key, zero_ok);
  }
  double Positive(const json& v,
                  const std::string& key,
                  bool zero_ok = false) const {
    if (!v.is_number()) Fail(key, "must be a number, got " + Show(v));
    const double d = v.get<double>();
    if (!std::isfinite(d) || d < 0.0 || (d == 0.0 && !zero_ok)) {
      Fail(key,
           std::string("must be a finite number ") +
               (zero_ok ? ">= 0" : "> 0") + ", got " + Show(v));
    }
    return d;
  }

  Object Child(const char* key) const {
    if (!Has(key)) Fail(key, "missing required field");
    return Object(obj_.at(key), source_, prefix_ + key + ".");
  }

  // [lo, hi] with 0 < lo <= hi.
  std::pair<double, double> Range(const char* key) const {
    const json& v = obj_.at(key);
    if (!v.is_array() || v.size() != 2) Fail(key, "must be a list [min, max]");
    const double lo = Positive(v[0], key);
    const double hi = Positive(v[1], key);
    if (lo > hi) Fail(key, "min must not exceed max");
    return {lo, hi};
  }

  const json& raw(const char* key) const { return obj_.at(key); }
  const std::string& source() const { return source_; }
  const std::string& prefix() const { return prefix_; }

 private:
  const json& obj_;
  std::string source_;
  std::string prefix_;
};

// Calls leaf(key, value) for every member of `obj` that is not an object,
// `key` its dotted path below `obj` ({"joint": {"alpha_n": v}} ->
// "joint.alpha_n"): law files nest "constants" and "bootstrap.draws" so.
template <typename Leaf>
void ForEachLeaf(const json& obj, const std::string& prefix, const Leaf& leaf) {
  for (const auto& item : obj.items()) {
    const std::string key = prefix + item.key();
    if (item.value().is_object()) {
      ForEachLeaf(item.value(), key + ".", leaf);
    } else {
      leaf(key, item.value());
    }
  }
}

// The law file's "constants" object flattened to dotted paths for the
// form's factory ({"joint": {"alpha_n": 0.076}} -> "joint.alpha_n").
void Flatten(const json& obj,
             const std::string& source,
             std::map<std::string, double, std::less<>>& out) {
  ForEachLeaf(obj, "", [&](const std::string& key, const json& v) {
    if (!v.is_number()) {
      throw InvalidInput(InputLocation{source, 0, "constants." + key},
                         "must be a number, got " + v.dump());
    }
    out[key] = v.get<double>();
  });
}

laws::FittedRange ParseFittedRange(const Object& r) {
  r.AllowOnly({"params", "tokens", "training_flops"});
  laws::FittedRange out;
  if (r.Has("params"))
    std::tie(out.min_params, out.max_params) = r.Range("params");
  if (r.Has("tokens"))
    std::tie(out.min_tokens, out.max_tokens) = r.Range("tokens");
  if (r.Has("training_flops")) {
    std::tie(out.min_training_flops, out.max_training_flops) =
        r.Range("training_flops");
  }
  return out;
}

std::vector<laws::PublishedOptimum> ParsePublishedOptima(const Object& top) {
  const json& list = top.raw("published_optima");
  if (!list.is_array())
    top.Fail("published_optima", "must be a list of objects");
  std::vector<laws::PublishedOptimum> out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const Object row(
        list[i], top.source(), "published_optima[" + std::to_string(i) + "].");
    row.AllowOnly({"params", "training_flops", "tokens"});
    out.push_back({row.RequirePositive("params"),
                   row.RequirePositive("training_flops"),
                   row.RequirePositive("tokens")});
  }
  return out;
}

// The member of `obj` at a dotted path: "joint.alpha_n" nests as
// {"joint": {"alpha_n": ...}}.
ordered_json* Nested(ordered_json& obj, std::string_view path) {
  ordered_json* at = &obj;
  for (std::size_t dot; (dot = path.find('.')) != std::string_view::npos;
       path.remove_prefix(dot + 1)) {
    at = &(*at)[std::string(path.substr(0, dot))];
  }
  return &(*at)[std::string(path)];
}

ordered_json RangeJson(double lo, double hi) {
  return ordered_json::array({lo, hi});
}

// The law's name: letters, digits, '_', '-' and '.'.
std::string LawName(const Object& top) {
  std::string name = top.RequireString("name");
  for (char ch : name) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                    (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' ||
                    ch == '.';
    if (!ok)
      top.Fail("name", "may contain only letters, digits, '_', '-' and '.'");
  }
  return name;
}

// The law file's constants, flattened, for a form's factory.
laws::ConstantReader Constants(const Object& top) {
  top.Child("constants");  // present and an object
  std::map<std::string, double, std::less<>> values;
  Flatten(top.raw("constants"), top.source(), values);
  return laws::ConstantReader(std::move(values), top.source());
}

// The law file's "bootstrap.draws": arrays nested as "constants" is,
// flattened to dotted paths ({"joint": {"alpha_n": [...]}} ->
// "joint.alpha_n"). Elements are checked by the form's factory.
void FlattenDraws(const json& obj,
                  const std::string& source,
                  std::map<std::string, std::vector<double>>& out) {
  ForEachLeaf(obj, "", [&](const std::string& key, const json& v) {
    const std::string field = "bootstrap.draws." + key;
    if (!v.is_array()) {
      throw InvalidInput(
          InputLocation{source, 0, field},
          "must be a list of numbers (one per draw), got " + Show(v));
    }
    std::vector<double>& values = out[key];
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_number()) {
        throw InvalidInput(
            InputLocation{source, 0, field + "[" + std::to_string(i) + "]"},
            "must be a number, got " + Show(v[i]));
      }
      values.push_back(v[i].get<double>());
    }
  });
}

// A whole number >= 0 of `obj` (nlohmann parses those as unsigned).
std::int64_t Count(const Object& obj, const char* key) {
  if (!obj.Has(key)) obj.Fail(key, "missing required field");
  const json& v = obj.raw(key);
  if (!v.is_number_unsigned() ||
      v.get<std::uint64_t>() > static_cast<std::uint64_t>(
                                   std::numeric_limits<std::int64_t>::max())) {
    obj.Fail(key, "must be a whole number from 0 to 2^63 - 1, got " + Show(v));
  }
  return v.get<std::int64_t>();
}

// The law's bootstrap draws: one array per constant of the law, all of one
// length, each draw built by the law's form (its checks, naming
// "bootstrap.draws.<constant>[i]").
laws::LawDraws ParseDraws(const Object& boot,
                          std::string_view form,
                          const laws::LawForm& law) {
  boot.AllowOnly({"resamples", "seed", "draws"});
  laws::LawDraws out;
  out.resamples = Count(boot, "resamples");
  out.seed = static_cast<std::uint64_t>(Count(boot, "seed"));
  boot.Child("draws");  // present and an object
  std::map<std::string, std::vector<double>> columns;
  FlattenDraws(boot.raw("draws"), boot.source(), columns);
  const std::vector<laws::Constant> constants = law.constants();
  std::vector<std::string> names;
  for (const laws::Constant& c : constants) names.push_back(c.name);
  for (const auto& [key, values] : columns) {
    if (std::find(names.begin(), names.end(), key) == names.end()) {
      throw InvalidInput(
          InputLocation{boot.source(), 0, "bootstrap.draws." + Excerpt(key)},
          "not a constant of the law (valid: " + JoinNames(names) + ")");
    }
  }
  std::size_t n = 0;
  for (std::size_t k = 0; k < constants.size(); ++k) {
    const std::string field = "bootstrap.draws." + constants[k].name;
    const auto it = columns.find(constants[k].name);
    if (it == columns.end()) {
      throw InvalidInput(InputLocation{boot.source(), 0, field},
                         "missing: every constant of the law has its draws");
    }
    const std::size_t size = it->second.size();
    if (k == 0) {
      n = size;
      if (n == 0) {
        throw InvalidInput(InputLocation{boot.source(), 0, field},
                           "must hold at least one draw");
      }
      if (n > laws::kMaxLawDraws) {
        throw InvalidInput(InputLocation{boot.source(), 0, field},
                           "holds " + std::to_string(n) +
                               " draws, more than the limit of " +
                               std::to_string(laws::kMaxLawDraws));
      }
    } else if (size != n) {
      throw InvalidInput(InputLocation{boot.source(), 0, field},
                         "holds " + std::to_string(size) + " draws, " +
                             constants[0].name + " holds " + std::to_string(n) +
                             " (one value per draw for every constant)");
    }
  }
  if (out.resamples < static_cast<std::int64_t>(n)) {
    boot.Fail("resamples",
              "must be at least the number of draws (" + std::to_string(n) +
                  "), got " + std::to_string(out.resamples));
  }
  out.forms.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::map<std::string, double, std::less<>> values;
    for (const auto& [key, column] : columns) values[key] = column[i];
    laws::ConstantReader reader(std::move(values),
                                boot.source(),
                                "bootstrap.draws.",
                                "[" + std::to_string(i) + "]");
    out.forms.push_back(laws::MakeLawForm(form, reader));
  }
  return out;
}

bool IsNamed(std::string_view name, const std::vector<std::string>& names) {
  return FindIgnoringCase(name, names).has_value();
}

std::vector<std::string> FormNames(const auto& entries) {
  std::vector<std::string> names;
  for (const auto& e : entries) names.emplace_back(e.name);
  return names;
}

// The top-level fields of a loss-law file and of a hyperparameter-law file.
constexpr const char* kLawFileKeys[] = {"name",
                                        "form",
                                        "constants",
                                        "param_count",
                                        "loss_units",
                                        "dataset",
                                        "citation",
                                        "notes",
                                        "fitted_range",
                                        "published_optima",
                                        "bootstrap"};
constexpr const char* kHyperparameterLawFileKeys[] = {"name",
                                                      "form",
                                                      "constants",
                                                      "param_count",
                                                      "budget",
                                                      "units",
                                                      "dataset",
                                                      "citation",
                                                      "notes",
                                                      "fitted_range",
                                                      "loss_law"};

// The form a law file names ("form"), looked up in `forms` before anything
// else is read, with a hint when it names a form of the other kind of law.
template <typename Forms>
std::string RequireForm(const Object& top,
                        const Forms& forms,
                        std::string_view source,
                        const std::vector<std::string>& other_forms,
                        std::string_view other_hint) {
  const std::string form = top.RequireString("form");
  laws::FindForm(
      forms, form, source, IsNamed(form, other_forms) ? other_hint : "");
  return form;
}

}  // namespace

laws::Law LawFromJson(std::string_view text, std::string_view source) {
  const json doc = ParseJson(text, source);
  const Object top(doc, std::string(source), "");
  top.AllowOnly(kLawFileKeys);
  laws::LawInfo info;
  info.name = LawName(top);
  const std::string form =
      RequireForm(top,
                  laws::LawForms(),
                  source,
                  FormNames(laws::HyperparameterForms()),
                  "; it is a hyperparameter form (scalesim hparams)");
  info.param_count = laws::ParseParamCount(
      top.RequireString("param_count"), source, "param_count");
  // Constants first: the form decides whether the law predicts a loss.
  laws::ConstantReader reader = Constants(top);
  std::shared_ptr<const laws::LawForm> body = laws::MakeLawForm(form, reader);
  info.loss_units = body->loss() == nullptr ? top.StringOr("loss_units", "")
                                            : top.RequireString("loss_units");
  info.dataset = top.RequireString("dataset");
  info.citation = top.RequireString("citation");
  info.notes = top.StringOr("notes", "");
  if (top.Has("fitted_range"))
    info.fitted_range = ParseFittedRange(top.Child("fitted_range"));
  if (top.Has("published_optima"))
    info.published_optima = ParsePublishedOptima(top);
  laws::LawDraws draws;
  if (top.Has("bootstrap"))
    draws = ParseDraws(top.Child("bootstrap"), form, *body);

  return laws::Law(std::move(info), std::move(body), std::move(draws));
}

std::string LawToJson(const laws::Law& law) {
  const laws::LawInfo& info = law.info();
  ordered_json doc;
  doc["name"] = info.name;
  doc["form"] = std::string(law.form_name());
  ordered_json c = ordered_json::object();
  for (const laws::Constant& k : law.form().constants())
    *Nested(c, k.name) = k.value;
  doc["constants"] = c;
  doc["param_count"] = std::string(laws::ToString(info.param_count));
  if (!info.loss_units.empty()) doc["loss_units"] = info.loss_units;
  doc["dataset"] = info.dataset;
  doc["citation"] = info.citation;
  if (!info.notes.empty()) doc["notes"] = info.notes;
  const laws::FittedRange& r = info.fitted_range;
  if (!r.empty()) {
    ordered_json range;
    if (r.max_params > 0.0)
      range["params"] = RangeJson(r.min_params, r.max_params);
    if (r.max_tokens > 0.0)
      range["tokens"] = RangeJson(r.min_tokens, r.max_tokens);
    if (r.max_training_flops > 0.0) {
      range["training_flops"] =
          RangeJson(r.min_training_flops, r.max_training_flops);
    }
    doc["fitted_range"] = range;
  }
  if (!info.published_optima.empty()) {
    ordered_json rows = ordered_json::array();
    for (const laws::PublishedOptimum& p : info.published_optima) {
      rows.push_back({{"params", p.params},
                      {"training_flops", p.training_flops},
                      {"tokens", p.tokens}});
    }
    doc["published_optima"] = rows;
  }
  // The draws: one array per constant, nested as "constants", each on one
  // line (a placeholder string replaced after dump(2), which would put
  // every number on a line of its own).
  std::vector<std::pair<std::string, std::string>> arrays;
  if (law.has_draws()) {
    const laws::LawDraws& d = law.draws();
    const std::vector<laws::Constant> names = law.form().constants();
    std::vector<ordered_json> columns(names.size(), ordered_json::array());
    for (const std::shared_ptr<const laws::LawForm>& f : d.forms) {
      const std::vector<laws::Constant> draw_constants = f->constants();
      for (std::size_t k = 0; k < names.size(); ++k)
        columns[k].push_back(draw_constants[k].value);
    }
    ordered_json values = ordered_json::object();
    for (std::size_t k = 0; k < names.size(); ++k) {
      std::string placeholder = "\x01draws " + std::to_string(k);
      *Nested(values, names[k].name) = placeholder;
      arrays.emplace_back(ordered_json(placeholder).dump(), columns[k].dump());
    }
    doc["bootstrap"] = {
        {"resamples", d.resamples}, {"seed", d.seed}, {"draws", values}};
  }
  std::string text = doc.dump(2) + "\n";
  for (const auto& [placeholder, array] : arrays) {
    const std::size_t at = text.find(placeholder);
    assert(at != std::string::npos);
    text.replace(at, placeholder.size(), array);
  }
  return text;
}

const laws::LawRegistry& BuiltinLaws() {
  static const laws::LawRegistry registry = [] {
    laws::LawRegistry r;
    for (std::string_view path : EmbeddedPaths("laws/")) {
      const std::string source = "data/" + std::string(path);
      r.Add(LawFromJson(*EmbeddedData(path), source), source);
    }
    return r;
  }();
  return registry;
}

std::vector<laws::Law> SelectLaws(const LawSelection& selection) {
  if (!selection.given()) return BuiltinLaws().all();
  return SelectLossLaws(selection, true);
}

std::vector<laws::Law> SelectLossLaws(const LawSelection& selection,
                                      bool repeated_data) {
  if (!selection.given()) {
    return repeated_data ? BuiltinLaws().all() : BuiltinLaws().laws();
  }
  std::vector<laws::Law> out;
  for (const std::string& name : selection.law)
    out.push_back(LoadLaw(name, InputLocation{"", 0, "law"}));
  return out;
}

laws::HyperparameterLaw HyperparameterLawFromJson(std::string_view text,
                                                  std::string_view source) {
  const json doc = ParseJson(text, source);
  const Object top(doc, std::string(source), "");
  top.AllowOnly(kHyperparameterLawFileKeys);
  laws::HyperparameterLawInfo info;
  info.name = LawName(top);
  const std::string form =
      RequireForm(top,
                  laws::HyperparameterForms(),
                  source,
                  laws::LawFormNames(),
                  "; it is a loss-law form (scalesim loss, optimal)");
  if (top.Has("param_count")) {
    info.param_count = laws::ParseParamCount(
        top.RequireString("param_count"), source, "param_count");
  }
  laws::ConstantReader reader = Constants(top);
  std::shared_ptr<const laws::HyperparameterForm> body =
      laws::MakeHyperparameterForm(form, reader);
  info.budget = top.RequireString("budget");
  info.units = top.RequireString("units");
  info.dataset = top.RequireString("dataset");
  info.citation = top.RequireString("citation");
  info.notes = top.StringOr("notes", "");
  if (top.Has("fitted_range"))
    info.fitted_range = ParseFittedRange(top.Child("fitted_range"));
  if (top.Has("loss_law")) {
    const std::string name = top.RequireString("loss_law");
    const laws::Law* law = BuiltinLaws().Find(name);
    if (law == nullptr || law->loss_law() == nullptr) {
      top.Fail("loss_law",
               "must name a built-in loss law (" +
                   JoinNames(BuiltinLaws().Names()) + "), got '" +
                   Excerpt(name) + "'");
    }
    info.loss_law = *law;
  }
  if (body->input() == laws::RunInput::kLoss && !info.loss_law) {
    top.Fail("loss_law",
             "missing: a law predicting from the loss names the loss law "
             "its L is measured with");
  }
  return laws::HyperparameterLaw(std::move(info), std::move(body));
}

const std::vector<laws::HyperparameterLaw>& BuiltinHyperparameterLaws() {
  static const std::vector<laws::HyperparameterLaw> laws = [] {
    std::vector<laws::HyperparameterLaw> out;
    for (std::string_view path : EmbeddedPaths("hparams/")) {
      const std::string source = "data/" + std::string(path);
      out.push_back(HyperparameterLawFromJson(*EmbeddedData(path), source));
    }
    return out;
  }();
  return laws;
}

std::vector<std::string> HyperparameterLawNames() {
  std::vector<std::string> names;
  for (const laws::HyperparameterLaw& law : BuiltinHyperparameterLaws())
    names.push_back(law.name());
  return names;
}

laws::HyperparameterLaw LoadHyperparameterLaw(std::string_view name_or_path,
                                              const InputLocation& where) {
  const std::vector<std::string> names = HyperparameterLawNames();
  if (const auto i = FindIgnoringCase(name_or_path, names))
    return BuiltinHyperparameterLaws()[*i];
  if (IsNamed(name_or_path, BuiltinLaws().Names())) {
    throw InvalidInput(where,
                       "law '" + Excerpt(name_or_path) +
                           "' is a loss law (scalesim loss, optimal), not a "
                           "hyperparameter law (" +
                           JoinNames(names) + ")");
  }
  const std::string path(name_or_path);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    throw InvalidInput(where,
                       "unknown hyperparameter law '" + Excerpt(path) + "'" +
                           DidYouMean(path, names) +
                           ": neither a built-in one (" + JoinNames(names) +
                           ") nor a law file");
  }
  return HyperparameterLawFromJson(ReadTextFile(path), path);
}

std::vector<laws::HyperparameterLaw> SelectHyperparameterLaws(
    const HyperparameterLawSelection& selection) {
  if (!selection.given()) return BuiltinHyperparameterLaws();
  std::vector<laws::HyperparameterLaw> out;
  for (const std::string& name : selection.law)
    out.push_back(LoadHyperparameterLaw(name, InputLocation{"", 0, "law"}));
  return out;
}

laws::Law LoadLaw(std::string_view name_or_path, const InputLocation& where) {
  if (const laws::Law* law = BuiltinLaws().Find(name_or_path)) return *law;
  if (IsNamed(name_or_path, HyperparameterLawNames())) {
    throw InvalidInput(where,
                       "law '" + Excerpt(name_or_path) +
                           "' is a hyperparameter law (scalesim hparams), "
                           "not a loss law");
  }
  // Built-in names ignoring case ("Kaplan2020").
  if (const auto i = FindIgnoringCase(name_or_path, BuiltinLaws().Names()))
    return BuiltinLaws().all()[*i];
  const std::string path(name_or_path);
  // Any existing path is read as a law file (a FIFO from `<(...)` too):
  // ReadTextFile refuses directories and files beyond its size limit.
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    std::string names;
    for (const std::string& n : BuiltinLaws().Names())
      names += (names.empty() ? "" : ", ") + n;
    throw InvalidInput(
        where,
        "unknown law '" + path + "'" + DidYouMean(path, BuiltinLaws().Names()) +
            ": neither a built-in law (" + names + ") nor a law file");
  }
  return LawFromJson(ReadTextFile(path), path);
}

namespace {

// "N 44M-16.1B; D 5B-500B": the ranges a law file gives.
std::string FittedRangeText(const laws::FittedRange& r) {
  std::string s;
  const auto add = [&](const char* what, double lo, double hi, bool sci) {
    if (hi <= 0.0) return;
    s += (s.empty() ? "" : "; ") + std::string(what) + " " +
         (sci ? Scientific(lo) : ShortCount(lo)) + "-" +
         (sci ? Scientific(hi) : ShortCount(hi));
  };
  add("N", r.min_params, r.max_params, false);
  add("D", r.min_tokens, r.max_tokens, false);
  add("C", r.min_training_flops, r.max_training_flops, true);
  return s;
}

}  // namespace

Schema<laws::Law> LawsSchema(const std::string& title) {
  using L = laws::Law;
  Schema<L> s{"laws", title, {}, nullptr};
  s.Add(
      "name", CellKind::kText, [](const L& l) { return CellValue{l.name()}; });
  s.Add("form", CellKind::kText, [](const L& l) {
    return CellValue{std::string(l.form_name())};
  });
  s.Add("param_count", CellKind::kText, [](const L& l) {
    return CellValue{std::string(laws::ToString(l.info().param_count))};
  });
  s.Add("constants", CellKind::kText, [](const L& l) {
    return CellValue{laws::ConstantsText(l)};
  });
  s.Add("fitted_range", CellKind::kText, [](const L& l) {
    return CellValue{FittedRangeText(l.info().fitted_range)};
  });
  s.Add("loss_units", CellKind::kText, [](const L& l) {
    return CellValue{l.info().loss_units};
  });
  s.Add("dataset", CellKind::kText, [](const L& l) {
    return CellValue{l.info().dataset};
  });
  s.Add("citation", CellKind::kText, [](const L& l) {
    return CellValue{l.info().citation};
  });
  return s;
}

std::vector<std::string> LawsNotes(const std::vector<laws::Law>& selected) {
  std::vector<std::string> notes;
  for (const laws::Law& law : selected) {
    if (!law.info().notes.empty())
      notes.push_back(law.name() + ": " + law.info().notes);
  }
  std::string forms = "forms:";
  for (const laws::FormEntry& f : laws::LawForms())
    forms += " " + std::string(f.name) + " " + std::string(f.formula) + ";";
  forms.pop_back();
  notes.push_back(forms);
  notes.push_back(
      "param_count: total = every parameter (Hoffmann et al.); "
      "non_embedding = without token and position embeddings (Kaplan et "
      "al. Sec. 2.1)");
  return notes;
}

}  // namespace scalesim::io

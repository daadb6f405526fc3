#include "scalesim/io/law_io.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "scalesim/core/error.hpp"
#include "scalesim/io/embedded.hpp"
#include "scalesim/io/files.hpp"

#include "io/json_text.hpp"

namespace scalesim::io {
namespace {

using json = nlohmann::json;
using ordered_json = nlohmann::ordered_json;

// Frontier files tie tokens to parameters by C = 6 N D (frontier.hpp).
constexpr double kFlopsPerParamToken = 6.0;
// a + b = 1 up to rounding of the printed exponents' sum.
constexpr double kExponentSumTolerance = 1e-9;

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

laws::ChinchillaForm ParseChinchilla(const Object& c) {
  c.AllowOnly({"E", "A", "B", "alpha", "beta"});
  laws::ChinchillaForm f;
  f.E = c.RequirePositive("E", /*zero_ok=*/true);
  f.A = c.RequirePositive("A");
  f.B = c.RequirePositive("B");
  f.alpha = c.RequirePositive("alpha");
  f.beta = c.RequirePositive("beta");
  return f;
}

laws::KaplanConstants ParseKaplan(const Object& c) {
  c.AllowOnly({"joint", "params_law", "data_law", "compute_law", "allocation"});
  laws::KaplanConstants k;
  const Object j = c.Child("joint");
  j.AllowOnly({"alpha_n", "alpha_d", "n_c", "d_c"});
  k.joint = {j.RequirePositive("alpha_n"),
             j.RequirePositive("alpha_d"),
             j.RequirePositive("n_c"),
             j.RequirePositive("d_c")};
  if (c.Has("params_law")) {
    const Object p = c.Child("params_law");
    p.AllowOnly({"alpha_n", "n_c"});
    k.params_law = laws::KaplanParamsLaw{p.RequirePositive("alpha_n"),
                                         p.RequirePositive("n_c")};
  }
  if (c.Has("data_law")) {
    const Object d = c.Child("data_law");
    d.AllowOnly({"alpha_d", "d_c"});
    k.data_law = laws::KaplanDataLaw{d.RequirePositive("alpha_d"),
                                     d.RequirePositive("d_c")};
  }
  if (c.Has("compute_law")) {
    const Object m = c.Child("compute_law");
    m.AllowOnly({"alpha_c_min", "c_c_pf_days"});
    k.compute_law = laws::KaplanComputeLaw{m.RequirePositive("alpha_c_min"),
                                           m.RequirePositive("c_c_pf_days")};
  }
  if (c.Has("allocation")) {
    const Object a = c.Child("allocation");
    a.AllowOnly({"params_coefficient",
                 "params_exponent",
                 "tokens_coefficient",
                 "tokens_exponent"});
    k.allocation =
        laws::KaplanAllocation{a.RequirePositive("params_coefficient"),
                               a.RequirePositive("params_exponent"),
                               a.RequirePositive("tokens_coefficient"),
                               a.RequirePositive("tokens_exponent")};
  }
  return k;
}

laws::PowerLawFrontier ParseFrontier(const Object& c) {
  c.AllowOnly({"params_exponent",
               "tokens_exponent",
               "anchor_training_flops",
               "anchor_params"});
  laws::PowerLawFrontier f;
  f.params_exponent = c.RequirePositive("params_exponent");
  f.tokens_exponent = c.RequirePositive("tokens_exponent");
  if (f.params_exponent >= 1.0) c.Fail("params_exponent", "must be below 1");
  if (f.tokens_exponent >= 1.0) c.Fail("tokens_exponent", "must be below 1");
  if (std::fabs(f.params_exponent + f.tokens_exponent - 1.0) >
      kExponentSumTolerance) {
    c.Fail("tokens_exponent",
           "params_exponent + tokens_exponent must be 1 (C = 6ND)");
  }
  f.anchor_flops = c.RequirePositive("anchor_training_flops");
  f.params_at_anchor = c.RequirePositive("anchor_params");
  f.tokens_at_anchor =
      f.anchor_flops / (kFlopsPerParamToken * f.params_at_anchor);
  return f;
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

ordered_json RangeJson(double lo, double hi) {
  return ordered_json::array({lo, hi});
}

}  // namespace

laws::Law LawFromJson(std::string_view text, std::string_view source) {
  const json doc = ParseJson(text, source);
  const Object top(doc, std::string(source), "");
  top.AllowOnly({"name",
                 "form",
                 "constants",
                 "param_count",
                 "loss_units",
                 "dataset",
                 "citation",
                 "notes",
                 "fitted_range",
                 "published_optima"});
  laws::LawInfo info;
  info.name = top.RequireString("name");
  for (char ch : info.name) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                    (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' ||
                    ch == '.';
    if (!ok)
      top.Fail("name", "may contain only letters, digits, '_', '-' and '.'");
  }
  const std::string form = top.RequireString("form");
  if (form != "chinchilla" && form != "kaplan" && form != "frontier") {
    top.Fail("form",
             "unknown form '" + Excerpt(form) +
                 "' (valid: chinchilla, kaplan, frontier)");
  }
  info.param_count = laws::ParseParamCount(
      top.RequireString("param_count"), source, "param_count");
  info.loss_units = form == "frontier" ? top.StringOr("loss_units", "")
                                       : top.RequireString("loss_units");
  info.dataset = top.RequireString("dataset");
  info.citation = top.RequireString("citation");
  info.notes = top.StringOr("notes", "");
  if (top.Has("fitted_range"))
    info.fitted_range = ParseFittedRange(top.Child("fitted_range"));
  if (top.Has("published_optima"))
    info.published_optima = ParsePublishedOptima(top);

  const Object constants = top.Child("constants");
  if (form == "chinchilla")
    return laws::Law(std::move(info), ParseChinchilla(constants));
  if (form == "kaplan")
    return laws::Law(std::move(info), ParseKaplan(constants));
  return laws::Law(std::move(info), ParseFrontier(constants));
}

std::string LawToJson(const laws::Law& law) {
  const laws::LawInfo& info = law.info();
  ordered_json doc;
  doc["name"] = info.name;
  doc["form"] = std::string(laws::ToString(law.form()));
  ordered_json c;
  if (const laws::ChinchillaForm* f = law.chinchilla()) {
    c["E"] = f->E;
    c["A"] = f->A;
    c["B"] = f->B;
    c["alpha"] = f->alpha;
    c["beta"] = f->beta;
  } else if (const laws::KaplanLaw* k = law.kaplan()) {
    const laws::KaplanConstants& kc = k->constants();
    c["joint"] = {{"alpha_n", kc.joint.alpha_n},
                  {"alpha_d", kc.joint.alpha_d},
                  {"n_c", kc.joint.n_c},
                  {"d_c", kc.joint.d_c}};
    if (kc.params_law) {
      c["params_law"] = {{"alpha_n", kc.params_law->alpha_n},
                         {"n_c", kc.params_law->n_c}};
    }
    if (kc.data_law)
      c["data_law"] = {{"alpha_d", kc.data_law->alpha_d},
                       {"d_c", kc.data_law->d_c}};
    if (kc.compute_law) {
      c["compute_law"] = {{"alpha_c_min", kc.compute_law->alpha_c_min},
                          {"c_c_pf_days", kc.compute_law->c_c_pf_days}};
    }
    if (kc.allocation) {
      c["allocation"] = {
          {"params_coefficient", kc.allocation->params_coefficient},
          {"params_exponent", kc.allocation->params_exponent},
          {"tokens_coefficient", kc.allocation->tokens_coefficient},
          {"tokens_exponent", kc.allocation->tokens_exponent}};
    }
  } else if (const laws::PowerLawFrontier* p = law.frontier()) {
    c["params_exponent"] = p->params_exponent;
    c["tokens_exponent"] = p->tokens_exponent;
    c["anchor_training_flops"] = p->anchor_flops;
    c["anchor_params"] = p->params_at_anchor;
  }
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
  return doc.dump(2) + "\n";
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

laws::Law LoadLaw(std::string_view name_or_path, const InputLocation& where) {
  if (const laws::Law* law = BuiltinLaws().Find(name_or_path)) return *law;
  const std::string path(name_or_path);
  // Any existing path is read as a law file (a FIFO from `<(...)` too):
  // ReadTextFile refuses directories and files beyond its size limit.
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    std::string names;
    for (const std::string& n : BuiltinLaws().Names())
      names += (names.empty() ? "" : ", ") + n;
    throw InvalidInput(where,
                       "unknown law '" + path + "': neither a built-in law (" +
                           names + ") nor a law file");
  }
  return LawFromJson(ReadTextFile(path), path);
}

}  // namespace scalesim::io

#include "scalesim/io/hardware_io.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <string>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "scalesim/core/error.hpp"
#include "scalesim/core/names.hpp"
#include "scalesim/core/units.hpp"
#include "scalesim/io/embedded.hpp"
#include "scalesim/io/files.hpp"

#include "io/json_text.hpp"

namespace scalesim::io {
namespace {

using json = nlohmann::json;

constexpr const char* kCatalogPath = "hardware/catalog.json";
constexpr double kBytesPerGbPerSecond = 1e9;

json Parse(std::string_view text, const std::string& source) {
  return internal::ParseJsonText(text, source);
}

std::string Show(const json& v) { return internal::ShowJson(v); }

// Typed reads from one JSON object; errors name the source and the field
// path ("devices[2].memory_gib").
class Reader {
 public:
  Reader(const json& obj, std::string source, std::string prefix)
      : obj_(obj), source_(std::move(source)), prefix_(std::move(prefix)) {}

  [[noreturn]] void Fail(const std::string& key,
                         const std::string& problem) const {
    throw InvalidInput(InputLocation{source_, 0, prefix_ + key}, problem);
  }

  void OnlyKeys(std::initializer_list<const char*> keys) const {
    for (auto it = obj_.begin(); it != obj_.end(); ++it) {
      const bool known =
          std::any_of(keys.begin(), keys.end(), [&](const char* k) {
            return it.key() == k;
          });
      if (!known) Fail(Excerpt(it.key()), "unknown field");
    }
  }

  const json* Find(const char* key) const {
    auto it = obj_.find(key);
    return it == obj_.end() || it->is_null() ? nullptr : &*it;
  }

  std::optional<std::string> Str(const char* key, bool required) const {
    const json* v = Find(key);
    if (v == nullptr) {
      if (required) Fail(key, "missing required field");
      return std::nullopt;
    }
    if (!v->is_string()) Fail(key, "must be a string, got " + Show(*v));
    std::string s = v->get<std::string>();
    if (required && s.empty()) Fail(key, "must not be empty");
    return s;
  }

  // A finite number > 0 (>= 0 when `allow_zero`).
  std::optional<double> Number(const char* key,
                               bool required,
                               bool allow_zero = false) const {
    const json* v = Find(key);
    if (v == nullptr) {
      if (required) Fail(key, "missing required field");
      return std::nullopt;
    }
    if (!v->is_number()) Fail(key, "must be a number, got " + Show(*v));
    const double d = v->get<double>();
    if (!std::isfinite(d) || d < 0.0 || (d == 0.0 && !allow_zero)) {
      Fail(key,
           std::string("must be ") +
               (allow_zero ? "non-negative" : "positive") + ", got " +
               Show(*v));
    }
    return d;
  }

  // A fraction in (0, 1].
  std::optional<double> Fraction(const char* key) const {
    const std::optional<double> d = Number(key, false);
    if (d && *d > 1.0) Fail(key, "must be in (0, 1], got " + Show(*Find(key)));
    return d;
  }

  // A whole number >= 1.
  std::optional<std::int64_t> Count(const char* key, bool required) const {
    const std::optional<double> d = Number(key, required);
    if (!d) return std::nullopt;
    if (*d != std::floor(*d) || *d > 1e9)
      Fail(key, "must be a whole number in [1, 1e9], got " + Show(*Find(key)));
    return static_cast<std::int64_t>(*d);
  }

  // The object under `key`, or nullptr when absent.
  const json* Object(const char* key) const {
    const json* v = Find(key);
    if (v != nullptr && !v->is_object()) Fail(key, "must be an object");
    return v;
  }

 private:
  const json& obj_;
  std::string source_;
  std::string prefix_;
};

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char ch) {
    return static_cast<char>(std::tolower(ch));
  });
  return out;
}

constexpr double kSecondsPerMicrosecond = 1e-6;

// "network": the two tiers (model::Network); all six fields required.
model::Network ParseNetwork(const json& obj,
                            const std::string& source,
                            const std::string& prefix) {
  const Reader r(obj, source, prefix + ".");
  r.OnlyKeys({"scale_up_domain",
              "scale_up_gb_per_s",
              "scale_up_latency_us",
              "scale_out_gb_per_s",
              "scale_out_latency_us",
              "source"});
  model::Network n;
  n.scale_up_domain = *r.Count("scale_up_domain", true);
  n.scale_up_bytes_per_second =
      *r.Number("scale_up_gb_per_s", true) * kBytesPerGbPerSecond;
  n.scale_up_latency_seconds =
      *r.Number("scale_up_latency_us", true, true) * kSecondsPerMicrosecond;
  n.scale_out_bytes_per_second =
      *r.Number("scale_out_gb_per_s", true) * kBytesPerGbPerSecond;
  n.scale_out_latency_seconds =
      *r.Number("scale_out_latency_us", true, true) * kSecondsPerMicrosecond;
  n.source = *r.Str("source", true);
  return n;
}

// "efficiency": achieved fractions (model::Efficiency), each optional.
model::Efficiency ParseEfficiency(const json& obj,
                                  const std::string& source,
                                  const std::string& prefix) {
  const Reader r(obj, source, prefix + ".");
  r.OnlyKeys({"matmul",
              "matmul_fp8",
              "attention",
              "memory",
              "decode_memory",
              "scale_up",
              "scale_out",
              "source"});
  model::Efficiency e;
  e.matmul = r.Fraction("matmul");
  e.matmul_fp8 = r.Fraction("matmul_fp8");
  e.attention = r.Fraction("attention");
  e.memory = r.Fraction("memory");
  e.decode_memory = r.Fraction("decode_memory");
  e.scale_up = r.Fraction("scale_up");
  e.scale_out = r.Fraction("scale_out");
  e.source = *r.Str("source", true);
  return e;
}

model::Device ParseDevice(const json& obj,
                          const std::string& source,
                          const std::string& prefix) {
  if (!obj.is_object())
    throw InvalidInput(InputLocation{source, 0, prefix}, "must be an object");
  const Reader r(obj, source, prefix + ".");
  r.OnlyKeys({"name",
              "description",
              "peak_tflops",
              "memory_gib",
              "memory_bandwidth_gb_per_s",
              "price_per_hour_usd",
              "source",
              "power",
              "network",
              "efficiency"});
  model::Device d;
  d.name = *r.Str("name", true);
  d.description = r.Str("description", false).value_or("");
  d.source = *r.Str("source", true);
  const double gib = *r.Number("memory_gib", true);
  if (gib * units::kBytesPerGiB > 9.0e18) r.Fail("memory_gib", "too large");
  d.memory_bytes =
      static_cast<std::int64_t>(std::llround(gib * units::kBytesPerGiB));
  d.memory_bandwidth_bytes_per_second =
      r.Number("memory_bandwidth_gb_per_s", false, true).value_or(0.0) *
      kBytesPerGbPerSecond;
  d.price_per_hour_usd = r.Number("price_per_hour_usd", false, true);
  if (const json* peaks = r.Find("peak_tflops")) {
    if (!peaks->is_object()) r.Fail("peak_tflops", "must be an object");
    const Reader p(*peaks, source, prefix + ".peak_tflops.");
    p.OnlyKeys({"fp32", "tf32", "bf16", "fp8", "int8"});
    d.peak_tflops_fp32 = p.Number("fp32", false);
    d.peak_tflops_tf32 = p.Number("tf32", false);
    d.peak_tflops_bf16 = p.Number("bf16", false);
    d.peak_tflops_fp8 = p.Number("fp8", false);
    d.peak_tflops_int8 = p.Number("int8", false);
  }
  if (const json* power = r.Object("power")) {
    const Reader p(*power, source, prefix + ".power.");
    p.OnlyKeys({"tdp_watts", "source"});
    d.tdp_watts = p.Number("tdp_watts", true);
    d.tdp_source = *p.Str("source", true);
  }
  if (const json* network = r.Object("network"))
    d.network = ParseNetwork(*network, source, prefix + ".network");
  if (const json* efficiency = r.Object("efficiency"))
    d.efficiency = ParseEfficiency(*efficiency, source, prefix + ".efficiency");
  return d;
}

}  // namespace

std::vector<model::Device> CatalogFromJson(std::string_view text,
                                           std::string_view source_view) {
  const std::string source(source_view);
  const json doc = Parse(text, source);
  if (!doc.is_object())
    throw InvalidInput(InputLocation{source, 0, ""}, "expected a JSON object");
  const Reader top(doc, source, "");
  top.OnlyKeys({"format", "units", "devices"});
  const json* devices = top.Find("devices");
  if (devices == nullptr) top.Fail("devices", "missing required field");
  if (!devices->is_array() || devices->empty())
    top.Fail("devices", "must be a non-empty list");
  std::vector<model::Device> out;
  out.reserve(devices->size());
  // Names compared case-insensitively, in a hash set: linear in the number
  // of devices (a pairwise check took 15 s for 20,000 devices).
  std::unordered_set<std::string> names;
  names.reserve(devices->size());
  for (std::size_t i = 0; i < devices->size(); ++i) {
    const std::string prefix = "devices[" + std::to_string(i) + "]";
    model::Device d = ParseDevice((*devices)[i], source, prefix);
    if (!names.insert(Lower(d.name)).second) {
      throw InvalidInput(InputLocation{source, 0, prefix + ".name"},
                         "duplicate device name '" + Excerpt(d.name) + "'");
    }
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<model::Device> LoadCatalog() {
  const auto text = EmbeddedData(kCatalogPath);
  if (!text)
    throw InvalidInput(InputLocation{kCatalogPath, 0, ""},
                       "not compiled into this binary");
  return CatalogFromJson(*text, std::string("data/") + kCatalogPath);
}

std::vector<model::Device> LoadCatalogFile(const std::string& path) {
  return CatalogFromJson(ReadTextFile(path), path);
}

std::vector<model::Device> LoadCatalog(const CatalogOptions& options) {
  return options.catalog ? LoadCatalogFile(*options.catalog) : LoadCatalog();
}

std::string CatalogName(const CatalogOptions& options) {
  return options.catalog.value_or(std::string("data/") + kCatalogPath);
}

const model::Device& FindDevice(const std::vector<model::Device>& catalog,
                                std::string_view name,
                                const InputLocation& where) {
  const std::string wanted = Lower(name);
  for (const model::Device& d : catalog) {
    if (Lower(d.name) == wanted) return d;
  }
  // A catalog of thousands of devices is not listed in full.
  constexpr std::size_t kMaxListed = 30;
  std::string valid;
  std::vector<std::string> names;
  for (const model::Device& d : catalog) names.push_back(d.name);
  for (std::size_t i = 0; i < catalog.size() && i < kMaxListed; ++i)
    valid += (valid.empty() ? "" : ", ") + Excerpt(catalog[i].name);
  if (catalog.size() > kMaxListed) {
    valid += ", ... (" + std::to_string(catalog.size() - kMaxListed) +
             " more: scalesim hardware lists them)";
  }
  throw InvalidInput(where, "unknown device '" + Excerpt(name) + "'" +
                                DidYouMean(name, names) + " (valid: " +
                                valid + ")");
}

std::vector<model::Device> CatalogOf(const DeviceSelection& selection) {
  return LoadCatalog(selection.catalog);
}

std::optional<model::Device> SelectedDevice(const DeviceSelection& selection) {
  if (!selection.device) return std::nullopt;
  return FindDevice(CatalogOf(selection), *selection.device);
}

model::Device ResolveDevice(const DeviceSelection& selection) {
  if (!selection.device) {
    throw InvalidInput(InputLocation{"", 0, "device"},
                       "missing: name a device (scalesim hardware lists them)");
  }
  return *SelectedDevice(selection);
}

}  // namespace scalesim::io

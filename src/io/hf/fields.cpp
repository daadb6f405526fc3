#include "io/hf/fields.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include "scalesim/core/error.hpp"

#include "io/json_text.hpp"

namespace scalesim::io::hf {

Fields::Fields(const json& obj, std::string source, std::string prefix)
    : obj_(&obj),
      source_(std::move(source)),
      prefix_(std::move(prefix)),
      names_(std::make_shared<KeyNames>()) {}

std::string Fields::Show(const json& v) { return internal::ShowJson(v); }

void Fields::Fail(std::string_view key, std::string_view problem) const {
  throw InvalidInput(InputLocation{source_, 0, prefix_ + std::string(key)},
                     problem);
}

const json* Fields::Find(std::initializer_list<const char*> keys,
                         std::string* found) const {
  for (const char* k : keys) {
    auto it = obj_->find(k);
    if (it != obj_->end() && !it->is_null()) {
      if (found != nullptr) *found = k;
      return &*it;
    }
  }
  return nullptr;
}

bool Fields::Has(const char* key) const { return obj_->contains(key); }

bool Fields::IsNull(const char* key) const {
  auto it = obj_->find(key);
  return it != obj_->end() && it->is_null();
}

std::optional<std::int64_t> Fields::Int(
    std::initializer_list<const char*> keys) const {
  std::string key;
  const json* v = Find(keys, &key);
  if (v == nullptr) return std::nullopt;
  if (v->is_number_integer()) {
    // An unsigned value above 2^63 - 1 is not an int64.
    if (v->is_number_unsigned() &&
        v->get<std::uint64_t>() >
            static_cast<std::uint64_t>(
                std::numeric_limits<std::int64_t>::max())) {
      Fail(key, "must be an integer below 2^63, got " + Show(*v));
    }
    return v->get<std::int64_t>();
  }
  if (v->is_number_float()) {
    const double d = v->get<double>();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e18) {
      return static_cast<std::int64_t>(d);
    }
  }
  Fail(key, "must be an integer, got " + Show(*v));
}

std::int64_t Fields::RequireInt(std::initializer_list<const char*> keys) const {
  auto v = Int(keys);
  if (!v) Fail(*keys.begin(), "missing required field");
  return *v;
}

std::int64_t Fields::IntOr(std::initializer_list<const char*> keys,
                           std::int64_t fallback) const {
  return Int(keys).value_or(fallback);
}

bool Fields::BoolOr(std::initializer_list<const char*> keys,
                    bool fallback) const {
  std::string key;
  const json* v = Find(keys, &key);
  if (v == nullptr) return fallback;
  if (!v->is_boolean()) Fail(key, "must be true or false, got " + Show(*v));
  return v->get<bool>();
}

std::optional<std::string> Fields::Str(
    std::initializer_list<const char*> keys) const {
  std::string key;
  const json* v = Find(keys, &key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) Fail(key, "must be a string, got " + Show(*v));
  return v->get<std::string>();
}

const json* Fields::List(const char* key, const char* of) const {
  const json* v = Find({key});
  if (v == nullptr) return nullptr;
  if (!v->is_array()) Fail(key, std::string("must be a list of ") + of);
  if (v->size() > kMaxListLength) {
    Fail(key,
         "lists at most " + std::to_string(kMaxListLength) + " entries, got " +
             std::to_string(v->size()));
  }
  return v;
}

std::vector<std::int64_t> Fields::IntList(const char* key) const {
  std::vector<std::int64_t> out;
  const json* v = List(key, "integers");
  if (v == nullptr) return out;
  for (const json& e : *v) {
    if (!e.is_number_integer() ||
        (e.is_number_unsigned() &&
         e.get<std::uint64_t>() >
             static_cast<std::uint64_t>(
                 std::numeric_limits<std::int64_t>::max()))) {
      Fail(key, "must be a list of integers");
    }
    out.push_back(e.get<std::int64_t>());
  }
  return out;
}

std::vector<std::string> Fields::StrList(const char* key) const {
  std::vector<std::string> out;
  const json* v = List(key, "strings");
  if (v == nullptr) return out;
  for (const json& e : *v) {
    if (!e.is_string()) Fail(key, "must be a list of strings");
    out.push_back(e.get<std::string>());
  }
  return out;
}

void Fields::Name(std::string_view field, std::string_view key) const {
  (*names_)[std::string(field)] = prefix_ + std::string(key);
}

std::int64_t Fields::Require(std::string_view field,
                             std::initializer_list<const char*> keys) const {
  std::string key;
  Find(keys, &key);
  Name(field, key.empty() ? *keys.begin() : key);
  return RequireInt(keys);
}

std::int64_t Fields::Or(std::string_view field,
                        std::initializer_list<const char*> keys,
                        std::int64_t fallback) const {
  std::string key;
  Find(keys, &key);
  Name(field, key.empty() ? *keys.begin() : key);
  const std::optional<std::int64_t> v = Int(keys);
  // scalesim reads n_kv_heads 0 as "as many as the query heads": a config
  // that says 0 (or less) is wrong, not that.
  if (v && *v <= 0 && field == "n_kv_heads")
    Fail(key, "must be a positive integer, got " + std::to_string(*v));
  return v.value_or(fallback);
}

std::int64_t Fields::Times(std::int64_t factor,
                           std::string_view field,
                           std::int64_t value,
                           std::string_view what) const {
  std::int64_t out = 0;
  if (__builtin_mul_overflow(factor, value, &out)) {
    const auto it = names_->find(field);
    const std::string key = it != names_->end() ? it->second : std::string(field);
    throw InvalidInput(
        InputLocation{source_, 0, key},
        std::string(what) + " = " + std::to_string(factor) + " * " +
            std::to_string(value) + " overflows a 64-bit integer");
  }
  return out;
}

std::optional<Fields> Fields::Object(const char* key) const {
  const json* v = Find({key});
  if (v == nullptr) return std::nullopt;
  if (!v->is_object()) Fail(key, "must be an object, got " + Show(*v));
  Fields nested(*v, source_, prefix_ + key + ".");
  nested.names_ = names_;
  return nested;
}

Fields Fields::ObjectOrEmpty(const char* key) const {
  static const json kEmpty = json::object();
  if (std::optional<Fields> nested = Object(key)) return *nested;
  Fields empty(kEmpty, source_, prefix_ + key + ".");
  empty.names_ = names_;
  return empty;
}

}  // namespace scalesim::io::hf

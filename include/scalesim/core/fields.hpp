// Fields: every public option is declared once, where its options struct is.
//
// An options struct lists its public fields in a member template
//
//   template <class V> void VisitFields(V&& v) {
//     v(seq_len, {.name = "seq_len", .help = "tokens per sequence",
//                 .unit = "tokens", .min = 1, .max = 1e7});
//     v(recompute, {.name = "recompute", .help = "..."}, kRecomputeNames);
//     inner.VisitFields(v);   // nested options
//   }
//
// (the way gemma.cpp's ArgsBase visits its fields). Every front end binds the
// same declaration: the CLI makes `--seq-len` of it (the name in kebab case),
// the Python module a keyword `seq_len`, docs/cli.md lists it, and
// ValidateFields() checks each numeric field against its range. Library
// validation names a bad field by `name`, so the CLI can say which flag was
// wrong without a second table.
//
// Field types a visitor handles: std::int64_t, double, bool, std::string,
// std::optional of those, std::vector<double>, std::vector<std::string> and
// enums with an EnumNames table (core/enum_names.hpp), plain or optional.
#ifndef SCALESIM_CORE_FIELDS_HPP_
#define SCALESIM_CORE_FIELDS_HPP_

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "scalesim/core/enum_names.hpp"

namespace scalesim {

struct FieldInfo {
  // snake_case public name: CLI flag --kebab-case, Python keyword, docs.
  std::string_view name;
  std::string_view help;
  std::string_view unit = {};  // "FLOPs", "tokens", "bytes", "s", ...
  // Valid range of a numeric field (and of each element of a list),
  // inclusive unless min_exclusive is set; non-finite values are never
  // valid. Checked on input by every front end and by ValidateFields.
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_exclusive = false;
  // What --help shows as the default when the member's value is not it
  // ("the model's, at most 4096"); empty: the value itself (none for an
  // empty optional).
  std::string_view default_text = {};
  // The name a lower layer uses for the same value in its errors (model::
  // Validate says "n_layers" where the flag is --layers); empty: `name`.
  std::string_view alias = {};
  // A flag that takes no value (bool only): --sequence-parallel.
  bool is_switch = false;
  // A switch whose member defaults to true is the flag --no-<name>; its
  // help when `help` says what the switch turns on (empty: `help`).
  std::string_view off_help = {};
  // 0 stands for "derive the default" (seq_len 0: the model's context, at
  // most 4096): ValidateFields accepts 0 although it is below `min`; a user
  // who types 0 is still told the range.
  bool zero_is_default = false;
};

// Whether `value` lies in the declared range of `info`.
bool InFieldRange(double value, const FieldInfo& info);
// The problem text of a value outside the declared range, in the words of
// every scalesim message: "must be a positive integer, got 0", "must be a
// positive finite number, got -1", "must be in [1, 1e+07], got 0".
std::string RangeProblem(double value, const FieldInfo& info, bool integer);
// The declared range as --help and docs/cli.md show it: "[1, 1e+07]",
// "(0, 1]", "> 0", ">= 0", "<= 1"; empty when the field declares none.
std::string RangeText(const FieldInfo& info);
// Throws InvalidInput naming info.name when `value` is outside the range.
void CheckFieldRange(double value, const FieldInfo& info, bool integer);

namespace internal {

template <typename T>
struct IsOptional : std::false_type {};
template <typename T>
struct IsOptional<std::optional<T>> : std::true_type {};

// Checks the numeric fields of one options struct (a visitor).
struct RangeChecker {
  template <typename T>
  void operator()(const T& value, const FieldInfo& info) const {
    if constexpr (std::is_same_v<T, std::int64_t>) {
      if (info.zero_is_default && value == 0) return;
      CheckFieldRange(static_cast<double>(value), info, true);
    } else if constexpr (std::is_same_v<T, double>) {
      CheckFieldRange(value, info, false);
    } else if constexpr (std::is_same_v<T, std::vector<double>>) {
      for (double v : value) CheckFieldRange(v, info, false);
    } else if constexpr (IsOptional<T>::value) {
      if (value) (*this)(*value, info);
    }
  }
  template <typename T, typename Names>
  void operator()(const T& /*value*/,
                  const FieldInfo& /*info*/,
                  const Names& /*names*/) const {}
};

}  // namespace internal

// Checks every numeric field of `options` against its declared range;
// throws InvalidInput naming the first bad field. `options` is taken by
// value: VisitFields is a non-const member template.
template <typename Options>
void ValidateFields(Options options) {
  options.VisitFields(internal::RangeChecker{});
}

}  // namespace scalesim

#endif  // SCALESIM_CORE_FIELDS_HPP_

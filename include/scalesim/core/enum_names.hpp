// Names of enumerators for flags and files: one table per enum, parsed and
// printed by the two helpers below.
#ifndef SCALESIM_CORE_ENUM_NAMES_HPP_
#define SCALESIM_CORE_ENUM_NAMES_HPP_

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "scalesim/core/error.hpp"

namespace scalesim {

template <typename Enum, std::size_t N>
using EnumNames = std::array<std::pair<std::string_view, Enum>, N>;

// The enumerator named `text`; throws InvalidInput naming `field` and listing
// the valid names otherwise.
template <typename Enum, std::size_t N>
Enum ParseEnumName(std::string_view text,
                   const EnumNames<Enum, N>& names,
                   std::string_view field) {
  for (const auto& [name, value] : names) {
    if (name == text) return value;
  }
  std::string valid;
  for (const auto& [name, value] : names) {
    if (!valid.empty()) valid += ", ";
    valid += name;
  }
  throw InvalidInput(
      InputLocation{"", 0, std::string(field)},
      "unknown value '" + Excerpt(text) + "' (valid: " + valid + ")");
}

// The first name of `value` in the table ("?" if absent).
template <typename Enum, std::size_t N>
std::string_view EnumName(Enum value, const EnumNames<Enum, N>& names) {
  for (const auto& [name, v] : names) {
    if (v == value) return name;
  }
  return "?";
}

}  // namespace scalesim

#endif  // SCALESIM_CORE_ENUM_NAMES_HPP_

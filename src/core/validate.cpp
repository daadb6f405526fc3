#include "scalesim/core/validate.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

#include "scalesim/core/error.hpp"

namespace scalesim {

std::string NumberText(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  constexpr std::ptrdiff_t kSignificantDigits = 17;
  std::array<char, 32> buf{};
  char* first = buf.data();
  char* last = std::to_chars(first, first + buf.size(), value).ptr;
  const std::ptrdiff_t digits = last - first - (value < 0 ? 1 : 0);
  if (digits > kSignificantDigits && std::find_if(first, last, [](char c) {
                                       return c == '.' || c == 'e';
                                     }) == last) {
    last = std::to_chars(
               first, first + buf.size(), value, std::chars_format::scientific)
               .ptr;
  }
  return std::string(first, last);
}

std::string ScientificText(double value) {
  if (!std::isfinite(value)) return NumberText(value);
  if (value == 0.0) return "0";
  std::array<char, 48> buf{};
  std::snprintf(buf.data(), buf.size(), "%.2e", value);  // "3.14e+23"
  std::string s(buf.data());
  const auto e = s.find('e');
  std::string mantissa = s.substr(0, e);
  std::string exponent = s.substr(e + 1);
  if (exponent[0] == '+') exponent.erase(0, 1);
  const bool neg = exponent[0] == '-';
  if (neg) exponent.erase(0, 1);
  while (exponent.size() > 1 && exponent[0] == '0') exponent.erase(0, 1);
  return mantissa + "e" + (neg ? "-" : "") + exponent;
}

std::string GroupedDigits(std::int64_t value) {
  const bool negative = value < 0;
  // Work on the unsigned magnitude so INT64_MIN formats too.
  const std::uint64_t mag = negative ? 0 - static_cast<std::uint64_t>(value)
                                     : static_cast<std::uint64_t>(value);
  const std::string digits = std::to_string(mag);
  std::string out;
  const std::size_t n = digits.size();
  for (std::size_t i = 0; i < n; ++i) {
    out += digits[i];
    const std::size_t left = n - 1 - i;
    if (left > 0 && left % 3 == 0) out += ',';
  }
  return negative ? "-" + out : out;
}

void FailField(std::string_view field, std::string_view problem) {
  throw InvalidInput(InputLocation{"", 0, std::string(field)}, problem);
}

double RequirePositive(double value, std::string_view field) {
  if (!std::isfinite(value) || !(value > 0.0)) {
    FailField(field,
              "must be a positive finite number, got " + NumberText(value));
  }
  return value;
}

double RequireNonNegative(double value, std::string_view field) {
  if (!std::isfinite(value) || value < 0.0) {
    FailField(field, "must be a finite number >= 0, got " + NumberText(value));
  }
  return value;
}

double RequireFraction(double value, std::string_view field) {
  if (!(value > 0.0 && value <= 1.0)) {
    FailField(field, "must be a fraction in (0, 1], got " + NumberText(value));
  }
  return value;
}

std::int64_t RequirePositive(std::int64_t value, std::string_view field) {
  if (value <= 0) {
    FailField(field,
              "must be a positive integer, got " + std::to_string(value));
  }
  return value;
}

double RequireFiniteResult(double value,
                           std::string_view field,
                           std::string_view what) {
  if (!std::isfinite(value)) {
    FailField(
        field,
        "the " + std::string(what) + " it gives exceeds the range of a double");
  }
  return value;
}

}  // namespace scalesim

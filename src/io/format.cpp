#include "scalesim/io/format.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <string>

#include <fmt/compile.h>
#include <fmt/format.h>

#include "scalesim/core/validate.hpp"

namespace scalesim::io {
namespace {

// Three significant digits for a value in [1, 1000): "6.74", "67.4", "674".
std::string ThreeDigits(double v) {
  if (v >= 99.95) return fmt::format("{:.0f}", v);
  if (v >= 9.995) return fmt::format("{:.1f}", v);
  return fmt::format("{:.2f}", v);
}

std::string ScaledUnits(double value,
                        double base,
                        const std::array<const char*, 5>& units,
                        const char* sep) {
  if (!std::isfinite(value)) return fmt::format("{}", value);
  const double mag = std::fabs(value);
  std::size_t i = 0;
  double scaled = mag;
  while (i + 1 < units.size() && scaled >= base * 0.9995) {
    scaled /= base;
    ++i;
  }
  std::string digits = ThreeDigits(scaled);
  // "1000" after rounding moves up one unit.
  if (digits == "1000" && i + 1 < units.size()) {
    scaled /= base;
    ++i;
    digits = ThreeDigits(scaled);
  }
  return fmt::format("{}{}{}{}", value < 0 ? "-" : "", digits, sep, units[i]);
}

}  // namespace

std::string WithSeparators(std::int64_t value) { return GroupedDigits(value); }

std::string ShortCount(double value) {
  if (!std::isfinite(value)) return fmt::format("{}", value);
  if (std::fabs(value) >= 999.5e12) return Scientific(value);
  if (std::fabs(value) < 1000.0 && value == std::floor(value)) {
    return fmt::format("{:.0f}", value);
  }
  return ScaledUnits(value, 1000.0, {"", "K", "M", "B", "T"}, "");
}

std::string BinaryBytes(double bytes) {
  return ScaledUnits(bytes, 1024.0, {"B", "KiB", "MiB", "GiB", "TiB"}, " ");
}

std::string DecimalBytes(double bytes) {
  return ScaledUnits(bytes, 1000.0, {"B", "kB", "MB", "GB", "TB"}, " ");
}

std::string Scientific(double value) { return ScientificText(value); }

std::string Percent(double fraction, int decimals) {
  return fmt::format("{:.{}f}%", fraction * 100.0, decimals);
}

std::string Duration(double seconds) {
  if (!std::isfinite(seconds)) return fmt::format("{}", seconds);
  if (seconds >= 2.0 * 86400.0)
    return fmt::format("{:.1f} days", seconds / 86400.0);
  if (seconds >= 2.0 * 3600.0) return fmt::format("{:.1f} h", seconds / 3600.0);
  if (seconds >= 120.0) return fmt::format("{:.1f} min", seconds / 60.0);
  return fmt::format("{:.3g} s", seconds);
}

std::string Money(double usd) {
  if (!std::isfinite(usd)) return fmt::format("{}", usd);
  const std::string sign = usd < 0 ? "-" : "";
  const double mag = std::fabs(usd);
  if (mag >= 999.5) return sign + "$" + ShortCount(mag);
  if (mag >= 1.0 || mag == 0.0) return sign + "$" + fmt::format("{:.3g}", mag);
  return sign + "$" + fmt::format("{:.2g}", mag);
}

std::string Exact(double value) { return NumberText(value); }

char* CellTextTo(char* first, double value) {
  // fmt's shortest round-trip form: several times faster than libstdc++'s
  // std::to_chars here (docs/performance.md), which sweeps need.
  return fmt::format_to(first, FMT_COMPILE("{}"), value);
}

std::string CellText(double value) {
  std::array<char, 32> buf{};
  return std::string(buf.data(), CellTextTo(buf.data(), value));
}

}  // namespace scalesim::io

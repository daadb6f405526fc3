#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "scalesim/core/error.hpp"
#include "scalesim/sweep/sweep.hpp"

namespace scalesim::sweep {
namespace {

std::string Num(double v) {
  // Shortest text that reads back as v (messages only; sweep is below io).
  char buf[32];
  const std::to_chars_result r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

[[noreturn]] void Bad(std::string_view field, const std::string& problem) {
  throw InvalidInput(InputLocation{"", 0, std::string(field)}, problem);
}

std::int64_t ParseItem(std::string_view item, std::string_view field) {
  std::int64_t value = 0;
  const char* end = item.data() + item.size();
  const std::from_chars_result r = std::from_chars(item.data(), end, value);
  if (item.empty() || r.ec != std::errc() || r.ptr != end) {
    Bad(field, "expected a positive integer, got '" + std::string(item) + "'");
  }
  if (value <= 0) {
    Bad(field, "must be a positive integer, got " + std::to_string(value));
  }
  return value;
}

}  // namespace

std::vector<double> LogSpace(const LogRange& range) {
  for (const auto& [value, name] :
       {std::pair<double, const std::string&>{range.min, range.min_name},
        {range.max, range.max_name}}) {
    if (!(value > 0.0) || !std::isfinite(value)) {
      Bad(name, "must be a positive finite number, got " + Num(value));
    }
  }
  if (range.min > range.max) {
    Bad(range.min_name,
        "must not exceed " + range.max_name + " (" + Num(range.min) + " > " +
            Num(range.max) + ")");
  }
  if (range.points < 1 || range.points > kMaxRangePoints) {
    Bad(range.points_name,
        "must be between 1 and " + std::to_string(kMaxRangePoints) + ", got " +
            std::to_string(range.points));
  }
  if (range.points == 1) {
    if (range.min != range.max) {
      Bad(range.points_name,
          "1 point needs " + range.min_name + " equal to " + range.max_name);
    }
    return {range.min};
  }
  std::vector<double> out(static_cast<std::size_t>(range.points));
  const double log_min = std::log(range.min);
  const double step =
      (std::log(range.max) - log_min) / static_cast<double>(range.points - 1);
  for (std::int64_t i = 0; i < range.points; ++i) {
    out[static_cast<std::size_t>(i)] =
        std::exp(log_min + step * static_cast<double>(i));
  }
  // The ends exactly as given, not as exp(log(x)) rounds them.
  out.front() = range.min;
  out.back() = range.max;
  return out;
}

void RequirePositive(const std::vector<double>& values,
                     std::string_view field) {
  for (double v : values) {
    if (!(v > 0.0) || !std::isfinite(v))
      Bad(field, "must be a positive finite number, got " + Num(v));
  }
}

std::vector<std::int64_t> ParseIntegerList(std::string_view text,
                                           std::string_view field) {
  std::vector<std::int64_t> out;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    std::size_t end = text.find(',', begin);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view item = text.substr(begin, end - begin);
    const std::size_t c1 = item.find(':');
    if (c1 == std::string_view::npos) {
      out.push_back(ParseItem(item, field));
    } else {
      const std::size_t c2 = item.find(':', c1 + 1);
      const std::int64_t start = ParseItem(item.substr(0, c1), field);
      const std::int64_t stop = ParseItem(
          item.substr(c1 + 1,
                      c2 == std::string_view::npos ? std::string_view::npos
                                                   : c2 - c1 - 1),
          field);
      const std::int64_t step = c2 == std::string_view::npos
                                    ? 1
                                    : ParseItem(item.substr(c2 + 1), field);
      if (start > stop) {
        Bad(field, "range '" + std::string(item) + "' runs backwards");
      }
      if ((stop - start) / step + static_cast<std::int64_t>(out.size()) >=
          kMaxRangePoints) {
        Bad(field, "more than " + std::to_string(kMaxRangePoints) + " values");
      }
      for (std::int64_t v = start; v <= stop; v += step) {
        out.push_back(v);
        if (v > stop - step) break;  // no overflow past stop
      }
    }
    if (static_cast<std::int64_t>(out.size()) > kMaxRangePoints) {
      Bad(field, "more than " + std::to_string(kMaxRangePoints) + " values");
    }
    begin = end + 1;
  }
  if (out.empty()) Bad(field, "empty list");
  return out;
}

void CheckRowCount(double rows, const SweepLimits& limits) {
  if (rows > limits.max_rows) {
    Bad("max_rows",
        "the sweep asks for " + Num(rows) + " rows, more than the cap of " +
            Num(limits.max_rows) + " (raise --max-rows to run it)");
  }
}

std::int64_t CountLossLaws(const std::vector<laws::Law>& laws) {
  std::int64_t n = 0;
  for (const laws::Law& law : laws) n += law.loss_law() != nullptr ? 1 : 0;
  return n;
}

void RequireLossLaws(const std::vector<laws::Law>& laws,
                     bool explicit_laws,
                     const std::vector<double>& target_losses) {
  if (!explicit_laws) return;
  for (const laws::Law& law : laws) {
    const laws::LossLaw* l = law.loss_law();
    if (l == nullptr) {
      Bad("law",
          "law '" + law.name() +
              "' is a compute-optimal frontier and predicts no loss "
              "(scalesim sweep budget shows its frontier)");
    }
    for (double t : target_losses) {
      if (t <= l->IrreducibleLoss()) {
        Bad("target_loss",
            "law " + law.name() + ": target loss " + Num(t) +
                " is at or below its irreducible loss " +
                Num(l->IrreducibleLoss()));
      }
    }
  }
}

}  // namespace scalesim::sweep

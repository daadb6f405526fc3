#include "scalesim/laws/uncertainty.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

namespace scalesim::laws {

double PercentileType7(const std::vector<double>& sorted, double p) {
  assert(!sorted.empty() && p >= 0.0 && p <= 1.0);
  const double h = p * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

std::optional<DrawInterval> PercentileInterval(std::vector<double> values,
                                               double level) {
  assert(level > 0.0 && level < 1.0);
  const auto draws = static_cast<std::int64_t>(values.size());
  values.erase(std::remove_if(values.begin(),
                              values.end(),
                              [](double v) { return !std::isfinite(v); }),
               values.end());
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const double tail = (1.0 - level) / 2.0;
  DrawInterval out;
  out.low = PercentileType7(values, tail);
  out.high = PercentileType7(values, 1.0 - tail);
  out.used = static_cast<std::int64_t>(values.size());
  out.draws = draws;
  return out;
}

std::optional<DrawInterval> PercentileInterval(
    const Law& law,
    const std::function<double(const Law&)>& quantity,
    double level) {
  if (!law.has_draws()) return std::nullopt;
  std::vector<double> values;
  values.reserve(law.draws().size());
  for (std::size_t i = 0; i < law.draws().size(); ++i)
    values.push_back(quantity(law.Draw(i)));
  return PercentileInterval(std::move(values), level);
}

std::string IntervalNote(const std::vector<const Law*>& laws_with_draws) {
  std::string each;
  for (const Law* law : laws_with_draws) {
    each += (each.empty() ? "" : "; ") + law->name() + ": " +
            std::to_string(law->draws().size()) + " draws of " +
            std::to_string(law->draws().resamples) + " resamples, seed " +
            std::to_string(law->draws().seed);
  }
  return "95% intervals (*_ci95_low, *_ci95_high): the 2.5th and 97.5th "
         "percentiles (type 7) of the quantity under each bootstrap draw of "
         "the law's constants (" +
         each +
         "), draws where it has no finite value left out; they show the "
         "fit's uncertainty, not the spread of runs; empty for laws without "
         "draws";
}

}  // namespace scalesim::laws

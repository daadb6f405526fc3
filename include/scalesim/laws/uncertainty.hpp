// Uncertainty of a fitted law's predictions from its bootstrap draws
// (law.hpp LawDraws; Efron & Tibshirani 1993 Ch. 13): any scalar quantity
// of the law (the loss at (N, D), the compute-optimal N* and D* at C, ...)
// is evaluated under every draw, and its 95 % percentile interval is the
// 2.5th and 97.5th percentiles of those values, linearly interpolated
// between order statistics (Hyndman & Fan 1996 type 7, numpy's default;
// the same rule as the intervals of the constants, fit/bootstrap.hpp).
#ifndef SCALESIM_LAWS_UNCERTAINTY_HPP_
#define SCALESIM_LAWS_UNCERTAINTY_HPP_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "scalesim/core/schema.hpp"
#include "scalesim/laws/law.hpp"

namespace scalesim::laws {

inline constexpr double kIntervalLevel = 0.95;

// The percentile p in [0, 1] of `sorted` (ascending, non-empty), type 7:
// h = p (n - 1), x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
double PercentileType7(const std::vector<double>& sorted, double p);

// A percentile interval over a law's draws.
struct DrawInterval {
  double low = 0.0;
  double high = 0.0;
  // Draws whose value was finite (the interval uses these), of `draws`.
  std::int64_t used = 0;
  std::int64_t draws = 0;
};

// The central `level` percentile interval of `values` (one per draw, in
// any order), the non-finite ones left out; nullopt when none is finite.
std::optional<DrawInterval> PercentileInterval(std::vector<double> values,
                                               double level = kIntervalLevel);

// The central `level` percentile interval of quantity(draw) over the
// draws of `law` (Law::Draw), skipping draws where it is not finite (a
// solve that failed under that draw). nullopt when the law has no draws
// or no draw gives a finite value.
std::optional<DrawInterval> PercentileInterval(
    const Law& law,
    const std::function<double(const Law&)>& quantity,
    double level = kIntervalLevel);

// The two columns of a row's interval `member`, `<stem>_ci95_low<unit>` and
// `<stem>_ci95_high<unit>` ("loss", "_nats": loss_ci95_low_nats), empty
// where the row has none: every schema that prints an interval.
template <typename Row>
std::vector<Column<Row>> DrawIntervalColumns(
    const std::string& stem,
    const std::string& unit,
    CellKind kind,
    std::optional<DrawInterval> Row::*member) {
  return {{stem + "_ci95_low" + unit,
           kind,
           [member](const Row& r) {
             const std::optional<DrawInterval>& i = r.*member;
             return i ? CellValue{i->low} : CellValue{};
           }},
          {stem + "_ci95_high" + unit, kind, [member](const Row& r) {
             const std::optional<DrawInterval>& i = r.*member;
             return i ? CellValue{i->high} : CellValue{};
           }}};
}

// The note a report prints once for the laws with draws it used:
// "95% intervals (*_ci95_low, *_ci95_high): percentiles 2.5 and 97.5 (type
// 7) over the bootstrap draws of the law file (fit_x: 100 draws of 100
// resamples); empty for laws without draws".
std::string IntervalNote(const std::vector<const Law*>& laws_with_draws);

}  // namespace scalesim::laws

#endif  // SCALESIM_LAWS_UNCERTAINTY_HPP_

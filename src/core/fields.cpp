#include "scalesim/core/fields.hpp"

#include <cmath>
#include <string>

#include "scalesim/core/error.hpp"
#include "scalesim/core/validate.hpp"

namespace scalesim {

bool InFieldRange(double value, const FieldInfo& info) {
  if (!std::isfinite(value)) return false;
  if (info.min_exclusive ? !(value > info.min) : !(value >= info.min))
    return false;
  return value <= info.max;
}

std::string RangeText(const FieldInfo& info) {
  const bool has_min = std::isfinite(info.min);
  const bool has_max = std::isfinite(info.max);
  if (has_min && has_max)
    return std::string(info.min_exclusive ? "(" : "[") + NumberText(info.min) +
           ", " + NumberText(info.max) + "]";
  if (has_min)
    return std::string(info.min_exclusive ? "> " : ">= ") +
           NumberText(info.min);
  if (has_max) return "<= " + NumberText(info.max);
  return "";
}

std::string RangeProblem(double value, const FieldInfo& info, bool integer) {
  const bool has_min = std::isfinite(info.min);
  const bool has_max = std::isfinite(info.max);
  const std::string got = ", got " + NumberText(value);
  // The usual ranges in the words every scalesim message uses.
  if (integer && !info.min_exclusive && info.min == 1.0 && !(value > info.max))
    return "must be a positive integer" + got;
  if (integer && !info.min_exclusive && info.min == 0.0 && !(value > info.max))
    return "must not be negative" + got;
  if (!integer && info.min == 0.0 && !has_max)
    return info.min_exclusive ? "must be a positive finite number" + got
                              : "must be a finite number >= 0" + got;
  // A few whole values are listed: "must be 0, 1, 2 or 3".
  if (integer && has_min && has_max && !info.min_exclusive &&
      info.max - info.min < 6 && info.min == std::floor(info.min)) {
    std::string list;
    for (double v = info.min; v <= info.max; v += 1.0) {
      if (!list.empty()) list += v + 1.0 > info.max ? " or " : ", ";
      list += NumberText(v);
    }
    return "must be " + list + got;
  }
  std::string range = RangeText(info);
  if (range.empty())
    range = "a finite number";
  else if (has_min && has_max)
    range = "in " + range;
  return "must be " + std::string(integer ? "an integer " : "") + range + got;
}

void CheckFieldRange(double value, const FieldInfo& info, bool integer) {
  if (!InFieldRange(value, info))
    FailField(info.name, RangeProblem(value, info, integer));
}

}  // namespace scalesim

// Checks of option values, shared by every module: each names the field it
// checks (FieldInfo::name, core/fields.hpp) and throws InvalidInput with an
// empty source, which the front end turns into the flag or keyword the user
// gave. Library option structs call these from their Validate().
#ifndef SCALESIM_CORE_VALIDATE_HPP_
#define SCALESIM_CORE_VALIDATE_HPP_

#include <cstdint>
#include <string>
#include <string_view>

namespace scalesim {

// Shortest text that reads back as the same double (std::to_chars), for
// messages and notes ("1e+10"). A whole number of more than 17 digits is
// written in scientific form: its trailing digits carry no information.
std::string NumberText(double value);

// Scientific with three significant digits: 3.14e23 -> "3.14e23", 1e24 ->
// "1.00e24" (titles and notes; cells use io's formatting).
std::string ScientificText(double value);
// 6738415616 -> "6,738,415,616".
std::string GroupedDigits(std::int64_t value);

// Throws InvalidInput{field} with `problem`.
[[noreturn]] void FailField(std::string_view field, std::string_view problem);

// `value` if finite and > 0 ("must be a positive finite number, got -1").
double RequirePositive(double value, std::string_view field);
// `value` if finite and >= 0.
double RequireNonNegative(double value, std::string_view field);
// `value` if in (0, 1] ("must be a fraction in (0, 1], got 1.5").
double RequireFraction(double value, std::string_view field);
// `value` if > 0 ("must be a positive integer, got 0").
std::int64_t RequirePositive(std::int64_t value, std::string_view field);
// A derived quantity (a cost, a budget) that overflowed to inf or NaN
// comes from an extreme input: "the <what> it gives exceeds the range of a
// double", naming the input's field.
double RequireFiniteResult(double value,
                           std::string_view field,
                           std::string_view what);

}  // namespace scalesim

#endif  // SCALESIM_CORE_VALIDATE_HPP_

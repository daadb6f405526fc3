// Human-readable numbers for tables. CSV and JSON print exact values instead.
#ifndef SCALESIM_IO_FORMAT_HPP_
#define SCALESIM_IO_FORMAT_HPP_

#include <cstdint>
#include <string>

namespace scalesim::io {

// 6738415616 -> "6,738,415,616".
std::string WithSeparators(std::int64_t value);
// Short form with three significant digits and an SI-style suffix:
// 6738415616 -> "6.74B", 124439808 -> "124M", 560 -> "560". Suffixes K, M,
// B (1e9), T (1e12); beyond that scientific ("1.27e+15").
std::string ShortCount(double value);
// Bytes in binary units: 15032385536 -> "14.0 GiB" (KiB, MiB, GiB, TiB).
std::string BinaryBytes(double bytes);
// Bytes in SI units: 14e9 -> "14.0 GB" (kB, MB, GB, TB).
std::string DecimalBytes(double bytes);
// Scientific with three significant digits: 3.14e23 -> "3.14e23".
std::string Scientific(double value);
// A fraction as a percentage: 0.4621 -> "46.2%".
std::string Percent(double fraction, int decimals = 1);
// A duration in the largest sensible unit: "84.0 days", "3.2 h", "12 s".
std::string Duration(double seconds);
// Money in US dollars, three significant digits: "$1.40M", "$812",
// "$8.12", "$0.0042".
std::string Money(double usd);
// Shortest text that reads back as the same double (std::to_chars), for
// messages and notes ("--params 1e+10"). A whole number of more than 17
// digits is written in scientific form (1.0114765032737789e+20, not
// 101147650327377887232): its trailing digits carry no information.
std::string Exact(double value);
// The exact text of a number in a data cell (CSV, JSON, datasets): the
// shortest decimal that reads back as the same double (fmt, Dragonbox:
// Jeon 2020), in fixed notation for decimal exponents from -5 to 15 and
// scientific beyond (1000000000, 0.0001, 1e+16, 5.76e+23), so a cell never
// carries more than 17 significant digits and readers such as pandas never
// see an integer beyond 2^63. "nan", "inf", "-inf" for non-finite values.
std::string CellText(double value);
// CellText() into [first, first + 32): returns the end.
char* CellTextTo(char* first, double value);

}  // namespace scalesim::io

#endif  // SCALESIM_IO_FORMAT_HPP_

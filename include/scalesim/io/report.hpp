// Reports: what every command prints, independent of the output format.
//
// A command builds a Report (named tables of typed cells plus notes naming the
// conventions used) and hands it to a ReportWriter for the format the user
// chose. Writers take an injected std::ostream, as Google Benchmark's
// reporters do, so commands are testable in memory.
//   - table: human-readable numbers (6.74B, 14.0 GiB, 3.14e23), aligned;
//   - csv:   exact numbers; each table preceded by a "# <name>" line and
//            separated by a blank line; notes as "# note: ..." lines;
//   - json:  {"tables": {"<name>": [{"col": value, ...}, ...]}, "notes": [...]}
//            with exact numbers (integers as integers);
//   - markdown: the table format's human-readable numbers as GitHub-flavoured
//            Markdown tables (a "### title" line before each), notes as a
//            list (for results/ and documentation).
#ifndef SCALESIM_IO_REPORT_HPP_
#define SCALESIM_IO_REPORT_HPP_

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace scalesim::io {

// How a number is shown in a table (CSV and JSON always print it exactly).
enum class CellKind {
  kText,
  kInteger,     // exact, with separators: 6,738,415,616
  kCount,       // exact with short form: 6,738,415,616 (6.74B)
  kShortCount,  // short form only: 6.74B
  kReal,        // up to 6 significant digits
  kScientific,  // 3.14e23
  kBytes,       // 14.0 GiB (binary units)
  kBytesSI,     // 14.0 GB (decimal units)
  kPercent,     // fraction shown as 46.2%
  kSeconds,     // duration
};

struct Cell {
  std::variant<std::monostate, std::int64_t, double, std::string> value;
  CellKind kind = CellKind::kText;
};

Cell Text(std::string text);
Cell Integer(std::int64_t value);
Cell Count(std::int64_t value);
Cell ShortCountCell(double value);
Cell Real(double value);
Cell Sci(double value);
Cell Bytes(double value);
Cell BytesSI(double value);
Cell Fraction(double value);
Cell Seconds(double value);
Cell Empty();

struct Table {
  std::string name;   // machine name (CSV "# name", JSON key): snake_case
  std::string title;  // human title for the table format
  std::vector<std::string>
      columns;  // snake_case with units: training_flops, memory_bytes
  std::vector<std::vector<Cell>> rows;

  Table& AddRow(std::vector<Cell> row);
};

struct Report {
  std::vector<Table> tables;
  std::vector<std::string> notes;  // conventions and assumptions, one line each
};

enum class Format { kTable, kCsv, kJson, kMarkdown };
// "table", "csv", "json" or "markdown"; throws InvalidInput naming
// --format otherwise.
Format ParseFormat(std::string_view text);

class ReportWriter {
 public:
  virtual ~ReportWriter() = default;
  virtual void Write(const Report& report, std::ostream& out) const = 0;
};

std::unique_ptr<ReportWriter> MakeWriter(Format format);
// Convenience: MakeWriter(format)->Write(report, out).
void WriteReport(const Report& report, Format format, std::ostream& out);

}  // namespace scalesim::io

#endif  // SCALESIM_IO_REPORT_HPP_

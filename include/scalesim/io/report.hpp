// Reports: what every command prints, independent of the output format.
//
// A command builds a Report (named tables of typed cells plus notes naming the
// conventions used) and hands it to a ReportWriter for the format the user
// chose. Writers take an injected std::ostream, as Google Benchmark's
// reporters do, so commands are testable in memory.
//   - table: human-readable numbers (6.74B, 14.0 GiB, 3.14e23), aligned;
//   - csv:   exact numbers; each table preceded by a "# <name>" line and
//            separated by a blank line; notes as "# note: ..." lines;
//   - json:  {"scalesim_version": "0.1.0", "tables": {"<name>": [{"col":
//            value, ...}, ...]}, "notes": [...]} with exact numbers
//            (integers as integers);
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

#include "scalesim/core/schema.hpp"

namespace scalesim::io {

// How a number is shown in a table: core/schema.hpp.
using scalesim::CellKind;

struct Cell {
  CellValue value;
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
Cell Usd(double value);
Cell Empty();

struct Table {
  std::string name;   // machine name (CSV "# name", JSON key): snake_case
  std::string title;  // human title for the table format
  std::vector<std::string>
      columns;  // snake_case with units: training_flops, memory_bytes
  std::vector<std::vector<Cell>> rows;
  // A record is one row of named values (a plan, a step prediction): the
  // table and markdown formats show it vertically, one field per line;
  // CSV and JSON as any one-row table.
  bool record = false;

  Table& AddRow(std::vector<Cell> row);
};

// The rows of a schema as a table (values of failed rows left empty).
template <typename Row>
Table ToTable(const Schema<Row>& schema, const std::vector<Row>& rows) {
  Table t{schema.name, schema.title, schema.ColumnNames(), {}};
  t.rows.reserve(rows.size());
  for (const Row& row : rows) {
    std::vector<Cell> cells;
    cells.reserve(schema.columns.size());
    for (std::size_t j = 0; j < schema.columns.size(); ++j)
      cells.push_back(Cell{schema.ValueAt(j, row), schema.KindAt(j, row)});
    t.rows.push_back(std::move(cells));
  }
  return t;
}
// One row shown as a record.
template <typename Row>
Table ToRecord(const Schema<Row>& schema, const Row& row) {
  Table t = ToTable(schema, std::vector<Row>{row});
  t.record = true;
  return t;
}

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

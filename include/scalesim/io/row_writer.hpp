// Streaming writers for one table of many rows (sweeps): rows are written as
// they come, never held, so a sweep of millions of rows runs in constant
// memory. The formats match the Report writers (report.hpp):
//   - csv:   header line, one line per row with exact numbers
//            (io::CellText), then "# note: ..." lines;
//   - json:  {"tables": {"<name>": [{"col": value, ...}, ...]}, "notes": [...]}
//            (non-finite numbers as null);
//   - table / markdown: rows are buffered into a Report and written at
//            Finish() (human-readable numbers need the column widths), so
//            these formats are for sweeps a person reads, not for millions
//            of rows.
// Empty cells are "" in CSV and null in JSON.
#ifndef SCALESIM_IO_ROW_WRITER_HPP_
#define SCALESIM_IO_ROW_WRITER_HPP_

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "scalesim/core/schema.hpp"
#include "scalesim/io/report.hpp"

namespace scalesim::io {

class RowWriter {
 public:
  virtual ~RowWriter() = default;
  // A number shown as `kind` in tables (exact in CSV and JSON). NaN and
  // infinities are written as empty cells.
  virtual void Number(double value, CellKind kind) = 0;
  virtual void Integer(std::int64_t value, CellKind kind) = 0;
  virtual void Text(std::string_view text) = 0;
  virtual void Empty() = 0;
  virtual void EndRow() = 0;
  // Writes what is buffered and the notes. Call once, after the last row.
  virtual void Finish(const std::vector<std::string>& notes) = 0;
};

// `name` and `title` as in io::Table; `columns` snake_case with units.
std::unique_ptr<RowWriter> MakeRowWriter(Format format,
                                         std::ostream& out,
                                         std::string name,
                                         std::string title,
                                         std::vector<std::string> columns);

// A writer for the rows of `schema`.
template <typename Row>
std::unique_ptr<RowWriter> MakeRowWriter(Format format,
                                         std::ostream& out,
                                         const Schema<Row>& schema) {
  return MakeRowWriter(
      format, out, schema.name, schema.title, schema.ColumnNames());
}

// Writes one row of `schema` (empty cells for a failed row's values).
template <typename Row>
void WriteRow(RowWriter& w, const Schema<Row>& schema, const Row& row) {
  for (std::size_t j = 0; j < schema.columns.size(); ++j) {
    const CellKind kind = schema.KindAt(j, row);
    const CellValue v = schema.ValueAt(j, row);
    if (const auto* d = std::get_if<double>(&v)) {
      w.Number(*d, kind);
    } else if (const auto* i = std::get_if<std::int64_t>(&v)) {
      w.Integer(*i, kind);
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      w.Text(*s);
    } else {
      w.Empty();
    }
  }
  w.EndRow();
}

}  // namespace scalesim::io

#endif  // SCALESIM_IO_ROW_WRITER_HPP_

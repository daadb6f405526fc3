// Schemas: the columns of a result, declared once beside the result.
//
// A Schema<Row> names each column of a result row (snake_case with its unit:
// training_flops, weights_bytes, loss_nats), says how a person sees it
// (CellKind) and how to get its value from a row. Every writer (table,
// markdown, CSV, JSON, the streaming sweep writers) and the Python module
// read the same schema, the way Google Benchmark's reporters own the fields
// of a run: adding a column is one entry here plus its row in the docs.
//
// A failed row (Schema::ok false) shows only the columns marked `always`
// (its keys and its status); every other cell is empty (CSV "", JSON null),
// never a made-up number.
#ifndef SCALESIM_CORE_SCHEMA_HPP_
#define SCALESIM_CORE_SCHEMA_HPP_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace scalesim {

// How a value is shown in a table (CSV and JSON always print it exactly).
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
  kSeconds,     // duration: 28.5 days, 3.2 h, 12 s
  kUsd,         // money: $1.40M, $812, $0.0042
};

// An empty value (monostate) is an empty cell.
using CellValue =
    std::variant<std::monostate, std::int64_t, double, std::string>;

template <typename Row>
struct Column {
  std::string name;  // snake_case, unit suffix where it has one
  CellKind kind = CellKind::kText;
  std::function<CellValue(const Row&)> value;
  bool always = false;  // shown on failed rows (keys, status)
  // A kind per row where one column mixes them (a fit's constants: 0.34
  // beside 3.14e23); nullptr: `kind`.
  std::function<CellKind(const Row&)> kind_of = nullptr;
};

template <typename Row>
struct Schema {
  std::string name;   // machine name of the table (CSV "# name", JSON key)
  std::string title;  // human title
  std::vector<Column<Row>> columns;
  // Whether a row holds values; nullptr: every row does.
  std::function<bool(const Row&)> ok;

  Schema& Add(std::string column,
              CellKind kind,
              std::function<CellValue(const Row&)> value,
              bool always = false) {
    columns.push_back({std::move(column), kind, std::move(value), always});
    return *this;
  }
  // Appends `more` (a shared block such as the allocation columns).
  Schema& Append(const std::vector<Column<Row>>& more) {
    columns.insert(columns.end(), more.begin(), more.end());
    return *this;
  }
  std::vector<std::string> ColumnNames() const {
    std::vector<std::string> out;
    out.reserve(columns.size());
    for (const Column<Row>& c : columns) out.push_back(c.name);
    return out;
  }
  // How column `j` shows `row`.
  CellKind KindAt(std::size_t j, const Row& row) const {
    const Column<Row>& c = columns[j];
    return c.kind_of ? c.kind_of(row) : c.kind;
  }
  // The value of column `j` for `row`, empty on a failed row unless the
  // column is `always`.
  CellValue ValueAt(std::size_t j, const Row& row) const {
    const Column<Row>& c = columns[j];
    if (!c.always && ok && !ok(row)) return std::monostate{};
    return c.value(row);
  }
};

// The same columns read through a projection: the columns of a part (an
// allocation) used in a whole row that holds one.
template <typename Row, typename Part, typename Get>
std::vector<Column<Row>> Project(const std::vector<Column<Part>>& part,
                                 Get get) {
  std::vector<Column<Row>> out;
  out.reserve(part.size());
  for (const Column<Part>& c : part) {
    out.push_back({c.name,
                   c.kind,
                   [f = c.value, get](const Row& r) { return f(get(r)); },
                   c.always});
  }
  return out;
}

}  // namespace scalesim

#endif  // SCALESIM_CORE_SCHEMA_HPP_

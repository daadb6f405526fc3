#include "scalesim/io/row_writer.hpp"

#include <charconv>
#include <cmath>
#include <ostream>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "scalesim/core/error.hpp"
#include "scalesim/core/version.hpp"
#include "scalesim/io/format.hpp"

namespace scalesim::io {
namespace {

// Flush the text buffer to the stream at about this size: large enough that
// the ostream call costs nothing per row, small enough to stay in cache.
constexpr std::size_t kFlushBytes = 1 << 16;

void AppendNumber(std::string& buf, double value) {
  char tmp[32];
  buf.append(tmp, CellTextTo(tmp, value));
}

void AppendInteger(std::string& buf, std::int64_t value) {
  char tmp[24];
  const std::to_chars_result r = std::to_chars(tmp, tmp + sizeof tmp, value);
  buf.append(tmp, r.ptr);
}

// CSV and JSON: text appended to a buffer that goes to the stream in
// kFlushBytes pieces.
class StreamedRowWriter : public RowWriter {
 protected:
  explicit StreamedRowWriter(std::ostream& out) : out_(out) {
    buf_.reserve(kFlushBytes + 4096);
  }
  void FlushIfFull() {
    if (buf_.size() >= kFlushBytes) Flush();
  }
  // A failed write stops the sweep at once instead of computing on into a
  // stream that has lost the rows.
  void Flush() {
    out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    buf_.clear();
    if (!out_) {
      throw InvalidInput(InputLocation{"output", 0, ""},
                         "error while writing the rows");
    }
  }
  std::string buf_;

 private:
  std::ostream& out_;
};

class CsvRowWriter final : public StreamedRowWriter {
 public:
  CsvRowWriter(std::ostream& out, const std::vector<std::string>& columns)
      : StreamedRowWriter(out) {
    for (const std::string& c : columns) Text(c);
    EndRow();
  }
  void Number(double value, CellKind /*kind*/) override {
    Separate();
    if (std::isfinite(value)) AppendNumber(buf_, value);
  }
  void Integer(std::int64_t value, CellKind /*kind*/) override {
    Separate();
    AppendInteger(buf_, value);
  }
  void Text(std::string_view text) override {
    Separate();
    bool plain = true;  // a loop: find_first_of costs more on short names
    for (char ch : text) plain = plain && ch != ',' && ch != '"' && ch != '\n';
    if (plain) {
      buf_.append(text);
      return;
    }
    buf_ += '"';
    for (char ch : text) {
      if (ch == '"') buf_ += '"';
      buf_ += ch;
    }
    buf_ += '"';
  }
  void Empty() override { Separate(); }
  void EndRow() override {
    buf_ += '\n';
    first_ = true;
    FlushIfFull();
  }
  void Finish(const std::vector<std::string>& notes) override {
    for (const std::string& n : notes) buf_ += "# note: " + n + '\n';
    Flush();
  }

 private:
  void Separate() {
    if (!first_) buf_ += ',';
    first_ = false;
  }
  bool first_ = true;
};

class JsonRowWriter final : public StreamedRowWriter {
 public:
  JsonRowWriter(std::ostream& out,
                const std::string& name,
                const std::vector<std::string>& columns)
      : StreamedRowWriter(out) {
    for (const std::string& c : columns) {
      keys_.push_back(nlohmann::json(c).dump() + ": ");
    }
    buf_ += "{\n  \"scalesim_version\": " +
            nlohmann::json(std::string(Version())).dump() +
            ",\n  \"tables\": {\n    " + nlohmann::json(name).dump() + ": [";
  }
  void Number(double value, CellKind /*kind*/) override {
    Key();
    if (std::isfinite(value)) {
      AppendNumber(buf_, value);
    } else {
      buf_ += "null";
    }
  }
  void Integer(std::int64_t value, CellKind /*kind*/) override {
    Key();
    AppendInteger(buf_, value);
  }
  void Text(std::string_view text) override {
    Key();
    buf_ += nlohmann::json(std::string(text)).dump();
  }
  void Empty() override {
    Key();
    buf_ += "null";
  }
  void EndRow() override {
    buf_ += column_ == 0 ? "{}" : "}";
    column_ = 0;
    first_row_ = false;
    FlushIfFull();
  }
  void Finish(const std::vector<std::string>& notes) override {
    buf_ += first_row_ ? "]\n  },\n" : "\n    ]\n  },\n";
    buf_ += "  \"notes\": " + nlohmann::json(notes).dump() + "\n}\n";
    Flush();
  }

 private:
  void Key() {
    if (column_ == 0) buf_ += first_row_ ? "\n      {" : ",\n      {";
    if (column_ > 0) buf_ += ", ";
    if (column_ < keys_.size()) buf_ += keys_[column_];
    ++column_;
  }
  std::vector<std::string> keys_;
  std::size_t column_ = 0;
  bool first_row_ = true;
};

// Table and Markdown: buffered into a Report.
class BufferedRowWriter final : public RowWriter {
 public:
  BufferedRowWriter(Format format,
                    std::ostream& out,
                    std::string name,
                    std::string title,
                    std::vector<std::string> columns)
      : format_(format), out_(out) {
    report_.tables.push_back(
        Table{std::move(name), std::move(title), std::move(columns), {}});
  }
  void Number(double value, CellKind kind) override {
    if (!std::isfinite(value)) {
      row_.push_back(io::Empty());
      return;
    }
    Push(io::Real(value), kind);
  }
  void Integer(std::int64_t value, CellKind kind) override {
    Push(io::Integer(value), kind);
  }
  void Text(std::string_view text) override {
    row_.push_back(io::Text(std::string(text)));
  }
  void Empty() override { row_.push_back(io::Empty()); }
  void EndRow() override {
    report_.tables.front().AddRow(std::move(row_));
    row_.clear();
  }
  void Finish(const std::vector<std::string>& notes) override {
    report_.notes = notes;
    WriteReport(report_, format_, out_);
  }

 private:
  // Through the factories of report.hpp: building the variant in place here
  // trips GCC 12's -Wmaybe-uninitialized under the sanitizers.
  void Push(Cell cell, CellKind kind) {
    cell.kind = kind;
    row_.push_back(std::move(cell));
  }
  Format format_;
  std::ostream& out_;
  Report report_;
  std::vector<Cell> row_;
};

}  // namespace

std::unique_ptr<RowWriter> MakeRowWriter(Format format,
                                         std::ostream& out,
                                         std::string name,
                                         std::string title,
                                         std::vector<std::string> columns) {
  switch (format) {
    case Format::kCsv:
      return std::make_unique<CsvRowWriter>(out, columns);
    case Format::kJson:
      return std::make_unique<JsonRowWriter>(out, name, columns);
    default:
      return std::make_unique<BufferedRowWriter>(
          format, out, std::move(name), std::move(title), std::move(columns));
  }
}

}  // namespace scalesim::io

#include "scalesim/io/report.hpp"

#include <algorithm>
#include <cmath>
#include <ostream>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "scalesim/core/error.hpp"
#include "scalesim/core/version.hpp"
#include "scalesim/io/format.hpp"

namespace scalesim::io {
namespace {

double AsDouble(const Cell& c) {
  if (const auto* i = std::get_if<std::int64_t>(&c.value))
    return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&c.value)) return *d;
  return 0.0;
}

std::string Human(const Cell& c) {
  if (std::holds_alternative<std::monostate>(c.value)) return "";
  if (const auto* s = std::get_if<std::string>(&c.value)) return *s;
  const double v = AsDouble(c);
  const auto* i = std::get_if<std::int64_t>(&c.value);
  switch (c.kind) {
    case CellKind::kText:
    case CellKind::kReal:
      if (i != nullptr) return WithSeparators(*i);
      return fmt::format("{:.6g}", v);
    case CellKind::kInteger:
      return i != nullptr ? WithSeparators(*i) : fmt::format("{:.0f}", v);
    case CellKind::kCount:
      if (i != nullptr) {
        if (std::llabs(*i) < 1000) return WithSeparators(*i);
        return WithSeparators(*i) + " (" + ShortCount(v) + ")";
      }
      return ShortCount(v);
    case CellKind::kShortCount:
      return ShortCount(v);
    case CellKind::kScientific:
      return Scientific(v);
    case CellKind::kBytes:
      return BinaryBytes(v);
    case CellKind::kBytesSI:
      return DecimalBytes(v);
    case CellKind::kPercent:
      return Percent(v);
    case CellKind::kSeconds:
      return Duration(v);
    case CellKind::kUsd:
      return Money(v);
  }
  return "";
}

// The header a person reads: a column whose cells carry their unit (14.0
// GiB, 28.5 days, $1.40M) drops the unit suffix of its machine name, so no
// "_seconds" header stands over days.
std::string HumanHeader(const Table& t, std::size_t j) {
  const std::string& name = t.columns[j];
  CellKind kind = CellKind::kText;
  bool seen = false;
  for (const auto& row : t.rows) {
    if (j >= row.size() ||
        std::holds_alternative<std::monostate>(row[j].value) ||
        std::holds_alternative<std::string>(row[j].value))
      continue;
    if (seen && row[j].kind != kind) return name;
    kind = row[j].kind;
    seen = true;
  }
  const char* suffix = nullptr;
  switch (kind) {
    case CellKind::kSeconds:
      suffix = "_seconds";
      break;
    case CellKind::kBytes:
    case CellKind::kBytesSI:
      suffix = "_bytes";
      break;
    case CellKind::kUsd:
      suffix = "_usd";
      break;
    default:
      return name;
  }
  const std::string s(suffix);
  if (name.size() > s.size() &&
      name.compare(name.size() - s.size(), s.size(), s) == 0)
    return name.substr(0, name.size() - s.size());
  return name;
}

std::string ExactText(const Cell& c) {
  if (std::holds_alternative<std::monostate>(c.value)) return "";
  if (const auto* s = std::get_if<std::string>(&c.value)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&c.value))
    return std::to_string(*i);
  return CellText(std::get<double>(c.value));
}

// A record (one row of named values) turned on its side for people: one
// field per line; records of several rows (scenarios) a value column each,
// headed by the row's first cell.
Table Vertical(const Table& t) {
  Table v{t.name, t.title, {"quantity"}, {}};
  if (t.rows.size() <= 1) {
    v.columns.emplace_back("value");
  } else {
    for (const auto& row : t.rows)
      v.columns.push_back(row.empty() ? std::string() : ExactText(row[0]));
  }
  const std::size_t n = std::max<std::size_t>(t.rows.size(), 1);
  for (std::size_t j = 0; j < t.columns.size(); ++j) {
    Table one{t.name, t.title, {t.columns[j]}, {}};
    for (const auto& row : t.rows)
      if (j < row.size()) one.rows.push_back({row[j]});
    std::vector<Cell> line = {Text(HumanHeader(one, 0))};
    for (std::size_t i = 0; i < n; ++i)
      line.push_back(i < one.rows.size() ? one.rows[i].front() : Empty());
    v.rows.push_back(std::move(line));
  }
  return v;
}

bool IsNumeric(const Cell& c) {
  return std::holds_alternative<std::int64_t>(c.value) ||
         std::holds_alternative<double>(c.value);
}

std::string CsvQuote(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

class ConsoleWriter final : public ReportWriter {
 public:
  void Write(const Report& report, std::ostream& out) const override {
    bool first = true;
    for (const Table& shown : report.tables) {
      if (!first) out << '\n';
      first = false;
      const Table t = shown.record ? Vertical(shown) : shown;
      if (!t.title.empty()) out << t.title << '\n';
      std::vector<std::vector<std::string>> cells;
      std::vector<std::string> headers;
      std::vector<std::size_t> width(t.columns.size(), 0);
      for (std::size_t j = 0; j < t.columns.size(); ++j) {
        headers.push_back(HumanHeader(t, j));
        width[j] = headers[j].size();
      }
      std::vector<std::vector<bool>> numeric;
      for (const auto& row : t.rows) {
        std::vector<std::string> texts;
        std::vector<bool> nums;
        for (std::size_t j = 0; j < row.size() && j < t.columns.size(); ++j) {
          texts.push_back(Human(row[j]));
          nums.push_back(IsNumeric(row[j]));
          width[j] = std::max(width[j], texts.back().size());
        }
        cells.push_back(std::move(texts));
        numeric.push_back(std::move(nums));
      }
      auto line = [&](const std::vector<std::string>& texts,
                      const std::vector<bool>* nums) {
        std::string s;
        for (std::size_t j = 0; j < texts.size(); ++j) {
          if (j > 0) s += "  ";
          const bool right = nums != nullptr && (*nums)[j];
          s += right ? fmt::format("{:>{}}", texts[j], width[j])
                     : fmt::format("{:<{}}", texts[j], width[j]);
        }
        while (!s.empty() && s.back() == ' ') s.pop_back();
        out << s << '\n';
      };
      line(headers, nullptr);
      std::vector<std::string> rule;
      for (std::size_t w : width) rule.emplace_back(w, '-');
      line(rule, nullptr);
      for (std::size_t r = 0; r < cells.size(); ++r)
        line(cells[r], &numeric[r]);
    }
    if (!report.notes.empty()) {
      out << '\n';
      for (const std::string& n : report.notes) out << "note: " << n << '\n';
    }
  }
};

class CsvWriter final : public ReportWriter {
 public:
  void Write(const Report& report, std::ostream& out) const override {
    const bool several = report.tables.size() > 1;
    bool first = true;
    for (const Table& t : report.tables) {
      if (!first) out << '\n';
      first = false;
      if (several) out << "# " << t.name << '\n';
      for (std::size_t j = 0; j < t.columns.size(); ++j) {
        out << (j > 0 ? "," : "") << CsvQuote(t.columns[j]);
      }
      out << '\n';
      for (const auto& row : t.rows) {
        for (std::size_t j = 0; j < row.size(); ++j) {
          out << (j > 0 ? "," : "") << CsvQuote(ExactText(row[j]));
        }
        out << '\n';
      }
    }
    for (const std::string& n : report.notes) out << "# note: " << n << '\n';
  }
};

class MarkdownWriter final : public ReportWriter {
 public:
  void Write(const Report& report, std::ostream& out) const override {
    bool first = true;
    for (const Table& shown : report.tables) {
      if (!first) out << '\n';
      first = false;
      const Table t = shown.record ? Vertical(shown) : shown;
      out << "### " << (t.title.empty() ? t.name : t.title) << "\n\n";
      std::string header = "|";
      std::string rule = "|";
      std::vector<bool> numeric(t.columns.size(), false);
      for (const auto& row : t.rows) {
        for (std::size_t j = 0; j < row.size() && j < numeric.size(); ++j)
          numeric[j] = numeric[j] || IsNumeric(row[j]);
      }
      for (std::size_t j = 0; j < t.columns.size(); ++j) {
        header += " " + HumanHeader(t, j) + " |";
        rule += numeric[j] ? " ---: |" : " --- |";
      }
      out << header << '\n' << rule << '\n';
      for (const auto& row : t.rows) {
        out << '|';
        for (std::size_t j = 0; j < t.columns.size(); ++j) {
          std::string text = j < row.size() ? Human(row[j]) : std::string();
          std::string escaped;
          for (char ch : text) {
            if (ch == '|') escaped += '\\';
            escaped += ch;
          }
          out << ' ' << escaped << " |";
        }
        out << '\n';
      }
    }
    if (!report.notes.empty()) {
      out << '\n';
      for (const std::string& n : report.notes) out << "- " << n << '\n';
    }
  }
};

class JsonWriter final : public ReportWriter {
 public:
  void Write(const Report& report, std::ostream& out) const override {
    nlohmann::ordered_json doc;
    doc["scalesim_version"] = std::string(Version());
    nlohmann::ordered_json tables = nlohmann::ordered_json::object();
    for (const Table& t : report.tables) {
      nlohmann::ordered_json rows = nlohmann::ordered_json::array();
      for (const auto& row : t.rows) {
        nlohmann::ordered_json obj = nlohmann::ordered_json::object();
        for (std::size_t j = 0; j < row.size() && j < t.columns.size(); ++j) {
          const Cell& c = row[j];
          if (const auto* i = std::get_if<std::int64_t>(&c.value)) {
            obj[t.columns[j]] = *i;
          } else if (const auto* d = std::get_if<double>(&c.value)) {
            if (std::isfinite(*d))
              obj[t.columns[j]] = *d;
            else
              obj[t.columns[j]] = nullptr;
          } else if (const auto* s = std::get_if<std::string>(&c.value)) {
            obj[t.columns[j]] = *s;
          } else {
            obj[t.columns[j]] = nullptr;
          }
        }
        rows.push_back(std::move(obj));
      }
      tables[t.name] = std::move(rows);
    }
    doc["tables"] = std::move(tables);
    doc["notes"] = report.notes;
    out << doc.dump(2) << '\n';
  }
};

}  // namespace

Cell Text(std::string text) { return Cell{std::move(text), CellKind::kText}; }
Cell Integer(std::int64_t value) { return Cell{value, CellKind::kInteger}; }
Cell Count(std::int64_t value) { return Cell{value, CellKind::kCount}; }
Cell ShortCountCell(double value) { return Cell{value, CellKind::kShortCount}; }
Cell Real(double value) { return Cell{value, CellKind::kReal}; }
Cell Sci(double value) { return Cell{value, CellKind::kScientific}; }
Cell Bytes(double value) { return Cell{value, CellKind::kBytes}; }
Cell BytesSI(double value) { return Cell{value, CellKind::kBytesSI}; }
Cell Fraction(double value) { return Cell{value, CellKind::kPercent}; }
Cell Seconds(double value) { return Cell{value, CellKind::kSeconds}; }
Cell Usd(double value) { return Cell{value, CellKind::kUsd}; }
Cell Empty() { return Cell{std::monostate{}, CellKind::kText}; }

Table& Table::AddRow(std::vector<Cell> row) {
  rows.push_back(std::move(row));
  return *this;
}

Format ParseFormat(std::string_view text) {
  if (text == "table") return Format::kTable;
  if (text == "csv") return Format::kCsv;
  if (text == "json") return Format::kJson;
  if (text == "markdown") return Format::kMarkdown;
  throw InvalidInput(InputLocation{"command line", 0, "--format"},
                     "unknown format '" + std::string(text) +
                         "' (valid: table, csv, json, markdown)");
}

std::unique_ptr<ReportWriter> MakeWriter(Format format) {
  switch (format) {
    case Format::kTable:
      return std::make_unique<ConsoleWriter>();
    case Format::kCsv:
      return std::make_unique<CsvWriter>();
    case Format::kJson:
      return std::make_unique<JsonWriter>();
    case Format::kMarkdown:
      return std::make_unique<MarkdownWriter>();
  }
  return std::make_unique<ConsoleWriter>();
}

void WriteReport(const Report& report, Format format, std::ostream& out) {
  MakeWriter(format)->Write(report, out);
}

}  // namespace scalesim::io

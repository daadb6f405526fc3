#include "scalesim/io/dataset_io.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <numeric>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

// GCC 12 reports -Wstringop-truncation inside fast-cpp-csv-parser's
// (deliberately truncating, then terminated) strncpy of file names once it
// is inlined into our code.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-truncation"
#endif
#include <csv.h>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#include "scalesim/core/error.hpp"
#include "scalesim/io/files.hpp"
#include "scalesim/io/format.hpp"

namespace scalesim::io {
namespace {

// Column slots handed to fast-cpp-csv-parser: the five roles, then filters.
constexpr std::size_t kParams = 0;
constexpr std::size_t kTokens = 1;
constexpr std::size_t kFlops = 2;
constexpr std::size_t kLoss = 3;
constexpr std::size_t kUnique = 4;
constexpr std::size_t kNumRoles = 5;
constexpr std::size_t kNumSlots = kNumRoles + kMaxDatasetFilters;

using Reader = ::io::CSVReader<kNumSlots,
                               ::io::trim_chars<' ', '\t'>,
                               ::io::double_quote_escape<',', '"'>,
                               ::io::throw_on_overflow,
                               ::io::empty_line_comment>;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

// The whole of `text` as a double, exactly (std::from_chars); nullopt when
// it is not a number. A leading '+' is accepted.
std::optional<double> ParseNumber(std::string_view text) {
  text = Trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  double v = 0.0;
  const auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size())
    return std::nullopt;
  return v;
}

// A required positive, finite number from a cell.
double PositiveNumber(const std::string& cell,
                      std::string_view source,
                      std::int64_t line,
                      const std::string& column) {
  const std::string_view text = cell;
  const InputLocation where{std::string(source), line, column};
  if (Trim(text).empty()) throw InvalidInput(where, "empty value");
  const std::optional<double> v = ParseNumber(text);
  if (!v) throw InvalidInput(where, "not a number: '" + Excerpt(text) + "'");
  if (!std::isfinite(*v))
    throw InvalidInput(where, "not finite: '" + Excerpt(text) + "'");
  if (!(*v > 0.0))
    throw InvalidInput(where, "must be positive, got " + Excerpt(Trim(text)));
  return *v;
}

// The cells of one CSV line split at commas outside double quotes (enough to
// name the column of a byte; fast-cpp-csv-parser does the real parsing).
std::vector<std::string_view> SplitLine(std::string_view line) {
  std::vector<std::string_view> cells;
  bool quoted = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= line.size(); ++i) {
    if (i < line.size() && line[i] == '"') quoted = !quoted;
    if (i == line.size() || (line[i] == ',' && !quoted)) {
      cells.push_back(Trim(line.substr(start, i - start)));
      start = i + 1;
    }
  }
  return cells;
}

// The header's column names as the file spells them, for a missing-column
// message: "N, D, loss" (at most kMaxListed names, then "...").
std::string HeaderColumns(std::string_view text) {
  constexpr std::size_t kMaxListed = 20;
  std::string_view header = text.substr(0, text.find('\n'));
  if (!header.empty() && header.back() == '\r') header.remove_suffix(1);
  std::string out;
  std::size_t listed = 0;
  while (true) {
    const std::size_t comma = header.find(',');
    std::string_view name = header.substr(0, comma);
    while (!name.empty() && (name.front() == ' ' || name.front() == '"'))
      name.remove_prefix(1);
    while (!name.empty() && (name.back() == ' ' || name.back() == '"'))
      name.remove_suffix(1);
    if (listed == kMaxListed) {
      out += ", ...";
      break;
    }
    constexpr std::size_t kMaxName = 60;  // a hostile header stays short
    out += (listed++ == 0 ? "" : ", ") + std::string(name.substr(0, kMaxName)) +
           (name.size() > kMaxName ? "..." : "");
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return out;
}

// fast-cpp-csv-parser hands out cells as C strings: a NUL byte would end a
// cell silently ("3.35\0garbage" read as 3.35). A dataset is text, so any
// NUL is refused, naming its line and column.
void RejectNulBytes(std::string_view text, const std::string& source) {
  const std::size_t at = text.find('\0');
  if (at == std::string_view::npos) return;
  const std::size_t line_start = text.rfind('\n', at);
  const std::size_t begin =
      line_start == std::string_view::npos ? 0 : line_start + 1;
  const auto line =
      1 + std::count(text.begin(),
                     text.begin() + static_cast<std::ptrdiff_t>(begin),
                     '\n');
  const std::size_t column = SplitLine(text.substr(begin, at - begin)).size();
  const std::vector<std::string_view> header =
      SplitLine(text.substr(0, text.find('\n')));
  std::string name;
  if (line > 1 && column <= header.size()) {
    name = std::string(header[column - 1]);
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
      name = name.substr(1, name.size() - 2);
  }
  throw InvalidInput(
      InputLocation{source, line, Excerpt(name)},
      "NUL byte in column " + std::to_string(column) + " (a dataset is text)");
}

bool FilterMatches(const std::string& cell, const DatasetFilter& filter) {
  const std::string_view have = Trim(cell);
  const std::optional<double> a = ParseNumber(have);
  const std::optional<double> b = ParseNumber(filter.value);
  switch (filter.op) {
    case FilterOp::kEqual:
      return a && b ? *a == *b : have == Trim(filter.value);
    case FilterOp::kNotEqual:
      return a && b ? *a != *b : have != Trim(filter.value);
    case FilterOp::kLess:
      return a && b && *a < *b;
    case FilterOp::kLessEqual:
      return a && b && *a <= *b;
    case FilterOp::kGreater:
      return a && b && *a > *b;
    case FilterOp::kGreaterEqual:
      return a && b && *a >= *b;
  }
  return false;
}

const char* OpText(FilterOp op) {
  switch (op) {
    case FilterOp::kEqual:
      return "=";
    case FilterOp::kNotEqual:
      return "!=";
    case FilterOp::kLess:
      return "<";
    case FilterOp::kLessEqual:
      return "<=";
    case FilterOp::kGreater:
      return ">";
    case FilterOp::kGreaterEqual:
      return ">=";
  }
  return "=";
}

// What fast-cpp-csv-parser's exception says, without its own file prefix.
[[noreturn]] void Rethrow(const ::io::error::base& e,
                          std::string_view source,
                          std::int64_t line) {
  std::int64_t at = line;
  if (const auto* l = dynamic_cast<const ::io::error::with_file_line*>(&e);
      l != nullptr && l->file_line > 0) {
    at = l->file_line;
  }
  std::string field;
  if (const auto* c = dynamic_cast<const ::io::error::with_column_name*>(&e);
      c != nullptr) {
    field = c->column_name;
  }
  std::string problem = "malformed CSV";
  if (dynamic_cast<const ::io::error::too_few_columns*>(&e) != nullptr) {
    problem = "too few columns";
  } else if (dynamic_cast<const ::io::error::too_many_columns*>(&e) !=
             nullptr) {
    problem = "too many columns";
  } else if (dynamic_cast<const ::io::error::escaped_string_not_closed*>(&e) !=
             nullptr) {
    problem = "unclosed quote";
  } else if (dynamic_cast<const ::io::error::duplicated_column_in_header*>(
                 &e) != nullptr) {
    problem = "duplicated column in the header";
  } else if (dynamic_cast<const ::io::error::line_length_limit_exceeded*>(&e) !=
             nullptr) {
    problem = "line too long";
  } else if (dynamic_cast<const ::io::error::header_missing*>(&e) != nullptr) {
    problem = "empty file (no header line)";
  }
  throw InvalidInput(InputLocation{std::string(source), at, field}, problem);
}

// One run from its cells. A derived value must stay a positive finite
// number: C = 6·N·D overflows for N and D near 1e200, D = C/(6N)
// underflows to 0 for a tiny C and a huge N; either is refused naming the
// line and the column it came from.
fit::DataPoint ParsePoint(const std::string& params,
                          const std::string& tokens,
                          const std::string& flops,
                          const std::string& loss,
                          bool has_tokens,
                          bool has_flops,
                          const DatasetColumns& cols,
                          const std::string& src,
                          std::int64_t line) {
  fit::DataPoint p;
  p.line = line;
  p.params = PositiveNumber(params, src, line, cols.params);
  p.loss = PositiveNumber(loss, src, line, cols.loss);
  if (has_flops)
    p.training_flops = PositiveNumber(flops, src, line, cols.flops);
  if (has_tokens) {
    p.tokens = PositiveNumber(tokens, src, line, cols.tokens);
  } else {
    p.tokens = p.training_flops / (6.0 * p.params);
    if (!(p.tokens > 0.0) || !std::isfinite(p.tokens)) {
      throw InvalidInput(InputLocation{src, line, cols.flops},
                         "tokens D = C/(6N) = " + Exact(p.training_flops) +
                             " / (6 * " + Exact(p.params) + ") " +
                             (p.tokens > 0.0 ? "exceeds the range of a double"
                                             : "underflows to 0"));
    }
  }
  if (!has_flops) {
    p.training_flops = fit::SixNDFlops(p.params, p.tokens);
    if (!std::isfinite(p.training_flops)) {
      throw InvalidInput(InputLocation{src, line, cols.tokens},
                         "training FLOPs C = 6ND = 6 * " + Exact(p.params) +
                             " * " + Exact(p.tokens) +
                             " exceeds the range of a double");
    }
  }
  return p;
}

}  // namespace

DatasetFilter ParseDatasetFilter(std::string_view text, std::string_view flag) {
  const auto at = text.find_first_of("=!<>");
  DatasetFilter f;
  std::size_t width = 1;
  if (at != std::string_view::npos) {
    const char c = text[at];
    const bool eq_next = at + 1 < text.size() && text[at + 1] == '=';
    if (c == '=') {
      f.op = FilterOp::kEqual;
    } else if (c == '!' && eq_next) {
      f.op = FilterOp::kNotEqual;
      width = 2;
    } else if (c == '<') {
      f.op = eq_next ? FilterOp::kLessEqual : FilterOp::kLess;
      width = eq_next ? 2 : 1;
    } else if (c == '>') {
      f.op = eq_next ? FilterOp::kGreaterEqual : FilterOp::kGreater;
      width = eq_next ? 2 : 1;
    }
  }
  const bool ok = at != std::string_view::npos &&
                  !Trim(text.substr(0, at)).empty() &&
                  (text[at] != '!' || width == 2);
  if (!ok) {
    throw InvalidInput(InputLocation{"", 0, std::string(flag)},
                       "expected COLUMN=VALUE (or !=, <, <=, >, >=), got '" +
                           Excerpt(text) + "'");
  }
  f.column = std::string(Trim(text.substr(0, at)));
  f.value = std::string(Trim(text.substr(at + width)));
  if (f.op != FilterOp::kEqual && f.op != FilterOp::kNotEqual &&
      !ParseNumber(f.value)) {
    throw InvalidInput(
        InputLocation{"", 0, std::string(flag)},
        "'" + Excerpt(text) + "': " + OpText(f.op) + " needs a number");
  }
  return f;
}

fit::Dataset ParseDatasetCsv(std::string_view text,
                             std::string_view source,
                             const DatasetReadOptions& options) {
  const DatasetColumns& cols = options.columns;
  const std::string src(source);
  // Column names per slot; a filter on a column that already has a slot
  // reads that slot. Unused slots get names no header will contain.
  std::array<std::string, kNumSlots> names;
  names[kParams] = cols.params;
  names[kTokens] = cols.tokens;
  names[kFlops] = cols.flops;
  names[kLoss] = cols.loss;
  // Unread, the unique column keeps no name (a filter may still read it).
  names[kUnique] = options.unique_tokens
                       ? cols.unique
                       : "\x1f(scalesim unread unique-tokens column)";
  for (std::size_t i = 0; i < kNumRoles; ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (names[i] == names[j]) {
        throw InvalidInput(InputLocation{"command line", 0, names[i]},
                           "the same column is given two roles");
      }
    }
  }
  if (options.filters.size() > kMaxDatasetFilters) {
    throw InvalidInput(
        InputLocation{"command line", 0, "--filter"},
        "at most " + std::to_string(kMaxDatasetFilters) + " filters");
  }
  if (options.drop_highest_loss < 0) {
    throw InvalidInput(InputLocation{"command line", 0, "--drop-highest-loss"},
                       "must not be negative");
  }
  std::vector<std::size_t> filter_slot;
  std::size_t next_slot = kNumRoles;
  for (const DatasetFilter& f : options.filters) {
    const auto* found =
        std::find(names.begin(),
                  names.begin() + static_cast<std::ptrdiff_t>(next_slot),
                  f.column);
    if (found != names.begin() + static_cast<std::ptrdiff_t>(next_slot)) {
      filter_slot.push_back(static_cast<std::size_t>(found - names.begin()));
    } else {
      names[next_slot] = f.column;
      filter_slot.push_back(next_slot++);
    }
  }
  for (std::size_t i = next_slot; i < kNumSlots; ++i) {
    names[i] = "\x1f(scalesim unused column " + std::to_string(i) + ")";
  }

  // A UTF-8 byte-order mark would become part of the first column's name.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (Trim(text).find_first_not_of("\r\n") == std::string_view::npos) {
    throw InvalidInput(InputLocation{src, 0, ""},
                       "empty file (no header line)");
  }

  RejectNulBytes(text, src);

  fit::Dataset data;
  data.source = src;
  bool has[kNumSlots] = {};
  std::size_t total = 0;
  std::int64_t line = 1;
  try {
    Reader reader(src, text.data(), text.data() + text.size());
    reader.read_header(::io::ignore_extra_column | ::io::ignore_missing_column,
                       names[0],
                       names[1],
                       names[2],
                       names[3],
                       names[4],
                       names[5],
                       names[6],
                       names[7],
                       names[8]);
    for (std::size_t i = 0; i < kNumSlots; ++i)
      has[i] = reader.has_column(names[i]);
    auto missing = [&](const std::string& column, const std::string& what) {
      throw InvalidInput(InputLocation{src, 1, column},
                         "missing column (" + what +
                             "); the file has: " + HeaderColumns(text));
    };
    if (!has[kParams]) missing(cols.params, "parameter count N");
    if (!has[kLoss]) missing(cols.loss, "loss");
    if (options.unique_tokens && !has[kUnique])
      missing(cols.unique, "unique tokens U");
    if (!has[kTokens] && !has[kFlops]) {
      missing(cols.tokens,
              "training tokens D, or FLOPs in column '" + cols.flops + "'");
    }
    for (std::size_t k = 0; k < options.filters.size(); ++k) {
      if (!has[filter_slot[k]]) missing(options.filters[k].column, "filter");
    }
    line = reader.get_file_line();
    // Each row is checked as it is read: the reader's cells point into its
    // buffer and live until the next row.
    for (;;) {
      std::array<char*, kNumSlots> c{};
      if (!reader.read_row(
              c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8]))
        break;
      line = reader.get_file_line();
      if (++total > static_cast<std::size_t>(options.max_rows)) {
        throw InvalidInput(InputLocation{src, line, ""},
                           "more than the limit of " +
                               std::to_string(options.max_rows) + " data rows");
      }
      auto cell = [&](std::size_t slot) {
        return std::string(c[slot] != nullptr ? c[slot] : "");
      };
      bool keep = true;
      for (std::size_t k = 0; k < options.filters.size() && keep; ++k) {
        keep = FilterMatches(cell(filter_slot[k]), options.filters[k]);
      }
      if (!keep) continue;
      data.points.push_back(ParsePoint(cell(kParams),
                                       cell(kTokens),
                                       cell(kFlops),
                                       cell(kLoss),
                                       has[kTokens],
                                       has[kFlops],
                                       cols,
                                       src,
                                       line));
      if (options.unique_tokens) {
        data.points.back().unique_tokens =
            PositiveNumber(cell(kUnique), src, line, cols.unique);
      }
    }
  } catch (const ::io::error::base& e) {
    Rethrow(e, src, line + 1);
  }

  if (total == 0)
    throw InvalidInput(InputLocation{src, 1, ""},
                       "no data rows after the header");
  if (data.points.empty()) {
    throw InvalidInput(InputLocation{src, 0, options.filters.front().column},
                       "no row matches the filters");
  }
  const std::size_t matched = data.points.size();
  if (options.drop_highest_loss > 0) {
    const auto drop = static_cast<std::size_t>(options.drop_highest_loss);
    if (drop >= data.points.size()) {
      throw InvalidInput(
          InputLocation{"command line", 0, "--drop-highest-loss"},
          "dropping " + std::to_string(drop) + " of " +
              std::to_string(data.points.size()) + " runs leaves none");
    }
    std::vector<std::size_t> order(data.points.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(
        order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
          return data.points[a].loss > data.points[b].loss;
        });
    std::vector<bool> dropped(data.points.size(), false);
    for (std::size_t k = 0; k < drop; ++k) dropped[order[k]] = true;
    std::vector<fit::DataPoint> kept;
    for (std::size_t i = 0; i < data.points.size(); ++i) {
      if (!dropped[i]) kept.push_back(data.points[i]);
    }
    data.points = std::move(kept);
  }

  std::string mapping =
      "columns: N = '" + cols.params + "', loss = '" + cols.loss + "'";
  if (has[kTokens]) mapping += ", D = '" + cols.tokens + "'";
  if (has[kFlops]) mapping += ", C = '" + cols.flops + "'";
  if (options.unique_tokens) mapping += ", U = '" + cols.unique + "'";
  data.notes.push_back(mapping + " (" + src + ")");
  if (!has[kTokens]) {
    data.notes.push_back("no '" + cols.tokens +
                         "' column: tokens D = C/(6N) from '" + cols.flops +
                         "' (6ND rule, Kaplan et al. 2020 Sec. 2.1)");
  }
  if (!has[kFlops]) {
    data.notes.push_back("no '" + cols.flops +
                         "' column: training FLOPs C = 6ND");
  }
  if (!options.filters.empty()) {
    std::string f;
    for (const DatasetFilter& d : options.filters) {
      f += (f.empty() ? "" : ", ") + d.column + ' ' + OpText(d.op) + ' ' +
           d.value;
    }
    data.notes.push_back("filters " + f + ": " + std::to_string(matched) +
                         " of " + std::to_string(total) + " rows kept");
  }
  if (options.drop_highest_loss > 0) {
    data.notes.push_back("dropped the " +
                         std::to_string(options.drop_highest_loss) +
                         " runs with the highest loss");
  }
  return data;
}

DatasetReadOptions ReadOptionsOf(const DatasetSource& source,
                                 bool unique_tokens) {
  DatasetReadOptions read;
  read.columns.params = source.params_col;
  read.columns.tokens = source.tokens_col;
  read.columns.flops = source.flops_col;
  read.columns.loss = source.loss_col;
  read.columns.unique = source.unique_col;
  read.unique_tokens = unique_tokens;
  for (const std::string& f : source.filter)
    read.filters.push_back(ParseDatasetFilter(f, "filter"));
  read.drop_highest_loss = source.drop_highest_loss;
  return read;
}

fit::Dataset ReadDataset(const DatasetSource& source, bool unique_tokens) {
  if (!source.data)
    throw InvalidInput(InputLocation{"", 0, "data"},
                       "missing: give --data FILE");
  return ReadDatasetCsv(*source.data, ReadOptionsOf(source, unique_tokens));
}

fit::Dataset ReadDatasetCsv(const std::string& path,
                            const DatasetReadOptions& options) {
  return ParseDatasetCsv(ReadTextFile(path, kMaxDatasetBytes), path, options);
}

namespace {

bool HasUniqueTokens(const fit::Dataset& data) {
  for (const fit::DataPoint& p : data.points) {
    if (std::isfinite(p.unique_tokens)) return true;
  }
  return false;
}

}  // namespace

std::string DatasetToCsv(const fit::Dataset& data) {
  const bool unique = HasUniqueTokens(data);
  std::string out = unique ? "N,D,U,C,loss\n" : "N,D,C,loss\n";
  for (const fit::DataPoint& p : data.points) {
    out += CellText(p.params) + ',' + CellText(p.tokens) + ',' +
           (unique ? CellText(p.unique_tokens) + ',' : std::string()) +
           CellText(p.training_flops) + ',' + CellText(p.loss) + '\n';
  }
  return out;
}

std::string ResidualsToCsv(const fit::Dataset& data,
                           const std::vector<double>& predicted) {
  const bool unique = HasUniqueTokens(data);
  std::string out = std::string(unique ? "N,D,U," : "N,D,") +
                    "C,loss_observed,loss_predicted,residual,log_residual\n";
  for (std::size_t i = 0; i < data.points.size() && i < predicted.size(); ++i) {
    const fit::DataPoint& p = data.points[i];
    out += CellText(p.params) + ',' + CellText(p.tokens) + ',' +
           (unique ? CellText(p.unique_tokens) + ',' : std::string()) +
           CellText(p.training_flops) + ',' + CellText(p.loss) + ',' +
           CellText(predicted[i]) + ',' + CellText(p.loss - predicted[i]) +
           ',' + CellText(std::log(p.loss) - std::log(predicted[i])) + '\n';
  }
  return out;
}

}  // namespace scalesim::io

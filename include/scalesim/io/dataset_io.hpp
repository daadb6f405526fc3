// Training runs from CSV files (fast-cpp-csv-parser), and CSV out.
//
// Columns are found by name in the header line; other columns are ignored.
// Roles and their default column names:
//   params  "N"     parameter count N
//   tokens  "D"     training tokens D
//   flops   "C"     training FLOPs C
//   loss    "loss"  final loss, nats/token
//   unique  "U"     unique tokens U the run's D repeats (read only when
//                   DatasetReadOptions::unique_tokens: the data_constrained
//                   fit; then required, positive; U > D is allowed: the run
//                   sees fewer tokens than there are, R_D = 0)
// params and loss are required, and tokens or flops. When a file has
// flops but no tokens, D = C/(6N) (the 6ND rule, Kaplan et al. 2020
// Sec. 2.1); when it has tokens but no flops, C = 6·N·D; each case adds a
// note to the dataset. Fields may be double-quoted; numbers are read exactly
// (std::from_chars).
//
// Filters keep the rows that satisfy every COLUMN<op>VALUE: with = and !=
// numerically when both sides read as numbers ("budget=1e19" matches
// "1e+19"), else as trimmed text; with <, <=, >, >= numerically (a row whose
// cell is not a number fails them). drop_highest_loss then removes that many
// rows with the highest loss (diverged or unconverged runs).
//
// Errors (InvalidInput naming the file, the 1-based line and the column):
// an empty file, a missing column, a value that is not a number, not finite
// or not positive, a NUL byte anywhere (a cell would otherwise end there
// silently), a derived value out of range (C = 6ND beyond a double for N
// and D near 1e200, D = C/(6N) underflowing to 0), a malformed line, more
// than kMaxDatasetRows data rows, no rows left. ReadDatasetCsv reads at
// most kMaxDatasetBytes (files.hpp).
#ifndef SCALESIM_IO_DATASET_IO_HPP_
#define SCALESIM_IO_DATASET_IO_HPP_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scalesim/core/fields.hpp"
#include "scalesim/fit/dataset.hpp"

namespace scalesim::io {

struct DatasetColumns {
  std::string params = "N";
  std::string tokens = "D";
  std::string flops = "C";
  std::string loss = "loss";
  std::string unique = "U";
};

enum class FilterOp {
  kEqual,
  kNotEqual,
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual
};

struct DatasetFilter {
  std::string column;
  std::string value;
  FilterOp op = FilterOp::kEqual;
};

// At most this many filters (fast-cpp-csv-parser reads a fixed number of
// columns, fixed at compile time).
inline constexpr std::size_t kMaxDatasetFilters = 4;

// At most this many data rows in a dataset (after the header, before
// filters): ten million runs is far beyond any sweep of training runs, and
// bounds the memory of a fit (the points, the residuals, the bootstrap).
inline constexpr std::int64_t kMaxDatasetRows = 10'000'000;

struct DatasetReadOptions {
  DatasetColumns columns;
  std::vector<DatasetFilter> filters;
  std::int64_t drop_highest_loss = 0;
  // Read the unique-tokens column (columns.unique), required.
  bool unique_tokens = false;
  // More data rows than this is an error naming the line.
  std::int64_t max_rows = kMaxDatasetRows;
};

// "COLUMN=VALUE", "COLUMN!=VALUE", "COLUMN<VALUE", "COLUMN<=VALUE",
// "COLUMN>VALUE" or "COLUMN>=VALUE" (as given to --filter); throws
// InvalidInput naming the field `field`.
DatasetFilter ParseDatasetFilter(std::string_view text, std::string_view field);

// Reads a dataset CSV from `path` (errors name `path`).
fit::Dataset ReadDatasetCsv(const std::string& path,
                            const DatasetReadOptions& options = {});
// The same from text in memory; errors name `source`.
fit::Dataset ParseDatasetCsv(std::string_view text,
                             std::string_view source,
                             const DatasetReadOptions& options = {});

// Where a command's runs come from: --data FILE and how its columns map
// (--params-col ..., --filter, --drop-highest-loss), declared once.
struct DatasetSource {
  std::optional<std::string> data;
  std::string params_col = "N";
  std::string tokens_col = "D";
  std::string flops_col = "C";
  std::string loss_col = "loss";
  std::string unique_col = "U";
  std::vector<std::string> filter;
  std::int64_t drop_highest_loss = 0;

  template <typename V>
  void VisitFields(V&& v) {
    v(data,
      {.name = "data",
       .help = "CSV file of training runs (one row per run)",
       .unit = "FILE"});
    v(params_col,
      {.name = "params_col",
       .help = "column of parameter counts N",
       .unit = "NAME"});
    v(tokens_col,
      {.name = "tokens_col",
       .help = "column of training tokens D (else D = C/(6N))",
       .unit = "NAME"});
    v(flops_col,
      {.name = "flops_col",
       .help = "column of training FLOPs C (else C = 6ND)",
       .unit = "NAME"});
    v(loss_col,
      {.name = "loss_col",
       .help = "column of final losses (nats/token)",
       .unit = "NAME"});
    v(unique_col,
      {.name = "unique_col",
       .help = "column of unique tokens U each run's D repeats (read by "
               "--form data_constrained)",
       .unit = "NAME"});
    v(filter,
      {.name = "filter",
       .help = "keep rows where COLUMN=VALUE (also !=, <, <=, >, >=; "
               "repeatable, at most 4)",
       .unit = "COL=VALUE"});
    v(drop_highest_loss,
      {.name = "drop_highest_loss",
       .help = "drop the K runs with the highest loss",
       .min = 0,
       .max = 9.2e18});
  }
};
// The runs `source` names (the field "data" is required); with
// `unique_tokens`, each run's U from source.unique_col (required).
fit::Dataset ReadDataset(const DatasetSource& source,
                         bool unique_tokens = false);
// How `source` maps and filters columns (its `data` unused): the runs of a
// CSV text in memory (a DataFrame's, from Python) are read with
// ParseDatasetCsv(text, name, ReadOptionsOf(source, unique_tokens)) exactly
// as ReadDataset reads the file.
DatasetReadOptions ReadOptionsOf(const DatasetSource& source,
                                 bool unique_tokens = false);

// A CSV with header "N,D,C,loss" (and U after D when a run has finite
// unique tokens) and one exact row per run (shortest round-trip numbers),
// readable by ReadDatasetCsv with default options (and unique_tokens).
std::string DatasetToCsv(const fit::Dataset& data);

// Residuals of a fit: columns N, D, (U when the runs have it,) C,
// loss_observed, loss_predicted,
// residual (observed - predicted, nats) and log_residual (log observed -
// log predicted), one row per run. `predicted` has one value per point.
std::string ResidualsToCsv(const fit::Dataset& data,
                           const std::vector<double>& predicted);

}  // namespace scalesim::io

#endif  // SCALESIM_IO_DATASET_IO_HPP_

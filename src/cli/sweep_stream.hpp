// Private to the CLI: what every sweep kind's command shares (the flags of
// every sweep, streaming rows to --out or stdout, the help line), and the
// kinds that live in their own file.
#ifndef SCALESIM_SRC_CLI_SWEEP_STREAM_HPP_
#define SCALESIM_SRC_CLI_SWEEP_STREAM_HPP_

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "scalesim/core/error.hpp"
#include "scalesim/core/schema.hpp"
#include "scalesim/core/validate.hpp"
#include "scalesim/io/files.hpp"
#include "scalesim/io/row_writer.hpp"
#include "scalesim/sweep/sweep.hpp"

#include "cli/command.hpp"
#include "cli/progress.hpp"

namespace scalesim::cli {

// Table and markdown hold every row to align the columns; CSV and JSON
// stream any number.
inline constexpr double kMaxBufferedRows = 100'000;

// The flags every sweep has: --format (csv by default: sweeps are data),
// --out and --max-rows.
struct SweepFlags {
  OutputOptions output{io::Format::kCsv, std::nullopt};
  sweep::SweepLimits limits;
  void Bind(Command& cmd) { cmd.Output(output).Flags("Limits", limits); }
};

// Streams the rows of one sweep to --out (a temporary renamed when
// complete) or `out`, checking the row count before any work.
template <typename Row>
int Stream(const SweepFlags& f,
           std::ostream& out,
           std::ostream& err,
           const sweep::Prepared<Row>& prepared) {
  const Schema<Row>& schema = prepared.schema;
  const double rows = prepared.rows;
  sweep::CheckRowCount(rows, f.limits);
  const io::Format format = f.output.format;
  if ((format == io::Format::kTable || format == io::Format::kMarkdown) &&
      rows > kMaxBufferedRows) {
    throw InvalidInput(InputLocation{"command line", 0, "--format"},
                       NumberText(rows) +
                           " rows: table and markdown hold every row in "
                           "memory (at most " +
                           NumberText(kMaxBufferedRows) +
                           "); use csv or json, which stream");
  }
  std::unique_ptr<io::AtomicFile> file;
  if (f.output.out) file = std::make_unique<io::AtomicFile>(*f.output.out);
  std::ostream& target = file ? file->stream() : out;
  const std::unique_ptr<io::RowWriter> w =
      io::MakeRowWriter(format, target, schema);
  Progress progress(err, "sweep", "rows");
  std::int64_t done = 0;
  const auto total = static_cast<std::int64_t>(rows);
  const auto [summary, notes] = prepared.run([&](const Row& r) {
    io::WriteRow(*w, schema, r);
    progress.Tick(++done, total);
  });
  w->Finish(notes);
  if (file) file->Commit();
  return summary.failed_rows > 0 ? 1 : 0;
}

inline CommandHelp SweepHelp(const char* kind,
                             const char* summary,
                             const char* usage,
                             std::vector<std::string> examples) {
  return {std::string("sweep ") + kind,
          summary,
          std::string("scalesim sweep ") + kind + " " + usage +
              " [--format csv|json|table|markdown] [--out FILE]",
          std::move(examples)};
}

// scalesim sweep arch (sweep_arch_command.cpp).
int RunSweepArch(const Args& args, std::ostream& out, std::ostream& err);

}  // namespace scalesim::cli

#endif  // SCALESIM_SRC_CLI_SWEEP_STREAM_HPP_

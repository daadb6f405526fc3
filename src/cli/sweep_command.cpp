// scalesim sweep: overtraining ratios, budgets, IsoFLOP curves, loss grids
// and architecture grids, streamed row by row (include/scalesim/sweep/:
// each kind's options, columns, row count and notes). A sweep kind is its
// library file plus a function and a line of kSweeps here. Columns are
// documented in docs/sweeps.md.
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "scalesim/core/error.hpp"
#include "scalesim/core/names.hpp"
#include "scalesim/core/validate.hpp"
#include "scalesim/io/architecture_io.hpp"
#include "scalesim/io/files.hpp"
#include "scalesim/io/law_io.hpp"
#include "scalesim/io/row_writer.hpp"
#include "scalesim/sweep/sweep.hpp"

#include "cli/cli.hpp"
#include "cli/command.hpp"
#include "cli/dispatch.hpp"
#include "cli/progress.hpp"

namespace scalesim::cli {
namespace {

// Table and markdown hold every row to align the columns; CSV and JSON
// stream any number.
constexpr double kMaxBufferedRows = 100'000;
// sweep arch's base without --preset/--hf-config/--arch/flags.
constexpr const char* kDefaultArchBase = "llama3-8b";

// The flags every sweep has: --format (csv by default: sweeps are data),
// --out and --max-rows.
struct SweepFlags {
  OutputOptions output{io::Format::kCsv, std::nullopt};
  sweep::SweepLimits limits;
  void Bind(Command& cmd) { cmd.Output(output).Flags("Limits", limits); }
};

// Streams the rows of one sweep to --out (a temporary renamed when
// complete) or `out`, checking the row count before any work.
template <typename Row, typename Run>
int Stream(const SweepFlags& f,
           std::ostream& out,
           std::ostream& err,
           const Schema<Row>& schema,
           double rows,
           Run run) {
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
  const auto [summary, notes] = run([&](const Row& r) {
    io::WriteRow(*w, schema, r);
    progress.Tick(++done, total);
  });
  w->Finish(notes);
  if (file) file->Commit();
  return summary.failed_rows > 0 ? 1 : 0;
}

using Notes = std::vector<std::string>;
template <typename T>
using Emit = std::function<void(const T&)>;

CommandHelp Help(const char* kind,
                 const char* summary,
                 const char* usage,
                 std::vector<std::string> examples) {
  return {std::string("sweep ") + kind,
          summary,
          std::string("scalesim sweep ") + kind + " " + usage +
              " [--format csv|json|table|markdown] [--out FILE]",
          std::move(examples)};
}

int RunOvertraining(const Args& args, std::ostream& out, std::ostream& err) {
  Command cmd(Help("overtraining",
                   "tokens-per-parameter ratios at a fixed budget or loss: N, "
                   "D, loss, penalty, compute overhead, lifetime FLOPs, "
                   "serving memory",
                   "(--flops C ... | --target-loss L ...) [--ratio-min 1 "
                   "--ratio-max 1e4 --points 41] [--inference-tokens TOKENS] "
                   "[--law NAME|FILE ...]",
                   {"scalesim sweep overtraining --flops 1e23 --law "
                    "hoffmann2022_approach3",
                    "scalesim sweep overtraining --target-loss 1.947 "
                    "--inference-tokens 2e12 --law sardana2024",
                    "scalesim sweep overtraining --flops 1e21 1e23 1e25 "
                    "--points 9 --format table"}));
  sweep::OvertrainingOptions o;
  io::LawSelection laws;
  SweepFlags f;
  cmd.Flags("Sweep", o).Flags("Laws", laws);
  f.Bind(cmd);
  if (!cmd.Parse(args, out)) return 0;
  return cmd.Run([&] {
    if (o.budgets_flops.empty() == o.target_losses.empty())
      FailField("flops", "give exactly one of --flops and --target-loss");
    const std::vector<laws::Law> selected = io::SelectLaws(laws);
    sweep::RequireLossLaws(selected, laws.given(), o.target_losses);
    return Stream(
        f,
        out,
        err,
        sweep::OvertrainingSchema(o),
        sweep::OvertrainingRowCount(selected, o),
        [&](const Emit<sweep::OvertrainingRow>& emit) {
          const auto s = sweep::Overtraining(selected, o, emit);
          return std::pair{s, sweep::OvertrainingNotes(selected, o, s)};
        });
  });
}

int RunBudget(const Args& args, std::ostream& out, std::ostream& err) {
  Command cmd(Help("budget",
                   "the compute-optimal frontier of each law over a range of "
                   "budgets",
                   "[--flops-min 1e18 --flops-max 1e27 --points 37] [--law "
                   "NAME|FILE ...]",
                   {"scalesim sweep budget",
                    "scalesim sweep budget --flops-min 1e20 --flops-max 1e25 "
                    "--points 6 --format table"}));
  sweep::BudgetOptions o;
  io::LawSelection laws;
  SweepFlags f;
  cmd.Flags("Sweep", o).Flags("Laws", laws);
  f.Bind(cmd);
  if (!cmd.Parse(args, out)) return 0;
  return cmd.Run([&] {
    const std::vector<laws::Law> selected = io::SelectLaws(laws);
    sweep::LogSpace(o.budgets);  // validated before the output exists
    return Stream(f,
                  out,
                  err,
                  sweep::BudgetSchema(),
                  sweep::BudgetRowCount(selected, o),
                  [&](const Emit<sweep::BudgetRow>& emit) {
                    const auto s = sweep::Budget(selected, o, emit);
                    return std::pair{s, sweep::BudgetNotes(selected, s)};
                  });
  });
}

int RunIsoflop(const Args& args, std::ostream& out, std::ostream& err) {
  Command cmd(Help("isoflop",
                   "IsoFLOP curves: loss of model sizes around each budget's "
                   "optimum (Hoffmann et al. 2022 Fig. 3)",
                   "[--flops C ...] [--span 10 --points 41] [--law NAME|FILE "
                   "...]",
                   {"scalesim sweep isoflop --law hoffmann2022_approach3",
                    "scalesim sweep isoflop --flops 1e19 1e20 1e21 --span 4 "
                    "--points 9 --format table"}));
  sweep::IsoflopOptions o;
  io::LawSelection laws;
  SweepFlags f;
  cmd.Flags("Sweep", o).Flags("Laws", laws);
  f.Bind(cmd);
  if (!cmd.Parse(args, out)) return 0;
  return cmd.Run([&] {
    if (o.budgets_flops.empty())
      o.budgets_flops = sweep::HoffmannIsoflopBudgets();
    const std::vector<laws::Law> selected = io::SelectLaws(laws);
    sweep::RequireLossLaws(selected, laws.given());
    sweep::Isoflop({}, o, [](const sweep::IsoflopRow&) {});  // validates
    return Stream(
        f,
        out,
        err,
        sweep::IsoflopSchema(),
        sweep::IsoflopRowCount(selected, o),
        [&](const Emit<sweep::IsoflopRow>& emit) {
          const auto s = sweep::Isoflop(selected, o, emit);
          Notes notes = sweep::CommonNotes(selected, s);
          notes.push_back(
              "point compute_optimal: the law's N* at the budget (scalesim "
              "optimal --flops), the minimum of its IsoFLOP curve");
          notes.push_back(laws::InFittedRangeNote());
          return std::pair{s, notes};
        });
  });
}

int RunLossGrid(const Args& args, std::ostream& out, std::ostream& err) {
  Command cmd(Help("loss-grid",
                   "predicted loss L(N, D) of each law over a log-spaced N x D "
                   "grid (loss contours)",
                   "[--params-min 1e7 --params-max 1e12 --params-points 51] "
                   "[--tokens-min 1e9 --tokens-max 1e14 --tokens-points 51] "
                   "[--law NAME|FILE ...]",
                   {"scalesim sweep loss-grid --law hoffmann2022_approach3",
                    "scalesim sweep loss-grid --params-points 200 "
                    "--tokens-points 200"}));
  sweep::LossGridOptions o;
  io::LawSelection laws;
  SweepFlags f;
  cmd.Flags("Sweep", o).Flags("Laws", laws);
  f.Bind(cmd);
  if (!cmd.Parse(args, out)) return 0;
  return cmd.Run([&] {
    const std::vector<laws::Law> selected = io::SelectLaws(laws);
    sweep::RequireLossLaws(selected, laws.given());
    sweep::LogSpace(o.params);
    sweep::LogSpace(o.tokens);
    return Stream(
        f,
        out,
        err,
        sweep::LossGridSchema(),
        sweep::LossGridRowCount(selected, o),
        [&](const Emit<sweep::LossGridRow>& emit) {
          const auto s = sweep::LossGrid(selected, o, emit);
          Notes notes = sweep::CommonNotes(selected, s);
          notes.push_back(
              "loss decomposed as Hoffmann et al. 2022 App. D.2: irreducible "
              "+ parameter term + data term (Kaplan's joint law, not "
              "additive: 0, L(N, infinite data) and the rest, as scalesim "
              "loss prints it)");
          return std::pair{s, notes};
        });
  });
}

int RunArch(const Args& args, std::ostream& out, std::ostream& err) {
  Command cmd(Help(
      "arch",
      "a depth x width (x KV heads) grid of a base architecture: "
      "exact parameters, FLOPs per token, training and serving "
      "memory",
      "[--preset NAME (default llama3-8b) | --hf-config FILE | --arch FILE] "
      "[--layers LIST] [--d-model LIST] [--kv-heads LIST]",
      {"scalesim sweep arch",
       "scalesim sweep arch --layers 16,32 --d-model 2048,4096 "
       "--kv-heads 1,8 --format table",
       "scalesim sweep arch --preset llama2-7b --layers 16:48:8 "
       "--d-model 3072:6144:1024"}));
  io::ArchitectureSource base;
  sweep::ArchGridAxes axes;
  model::TrainingMemoryOptions training;
  model::InferenceMemoryOptions serving;
  SweepFlags f;
  // The base comes from a file or preset; its sizes are the grid's axes.
  cmd.Flags("Base model", base, {"layers", "d_model", "heads", "kv_heads"})
      .Flags("Grid", axes)
      .Flags("Training memory", training)
      .Flags("Serving memory", serving, {"tp"});
  f.Bind(cmd);
  if (!cmd.Parse(args, out)) return 0;
  return cmd.Run([&] {
    // Without a base: Llama 3 8B (GQA 4:1, head_dim 128), whose shapes
    // split over the whole default grid.
    if (!base.Given()) base.preset = std::string(kDefaultArchBase);
    io::ResolvedArchitecture a = io::ResolveArchitecture(base);
    const model::Architecture arch = a.arch;
    const std::string base_name = base.preset      ? *base.preset
                                  : base.hf_config ? *base.hf_config
                                  : base.arch      ? *base.arch
                                                   : arch.name;
    const sweep::ArchGridOptions o =
        sweep::ArchGridOf(arch, axes, training, serving);
    return Stream(f,
                  out,
                  err,
                  sweep::ArchGridSchema(base_name),
                  sweep::ArchGridRowCount(o),
                  [&](const Emit<sweep::ArchGridRow>& emit) {
                    const auto s = sweep::ArchGrid(o, emit);
                    return std::pair{s, sweep::ArchGridNotes(base_name, o, s)};
                  });
  });
}

constexpr Subcommand kSweeps[] = {
    {"overtraining",
     "tokens-per-parameter ratios at a fixed budget or loss",
     RunOvertraining},
    {"budget", "compute-optimal frontier of each law over budgets", RunBudget},
    {"isoflop", "IsoFLOP curves around each budget's optimum", RunIsoflop},
    {"loss-grid", "loss of each law over an N x D grid", RunLossGrid},
    {"arch", "depth x width (x KV heads) grid of an architecture", RunArch},
};

}  // namespace

int RunSweep(const Args& args, std::ostream& out, std::ostream& err) {
  return RunGroup({"sweep",
                   "the same question over a grid, one CSV row per point",
                   "sweep",
                   "kind",
                   kSweeps,
                   {"scalesim sweep overtraining --flops 1e23 --law "
                    "hoffmann2022_approach3",
                    "scalesim sweep budget --format table"}},
                  args,
                  out,
                  err);
}

}  // namespace scalesim::cli

// scalesim sweep: overtraining ratios, budgets, IsoFLOP curves, loss grids
// and architecture grids, streamed row by row (include/scalesim/sweep/:
// each kind's options, columns, row count and notes). A sweep kind is its
// library file plus a function and a line of kSweeps here (shared streaming
// in sweep_stream.hpp; arch in sweep_arch_command.cpp). Columns are
// documented in docs/sweeps.md.
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "scalesim/core/error.hpp"
#include "scalesim/core/names.hpp"
#include "scalesim/core/validate.hpp"
#include "scalesim/io/law_io.hpp"
#include "scalesim/sweep/sweep.hpp"

#include "cli/cli.hpp"
#include "cli/command.hpp"
#include "cli/dispatch.hpp"
#include "cli/sweep_stream.hpp"

namespace scalesim::cli {
namespace {

// A law sweep's command: its options and --law bound, the sweep that
// `prepare(laws, options)` returns streamed.
template <typename Options, typename Prepare>
int LawSweep(const Args& args,
             std::ostream& out,
             std::ostream& err,
             CommandHelp help,
             Prepare prepare) {
  Command cmd(std::move(help));
  Options o;
  io::LawSelection laws;
  SweepFlags f;
  cmd.Flags("Sweep", o).Flags("Laws", laws);
  f.Bind(cmd);
  if (!cmd.Parse(args, out)) return 0;
  return cmd.Run([&] { return Stream(f, out, err, prepare(laws, o)); });
}

int RunOvertraining(const Args& args, std::ostream& out, std::ostream& err) {
  return LawSweep<sweep::OvertrainingOptions>(
      args,
      out,
      err,
      SweepHelp("overtraining",
                "tokens-per-parameter ratios at a fixed budget or loss: N, "
                "D, loss, penalty, compute overhead, lifetime FLOPs, "
                "serving memory",
                "(--flops C ... | --target-loss L ...) [--ratio-min 1 "
                "--ratio-max 1e4 --points 41] [--inference-tokens TOKENS] "
                "[--unique-tokens U [--effective-data]] [--law NAME|FILE "
                "...]",
                {"scalesim sweep overtraining --flops 1e23 --law "
                 "hoffmann2022_approach3",
                 "scalesim sweep overtraining --target-loss 1.947 "
                 "--inference-tokens 2e12 --law sardana2024",
                 "scalesim sweep overtraining --flops 1e21 1e23 1e25 "
                 "--points 9 --format table",
                 "scalesim sweep overtraining --flops 9.3e21 "
                 "--unique-tokens 25e9 --law muennighoff2023 --points 9 "
                 "--format table"}),
      [](const io::LawSelection& laws, const sweep::OvertrainingOptions& o) {
        if (o.budgets_flops.empty() == o.target_losses.empty())
          FailField("flops", "give exactly one of --flops and --target-loss");
        return sweep::PrepareOvertraining(
            io::SelectLossLaws(laws, o.repeated.given()), laws.given(), o);
      });
}

int RunBudget(const Args& args, std::ostream& out, std::ostream& err) {
  return LawSweep<sweep::BudgetOptions>(
      args,
      out,
      err,
      SweepHelp("budget",
                "the compute-optimal frontier of each law over a range of "
                "budgets",
                "[--flops-min 1e18 --flops-max 1e27 --points 37] [--law "
                "NAME|FILE ...]",
                {"scalesim sweep budget",
                 "scalesim sweep budget --flops-min 1e20 --flops-max 1e25 "
                 "--points 6 --format table"}),
      [](const io::LawSelection& laws, const sweep::BudgetOptions& o) {
        return sweep::PrepareBudget(io::SelectLossLaws(laws, false), o);
      });
}

int RunIsoflop(const Args& args, std::ostream& out, std::ostream& err) {
  return LawSweep<sweep::IsoflopOptions>(
      args,
      out,
      err,
      SweepHelp("isoflop",
                "IsoFLOP curves: loss of model sizes around each budget's "
                "optimum (Hoffmann et al. 2022 Fig. 3)",
                "[--flops C ...] [--span 10 --points 41] [--law NAME|FILE "
                "...]",
                {"scalesim sweep isoflop --law hoffmann2022_approach3",
                 "scalesim sweep isoflop --flops 1e19 1e20 1e21 --span 4 "
                 "--points 9 --format table"}),
      [](const io::LawSelection& laws, const sweep::IsoflopOptions& o) {
        return sweep::PrepareIsoflop(
            io::SelectLossLaws(laws, false), laws.given(), o);
      });
}

int RunLossGrid(const Args& args, std::ostream& out, std::ostream& err) {
  return LawSweep<sweep::LossGridOptions>(
      args,
      out,
      err,
      SweepHelp("loss-grid",
                "predicted loss L(N, D) of each law over a log-spaced N x D "
                "grid (loss contours)",
                "[--params-min 1e7 --params-max 1e12 --params-points 51] "
                "[--tokens-min 1e9 --tokens-max 1e14 --tokens-points 51] "
                "[--law NAME|FILE ...]",
                {"scalesim sweep loss-grid --law hoffmann2022_approach3",
                 "scalesim sweep loss-grid --params-points 200 "
                 "--tokens-points 200"}),
      [](const io::LawSelection& laws, const sweep::LossGridOptions& o) {
        return sweep::PrepareLossGrid(
            io::SelectLossLaws(laws, false), laws.given(), o);
      });
}

constexpr Subcommand kSweeps[] = {
    {"overtraining",
     "tokens-per-parameter ratios at a fixed budget or loss",
     RunOvertraining},
    {"budget", "compute-optimal frontier of each law over budgets", RunBudget},
    {"isoflop", "IsoFLOP curves around each budget's optimum", RunIsoflop},
    {"loss-grid", "loss of each law over an N x D grid", RunLossGrid},
    {"arch",
     "depth x width (x KV heads) grid of an architecture",
     RunSweepArch},
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

// scalesim synth: a synthetic dataset of training runs from a
// Chinchilla-form law over an IsoFLOP design, or from a data-constrained
// law once per unique-token budget (fit/synthetic.hpp; its law and
// summary: workflow::PlanSynthesis, SynthReport).
#include <optional>
#include <ostream>
#include <string>

#include "scalesim/fit/synthetic.hpp"
#include "scalesim/io/dataset_io.hpp"
#include "scalesim/io/files.hpp"
#include "scalesim/workflow/workflow.hpp"

#include "cli/cli.hpp"
#include "cli/command.hpp"

namespace scalesim::cli {
namespace {

// synth's --out is the dataset; the summary goes to stdout.
struct SynthFiles {
  std::optional<std::string> out;
  workflow::SynthLaw law;
  template <typename V>
  void VisitFields(V&& v) {
    v(out,
      {.name = "out",
       .help = "write the dataset to FILE (CSV with columns N, D, C, "
               "loss, and U with --unique-tokens; atomically)",
       .unit = "FILE"});
    law.VisitFields(v);
  }
};

}  // namespace

int RunSynth(const Args& args, std::ostream& out, std::ostream& /*err*/) {
  Command cmd(
      {"synth",
       "write a synthetic dataset of training runs from a Chinchilla-form law "
       "over an IsoFLOP design (budgets 6e18 to 3e21 FLOPs, model sizes "
       "around each optimum), or from a data_constrained law once per "
       "unique-token budget U, with seeded log-normal noise",
       "scalesim synth --out FILE [--law NAME|FILE] [--E --A --B --alpha "
       "--beta] [--noise SIGMA] [--seed S] [--budgets 12] [--sizes 20] "
       "[--min-flops 6e18] [--max-flops 3e21] [--spread 6] [--unique-tokens "
       "U ...] [--format table|csv|json|markdown]",
       {"scalesim synth --out runs.csv --noise 0.01 --seed 7",
        "scalesim synth --out runs.csv --law besiroglu2024",
        "scalesim synth --out runs.csv --E 1.82 --A 482 --B 2085 --alpha "
        "0.348 --beta 0.366",
        "scalesim synth --out runs.csv --law muennighoff2023 --unique-tokens "
        "1e8 1e9 1e10 --min-flops 1e18 --max-flops 1e21 --budgets 6 --sizes "
        "8"}});
  SynthFiles files;
  fit::SynthRequest request;
  OutputOptions format;  // --format only: --out is the dataset
  cmd.Flags("Output", files).Flags("Law and design", request);
  cmd.Flags("Summary", format, {"out"});
  if (!cmd.Parse(args, out)) return 0;
  if (!files.out) cmd.Fail("out", "missing: give --out FILE");
  return cmd.Run([&] {
    const workflow::Synthesis synthesis =
        workflow::PlanSynthesis(files.law, request);
    io::CheckWritable(*files.out);  // before a million-row synthesis
    const fit::Dataset data = fit::Synthesize(synthesis.plan);
    fit::RequireUsableRuns(data);
    io::WriteFileAtomically(*files.out, io::DatasetToCsv(data));
    io::WriteReport(
        workflow::SynthReport(synthesis,
                              static_cast<std::int64_t>(data.points.size()),
                              *files.out),
        format.format,
        out);
    return 0;
  });
}

}  // namespace scalesim::cli

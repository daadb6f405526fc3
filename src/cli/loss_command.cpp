// scalesim loss: predicted loss of (N, D) under every law, with its
// decomposition into irreducible, parameter and data terms
// (laws/loss_report.hpp).
#include <optional>
#include <ostream>
#include <utility>

#include "scalesim/io/architecture_io.hpp"
#include "scalesim/io/law_io.hpp"
#include "scalesim/workflow/workflow.hpp"

#include "cli/cli.hpp"
#include "cli/command.hpp"

namespace scalesim::cli {

int RunLoss(const Args& args, std::ostream& out, std::ostream& /*err*/) {
  Command cmd(
      {"loss",
       "predicted loss of N parameters trained on D tokens under each loss "
       "law, decomposed into irreducible, parameter and data terms",
       "scalesim loss (--params N | --preset NAME | --hf-config FILE | --arch "
       "FILE | --layers L ...) --tokens D [--unique-tokens U ... "
       "[--effective-data]] [--law NAME|FILE ...] [--format "
       "table|csv|json|markdown] [--out FILE]",
       {"scalesim loss --params 70e9 --tokens 1.4e12",
        "scalesim loss --preset chinchilla-70b --tokens 1.4e12 --law "
        "hoffmann2022_approach3",
        "scalesim loss --preset gpt2-small --tokens 3e11 --law kaplan2020 "
        "--format json",
        "scalesim loss --params 6.34e9 --tokens 242e9 --unique-tokens 25e9 "
        "100e9"}});
  laws::LossInputs flags;
  laws::LossQuery query;
  io::ArchitectureSource source;
  io::LawSelection laws;
  OutputOptions output;
  cmd.Flags("Model and data", flags)
      .Flags("Repeated data", query)
      .Flags("Laws", laws)
      .Flags("Model (instead of --params)", source)
      .Output(output);
  if (!cmd.Parse(args, out)) return 0;
  if (source.Given() && flags.params)
    cmd.Fail("params", "give either --params or an architecture, not both");
  if (!source.Given() && !flags.params) {
    cmd.Fail("params",
             "missing: give --params N or an architecture (--preset, "
             "--hf-config, --arch or --layers ...)");
  }
  if (!flags.tokens) cmd.Fail("tokens", "missing: give --tokens D");
  return cmd.Run([&] {
    query.tokens = *flags.tokens;
    query.params = flags.params;
    std::optional<io::ResolvedArchitecture> arch;
    if (source.Given()) arch = io::ResolveArchitecture(source);
    const workflow::Outcome o =
        workflow::Loss(io::SelectLossLaws(laws, query.repeated.given()),
                       laws.given(),
                       query,
                       std::move(arch));
    Command::Emit(o.report, output, out);
    return o.exit_code;
  });
}

}  // namespace scalesim::cli

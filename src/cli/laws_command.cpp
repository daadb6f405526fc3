// scalesim laws: the built-in loss laws (or the given ones) with their
// form, constants, counting convention, dataset and citation.
#include <ostream>

#include "scalesim/io/law_io.hpp"
#include "scalesim/workflow/workflow.hpp"

#include "cli/cli.hpp"
#include "cli/command.hpp"

namespace scalesim::cli {

int RunLaws(const Args& args, std::ostream& out, std::ostream& /*err*/) {
  Command cmd(
      {"laws",
       "the loss laws and compute-optimal frontiers scalesim knows, "
       "with their sources",
       "scalesim laws [--law NAME|FILE ...] [--format "
       "table|csv|json|markdown] [--out FILE]",
       {"scalesim laws", "scalesim laws --law kaplan2020 --format json"}});
  io::LawSelection selection;
  OutputOptions output;
  cmd.Flags("Laws", selection).Output(output);
  if (!cmd.Parse(args, out)) return 0;
  return cmd.Run([&] {
    const workflow::Outcome o =
        workflow::Laws(io::SelectLaws(selection), selection.given());
    Command::Emit(o.report, output, out);
    return o.exit_code;
  });
}

}  // namespace scalesim::cli

// scalesim laws: the built-in loss laws (or the given ones) with their
// form, constants, counting convention, dataset and citation.
#include <ostream>
#include <string>
#include <vector>

#include "scalesim/io/law_io.hpp"
#include "scalesim/laws/law.hpp"

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
    const std::vector<laws::Law> selected = io::SelectLaws(selection);
    io::Report r;
    r.tables.push_back(io::ToTable(
        io::LawsSchema(selection.given() ? "Loss laws"
                                         : "Built-in loss laws (data/laws/)"),
        selected));
    r.notes = io::LawsNotes(selected);
    Command::Emit(r, output, out);
    return 0;
  });
}

}  // namespace scalesim::cli

// scalesim compare <name>: published comparisons recomputed (the
// computation is plan/compare.hpp, its report workflow::Compare*). A
// comparison is a library function with its schemas, a workflow and a
// line of kComparisons here.
#include <ostream>

#include "scalesim/workflow/workflow.hpp"

#include "cli/cli.hpp"
#include "cli/command.hpp"
#include "cli/dispatch.hpp"

namespace scalesim::cli {
namespace {

int RunChinchillaGopher(const Args& args,
                        std::ostream& out,
                        std::ostream& /*err*/) {
  Command cmd(
      {"compare chinchilla-gopher",
       "Hoffmann et al. 2022's Chinchilla vs Gopher at 5.76e23 FLOPs under "
       "every FLOPs convention and loss law; Tables 2 and 3 recomputed; "
       "Kaplan's counting (Pearce & Song 2024)",
       "scalesim compare chinchilla-gopher [--format "
       "table|csv|json|markdown] [--out FILE]",
       {"scalesim compare chinchilla-gopher",
        "scalesim compare chinchilla-gopher --format csv"}});
  OutputOptions output;
  cmd.Output(output);
  if (!cmd.Parse(args, out)) return 0;
  return cmd.Run([&] {
    const workflow::Outcome o = workflow::CompareChinchillaGopher();
    Command::Emit(o.report, output, out);
    return o.exit_code;
  });
}

constexpr Subcommand kComparisons[] = {
    {"chinchilla-gopher",
     "Hoffmann et al. 2022: Chinchilla vs Gopher, Tables 2 and 3, Kaplan's "
     "counting",
     RunChinchillaGopher},
};

}  // namespace

int RunCompare(const Args& args, std::ostream& out, std::ostream& err) {
  return RunGroup({"compare",
                   "published comparisons recomputed under every convention "
                   "and law",
                   "comparison",
                   "comparison",
                   kComparisons,
                   {"scalesim compare chinchilla-gopher",
                    "scalesim compare chinchilla-gopher --help"}},
                  args,
                  out,
                  err);
}

}  // namespace scalesim::cli

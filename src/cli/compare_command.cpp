// scalesim compare <name>: published comparisons recomputed (the
// computation and its tables are plan/compare.hpp). A comparison is a
// library function with its schemas plus a line of kComparisons here.
#include <ostream>

#include "scalesim/io/architecture_io.hpp"
#include "scalesim/io/law_io.hpp"
#include "scalesim/plan/compare.hpp"

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
    const plan::ChinchillaGopher c =
        plan::CompareChinchillaGopher(io::LoadPreset("gopher-280b"),
                                      io::LoadPreset("chinchilla-70b"),
                                      io::BuiltinLaws());
    io::Report r;
    r.tables.push_back(io::ToTable(plan::ComparedModelSchema(), c.models));
    r.tables.push_back(io::ToTable(plan::ComparedFlopsSchema(), c.flops));
    r.tables.push_back(io::ToTable(plan::ComparedLossSchema(), c.losses));
    r.tables.push_back(
        io::ToTable(plan::AllocationSchema(
                        "compute_optimal_at_5.76e23",
                        "Compute-optimal split at 5.76e23 FLOPs (C = 6ND)"),
                    c.optima));
    Schema<plan::ExponentRow> exponents = plan::ExponentSchema();
    exponents.name = "table2_exponents";
    exponents.title =
        "Hoffmann et al. Table 2 recomputed: N_opt ~ C^a, D_opt ~ C^b";
    r.tables.push_back(io::ToTable(exponents, c.exponents));
    if (!c.table3.empty())
      r.tables.push_back(io::ToTable(plan::Table3Schema(), c.table3));
    if (!c.kaplan_counting.empty()) {
      r.tables.push_back(
          io::ToTable(plan::KaplanCountingSchema(), c.kaplan_counting));
    }
    r.notes = c.notes;
    Command::Emit(r, output, out);
    return 0;
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

// scalesim compare chinchilla-gopher's workflow (workflow/workflow.hpp):
// the comparison of plan/compare.hpp over the presets and built-in laws.
#include "scalesim/plan/compare.hpp"

#include "scalesim/io/law_io.hpp"
#include "scalesim/workflow/workflow.hpp"

namespace scalesim::workflow {

Outcome CompareChinchillaGopher() {
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
  return {std::move(r), 0};
}

}  // namespace scalesim::workflow

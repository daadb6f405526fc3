// scalesim synth's workflow (workflow/workflow.hpp): the law and design of
// a synthetic dataset, and the summary of one drawn.
#include <string>
#include <utility>

#include "scalesim/core/validate.hpp"
#include "scalesim/io/law_io.hpp"
#include "scalesim/workflow/workflow.hpp"

namespace scalesim::workflow {
namespace {

struct SynthRecord {
  std::int64_t runs = 0;
  const fit::SynthPlan* plan = nullptr;
};

Schema<SynthRecord> SynthSchema(const std::string& path,
                                const fit::SynthPlan& plan) {
  using R = SynthRecord;
  Schema<R> s{"synthetic", "Synthetic dataset " + path, {}, nullptr};
  s.Add(
      "runs", CellKind::kInteger, [](const R& r) { return CellValue{r.runs}; });
  s.Add("E", CellKind::kReal, [](const R& r) {
    return CellValue{r.plan->law.E};
  });
  s.Add("A", CellKind::kReal, [](const R& r) {
    return CellValue{r.plan->law.A};
  });
  s.Add("B", CellKind::kReal, [](const R& r) {
    return CellValue{r.plan->law.B};
  });
  s.Add("alpha", CellKind::kReal, [](const R& r) {
    return CellValue{r.plan->law.alpha};
  });
  s.Add("beta", CellKind::kReal, [](const R& r) {
    return CellValue{r.plan->law.beta};
  });
  if (plan.repeated) {
    s.Add("R_D_star", CellKind::kReal, [](const R& r) {
      return CellValue{r.plan->repeated->r_d_star};
    });
    s.Add("R_N_star", CellKind::kReal, [](const R& r) {
      return CellValue{r.plan->repeated->r_n_star};
    });
    s.Add("unique_token_budgets", CellKind::kInteger, [](const R& r) {
      return CellValue{static_cast<std::int64_t>(r.plan->unique_tokens.size())};
    });
  }
  s.Add("noise_sigma_log_loss", CellKind::kReal, [](const R& r) {
    return CellValue{r.plan->design.noise_sigma};
  });
  s.Add("seed", CellKind::kText, [](const R& r) {
    return CellValue{std::to_string(r.plan->design.seed)};
  });
  s.Add("min_training_flops", CellKind::kScientific, [](const R& r) {
    return CellValue{r.plan->design.min_flops};
  });
  s.Add("max_training_flops", CellKind::kScientific, [](const R& r) {
    return CellValue{r.plan->design.max_flops};
  });
  return s;
}

}  // namespace

Synthesis PlanSynthesis(const SynthLaw& law, const fit::SynthRequest& request) {
  // Hoffmann et al. 2022 App. D.2 (Eq. 10), Approach 3 as printed.
  laws::ChinchillaForm base{1.69, 406.4, 410.7, 0.34, 0.28};
  const laws::DataConstrainedConstants* repeated = nullptr;
  std::optional<laws::Law> loaded;
  std::string law_source =
      "Hoffmann et al. 2022 App. D.2 Approach 3 (printed constants)";
  if (law.law) {
    loaded = io::LoadLaw(*law.law, {"", 0, "law"});
    repeated = loaded->data_constrained();
    if (loaded->chinchilla() == nullptr && repeated == nullptr) {
      FailField("law",
                "law '" + loaded->name() +
                    "' is not of the Chinchilla form or "
                    "data_constrained (synth needs E, A, B, alpha, beta)");
    }
    if (loaded->chinchilla() != nullptr) base = *loaded->chinchilla();
    law_source = loaded->name() + ": " + loaded->info().citation;
  }
  return {repeated != nullptr ? fit::PlanSynthesis(*repeated, request)
                              : fit::PlanSynthesis(base, request),
          std::move(law_source)};
}

io::Report SynthReport(const Synthesis& s,
                       std::int64_t runs,
                       const std::string& dataset) {
  const fit::IsoFlopDesign& d = s.plan.design;
  io::Report report;
  report.tables.push_back(
      io::ToRecord(SynthSchema(dataset, s.plan), SynthRecord{runs, &s.plan}));
  report.notes.push_back(
      "law: " + s.law_source +
      (s.plan.overridden ? ", with constants overridden by flags" : ""));
  report.notes.push_back(
      "design: " + std::to_string(d.num_budgets) + " budgets log-spaced from " +
      ScientificText(d.min_flops) + " to " + ScientificText(d.max_flops) +
      " FLOPs (after Hoffmann et al. 2022 "
      "Fig. 3), " +
      std::to_string(d.sizes_per_budget) +
      " model sizes per budget log-spaced from N*/" +
      NumberText(d.size_spread) + " to N*x" + NumberText(d.size_spread) +
      " around the law's compute-optimal N*, D = C/(6N); N and D rounded "
      "to whole numbers, C = 6ND");
  report.notes.push_back(
      "loss = L(N, D) * exp(sigma z), z standard normal (Box-Muller on "
      "std::mt19937_64, so the file is the same with every standard "
      "library)");
  if (s.plan.repeated) {
    std::string u;
    for (double x : s.plan.unique_tokens)
      u += (u.empty() ? "" : ", ") + ScientificText(x);
    report.notes.push_back(
        "data-constrained: the design once per unique-token budget U (" + u +
        "), N* the unlimited-data optimum (Muennighoff et al. 2023 Eq. 3), "
        "loss L(N, D, U) with N', D' of Eqs. 5-6 and the law's R_D*, "
        "R_N*");
    report.notes.push_back(
        "columns N, D, U, C, loss: read it back with scalesim fit --form "
        "data_constrained --data " +
        dataset);
  } else {
    report.notes.push_back(
        "columns N, D, C, loss: read it back with scalesim fit --data " +
        dataset);
  }
  return report;
}

}  // namespace scalesim::workflow

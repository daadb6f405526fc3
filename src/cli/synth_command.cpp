// scalesim synth: a synthetic dataset of training runs from a
// Chinchilla-form law over an IsoFLOP design, or from a data-constrained
// law once per unique-token budget (fit/synthetic.hpp).
#include <optional>
#include <ostream>
#include <string>

#include "scalesim/core/validate.hpp"
#include "scalesim/fit/synthetic.hpp"
#include "scalesim/io/dataset_io.hpp"
#include "scalesim/io/files.hpp"
#include "scalesim/io/law_io.hpp"

#include "cli/cli.hpp"
#include "cli/command.hpp"

namespace scalesim::cli {
namespace {

// synth's --out is the dataset; the summary goes to stdout.
struct SynthFiles {
  std::optional<std::string> out;
  std::optional<std::string> law;
  template <typename V>
  void VisitFields(V&& v) {
    v(out,
      {.name = "out",
       .help = "write the dataset to FILE (CSV with columns N, D, C, "
               "loss, and U with --unique-tokens; atomically)",
       .unit = "FILE"});
    v(law,
      {.name = "law",
       .help = "a Chinchilla-form or data_constrained law: built-in "
               "name or law JSON file",
       .unit = "NAME|FILE",
       .default_text = "Hoffmann et al. 2022 Approach 3 as printed"});
  }
};

struct SynthRecord {
  std::int64_t runs = 0;
  fit::SynthPlan plan;
};

Schema<SynthRecord> SynthSchema(const std::string& path,
                                const SynthRecord& record) {
  using R = SynthRecord;
  Schema<R> s{"synthetic", "Synthetic dataset " + path, {}, nullptr};
  s.Add(
      "runs", CellKind::kInteger, [](const R& r) { return CellValue{r.runs}; });
  s.Add(
      "E", CellKind::kReal, [](const R& r) { return CellValue{r.plan.law.E}; });
  s.Add(
      "A", CellKind::kReal, [](const R& r) { return CellValue{r.plan.law.A}; });
  s.Add(
      "B", CellKind::kReal, [](const R& r) { return CellValue{r.plan.law.B}; });
  s.Add("alpha", CellKind::kReal, [](const R& r) {
    return CellValue{r.plan.law.alpha};
  });
  s.Add("beta", CellKind::kReal, [](const R& r) {
    return CellValue{r.plan.law.beta};
  });
  if (record.plan.repeated) {
    s.Add("R_D_star", CellKind::kReal, [](const R& r) {
      return CellValue{r.plan.repeated->r_d_star};
    });
    s.Add("R_N_star", CellKind::kReal, [](const R& r) {
      return CellValue{r.plan.repeated->r_n_star};
    });
    s.Add("unique_token_budgets", CellKind::kInteger, [](const R& r) {
      return CellValue{static_cast<std::int64_t>(r.plan.unique_tokens.size())};
    });
  }
  s.Add("noise_sigma_log_loss", CellKind::kReal, [](const R& r) {
    return CellValue{r.plan.design.noise_sigma};
  });
  s.Add("seed", CellKind::kText, [](const R& r) {
    return CellValue{std::to_string(r.plan.design.seed)};
  });
  s.Add("min_training_flops", CellKind::kScientific, [](const R& r) {
    return CellValue{r.plan.design.min_flops};
  });
  s.Add("max_training_flops", CellKind::kScientific, [](const R& r) {
    return CellValue{r.plan.design.max_flops};
  });
  return s;
}

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
    // Hoffmann et al. 2022 App. D.2 (Eq. 10), Approach 3 as printed.
    laws::ChinchillaForm base{1.69, 406.4, 410.7, 0.34, 0.28};
    const laws::DataConstrainedConstants* repeated = nullptr;
    std::optional<laws::Law> loaded;
    std::string law_source =
        "Hoffmann et al. 2022 App. D.2 Approach 3 (printed constants)";
    if (files.law) {
      loaded = io::LoadLaw(*files.law, {"", 0, "law"});
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
    SynthRecord record{0,
                       repeated != nullptr
                           ? fit::PlanSynthesis(*repeated, request)
                           : fit::PlanSynthesis(base, request)};
    io::CheckWritable(*files.out);  // before a million-row synthesis
    const fit::Dataset data = fit::Synthesize(record.plan);
    fit::RequireUsableRuns(data);
    io::WriteFileAtomically(*files.out, io::DatasetToCsv(data));
    record.runs = static_cast<std::int64_t>(data.points.size());

    const fit::IsoFlopDesign& d = record.plan.design;
    io::Report report;
    report.tables.push_back(
        io::ToRecord(SynthSchema(*files.out, record), record));
    report.notes.push_back(
        "law: " + law_source +
        (record.plan.overridden ? ", with constants overridden by flags" : ""));
    report.notes.push_back(
        "design: " + std::to_string(d.num_budgets) +
        " budgets log-spaced from " + ScientificText(d.min_flops) + " to " +
        ScientificText(d.max_flops) +
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
    if (record.plan.repeated) {
      std::string u;
      for (double x : record.plan.unique_tokens)
        u += (u.empty() ? "" : ", ") + ScientificText(x);
      report.notes.push_back(
          "data-constrained: the design once per unique-token budget U (" + u +
          "), N* the unlimited-data optimum (Muennighoff et al. 2023 Eq. 3), "
          "loss L(N, D, U) with N', D' of Eqs. 5-6 and the law's R_D*, "
          "R_N*");
      report.notes.push_back(
          "columns N, D, U, C, loss: read it back with scalesim fit --form "
          "data_constrained --data " +
          *files.out);
    } else {
      report.notes.push_back(
          "columns N, D, C, loss: read it back with scalesim fit --data " +
          *files.out);
    }
    io::WriteReport(report, format.format, out);
    return 0;
  });
}

}  // namespace scalesim::cli

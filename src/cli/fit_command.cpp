// scalesim fit: fit a scaling law to training runs from a CSV file
// (fit/fit_report.hpp: Chinchilla Approach 3, Kaplan's joint law,
// single-variable power laws, IsoFLOP Approach 2, the data-constrained form,
// with bootstrap).
#include <memory>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "scalesim/fit/fit_report.hpp"
#include "scalesim/io/dataset_io.hpp"
#include "scalesim/io/files.hpp"
#include "scalesim/io/law_io.hpp"
#include "scalesim/io/row_writer.hpp"
#include "scalesim/workflow/workflow.hpp"

#include "cli/cli.hpp"
#include "cli/command.hpp"
#include "cli/progress.hpp"

namespace scalesim::cli {
namespace {

// The files a fit writes besides its report.
struct FitOutputs {
  std::optional<std::string> law_out;
  std::optional<std::string> residuals;
  std::optional<std::string> bootstrap_samples;
  bool progress = false;
  template <typename V>
  void VisitFields(V&& v) {
    v(law_out,
      {.name = "law_out",
       .help = "write the fitted law to FILE (law JSON, usable with "
               "--law)",
       .unit = "FILE"});
    v(residuals,
      {.name = "residuals",
       .help = "write observed, predicted and residual loss per run "
               "to FILE (CSV)",
       .unit = "FILE"});
    v(bootstrap_samples,
      {.name = "bootstrap_samples",
       .help = "write every usable bootstrap refit to FILE "
               "(CSV)",
       .unit = "FILE"});
    v(progress,
      {.name = "progress",
       .help = "report progress every 5 s on stderr even when it "
               "is not a terminal",
       .is_switch = true});
  }
};

std::string Csv(const io::Table& t) {
  std::ostringstream out;
  io::WriteReport(io::Report{{t}, {}}, io::Format::kCsv, out);
  return out.str();
}

}  // namespace

int RunFit(const Args& args, std::ostream& out, std::ostream& err) {
  Command cmd(
      {"fit",
       "fit a scaling law to training runs (Chinchilla Approach 3 with the "
       "published 4,500-start grid, Kaplan's joint law, power laws, IsoFLOP "
       "Approach 2, Muennighoff et al. 2023's data-constrained form) with "
       "bootstrap intervals",
       "scalesim fit --form chinchilla|kaplan|power|isoflop|data_constrained "
       "--data FILE [--params-col N --tokens-col D --flops-col C --loss-col "
       "loss --unique-col U] "
       "[--filter COL=VALUE ...] [--bootstrap 4000] [--budget C] [--law-out "
       "FILE] [--residuals FILE] [--format table|csv|json|markdown] [--out "
       "FILE]",
       {"scalesim fit --form chinchilla --data "
        "data/datasets/synthetic_chinchilla.csv --budget 5.76e23 --bootstrap "
        "100",
        "scalesim fit --form kaplan --data "
        "data/datasets/synthetic_chinchilla.csv --bootstrap 0 --format json",
        "scalesim fit --form isoflop --data "
        "data/datasets/synthetic_chinchilla.csv --bootstrap 0",
        "scalesim fit --form power --variable C --data "
        "data/datasets/synthetic_chinchilla.csv --bootstrap 0",
        "scalesim fit --form data_constrained --data "
        "data/datasets/synthetic_data_constrained.csv --bootstrap 0"}});
  fit::FitRequest request;
  io::DatasetSource source;
  FitOutputs files;
  OutputOptions output;
  cmd.Flags("Fit", request)
      .Flags("Data", source)
      .Flags("Outputs", files)
      .Output(output);
  if (!cmd.Parse(args, out)) return 0;
  return cmd.Run([&] {
    // Everything the user typed is checked before any work or output.
    const fit::FitForm& form = fit::FindFitForm(request.form);
    if (files.law_out && !form.has_law) {
      cmd.Fail("law_out",
               "a single-variable power law has no law-file form (chinchilla, "
               "kaplan or frontier); use --format json for its constants");
    }
    if (files.residuals && !form.predicts_loss) {
      cmd.Fail("residuals",
               "isoflop predicts no loss per run (use --form chinchilla)");
    }
    if (files.bootstrap_samples && request.bootstrap <= 0)
      cmd.Fail("bootstrap_samples", "needs --bootstrap greater than 0");
    if (!source.data) cmd.Fail("data", "missing: give --data FILE");
    std::vector<std::string> outputs;
    for (const auto* o : {&output.out,
                          &files.law_out,
                          &files.residuals,
                          &files.bootstrap_samples}) {
      if (*o) outputs.push_back(**o);
    }
    io::RequireDistinctFiles({*source.data}, outputs);
    for (const std::string& o : outputs) io::CheckWritable(o);

    const fit::Dataset data = io::ReadDataset(source, form.needs_unique_tokens);
    std::vector<std::unique_ptr<Progress>> phases;
    const fit::ProgressFactory progress = [&](const std::string& what) {
      phases.push_back(
          std::make_unique<Progress>(err, "fit", what, files.progress));
      return phases.back()->Callback();
    };
    fit::FitReport f = fit::RunFit(data, request, *source.data, progress);
    phases.clear();

    // Every output of the run appears together, or none does.
    io::OutputSet set;
    if (files.residuals && f.status() != fit::FitStatus::kFailed) {
      set.Add(*files.residuals, io::ResidualsToCsv(data, f.predicted));
      f.notes.push_back("residuals (observed - predicted) written to " +
                        *files.residuals);
    }
    if (files.bootstrap_samples && f.summary.bootstrap) {
      const fit::BootstrapSummary& b = *f.summary.bootstrap;
      set.Add(*files.bootstrap_samples,
              Csv(io::ToTable(fit::BootstrapSampleSchema(b),
                              fit::BootstrapSampleRows(b))));
      f.notes.push_back("bootstrap refits written to " +
                        *files.bootstrap_samples);
    }
    if (files.law_out) {
      if (f.law) {
        set.Add(*files.law_out, io::LawToJson(*f.law));
        f.notes.push_back("law '" + f.law->name() + "' written to " +
                          *files.law_out + " (use it with --law " +
                          *files.law_out + ")");
      } else {
        f.notes.push_back("law file " + *files.law_out +
                          " not written: " + f.no_law_reason);
      }
    }
    const workflow::Outcome o = workflow::Fit(f);
    const io::Report& report = o.report;
    if (output.out) {
      std::ostringstream text;
      io::WriteReport(report, output.format, text);
      set.Add(*output.out, text.str());
    } else {
      io::WriteReport(report, output.format, out);
    }
    set.Commit();
    return o.exit_code;
  });
}

}  // namespace scalesim::cli

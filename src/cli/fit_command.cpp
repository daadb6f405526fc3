// scalesim fit: fit a scaling law to training runs from a CSV file
// (Chinchilla Approach 3, Kaplan's joint law, single-variable power laws,
// IsoFLOP Approach 2), with bootstrap uncertainty.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "scalesim/core/error.hpp"
#include "scalesim/fit/bootstrap.hpp"
#include "scalesim/fit/chinchilla_fit.hpp"
#include "scalesim/fit/isoflop_fit.hpp"
#include "scalesim/fit/kaplan_fit.hpp"
#include "scalesim/io/dataset_io.hpp"
#include "scalesim/io/files.hpp"
#include "scalesim/io/format.hpp"
#include "scalesim/io/law_io.hpp"
#include "scalesim/laws/law.hpp"

#include "cli/cli.hpp"
#include "cli/law_options.hpp"
#include "cli/progress.hpp"

namespace scalesim::cli {
namespace {

InputLocation Flag(const char* flag) {
  return InputLocation{"command line", 0, std::string("--") + flag};
}

io::Cell MaybeReal(double v) {
  return std::isfinite(v) ? io::Real(v) : io::Empty();
}
io::Cell MaybeSci(double v) {
  return std::isfinite(v) ? io::Sci(v) : io::Empty();
}

struct ConstantRow {
  std::string name;
  double value;
  bool scientific;  // show as 3.14e23 rather than 6 significant digits
  std::string unit;
};

// The constants table: value and, with a bootstrap, its standard error and
// 95 % percentile interval.
io::Table ConstantsTable(const std::string& title,
                         const std::vector<ConstantRow>& rows,
                         const fit::BootstrapSummary* boot) {
  io::Table t{"constants",
              title,
              {"constant",
               "value",
               "std_error",
               "ci95_low",
               "ci95_high",
               "interval_method",
               "unit"},
              {}};
  for (const ConstantRow& r : rows) {
    auto cell = [&](double v) {
      return r.scientific ? MaybeSci(v) : MaybeReal(v);
    };
    const fit::BootstrapEstimate* e =
        boot != nullptr ? boot->Find(r.name) : nullptr;
    if (e != nullptr) {
      t.AddRow({io::Text(r.name),
                cell(r.value),
                cell(e->std_error),
                cell(e->ci95_low),
                cell(e->ci95_high),
                io::Text("bootstrap percentile"),
                io::Text(r.unit)});
    } else {
      t.AddRow({io::Text(r.name),
                cell(r.value),
                io::Empty(),
                io::Empty(),
                io::Empty(),
                io::Text(""),
                io::Text(r.unit)});
    }
  }
  return t;
}

void AddSummaryRows(io::Table& t, const fit::MultiStartSummary& s) {
  t.AddRow(
      {io::Text("status"), io::Text(std::string(fit::ToString(s.status)))});
  t.AddRow({io::Text("message"), io::Text(s.message)});
  t.AddRow({io::Text("objective"), io::Real(s.objective)});
  t.AddRow({io::Text("points"), io::Integer(s.num_points)});
  t.AddRow({io::Text("starts"), io::Integer(s.num_starts)});
  t.AddRow({io::Text("converged_starts"), io::Integer(s.converged_starts)});
  t.AddRow({io::Text("best_basin_starts"), io::Integer(s.best_basin_starts)});
  t.AddRow({io::Text("best_start"), io::Integer(s.best_start)});
  t.AddRow({io::Text("solver_termination"), io::Text(s.solver_message)});
}

void AddBootstrapRows(io::Table& t, const fit::BootstrapSummary& b) {
  t.AddRow({io::Text("bootstrap_resamples"), io::Integer(b.resamples)});
  t.AddRow({io::Text("bootstrap_usable"), io::Integer(b.usable)});
  t.AddRow({io::Text("bootstrap_unsettled"), io::Integer(b.unsettled)});
  t.AddRow({io::Text("bootstrap_seed"), io::Text(std::to_string(b.seed))});
}

// A converged fit whose bootstrap shows the data do not pin it down is
// reported ill-posed (fit::IdentifiabilityProblems).
void ApplyIdentifiability(fit::MultiStartSummary& s,
                          const fit::BootstrapSummary& boot,
                          double min_loss) {
  if (s.status != fit::FitStatus::kConverged &&
      s.status != fit::FitStatus::kIllPosed)
    return;
  const std::string why = fit::IdentifiabilityProblems(boot, min_loss);
  if (why.empty()) return;
  s.message = (s.status == fit::FitStatus::kIllPosed ? s.message + "; "
                                                     : std::string()) +
              "not identified by the data: " + why;
  s.status = fit::FitStatus::kIllPosed;
}

std::string BootstrapNote(const fit::BootstrapSummary& b,
                          const std::string& refit) {
  return "bootstrap: " + std::to_string(b.resamples) +
         " resamples of the runs with replacement (seed " +
         std::to_string(b.seed) +
         ", resample i seeded by SplitMix64(seed + (i+1)*0x9E3779B97F4A7C15)); "
         "std_error = standard "
         "deviation of the refits, 95% interval = their 2.5th and 97.5th "
         "percentiles (type 7); " +
         std::to_string(b.usable) + " refits usable, " +
         std::to_string(b.unsettled) + " of them not converged or ill-posed; " +
         refit;
}

std::string Basename(const std::string& path) {
  std::string stem = std::filesystem::path(path).stem().string();
  for (char& c : stem) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9')))
      c = '_';
  }
  return stem.empty() ? "fit" : stem;
}

laws::FittedRange RangeOf(const fit::Dataset& d) {
  laws::FittedRange r;
  bool first = true;
  for (const fit::DataPoint& p : d.points) {
    if (first) {
      r.min_params = r.max_params = p.params;
      r.min_tokens = r.max_tokens = p.tokens;
      r.min_training_flops = r.max_training_flops = p.training_flops;
      first = false;
      continue;
    }
    r.min_params = std::min(r.min_params, p.params);
    r.max_params = std::max(r.max_params, p.params);
    r.min_tokens = std::min(r.min_tokens, p.tokens);
    r.max_tokens = std::max(r.max_tokens, p.tokens);
    r.min_training_flops = std::min(r.min_training_flops, p.training_flops);
    r.max_training_flops = std::max(r.max_training_flops, p.training_flops);
  }
  return r;
}

struct Outputs {
  std::optional<std::string> law_file;   // --out
  std::optional<std::string> residuals;  // --residuals
  std::optional<std::string> samples;    // --bootstrap-samples
};

// One row per usable bootstrap refit, one column per estimate (E, A, ...).
std::string BootstrapSamplesCsv(const fit::BootstrapSummary& b) {
  std::string csv = "resample";
  for (const fit::BootstrapEstimate& e : b.estimates) csv += "," + e.name;
  csv += '\n';
  for (std::size_t i = 0; i < b.samples.size(); ++i) {
    csv += std::to_string(i);
    for (double v : b.samples[i]) csv += "," + io::CellText(v);
    csv += '\n';
  }
  return csv;
}

}  // namespace

int RunFit(const Args& args, std::ostream& out, std::ostream& err) {
  po::options_description options("Options");
  options.add_options()("form",
                        po::value<std::string>(),
                        "chinchilla (Approach 3), kaplan (joint law), power "
                        "(one variable) or isoflop (Approach 2)")(
      "data",
      po::value<std::string>(),
      "CSV file of training runs (one row per run)")(
      "params-col",
      po::value<std::string>()->default_value("N"),
      "column of parameter counts N")(
      "tokens-col",
      po::value<std::string>()->default_value("D"),
      "column of training tokens D (else D = C/(6N))")(
      "flops-col",
      po::value<std::string>()->default_value("C"),
      "column of training FLOPs C (else C = 6ND)")(
      "loss-col",
      po::value<std::string>()->default_value("loss"),
      "column of final losses (nats/token)")(
      "filter",
      po::value<std::vector<std::string>>()->composing(),
      "keep rows where COLUMN=VALUE (also !=, <, <=, >, >=; repeatable, at "
      "most 4)")("drop-highest-loss",
                 po::value<std::int64_t>()->default_value(0),
                 "drop the K runs with the highest loss")(
      "variable",
      po::value<std::string>()->default_value("N"),
      "power: the variable, N, D or C")(
      "no-irreducible", "power: fit (x_c/x)^alpha instead of E + A/x^alpha")(
      "budget-tolerance",
      po::value<double>()->default_value(0.01),
      "isoflop: relative spread of FLOPs within one budget")(
      "bootstrap",
      po::value<std::int64_t>()->default_value(fit::kDefaultBootstrapResamples),
      "bootstrap resamples (0: none)")(
      "seed",
      po::value<std::uint64_t>()->default_value(0),
      "seed of the bootstrap resamples")(
      "budget",
      po::value<double>(),
      "training FLOPs at which to report compute-optimal N and D")(
      "residuals",
      po::value<std::string>(),
      "write observed, predicted and residual loss per run to FILE (CSV)")(
      "bootstrap-samples",
      po::value<std::string>(),
      "write every usable bootstrap refit (one row each, one column per "
      "constant) to FILE (CSV)")("threads",
                                 po::value<std::int64_t>()->default_value(0),
                                 "worker threads (0: all cores)")(
      "law-name",
      po::value<std::string>(),
      "name of the law written by --out (default: fit_<data file>)")(
      "param-count",
      po::value<std::string>()->default_value("total"),
      "which N the data counts, total or non_embedding (recorded in the law "
      "file)")("format",
               po::value<std::string>()->default_value("table"),
               "output format: table, csv or json")(
      "out,o",
      po::value<std::string>(),
      "write the fitted law to FILE (law JSON, data/laws format; atomically)");
  const CommandHelp help{
      "fit",
      "fit a scaling law to training runs (Chinchilla Approach 3 with the "
      "published 4,500-start "
      "grid, Kaplan's joint law, power laws, IsoFLOP Approach 2) with "
      "bootstrap intervals",
      "scalesim fit --form chinchilla|kaplan|power|isoflop --data FILE "
      "[--params-col N] "
      "[--tokens-col D] [--flops-col C] [--loss-col loss] [--filter COL=VALUE "
      "...] "
      "[--drop-highest-loss K] [--bootstrap 4000] [--seed S] [--budget C] "
      "[--residuals FILE] "
      "[--threads K] [--format table|csv|json] [--out law.json]",
      {"scalesim fit --form chinchilla --data "
       "data/datasets/synthetic_chinchilla.csv --budget 5.76e23",
       "scalesim fit --form chinchilla --data runs.csv --params-col Parameters "
       "--tokens-col Tokens "
       "--loss-col 'Smoothed Loss' --out my_law.json",
       "scalesim fit --form isoflop --data runs.csv --params-col params "
       "--flops-col budget "
       "--tokens-col tokens --filter source=ml_scalefit",
       "scalesim fit --form power --variable C --data runs.csv --bootstrap 0",
       "scalesim fit --form kaplan --data runs.csv --residuals residuals.csv "
       "--format json"}};
  po::variables_map vm;
  if (!ParseOptions(args, options, help, vm, out)) return 0;

  // Everything the user typed is checked before any work or output.
  if (vm.count("form") == 0U) {
    throw InvalidInput(
        Flag("form"),
        "missing: give --form chinchilla, kaplan, power or isoflop");
  }
  const std::string form = vm["form"].as<std::string>();
  if (form != "chinchilla" && form != "kaplan" && form != "power" &&
      form != "isoflop") {
    throw InvalidInput(Flag("form"),
                       "unknown form '" + form +
                           "' (valid: chinchilla, kaplan, power, isoflop)");
  }
  if (vm.count("data") == 0U)
    throw InvalidInput(Flag("data"), "missing: give --data FILE");
  const io::Format format = io::ParseFormat(vm["format"].as<std::string>());
  const std::int64_t resamples = vm["bootstrap"].as<std::int64_t>();
  if (resamples < 0 || resamples > 1'000'000) {
    throw InvalidInput(
        Flag("bootstrap"),
        "must be between 0 and 1000000, got " + std::to_string(resamples));
  }
  const std::int64_t threads = vm["threads"].as<std::int64_t>();
  if (threads < 0 || threads > 1024) {
    throw InvalidInput(
        Flag("threads"),
        "must be between 0 and 1024, got " + std::to_string(threads));
  }
  const double budget =
      vm.count("budget") != 0U ? PositiveFlag(vm, "budget") : 0.0;
  const double budget_tolerance = NonNegativeFlag(vm, "budget-tolerance");
  fit::PowerVariable variable = fit::PowerVariable::kParams;
  const std::string variable_text = vm["variable"].as<std::string>();
  if (variable_text == "N") {
    variable = fit::PowerVariable::kParams;
  } else if (variable_text == "D") {
    variable = fit::PowerVariable::kTokens;
  } else if (variable_text == "C") {
    variable = fit::PowerVariable::kTrainingFlops;
  } else {
    throw InvalidInput(
        Flag("variable"),
        "unknown variable '" + variable_text + "' (valid: N, D, C)");
  }
  const bool irreducible = vm.count("no-irreducible") == 0U;
  const laws::ParamCount param_count = laws::ParseParamCount(
      vm["param-count"].as<std::string>(), "command line", "--param-count");
  Outputs outputs;
  if (vm.count("out") != 0U) {
    if (form == "power") {
      throw InvalidInput(Flag("out"),
                         "a single-variable power law has no law-file form "
                         "(chinchilla, kaplan or "
                         "frontier); use --format json for its constants");
    }
    outputs.law_file = vm["out"].as<std::string>();
  }
  if (vm.count("residuals") != 0U) {
    if (form == "isoflop") {
      throw InvalidInput(
          Flag("residuals"),
          "isoflop predicts no loss per run (use --form chinchilla)");
    }
    outputs.residuals = vm["residuals"].as<std::string>();
  }
  // Both output paths are checked before the fit: a typo in one must neither
  // cost a long fit nor leave the other file written.
  if (vm.count("bootstrap-samples") != 0U) {
    if (vm["bootstrap"].as<std::int64_t>() <= 0) {
      throw InvalidInput(Flag("bootstrap-samples"),
                         "needs --bootstrap greater than 0");
    }
    outputs.samples = vm["bootstrap-samples"].as<std::string>();
    io::CheckWritable(*outputs.samples);
  }
  if (outputs.residuals) io::CheckWritable(*outputs.residuals);
  if (outputs.law_file) io::CheckWritable(*outputs.law_file);

  io::DatasetReadOptions read;
  read.columns.params = vm["params-col"].as<std::string>();
  read.columns.tokens = vm["tokens-col"].as<std::string>();
  read.columns.flops = vm["flops-col"].as<std::string>();
  read.columns.loss = vm["loss-col"].as<std::string>();
  if (vm.count("filter") != 0U) {
    for (const std::string& f : vm["filter"].as<std::vector<std::string>>()) {
      read.filters.push_back(io::ParseDatasetFilter(f, "--filter"));
    }
  }
  read.drop_highest_loss = vm["drop-highest-loss"].as<std::int64_t>();
  if (read.drop_highest_loss < 0) {
    throw InvalidInput(Flag("drop-highest-loss"), "must not be negative");
  }
  const std::string data_path = vm["data"].as<std::string>();
  const fit::Dataset data = io::ReadDatasetCsv(data_path, read);

  fit::BootstrapOptions boot_options;
  boot_options.resamples = static_cast<int>(resamples);
  boot_options.seed = vm["seed"].as<std::uint64_t>();
  boot_options.num_threads = static_cast<int>(threads);
  boot_options.budget_flops = budget;

  io::Report report;
  io::Table summary{"fit", "Fit", {"quantity", "value"}, {}};
  summary.AddRow({io::Text("form"), io::Text(form)});
  summary.AddRow({io::Text("data"), io::Text(data_path)});
  fit::FitStatus status = fit::FitStatus::kFailed;
  std::vector<double> predicted;
  std::optional<laws::Law> law;
  laws::LawInfo info;
  info.name = vm.count("law-name") != 0U ? vm["law-name"].as<std::string>()
                                         : "fit_" + Basename(data_path);
  info.dataset = "runs of " + data_path + " (" +
                 std::to_string(data.points.size()) + " points)";
  info.loss_units = "nats per token";
  info.param_count = param_count;
  info.fitted_range = RangeOf(data);
  if (budget > 0.0 && (budget < info.fitted_range.min_training_flops ||
                       budget > info.fitted_range.max_training_flops)) {
    report.notes.push_back(
        "--budget " + io::Scientific(budget) +
        " FLOPs lies outside the runs' FLOPs range " +
        io::Scientific(info.fitted_range.min_training_flops) + " to " +
        io::Scientific(info.fitted_range.max_training_flops) +
        ": N_opt and D_opt there extrapolate the fitted law");
  }
  const std::string budget_text =
      budget > 0.0 ? " at C = " + io::Scientific(budget) + " FLOPs" : "";
  std::optional<fit::BootstrapSummary> boot;
  double min_loss = data.points.front().loss;
  for (const fit::DataPoint& p : data.points)
    min_loss = std::min(min_loss, p.loss);

  if (form == "chinchilla") {
    fit::ChinchillaFitOptions o;
    o.num_threads = static_cast<int>(threads);
    Progress grid_progress(err, "fit", "Approach 3 grid starts");
    o.progress = grid_progress.Callback();
    fit::ChinchillaFit f = fit::FitChinchilla(data, o);
    if (resamples > 0 && f.status != fit::FitStatus::kFailed) {
      Progress boot_progress(err, "fit", "bootstrap resamples");
      boot_options.progress = boot_progress.Callback();
      boot = fit::BootstrapChinchilla(data, f, o, boot_options);
      ApplyIdentifiability(f, *boot, min_loss);
    }
    status = f.status;
    const fit::ComputeOptimal opt =
        fit::ChinchillaComputeOptimal(f.law, budget > 0.0 ? budget : 1.0);
    std::vector<ConstantRow> rows{
        {"E", f.law.E, false, "nats/token"},
        {"A", f.law.A, false, "nats/token * params^alpha"},
        {"B", f.law.B, false, "nats/token * tokens^beta"},
        {"alpha", f.law.alpha, false, ""},
        {"beta", f.law.beta, false, ""},
        {"a", opt.a, false, "N_opt ~ C^a"},
        {"b", opt.b, false, "D_opt ~ C^b"}};
    if (budget > 0.0) {
      rows.push_back({"N_opt", opt.params, true, "params" + budget_text});
      rows.push_back({"D_opt", opt.tokens, true, "tokens" + budget_text});
    }
    report.tables.push_back(ConstantsTable(
        "Chinchilla form L = E + A/N^alpha + B/D^beta (Approach 3)",
        rows,
        boot ? &*boot : nullptr));
    AddSummaryRows(summary, f);
    summary.AddRow({io::Text("huber_delta"), io::Real(o.huber_delta)});
    report.notes.push_back(
        "objective: sum over runs of Huber_delta(LSE(a - alpha log N, b - beta "
        "log D, e) - log L), "
        "delta = 1e-3, A = e^a, B = e^b, E = e^e (Hoffmann et al. 2022 App. "
        "D.2; Besiroglu et al. 2024)");
    report.notes.push_back(
        "L-BFGS (Ceres GradientProblemSolver, Wolfe line search, analytic "
        "gradient) from each of the "
        "4,500 grid starts alpha, beta in {0, 0.5, 1, 1.5, 2}, e in {-1, -0.5, "
        "0, 0.5, 1}, a, b in "
        "{0, 5, ..., 25}; the lowest objective is kept and polished with tight "
        "tolerances");
    report.notes.push_back(
        "best basin: starts whose final objective is within 1e-4 relative (+ "
        "1e-10 absolute) of the "
        "optimum");
    report.notes.push_back(
        "a = beta/(alpha+beta), b = alpha/(alpha+beta); N_opt = G (C/6)^a, "
        "D_opt = (C/6)^b / G, "
        "G = (alpha A/(beta B))^(1/(alpha+beta)) under C = 6ND (Hoffmann et "
        "al. 2022 App. D.3)");
    if (boot) {
      report.notes.push_back(
          BootstrapNote(*boot,
                        "refits start from the full-data optimum and " +
                            std::to_string(fit::kBootstrapGridStarts) +
                            " grid starts of its basin (not the whole grid)"));
    }
    for (const fit::DataPoint& p : data.points)
      predicted.push_back(f.law.Loss(p.params, p.tokens));
    info.citation =
        "fitted by scalesim fit (Chinchilla Approach 3 as in Hoffmann et al. "
        "2022 App. D.2)";
    law.emplace(info, f.law);
  } else if (form == "kaplan") {
    fit::MultiStartOptions o;
    o.num_threads = static_cast<int>(threads);
    Progress grid_progress(err, "fit", "Kaplan grid starts");
    o.progress = grid_progress.Callback();
    fit::KaplanJointFit f = fit::FitKaplanJoint(data, o);
    if (resamples > 0 && f.status != fit::FitStatus::kFailed) {
      Progress boot_progress(err, "fit", "bootstrap resamples");
      boot_options.progress = boot_progress.Callback();
      boot = fit::BootstrapKaplanJoint(data, f, o, boot_options);
      ApplyIdentifiability(f, *boot, min_loss);
    }
    status = f.status;
    const fit::KaplanJointConstants& c = f.constants;
    report.tables.push_back(
        ConstantsTable("Kaplan joint law L = [(N_c/N)^(alpha_N/alpha_D) + "
                       "D_c/D]^alpha_D (Kaplan et al. 2020 Eq. 1.5)",
                       {{"N_c", c.n_c, true, "params"},
                        {"D_c", c.d_c, true, "tokens"},
                        {"alpha_N", c.alpha_n, false, ""},
                        {"alpha_D", c.alpha_d, false, ""}},
                       boot ? &*boot : nullptr));
    AddSummaryRows(summary, f);
    summary.AddRow({io::Text("huber_delta"), io::Real(o.huber_delta)});
    report.notes.push_back(
        "objective (scalesim convention): sum over runs of Huber_delta(log "
        "L_hat - log L), delta = "
        "1e-3, as for Approach 3; L-BFGS from 400 starts log N_c, log D_c in "
        "{15, ..., 35}, "
        "alpha_N/alpha_D in {0.25, 0.5, 1, 2}, alpha_D in {0.05, 0.1, 0.2, "
        "0.4}");
    if (boot)
      report.notes.push_back(
          BootstrapNote(*boot, "refits start from the full-data optimum"));
    for (const fit::DataPoint& p : data.points)
      predicted.push_back(c.Loss(p.params, p.tokens));
    laws::KaplanConstants k;
    k.joint = laws::KaplanJoint{c.alpha_n, c.alpha_d, c.n_c, c.d_c};
    info.citation = "fitted by scalesim fit (Kaplan et al. 2020 Eq. 1.5)";
    law.emplace(info, k);
  } else if (form == "power") {
    fit::MultiStartOptions o;
    o.num_threads = static_cast<int>(threads);
    fit::PowerLawFit f = fit::FitPowerLaw(data, variable, irreducible, o);
    if (resamples > 0 && f.status != fit::FitStatus::kFailed) {
      Progress boot_progress(err, "fit", "bootstrap resamples");
      boot_options.progress = boot_progress.Callback();
      boot = fit::BootstrapPowerLaw(data, f, o, boot_options);
      ApplyIdentifiability(f, *boot, min_loss);
    }
    status = f.status;
    const fit::PowerLawConstants& c = f.constants;
    const std::string x = std::string(fit::ToString(variable));
    std::vector<ConstantRow> rows;
    if (irreducible) {
      rows = {{"E", c.E, false, "nats/token"},
              {"A", c.A, false, ""},
              {"alpha", c.alpha, false, ""}};
    } else {
      rows = {{x + "_c", c.x_c, true, x},
              {"A", c.A, false, "x_c^alpha"},
              {"alpha", c.alpha, false, ""}};
    }
    report.tables.push_back(ConstantsTable(
        irreducible ? "Power law L = E + A/" + x + "^alpha"
                    : "Power law L = (" + x + "_c/" + x + ")^alpha",
        rows,
        boot ? &*boot : nullptr));
    AddSummaryRows(summary, f);
    summary.AddRow({io::Text("huber_delta"), io::Real(o.huber_delta)});
    report.notes.push_back(irreducible
                               ? "objective (scalesim convention): sum of "
                                 "Huber_delta(log L_hat - log L), delta = "
                                 "1e-3; L-BFGS from 210 starts alpha in {0.05, "
                                 "0.1, 0.25, 0.5, 1, 1.5, 2}, "
                                 "log A in {0, ..., 25}, log E in {-1, ..., 1}"
                               : "objective (scalesim convention): sum of "
                                 "Huber_delta(log L_hat - log L), delta = "
                                 "1e-3; convex in (alpha log x_c, alpha): one "
                                 "L-BFGS start at the least-squares line");
    if (x == "C")
      report.notes.push_back(
          "C is training FLOPs as in the data (not PF-days)");
    if (boot)
      report.notes.push_back(
          BootstrapNote(*boot, "refits start from the full-data optimum"));
    for (const fit::DataPoint& p : data.points)
      predicted.push_back(c.Loss(fit::VariableOf(p, variable)));
  } else {
    fit::IsoFlopOptions o;
    o.budget_relative_tolerance = budget_tolerance;
    fit::IsoFlopFit f = fit::FitIsoFlop(data, o);
    if (resamples > 0 && f.status != fit::FitStatus::kFailed) {
      Progress boot_progress(err, "fit", "bootstrap resamples");
      boot_options.progress = boot_progress.Callback();
      boot = fit::BootstrapIsoFlop(data, f, o, boot_options);
      const std::string why = fit::IdentifiabilityProblems(*boot, min_loss);
      if (!why.empty() && f.status != fit::FitStatus::kFailed) {
        f.message = (f.status == fit::FitStatus::kIllPosed ? f.message + "; "
                                                           : std::string()) +
                    "not identified by the data: " + why;
        f.status = fit::FitStatus::kIllPosed;
      }
    }
    io::Table t{
        "constants",
        "IsoFLOP profiles (Approach 2): N_opt = k_N C^a, D_opt = k_D C^b",
        {"constant",
         "value",
         "std_error",
         "ci95_low",
         "ci95_high",
         "interval_method",
         "unit"},
        {}};
    const std::string ols =
        "OLS, Student t with " + std::to_string(f.used_groups - 2) + " dof";
    auto add_ols = [&](const char* name,
                       const fit::PowerLawRegression& r,
                       const char* unit) {
      if (f.status == fit::FitStatus::kFailed) return;
      t.AddRow({io::Text(name),
                io::Real(r.exponent),
                MaybeReal(r.exponent_std_error),
                MaybeReal(r.exponent_ci95_low),
                MaybeReal(r.exponent_ci95_high),
                io::Text(ols),
                io::Text(unit)});
    };
    add_ols("a", f.params_fit, "N_opt ~ C^a");
    add_ols("b", f.tokens_fit, "D_opt ~ C^b");
    if (f.status != fit::FitStatus::kFailed) {
      std::vector<ConstantRow> rows{
          {"k_N", f.params_fit.coefficient, true, "params at C = 1 FLOP"},
          {"k_D", f.tokens_fit.coefficient, true, "tokens at C = 1 FLOP"}};
      if (budget > 0.0) {
        rows.push_back(
            {"N_opt", f.params_fit.At(budget), true, "params" + budget_text});
        rows.push_back(
            {"D_opt", f.tokens_fit.At(budget), true, "tokens" + budget_text});
      }
      if (boot) {
        rows.insert(rows.begin(),
                    {{"a", f.params_fit.exponent, false, "N_opt ~ C^a"},
                     {"b", f.tokens_fit.exponent, false, "D_opt ~ C^b"}});
      }
      for (std::vector<io::Cell>& row :
           ConstantsTable("", rows, boot ? &*boot : nullptr).rows) {
        t.AddRow(std::move(row));
      }
    }
    status = f.status;
    report.tables.push_back(std::move(t));
    io::Table groups{"budgets",
                     "IsoFLOP profiles by training budget",
                     {"training_flops",
                      "runs",
                      "used",
                      "optimal_params",
                      "optimal_tokens",
                      "minimum_loss_nats",
                      "skip_reason"},
                     {}};
    for (const fit::IsoFlopGroup& g : f.groups) {
      groups.AddRow({io::Sci(g.training_flops),
                     io::Integer(g.num_points),
                     io::Text(g.used ? "yes" : "no"),
                     g.used ? io::Sci(g.optimal_params) : io::Empty(),
                     g.used ? io::Sci(g.optimal_tokens) : io::Empty(),
                     g.used ? io::Real(g.minimum_loss) : io::Empty(),
                     io::Text(g.skip_reason)});
    }
    report.tables.push_back(std::move(groups));
    summary.AddRow(
        {io::Text("status"), io::Text(std::string(fit::ToString(f.status)))});
    summary.AddRow({io::Text("message"), io::Text(f.message)});
    summary.AddRow(
        {io::Text("points"),
         io::Integer(static_cast<std::int64_t>(data.points.size()))});
    summary.AddRow({io::Text("budgets"),
                    io::Integer(static_cast<std::int64_t>(f.groups.size()))});
    summary.AddRow({io::Text("budgets_used"), io::Integer(f.used_groups)});
    report.notes.push_back(
        "Approach 2 (Hoffmann et al. 2022 Sec. 3.2): runs grouped by training "
        "FLOPs (within " +
        io::Percent(budget_tolerance) +
        "), a least-squares parabola of loss in log N and in log D per budget, "
        "minima regressed "
        "on log C by ordinary least squares");
    report.notes.push_back(
        "a budget is used when it has >= 3 runs with >= 3 distinct N and both "
        "parabolas have an "
        "interior minimum; each budget's FLOPs is the geometric mean of its "
        "runs'");
    if (boot) {
      report.notes.push_back(
          BootstrapNote(*boot,
                        "each resample regroups its runs; rows with "
                        "interval_method 'bootstrap percentile'"));
    }
    if (f.status != fit::FitStatus::kFailed) {
      // Law files describe a frontier by N_opt alone with D_opt = C/(6 N_opt),
      // i.e. b = 1 - a.
      double sum_log_c = 0.0;
      for (const fit::IsoFlopGroup& g : f.groups) {
        if (g.used) sum_log_c += std::log(g.training_flops);
      }
      laws::PowerLawFrontier frontier;
      frontier.anchor_flops =
          std::exp(sum_log_c / static_cast<double>(f.used_groups));
      frontier.params_exponent = f.params_fit.exponent;
      frontier.tokens_exponent = 1.0 - f.params_fit.exponent;
      frontier.params_at_anchor = f.params_fit.At(frontier.anchor_flops);
      frontier.tokens_at_anchor =
          frontier.anchor_flops / (6.0 * frontier.params_at_anchor);
      info.loss_units.clear();
      info.citation =
          "fitted by scalesim fit (IsoFLOP profiles, Hoffmann et al. 2022 "
          "Approach 2)";
      info.notes =
          "frontier from N_opt = k_N C^a; D_opt = C/(6 N_opt), so b = 1 - a "
          "(the fitted b "
          "from the D parabolas was " +
          io::Exact(f.tokens_fit.exponent) + ")";
      if (outputs.law_file) {
        report.notes.push_back(
            "law file: frontier N_opt(C) with D_opt = C/(6 N_opt), i.e. b = 1 "
            "- a = " +
            io::Exact(frontier.tokens_exponent));
      }
      if (f.params_fit.exponent > 0.0 && f.params_fit.exponent < 1.0)
        law.emplace(info, frontier);
    }
  }
  if (boot) AddBootstrapRows(summary, *boot);
  report.tables.push_back(std::move(summary));
  for (const std::string& n : data.notes) report.notes.push_back(n);
  report.notes.push_back(
      "losses are taken in the file's units (nats/token assumed)");

  const bool settled = status == fit::FitStatus::kConverged;
  if (!settled) {
    report.notes.push_back("status " + std::string(fit::ToString(status)) +
                           ": the constants above are not a reliable law");
  }
  if (outputs.residuals && status != fit::FitStatus::kFailed) {
    io::WriteFileAtomically(*outputs.residuals,
                            io::ResidualsToCsv(data, predicted));
    report.notes.push_back("residuals (observed - predicted) written to " +
                           *outputs.residuals);
  }
  if (outputs.samples && boot) {
    io::WriteFileAtomically(*outputs.samples, BootstrapSamplesCsv(*boot));
    report.notes.push_back("bootstrap refits written to " + *outputs.samples);
  }
  if (outputs.law_file) {
    if (settled && law) {
      io::WriteFileAtomically(*outputs.law_file, io::LawToJson(*law));
      report.notes.push_back("law '" + law->name() + "' written to " +
                             *outputs.law_file + " (use it with --law " +
                             *outputs.law_file + ")");
    } else {
      report.notes.push_back("law file " + *outputs.law_file +
                             " not written: the fit is " +
                             std::string(fit::ToString(status)));
    }
  }
  io::WriteReport(report, format, out);
  return settled ? 0 : 1;
}

}  // namespace scalesim::cli

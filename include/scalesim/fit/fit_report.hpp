// The fit workflow: a law form fitted to a dataset of runs with its
// bootstrap, identifiability checks, fitted range, per-run predictions and
// the law it gives, as one report with column schemas (core/schema.hpp).
// Used by `scalesim fit` and the Python module.
//
// Fit forms are a registry (FitForms): each is one function that fits its
// form, fills the report and builds the law; adding one is a function plus
// a line in src/fit/fit_forms.cpp.
//   chinchilla  Hoffmann et al. 2022 Approach 3 (App. D.2), 4,500 starts
//   kaplan      Kaplan et al. 2020 Eq. 1.5, 400 starts
//   power       one-variable L = E + A/x^alpha or (x_c/x)^alpha
//   isoflop     Hoffmann et al. 2022 Approach 2 (Sec. 3.2)
//   data_constrained  Muennighoff et al. 2023's form on runs with unique
//               tokens U (data_constrained_fit.hpp), 25 starts after an
//               Approach 3 stage
#ifndef SCALESIM_FIT_FIT_REPORT_HPP_
#define SCALESIM_FIT_FIT_REPORT_HPP_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "scalesim/core/enum_names.hpp"
#include "scalesim/core/fields.hpp"
#include "scalesim/core/schema.hpp"
#include "scalesim/fit/bootstrap.hpp"
#include "scalesim/fit/dataset.hpp"
#include "scalesim/fit/fit_status.hpp"
#include "scalesim/fit/isoflop_fit.hpp"
#include "scalesim/fit/kaplan_fit.hpp"
#include "scalesim/laws/law.hpp"

namespace scalesim::fit {

inline constexpr EnumNames<PowerVariable, 3> kPowerVariableNames = {
    {{"N", PowerVariable::kParams},
     {"D", PowerVariable::kTokens},
     {"C", PowerVariable::kTrainingFlops}}};
inline constexpr EnumNames<laws::ParamCount, 2> kParamCountNames = {
    {{"total", laws::ParamCount::kTotal},
     {"non_embedding", laws::ParamCount::kNonEmbedding}}};

// What is fitted and how.
struct FitRequest {
  std::string form;  // a FitForms() name
  std::int64_t bootstrap = kDefaultBootstrapResamples;
  std::int64_t seed = 0;
  std::optional<double> budget;  // report N_opt and D_opt at this C
  std::int64_t threads = 0;      // 0: every core
  PowerVariable variable = PowerVariable::kParams;  // power
  bool no_irreducible = false;                      // power
  double budget_tolerance = 0.01;                   // isoflop
  laws::ParamCount param_count = laws::ParamCount::kTotal;
  std::optional<std::string> law_name;  // default fit_<data file stem>

  template <typename V>
  void VisitFields(V&& v) {
    v(form,
      {.name = "form",
       .help = "chinchilla (Approach 3), kaplan (joint law), power (one "
               "variable), isoflop (Approach 2) or data_constrained "
               "(Muennighoff et al. 2023, runs with a unique-tokens column)",
       .unit = "FORM"});
    v(bootstrap,
      {.name = "bootstrap",
       .help = "bootstrap resamples (0: none)",
       .min = 0,
       .max = 1e6});
    v(seed,
      {.name = "seed",
       .help = "seed of the bootstrap resamples",
       .min = 0,
       .max = 9.2e18});
    v(budget,
      {.name = "budget",
       .help = "training FLOPs at which to report compute-optimal N "
               "and D",
       .unit = "C",
       .min = 0,
       .max = 1e40,
       .min_exclusive = true});
    v(threads,
      {.name = "threads",
       .help = "worker threads (0: all cores)",
       .min = 0,
       .max = 1024});
    v(variable,
      {.name = "variable", .help = "power: the variable, N, D or C"},
      kPowerVariableNames);
    v(no_irreducible,
      {.name = "no_irreducible",
       .help = "power: fit (x_c/x)^alpha instead of E + "
               "A/x^alpha",
       .is_switch = true});
    v(budget_tolerance,
      {.name = "budget_tolerance",
       .help = "isoflop: relative spread of FLOPs within "
               "one budget",
       .min = 0,
       .max = 1});
    v(param_count,
      {.name = "param_count",
       .help = "which N the data counts, total or "
               "non_embedding (recorded in the law file)"},
      kParamCountNames);
    v(law_name,
      {.name = "law_name",
       .help = "name of the fitted law",
       .unit = "NAME",
       .default_text = "fit_<data file>"});
  }
};

// One constant of the fitted form, with its bootstrap interval or the
// interval of an ordinary least-squares regression.
struct ConstantRow {
  std::string name;
  double value = 0.0;
  bool scientific = false;  // shown as 3.14e23 rather than 6 digits
  std::string unit;
  bool has_interval = false;
  double std_error = 0.0;
  double ci95_low = 0.0;
  double ci95_high = 0.0;
  std::string interval_method;  // "bootstrap percentile", "OLS, ..."
};
Schema<ConstantRow> ConstantSchema(std::string title);

// The summary of the fit, a record (fields the form does not have empty).
struct FitSummaryRecord {
  std::string form;
  std::string data;
  FitStatus status = FitStatus::kFailed;
  std::string message;
  std::optional<double> objective;
  std::int64_t points = 0;
  std::optional<std::int64_t> starts;
  std::optional<std::int64_t> converged_starts;
  std::optional<std::int64_t> best_basin_starts;
  std::optional<std::int64_t> best_start;
  std::optional<std::string> solver_termination;
  std::optional<double> huber_delta;
  std::optional<std::int64_t> budgets;       // isoflop
  std::optional<std::int64_t> budgets_used;  // isoflop
  std::optional<BootstrapSummary> bootstrap;
};
Schema<FitSummaryRecord> FitSummarySchema(const FitSummaryRecord& record);

// Approach 2's per-budget profiles.
Schema<IsoFlopGroup> IsoFlopGroupSchema();

// One usable bootstrap refit: a row per refit, a column per constant.
struct BootstrapSampleRow {
  std::int64_t resample = 0;
  const std::vector<double>* values = nullptr;
};
Schema<BootstrapSampleRow> BootstrapSampleSchema(const BootstrapSummary& b);
std::vector<BootstrapSampleRow> BootstrapSampleRows(const BootstrapSummary& b);

struct FitReport {
  std::string constants_title;
  std::vector<ConstantRow> constants;
  FitSummaryRecord summary;
  std::vector<IsoFlopGroup> groups;  // isoflop only
  // The fitted loss at each run (empty for a form that predicts none).
  std::vector<double> predicted;
  // The fitted law, when the fit settled and the form has a law-file form.
  std::optional<laws::Law> law;
  // Why no law: "the fit is ill_posed", "a single-variable power law has
  // no law-file form".
  std::string no_law_reason;
  std::vector<std::string> notes;

  FitStatus status() const { return summary.status; }
  bool settled() const { return summary.status == FitStatus::kConverged; }
};

// Makes a progress callback for one phase of the work ("Approach 3 grid
// starts", "bootstrap resamples"); may return an empty function.
using ProgressFactory = std::function<ProgressCallback(const std::string&)>;

struct FitForm {
  std::string_view name;
  bool has_law = true;        // writes a law file
  bool predicts_loss = true;  // per-run predictions (residuals)
  void (*run)(const Dataset& data,
              const FitRequest& request,
              const ProgressFactory& progress,
              FitReport& report,
              laws::LawInfo& info);
  // Reads each run's unique tokens U (io::DatasetSource::unique_col).
  bool needs_unique_tokens = false;
};
// The registered fit forms.
const std::vector<FitForm>& FitForms();
// The form called `name`; throws InvalidInput naming the field "form" with
// the valid names otherwise.
const FitForm& FindFitForm(std::string_view name);

// The range of the runs (the law's fitted range).
laws::FittedRange RangeOf(const Dataset& data);

// Fits request.form to `data` (named `data_name` in the report and the law
// file). Bad requests throw InvalidInput naming the field; a fit that does
// not converge or is ill-posed is a status in the report.
FitReport RunFit(const Dataset& data,
                 const FitRequest& request,
                 const std::string& data_name,
                 const ProgressFactory& progress = nullptr);

}  // namespace scalesim::fit

#endif  // SCALESIM_FIT_FIT_REPORT_HPP_

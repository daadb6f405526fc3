#include "scalesim/fit/fit_report.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "scalesim/core/error.hpp"
#include "scalesim/core/names.hpp"
#include "scalesim/core/validate.hpp"

namespace scalesim::fit {
namespace {

CellValue Finite(double v) {
  return std::isfinite(v) ? CellValue{v} : CellValue{};
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

// Distinct values of x (relative tolerance 1e-9).
int Distinct(std::vector<double> x) {
  std::sort(x.begin(), x.end());
  int n = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (i == 0 || x[i] > x[i - 1] * (1.0 + 1e-9)) ++n;
  }
  return n;
}

// Pearson correlation of log N and log D over the runs.
double LogCorrelation(const Dataset& data) {
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  const double n = static_cast<double>(data.points.size());
  for (const DataPoint& p : data.points) {
    const double x = std::log(p.params);
    const double y = std::log(p.tokens);
    sx += x;
    sy += y;
    sxx += x * x;
    syy += y * y;
    sxy += x * y;
  }
  const double vx = sxx - sx * sx / n;
  const double vy = syy - sy * sy / n;
  if (!(vx > 0.0) || !(vy > 0.0)) return 1.0;
  return (sxy - sx * sy / n) / std::sqrt(vx * vy);
}

// A law cannot be told apart from the data when the runs leave one of its
// directions unexplored: fewer than three distinct values of a variable it
// depends on, or, for a law of N and D, all runs on one line in (log N,
// log D) (each budget's runs at the compute-optimal size: only the
// frontier is measured).
constexpr int kMinDistinctValues = 3;
constexpr double kMaxLogCorrelation = 0.999;

std::string TooFew(int distinct, const char* what) {
  return "the runs have " + std::to_string(distinct) + " distinct " + what +
         " (at least " + std::to_string(kMinDistinctValues) +
         " are needed to fit its dependence)";
}

std::string DesignProblems(const Dataset& data,
                           std::string_view form,
                           PowerVariable variable) {
  std::vector<double> n;
  std::vector<double> d;
  std::vector<double> x;
  for (const DataPoint& p : data.points) {
    n.push_back(p.params);
    d.push_back(p.tokens);
    x.push_back(VariableOf(p, variable));
  }
  if (form == "power") {
    const int distinct = Distinct(x);
    return distinct < kMinDistinctValues
               ? TooFew(distinct, std::string(ToString(variable)).c_str())
               : "";
  }
  const int distinct_n = Distinct(n);
  const int distinct_d = Distinct(d);
  if (distinct_n < kMinDistinctValues) return TooFew(distinct_n, "N");
  if (distinct_d < kMinDistinctValues) {
    return TooFew(distinct_d, "D");
  }
  const double r = LogCorrelation(data);
  if (std::fabs(r) > kMaxLogCorrelation) {
    return "log N and log D of the runs are correlated at " + NumberText(r) +
           ": the runs lie on one line (e.g. one model size per budget) and "
           "the N and D terms cannot be separated";
  }
  return "";
}

}  // namespace

Schema<ConstantRow> ConstantSchema(std::string title) {
  using R = ConstantRow;
  Schema<R> s{"constants", std::move(title), {}, nullptr};
  s.Add("constant", CellKind::kText, [](const R& r) {
    return CellValue{r.name};
  });
  auto number = [](double R::*field) {
    return [field](const R& r) {
      if (!std::isfinite(r.*field)) return CellValue{};
      return CellValue{r.*field};
    };
  };
  // Scientific rows (N_c, k_N, N_opt) read better as 3.14e23.
  const auto kind = [](const R& r) {
    return r.scientific ? CellKind::kScientific : CellKind::kReal;
  };
  s.Add("value", CellKind::kReal, number(&R::value));
  s.Add("std_error", CellKind::kReal, [](const R& r) {
    return r.has_interval ? Finite(r.std_error) : CellValue{};
  });
  s.Add("ci95_low", CellKind::kReal, [](const R& r) {
    return r.has_interval ? Finite(r.ci95_low) : CellValue{};
  });
  s.Add("ci95_high", CellKind::kReal, [](const R& r) {
    return r.has_interval ? Finite(r.ci95_high) : CellValue{};
  });
  for (std::size_t j = 1; j <= 4; ++j) s.columns[j].kind_of = kind;
  s.Add("interval_method", CellKind::kText, [](const R& r) {
    return CellValue{r.interval_method};
  });
  s.Add("unit", CellKind::kText, [](const R& r) { return CellValue{r.unit}; });
  return s;
}

Schema<FitSummaryRecord> FitSummarySchema(const FitSummaryRecord& record) {
  using R = FitSummaryRecord;
  Schema<R> s{"fit", "Fit", {}, nullptr};
  s.Add("form", CellKind::kText, [](const R& r) { return CellValue{r.form}; });
  s.Add("data", CellKind::kText, [](const R& r) { return CellValue{r.data}; });
  s.Add("status", CellKind::kText, [](const R& r) {
    return CellValue{std::string(ToString(r.status))};
  });
  s.Add("message", CellKind::kText, [](const R& r) {
    return CellValue{r.message};
  });
  if (record.objective) {
    s.Add("objective", CellKind::kReal, [](const R& r) {
      return CellValue{*r.objective};
    });
  }
  s.Add("points", CellKind::kInteger, [](const R& r) {
    return CellValue{r.points};
  });
  auto opt_int = [&s](const char* name,
                      std::optional<std::int64_t> R::*field,
                      const R& rec) {
    if (!(rec.*field)) return;
    s.Add(name, CellKind::kInteger, [field](const R& r) {
      return CellValue{*(r.*field)};
    });
  };
  opt_int("starts", &R::starts, record);
  opt_int("converged_starts", &R::converged_starts, record);
  opt_int("best_basin_starts", &R::best_basin_starts, record);
  opt_int("best_start", &R::best_start, record);
  if (record.solver_termination) {
    s.Add("solver_termination", CellKind::kText, [](const R& r) {
      return CellValue{*r.solver_termination};
    });
  }
  if (record.huber_delta) {
    s.Add("huber_delta", CellKind::kReal, [](const R& r) {
      return CellValue{*r.huber_delta};
    });
  }
  opt_int("budgets", &R::budgets, record);
  opt_int("budgets_used", &R::budgets_used, record);
  if (record.bootstrap) {
    s.Add("bootstrap_resamples", CellKind::kInteger, [](const R& r) {
      return CellValue{std::int64_t{r.bootstrap->resamples}};
    });
    s.Add("bootstrap_usable", CellKind::kInteger, [](const R& r) {
      return CellValue{std::int64_t{r.bootstrap->usable}};
    });
    s.Add("bootstrap_unsettled", CellKind::kInteger, [](const R& r) {
      return CellValue{std::int64_t{r.bootstrap->unsettled}};
    });
    s.Add("bootstrap_seed", CellKind::kText, [](const R& r) {
      return CellValue{std::to_string(r.bootstrap->seed)};
    });
  }
  return s;
}

Schema<IsoFlopGroup> IsoFlopGroupSchema() {
  using G = IsoFlopGroup;
  Schema<G> s{"budgets", "IsoFLOP profiles by training budget", {}, nullptr};
  s.Add("training_flops", CellKind::kScientific, [](const G& g) {
    return CellValue{g.training_flops};
  });
  s.Add("runs", CellKind::kInteger, [](const G& g) {
    return CellValue{std::int64_t{g.num_points}};
  });
  s.Add("used", CellKind::kText, [](const G& g) {
    return CellValue{std::string(g.used ? "yes" : "no")};
  });
  s.Add("optimal_params", CellKind::kScientific, [](const G& g) {
    return g.used ? CellValue{g.optimal_params} : CellValue{};
  });
  s.Add("optimal_tokens", CellKind::kScientific, [](const G& g) {
    return g.used ? CellValue{g.optimal_tokens} : CellValue{};
  });
  s.Add("minimum_loss_nats", CellKind::kReal, [](const G& g) {
    return g.used ? CellValue{g.minimum_loss} : CellValue{};
  });
  s.Add("skip_reason", CellKind::kText, [](const G& g) {
    return CellValue{g.skip_reason};
  });
  return s;
}

Schema<BootstrapSampleRow> BootstrapSampleSchema(const BootstrapSummary& b) {
  using R = BootstrapSampleRow;
  Schema<R> s{"bootstrap_samples", "Bootstrap refits", {}, nullptr};
  s.Add("resample", CellKind::kInteger, [](const R& r) {
    return CellValue{r.resample};
  });
  for (std::size_t j = 0; j < b.estimates.size(); ++j) {
    s.Add(b.estimates[j].name, CellKind::kReal, [j](const R& r) {
      return CellValue{(*r.values)[j]};
    });
  }
  return s;
}

std::vector<BootstrapSampleRow> BootstrapSampleRows(const BootstrapSummary& b) {
  std::vector<BootstrapSampleRow> rows;
  rows.reserve(b.samples.size());
  for (std::size_t i = 0; i < b.samples.size(); ++i)
    rows.push_back({static_cast<std::int64_t>(i), &b.samples[i]});
  return rows;
}

const FitForm& FindFitForm(std::string_view name) {
  std::vector<std::string> names;
  for (const FitForm& f : FitForms()) {
    if (f.name == name) return f;
    names.emplace_back(f.name);
  }
  std::string valid;
  for (const std::string& n : names) valid += (valid.empty() ? "" : ", ") + n;
  if (name.empty()) FailField("form", "missing: give --form " + valid);
  FailField("form",
            "unknown form '" + Excerpt(name) + "'" + DidYouMean(name, names) +
                " (valid: " + valid + ")");
}

laws::FittedRange RangeOf(const Dataset& d) {
  laws::FittedRange r;
  bool first = true;
  for (const DataPoint& p : d.points) {
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

FitReport RunFit(const Dataset& data,
                 const FitRequest& request,
                 const std::string& data_name,
                 const ProgressFactory& progress) {
  const FitForm& form = FindFitForm(request.form);
  ValidateFields(request);
  if (data.points.empty()) FailField("data", "the dataset has no runs");
  FitReport report;
  report.summary.form = request.form;
  report.summary.data = data_name;
  report.summary.points = static_cast<std::int64_t>(data.points.size());
  laws::LawInfo info;
  info.name = request.law_name.value_or("fit_" + Basename(data_name));
  info.dataset = "runs of " + data_name + " (" +
                 std::to_string(data.points.size()) + " points)";
  info.loss_units = "nats per token";
  info.param_count = request.param_count;
  info.fitted_range = RangeOf(data);
  if (request.budget &&
      (*request.budget < info.fitted_range.min_training_flops ||
       *request.budget > info.fitted_range.max_training_flops)) {
    report.notes.push_back(
        "budget " + ScientificText(*request.budget) +
        " FLOPs lies outside the runs' FLOPs range " +
        ScientificText(info.fitted_range.min_training_flops) + " to " +
        ScientificText(info.fitted_range.max_training_flops) +
        ": N_opt and D_opt there extrapolate the fitted law");
  }
  if (form.needs_unique_tokens) {
    for (const DataPoint& p : data.points) {
      if (!(std::isfinite(p.unique_tokens) && p.unique_tokens > 0.0)) {
        throw InvalidInput(
            InputLocation{data_name, p.line, "unique_tokens"},
            "form " + request.form +
                " needs every run's unique tokens U (a positive number)");
      }
    }
  }
  form.run(data, request, progress, report, info);

  // The design can leave the law unidentified whatever the optimiser says.
  FitSummaryRecord& s = report.summary;
  if (form.name != "isoflop" &&
      (s.status == FitStatus::kConverged || s.status == FitStatus::kIllPosed)) {
    const std::string why = DesignProblems(data, form.name, request.variable);
    if (!why.empty()) {
      s.message = (s.status == FitStatus::kIllPosed ? s.message + "; "
                                                    : std::string()) +
                  "not identified by the data: " + why;
      s.status = FitStatus::kIllPosed;
    }
  }
  for (const std::string& n : data.notes) report.notes.push_back(n);
  report.notes.push_back(
      "losses are taken in the file's units (nats/token assumed)");
  if (!report.settled()) {
    report.notes.push_back("status " +
                           std::string(ToString(report.summary.status)) +
                           ": the constants above are not a reliable law");
    report.law.reset();
    report.no_law_reason =
        "the fit is " + std::string(ToString(report.summary.status));
    if (report.summary.status != FitStatus::kConverged) {
      // A failed fit prints no constants as if they were a law.
      if (report.summary.status == FitStatus::kFailed) report.constants.clear();
    }
  }
  if (!form.has_law && report.no_law_reason.empty()) {
    report.no_law_reason =
        "a single-variable power law has no law-file form (chinchilla, "
        "kaplan or frontier)";
  }
  return report;
}

}  // namespace scalesim::fit

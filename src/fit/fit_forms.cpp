// The fit forms (fit_report.hpp): one function per form and one line each
// in FitForms().
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "scalesim/core/error.hpp"
#include "scalesim/core/validate.hpp"
#include "scalesim/fit/bootstrap.hpp"
#include "scalesim/fit/chinchilla_fit.hpp"
#include "scalesim/fit/data_constrained_fit.hpp"
#include "scalesim/fit/fit_report.hpp"
#include "scalesim/fit/isoflop_fit.hpp"
#include "scalesim/fit/kaplan_fit.hpp"

namespace scalesim::fit {
namespace {

ProgressCallback Phase(const ProgressFactory& progress, const char* what) {
  return progress ? progress(what) : nullptr;
}

double MinLoss(const Dataset& data) {
  double m = data.points.front().loss;
  for (const DataPoint& p : data.points) m = std::min(m, p.loss);
  return m;
}

BootstrapOptions BootstrapFor(const FitRequest& r) {
  BootstrapOptions b;
  b.resamples = static_cast<int>(r.bootstrap);
  b.seed = static_cast<std::uint64_t>(r.seed);
  b.num_threads = static_cast<int>(r.threads);
  b.budget_flops = r.budget.value_or(0.0);
  return b;
}

// A fit whose bootstrap shows the data do not pin it down is ill-posed
// (IdentifiabilityProblems).
template <typename Summary>
void ApplyIdentifiability(Summary& s,
                          const BootstrapSummary& boot,
                          double min_loss) {
  if (s.status != FitStatus::kConverged && s.status != FitStatus::kIllPosed)
    return;
  const std::string why = IdentifiabilityProblems(boot, min_loss);
  if (why.empty()) return;
  s.message =
      (s.status == FitStatus::kIllPosed ? s.message + "; " : std::string()) +
      "not identified by the data: " + why;
  s.status = FitStatus::kIllPosed;
}

// Constant rows: value and, with a bootstrap, its standard error and 95 %
// percentile interval.
struct Row {
  std::string name;
  double value;
  bool scientific;
  std::string unit;
};
std::vector<ConstantRow> Rows(const std::vector<Row>& rows,
                              const BootstrapSummary* boot) {
  std::vector<ConstantRow> out;
  for (const Row& r : rows) {
    ConstantRow c;
    c.name = r.name;
    c.value = r.value;
    c.scientific = r.scientific;
    c.unit = r.unit;
    if (const BootstrapEstimate* e = boot ? boot->Find(r.name) : nullptr) {
      c.has_interval = true;
      c.std_error = e->std_error;
      c.ci95_low = e->ci95_low;
      c.ci95_high = e->ci95_high;
      c.interval_method = "bootstrap percentile";
    }
    out.push_back(std::move(c));
  }
  return out;
}

void Summarize(const MultiStartSummary& s, double huber, FitReport& r) {
  FitSummaryRecord& m = r.summary;
  m.status = s.status;
  m.message = s.message;
  m.objective = s.objective;
  m.points = s.num_points;
  m.starts = s.num_starts;
  m.converged_starts = s.converged_starts;
  m.best_basin_starts = s.best_basin_starts;
  m.best_start = s.best_start;
  m.solver_termination = s.solver_message;
  m.huber_delta = huber;
}

std::string BootstrapNote(const BootstrapSummary& b, const std::string& refit) {
  return "bootstrap: " + std::to_string(b.resamples) +
         " resamples of the runs with replacement (seed " +
         std::to_string(b.seed) +
         ", resample i seeded by SplitMix64(seed + (i+1)*0x9E3779B97F4A7C15)); "
         "std_error = standard deviation of the refits, 95% interval = their "
         "2.5th and 97.5th percentiles (type 7); " +
         std::to_string(b.usable) + " refits usable, " +
         std::to_string(b.unsettled) + " of them not converged or ill-posed; " +
         refit;
}

// The fitted law's bootstrap draws (laws::LawDraws): each usable refit in
// resample order, up to laws::kMaxLawDraws, as the form's constants
// (`constants` maps a refit's values, in BootstrapSummary order, to them)
// built through the registry, so that a law file reads every draw back; a
// refit the form refuses (a constant at its bound) is left out.
using DrawConstants =
    std::function<std::vector<laws::Constant>(const std::vector<double>&)>;
laws::LawDraws DrawsOf(const std::optional<BootstrapSummary>& boot,
                       std::string_view form,
                       const DrawConstants& constants) {
  laws::LawDraws d;
  if (!boot) return d;
  d.resamples = boot->resamples;
  d.seed = boot->seed;
  for (const std::vector<double>& sample : boot->samples) {
    if (d.size() >= laws::kMaxLawDraws) break;
    std::map<std::string, double, std::less<>> values;
    for (const laws::Constant& c : constants(sample)) values[c.name] = c.value;
    laws::ConstantReader reader(std::move(values), "bootstrap draw");
    try {
      d.forms.push_back(laws::MakeLawForm(form, reader));
    } catch (const InvalidInput&) {
      // Left out: the form's own checks decide what a law file can hold.
    }
  }
  return d;
}

// The same for refits whose sample i is the constant names[i].
laws::LawDraws DrawsOf(const std::optional<BootstrapSummary>& boot,
                       std::string_view form,
                       std::vector<std::string> names) {
  return DrawsOf(boot, form, [names](const std::vector<double>& v) {
    std::vector<laws::Constant> c;
    for (std::size_t i = 0; i < names.size() && i < v.size(); ++i)
      c.push_back({names[i], v[i]});
    return c;
  });
}

// The bootstrap of fit `f` (fitted with `o`) when asked and `f` did not
// fail: `resample` (BootstrapChinchilla, ...) refits the resamples; the
// identifiability checks then judge `f`.
template <typename Fit, typename Options, typename Resample>
std::optional<BootstrapSummary> BootstrapIfAsked(
    const Dataset& data,
    const FitRequest& req,
    const ProgressFactory& progress,
    Fit& f,
    const Options& o,
    Resample resample) {
  if (req.bootstrap <= 0 || f.status == FitStatus::kFailed) return std::nullopt;
  BootstrapOptions b = BootstrapFor(req);
  b.progress = Phase(progress, "bootstrap resamples");
  std::optional<BootstrapSummary> boot = resample(data, f, o, b);
  ApplyIdentifiability(f, *boot, MinLoss(data));
  return boot;
}

// A multi-start fit's options: the request's threads, progress as `phase`.
template <typename Options>
Options Starts(const FitRequest& req,
               const ProgressFactory& progress,
               const char* phase) {
  Options o;
  o.num_threads = static_cast<int>(req.threads);
  o.progress = Phase(progress, phase);
  return o;
}

std::string OneDecimalPercent(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", fraction * 100.0);
  return buf;
}

std::string AtBudget(const FitRequest& r) {
  return r.budget ? " at C = " + ScientificText(*r.budget) + " FLOPs" : "";
}

void FitChinchillaForm(const Dataset& data,
                       const FitRequest& req,
                       const ProgressFactory& progress,
                       FitReport& r,
                       laws::LawInfo& info) {
  const auto o =
      Starts<ChinchillaFitOptions>(req, progress, "Approach 3 grid starts");
  ChinchillaFit f = FitChinchilla(data, o);
  const std::optional<BootstrapSummary> boot =
      BootstrapIfAsked(data, req, progress, f, o, &BootstrapChinchilla);
  const ComputeOptimal opt =
      ChinchillaComputeOptimal(f.law, req.budget.value_or(1.0));
  std::vector<Row> rows{{"E", f.law.E, false, "nats/token"},
                        {"A", f.law.A, false, "nats/token * params^alpha"},
                        {"B", f.law.B, false, "nats/token * tokens^beta"},
                        {"alpha", f.law.alpha, false, ""},
                        {"beta", f.law.beta, false, ""},
                        {"a", opt.a, false, "N_opt ~ C^a"},
                        {"b", opt.b, false, "D_opt ~ C^b"}};
  if (req.budget) {
    rows.push_back({"N_opt", opt.params, true, "params" + AtBudget(req)});
    rows.push_back({"D_opt", opt.tokens, true, "tokens" + AtBudget(req)});
  }
  r.constants_title =
      "Chinchilla form L = E + A/N^alpha + B/D^beta (Approach 3)";
  r.constants = Rows(rows, boot ? &*boot : nullptr);
  Summarize(f, o.huber_delta, r);
  r.summary.bootstrap = boot;
  r.notes.push_back(
      "objective: sum over runs of Huber_delta(LSE(a - alpha log N, b - beta "
      "log D, e) - log L), delta = 1e-3, A = e^a, B = e^b, E = e^e (Hoffmann "
      "et al. 2022 App. D.2; Besiroglu et al. 2024)");
  r.notes.push_back(
      "L-BFGS (Ceres GradientProblemSolver, Wolfe line search, analytic "
      "gradient) from each of the 4,500 grid starts alpha, beta in {0, 0.5, "
      "1, 1.5, 2}, e in {-1, -0.5, 0, 0.5, 1}, a, b in {0, 5, ..., 25}; the "
      "lowest objective is kept and polished with tight tolerances");
  r.notes.push_back(
      "best basin: starts whose final objective is within 1e-4 relative (+ "
      "1e-10 absolute) of the optimum");
  r.notes.push_back(
      "a = beta/(alpha+beta), b = alpha/(alpha+beta); N_opt = G (C/6)^a, "
      "D_opt = (C/6)^b / G, G = (alpha A/(beta B))^(1/(alpha+beta)) under C "
      "= 6ND (Hoffmann et al. 2022 App. D.3)");
  if (boot) {
    r.notes.push_back(
        BootstrapNote(*boot,
                      "refits start from the full-data optimum and " +
                          std::to_string(kBootstrapGridStarts) +
                          " grid starts of its basin (not the whole grid)"));
  }
  for (const DataPoint& p : data.points)
    r.predicted.push_back(f.law.Loss(p.params, p.tokens));
  info.citation =
      "fitted by scalesim fit (Chinchilla Approach 3 as in Hoffmann et al. "
      "2022 App. D.2)";
  // Refits: E, A, B, alpha, beta, ... (BootstrapChinchilla).
  r.law.emplace(info,
                std::make_shared<laws::ChinchillaLawForm>(f.law),
                DrawsOf(boot, "chinchilla", {"E", "A", "B", "alpha", "beta"}));
}

void FitDataConstrainedForm(const Dataset& data,
                            const FitRequest& req,
                            const ProgressFactory& progress,
                            FitReport& r,
                            laws::LawInfo& info) {
  const auto o = Starts<DataConstrainedFitOptions>(
      req, progress, "data-constrained starts");
  DataConstrainedFit f = FitDataConstrained(data, o);
  const std::optional<BootstrapSummary> boot =
      BootstrapIfAsked(data, req, progress, f, o, &BootstrapDataConstrained);
  const laws::ChinchillaForm& k = f.law.chinchilla;
  const ComputeOptimal opt =
      ChinchillaComputeOptimal(k, req.budget.value_or(1.0));
  std::vector<Row> rows{{"E", k.E, false, "nats/token"},
                        {"A", k.A, false, "nats/token * params^alpha"},
                        {"B", k.B, false, "nats/token * tokens^beta"},
                        {"alpha", k.alpha, false, ""},
                        {"beta", k.beta, false, ""},
                        {"R_D_star", f.law.r_d_star, false, "repetitions"},
                        {"R_N_star", f.law.r_n_star, false, "repetitions"},
                        {"a", opt.a, false, "N_opt ~ C^a (unique data)"},
                        {"b", opt.b, false, "D_opt ~ C^b (unique data)"}};
  if (req.budget) {
    rows.push_back({"N_opt",
                    opt.params,
                    true,
                    "params" + AtBudget(req) + ", unique data"});
    rows.push_back({"D_opt",
                    opt.tokens,
                    true,
                    "tokens" + AtBudget(req) + ", unique data"});
  }
  r.constants_title =
      "Data-constrained form L = E + A/N'^alpha + B/D'^beta (Muennighoff et "
      "al. 2023)";
  r.constants = Rows(rows, boot ? &*boot : nullptr);
  Summarize(f, o.huber_delta, r);
  r.summary.bootstrap = boot;
  r.notes.push_back(
      "objective: sum over runs of Huber_delta(LSE(a - alpha log N', b - "
      "beta log D', e) - log L), delta = 1e-3, A = e^a, B = e^b, E = e^e, "
      "with N', D' of Muennighoff et al. 2023 Eqs. 5-6 and U_N of Eq. 15; "
      "all seven constants fitted jointly, alpha and beta free (not tied)");
  r.notes.push_back(
      "starts: Approach 3's 4,500-point grid on the " +
      std::to_string(f.stage_one_runs) +
      " runs with D <= U (all runs when fewer than 5), its optimum paired "
      "with every R_D*, R_N* in {1, 3, 10, 30, 100} (25 L-BFGS starts); the "
      "lowest objective is kept and polished with tight tolerances");
  r.notes.push_back(
      "a, b, N_opt, D_opt: the unlimited-data frontier (Eq. 3, Hoffmann et "
      "al. 2022 App. D.3 with the fitted E, A, B, alpha, beta); under a "
      "unique-token budget use scalesim optimal --law FILE --unique-tokens "
      "U");
  if (boot) {
    r.notes.push_back(
        BootstrapNote(*boot, "refits start from the full-data optimum"));
  }
  const laws::DataConstrainedLaw law(f.law);
  for (const DataPoint& p : data.points) {
    r.predicted.push_back(law.LossRepeated(
        p.params, p.tokens, laws::DataBudget{p.unique_tokens}));
  }
  info.citation =
      "fitted by scalesim fit (Muennighoff et al. 2023's data-constrained "
      "form, Approach 3 objective of Hoffmann et al. 2022 App. D.2)";
  info.notes =
      "D counts every token processed, repeats included; U the unique "
      "tokens of each run";
  // Refits: E, A, B, alpha, beta, R_D_star, R_N_star, ...
  // (BootstrapDataConstrained), the law file's names.
  r.law.emplace(
      info,
      std::make_shared<laws::DataConstrainedLawForm>(f.law),
      DrawsOf(boot,
              "data_constrained",
              {"E", "A", "B", "alpha", "beta", "R_D_star", "R_N_star"}));
}

void FitKaplanForm(const Dataset& data,
                   const FitRequest& req,
                   const ProgressFactory& progress,
                   FitReport& r,
                   laws::LawInfo& info) {
  const auto o = Starts<MultiStartOptions>(req, progress, "Kaplan grid starts");
  KaplanJointFit f = FitKaplanJoint(data, o);
  const std::optional<BootstrapSummary> boot =
      BootstrapIfAsked(data, req, progress, f, o, &BootstrapKaplanJoint);
  const KaplanJointConstants& c = f.constants;
  r.constants_title =
      "Kaplan joint law L = [(N_c/N)^(alpha_N/alpha_D) + D_c/D]^alpha_D "
      "(Kaplan et al. 2020 Eq. 1.5)";
  r.constants = Rows({{"N_c", c.n_c, true, "params"},
                      {"D_c", c.d_c, true, "tokens"},
                      {"alpha_N", c.alpha_n, false, ""},
                      {"alpha_D", c.alpha_d, false, ""}},
                     boot ? &*boot : nullptr);
  Summarize(f, o.huber_delta, r);
  r.summary.bootstrap = boot;
  r.notes.push_back(
      "objective (scalesim convention): sum over runs of Huber_delta(log "
      "L_hat - log L), delta = 1e-3, as for Approach 3; L-BFGS from 400 "
      "starts log N_c, log D_c in {15, ..., 35}, alpha_N/alpha_D in {0.25, "
      "0.5, 1, 2}, alpha_D in {0.05, 0.1, 0.2, 0.4}");
  if (boot)
    r.notes.push_back(
        BootstrapNote(*boot, "refits start from the full-data optimum"));
  for (const DataPoint& p : data.points)
    r.predicted.push_back(c.Loss(p.params, p.tokens));
  laws::KaplanConstants k;
  k.joint = laws::KaplanJoint{c.alpha_n, c.alpha_d, c.n_c, c.d_c};
  info.citation = "fitted by scalesim fit (Kaplan et al. 2020 Eq. 1.5)";
  // Refits: N_c, D_c, alpha_N, alpha_D (BootstrapKaplanJoint).
  r.law.emplace(
      info,
      std::make_shared<laws::KaplanLawForm>(k),
      DrawsOf(boot,
              "kaplan",
              {"joint.n_c", "joint.d_c", "joint.alpha_n", "joint.alpha_d"}));
}

void FitPowerForm(const Dataset& data,
                  const FitRequest& req,
                  const ProgressFactory& progress,
                  FitReport& r,
                  laws::LawInfo& /*info*/) {
  MultiStartOptions o;
  o.num_threads = static_cast<int>(req.threads);
  const bool irreducible = !req.no_irreducible;
  PowerLawFit f = FitPowerLaw(data, req.variable, irreducible, o);
  const std::optional<BootstrapSummary> boot =
      BootstrapIfAsked(data, req, progress, f, o, &BootstrapPowerLaw);
  const PowerLawConstants& c = f.constants;
  const std::string x(ToString(req.variable));
  std::vector<Row> rows;
  if (irreducible) {
    rows = {{"E", c.E, false, "nats/token"},
            {"A", c.A, false, ""},
            {"alpha", c.alpha, false, ""}};
  } else {
    rows = {{x + "_c", c.x_c, true, x},
            {"A", c.A, false, "x_c^alpha"},
            {"alpha", c.alpha, false, ""}};
  }
  r.constants_title = irreducible
                          ? "Power law L = E + A/" + x + "^alpha"
                          : "Power law L = (" + x + "_c/" + x + ")^alpha";
  r.constants = Rows(rows, boot ? &*boot : nullptr);
  Summarize(f, o.huber_delta, r);
  r.summary.bootstrap = boot;
  r.notes.push_back(
      irreducible
          ? "objective (scalesim convention): sum of Huber_delta(log L_hat - "
            "log L), delta = 1e-3; L-BFGS from 210 starts alpha in {0.05, "
            "0.1, 0.25, 0.5, 1, 1.5, 2}, log A in {0, ..., 25}, log E in {-1, "
            "..., 1}"
          : "objective (scalesim convention): sum of Huber_delta(log L_hat - "
            "log L), delta = 1e-3; convex in (alpha log x_c, alpha): one "
            "L-BFGS start at the least-squares line");
  if (x == "C")
    r.notes.push_back("C is training FLOPs as in the data (not PF-days)");
  if (boot)
    r.notes.push_back(
        BootstrapNote(*boot, "refits start from the full-data optimum"));
  for (const DataPoint& p : data.points)
    r.predicted.push_back(c.Loss(VariableOf(p, req.variable)));
}

void FitIsoFlopForm(const Dataset& data,
                    const FitRequest& req,
                    const ProgressFactory& progress,
                    FitReport& r,
                    laws::LawInfo& info) {
  IsoFlopOptions o;
  o.budget_relative_tolerance = req.budget_tolerance;
  IsoFlopFit f = FitIsoFlop(data, o);
  const std::optional<BootstrapSummary> boot =
      BootstrapIfAsked(data, req, progress, f, o, &BootstrapIsoFlop);
  r.constants_title =
      "IsoFLOP profiles (Approach 2): N_opt = k_N C^a, D_opt = k_D C^b";
  if (f.status != FitStatus::kFailed) {
    const std::string ols =
        "OLS, Student t with " + std::to_string(f.used_groups - 2) + " dof";
    auto add_ols =
        [&](const char* name, const PowerLawRegression& reg, const char* unit) {
          ConstantRow c;
          c.name = name;
          c.value = reg.exponent;
          c.unit = unit;
          c.has_interval = true;
          c.std_error = reg.exponent_std_error;
          c.ci95_low = reg.exponent_ci95_low;
          c.ci95_high = reg.exponent_ci95_high;
          c.interval_method = ols;
          r.constants.push_back(std::move(c));
        };
    add_ols("a", f.params_fit, "N_opt ~ C^a");
    add_ols("b", f.tokens_fit, "D_opt ~ C^b");
    std::vector<Row> rows{
        {"k_N", f.params_fit.coefficient, true, "params at C = 1 FLOP"},
        {"k_D", f.tokens_fit.coefficient, true, "tokens at C = 1 FLOP"}};
    if (req.budget) {
      rows.push_back({"N_opt",
                      f.params_fit.At(*req.budget),
                      true,
                      "params" + AtBudget(req)});
      rows.push_back({"D_opt",
                      f.tokens_fit.At(*req.budget),
                      true,
                      "tokens" + AtBudget(req)});
    }
    if (boot) {
      rows.insert(rows.begin(),
                  {{"a", f.params_fit.exponent, false, "N_opt ~ C^a"},
                   {"b", f.tokens_fit.exponent, false, "D_opt ~ C^b"}});
    }
    for (ConstantRow& c : Rows(rows, boot ? &*boot : nullptr))
      r.constants.push_back(std::move(c));
  }
  r.groups = f.groups;
  FitSummaryRecord& m = r.summary;
  m.status = f.status;
  m.message = f.message;
  m.points = static_cast<std::int64_t>(data.points.size());
  m.budgets = static_cast<std::int64_t>(f.groups.size());
  m.budgets_used = f.used_groups;
  m.bootstrap = boot;
  r.notes.push_back(
      "Approach 2 (Hoffmann et al. 2022 Sec. 3.2): runs grouped by training "
      "FLOPs (within " +
      OneDecimalPercent(req.budget_tolerance) +
      "), a least-squares parabola of loss in log N and in log D per "
      "budget, minima regressed on log C by ordinary least squares");
  r.notes.push_back(
      "a budget is used when it has >= 3 runs with >= 3 distinct N and both "
      "parabolas have an interior minimum; each budget's FLOPs is the "
      "geometric mean of its runs'");
  if (boot) {
    r.notes.push_back(BootstrapNote(
        *boot,
        "each resample regroups its runs; rows with interval_method "
        "'bootstrap percentile'"));
  }
  if (f.status == FitStatus::kFailed) return;
  // Law files describe a frontier by N_opt alone with D_opt = C/(6 N_opt),
  // i.e. b = 1 - a.
  double sum_log_c = 0.0;
  for (const IsoFlopGroup& g : f.groups) {
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
      "frontier from N_opt = k_N C^a; D_opt = C/(6 N_opt), so b = 1 - a (the "
      "fitted b from the D parabolas was " +
      NumberText(f.tokens_fit.exponent) + ")";
  r.notes.push_back(
      "law file: frontier N_opt(C) with D_opt = C/(6 N_opt), i.e. b = 1 - a "
      "= " +
      NumberText(frontier.tokens_exponent));
  // Refits: a, b, k_N, k_D (BootstrapIsoFlop), each a frontier through the
  // same anchor budget with b = 1 - a.
  const double anchor = frontier.anchor_flops;
  if (f.params_fit.exponent > 0.0 && f.params_fit.exponent < 1.0) {
    r.law.emplace(
        info,
        std::make_shared<laws::FrontierLawForm>(frontier),
        DrawsOf(boot, "frontier", [anchor](const std::vector<double>& v) {
          return std::vector<laws::Constant>{
              {"params_exponent", v[0]},
              {"tokens_exponent", 1.0 - v[0]},
              {"anchor_training_flops", anchor},
              {"anchor_params", v[2] * std::pow(anchor, v[0])}};
        }));
  }
}

}  // namespace

const std::vector<FitForm>& FitForms() {
  static const std::vector<FitForm> kForms = {
      {"chinchilla", true, true, &FitChinchillaForm},
      {"kaplan", true, true, &FitKaplanForm},
      {"power", false, true, &FitPowerForm},
      {"isoflop", true, false, &FitIsoFlopForm},
      {"data_constrained", true, true, &FitDataConstrainedForm, true},
  };
  return kForms;
}

}  // namespace scalesim::fit

#include "scalesim/plan/optimal_report.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "scalesim/core/error.hpp"
#include "scalesim/core/names.hpp"
#include "scalesim/core/validate.hpp"
#include "scalesim/laws/law_columns.hpp"

namespace scalesim::plan {
namespace {

constexpr double kFlopsPerTeraflop = 1e12;

std::string TwoDecimals(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

bool Finite(const Allocation& a) {
  return std::isfinite(a.params) && std::isfinite(a.tokens) &&
         std::isfinite(a.training_flops);
}

// Whether a solve failed numerically (exit code 1).
bool Failed(const OptimumResult& r) {
  return r.status == SolveStatus::kNotConverged ||
         (r.ok() && !Finite(r.allocation));
}

CellValue MaybeReal(double v) {
  return std::isfinite(v) ? CellValue{v} : CellValue{};
}

// The prices of the cost version (Sardana et al. 2024 Sec. 3), each field
// named in its errors.
FlopPrices Prices(const OptimalOptions& o, std::vector<std::string>& notes) {
  if (!o.peak_tflops || !o.usd_per_hour) {
    FailField(!o.peak_tflops ? "peak_tflops" : "usd_per_hour",
              "missing: the cost version needs the training device's peak "
              "(--peak-tflops or --device) and price (--usd-per-hour)");
  }
  auto per_flop =
      [](double peak_tflops, double mfu, double usd, const char* field) {
        return RequireFiniteResult(
            DollarsPerFlop(peak_tflops * kFlopsPerTeraflop, mfu, usd),
            field,
            "price per FLOP");
      };
  FlopPrices p;
  p.training_dollars_per_flop =
      per_flop(*o.peak_tflops, o.mfu, *o.usd_per_hour, "mfu");
  std::vector<std::string> defaulted;
  if (!o.inference_peak_tflops) defaulted.push_back("inference peak");
  if (!o.inference_mfu) defaulted.push_back("inference MFU");
  if (!o.inference_usd_per_hour) defaulted.push_back("inference price");
  p.inference_dollars_per_flop =
      per_flop(o.inference_peak_tflops.value_or(*o.peak_tflops),
               o.inference_mfu.value_or(o.mfu),
               o.inference_usd_per_hour.value_or(*o.usd_per_hour),
               "inference_mfu");
  notes.push_back(
      "cost: dollars per FLOP = usd_per_hour / (3600 s * peak FLOP/s * MFU); "
      "training " +
      NumberText(p.training_dollars_per_flop) + " $/FLOP, inference " +
      NumberText(p.inference_dollars_per_flop) + " $/FLOP (training MFU " +
      NumberText(o.mfu) + ")");
  if (!defaulted.empty()) {
    notes.push_back(JoinNames(defaulted) +
                    " not given: the training values are used");
  }
  return p;
}

// Why a frontier cannot answer a loss question, as bad input when named.
void FrontierCannotAnswer(const std::string& message) {
  FailField("law",
            message +
                " (a frontier gives N_opt(C) only: ask for a budget "
                "or a model size)");
}

void ComputeOptimalRows(const std::vector<laws::Law>& laws,
                        double flops,
                        OptimalReport& r) {
  r.allocation_name = "compute_optimal";
  r.allocation_title =
      "Compute-optimal allocation at C = " + ScientificText(flops) +
      " FLOPs (C = 6 N D)";
  const ComputeOptimalOptions options{flops, {}};
  for (const laws::Law& law : laws) {
    LawOptimum o{&law, law.name(), ComputeOptimal(law, options), {}};
    AddIntervals(o, [&](const laws::Law& draw) {
      return ComputeOptimal(draw, options);
    });
    r.failed = r.failed || Failed(o.result);
    r.allocations.push_back(std::move(o));
    r.exponents.push_back({law.name(), OptimalAllocationExponents(law, {})});
    if (law.kaplan() != nullptr && law.published_allocation()) {
      LawOptimum p{&law,
                   law.name() + " (published allocation)",
                   PublishedAllocation(law, options),
                   {}};
      r.failed = r.failed || Failed(p.result);
      r.notes.push_back(
          law.name() +
          ": the first row minimises the joint law L(N, D) (Eq. 1.5) under "
          "C = 6ND with Brent's method; the published allocation (Sec. 6.1) "
          "comes from L(N, S) and C_min, with C = 2 C_min (training at the "
          "critical batch, Sec. 5.1; Hoffmann et al. 2022 App. D.4), its "
          "tokens as published (6ND = " +
          TwoDecimals(6.0 * p.result.allocation.params *
                      p.result.allocation.tokens / flops) +
          " C) and its loss from L(C_min) (Eq. 1.3)");
      r.allocations.push_back(std::move(p));
      r.exponents.push_back({law.name() + " (published allocation)",
                             PublishedAllocationExponents(law, {})});
    }
  }
  r.notes.push_back(
      "methods: closed_form = Hoffmann et al. 2022 Eq. 4, N* = G (C/6)^a "
      "with G = (alpha A/(beta B))^(1/(alpha+beta)); numerical = Brent's "
      "method over ln N (Boost.Math); published_frontier = the paper's "
      "N_opt ~ C^a as printed");
}

// The optimum at a budget with U unique tokens: a row per law and U. Laws
// that model repetition (or take the effective-data transform) are solved
// with it; the others give their ordinary optimum, noted.
void RepeatedOptimalRows(const std::vector<laws::Law>& laws,
                         double flops,
                         const laws::RepeatedDataOptions& data,
                         OptimalReport& r) {
  r.allocation_name = "repeated_data_optimal";
  r.allocation_title =
      "Compute-optimal allocation at C = " + ScientificText(flops) +
      " FLOPs (C = 6 N D, D counting repeats) with U unique "
      "tokens";
  r.repeated = true;
  std::vector<std::string> assumed_unique;
  std::vector<std::string> transformed;
  for (const laws::Law& law : laws) {
    const OptimumResult unique = ComputeOptimal(law, {flops, {}});
    std::optional<laws::Repetition> repetition;
    if (law.loss_law() != nullptr)
      repetition.emplace(*law.loss_law(), data.effective_data);
    const laws::LossLaw* repeated =
        repetition ? repetition->repeated() : nullptr;
    bool repeats = false;
    for (double u : data.unique_tokens) {
      LawOptimum o{&law, law.name(), unique, {}};
      // Where the unique-data optimum repeats nothing it is the optimum
      // with repetition too (repetition never lowers the loss).
      if (repeated != nullptr &&
          !(unique.ok() && unique.allocation.tokens <= u))
        o.result = ComputeOptimalRepeated(*repeated, {flops, u, {}});
      const Allocation& a = o.result.allocation;
      laws::RepeatedDataPoint p;
      p.model = repetition ? repetition->model()
                           : laws::RepetitionModel::kAssumesUnique;
      p.unique_tokens = u;
      p.epochs = a.tokens / u;
      p.effective = repeated != nullptr
                        ? repeated->Effective(a.params, a.tokens, {u})
                        : laws::EffectiveSize{a.params, a.tokens};
      p.loss = a.loss;
      p.unique_data_loss = unique.allocation.loss;
      repeats = repeats || p.epochs > 1.0;
      o.repeated = p;
      r.failed = r.failed || Failed(o.result);
      r.allocations.push_back(std::move(o));
    }
    if (repetition &&
        repetition->model() == laws::RepetitionModel::kEffectiveData) {
      transformed.push_back(law.name());
    } else if (repeated == nullptr && repeats) {
      assumed_unique.push_back(law.name());
    }
  }
  for (std::string& n : laws::RepeatedDataNotes(
           assumed_unique,
           transformed,
           "the loss of the same law's compute-optimal model at the same C "
           "with unlimited unique data"))
    r.notes.push_back(std::move(n));
  r.notes.push_back(
      "methods with repeated data: numerical = the minimum of L(N, C/(6N), "
      "U) over ln N, a " +
      std::to_string(kRepeatedScanPoints) +
      "-point scan refined by Brent's method (Boost.Math); laws that assume "
      "unique data give their ordinary optimum (closed_form: Hoffmann et "
      "al. 2022 Eq. 4; published_frontier: as printed)");
}

// Minimum compute or optimal tokens: a row per law that can answer.
void InverseRows(const std::vector<laws::Law>& laws,
                 bool explicit_laws,
                 const char* field,
                 const std::function<OptimumResult(const laws::Law&)>& solve,
                 OptimalReport& r) {
  std::vector<std::string> frontiers;
  int answered = 0;
  std::string last_problem;
  for (const laws::Law& law : laws) {
    const OptimumResult o = solve(law);
    if (o.status == SolveStatus::kNotApplicable) {
      if (explicit_laws) FrontierCannotAnswer(o.message);
      frontiers.push_back(law.name());
      continue;
    }
    if (o.status == SolveStatus::kUnreachable) {
      last_problem = "law " + law.name() + ": " + o.message;
      if (explicit_laws) FailField(field, last_problem);
    } else {
      ++answered;
    }
    r.failed = r.failed || Failed(o);
    LawOptimum row{&law, law.name(), o, {}};
    AddIntervals(row, solve);
    r.allocations.push_back(std::move(row));
  }
  if (answered == 0) {
    FailField(field,
              last_problem.empty() ? "no selected law can answer this"
                                   : last_problem);
  }
  if (!frontiers.empty()) {
    r.notes.push_back(
        "skipped compute-optimal frontiers (no loss prediction): " +
        JoinNames(frontiers));
  }
}

void InferenceRows(const std::vector<laws::Law>& laws,
                   bool explicit_laws,
                   const InferenceOptimalOptions& options,
                   const char* field,
                   OptimalReport& r) {
  r.priced = options.prices.has_value();
  r.inference_tokens = options.inference_tokens;
  std::vector<std::string> frontiers;
  int answered = 0;
  std::string last_problem;
  for (const laws::Law& law : laws) {
    const InferenceOptimalResult o = InferenceOptimal(law, options);
    if (o.status == SolveStatus::kNotApplicable) {
      if (explicit_laws) FrontierCannotAnswer(o.message);
      frontiers.push_back(law.name());
      continue;
    }
    if (o.status == SolveStatus::kUnreachable) {
      last_problem = "law " + law.name() + ": " + o.message;
      if (explicit_laws) FailField(field, last_problem);
    } else {
      ++answered;
    }
    r.failed = r.failed || o.status == SolveStatus::kNotConverged;
    if (o.ok()) {
      r.lifetimes.push_back({&law, "chinchilla_style", o.chinchilla_style});
      r.lifetimes.push_back({&law, "inference_optimal", o.inference_optimal});
    }
    r.ratios.push_back({&law, o});
  }
  if (answered == 0) {
    FailField(field,
              last_problem.empty() ? "no selected law can answer this"
                                   : last_problem);
  }
  r.notes.push_back(
      "Sardana et al. 2024: the inference-optimal model minimises " +
      std::string(r.priced ? "training + inference dollars"
                           : "6 N D_tr + 2 N D_inf FLOPs") +
      " subject to L(N, D_tr) = target; the Chinchilla-style model is the "
      "compute-optimal model reaching the same loss (minimum training "
      "FLOPs); shares are inference-optimal / Chinchilla-style");
  if (options.target_loss == 0.0) {
    r.notes.push_back(
        "target loss: the loss of each law's compute-optimal model at C = " +
        ScientificText(options.training_flops) + " FLOPs");
  }
  if (!frontiers.empty()) {
    r.notes.push_back(
        "skipped compute-optimal frontiers (no loss prediction): " +
        JoinNames(frontiers));
  }
}

}  // namespace

bool LawOptimum::ok() const { return result.ok() && Finite(result.allocation); }

std::string LawOptimum::status() const {
  if (ok()) return "ok";
  if (result.ok()) return "overflow: N, D or C exceeds the range of a double";
  return std::string(ToString(result.status)) + ": " + result.message;
}

std::vector<Column<LawOptimum>> AllocationColumns() {
  using R = LawOptimum;
  Schema<R> s;
  s.Add(
      "method",
      CellKind::kText,
      [](const R& r) {
        return CellValue{std::string(ToString(r.result.method))};
      },
      true);
  s.columns.push_back(laws::ParamCountColumn<R>(true));
  s.Add("params", CellKind::kShortCount, [](const R& r) {
    return CellValue{r.result.allocation.params};
  });
  s.Add("tokens", CellKind::kShortCount, [](const R& r) {
    return CellValue{r.result.allocation.tokens};
  });
  s.Add("tokens_per_param", CellKind::kReal, [](const R& r) {
    return CellValue{r.result.allocation.tokens_per_param()};
  });
  s.Add("training_flops", CellKind::kScientific, [](const R& r) {
    return CellValue{r.result.allocation.training_flops};
  });
  s.Add("loss_nats", CellKind::kReal, [](const R& r) {
    return MaybeReal(r.result.allocation.loss);
  });
  s.Add("in_fitted_range", CellKind::kText, [](const R& r) {
    const Allocation& a = r.result.allocation;
    return CellValue{
        laws::InFittedRange(*r.law, a.params, a.tokens, a.training_flops)};
  });
  s.Add(
      "status",
      CellKind::kText,
      [](const R& r) { return CellValue{r.status()}; },
      true);
  return s.columns;
}

Schema<LawOptimum> AllocationSchema(std::string name, std::string title) {
  Schema<LawOptimum> s{
      std::move(name), std::move(title), {}, [](const LawOptimum& r) {
        return r.ok();
      }};
  s.Add(
      "law",
      CellKind::kText,
      [](const LawOptimum& r) { return CellValue{r.label}; },
      true);
  s.Append(AllocationColumns());
  return s;
}

std::vector<Column<LawOptimum>> IntervalColumns() {
  using R = LawOptimum;
  Schema<R> s;
  s.Append(laws::DrawIntervalColumns<R>(
               "params", "", CellKind::kShortCount, &R::params_interval))
      .Append(laws::DrawIntervalColumns<R>(
          "tokens", "", CellKind::kShortCount, &R::tokens_interval))
      .Append(laws::DrawIntervalColumns<R>(
          "loss", "_nats", CellKind::kReal, &R::loss_interval));
  return s.columns;
}

Schema<LawOptimum> WithIntervalColumns(Schema<LawOptimum> s) {
  // After loss_nats, beside the values they bound.
  const auto at = std::find_if(
      s.columns.begin(), s.columns.end(), [](const Column<LawOptimum>& c) {
        return c.name == "loss_nats";
      });
  assert(at != s.columns.end());
  const std::vector<Column<LawOptimum>> more = IntervalColumns();
  s.columns.insert(at + 1, more.begin(), more.end());
  return s;
}

void AddIntervals(LawOptimum& row,
                  const std::function<OptimumResult(const laws::Law&)>& solve) {
  const laws::Law& law = *row.law;
  if (!law.has_draws()) return;
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> params, tokens, loss;
  for (std::size_t i = 0; i < law.draws().size(); ++i) {
    const OptimumResult o = solve(law.Draw(i));
    const bool ok = o.ok() && Finite(o.allocation);
    params.push_back(ok ? o.allocation.params : kNaN);
    tokens.push_back(ok ? o.allocation.tokens : kNaN);
    loss.push_back(ok ? o.allocation.loss : kNaN);
  }
  row.params_interval = laws::PercentileInterval(std::move(params));
  row.tokens_interval = laws::PercentileInterval(std::move(tokens));
  row.loss_interval = laws::PercentileInterval(std::move(loss));
}

Schema<LawOptimum> OptimalAllocationSchema(const OptimalReport& report) {
  Schema<LawOptimum> s =
      AllocationSchema(report.allocation_name, report.allocation_title);
  if (report.intervals) s = WithIntervalColumns(std::move(s));
  if (report.repeated) {
    s.Append(Project<LawOptimum>(
        laws::RepeatedDataColumns(),
        [](const LawOptimum& r) -> const laws::RepeatedDataPoint& {
          return *r.repeated;
        }));
  }
  return s;
}

Schema<ExponentRow> ExponentSchema() {
  using R = ExponentRow;
  Schema<R> s{"allocation_exponents",
              "N_opt ~ C^a, D_opt ~ C^b (Hoffmann et al. 2022 Table 2, "
              "recomputed)",
              {},
              nullptr};
  s.Add("law", CellKind::kText, [](const R& r) { return CellValue{r.label}; });
  s.Add("method", CellKind::kText, [](const R& r) {
    return CellValue{std::string(ToString(r.exponents.method))};
  });
  s.Add("params_exponent_a", CellKind::kReal, [](const R& r) {
    return MaybeReal(r.exponents.params_exponent);
  });
  s.Add("tokens_exponent_b", CellKind::kReal, [](const R& r) {
    return MaybeReal(r.exponents.tokens_exponent);
  });
  return s;
}

Schema<LifetimeRow> LifetimeSchema(double inference_tokens, bool priced) {
  using R = LifetimeRow;
  Schema<R> s{"inference_optimal",
              "Chinchilla-style vs inference-optimal models for " +
                  ScientificText(inference_tokens) +
                  " lifetime inference tokens",
              {},
              nullptr};
  s.Add("law", CellKind::kText, [](const R& r) {
    return CellValue{r.law->name()};
  });
  s.Add(
      "model", CellKind::kText, [](const R& r) { return CellValue{r.model}; });
  s.Add("params", CellKind::kShortCount, [](const R& r) {
    return CellValue{r.plan.training.params};
  });
  s.Add("tokens", CellKind::kShortCount, [](const R& r) {
    return CellValue{r.plan.training.tokens};
  });
  s.Add("tokens_per_param", CellKind::kReal, [](const R& r) {
    return CellValue{r.plan.training.tokens_per_param()};
  });
  s.Add("training_flops", CellKind::kScientific, [](const R& r) {
    return CellValue{r.plan.training.training_flops};
  });
  s.Add("inference_flops", CellKind::kScientific, [](const R& r) {
    return CellValue{r.plan.inference_flops};
  });
  s.Add("total_flops", CellKind::kScientific, [](const R& r) {
    return CellValue{r.plan.total_flops};
  });
  if (priced) {
    s.Add("training_usd", CellKind::kUsd, [](const R& r) {
      return CellValue{r.plan.training_dollars};
    });
    s.Add("inference_usd", CellKind::kUsd, [](const R& r) {
      return CellValue{r.plan.inference_dollars};
    });
    s.Add("total_usd", CellKind::kUsd, [](const R& r) {
      return CellValue{r.plan.total_dollars};
    });
  }
  s.Add("loss_nats", CellKind::kReal, [](const R& r) {
    return CellValue{r.plan.training.loss};
  });
  s.Add("in_fitted_range", CellKind::kText, [](const R& r) {
    const Allocation& a = r.plan.training;
    return CellValue{
        laws::InFittedRange(*r.law, a.params, a.tokens, a.training_flops)};
  });
  return s;
}

Schema<InferenceRatioRow> InferenceRatioSchema(bool priced) {
  using R = InferenceRatioRow;
  Schema<R> s{"inference_vs_chinchilla",
              "Inference-optimal as a share of the Chinchilla-style model of "
              "equal loss",
              {},
              [](const R& r) { return r.result.ok(); }};
  s.Add(
      "law",
      CellKind::kText,
      [](const R& r) { return CellValue{r.law->name()}; },
      true);
  s.Add(
      "target_loss_nats",
      CellKind::kReal,
      [](const R& r) { return MaybeReal(r.result.target_loss); },
      true);
  s.Add("params_share", CellKind::kPercent, [](const R& r) {
    return CellValue{r.result.params_ratio};
  });
  s.Add("tokens_share", CellKind::kPercent, [](const R& r) {
    return CellValue{r.result.tokens_ratio};
  });
  s.Add("total_flops_share", CellKind::kPercent, [](const R& r) {
    return CellValue{r.result.total_flops_ratio};
  });
  if (priced) {
    s.Add("total_usd_share", CellKind::kPercent, [](const R& r) {
      return CellValue{r.result.total_dollars_ratio};
    });
  }
  s.Add(
      "status",
      CellKind::kText,
      [](const R& r) {
        return CellValue{r.result.ok()
                             ? std::string("ok")
                             : std::string(ToString(r.result.status)) + ": " +
                                   r.result.message};
      },
      true);
  return s;
}

bool OptimalOptions::priced() const {
  return peak_tflops || usd_per_hour || inference_peak_tflops ||
         inference_mfu || inference_usd_per_hour;
}

OptimalReport Optimal(const std::vector<laws::Law>& laws,
                      const OptimalOptions& o,
                      bool explicit_laws) {
  ValidateFields(o);
  const int asked =
      (o.flops ? 1 : 0) + (o.target_loss ? 1 : 0) + (o.params ? 1 : 0);
  if (asked != 1) {
    FailField(o.flops ? "flops" : "target_loss",
              "give exactly one of --flops, --target-loss and --params");
  }
  if (o.inference_tokens && o.params)
    FailField("inference_tokens",
              "needs --target-loss or --flops, not --params");
  o.repeated.Validate();
  if (o.repeated.given() && (!o.flops || o.inference_tokens)) {
    FailField("unique_tokens",
              "applies to a training budget: give --flops C (the optimum "
              "under a unique-token budget), without --inference-tokens");
  }
  OptimalReport r;
  if (o.priced() && !o.inference_tokens) {
    FailField(o.peak_tflops ? "peak_tflops" : "usd_per_hour",
              "prices apply to the inference-optimal model: give "
              "--inference-tokens");
  }
  if (o.inference_tokens) {
    InferenceOptimalOptions io;
    io.target_loss = o.target_loss.value_or(0.0);
    io.training_flops = o.flops.value_or(0.0);
    io.inference_tokens = *o.inference_tokens;
    if (o.priced()) io.prices = Prices(o, r.notes);
    InferenceRows(
        laws, explicit_laws, io, o.target_loss ? "target_loss" : "flops", r);
  } else if (o.flops && o.repeated.given()) {
    RepeatedOptimalRows(laws, *o.flops, o.repeated, r);
  } else if (o.flops) {
    ComputeOptimalRows(laws, *o.flops, r);
  } else if (o.target_loss) {
    r.allocation_name = "minimum_compute";
    r.allocation_title = "Minimum training compute reaching a loss of " +
                         NumberText(*o.target_loss) + " nats";
    InverseRows(
        laws,
        explicit_laws,
        "target_loss",
        [&](const laws::Law& law) {
          return MinimumCompute(law, {*o.target_loss, {}});
        },
        r);
  } else {
    r.allocation_name = "optimal_tokens";
    r.allocation_title =
        "Compute-optimal tokens for N = " + NumberText(*o.params) +
        " parameters";
    InverseRows(
        laws,
        explicit_laws,
        "params",
        [&](const laws::Law& law) {
          return OptimalTokens(law, {*o.params, {}});
        },
        r);
    r.notes.push_back("N = " + NumberText(*o.params) +
                      " is fed as given to each law, in the count it uses "
                      "(param_count column)");
  }
  r.notes.push_back(
      "training FLOPs C = 6 N D (Kaplan et al. 2020 Sec. 2.1; Hoffmann et "
      "al. 2022 Sec. 3.3); N in each law's own parameter count "
      "(param_count)");
  for (const laws::Law& law : laws) r.notes.push_back(laws::Describe(law));
  r.notes.push_back(laws::InFittedRangeNote());
  std::vector<const laws::Law*> with_draws;
  for (const LawOptimum& a : r.allocations) {
    if (!a.law->has_draws()) continue;
    if (std::find(with_draws.begin(), with_draws.end(), a.law) ==
        with_draws.end())
      with_draws.push_back(a.law);
  }
  if (!with_draws.empty()) {
    r.intervals = true;
    r.notes.push_back(laws::IntervalNote(with_draws));
    if (r.repeated) {
      r.notes.push_back(
          "with a unique-token budget the intervals are not computed yet "
          "(empty)");
    }
  }
  return r;
}

}  // namespace scalesim::plan

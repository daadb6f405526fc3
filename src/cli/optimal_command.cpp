// scalesim optimal: compute-optimal N* and D* per law at a budget; the
// inverse questions (target loss -> minimum compute, model size -> optimal
// tokens); and the inference-optimal model of Sardana et al. 2024.
#include <cmath>
#include <cstdio>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "scalesim/core/error.hpp"
#include "scalesim/io/format.hpp"
#include "scalesim/laws/law.hpp"
#include "scalesim/plan/compute_optimal.hpp"
#include "scalesim/plan/inference_optimal.hpp"

#include "cli/cli.hpp"
#include "cli/law_options.hpp"

namespace scalesim::cli {
namespace {

constexpr double kFlopsPerTeraflop = 1e12;

const std::vector<std::string> kAllocationColumns = {"law",
                                                     "method",
                                                     "param_count",
                                                     "params",
                                                     "tokens",
                                                     "tokens_per_param",
                                                     "training_flops",
                                                     "loss_nats",
                                                     "in_fitted_range",
                                                     "status"};

std::string TwoDecimals(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

io::Cell MaybeReal(double v) {
  return std::isfinite(v) ? io::Real(v) : io::Empty();
}

// Whether N, D and C are finite: an extreme input (--params 1e300) can solve
// "ok" to an infinite D, which is reported as a failure, never printed.
bool FiniteAllocation(const plan::Allocation& a) {
  return std::isfinite(a.params) && std::isfinite(a.tokens) &&
         std::isfinite(a.training_flops);
}

// Whether a solve failed numerically (exit code 1).
bool Failed(const plan::OptimumResult& r) {
  return r.status == plan::SolveStatus::kNotConverged ||
         (r.ok() && !FiniteAllocation(r.allocation));
}

// One row of an allocation table; cells empty when the solve failed.
std::vector<io::Cell> AllocationRow(const std::string& label,
                                    const laws::Law& law,
                                    const plan::OptimumResult& r) {
  std::vector<io::Cell> row{
      io::Text(label),
      io::Text(std::string(plan::ToString(r.method))),
      io::Text(std::string(laws::ToString(law.info().param_count)))};
  if (r.ok() && FiniteAllocation(r.allocation)) {
    const plan::Allocation& a = r.allocation;
    row.insert(row.end(),
               {io::ShortCountCell(a.params),
                io::ShortCountCell(a.tokens),
                io::Real(a.tokens_per_param()),
                io::Sci(a.training_flops),
                MaybeReal(a.loss),
                io::Text(laws::InFittedRange(
                    law, a.params, a.tokens, a.training_flops)),
                io::Text("ok")});
  } else {
    row.insert(row.end(),
               {io::Empty(),
                io::Empty(),
                io::Empty(),
                io::Empty(),
                io::Empty(),
                io::Empty(),
                io::Text(r.ok() ? std::string("overflow: N, D or C exceeds the "
                                              "range of a double")
                                : std::string(plan::ToString(r.status)) + ": " +
                                      r.message)});
  }
  return row;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string s;
  for (const std::string& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

// --train-* / --inference-* price flags, or nullopt when none is given.
std::optional<plan::FlopPrices> Prices(const po::variables_map& vm,
                                       std::vector<std::string>& notes) {
  const char* train[] = {
      "train-peak-tflops", "train-mfu", "train-usd-per-hour"};
  const char* infer[] = {
      "inference-peak-tflops", "inference-mfu", "inference-usd-per-hour"};
  bool any = false;
  for (const char* f : train) any = any || vm.count(f) != 0U;
  for (const char* f : infer) any = any || vm.count(f) != 0U;
  if (!any) return std::nullopt;
  for (const char* f : train) {
    if (vm.count(f) == 0U) {
      throw InvalidInput(
          InputLocation{"command line", 0, std::string("--") + f},
          "missing: the cost version needs --train-peak-tflops, --train-mfu "
          "and "
          "--train-usd-per-hour");
    }
  }
  const auto per_flop = [&](const char* const flags[3]) {
    const double peak = PositiveFlag(vm, flags[0]) * kFlopsPerTeraflop;
    const double mfu = PositiveFlag(vm, flags[1]);
    if (mfu > 1.0) {
      throw InvalidInput(
          InputLocation{"command line", 0, std::string("--") + flags[1]},
          "must be a fraction in (0, 1], got " + io::Exact(mfu));
    }
    return plan::DollarsPerFlop(peak, mfu, PositiveFlag(vm, flags[2]));
  };
  plan::FlopPrices p;
  p.training_dollars_per_flop = per_flop(train);
  const char* resolved[3];
  std::vector<std::string> defaulted;
  for (int i = 0; i < 3; ++i) {
    resolved[i] = vm.count(infer[i]) != 0U ? infer[i] : train[i];
    if (vm.count(infer[i]) == 0U)
      defaulted.push_back(std::string("--") + infer[i]);
  }
  p.inference_dollars_per_flop = per_flop(resolved);
  notes.push_back(
      "cost: dollars per FLOP = usd_per_hour / (3600 s * peak FLOP/s * MFU); "
      "training " +
      io::Exact(p.training_dollars_per_flop) + " $/FLOP, inference " +
      io::Exact(p.inference_dollars_per_flop) + " $/FLOP");
  if (!defaulted.empty()) {
    notes.push_back(JoinNames(defaulted) +
                    " not given: the training values are used");
  }
  return p;
}

io::Report ComputeOptimalReport(const std::vector<laws::Law>& selected,
                                double flops,
                                bool& failed) {
  io::Report r;
  io::Table t{"compute_optimal",
              "Compute-optimal allocation at C = " + io::Scientific(flops) +
                  " FLOPs (C = 6 N D)",
              kAllocationColumns,
              {}};
  io::Table e{
      "allocation_exponents",
      "N_opt ~ C^a, D_opt ~ C^b (Hoffmann et al. 2022 Table 2, recomputed)",
      {"law", "method", "params_exponent_a", "tokens_exponent_b"},
      {}};
  const plan::ComputeOptimalOptions options{flops, {}};
  for (const laws::Law& law : selected) {
    const plan::OptimumResult o = plan::ComputeOptimal(law, options);
    failed = failed || Failed(o);
    t.AddRow(AllocationRow(law.name(), law, o));
    const plan::AllocationExponents x =
        plan::OptimalAllocationExponents(law, {});
    e.AddRow({io::Text(law.name()),
              io::Text(std::string(plan::ToString(x.method))),
              MaybeReal(x.params_exponent),
              MaybeReal(x.tokens_exponent)});
    if (law.kaplan() != nullptr && law.published_allocation()) {
      const plan::OptimumResult p = plan::PublishedAllocation(law, options);
      failed = failed || Failed(p);
      t.AddRow(AllocationRow(law.name() + " (published allocation)", law, p));
      const plan::AllocationExponents px =
          plan::PublishedAllocationExponents(law, {});
      e.AddRow({io::Text(law.name() + " (published allocation)"),
                io::Text(std::string(plan::ToString(px.method))),
                MaybeReal(px.params_exponent),
                MaybeReal(px.tokens_exponent)});
      r.notes.push_back(
          law.name() +
          ": the first row minimises the joint law L(N, D) (Eq. 1.5) under C = "
          "6ND with Brent's "
          "method; the published allocation (Sec. 6.1) comes from L(N, S) and "
          "C_min, with C = 2 "
          "C_min (training at the critical batch, Sec. 5.1; Hoffmann et al. "
          "2022 App. D.4), its "
          "tokens as published (6ND = " +
          TwoDecimals(6.0 * p.allocation.params * p.allocation.tokens / flops) +
          " C) and its loss from L(C_min) (Eq. 1.3)");
    }
  }
  r.tables.push_back(std::move(t));
  r.tables.push_back(std::move(e));
  r.notes.push_back(
      "methods: closed_form = Hoffmann et al. 2022 Eq. 4, N* = G (C/6)^a with "
      "G = "
      "(alpha A/(beta B))^(1/(alpha+beta)); numerical = Brent's method over ln "
      "N "
      "(Boost.Math); published_frontier = the paper's N_opt ~ C^a as printed");
  return r;
}

// Rows for laws that cannot answer `what`; a row per law otherwise.
io::Report InverseReport(
    const std::vector<laws::Law>& selected,
    bool explicit_laws,
    const std::string& name,
    const std::string& title,
    const std::function<plan::OptimumResult(const laws::Law&)>& solve,
    const std::string& flag,
    bool& failed) {
  io::Report r;
  io::Table t{name, title, kAllocationColumns, {}};
  std::vector<std::string> frontiers;
  int answered = 0;
  std::string last_problem;
  for (const laws::Law& law : selected) {
    const plan::OptimumResult o = solve(law);
    if (o.status == plan::SolveStatus::kNotApplicable) {
      if (explicit_laws) {
        throw InvalidInput(
            InputLocation{"command line", 0, "--law"},
            o.message +
                " (a frontier gives N_opt(C) only: use --flops or --params)");
      }
      frontiers.push_back(law.name());
      continue;
    }
    if (o.status == plan::SolveStatus::kUnreachable) {
      last_problem = "law " + law.name() + ": " + o.message;
      if (explicit_laws)
        throw InvalidInput(InputLocation{"command line", 0, flag},
                           last_problem);
    } else {
      ++answered;
    }
    failed = failed || Failed(o);
    t.AddRow(AllocationRow(law.name(), law, o));
  }
  if (answered == 0) {
    throw InvalidInput(InputLocation{"command line", 0, flag},
                       last_problem.empty() ? "no selected law can answer this"
                                            : last_problem);
  }
  r.tables.push_back(std::move(t));
  if (!frontiers.empty()) {
    r.notes.push_back(
        "skipped compute-optimal frontiers (no loss prediction): " +
        JoinNames(frontiers));
  }
  return r;
}

io::Report InferenceReport(const std::vector<laws::Law>& selected,
                           bool explicit_laws,
                           const plan::InferenceOptimalOptions& options,
                           const std::string& flag,
                           bool& failed) {
  io::Report r;
  const bool priced = options.prices.has_value();
  io::Table plans{"inference_optimal",
                  "Chinchilla-style vs inference-optimal models for " +
                      io::Scientific(options.inference_tokens) +
                      " lifetime inference tokens",
                  {"law",
                   "model",
                   "params",
                   "tokens",
                   "tokens_per_param",
                   "training_flops",
                   "inference_flops",
                   "total_flops"},
                  {}};
  if (priced) {
    plans.columns.insert(plans.columns.end(),
                         {"training_usd", "inference_usd", "total_usd"});
  }
  plans.columns.insert(plans.columns.end(), {"loss_nats", "in_fitted_range"});
  io::Table ratios{"inference_vs_chinchilla",
                   "Inference-optimal as a share of the Chinchilla-style model "
                   "of equal loss",
                   {"law",
                    "target_loss_nats",
                    "params_share",
                    "tokens_share",
                    "total_flops_share"},
                   {}};
  if (priced) ratios.columns.push_back("total_usd_share");
  ratios.columns.push_back("status");

  std::vector<std::string> frontiers;
  int answered = 0;
  std::string last_problem;
  for (const laws::Law& law : selected) {
    const plan::InferenceOptimalResult o = plan::InferenceOptimal(law, options);
    if (o.status == plan::SolveStatus::kNotApplicable) {
      if (explicit_laws) {
        throw InvalidInput(
            InputLocation{"command line", 0, "--law"},
            o.message +
                " (a frontier gives N_opt(C) only: use --flops or --params)");
      }
      frontiers.push_back(law.name());
      continue;
    }
    if (o.status == plan::SolveStatus::kUnreachable) {
      last_problem = "law " + law.name() + ": " + o.message;
      if (explicit_laws)
        throw InvalidInput(InputLocation{"command line", 0, flag},
                           last_problem);
    } else {
      ++answered;
    }
    failed = failed || o.status == plan::SolveStatus::kNotConverged;
    if (!o.ok()) {
      std::vector<io::Cell> row{io::Text(law.name()),
                                MaybeReal(o.target_loss),
                                io::Empty(),
                                io::Empty(),
                                io::Empty()};
      if (priced) row.push_back(io::Empty());
      row.push_back(
          io::Text(std::string(plan::ToString(o.status)) + ": " + o.message));
      ratios.AddRow(std::move(row));
      continue;
    }
    for (const auto& [label, p] :
         {std::pair<const char*, const plan::LifetimePlan&>{"chinchilla_style",
                                                            o.chinchilla_style},
          {"inference_optimal", o.inference_optimal}}) {
      std::vector<io::Cell> row{io::Text(law.name()),
                                io::Text(label),
                                io::ShortCountCell(p.training.params),
                                io::ShortCountCell(p.training.tokens),
                                io::Real(p.training.tokens_per_param()),
                                io::Sci(p.training.training_flops),
                                io::Sci(p.inference_flops),
                                io::Sci(p.total_flops)};
      if (priced) {
        row.insert(row.end(),
                   {io::Real(p.training_dollars),
                    io::Real(p.inference_dollars),
                    io::Real(p.total_dollars)});
      }
      row.push_back(io::Real(p.training.loss));
      row.push_back(io::Text(laws::InFittedRange(law,
                                                 p.training.params,
                                                 p.training.tokens,
                                                 p.training.training_flops)));
      plans.AddRow(std::move(row));
    }
    std::vector<io::Cell> row{io::Text(law.name()),
                              io::Real(o.target_loss),
                              io::Fraction(o.params_ratio),
                              io::Fraction(o.tokens_ratio),
                              io::Fraction(o.total_flops_ratio)};
    if (priced) row.push_back(io::Fraction(o.total_dollars_ratio));
    row.push_back(io::Text("ok"));
    ratios.AddRow(std::move(row));
  }
  if (answered == 0) {
    throw InvalidInput(InputLocation{"command line", 0, flag},
                       last_problem.empty() ? "no selected law can answer this"
                                            : last_problem);
  }
  r.tables.push_back(std::move(plans));
  r.tables.push_back(std::move(ratios));
  r.notes.push_back(
      "Sardana et al. 2024: the inference-optimal model minimises " +
      std::string(priced ? "training + inference dollars"
                         : "6 N D_tr + 2 N D_inf FLOPs") +
      " subject to L(N, D_tr) = target; the Chinchilla-style model is the "
      "compute-optimal model "
      "reaching the same loss (minimum training FLOPs); shares are "
      "inference-optimal / "
      "Chinchilla-style");
  if (options.target_loss == 0.0) {
    r.notes.push_back(
        "target loss: the loss of each law's compute-optimal model at C = " +
        io::Scientific(options.training_flops) + " FLOPs");
  }
  if (!frontiers.empty()) {
    r.notes.push_back(
        "skipped compute-optimal frontiers (no loss prediction): " +
        JoinNames(frontiers));
  }
  return r;
}

}  // namespace

int RunOptimal(const Args& args, std::ostream& out, std::ostream& /*err*/) {
  po::options_description options("Options");
  options.add_options()(
      "flops",
      po::value<double>(),
      "training budget C in FLOPs: compute-optimal N*, D* per law")(
      "target-loss",
      po::value<double>(),
      "target loss (nats): the minimum compute reaching it")(
      "params",
      po::value<double>(),
      "model size N: the compute-optimal tokens for it")(
      "inference-tokens",
      po::value<double>(),
      "lifetime inference tokens D_inf: the inference-optimal model (Sardana "
      "et al. 2024) for "
      "--target-loss or --flops")(
      "train-peak-tflops",
      po::value<double>(),
      "cost version: dense peak TFLOP/s of the training "
      "device in the training data type")(
      "train-mfu",
      po::value<double>(),
      "cost version: training model FLOPs utilisation (0-1]")(
      "train-usd-per-hour",
      po::value<double>(),
      "cost version: training price per device-hour")(
      "inference-peak-tflops",
      po::value<double>(),
      "cost version: inference device peak TFLOP/s "
      "(default: the training value)")(
      "inference-mfu",
      po::value<double>(),
      "cost version: inference MFU (default: the training value)")(
      "inference-usd-per-hour",
      po::value<double>(),
      "cost version: inference price per "
      "device-hour (default: the training value)");
  AddLawOption(options);
  AddOutputOptions(options);
  const CommandHelp help{
      "optimal",
      "compute-optimal and inference-optimal model size and tokens under each "
      "loss law",
      "scalesim optimal (--flops C | --target-loss L | --params N) "
      "[--inference-tokens D_INF "
      "[--train-peak-tflops T --train-mfu M --train-usd-per-hour P ...]] "
      "[--law NAME|FILE ...] "
      "[--format table|csv|json] [--out FILE]",
      {"scalesim optimal --flops 5.76e23",
       "scalesim optimal --target-loss 2.0 --law hoffmann2022_approach3",
       "scalesim optimal --params 7e9 --law besiroglu2024",
       "scalesim optimal --target-loss 1.947 --inference-tokens 2e12 --law "
       "sardana2024",
       "scalesim optimal --flops 1e24 --inference-tokens 1e13 "
       "--train-peak-tflops 989 --train-mfu "
       "0.4 --train-usd-per-hour 2 --inference-mfu 0.2"}};
  po::variables_map vm;
  if (!ParseOptions(args, options, help, vm, out)) return 0;

  const bool has_flops = vm.count("flops") != 0U;
  const bool has_loss = vm.count("target-loss") != 0U;
  const bool has_params = vm.count("params") != 0U;
  const bool inference = vm.count("inference-tokens") != 0U;
  if (static_cast<int>(has_flops) + static_cast<int>(has_loss) +
          static_cast<int>(has_params) !=
      1) {
    throw InvalidInput(
        InputLocation{
            "command line", 0, has_flops ? "--flops" : "--target-loss"},
        "give exactly one of --flops, --target-loss and --params");
  }
  if (inference && has_params) {
    throw InvalidInput(InputLocation{"command line", 0, "--inference-tokens"},
                       "needs --target-loss or --flops, not --params");
  }
  const double flops = has_flops ? PositiveFlag(vm, "flops") : 0.0;
  const double target = has_loss ? PositiveFlag(vm, "target-loss") : 0.0;
  const double params = has_params ? PositiveFlag(vm, "params") : 0.0;
  const double inference_tokens =
      inference ? NonNegativeFlag(vm, "inference-tokens") : 0.0;
  std::vector<std::string> notes;
  const std::optional<plan::FlopPrices> prices = Prices(vm, notes);
  if (prices && !inference) {
    throw InvalidInput(
        InputLocation{"command line", 0, "--train-peak-tflops"},
        "prices apply to the inference-optimal model: give --inference-tokens");
  }

  const std::vector<laws::Law> selected = SelectedLaws(vm);
  const bool explicit_laws = LawsChosen(vm);
  bool failed = false;
  io::Report r;
  if (inference) {
    plan::InferenceOptimalOptions o;
    o.target_loss = target;
    o.training_flops = flops;
    o.inference_tokens = inference_tokens;
    o.prices = prices;
    r = InferenceReport(selected,
                        explicit_laws,
                        o,
                        has_loss ? "--target-loss" : "--flops",
                        failed);
  } else if (has_flops) {
    r = ComputeOptimalReport(selected, flops, failed);
  } else if (has_loss) {
    r = InverseReport(
        selected,
        explicit_laws,
        "minimum_compute",
        "Minimum training compute reaching a loss of " + io::Exact(target) +
            " nats",
        [&](const laws::Law& law) {
          return plan::MinimumCompute(law, {target, {}});
        },
        "--target-loss",
        failed);
  } else {
    r = InverseReport(
        selected,
        explicit_laws,
        "optimal_tokens",
        "Compute-optimal tokens for N = " + io::ShortCount(params) +
            " parameters",
        [&](const laws::Law& law) {
          return plan::OptimalTokens(law, {params, {}});
        },
        "--params",
        failed);
    notes.push_back("--params " + io::Exact(params) +
                    " is fed as given to each law, in the count it uses "
                    "(param_count column)");
  }
  notes.insert(notes.begin(), r.notes.begin(), r.notes.end());
  notes.push_back(
      "training FLOPs C = 6 N D (Kaplan et al. 2020 Sec. 2.1; Hoffmann et al. "
      "2022 "
      "Sec. 3.3); N in each law's own parameter count (param_count)");
  for (const laws::Law& law : selected) notes.push_back(laws::Describe(law));
  notes.push_back(laws::InFittedRangeNote());
  r.notes = std::move(notes);
  EmitReport(r, vm, out);
  return failed ? 1 : 0;
}

}  // namespace scalesim::cli

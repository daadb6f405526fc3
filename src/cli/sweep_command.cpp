// scalesim sweep: overtraining ratios, budgets, IsoFLOP curves, loss grids
// and architecture grids, streamed row by row (include/scalesim/sweep/).
// Columns are documented in docs/sweeps.md.
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "scalesim/core/error.hpp"
#include "scalesim/io/architecture_io.hpp"
#include "scalesim/io/files.hpp"
#include "scalesim/io/format.hpp"
#include "scalesim/io/row_writer.hpp"
#include "scalesim/laws/law.hpp"
#include "scalesim/model/flops.hpp"
#include "scalesim/model/memory.hpp"
#include "scalesim/plan/design.hpp"
#include "scalesim/sweep/sweep.hpp"

#include "cli/cli.hpp"
#include "cli/law_options.hpp"
#include "cli/progress.hpp"

namespace scalesim::cli {
namespace {

using I = std::int64_t;
using io::CellKind;

InputLocation Flag(const std::string& flag) {
  return InputLocation{"command line", 0, "--" + flag};
}

// --format (csv by default: sweeps are data) and --out.
void AddSweepOutputOptions(po::options_description& options) {
  options.add_options()(
      "format",
      po::value<std::string>()->default_value("csv"),
      "output format: csv (default), json, table or markdown")(
      "out,o",
      po::value<std::string>(),
      "write to FILE (a temporary file renamed into place when complete)");
}

constexpr std::int64_t kMaxBufferedRows = 100'000;

// Where rows go: stdout, or a temporary file committed at the end.
class SweepOutput {
 public:
  // `rows`: how many rows the sweep will write. Table and markdown hold
  // every row in memory to align the columns, so they take at most
  // kMaxBufferedRows; CSV and JSON stream any number.
  SweepOutput(const po::variables_map& vm,
              std::ostream& out,
              std::int64_t rows,
              std::string name,
              std::string title,
              std::vector<std::string> columns) {
    const io::Format format = io::ParseFormat(vm["format"].as<std::string>());
    if ((format == io::Format::kTable || format == io::Format::kMarkdown) &&
        rows > kMaxBufferedRows) {
      throw InvalidInput(Flag("format"),
                         std::to_string(rows) +
                             " rows: table and markdown hold every row in "
                             "memory (at most " +
                             std::to_string(kMaxBufferedRows) +
                             "); use csv or json, which stream");
    }
    std::ostream* target = &out;
    if (vm.count("out") != 0U) {
      file_ = std::make_unique<io::AtomicFile>(vm["out"].as<std::string>());
      target = &file_->stream();
    }
    writer_ = io::MakeRowWriter(
        format, *target, std::move(name), std::move(title), std::move(columns));
  }
  io::RowWriter& w() { return *writer_; }
  void Finish(const std::vector<std::string>& notes) {
    writer_->Finish(notes);
    if (file_) file_->Commit();
  }

 private:
  std::unique_ptr<io::AtomicFile> file_;  // destroyed last: removes the
                                          // temporary file unless committed
  std::unique_ptr<io::RowWriter> writer_;
};

std::vector<double> PositiveList(const po::variables_map& vm,
                                 const std::string& flag) {
  std::vector<double> out;
  if (vm.count(flag) == 0U) return out;
  for (double v : vm[flag].as<std::vector<double>>()) {
    if (!(v > 0.0) || !std::isfinite(v)) {
      throw InvalidInput(
          Flag(flag), "must be a positive finite number, got " + io::Exact(v));
    }
    out.push_back(v);
  }
  return out;
}

model::WeightDtype KvDtypeOfBits(I bits) {
  switch (bits) {
    case 32:
      return model::WeightDtype::kFp32;
    case 16:
      return model::WeightDtype::kBf16;
    case 8:
      return model::WeightDtype::kInt8;
    case 4:
      return model::WeightDtype::kInt4;
    default:
      throw InvalidInput(Flag("kv-bits"),
                         "must be 4, 8, 16 or 32, got " + std::to_string(bits));
  }
}

I PositiveInt(const po::variables_map& vm, const std::string& flag) {
  const I v = vm[flag].as<I>();
  if (v <= 0) {
    throw InvalidInput(Flag(flag),
                       "must be a positive integer, got " + std::to_string(v));
  }
  return v;
}

// The log-spaced range of three flags, validated before any output exists.
sweep::LogRange RangeFlags(const po::variables_map& vm,
                           const char* min_flag,
                           const char* max_flag,
                           const char* points_flag) {
  sweep::LogRange r{vm[min_flag].as<double>(),
                    vm[max_flag].as<double>(),
                    vm[points_flag].as<I>(),
                    std::string("--") + min_flag,
                    std::string("--") + max_flag,
                    std::string("--") + points_flag};
  sweep::LogSpace(r);
  return r;
}

// A named value (--weights-dtype fp3) parsed by the model's parser, its
// error re-addressed to the flag.
template <typename Parse>
auto ParsedFlag(const po::variables_map& vm,
                const std::string& flag,
                Parse parse) {
  const std::string text = vm[flag].as<std::string>();
  try {
    return parse(text);
  } catch (const InvalidInput& e) {
    throw InvalidInput(Flag(flag), e.problem());
  }
}

// Laws that predict a loss (the sweeps that need one skip the others).
I LossLaws(const std::vector<laws::Law>& selected) {
  I n = 0;
  for (const laws::Law& law : selected) n += law.loss_law() != nullptr ? 1 : 0;
  return n;
}

// The laws of a sweep that needs a loss: a frontier law named with --law is
// bad input (it predicts none; `sweep budget` gives its frontier), as is a
// target loss a named law cannot reach. Unnamed (all built-in) laws are
// skipped or reported per row instead.
std::vector<laws::Law> LossSweepLaws(const po::variables_map& vm,
                                     const std::vector<double>& targets = {}) {
  std::vector<laws::Law> selected = SelectedLaws(vm);
  if (!LawsChosen(vm)) return selected;
  for (const laws::Law& law : selected) {
    const laws::LossLaw* l = law.loss_law();
    if (l == nullptr) {
      throw InvalidInput(Flag("law"),
                         "law '" + law.name() +
                             "' is a compute-optimal frontier and predicts no "
                             "loss (scalesim sweep budget shows its frontier)");
    }
    for (double t : targets) {
      if (t <= l->IrreducibleLoss()) {
        throw InvalidInput(Flag("target-loss"),
                           "law " + law.name() + ": target loss " +
                               io::Exact(t) +
                               " is at or below its irreducible loss " +
                               io::Exact(l->IrreducibleLoss()));
      }
    }
  }
  return selected;
}

std::vector<std::string> CommonNotes(const std::vector<laws::Law>& selected,
                                     const sweep::SweepSummary& s) {
  std::vector<std::string> notes;
  notes.push_back(
      "training FLOPs C = 6 N D (Kaplan et al. 2020 Sec. 2.1; Hoffmann et al. "
      "2022 Sec. 3.3); params in each law's own count (param_count column)");
  for (const laws::Law& law : selected) notes.push_back(laws::Describe(law));
  if (!s.skipped_laws.empty()) {
    std::string names;
    for (const std::string& n : s.skipped_laws)
      names += (names.empty() ? "" : ", ") + n;
    notes.push_back("skipped compute-optimal frontiers (no loss prediction): " +
                    names);
  }
  if (s.failed_rows > 0) {
    notes.push_back(std::to_string(s.failed_rows) +
                    " rows could not be solved: see their status column");
  }
  return notes;
}

// ---------------------------------------------------------------------------
// overtraining

int RunOvertraining(const Args& args, std::ostream& out, std::ostream& err) {
  po::options_description options("Options");
  options.add_options()(
      "flops",
      po::value<std::vector<double>>()->multitoken(),
      "fixed training budget(s) C in FLOPs: N = sqrt(C/(6r)), D = rN")(
      "target-loss",
      po::value<std::vector<double>>()->multitoken(),
      "fixed loss(es) in nats: L(N, rN) = target")(
      "ratio-min",
      po::value<double>()->default_value(1.0),
      "smallest tokens-per-parameter ratio r")(
      "ratio-max", po::value<double>()->default_value(1e4), "largest ratio")(
      "points",
      po::value<I>()->default_value(41),
      "log-spaced ratios from --ratio-min to --ratio-max")(
      "inference-tokens",
      po::value<double>()->default_value(0.0),
      "lifetime inference tokens D_inf (lifetime FLOPs; Sardana et al. 2024)")(
      "context",
      po::value<I>()->default_value(4096),
      "serving: KV-cache tokens per sequence")("batch",
                                               po::value<I>()->default_value(1),
                                               "serving: concurrent sequences")(
      "weights-dtype",
      po::value<std::string>()->default_value("bf16"),
      "serving weights: fp32, bf16, fp8, int8, int4")(
      "kv-bits", po::value<I>()->default_value(16), "serving: KV-cache bits")(
      "vocab",
      po::value<I>()->default_value(32000),
      "serving model vocabulary (plan's Llama-style proposal)")(
      "no-serving-memory",
      po::bool_switch(),
      "leave the serving-memory columns empty (faster)");
  AddLawOption(options);
  AddSweepOutputOptions(options);
  const CommandHelp help{
      "sweep overtraining",
      "tokens-per-parameter ratios at a fixed budget or loss: N, D, loss, "
      "penalty, compute overhead, lifetime FLOPs, serving memory",
      "scalesim sweep overtraining (--flops C ... | --target-loss L ...) "
      "[--ratio-min 1 --ratio-max 1e4 --points 41] [--inference-tokens D_INF] "
      "[--law NAME|FILE ...] [--format csv|json|table|markdown] [--out FILE]",
      {"scalesim sweep overtraining --flops 1e23 --law hoffmann2022_approach3",
       "scalesim sweep overtraining --target-loss 1.947 --inference-tokens "
       "2e12 --law sardana2024 --out ot.csv",
       "scalesim sweep overtraining --flops 1e21 1e23 1e25 --points 81 "
       "--format table"}};
  po::variables_map vm;
  if (!ParseOptions(args, options, help, vm, out)) return 0;

  sweep::OvertrainingOptions o;
  o.budgets_flops = PositiveList(vm, "flops");
  o.target_losses = PositiveList(vm, "target-loss");
  if (o.budgets_flops.empty() == o.target_losses.empty()) {
    throw InvalidInput(Flag("flops"),
                       "give exactly one of --flops and --target-loss");
  }
  o.ratios = RangeFlags(vm, "ratio-min", "ratio-max", "points");
  o.inference_tokens = NonNegativeFlag(vm, "inference-tokens");
  o.serving_memory = !vm["no-serving-memory"].as<bool>();
  o.serving.context = PositiveInt(vm, "context");
  o.serving.batch = PositiveInt(vm, "batch");
  o.serving.kv_dtype = KvDtypeOfBits(PositiveInt(vm, "kv-bits"));
  o.serving.architecture.vocab_size = PositiveInt(vm, "vocab");
  o.serving.architecture.context_length = o.serving.context;
  o.serving.weights.dtype =
      ParsedFlag(vm, "weights-dtype", model::ParseWeightDtype);
  const std::vector<laws::Law> selected = LossSweepLaws(vm, o.target_losses);
  const bool budget_mode = !o.budgets_flops.empty();

  const I total =
      LossLaws(selected) *
      static_cast<I>((budget_mode ? o.budgets_flops : o.target_losses).size()) *
      (o.ratios.points + 2);
  SweepOutput output(vm,
                     out,
                     total,
                     "overtraining",
                     budget_mode ? "Overtraining at fixed training budgets"
                                 : "Overtraining at fixed target losses",
                     {"law",
                      "param_count",
                      "budget_flops",
                      "target_loss_nats",
                      "point",
                      "tokens_per_param",
                      "params",
                      "tokens",
                      "training_flops",
                      "loss_nats",
                      "compute_optimal_loss_nats",
                      "loss_penalty_nats",
                      "compute_for_same_loss_flops",
                      "compute_overhead",
                      "inference_flops_per_token",
                      "inference_tokens",
                      "inference_flops",
                      "lifetime_flops",
                      "weights_bytes",
                      "kv_cache_bytes",
                      "serving_memory_bytes",
                      "status"});
  io::RowWriter& w = output.w();
  Progress progress(err, "sweep", "rows");
  I done = 0;
  const sweep::SweepSummary s =
      sweep::Overtraining(selected, o, [&](const sweep::OvertrainingRow& r) {
        const plan::Allocation& a = r.allocation;
        const bool ok = r.status == "ok";
        w.Text(r.law->name());
        w.Text(laws::ToString(r.law->info().param_count));
        w.Number(r.budget_flops, CellKind::kScientific);
        w.Number(r.target_loss, CellKind::kReal);
        w.Text(sweep::ToString(r.point));
        if (!ok) {
          for (int i = 0; i < 16; ++i) w.Empty();
          w.Text(r.status);
          w.EndRow();
          return;
        }
        w.Number(a.tokens_per_param(), CellKind::kReal);
        w.Number(a.params, CellKind::kShortCount);
        w.Number(a.tokens, CellKind::kShortCount);
        w.Number(a.training_flops, CellKind::kScientific);
        w.Number(a.loss, CellKind::kReal);
        w.Number(r.compute_optimal_loss, CellKind::kReal);
        w.Number(r.loss_penalty, CellKind::kReal);
        w.Number(r.compute_for_same_loss, CellKind::kScientific);
        w.Number(r.compute_overhead, CellKind::kReal);
        w.Number(r.inference_flops_per_token, CellKind::kScientific);
        w.Number(o.inference_tokens, CellKind::kScientific);
        w.Number(r.inference_flops, CellKind::kScientific);
        w.Number(r.lifetime_flops, CellKind::kScientific);
        if (r.weights_bytes >= 0) {
          w.Integer(r.weights_bytes, CellKind::kBytes);
          w.Integer(r.kv_cache_bytes, CellKind::kBytes);
          w.Integer(r.serving_bytes(), CellKind::kBytes);
        } else {
          w.Empty();
          w.Empty();
          w.Empty();
        }
        w.Text("ok");
        w.EndRow();
        progress.Tick(++done, total);
      });
  std::vector<std::string> notes = CommonNotes(selected, s);
  notes.push_back(
      budget_mode
          ? "fixed budget: N = sqrt(C / (6 r)), D = r N; loss_penalty = loss - "
            "the compute-optimal loss at C"
          : "fixed loss: N solves L(N, r N) = target (TOMS 748); "
            "compute_overhead = training_flops / the minimum compute for the "
            "target");
  notes.push_back(
      "compute_for_same_loss: training FLOPs of the compute-optimal model "
      "reaching the row's loss (scalesim optimal --target-loss); "
      "compute_overhead = training_flops / compute_for_same_loss");
  notes.push_back(
      "point: compute_optimal = scalesim optimal --flops/--target-loss; "
      "inference_optimal = Sardana et al. 2024, minimum 6 N D + 2 N D_inf at "
      "the compute-optimal loss (its training FLOPs exceed a fixed budget)");
  notes.push_back(
      "inference FLOPs 2 N per token (forward pass); lifetime_flops = 6 N D + "
      "2 N D_inf");
  if (o.serving_memory) {
    notes.push_back(
        "serving memory: weights (" +
        std::string(model::ToString(o.serving.weights.dtype)) +
        ") + KV cache (" + std::to_string(model::BitsOf(o.serving.kv_dtype)) +
        " bits, " + std::to_string(o.serving.context) + " tokens x " +
        std::to_string(o.serving.batch) +
        " sequences) of plan's Llama-style model of N parameters (head_dim "
        "128, 8 KV heads, vocab " +
        std::to_string(o.serving.architecture.vocab_size) +
        "); bytes, binary units in tables; empty where no shape is within 2%");
  }
  output.Finish(notes);
  return s.failed_rows > 0 ? 1 : 0;
}

// ---------------------------------------------------------------------------
// budget

void AllocationCells(io::RowWriter& w,
                     const laws::Law& law,
                     const plan::OptimumResult& o) {
  w.Text(plan::ToString(o.method));
  w.Text(laws::ToString(law.info().param_count));
  const plan::Allocation& a = o.allocation;
  if (!o.ok() || !std::isfinite(a.params) || !std::isfinite(a.tokens)) {
    for (int i = 0; i < 6; ++i) w.Empty();
    w.Text(o.ok() ? std::string("overflow: N, D or C exceeds a double")
                  : std::string(plan::ToString(o.status)) + ": " + o.message);
    return;
  }
  w.Number(a.params, CellKind::kShortCount);
  w.Number(a.tokens, CellKind::kShortCount);
  w.Number(a.tokens_per_param(), CellKind::kReal);
  w.Number(a.training_flops, CellKind::kScientific);
  w.Number(a.loss, CellKind::kReal);
  w.Text(laws::InFittedRange(law, a.params, a.tokens, a.training_flops));
  w.Text("ok");
}

int RunBudget(const Args& args, std::ostream& out, std::ostream& err) {
  po::options_description options("Options");
  options.add_options()("flops-min",
                        po::value<double>()->default_value(1e18),
                        "smallest training budget (FLOPs)")(
      "flops-max",
      po::value<double>()->default_value(1e27),
      "largest training budget")(
      "points",
      po::value<I>()->default_value(37),
      "log-spaced budgets (37: four per decade from 1e18 to 1e27)");
  AddLawOption(options);
  AddSweepOutputOptions(options);
  const CommandHelp help{
      "sweep budget",
      "the compute-optimal frontier of each law over a range of budgets",
      "scalesim sweep budget [--flops-min 1e18 --flops-max 1e27 --points 37] "
      "[--law NAME|FILE ...] [--format csv|json|table|markdown] [--out FILE]",
      {"scalesim sweep budget",
       "scalesim sweep budget --flops-min 1e20 --flops-max 1e25 --points 6 "
       "--format table"}};
  po::variables_map vm;
  if (!ParseOptions(args, options, help, vm, out)) return 0;
  sweep::BudgetOptions o;
  o.budgets = RangeFlags(vm, "flops-min", "flops-max", "points");
  const std::vector<laws::Law> selected = SelectedLaws(vm);
  I per_budget = 0;  // one row per law, two for Kaplan's (+ published)
  for (const laws::Law& law : selected)
    per_budget += law.kaplan() != nullptr && law.published_allocation() ? 2 : 1;
  const I total = o.budgets.points * per_budget;
  SweepOutput output(vm,
                     out,
                     total,
                     "budget",
                     "Compute-optimal frontier per law (C = 6 N D)",
                     {"budget_flops",
                      "law",
                      "method",
                      "param_count",
                      "params",
                      "tokens",
                      "tokens_per_param",
                      "training_flops",
                      "loss_nats",
                      "in_fitted_range",
                      "status"});
  io::RowWriter& w = output.w();
  Progress progress(err, "sweep", "rows");
  I done = 0;
  const sweep::SweepSummary s =
      sweep::Budget(selected, o, [&](const sweep::BudgetRow& r) {
        w.Number(r.budget_flops, CellKind::kScientific);
        w.Text(r.label);
        AllocationCells(w, *r.law, r.optimum);
        w.EndRow();
        progress.Tick(++done, total);
      });
  std::vector<std::string> notes = CommonNotes(selected, s);
  notes.push_back(
      "each row is scalesim optimal --flops at its budget: closed_form = "
      "Hoffmann et al. 2022 Eq. 4, numerical = Brent's method, "
      "published_frontier = the paper's N_opt ~ C^a (no loss)");
  for (const laws::Law& law : selected) {
    if (law.kaplan() != nullptr && law.published_allocation()) {
      notes.push_back(
          law.name() +
          " (published allocation): Kaplan et al. 2020 Sec. 6.1 as printed, "
          "at C = 2 C_min (training at the critical batch, Sec. 5.1) with its "
          "tokens as published, so 6 N D is not C there (about 0.90 C); its "
          "loss is L(C_min), Eq. 1.3");
    }
  }
  notes.push_back(laws::InFittedRangeNote());
  output.Finish(notes);
  return s.failed_rows > 0 ? 1 : 0;
}

// ---------------------------------------------------------------------------
// isoflop

int RunIsoflop(const Args& args, std::ostream& out, std::ostream& err) {
  po::options_description options("Options");
  options.add_options()(
      "flops",
      po::value<std::vector<double>>()->multitoken(),
      "training budgets in FLOPs (default: the nine of Hoffmann et al. 2022 "
      "Fig. 3, 6e18 to 3e21)")("span",
                               po::value<double>()->default_value(10.0),
                               "model sizes from N*/span to N* x span")(
      "points", po::value<I>()->default_value(41), "model sizes per budget");
  AddLawOption(options);
  AddSweepOutputOptions(options);
  const CommandHelp help{
      "sweep isoflop",
      "IsoFLOP curves: loss of model sizes around each budget's optimum "
      "(Hoffmann et al. 2022 Fig. 3)",
      "scalesim sweep isoflop [--flops C ...] [--span 10 --points 41] "
      "[--law NAME|FILE ...] [--format csv|json|table|markdown] [--out FILE]",
      {"scalesim sweep isoflop --law hoffmann2022_approach3",
       "scalesim sweep isoflop --flops 1e19 1e20 1e21 --span 4 --points 9 "
       "--format table"}};
  po::variables_map vm;
  if (!ParseOptions(args, options, help, vm, out)) return 0;
  sweep::IsoflopOptions o;
  o.budgets_flops = PositiveList(vm, "flops");
  if (o.budgets_flops.empty())
    o.budgets_flops = {6e18, 1e19, 3e19, 6e19, 1e20, 3e20, 6e20, 1e21, 3e21};
  o.span = vm["span"].as<double>();
  o.points = vm["points"].as<I>();
  const std::vector<laws::Law> selected = LossSweepLaws(vm);
  // Validate before the output file exists.
  sweep::Isoflop({}, o, [](const sweep::IsoflopRow&) {});
  const I total = LossLaws(selected) * static_cast<I>(o.budgets_flops.size()) *
                  (o.points + 1);
  SweepOutput output(vm,
                     out,
                     total,
                     "isoflop",
                     "IsoFLOP curves (D = C / (6 N))",
                     {"law",
                      "param_count",
                      "budget_flops",
                      "point",
                      "params",
                      "tokens",
                      "tokens_per_param",
                      "params_over_optimal",
                      "loss_nats",
                      "in_fitted_range",
                      "status"});
  io::RowWriter& w = output.w();
  Progress progress(err, "sweep", "rows");
  I done = 0;
  const sweep::SweepSummary s =
      sweep::Isoflop(selected, o, [&](const sweep::IsoflopRow& r) {
        w.Text(r.law->name());
        w.Text(laws::ToString(r.law->info().param_count));
        w.Number(r.budget_flops, CellKind::kScientific);
        w.Text(sweep::ToString(r.point));
        if (r.status != "ok") {
          for (int i = 0; i < 6; ++i) w.Empty();
        } else {
          const plan::Allocation& a = r.allocation;
          w.Number(a.params, CellKind::kShortCount);
          w.Number(a.tokens, CellKind::kShortCount);
          w.Number(a.tokens_per_param(), CellKind::kReal);
          w.Number(r.params_over_optimal, CellKind::kReal);
          w.Number(a.loss, CellKind::kReal);
          w.Text(
              laws::InFittedRange(*r.law, a.params, a.tokens, r.budget_flops));
        }
        w.Text(r.status);
        w.EndRow();
        progress.Tick(++done, total);
      });
  std::vector<std::string> notes = CommonNotes(selected, s);
  notes.push_back(
      "point compute_optimal: the law's N* at the budget (scalesim optimal "
      "--flops), the minimum of its IsoFLOP curve");
  notes.push_back(laws::InFittedRangeNote());
  output.Finish(notes);
  return s.failed_rows > 0 ? 1 : 0;
}

// ---------------------------------------------------------------------------
// loss-grid

int RunLossGrid(const Args& args, std::ostream& out, std::ostream& err) {
  po::options_description options("Options");
  options.add_options()("params-min",
                        po::value<double>()->default_value(1e7),
                        "smallest model N")(
      "params-max", po::value<double>()->default_value(1e12), "largest N")(
      "params-points",
      po::value<I>()->default_value(51),
      "log-spaced N values")("tokens-min",
                             po::value<double>()->default_value(1e9),
                             "fewest training tokens D")(
      "tokens-max", po::value<double>()->default_value(1e14), "most tokens")(
      "tokens-points",
      po::value<I>()->default_value(51),
      "log-spaced D values");
  AddLawOption(options);
  AddSweepOutputOptions(options);
  const CommandHelp help{
      "sweep loss-grid",
      "predicted loss L(N, D) of each law over a log-spaced N x D grid (loss "
      "contours)",
      "scalesim sweep loss-grid [--params-min 1e7 --params-max 1e12 "
      "--params-points 51] [--tokens-min 1e9 --tokens-max 1e14 --tokens-points "
      "51] [--law NAME|FILE ...] [--format csv|json|table|markdown] [--out "
      "FILE]",
      {"scalesim sweep loss-grid --law hoffmann2022_approach3 --out grid.csv",
       "scalesim sweep loss-grid --params-points 1000 --tokens-points 1000"}};
  po::variables_map vm;
  if (!ParseOptions(args, options, help, vm, out)) return 0;
  sweep::LossGridOptions o;
  o.params = RangeFlags(vm, "params-min", "params-max", "params-points");
  o.tokens = RangeFlags(vm, "tokens-min", "tokens-max", "tokens-points");
  const std::vector<laws::Law> selected = LossSweepLaws(vm);
  const I total = LossLaws(selected) * o.params.points * o.tokens.points;
  SweepOutput output(vm,
                     out,
                     total,
                     "loss_grid",
                     "Predicted loss over N x D",
                     {"law",
                      "param_count",
                      "params",
                      "tokens",
                      "training_flops",
                      "loss_nats",
                      "irreducible_nats",
                      "parameter_term_nats",
                      "data_term_nats"});
  io::RowWriter& w = output.w();
  Progress progress(err, "sweep", "rows");
  I done = 0;
  const sweep::SweepSummary s =
      sweep::LossGrid(selected, o, [&](const sweep::LossGridRow& r) {
        w.Text(r.law->name());
        w.Text(laws::ToString(r.law->info().param_count));
        w.Number(r.params, CellKind::kShortCount);
        w.Number(r.tokens, CellKind::kShortCount);
        w.Number(6.0 * r.params * r.tokens, CellKind::kScientific);
        w.Number(r.terms.total(), CellKind::kReal);
        w.Number(r.terms.irreducible, CellKind::kReal);
        w.Number(r.terms.parameter_term, CellKind::kReal);
        w.Number(r.terms.data_term, CellKind::kReal);
        w.EndRow();
        progress.Tick(++done, total);
      });
  std::vector<std::string> notes = CommonNotes(selected, s);
  notes.push_back(
      "loss decomposed as Hoffmann et al. 2022 App. D.2: irreducible + "
      "parameter term + data term (Kaplan's joint law, not additive: 0, "
      "L(N, infinite data) and the rest, as scalesim loss prints it)");
  output.Finish(notes);
  return 0;
}

// ---------------------------------------------------------------------------
// arch

// The default base: plan's Llama-style decoder (design.hpp) of d_model 4096.
model::Architecture DefaultBase() {
  plan::ArchitectureOptions a;
  a.target_params = 6.74e9;
  const plan::ArchitectureProposal p = plan::ProposeArchitecture(a);
  return p.arch;
}

int RunArch(const Args& args, std::ostream& out, std::ostream& err) {
  po::options_description options("Options");
  options.add_options()("preset",
                        po::value<std::string>(),
                        "base model (scalesim params --list); default: a "
                        "Llama-style decoder, head_dim 128, 8 KV heads, "
                        "SwiGLU")("hf-config",
                                  po::value<std::string>(),
                                  "base: a Hugging Face config.json")(
      "arch", po::value<std::string>(), "base: a scalesim architecture JSON")(
      "layers",
      po::value<std::string>()->default_value("8:80:8"),
      "depths: a list and/or start:stop:step ranges (8,16,32 or 8:80:8)")(
      "d-model",
      po::value<std::string>()->default_value("1024:8192:512"),
      "widths (multiples of the base head_dim)")(
      "kv-heads",
      po::value<std::string>(),
      "KV heads (default: the base's query heads per KV head)")(
      "d-ff-multiple-of",
      po::value<I>()->default_value(256),
      "round the scaled MLP width up to a multiple of this")(
      "seq-len",
      po::value<I>()->default_value(4096),
      "training sequence length")(
      "micro-batch", po::value<I>()->default_value(1), "training micro-batch")(
      "tp",
      po::value<I>()->default_value(1),
      "tensor parallel (training and serving)")(
      "zero", po::value<I>()->default_value(0), "ZeRO stage 0-3")(
      "dp", po::value<I>()->default_value(1), "data parallel (for ZeRO)")(
      "recompute",
      po::value<std::string>()->default_value("none"),
      "activation recompute: none, selective, full")(
      "context",
      po::value<I>()->default_value(4096),
      "serving: KV-cache tokens per sequence")(
      "batch", po::value<I>()->default_value(1), "serving: sequences")(
      "weights-dtype",
      po::value<std::string>()->default_value("bf16"),
      "serving weights: fp32, bf16, fp8, int8, int4")(
      "kv-bits", po::value<I>()->default_value(16), "serving: KV-cache bits");
  AddSweepOutputOptions(options);
  const CommandHelp help{
      "sweep arch",
      "a depth x width (x KV heads) grid of a base architecture: exact "
      "parameters, FLOPs per token, training and serving memory",
      "scalesim sweep arch [--preset NAME | --hf-config FILE | --arch FILE] "
      "[--layers LIST] [--d-model LIST] [--kv-heads LIST] [--seq-len S] "
      "[--format csv|json|table|markdown] [--out FILE]",
      {"scalesim sweep arch --layers 16,32 --d-model 2048,4096 --kv-heads "
       "1,8 --format table",
       "scalesim sweep arch --preset llama2-7b --layers 16:48:8 --d-model "
       "3072:6144:1024",
       "scalesim sweep arch --layers 1:128 --d-model 128:16384:128 --out "
       "grid.csv"}};
  po::variables_map vm;
  if (!ParseOptions(args, options, help, vm, out)) return 0;

  sweep::ArchGridOptions o;
  const int sources = static_cast<int>(vm.count("preset")) +
                      static_cast<int>(vm.count("hf-config")) +
                      static_cast<int>(vm.count("arch"));
  if (sources > 1) {
    throw InvalidInput(Flag("preset"),
                       "give at most one of --preset, --hf-config and --arch");
  }
  std::string base_name = "Llama-style default (plan::ProposeArchitecture)";
  if (vm.count("preset") != 0U) {
    base_name = vm["preset"].as<std::string>();
    o.base = io::LoadPreset(base_name);
  } else if (vm.count("hf-config") != 0U) {
    base_name = vm["hf-config"].as<std::string>();
    o.base =
        io::ArchitectureFromHfConfig(io::ReadTextFile(base_name), base_name);
  } else if (vm.count("arch") != 0U) {
    base_name = vm["arch"].as<std::string>();
    o.base = io::ArchitectureFromJson(io::ReadTextFile(base_name), base_name);
  } else {
    o.base = DefaultBase();
  }
  o.layers =
      sweep::ParseIntegerList(vm["layers"].as<std::string>(), "--layers");
  o.d_models =
      sweep::ParseIntegerList(vm["d-model"].as<std::string>(), "--d-model");
  if (vm.count("kv-heads") != 0U) {
    o.kv_heads =
        sweep::ParseIntegerList(vm["kv-heads"].as<std::string>(), "--kv-heads");
  }
  o.d_ff_multiple_of = PositiveInt(vm, "d-ff-multiple-of");
  o.training.seq_len = PositiveInt(vm, "seq-len");
  o.training.micro_batch = PositiveInt(vm, "micro-batch");
  o.training.tensor_parallel = PositiveInt(vm, "tp");
  o.training.states.data_parallel = PositiveInt(vm, "dp");
  o.training.states.zero_stage = vm["zero"].as<I>();
  if (o.training.states.zero_stage < 0 || o.training.states.zero_stage > 3) {
    throw InvalidInput(Flag("zero"), "must be 0, 1, 2 or 3");
  }
  o.training.recompute = ParsedFlag(vm, "recompute", model::ParseRecompute);
  o.training.flash_attention = true;
  o.training.dropout = false;
  o.inference.context = PositiveInt(vm, "context");
  o.inference.batch = PositiveInt(vm, "batch");
  o.inference.kv_dtype = KvDtypeOfBits(PositiveInt(vm, "kv-bits"));
  o.inference.tensor_parallel = o.training.tensor_parallel;
  o.inference.weights.dtype =
      ParsedFlag(vm, "weights-dtype", model::ParseWeightDtype);
  const std::int64_t total =
      static_cast<std::int64_t>(o.layers.size() * o.d_models.size() *
                                (o.kv_heads.empty() ? 1U : o.kv_heads.size()));

  SweepOutput output(vm,
                     out,
                     total,
                     "arch",
                     "Architecture grid of " + base_name,
                     {"n_layers",
                      "d_model",
                      "n_heads",
                      "n_kv_heads",
                      "head_dim",
                      "d_ff",
                      "params",
                      "non_embedding_params",
                      "training_flops_per_token",
                      "inference_flops_per_token",
                      "training_memory_bytes",
                      "inference_memory_bytes",
                      "kv_cache_bytes",
                      "status"});
  io::RowWriter& w = output.w();
  Progress progress(err, "sweep", "rows");
  I done = 0;
  const sweep::SweepSummary s =
      sweep::ArchGrid(o, [&](const sweep::ArchGridRow& r) {
        const model::Architecture& a = r.arch;
        w.Integer(a.n_layers, CellKind::kInteger);
        w.Integer(a.d_model, CellKind::kInteger);
        if (r.status != "ok") {
          for (int i = 0; i < 11; ++i) w.Empty();
        } else {
          w.Integer(a.n_heads, CellKind::kInteger);
          w.Integer(a.kv_heads(), CellKind::kInteger);
          w.Integer(a.head_size(), CellKind::kInteger);
          w.Integer(a.d_ff, CellKind::kInteger);
          w.Integer(r.params, CellKind::kCount);
          w.Integer(r.non_embedding_params, CellKind::kCount);
          w.Number(r.training_flops_per_token, CellKind::kScientific);
          w.Integer(r.inference_flops_per_token, CellKind::kShortCount);
          w.Integer(r.training_memory_bytes, CellKind::kBytes);
          w.Integer(r.inference_memory_bytes, CellKind::kBytes);
          w.Integer(r.kv_cache_bytes, CellKind::kBytes);
        }
        w.Text(r.status);
        w.EndRow();
        progress.Tick(++done, total);
      });
  std::vector<std::string> notes;
  notes.push_back("base: " + base_name +
                  "; every field but depth, width, heads, KV heads and d_ff "
                  "is the base's (MoE experts and MLA ranks unscaled)");
  notes.push_back(
      "n_heads = d_model / head_dim; d_ff = base d_ff x d_model / base "
      "d_model, rounded up to a multiple of " +
      std::to_string(o.d_ff_multiple_of));
  notes.push_back(
      "training_flops_per_token = 6 N (total parameters); "
      "inference_flops_per_token: weight products + attention over " +
      std::to_string(o.inference.context) + " cached tokens (scalesim flops)");
  notes.push_back("training memory: most loaded device, " +
                  model::DescribeBytesPerParam(o.training.states) + ", ZeRO " +
                  std::to_string(o.training.states.zero_stage) + ", TP " +
                  std::to_string(o.training.tensor_parallel) +
                  ", micro-batch " + std::to_string(o.training.micro_batch) +
                  " x " + std::to_string(o.training.seq_len) +
                  " tokens, FlashAttention, no dropout, recompute " +
                  std::string(model::ToString(o.training.recompute)) +
                  " (Korthikanti et al. 2022; scalesim memory)");
  notes.push_back("inference memory: weights (" +
                  std::string(model::ToString(o.inference.weights.dtype)) +
                  ") + KV cache (" + std::to_string(o.inference.kv_bits()) +
                  " bits, " + std::to_string(o.inference.context) +
                  " tokens x " + std::to_string(o.inference.batch) +
                  ") per device; bytes, binary units in tables");
  if (s.failed_rows > 0) {
    notes.push_back(std::to_string(s.failed_rows) +
                    " grid points are not valid shapes: see status");
  }
  output.Finish(notes);
  return 0;
}

constexpr struct {
  const char* name;
  const char* summary;
  int (*run)(const Args&, std::ostream&, std::ostream&);
} kSweeps[] = {
    {"overtraining",
     "tokens-per-parameter ratios at a fixed budget or loss",
     RunOvertraining},
    {"budget", "compute-optimal frontier of each law over budgets", RunBudget},
    {"isoflop", "IsoFLOP curves around each budget's optimum", RunIsoflop},
    {"loss-grid", "loss of each law over an N x D grid", RunLossGrid},
    {"arch", "depth x width (x KV heads) grid of an architecture", RunArch},
};

void SweepUsage(std::ostream& out) {
  out << "scalesim sweep: the same question over a grid, one CSV row per "
         "point\n\nUsage: scalesim sweep <kind> [options]   (scalesim sweep "
         "<kind> --help)\n\nKinds:\n";
  for (const auto& s : kSweeps) {
    out << "  " << s.name << std::string(14 - std::string(s.name).size(), ' ')
        << s.summary << '\n';
  }
  out << "\nExamples:\n  scalesim sweep overtraining --flops 1e23 --law "
         "hoffmann2022_approach3\n  scalesim sweep budget --out "
         "frontier.csv\n";
}

}  // namespace

int RunSweep(const Args& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    throw InvalidInput(InputLocation{"command line", 0, ""},
                       "name a sweep: overtraining, budget, isoflop, loss-grid "
                       "or arch (scalesim sweep --help)");
  }
  if (args[0] == "--help" || args[0] == "-h") {
    SweepUsage(out);
    return 0;
  }
  for (const auto& s : kSweeps) {
    if (args[0] == s.name)
      return s.run(Args(args.begin() + 1, args.end()), out, err);
  }
  throw InvalidInput(InputLocation{"command line", 0, ""},
                     "unknown sweep '" + args[0] +
                         "' (valid: overtraining, budget, isoflop, loss-grid, "
                         "arch)");
}

}  // namespace scalesim::cli

// The laws questions' workflows (workflow/workflow.hpp): laws, loss,
// optimal, hparams and fit, each with its inputs resolved and its report.
#include <string>
#include <utility>
#include <vector>

#include "scalesim/io/law_io.hpp"
#include "scalesim/laws/hyperparameter_report.hpp"
#include "scalesim/laws/loss_report.hpp"
#include "scalesim/model/params.hpp"
#include "scalesim/plan/optimal_report.hpp"
#include "scalesim/workflow/workflow.hpp"

namespace scalesim::workflow {
namespace {

constexpr double kTflops = 1e12;

}  // namespace

Outcome Laws(const std::vector<laws::Law>& selected, bool given) {
  io::Report r;
  r.tables.push_back(io::ToTable(
      io::LawsSchema(given ? "Loss laws" : "Built-in loss laws (data/laws/)"),
      selected));
  r.notes = io::LawsNotes(selected);
  return {std::move(r), 0};
}

Outcome Loss(const std::vector<laws::Law>& selected,
             bool given,
             laws::LossQuery query,
             std::optional<io::ResolvedArchitecture> arch) {
  std::vector<std::string> notes;
  if (arch) {
    query.counts = model::CountParameters(arch->arch);
    query.model_name = arch->arch.name;
    notes = std::move(arch->notes);
  }
  const bool repeated = query.repeated.given();
  const laws::LossReport l = laws::EvaluateLosses(selected, query, given);
  io::Report r;
  r.tables.push_back(io::ToTable(
      laws::LossSchema(query.tokens, repeated, l.intervals), l.rows));
  if (!l.single_variable.empty()) {
    r.tables.push_back(
        io::ToTable(laws::SingleVariableSchema(), l.single_variable));
  }
  r.notes = std::move(notes);
  r.notes.insert(r.notes.end(), l.notes.begin(), l.notes.end());
  return {std::move(r), 0};
}

Outcome Optimal(const std::vector<laws::Law>& selected,
                bool given,
                plan::OptimalOptions options,
                const io::DeviceSelection& device,
                const plan::ServingCostOptions& serving) {
  if (const auto d = io::SelectedDevice(device)) {
    options.peak_tflops = d->PeakFlopsPerSecond(model::Dtype::kBf16) / kTflops;
    if (!options.usd_per_hour) options.usd_per_hour = d->price_per_hour_usd;
  }
  const plan::OptimalReport o =
      serving.serve_device ? plan::OptimalWithServingCost(
                                 selected,
                                 options,
                                 given,
                                 io::FindDevice(io::CatalogOf(device),
                                                *serving.serve_device,
                                                {"", 0, "serve_device"}),
                                 serving)
                           : plan::Optimal(selected, options, given);
  io::Report r;
  if (!o.lifetimes.empty() || !o.ratios.empty()) {
    r.tables.push_back(io::ToTable(
        plan::LifetimeSchema(o.inference_tokens, o.priced), o.lifetimes));
    r.tables.push_back(
        io::ToTable(plan::InferenceRatioSchema(o.priced), o.ratios));
  } else {
    r.tables.push_back(
        io::ToTable(plan::OptimalAllocationSchema(o), o.allocations));
    if (!o.exponents.empty())
      r.tables.push_back(io::ToTable(plan::ExponentSchema(), o.exponents));
  }
  r.notes = o.notes;
  return {std::move(r), o.failed ? 1 : 0};
}

Outcome Hparams(const std::vector<laws::HyperparameterLaw>& selected,
                bool given,
                laws::HyperparameterQuery query,
                std::optional<io::ResolvedArchitecture> arch) {
  std::vector<std::string> notes;
  if (arch) {
    query.architecture = std::move(arch->arch);
    notes = std::move(arch->notes);
  }
  const laws::HyperparameterReport h =
      laws::Hyperparameters(selected, query, given);
  io::Report r;
  r.tables.push_back(io::ToRecord(laws::RunSchema(), h.run));
  if (!h.batches.empty())
    r.tables.push_back(io::ToTable(laws::BatchSchema(), h.batches));
  if (!h.critical_batches.empty()) {
    r.tables.push_back(
        io::ToTable(laws::CriticalBatchSchema(), h.critical_batches));
    r.tables.push_back(io::ToTable(laws::BatchTradeoffSchema(), h.tradeoffs));
  }
  if (!h.allocations.empty()) {
    r.tables.push_back(
        io::ToTable(laws::FlopsPerTokenAllocationSchema(), h.allocations));
  }
  r.notes = std::move(notes);
  r.notes.insert(r.notes.end(), h.notes.begin(), h.notes.end());
  return {std::move(r), 0};
}

Outcome Fit(const fit::FitReport& f) {
  io::Report r;
  if (!f.constants.empty() || f.summary.form == "isoflop") {
    r.tables.push_back(
        io::ToTable(fit::ConstantSchema(f.constants_title), f.constants));
  }
  if (f.summary.form == "isoflop")
    r.tables.push_back(io::ToTable(fit::IsoFlopGroupSchema(), f.groups));
  r.tables.push_back(io::ToRecord(fit::FitSummarySchema(f.summary), f.summary));
  r.notes = f.notes;
  return {std::move(r), f.settled() ? 0 : 1};
}

}  // namespace scalesim::workflow

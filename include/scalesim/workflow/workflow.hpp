// Workflows shared by the CLI and the Python module: from a command's
// options to the report it prints (and Python returns), resolving the
// inputs through io (presets, configs, catalogs, law files) and calling
// the library (perf, plan, fit).
//
// One function per command: params, flops, memory, laws, loss, optimal,
// hparams, fit (its report; the files it writes are the front end's),
// hardware, step, serve, plan, compare chinchilla-gopher and synth (the
// streamed sweeps are prepared in sweep/: sweep::Prepare*). The CLI
// binds flags to the option structs and writes `Outcome::report` in the chosen
// format; src/python binds keywords to the same structs and turns the
// same report into DataFrames, so the two front ends cannot drift
// (tables, columns, notes and statuses are declared here once).
#ifndef SCALESIM_WORKFLOW_WORKFLOW_HPP_
#define SCALESIM_WORKFLOW_WORKFLOW_HPP_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scalesim/fit/dataset.hpp"
#include "scalesim/fit/fit_report.hpp"
#include "scalesim/fit/synthetic.hpp"
#include "scalesim/io/architecture_io.hpp"
#include "scalesim/io/hardware_io.hpp"
#include "scalesim/io/report.hpp"
#include "scalesim/laws/hyperparameter_report.hpp"
#include "scalesim/laws/hyperparameters.hpp"
#include "scalesim/laws/law.hpp"
#include "scalesim/laws/loss_report.hpp"
#include "scalesim/model/flops_report.hpp"
#include "scalesim/model/memory_report.hpp"
#include "scalesim/perf/search.hpp"
#include "scalesim/perf/serve.hpp"
#include "scalesim/perf/step.hpp"
#include "scalesim/plan/optimal_report.hpp"
#include "scalesim/plan/plan_report.hpp"
#include "scalesim/plan/serving_cost.hpp"

namespace scalesim::workflow {

// What a workflow returns: the report, and the CLI's exit code for it: 0,
// or 1 for a numerical outcome (no layout fits, no layout meets the
// target, an infeasible plan); bad input throws InvalidInput instead.
struct Outcome {
  io::Report report;
  int exit_code = 0;
  bool ok() const { return exit_code == 0; }
};

// ---------------------------------------------------------------- models

// The built-in presets (params --list): table presets.
Outcome Presets();

// The device catalog (the built-in one or catalog.catalog): table devices.
Outcome Hardware(const io::CatalogOptions& catalog);

// Exact counts by component: table components, record summary (and, for a
// checkpoint folder, table checkpoint; exit code 1 when its tensors differ
// from its config).
Outcome Params(const io::ResolvedArchitecture& arch);

// Training and inference FLOPs under every convention; with a device, its
// record and the time, budget and utilization tables the run options ask.
Outcome Flops(const io::ResolvedArchitecture& arch,
              const model::FlopsRunOptions& run,
              const io::DeviceSelection& device,
              const model::DeviceRunOptions& on_device);

// memory's mode: training (default) or serving memory, on the selected
// device or every catalog device.
struct MemoryMode {
  bool inference = false;
  bool which_devices = false;
  template <typename V>
  void VisitFields(V&& v) {
    v(inference,
      {.name = "inference",
       .help = "serving memory (weights + KV cache) instead of "
               "training memory",
       .is_switch = true});
    v(which_devices,
      {.name = "which_devices",
       .help = "check every catalog device",
       .is_switch = true});
  }
};
// The fields of one mode: an error in the other (the front ends check it,
// naming the flag or keyword given).
inline constexpr std::string_view kTrainingMemoryOnly[] = {"precision",
                                                           "grad_dtype",
                                                           "optimizer",
                                                           "zero",
                                                           "dp",
                                                           "pp",
                                                           "sequence_parallel",
                                                           "recompute",
                                                           "flash_attention",
                                                           "dropout",
                                                           "micro_batch",
                                                           "microbatches",
                                                           "seq_len"};
inline constexpr std::string_view kServingMemoryOnly[] = {
    "weight_dtype", "group_size", "scale_bits", "kv_dtype", "context", "batch"};

// Memory per device: table memory, record setup (and fit or devices, the
// devices asked). Serving memory takes training's tensor_parallel (the one
// tp field both modes share).
Outcome Memory(const io::ResolvedArchitecture& arch,
               const MemoryMode& mode,
               const model::TrainingMemoryOptions& training,
               model::InferenceMemoryOptions serving,
               const io::DeviceSelection& devices);

// ---------------------------------------------------------------- laws

// The laws `selected` (given: named by the user, else the built-ins):
// table laws.
Outcome Laws(const std::vector<laws::Law>& selected, bool given);

// Each law's loss at query.params (or the architecture's exact counts) and
// query.tokens: table loss (with 95 % intervals for laws with draws; a
// row per U with repeated data), and single_variable for laws of one.
Outcome Loss(const std::vector<laws::Law>& selected,
             bool given,
             laws::LossQuery query,
             std::optional<io::ResolvedArchitecture> arch);

// plan::Optimal (or OptimalWithServingCost with serving.serve_device): the
// device, when selected, gives the peak and (unless given) the price.
// Tables: the allocation (and exponents), or the lifetimes and ratios of
// the inference-optimal question; exit code 1 when a law failed.
Outcome Optimal(const std::vector<laws::Law>& selected,
                bool given,
                plan::OptimalOptions options,
                const io::DeviceSelection& device,
                const plan::ServingCostOptions& serving);

// laws::Hyperparameters for a run (or an architecture's): record run,
// tables batch, critical_batch and its trade-off, allocation.
Outcome Hparams(const std::vector<laws::HyperparameterLaw>& selected,
                bool given,
                laws::HyperparameterQuery query,
                std::optional<io::ResolvedArchitecture> arch);

// ---------------------------------------------------------------- fit

// A fit's report (fit::RunFit): table constants (and groups for IsoFLOP),
// record fit; exit code 1 unless the fit settled (converged and well
// posed). The files a fit writes (law, residuals, bootstrap refits) are
// the front end's.
Outcome Fit(const fit::FitReport& f);

// ---------------------------------------------------------------- step

// --search and its options (the layout fields become what is searched).
struct StepSearch {
  bool search = false;
  perf::SearchOptions options;

  template <typename V>
  void VisitFields(V&& v) {
    v(search,
      {.name = "search",
       .help = "search the layouts of --devices for the fastest that fits "
               "(the layout flags are what is searched)",
       .is_switch = true});
    options.VisitFields(v);
  }
};

// One optimizer step (perf::PredictStep: tables step, stages) or, with
// search, the fastest layouts that fit (perf::SearchLayouts: layouts;
// exit code 1 when none fits).
Outcome Step(io::ResolvedArchitecture arch,
             const io::DeviceSelection& device,
             const perf::StepOptions& step,
             const StepSearch& search);

// ---------------------------------------------------------------- serve

struct ServeSearch {
  bool search = false;
  perf::ServeSearchOptions options;

  template <typename V>
  void VisitFields(V&& v) {
    v(search,
      {.name = "search",
       .help = "search the catalog's device kinds, device counts, tp, pp "
               "and batches for the cheapest layout that meets "
               "--target-tpot-ms / --target-ttft-ms",
       .is_switch = true});
    options.VisitFields(v);
  }
};

// The search's fields: an error without search (the front ends check it,
// naming the flag or keyword given).
inline constexpr std::string_view kServeSearchOnly[] = {
    "target_tpot_ms",
    "target_ttft_ms",
    "load_tokens_per_second",
    "prices",
    "max_devices",
    "top"};

// Serving one layout (perf::PredictServing: table serve, a record per
// scenario) or, with search, the cheapest layouts meeting the latency
// target on the selected device or every priced kind of the catalog
// (perf::SearchServing: serve_search; exit code 1 when none meets it).
Outcome Serve(io::ResolvedArchitecture arch,
              const io::DeviceSelection& devices,
              const perf::ServeOptions& serve,
              const ServeSearch& search);

// ---------------------------------------------------------------- plan

// The plan's laws. Default loss law: Besiroglu et al. 2024's refit of
// Hoffmann et al.'s data (its optimum, ~20 tokens per parameter near
// Chinchilla's budget, agrees with Hoffmann's Approaches 1 and 2; the
// published Approach 3 constants do not). Batch and learning rate:
// DeepSeek-AI 2024's law (scalesim hparams); the critical batch: Kaplan et
// al. 2020's (kCriticalBatchLaw).
struct PlanLaws {
  std::string law = "besiroglu2024";
  std::string hparams_law = "deepseek2024_hyperparameters";

  template <typename V>
  void VisitFields(V&& v) {
    v(law,
      {.name = "law",
       .help = "loss law: a built-in name (scalesim laws) or a law JSON file",
       .unit = "NAME|FILE"});
    v(hparams_law,
      {.name = "hparams_law",
       .help = "hyperparameter law of the batch and learning rate: a "
               "built-in name (scalesim hparams) or a law JSON file",
       .unit = "NAME|FILE"});
  }
};
inline constexpr const char* kCriticalBatchLaw = "kaplan2020_critical_batch";
// The plan's device when none is selected.
inline constexpr const char* kPlanDefaultDevice = "h100-sxm";

// The architecture `source` fixes, if any (otherwise the plan proposes a
// shape from the law's split); one given by flags takes the plan's vocab.
std::optional<io::ResolvedArchitecture> PlanArchitecture(
    io::ArchitectureSource source, const plan::PlanOptions& options);

// plan::Plan (and plan::AddServing with serving.serve_device) with the
// laws and devices resolved: tables budget, allocation, model, optimizer,
// layout, stages, layouts, time, cost, loss (and serving); exit code 1
// when the plan is not ok.
Outcome Plan(const plan::PlanOptions& options,
             const io::DeviceSelection& devices,
             std::optional<io::ResolvedArchitecture> fixed,
             const PlanLaws& laws,
             const plan::ServingCostOptions& serving);
// The same with the laws loaded (a fitted law held in memory, say).
Outcome Plan(const plan::PlanOptions& options,
             const io::DeviceSelection& devices,
             std::optional<io::ResolvedArchitecture> fixed,
             const laws::Law& law,
             const laws::HyperparameterLaw& hparams,
             const plan::ServingCostOptions& serving);

// ---------------------------------------------------------------- compare

// Hoffmann et al. 2022's Chinchilla vs Gopher (plan::CompareChinchillaGopher
// over the presets and every built-in law): tables models, training_flops,
// predicted_loss, compute_optimal_at_5.76e23, table2_exponents,
// table3_approach1, kaplan_vs_chinchilla.
Outcome CompareChinchillaGopher();

// ---------------------------------------------------------------- synth

struct SynthLaw {
  std::optional<std::string> law;

  template <typename V>
  void VisitFields(V&& v) {
    v(law,
      {.name = "law",
       .help = "a Chinchilla-form or data_constrained law: built-in "
               "name or law JSON file",
       .unit = "NAME|FILE",
       .default_text = "Hoffmann et al. 2022 Approach 3 as printed"});
  }
};

// A synthesis planned (validated, nothing drawn yet).
struct Synthesis {
  fit::SynthPlan plan;
  std::string law_source;  // the law's name and citation
};

// Without a law: Hoffmann et al. 2022 App. D.2 (Eq. 10), Approach 3 as
// printed (E 1.69, A 406.4, B 410.7, alpha 0.34, beta 0.28). A law must
// be of the Chinchilla form or data_constrained (error naming `law`).
Synthesis PlanSynthesis(const SynthLaw& law, const fit::SynthRequest& request);

// The summary of a drawn dataset of `runs` runs written to (or named)
// `dataset`: record synthetic and the design's notes.
io::Report SynthReport(const Synthesis& s,
                       std::int64_t runs,
                       const std::string& dataset);

}  // namespace scalesim::workflow

#endif  // SCALESIM_WORKFLOW_WORKFLOW_HPP_

#include "scalesim/plan/serving_cost.hpp"

#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

#include "scalesim/core/validate.hpp"
#include "scalesim/plan/design.hpp"
#include "scalesim/plan/optimal_report.hpp"

namespace scalesim::plan {
namespace {

constexpr double kTflops = 1e12;
constexpr double kSettled = 0.01;  // relative change of N that ends it

std::string ThreeDigits(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

// The first law's inference-optimal model in `r`.
const LifetimeRow* InferenceOptimal(const OptimalReport& r) {
  for (const LifetimeRow& row : r.lifetimes)
    if (row.model == "inference_optimal") return &row;
  return nullptr;
}

// One law's solve with its inference priced by the serving model; the
// serving layout it assumed in `note`.
OptimalReport PriceOneLaw(const laws::Law& law,
                          OptimalOptions options,
                          bool explicit_laws,
                          const model::Device& device,
                          const perf::ServeOptions& serve,
                          const ServingCostOptions& flags,
                          std::string& note) {
  const std::vector<laws::Law> one = {law};
  // A first solve at the training MFU gives the size to serve.
  OptimalReport r = Optimal(one, options, explicit_laws);
  const LifetimeRow* row = InferenceOptimal(r);
  if (row == nullptr) return r;  // unreachable target: the row says why
  double n = row->plan.training.params;
  std::optional<perf::CheapestServing> priced;
  model::Architecture arch;
  double served = n;  // the size `arch` was proposed for
  for (int i = 0; i < kServingIterations; ++i) {
    ArchitectureOptions ao;
    ao.target_params = n;
    ao.count = law.info().param_count;
    ao.heads_multiple = 8;  // tensor parallel up to a node
    const ArchitectureProposal shape = ProposeArchitecture(ao);
    if (!shape.found)
      FailField("serve_device",
                "no Llama-style shape of " + ScientificText(n) +
                    " parameters to serve (" + law.name() +
                    "): " + shape.message);
    arch = shape.arch;
    arch.name = "a Llama-style " + std::to_string(arch.n_layers) + " x " +
                std::to_string(arch.d_model) + " model";
    served = n;
    priced = perf::CheapestServingCost(arch, device, serve, flags.search);
    if (!priced->cost)
      FailField("serve_device",
                "the inference-optimal model of " + law.name() + " (" +
                    ScientificText(n) + " parameters) does not fit on " +
                    std::to_string(flags.search.max_devices) + " x " +
                    device.name + " (--max-devices): " + priced->message);
    options.inference_peak_tflops =
        priced->cost->peak_flops_per_second / kTflops;
    options.inference_mfu = priced->cost->effective_mfu;
    r = Optimal(one, options, explicit_laws);
    row = InferenceOptimal(r);
    if (row == nullptr) return r;
    const double next = row->plan.training.params;
    const bool settled = std::fabs(next - n) <= kSettled * n;
    n = next;
    if (settled) break;
  }
  const perf::ServingCost& c = *priced->cost;
  note = law.name() +
         ": inference priced by the serving model at its "
         "inference-optimal N (" +
         ScientificText(served) + "): " + c.description +
         ", the cheapest layout on " + device.name +
         (flags.search.target_tpot_ms || flags.search.target_ttft_ms
              ? " meeting the latency target"
              : "") +
         (priced->status != perf::ServeSearchStatus::kOk
              ? " (none meets it: the closest)"
              : "") +
         ": $" + ThreeDigits(*c.usd_per_token * 1e6) +
         " per million tokens (prompt and output), " +
         ThreeDigits(*c.usd_per_flop) +
         " $/FLOP, an effective inference MFU "
         "of " +
         ThreeDigits(c.effective_mfu) + " of the " +
         ThreeDigits(c.peak_flops_per_second / kTflops) + " TFLOP/s peak";
  return r;
}

}  // namespace

OptimalReport OptimalWithServingCost(const std::vector<laws::Law>& laws,
                                     OptimalOptions options,
                                     bool explicit_laws,
                                     const model::Device& device,
                                     const ServingCostOptions& flags) {
  if (options.inference_mfu || options.inference_peak_tflops)
    FailField(options.inference_mfu ? "inference_mfu" : "inference_peak_tflops",
              "give --serve-device (the serving model prices inference) or "
              "an assumed inference MFU and peak, not both");
  if (!options.inference_tokens)
    FailField("serve_device",
              "prices the inference-optimal model: give --inference-tokens");
  perf::ServeOptions serve = flags.serve;
  serve.usd_per_hour = options.inference_usd_per_hour
                           ? options.inference_usd_per_hour
                           : device.price_per_hour_usd;
  if (!serve.usd_per_hour) serve.usd_per_hour = options.usd_per_hour;
  if (!serve.usd_per_hour)
    FailField("inference_usd_per_hour",
              "missing: the price per device-hour of " + device.name +
                  " (the catalog has none; --usd-per-hour sets both)");
  options.inference_usd_per_hour = serve.usd_per_hour;

  // Every law at once first: the same checks, errors and skipped
  // frontiers as without --serve-device.
  OptimalReport all = Optimal(laws, options, explicit_laws);
  // Then each law with a loss on its own, priced at its own model.
  OptimalReport out;
  out.priced = all.priced;
  out.inference_tokens = all.inference_tokens;
  std::vector<std::string> serving;
  for (const laws::Law& law : laws) {
    if (law.loss_law() == nullptr) continue;
    std::string note;
    OptimalReport r =
        PriceOneLaw(law, options, explicit_laws, device, serve, flags, note);
    // The rows point at the one-law vector: point them at `laws`.
    for (LifetimeRow& row : r.lifetimes) row.law = &law;
    for (InferenceRatioRow& row : r.ratios) row.law = &law;
    out.lifetimes.insert(
        out.lifetimes.end(), r.lifetimes.begin(), r.lifetimes.end());
    out.ratios.insert(out.ratios.end(), r.ratios.begin(), r.ratios.end());
    out.failed = out.failed || r.failed;
    if (!note.empty()) serving.push_back(std::move(note));
  }
  // plan's notes but its "cost:" line (the inference price differs per
  // law: the serving notes give each).
  constexpr std::string_view kDefaulted =
      "not given: the training values are used";
  for (const std::string& n : all.notes) {
    if (n.size() >= kDefaulted.size() &&
        n.compare(
            n.size() - kDefaulted.size(), kDefaulted.size(), kDefaulted) == 0)
      continue;  // the serving model gives them
    if (n.rfind("cost:", 0) == 0) {
      out.notes.push_back(
          "cost: training dollars per FLOP = usd_per_hour / (3600 s * peak "
          "FLOP/s * MFU) (training MFU " +
          NumberText(options.mfu) +
          "); inference dollars per FLOP from the serving model on " +
          device.name + " at $" + NumberText(*serve.usd_per_hour) +
          " per device-hour, per law below");
      continue;
    }
    out.notes.push_back(n);
  }
  for (std::string& n : serving) out.notes.push_back(std::move(n));
  return out;
}

}  // namespace scalesim::plan

// The model questions' workflows (workflow/workflow.hpp): params, flops and
// memory of one architecture, as their reports.
#include <string>
#include <utility>
#include <vector>

#include "scalesim/io/format.hpp"
#include "scalesim/model/params.hpp"
#include "scalesim/model/params_report.hpp"
#include "scalesim/workflow/workflow.hpp"

namespace scalesim::workflow {
namespace {

template <typename Report>
io::Report MemoryReport(const Report& r,
                        const std::string& title,
                        const Schema<model::DeviceFit>& fit_schema,
                        const auto& setup_schema,
                        std::vector<std::string> notes) {
  io::Report out;
  out.tables.push_back(io::ToTable(model::MemorySchema(title), r.rows));
  out.tables.push_back(io::ToRecord(setup_schema, r.setup));
  if (!r.fits.empty()) out.tables.push_back(io::ToTable(fit_schema, r.fits));
  out.notes = std::move(notes);
  out.notes.insert(out.notes.end(), r.notes.begin(), r.notes.end());
  return out;
}

}  // namespace

Outcome Presets() {
  Schema<io::PresetInfo> s{
      "presets", "Built-in presets (data/models/)", {}, {}};
  s.Add("name",
        CellKind::kText,
        [](const io::PresetInfo& p) { return CellValue{p.name}; })
      .Add("family",
           CellKind::kText,
           [](const io::PresetInfo& p) { return CellValue{p.family}; })
      .Add("description",
           CellKind::kText,
           [](const io::PresetInfo& p) { return CellValue{p.description}; })
      .Add("source", CellKind::kText, [](const io::PresetInfo& p) {
        return CellValue{p.source};
      });
  io::Report r;
  r.tables.push_back(io::ToTable(s, io::ListPresets()));
  return {std::move(r), 0};
}

Outcome Params(const io::ResolvedArchitecture& a) {
  const model::ParamBreakdown p = model::CountParameters(a.arch);
  const model::ParamSummary summary = model::SummarizeParams(a.arch, p);
  io::Report r;
  r.tables.push_back(io::ToTable(model::ComponentSchema(p, a.arch.name),
                                 model::ComponentRows(p)));
  r.tables.push_back(io::ToRecord(model::SummarySchema(summary), summary));
  r.notes = a.notes;
  for (std::string& n : model::ParamsNotes(summary))
    r.notes.push_back(std::move(n));
  // A checkpoint that differs from its config is an outcome in the report
  // (exit 1), as a fit that does not converge is.
  if (a.checkpoint) {
    r.tables.push_back(io::ToTable(io::CheckpointSchema(), a.checkpoint->rows));
    return {std::move(r), a.checkpoint->matches ? 0 : 1};
  }
  return {std::move(r), 0};
}

Outcome Flops(const io::ResolvedArchitecture& a,
              const model::FlopsRunOptions& run,
              const io::DeviceSelection& device,
              const model::DeviceRunOptions& dev) {
  const std::optional<model::Device> selected = io::SelectedDevice(device);
  const model::FlopsReport f = model::ReportFlops(a.arch, run, selected, dev);
  io::Report r;
  r.tables.push_back(
      io::ToTable(model::ConventionSchema(
                      a.arch.name, f.run.seq_len, f.run.tokens.has_value()),
                  f.conventions));
  r.tables.push_back(io::ToTable(model::OperationSchema(), f.operations));
  r.tables.push_back(io::ToRecord(
      model::InferenceFlopsSchema(f.inference.context), f.inference));
  if (f.device) {
    const std::string on =
        std::to_string(dev.devices) + " x " + f.device->device;
    r.tables.push_back(io::ToRecord(model::DeviceRecordSchema(), *f.device));
    if (!f.times.empty()) {
      r.tables.push_back(
          io::ToTable(model::TimeSchema("Training time on " + on), f.times));
    }
    if (!f.budgets.empty()) {
      r.tables.push_back(io::ToTable(
          model::BudgetSchema("FLOP budget of " + on + " for " +
                              io::Exact(*dev.days) + " days at MFU " +
                              io::Percent(dev.mfu)),
          f.budgets));
    }
    if (!f.utilizations.empty()) {
      r.tables.push_back(io::ToTable(
          model::UtilizationSchema("Utilization at " +
                                   io::Exact(*dev.tokens_per_second) +
                                   " tokens/s on " + on),
          f.utilizations));
    }
  }
  r.notes = a.notes;
  r.notes.insert(r.notes.end(), f.notes.begin(), f.notes.end());
  return {std::move(r), 0};
}

Outcome Memory(const io::ResolvedArchitecture& a,
               const MemoryMode& mode,
               const model::TrainingMemoryOptions& training,
               model::InferenceMemoryOptions serving,
               const io::DeviceSelection& devices) {
  std::vector<model::Device> asked;
  if (mode.which_devices) {
    asked = io::CatalogOf(devices);
  } else if (auto d = io::SelectedDevice(devices)) {
    asked = {*d};
  }
  const bool all = mode.which_devices;
  if (mode.inference) {
    serving.tensor_parallel = training.tensor_parallel;
    const model::InferenceMemoryReport r =
        model::ReportInferenceMemory(a.arch, serving, asked);
    const std::string tail = "tp " + std::to_string(serving.tensor_parallel) +
                             ", context " + std::to_string(r.options.context) +
                             ", batch " + std::to_string(serving.batch);
    return {MemoryReport(
                r,
                "Inference memory per device (tensor parallel " +
                    std::to_string(serving.tensor_parallel) + ")",
                model::DeviceFitSchema(
                    all ? "devices" : "fit",
                    all ? "Catalog devices that can serve it (" + tail + ")"
                        : "Does it fit?",
                    "largest_batch"),
                model::InferenceSetupSchema(r.setup),
                a.notes),
            0};
  }
  const model::TrainingMemoryReport r =
      model::ReportTrainingMemory(a.arch, training, asked);
  return {
      MemoryReport(
          r,
          "Training memory per device (pipeline stage " +
              std::to_string(r.memory.most_loaded.stage) + " of " +
              std::to_string(training.pipeline_parallel) + ", the most loaded)",
          model::DeviceFitSchema(all ? "devices" : "fit",
                                 all ? "Catalog devices" : "Does it fit?",
                                 "largest_micro_batch"),
          model::TrainingSetupSchema(r.setup),
          a.notes),
      0};
}

Outcome Hardware(const io::CatalogOptions& catalog) {
  const std::vector<model::Device> devices = io::LoadCatalog(catalog);
  io::Report r;
  r.tables.push_back(io::ToTable(
      model::DeviceSchema("Devices (" + io::CatalogName(catalog) + ")"),
      devices));
  r.notes = {
      "peaks are dense (no 2:4 structured sparsity) TFLOP/s per device; "
      "int8 in TOP/s; empty: the device has no such math",
      "peak_tflops_bf16 is 16-bit tensor math: bf16, or fp16 where the "
      "device has no bf16 (V100); GeForce cards: fp32 accumulate",
      "memory: the vendor's nominal capacity read as GiB (2^30 bytes); "
      "usable memory is somewhat less (ECC, driver)",
      "network: per device and per direction; scale_up is the NVLink / ICI "
      "domain of scale_up_domain devices, scale_out one NIC per device "
      "(400 Gb/s = 50 GB/s); latencies per collective step",
      "efficiency_*: achieved fractions of the peaks in a training step "
      "(scalesim step); empty: the step model's default "
      "(include/scalesim/perf/step.hpp)",
      "prices: none built in (they vary by provider and date): give "
      "--usd-per-hour to scalesim flops, or a catalog with "
      "price_per_hour_usd"};
  return {std::move(r), 0};
}

}  // namespace scalesim::workflow

// scalesim memory: training or inference memory per device
// (model/memory_report.hpp).
#include <ostream>
#include <string>
#include <vector>

#include "scalesim/io/architecture_io.hpp"
#include "scalesim/io/hardware_io.hpp"
#include "scalesim/model/memory_report.hpp"

#include "cli/cli.hpp"
#include "cli/command.hpp"

namespace scalesim::cli {
namespace {

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

constexpr const char* kTrainingOnly[] = {"precision",
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
constexpr const char* kServingOnly[] = {
    "weight_dtype", "group_size", "scale_bits", "kv_dtype", "context", "batch"};

std::vector<model::Device> DevicesAskedFor(const MemoryMode& mode,
                                           const io::DeviceSelection& sel) {
  if (mode.which_devices) return io::CatalogOf(sel);
  if (auto d = io::SelectedDevice(sel)) return {*d};
  return {};
}

template <typename Report>
io::Report Render(const Report& r,
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

int RunMemory(const Args& args, std::ostream& out, std::ostream& /*err*/) {
  Command cmd(
      {"memory",
       "training memory per device (weights, gradients, optimizer, "
       "activations) or inference memory (weights, KV cache)",
       "scalesim memory (--preset NAME | --hf-config FILE | --arch FILE | "
       "flags) [--precision P] [--optimizer O] [--zero Z --dp N] [--tp T --pp "
       "P --sequence-parallel] [--recompute R] [--micro-batch B] [--seq-len "
       "S] [--device NAME] | --inference [--weight-dtype D] [--kv-dtype D] "
       "[--context T] [--batch B] [--which-devices]",
       {"scalesim memory --preset llama2-7b --device a100-sxm4-80gb",
        "scalesim memory --preset llama3-8b --zero 3 --dp 8 --device h100-sxm",
        "scalesim memory --preset gpt3-175b --tp 8 --pp 8 --sequence-parallel "
        "--recompute selective",
        "scalesim memory --preset llama2-70b --inference --weight-dtype int4 "
        "--group-size 128 --context 4096 --batch 8 --which-devices"}});
  io::ArchitectureSource source;
  MemoryMode mode;
  model::TrainingMemoryOptions training;
  model::InferenceMemoryOptions serving;
  io::DeviceSelection devices;
  OutputOptions output;
  cmd.Flags("Model", source)
      .Flags("Mode", mode)
      .Flags("Training (default)", training)
      .Flags("Inference (--inference)", serving, {"tp"})
      .Flags("Hardware", devices)
      .Output(output);
  if (!cmd.Parse(args, out)) return 0;
  // A flag of the other mode is an error, never silently ignored.
  for (const char* f : mode.inference
                           ? std::vector<const char*>(std::begin(kTrainingOnly),
                                                      std::end(kTrainingOnly))
                           : std::vector<const char*>(std::begin(kServingOnly),
                                                      std::end(kServingOnly))) {
    if (cmd.Given(f)) {
      cmd.Fail(f,
               mode.inference
                   ? "applies to training memory, not with --inference"
                   : "applies to inference memory: add --inference");
    }
  }
  return cmd.Run([&] {
    const std::vector<model::Device> asked = DevicesAskedFor(mode, devices);
    io::ResolvedArchitecture a = io::ResolveArchitecture(source);
    const bool all = mode.which_devices;
    if (mode.inference) {
      serving.tensor_parallel = training.tensor_parallel;
      const model::InferenceMemoryReport r =
          model::ReportInferenceMemory(a.arch, serving, asked);
      const std::string tail = "tp " + std::to_string(serving.tensor_parallel) +
                               ", context " +
                               std::to_string(r.options.context) + ", batch " +
                               std::to_string(serving.batch);
      Command::Emit(
          Render(r,
                 "Inference memory per device (tensor parallel " +
                     std::to_string(serving.tensor_parallel) + ")",
                 model::DeviceFitSchema(
                     all ? "devices" : "fit",
                     all ? "Catalog devices that can serve it (" + tail + ")"
                         : "Does it fit?",
                     "largest_batch"),
                 model::InferenceSetupSchema(r.setup),
                 std::move(a.notes)),
          output,
          out);
      return 0;
    }
    const model::TrainingMemoryReport r =
        model::ReportTrainingMemory(a.arch, training, asked);
    Command::Emit(
        Render(r,
               "Training memory per device (pipeline stage " +
                   std::to_string(r.memory.most_loaded.stage) + " of " +
                   std::to_string(training.pipeline_parallel) +
                   ", the most loaded)",
               model::DeviceFitSchema(all ? "devices" : "fit",
                                      all ? "Catalog devices" : "Does it fit?",
                                      "largest_micro_batch"),
               model::TrainingSetupSchema(r.setup),
               std::move(a.notes)),
        output,
        out);
    return 0;
  });
}

}  // namespace scalesim::cli

// scalesim memory: training or inference memory per device
// (model/memory_report.hpp; its report: workflow::Memory).
#include <ostream>
#include <string_view>

#include "scalesim/workflow/workflow.hpp"

#include "cli/cli.hpp"
#include "cli/command.hpp"

namespace scalesim::cli {

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
  workflow::MemoryMode mode;
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
  if (mode.inference) {
    cmd.RefuseGiven(workflow::kTrainingMemoryOnly,
                    "applies to training memory, not with --inference");
  } else {
    cmd.RefuseGiven(workflow::kServingMemoryOnly,
                    "applies to inference memory: add --inference");
  }
  return cmd.Run([&] {
    const workflow::Outcome o = workflow::Memory(
        io::ResolveArchitecture(source), mode, training, serving, devices);
    Command::Emit(o.report, output, out);
    return o.exit_code;
  });
}

}  // namespace scalesim::cli

// scalesim step: one optimizer step predicted for a layout, or with
// --search the fastest layouts that fit (workflow::Step).
#include <ostream>

#include "scalesim/workflow/workflow.hpp"

#include "cli/cli.hpp"
#include "cli/command.hpp"

namespace scalesim::cli {

int RunStep(const Args& args, std::ostream& out, std::ostream& /*err*/) {
  Command cmd(
      {"step",
       "predict one optimizer step (compute, communication, bubble, memory) "
       "for a layout, or search for the fastest layout that fits",
       "scalesim step (--preset NAME | --hf-config FILE | --arch FILE | ...) "
       "--device NAME [--catalog FILE] [--devices N] [--tp T] [--pp P] "
       "[--vp V] [--cp C] [--ep E] [--zero Z] [--sequence-parallel] "
       "[--micro-batch B] [--global-batch B | --global-batch-tokens T] "
       "[--seq-len S] [--recompute none|selective|full] [--dtype bf16|fp8] "
       "[--search [--top K]] [--format table|csv|json|markdown] [--out FILE]",
       {"scalesim step --preset llama2-7b --device h100-sxm --devices 8 "
        "--global-batch 128 --zero 1 --dtype fp8",
        "scalesim step --preset gpt3-175b --device a100-sxm4-80gb --devices 64 "
        "--tp 8 --pp 8 --vp 3 --global-batch 64 --seq-len 2048 "
        "--sequence-parallel --recompute selective",
        "scalesim step --preset llama2-70b --device h100-sxm --devices 64 "
        "--global-batch 128 --search --format csv"}});
  io::ArchitectureSource source;
  io::DeviceSelection device_options;
  perf::StepOptions step;
  workflow::StepSearch search;
  OutputOptions output;
  cmd.Flags("Model", source)
      .Flags("Hardware", device_options)
      .Flags("Layout and training", step)
      .Flags("Search", search)
      .Output(output);
  if (!cmd.Parse(args, out)) return 0;
  return cmd.Run([&] {
    const workflow::Outcome o = workflow::Step(
        io::ResolveArchitecture(source), device_options, step, search);
    Command::Emit(o.report, output, out);
    return o.exit_code;
  });
}

}  // namespace scalesim::cli

// scalesim flops: training and inference FLOPs under every convention, and
// the time, cost, budget and utilization on a device
// (model/flops_report.hpp; its report: workflow::Flops).
#include <ostream>

#include "scalesim/workflow/workflow.hpp"

#include "cli/cli.hpp"
#include "cli/command.hpp"

namespace scalesim::cli {

int RunFlops(const Args& args, std::ostream& out, std::ostream& /*err*/) {
  Command cmd(
      {"flops",
       "training and inference FLOPs under every convention, with time and "
       "cost on a device",
       "scalesim flops (--preset NAME | --hf-config FILE | --arch FILE | "
       "flags) [--tokens D] [--seq-len S] [--causal true|false] [--recompute "
       "none|selective|full] [--device NAME --devices N --mfu U "
       "--usd-per-hour P] [--days T] [--tokens-per-second R]",
       {"scalesim flops --preset gpt3-175b --tokens 300e9",
        "scalesim flops --preset llama2-7b --tokens 2e12 --device h100-sxm "
        "--devices 1024",
        "scalesim flops --preset gpt3-175b --device a100-sxm4-80gb --devices "
        "1024 --days 30",
        "scalesim flops --preset gpt3-175b --device a100-sxm4-80gb --devices "
        "1024 --tokens-per-second 98304 --recompute selective"}});
  io::ArchitectureSource source;
  model::FlopsRunOptions run;
  io::DeviceSelection selection;
  model::DeviceRunOptions on_device;
  OutputOptions output;
  cmd.Flags("Model", source)
      .Flags("Run", run)
      .Flags("Hardware", selection)
      .Flags("On the device (with --device)", on_device)
      .Output(output);
  if (!cmd.Parse(args, out)) return 0;
  for (const char* needs :
       {"devices", "usd_per_hour", "days", "tokens_per_second"}) {
    if (cmd.Given(needs) && !selection.device) {
      cmd.Fail("device", "missing: " + cmd.FlagOf(needs) + " needs a --device");
    }
  }
  return cmd.Run([&] {
    const workflow::Outcome o = workflow::Flops(
        io::ResolveArchitecture(source), run, selection, on_device);
    Command::Emit(o.report, output, out);
    return o.exit_code;
  });
}

}  // namespace scalesim::cli

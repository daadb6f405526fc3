// scalesim plan: the main job. From one budget to the model to train, its
// data, batch, layout, time with failures, cost, energy and loss
// (workflow::Plan over plan/plan_report.hpp; this file binds flags).
#include <ostream>
#include <string_view>

#include "scalesim/workflow/workflow.hpp"

#include "cli/cli.hpp"
#include "cli/command.hpp"

namespace scalesim::cli {

int RunPlan(const Args& args, std::ostream& out, std::ostream& /*err*/) {
  Command cmd(
      {"plan",
       "from one budget (FLOPs, days on devices, or money) to the model to "
       "train, its tokens, batch, layout, time with failures, cost and loss",
       "scalesim plan [--flops C | --days T | --budget-usd M] [--devices N] "
       "[--device NAME] [--usd-per-hour P] [--inference-tokens D "
       "[--serve-device "
       "NAME [--target-tpot-ms T]]] [--law "
       "NAME|FILE] [--preset NAME | --hf-config FILE | --arch FILE "
       "[--tokens D]] [--format table|csv|json|markdown] [--out FILE]",
       {"scalesim plan",
        "scalesim plan --devices 512 --days 30 --device h100-sxm",
        "scalesim plan --flops 5.76e23 --law hoffmann2022_approach3",
        "scalesim plan --budget-usd 2e6 --devices 256 --usd-per-hour 2.5",
        "scalesim plan --preset llama3-8b --devices 64 --days 14",
        "scalesim plan --flops 1e24 --inference-tokens 2e12 --format json",
        "scalesim plan --flops 1e23 --inference-tokens 2e12 --serve-device "
        "h100-sxm --target-tpot-ms 50 --usd-per-hour 2.5"}});
  plan::PlanOptions options;
  io::DeviceSelection device_options;
  device_options.device = std::string(workflow::kPlanDefaultDevice);
  io::ArchitectureSource source;
  workflow::PlanLaws law_option;
  plan::ServingCostOptions serving;
  OutputOptions output;
  cmd.Flags("Budget and plan", options)
      .Flags("Hardware", device_options)
      .Flags("Serving the planned model (with --inference-tokens)",
             serving,
             plan::kNotServingCostOptions)
      .Flags(
          "Fixed architecture (instead of the law's shape)", source, {"vocab"})
      .Flags("Law", law_option)
      .Output(output);
  if (!cmd.Parse(args, out)) return 0;
  if (!serving.serve_device)
    cmd.RefuseGiven(plan::kServingCostOnlyOptions,
                    "applies with --serve-device");
  return cmd.Run([&] {
    const workflow::Outcome o =
        workflow::Plan(options,
                       device_options,
                       workflow::PlanArchitecture(source, options),
                       law_option,
                       serving);
    Command::Emit(o.report, output, out);
    return o.exit_code;
  });
}

}  // namespace scalesim::cli

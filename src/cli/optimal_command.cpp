// scalesim optimal: compute-optimal N* and D* per law at a budget; the
// inverse questions (target loss -> minimum compute, model size -> optimal
// tokens); and the inference-optimal model of Sardana et al. 2024
// (plan/optimal_report.hpp).
#include <ostream>
#include <string_view>

#include "scalesim/io/law_io.hpp"
#include "scalesim/workflow/workflow.hpp"

#include "cli/cli.hpp"
#include "cli/command.hpp"

namespace scalesim::cli {

int RunOptimal(const Args& args, std::ostream& out, std::ostream& /*err*/) {
  Command cmd(
      {"optimal",
       "compute-optimal and inference-optimal model size and tokens under "
       "each loss law",
       "scalesim optimal (--flops C | --target-loss L | --params N) "
       "[--inference-tokens TOKENS [--device NAME | --peak-tflops T] "
       "--usd-per-hour P [--mfu U] [--inference-... | --serve-device NAME "
       "[--prompt-tokens P] [--output-tokens O] [--weight-dtype D] "
       "[--target-tpot-ms T]]] [--unique-tokens U ... [--effective-data]] "
       "[--law NAME|FILE ...] "
       "[--format table|csv|json|markdown] [--out FILE]",
       {"scalesim optimal --flops 5.76e23",
        "scalesim optimal --target-loss 2.0 --law hoffmann2022_approach3",
        "scalesim optimal --params 7e9 --law besiroglu2024",
        "scalesim optimal --target-loss 1.947 --inference-tokens 2e12 --law "
        "sardana2024",
        "scalesim optimal --flops 1e24 --inference-tokens 1e13 --device "
        "h100-sxm --usd-per-hour 2 --inference-mfu 0.2",
        "scalesim optimal --flops 1e24 --inference-tokens 1e13 --device "
        "h100-sxm --usd-per-hour 2 --serve-device h100-sxm --weight-dtype fp8 "
        "--target-tpot-ms 50",
        "scalesim optimal --flops 9.3e21 --unique-tokens 25e9 --law "
        "muennighoff2023"}});
  plan::OptimalOptions options;
  io::LawSelection laws;
  io::DeviceSelection device;
  plan::ServingCostOptions serving;
  OutputOptions output;
  cmd.Flags("Question", options)
      .Flags("Training device (cost version)", device)
      .Flags("Serving (cost version, instead of --inference-mfu)",
             serving,
             plan::kNotServingCostOptions)
      .Flags("Laws", laws)
      .Output(output);
  if (!cmd.Parse(args, out)) return 0;
  if (device.device && options.peak_tflops)
    cmd.Fail("device", "give --device or --peak-tflops, not both");
  if (!serving.serve_device)
    cmd.RefuseGiven(plan::kServingCostOnlyOptions,
                    "applies with --serve-device");
  return cmd.Run([&] {
    const workflow::Outcome o =
        workflow::Optimal(io::SelectLossLaws(laws, options.repeated.given()),
                          laws.given(),
                          options,
                          device,
                          serving);
    Command::Emit(o.report, output, out);
    return o.exit_code;
  });
}

}  // namespace scalesim::cli

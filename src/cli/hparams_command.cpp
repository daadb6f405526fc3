// scalesim hparams: the global batch, peak learning rate, steps and critical
// batch of a training run under each hyperparameter law, side by side
// (laws/hyperparameter_report.hpp).
#include <optional>
#include <ostream>
#include <utility>

#include "scalesim/io/law_io.hpp"
#include "scalesim/workflow/workflow.hpp"

#include "cli/cli.hpp"
#include "cli/command.hpp"

namespace scalesim::cli {

int RunHparams(const Args& args, std::ostream& out, std::ostream& /*err*/) {
  Command cmd(
      {"hparams",
       "global batch, peak learning rate, steps and critical batch of a "
       "training run under each hyperparameter law",
       "scalesim hparams (--flops C [--params N | --tokens D] | (--params N "
       "| --preset NAME | --hf-config FILE | --arch FILE | --layers L ...) "
       "--tokens D) [--seq-len S] [--target-loss L] [--law NAME|FILE ...] "
       "[--format table|csv|json|markdown] [--out FILE]",
       {"scalesim hparams --flops 1e21",
        "scalesim hparams --params 1e9 --tokens 1e11 --seq-len 2048",
        "scalesim hparams --preset llama2-7b --tokens 2e12 --law "
        "deepseek2024_hyperparameters --law kaplan2020_critical_batch",
        "scalesim hparams --flops 1e20 --law kaplan2020_critical_batch "
        "--target-loss 3 --format json"}});
  laws::HyperparameterQuery query;
  io::ArchitectureSource source;
  io::HyperparameterLawSelection laws;
  OutputOptions output;
  cmd.Flags("Run", query)
      .Flags("Laws", laws)
      .Flags("Model (instead of --params)", source)
      .Output(output);
  if (!cmd.Parse(args, out)) return 0;
  // The query validates itself (laws::Hyperparameters), architecture
  // included: the command only binds flags and renders.
  return cmd.Run([&] {
    std::optional<io::ResolvedArchitecture> arch;
    if (source.Given()) arch = io::ResolveArchitecture(source);
    const workflow::Outcome o =
        workflow::Hparams(io::SelectHyperparameterLaws(laws),
                          laws.given(),
                          query,
                          std::move(arch));
    Command::Emit(o.report, output, out);
    return o.exit_code;
  });
}

}  // namespace scalesim::cli

// scalesim hparams: the global batch, peak learning rate, steps and critical
// batch of a training run under each hyperparameter law, side by side
// (laws/hyperparameter_report.hpp).
#include <ostream>
#include <string>
#include <vector>

#include "scalesim/io/architecture_io.hpp"
#include "scalesim/io/law_io.hpp"
#include "scalesim/laws/hyperparameter_report.hpp"

#include "cli/cli.hpp"
#include "cli/command.hpp"

namespace scalesim::cli {
namespace {

io::Report Render(const laws::HyperparameterReport& h,
                  std::vector<std::string> notes) {
  io::Report r;
  r.tables.push_back(io::ToRecord(laws::RunSchema(), h.run));
  if (!h.batches.empty())
    r.tables.push_back(io::ToTable(laws::BatchSchema(), h.batches));
  if (!h.critical_batches.empty()) {
    r.tables.push_back(
        io::ToTable(laws::CriticalBatchSchema(), h.critical_batches));
    r.tables.push_back(io::ToTable(laws::BatchTradeoffSchema(), h.tradeoffs));
  }
  if (!h.allocations.empty()) {
    r.tables.push_back(
        io::ToTable(laws::FlopsPerTokenAllocationSchema(), h.allocations));
  }
  r.notes = std::move(notes);
  r.notes.insert(r.notes.end(), h.notes.begin(), h.notes.end());
  return r;
}

}  // namespace

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
    std::vector<std::string> notes;
    if (source.Given()) {
      io::ResolvedArchitecture a = io::ResolveArchitecture(source);
      query.architecture = std::move(a.arch);
      notes = std::move(a.notes);
    }
    const std::vector<laws::HyperparameterLaw> selected =
        io::SelectHyperparameterLaws(laws);
    const laws::HyperparameterReport r =
        laws::Hyperparameters(selected, query, laws.given());
    Command::Emit(Render(r, std::move(notes)), output, out);
    return 0;
  });
}

}  // namespace scalesim::cli

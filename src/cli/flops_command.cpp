// scalesim flops: training and inference FLOPs under every convention, and
// the time, cost, budget and utilization on a device
// (model/flops_report.hpp).
#include <ostream>
#include <string>
#include <vector>

#include "scalesim/io/architecture_io.hpp"
#include "scalesim/io/format.hpp"
#include "scalesim/io/hardware_io.hpp"
#include "scalesim/model/flops_report.hpp"

#include "cli/cli.hpp"
#include "cli/command.hpp"

namespace scalesim::cli {
namespace {

io::Report Render(const model::FlopsReport& f,
                  const std::string& name,
                  const model::DeviceRunOptions& dev,
                  std::vector<std::string> notes) {
  io::Report r;
  r.tables.push_back(io::ToTable(
      model::ConventionSchema(name, f.run.seq_len, f.run.tokens.has_value()),
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
  r.notes = std::move(notes);
  r.notes.insert(r.notes.end(), f.notes.begin(), f.notes.end());
  return r;
}

}  // namespace

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
    const std::optional<model::Device> device = io::SelectedDevice(selection);
    io::ResolvedArchitecture a = io::ResolveArchitecture(source);
    const model::FlopsReport f =
        model::ReportFlops(a.arch, run, device, on_device);
    Command::Emit(
        Render(f, a.arch.name, on_device, std::move(a.notes)), output, out);
    return 0;
  });
}

}  // namespace scalesim::cli

// scalesim step: one optimizer step predicted for a layout, or with
// --search the fastest layouts that fit (perf/step.hpp, perf/search.hpp).
#include <ostream>
#include <string>
#include <utility>

#include "scalesim/io/architecture_io.hpp"
#include "scalesim/io/hardware_io.hpp"
#include "scalesim/perf/search.hpp"
#include "scalesim/perf/step.hpp"

#include "cli/cli.hpp"
#include "cli/command.hpp"

namespace scalesim::cli {
namespace {

struct SearchSwitch {
  bool search = false;
  perf::SearchOptions options;

  template <typename V>
  void VisitFields(V&& v) {
    v(search,
      {.name = "search",
       .help = "search the layouts of --devices for the fastest that fits "
               "(the layout flags are what is searched)",
       .is_switch = true});
    options.VisitFields(v);
  }
};

io::Report StepReport(const perf::StepPrediction& p,
                      const model::Device& device,
                      const perf::StepOptions& o,
                      std::vector<std::string> notes) {
  io::Report r;
  r.tables.push_back(io::ToRecord(perf::StepSchema(), p));
  r.tables.push_back(io::ToTable(perf::StageSchema(), perf::StageRows(p)));
  r.notes = std::move(notes);
  for (std::string& n : perf::StepNotes(device, o))
    r.notes.push_back(std::move(n));
  r.notes.push_back(p.memory.activation_formula);
  return r;
}

io::Report SearchReport(const perf::SearchResult& s,
                        const model::Device& device,
                        const perf::StepOptions& o,
                        std::vector<std::string> notes) {
  io::Report r;
  r.tables.push_back(io::ToTable(perf::SearchSchema(), s.best));
  r.notes = std::move(notes);
  r.notes.push_back(
      "searched " + std::to_string(s.candidates) + " layouts of " +
      std::to_string(o.devices) + " devices; " + std::to_string(s.fitting) +
      " fit in the usable memory; ranked by predicted time per token "
      "(the layout flags --tp, --pp, --vp, --cp, --ep, --zero, "
      "--sequence-parallel, --micro-batch and --recompute are "
      "searched, not taken)");
  if (!s.message.empty())
    r.notes.push_back(
        "status " + std::string(EnumName(s.status, perf::kSearchStatusNames)) +
        ": " + s.message);
  for (std::string& n : perf::StepNotes(device, o))
    r.notes.push_back(std::move(n));
  return r;
}

}  // namespace

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
  SearchSwitch search;
  OutputOptions output;
  cmd.Flags("Model", source)
      .Flags("Hardware", device_options)
      .Flags("Layout and training", step)
      .Flags("Search", search)
      .Output(output);
  if (!cmd.Parse(args, out)) return 0;
  return cmd.Run([&] {
    io::ResolvedArchitecture a = io::ResolveArchitecture(source);
    const model::Device device = io::ResolveDevice(device_options);
    if (search.search) {
      const perf::SearchResult s =
          perf::SearchLayouts(a.arch, device, step, search.options);
      Command::Emit(
          SearchReport(s, device, step, std::move(a.notes)), output, out);
      return s.status == perf::SearchStatus::kOk ? 0 : 1;
    }
    const perf::StepPrediction p = perf::PredictStep(a.arch, device, step);
    Command::Emit(StepReport(p, device, step, std::move(a.notes)), output, out);
    return 0;
  });
}

}  // namespace scalesim::cli

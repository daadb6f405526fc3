// scalesim sweep arch: a depth x width (x KV heads) grid of a base
// architecture (sweep/arch_grid: its options, columns and notes).
#include <ostream>
#include <string>
#include <utility>

#include "scalesim/io/architecture_io.hpp"
#include "scalesim/sweep/sweep.hpp"

#include "cli/command.hpp"
#include "cli/sweep_stream.hpp"

namespace scalesim::cli {

int RunSweepArch(const Args& args, std::ostream& out, std::ostream& err) {
  Command cmd(SweepHelp(
      "arch",
      "a depth x width (x KV heads) grid of a base architecture: "
      "exact parameters, FLOPs per token, training and serving "
      "memory",
      "[--preset NAME (default llama3-8b) | --hf-config FILE | --arch FILE] "
      "[--layers LIST] [--d-model LIST] [--kv-heads LIST]",
      {"scalesim sweep arch",
       "scalesim sweep arch --layers 16,32 --d-model 2048,4096 "
       "--kv-heads 1,8 --format table",
       "scalesim sweep arch --preset llama2-7b --layers 16:48:8 "
       "--d-model 3072:6144:1024"}));
  io::ArchitectureSource base;
  sweep::ArchGridAxes axes;
  model::TrainingMemoryOptions training;
  model::InferenceMemoryOptions serving;
  SweepFlags f;
  // The base comes from a file or preset; its sizes are the grid's axes.
  cmd.Flags("Base model", base, {"layers", "d_model", "heads", "kv_heads"})
      .Flags("Grid", axes)
      .Flags("Training memory", training)
      .Flags("Serving memory", serving, {"tp"});
  f.Bind(cmd);
  if (!cmd.Parse(args, out)) return 0;
  return cmd.Run([&] {
    if (!base.Given()) base.preset = std::string(sweep::kDefaultArchBase);
    io::ResolvedArchitecture a = io::ResolveArchitecture(base);
    const model::Architecture arch = a.arch;
    const std::string base_name = base.preset      ? *base.preset
                                  : base.hf_config ? *base.hf_config
                                  : base.arch      ? *base.arch
                                                   : arch.name;
    return Stream(
        f,
        out,
        err,
        sweep::PrepareArchGrid(arch, base_name, axes, training, serving));
  });
}

}  // namespace scalesim::cli

#include <exception>
#include <ostream>
#include <string>

#include "scalesim/core/error.hpp"

#include "cli/cli.hpp"

namespace scalesim::cli {
namespace {

using CommandFn = int (*)(const Args&, std::ostream&, std::ostream&);

struct Command {
  const char* name;
  const char* summary;
  CommandFn run;
};

// The subcommand table: one line per command.
constexpr Command kCommands[] = {
    {"plan",
     "from a budget: N*, D*, a concrete model, time, memory layout, loss",
     RunPlan},
    {"compare", "reproductions: compare chinchilla-gopher", RunCompare},
    {"params",
     "exact parameter counts by component (presets, HF config.json, flags)",
     RunParams},
    {"loss",
     "predicted loss of (N, D) under each loss law, decomposed",
     RunLoss},
    {"optimal",
     "compute- and inference-optimal N and D per law; minimum compute for a "
     "loss",
     RunOptimal},
    {"laws",
     "the built-in loss laws with their constants and sources",
     RunLaws},
    {"flops",
     "training/inference FLOPs by convention; time, cost and MFU on a device",
     RunFlops},
    {"memory",
     "training or inference memory per device; does it fit, largest batch",
     RunMemory},
    {"hardware",
     "the device catalog: peak TFLOP/s, memory, bandwidth",
     RunHardware},
    {"fit",
     "fit a scaling law to training runs (Approach 3, Kaplan, power, IsoFLOP) "
     "with bootstrap",
     RunFit},
    {"sweep",
     "sweeps into CSV: overtraining, budget, isoflop, loss-grid, arch",
     RunSweep},
    {"synth",
     "write a synthetic dataset of runs from a Chinchilla-form law (IsoFLOP "
     "design)",
     RunSynth},
};

void PrintUsage(std::ostream& out) {
  out << "scalesim: scaling-law and training-budget simulator\n\n"
         "Usage: scalesim <command> [options]   (scalesim <command> --help for "
         "details)\n\n"
         "Commands:\n";
  for (const Command& c : kCommands) {
    out << "  " << c.name << std::string(12 - std::string(c.name).size(), ' ')
        << c.summary << '\n';
  }
  out << "\nExamples:\n  scalesim plan --flops 1e24\n  scalesim params "
         "--preset llama3-8b\n";
}

}  // namespace

int RunCli(const Args& args, std::ostream& out, std::ostream& err) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" ||
      args[0] == "help") {
    PrintUsage(out);
    return args.empty() ? 2 : 0;
  }
  try {
    for (const Command& c : kCommands) {
      if (args[0] == c.name)
        return c.run(Args(args.begin() + 1, args.end()), out, err);
    }
    throw InvalidInput(
        InputLocation{"command line", 0, ""},
        "unknown command '" + args[0] + "' (scalesim --help lists them)");
  } catch (const InvalidInput& e) {
    err << "scalesim: error: " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    err << "scalesim: internal error: " << e.what() << '\n';
    return 3;
  }
}

}  // namespace scalesim::cli

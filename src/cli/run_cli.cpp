#include <exception>
#include <ostream>
#include <string>
#include <vector>

#include "scalesim/core/error.hpp"
#include "scalesim/core/version.hpp"

#include "cli/cli.hpp"
#include "cli/dispatch.hpp"

namespace scalesim::cli {

namespace {

// The subcommand table: one line per command.
constexpr Subcommand kCommands[] = {
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
    {"hparams",
     "batch size, peak learning rate, steps and critical batch per "
     "hyperparameter law",
     RunHparams},
    {"flops",
     "training/inference FLOPs by convention; time, cost and MFU on a device",
     RunFlops},
    {"memory",
     "training or inference memory per device; does it fit, largest batch",
     RunMemory},
    {"step",
     "one training step predicted (compute, communication, bubble, memory); "
     "--search for the fastest layout",
     RunStep},
    {"serve",
     "serving: time to first token, per output token, throughput, cost per "
     "million tokens; --search for the cheapest layout meeting a target",
     RunServe},
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
  out << "scalesim " << Version()
      << ": scaling-law and training-budget simulator\n\n"
         "Usage: scalesim <command> [options]   (scalesim <command> --help "
         "for details)\n\nCommands:\n";
  PrintSubcommands(kCommands, 12, out);
  out << "\nExamples:\n  scalesim plan --flops 1e24\n  scalesim params "
         "--preset llama3-8b\n  scalesim --version\n";
}

}  // namespace

int RunCli(const Args& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    err << "scalesim: error: name a command (scalesim --help lists them)\n";
    return 2;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    PrintUsage(out);
    return 0;
  }
  if (args[0] == "--version" || args[0] == "version") {
    out << "scalesim " << Version() << '\n';
    return 0;
  }
  try {
    return RunSubcommand(
        "command", kCommands, "scalesim --help lists them", args, out, err);
  } catch (const InvalidInput& e) {
    // A library error naming a field no command bound: its flag is the
    // field's name in kebab case.
    if (e.where().source.empty() && !e.where().field.empty()) {
      err << "scalesim: error: "
          << InvalidInput(
                 InputLocation{"command line", 0, FlagName(e.where().field)},
                 e.problem())
                 .what()
          << '\n';
      return 2;
    }
    err << "scalesim: error: " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    // A standard exception may carry a path (std::filesystem::filesystem_error)
    // or other text with control characters: one line, escaped.
    err << "scalesim: internal error: " << EscapeControl(e.what()) << '\n';
    return 3;
  }
}

}  // namespace scalesim::cli

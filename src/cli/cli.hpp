// Private to the CLI: the subcommand table.
//
// Every subcommand is `int RunX(const Args&, std::ostream& out,
// std::ostream& err)` so tests can run it in memory. Bad input throws
// scalesim::InvalidInput; RunCli() turns that into one line on `err` and
// exit code 2.
#ifndef SCALESIM_SRC_CLI_CLI_HPP_
#define SCALESIM_SRC_CLI_CLI_HPP_

#include <iosfwd>
#include <string>
#include <vector>

#include "scalesim/io/report.hpp"
#include "scalesim/model/architecture.hpp"

#include "cli/command.hpp"

namespace scalesim::cli {

// Runs `scalesim <args...>` (args[0] is the subcommand). Returns the exit
// code: 0 success, 1 a numerical failure reported in the output, 2 bad input.
int RunCli(const Args& args, std::ostream& out, std::ostream& err);

int RunParams(const Args& args, std::ostream& out, std::ostream& err);
int RunPlan(const Args& args,
            std::ostream& out,
            std::ostream& err);  // plan_command.cpp
int RunCompare(const Args& args,
               std::ostream& out,
               std::ostream& err);  // compare_command.cpp
int RunLoss(const Args& args,
            std::ostream& out,
            std::ostream& err);  // loss_command.cpp
int RunOptimal(const Args& args,
               std::ostream& out,
               std::ostream& err);  // optimal_command.cpp
int RunLaws(const Args& args,
            std::ostream& out,
            std::ostream& err);  // laws_command.cpp
int RunHparams(const Args& args,
               std::ostream& out,
               std::ostream& err);  // hparams_command.cpp
int RunFlops(const Args& args,
             std::ostream& out,
             std::ostream& err);  // flops_command.cpp
int RunMemory(const Args& args,
              std::ostream& out,
              std::ostream& err);  // memory_command.cpp
int RunStep(const Args& args,
            std::ostream& out,
            std::ostream& err);  // step_command.cpp
int RunServe(const Args& args,
             std::ostream& out,
             std::ostream& err);  // serve_command.cpp
int RunHardware(const Args& args,
                std::ostream& out,
                std::ostream& err);  // hardware_command.cpp
int RunFit(const Args& args,
           std::ostream& out,
           std::ostream& err);  // fit_command.cpp
int RunSweep(const Args& args,
             std::ostream& out,
             std::ostream& err);  // sweep_command.cpp
int RunSynth(const Args& args,
             std::ostream& out,
             std::ostream& err);  // synth_command.cpp

}  // namespace scalesim::cli

#endif  // SCALESIM_SRC_CLI_CLI_HPP_

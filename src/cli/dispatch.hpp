// Private to the CLI: tables of subcommands (STYLE.md habit 15). The
// top-level commands (run_cli.cpp), the sweep kinds and the comparisons are
// each one table; adding one is a line in its table.
#ifndef SCALESIM_SRC_CLI_DISPATCH_HPP_
#define SCALESIM_SRC_CLI_DISPATCH_HPP_

#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli/cli.hpp"

namespace scalesim::cli {

using CommandFn = int (*)(const Args&, std::ostream&, std::ostream&);

struct Subcommand {
  const char* name;
  const char* summary;
  CommandFn run;
};

// "  name        summary" lines, names padded to `width`.
void PrintSubcommands(std::span<const Subcommand> table,
                      std::size_t width,
                      std::ostream& out);

// Runs the entry args[0] names with the remaining arguments. An unknown
// name is bad input on the command line: "unknown <noun> 'x'", a "did you
// mean" where one is close, then `hint` in parentheses.
int RunSubcommand(std::string_view noun,
                  std::span<const Subcommand> table,
                  const std::string& hint,
                  const Args& args,
                  std::ostream& out,
                  std::ostream& err);

// A command whose first argument picks one of its kinds (`scalesim sweep
// budget`, `scalesim compare chinchilla-gopher`).
struct CommandGroup {
  std::string name;         // "sweep"
  std::string summary;      // first line of --help
  std::string noun;         // "sweep", "comparison"
  std::string placeholder;  // in the usage line: "kind", "comparison"
  std::span<const Subcommand> kinds;
  std::vector<std::string> examples;  // run by the examples test
};

// --help lists the kinds and the examples; no argument is bad input
// naming the kinds; otherwise RunSubcommand with "valid: a, b" as hint.
int RunGroup(const CommandGroup& group,
             const Args& args,
             std::ostream& out,
             std::ostream& err);

}  // namespace scalesim::cli

#endif  // SCALESIM_SRC_CLI_DISPATCH_HPP_

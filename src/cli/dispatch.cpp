#include "cli/dispatch.hpp"

#include <cctype>
#include <ostream>
#include <string>
#include <vector>

#include "scalesim/core/error.hpp"
#include "scalesim/core/names.hpp"

namespace scalesim::cli {
namespace {

std::vector<std::string> Names(std::span<const Subcommand> table) {
  std::vector<std::string> names;
  for (const Subcommand& s : table) names.emplace_back(s.name);
  return names;
}

std::string Join(const std::vector<std::string>& names) {
  std::string s;
  for (const std::string& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

}  // namespace

void PrintSubcommands(std::span<const Subcommand> table,
                      std::size_t width,
                      std::ostream& out) {
  for (const Subcommand& s : table) {
    const std::string name(s.name);
    out << "  " << name
        << std::string(name.size() < width ? width - name.size() : 1, ' ')
        << s.summary << '\n';
  }
}

int RunSubcommand(std::string_view noun,
                  std::span<const Subcommand> table,
                  const std::string& hint,
                  const Args& args,
                  std::ostream& out,
                  std::ostream& err) {
  for (const Subcommand& s : table) {
    if (args[0] == s.name)
      return s.run(Args(args.begin() + 1, args.end()), out, err);
  }
  throw InvalidInput(InputLocation{"command line", 0, ""},
                     "unknown " + std::string(noun) + " '" + Excerpt(args[0]) +
                         "'" + DidYouMean(args[0], Names(table)) + " (" + hint +
                         ")");
}

int RunGroup(const CommandGroup& group,
             const Args& args,
             std::ostream& out,
             std::ostream& err) {
  const std::string valid = Join(Names(group.kinds));
  const bool help = !args.empty() && (args[0] == "--help" || args[0] == "-h");
  if (args.empty() || (!help && args[0].starts_with('-'))) {
    throw InvalidInput(InputLocation{"command line", 0, ""},
                       "name a " + group.noun + ": " + valid + " (scalesim " +
                           group.name + " --help)");
  }
  if (help) {
    out << "scalesim " << group.name << ": " << group.summary
        << "\n\nUsage: scalesim " << group.name << " <" << group.placeholder
        << "> [options]   (scalesim " << group.name << " <" << group.placeholder
        << "> --help)\n\n"
        << char(std::toupper(group.noun[0])) << group.noun.substr(1) << "s:\n";
    PrintSubcommands(group.kinds, 18, out);
    out << "\nExamples:\n";
    for (const std::string& e : group.examples) out << "  " << e << '\n';
    return 0;
  }
  return RunSubcommand(
      group.noun, group.kinds, "valid: " + valid, args, out, err);
}

}  // namespace scalesim::cli

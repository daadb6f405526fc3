#include "cli/command.hpp"

#include <cctype>
#include <ostream>
#include <sstream>
#include <string>

#include "scalesim/core/fields.hpp"
#include "scalesim/core/validate.hpp"
#include "scalesim/io/files.hpp"

namespace scalesim::cli {

struct Command::Group {
  explicit Group(const std::string& title) : options(title) {}
  po::options_description options;
};

namespace {

// Whether `arg` contains "%name%" with name of letters and underscores:
// Boost.Program_options substitutes such placeholders in its error messages
// in a loop that never ends when an argument itself contains one (found by
// fuzzing); no scalesim argument needs such text.
bool HasPlaceholder(const std::string& arg) {
  for (std::size_t open = arg.find('%'); open != std::string::npos;
       open = arg.find('%', open + 1)) {
    std::size_t i = open + 1;
    while (i < arg.size() &&
           (std::isalpha(static_cast<unsigned char>(arg[i])) != 0 ||
            arg[i] == '_')) {
      ++i;
    }
    if (i > open + 1 && i < arg.size() && arg[i] == '%') return true;
  }
  return false;
}

InputLocation CommandLine(std::string flag = "") {
  return InputLocation{"command line", 0, std::move(flag)};
}

}  // namespace

std::string FlagName(std::string_view field) {
  std::string flag = "--";
  for (char c : field) flag += c == '_' ? '-' : c;
  return flag;
}

std::string UnknownValue(std::string_view text,
                         const std::vector<std::string>& valid) {
  std::string list;
  for (const std::string& v : valid) list += (list.empty() ? "" : ", ") + v;
  return "unknown value '" + Excerpt(text) + "'" + DidYouMean(text, valid) +
         " (valid: " + list + ")";
}

Command::Command(CommandHelp help)
    : help_(std::move(help)), vm_(std::make_unique<po::variables_map>()) {}

Command::~Command() = default;

Command::Group& Command::NewGroup(const std::string& title) {
  groups_.push_back(std::make_unique<Group>(title));
  return *groups_.back();
}

void Command::AfterParse(std::function<void()> f) {
  after_parse_.push_back(std::move(f));
}

void Command::Declare(Group& g,
                      const FieldInfo& info,
                      const po::value_semantic* semantic,
                      const std::string& default_text) {
  std::string flag = FlagName(info.name);
  std::string help(info.help);
  const std::string shown =
      info.default_text.empty() ? default_text : std::string(info.default_text);
  // Numeric fields declare a range (core/fields.hpp): --help shows it, so
  // docs/cli.md lists the valid range of every numeric input.
  const std::string valid = RangeText(info);
  if (!shown.empty() && !valid.empty())
    help += " (default " + shown + "; valid " + valid + ")";
  else if (!shown.empty())
    help += " (default " + shown + ")";
  else if (!valid.empty())
    help += " (valid " + valid + ")";
  g.options.add_options()(flag.substr(2).c_str(), semantic, help.c_str());
  flag_of_[std::string(info.name)] = flag;
  if (!info.alias.empty()) flag_of_[std::string(info.alias)] = flag;
  info_of_[flag] = info;
}

Command& Command::Output(OutputOptions& output) {
  return Flags("Output", output);
}

bool Command::Given(std::string_view name) const {
  const auto it = flag_of_.find(name);
  if (it == flag_of_.end()) return false;
  const std::string key = it->second.substr(2);
  return vm_->count(key) != 0U && !(*vm_)[key].defaulted();
}

std::string Command::FlagOf(std::string_view name) const {
  const auto it = flag_of_.find(name);
  return it == flag_of_.end() ? std::string(name) : it->second;
}

void Command::Fail(std::string_view name, std::string_view problem) const {
  throw InvalidInput(CommandLine(FlagOf(name)), problem);
}

void Command::RefuseGiven(std::span<const std::string_view> fields,
                          std::string_view problem) const {
  for (std::string_view f : fields)
    if (Given(f)) Fail(f, problem);
}

void Command::Readdress(const InvalidInput& e) const {
  // An error without a source is about what this command was given: a
  // bound field is its flag; anything else is the command line as a whole.
  if (!e.where().source.empty()) return;
  const auto it = flag_of_.find(e.where().field);
  throw InvalidInput(
      CommandLine(it == flag_of_.end() ? e.where().field : it->second),
      e.problem());
}

bool Command::Parse(const Args& args, std::ostream& out) {
  po::options_description all;
  for (const auto& g : groups_) all.add(g->options);
  po::options_description general("General");
  general.add_options()("help,h", "show this help");
  all.add(general);
  for (const std::string& arg : args) {
    if (HasPlaceholder(arg)) {
      throw InvalidInput(CommandLine(),
                         "argument '" + arg + "' contains a %...% placeholder");
    }
  }
  try {
    // No abbreviated long options: "--ou" must not silently mean --out.
    const int style = po::command_line_style::default_style &
                      ~po::command_line_style::allow_guessing;
    const po::parsed_options parsed =
        po::command_line_parser(args).options(all).style(style).run();
    for (const po::option& o : parsed.options) {
      // Boost keeps a stray word ("scalesim plan 1e24") as a positional
      // option and store() then drops it silently; no subcommand takes one.
      if (o.string_key.empty()) {
        throw InvalidInput(
            CommandLine(),
            "unexpected argument '" +
                (o.original_tokens.empty() ? std::string()
                                           : o.original_tokens.front()) +
                "' (every value follows its --flag; see scalesim " +
                help_.name + " --help)");
      }
    }
    po::store(parsed, *vm_);
    if (vm_->count("help") != 0U) {
      out << "scalesim " << help_.name << ": " << help_.summary << "\n\n"
          << "Usage: " << help_.usage << "\n"
          << all << "\nExamples:\n";
      for (const std::string& e : help_.examples) out << "  " << e << '\n';
      return false;
    }
    po::notify(*vm_);
  } catch (const po::unknown_option& e) {
    std::vector<std::string> flags;
    for (const auto& [flag, info] : info_of_) flags.push_back(flag);
    throw InvalidInput(CommandLine(),
                       "unrecognised option '" + e.get_option_name() + "'" +
                           DidYouMean(e.get_option_name(), flags) +
                           " (see scalesim " + help_.name + " --help)");
  } catch (const po::error& e) {
    throw InvalidInput(
        CommandLine(),
        std::string(e.what()) + " (see scalesim " + help_.name + " --help)");
  }
  Run([this] {
    for (const auto& f : after_parse_) f();
  });
  return true;
}

void Command::Emit(const io::Report& report,
                   const OutputOptions& output,
                   std::ostream& out) {
  if (output.out) {
    std::ostringstream buf;
    io::WriteReport(report, output.format, buf);
    io::WriteFileAtomically(*output.out, buf.str());
    return;
  }
  io::WriteReport(report, output.format, out);
}

}  // namespace scalesim::cli

// Private to the CLI: a subcommand's flags, bound to the fields its options
// structs declare (core/fields.hpp), and the one place where a library's
// field name becomes the flag the user typed.
//
//   Command cmd(help);
//   io::ArchitectureSource source;
//   model::TrainingMemoryOptions memory;
//   cmd.Flags("Model", source).Flags("Training", memory).Output(output);
//   if (!cmd.Parse(args, out)) return 0;          // --help printed
//   return cmd.Run([&] { ... library calls, render ... });
//
// A field `seq_len` is the flag --seq-len; its help shows the default as
// the member holds it ("(default 0.4)"). Enum fields take their names
// (case-insensitive, with "did you mean"). Run() re-addresses every
// InvalidInput that names a bound field (or its alias) without a source to
// "command line: field '--flag'", so library errors name the flag.
#ifndef SCALESIM_SRC_CLI_COMMAND_HPP_
#define SCALESIM_SRC_CLI_COMMAND_HPP_

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <boost/program_options.hpp>

#include "scalesim/core/enum_names.hpp"
#include "scalesim/core/error.hpp"
#include "scalesim/core/fields.hpp"
#include "scalesim/core/names.hpp"
#include "scalesim/io/report.hpp"

namespace scalesim::cli {

namespace po = boost::program_options;
using Args = std::vector<std::string>;

// Describes one subcommand for --help: usage line, summary and examples
// (every example is run by the examples test).
struct CommandHelp {
  std::string name;
  std::string summary;
  std::string usage;
  std::vector<std::string> examples;
};

// "seq_len" -> "--seq-len".
std::string FlagName(std::string_view field);
// The problem of a bad enum value: "unknown value 'x' (valid: a, b)" with a
// "did you mean" where one is close.
std::string UnknownValue(std::string_view text,
                         const std::vector<std::string>& valid);

// --format and --out: how and where the report goes.
struct OutputOptions {
  io::Format format = io::Format::kTable;
  std::optional<std::string> out;

  template <typename V>
  void VisitFields(V&& v) {
    static constexpr EnumNames<io::Format, 4> kFormats{
        {{"table", io::Format::kTable},
         {"csv", io::Format::kCsv},
         {"json", io::Format::kJson},
         {"markdown", io::Format::kMarkdown}}};
    v(format,
      {.name = "format", .help = "output format: table, csv, json or markdown"},
      kFormats);
    v(out,
      {.name = "out",
       .help = "write the output to FILE (a temporary file renamed into "
               "place when complete) instead of stdout",
       .unit = "FILE"});
  }
};

class Command {
 public:
  explicit Command(CommandHelp help);
  ~Command();
  Command(const Command&) = delete;
  Command& operator=(const Command&) = delete;

  // Adds the fields of `options` as a titled group of flags, but those
  // named in `except` (a field another group of the command already binds,
  // such as the tensor-parallel degree of training and serving options).
  template <typename Options>
  Command& Flags(const std::string& title,
                 Options& options,
                 std::vector<std::string_view> except = {}) {
    Group& g = NewGroup(title);
    options.VisitFields(Binder{*this, g, std::move(except)});
    return *this;
  }
  // --format (default `format`) and --out.
  Command& Output(OutputOptions& output);

  // Parses `args` into the bound members. Returns false after printing
  // --help to `out`. Unknown flags, malformed values and values outside a
  // field's declared range throw InvalidInput naming the flag.
  bool Parse(const Args& args, std::ostream& out);
  // Whether the user gave the flag of field `name`.
  bool Given(std::string_view name) const;
  // The flag of field `name` ("--seq-len"), or `name` if none is bound.
  std::string FlagOf(std::string_view name) const;
  const std::string& name() const { return help_.name; }

  // Bad input about field `name`, addressed to its flag.
  [[noreturn]] void Fail(std::string_view name, std::string_view problem) const;
  // Fails with `problem` naming the first of `fields` the user gave (the
  // flags of one mode given in another: never silently ignored).
  void RefuseGiven(std::span<const std::string_view> fields,
                   std::string_view problem) const;
  // Runs `f`; an InvalidInput naming a bound field without a source is
  // re-thrown naming its flag.
  template <typename F>
  decltype(auto) Run(F&& f) const {
    try {
      return f();
    } catch (const InvalidInput& e) {
      Readdress(e);
      throw;
    }
  }
  // Re-throws `e` naming a flag when it names a bound field; returns
  // otherwise.
  void Readdress(const InvalidInput& e) const;

  // Writes `report` to --out (atomically) or `out`.
  static void Emit(const io::Report& report,
                   const OutputOptions& output,
                   std::ostream& out);

 private:
  struct Group;
  Group& NewGroup(const std::string& title);
  void Declare(Group& g,
               const FieldInfo& info,
               const po::value_semantic* semantic,
               const std::string& default_text);
  void AfterParse(std::function<void()> f);

  // Binds one field to a flag; a visitor of VisitFields.
  struct Binder {
    Command& cmd;
    Group& group;
    std::vector<std::string_view> except;

    bool Skipped(const FieldInfo& info) const {
      for (std::string_view e : except) {
        if (e == info.name) return true;
      }
      return false;
    }
    template <typename T>
    void operator()(T& member, const FieldInfo& info) const {
      if (!Skipped(info)) cmd.Bind(group, member, info);
    }
    template <typename E, std::size_t N>
    void operator()(E& member,
                    const FieldInfo& info,
                    const EnumNames<E, N>& names) const {
      if (!Skipped(info)) cmd.BindEnum(group, member, info, names);
    }
    template <typename E, std::size_t N>
    void operator()(std::optional<E>& member,
                    const FieldInfo& info,
                    const EnumNames<E, N>& names) const {
      if (!Skipped(info)) cmd.BindEnum(group, member, info, names);
    }
  };

  void Bind(Group& g, std::int64_t& m, const FieldInfo& info);
  void Bind(Group& g, double& m, const FieldInfo& info);
  void Bind(Group& g, bool& m, const FieldInfo& info);
  void Bind(Group& g, std::string& m, const FieldInfo& info);
  void Bind(Group& g, std::optional<std::int64_t>& m, const FieldInfo& info);
  void Bind(Group& g, std::optional<double>& m, const FieldInfo& info);
  void Bind(Group& g, std::optional<bool>& m, const FieldInfo& info);
  void Bind(Group& g, std::optional<std::string>& m, const FieldInfo& info);
  void Bind(Group& g, std::vector<double>& m, const FieldInfo& info);
  void Bind(Group& g, std::vector<std::string>& m, const FieldInfo& info);

  template <typename E, std::size_t N>
  std::vector<std::string> NamesOf(const EnumNames<E, N>& names) const {
    std::vector<std::string> out;
    for (const auto& [n, v] : names) out.emplace_back(n);
    return out;
  }
  template <typename E, std::size_t N>
  E ParseEnum(const std::string& text,
              const FieldInfo& info,
              const EnumNames<E, N>& names) const {
    for (const auto& [n, v] : names) {
      if (EqualsIgnoringCase(n, text)) return v;
    }
    Fail(info.name, UnknownValue(text, NamesOf(names)));
  }
  template <typename E, std::size_t N>
  void BindEnum(Group& g,
                E& member,
                const FieldInfo& info,
                const EnumNames<E, N>& names) {
    auto text = std::make_shared<std::string>();
    Declare(g,
            info,
            po::value<std::string>(text.get())->value_name("NAME"),
            std::string(EnumName(member, names)));
    AfterParse([this, &member, info, names, text] {
      if (Given(info.name)) member = ParseEnum(*text, info, names);
    });
    keep_.push_back(text);
  }
  template <typename E, std::size_t N>
  void BindEnum(Group& g,
                std::optional<E>& member,
                const FieldInfo& info,
                const EnumNames<E, N>& names) {
    auto text = std::make_shared<std::string>();
    Declare(g,
            info,
            po::value<std::string>(text.get())->value_name("NAME"),
            member ? std::string(EnumName(*member, names)) : std::string());
    AfterParse([this, &member, info, names, text] {
      if (Given(info.name)) member = ParseEnum(*text, info, names);
    });
    keep_.push_back(text);
  }

  CommandHelp help_;
  std::vector<std::unique_ptr<Group>> groups_;
  std::vector<std::function<void()>> after_parse_;
  std::vector<std::shared_ptr<void>> keep_;  // storage of parsed texts
  std::map<std::string, std::string, std::less<>> flag_of_;  // field -> flag
  std::map<std::string, FieldInfo, std::less<>> info_of_;    // flag -> info
  std::unique_ptr<po::variables_map> vm_;
};

}  // namespace scalesim::cli

#endif  // SCALESIM_SRC_CLI_COMMAND_HPP_

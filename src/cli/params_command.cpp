// scalesim params: exact parameter counts by component.
#include <ostream>

#include "scalesim/workflow/workflow.hpp"

#include "cli/cli.hpp"
#include "cli/command.hpp"

namespace scalesim::cli {
namespace {

struct ParamsOptions {
  bool list = false;
  template <typename V>
  void VisitFields(V&& v) {
    v(list,
      {.name = "list", .help = "list the built-in presets", .is_switch = true});
  }
};

}  // namespace

int RunParams(const Args& args, std::ostream& out, std::ostream& /*err*/) {
  Command cmd({"params",
               "exact parameter counts of a decoder-only transformer, by "
               "component",
               "scalesim params (--preset NAME | --hf-config FILE | --arch "
               "FILE | --checkpoint DIR | --layers L --d-model D --heads H "
               "--vocab V ...) "
               "[--format table|csv|json|markdown] [--out FILE]",
               {"scalesim params --preset llama2-7b",
                "scalesim params --preset mixtral-8x7b --format json",
                "scalesim params --layers 12 --d-model 768 --heads 12 --vocab "
                "50257 --position learned --max-positions 1024 --tied true "
                "--bias all",
                "scalesim params --list"}});
  ParamsOptions options;
  io::ArchitectureSource source;
  OutputOptions output;
  cmd.Flags("Listing", options).Flags("Model", source).Output(output);
  if (!cmd.Parse(args, out)) return 0;
  return cmd.Run([&] {
    const workflow::Outcome o =
        options.list ? workflow::Presets()
                     : workflow::Params(io::ResolveArchitecture(source));
    Command::Emit(o.report, output, out);
    return o.exit_code;
  });
}

}  // namespace scalesim::cli

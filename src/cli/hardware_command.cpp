// scalesim hardware: the device catalog.
#include <ostream>

#include "scalesim/workflow/workflow.hpp"

#include "cli/cli.hpp"
#include "cli/command.hpp"

namespace scalesim::cli {

int RunHardware(const Args& args, std::ostream& out, std::ostream& /*err*/) {
  Command cmd({"hardware",
               "the device catalog: dense peak TFLOP/s per dtype, memory, "
               "bandwidth, network, power, price",
               "scalesim hardware [--catalog FILE] [--format "
               "table|csv|json|markdown] [--out FILE]",
               {"scalesim hardware",
                "scalesim hardware --format csv",
                "scalesim hardware --catalog data/hardware/catalog.json  # "
                "your own catalog: a copy of this file, edited"}});
  io::CatalogOptions catalog;
  OutputOptions output;
  cmd.Flags("Catalog", catalog).Output(output);
  if (!cmd.Parse(args, out)) return 0;
  return cmd.Run([&] {
    const workflow::Outcome o = workflow::Hardware(catalog);
    Command::Emit(o.report, output, out);
    return o.exit_code;
  });
}

}  // namespace scalesim::cli

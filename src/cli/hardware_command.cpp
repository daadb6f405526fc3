// scalesim hardware: the device catalog.
#include <ostream>
#include <vector>

#include "scalesim/io/hardware_io.hpp"
#include "scalesim/model/hardware.hpp"

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
    const std::vector<model::Device> devices = io::LoadCatalog(catalog);
    io::Report r;
    r.tables.push_back(io::ToTable(
        model::DeviceSchema("Devices (" + io::CatalogName(catalog) + ")"),
        devices));
    r.notes = {
        "peaks are dense (no 2:4 structured sparsity) TFLOP/s per device; "
        "int8 in TOP/s; empty: the device has no such math",
        "peak_tflops_bf16 is 16-bit tensor math: bf16, or fp16 where the "
        "device has no bf16 (V100); GeForce cards: fp32 accumulate",
        "memory: the vendor's nominal capacity read as GiB (2^30 bytes); "
        "usable memory is somewhat less (ECC, driver)",
        "network: per device and per direction; scale_up is the NVLink / ICI "
        "domain of scale_up_domain devices, scale_out one NIC per device "
        "(400 Gb/s = 50 GB/s); latencies per collective step",
        "efficiency_*: achieved fractions of the peaks in a training step "
        "(scalesim step); empty: the step model's default "
        "(include/scalesim/perf/step.hpp)",
        "prices: none built in (they vary by provider and date): give "
        "--usd-per-hour to scalesim flops, or a catalog with "
        "price_per_hour_usd"};
    Command::Emit(r, output, out);
    return 0;
  });
}

}  // namespace scalesim::cli

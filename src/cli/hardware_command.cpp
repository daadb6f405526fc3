// scalesim hardware: the device catalog.
#include <optional>
#include <ostream>
#include <string>

#include "cli/cli.hpp"
#include "cli/device_options.hpp"

namespace scalesim::cli {
namespace {

constexpr double kBytesPerGbPerSecond = 1e9;

io::Cell Peak(const std::optional<double>& v) {
  return v ? io::Real(*v) : io::Empty();
}

}  // namespace

int RunHardware(const Args& args, std::ostream& out, std::ostream& /*err*/) {
  po::options_description options("Options");
  options.add_options()(
      "catalog",
      po::value<std::string>(),
      "list a hardware catalog JSON file instead of the built-in one");
  AddOutputOptions(options);
  const CommandHelp help{"hardware",
                         "the device catalog: dense peak TFLOP/s per dtype, "
                         "memory, bandwidth, price",
                         "scalesim hardware [--catalog FILE] [--format "
                         "table|csv|json] [--out FILE]",
                         {"scalesim hardware",
                          "scalesim hardware --format csv",
                          "scalesim hardware --catalog my_cluster.json"}};
  po::variables_map vm;
  if (!ParseOptions(args, options, help, vm, out)) return 0;
  const std::vector<model::Device> catalog = CatalogFromOptions(vm);
  const std::string source = vm.count("catalog") != 0U
                                 ? vm["catalog"].as<std::string>()
                                 : "data/hardware/catalog.json";

  io::Report r;
  io::Table t{"devices",
              "Devices (" + source + ")",
              {"name",
               "description",
               "peak_tflops_fp32",
               "peak_tflops_tf32",
               "peak_tflops_bf16",
               "peak_tflops_fp8",
               "peak_tops_int8",
               "memory_bytes",
               "memory_bandwidth_gb_per_s",
               "price_per_hour_usd",
               "source"},
              {}};
  for (const model::Device& d : catalog) {
    t.AddRow(
        {io::Text(d.name),
         io::Text(d.description),
         Peak(d.peak_tflops_fp32),
         Peak(d.peak_tflops_tf32),
         Peak(d.peak_tflops_bf16),
         Peak(d.peak_tflops_fp8),
         Peak(d.peak_tflops_int8),
         io::Bytes(static_cast<double>(d.memory_bytes)),
         io::Real(d.memory_bandwidth_bytes_per_second / kBytesPerGbPerSecond),
         Peak(d.price_per_hour_usd),
         io::Text(d.source)});
  }
  r.tables.push_back(std::move(t));
  r.notes = {
      "peaks are dense (no 2:4 structured sparsity) TFLOP/s per device; int8 "
      "in TOP/s; empty: the device has no such math",
      "peak_tflops_bf16 is 16-bit tensor math: bf16, or fp16 where the device "
      "has no bf16 (V100); GeForce cards: fp32 "
      "accumulate",
      "memory: the vendor's nominal capacity read as GiB (2^30 bytes); usable "
      "memory is somewhat less (ECC, driver)",
      "prices: none built in (they vary by provider and date): give "
      "--usd-per-hour to scalesim flops, or a catalog "
      "with price_per_hour_usd"};
  EmitReport(r, vm, out);
  return 0;
}

}  // namespace scalesim::cli

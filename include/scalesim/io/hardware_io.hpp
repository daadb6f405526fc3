// The hardware catalog: data/hardware/catalog.json (compiled in) or a user's
// file of the same schema (--catalog FILE).
//
// Schema: {"devices": [{"name", "description", "peak_tflops": {"fp32",
// "tf32", "bf16", "fp8", "int8"}, "memory_gib", "memory_bandwidth_gb_per_s",
// "price_per_hour_usd", "source"}, ...]} plus optional top-level "format"
// and "units" entries (documentation). Peaks are dense TFLOP/s (int8 TOP/s);
// a dtype the device lacks is left out or null. memory_gib is read as GiB
// (2^30 bytes); bandwidth in GB/s (1e9 bytes/s); price per device-hour in
// USD or null. "name", "memory_gib" and "source" are required; unknown keys
// are an error so a typo never falls back to a default. See data/README.md.
#ifndef SCALESIM_IO_HARDWARE_IO_HPP_
#define SCALESIM_IO_HARDWARE_IO_HPP_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scalesim/core/error.hpp"
#include "scalesim/core/fields.hpp"
#include "scalesim/model/hardware.hpp"

namespace scalesim::io {

// Parses a catalog; errors name `source`, the line (syntax errors) and the
// field ("devices[2].peak_tflops.bf16").
std::vector<model::Device> CatalogFromJson(std::string_view text,
                                           std::string_view source);
// The built-in catalog (data/hardware/catalog.json).
std::vector<model::Device> LoadCatalog();
// A catalog file; throws InvalidInput if it cannot be read or parsed.
std::vector<model::Device> LoadCatalogFile(const std::string& path);

// The device called `name` (case-insensitive). Throws InvalidInput at
// `where` listing the valid names otherwise.
const model::Device& FindDevice(const std::vector<model::Device>& catalog,
                                std::string_view name,
                                const InputLocation& where = InputLocation{
                                    "", 0, "device"});

// A device from a catalog: --device NAME, and --catalog FILE for a
// catalog of one's own (the built-in one otherwise).
struct DeviceSelection {
  std::optional<std::string> device;
  std::optional<std::string> catalog;

  template <typename V>
  void VisitFields(V&& v) {
    v(device,
      {.name = "device",
       .help = "an accelerator of the catalog (scalesim hardware)",
       .unit = "NAME"});
    v(catalog,
      {.name = "catalog",
       .help = "a hardware catalog JSON file instead of the built-in "
               "one",
       .unit = "FILE"});
  }
};

// The catalog `selection` names (its file or the built-in one).
std::vector<model::Device> CatalogOf(const DeviceSelection& selection);
// The device `selection` names, if any (throws InvalidInput naming the
// field `device` for an unknown name).
std::optional<model::Device> SelectedDevice(const DeviceSelection& selection);

}  // namespace scalesim::io

#endif  // SCALESIM_IO_HARDWARE_IO_HPP_

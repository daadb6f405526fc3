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
//
// Optional objects (model::Device): "power": {"tdp_watts", "source"};
// "network": {"scale_up_domain" (devices), "scale_up_gb_per_s",
// "scale_up_latency_us", "scale_out_gb_per_s", "scale_out_latency_us",
// "source"}, bandwidths per device per direction in GB/s (a 400 Gb/s NIC
// is 50), every field required; "efficiency": {"matmul", "matmul_fp8",
// "attention", "memory", "decode_memory", "scale_up", "scale_out",
// "source"}, fractions in (0, 1]. A user's cluster is a file of this
// schema (--catalog FILE).
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

// --catalog FILE: a catalog (a cluster of one's own) instead of the
// built-in one.
struct CatalogOptions {
  std::optional<std::string> catalog;

  template <typename V>
  void VisitFields(V&& v) {
    v(catalog,
      {.name = "catalog",
       .help = "a hardware catalog JSON file (your own cluster; schema in "
               "data/README.md) instead of the built-in one",
       .unit = "FILE"});
  }
};
// The file's catalog, or the built-in one.
std::vector<model::Device> LoadCatalog(const CatalogOptions& options);
// Where that catalog comes from: the file, or "data/hardware/catalog.json".
std::string CatalogName(const CatalogOptions& options);

// The device called `name` (case-insensitive). Throws InvalidInput at
// `where` listing the valid names otherwise.
const model::Device& FindDevice(const std::vector<model::Device>& catalog,
                                std::string_view name,
                                const InputLocation& where = InputLocation{
                                    "", 0, "device"});

// A device from a catalog: --device NAME (optional), of the catalog of
// --catalog FILE (a cluster of one's own) or the built-in one.
struct DeviceSelection {
  std::optional<std::string> device;
  CatalogOptions catalog;

  template <typename V>
  void VisitFields(V&& v) {
    v(device,
      {.name = "device",
       .help = "device kind from the catalog (scalesim hardware lists them)",
       .unit = "NAME"});
    catalog.VisitFields(v);
  }
};
// The catalog `selection` names.
std::vector<model::Device> CatalogOf(const DeviceSelection& selection);
// The device `selection` names, if any (an unknown name throws InvalidInput
// naming the field "device").
std::optional<model::Device> SelectedDevice(const DeviceSelection& selection);
// The device, which must be named ("missing" naming the field "device").
model::Device ResolveDevice(const DeviceSelection& selection);

}  // namespace scalesim::io

#endif  // SCALESIM_IO_HARDWARE_IO_HPP_

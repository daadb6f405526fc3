// The hardware catalog: the built-in file and the schema's errors.
#include "scalesim/io/hardware_io.hpp"

#include <cstdint>
#include <iterator>
#include <string>

#include <gtest/gtest.h>

#include "scalesim/core/error.hpp"

namespace scalesim::io {
namespace {

// The devices issue 3 asks for, by catalog name, and the H800 (issue 15).
const char* const kRequired[] = {"v100-sxm2-32gb",
                                 "a100-sxm4-40gb",
                                 "a100-sxm4-80gb",
                                 "h100-sxm",
                                 "h800-sxm",
                                 "h100-pcie",
                                 "h200-sxm",
                                 "b200",
                                 "mi250x",
                                 "mi300x",
                                 "l40s",
                                 "rtx-3090",
                                 "rtx-4090",
                                 "tpu-v4",
                                 "tpu-v5e",
                                 "tpu-v5p"};

TEST(HardwareIoTest, BuiltInCatalogHasEveryDeviceWithASource) {
  const auto catalog = LoadCatalog();
  for (const char* name : kRequired) {
    SCOPED_TRACE(name);
    const model::Device& d = FindDevice(catalog, name);
    EXPECT_FALSE(d.source.empty());
    EXPECT_FALSE(d.description.empty());
    EXPECT_GT(d.memory_bytes, 0);
    EXPECT_GT(d.memory_bandwidth_bytes_per_second, 0.0);
    EXPECT_TRUE(
        d.peak_tflops_bf16.has_value());  // every device has 16-bit matrix math
    EXPECT_TRUE(d.network.known());       // issue 15: every device a network
    EXPECT_FALSE(d.network.source.empty());
    EXPECT_GE(d.network.scale_up_domain, 1);
  }
  EXPECT_EQ(catalog.size(), std::size(kRequired));
}

// Spot checks against the data sheets (dense peaks).
TEST(HardwareIoTest, DataSheetFigures) {
  const auto catalog = LoadCatalog();
  const model::Device& a100 = FindDevice(catalog, "a100-sxm4-80gb");
  EXPECT_EQ(a100.PeakFlopsPerSecond(model::Dtype::kBf16),
            312e12);  // A100 data sheet; Megatron README's 312
  EXPECT_EQ(a100.peak_tflops_tf32, 156.0);
  EXPECT_FALSE(a100.peak_tflops_fp8.has_value());  // no fp8 before Hopper
  EXPECT_EQ(a100.memory_bytes, 80LL << 30);
  const model::Device& tpu = FindDevice(catalog, "tpu-v4");
  EXPECT_EQ(tpu.peak_tflops_bf16, 275.0);  // Chowdhery et al. 2022 App. B
  EXPECT_FALSE(tpu.peak_tflops_fp32.has_value());
  const model::Device& h100 = FindDevice(catalog, "h100-sxm");
  EXPECT_EQ(h100.peak_tflops_bf16, 989.5);  // 1,979 with sparsity, halved
  EXPECT_EQ(h100.memory_bandwidth_bytes_per_second, 3.35e12);
  EXPECT_FALSE(
      FindDevice(catalog, "v100-sxm2-32gb").peak_tflops_tf32.has_value());
}

// Issue 15's network figures, per GPU and per direction (NVLink is quoted
// as a bidirectional total, NICs in Gb/s).
TEST(HardwareIoTest, NetworkAndPowerFigures) {
  const auto catalog = LoadCatalog();
  struct Case {
    const char* name;
    std::int64_t domain;
    double scale_up;   // GB/s per direction
    double scale_out;  // GB/s: one NIC per GPU
    double tdp;        // W
  };
  const Case cases[] = {
      {"a100-sxm4-80gb", 8, 300, 25, 400},  // NVLink3 600 bidir; HDR 200 Gb/s
      {"h100-sxm", 8, 450, 50, 700},        // NVLink4 900 bidir; NDR 400 Gb/s
      {"h200-sxm", 8, 450, 50, 700},
      {"h800-sxm", 8, 200, 50, 700},  // NVLink cut to 400 GB/s bidirectional
      {"b200", 8, 900, 50, 1000},     // NVLink5 1.8 TB/s bidirectional
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const model::Device& d = FindDevice(catalog, c.name);
    EXPECT_EQ(d.network.scale_up_domain, c.domain);
    EXPECT_EQ(d.network.scale_up_bytes_per_second, c.scale_up * 1e9);
    EXPECT_EQ(d.network.scale_out_bytes_per_second, c.scale_out * 1e9);
    EXPECT_EQ(d.tdp_watts, c.tdp);
    EXPECT_FALSE(d.tdp_source.empty());
  }
  // Google gives 393 TOPS int8 for v5e, not 2 x 197.
  EXPECT_EQ(FindDevice(catalog, "tpu-v5e").peak_tflops_int8, 393.0);
  EXPECT_FALSE(FindDevice(catalog, "tpu-v4").tdp_watts.has_value());
}

// A user's cluster: the same schema, with network, power and efficiency.
TEST(HardwareIoTest, UserClusterFile) {
  const auto catalog = CatalogFromJson(
      R"({"devices": [{"name": "nvl72", "peak_tflops": {"bf16": 2500}, "memory_gib": 186, "source": "s",
          "power": {"tdp_watts": 1200, "source": "p"},
          "network": {"scale_up_domain": 72, "scale_up_gb_per_s": 900, "scale_up_latency_us": 2,
                      "scale_out_gb_per_s": 100, "scale_out_latency_us": 5, "source": "n"},
          "efficiency": {"matmul": 0.7, "scale_out": 0.9, "source": "measured"}}]})",
      "cluster.json");
  ASSERT_EQ(catalog.size(), 1U);
  const model::Device& d = catalog[0];
  EXPECT_EQ(d.network.scale_up_domain, 72);
  EXPECT_EQ(d.network.scale_out_bytes_per_second, 100e9);
  EXPECT_DOUBLE_EQ(d.network.scale_up_latency_seconds, 2e-6);
  EXPECT_EQ(d.tdp_watts, 1200.0);
  EXPECT_EQ(d.efficiency.matmul, 0.7);
  EXPECT_FALSE(d.efficiency.attention.has_value());
  EXPECT_EQ(d.efficiency.source, "measured");
}

TEST(HardwareIoTest, FindDeviceIsCaseInsensitiveAndListsNames) {
  const auto catalog = LoadCatalog();
  EXPECT_EQ(FindDevice(catalog, "H100-SXM").name, "h100-sxm");
  try {
    FindDevice(catalog, "h300", InputLocation{"command line", 0, "--device"});
    FAIL() << "h300 is not in the catalog";
  } catch (const InvalidInput& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("field '--device'"), std::string::npos) << what;
    EXPECT_NE(what.find("unknown device 'h300'"), std::string::npos) << what;
    EXPECT_NE(what.find("tpu-v5p"), std::string::npos) << what;
  }
}

TEST(HardwareIoTest, UserCatalogWithPrice) {
  const auto catalog = CatalogFromJson(
      R"({"devices": [{"name": "my-gpu", "peak_tflops": {"bf16": 100, "fp8": null}, "memory_gib": 24,
          "price_per_hour_usd": 1.5, "source": "my lab"}]})",
      "mine.json");
  ASSERT_EQ(catalog.size(), 1U);
  EXPECT_EQ(catalog[0].price_per_hour_usd, 1.5);
  EXPECT_FALSE(catalog[0].peak_tflops_fp8.has_value());
  EXPECT_EQ(catalog[0].memory_bytes, 24LL << 30);
}

TEST(HardwareIoTest, SchemaErrorsNameSourceAndField) {
  struct Case {
    const char* json;
    const char* expect;
  };
  const Case cases[] = {
      {R"({"devices": [{"name": "x", "memory_gib": 8, "source": "s", "flops": 1}]})",
       "mine.json: field 'devices[0].flops': unknown field"},
      {R"({"devices": [{"name": "x", "memory_gib": 8}]})",
       "field 'devices[0].source': missing required field"},
      {R"({"devices": [{"name": "x", "memory_gib": -8, "source": "s"}]})",
       "field 'devices[0].memory_gib': must be positive"},
      {R"({"devices": [{"name": "x", "memory_gib": 8, "source": "s", "peak_tflops": {"bf16": "fast"}}]})",
       "field 'devices[0].peak_tflops.bf16': must be a number"},
      {R"({"devices": [{"name": "x", "memory_gib": 8, "source": "s", "peak_tflops": {"fp64": 1}}]})",
       "field 'devices[0].peak_tflops.fp64': unknown field"},
      {R"({"devices": [{"name": "x", "memory_gib": 8, "source": "s"}, {"name": "X", "memory_gib": 8, "source": "s"}]})",
       "duplicate device name 'X'"},
      {R"({"devices": []})", "field 'devices': must be a non-empty list"},
      {R"({"devices": [{"name": "x", "memory_gib": 8, "source": "s", "network": {"scale_up_domain": 8, "scale_up_gb_per_s": -450, "scale_up_latency_us": 2, "scale_out_gb_per_s": 50, "scale_out_latency_us": 5, "source": "n"}}]})",
       "field 'devices[0].network.scale_up_gb_per_s': must be positive, got "
       "-450"},
      {R"({"devices": [{"name": "x", "memory_gib": 8, "source": "s", "network": {"scale_up_domain": 8, "scale_up_gb_per_s": 450, "scale_up_latency_us": 2, "scale_out_gb_per_s": 50, "source": "n"}}]})",
       "field 'devices[0].network.scale_out_latency_us': missing required "
       "field"},
      {R"({"devices": [{"name": "x", "memory_gib": 8, "source": "s", "network": {"scale_up_domain": 8.5, "scale_up_gb_per_s": 450, "scale_up_latency_us": 2, "scale_out_gb_per_s": 50, "scale_out_latency_us": 5, "source": "n"}}]})",
       "field 'devices[0].network.scale_up_domain': must be a whole number"},
      {R"({"devices": [{"name": "x", "memory_gib": 8, "source": "s", "efficiency": {"matmul": 1.5, "source": "e"}}]})",
       "field 'devices[0].efficiency.matmul': must be in (0, 1], got 1.5"},
      {R"({"devices": [{"name": "x", "memory_gib": 8, "source": "s", "power": {"tdp_watts": 0, "source": "p"}}]})",
       "field 'devices[0].power.tdp_watts': must be positive"},
      {R"({"devices": [{"name": "x", "memory_gib": 8, "source": "s", "network": 3}]})",
       "field 'devices[0].network': must be an object"},
      {"{\n  \"devices\": [\n  oops\n]}", "mine.json:3: invalid JSON"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.json);
    try {
      CatalogFromJson(c.json, "mine.json");
      FAIL() << "accepted";
    } catch (const InvalidInput& e) {
      EXPECT_NE(std::string(e.what()).find(c.expect), std::string::npos)
          << e.what();
    }
  }
  EXPECT_THROW(LoadCatalogFile("/nonexistent/catalog.json"), InvalidInput);
}

}  // namespace
}  // namespace scalesim::io

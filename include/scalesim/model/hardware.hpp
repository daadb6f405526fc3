// Accelerators and the time and cost of a training run.
//
// Peak throughputs are the vendors' dense figures (no 2:4 structured
// sparsity) in TFLOP/s (TOP/s for int8); data/hardware/catalog.json names the
// data sheet of each. Time follows from
//   seconds = training_flops / (devices * peak_flops_per_device * MFU)
// with MFU the model FLOPs utilization of Chowdhery et al. 2022 App. B
// (achieved model FLOPs per second over the peak). HFU (hardware FLOPs
// utilization) counts the recomputed forward work too (Korthikanti et al.
// 2022 Sec. 6).
#ifndef SCALESIM_MODEL_HARDWARE_HPP_
#define SCALESIM_MODEL_HARDWARE_HPP_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "scalesim/core/enum_names.hpp"
#include "scalesim/core/fields.hpp"
#include "scalesim/core/schema.hpp"

namespace scalesim::model {

// The price of a device-hour where the catalog's is the default (serve,
// plan): one declaration of the field.
inline constexpr FieldInfo kUsdPerHourField = {
    .name = "usd_per_hour",
    .help = "price per device-hour",
    .unit = "USD",
    .min = 0,
    .max = 1e9,
    .min_exclusive = true,
    .default_text = "the catalog's price"};

// The number format of the matrix products. kBf16 stands for 16-bit
// tensor-core math: bf16 where the device has it, fp16 otherwise (V100).
enum class Dtype { kFp32, kTf32, kBf16, kFp8, kInt8 };
inline constexpr EnumNames<Dtype, 6> kDtypeNames = {{{"fp32", Dtype::kFp32},
                                                     {"tf32", Dtype::kTf32},
                                                     {"bf16", Dtype::kBf16},
                                                     {"fp16", Dtype::kBf16},
                                                     {"fp8", Dtype::kFp8},
                                                     {"int8", Dtype::kInt8}}};
Dtype ParseDtype(
    std::string_view text);  // "fp32", "tf32", "bf16" or "fp16", "fp8", "int8"
std::string_view ToString(Dtype dtype);

// How a device talks to the others, per device (one rank per device): a
// two-tier network of scale-up domains (NVLink/NVSwitch nodes, TPU ICI
// slices) joined by a scale-out fabric with one NIC per device (Calculon,
// Isaev et al. 2023, models the same two tiers). Bandwidths are per device
// and per direction, in bytes/s (vendors quote NVLink as a bidirectional
// total and NICs in Gb/s: 400 Gb/s NDR is 50e9 bytes/s). Latencies are the
// alpha of one step of a collective (one ring hop), seconds.
struct Network {
  std::int64_t scale_up_domain = 1;  // devices per domain: 8 (HGX), 72 (NVL72)
  double scale_up_bytes_per_second = 0.0;
  double scale_up_latency_seconds = 0.0;
  double scale_out_bytes_per_second = 0.0;
  double scale_out_latency_seconds = 0.0;
  std::string source;  // where each value comes from
  // Whether the catalog described one (bandwidths positive).
  bool known() const {
    return scale_up_bytes_per_second > 0.0 && scale_out_bytes_per_second > 0.0;
  }
};

// Achieved fractions of the peaks in a training step, per device kind
// (include/scalesim/perf/step.hpp says how each is used and what applies
// when one is absent). Each in (0, 1].
struct Efficiency {
  std::optional<double> matmul;      // large GEMMs, of the 16-bit peak
  std::optional<double> matmul_fp8;  // large GEMMs, of the fp8 peak
  std::optional<double> attention;   // FlashAttention fwd+bwd, 16-bit peak
  std::optional<double> memory;      // elementwise kernels, of HBM bandwidth
  // Serving (perf/serve.hpp): streaming the weights and the KV cache in a
  // decode step (GEMV-shaped kernels), of HBM bandwidth.
  std::optional<double> decode_memory;
  std::optional<double> scale_up;    // collective bus bandwidth / line rate
  std::optional<double> scale_out;   // the same on the scale-out NICs
  std::string source;
};

struct Device {
  std::string name;         // catalog key: "h100-sxm", "tpu-v4", ...
  std::string description;  // "NVIDIA H100 SXM5 80GB"
  // Dense peak TFLOP/s (int8: TOP/s); absent where the device has no such
  // math (no fp8 before Hopper/Ada/MI300, no tf32 outside NVIDIA and MI300).
  std::optional<double> peak_tflops_fp32;
  std::optional<double> peak_tflops_tf32;
  std::optional<double> peak_tflops_bf16;
  std::optional<double> peak_tflops_fp8;
  std::optional<double> peak_tflops_int8;
  std::int64_t memory_bytes = 0;
  double memory_bandwidth_bytes_per_second = 0.0;
  std::optional<double> price_per_hour_usd;  // per device; user-overridable
  std::string source;  // data sheet or whitepaper the numbers come from
  // Thermal design power (board power limit), W; the energy of a step at
  // TDP is an upper bound. Absent where the vendor publishes none (TPUs).
  std::optional<double> tdp_watts;
  std::string tdp_source;
  Network network;
  Efficiency efficiency;

  std::optional<double> PeakTflops(Dtype dtype) const;
  // Peak FLOP/s for `dtype`; throws InvalidInput naming the device and the
  // dtypes it has when it has no such peak.
  double PeakFlopsPerSecond(Dtype dtype) const;
};

// The catalog's columns, one row per device (scalesim hardware): name,
// description, peak_tflops_{fp32,tf32,bf16,fp8}, peak_tops_int8,
// memory_bytes, memory_bandwidth_gb_per_s, tdp_watts, scale_up_domain,
// scale_up_gb_per_s, scale_up_latency_us, scale_out_gb_per_s,
// scale_out_latency_us, efficiency_{matmul,matmul_fp8,attention,memory,
// decode_memory,scale_up,scale_out} (empty: the step model's default),
// price_per_hour_usd, source, tdp_source, network_source, efficiency_source.
Schema<Device> DeviceSchema(const std::string& title);

// Throws InvalidInput naming `field` unless 0 < mfu <= 1.
void ValidateUtilization(double mfu, std::string_view field);

struct TrainingTimeOptions {
  std::int64_t devices = 1;            // > 0
  double peak_flops_per_device = 0.0;  // FLOP/s, > 0
  double mfu = 0.4;                    // (0, 1]
  std::optional<double> price_per_device_hour_usd;
};

struct TrainingTime {
  double cluster_flops_per_second = 0.0;  // devices * peak * MFU
  double seconds = 0.0;
  double days = 0.0;
  double device_hours = 0.0;
  std::optional<double>
      cost_usd;  // device_hours * price, when a price is known
};

// Time for `training_flops` (> 0); throws InvalidInput for a non-positive
// device count, peak or FLOPs and for MFU outside (0, 1].
TrainingTime EstimateTrainingTime(double training_flops,
                                  const TrainingTimeOptions& options);

// The inverse: FLOPs a cluster delivers in `days`
// (devices * days * 86,400 s * peak * MFU).
double FlopBudget(double days, const TrainingTimeOptions& options);

// Achieved FLOP/s per device for a measured throughput:
// flops_per_token * tokens_per_second / devices.
double AchievedFlopsPerDevice(double flops_per_token,
                              double tokens_per_second,
                              std::int64_t devices);
// Utilization = achieved / peak. With model FLOPs per token this is MFU
// (Chowdhery et al. 2022 App. B: PaLM 540B, 238.3e3 tokens/s on 6144 TPU v4
// at 275 TFLOP/s, 46.2%); with hardware FLOPs (recompute included) HFU.
double Utilization(double flops_per_token,
                   double tokens_per_second,
                   std::int64_t devices,
                   double peak_flops_per_device);

}  // namespace scalesim::model

#endif  // SCALESIM_MODEL_HARDWARE_HPP_

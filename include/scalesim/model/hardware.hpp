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

namespace scalesim::model {

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

  std::optional<double> PeakTflops(Dtype dtype) const;
  // Peak FLOP/s for `dtype`; throws InvalidInput naming the device and the
  // dtypes it has when it has no such peak.
  double PeakFlopsPerSecond(Dtype dtype) const;
};

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

#include "scalesim/model/hardware.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

#include "scalesim/core/error.hpp"
#include "scalesim/core/units.hpp"

namespace scalesim::model {
namespace {

constexpr double kFlopsPerTflop = 1e12;

[[noreturn]] void Fail(std::string_view field, const std::string& problem) {
  throw InvalidInput(InputLocation{"", 0, std::string(field)}, problem);
}

std::string Show(double v) {
  std::array<char, 32> buf{};
  std::snprintf(buf.data(), buf.size(), "%g", v);
  return buf.data();
}

void RequirePositive(double value, std::string_view field) {
  if (!(std::isfinite(value) && value > 0.0))
    Fail(field, "must be positive, got " + Show(value));
}

void RequireDevices(std::int64_t devices) {
  if (devices <= 0)
    Fail("devices",
         "must be a positive integer, got " + std::to_string(devices));
}

}  // namespace

Dtype ParseDtype(std::string_view text) {
  return ParseEnumName(text, kDtypeNames, "dtype");
}

std::string_view ToString(Dtype dtype) { return EnumName(dtype, kDtypeNames); }

std::optional<double> Device::PeakTflops(Dtype dtype) const {
  switch (dtype) {
    case Dtype::kFp32:
      return peak_tflops_fp32;
    case Dtype::kTf32:
      return peak_tflops_tf32;
    case Dtype::kBf16:
      return peak_tflops_bf16;
    case Dtype::kFp8:
      return peak_tflops_fp8;
    case Dtype::kInt8:
      return peak_tflops_int8;
  }
  return std::nullopt;
}

double Device::PeakFlopsPerSecond(Dtype dtype) const {
  if (const auto peak = PeakTflops(dtype)) return *peak * kFlopsPerTflop;
  std::string have;
  for (Dtype d :
       {Dtype::kFp32, Dtype::kTf32, Dtype::kBf16, Dtype::kFp8, Dtype::kInt8}) {
    if (PeakTflops(d))
      have += (have.empty() ? "" : ", ") + std::string(ToString(d));
  }
  Fail("dtype",
       "device '" + name + "' has no " + std::string(ToString(dtype)) +
           " peak (it has: " + have + ")");
}

Schema<Device> DeviceSchema(const std::string& title) {
  using D = const Device&;
  constexpr double kPerGb = 1e-9;
  constexpr double kPerMicrosecond = 1e6;
  auto opt = [](const std::optional<double>& v) {
    return v ? CellValue{*v} : CellValue{};
  };
  Schema<Device> s{"devices", title, {}, {}};
  s.Add("name", CellKind::kText, [](D d) { return CellValue{d.name}; })
      .Add("description",
           CellKind::kText,
           [](D d) { return CellValue{d.description}; })
      .Add("peak_tflops_fp32",
           CellKind::kReal,
           [=](D d) { return opt(d.peak_tflops_fp32); })
      .Add("peak_tflops_tf32",
           CellKind::kReal,
           [=](D d) { return opt(d.peak_tflops_tf32); })
      .Add("peak_tflops_bf16",
           CellKind::kReal,
           [=](D d) { return opt(d.peak_tflops_bf16); })
      .Add("peak_tflops_fp8",
           CellKind::kReal,
           [=](D d) { return opt(d.peak_tflops_fp8); })
      .Add("peak_tops_int8",
           CellKind::kReal,
           [=](D d) { return opt(d.peak_tflops_int8); })
      .Add("memory_bytes",
           CellKind::kBytes,
           [](D d) { return CellValue{d.memory_bytes}; })
      .Add("memory_bandwidth_gb_per_s",
           CellKind::kReal,
           [=](D d) {
             return CellValue{d.memory_bandwidth_bytes_per_second * kPerGb};
           })
      .Add("tdp_watts", CellKind::kReal, [=](D d) { return opt(d.tdp_watts); })
      .Add("scale_up_domain",
           CellKind::kInteger,
           [](D d) { return CellValue{d.network.scale_up_domain}; })
      .Add("scale_up_gb_per_s",
           CellKind::kReal,
           [=](D d) {
             return CellValue{d.network.scale_up_bytes_per_second * kPerGb};
           })
      .Add("scale_up_latency_us",
           CellKind::kReal,
           [=](D d) {
             return CellValue{d.network.scale_up_latency_seconds *
                              kPerMicrosecond};
           })
      .Add("scale_out_gb_per_s",
           CellKind::kReal,
           [=](D d) {
             return CellValue{d.network.scale_out_bytes_per_second * kPerGb};
           })
      .Add("scale_out_latency_us", CellKind::kReal, [=](D d) {
        return CellValue{d.network.scale_out_latency_seconds * kPerMicrosecond};
      });
  const std::pair<const char*, std::optional<double> Efficiency::*>
      efficiencies[] = {
          {"efficiency_matmul", &Efficiency::matmul},
          {"efficiency_matmul_fp8", &Efficiency::matmul_fp8},
          {"efficiency_attention", &Efficiency::attention},
          {"efficiency_memory", &Efficiency::memory},
          {"efficiency_decode_memory", &Efficiency::decode_memory},
          {"efficiency_scale_up", &Efficiency::scale_up},
          {"efficiency_scale_out", &Efficiency::scale_out}};
  for (const auto& [name, member] : efficiencies) {
    s.Add(name, CellKind::kReal, [=, m = member](D d) {
      return opt(d.efficiency.*m);
    });
  }
  s.Add("price_per_hour_usd",
        CellKind::kReal,
        [=](D d) { return opt(d.price_per_hour_usd); })
      .Add("source", CellKind::kText, [](D d) { return CellValue{d.source}; })
      .Add("tdp_source",
           CellKind::kText,
           [](D d) { return CellValue{d.tdp_source}; })
      .Add("network_source",
           CellKind::kText,
           [](D d) { return CellValue{d.network.source}; })
      .Add("efficiency_source", CellKind::kText, [](D d) {
        return CellValue{d.efficiency.source};
      });
  return s;
}

void ValidateUtilization(double mfu, std::string_view field) {
  if (!(std::isfinite(mfu) && mfu > 0.0 && mfu <= 1.0)) {
    Fail(field, "must be in (0, 1], got " + Show(mfu));
  }
}

TrainingTime EstimateTrainingTime(double training_flops,
                                  const TrainingTimeOptions& options) {
  RequirePositive(training_flops, "training_flops");
  RequireDevices(options.devices);
  RequirePositive(options.peak_flops_per_device, "peak_flops_per_device");
  ValidateUtilization(options.mfu, "mfu");
  TrainingTime t;
  t.cluster_flops_per_second = static_cast<double>(options.devices) *
                               options.peak_flops_per_device * options.mfu;
  t.seconds = training_flops / t.cluster_flops_per_second;
  t.days = t.seconds / units::kSecondsPerDay;
  t.device_hours =
      static_cast<double>(options.devices) * t.seconds / units::kSecondsPerHour;
  if (options.price_per_device_hour_usd) {
    if (!(std::isfinite(*options.price_per_device_hour_usd) &&
          *options.price_per_device_hour_usd >= 0.0)) {
      Fail("price_per_hour",
           "must be non-negative, got " +
               Show(*options.price_per_device_hour_usd));
    }
    t.cost_usd = t.device_hours * *options.price_per_device_hour_usd;
  }
  return t;
}

double FlopBudget(double days, const TrainingTimeOptions& options) {
  RequirePositive(days, "days");
  RequireDevices(options.devices);
  RequirePositive(options.peak_flops_per_device, "peak_flops_per_device");
  ValidateUtilization(options.mfu, "mfu");
  return static_cast<double>(options.devices) * days * units::kSecondsPerDay *
         options.peak_flops_per_device * options.mfu;
}

double AchievedFlopsPerDevice(double flops_per_token,
                              double tokens_per_second,
                              std::int64_t devices) {
  RequirePositive(flops_per_token, "flops_per_token");
  RequirePositive(tokens_per_second, "tokens_per_second");
  RequireDevices(devices);
  return flops_per_token * tokens_per_second / static_cast<double>(devices);
}

double Utilization(double flops_per_token,
                   double tokens_per_second,
                   std::int64_t devices,
                   double peak_flops_per_device) {
  RequirePositive(peak_flops_per_device, "peak_flops_per_device");
  return AchievedFlopsPerDevice(flops_per_token, tokens_per_second, devices) /
         peak_flops_per_device;
}

}  // namespace scalesim::model

#include "scalesim/model/hardware.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <string>

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

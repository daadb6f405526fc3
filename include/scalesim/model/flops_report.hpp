// The FLOPs report of an architecture: training FLOPs under every
// convention side by side, the exact per-operation count, inference FLOPs
// per token, and on a device the time, cost, FLOP budget and utilization;
// each part with its column schema (core/schema.hpp). Used by `scalesim
// flops` and the Python module. The formulas are model/flops.hpp's and
// model/hardware.hpp's.
#ifndef SCALESIM_MODEL_FLOPS_REPORT_HPP_
#define SCALESIM_MODEL_FLOPS_REPORT_HPP_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scalesim/core/fields.hpp"
#include "scalesim/core/schema.hpp"
#include "scalesim/model/architecture.hpp"
#include "scalesim/model/flops.hpp"
#include "scalesim/model/hardware.hpp"

namespace scalesim::model {

enum class MoeParams { kActive, kTotal };
inline constexpr EnumNames<MoeParams, 2> kMoeParamsNames = {
    {{"active", MoeParams::kActive}, {"total", MoeParams::kTotal}}};

// What the FLOPs are counted for.
struct FlopsRunOptions {
  std::optional<double> tokens;  // training tokens D: total FLOPs, time, cost
  std::int64_t seq_len = 0;      // 0: TrainingSeqLen (the model's, <= 4096)
  bool causal = false;
  Recompute recompute = Recompute::kNone;
  MoeParams moe_params = MoeParams::kActive;

  template <typename V>
  void VisitFields(V&& v) {
    v(tokens,
      {.name = "tokens",
       .help = "training tokens D: total FLOPs, time and cost",
       .unit = "D",
       .min = 0,
       .max = 1e30,
       .min_exclusive = true});
    v(seq_len,
      {.name = "seq_len",
       .help = "tokens per sequence",
       .unit = "TOKENS",
       .min = 1,
       .max = 9.2e18,
       .default_text = "the model's maximum context, at most 4096",
       .zero_is_default = true});
    v(causal,
      {.name = "causal",
       .help = "causal attention: count only the s(s+1)/2 unmasked "
               "pairs"});
    v(recompute,
      {.name = "recompute",
       .help = "activation recompute for hardware FLOPs: none, "
               "selective or full"},
      kRecomputeNames);
    v(moe_params,
      {.name = "moe_params",
       .help = "MoE: N is the active or the total parameters"},
      kMoeParamsNames);
  }
};

// A device the run is on (model/hardware.hpp: time = FLOPs / (devices x
// peak x MFU)).
struct DeviceRunOptions {
  std::int64_t devices = 1;
  Dtype dtype = Dtype::kBf16;
  double mfu = 0.4;
  std::optional<double> usd_per_hour;       // overrides the catalog's price
  std::optional<double> days;               // the inverse: a FLOP budget
  std::optional<double> tokens_per_second;  // measured: MFU and HFU

  template <typename V>
  void VisitFields(V&& v) {
    v(devices,
      {.name = "devices", .help = "number of devices", .min = 1, .max = 1e9});
    v(dtype,
      {.name = "dtype",
       .help = "peak used: fp32, tf32, bf16 (fp16), fp8 or int8"},
      kDtypeNames);
    v(mfu,
      {.name = "mfu",
       .help = "model FLOPs utilization",
       .min = 0,
       .max = 1,
       .min_exclusive = true});
    v(usd_per_hour,
      {.name = "usd_per_hour",
       .help = "price per device-hour in USD (overrides the "
               "catalog)",
       .unit = "USD",
       .min = 0,
       .max = 1e9});
    v(days,
      {.name = "days",
       .help = "inverse: the FLOP budget of devices x days",
       .min = 0,
       .max = 1e30,
       .min_exclusive = true});
    v(tokens_per_second,
      {.name = "tokens_per_second",
       .help = "measured throughput: MFU and HFU",
       .min = 0,
       .max = 1e30,
       .min_exclusive = true});
  }
};

struct ConventionRow {
  ConventionFlops flops;
  std::int64_t seq_len = 0;
  std::optional<double> training_flops;  // with tokens
};
Schema<ConventionRow> ConventionSchema(const std::string& model_name,
                                       std::int64_t seq_len,
                                       bool with_tokens);

struct OperationRow {
  std::string operation;
  std::int64_t chinchilla = 0;   // App. F, exact
  std::int64_t matmul_only = 0;  // weight and attention products only
};
Schema<OperationRow> OperationSchema();

struct InferenceFlopsRecord {
  std::int64_t context = 0;
  InferenceFlops flops;
};
Schema<InferenceFlopsRecord> InferenceFlopsSchema(std::int64_t context);

struct DeviceRecord {
  std::string device;
  std::int64_t devices = 1;
  Dtype dtype = Dtype::kBf16;
  double peak_tflops = 0.0;
  double mfu = 0.0;
  std::optional<double> usd_per_hour;
  std::string price_source;  // --usd-per-hour, catalog, none
};
Schema<DeviceRecord> DeviceRecordSchema();

struct TimeRow {
  FlopsConvention convention = FlopsConvention::k6ndTotal;
  double training_flops = 0.0;
  TrainingTime time;
};
Schema<TimeRow> TimeSchema(const std::string& title);

struct BudgetRow {
  FlopsConvention convention = FlopsConvention::k6ndTotal;
  double flop_budget = 0.0;
  double tokens = 0.0;
  std::optional<double> cost_usd;
};
Schema<BudgetRow> BudgetSchema(const std::string& title);

struct UtilizationRow {
  FlopsConvention convention = FlopsConvention::k6ndTotal;
  double model_flops_per_token = 0.0;
  double achieved_flops_per_device = 0.0;
  double mfu = 0.0;
  double hardware_flops_per_token = 0.0;
  double hfu = 0.0;
};
Schema<UtilizationRow> UtilizationSchema(const std::string& title);

struct FlopsReport {
  FlopsRunOptions run;  // seq_len resolved
  std::vector<ConventionRow> conventions;
  std::vector<OperationRow> operations;
  InferenceFlopsRecord inference;
  std::optional<DeviceRecord> device;
  std::vector<TimeRow> times;                // with a device and tokens
  std::vector<BudgetRow> budgets;            // with a device and days
  std::vector<UtilizationRow> utilizations;  // with tokens_per_second
  std::vector<std::string> notes;
};

// Every FLOPs convention of `arch` and, with `device`, what it means on
// it. Throws InvalidInput naming the field (tokens, usd_per_hour, days,
// tokens_per_second, mfu, dtype) whose value is out of range or makes a
// result overflow a double.
FlopsReport ReportFlops(const Architecture& arch,
                        FlopsRunOptions run,
                        const std::optional<Device>& device = std::nullopt,
                        const DeviceRunOptions& on_device = {});

}  // namespace scalesim::model

#endif  // SCALESIM_MODEL_FLOPS_REPORT_HPP_

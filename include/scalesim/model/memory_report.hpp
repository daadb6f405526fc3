// Memory reports: training or inference memory of an architecture per
// device, broken down by component, with the setup it assumed and whether
// it fits on devices; each part with its column schema (core/schema.hpp).
// Used by `scalesim memory` and the Python module.
#ifndef SCALESIM_MODEL_MEMORY_REPORT_HPP_
#define SCALESIM_MODEL_MEMORY_REPORT_HPP_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scalesim/core/schema.hpp"
#include "scalesim/model/architecture.hpp"
#include "scalesim/model/hardware.hpp"
#include "scalesim/model/memory.hpp"

namespace scalesim::model {

struct MemoryRow {
  std::string component;  // weights, gradients, ..., total
  std::int64_t bytes = 0;
  std::string note;
};
// component, memory_bytes (binary units in tables, exact integers in CSV/JSON),
// note.
Schema<MemoryRow> MemorySchema(std::string title);

// Whether the memory fits on one device and the largest batch that does.
struct DeviceFit {
  std::string device;
  std::int64_t device_memory_bytes = 0;
  std::int64_t needed_bytes = 0;
  std::int64_t headroom_bytes = 0;  // negative: does not fit
  bool fits = false;
  std::int64_t largest_batch = 0;  // 0: not even one sequence
};
// device, device_memory_bytes, needed_bytes, headroom_bytes, fits and the
// largest batch under `largest_column` (largest_micro_batch in training,
// largest_batch in inference).
Schema<DeviceFit> DeviceFitSchema(std::string name,
                                  std::string title,
                                  std::string largest_column);

// What a training-memory estimate assumed.
struct TrainingSetup {
  std::int64_t total_params = 0;
  std::int64_t params_per_device = 0;  // stage parameters / t
  double bytes_per_param = 0.0;
  std::optional<std::int64_t> activation_bytes_per_layer;      // dense
  std::optional<std::int64_t> activation_bytes_per_moe_layer;  // MoE
  std::int64_t data_parallel = 1;
  std::int64_t tensor_parallel = 1;
  std::int64_t pipeline_parallel = 1;
  std::int64_t zero_stage = 0;
  bool sequence_parallel = false;
  std::int64_t micro_batch = 1;
  std::int64_t seq_len = 0;
};
Schema<TrainingSetup> TrainingSetupSchema(const TrainingSetup& setup);

struct TrainingMemoryReport {
  TrainingMemoryOptions options;  // seq_len resolved
  TrainingMemory memory;
  std::vector<MemoryRow> rows;  // the most loaded stage
  TrainingSetup setup;
  std::vector<DeviceFit> fits;  // one per device asked about
  std::vector<std::string> notes;
};

// Training memory of `arch` per device (the most loaded pipeline stage).
// options.seq_len 0 means TrainingSeqLen (noted). `devices`: each gets a
// DeviceFit with the largest micro-batch that fits. Throws InvalidInput
// naming the option (tp, pp, zero, ...) for an impossible layout.
TrainingMemoryReport ReportTrainingMemory(
    const Architecture& arch,
    TrainingMemoryOptions options,
    const std::vector<Device>& devices = {});

struct InferenceSetup {
  std::int64_t total_params = 0;
  std::int64_t kv_cache_bytes_per_token = 0;        // whole model, unsplit
  std::optional<std::int64_t> kv_heads_per_device;  // none for MLA
  std::int64_t kv_bits = 16;
  std::int64_t tensor_parallel = 1;
  std::int64_t context = 0;
  std::int64_t batch = 1;
};
Schema<InferenceSetup> InferenceSetupSchema(const InferenceSetup& setup);

struct InferenceMemoryReport {
  InferenceMemoryOptions options;  // context resolved
  InferenceMemory memory;
  std::vector<MemoryRow> rows;
  InferenceSetup setup;
  std::vector<DeviceFit> fits;  // largest batch per device
  std::vector<std::string> notes;
};

// Serving memory (weights + KV cache) per device. options.context 0 means
// the model's maximum context, at most 4096 (TrainingSeqLen's rule; noted).
InferenceMemoryReport ReportInferenceMemory(
    const Architecture& arch,
    InferenceMemoryOptions options,
    const std::vector<Device>& devices = {});

// The note every memory report ends with (GiB vs GB).
std::string MemoryUnitsNote();

}  // namespace scalesim::model

#endif  // SCALESIM_MODEL_MEMORY_REPORT_HPP_

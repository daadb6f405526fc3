// The columns of a serving prediction and of the serving search
// (serve.hpp), shared by every writer, and the notes of a serve report.
#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

#include "scalesim/core/validate.hpp"
#include "scalesim/perf/serve.hpp"

namespace scalesim::perf {
namespace {

using P = const ServePrediction&;

CellValue Int(std::int64_t v) { return CellValue{v}; }
CellValue Real(double v) { return CellValue{v}; }
CellValue Text(std::string v) { return CellValue{std::move(v)}; }
CellValue Maybe(const std::optional<double>& v) {
  return v ? CellValue{*v} : CellValue{};
}

// The prefill_* or decode_* breakdown columns.
void AddBreakdown(Schema<ServePrediction>& s,
                  const std::string& prefix,
                  ForwardTime ServePrediction::*part) {
  const std::pair<const char*, double ForwardTime::*> fields[] = {
      {"_roofline_seconds", &ForwardTime::roofline},
      {"_compute_seconds", &ForwardTime::compute},
      {"_memory_seconds", &ForwardTime::memory},
      {"_kernel_seconds", &ForwardTime::kernels},
      {"_communication_seconds", &ForwardTime::communication},
      {"_overhead_seconds", &ForwardTime::overhead}};
  for (const auto& [suffix, field] : fields) {
    s.Add(prefix + suffix, CellKind::kSeconds, [part, f = field](P p) {
      return Real((p.*part).*f);
    });
  }
}

}  // namespace

Schema<ServePrediction> ServeSchema() {
  Schema<ServePrediction> s{"serve", "Predicted serving", {}, {}};
  s.Add(
       "scenario", CellKind::kText, [](P p) { return Text(p.scenario); }, true)
      .Add(
          "status",
          CellKind::kText,
          [](P p) {
            return Text(std::string(EnumName(p.status, kServeStatusNames)));
          },
          true)
      .Add(
          "device", CellKind::kText, [](P p) { return Text(p.device); }, true)
      .Add(
          "layout",
          CellKind::kText,
          [](P p) { return Text(p.layout.Describe()); },
          true)
      .Add("devices",
           CellKind::kInteger,
           [](P p) { return Int(p.layout.devices()); })
      .Add("tp", CellKind::kInteger, [](P p) { return Int(p.layout.tp); })
      .Add("pp", CellKind::kInteger, [](P p) { return Int(p.layout.pp); })
      .Add("ep", CellKind::kInteger, [](P p) { return Int(p.layout.ep); })
      .Add("batch", CellKind::kInteger, [](P p) { return Int(p.layout.batch); })
      .Add("prompt_tokens",
           CellKind::kInteger,
           [](P p) { return Int(p.prompt_tokens); })
      .Add("output_tokens",
           CellKind::kInteger,
           [](P p) { return Int(p.output_tokens); })
      .Add("weight_dtype",
           CellKind::kText,
           [](P p) {
             return Text(std::string(model::ToString(p.weight_dtype)));
           })
      .Add("kv_dtype",
           CellKind::kText,
           [](P p) { return Text(std::string(model::ToString(p.kv_dtype))); })
      .Add(
          "gemm_dtype", CellKind::kText, [](P p) { return Text(p.gemm_dtype); })
      .Add("ttft_seconds",
           CellKind::kSeconds,
           [](P p) { return Real(p.ttft_seconds); })
      .Add("tpot_seconds",
           CellKind::kSeconds,
           [](P p) { return Real(p.tpot_seconds); })
      .Add("e2e_seconds",
           CellKind::kSeconds,
           [](P p) { return Real(p.e2e_seconds); })
      .Add("tokens_per_second_per_sequence",
           CellKind::kReal,
           [](P p) { return Real(p.tokens_per_second_per_sequence); })
      .Add("tokens_per_second",
           CellKind::kReal,
           [](P p) { return Real(p.tokens_per_second); })
      .Add("tokens_per_second_per_device",
           CellKind::kReal,
           [](P p) { return Real(p.tokens_per_second_per_device); })
      .Add("e2e_tokens_per_second_per_device",
           CellKind::kReal,
           [](P p) { return Real(p.e2e_tokens_per_second_per_device); })
      .Add("mbu", CellKind::kPercent, [](P p) { return Real(p.mbu); })
      .Add("decode_binds",
           CellKind::kText,
           [](P p) { return Text(p.decode_binds); })
      .Add("prefill_mfu",
           CellKind::kPercent,
           [](P p) { return Real(p.prefill_mfu); })
      .Add("prefill_flops",
           CellKind::kScientific,
           [](P p) { return Real(p.prefill_flops); })
      .Add("prefill_forwards",
           CellKind::kInteger,
           [](P p) { return Int(p.prefill_forwards); })
      .Add("prefill_compute_bound_seconds",
           CellKind::kSeconds,
           [](P p) { return Real(p.prefill_compute_bound_seconds); })
      .Add("decode_bandwidth_bound_seconds",
           CellKind::kSeconds,
           [](P p) { return Real(p.decode_bandwidth_bound_seconds); })
      .Add("decode_bytes_per_step", CellKind::kBytesSI, [](P p) {
        return Real(p.decode_bytes_per_step);
      });
  AddBreakdown(s, "prefill", &ServePrediction::prefill);
  AddBreakdown(s, "decode", &ServePrediction::decode);
  s.Add("weights_bytes",
        CellKind::kBytes,
        [](P p) { return Int(p.weights_bytes); })
      .Add("kv_cache_bytes",
           CellKind::kBytes,
           [](P p) { return Int(p.kv_cache_bytes); })
      .Add("activation_bytes",
           CellKind::kBytes,
           [](P p) { return Int(p.activation_bytes); })
      .Add("memory_bytes",
           CellKind::kBytes,
           [](P p) { return Int(p.memory_bytes); })
      .Add("usable_memory_bytes",
           CellKind::kBytes,
           [](P p) { return Int(p.usable_memory_bytes); })
      .Add(
          "fits",
          CellKind::kText,
          [](P p) { return Text(p.fits ? "yes" : "no"); },
          true)
      .Add(
          "largest_batch",
          CellKind::kInteger,
          [](P p) { return Int(p.largest_batch); },
          true)
      .Add("usd_per_hour",
           CellKind::kUsd,
           [](P p) { return Maybe(p.usd_per_hour); })
      .Add("device_hours_per_million_input_tokens",
           CellKind::kReal,
           [](P p) { return Real(p.device_hours_per_million_input_tokens); })
      .Add("device_hours_per_million_output_tokens",
           CellKind::kReal,
           [](P p) { return Real(p.device_hours_per_million_output_tokens); })
      .Add("device_hours_per_million_tokens",
           CellKind::kReal,
           [](P p) { return Real(p.device_hours_per_million_tokens); })
      .Add("usd_per_million_input_tokens",
           CellKind::kUsd,
           [](P p) { return Maybe(p.usd_per_million_input_tokens); })
      .Add("usd_per_million_output_tokens",
           CellKind::kUsd,
           [](P p) { return Maybe(p.usd_per_million_output_tokens); })
      .Add("usd_per_million_tokens",
           CellKind::kUsd,
           [](P p) { return Maybe(p.usd_per_million_tokens); })
      .Add("energy_kwh_per_million_input_tokens",
           CellKind::kReal,
           [](P p) { return Maybe(p.energy_kwh_per_million_input_tokens); })
      .Add("energy_kwh_per_million_output_tokens", CellKind::kReal, [](P p) {
        return Maybe(p.energy_kwh_per_million_output_tokens);
      });
  return s;
}

Schema<ServeCandidate> ServeSearchSchema() {
  using C = const ServeCandidate&;
  Schema<ServeCandidate> s{
      "layouts", "Cheapest serving layouts that meet the target", {}, {}};
  s.Add(
       "rank", CellKind::kInteger, [](C c) { return Int(c.rank); }, true)
      .Add(
          "device",
          CellKind::kText,
          [](C c) { return Text(c.prediction.device); },
          true)
      .Add("devices", CellKind::kInteger, [](C c) { return Int(c.devices); })
      .Add("replicas", CellKind::kInteger, [](C c) { return Int(c.replicas); });
  static const char* const kColumns[] = {"layout",
                                         "tp",
                                         "pp",
                                         "ep",
                                         "batch",
                                         "ttft_seconds",
                                         "tpot_seconds",
                                         "tokens_per_second_per_device",
                                         "mbu",
                                         "largest_batch",
                                         "memory_bytes",
                                         "usd_per_hour",
                                         "usd_per_million_output_tokens",
                                         "usd_per_million_tokens"};
  std::vector<Column<ServePrediction>> columns;
  for (const Column<ServePrediction>& c : ServeSchema().columns) {
    if (std::find(std::begin(kColumns), std::end(kColumns), c.name) !=
        std::end(kColumns))
      columns.push_back(c);
  }
  s.Append(Project<ServeCandidate>(
      columns, [](C c) -> const ServePrediction& { return c.prediction; }));
  s.Add("deployment_usd_per_hour",
        CellKind::kUsd,
        [](C c) { return Real(c.usd_per_hour); })
      .Add(
          "meets_target",
          CellKind::kText,
          [](C c) { return Text(c.meets ? "yes" : "no"); },
          true);
  return s;
}

std::vector<std::string> ServeNotes(const model::Device& device,
                                    const ServeOptions& o) {
  const Efficiencies e = EfficienciesOf(device);
  auto num = [](double v) { return NumberText(v); };
  const model::QuantizationOptions& q = o.memory.weights;
  const bool kept = q.embeddings_16bit && model::BitsOf(q.dtype) < 16;
  std::vector<std::string> notes = {
      "efficiencies of " + device.name + " (the step model's, " +
          (device.efficiency.source.empty()
               ? std::string("its defaults: include/scalesim/perf/step.hpp")
               : std::string("from the catalog")) +
          "): GEMMs matmul " + num(e.matmul) + ", matmul_fp8 " +
          num(e.matmul_fp8) + ", attention " + num(e.attention) +
          ", memory bandwidth " + num(e.memory) + " (elementwise) and " +
          num(e.decode_memory) + " (weights and KV cache), scale_up " +
          num(e.scale_up) +
          "; validated against published serving "
          "measurements in docs/validation-serving.md",
      "weights " + std::string(model::ToString(q.dtype)) +
          (q.group_size > 0 ? " with one " + std::to_string(q.scale_bits) +
                                  "-bit scale per " +
                                  std::to_string(q.group_size) + " weights"
                            : std::string()) +
          (kept ? "; token embeddings and LM head at 16 bits "
                  "(--no-embeddings-16bit quantizes them too)"
                : "; embeddings and LM head at the same width") +
          "; KV cache " + std::string(model::ToString(o.memory.kv_dtype)) +
          "; fp8 weights run fp8 GEMMs where the device has an fp8 peak, "
          "int8/int4 are weight-only (16-bit GEMMs)",
      "static batching: the batch is prefilled together (in forwards of at "
      "most " +
          std::to_string(o.prefill_chunk) +
          " tokens, --prefill-chunk), then decoded together; "
          "ttft_seconds = the batch's prefill, tpot_seconds = the mean "
          "decode step over the output, e2e = ttft + (output - 1) x tpot",
      "each forward adds a fixed " + num(o.step_overhead_ms) +
          " ms (scheduling, sampling, graph launch; fitted once in "
          "docs/validation-serving.md) and 2 us per kernel",
      "mbu = weights + KV cache read per decode step / tpot / peak "
      "bandwidth (Databricks 2023); tokens_per_second_per_device is the "
      "decode rate batch / (tpot x devices)",
      o.Describe(device) +
          "; activations of one prefill forward and the batch's logits "
          "count against it",
      "cost: $/M output tokens = price x devices x tpot / batch, $/M input "
      "tokens = price x devices x ttft / (batch x prompt), usd_per_million_"
      "tokens blends both over e2e; energy at TDP (an upper bound)"};
  return notes;
}

}  // namespace scalesim::perf

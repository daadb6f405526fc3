// The columns of a step prediction (step.hpp), shared by every writer.
#include <string>
#include <vector>

#include "scalesim/core/units.hpp"
#include "scalesim/core/validate.hpp"
#include "scalesim/perf/step.hpp"

namespace scalesim::perf {
namespace {

using P = const StepPrediction&;

CellValue Int(std::int64_t v) { return CellValue{v}; }
CellValue Real(double v) { return CellValue{v}; }
CellValue Text(std::string v) { return CellValue{std::move(v)}; }

}  // namespace

Schema<StepPrediction> StepSchema() {
  Schema<StepPrediction> s{"step", "Predicted optimizer step", {}, {}};
  s.Add(
       "status",
       CellKind::kText,
       [](P p) {
         return Text(std::string(EnumName(p.status, kStepStatusNames)));
       },
       true)
      .Add(
          "layout",
          CellKind::kText,
          [](P p) { return Text(p.layout.Describe()); },
          true)
      .Add("devices",
           CellKind::kInteger,
           [](P p) { return Int(p.layout.devices); })
      .Add("tp", CellKind::kInteger, [](P p) { return Int(p.layout.tp); })
      .Add("pp", CellKind::kInteger, [](P p) { return Int(p.layout.pp); })
      .Add("vp", CellKind::kInteger, [](P p) { return Int(p.layout.vp); })
      .Add("cp", CellKind::kInteger, [](P p) { return Int(p.layout.cp); })
      .Add("ep", CellKind::kInteger, [](P p) { return Int(p.layout.ep); })
      .Add("dp", CellKind::kInteger, [](P p) { return Int(p.layout.dp); })
      .Add("zero", CellKind::kInteger, [](P p) { return Int(p.layout.zero); })
      .Add("sequence_parallel",
           CellKind::kText,
           [](P p) { return Text(p.layout.sequence_parallel ? "yes" : "no"); })
      .Add("recompute",
           CellKind::kText,
           [](P p) {
             return Text(std::string(model::ToString(p.layout.recompute)));
           })
      .Add("dtype",
           CellKind::kText,
           [](P p) {
             return Text(std::string(model::ToString(p.layout.dtype)));
           })
      .Add("micro_batch",
           CellKind::kInteger,
           [](P p) { return Int(p.layout.micro_batch); })
      .Add("microbatches",
           CellKind::kInteger,
           [](P p) { return Int(p.layout.microbatches); })
      .Add("global_batch",
           CellKind::kInteger,
           [](P p) { return Int(p.layout.global_batch); })
      .Add("seq_len",
           CellKind::kInteger,
           [](P p) { return Int(p.layout.seq_len); })
      .Add("step_seconds",
           CellKind::kSeconds,
           [](P p) { return Real(p.step_seconds); })
      .Add("tokens_per_second",
           CellKind::kReal,
           [](P p) { return Real(p.tokens_per_second); })
      .Add("tokens_per_second_per_device",
           CellKind::kReal,
           [](P p) { return Real(p.tokens_per_second_per_device); })
      .Add(
          "convention", CellKind::kText, [](P p) { return Text(p.convention); })
      .Add("model_tflops_per_device",
           CellKind::kReal,
           [](P p) { return Real(p.model_tflops_per_device); })
      .Add("mfu", CellKind::kPercent, [](P p) { return Real(p.mfu); })
      .Add("hardware_tflops_per_device",
           CellKind::kReal,
           [](P p) { return Real(p.hardware_tflops_per_device); })
      .Add("hfu", CellKind::kPercent, [](P p) { return Real(p.hfu); })
      .Add("compute_seconds",
           CellKind::kSeconds,
           [](P p) { return Real(p.time.compute); })
      .Add("matmul_seconds",
           CellKind::kSeconds,
           [](P p) { return Real(p.time.matmul); })
      .Add("attention_seconds",
           CellKind::kSeconds,
           [](P p) { return Real(p.time.attention); })
      .Add("memory_bound_seconds", CellKind::kSeconds, [](P p) {
        return Real(p.time.memory_bound);
      });
  const std::pair<const char*, CommTime StepTime::*> kinds[] = {
      {"tensor", &StepTime::tensor},
      {"context", &StepTime::context},
      {"expert", &StepTime::expert},
      {"pipeline", &StepTime::pipeline},
      {"data", &StepTime::data}};
  for (const auto& [kind, member] : kinds) {
    s.Add(std::string(kind) + "_communication_seconds",
          CellKind::kSeconds,
          [m = member](P p) { return Real((p.time.*m).total); })
        .Add(std::string(kind) + "_exposed_seconds",
             CellKind::kSeconds,
             [m = member](P p) { return Real((p.time.*m).exposed); });
  }
  s.Add("exposed_communication_seconds",
        CellKind::kSeconds,
        [](P p) { return Real(p.time.exposed_communication()); })
      .Add("bubble_seconds",
           CellKind::kSeconds,
           [](P p) { return Real(p.time.bubble); })
      .Add("optimizer_seconds",
           CellKind::kSeconds,
           [](P p) { return Real(p.time.optimizer); })
      .Add("energy_joules_per_token",
           CellKind::kReal,
           [](P p) {
             return p.energy_joules_per_token ? Real(*p.energy_joules_per_token)
                                              : CellValue{};
           })
      .Add("memory_bytes",
           CellKind::kBytes,
           [](P p) { return Int(p.memory.most_loaded.total()); })
      .Add("usable_memory_bytes",
           CellKind::kBytes,
           [](P p) { return Int(p.usable_memory_bytes); })
      .Add(
          "fits",
          CellKind::kText,
          [](P p) { return Text(p.fits ? "yes" : "no"); },
          true)
      .Add(
          "binds", CellKind::kText, [](P p) { return Text(p.binds); }, true);
  return s;
}

std::vector<StageRow> StageRows(const StepPrediction& p) {
  std::vector<StageRow> rows;
  rows.push_back({"first", p.memory.first, p.usable_memory_bytes});
  if (p.layout.pp > 1)
    rows.push_back({"last", p.memory.last, p.usable_memory_bytes});
  const std::int64_t most = p.memory.most_loaded.stage;
  if (most != 0 && most != p.layout.pp - 1)
    rows.push_back(
        {"most loaded", p.memory.most_loaded, p.usable_memory_bytes});
  return rows;
}

Schema<StageRow> StageSchema() {
  using R = const StageRow&;
  Schema<StageRow> s{"stages", "Memory per device, by pipeline stage", {}, {}};
  s.Add("which", CellKind::kText, [](R r) { return Text(r.which); })
      .Add("stage", CellKind::kInteger, [](R r) { return Int(r.stage.stage); })
      .Add("layers",
           CellKind::kInteger,
           [](R r) { return Int(r.stage.activations.layers); })
      .Add("in_flight_microbatches",
           CellKind::kInteger,
           [](R r) { return Int(r.stage.activations.in_flight); })
      .Add("params_per_device",
           CellKind::kCount,
           [](R r) { return Int(r.stage.params_per_device); })
      .Add("weights_bytes",
           CellKind::kBytes,
           [](R r) { return Int(r.stage.states.weights); })
      .Add("gradients_bytes",
           CellKind::kBytes,
           [](R r) { return Int(r.stage.states.gradients); })
      .Add("optimizer_states_bytes",
           CellKind::kBytes,
           [](R r) { return Int(r.stage.states.optimizer_states); })
      .Add("activations_bytes",
           CellKind::kBytes,
           [](R r) { return Int(r.stage.activations.total()); })
      .Add("total_bytes",
           CellKind::kBytes,
           [](R r) { return Int(r.stage.total()); })
      .Add("usable_bytes",
           CellKind::kBytes,
           [](R r) { return Int(r.usable_bytes); })
      .Add("fits", CellKind::kText, [](R r) {
        return Text(r.stage.total() <= r.usable_bytes ? "yes" : "no");
      });
  return s;
}

std::string MemoryBudget::Describe(const model::Device& device) const {
  const double gib =
      static_cast<double>(device.memory_bytes) / units::kBytesPerGiB;
  return "usable memory per device: " + NumberText(usable_memory_fraction) +
         " x " + NumberText(gib) + " GiB - " + NumberText(runtime_reserve_gib) +
         " GiB runtime reserve (--usable-memory-fraction, "
         "--runtime-reserve-gib)";
}

std::vector<std::string> StepNotes(const model::Device& device,
                                   const StepOptions& o) {
  const Efficiencies e = EfficienciesOf(device);
  auto num = [](double v) { return NumberText(v); };
  std::vector<std::string> notes = {
      "efficiencies of " + device.name + ": matmul " + num(e.matmul) +
          ", matmul_fp8 " + num(e.matmul_fp8) + ", attention " +
          num(e.attention) + ", memory " + num(e.memory) + ", scale_up " +
          num(e.scale_up) + ", scale_out " + num(e.scale_out) + " (" +
          (device.efficiency.source.empty()
               ? std::string("the step model's defaults, "
                             "include/scalesim/perf/step.hpp")
               : "the catalog; validated in docs/validation-step-time.md") +
          ")",
      o.Describe(device),
      "model_tflops_per_device and mfu: model FLOPs under the " +
          std::string(model::ToString(o.convention)) +
          " convention (--convention) against the 16-bit peak; hardware_* and "
          "hfu add the recomputed work",
      "exposed communication: tensor parallel on the critical path" +
          std::string(o.tp_comm_overlap
                          ? " beyond the GEMMs it overlaps"
                          : " (--tp-comm-overlap hides it behind the GEMMs)") +
          "; data parallel beyond one micro-batch's backward (gradients) and "
          "forward (weights), ZeRO 3 per layer beyond the layer's compute; "
          "ring attention beyond the attention; pipeline sends overlapped "
          "only when interleaved; expert all-to-alls exposed",
      "step_seconds = compute + exposed communication + bubble + optimizer "
      "(include/scalesim/perf/step.hpp cites each formula)"};
  return notes;
}

}  // namespace scalesim::perf

// Architecture grid (include/scalesim/sweep/sweep.hpp).
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "scalesim/core/error.hpp"
#include "scalesim/model/flops.hpp"
#include "scalesim/model/memory.hpp"
#include "scalesim/model/params.hpp"
#include "scalesim/sweep/sweep.hpp"

namespace scalesim::sweep {
namespace {

using I = std::int64_t;

// The shape of one grid point, or why there is none.
std::string Shape(const ArchGridOptions& o,
                  I n_layers,
                  I d_model,
                  I kv_heads,
                  model::Architecture& arch) {
  const model::Architecture& base = o.base;
  const I head_dim = base.head_size();
  arch.n_layers = n_layers;
  arch.d_model = d_model;
  if (head_dim <= 0 || d_model % head_dim != 0) {
    return "skipped: head_dim " + std::to_string(head_dim) +
           " does not divide d_model " + std::to_string(d_model);
  }
  arch.head_dim = head_dim;
  arch.n_heads = d_model / head_dim;
  if (kv_heads == 0) {
    const I group = base.n_heads / base.kv_heads();
    if (arch.n_heads % group != 0) {
      return "skipped: " + std::to_string(arch.n_heads) +
             " heads do not split into the base's groups of " +
             std::to_string(group);
    }
    arch.n_kv_heads = arch.n_heads / group;
  } else {
    if (arch.n_heads % kv_heads != 0 || kv_heads > arch.n_heads) {
      return "skipped: " + std::to_string(kv_heads) +
             " KV heads do not divide " + std::to_string(arch.n_heads) +
             " heads";
    }
    arch.n_kv_heads = kv_heads;
  }
  // d_ff scales with d_model as in the base, rounded up to the multiple.
  const double ff = static_cast<double>(base.d_ff) *
                    static_cast<double>(d_model) /
                    static_cast<double>(base.d_model);
  const double m = static_cast<double>(o.d_ff_multiple_of);
  const double rounded = std::ceil(ff / m - 1e-9) * m;
  if (!(rounded < 9e15)) return "skipped: d_ff overflows";
  arch.d_ff = static_cast<I>(rounded);
  return "";
}

}  // namespace

SweepSummary ArchGrid(const ArchGridOptions& options,
                      const std::function<void(const ArchGridRow&)>& emit) {
  if (options.layers.empty() || options.d_models.empty()) {
    throw InvalidInput(InputLocation{"", 0, "layers"},
                       "give at least one depth and one width");
  }
  if (options.base.d_model <= 0 || options.base.n_heads <= 0 ||
      options.base.d_ff <= 0) {
    throw InvalidInput(InputLocation{"", 0, "preset"},
                       "the base architecture needs d_model, n_heads and d_ff");
  }
  if (options.d_ff_multiple_of <= 0) {
    throw InvalidInput(InputLocation{"", 0, "d_ff_multiple_of"},
                       "must be a positive integer");
  }
  const std::vector<I> no_kv{0};
  const std::vector<I>& kvs =
      options.kv_heads.empty() ? no_kv : options.kv_heads;
  SweepSummary summary;
  ArchGridRow row;
  row.arch = options.base;
  std::string last_problem;
  for (I layers : options.layers) {
    for (I d_model : options.d_models) {
      for (I kv : kvs) {
        row.status = Shape(options, layers, d_model, kv, row.arch);
        if (row.status.empty()) {
          try {
            const model::ParamBreakdown p =
                model::CountParameters(row.arch, "sweep arch");
            row.params = p.total();
            row.non_embedding_params = p.non_embedding();
            row.training_flops_per_token =
                6.0 * static_cast<double>(row.params);
            model::TrainingMemoryOptions t = options.training;
            t.seq_len = model::TrainingSeqLen(row.arch, t.seq_len);
            row.training_memory_bytes =
                model::EstimateTrainingMemory(row.arch, t).most_loaded.total();
            model::InferenceMemoryOptions serving = options.inference;
            serving.context = model::TrainingSeqLen(row.arch, serving.context);
            const model::InferenceMemory m =
                model::EstimateInferenceMemory(row.arch, serving);
            row.inference_memory_bytes = m.total_per_device();
            row.kv_cache_bytes = m.kv_cache_per_device;
            row.inference_flops_per_token =
                model::InferenceFlopsPerToken(row.arch, serving.context)
                    .total();
            row.status = "ok";
          } catch (const InvalidInput& e) {
            // An invalid combination is a row of the grid, not an error of
            // the whole sweep (unless every row is invalid, below).
            row.status = std::string("skipped: ") + e.what();
          }
        }
        if (row.status != "ok") {
          row.params = row.non_embedding_params = 0;
          row.training_flops_per_token = 0.0;
          row.training_memory_bytes = row.inference_memory_bytes = 0;
          row.kv_cache_bytes = row.inference_flops_per_token = 0;
          ++summary.failed_rows;
          last_problem = row.status;
        }
        emit(row);
        ++summary.rows;
      }
    }
  }
  if (summary.failed_rows == summary.rows) {
    throw InvalidInput(
        InputLocation{"", 0, "d_model"},
        "no valid shape in the grid (last: " + last_problem + ")");
  }
  return summary;
}

}  // namespace scalesim::sweep

namespace scalesim::sweep {

ArchGridOptions ArchGridOf(const model::Architecture& base,
                           const ArchGridAxes& axes,
                           const model::TrainingMemoryOptions& training,
                           const model::InferenceMemoryOptions& inference) {
  ArchGridOptions o;
  o.base = base;
  o.layers = ParseIntegerList(axes.layers, "layers");
  o.d_models = ParseIntegerList(axes.d_model, "d_model");
  if (axes.kv_heads) o.kv_heads = ParseIntegerList(*axes.kv_heads, "kv_heads");
  o.d_ff_multiple_of = axes.d_ff_multiple_of;
  o.training = training;
  o.inference = inference;
  o.inference.tensor_parallel = training.tensor_parallel;
  return o;
}

Schema<ArchGridRow> ArchGridSchema(const std::string& base_name) {
  using R = ArchGridRow;
  Schema<R> s{"arch", "Architecture grid of " + base_name, {}, [](const R& r) {
                return r.status == "ok";
              }};
  s.Add(
      "n_layers",
      CellKind::kInteger,
      [](const R& r) { return CellValue{r.arch.n_layers}; },
      true);
  s.Add(
      "d_model",
      CellKind::kInteger,
      [](const R& r) { return CellValue{r.arch.d_model}; },
      true);
  s.Add("n_heads", CellKind::kInteger, [](const R& r) {
    return CellValue{r.arch.n_heads};
  });
  s.Add("n_kv_heads", CellKind::kInteger, [](const R& r) {
    return CellValue{r.arch.kv_heads()};
  });
  s.Add("head_dim", CellKind::kInteger, [](const R& r) {
    return CellValue{r.arch.head_size()};
  });
  s.Add("d_ff", CellKind::kInteger, [](const R& r) {
    return CellValue{r.arch.d_ff};
  });
  s.Add("params", CellKind::kCount, [](const R& r) {
    return CellValue{r.params};
  });
  s.Add("non_embedding_params", CellKind::kCount, [](const R& r) {
    return CellValue{r.non_embedding_params};
  });
  s.Add("training_flops_per_token", CellKind::kScientific, [](const R& r) {
    return CellValue{r.training_flops_per_token};
  });
  s.Add("inference_flops_per_token", CellKind::kShortCount, [](const R& r) {
    return CellValue{r.inference_flops_per_token};
  });
  s.Add("training_memory_bytes", CellKind::kBytes, [](const R& r) {
    return CellValue{r.training_memory_bytes};
  });
  s.Add("inference_memory_bytes", CellKind::kBytes, [](const R& r) {
    return CellValue{r.inference_memory_bytes};
  });
  s.Add("kv_cache_bytes", CellKind::kBytes, [](const R& r) {
    return CellValue{r.kv_cache_bytes};
  });
  s.Add(
      "status",
      CellKind::kText,
      [](const R& r) { return CellValue{r.status}; },
      true);
  return s;
}

double ArchGridRowCount(const ArchGridOptions& o) {
  return static_cast<double>(o.layers.size()) *
         static_cast<double>(o.d_models.size()) *
         static_cast<double>(o.kv_heads.empty() ? 1 : o.kv_heads.size());
}

std::vector<std::string> ArchGridNotes(const std::string& base_name,
                                       const ArchGridOptions& o,
                                       const SweepSummary& s) {
  std::vector<std::string> notes;
  notes.push_back("base: " + base_name +
                  "; every field but depth, width, heads, KV heads and d_ff "
                  "is the base's (MoE experts and MLA ranks unscaled)");
  notes.push_back(
      "n_heads = d_model / head_dim; d_ff = base d_ff x d_model / base "
      "d_model, rounded up to a multiple of " +
      std::to_string(o.d_ff_multiple_of));
  const std::string context = o.inference.context > 0
                                  ? std::to_string(o.inference.context)
                                  : std::string(
                                        "the model's context (at most "
                                        "4096)");
  notes.push_back(
      "training_flops_per_token = 6 N (total parameters); "
      "inference_flops_per_token: weight products + attention over " +
      context + " cached tokens (scalesim flops)");
  notes.push_back(
      "training memory: most loaded device, " +
      model::DescribeBytesPerParam(o.training.states) + ", ZeRO " +
      std::to_string(o.training.states.zero_stage) + ", TP " +
      std::to_string(o.training.tensor_parallel) + ", micro-batch " +
      std::to_string(o.training.micro_batch) + " x " +
      (o.training.seq_len > 0 ? std::to_string(o.training.seq_len)
                              : std::string("the model's context (at most "
                                            "4096)")) +
      " tokens, " +
      (o.training.flash_attention ? "FlashAttention" : "no FlashAttention") +
      ", " + (o.training.dropout ? "dropout" : "no dropout") + ", recompute " +
      std::string(model::ToString(o.training.recompute)) +
      " (Korthikanti et al. 2022; scalesim memory)");
  notes.push_back("inference memory: weights (" +
                  std::string(model::ToString(o.inference.weights.dtype)) +
                  ") + KV cache (" + std::to_string(o.inference.kv_bits()) +
                  " bits, " + context + " tokens x " +
                  std::to_string(o.inference.batch) +
                  ") per device; bytes, binary units in tables");
  if (s.failed_rows > 0) {
    notes.push_back(std::to_string(s.failed_rows) +
                    " grid points are not valid shapes: see status");
  }
  return notes;
}

}  // namespace scalesim::sweep

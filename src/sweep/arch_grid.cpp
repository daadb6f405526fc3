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
    throw InvalidInput(InputLocation{"command line", 0, "--layers"},
                       "give at least one depth and one width");
  }
  if (options.base.d_model <= 0 || options.base.n_heads <= 0 ||
      options.base.d_ff <= 0) {
    throw InvalidInput(InputLocation{"command line", 0, "--preset"},
                       "the base architecture needs d_model, n_heads and d_ff");
  }
  if (options.d_ff_multiple_of <= 0) {
    throw InvalidInput(InputLocation{"command line", 0, "--d-ff-multiple-of"},
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
            if (t.seq_len <= 0) t.seq_len = row.arch.context_length;
            row.training_memory_bytes =
                model::EstimateTrainingMemory(row.arch, t).most_loaded.total();
            const model::InferenceMemory m =
                model::EstimateInferenceMemory(row.arch, options.inference);
            row.inference_memory_bytes = m.total_per_device();
            row.kv_cache_bytes = m.kv_cache_per_device;
            row.inference_flops_per_token =
                model::InferenceFlopsPerToken(row.arch,
                                              options.inference.context)
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
        InputLocation{"command line", 0, "--d-model"},
        "no valid shape in the grid (last: " + last_problem + ")");
  }
  return summary;
}

}  // namespace scalesim::sweep

#include "scalesim/plan/design.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "scalesim/core/error.hpp"
#include "scalesim/model/params.hpp"

namespace scalesim::plan {
namespace {

using I = std::int64_t;

constexpr I kMaxLayers = 512;

model::Architecture LlamaStyle(const ArchitectureOptions& o,
                               I d_model,
                               I n_layers) {
  const I heads = d_model / o.head_dim;
  I kv = std::min(heads, o.max_kv_heads);
  while (heads % kv != 0) --kv;
  const I ff = (8 * d_model + 2) / 3;
  return LlamaStyleArchitecture(heads,
                                o.head_dim,
                                kv,
                                (ff + 255) / 256 * 256,
                                n_layers,
                                o.vocab_size,
                                o.context_length);
}

}  // namespace

model::Architecture LlamaStyleArchitecture(I n_heads,
                                           I head_dim,
                                           I n_kv_heads,
                                           I d_ff,
                                           I n_layers,
                                           I vocab_size,
                                           I context_length) {
  model::Architecture a;
  a.name = "proposed";
  a.vocab_size = vocab_size;
  a.head_dim = head_dim;
  a.n_heads = n_heads;
  a.d_model = n_heads * head_dim;
  a.n_kv_heads = n_kv_heads;
  a.n_layers = n_layers;
  a.d_ff = d_ff;
  a.mlp = model::MlpKind::kGated;
  a.activation = "silu";
  a.norm = model::NormKind::kRmsNorm;
  a.position = model::PositionKind::kRotary;
  a.tied_embeddings = false;
  a.context_length = context_length;
  return a;
}

I CountFor(const model::ParamBreakdown& p, laws::ParamCount count) {
  return count == laws::ParamCount::kNonEmbedding ? p.non_embedding()
                                                  : p.total();
}

ArchitectureProposer::ArchitectureProposer(const ArchitectureOptions& options)
    : o_(options) {}

const ArchitectureProposer::Width& ArchitectureProposer::WidthAt(
    std::size_t i) {
  while (widths_.size() <= i) {
    const I step = o_.head_dim * std::max<I>(o_.heads_multiple, 1);
    const I d_model = step * static_cast<I>(widths_.size() + 1);
    const model::Architecture one = LlamaStyle(o_, d_model, 1);
    const model::ParamBreakdown p1 = model::CountParameters(one, "proposal");
    const I per_layer = p1.dense_block.total();
    widths_.push_back({d_model, per_layer, CountFor(p1, o_.count) - per_layer});
  }
  return widths_[i];
}

ArchitectureProposal ArchitectureProposer::Propose(double target_params) {
  ArchitectureOptions o = o_;
  o.target_params = target_params;
  ArchitectureProposal best;
  if (!(o.target_params > 0.0) || !std::isfinite(o.target_params)) {
    best.message = "target parameter count must be positive";
    return best;
  }
  double best_score = 0.0;
  // d_model up to 64K and at most 512 layers cover every model up to ~1e14
  // parameters; beyond that no proposal is made.
  const I step = o.head_dim * std::max<I>(o.heads_multiple, 1);
  for (std::size_t i = 0; step * static_cast<I>(i + 1) <= 65536; ++i) {
    const Width& w = WidthAt(i);
    const I d_model = w.d_model;
    const I per_layer = w.per_layer;
    const I fixed = w.fixed;
    // n_layers that bring the count nearest the target.
    const double layers_exact = (o.target_params - static_cast<double>(fixed)) /
                                static_cast<double>(per_layer);
    if (layers_exact < 0.5) {
      if (static_cast<double>(fixed) > o.target_params * (1.0 + o.tolerance))
        break;  // wider only grows
      continue;
    }
    // Checked before the conversion to an integer (a fuzzer found 1e60 FLOPs).
    if (!(layers_exact <= static_cast<double>(kMaxLayers) + 1.0)) continue;
    // Wider shapes have fewer layers, so no later width's aspect ratio is
    // below this width's smallest, d_model / ceil(layers_exact); once that
    // alone scores no better than the best, no later width can win (a
    // score only adds |err| to it, and a tie does not replace the best).
    if (best.found) {
      const double least_aspect =
          static_cast<double>(d_model) / std::ceil(layers_exact);
      if (least_aspect > o.target_aspect_ratio &&
          std::log(least_aspect / o.target_aspect_ratio) >= best_score)
        break;
    }
    for (I n_layers : {static_cast<I>(std::floor(layers_exact)),
                       static_cast<I>(std::ceil(layers_exact))}) {
      if (n_layers < 1 || n_layers > kMaxLayers) continue;
      const I params = fixed + per_layer * n_layers;
      const double err =
          (static_cast<double>(params) - o.target_params) / o.target_params;
      if (std::fabs(err) > o.tolerance) continue;
      const double aspect =
          static_cast<double>(d_model) / static_cast<double>(n_layers);
      const double score =
          std::fabs(std::log(aspect / o.target_aspect_ratio)) + std::fabs(err);
      if (!best.found || score < best_score) {
        best.found = true;
        best_score = score;
        best.arch = LlamaStyle(o, d_model, n_layers);
        best.params = params;
        best.relative_error = err;
      }
    }
  }
  if (!best.found) {
    best.message =
        "no Llama-style shape (d_model a multiple of 128 up to 65,536, at most "
        "512 layers) "
        "within " +
        std::to_string(o.tolerance * 100.0).substr(0, 4) + "% of the target";
    best.message +=
        o.target_params > 1e13
            ? ": the target is beyond the shapes searched"
            : ": for small targets the embedding of a " +
                  std::to_string(o.vocab_size) +
                  "-token vocabulary alone may exceed it (try --vocab)";
  }
  return best;
}

ArchitectureProposal ProposeArchitecture(const ArchitectureOptions& o) {
  return ArchitectureProposer(o).Propose(o.target_params);
}

LayoutProposal ProposeLayout(const model::Architecture& arch,
                             const LayoutOptions& o) {
  LayoutProposal out;
  struct Candidate {
    I t;
    I p;
  };
  std::vector<Candidate> shapes;
  for (I t = 1; t <= o.max_tensor_parallel; t *= 2) {
    for (I p = 1; p <= arch.n_layers; p *= 2) {
      if (t * p > o.devices || o.devices % (t * p) != 0) continue;
      if (arch.n_heads % t != 0 || arch.kv_heads() % t != 0) continue;
      shapes.push_back({t, p});
    }
  }
  std::stable_sort(
      shapes.begin(), shapes.end(), [](const Candidate& a, const Candidate& b) {
        if (a.t * a.p != b.t * b.p) return a.t * a.p < b.t * b.p;
        return a.p <
               b.p;  // prefer tensor over pipeline parallelism at equal degree
      });
  // Full recomputation costs about a third more compute (Korthikanti et al.
  // 2022 Table 4), so it is the last resort; selective recomputation is
  // nearly free with FlashAttention. Within a tier: least model
  // parallelism, then the lowest ZeRO stage.
  const std::vector<std::vector<model::Recompute>> tiers = {
      {model::Recompute::kNone, model::Recompute::kSelective},
      {model::Recompute::kFull}};
  for (const auto& tier : tiers) {
    for (const Candidate& s : shapes) {
      const I dp = o.devices / (s.t * s.p);
      for (I zero : {1, 2, 3}) {
        for (model::Recompute r : tier) {
          model::TrainingMemoryOptions m;
          m.states.precision = model::Precision::kMixed16;
          m.states.optimizer = model::Optimizer::kAdam;
          m.states.data_parallel = dp;
          m.states.zero_stage = dp > 1 ? zero : 0;
          m.tensor_parallel = s.t;
          m.pipeline_parallel = s.p;
          m.sequence_parallel = s.t > 1;
          m.recompute = r;
          m.flash_attention = true;
          m.dropout = false;  // LLM pre-training runs without dropout
          m.seq_len = o.seq_len;
          const I b = model::LargestMicroBatch(arch, m, o.device_memory_bytes);
          if (b < 1) continue;
          m.micro_batch = b;
          out.found = true;
          out.options = m;
          out.data_parallel = dp;
          out.memory = model::EstimateTrainingMemory(arch, m);
          return out;
        }
        if (dp <= 1) break;  // ZeRO needs data parallelism
      }
    }
  }
  out.message = "no layout of " + std::to_string(o.devices) +
                " devices fits the model in device memory (try more devices)";
  return out;
}

}  // namespace scalesim::plan

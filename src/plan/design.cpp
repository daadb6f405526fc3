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
    : o_(options), step_(o_.head_dim * std::max<I>(o_.heads_multiple, 1)) {}

void ArchitectureProposer::AddWidth() {
  const I d_model = step_ * static_cast<I>(widths_.size() + 1);
  const model::Architecture one = LlamaStyle(o_, d_model, 1);
  const model::ParamBreakdown p1 = model::CountParameters(one, "proposal");
  const I per_layer = p1.dense_block.total();
  widths_.push_back({d_model, per_layer, CountFor(p1, o_.count) - per_layer});
}

double ArchitectureProposer::LayersExact(const Width& w, double target) {
  return (target - static_cast<double>(w.fixed)) /
         static_cast<double>(w.per_layer);
}

ArchitectureProposal ArchitectureProposer::Propose(double n) {
  const ArchitectureOptions& o = o_;
  ArchitectureProposal best;
  if (!(n > 0.0) || !std::isfinite(n)) {
    best.message = "target parameter count must be positive";
    return best;
  }
  // d_model up to 64K and at most 512 layers cover every model up to ~1e14
  // parameters; beyond that no proposal is made.
  const std::size_t widths = static_cast<std::size_t>(65536 / step_);
  // The widths a scan from the narrowest reaches: up to the first whose
  // embedding alone exceeds the target (no layer fits: wider only grows).
  // Both tests below only turn true as the width grows (fixed and the
  // per-layer count grow with it), so a binary search finds each edge.
  const auto ends_scan = [&](const Width& w) {
    return LayersExact(w, n) < 0.5 &&
           static_cast<double>(w.fixed) > n * (1.0 + o.tolerance);
  };
  while (widths_.size() < widths &&
         (widths_.empty() || !ends_scan(widths_.back())))
    AddWidth();
  const auto first = [&](std::size_t lo, std::size_t hi, const auto& pred) {
    while (lo < hi) {
      const std::size_t mid = lo + (hi - lo) / 2;
      if (pred(widths_[mid])) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  };
  const std::size_t end = first(0, widths_.size(), ends_scan);
  // Widths with at most kMaxLayers + 1 layers (narrower ones have more)
  // and with at least half a layer (wider ones have less).
  const std::size_t lo = first(0, end, [&](const Width& w) {
    return LayersExact(w, n) <= static_cast<double>(kMaxLayers) + 1.0;
  });
  const std::size_t hi =
      first(lo, end, [&](const Width& w) { return LayersExact(w, n) < 0.5; });
  // Start where the aspect ratio d_model / layers reaches the target and
  // go both ways; the result is the lowest (score, width, depth) of every
  // candidate, the first a scan from the narrowest would keep.
  const std::size_t pivot = first(lo, hi, [&](const Width& w) {
    return static_cast<double>(w.d_model) / LayersExact(w, n) >=
           o.target_aspect_ratio;
  });
  // The best candidate so far; its architecture is built once, at the end.
  double best_score = 0.0;
  std::size_t best_width = 0;
  int best_depth = 0;
  I best_layers = 0;
  const auto consider = [&](std::size_t i) {
    const Width& w = widths_[i];
    const double layers_exact = LayersExact(w, n);
    int depth = 0;
    for (I n_layers : {static_cast<I>(std::floor(layers_exact)),
                       static_cast<I>(std::ceil(layers_exact))}) {
      ++depth;
      if (n_layers < 1 || n_layers > kMaxLayers) continue;
      const I params = w.fixed + w.per_layer * n_layers;
      const double err = (static_cast<double>(params) - n) / n;
      if (std::fabs(err) > o.tolerance) continue;
      const double aspect =
          static_cast<double>(w.d_model) / static_cast<double>(n_layers);
      const double score =
          std::fabs(std::log(aspect / o.target_aspect_ratio)) + std::fabs(err);
      const bool better =
          !best.found || score < best_score ||
          (score == best_score &&
           (i < best_width || (i == best_width && depth < best_depth)));
      if (better) {
        best.found = true;
        best_score = score;
        best_width = i;
        best_depth = depth;
        best_layers = n_layers;
        best.params = params;
        best.relative_error = err;
      }
    }
  };
  // Wider: no width's aspect ratio is below the previous one's smallest,
  // d_model / ceil(layers); once that alone scores no better than the
  // best, no wider width can win (a score only adds |err|; a tie goes to
  // the narrower).
  for (std::size_t i = pivot; i < hi; ++i) {
    if (best.found) {
      const double least = static_cast<double>(widths_[i].d_model) /
                           std::ceil(LayersExact(widths_[i], n));
      if (least > o.target_aspect_ratio &&
          std::log(least / o.target_aspect_ratio) >= best_score)
        break;
    }
    consider(i);
  }
  // Narrower: no width's aspect ratio is above the next one's largest,
  // d_model / max(floor(layers), 1); a tie goes to the narrower, so only a
  // bound strictly above the best stops.
  for (std::size_t i = pivot; i > lo; --i) {
    const Width& w = widths_[i - 1];
    if (best.found) {
      const double most = static_cast<double>(w.d_model) /
                          std::max(std::floor(LayersExact(w, n)), 1.0);
      if (most < o.target_aspect_ratio &&
          std::log(o.target_aspect_ratio / most) > best_score)
        break;
    }
    consider(i - 1);
  }
  if (best.found) {
    best.arch = LlamaStyle(o, widths_[best_width].d_model, best_layers);
  } else {
    best.message =
        "no Llama-style shape (d_model a multiple of 128 up to 65,536, at most "
        "512 layers) "
        "within " +
        std::to_string(o.tolerance * 100.0).substr(0, 4) + "% of the target";
    best.message +=
        n > 1e13 ? ": the target is beyond the shapes searched"
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

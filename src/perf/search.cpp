#include "scalesim/perf/search.hpp"

#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

#include "scalesim/core/fields.hpp"
#include "scalesim/core/validate.hpp"

namespace scalesim::perf {
namespace {

using I = std::int64_t;

std::vector<I> Divisors(I n, I limit) {
  std::vector<I> out;
  for (I d = 1; d <= std::min(n, limit); ++d)
    if (n % d == 0) out.push_back(d);
  return out;
}

// Inserts `p` into the `top` fastest, fastest first; an equal time goes
// after those already kept (enumeration order).
void Keep(StepPrediction p,
          std::size_t top,
          std::vector<StepPrediction>& kept) {
  if (kept.size() == top && !(p.step_seconds < kept.back().step_seconds))
    return;
  const auto at = std::upper_bound(
      kept.begin(),
      kept.end(),
      p.step_seconds,
      [](double t, const StepPrediction& k) { return t < k.step_seconds; });
  kept.insert(at, std::move(p));
  if (kept.size() > top) kept.pop_back();
}

}  // namespace

SearchResult SearchLayouts(const model::Architecture& arch,
                           const model::Device& device,
                           const StepOptions& step,
                           const SearchOptions& options) {
  ValidateFields(options);
  if (step.devices <= 0)
    FailField("devices", "the search needs the number of devices");
  if (step.global_batch <= 0 && step.global_batch_tokens <= 0)
    FailField("global_batch", "the search needs the global batch");
  // Everything that does not depend on the layout is checked once, on one
  // device.
  StepOptions plain = step;
  plain.devices = 0;
  plain.memory.tensor_parallel = 1;
  plain.memory.pipeline_parallel = 1;
  plain.memory.states.data_parallel = 1;
  plain.memory.num_microbatches = 0;
  plain.memory.micro_batch = 1;
  plain.virtual_stages = 1;
  plain.context_parallel = 1;
  plain.expert_parallel = 1;
  const Layout base = ResolveLayout(arch, device, plain);
  const I n = step.devices;
  const I batch = base.global_batch;
  const I s = base.seq_len;
  const StepModel model(arch, device, step);

  const I domain = device.network.scale_up_domain;
  const I kv = arch.mla.enabled() ? arch.n_heads : arch.kv_heads();
  std::vector<I> tps;
  for (I t : Divisors(domain, std::min(n, options.max_tensor_parallel))) {
    if (arch.n_heads % t == 0 && (kv % t == 0 || t % kv == 0)) tps.push_back(t);
  }

  SearchResult result;
  const auto top = static_cast<std::size_t>(options.top);
  std::vector<StepPrediction> kept;  // the fastest so far, in order
  const model::Recompute recomputes[] = {model::Recompute::kNone,
                                         model::Recompute::kSelective,
                                         model::Recompute::kFull};
  Layout l = base;
  l.devices = n;
  for (I t : tps) {
    l.tp = t;
    for (I c = 1; t * c <= n && c <= options.max_context_parallel &&
                  (c == 1 || s % (2 * c) == 0);
         c *= 2) {
      if (n % (t * c) != 0) break;
      l.cp = c;
      for (I p : Divisors(n / (t * c), arch.n_layers)) {
        l.pp = p;
        l.dp = n / (t * c * p);
        if (batch % l.dp != 0) continue;
        std::vector<I> vps = {1};
        if (p > 1) {
          for (I v : Divisors(arch.n_layers / p, arch.n_layers))
            if (v > 1 && arch.n_layers % (p * v) == 0) vps.push_back(v);
        }
        std::vector<I> eps = {1};
        if (arch.moe.enabled()) {
          for (I e : Divisors(arch.moe.num_experts, c * l.dp))
            if (e > 1 && (c * l.dp) % e == 0) eps.push_back(e);
        }
        const std::vector<I> zeros =
            c * l.dp > 1 ? std::vector<I>{0, 1, 2, 3} : std::vector<I>{0};
        const std::vector<I> mbs =
            Divisors(batch / l.dp, options.max_micro_batch);
        for (I v : vps) {
          l.vp = v;
          for (I e : eps) {
            l.ep = e;
            for (I z : zeros) {
              l.zero = z;
              for (int sp = 0; sp <= (t > 1 ? 1 : 0); ++sp) {
                l.sequence_parallel = sp == 1;
                for (I b : mbs) {
                  l.micro_batch = b;
                  l.microbatches = batch / (b * l.dp);
                  for (model::Recompute r : recomputes) {
                    l.recompute = r;
                    StepPrediction pr = model.Predict(l);
                    ++result.candidates;
                    result.usable_memory_bytes = pr.usable_memory_bytes;
                    if (!pr.fits) continue;
                    ++result.fitting;
                    Keep(std::move(pr), top, kept);
                  }
                }
              }
            }
          }
        }
      }
    }
  }
  for (std::size_t i = 0; i < kept.size(); ++i)
    result.best.push_back({static_cast<I>(i + 1), std::move(kept[i])});
  if (result.best.empty()) {
    result.status = SearchStatus::kNoneFits;
    result.message = "none of " + std::to_string(result.candidates) +
                     " layouts fits in the usable memory";
  }
  return result;
}

Schema<RankedLayout> SearchSchema() {
  Schema<RankedLayout> s{"layouts", "Fastest layouts that fit", {}, {}};
  s.Add(
      "rank",
      CellKind::kInteger,
      [](const RankedLayout& r) { return CellValue{r.rank}; },
      true);
  // The step's columns that tell layouts apart.
  static const char* const kColumns[] = {"layout",
                                         "tp",
                                         "pp",
                                         "vp",
                                         "cp",
                                         "ep",
                                         "dp",
                                         "zero",
                                         "sequence_parallel",
                                         "micro_batch",
                                         "recompute",
                                         "step_seconds",
                                         "tokens_per_second",
                                         "tokens_per_second_per_device",
                                         "model_tflops_per_device",
                                         "mfu",
                                         "hfu",
                                         "exposed_communication_seconds",
                                         "bubble_seconds",
                                         "memory_bytes",
                                         "usable_memory_bytes",
                                         "binds"};
  std::vector<Column<StepPrediction>> columns;
  for (const Column<StepPrediction>& c : StepSchema().columns) {
    if (std::find(std::begin(kColumns), std::end(kColumns), c.name) !=
        std::end(kColumns))
      columns.push_back(c);
  }
  s.Append(Project<RankedLayout>(
      columns, [](const RankedLayout& r) -> const StepPrediction& {
        return r.prediction;
      }));
  return s;
}

}  // namespace scalesim::perf

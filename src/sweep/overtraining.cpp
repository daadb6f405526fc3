// Overtraining sweep (include/scalesim/sweep/sweep.hpp).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scalesim/core/enum_names.hpp"
#include "scalesim/core/error.hpp"
#include "scalesim/core/validate.hpp"
#include "scalesim/laws/law_columns.hpp"
#include "scalesim/plan/compute_optimal.hpp"
#include "scalesim/plan/design.hpp"
#include "scalesim/plan/inference_optimal.hpp"
#include "scalesim/sweep/sweep.hpp"

namespace scalesim::sweep {
namespace {

std::string Failure(const plan::OptimumResult& r) {
  return std::string(plan::ToString(r.status)) + ": " + r.message;
}

// Fills everything a row derives from its allocation. `proposer`: the
// serving model's shapes, null without options.serving_memory.
void Derive(const laws::Law& law,
            const OvertrainingOptions& options,
            double compute_optimal_loss,
            plan::ArchitectureProposer* proposer,
            OvertrainingRow& row) {
  const plan::Allocation& a = row.allocation;
  row.compute_optimal_loss = compute_optimal_loss;
  row.loss_penalty = a.loss - compute_optimal_loss;
  const plan::OptimumResult same = plan::MinimumCompute(law, {a.loss, {}});
  if (same.ok()) {
    row.compute_for_same_loss = same.allocation.training_flops;
    row.compute_overhead = a.training_flops / row.compute_for_same_loss;
  }
  row.inference_flops_per_token = plan::kInferenceFlopsPerParamToken * a.params;
  row.inference_flops =
      row.inference_flops_per_token * options.inference_tokens;
  row.lifetime_flops = a.training_flops + row.inference_flops;
  if (options.repeated.given()) {
    const laws::Repetition repetition(*law.loss_law(),
                                      options.repeated.effective_data);
    row.repeated = laws::RepeatedAt(*law.loss_law(),
                                    repetition,
                                    a.params,
                                    a.tokens,
                                    options.repeated.unique_tokens.front());
  }
  if (proposer == nullptr) return;
  const plan::ArchitectureProposal p = proposer->Propose(a.params);
  if (!p.found) return;
  model::InferenceMemoryOptions m;
  m.weights = options.serving.weights;
  m.kv_dtype = options.serving.kv_dtype;
  m.context = options.serving.context;
  m.batch = options.serving.batch;
  const model::InferenceMemory mem = model::EstimateInferenceMemory(p.arch, m);
  row.weights_bytes = mem.weights_per_device;
  row.kv_cache_bytes = mem.kv_cache_per_device;
}

OvertrainingRow FailedRow(const laws::Law& law,
                          double budget,
                          double loss,
                          PointKind point,
                          std::string status) {
  OvertrainingRow row;
  row.law = &law;
  row.budget_flops = budget;
  row.target_loss = loss;
  row.point = point;
  row.allocation.params = row.allocation.tokens = kNaN;
  row.allocation.training_flops = kNaN;
  row.status = std::move(status);
  return row;
}

}  // namespace

std::string_view ToString(PointKind kind) {
  constexpr EnumNames<PointKind, 4> kNames{
      {{"grid", PointKind::kGrid},
       {"compute_optimal", PointKind::kComputeOptimal},
       {"inference_optimal", PointKind::kInferenceOptimal},
       {"inference_optimal_same_loss", PointKind::kInferenceOptimalSameLoss}}};
  return EnumName(kind, kNames);
}

SweepSummary Overtraining(
    const std::vector<laws::Law>& laws,
    const OvertrainingOptions& options,
    const std::function<void(const OvertrainingRow&)>& emit) {
  const bool budget_mode = !options.budgets_flops.empty();
  if (budget_mode == !options.target_losses.empty()) {
    throw InvalidInput(InputLocation{"", 0, "flops"},
                       "give either --flops or --target-loss");
  }
  RequirePositive(options.budgets_flops, "flops");
  RequirePositive(options.target_losses, "target_loss");
  if (!(options.inference_tokens >= 0.0) ||
      !std::isfinite(options.inference_tokens)) {
    throw InvalidInput(InputLocation{"", 0, "inference_tokens"},
                       "must be a finite number >= 0");
  }
  options.repeated.Validate();
  if (options.repeated.unique_tokens.size() > 1) {
    throw InvalidInput(
        InputLocation{"", 0, "unique_tokens"},
        "a sweep takes one unique-token budget U, got " +
            std::to_string(options.repeated.unique_tokens.size()));
  }
  const std::vector<double> ratios = LogSpace(options.ratios);
  const std::vector<double>& targets =
      budget_mode ? options.budgets_flops : options.target_losses;

  SweepSummary summary;
  std::vector<OvertrainingRow> rows;
  // rows[0, grid_end) are the grid, already in ratio order; the optima after
  // them are merged in by ratio as the rows are emitted (no row moves).
  std::size_t grid_end = 0;
  const auto flush = [&] {
    const auto ratio = [](const OvertrainingRow& r) {
      return r.allocation.tokens_per_param();
    };
    std::vector<const OvertrainingRow*> optima;
    for (std::size_t i = grid_end; i < rows.size(); ++i)
      optima.push_back(&rows[i]);
    std::stable_sort(
        optima.begin(), optima.end(), [&](const auto* x, const auto* y) {
          return ratio(*x) < ratio(*y);
        });
    std::size_t next = 0;
    const auto send = [&](const OvertrainingRow& r) {
      emit(r);
      ++summary.rows;
      summary.failed_rows += r.status == "ok" ? 0 : 1;
    };
    for (std::size_t i = 0; i < grid_end; ++i) {
      while (next < optima.size() && ratio(*optima[next]) < ratio(rows[i]))
        send(*optima[next++]);
      send(rows[i]);
    }
    while (next < optima.size()) send(*optima[next++]);
    rows.clear();
    grid_end = 0;
  };
  for (const laws::Law& law : laws) {
    const laws::LossLaw* loss_law = law.loss_law();
    if (loss_law == nullptr) {
      summary.skipped_laws.push_back(law.name());
      continue;
    }
    // One proposer per law (its parameter count): the rows' shapes.
    std::optional<plan::ArchitectureProposer> proposer;
    if (options.serving_memory) {
      plan::ArchitectureOptions shape = options.serving.architecture;
      shape.count = law.info().param_count;
      proposer.emplace(shape);
    }
    plan::ArchitectureProposer* shapes = proposer ? &*proposer : nullptr;
    for (double target : targets) {
      const double budget = budget_mode ? target : kNaN;
      const double loss = budget_mode ? kNaN : target;
      const plan::OptimumResult co =
          budget_mode ? plan::ComputeOptimal(law, {target, {}})
                      : plan::MinimumCompute(law, {target, {}});
      if (!co.ok()) {
        rows.push_back(FailedRow(
            law, budget, loss, PointKind::kComputeOptimal, Failure(co)));
        flush();
        continue;
      }
      const double co_loss = co.allocation.loss;
      OvertrainingRow base;
      base.law = &law;
      base.budget_flops = budget;
      base.target_loss = loss;
      for (double r : ratios) {
        OvertrainingRow row = base;
        if (budget_mode) {
          const double n =
              std::sqrt(target / (plan::kTrainingFlopsPerParamToken * r));
          row.allocation.params = n;
          row.allocation.tokens = r * n;
          row.allocation.training_flops = target;
          row.allocation.terms = loss_law->Decompose(n, r * n);
          row.allocation.loss = row.allocation.terms.total();
        } else {
          const plan::OptimumResult at =
              plan::AllocationAtRatio(*loss_law, {r, target, {}});
          if (!at.ok()) {
            OvertrainingRow bad =
                FailedRow(law, budget, loss, PointKind::kGrid, Failure(at));
            bad.allocation.params = 1.0;  // sorts at its ratio
            bad.allocation.tokens = r;
            rows.push_back(std::move(bad));
            continue;
          }
          row.allocation = at.allocation;
        }
        Derive(law, options, co_loss, shapes, row);
        rows.push_back(std::move(row));
      }
      grid_end = rows.size();
      OvertrainingRow opt = base;
      opt.point = PointKind::kComputeOptimal;
      opt.allocation = co.allocation;
      Derive(law, options, co_loss, shapes, opt);
      rows.push_back(std::move(opt));

      plan::InferenceOptimalOptions io;
      io.target_loss = budget_mode ? 0.0 : target;
      io.training_flops = budget_mode ? target : 0.0;
      io.inference_tokens = options.inference_tokens;
      const plan::InferenceOptimalResult inf = plan::InferenceOptimal(law, io);
      // At a fixed loss the inference-optimal model is one more point of
      // the curve; at a fixed budget it is not (it spends more than the
      // budget to reach the compute-optimal loss): a row of its own after
      // the budget's rows.
      const PointKind kind = budget_mode ? PointKind::kInferenceOptimalSameLoss
                                         : PointKind::kInferenceOptimal;
      OvertrainingRow inf_row;
      if (inf.ok()) {
        inf_row = base;
        inf_row.point = kind;
        inf_row.allocation = inf.inference_optimal.training;
        Derive(law, options, co_loss, shapes, inf_row);
      } else {
        inf_row = FailedRow(
            law,
            budget,
            loss,
            kind,
            std::string(plan::ToString(inf.status)) + ": " + inf.message);
        inf_row.allocation.params = 1.0;
        inf_row.allocation.tokens = co.allocation.tokens_per_param();
      }
      if (!budget_mode) rows.push_back(inf_row);
      flush();
      if (budget_mode) {
        emit(inf_row);
        ++summary.rows;
        summary.failed_rows += inf_row.status == "ok" ? 0 : 1;
      }
    }
  }
  return summary;
}

}  // namespace scalesim::sweep

namespace scalesim::sweep {

Schema<OvertrainingRow> OvertrainingSchema(const OvertrainingOptions& o) {
  using R = OvertrainingRow;
  const bool budget_mode = !o.budgets_flops.empty();
  Schema<R> s{"overtraining",
              budget_mode ? "Overtraining at fixed training budgets"
                          : "Overtraining at fixed target losses",
              {},
              [](const R& r) { return r.status == "ok"; }};
  const auto num = [](double R::*f) {
    return [f](const R& r) { return CellValue{r.*f}; };
  };
  const auto alloc = [](double plan::Allocation::*f) {
    return [f](const R& r) { return CellValue{r.allocation.*f}; };
  };
  const double inference_tokens = o.inference_tokens;
  s.columns.push_back(laws::LawNameColumn<R>(true));
  s.columns.push_back(laws::ParamCountColumn<R>(true));
  s.Add("budget_flops", CellKind::kScientific, num(&R::budget_flops), true);
  s.Add("target_loss_nats", CellKind::kReal, num(&R::target_loss), true);
  s.Add(
      "point",
      CellKind::kText,
      [](const R& r) { return CellValue{std::string(ToString(r.point))}; },
      true);
  s.Add("tokens_per_param", CellKind::kReal, [](const R& r) {
    return CellValue{r.allocation.tokens_per_param()};
  });
  s.Add("params", CellKind::kShortCount, alloc(&plan::Allocation::params));
  s.Add("tokens", CellKind::kShortCount, alloc(&plan::Allocation::tokens));
  s.Add("training_flops",
        CellKind::kScientific,
        alloc(&plan::Allocation::training_flops));
  s.Add("loss_nats", CellKind::kReal, alloc(&plan::Allocation::loss));
  s.Add("compute_optimal_loss_nats",
        CellKind::kReal,
        num(&R::compute_optimal_loss));
  s.Add("loss_penalty_nats", CellKind::kReal, num(&R::loss_penalty));
  s.Add("compute_for_same_loss_flops",
        CellKind::kScientific,
        num(&R::compute_for_same_loss));
  s.Add("compute_overhead", CellKind::kReal, num(&R::compute_overhead));
  s.Add("inference_flops_per_token",
        CellKind::kScientific,
        num(&R::inference_flops_per_token));
  s.Add("inference_tokens",
        CellKind::kScientific,
        [inference_tokens](const R&) { return CellValue{inference_tokens}; });
  s.Add("inference_flops", CellKind::kScientific, num(&R::inference_flops));
  s.Add("lifetime_flops", CellKind::kScientific, num(&R::lifetime_flops));
  const auto bytes = [](std::int64_t v) {
    return v >= 0 ? CellValue{v} : CellValue{};
  };
  s.Add("weights_bytes", CellKind::kBytes, [bytes](const R& r) {
    return bytes(r.weights_bytes);
  });
  s.Add("kv_cache_bytes", CellKind::kBytes, [bytes](const R& r) {
    return bytes(r.kv_cache_bytes);
  });
  s.Add("serving_memory_bytes", CellKind::kBytes, [bytes](const R& r) {
    return bytes(r.serving_bytes());
  });
  if (o.repeated.given()) {
    s.Add("repeated_loss_nats", CellKind::kReal, [](const R& r) {
      return r.repeated ? CellValue{r.repeated->loss} : CellValue{};
    });
    s.Append(Project<R>(laws::RepeatedDataColumns(),
                        [](const R& r) -> const laws::RepeatedDataPoint& {
                          static const laws::RepeatedDataPoint kNone;
                          return r.repeated ? *r.repeated : kNone;
                        }));
  }
  s.Add(
      "status",
      CellKind::kText,
      [](const R& r) { return CellValue{r.status}; },
      true);
  return s;
}

double OvertrainingRowCount(const std::vector<laws::Law>& laws,
                            const OvertrainingOptions& o) {
  const bool budget_mode = !o.budgets_flops.empty();
  return static_cast<double>(CountLossLaws(laws)) *
         static_cast<double>(
             (budget_mode ? o.budgets_flops : o.target_losses).size()) *
         (static_cast<double>(o.ratios.points) + 2.0);
}

std::vector<std::string> OvertrainingNotes(const std::vector<laws::Law>& laws,
                                           const OvertrainingOptions& o,
                                           const SweepSummary& summary) {
  const bool budget_mode = !o.budgets_flops.empty();
  std::vector<std::string> notes = CommonNotes(laws, summary);
  notes.push_back(
      budget_mode
          ? "fixed budget: N = sqrt(C / (6 r)), D = r N; loss_penalty = loss "
            "- the compute-optimal loss at C"
          : "fixed loss: N solves L(N, r N) = target (TOMS 748); "
            "compute_overhead = training_flops / the minimum compute for the "
            "target");
  notes.push_back(
      "compute_for_same_loss: training FLOPs of the compute-optimal model "
      "reaching the row's loss (scalesim optimal --target-loss); "
      "compute_overhead = training_flops / compute_for_same_loss");
  notes.push_back(
      budget_mode
          ? "point: compute_optimal = scalesim optimal --flops; the last row "
            "of each budget, inference_optimal_same_loss, is not a point of "
            "the budget: Sardana et al. 2024's model reaching the "
            "compute-optimal loss with the least 6 N D + 2 N D_inf, whose "
            "training FLOPs exceed the budget"
          : "point: compute_optimal = scalesim optimal --target-loss; "
            "inference_optimal = Sardana et al. 2024, minimum 6 N D + 2 N "
            "D_inf at the target loss");
  notes.push_back(
      "inference FLOPs 2 N per token (forward pass); lifetime_flops = 6 N D "
      "+ 2 N D_inf");
  if (o.repeated.given()) {
    std::vector<std::string> assumed_unique;
    std::vector<std::string> transformed;
    for (const laws::Law& law : laws) {
      if (law.loss_law() == nullptr) continue;
      const laws::Repetition r(*law.loss_law(), o.repeated.effective_data);
      if (r.model() == laws::RepetitionModel::kAssumesUnique)
        assumed_unique.push_back(law.name());
      if (r.model() == laws::RepetitionModel::kEffectiveData)
        transformed.push_back(law.name());
    }
    notes.push_back(
        "unique tokens: the row's (N, D) on U = " +
        NumberText(o.repeated.unique_tokens.front()) +
        " unique tokens, epochs = D/U; repeated_loss_nats is its loss with "
        "repetition, effective_params N' and effective_tokens D' what the "
        "law trains as (Muennighoff et al. 2023 Eqs. 5-6), "
        "repetition_penalty_nats = repeated_loss_nats - unique_data_loss_nats "
        "(= loss_nats: every other column is that of unique data)");
    // The shared notes after their first, which describes the loss
    // command's columns (there loss_nats is the loss with repetition).
    const std::vector<std::string> shared =
        laws::RepeatedDataNotes(assumed_unique, transformed, "");
    notes.insert(notes.end(), shared.begin() + 1, shared.end());
  }
  if (o.serving_memory) {
    notes.push_back(
        "serving memory: weights (" +
        std::string(model::ToString(o.serving.weights.dtype)) +
        ") + KV cache (" + std::to_string(model::BitsOf(o.serving.kv_dtype)) +
        " bits, " + std::to_string(o.serving.context) + " tokens x " +
        std::to_string(o.serving.batch) +
        " sequences) of plan's Llama-style model of N parameters (head_dim "
        "128, 8 KV heads, vocab " +
        std::to_string(o.serving.architecture.vocab_size) +
        "); bytes, binary units in tables; empty where no shape is within "
        "2%");
  }
  return notes;
}

}  // namespace scalesim::sweep

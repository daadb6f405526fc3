#include "scalesim/plan/compare.hpp"

#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "scalesim/model/flops.hpp"

#include "solvers.hpp"

namespace scalesim::plan {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

CellValue MaybeReal(double v) {
  return std::isfinite(v) ? CellValue{v} : CellValue{};
}

// Hoffmann et al. 2022 Table 2: N_opt ~ C^a, D_opt ~ C^b as printed.
struct PrintedExponents {
  const char* source;
  double a;
  double b;
};
constexpr PrintedExponents kTable2[] = {
    {"Approach 1 (published)", 0.50, 0.50},
    {"Approach 2 (published)", 0.49, 0.51},
    {"Approach 3 (published)", 0.46, 0.54},
    {"Kaplan et al. 2020 (published)", 0.73, 0.27},
};

ComparedModel Compared(std::string name,
                       double published_params,
                       double tokens,
                       const model::Architecture& arch) {
  return {
      std::move(name), published_params, tokens, model::CountParameters(arch)};
}

// Pearce & Song 2024: the besiroglu2024 optimum from 1e15 to 1e25 FLOPs,
// a decade apart, counted as total and as Kaplan's non-embedding parameters.
std::vector<KaplanCountingRow> KaplanCounting(const laws::Law& law) {
  std::vector<KaplanCountingRow> rows;
  for (const double c :
       {1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22, 1e23, 1e24, 1e25}) {
    const OptimumResult o =
        ComputeOptimal(law, {.training_flops = c, .minimiser = {}});
    if (!o.ok()) continue;
    KaplanCountingRow row{c,
                          o.allocation.params,
                          KaplanNonEmbeddingFromTotal(o.allocation.params),
                          kNaN,
                          kNaN};
    if (!rows.empty()) {
      const KaplanCountingRow& prev = rows.back();
      const double dlnc = std::log(c / prev.training_flops);
      row.local_exponent_total =
          std::log(row.params_total / prev.params_total) / dlnc;
      row.local_exponent_non_embedding =
          std::log(row.params_non_embedding / prev.params_non_embedding) / dlnc;
    }
    rows.push_back(row);
  }
  return rows;
}

}  // namespace

double KaplanNonEmbeddingFromTotal(double total) {
  if (!(total > 0.0) || !std::isfinite(total)) return kNaN;
  // N_T(N_E) - total, increasing in N_E from -total at 0 to > 0 at total.
  auto excess = [total](double n_e) {
    const double d = std::cbrt(kKaplanAspectRatio * n_e / 12.0);
    return n_e + (kKaplanVocab + kKaplanContext) * d - total;
  };
  const internal::ScalarRoot root =
      internal::FindRoot(excess, 0.0, total, MinimiserOptions{});
  return root.converged ? root.x : kNaN;
}

Schema<ComparedModel> ComparedModelSchema() {
  using R = ComparedModel;
  Schema<R> s{"models",
              "Gopher vs Chinchilla (Hoffmann et al. 2022 Table 1; Rae et "
              "al. 2021 Table 1)",
              {},
              nullptr};
  s.Add(
      "model", CellKind::kText, [](const R& r) { return CellValue{r.model}; });
  s.Add("params_published", CellKind::kShortCount, [](const R& r) {
    return CellValue{r.published_params};
  });
  s.Add("tokens", CellKind::kShortCount, [](const R& r) {
    return CellValue{r.tokens};
  });
  s.Add("params_exact_total", CellKind::kCount, [](const R& r) {
    return CellValue{r.counts.total()};
  });
  s.Add("params_exact_non_embedding", CellKind::kCount, [](const R& r) {
    return CellValue{r.counts.non_embedding()};
  });
  s.Add("tokens_per_param", CellKind::kReal, [](const R& r) {
    return CellValue{r.tokens / r.published_params};
  });
  return s;
}

Schema<ComparedFlops> ComparedFlopsSchema() {
  using R = ComparedFlops;
  Schema<R> s{"training_flops",
              "Training FLOPs by convention (sequence length 2048; "
              "published 5.76e23 for both)",
              {},
              nullptr};
  s.Add("convention", CellKind::kText, [](const R& r) {
    return CellValue{r.convention};
  });
  s.Add("gopher_training_flops", CellKind::kScientific, [](const R& r) {
    return CellValue{r.gopher_flops};
  });
  s.Add("chinchilla_training_flops", CellKind::kScientific, [](const R& r) {
    return CellValue{r.chinchilla_flops};
  });
  s.Add("formula", CellKind::kText, [](const R& r) {
    return CellValue{r.formula};
  });
  return s;
}

Schema<ComparedLoss> ComparedLossSchema() {
  using R = ComparedLoss;
  Schema<R> s{
      "predicted_loss", "Predicted loss (lower is better)", {}, nullptr};
  s.Add("law", CellKind::kText, [](const R& r) {
    return CellValue{r.law->name()};
  });
  s.Add("gopher_loss_nats", CellKind::kReal, [](const R& r) {
    return MaybeReal(r.gopher_loss);
  });
  s.Add("chinchilla_loss_nats", CellKind::kReal, [](const R& r) {
    return MaybeReal(r.chinchilla_loss);
  });
  s.Add("chinchilla_minus_gopher_nats", CellKind::kReal, [](const R& r) {
    return MaybeReal(r.chinchilla_loss - r.gopher_loss);
  });
  s.Add("params_used", CellKind::kText, [](const R& r) {
    return CellValue{std::string(r.non_embedding
                                     ? "non-embedding (exact, presets)"
                                     : "total (published 280B / 70B)")};
  });
  s.Add("gopher_in_fitted_range", CellKind::kText, [](const R& r) {
    return CellValue{
        laws::InFittedRange(*r.law, r.gopher_params, kGopherTokens)};
  });
  s.Add("chinchilla_in_fitted_range", CellKind::kText, [](const R& r) {
    return CellValue{
        laws::InFittedRange(*r.law, r.chinchilla_params, kChinchillaTokens)};
  });
  return s;
}

Schema<Table3Row> Table3Schema() {
  using R = Table3Row;
  Schema<R> s{"table3_approach1",
              "Hoffmann et al. Table 3 (Approach 1) recomputed",
              {},
              nullptr};
  s.Add("params", CellKind::kShortCount, [](const R& r) {
    return CellValue{r.published.params};
  });
  s.Add("flops_published", CellKind::kScientific, [](const R& r) {
    return CellValue{r.published.training_flops};
  });
  s.Add("flops_recomputed", CellKind::kScientific, [](const R& r) {
    return CellValue{r.recomputed.training_flops};
  });
  s.Add("tokens_published", CellKind::kShortCount, [](const R& r) {
    return CellValue{r.published.tokens};
  });
  s.Add("tokens_recomputed", CellKind::kShortCount, [](const R& r) {
    return CellValue{r.recomputed.tokens};
  });
  s.Add("flops_ratio", CellKind::kReal, [](const R& r) {
    return CellValue{r.recomputed.training_flops / r.published.training_flops};
  });
  return s;
}

Schema<KaplanCountingRow> KaplanCountingSchema() {
  using R = KaplanCountingRow;
  Schema<R> s{"kaplan_vs_chinchilla",
              "Kaplan vs Chinchilla allocation: Chinchilla-law optimum "
              "counted Kaplan's way",
              {},
              nullptr};
  s.Add("training_flops", CellKind::kScientific, [](const R& r) {
    return CellValue{r.training_flops};
  });
  s.Add("params_total", CellKind::kShortCount, [](const R& r) {
    return CellValue{r.params_total};
  });
  s.Add("params_non_embedding", CellKind::kShortCount, [](const R& r) {
    return MaybeReal(r.params_non_embedding);
  });
  s.Add("local_exponent_total", CellKind::kReal, [](const R& r) {
    return MaybeReal(r.local_exponent_total);
  });
  s.Add("local_exponent_non_embedding", CellKind::kReal, [](const R& r) {
    return MaybeReal(r.local_exponent_non_embedding);
  });
  return s;
}

ChinchillaGopher CompareChinchillaGopher(const model::Architecture& gopher,
                                         const model::Architecture& chinchilla,
                                         const laws::LawRegistry& laws) {
  ChinchillaGopher r;
  r.models.push_back(Compared("gopher", kGopherParams, kGopherTokens, gopher));
  r.models.push_back(
      Compared("chinchilla", kChinchillaParams, kChinchillaTokens, chinchilla));
  const model::ParamBreakdown& gp = r.models[0].counts;
  const model::ParamBreakdown& cp = r.models[1].counts;

  r.flops.push_back({"6nd-published-N",
                     "6 N D with the rounded published N",
                     6.0 * kGopherParams * kGopherTokens,
                     6.0 * kChinchillaParams * kChinchillaTokens});
  model::FlopsOptions fo;
  fo.seq_len = kChinchillaGopherContext;
  const auto g_conv = model::TrainingFlopsByConvention(gopher, fo);
  const auto c_conv = model::TrainingFlopsByConvention(chinchilla, fo);
  for (std::size_t i = 0; i < g_conv.size() && i < c_conv.size(); ++i) {
    r.flops.push_back({std::string(model::ToString(g_conv[i].convention)),
                       g_conv[i].formula,
                       g_conv[i].model_flops_per_token * kGopherTokens,
                       c_conv[i].model_flops_per_token * kChinchillaTokens});
  }

  for (const laws::Law& law : laws.laws()) {
    const laws::LossLaw* l = law.loss_law();
    if (l == nullptr) continue;
    ComparedLoss row;
    row.law = &law;
    row.non_embedding =
        law.info().param_count == laws::ParamCount::kNonEmbedding;
    row.gopher_params = row.non_embedding
                            ? static_cast<double>(gp.non_embedding())
                            : kGopherParams;
    row.chinchilla_params = row.non_embedding
                                ? static_cast<double>(cp.non_embedding())
                                : kChinchillaParams;
    row.gopher_loss = l->Loss(row.gopher_params, kGopherTokens);
    row.chinchilla_loss = l->Loss(row.chinchilla_params, kChinchillaTokens);
    r.losses.push_back(row);
  }

  // The optimum at the shared budget: the rows and exponents of
  // `scalesim optimal --flops 5.76e23`.
  OptimalOptions at_budget;
  at_budget.flops = kChinchillaGopherBudget;
  OptimalReport optimal = Optimal(laws.laws(), at_budget, false);
  for (LawOptimum& o : optimal.allocations) {
    if (o.result.ok()) r.optima.push_back(std::move(o));
  }
  for (ExponentRow& e : optimal.exponents) {
    if (e.exponents.ok()) r.exponents.push_back(std::move(e));
  }
  for (const PrintedExponents& p : kTable2) {
    AllocationExponents e;
    e.method = SolveMethod::kPublishedFrontier;
    e.params_exponent = p.a;
    e.tokens_exponent = p.b;
    r.exponents.push_back({p.source, e});
  }

  if (const laws::Law* a1 = laws.Find("hoffmann2022_approach1")) {
    for (const laws::PublishedOptimum& row : a1->info().published_optima) {
      const OptimumResult o =
          OptimalTokens(*a1, {.params = row.params, .minimiser = {}});
      if (o.ok()) r.table3.push_back({row, o.allocation});
    }
  }

  if (const laws::Law* chin = laws.Find("besiroglu2024")) {
    r.kaplan_counting = KaplanCounting(*chin);
    r.notes.push_back(
        "Kaplan vs Chinchilla (after Pearce & Song 2024): Kaplan et al. "
        "fitted non-embedding parameters of models up to ~1e9 parameters "
        "(budgets below ~1e20 FLOPs). Counting the besiroglu2024 optimum "
        "Kaplan's way (GPT-2 vocabulary 50,257 tied, 1,024 positions, aspect "
        "ratio d_model/n_layers = 64 assumed) makes the local exponent of "
        "N_opt steeper at small budgets, toward Kaplan's 0.73, and it relaxes "
        "to the Chinchilla exponent at large budgets where embeddings are a "
        "negligible share. Kaplan's other differences (learning-rate schedule "
        "not matched to run length, C_min) are not modelled here.");
  }
  r.notes.insert(r.notes.end(), optimal.notes.begin(), optimal.notes.end());
  r.notes.push_back(laws::InFittedRangeNote());
  r.notes.push_back(
      "FLOPs per convention use each model's exact preset architecture "
      "(data/models/deepmind.json) at sequence length 2048; losses use the "
      "published N for laws that count total parameters and the exact "
      "non-embedding count for Kaplan's");
  r.notes.push_back(
      "Hoffmann et al. 2022 Sec. 4.1: Chinchilla outperforms Gopher at the "
      "same 5.76e23 FLOPs; with the printed Approach 3 constants the "
      "predicted losses are 1.937 vs 1.993");
  return r;
}

}  // namespace scalesim::plan

// Published comparisons recomputed: Hoffmann et al. 2022's Chinchilla vs
// Gopher under every FLOPs convention and loss law, its Tables 2 and 3, and
// the Kaplan-vs-Chinchilla counting argument of Pearce & Song 2024. Each
// table has its schema (core/schema.hpp); `scalesim compare` prints them and
// results/chinchilla_gopher.* and table3.csv are their committed output.
#ifndef SCALESIM_PLAN_COMPARE_HPP_
#define SCALESIM_PLAN_COMPARE_HPP_

#include <string>
#include <vector>

#include "scalesim/core/schema.hpp"
#include "scalesim/laws/law.hpp"
#include "scalesim/model/architecture.hpp"
#include "scalesim/model/params.hpp"
#include "scalesim/plan/compute_optimal.hpp"
#include "scalesim/plan/optimal_report.hpp"

namespace scalesim::plan {

// Hoffmann et al. 2022 Sec. 4 and Table 1 / Rae et al. 2021 Table 1: both
// models were trained with the same 5.76e23 FLOPs at context 2048
// (Rae et al. 2021 Sec. 3).
inline constexpr double kGopherParams = 280e9;
inline constexpr double kGopherTokens = 300e9;
inline constexpr double kChinchillaParams = 70e9;
inline constexpr double kChinchillaTokens = 1.4e12;
inline constexpr double kChinchillaGopherBudget = 5.76e23;
inline constexpr std::int64_t kChinchillaGopherContext = 2048;

// Pearce & Song 2024 ("Reconciling Kaplan and Chinchilla scaling laws"):
// Kaplan counted the non-embedding parameters of a GPT-2-style model
// (vocabulary 50,257 tied, 1,024 learned positions), N_E = 12 L d^2, with
// total N_T = N_E + (V + n_ctx) d. The aspect ratio d/L = 64 is our
// assumption (printed in the notes).
inline constexpr double kKaplanVocab = 50257.0;
inline constexpr double kKaplanContext = 1024.0;
inline constexpr double kKaplanAspectRatio = 64.0;

// The non-embedding count N_E of the GPT-2-style model above whose total is
// `total` (TOMS 748 on the increasing N_T(N_E)); NaN when `total` is not
// positive and finite.
double KaplanNonEmbeddingFromTotal(double total);

struct ComparedModel {
  std::string model;  // gopher, chinchilla
  double published_params = 0.0;
  double tokens = 0.0;
  model::ParamBreakdown counts;  // of the exact preset
};
// model, params_published, tokens, params_exact_total,
// params_exact_non_embedding, tokens_per_param.
Schema<ComparedModel> ComparedModelSchema();

struct ComparedFlops {
  std::string convention;
  std::string formula;
  double gopher_flops = 0.0;
  double chinchilla_flops = 0.0;
};
// convention, gopher_training_flops, chinchilla_training_flops, formula.
Schema<ComparedFlops> ComparedFlopsSchema();

struct ComparedLoss {
  const laws::Law* law = nullptr;
  bool non_embedding = false;  // the law counts non-embedding parameters
  double gopher_params = 0.0;  // as fed to the law
  double chinchilla_params = 0.0;
  double gopher_loss = 0.0;
  double chinchilla_loss = 0.0;
};
// law, gopher_loss_nats, chinchilla_loss_nats, chinchilla_minus_gopher_nats,
// params_used, gopher_in_fitted_range, chinchilla_in_fitted_range.
Schema<ComparedLoss> ComparedLossSchema();

// A row of Hoffmann et al. 2022 Table 3 beside the Approach 1 frontier's
// answer for its model size.
struct Table3Row {
  laws::PublishedOptimum published;
  Allocation recomputed;
};
// params, flops_published, flops_recomputed, tokens_published,
// tokens_recomputed, flops_ratio.
Schema<Table3Row> Table3Schema();

// The besiroglu2024 optimum at one budget counted both ways, with the local
// exponent d ln N / d ln C from the previous budget (NaN on the first).
struct KaplanCountingRow {
  double training_flops = 0.0;
  double params_total = 0.0;
  double params_non_embedding = 0.0;
  double local_exponent_total = 0.0;
  double local_exponent_non_embedding = 0.0;
};
// training_flops, params_total, params_non_embedding, local_exponent_total,
// local_exponent_non_embedding.
Schema<KaplanCountingRow> KaplanCountingSchema();

struct ChinchillaGopher {
  std::vector<ComparedModel> models;
  std::vector<ComparedFlops> flops;
  std::vector<ComparedLoss> losses;
  std::vector<LawOptimum> optima;      // at 5.76e23 FLOPs
  std::vector<ExponentRow> exponents;  // recomputed, then Table 2 as printed
  std::vector<Table3Row> table3;       // empty without hoffmann2022_approach1
  std::vector<KaplanCountingRow>
      kaplan_counting;  // empty without besiroglu2024
  std::vector<std::string> notes;
};

// The comparison for the exact Gopher and Chinchilla architectures
// (data/models/deepmind.json) under every law of `laws` (rows point into it;
// it must outlive the result).
ChinchillaGopher CompareChinchillaGopher(const model::Architecture& gopher,
                                         const model::Architecture& chinchilla,
                                         const laws::LawRegistry& laws);

}  // namespace scalesim::plan

#endif  // SCALESIM_PLAN_COMPARE_HPP_

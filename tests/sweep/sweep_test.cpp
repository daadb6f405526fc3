// Sweeps row by row against the single-point functions they stand for
// (plan::ComputeOptimal, MinimumCompute, InferenceOptimal, LossLaw::Loss,
// model::CountParameters) and against published numbers.
#include "scalesim/sweep/sweep.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "scalesim/core/error.hpp"
#include "scalesim/io/architecture_io.hpp"
#include "scalesim/io/law_io.hpp"
#include "scalesim/model/params.hpp"
#include "scalesim/plan/compute_optimal.hpp"
#include "scalesim/plan/inference_optimal.hpp"

namespace scalesim::sweep {
namespace {

// Sums and products of a few doubles: a few ulps.
constexpr double kRoundoff = 1e-12;
// TOMS 748 solves L(N, rN) = l to near machine precision in ln N.
constexpr double kRootTolerance = 1e-10;
// Golden values printed to four significant digits.
constexpr double kFourSignificantDigits = 5e-4;

double Rel(double value, double expected) {
  return std::fabs(value / expected - 1.0);
}

const laws::Law& Builtin(const std::string& name) {
  const laws::Law* law = io::BuiltinLaws().Find(name);
  EXPECT_NE(law, nullptr) << name;
  return *law;
}

std::vector<laws::Law> Laws(std::initializer_list<const char*> names) {
  std::vector<laws::Law> out;
  for (const char* n : names) out.push_back(Builtin(n));
  return out;
}

std::string FieldOf(const InvalidInput& e) { return e.where().field; }

TEST(LogSpaceTest, EndsExactAndGeometric) {
  const std::vector<double> v = LogSpace({1.0, 1e4, 5});
  ASSERT_EQ(v.size(), 5U);
  EXPECT_EQ(v.front(), 1.0);
  EXPECT_EQ(v.back(), 1e4);
  for (std::size_t i = 1; i < v.size(); ++i)
    EXPECT_NEAR(v[i] / v[i - 1], 10.0, 10.0 * kRoundoff);
  EXPECT_EQ(LogSpace({3.0, 3.0, 1}), std::vector<double>{3.0});
}

TEST(LogSpaceTest, BadRangesNameTheirFlag) {
  const auto field = [](LogRange r) {
    try {
      LogSpace(r);
    } catch (const InvalidInput& e) {
      return FieldOf(e);
    }
    return std::string("no error");
  };
  EXPECT_EQ(field({10.0, 1.0, 5, "--ratio-min", "--ratio-max", "--points"}),
            "--ratio-min");  // min > max
  EXPECT_EQ(field({1.0, 10.0, 0, "--ratio-min", "--ratio-max", "--points"}),
            "--points");  // zero points
  EXPECT_EQ(field({0.0, 10.0, 5, "--ratio-min", "--ratio-max", "--points"}),
            "--ratio-min");  // ratio <= 0
  EXPECT_EQ(field({1.0, -1.0, 5, "--ratio-min", "--ratio-max", "--points"}),
            "--ratio-max");
  EXPECT_EQ(field({1.0, INFINITY, 5, "--ratio-min", "--ratio-max", "--points"}),
            "--ratio-max");
  EXPECT_EQ(field({1.0, 2.0, 1, "--ratio-min", "--ratio-max", "--points"}),
            "--points");  // one point needs min == max
  EXPECT_EQ(field({1.0, 2.0, kMaxRangePoints + 1, "a", "b", "--points"}),
            "--points");
}

TEST(IntegerListTest, ListsAndRanges) {
  EXPECT_EQ(ParseIntegerList("4:16:4,32", "--layers"),
            (std::vector<std::int64_t>{4, 8, 12, 16, 32}));
  EXPECT_EQ(ParseIntegerList("3:5", "--layers"),
            (std::vector<std::int64_t>{3, 4, 5}));
  EXPECT_EQ(ParseIntegerList("7", "--layers"), std::vector<std::int64_t>{7});
  EXPECT_EQ(ParseIntegerList("1:10:4", "--layers"),
            (std::vector<std::int64_t>{1, 5, 9}));
  for (const char* bad :
       {"", "a", "4,", "0", "-3", "8:4", "1:5:0", "1.5", "2:x"}) {
    SCOPED_TRACE(bad);
    try {
      ParseIntegerList(bad, "--layers");
      ADD_FAILURE() << "accepted";
    } catch (const InvalidInput& e) {
      EXPECT_EQ(FieldOf(e), "--layers");
    }
  }
}

std::vector<OvertrainingRow> Collect(const std::vector<laws::Law>& laws,
                                     const OvertrainingOptions& o) {
  std::vector<OvertrainingRow> rows;
  Overtraining(laws, o, [&](const OvertrainingRow& r) { rows.push_back(r); });
  return rows;
}

TEST(OvertrainingTest, FixedBudgetRowsAreIsoFlopAndMatchTheLaw) {
  const std::vector<laws::Law> laws =
      Laws({"hoffmann2022_approach3", "kaplan2020", "besiroglu2024"});
  OvertrainingOptions o;
  o.budgets_flops = {1e21, 1e23};
  o.ratios = {1.0, 1e4, 9};
  o.inference_tokens = 2e12;
  const std::vector<OvertrainingRow> rows = Collect(laws, o);
  // 3 laws x 2 budgets x (9 grid + compute- and inference-optimal).
  ASSERT_EQ(rows.size(), 3U * 2U * 11U);
  for (const OvertrainingRow& r : rows) {
    SCOPED_TRACE(r.law->name() + " " + std::string(ToString(r.point)));
    ASSERT_EQ(r.status, "ok");
    const plan::Allocation& a = r.allocation;
    EXPECT_NEAR(a.loss, r.law->loss_law()->Loss(a.params, a.tokens), kRoundoff);
    EXPECT_NEAR(r.lifetime_flops,
                6.0 * a.params * a.tokens + 2.0 * a.params * 2e12,
                r.lifetime_flops * kRoundoff);
    EXPECT_EQ(r.inference_flops_per_token, 2.0 * a.params);
    const plan::OptimumResult co =
        plan::ComputeOptimal(*r.law, {r.budget_flops, {}});
    EXPECT_EQ(r.compute_optimal_loss, co.allocation.loss);
    if (r.point == PointKind::kInferenceOptimalSameLoss) {
      // Not a point of the budget: the compute-optimal loss reached at the
      // lowest lifetime cost, with more training FLOPs than the budget.
      EXPECT_GT(a.training_flops, r.budget_flops);
      EXPECT_NEAR(a.loss, co.allocation.loss, kRoundoff);
      continue;
    }
    EXPECT_NE(r.point, PointKind::kInferenceOptimal);  // fixed-loss mode only
    EXPECT_NEAR(
        6.0 * a.params * a.tokens, r.budget_flops, r.budget_flops * kRoundoff);
    // No ratio beats the compute-optimal one at the same budget.
    EXPECT_GE(r.loss_penalty, -kRoundoff);
    EXPECT_GE(r.compute_overhead, 1.0 - 1e-9);
    const plan::OptimumResult same = plan::MinimumCompute(*r.law, {a.loss, {}});
    EXPECT_EQ(r.compute_for_same_loss, same.allocation.training_flops);
    if (r.point == PointKind::kComputeOptimal) {
      EXPECT_EQ(a.params, co.allocation.params);
      EXPECT_EQ(a.tokens, co.allocation.tokens);
      EXPECT_EQ(r.loss_penalty, 0.0);
    }
  }
  // Rows of one (law, budget) are sorted by ratio, the optimum among them;
  // the inference-optimal row of the same loss comes last, on its own.
  for (std::size_t i = 1; i < rows.size(); ++i) {
    if (rows[i].law == rows[i - 1].law &&
        rows[i].budget_flops == rows[i - 1].budget_flops &&
        rows[i].point != PointKind::kInferenceOptimalSameLoss) {
      EXPECT_LE(rows[i - 1].allocation.tokens_per_param(),
                rows[i].allocation.tokens_per_param() * (1 + 1e-9));
    }
    if (rows[i - 1].point == PointKind::kInferenceOptimalSameLoss) {
      EXPECT_TRUE(rows[i].law != rows[i - 1].law ||
                  rows[i].budget_flops != rows[i - 1].budget_flops);
    }
  }
}

TEST(OvertrainingTest, FixedLossReproducesSardana) {
  // golden-numbers.md (Sardana et al. 2024): l = 1.947, D_inf = 2e12 ->
  // inference-optimal N 2.418e10, D 2.657e12; Chinchilla-style N 3.408e10,
  // D 1.810e12.
  OvertrainingOptions o;
  o.target_losses = {1.947};
  o.ratios = {1.0, 1e4, 81};
  o.inference_tokens = 2e12;
  const std::vector<OvertrainingRow> rows = Collect(Laws({"sardana2024"}), o);
  ASSERT_EQ(rows.size(), 83U);
  const OvertrainingRow* inf = nullptr;
  const OvertrainingRow* co = nullptr;
  for (const OvertrainingRow& r : rows) {
    ASSERT_EQ(r.status, "ok");
    EXPECT_NEAR(r.allocation.loss, 1.947, kRootTolerance);
    EXPECT_NEAR(r.loss_penalty, 0.0, kRootTolerance);
    if (r.point == PointKind::kInferenceOptimal) inf = &r;
    if (r.point == PointKind::kComputeOptimal) co = &r;
  }
  ASSERT_NE(inf, nullptr);
  ASSERT_NE(co, nullptr);
  EXPECT_LT(Rel(inf->allocation.params, 2.418e10), kFourSignificantDigits);
  EXPECT_LT(Rel(inf->allocation.tokens, 2.657e12), kFourSignificantDigits);
  EXPECT_LT(Rel(co->allocation.params, 3.408e10), kFourSignificantDigits);
  EXPECT_LT(Rel(co->allocation.tokens, 1.810e12), kFourSignificantDigits);
  // The inference-optimal row minimises lifetime FLOPs over every ratio, and
  // the compute-optimal row minimises training FLOPs.
  for (const OvertrainingRow& r : rows) {
    EXPECT_GE(r.lifetime_flops, inf->lifetime_flops * (1 - 1e-9));
    EXPECT_GE(r.allocation.training_flops,
              co->allocation.training_flops * (1 - 1e-9));
  }
  EXPECT_NEAR(co->compute_overhead, 1.0, 1e-9);
}

TEST(OvertrainingTest, ServingMemoryIsTheProposedModels) {
  OvertrainingOptions o;
  o.budgets_flops = {1e23};
  o.ratios = {20.0, 20.0, 1};
  const std::vector<OvertrainingRow> rows =
      Collect(Laws({"hoffmann2022_approach3"}), o);
  ASSERT_FALSE(rows.empty());
  const OvertrainingRow& r = rows.front();
  plan::ArchitectureOptions a;
  a.target_params = r.allocation.params;
  const plan::ArchitectureProposal p = plan::ProposeArchitecture(a);
  ASSERT_TRUE(p.found);
  const std::int64_t total = model::CountParameters(p.arch).total();
  EXPECT_EQ(r.weights_bytes, 2 * total);  // bf16
  EXPECT_EQ(r.kv_cache_bytes, model::KvCacheBytesPerToken(p.arch) * 4096);
  EXPECT_EQ(r.serving_bytes(), r.weights_bytes + r.kv_cache_bytes);
}

TEST(OvertrainingTest, UnreachableLossIsARowStatus) {
  OvertrainingOptions o;
  o.target_losses = {1.0};  // below Approach 3's E = 1.69
  const std::vector<OvertrainingRow> rows =
      Collect(Laws({"hoffmann2022_approach3"}), o);
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_NE(rows[0].status.find("unreachable"), std::string::npos);
}

TEST(OvertrainingTest, UniqueTokensReproduceMuennighoff) {
  // Muennighoff et al. 2023 Fig. 1: 6.34e9 parameters on 242e9 tokens of
  // 25e9 unique ones (9.68 epochs), L = 2.2256440889984477 (the
  // huggingface/datablations README), at the budget C = 6 N D and the
  // ratio D/N of that run.
  const double n = 6.34e9;
  const double d = 242e9;
  OvertrainingOptions o;
  o.budgets_flops = {6.0 * n * d};
  o.ratios = {d / n, d / n, 1};
  o.serving_memory = false;
  o.repeated.unique_tokens = {25e9};
  const std::vector<laws::Law> laws =
      Laws({"muennighoff2023", "hoffmann2022_approach3"});
  const std::vector<OvertrainingRow> rows = Collect(laws, o);
  const auto it = std::find_if(rows.begin(), rows.end(), [](const auto& r) {
    return r.point == PointKind::kGrid && r.law->name() == "muennighoff2023";
  });
  ASSERT_NE(it, rows.end());
  const OvertrainingRow& grid = *it;
  ASSERT_TRUE(grid.repeated.has_value());
  // N = sqrt(C/(6r)) rounds: a few ulps in N move L by less than 1e-12.
  EXPECT_LT(Rel(grid.repeated->loss, 2.2256440889984477), kRoundoff);
  EXPECT_LT(Rel(grid.repeated->epochs, 9.68), kRoundoff);
  // The other columns stay those of unique data; the penalty is the
  // difference.
  EXPECT_EQ(grid.repeated->unique_data_loss, grid.allocation.loss);
  EXPECT_GT(grid.repeated->penalty(), 0.0);
  for (const OvertrainingRow& r : rows) {
    ASSERT_TRUE(r.repeated.has_value());
    EXPECT_EQ(r.repeated->unique_tokens, 25e9);
    if (r.law->name() == "hoffmann2022_approach3") {
      // No repetition model: the loss of unique data, the penalty unknown.
      EXPECT_EQ(r.repeated->model, laws::RepetitionModel::kAssumesUnique);
      EXPECT_TRUE(std::isnan(r.repeated->penalty()));
    }
  }
  // With the effective-data transform Approach 3 pays a penalty too.
  o.repeated.effective_data = true;
  for (const OvertrainingRow& r : Collect(laws, o))
    EXPECT_GT(r.repeated->penalty(), 0.0) << r.law->name();
}

TEST(OvertrainingTest, BadInputThrows) {
  OvertrainingOptions o;
  EXPECT_THROW(Collect(Laws({"sardana2024"}), o), InvalidInput);  // no target
  o.budgets_flops = {-1.0};
  EXPECT_THROW(Collect(Laws({"sardana2024"}), o), InvalidInput);
  o.budgets_flops = {1e21};
  o.inference_tokens = -1.0;
  EXPECT_THROW(Collect(Laws({"sardana2024"}), o), InvalidInput);
  o.inference_tokens = 0.0;
  o.repeated.effective_data = true;  // without U
  EXPECT_THROW(Collect(Laws({"sardana2024"}), o), InvalidInput);
  o.repeated.unique_tokens = {1e9, 2e9};  // a sweep takes one U
  try {
    Collect(Laws({"sardana2024"}), o);
    ADD_FAILURE() << "two unique-token budgets accepted";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(FieldOf(e), "unique_tokens");
  }
}

TEST(BudgetTest, RowsAreComputeOptimal) {
  const laws::LawRegistry& reg = io::BuiltinLaws();
  const std::vector<laws::Law>& all = reg.laws();
  BudgetOptions o;
  o.budgets = {1e18, 1e27, 10};
  std::vector<BudgetRow> rows;
  Budget(all, o, [&](const BudgetRow& r) { rows.push_back(r); });
  // Every law at every budget, plus Kaplan's published allocation.
  ASSERT_EQ(rows.size(), 10U * (all.size() + 1U));
  for (const BudgetRow& r : rows) {
    SCOPED_TRACE(r.label);
    ASSERT_TRUE(r.result.ok());
    const bool published = r.label.find("published") != std::string::npos;
    const plan::OptimumResult expect =
        published ? plan::PublishedAllocation(*r.law, {r.budget_flops, {}})
                  : plan::ComputeOptimal(*r.law, {r.budget_flops, {}});
    EXPECT_EQ(r.result.allocation.params, expect.allocation.params);
    EXPECT_EQ(r.result.allocation.tokens, expect.allocation.tokens);
  }
  // golden-numbers.md: Approach 3 N* at the Gopher budget 5.76e23 is
  // ~32.2e9 with the printed constants and ~40.4e9 unrounded (0.05e9).
  std::vector<BudgetRow> gopher;
  Budget(Laws({"hoffmann2022_approach3", "hoffmann2022_approach3_unrounded"}),
         {{5.76e23, 5.76e23, 1}},
         [&](const BudgetRow& r) { gopher.push_back(r); });
  ASSERT_EQ(gopher.size(), 2U);
  EXPECT_NEAR(gopher[0].result.allocation.params / 1e9, 32.2, 0.05);
  EXPECT_NEAR(gopher[1].result.allocation.params / 1e9, 40.4, 0.05);
}

TEST(IsoflopTest, OptimumIsTheMinimumOfEachCurve) {
  IsoflopOptions o;
  o.budgets_flops = {6e18, 1e21};
  o.span = 10.0;
  o.points = 21;
  std::vector<IsoflopRow> rows;
  const SweepSummary s =
      Isoflop(Laws({"hoffmann2022_approach3", "hoffmann2022_approach1"}),
              o,
              [&](const IsoflopRow& r) { rows.push_back(r); });
  EXPECT_EQ(s.skipped_laws, std::vector<std::string>{"hoffmann2022_approach1"});
  ASSERT_EQ(rows.size(), 2U * 22U);
  for (double c : o.budgets_flops) {
    double best = INFINITY;
    double optimum = NAN;
    double previous_params = 0.0;
    for (const IsoflopRow& r : rows) {
      if (r.budget_flops != c) continue;
      EXPECT_NEAR(
          6.0 * r.allocation.params * r.allocation.tokens, c, c * kRoundoff);
      EXPECT_GE(r.allocation.params, previous_params);  // ordered by N
      previous_params = r.allocation.params;
      best = std::min(best, r.allocation.loss);
      if (r.point == PointKind::kComputeOptimal) optimum = r.allocation.loss;
    }
    // The optimum is the curve's minimum (a grid point at N* itself can
    // round a few ulps lower on the flat bottom).
    EXPECT_LE(optimum, best * (1 + kRoundoff));
  }
  o.span = 1.0;
  EXPECT_THROW(Isoflop({}, o, [](const IsoflopRow&) {}), InvalidInput);
}

TEST(LossGridTest, EveryCellIsTheLaw) {
  LossGridOptions o;
  o.params = {1e8, 1e10, 3};
  o.tokens = {1e9, 1e12, 4};
  std::vector<LossGridRow> rows;
  const std::vector<laws::Law> laws = Laws({"kaplan2020", "besiroglu2024"});
  LossGrid(laws, o, [&](const LossGridRow& r) { rows.push_back(r); });
  ASSERT_EQ(rows.size(), 2U * 3U * 4U);
  for (const LossGridRow& r : rows) {
    EXPECT_EQ(r.terms.total(), r.law->loss_law()->Loss(r.params, r.tokens));
  }
}

TEST(ArchGridTest, Llama2ShapeIsExact) {
  ArchGridOptions o;
  o.base = io::LoadPreset("llama2-7b");
  o.layers = {16, 32};
  o.d_models = {4096, 4100};
  o.kv_heads = {32, 8, 3};
  o.d_ff_multiple_of = 1;
  o.training.seq_len = 4096;
  o.inference.context = 4096;
  std::vector<ArchGridRow> rows;
  const SweepSummary s =
      ArchGrid(o, [&](const ArchGridRow& r) { rows.push_back(r); });
  ASSERT_EQ(rows.size(), 2U * 2U * 3U);
  // d_model 4100 (not a multiple of 128) and 3 KV heads are not shapes.
  EXPECT_EQ(s.failed_rows, 2 * (3 + 1));
  const ArchGridRow* llama = nullptr;
  for (const ArchGridRow& r : rows) {
    if (r.arch.n_layers == 32 && r.arch.d_model == 4096 &&
        r.arch.n_kv_heads == 32 && r.status == "ok")
      llama = &r;
  }
  ASSERT_NE(llama, nullptr);
  // Llama-2-7B, HF num_parameters() (shared/reference/golden-numbers.md).
  EXPECT_EQ(llama->params, 6'738'415'616);
  EXPECT_EQ(llama->arch.d_ff, 11008);
  // KV cache 524,288 bytes per token at 16 bits (memory.hpp), 4096 tokens.
  EXPECT_EQ(llama->kv_cache_bytes, 524'288LL * 4096);
  EXPECT_EQ(llama->inference_memory_bytes,
            2 * 6'738'415'616LL + 524'288LL * 4096);
  EXPECT_GT(llama->training_memory_bytes, 16 * 6'738'415'616LL);
  for (const ArchGridRow& r : rows) {
    if (r.status == "ok") {
      EXPECT_EQ(r.params, model::CountParameters(r.arch).total());
    } else {
      EXPECT_EQ(r.status.rfind("skipped:", 0), 0U) << r.status;
    }
  }
  o.d_models = {4100};
  EXPECT_THROW(ArchGrid(o, [](const ArchGridRow&) {}), InvalidInput);
}

}  // namespace
}  // namespace scalesim::sweep

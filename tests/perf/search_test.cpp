// The fastest layout that fits (perf/search.hpp).
#include "scalesim/perf/search.hpp"

#include <string>

#include <gtest/gtest.h>

#include "scalesim/core/error.hpp"
#include "scalesim/io/hardware_io.hpp"

#include "perf/published_runs.hpp"

namespace scalesim::perf {
namespace {

const model::Device& H100() {
  static const model::Device d = io::FindDevice(io::LoadCatalog(), "h100-sxm");
  return d;
}

// Llama 2 70B (GQA 8) on 64 H100 at 128 sequences of 4,096 tokens: NeMo
// 24.12's pretraining row (TP 4, PP 4, VP 20, FP8).
model::Architecture Llama70b() {
  model::Architecture a =
      testing::LlamaBlock("llama2-70b", 80, 8192, 64, 28672, 32000, 4096);
  a.n_kv_heads = 8;
  return a;
}

StepOptions Llama70bRun() {
  StepOptions o;
  o.devices = 64;
  o.global_batch = 128;
  o.memory.seq_len = 4096;
  return o;
}

TEST(SearchTest, RanksFittingLayoutsFastestFirst) {
  const SearchResult r =
      SearchLayouts(Llama70b(), H100(), Llama70bRun(), SearchOptions{});
  ASSERT_EQ(r.status, SearchStatus::kOk);
  ASSERT_EQ(r.best.size(), 5U);
  EXPECT_GT(r.candidates, 10'000);  // issue 15's benchmark size
  EXPECT_GT(r.fitting, 0);
  EXPECT_LT(r.fitting, r.candidates);
  for (std::size_t i = 0; i < r.best.size(); ++i) {
    const StepPrediction& p = r.best[i].prediction;
    EXPECT_EQ(r.best[i].rank, static_cast<std::int64_t>(i) + 1);
    EXPECT_TRUE(p.fits);
    EXPECT_LE(p.memory.most_loaded.total(), r.usable_memory_bytes);
    EXPECT_EQ(p.layout.devices, 64);
    EXPECT_EQ(p.layout.global_batch, 128);
    if (i > 0) {
      EXPECT_LE(r.best[i - 1].prediction.step_seconds, p.step_seconds);
    }
  }
  // The best is what the step model says of its layout, and no slower than
  // NeMo's published recipe (in bf16 here).
  const Layout& best = r.best[0].prediction.layout;
  StepOptions o = Llama70bRun();
  o.memory.tensor_parallel = best.tp;
  o.memory.pipeline_parallel = best.pp;
  o.virtual_stages = best.vp;
  o.context_parallel = best.cp;
  o.memory.sequence_parallel = best.sequence_parallel;
  o.memory.states.zero_stage = best.zero;
  o.memory.micro_batch = best.micro_batch;
  o.memory.recompute = best.recompute;
  EXPECT_DOUBLE_EQ(PredictStep(Llama70b(), H100(), o).step_seconds,
                   r.best[0].prediction.step_seconds);
  StepOptions nemo = Llama70bRun();
  nemo.memory.tensor_parallel = 4;
  nemo.memory.pipeline_parallel = 4;
  nemo.virtual_stages = 20;
  nemo.memory.sequence_parallel = true;
  nemo.memory.states.zero_stage = 1;
  const StepPrediction recipe = PredictStep(Llama70b(), H100(), nemo);
  ASSERT_TRUE(recipe.fits);
  EXPECT_LE(r.best[0].prediction.step_seconds, recipe.step_seconds);
}

TEST(SearchTest, NothingFitsIsAStatus) {
  StepOptions o = Llama70bRun();
  o.devices = 1;
  o.global_batch = 1;
  const SearchResult r = SearchLayouts(Llama70b(), H100(), o, SearchOptions{});
  EXPECT_EQ(r.status, SearchStatus::kNoneFits);
  EXPECT_TRUE(r.best.empty());
  EXPECT_GT(r.candidates, 0);
}

TEST(SearchTest, NeedsDevicesAndABatch) {
  auto field_of = [](const StepOptions& o) {
    try {
      SearchLayouts(Llama70b(), H100(), o, SearchOptions{});
    } catch (const InvalidInput& e) {
      return e.where().field;
    }
    return std::string("no error");
  };
  StepOptions o = Llama70bRun();
  o.devices = 0;
  EXPECT_EQ(field_of(o), "devices");
  o = Llama70bRun();
  o.global_batch = 0;
  EXPECT_EQ(field_of(o), "global_batch");
}

}  // namespace
}  // namespace scalesim::perf

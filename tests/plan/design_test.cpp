#include "scalesim/plan/design.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "scalesim/model/params.hpp"

namespace scalesim::plan {
namespace {

// Issue 4: the proposed architecture's exact count is within 2% of N*.
constexpr double kTolerance = 0.02;

// heads_multiple 8: every proposal has a head count tensor parallelism
// over an 8-GPU node divides (162B's best shape otherwise has 99 heads).
TEST(ProposeArchitectureTest, HeadsMultipleOfEight) {
  for (double n : {7e9, 3.5e10, 1.62e11, 4e11}) {
    ArchitectureOptions o;
    o.target_params = n;
    o.heads_multiple = 8;
    const ArchitectureProposal p = ProposeArchitecture(o);
    ASSERT_TRUE(p.found) << n;
    EXPECT_EQ(p.arch.n_heads % 8, 0) << n;
    EXPECT_LE(std::fabs(p.relative_error), o.tolerance) << n;
  }
  ArchitectureOptions any;
  any.target_params = 1.62e11;
  EXPECT_EQ(ProposeArchitecture(any).arch.n_heads, 99);
}

TEST(ProposeArchitectureTest, ExactCountWithinTwoPercentAcrossScales) {
  for (double n = 1e8; n <= 2e12; n *= 1.7) {
    ArchitectureOptions o;
    o.target_params = n;
    const ArchitectureProposal p = ProposeArchitecture(o);
    ASSERT_TRUE(p.found) << n << ": " << p.message;
    const auto exact =
        static_cast<double>(model::CountParameters(p.arch).total());
    EXPECT_EQ(static_cast<double>(p.params), exact);
    EXPECT_LE(std::fabs(exact - n) / n, kTolerance) << n;
    EXPECT_EQ(p.arch.d_model % 128, 0);
    EXPECT_EQ(p.arch.d_ff % 256, 0);
    EXPECT_EQ(p.arch.n_heads % p.arch.kv_heads(), 0);
    const double aspect = static_cast<double>(p.arch.d_model) /
                          static_cast<double>(p.arch.n_layers);
    EXPECT_GT(aspect, 20.0)
        << n;  // Kaplan et al. 2020 Fig. 5: flat for ~20..200
    EXPECT_LT(aspect, 260.0) << n;
  }
}

TEST(ProposeArchitectureTest, NonEmbeddingTargetsMatchTheNonEmbeddingCount) {
  ArchitectureOptions o;
  o.target_params = 1.3e9;
  o.count = laws::ParamCount::kNonEmbedding;
  const ArchitectureProposal p = ProposeArchitecture(o);
  ASSERT_TRUE(p.found);
  const auto exact =
      static_cast<double>(model::CountParameters(p.arch).non_embedding());
  EXPECT_LE(std::fabs(exact - 1.3e9) / 1.3e9, kTolerance);
}

TEST(ProposeArchitectureTest, TinyTargetBelowTheEmbeddingIsReported) {
  ArchitectureOptions o;
  o.target_params = 1e6;  // a 32,000 x 128 embedding alone is 4.1M
  const ArchitectureProposal p = ProposeArchitecture(o);
  EXPECT_FALSE(p.found);
  EXPECT_NE(p.message.find("--vocab"), std::string::npos);
}

TEST(ProposeLayoutTest, ChosenLayoutFitsAndIsMinimal) {
  ArchitectureOptions o;
  o.target_params = 70e9;
  const model::Architecture a = ProposeArchitecture(o).arch;
  LayoutOptions l;
  l.devices = 512;
  l.device_memory_bytes = 80LL << 30;  // 80 GiB
  l.seq_len = 4096;
  const LayoutProposal p = ProposeLayout(a, l);
  ASSERT_TRUE(p.found) << p.message;
  EXPECT_LE(p.memory.most_loaded.total(), l.device_memory_bytes);
  EXPECT_GE(p.options.micro_batch, 1);
  EXPECT_EQ(
      p.data_parallel * p.options.tensor_parallel * p.options.pipeline_parallel,
      512);
  // One more micro-batch would not fit.
  model::TrainingMemoryOptions bigger = p.options;
  bigger.micro_batch += 1;
  EXPECT_GT(model::EstimateTrainingMemory(a, bigger).most_loaded.total(),
            l.device_memory_bytes);
}

TEST(ProposeLayoutTest, TooFewDevicesIsReported) {
  ArchitectureOptions o;
  o.target_params = 400e9;
  const model::Architecture a = ProposeArchitecture(o).arch;
  LayoutOptions l;
  l.devices = 1;
  l.device_memory_bytes = 80LL << 30;
  const LayoutProposal p = ProposeLayout(a, l);
  EXPECT_FALSE(p.found);
  EXPECT_NE(p.message.find("more devices"), std::string::npos);
}

}  // namespace
}  // namespace scalesim::plan

#include "scalesim/plan/design.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

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

namespace scalesim::plan {
namespace {

// The proposer (counts cached per width, binary searches, an outward scan
// that stops once the aspect ratio alone loses) against the plain search
// it replaces: every width from the narrowest, its per-layer and fixed
// counts from exact counts of 1 and 2 layers, the two depths nearest the
// target each counted exactly, every candidate scored, the first best kept.
ArchitectureProposal BruteForce(const ArchitectureOptions& o) {
  ArchitectureProposal best;
  double best_score = 0.0;
  const std::int64_t step =
      o.head_dim * std::max<std::int64_t>(o.heads_multiple, 1);
  const auto count = [&](const model::Architecture& a) {
    const model::ParamBreakdown p = model::CountParameters(a, "oracle");
    return o.count == laws::ParamCount::kNonEmbedding ? p.non_embedding()
                                                      : p.total();
  };
  for (std::int64_t d = step; d <= 65536; d += step) {
    const std::int64_t heads = d / o.head_dim;
    std::int64_t kv = std::min(heads, o.max_kv_heads);
    while (heads % kv != 0) --kv;
    const std::int64_t ff = ((8 * d + 2) / 3 + 255) / 256 * 256;
    const auto shape = [&](std::int64_t layers) {
      return LlamaStyleArchitecture(
          heads, o.head_dim, kv, ff, layers, o.vocab_size, o.context_length);
    };
    const std::int64_t one = count(shape(1));
    const std::int64_t per_layer = count(shape(2)) - one;
    const std::int64_t fixed = one - per_layer;
    const double exact = (o.target_params - static_cast<double>(fixed)) /
                         static_cast<double>(per_layer);
    if (exact < 0.5 || exact > 513.0) continue;
    for (const double layers : {std::floor(exact), std::ceil(exact)}) {
      if (layers < 1.0 || layers > 512.0) continue;
      const model::Architecture a = shape(static_cast<std::int64_t>(layers));
      const std::int64_t n = count(a);
      const double err =
          (static_cast<double>(n) - o.target_params) / o.target_params;
      if (std::fabs(err) > o.tolerance) continue;
      const double score = std::fabs(std::log(static_cast<double>(d) / layers /
                                              o.target_aspect_ratio)) +
                           std::fabs(err);
      if (!best.found || score < best_score) {
        best.found = true;
        best_score = score;
        best.arch = a;
        best.params = n;
        best.relative_error = err;
      }
    }
  }
  return best;
}

// The proposer's shape for `target` is the plain search's, to the count,
// and the one-off ProposeArchitecture's.
void ExpectPlainSearch(ArchitectureProposer& proposer,
                       ArchitectureOptions o,
                       double target) {
  o.target_params = target;
  const ArchitectureProposal fast = proposer.Propose(target);
  const ArchitectureProposal slow = BruteForce(o);
  ASSERT_EQ(fast.found, slow.found) << target;
  if (!fast.found) return;
  EXPECT_EQ(fast.arch.d_model, slow.arch.d_model) << target;
  EXPECT_EQ(fast.arch.n_layers, slow.arch.n_layers) << target;
  EXPECT_EQ(fast.params, slow.params) << target;
  EXPECT_EQ(fast.relative_error, slow.relative_error) << target;
  const ArchitectureProposal once = ProposeArchitecture(o);
  EXPECT_EQ(once.arch.d_model, fast.arch.d_model) << target;
  EXPECT_EQ(once.arch.n_layers, fast.arch.n_layers) << target;
}

TEST(ArchitectureProposerTest, EqualsTheExhaustiveSearchAcrossScales) {
  for (const laws::ParamCount count :
       {laws::ParamCount::kTotal, laws::ParamCount::kNonEmbedding}) {
    ArchitectureOptions o;
    o.count = count;
    ArchitectureProposer proposer(o);
    // 1e8 to 1e12 parameters, 17 targets a decade (and the same proposer
    // for all: its cached widths must not depend on the order of targets).
    for (int i = 68; i >= 32; --i)
      ExpectPlainSearch(proposer, o, std::pow(10.0, i / 8.0));
  }
}

TEST(ArchitectureProposerTest, EqualsTheExhaustiveSearchWithOtherOptions) {
  // Other shape rules (heads a multiple of 8, a 5 % tolerance, a 256K
  // vocabulary, a target aspect ratio of 64), targets in a scrambled order.
  ArchitectureOptions o;
  o.heads_multiple = 8;
  o.tolerance = 0.05;
  o.vocab_size = 256000;
  o.target_aspect_ratio = 64.0;
  ArchitectureProposer proposer(o);
  for (int k = 0; k < 24; ++k) {
    const int i = (k * 7) % 24;  // 0, 7, 14, 21, 4, ...
    ExpectPlainSearch(proposer, o, std::pow(10.0, 8.0 + i / 6.0));
  }
}

}  // namespace
}  // namespace scalesim::plan

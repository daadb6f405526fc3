// The alpha-beta costs of perf/collectives.hpp against hand-derived values
// on a known two-tier network: 8 devices per domain, 100 GB/s scale-up and
// 10 GB/s per NIC (achieved), 1 us per scale-up step, 5 us per scale-out
// step, 10 us to launch a collective. One buffer of S = 1e9 bytes.
#include "scalesim/perf/collectives.hpp"

#include <gtest/gtest.h>

namespace scalesim::perf {
namespace {

// Sums of a few doubles: exact to a few ulps.
constexpr double kTolerance = 1e-15;
constexpr double kBytes = 1e9;

NetworkModel Net() {
  NetworkModel n;
  n.scale_up_domain = 8;
  n.scale_up_bytes_per_second = 100e9;
  n.scale_out_bytes_per_second = 10e9;
  n.scale_up_latency_seconds = 1e-6;
  n.scale_out_latency_seconds = 5e-6;
  n.launch_seconds = 10e-6;
  n.kernel_seconds = 2e-6;
  return n;
}

TEST(CollectivesTest, PlacementOfGroups) {
  const NetworkModel net = Net();
  // Tensor-parallel 8: one domain.
  Placement p = Place({8, 1}, net);
  EXPECT_EQ(p.ranks_per_domain, 8);
  EXPECT_FALSE(p.crosses_domains);
  EXPECT_EQ(p.bus_bytes_per_second, 100e9);
  // 16 consecutive ranks: 2 domains of 8, 8 NICs each way: min(100, 80).
  p = Place({16, 1}, net);
  EXPECT_EQ(p.domains, 2);
  EXPECT_EQ(p.bus_bytes_per_second, 80e9);
  // Data parallel 4 behind tensor parallel 8: one rank per domain, one NIC.
  p = Place({4, 8}, net);
  EXPECT_EQ(p.ranks_per_domain, 1);
  EXPECT_EQ(p.domains, 4);
  EXPECT_EQ(p.bus_bytes_per_second, 10e9);
  // Stride 2: 4 of the group's ranks in each domain, 4 NICs.
  p = Place({8, 2}, net);
  EXPECT_EQ(p.ranks_per_domain, 4);
  EXPECT_EQ(p.bus_bytes_per_second, 40e9);
}

// One-shot all-reduce (vLLM custom_all_reduce): a 2 us kernel, two steps
// of 1 us, every rank receiving (n - 1) S: for 16 KB on 4 ranks 4 us +
// 3 x 16e3 / 100e9 s, against the ring's 10 us + 6 steps + 1.5 S / B.
TEST(CollectivesTest, OneShotAllReduceForSmallBuffers) {
  const NetworkModel net = Net();
  constexpr double kSmall = 16e3;
  EXPECT_NEAR(OneShotAllReduceSeconds(kSmall, {4, 1}, net),
              4e-6 + 3.0 * kSmall / 100e9,
              kTolerance);
  EXPECT_NEAR(AllReduceSeconds(kSmall, {4, 1}, net),
              16e-6 + 1.5 * kSmall / 100e9,
              kTolerance);
  EXPECT_EQ(FastestAllReduceSeconds(kSmall, {4, 1}, net),
            OneShotAllReduceSeconds(kSmall, {4, 1}, net));
  // A large buffer: the ring's bandwidth wins.
  EXPECT_EQ(FastestAllReduceSeconds(kBytes, {4, 1}, net),
            AllReduceSeconds(kBytes, {4, 1}, net));
  // Across domains there is no one-shot path.
  EXPECT_EQ(OneShotAllReduceSeconds(kSmall, {16, 1}, net),
            AllReduceSeconds(kSmall, {16, 1}, net));
  EXPECT_EQ(OneShotAllReduceSeconds(kSmall, {1, 1}, net), 0.0);
}

// Ring all-reduce: 2(n-1)/n S / B + launch + 2(n-1) steps.
TEST(CollectivesTest, AllReduceInOneDomain) {
  // 2 * 7/8 * 1e9 / 100e9 = 17.5 ms; 10 us + 14 x 1 us.
  EXPECT_NEAR(
      AllReduceSeconds(kBytes, {8, 1}, Net()), 17.5e-3 + 24e-6, kTolerance);
}

TEST(CollectivesTest, AllReduceAcrossDomains) {
  // 16 ranks, 2 domains: 2 * 15/16 * 1e9 / 80e9 = 23.4375 ms; of 30 steps
  // 2 (nodes - 1) = 2 cross: 10 + 28 x 1 + 2 x 5 us.
  EXPECT_NEAR(
      AllReduceSeconds(kBytes, {16, 1}, Net()), 23.4375e-3 + 48e-6, kTolerance);
  // 4 ranks one per domain: 2 * 3/4 * 1e9 / 10e9 = 150 ms; all 6 steps
  // cross: 10 + 6 x 5 us.
  EXPECT_NEAR(
      AllReduceSeconds(kBytes, {4, 8}, Net()), 0.15 + 40e-6, kTolerance);
}

// Reduce-scatter and all-gather: (n-1)/n S / B, n - 1 steps; together one
// all-reduce's bytes (Korthikanti et al. 2022 Sec. 4.2.2).
TEST(CollectivesTest, ReduceScatterAndAllGather) {
  const double rs = ReduceScatterSeconds(kBytes, {8, 1}, Net());
  EXPECT_NEAR(rs, 8.75e-3 + 17e-6, kTolerance);
  EXPECT_EQ(AllGatherSeconds(kBytes, {8, 1}, Net()), rs);
  EXPECT_NEAR(
      2 * rs - 10e-6, AllReduceSeconds(kBytes, {8, 1}, Net()), kTolerance);
}

// All-to-all over 16 ranks in 2 domains: 7/16 of S to the 7 peers at home
// over scale-up (4.375 ms), 8/16 abroad over the NIC (50 ms), at once.
TEST(CollectivesTest, AllToAll) {
  EXPECT_NEAR(
      AllToAllSeconds(kBytes, {16, 1}, Net()), 50e-3 + 15e-6, kTolerance);
  // Within a domain: 7/8 of S over scale-up.
  EXPECT_NEAR(
      AllToAllSeconds(kBytes, {8, 1}, Net()), 8.75e-3 + 11e-6, kTolerance);
}

TEST(CollectivesTest, PointToPoint) {
  // Pipeline neighbours 4 apart, 2 stages, one domain: 10 ms + 11 us.
  EXPECT_NEAR(
      PointToPointSeconds(kBytes, {2, 4}, Net()), 10e-3 + 11e-6, kTolerance);
  // 8 apart: another domain, one NIC: 100 ms + 15 us.
  EXPECT_NEAR(
      PointToPointSeconds(kBytes, {2, 8}, Net()), 0.1 + 15e-6, kTolerance);
}

TEST(CollectivesTest, OneRankCostsNothing) {
  EXPECT_EQ(AllReduceSeconds(kBytes, {1, 1}, Net()), 0.0);
  EXPECT_EQ(AllToAllSeconds(kBytes, {1, 4}, Net()), 0.0);
  EXPECT_EQ(PointToPointSeconds(kBytes, {1, 8}, Net()), 0.0);
}

}  // namespace
}  // namespace scalesim::perf

// The cheapest serving layout that meets a latency target
// (perf/serve.hpp SearchServing) over the built-in catalog.
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "scalesim/core/error.hpp"
#include "scalesim/io/architecture_io.hpp"
#include "scalesim/io/hardware_io.hpp"
#include "scalesim/perf/serve.hpp"

namespace scalesim::perf {
namespace {

// On-demand prices per GPU-hour quoted in /work/notes/serving.md Sec. 7:
// AWS p5.48xlarge (8 x H100) $55.04, p5en (8 x H200) $63.296, p4de (8 x
// A100-80GB) $27.447, p4d (8 x A100-40GB) $21.958.
const std::vector<std::string> kAwsPrices = {
    "h100-sxm=6.88,h200-sxm=7.91", "a100-sxm4-80gb=3.43,a100-sxm4-40gb=2.74"};

ServeOptions Llama70bChat() {
  ServeOptions o;
  o.prompt_tokens = 512;
  o.output_tokens = 128;
  return o;
}

ServeSearchResult Search(const ServeSearchOptions& s) {
  return SearchServing(
      io::LoadPreset("llama2-70b"), io::LoadCatalog(), Llama70bChat(), s);
}

TEST(ServeSearchTest, CheapestThatMeetsTheTarget) {
  ServeSearchOptions s;
  s.target_tpot_ms = 50.0;
  s.target_ttft_ms = 2000.0;
  s.prices = kAwsPrices;
  const ServeSearchResult r = Search(s);
  ASSERT_EQ(r.status, ServeSearchStatus::kOk) << r.message;
  ASSERT_EQ(r.best.size(), 5U);
  EXPECT_EQ(r.devices.size(), 4U);  // the four priced kinds
  EXPECT_GT(r.candidates, 100);
  EXPECT_GE(r.fitting, r.meeting);
  for (std::size_t i = 0; i < r.best.size(); ++i) {
    const ServeCandidate& c = r.best[i];
    EXPECT_EQ(c.rank, static_cast<std::int64_t>(i + 1));
    EXPECT_TRUE(c.meets);
    EXPECT_LE(c.prediction.tpot_seconds, 50e-3);
    EXPECT_LE(c.prediction.ttft_seconds, 2.0);
    EXPECT_TRUE(c.prediction.fits);
    if (i > 0) {
      EXPECT_LE(*r.best[i - 1].prediction.usd_per_million_tokens,
                *c.prediction.usd_per_million_tokens);
    }
  }
  // A tighter target costs at least as much per token.
  s.target_tpot_ms = 20.0;
  const ServeSearchResult tight = Search(s);
  ASSERT_EQ(tight.status, ServeSearchStatus::kOk) << tight.message;
  EXPECT_GE(*tight.best[0].prediction.usd_per_million_tokens,
            *r.best[0].prediction.usd_per_million_tokens);
}

// With a load, enough replicas to serve it, ranked by dollars per hour.
TEST(ServeSearchTest, ReplicasForALoad) {
  ServeSearchOptions s;
  s.target_tpot_ms = 50.0;
  s.load_tokens_per_second = 20000.0;
  s.prices = kAwsPrices;
  const ServeSearchResult r = Search(s);
  ASSERT_EQ(r.status, ServeSearchStatus::kOk) << r.message;
  for (const ServeCandidate& c : r.best) {
    const ServePrediction& p = c.prediction;
    EXPECT_GE(static_cast<double>(c.replicas) *
                  p.e2e_tokens_per_second_per_device *
                  static_cast<double>(p.layout.devices()),
              20000.0);
    EXPECT_EQ(c.devices, c.replicas * p.layout.devices());
    EXPECT_NEAR(
        c.usd_per_hour, static_cast<double>(c.devices) * *p.usd_per_hour, 1e-9);
  }
  for (std::size_t i = 1; i < r.best.size(); ++i)
    EXPECT_LE(r.best[i - 1].usd_per_hour, r.best[i].usd_per_hour);
}

// A target no layout meets: status target_not_met, and the layout closest
// to it.
TEST(ServeSearchTest, UnreachableTargetGivesTheBestAchievable) {
  ServeSearchOptions s;
  s.target_tpot_ms = 0.1;
  s.prices = kAwsPrices;
  const ServeSearchResult r = Search(s);
  EXPECT_EQ(r.status, ServeSearchStatus::kTargetNotMet);
  ASSERT_EQ(r.best.size(), 1U);
  EXPECT_FALSE(r.best[0].meets);
  EXPECT_EQ(r.meeting, 0);
  EXPECT_NE(r.message.find("no layout meets tpot <= 0.1 ms"), std::string::npos)
      << r.message;
  EXPECT_NE(r.message.find("the closest"), std::string::npos);
  // The closest is the fastest token of all: batch 1, the widest tensor
  // group.
  EXPECT_EQ(r.best[0].prediction.layout.batch, 1);
  EXPECT_EQ(r.best[0].prediction.layout.tp, 8);
}

TEST(ServeSearchTest, PricesAreNeeded) {
  auto field = [](const ServeSearchOptions& s) {
    try {
      Search(s);
    } catch (const InvalidInput& e) {
      return e.where().field + ": " + e.problem();
    }
    return std::string("none");
  };
  ServeSearchOptions s;
  EXPECT_EQ(field(s).rfind("prices: the search ranks by cost", 0), 0U);
  s.prices = {"h100-sxm"};
  EXPECT_EQ(field(s), "prices: expected NAME=USD, got 'h100-sxm'");
  s.prices = {"h300=2"};
  EXPECT_EQ(field(s), "prices: no device 'h300' in the catalog");
  s.prices = {"h100-sxm=-1"};
  EXPECT_EQ(field(s),
            "prices: price of 'h100-sxm' must be a positive number of "
            "dollars, got '-1'");
  // One price for every kind: every catalog device is searched.
  ServeSearchOptions all;
  all.target_tpot_ms = 100.0;
  ServeOptions o = Llama70bChat();
  o.usd_per_hour = 2.0;
  const ServeSearchResult r =
      SearchServing(io::LoadPreset("llama2-70b"), io::LoadCatalog(), o, all);
  EXPECT_EQ(r.devices.size(), io::LoadCatalog().size());
  EXPECT_TRUE(r.skipped.empty());
}

// What optimal (and plan, sweep) call: the cost per token of the cheapest
// layout on one device kind, with its price.
TEST(ServeSearchTest, CheapestServingCost) {
  const model::Architecture a = io::LoadPreset("llama2-70b");
  const model::Device h100 = io::FindDevice(io::LoadCatalog(), "h100-sxm");
  ServeOptions o = Llama70bChat();
  o.usd_per_hour = 6.88;
  ServeSearchOptions s;
  s.target_tpot_ms = 50.0;
  const CheapestServing c = CheapestServingCost(a, h100, o, s);
  ASSERT_EQ(c.status, ServeSearchStatus::kOk) << c.message;
  ASSERT_TRUE(c.cost && c.cost->usd_per_token);
  EXPECT_EQ(c.cost->device, "h100-sxm");
  // The same layout's cost through the search.
  s.prices = {"h100-sxm=6.88"};
  const ServeSearchResult r = SearchServing(a, {h100}, Llama70bChat(), s);
  EXPECT_NEAR(*c.cost->usd_per_token * 1e6,
              *r.best[0].prediction.usd_per_million_tokens,
              1e-9);
  EXPECT_LE(c.cost->effective_mfu, 1.0);
  // No price: bad input naming usd_per_hour.
  EXPECT_THROW(CheapestServingCost(a, h100, Llama70bChat(), {}), InvalidInput);
}

}  // namespace
}  // namespace scalesim::perf

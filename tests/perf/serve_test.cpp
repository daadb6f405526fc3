// The serving model's terms against hand-derived values (perf/serve.hpp),
// on a made-up device whose efficiencies are all 1 and whose network has
// no per-step latency, so each term is a formula on round numbers; and its
// physical consistency over many layouts.
#include "scalesim/perf/serve.hpp"

#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "scalesim/core/error.hpp"
#include "scalesim/model/memory.hpp"

#include "model/reference_models.hpp"
#include "perf/published_runs.hpp"

namespace scalesim::perf {
namespace {

using model::testing::Llama2_70b;
using model::testing::Llama2_7b;

// Sums of a few hundred doubles.
constexpr double kRelativeTolerance = 1e-12;
// At batch 1 the activations and the norms' traffic add under 0.1% to the
// bytes of the weights.
constexpr double kActivationShare = 1e-3;
constexpr double kBandwidth = 1e12;  // the test device's HBM, bytes/s
constexpr double kPeak = 100e12;     // its bf16 peak, FLOP/s

model::Device TestDevice() {
  model::Device d;
  d.name = "test";
  d.peak_tflops_bf16 = 100;
  d.peak_tflops_fp8 = 200;
  d.memory_bytes = 80LL << 30;
  d.memory_bandwidth_bytes_per_second = kBandwidth;
  d.tdp_watts = 500;
  d.price_per_hour_usd = 2.0;
  d.network.scale_up_domain = 8;
  d.network.scale_up_bytes_per_second = 100e9;
  d.network.scale_out_bytes_per_second = 10e9;
  d.network.source = "test";
  d.efficiency = {1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, "test"};
  return d;
}

ServeOptions Options(std::int64_t tp,
                     std::int64_t batch,
                     std::int64_t prompt,
                     std::int64_t output) {
  ServeOptions o;
  o.memory.tensor_parallel = tp;
  o.memory.batch = batch;
  o.prompt_tokens = prompt;
  o.output_tokens = output;
  o.step_overhead_ms = 0.0;
  return o;
}

ServePrediction Predict(const model::Architecture& a,
                        const model::Device& d,
                        const ServeOptions& o) {
  return ServeModel(a, d, o).Predict(ResolveServeLayout(a, d, o));
}

// Llama-2-7B in bf16 reads every weight matrix once per decode step: 32
// layers of 4 x 4096^2 (attention) + 3 x 4096 x 11008 (SwiGLU) and the
// 32,000 x 4,096 LM head, 6,607,077,376 parameters x 2 bytes (the input
// embedding is looked up, not read; the norms are 0.004%), plus the KV
// cache of its 2-token context, 2 x 524,288 bytes (KvCacheBytesPerToken).
TEST(ServeTest, DecodeMemoryTimeIsBytesOverBandwidth) {
  const ServePrediction p =
      Predict(Llama2_7b(), TestDevice(), Options(1, 1, 1, 2));
  constexpr double kWeights = 2.0 * 6'607'077'376.0;
  constexpr double kKv = 2.0 * 524'288.0;
  EXPECT_NEAR(
      p.decode_bytes_per_step, kWeights + kKv, kRelativeTolerance * kWeights);
  EXPECT_NEAR(p.decode_bandwidth_bound_seconds,
              (kWeights + kKv) / kBandwidth,
              kRelativeTolerance);
  // The memory side of every kernel: those bytes, the activations and the
  // norms' traffic.
  EXPECT_GE(p.decode.memory, (kWeights + kKv) / kBandwidth);
  EXPECT_LE(p.decode.memory,
            (1.0 + kActivationShare) * (kWeights + kKv) / kBandwidth);
  EXPECT_EQ(p.decode_binds, "memory");
  // 13.2 GB at 1 TB/s: 13.2 ms, the floor of the notes' table (6.61 ms at
  // 2,039 GB/s) scaled to this device.
  EXPECT_NEAR(p.decode_bandwidth_bound_seconds, 13.215e-3, 1e-6);
  // TP 2 halves the bytes per device.
  const ServePrediction t2 =
      Predict(Llama2_7b(), TestDevice(), Options(2, 1, 1, 2));
  EXPECT_NEAR(t2.decode_bytes_per_step,
              (kWeights + kKv) / 2.0,
              kRelativeTolerance * kWeights);
}

// The decode step turns compute-bound where 2 b P / (peak) x (k + 256)/k
// equals P x 2 bytes / bandwidth: b* = 100e12 x 2 / (2 x 1e12) x 4096 /
// 4352 = 94.1 for 4096-deep GEMMs on the test device.
TEST(ServeTest, ComputeMemoryCrossoverBatch) {
  const model::Device d = TestDevice();
  const ServeOptions o = Options(1, 1, 1, 2);
  const double b = DecodeCrossoverBatch(d, o, 4096.0);
  EXPECT_NEAR(b, 100.0 * 4096.0 / 4352.0, 1e-9);
  // fp8 weights: twice the peak, half the bytes per weight: the same b*.
  ServeOptions fp8 = o;
  fp8.memory.weights.dtype = model::WeightDtype::kFp8;
  EXPECT_NEAR(DecodeCrossoverBatch(d, fp8, 4096.0), b, 1e-9);
  // int4 weight-only: a quarter of the bytes at the 16-bit peak.
  ServeOptions int4 = o;
  int4.memory.weights.dtype = model::WeightDtype::kInt4;
  EXPECT_NEAR(DecodeCrossoverBatch(d, int4, 4096.0), b / 4.0, 1e-9);
  // A model whose every GEMM is 4096 deep (d_ff = d_model) switches there.
  model::Architecture a = testing::GptBlock("square", 4, 4096, 32, 1000, 4096);
  a.d_ff = 4096;
  auto binds = [&](std::int64_t batch) {
    return Predict(a, d, Options(1, batch, 1, 2)).decode_binds;
  };
  EXPECT_EQ(binds(static_cast<std::int64_t>(0.8 * b)), "memory");
  EXPECT_EQ(binds(static_cast<std::int64_t>(1.2 * b)), "compute");
}

// Prefill FLOPs of a small Llama block by hand: 2 layers, h 1,024, 8 heads
// (MHA), d_ff 2,816, vocabulary 1,000; a batch of 2 prompts of 256 tokens.
// Weight GEMMs 2 x 256 x (4 h^2 + 3 h d_ff) per layer and prompt, the LM
// head 2 h V for each prompt's last token, causal attention 4 h P(P+1)/2
// per layer (scores and values).
TEST(ServeTest, PrefillFlopsByHand) {
  const model::Architecture a =
      testing::LlamaBlock("small", 2, 1024, 8, 2816, 1000, 4096);
  const ServePrediction p = Predict(a, TestDevice(), Options(1, 2, 256, 1));
  constexpr double kH = 1024.0;
  constexpr double kP = 256.0;
  const double per_layer = 4.0 * kH * kH + 3.0 * kH * 2816.0;
  const double weights = 2.0 * 2.0 * kP * 2.0 * per_layer;
  const double head = 2.0 * 2.0 * kH * 1000.0;
  const double attention = 2.0 * 2.0 * 4.0 * kH * kP * (kP + 1.0) / 2.0;
  EXPECT_NEAR(p.prefill_flops,
              weights + head + attention,
              kRelativeTolerance * p.prefill_flops);
  // Compute-bound at the test device's 100 TFLOP/s: TTFT at least FLOPs /
  // peak, and the tile overhead (k + 256) / k at most 1.25 above it.
  EXPECT_NEAR(p.prefill_compute_bound_seconds,
              p.prefill_flops / kPeak,
              kRelativeTolerance);
  EXPECT_GE(p.ttft_seconds, p.prefill_compute_bound_seconds);
  EXPECT_EQ(p.prefill_forwards, 1);
}

// The cost columns follow from TPOT, TTFT and the price: 2 devices at $2
// an hour.
TEST(ServeTest, CostPerMillionTokens) {
  ServeOptions o = Options(2, 4, 512, 128);
  const ServePrediction p = Predict(Llama2_7b(), TestDevice(), o);
  const double hours_per_output = 2.0 * p.tpot_seconds / 4.0 / 3600.0;
  EXPECT_NEAR(p.device_hours_per_million_output_tokens,
              1e6 * hours_per_output,
              kRelativeTolerance);
  ASSERT_TRUE(p.usd_per_million_output_tokens);
  EXPECT_NEAR(*p.usd_per_million_output_tokens,
              2.0e6 * hours_per_output,
              kRelativeTolerance);
  ASSERT_TRUE(p.usd_per_million_input_tokens);
  EXPECT_NEAR(*p.usd_per_million_input_tokens,
              2.0 * 2.0 * p.ttft_seconds / (4.0 * 512.0) / 3600.0 * 1e6,
              kRelativeTolerance);
  ASSERT_TRUE(p.usd_per_million_tokens);
  EXPECT_NEAR(*p.usd_per_million_tokens,
              2.0 * 2.0 * p.e2e_seconds / (4.0 * 640.0) / 3600.0 * 1e6,
              kRelativeTolerance);
  // 500 W x 2 devices for the same hours.
  ASSERT_TRUE(p.energy_kwh_per_million_output_tokens);
  EXPECT_NEAR(*p.energy_kwh_per_million_output_tokens,
              0.5 * p.device_hours_per_million_output_tokens,
              kRelativeTolerance);
  // --usd-per-hour overrides the catalog.
  o.usd_per_hour = 3.0;
  EXPECT_NEAR(
      *Predict(Llama2_7b(), TestDevice(), o).usd_per_million_output_tokens,
      1.5 * *p.usd_per_million_output_tokens,
      1e-9);
  EXPECT_NEAR(p.e2e_seconds, p.ttft_seconds + 127.0 * p.tpot_seconds, 1e-12);
}

// The largest batch fits and one more does not.
TEST(ServeTest, LargestBatchFits) {
  const model::Device d = TestDevice();
  const ServeOptions o = Options(1, 1, 2048, 2048);
  const ServeModel m(Llama2_7b(), d, o);
  const std::int64_t usable = o.UsableBytes(d);
  ServeLayout l{1, 1, 1, 1};
  const std::int64_t largest = m.LargestBatch(l);
  // 80 GiB x 0.9 - 1 GiB less 13.5 GB of weights, over 2 GiB of KV cache
  // per sequence of 4,096 tokens (524,288 bytes each): about 27.
  EXPECT_GT(largest, 20);
  EXPECT_LT(largest, 35);
  l.batch = largest;
  EXPECT_LE(m.MemoryOf(l).total(), usable);
  l.batch = largest + 1;
  EXPECT_GT(m.MemoryOf(l).total(), usable);
  const ServeResult r = PredictServing(Llama2_7b(), d, o);
  ASSERT_EQ(r.rows.size(), 2U);
  EXPECT_EQ(r.rows[1].scenario, "largest_batch");
  EXPECT_EQ(r.rows[1].layout.batch, largest);
  EXPECT_GT(r.rows[1].tokens_per_second_per_device,
            r.rows[0].tokens_per_second_per_device);
  // 70B in bf16 does not fit one device: largest 0, status does_not_fit.
  const ServePrediction big = Predict(Llama2_70b(), d, Options(1, 1, 128, 128));
  EXPECT_FALSE(big.fits);
  EXPECT_EQ(big.status, ServeStatus::kDoesNotFit);
  EXPECT_EQ(big.largest_batch, 0);
}

// Sliding-window layers read their window only: Gemma 3 1B's 22 local
// layers (512 tokens) and 4 global ones at 8,192 tokens of context read
// 22 x 512 + 4 x 8,192 entries, as model::KvCacheBytes counts them.
TEST(ServeTest, SlidingLayersReadTheirWindow) {
  const model::Architecture a = model::testing::Gemma3_1b();
  ServeOptions o = Options(1, 1, 8191, 2);
  const ServePrediction p = Predict(a, TestDevice(), o);
  const ServeOptions one = Options(1, 1, 1, 2);
  const ServePrediction q = Predict(a, TestDevice(), one);
  // The same weights; the KV term differs by KvCacheBytes(8192) -
  // KvCacheBytes(2).
  EXPECT_NEAR(p.decode_bytes_per_step - q.decode_bytes_per_step,
              static_cast<double>(model::KvCacheBytes(a, 8192) -
                                  model::KvCacheBytes(a, 2)),
              1.0);
}

// Mixtral 8x7B at batch 1 reads its 2 routed experts of 8 per layer and
// every shared weight; at a batch of 64 nearly all 8 (uniform routing:
// 8 (1 - (3/4)^64)).
TEST(ServeTest, MoeDecodeReadsTheChosenExperts) {
  const model::Architecture a = model::testing::Mixtral8x7b();
  const ServeOptions o = Options(1, 1, 1, 2);
  const ServePrediction p = Predict(a, TestDevice(), o);
  const double expert = 3.0 * 4096.0 * 14336.0;  // one SwiGLU expert
  const double per_layer_shared = 4096.0 * (4096.0 + 2.0 * 1024.0) +
                                  4096.0 * 4096.0 + 4096.0 * 8.0;  // + router
  const double weights =
      2.0 * (32.0 * (per_layer_shared + 2.0 * expert) + 32000.0 * 4096.0);
  EXPECT_NEAR(
      p.decode_bytes_per_step, weights + 2.0 * 131'072.0, 1e-9 * weights);
  const ServePrediction wide = Predict(a, TestDevice(), Options(2, 64, 1, 2));
  const double distinct = 8.0 * (1.0 - std::pow(0.75, 64.0));
  EXPECT_GT(wide.decode_bytes_per_step, (32.0 * distinct * expert * 2.0) / 2.0);
}

// Physical consistency over models, devices, layouts, dtypes and lengths:
// decode never beats the bandwidth bound, prefill never the compute bound,
// MBU at most the decode_memory efficiency (<= 1).
TEST(ServeTest, NeverFasterThanTheBounds) {
  model::Device real = TestDevice();
  real.efficiency = {0.7, 0.6, 0.5, 0.85, 0.7, 0.8, 0.9, "test"};
  real.network.scale_up_latency_seconds = 2e-6;
  int checked = 0;
  for (const model::Device& d : {TestDevice(), real}) {
    for (const model::Architecture& a : {Llama2_7b(),
                                         Llama2_70b(),
                                         model::testing::Mixtral8x7b(),
                                         model::testing::Gemma3_1b()}) {
      for (std::int64_t tp : {1, 2, 8}) {
        if (a.n_heads % tp != 0) continue;
        for (std::int64_t pp : {1, 2}) {
          for (std::int64_t batch : {1, 7, 64, 512}) {
            for (auto [prompt, output] :
                 {std::pair<std::int64_t, std::int64_t>{1, 1},
                  {128, 128},
                  {4000, 40}}) {
              for (model::WeightDtype w : {model::WeightDtype::kBf16,
                                           model::WeightDtype::kFp8,
                                           model::WeightDtype::kInt4}) {
                ServeOptions o = Options(tp, batch, prompt, output);
                o.pipeline_parallel = pp;
                o.memory.weights.dtype = w;
                o.step_overhead_ms = 1.0;
                const ServePrediction p = Predict(a, d, o);
                SCOPED_TRACE(a.name + " " + p.layout.Describe());
                EXPECT_GE(p.tpot_seconds, p.decode_bandwidth_bound_seconds);
                EXPECT_GE(p.ttft_seconds, p.prefill_compute_bound_seconds);
                EXPECT_GT(p.mbu, 0.0);
                EXPECT_LE(p.mbu, EfficienciesOf(d).decode_memory + 1e-12);
                EXPECT_LE(p.prefill_mfu, 1.0);
                EXPECT_GE(p.e2e_seconds, p.ttft_seconds);
                EXPECT_NEAR(p.decode.total(), p.tpot_seconds, 1e-15);
                EXPECT_NEAR(p.prefill.total(), p.ttft_seconds, 1e-12);
                ++checked;
              }
            }
          }
        }
      }
    }
  }
  EXPECT_GT(checked, 1000);
}

// Pipeline stages hold a share of the layers; a token still passes every
// stage, so TPOT at batch 1 is no better than on one device's bandwidth.
TEST(ServeTest, PipelineParallelLatency) {
  const model::Device d = TestDevice();
  const ServePrediction one = Predict(Llama2_7b(), d, Options(1, 1, 1, 2));
  ServeOptions o = Options(1, 1, 1, 2);
  o.pipeline_parallel = 2;
  const ServePrediction two = Predict(Llama2_7b(), d, o);
  EXPECT_GE(two.tpot_seconds, 0.99 * one.tpot_seconds);
  EXPECT_LT(static_cast<double>(two.weights_bytes),
            0.6 * static_cast<double>(one.weights_bytes));
  // Two micro-batches keep both stages busy: a batch of 2 costs about one
  // sequence's time.
  o.memory.batch = 2;
  const ServePrediction pair = Predict(Llama2_7b(), d, o);
  EXPECT_LT(pair.tpot_seconds, 1.05 * two.tpot_seconds);
}

// Bad input names its field.
TEST(ServeTest, BadInputNamesTheField) {
  const model::Device d = TestDevice();
  auto field = [&](const model::Architecture& a, const ServeOptions& o) {
    try {
      ResolveServeLayout(a, d, o);
    } catch (const InvalidInput& e) {
      return e.where().field;
    }
    return std::string("none");
  };
  EXPECT_EQ(field(Llama2_7b(), Options(1, 0, 1, 1)), "batch");
  EXPECT_EQ(field(Llama2_7b(), Options(1, 1, 0, 1)), "prompt_tokens");
  EXPECT_EQ(field(Llama2_7b(), Options(3, 1, 1, 1)), "tp");
  // 48 heads over 8 KV heads: tp 6 divides the heads, not the KV heads.
  model::Architecture g =
      testing::LlamaBlock("gqa", 2, 768, 48, 1024, 1000, 4096);
  g.n_kv_heads = 8;
  g.head_dim = 16;
  EXPECT_EQ(field(g, Options(6, 1, 1, 1)), "tp");
  EXPECT_EQ(field(Llama2_7b(), Options(16, 1, 1, 1)), "tp");
  ServeOptions pp = Options(1, 1, 1, 1);
  pp.pipeline_parallel = 64;
  EXPECT_EQ(field(Llama2_7b(), pp), "pp");
  ServeOptions ep = Options(2, 1, 1, 1);
  ep.expert_parallel = 2;
  EXPECT_EQ(field(Llama2_7b(), ep), "ep");
  EXPECT_EQ(field(model::testing::Mixtral8x7b(), ep), "none");
}

// What a plan pays per inference token: usd_per_flop is what
// plan::DollarsPerFlop gives for the device's peak at effective_mfu.
TEST(ServeTest, ServingCostPerToken) {
  const model::Device d = TestDevice();
  const ServingCost c =
      ServingCostPerToken(Llama2_7b(), d, Options(1, 16, 512, 128));
  EXPECT_NEAR(c.flops_per_token, 2.0 * 6'738'415'616.0, 1.0);
  ASSERT_TRUE(c.usd_per_token && c.usd_per_flop);
  EXPECT_NEAR(
      *c.usd_per_token, 2.0 * c.device_seconds_per_token / 3600.0, 1e-18);
  EXPECT_NEAR(*c.usd_per_flop,
              2.0 / (3600.0 * c.peak_flops_per_second * c.effective_mfu),
              1e-12 * *c.usd_per_flop);
  EXPECT_GT(c.effective_mfu, 0.0);
  EXPECT_LE(c.effective_mfu, 1.0);
  EXPECT_NE(c.description.find("1 x test"), std::string::npos);
}

}  // namespace
}  // namespace scalesim::perf

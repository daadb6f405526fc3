// The step model's cost terms against hand-derived values (perf/step.hpp),
// on a made-up device whose efficiencies are all 1 and whose network has
// no per-step latency, so each term is a formula on round numbers.
#include "scalesim/perf/step.hpp"

#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "scalesim/core/error.hpp"
#include "scalesim/model/memory.hpp"

#include "perf/published_runs.hpp"

namespace scalesim::perf {
namespace {

using model::Recompute;

// Sums of a few hundred doubles.
constexpr double kRelativeTolerance = 1e-12;
// NCCL's base latency per collective (step.cpp, tuning.cc).
constexpr double kLaunch = 8.4e-6;

model::Device TestDevice() {
  model::Device d;
  d.name = "test";
  d.peak_tflops_bf16 = 100;
  d.peak_tflops_fp8 = 200;
  d.memory_bytes = 80LL << 30;
  d.memory_bandwidth_bytes_per_second = 1e12;
  d.tdp_watts = 500;
  d.network.scale_up_domain = 8;
  d.network.scale_up_bytes_per_second = 100e9;
  d.network.scale_out_bytes_per_second = 10e9;
  d.network.source = "test";
  d.efficiency = {1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, "test"};
  return d;
}

// A small GPT block: h 1024, 16 heads, s 1024.
model::Architecture Small(std::int64_t layers) {
  return testing::GptBlock("small", layers, 1024, 16, 1024, 1024);
}

StepOptions Options(std::int64_t tp, std::int64_t pp, std::int64_t batch) {
  StepOptions o;
  o.memory.tensor_parallel = tp;
  o.memory.pipeline_parallel = pp;
  o.memory.seq_len = 1024;
  o.global_batch = batch;
  return o;
}

// GemmSeconds is GemmSecondsForBytes of the operands' bytes; a square
// 1024^3 GEMM at 100 TFLOP/s: 2.147 GFLOP x (1024 + 256) / 1024 + 2 us.
TEST(StepTest, GemmOfGivenBytes) {
  constexpr double kN = 1024.0;
  const double flops = 2.0 * kN * kN * kN;
  EXPECT_DOUBLE_EQ(
      GemmSeconds(flops, kN, kN, kN, 100e12, 1e12, 2.0),
      GemmSecondsForBytes(flops, kN, 3.0 * kN * kN * 2.0, 100e12, 1e12));
  EXPECT_NEAR(GemmSecondsForBytes(flops, kN, 0.0, 100e12, 1e12),
              flops / 100e12 * 1.25 + KernelSeconds(),
              kRelativeTolerance);
  EXPECT_NEAR(GemmComputeSeconds(flops, kN, 100e12),
              flops / 100e12 * 1.25,
              kRelativeTolerance);
  // Memory-bound: 1 GB at 1 TB/s.
  EXPECT_NEAR(GemmSecondsForBytes(1.0, kN, 1e9, 100e12, 1e12),
              1e-3 + KernelSeconds(),
              kRelativeTolerance);
}

// Narayanan et al. 2021 Sec. 2.2: the interleaved 1F1B bubble is
// (p - 1) / (v m) of the ideal time.
TEST(StepTest, BubbleFraction) {
  const model::Architecture a = Small(8);
  StepOptions o = Options(1, 4, 8);  // p 4, m 8 on 4 devices
  for (std::int64_t v : {1, 2}) {
    o.virtual_stages = v;
    const StepPrediction p = PredictStep(a, TestDevice(), o);
    const double ideal = p.step_seconds - p.time.bubble - p.time.optimizer;
    EXPECT_NEAR(p.time.bubble / ideal,
                3.0 / (8.0 * static_cast<double>(v)),
                kRelativeTolerance);
  }
}

// Korthikanti et al. 2022 Sec. 4.2: tensor parallelism costs 4 all-reduces
// of the s b h activations per layer (2 forward, 2 backward); sequence
// parallelism 4 all-gathers and 4 reduce-scatters of the same bytes; full
// recompute repeats the 2 forward ones. With S = s b h x 2 bytes =
// 1024 x 1 x 1024 x 2 = 2,097,152 and t = 8 in one 100 GB/s domain an
// all-reduce moves 2 x 7/8 x S per rank: 36.7 us + the launch.
TEST(StepTest, TensorParallelBytesPerLayer) {
  constexpr double kS = 1024.0 * 1024.0 * 2.0;
  constexpr double kAllReduce = 2.0 * 7.0 / 8.0 * kS / 100e9 + kLaunch;
  constexpr double kGatherOrScatter = 7.0 / 8.0 * kS / 100e9 + kLaunch;
  auto per_layer = [](bool sp, Recompute r) {
    StepOptions o = Options(8, 1, 1);
    o.memory.sequence_parallel = sp;
    o.memory.recompute = r;
    const auto tp = [&](std::int64_t layers) {
      return PredictStep(Small(layers), TestDevice(), o).time.tensor.total;
    };
    return tp(3) - tp(2);
  };
  EXPECT_NEAR(per_layer(false, Recompute::kNone), 4 * kAllReduce, 1e-15);
  EXPECT_NEAR(per_layer(true, Recompute::kNone), 8 * kGatherOrScatter, 1e-15);
  EXPECT_NEAR(per_layer(false, Recompute::kFull), 6 * kAllReduce, 1e-15);
  EXPECT_NEAR(per_layer(false, Recompute::kSelective), 4 * kAllReduce, 1e-15);
}

// GemmSeconds against Calculon's A100 size steps (0.6, 0.9, 0.95 of peak at
// 1, 16, 128 GFLOP; systems/a100_80g.json) for square GEMMs at eta 0.95.
TEST(StepTest, SmallGemmsRunBelowPeak) {
  constexpr double kPeak = 312e12;
  constexpr double kCalculonTolerance = 0.11;
  const double steps[][2] = {{1e9, 0.6}, {16e9, 0.9}, {128e9, 0.95}};
  for (const auto& [flops, calculon] : steps) {
    const double n = std::cbrt(flops / 2.0);
    const double t =
        GemmSeconds(flops, n, n, n, 0.95 * kPeak, 2.039e12 * 0.9, 2.0);
    EXPECT_NEAR(flops / t / kPeak, calculon, kCalculonTolerance) << flops;
  }
  // A GEMM with little work per byte is bound by memory: 2 x 1 x 8192 x
  // 8192 FLOPs against 8192^2 x 2 bytes of weights.
  const double thin =
      GemmSeconds(2.0 * 8192 * 8192, 1, 8192, 8192, kPeak, 2e12, 2.0);
  EXPECT_NEAR(thin, (8192.0 * 8192 + 2 * 8192) * 2.0 / 2e12 + 2e-6, 1e-12);
}

// The breakdown adds up to the step, and the memory is the memory model's.
TEST(StepTest, BreakdownAddsUpAndMemoryIsTheMemoryModels) {
  const model::Architecture a = Small(8);
  StepOptions o = Options(2, 2, 16);
  o.devices = 16;  // dp 4
  o.memory.states.zero_stage = 1;
  o.memory.sequence_parallel = true;
  o.memory.recompute = Recompute::kSelective;
  const StepPrediction p = PredictStep(a, TestDevice(), o);
  const StepTime& t = p.time;
  EXPECT_NEAR(t.compute + t.exposed_communication() + t.bubble + t.optimizer,
              p.step_seconds,
              kRelativeTolerance * p.step_seconds);
  EXPECT_GT(t.data.total, 0.0);
  EXPECT_LE(t.data.exposed, t.data.total);
  EXPECT_EQ(p.layout.dp, 4);
  EXPECT_EQ(p.layout.microbatches, 4);
  model::TrainingMemoryOptions m = o.memory;
  m.states.data_parallel = 4;
  m.num_microbatches = 4;
  const model::TrainingMemory want = model::EstimateTrainingMemory(a, m);
  EXPECT_EQ(p.memory.first.total(), want.first.total());
  EXPECT_EQ(p.memory.last.total(), want.last.total());
  // 16 x 1024 tokens in the step.
  EXPECT_NEAR(p.tokens_per_second, 16384.0 / p.step_seconds, 1e-9);
  EXPECT_NEAR(p.tokens_per_second_per_device * 16, p.tokens_per_second, 1e-9);
  EXPECT_NEAR(*p.energy_joules_per_token,
              500.0 / p.tokens_per_second_per_device,
              1e-12);
  EXPECT_NEAR(p.mfu,
              p.model_flops_per_token * p.tokens_per_second_per_device / 100e12,
              1e-12);
}

// ZeRO 1/2 replace the gradient all-reduce by a reduce-scatter and an
// all-gather of the weights: the same bytes with 16-bit gradients and
// weights, one more launch.
TEST(StepTest, ZeroShardingMovesTheSameBytes) {
  const model::Architecture a = Small(8);
  StepOptions o = Options(1, 1, 8);
  o.devices = 8;
  const double zero0 = PredictStep(a, TestDevice(), o).time.data.total;
  o.memory.states.zero_stage = 1;
  const double zero1 = PredictStep(a, TestDevice(), o).time.data.total;
  EXPECT_NEAR(zero1, zero0 + kLaunch, 1e-15);
  // ZeRO 3 gathers and scatters every layer in every micro-batch.
  o.memory.states.zero_stage = 3;
  EXPECT_GT(PredictStep(a, TestDevice(), o).time.data.total, zero1);
}

TEST(StepTest, ContextParallelSplitsAttentionAndRingsKv) {
  const model::Architecture a = Small(4);
  StepOptions o = Options(1, 1, 1);
  const StepPrediction one = PredictStep(a, TestDevice(), o);
  o.context_parallel = 2;
  const StepPrediction two = PredictStep(a, TestDevice(), o);
  EXPECT_EQ(two.layout.devices, 2);
  EXPECT_GT(two.time.context.total, 0.0);
  EXPECT_LE(two.time.context.exposed, two.time.context.total);
  EXPECT_LT(two.time.attention, one.time.attention);
}

TEST(StepTest, Fp8SpeedsUpTheGemmsAndAddsCasts) {
  const model::Architecture a = Small(4);
  StepOptions o = Options(1, 1, 4);
  const StepPrediction bf16 = PredictStep(a, TestDevice(), o);
  o.dtype = model::Dtype::kFp8;
  const StepPrediction fp8 = PredictStep(a, TestDevice(), o);
  EXPECT_LT(fp8.time.matmul, bf16.time.matmul);
  EXPECT_GT(fp8.time.memory_bound, bf16.time.memory_bound);
  EXPECT_EQ(fp8.time.attention, bf16.time.attention);  // attention in bf16
}

// Bad input names its field (the CLI turns it into the flag).
TEST(StepTest, BadLayoutsNameTheirField) {
  auto field_of = [](const model::Architecture& a,
                     const StepOptions& o,
                     const model::Device& d) {
    try {
      PredictStep(a, d, o);
    } catch (const InvalidInput& e) {
      return e.where().field;
    }
    return std::string("no error");
  };
  const model::Architecture a = Small(8);
  const model::Device d = TestDevice();
  StepOptions o = Options(3, 1, 1);  // 3 does not divide 16 heads
  EXPECT_EQ(field_of(a, o, d), "tp");
  model::Architecture gqa = Small(8);
  gqa.n_kv_heads = 4;
  gqa.n_heads = 16;
  o = Options(8, 1, 1);  // 8 divides 16 heads, is a multiple of 4 KV heads
  EXPECT_EQ(field_of(gqa, o, d), "no error");
  gqa.n_heads = 24;
  gqa.n_kv_heads = 8;
  gqa.head_dim = 64;
  o = Options(6, 1, 1);  // divides 24 heads, not 8 KV heads nor a multiple
  EXPECT_EQ(field_of(gqa, o, d), "tp");
  o = Options(16, 1, 1);  // beyond the 8-device domain
  model::Architecture wide = Small(8);
  wide.n_heads = 32;
  wide.head_dim = 32;
  EXPECT_EQ(field_of(wide, o, d), "tp");
  o = Options(1, 9, 9);  // 9 stages, 8 layers
  EXPECT_EQ(field_of(a, o, d), "pp");
  o = Options(1, 1, 3);
  o.devices = 2;  // 3 sequences over dp 2
  EXPECT_EQ(field_of(a, o, d), "global_batch");
  o = Options(2, 1, 2);
  o.devices = 3;
  EXPECT_EQ(field_of(a, o, d), "devices");
  o = Options(1, 1, 1);
  o.virtual_stages = 2;
  EXPECT_EQ(field_of(a, o, d), "vp");
  o = Options(1, 2, 2);
  o.virtual_stages = 3;  // 2 x 3 does not divide 8 layers
  EXPECT_EQ(field_of(a, o, d), "vp");
  o = Options(1, 1, 1);
  o.context_parallel = 3;  // 1024 is not a multiple of 6
  EXPECT_EQ(field_of(a, o, d), "cp");
  o = Options(1, 1, 2);
  o.expert_parallel = 2;  // a dense model
  o.devices = 2;
  EXPECT_EQ(field_of(a, o, d), "ep");
  o = Options(1, 1, 1);
  o.global_batch_tokens = 1000;  // not whole sequences
  o.global_batch = 0;
  EXPECT_EQ(field_of(a, o, d), "global_batch_tokens");
  o = Options(1, 1, 1);
  o.memory.tensor_parallel = 0;  // outside the declared range
  EXPECT_EQ(field_of(a, o, d), "tp");
  model::Device no_fp8 = d;
  no_fp8.peak_tflops_fp8.reset();
  o = Options(1, 1, 1);
  o.dtype = model::Dtype::kFp8;
  EXPECT_EQ(field_of(a, o, no_fp8), "dtype");
  model::Device no_network = d;
  no_network.network = {};
  EXPECT_EQ(field_of(a, Options(1, 1, 1), no_network), "device");
}

}  // namespace
}  // namespace scalesim::perf

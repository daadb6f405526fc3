// FLOPs conventions against ../shared/reference/golden-numbers.md.
#include "scalesim/model/flops.hpp"

#include <cmath>
#include <cstdint>

#include <gtest/gtest.h>

#include "scalesim/core/error.hpp"
#include "scalesim/core/units.hpp"
#include "scalesim/model/hardware.hpp"
#include "scalesim/model/params.hpp"

#include "model/reference_models.hpp"

namespace scalesim::model {
namespace {

using testing::Gpt3_175b;
using testing::Llama2_70b;
using testing::Mixtral8x7b;
using testing::NanoGpt;

// Published figures printed to three significant digits: half a unit in the
// last place, relative.
constexpr double kThreeDigits = 5e-3;
// Narayanan et al. 2021 Table 2 prints whole days.
constexpr double kOneDay = 1.0;
// MFU and HFU printed to 0.1 percentage point.
constexpr double kTenthOfPoint = 1e-3;

OperationOptions NanoGptOptions() {
  OperationOptions o;
  o.seq_len = 1024;
  o.include_embeddings = false;
  o.include_softmax = false;
  return o;
}

// golden-numbers.md: nanoGPT GPT-2 124M (bias-free, s = 1024, V = 50,257),
// forward per sequence, exact [nanoGPT transformer_sizing notebook].
TEST(FlopsTest, NanoGptPerOperationIsExact) {
  const Architecture a = NanoGpt();
  ASSERT_EQ(CountParameters(a).total(), 124'337'664);  // golden-numbers.md
  const OperationFlops f = CountOperationFlops(a, NanoGptOptions());
  EXPECT_EQ(f.dense_block.attention_qkv, 3'623'878'656);
  EXPECT_EQ(f.dense_block.attention_scores, 1'610'612'736);
  EXPECT_EQ(f.dense_block.attention_value_reduce, 1'610'612'736);
  EXPECT_EQ(f.dense_block.attention_projection, 1'207'959'552);
  EXPECT_EQ(f.dense_block.mlp, 9'663'676'416);
  EXPECT_EQ(f.dense_block.total(), 17'716'740'096);
  EXPECT_EQ(f.blocks(), 212'600'881'152);
  EXPECT_EQ(f.lm_head, 79'047'426'048);
  EXPECT_EQ(f.forward(), 291'648'307'200);
  EXPECT_EQ(f.training(), 874'944'921'600);
  EXPECT_EQ(f.backward(), 2 * f.forward());
  EXPECT_EQ(f.embeddings, 0);
  EXPECT_EQ(f.dense_block.attention_softmax, 0);
}

// golden-numbers.md: PaLM formula 6N + 12 L H Q T with N = 123,551,232
// (excluding position embeddings): 875,062,886,400 per sequence, exact.
TEST(FlopsTest, PalmFormulaOnNanoGptIsExact) {
  FlopsOptions o;
  o.seq_len = 1024;
  const ConventionFlops palm =
      TrainingFlops(NanoGpt(), FlopsConvention::kPalm, o);
  EXPECT_EQ(palm.params, 123'551'232.0);
  EXPECT_EQ(palm.model_flops_per_token * 1024.0, 875'062'886'400.0);
  EXPECT_EQ(PalmFlopsPerToken(123'551'232.0, 12, 12, 64, 1024) * 1024.0,
            875'062'886'400.0);
}

// golden-numbers.md: PaLM 540B (N = 540.35e9, L = 118, H = 48, Q = 256,
// T = 2048): 3.277735e12 FLOPs per token; 238.3e3 tokens/s on 6144 TPU v4 at
// 275 TFLOP/s: MFU 46.2% [Chowdhery et al. 2022 App. B].
TEST(FlopsTest, Palm540bFlopsPerTokenAndMfu) {
  const double per_token = PalmFlopsPerToken(540.35e9, 118, 48, 256, 2048);
  EXPECT_NEAR(per_token, 3.277735e12, 0.0000005e12);  // printed to 7 digits
  const double mfu = Utilization(per_token, 238.3e3, 6144, 275e12);
  EXPECT_NEAR(mfu, 0.462, kTenthOfPoint / 2);
}

// golden-numbers.md: GPT-3 175B on 300e9 tokens: 6ND = 3.14e23 FLOPs =
// 3,640 PF-days [Brown et al. 2020 Table D.1].
TEST(FlopsTest, Gpt3SixNdAndPetaflopDays) {
  FlopsOptions o;
  o.seq_len = 2048;
  const ConventionFlops c =
      TrainingFlops(Gpt3_175b(), FlopsConvention::k6ndTotal, o);
  EXPECT_EQ(c.params, 174'604'259'328.0);  // golden-numbers.md, exact count
  const double total = c.model_flops_per_token * 300e9;
  EXPECT_NEAR(total / 3.14e23, 1.0, kThreeDigits);
  EXPECT_NEAR(total / units::kFlopsPerPetaflopDay / 3640.0, 1.0, kThreeDigits);
}

// golden-numbers.md: Hoffmann et al. 2022 Table 3 (Approach 1), FLOPs =
// 6 N D for the rows whose token counts are printed to 3-4 digits. (The 67B
// row, 5.76e23 FLOPs with 1.5T tokens, is the Gopher budget with the tokens
// rounded to two digits: 6ND gives 6.03e23.)
TEST(FlopsTest, HoffmannTable3IsSixNd) {
  struct Row {
    double params, tokens, flops;
  };
  for (const Row& r : {Row{1e9, 20.2e9, 1.21e20},
                       Row{175e9, 3.7e12, 3.85e24},
                       Row{280e9, 5.9e12, 9.90e24},
                       Row{1e12, 21.2e12, 1.27e26},
                       Row{10e12, 216.2e12, 1.30e28}}) {
    SCOPED_TRACE(r.params);
    // Tokens printed to 2-4 digits: within 1%.
    EXPECT_NEAR(SixNFlopsPerToken(r.params) * r.tokens / r.flops, 1.0, 0.01);
  }
}

// golden-numbers.md: Narayanan et al. 2021 Table 2, 96 B s L h^2 (1 + s/(6h)
// + V/(16 L h)) with full recompute, 300e9 tokens, s = 2048, V = 51,200.
TEST(FlopsTest, NarayananTable2TrainingTimes) {
  struct Row {
    std::int64_t layers, hidden, gpus;
    double tflops_per_gpu, days;
  };
  const Row rows[] = {{96, 12288, 384, 153, 84},
                      {96, 12288, 768, 149, 43},
                      {96, 12288, 1536, 141, 23},
                      {105, 20480, 560, 171, 156},
                      {105, 20480, 1120, 167, 80},
                      {105, 20480, 2240, 159, 42}};
  for (const Row& r : rows) {
    SCOPED_TRACE(r.gpus);
    const double per_token = MegatronHardwareFlopsPerToken(
        r.layers, r.hidden, 2048, 51200, Recompute::kFull);
    TrainingTimeOptions o;
    o.devices = r.gpus;
    o.peak_flops_per_device = r.tflops_per_gpu * 1e12;  // achieved throughput
    o.mfu = 1.0;
    EXPECT_NEAR(
        EstimateTrainingTime(per_token * 300e9, o).days, r.days, kOneDay);
  }
}

// golden-numbers.md: Megatron-LM README, GPT-3 175B, global batch 1536,
// s = 2048, 1024 A100, 32 s/iteration: 137.66 TFLOP/s per GPU (44.1% of 312).
TEST(FlopsTest, MegatronReadmeThroughput) {
  const double per_token =
      MegatronHardwareFlopsPerToken(96, 12288, 2048, 51200, Recompute::kFull);
  const double achieved =
      AchievedFlopsPerDevice(per_token, 1536.0 * 2048.0 / 32.0, 1024);
  EXPECT_NEAR(achieved, 137.66e12, 0.005e12);  // printed to 0.01 TFLOP/s
  EXPECT_NEAR(achieved / 312e12, 0.441, kTenthOfPoint / 2);
}

// golden-numbers.md: Korthikanti et al. 2022, model FLOPs
// 72 B s L h^2 (1 + s/(6h) + V/(12 L h)); selective recompute hardware FLOPs
// use s/(3h). MFU -> HFU: 22B 41.5 -> 43.7, 175B 51.4 -> 52.8, 530B
// 56.0 -> 57.0, 1T 56.3 -> 57.0 (Table 5), within 0.1 pp.
TEST(FlopsTest, KorthikantiMfuToHfu) {
  struct Row {
    std::int64_t layers, hidden;
    double mfu, hfu;
  };
  for (const Row& r : {Row{48, 6144, 0.415, 0.437},
                       Row{96, 12288, 0.514, 0.528},
                       Row{105, 20480, 0.560, 0.570},
                       Row{128, 25600, 0.563, 0.570}}) {
    SCOPED_TRACE(r.layers);
    const double model =
        MegatronModelFlopsPerToken(r.layers, r.hidden, 2048, 51200);
    const double hardware = MegatronHardwareFlopsPerToken(
        r.layers, r.hidden, 2048, 51200, Recompute::kSelective);
    EXPECT_NEAR(r.mfu * hardware / model, r.hfu, kTenthOfPoint);
  }
}

// The Megatron convention on an architecture is the closed form on its
// L, h, s and V.
TEST(FlopsTest, MegatronConventionUsesTheClosedForm) {
  FlopsOptions o;
  o.seq_len = 2048;
  o.recompute = Recompute::kFull;
  const ConventionFlops c =
      TrainingFlops(Gpt3_175b(51200), FlopsConvention::kMegatron, o);
  EXPECT_DOUBLE_EQ(c.model_flops_per_token,
                   MegatronModelFlopsPerToken(96, 12288, 2048, 51200));
  EXPECT_DOUBLE_EQ(
      c.hardware_flops_per_token,
      MegatronHardwareFlopsPerToken(96, 12288, 2048, 51200, Recompute::kFull));
  // Per-operation and closed form agree within 0.1% on a GPT block.
  const ConventionFlops ops =
      TrainingFlops(Gpt3_175b(51200), FlopsConvention::kMatmulOnly, o);
  EXPECT_NEAR(ops.model_flops_per_token / c.model_flops_per_token, 1.0, 1e-3);
}

// Kaplan et al. 2020 Table 1: C_forward = 2N + 2 n_layer n_ctx d_attn.
TEST(FlopsTest, KaplanForwardFormula) {
  FlopsOptions o;
  o.seq_len = 1024;
  const Architecture a = NanoGpt();
  const ConventionFlops c = TrainingFlops(a, FlopsConvention::kKaplan, o);
  const double n = static_cast<double>(CountParameters(a).non_embedding());
  EXPECT_EQ(c.params, n);
  EXPECT_DOUBLE_EQ(c.forward_flops_per_token,
                   KaplanForwardFlopsPerToken(n, 12, 1024, 768));
  EXPECT_DOUBLE_EQ(c.forward_flops_per_token, 2.0 * n + 2.0 * 12 * 1024 * 768);
  EXPECT_DOUBLE_EQ(c.model_flops_per_token, 3.0 * c.forward_flops_per_token);
}

// App. F counts the embedding lookup (2 s V d) and the softmax (3 H s^2).
TEST(FlopsTest, ChinchillaAppendixFAddsEmbeddingsAndSoftmax) {
  OperationOptions o = NanoGptOptions();
  o.include_embeddings = true;
  o.include_softmax = true;
  const OperationFlops f = CountOperationFlops(NanoGpt(), o);
  EXPECT_EQ(f.embeddings, 2LL * 1024 * 50257 * 768);
  EXPECT_EQ(f.dense_block.attention_softmax, 3LL * 12 * 1024 * 1024);
}

// ---------------------------------------------------------------------------
// Each switch changes only the term it names.

TEST(FlopsSwitchTest, CausalChangesOnlyTheAttentionScoreTerms) {
  OperationOptions full = NanoGptOptions();
  full.include_softmax = true;
  full.include_embeddings = true;
  OperationOptions causal = full;
  causal.causal = true;
  const OperationFlops a = CountOperationFlops(NanoGpt(), full);
  const OperationFlops b = CountOperationFlops(NanoGpt(), causal);
  EXPECT_EQ(b.embeddings, a.embeddings);
  EXPECT_EQ(b.dense_block.attention_qkv, a.dense_block.attention_qkv);
  EXPECT_EQ(b.dense_block.attention_projection,
            a.dense_block.attention_projection);
  EXPECT_EQ(b.dense_block.mlp, a.dense_block.mlp);
  EXPECT_EQ(b.lm_head, a.lm_head);
  // s(s+1)/2 = 524,800 pairs instead of s^2 = 1,048,576.
  EXPECT_EQ(b.dense_block.attention_scores, 2LL * 524'800 * 768);
  EXPECT_EQ(b.dense_block.attention_value_reduce, 2LL * 524'800 * 768);
  EXPECT_EQ(b.dense_block.attention_softmax, 3LL * 12 * 524'800);

  FlopsOptions fo;
  fo.seq_len = 1024;
  FlopsOptions fc = fo;
  fc.causal = true;
  const Architecture arch = NanoGpt();
  // palm: 12 L H Q T -> 6 L H Q T; the 6N part is unchanged.
  EXPECT_DOUBLE_EQ(
      TrainingFlops(arch, FlopsConvention::kPalm, fo).model_flops_per_token -
          TrainingFlops(arch, FlopsConvention::kPalm, fc).model_flops_per_token,
      6.0 * 12 * 12 * 64 * 1024);
  // megatron: s/(6h) -> s/(12h).
  const double megatron_half = 72.0 * 12 * 768 * 768 * 1024 / (12.0 * 768);
  EXPECT_NEAR(TrainingFlops(arch, FlopsConvention::kMegatron, fo)
                      .model_flops_per_token -
                  TrainingFlops(arch, FlopsConvention::kMegatron, fc)
                      .model_flops_per_token,
              megatron_half,
              1e-9 * megatron_half);
  // 6nd has no attention term; kaplan is printed as published.
  for (FlopsConvention c : {FlopsConvention::k6ndTotal,
                            FlopsConvention::k6ndNonEmbedding,
                            FlopsConvention::kKaplan}) {
    EXPECT_EQ(TrainingFlops(arch, c, fo).model_flops_per_token,
              TrainingFlops(arch, c, fc).model_flops_per_token);
  }
}

TEST(FlopsSwitchTest, RecomputeChangesOnlyHardwareFlops) {
  const Architecture arch = NanoGpt();
  FlopsOptions none;
  none.seq_len = 1024;
  for (Recompute r : {Recompute::kSelective, Recompute::kFull}) {
    FlopsOptions o = none;
    o.recompute = r;
    for (FlopsConvention c : AllFlopsConventions()) {
      SCOPED_TRACE(std::string(ToString(c)) + " " + std::string(ToString(r)));
      const ConventionFlops a = TrainingFlops(arch, c, none);
      const ConventionFlops b = TrainingFlops(arch, c, o);
      EXPECT_EQ(a.model_flops_per_token, b.model_flops_per_token);
      EXPECT_EQ(a.forward_flops_per_token, b.forward_flops_per_token);
      EXPECT_EQ(a.hardware_flops_per_token, a.model_flops_per_token);
      if (c != FlopsConvention::k6ndTotal &&
          c != FlopsConvention::k6ndNonEmbedding) {
        EXPECT_GT(b.hardware_flops_per_token, b.model_flops_per_token);
      }
    }
  }
  // Per operation: selective repeats exactly the scores, softmax and value
  // reduction of every block; full repeats every block.
  OperationOptions o = NanoGptOptions();
  o.recompute = Recompute::kSelective;
  const OperationFlops sel = CountOperationFlops(arch, o);
  EXPECT_EQ(sel.recompute,
            12 * (sel.dense_block.attention_scores +
                  sel.dense_block.attention_value_reduce));
  EXPECT_EQ(sel.training(), 874'944'921'600);
  o.recompute = Recompute::kFull;
  const OperationFlops full = CountOperationFlops(arch, o);
  EXPECT_EQ(full.recompute, 212'600'881'152);
  EXPECT_EQ(full.hardware_training(), 874'944'921'600 + 212'600'881'152);
}

TEST(FlopsSwitchTest, EmbeddingsAndSoftmaxSwitchesChangeOnlyTheirTerms) {
  const OperationOptions base = NanoGptOptions();
  const OperationFlops a = CountOperationFlops(NanoGpt(), base);
  OperationOptions emb = base;
  emb.include_embeddings = true;
  const OperationFlops b = CountOperationFlops(NanoGpt(), emb);
  EXPECT_EQ(b.forward() - a.forward(), b.embeddings);
  EXPECT_EQ(b.blocks(), a.blocks());
  OperationOptions soft = base;
  soft.include_softmax = true;
  const OperationFlops c = CountOperationFlops(NanoGpt(), soft);
  EXPECT_EQ(c.forward() - a.forward(), 12 * c.dense_block.attention_softmax);
  EXPECT_EQ(c.embeddings, a.embeddings);
}

// MoE: N is the active parameters by default; the total when asked. Only N
// changes.
TEST(FlopsSwitchTest, MoeActiveParamsChangesOnlyN) {
  const Architecture a = Mixtral8x7b();
  const ParamBreakdown p = CountParameters(a);
  ASSERT_EQ(p.total(), 46'702'792'704);  // expected_counts.csv
  ASSERT_EQ(p.active(), 12'879'925'248);
  FlopsOptions active;
  active.seq_len = 4096;
  FlopsOptions total = active;
  total.moe_active_params = false;
  const ConventionFlops x =
      TrainingFlops(a, FlopsConvention::k6ndTotal, active);
  const ConventionFlops y = TrainingFlops(a, FlopsConvention::k6ndTotal, total);
  EXPECT_EQ(x.params, 12'879'925'248.0);
  EXPECT_EQ(y.params, 46'702'792'704.0);
  EXPECT_DOUBLE_EQ(y.model_flops_per_token - x.model_flops_per_token,
                   6.0 * (46'702'792'704 - 12'879'925'248));
  const ConventionFlops pa = TrainingFlops(a, FlopsConvention::kPalm, active);
  const ConventionFlops pt = TrainingFlops(a, FlopsConvention::kPalm, total);
  EXPECT_DOUBLE_EQ(pt.model_flops_per_token - pa.model_flops_per_token,
                   6.0 * (46'702'792'704 - 12'879'925'248));
  // Per operation: the MLP of the two routed experts (3 matrices each) and
  // the router.
  OperationOptions o;
  o.seq_len = 4096;
  const OperationFlops f = CountOperationFlops(a, o);
  EXPECT_EQ(f.n_moe_blocks, 32);
  EXPECT_EQ(f.moe_block.mlp, 2LL * 4096 * 2 * 3 * 4096 * 14336);
  EXPECT_EQ(f.moe_block.router, 2LL * 4096 * 4096 * 8);
}

// GQA changes only the K and V projections of the per-operation count.
TEST(FlopsSwitchTest, KvHeadsChangeOnlyTheQkvTerm) {
  const Architecture gqa = Llama2_70b();
  Architecture mha = gqa;
  mha.n_kv_heads = 64;
  OperationOptions o;
  o.seq_len = 4096;
  const OperationFlops a = CountOperationFlops(gqa, o);
  const OperationFlops b = CountOperationFlops(mha, o);
  EXPECT_EQ(b.dense_block.attention_qkv - a.dense_block.attention_qkv,
            2LL * 4096 * 8192 * 2 * (64 - 8) * 128);
  EXPECT_EQ(b.dense_block.attention_scores, a.dense_block.attention_scores);
  EXPECT_EQ(b.dense_block.attention_value_reduce,
            a.dense_block.attention_value_reduce);
  EXPECT_EQ(b.dense_block.attention_projection,
            a.dense_block.attention_projection);
  EXPECT_EQ(b.dense_block.mlp, a.dense_block.mlp);
  // The per-operation weight FLOPs are 2 per weight used: q, k, v, o.
  EXPECT_EQ(a.dense_block.attention_qkv + a.dense_block.attention_projection,
            2LL * 4096 * CountParameters(gqa).dense_block.attention);
}

TEST(FlopsSwitchTest, GatedMlpChangesOnlyTheMlpTerm) {
  const Architecture gated = Llama2_70b();
  Architecture standard = gated;
  standard.mlp = MlpKind::kStandard;
  OperationOptions o;
  o.seq_len = 4096;
  const OperationFlops a = CountOperationFlops(gated, o);
  const OperationFlops b = CountOperationFlops(standard, o);
  EXPECT_EQ(a.dense_block.mlp, 2LL * 4096 * 3 * 8192 * 28672);
  EXPECT_EQ(b.dense_block.mlp, 2LL * 4096 * 2 * 8192 * 28672);
  EXPECT_EQ(a.dense_block.attention(), b.dense_block.attention());
  EXPECT_EQ(a.lm_head, b.lm_head);
}

// Inference per generated token: 2 FLOPs per weight used plus attention over
// the context, 2 c H (qk + v) per layer.
TEST(FlopsTest, InferencePerToken) {
  const Architecture a = NanoGpt();
  const ParamBreakdown p = CountParameters(a);
  const InferenceFlops f = InferenceFlopsPerToken(a, 1024);
  // Matrix weights: non-embedding minus the norm weights, plus the (tied)
  // LM head.
  const std::int64_t matrices =
      p.non_embedding() - p.norms() + p.token_embedding;
  EXPECT_EQ(f.weight_flops, 2 * matrices);
  EXPECT_EQ(f.attention_flops, 12LL * 2 * 1024 * 12 * (64 + 64));
}

TEST(FlopsTest, BadInputThrows) {
  OperationOptions o;
  o.seq_len = 0;
  EXPECT_THROW(CountOperationFlops(NanoGpt(), o), InvalidInput);
  FlopsOptions f;
  EXPECT_THROW(TrainingFlops(NanoGpt(), FlopsConvention::kPalm, f),
               InvalidInput);
  EXPECT_THROW(InferenceFlopsPerToken(NanoGpt(), -1), InvalidInput);
  EXPECT_THROW(ParseFlopsConvention("8nd"), InvalidInput);
  EXPECT_THROW(ParseRecompute("partial"), InvalidInput);
  EXPECT_EQ(ParseFlopsConvention("matmul-only"), FlopsConvention::kMatmulOnly);
  // A count beyond int64 is bad input, not a wrapped number.
  o.seq_len = 4'000'000'000;
  EXPECT_THROW(CountOperationFlops(NanoGpt(), o), InvalidInput);
}

// Attention FLOPs per layer by the keys each attends. gemma-3-1b (4 heads
// of 256) over s = 1,024 tokens, causal: a global layer has 1,024 x 1,025 /
// 2 = 524,800 query-key pairs; a local one (window 512) 512 x 513 / 2 +
// (1,024 - 512) x 512 = 131,328 + 262,144 = 393,472, so its QK^T costs
// 2 x 393,472 x 4 x 256 = 805,830,656. Without the causal mask a local
// query still sees at most 512 keys: 1,024 x 512 = 524,288 pairs.
TEST(FlopsTest, SlidingWindowLayersAttendAtMostTheWindow) {
  const Architecture a = testing::Gemma3_1b();
  OperationOptions o;
  o.seq_len = 1024;
  o.causal = true;
  const OperationFlops f = CountOperationFlops(a, o);
  ASSERT_EQ(f.attention_layers.size(), 2U);
  const AttentionLayerFlops& full = f.attention_layers[0];
  const AttentionLayerFlops& local = f.attention_layers[1];
  EXPECT_EQ(full.kind, AttentionKind::kFull);
  EXPECT_EQ(full.layers, 4);
  EXPECT_EQ(full.block.attention_scores, 2LL * 524'800 * 4 * 256);
  EXPECT_EQ(local.kind, AttentionKind::kSliding);
  EXPECT_EQ(local.layers, 22);
  EXPECT_EQ(local.block.attention_scores, 805'830'656);
  // blocks(): every layer by its kind, the MLPs of all 26.
  EXPECT_EQ(f.blocks(),
            26 * f.dense_block.mlp + 4 * full.block.attention() +
                22 * local.block.attention());
  o.causal = false;
  const OperationFlops g = CountOperationFlops(a, o);
  EXPECT_EQ(g.attention_layers[1].block.attention_scores,
            2LL * 524'288 * 4 * 256);
  // Decoding at 32,768 tokens: 4 global layers over 32,768 keys, 22 local
  // ones over 512, 2 x keys x 4 x (256 + 256) each.
  EXPECT_EQ(InferenceFlopsPerToken(a, 32768).attention_flops,
            2LL * 4 * 512 * (4 * 32768 + 22 * 512));
  // Kaplan's 2 n_ctx d_attn per layer becomes 2 min(n_ctx, W) d_attn.
  FlopsOptions t;
  t.seq_len = 4096;
  const ConventionFlops k = TrainingFlops(a, FlopsConvention::kKaplan, t);
  EXPECT_DOUBLE_EQ(
      k.forward_flops_per_token -
          2.0 * static_cast<double>(CountParameters(a).non_embedding()),
      2.0 * 1024 * (4 * 4096 + 22 * 512));
}

// Chunked attention (Llama 4) over s = 20 with chunks of 8: chunks of 8, 8
// and 4 tokens; causal 36 + 36 + 10 = 82 pairs, unmasked 64 + 64 + 16 =
// 144. Decoding the 20th token (context 20) it sees the 4 of its chunk.
TEST(FlopsTest, ChunkedLayersAttendWithinTheirChunk) {
  Architecture a = Llama2_70b();
  a.n_layers = 2;
  a.attention_chunk = 8;
  a.layer_pattern = {{AttentionKind::kChunked, false},
                     {AttentionKind::kFull, true}};
  OperationOptions o;
  o.seq_len = 20;
  o.causal = true;
  const std::int64_t per_pair = 2LL * 64 * 128;  // QK^T per pair
  EXPECT_EQ(
      CountOperationFlops(a, o).attention_layers[1].block.attention_scores,
      82 * per_pair);
  o.causal = false;
  EXPECT_EQ(
      CountOperationFlops(a, o).attention_layers[1].block.attention_scores,
      144 * per_pair);
  // One chunked layer over 4 keys, one full layer over 20.
  EXPECT_EQ(InferenceFlopsPerToken(a, 20).attention_flops,
            2LL * 64 * (128 + 128) * (4 + 20));
}

// A Gated DeltaNet layer costs no query-key pairs but its recurrence, 7 n_v
// d_k d_v per token, and its convolution, 2 conv_dim K: Qwen3-Next 7 x 32 x
// 128 x 128 + 2 x 8,192 x 4 = 3,670,016 + 65,536 = 3,735,552, whatever the
// context; its projections 2 x (25,165,824 + 131,072) and 2 x 8,388,608.
TEST(FlopsTest, LinearAttentionCostsItsRecurrence) {
  const Architecture a = testing::Qwen3Next80b();
  OperationOptions o;
  o.seq_len = 4096;
  o.causal = true;
  const OperationFlops f = CountOperationFlops(a, o);
  ASSERT_EQ(f.attention_layers.size(), 2U);
  const AttentionLayerFlops& linear = f.attention_layers[1];
  EXPECT_EQ(linear.kind, AttentionKind::kLinear);
  EXPECT_EQ(linear.layers, 36);
  EXPECT_EQ(linear.block.attention_scores, 0);
  EXPECT_EQ(linear.block.linear_attention_state, 4096LL * 3'735'552);
  EXPECT_EQ(linear.block.attention_qkv, 2LL * 4096 * (25'165'824 + 131'072));
  EXPECT_EQ(linear.block.attention_projection, 2LL * 4096 * 8'388'608);
  // Gated attention: q_proj 2048 x 8,192 (query and gate).
  EXPECT_EQ(f.attention_layers[0].block.attention_qkv,
            2LL * 4096 * 2048 * (8192 + 2 * 512));
  const std::int64_t per_context =
      InferenceFlopsPerToken(a, 262144).attention_flops -
      InferenceFlopsPerToken(a, 1).attention_flops;
  // Only the 12 attention layers grow with the context.
  EXPECT_EQ(per_context, 12LL * 2 * 262143 * 16 * (256 + 256));
}

}  // namespace
}  // namespace scalesim::model

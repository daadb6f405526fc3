// Training and inference memory against ../shared/reference/golden-numbers.md.
#include "scalesim/model/memory.hpp"

#include <cstdint>
#include <string>

#include <gtest/gtest.h>

#include "scalesim/core/error.hpp"
#include "scalesim/core/units.hpp"
#include "scalesim/model/params.hpp"

#include "model/reference_models.hpp"

namespace scalesim::model {
namespace {

using testing::Gpt3_175b;
using testing::Llama2_70b;
using testing::Llama2_7b;
using testing::NanoGpt;

// ZeRO Fig. 1 prints GB to one decimal.
constexpr double kTenthOfGb = 0.05e9;
// golden-numbers.md: Megatron-LM's theoretical memory "match within 2%"
// (its bookkeeping counts no biases or position table and replicates less).
constexpr double kMegatronBookkeeping = 0.02;

ModelStateOptions MixedAdam(std::int64_t zero_stage = 0, std::int64_t dp = 1) {
  ModelStateOptions o;
  o.precision = Precision::kMixed16;
  o.grad_dtype = GradientDtype::k16;
  o.optimizer = Optimizer::kAdam;
  o.zero_stage = zero_stage;
  o.data_parallel = dp;
  return o;
}

// Korthikanti et al. 2022's accounting (Table 2): no FlashAttention, dropout
// masks counted; scalesim's default is FlashAttention without dropout.
TrainingMemoryOptions Korthikanti() {
  TrainingMemoryOptions o;
  o.flash_attention = false;
  o.dropout = true;
  return o;
}

// golden-numbers.md: weights of a 7e9-parameter model, fp32 28 GB, bf16
// 14 GB, int8 7 GB, int4 3.5 GB (GB = 1e9 bytes) [seed].
TEST(MemoryTest, WeightsOfSevenBillionParameters) {
  constexpr std::int64_t kParams = 7'000'000'000;
  auto bytes = [&](WeightDtype d) {
    return WeightBytes(kParams, QuantizationOptions{d, 0, 16});
  };
  EXPECT_EQ(bytes(WeightDtype::kFp32), 28'000'000'000);
  EXPECT_EQ(bytes(WeightDtype::kBf16), 14'000'000'000);
  EXPECT_EQ(bytes(WeightDtype::kInt8), 7'000'000'000);
  EXPECT_EQ(bytes(WeightDtype::kFp8), 7'000'000'000);
  EXPECT_EQ(bytes(WeightDtype::kInt4), 3'500'000'000);
  // One 16-bit scale per 128 weights adds ceil(7e9 / 128) * 2 bytes.
  EXPECT_EQ(
      WeightBytes(kParams, QuantizationOptions{WeightDtype::kInt4, 128, 16}),
      3'500'000'000 + 109'375'000);
}

// Llama-2-7B (6,738,415,616 parameters, HF num_parameters()) at int4
// without scales: half a byte each; embeddings_16bit keeps its
// 32,000 x 4,096 embedding and untied LM head (262,144,000) at 2 bytes.
TEST(MemoryTest, EmbeddingsAndHeadStayAtSixteenBits) {
  QuantizationOptions q;
  q.dtype = WeightDtype::kInt4;
  EXPECT_EQ(EmbeddingAndHeadParams(Llama2_7b()), 262'144'000);
  EXPECT_EQ(CheckpointWeightBytes(Llama2_7b(), q), 3'369'207'808);
  q.embeddings_16bit = true;
  EXPECT_EQ(CheckpointWeightBytes(Llama2_7b(), q),
            (6'738'415'616 - 262'144'000) / 2 + 2 * 262'144'000);
  InferenceMemoryOptions o;
  o.weights = q;
  o.context = 1;
  o.tensor_parallel = 2;
  EXPECT_EQ(EstimateInferenceMemory(Llama2_7b(), o).weights_per_device,
            3'762'423'808 / 2);
  // At 16 bits or more it changes nothing.
  q.dtype = WeightDtype::kBf16;
  EXPECT_EQ(CheckpointWeightBytes(Llama2_7b(), q), 2 * 6'738'415'616);
}

// golden-numbers.md: ZeRO (Rajbhandari et al. 2020 Fig. 1), Psi = 7.5e9,
// N_d = 64, mixed-precision Adam 2 + 2 + 12: 120, 31.4, 16.6, 1.9 GB.
TEST(MemoryTest, ZeroFigureOne) {
  constexpr std::int64_t kPsi = 7'500'000'000;
  EXPECT_EQ(ComputeModelStateBytes(kPsi, MixedAdam(0, 64)).total(),
            120'000'000'000);
  EXPECT_NEAR(static_cast<double>(
                  ComputeModelStateBytes(kPsi, MixedAdam(1, 64)).total()),
              31.4e9,
              kTenthOfGb);
  EXPECT_NEAR(static_cast<double>(
                  ComputeModelStateBytes(kPsi, MixedAdam(2, 64)).total()),
              16.6e9,
              kTenthOfGb);
  EXPECT_NEAR(static_cast<double>(
                  ComputeModelStateBytes(kPsi, MixedAdam(3, 64)).total()),
              1.9e9,
              kTenthOfGb);
  // Exactly 2 Psi + 2 Psi + 12 Psi / 64 for stage 1.
  EXPECT_EQ(ComputeModelStateBytes(kPsi, MixedAdam(1, 64)).total(),
            30'000'000'000 + 1'406'250'000);
}

// The 16 / 18 / 20 bytes-per-parameter conventions, explicit.
TEST(MemoryTest, BytesPerParamConventions) {
  ModelStateOptions o = MixedAdam();
  EXPECT_EQ(BytesPerParamOf(o).total(), 16.0);  // ZeRO: 2 + 2 + K (K = 12)
  o.grad_dtype = GradientDtype::k32;
  EXPECT_EQ(BytesPerParamOf(o).total(),
            18.0);  // Megatron-LM theoretical memory
  EXPECT_NE(DescribeBytesPerParam(o).find("= 18 bytes/param"),
            std::string::npos)
      << DescribeBytesPerParam(o);
  o.grad_dtype = GradientDtype::k16And32;
  EXPECT_EQ(BytesPerParamOf(o).total(), 20.0);
  ModelStateOptions fp32 = MixedAdam();
  fp32.precision = Precision::kFp32;
  fp32.grad_dtype = DefaultGradientDtype(Precision::kFp32);
  EXPECT_EQ(BytesPerParamOf(fp32).total(), 16.0);  // 4 + 4 + 8, no master copy
  ModelStateOptions sgd = MixedAdam();
  sgd.optimizer = Optimizer::kSgdMomentum;
  EXPECT_EQ(BytesPerParamOf(sgd).total(),
            12.0);  // 2 + 2 + 4 master + 4 momentum
  ModelStateOptions fp8 = MixedAdam();
  fp8.precision = Precision::kFp8Mixed;
  EXPECT_EQ(BytesPerParamOf(fp8).total(), 15.0);  // 1 + 2 + 4 + 8
  // 8-bit Adam: 2 bytes of states plus one fp32 absmax per 2,048-element
  // block and state (Dettmers et al. 2022).
  ModelStateOptions adam8 = MixedAdam();
  adam8.optimizer = Optimizer::kAdam8bit;
  const ModelStateBytes b = ComputeModelStateBytes(4096, adam8);
  EXPECT_EQ(b.optimizer_states, 4 * 4096 + 2 * 4096 + 2 * 4 * 2);
}

// Adafactor keeps r + c second-moment scalars per r x c matrix (Shazeer and
// Stern 2018).
TEST(MemoryTest, AdafactorFactoredStates) {
  Architecture a;
  a.name = "tiny";
  a.vocab_size = 10;
  a.d_model = 4;
  a.n_layers = 1;
  a.n_heads = 1;
  a.d_ff = 8;
  a.norm = NormKind::kNone;
  a.final_norm = false;
  a.position = PositionKind::kRotary;
  a.tied_embeddings = false;
  ASSERT_EQ(CountParameters(a).total(), 40 + 4 * 16 + 2 * 32 + 40);
  // Embedding 10 + 4, q k v o 4 x (4 + 4), MLP (4 + 8) x 2, head 4 + 10.
  EXPECT_EQ(AdafactorStateScalars(a), 14 + 32 + 24 + 14);
  ModelStateOptions o;
  o.precision = Precision::kFp32;
  o.grad_dtype = GradientDtype::k32;
  o.optimizer = Optimizer::kAdafactor;
  const ModelStateBytes b =
      ComputeModelStateBytes(208, o, AdafactorStateScalars(a));
  EXPECT_EQ(b.weights, 4 * 208);
  EXPECT_EQ(b.gradients, 4 * 208);
  EXPECT_EQ(b.optimizer_states, 4 * 84);
}

TrainingMemoryOptions Gpt3Options(std::int64_t t, bool sp, Recompute r) {
  TrainingMemoryOptions o = Korthikanti();
  o.states = MixedAdam();
  o.tensor_parallel = t;
  o.sequence_parallel = sp;
  o.recompute = r;
  o.micro_batch = 1;
  o.seq_len = 2048;
  return o;
}

// golden-numbers.md: activations per layer (Korthikanti et al. 2022 Table 2),
// 16-bit, GPT-3 175B, s = 2048, b = 1, h = 12288, a = 96, t = 8. Exact.
TEST(MemoryTest, KorthikantiActivationsPerLayer) {
  const Architecture a = Gpt3_175b();
  EXPECT_EQ(LayerActivationBytes(a, Gpt3Options(1, false, Recompute::kNone)),
            2'868'903'936);  // sbh(34 + 5as/h)
  EXPECT_EQ(LayerActivationBytes(a, Gpt3Options(8, false, Recompute::kNone)),
            578'813'952);  // tensor parallel
  EXPECT_EQ(LayerActivationBytes(a, Gpt3Options(8, true, Recompute::kNone)),
            358'612'992);  // + sequence parallel
  EXPECT_EQ(
      LayerActivationBytes(a, Gpt3Options(8, false, Recompute::kSelective)),
      327'155'712);
  EXPECT_EQ(
      LayerActivationBytes(a, Gpt3Options(8, true, Recompute::kSelective)),
      106'954'752);
  EXPECT_EQ(LayerActivationBytes(a, Gpt3Options(8, false, Recompute::kFull)),
            50'331'648);  // 2sbh
  // Table 2 without parallelism, selective: 34 sbh.
  EXPECT_EQ(
      LayerActivationBytes(a, Gpt3Options(1, false, Recompute::kSelective)),
      34LL * 2048 * 12288);
}

// golden-numbers.md: Megatron-LM theoretical memory (MiB), GPT-3 175B
// (LayerNorm, biases, tied, V = 51,200), TP8 PP8, micro-batch 1, s = 2048,
// sequence parallel + selective recompute, no distributed optimizer (18
// bytes/param): weights + optimizer 48,016.18, activations 9,816.02.
TEST(MemoryTest, MegatronTheoreticalMemoryGpt3) {
  TrainingMemoryOptions o = Gpt3Options(8, true, Recompute::kSelective);
  o.pipeline_parallel = 8;
  o.states.grad_dtype = GradientDtype::k32;
  const TrainingMemory m = EstimateTrainingMemory(Gpt3_175b(51200), o);
  EXPECT_EQ(m.most_loaded.stage, 0);
  EXPECT_EQ(m.most_loaded.activations.in_flight, 8);
  EXPECT_EQ(m.most_loaded.activations.layers, 12);
  const double states_mib =
      static_cast<double>(m.most_loaded.states.total()) / units::kBytesPerMiB;
  const double activations_mib =
      static_cast<double>(m.most_loaded.activations.total()) /
      units::kBytesPerMiB;
  EXPECT_NEAR(states_mib / 48'016.18, 1.0, kMegatronBookkeeping);
  EXPECT_NEAR(activations_mib / 9'816.02, 1.0, kMegatronBookkeeping);
  // The activation bookkeeping is Megatron's own: equal to 0.01 MiB.
  EXPECT_NEAR(activations_mib, 9'816.02, 0.005);
}

// golden-numbers.md: KV cache per token, 16-bit: Llama-2-7B 524,288 B;
// Llama-2-70B (8 KV heads) 327,680 B. Exact.
TEST(MemoryTest, KvCachePerToken) {
  EXPECT_EQ(KvCacheBytesPerToken(Llama2_7b()), 524'288);
  EXPECT_EQ(KvCacheBytesPerToken(Llama2_70b()), 327'680);
  EXPECT_EQ(KvCacheBytesPerToken(Llama2_70b(), 8), 163'840);
}

// MLA caches (kv_lora_rank + qk_rope_head_dim) elements per token per layer
// (DeepSeek-V2 Table 1: (d_c + d_h^R) l): DeepSeek-V3 shape, 61 layers,
// 512 + 64, 16-bit: 70,272 bytes.
TEST(MemoryTest, MlaCachesTheLatent) {
  Architecture a;
  a.name = "deepseek-v3-dense";
  a.vocab_size = 129280;
  a.d_model = 7168;
  a.n_layers = 61;
  a.n_heads = 128;
  a.d_ff = 18432;
  a.mlp = MlpKind::kGated;
  a.norm = NormKind::kRmsNorm;
  a.position = PositionKind::kRotary;
  a.mla = MlaConfig{1536, 512, 128, 64, 128};
  EXPECT_EQ(KvCacheBytesPerToken(a), 61 * 576 * 2);
  InferenceMemoryOptions o;
  o.context = 1000;
  o.tensor_parallel = 8;
  // The latent is shared by all heads: replicated, not split.
  EXPECT_EQ(EstimateInferenceMemory(a, o).kv_cache_per_device,
            61LL * 576 * 2 * 1000);
}

TEST(MemoryTest, InferenceUnderTensorParallel) {
  InferenceMemoryOptions o;
  o.context = 4096;
  o.batch = 4;
  o.tensor_parallel = 4;
  const Architecture a = Llama2_70b();
  const InferenceMemory m = EstimateInferenceMemory(a, o);
  EXPECT_EQ(m.weights_per_device, 2 * 68'976'648'192 / 4);
  EXPECT_EQ(m.kv_heads_per_device, 2);
  EXPECT_EQ(m.kv_cache_per_device, 327'680LL / 4 * 4096 * 4);
  // More ranks than KV heads: each rank keeps one head (replicated).
  o.tensor_parallel = 16;
  EXPECT_EQ(EstimateInferenceMemory(a, o).kv_heads_per_device, 1);
  // Largest batch: the first that does not fit is one more.
  constexpr std::int64_t kDevice = 80LL << 30;
  o.tensor_parallel = 2;
  const std::int64_t b = LargestInferenceBatch(a, o, kDevice);
  ASSERT_GT(b, 0);
  o.batch = b;
  EXPECT_LE(EstimateInferenceMemory(a, o).total_per_device(), kDevice);
  o.batch = b + 1;
  EXPECT_GT(EstimateInferenceMemory(a, o).total_per_device(), kDevice);
  // Weights alone too large: 0.
  o.tensor_parallel = 1;
  EXPECT_EQ(LargestInferenceBatch(a, o, kDevice), 0);
}

// ---------------------------------------------------------------------------
// Each switch changes only the term it names.

TEST(MemorySwitchTest, FlashAttentionReplacesOnlyTheQuadraticTerm) {
  const Architecture a = Gpt3_175b();
  TrainingMemoryOptions o = Gpt3Options(1, false, Recompute::kNone);
  const std::int64_t standard = LayerActivationBytes(a, o);
  o.flash_attention = true;
  const std::int64_t flash = LayerActivationBytes(a, o);
  // 5 a s^2 b replaced by the fp32 log-sum-exp, 4 a s b.
  EXPECT_EQ(standard - flash, 5LL * 96 * 2048 * 2048 - 4LL * 96 * 2048);
}

TEST(MemorySwitchTest, DropoutRemovesOnlyMasksAndTheirOutput) {
  const Architecture a = Gpt3_175b();
  TrainingMemoryOptions o = Gpt3Options(1, false, Recompute::kNone);
  o.dropout = false;
  // Two sbh masks and, in the core, the a s^2 b mask and the 2 a s^2 b
  // dropout output: 32 sbh + 2 a s^2 b.
  EXPECT_EQ(LayerActivationBytes(a, o),
            32LL * 2048 * 12288 + 2LL * 96 * 2048 * 2048);
}

TEST(MemorySwitchTest, ZeroStagesShardOnlyTheirState) {
  constexpr std::int64_t kParams = 1'000'000;
  const ModelStateBytes s0 = ComputeModelStateBytes(kParams, MixedAdam(0, 8));
  const ModelStateBytes s1 = ComputeModelStateBytes(kParams, MixedAdam(1, 8));
  const ModelStateBytes s2 = ComputeModelStateBytes(kParams, MixedAdam(2, 8));
  const ModelStateBytes s3 = ComputeModelStateBytes(kParams, MixedAdam(3, 8));
  EXPECT_EQ(s1.weights, s0.weights);
  EXPECT_EQ(s1.gradients, s0.gradients);
  EXPECT_EQ(s1.optimizer_states, s0.optimizer_states / 8);
  EXPECT_EQ(s2.weights, s1.weights);
  EXPECT_EQ(s2.gradients, s1.gradients / 8);
  EXPECT_EQ(s2.optimizer_states, s1.optimizer_states);
  EXPECT_EQ(s3.weights, s2.weights / 8);
  EXPECT_EQ(s3.gradients, s2.gradients);
  EXPECT_EQ(s3.optimizer_states, s2.optimizer_states);
}

TEST(MemorySwitchTest, GradientDtypeChangesOnlyGradients) {
  ModelStateOptions o = MixedAdam();
  const ModelStateBytes a = ComputeModelStateBytes(1000, o);
  o.grad_dtype = GradientDtype::k32;
  const ModelStateBytes b = ComputeModelStateBytes(1000, o);
  EXPECT_EQ(a.weights, b.weights);
  EXPECT_EQ(a.optimizer_states, b.optimizer_states);
  EXPECT_EQ(b.gradients - a.gradients, 2 * 1000);
}

TEST(MemorySwitchTest, KvHeadsChangeOnlyKAndVActivations) {
  const Architecture gqa = Llama2_70b();
  Architecture mha = gqa;
  mha.n_kv_heads = 64;
  TrainingMemoryOptions o = Gpt3Options(1, false, Recompute::kNone);
  o.seq_len = 4096;
  // K and V of 64 - 8 more heads, 2 bytes each.
  EXPECT_EQ(LayerActivationBytes(mha, o) - LayerActivationBytes(gqa, o),
            2LL * 2 * 4096 * (64 - 8) * 128);
}

TEST(MemoryTest, PipelineFirstStageHoldsInFlightMicrobatches) {
  TrainingMemoryOptions o = Gpt3Options(8, true, Recompute::kSelective);
  o.pipeline_parallel = 8;
  const Architecture a = Gpt3_175b(51200);
  TrainingMemory m = EstimateTrainingMemory(a, o);
  EXPECT_EQ(m.first.activations.in_flight, 8);
  EXPECT_EQ(m.last.activations.in_flight, 1);
  EXPECT_EQ(m.first.activations.blocks, 8LL * 12 * 106'954'752);
  EXPECT_EQ(m.first.activations.final_norm_and_logits, 0);
  EXPECT_GT(m.last.activations.final_norm_and_logits, 0);
  // The tied head keeps a copy of the embedding on the last stage.
  EXPECT_EQ(m.last.params_per_device,
            (12 * CountParameters(a).dense_block.total() + 2 * 12288 +
             51200LL * 12288) /
                8);
  // Fewer micro-batches than stages: fewer in flight.
  o.num_microbatches = 3;
  m = EstimateTrainingMemory(a, o);
  EXPECT_EQ(m.first.activations.in_flight, 3);
  // Uneven split: 96 layers over 7 stages, the first holds ceil(96/7) = 14.
  o.pipeline_parallel = 7;
  o.num_microbatches = 0;
  EXPECT_EQ(EstimateTrainingMemory(a, o).first.activations.layers, 14);
}

// Interleaved 1F1B (issue 15): Megatron-LM's theoretical_memory_usage.py
// multiplies the first stage's activations by 1 + (p - 1)/(p v); with p 8
// and v 3 its warm-up holds 2*7 + 2*8 + 1 = 31 chunks of 96/24 = 4 layers:
// 124 layers' worth against 8 micro-batches x 12 layers = 96 without
// interleaving (124 = 96 * (1 + 7/24)).
TEST(MemoryTest, InterleavedScheduleHoldsMoreOnTheFirstStage) {
  TrainingMemoryOptions o = Gpt3Options(8, true, Recompute::kSelective);
  o.pipeline_parallel = 8;
  const Architecture a = Gpt3_175b(51200);
  const TrainingMemory plain = EstimateTrainingMemory(a, o);
  o.virtual_stages = 3;
  const TrainingMemory interleaved = EstimateTrainingMemory(a, o);
  EXPECT_EQ(plain.first.activations.blocks, 96LL * 106'954'752);
  EXPECT_EQ(interleaved.first.activations.blocks, 124LL * 106'954'752);
  EXPECT_EQ(interleaved.first.activations.in_flight, 11);  // ceil(31 / 3)
  // The last stage: 2*0 + 16 + 1 = 17 chunks of 4 layers.
  EXPECT_EQ(interleaved.last.activations.blocks, 68LL * 106'954'752);
  EXPECT_EQ(interleaved.first.states.total(), plain.first.states.total());
  // Few micro-batches: at most every chunk of the step (2 x 3).
  o.num_microbatches = 2;
  EXPECT_EQ(EstimateTrainingMemory(a, o).first.activations.blocks,
            2LL * 12 * 106'954'752);
}

// Context parallel c: each rank holds the activations of s/c tokens, and
// ZeRO shards over the data and context ranks together.
TEST(MemoryTest, ContextParallelSplitsTokensAndShardsStates) {
  const Architecture a = Llama2_7b();
  TrainingMemoryOptions o;
  o.states = MixedAdam(1, 4);
  o.seq_len = 8192;
  o.context_parallel = 2;
  const TrainingMemory cp = EstimateTrainingMemory(a, o);
  TrainingMemoryOptions half = o;
  half.context_parallel = 1;
  half.seq_len = 4096;
  half.states.data_parallel = 8;
  const TrainingMemory same = EstimateTrainingMemory(a, half);
  EXPECT_EQ(cp.most_loaded.activations.total(),
            same.most_loaded.activations.total());
  EXPECT_EQ(cp.most_loaded.states.total(), same.most_loaded.states.total());
  o.seq_len = 8191;
  EXPECT_THROW(EstimateTrainingMemory(a, o), InvalidInput);
}

// Expert parallel e: Mixtral's 8 experts over e = 8 ranks leave one routed
// expert (3 x 4096 x 14336 = 176,160,768 parameters) per layer per rank.
TEST(MemoryTest, ExpertParallelSplitsRoutedExperts) {
  const Architecture a = testing::Mixtral8x7b();
  TrainingMemoryOptions o = Korthikanti();
  o.seq_len = 4096;
  o.states = MixedAdam(1, 8);
  const TrainingMemory plain = EstimateTrainingMemory(a, o);
  EXPECT_EQ(plain.first.expert_params_per_device, 0);
  o.expert_parallel = 8;
  const TrainingMemory ep = EstimateTrainingMemory(a, o);
  EXPECT_EQ(ep.first.expert_params_per_device, 32LL * 176'160'768);
  EXPECT_EQ(plain.first.params_per_device - ep.first.params_per_device,
            7LL * 32 * 176'160'768);
  // Expert states shard over 8 / 8 = 1 rank: their optimizer states are
  // whole (12 bytes each with the master copy), the rest sharded 8 ways.
  const std::int64_t dense = ep.first.params_per_device - 32LL * 176'160'768;
  EXPECT_EQ(ep.first.states.optimizer_states,
            (12 * dense + 7) / 8 + 12LL * 32 * 176'160'768);
  o.expert_parallel = 3;  // does not divide 8 experts
  EXPECT_THROW(EstimateTrainingMemory(a, o), InvalidInput);
  o.expert_parallel = 2;
  EXPECT_THROW(EstimateTrainingMemory(Llama2_7b(), o), InvalidInput);
}

TEST(MemoryTest, AMiddlePipelineStageCanBeTheMostLoaded) {
  // One leading dense layer, then MoE layers of 64 experts: over 4 stages the
  // first holds the embedding and the cheap dense layer, the second an MoE
  // layer with 3 micro-batches in flight (found by scripts/memory_peer.py).
  Architecture a;
  a.name = "moe";
  a.vocab_size = 256;
  a.d_model = 1024;
  a.n_layers = 4;
  a.n_heads = 16;
  a.d_ff = 4096;
  a.context_length = 2048;
  a.tied_embeddings = true;
  a.moe.num_experts = 64;
  a.moe.experts_per_token = 2;
  a.moe.expert_d_ff = 4096;
  a.moe.first_dense_layers = 1;
  TrainingMemoryOptions o = Korthikanti();
  o.pipeline_parallel = 4;
  o.seq_len = 2048;
  const TrainingMemory m = EstimateTrainingMemory(a, o);
  EXPECT_EQ(m.most_loaded.stage, 1);
  EXPECT_GT(m.most_loaded.total(), m.first.total());
  EXPECT_GT(m.most_loaded.total(), m.last.total());
  const ParamBreakdown p = CountParameters(a);
  EXPECT_EQ(m.most_loaded.params_per_device, p.moe_block.total());
  EXPECT_EQ(m.most_loaded.activations.in_flight, 3);
  // Dense models: the first stage (most in flight) stays the most loaded.
  TrainingMemoryOptions g = Gpt3Options(8, true, Recompute::kSelective);
  g.pipeline_parallel = 8;
  EXPECT_EQ(EstimateTrainingMemory(Gpt3_175b(51200), g).most_loaded.stage, 0);
}

TEST(MemoryTest, TensorParallelBeyondKvHeadsReplicatesThem) {
  // Llama-2-70B has 8 KV heads: at t = 16 every rank keeps one whole KV
  // head (2 x 8192 x 128 K/V weights per layer) instead of half of one.
  const Architecture a = Llama2_70b();
  TrainingMemoryOptions o = Korthikanti();
  o.tensor_parallel = 16;
  o.seq_len = 4096;
  const TrainingMemory m = EstimateTrainingMemory(a, o);
  const std::int64_t total = 68'976'648'192;  // HF num_parameters()
  const std::int64_t kv_per_head = 2LL * 8192 * 128;
  EXPECT_EQ(m.most_loaded.params_per_device,
            (total - 80 * 8 * kv_per_head) / 16 + 80 * kv_per_head);
  // K/V activations: one head each per rank, not 8/16 of the heads.
  TrainingMemoryOptions even = o;
  even.tensor_parallel = 8;
  const std::int64_t sb = 4096;
  const std::int64_t at16 = LayerActivationBytes(a, o);
  const std::int64_t at8 = LayerActivationBytes(a, even);
  // From t = 8 to t = 16 every split term halves; K and V (1 head each of
  // 128 wide, 2 bytes) stay.
  const std::int64_t kv = 2 * sb * 1 * 256;
  EXPECT_EQ(at16 - kv, (at8 - kv) - (at8 - kv - 10 * sb * 8192) / 2);
}

TEST(MemoryTest, SingleDeviceHoldsEverything) {
  const Architecture a = NanoGpt();
  TrainingMemoryOptions o = Korthikanti();
  o.seq_len = 1024;
  o.micro_batch = 4;
  const TrainingMemory m = EstimateTrainingMemory(a, o);
  EXPECT_EQ(m.most_loaded.params_per_device, 124'337'664);
  EXPECT_EQ(m.most_loaded.states.total(), 16 * 124'337'664);
  // Logits in fp32 for the cross-entropy: 4 s b V, plus 2 x 2 sbh inputs.
  EXPECT_EQ(m.most_loaded.activations.final_norm_and_logits,
            4LL * 1024 * 4 * 50257 + 4LL * 1024 * 4 * 768);
  EXPECT_EQ(m.most_loaded.activations.embedding,
            8LL * 1024 * 4 + 1024LL * 4 * 768);
}

TEST(MemoryTest, LargestMicroBatchIsTheLastThatFits) {
  const Architecture a = Llama2_7b();
  TrainingMemoryOptions o = Korthikanti();
  o.seq_len = 4096;
  o.recompute = Recompute::kFull;
  o.states = MixedAdam(3, 8);
  constexpr std::int64_t kDevice = 80LL << 30;
  const std::int64_t b = LargestMicroBatch(a, o, kDevice);
  ASSERT_GT(b, 0);
  o.micro_batch = b;
  EXPECT_LE(EstimateTrainingMemory(a, o).most_loaded.total(), kDevice);
  o.micro_batch = b + 1;
  EXPECT_GT(EstimateTrainingMemory(a, o).most_loaded.total(), kDevice);
  // Llama-2-7B with plain mixed Adam (16 bytes/param, 108 GB) fits no 80 GiB
  // device.
  o.states = MixedAdam();
  EXPECT_EQ(LargestMicroBatch(a, o, kDevice), 0);
}

TEST(MemoryTest, BadOptionsThrowNamingTheField) {
  const Architecture a = Llama2_7b();
  TrainingMemoryOptions o = Korthikanti();
  o.seq_len = 4096;
  auto field_of = [&](const TrainingMemoryOptions& opt) {
    try {
      EstimateTrainingMemory(a, opt);
    } catch (const InvalidInput& e) {
      return e.where().field;
    }
    return std::string("no error");
  };
  TrainingMemoryOptions t = o;
  t.tensor_parallel = 5;  // does not divide 32 heads
  EXPECT_EQ(field_of(t), "tensor_parallel");
  TrainingMemoryOptions p = o;
  p.pipeline_parallel = 33;
  EXPECT_EQ(field_of(p), "pipeline_parallel");
  TrainingMemoryOptions z = o;
  z.states.zero_stage = 4;
  EXPECT_EQ(field_of(z), "zero_stage");
  TrainingMemoryOptions d = o;
  d.states.data_parallel = 0;
  EXPECT_EQ(field_of(d), "data_parallel");
  TrainingMemoryOptions s = o;
  s.seq_len = 0;
  EXPECT_EQ(field_of(s), "seq_len");
  InferenceMemoryOptions i;
  i.context = 4096;
  i.tensor_parallel = 3;
  EXPECT_THROW(EstimateInferenceMemory(a, i), InvalidInput);
  EXPECT_THROW(KvCacheBytesPerToken(a, 12), InvalidInput);
  EXPECT_THROW(ParseOptimizer("lion"), InvalidInput);
  EXPECT_EQ(ParsePrecision("fp16"), Precision::kMixed16);
}

// gemma-3-1b at 32,768 tokens of context, bf16 cache. One cached token of
// one layer: K and V of 1 KV head x 256 x 2 bytes = 1,024 bytes. The
// default pattern of 6 makes layers 5, 11, 17, 23 global (4 layers x 32,768
// tokens = 134,217,728 bytes) and the other 22 local, each keeping its
// 512-token window (22 x 512 x 1,024 = 11,534,336 bytes): 145,752,064
// bytes. (Without windows: 26 x 32,768 x 1,024 = 872,415,232.)
TEST(KvCacheTest, Gemma3OneBillionPerLayerKind) {
  const Architecture a = testing::Gemma3_1b();
  EXPECT_EQ(CountParameters(a).total(), 999'885'952);
  EXPECT_EQ(KvCacheBytesPerToken(a), 26 * 1024);
  EXPECT_EQ(KvCacheBytes(a, 32768), 145'752'064);
  // Within the window every layer grows: 26 x 512 x 1,024.
  EXPECT_EQ(KvCacheBytes(a, 512), 13'631'488);
  InferenceMemoryOptions o;
  o.context = 32768;
  o.batch = 2;
  const InferenceMemory m = EstimateInferenceMemory(a, o);
  EXPECT_EQ(m.kv_cache_per_device, 2 * 145'752'064);
  EXPECT_EQ(m.recurrent_state_per_device, 0);
  // bf16 weights 2 x 999,885,952 = 1,999,771,904 bytes; a 4 GiB device
  // (4,294,967,296) leaves 2,295,195,392 for sequences of 145,752,064:
  // 15 fit.
  EXPECT_EQ(m.weights_per_device, 1'999'771'904);
  EXPECT_EQ(LargestInferenceBatch(a, o, 4'294'967'296), 15);
}

// Qwen3-Next-80B at its 262,144-token context, bf16: the 12 attention
// layers keep 2 x 2 KV heads x 256 x 2 bytes = 2,048 bytes per token
// (12 x 262,144 x 2,048 = 6,442,450,944); each of the 36 Gated DeltaNet
// layers holds a conv state of (2 x 16 x 128 + 32 x 128) x 4 = 32,768 bf16
// values (65,536 bytes) and a recurrent state of 32 x 128 x 128 float32
// (2,097,152 bytes), whatever the context: 36 x 2,162,688 = 77,856,768.
TEST(KvCacheTest, LinearAttentionKeepsAConstantState) {
  const Architecture a = testing::Qwen3Next80b();
  EXPECT_EQ(CountParameters(a).total(), 79'674'391'296);
  EXPECT_EQ(KvCacheBytesPerToken(a), 12 * 2048);
  EXPECT_EQ(KvCacheBytes(a, 262144), 6'442'450'944 + 77'856'768);
  EXPECT_EQ(KvCacheBytes(a, 1), 12 * 2048 + 77'856'768);
  InferenceMemoryOptions o;
  o.context = 262144;
  o.tensor_parallel = 2;
  const InferenceMemory m = EstimateInferenceMemory(a, o);
  // Two ranks: one KV head each; 8 key and 16 value heads of the linear
  // layers: conv (2 x 8 x 128 + 16 x 128) x 4 x 2 bytes = 32,768, state
  // 16 x 128 x 128 x 4 = 1,048,576 per layer.
  EXPECT_EQ(m.recurrent_state_per_device, 36 * (32'768 + 1'048'576));
  EXPECT_EQ(m.kv_cache_per_device,
            12LL * 262144 * 1024 + 36 * (32'768 + 1'048'576));
}

// Chunked attention (Llama 4) keeps at most its chunk: 3 chunked layers of
// 8 and 1 global, 1 KV head of 64 (256 bytes per token at bf16), context
// 20: (3 x 8 + 20) x 256 = 11,264.
TEST(KvCacheTest, ChunkedLayersKeepAtMostTheirChunk) {
  Architecture a = Llama2_7b();
  a.n_layers = 4;
  a.n_heads = 64;
  a.n_kv_heads = 1;
  a.attention_chunk = 8;
  a.layer_pattern = {{AttentionKind::kChunked, false},
                     {AttentionKind::kChunked, false},
                     {AttentionKind::kChunked, false},
                     {AttentionKind::kFull, true}};
  EXPECT_EQ(KvCacheBytes(a, 20), (3 * 8 + 20) * 256);
  EXPECT_EQ(KvCacheBytes(a, 5), 4 * 5 * 256);
}

}  // namespace
}  // namespace scalesim::model

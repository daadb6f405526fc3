// Exact parameter counts against ../shared/reference/golden-numbers.md.
#include "scalesim/model/params.hpp"

#include <cstdint>

#include <gtest/gtest.h>

#include "scalesim/core/error.hpp"

namespace scalesim::model {
namespace {

// nanochat depth series: model_dim = 64 depth, heads = ceil(dim / 128),
// head_dim 128, vocab 65,536, untied, parameter-free RMSNorm, ReLU^2 MLP 4x,
// no biases [golden-numbers.md, seed guide].
Architecture Nanochat(std::int64_t depth) {
  Architecture a;
  a.name = "nanochat";
  a.d_model = 64 * depth;
  a.n_layers = depth;
  a.n_heads = (a.d_model + 127) / 128;
  a.head_dim = 128;
  a.d_ff = 4 * a.d_model;
  a.vocab_size = 65536;
  a.mlp = MlpKind::kStandard;
  a.activation = "relu2";
  a.norm = NormKind::kNone;
  a.final_norm = false;
  a.position = PositionKind::kRotary;
  a.tied_embeddings = false;
  return a;
}

// GPT-2 small as nanoGPT builds it with bias=False: bias-free LayerNorm,
// no linear biases, tied head, 1024 learned positions.
Architecture NanoGptSmall() {
  Architecture a;
  a.vocab_size = 50257;
  a.d_model = 768;
  a.n_layers = 12;
  a.n_heads = 12;
  a.d_ff = 3072;
  a.norm = NormKind::kLayerNormNoBias;
  a.position = PositionKind::kLearned;
  a.max_positions = 1024;
  a.tied_embeddings = true;
  return a;
}

Architecture WithGpt2Biases(Architecture a) {
  a.q_bias = a.k_bias = a.v_bias = a.o_bias = a.mlp_bias = true;
  a.norm = NormKind::kLayerNorm;
  return a;
}

TEST(ParamsTest, NanochatD20BreakdownIsExact) {
  const ParamBreakdown p = CountParameters(Nanochat(20));
  EXPECT_EQ(p.token_embedding, 83'886'080);  // wte
  EXPECT_EQ(p.dense_block.attention, 6'553'600);
  EXPECT_EQ(p.dense_block.mlp, 13'107'200);
  EXPECT_EQ(p.dense_block.total(), 19'660'800);  // one block
  EXPECT_EQ(p.lm_head, 83'886'080);
  EXPECT_EQ(p.total(), 560'988'160);
  EXPECT_EQ(p.norms(), 0);  // parameter-free RMSNorm
}

TEST(ParamsTest, NanochatD8) {
  EXPECT_EQ(CountParameters(Nanochat(8)).total(), 92'274'688);
}

TEST(ParamsTest, NanochatD20WithOneKvHeadAttention) {
  Architecture a = Nanochat(20);
  a.n_kv_heads = 1;  // MQA
  EXPECT_EQ(CountParameters(a).dense_block.attention, 3'604'480);
}

TEST(ParamsTest, Gpt2SmallNanoGptAndHuggingFace) {
  EXPECT_EQ(CountParameters(NanoGptSmall()).total(),
            124'337'664);  // nanoGPT notebook
  EXPECT_EQ(CountParameters(WithGpt2Biases(NanoGptSmall())).total(),
            124'439'808);  // HF
}

TEST(ParamsTest, LinearWithBiasViaMlpUpProjection) {
  // One standard MLP of 768 -> 3072 -> 768 with biases: the up projection is
  // the seed's linear 768 -> 3072 with bias, 2,362,368.
  Architecture a = WithGpt2Biases(NanoGptSmall());
  const ParamBreakdown p = CountParameters(a);
  EXPECT_EQ(p.dense_block.mlp, 2'362'368 + (3072 * 768 + 768));
}

TEST(ParamsTest, Gpt3_175B) {
  Architecture a = WithGpt2Biases(NanoGptSmall());
  a.d_model = 12288;
  a.n_layers = 96;
  a.n_heads = 96;
  a.d_ff = 4 * 12288;
  a.max_positions = 2048;
  EXPECT_EQ(CountParameters(a).total(), 174'604'259'328);
  EXPECT_EQ(RuleOfThumbParams(a), 173'946'175'488);
}

TEST(ParamsTest, ChinchillaTableA9ShapeWithinOnePercent) {
  Architecture a;
  a.vocab_size = 32000;
  a.d_model = 8192;
  a.n_layers = 80;
  a.n_heads = 64;
  a.head_dim = 128;
  a.d_ff = 32768;
  a.norm = NormKind::kRmsNorm;
  a.position = PositionKind::kRelative;
  a.tied_embeddings = true;
  constexpr double kTolerance = 0.01;  // golden-numbers.md: ~70.06e9 +-1%
  EXPECT_NEAR(static_cast<double>(CountParameters(a).total()),
              70.06e9,
              70.06e9 * kTolerance);
}

TEST(ParamsTest, NonEmbeddingExcludesVocabularyAndPositionMatrices) {
  const ParamBreakdown tied = CountParameters(WithGpt2Biases(NanoGptSmall()));
  EXPECT_EQ(tied.non_embedding(), 124'439'808 - 50257 * 768 - 1024 * 768);
  const ParamBreakdown untied = CountParameters(Nanochat(20));
  EXPECT_EQ(untied.non_embedding(), 20 * 19'660'800);
}

TEST(ParamsTest, MoeActiveCountsTopKAndSharedExperts) {
  Architecture a = Nanochat(8);
  a.mlp = MlpKind::kGated;
  a.moe.num_experts = 8;
  a.moe.experts_per_token = 2;
  a.moe.shared_experts = 1;
  a.moe.expert_d_ff = 1024;
  a.moe.first_dense_layers = 1;
  const ParamBreakdown p = CountParameters(a);
  const std::int64_t expert = 3 * 512 * 1024;
  EXPECT_EQ(p.n_dense_blocks, 1);
  EXPECT_EQ(p.n_moe_blocks, 7);
  EXPECT_EQ(p.moe_block.mlp, 9 * expert);
  EXPECT_EQ(p.moe_block.mlp_active, 3 * expert);
  EXPECT_EQ(p.moe_block.router, 512 * 8);
  EXPECT_EQ(p.total() - p.active(), 7 * 6 * expert);
}

TEST(ParamsTest, MoeLayerCountMatchesLayerByLayerRule) {
  // NumMoeLayers is arithmetic; it must agree with IsMoeLayer layer by layer
  // for DeepSeek-style (first k dense, every f-th) and Qwen2-MoE-style
  // ((i + 1) % step, mlp_only_layers) placements.
  Architecture a = Nanochat(8);
  a.moe.num_experts = 4;
  a.moe.experts_per_token = 1;
  a.moe.expert_d_ff = 64;
  for (std::int64_t layers : {1, 2, 7, 27, 61}) {
    for (std::int64_t first : {0, 1, 3}) {
      for (std::int64_t freq : {1, 2, 3}) {
        for (std::int64_t offset : {0, 1, 5}) {
          a.n_layers = layers;
          a.moe.first_dense_layers = first;
          a.moe.layer_freq = freq;
          a.moe.layer_offset = offset;
          a.moe.dense_layers = {0, 4, 4, 100};
          std::int64_t loop = 0;
          for (std::int64_t i = 0; i < layers; ++i)
            loop += a.IsMoeLayer(i) ? 1 : 0;
          EXPECT_EQ(a.NumMoeLayers(), loop)
              << layers << " " << first << " " << freq << " " << offset;
          // Every prefix [0, end), the count pipeline stages use.
          std::int64_t below = 0;
          for (std::int64_t end = 0; end <= layers; ++end) {
            EXPECT_EQ(a.NumMoeLayersBelow(end), below) << layers << " " << end;
            if (end < layers) below += a.IsMoeLayer(end) ? 1 : 0;
          }
        }
      }
    }
  }
  // A huge depth from a hostile config is counted at once, and its
  // parameter count is an overflow error rather than minutes of looping.
  a.n_layers = 27'222'222'222;
  a.moe.dense_layers.clear();
  a.moe.first_dense_layers = 1;
  a.moe.layer_freq = 1;
  a.moe.layer_offset = 0;
  EXPECT_EQ(a.NumMoeLayers(), 27'222'222'221);
}

TEST(ParamsTest, RejectsInconsistentShapes) {
  Architecture a = Nanochat(8);
  a.head_dim = 0;
  a.n_heads = 3;  // 512 % 3 != 0 and head_dim implied
  EXPECT_THROW(CountParameters(a), InvalidInput);
  a = Nanochat(8);
  a.n_kv_heads = 3;  // does not divide 4 heads
  EXPECT_THROW(CountParameters(a), InvalidInput);
  a = Nanochat(8);
  a.d_model = -1;
  EXPECT_THROW(CountParameters(a), InvalidInput);
  a = Nanochat(8);
  a.n_layers = 0;
  EXPECT_THROW(CountParameters(a), InvalidInput);
}

TEST(ParamsTest, OverflowIsAnError) {
  Architecture a = Nanochat(8);
  a.d_model = 4'000'000'000;
  a.head_dim = 0;
  a.n_heads = 1;
  a.d_ff = 16'000'000'000;
  try {
    CountParameters(a);
    FAIL() << "expected overflow";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("overflows"), std::string::npos);
  }
}

// q/k norms per head (Qwen3: 2 x head_dim) or over the whole projections
// (OLMo-2: heads x head_dim + kv_heads x head_dim); nanochat-d8 has 4 heads
// of 128 and no KV grouping, parameter-free norms, so RMSNorm is set.
TEST(ParamsTest, QkNormWidths) {
  Architecture a = Nanochat(8);
  a.norm = NormKind::kRmsNorm;
  a.n_kv_heads = 2;
  const std::int64_t base = CountParameters(a).dense_block.attention;
  a.qk_norm = true;
  EXPECT_EQ(CountParameters(a).dense_block.attention - base, 2 * 128);
  a.qk_norm_full_width = true;
  EXPECT_EQ(CountParameters(a).dense_block.attention - base, 4 * 128 + 2 * 128);
}

// gpt-oss sinks: one per head per layer, active; gated attention
// (Qwen3-Next) widens q_proj to 2 x heads x head_dim.
TEST(ParamsTest, AttentionSinksAndOutputGate) {
  Architecture a = Nanochat(8);  // 8 layers, 4 heads of 128 on d 512
  a.attention_sinks = true;
  const ParamBreakdown p = CountParameters(a);
  EXPECT_EQ(p.attention_sinks(), 8 * 4);
  EXPECT_EQ(p.total(), 92'274'688 + 32);
  EXPECT_EQ(p.active(), p.total());
  a.attention_sinks = false;
  a.attention_output_gate = true;
  // q_proj 512 x 1024 instead of 512 x 512: + 262,144 per layer.
  EXPECT_EQ(CountParameters(a).total(), 92'274'688 + 8 * 262'144);
}

// A hybrid of Gated DeltaNet and attention layers: the linear layers swap
// their mixer, the rest of each block is unchanged. Nanochat-d8 with
// layers 0-2, 4-6 linear (pattern [linear x3, full]): n_k 2, n_v 4,
// d_k = d_v = 64, K 4 on d 512: in_proj_qkvz 512 x (256 + 512) = 393,216;
// in_proj_ba 512 x 8 = 4,096; conv1d (256 + 256) x 4 = 2,048; dt_bias,
// A_log 8; norm 64; out_proj 256 x 512 = 131,072: 530,504.
TEST(ParamsTest, LinearAttentionLayersReplaceTheMixer) {
  Architecture a = Nanochat(8);
  a.layer_pattern = {{AttentionKind::kLinear, false},
                     {AttentionKind::kLinear, false},
                     {AttentionKind::kLinear, false},
                     {AttentionKind::kFull, false}};
  a.linear_attention = {2, 4, 64, 64, 4};
  const ParamBreakdown p = CountParameters(a);
  EXPECT_EQ(p.n_linear_layers, 6);
  EXPECT_EQ(p.linear_attention, 530'504);
  EXPECT_EQ(LinearAttentionParams(a), 530'504);
  // nanochat-d8 attention is 4 x 512^2 = 1,048,576 per layer.
  EXPECT_EQ(p.attention(), 2 * 1'048'576);
  EXPECT_EQ(p.total(), 92'274'688 + 6 * (530'504 - 1'048'576));
  EXPECT_EQ(p.active(), p.total());
}

// The pattern counts are arithmetic and agree with the layer-by-layer
// rule for every prefix.
TEST(ParamsTest, LayerPatternCountsMatchTheLayerByLayerRule) {
  Architecture a = Nanochat(8);
  a.sliding_window = 16;
  a.attention_chunk = 32;
  a.layer_pattern = {{AttentionKind::kSliding, false},
                     {AttentionKind::kChunked, true},
                     {AttentionKind::kFull, true}};
  for (std::int64_t layers : {1, 2, 3, 7, 26}) {
    a.n_layers = layers;
    for (AttentionKind k : {AttentionKind::kFull,
                            AttentionKind::kSliding,
                            AttentionKind::kChunked,
                            AttentionKind::kLinear}) {
      std::int64_t loop = 0;
      for (std::int64_t end = 0; end <= layers; ++end) {
        EXPECT_EQ(a.NumLayersOfBelow(k, end), loop);
        if (end < layers && a.LayerKindAt(end).attention == k) ++loop;
      }
    }
  }
  a.n_layers = 3'000'000'000;
  EXPECT_EQ(a.NumLayersOf(AttentionKind::kChunked), 1'000'000'000);
  EXPECT_EQ(ShortestPeriod({{AttentionKind::kSliding, false},
                            {AttentionKind::kFull, false},
                            {AttentionKind::kSliding, false},
                            {AttentionKind::kFull, false}})
                .size(),
            2U);
  EXPECT_TRUE(ShortestPeriod({{}, {}, {}}).empty());
}

// DSA indexer (DeepSeek-V3.2): wq_b n h x q_lora + wk h x d + k_norm 2h +
// weights_proj n x d per layer; it needs MLA with a query latent.
TEST(ParamsTest, IndexerNeedsAQueryLatent) {
  Architecture a = Nanochat(8);
  a.mla = {128, 64, 32, 16, 32};
  a.indexer = {2, 8, 64};
  const ParamBreakdown p = CountParameters(a);
  EXPECT_EQ(p.indexer(), 8 * (2 * 8 * 128 + 8 * 512 + 16 + 2 * 512));
  a.mla.q_lora_rank = 0;
  EXPECT_THROW(CountParameters(a), InvalidInput);
}

// A multimodal checkpoint: the language model's total and the whole
// checkpoint's.
TEST(ParamsTest, VisionTowerIsAComponentOfTheCheckpoint) {
  Architecture a = Nanochat(8);
  a.vision_tower_params = 1000;
  a.multimodal_projector_params = 24;
  const ParamBreakdown p = CountParameters(a);
  EXPECT_EQ(p.total(), 92'274'688);
  EXPECT_EQ(p.checkpoint_total(), 92'274'688 + 1024);
  EXPECT_TRUE(p.multimodal());
}

TEST(ParamsTest, PatternsNeedTheirWindowsAndFitTheLimits) {
  Architecture a = Nanochat(8);
  a.layer_pattern = {{AttentionKind::kSliding, false}};
  EXPECT_THROW(CountParameters(a), InvalidInput);  // no sliding_window
  a.sliding_window = 4096;
  EXPECT_NO_THROW(CountParameters(a));
  a.layer_pattern.assign(9, LayerKind{});  // more entries than layers
  EXPECT_THROW(CountParameters(a), InvalidInput);
  a = Nanochat(8);
  a.layer_pattern = {{AttentionKind::kLinear, false}};
  EXPECT_THROW(CountParameters(a), InvalidInput);  // no linear_attention
  a.linear_attention = {3, 4, 64, 64, 4};          // 4 value heads, 3 key heads
  EXPECT_THROW(CountParameters(a), InvalidInput);
}

}  // namespace
}  // namespace scalesim::model

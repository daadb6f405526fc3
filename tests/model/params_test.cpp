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

}  // namespace
}  // namespace scalesim::model

// safetensors headers and checkpoint folders: real headers written here
// with zero-filled data (tests/safetensors_test_support.hpp), and damaged or
// hostile files that must be bad input naming the file, never a crash.
#include "scalesim/io/safetensors.hpp"

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "scalesim/core/error.hpp"
#include "scalesim/io/architecture_io.hpp"
#include "scalesim/io/checkpoint.hpp"
#include "scalesim/io/files.hpp"

#include "safetensors_test_support.hpp"
#include "test_support.hpp"

namespace scalesim::io {
namespace {

using testing::LlamaTensors;
using testing::SafetensorsBytes;
using testing::TempDir;
using testing::TensorSpec;
using testing::WithHeader;

std::string Problem(const std::string& bytes) {
  try {
    ParseSafetensorsHeader(
        bytes, static_cast<std::int64_t>(bytes.size()), "m.safetensors");
  } catch (const InvalidInput& e) {
    return e.what();
  }
  return "no error";
}

TEST(SafetensorsTest, ReadsNamesDtypesAndShapes) {
  const std::string bytes = SafetensorsBytes(
      {{"a.weight", "BF16", {3, 4}}, {"b", "F32", {}}, {"c", "U8", {2, 0, 5}}});
  const SafetensorsFile f = ParseSafetensorsHeader(
      bytes, static_cast<std::int64_t>(bytes.size()), "m.safetensors");
  ASSERT_EQ(f.tensors.size(), 3U);
  EXPECT_EQ(f.tensors[0].name, "a.weight");
  EXPECT_EQ(f.tensors[0].numel, 12);
  EXPECT_EQ(f.tensors[0].data_end, 24);  // 12 BF16 values
  EXPECT_EQ(f.tensors[1].numel, 1);      // a scalar
  EXPECT_EQ(f.tensors[2].numel, 0);      // a zero dimension: no bytes
  EXPECT_EQ(f.metadata.at("format"), "pt");
  EXPECT_EQ(SafetensorsDtypeBits("F4"), 4);
  EXPECT_EQ(SafetensorsDtypeBits("F8_E4M3"), 8);
  EXPECT_EQ(SafetensorsDtypeBits("Q4"), 0);
}

TEST(SafetensorsTest, MalformedFilesAreBadInputNamingTheFile) {
  const std::string ok =
      R"({"t": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}})";
  EXPECT_EQ(Problem("abc"),
            "m.safetensors: not a safetensors file: 3 bytes, shorter than the "
            "8-byte header length");
  // `ok` pads to a 64-byte header: with 8 bytes of data the file has 80.
  // A length past the end of the file (a truncated download): 240.
  std::string past = WithHeader(ok, 8);
  past[0] = static_cast<char>(0xF0);
  EXPECT_EQ(Problem(past),
            "m.safetensors: header length 240 bytes runs past the end of the "
            "file (80 bytes)");
  // A length above the format's 100 MB limit: 2^32 + 64.
  std::string huge = WithHeader(ok, 8);
  huge[4] = 1;
  EXPECT_EQ(Problem(huge),
            "m.safetensors: header length 4294967360 bytes exceeds the "
            "100,000,000-byte limit of the format");
  EXPECT_EQ(Problem(WithHeader("{\"t\": oops}", 0)),
            "m.safetensors: the header is not valid UTF-8 JSON (byte 7 of the "
            "header)");
  EXPECT_EQ(Problem(WithHeader("[1, 2]", 0)),
            "m.safetensors: the header does not begin with '{'");
  // Invalid UTF-8 in a name.
  EXPECT_NE(
      Problem(WithHeader("{\"\xff\": {}}", 0)).find("not valid UTF-8 JSON"),
      std::string::npos);
  // Element counts beyond int64: 2^62 x 4.
  EXPECT_EQ(
      Problem(
          WithHeader(R"({"t": {"dtype": "U8", "shape": [4611686018427387904, 4],
                          "data_offsets": [0, 0]}})",
                     0)),
      "m.safetensors: the shape of tensor 't' has more than 2^63 elements");
  EXPECT_EQ(Problem(WithHeader(R"({"t": {"dtype": "U8", "shape": [-1],
                                  "data_offsets": [0, 0]}})",
                               0)),
            "m.safetensors: negative number in tensor 't' field 'shape'");
  EXPECT_EQ(Problem(WithHeader(
                R"({"t": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                    "t": {"dtype": "F32", "shape": [2], "data_offsets": [8, 16]}})",
                16)),
            "m.safetensors: tensor 't' is listed twice");
  EXPECT_EQ(Problem(WithHeader(R"({"t": {"dtype": "F32", "shape": [[2]],
                                  "data_offsets": [0, 8]}})",
                               8)),
            "m.safetensors: unexpected list in tensor 't' field 'shape'");
  EXPECT_EQ(Problem(WithHeader(R"({"t": {"dtype": {"a": {"b": 1}}}})", 0)),
            "m.safetensors: nested object in tensor 't' field 'dtype' (a "
            "safetensors header nests no deeper than tensor -> shape)");
  EXPECT_EQ(
      Problem(WithHeader(
          R"({"t": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}})",
          8)),
      "m.safetensors: tensor 't' has data_offsets [0, 8] but its shape "
      "needs 12 bytes");
  EXPECT_EQ(Problem(WithHeader(ok, 4)),
            "m.safetensors: the tensors cover 8 bytes of data but the file "
            "holds 4 (truncated?)");
  EXPECT_EQ(
      Problem(WithHeader(
          R"({"t": {"dtype": "Q4", "shape": [2], "data_offsets": [0, 1]}})",
          1)),
      "m.safetensors: tensor 't' has unknown dtype 'Q4'");
  EXPECT_EQ(Problem(WithHeader(R"({"t": 5})", 0)),
            "m.safetensors: entry 't' must be an object, got a number");
  EXPECT_EQ(Problem(WithHeader(R"({"__metadata__": {"a": 1}})", 0)),
            "m.safetensors: __metadata__ value 'a' must be a string, got a "
            "number");
}

// Only the header is read: a 1 TB file (sparse, one BF16 tensor of
// 2^19 x 2^20 = 549,755,813,888 parameters, 2^40 bytes) is counted at once.
TEST(SafetensorsTest, ATerabyteFileIsCountedFromItsHeader) {
  TempDir dir("safetensors_terabyte");
  const std::string path = dir.Write(
      "model.safetensors",
      WithHeader(R"({"w": {"dtype": "BF16", "shape": [524288, 1048576],
                     "data_offsets": [0, 1099511627776]}})",
                 0));
  std::error_code ec;
  std::filesystem::resize_file(
      path, std::filesystem::file_size(path) + (std::uintmax_t{1} << 40), ec);
  if (ec) GTEST_SKIP() << "no sparse 1 TB file here: " << ec.message();
  const SafetensorsFile f = ReadSafetensorsHeader(path);
  ASSERT_EQ(f.tensors.size(), 1U);
  EXPECT_EQ(f.tensors[0].numel, 549'755'813'888);
}

TEST(SafetensorsTest, SpecialFilesAreRefusedBeforeReading) {
  TempDir dir("safetensors_special");
  std::filesystem::create_directories(dir.File("d.safetensors"));
  EXPECT_THROW(ReadSafetensorsHeader(dir.File("d.safetensors")), InvalidInput);
  EXPECT_THROW(ReadSafetensorsHeader("/dev/null"), InvalidInput);
  ASSERT_EQ(::mkfifo(dir.File("f.safetensors").c_str(), 0600), 0);
  EXPECT_THROW(ReadSafetensorsHeader(dir.File("f.safetensors")), InvalidInput);
  EXPECT_THROW(ReadSafetensorsHeader(dir.File("missing.safetensors")),
               InvalidInput);
}

// The tiny Qwen3 of hf_families_test (226,752 parameters): V 1000, d 64,
// 2 layers, 4 heads of 32, 2 KV heads, f 128.
constexpr const char* kQwen3Config =
    R"({"model_type": "qwen3", "vocab_size": 1000, "hidden_size": 64,
        "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
        "head_dim": 32, "intermediate_size": 128, "tie_word_embeddings": false})";

std::vector<TensorSpec> Qwen3Tensors(bool lm_head = true) {
  return LlamaTensors(1000, 64, 2, 128, 64, 32, 128, true, lm_head);
}

CheckpointComparison Compare(const TempDir& dir) {
  const CheckpointTensors t = ReadCheckpointTensors(dir.File(""));
  const model::Architecture a = ArchitectureFromHfConfig(
      ReadTextFile(dir.File("config.json")), "config.json");
  return CompareCheckpoint(a, t);
}

const CheckpointRow& RowOf(const CheckpointComparison& c,
                           const std::string& component) {
  for (const CheckpointRow& r : c.rows) {
    if (r.component == component) return r;
  }
  static const CheckpointRow kNone{"none", 0, 0, "absent"};
  return kNone;
}

TEST(CheckpointTest, ShardedCheckpointMatchesItsConfig) {
  TempDir dir("checkpoint_sharded");
  dir.Write("config.json", kQwen3Config);
  std::vector<TensorSpec> all = Qwen3Tensors();
  const std::vector<TensorSpec> first(all.begin(), all.begin() + 10);
  const std::vector<TensorSpec> second(all.begin() + 10, all.end());
  dir.Write("model-00001-of-00002.safetensors", SafetensorsBytes(first));
  dir.Write("model-00002-of-00002.safetensors", SafetensorsBytes(second));
  std::string map;
  for (std::size_t i = 0; i < all.size(); ++i) {
    map += (i == 0 ? "" : ", ") + std::string("\"") + all[i].name + "\": \"" +
           (i < 10 ? "model-00001-of-00002" : "model-00002-of-00002") +
           ".safetensors\"";
  }
  // total_size and total_parameters are informational only.
  dir.Write("model.safetensors.index.json",
            R"({"metadata": {"total_size": 453504, "total_parameters": 1},
                "weight_map": {)" +
                map + "}}");
  const CheckpointComparison c = Compare(dir);
  EXPECT_TRUE(c.matches);
  EXPECT_EQ(c.files, 2);
  EXPECT_EQ(c.tensors, 25);
  EXPECT_EQ(RowOf(c, "total").from_checkpoint, 226'752);
  EXPECT_EQ(RowOf(c, "attention").from_checkpoint,
            2 * (8192 + 4096 + 4096 + 8192 + 64));
  EXPECT_EQ(c.data_bytes, 2 * 226'752);  // all BF16
  EXPECT_EQ(c.index_total_size, 453'504);
}

TEST(CheckpointTest, DifferencesAreNamedByComponent) {
  TempDir dir("checkpoint_mismatch");
  // config.json ties the head, the checkpoint stores lm_head (Falcon's
  // checkpoints do that), an extra tensor maps to nothing, a multi-token
  // prediction layer (index 2 of 2 layers) and FP8 scales are ignored.
  std::string tied = kQwen3Config;
  tied.replace(tied.find("false"), 5, "true");
  dir.Write("config.json", tied);
  std::vector<TensorSpec> t = Qwen3Tensors(true);
  t.push_back({"model.layers.2.self_attn.q_proj.weight", "BF16", {128, 64}});
  t.push_back({"model.layers.0.mlp.gate_proj.weight_scale_inv", "F32", {1, 1}});
  t.push_back({"model.frobnicator.weight", "BF16", {7}});
  dir.Write("model.safetensors", SafetensorsBytes(t));
  const CheckpointComparison c = Compare(dir);
  EXPECT_FALSE(c.matches);
  EXPECT_EQ(RowOf(c, "lm_head").from_config, 0);
  EXPECT_EQ(RowOf(c, "lm_head").from_checkpoint, 64'000);
  EXPECT_EQ(RowOf(c, "lm_head").status,
            "stored, but config.json ties it to the embedding");
  EXPECT_EQ(RowOf(c, "unmapped").from_checkpoint, 7);
  EXPECT_EQ(RowOf(c, "attention").status, "match");
  EXPECT_EQ(c.ignored_tensors, 2);
  EXPECT_EQ(RowOf(c, "total").difference(), 64'000 + 7);
  bool named = false;
  for (const std::string& n : c.notes)
    named = named || n.find("model.frobnicator.weight") != std::string::npos;
  EXPECT_TRUE(named);
}

// gpt-oss stores its experts in MXFP4: *_blocks U8 [E, 2f, d / 32, 16] hold
// two 4-bit values per byte, *_scales are not parameters. The tiny gpt-oss
// of hf_families_test: 191,568 parameters.
TEST(CheckpointTest, Mxfp4ExpertsCountTheirLogicalParameters) {
  TempDir dir("checkpoint_mxfp4");
  dir.Write("config.json",
            R"({"model_type": "gpt_oss", "vocab_size": 1000, "hidden_size": 64,
                "num_hidden_layers": 2, "num_attention_heads": 4,
                "num_key_value_heads": 2, "head_dim": 8, "intermediate_size": 32,
                "num_local_experts": 4, "num_experts_per_tok": 2})");
  std::vector<TensorSpec> t = {
      {"model.embed_tokens.weight", "BF16", {1000, 64}},
      {"lm_head.weight", "BF16", {1000, 64}},
      {"model.norm.weight", "BF16", {64}}};
  for (int i = 0; i < 2; ++i) {
    const std::string p = "model.layers." + std::to_string(i) + ".";
    for (const auto& [name, out, in] : {std::tuple{"q_proj", 32, 64},
                                        std::tuple{"k_proj", 16, 64},
                                        std::tuple{"v_proj", 16, 64},
                                        std::tuple{"o_proj", 64, 32}}) {
      t.push_back({p + "self_attn." + name + ".weight", "BF16", {out, in}});
      t.push_back({p + "self_attn." + name + ".bias", "BF16", {out}});
    }
    t.push_back({p + "self_attn.sinks", "BF16", {4}});
    t.push_back({p + "mlp.router.weight", "BF16", {4, 64}});
    t.push_back({p + "mlp.router.bias", "BF16", {4}});
    t.push_back({p + "mlp.experts.gate_up_proj_blocks", "U8", {4, 64, 2, 16}});
    t.push_back({p + "mlp.experts.gate_up_proj_scales", "U8", {4, 64, 2}});
    t.push_back({p + "mlp.experts.gate_up_proj_bias", "BF16", {4, 64}});
    t.push_back({p + "mlp.experts.down_proj_blocks", "U8", {4, 64, 1, 16}});
    t.push_back({p + "mlp.experts.down_proj_scales", "U8", {4, 64, 1}});
    t.push_back({p + "mlp.experts.down_proj_bias", "BF16", {4, 64}});
    t.push_back({p + "input_layernorm.weight", "BF16", {64}});
    t.push_back({p + "post_attention_layernorm.weight", "BF16", {64}});
  }
  dir.Write("model.safetensors", SafetensorsBytes(t));
  const CheckpointComparison c = Compare(dir);
  EXPECT_TRUE(c.matches) << RowOf(c, "total").from_checkpoint;
  EXPECT_EQ(RowOf(c, "total").from_checkpoint, 191'568);
  EXPECT_EQ(RowOf(c, "attention_sinks").from_checkpoint, 8);
  EXPECT_EQ(c.ignored_tensors, 4);  // the scales
}

TEST(CheckpointTest, InconsistentFoldersAreBadInput) {
  auto problem = [](const TempDir& dir) {
    try {
      ReadCheckpointTensors(dir.File(""));
    } catch (const InvalidInput& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  TempDir empty("checkpoint_empty");
  EXPECT_NE(problem(empty).find("no model.safetensors.index.json and no "
                                "*.safetensors files"),
            std::string::npos);
  TempDir dup("checkpoint_duplicate");
  dup.Write("a.safetensors", SafetensorsBytes({{"x", "F32", {1}}}));
  dup.Write("b.safetensors", SafetensorsBytes({{"x", "F32", {1}}}));
  EXPECT_NE(problem(dup).find("tensor 'x' is also in a.safetensors"),
            std::string::npos);
  TempDir escape("checkpoint_escape");
  escape.Write("model.safetensors.index.json",
               R"({"weight_map": {"x": "../outside.safetensors"}})");
  EXPECT_NE(problem(escape).find("is not a file name inside the folder"),
            std::string::npos);
  TempDir missing("checkpoint_missing_tensor");
  missing.Write("m.safetensors", SafetensorsBytes({{"x", "F32", {1}}}));
  missing.Write(
      "model.safetensors.index.json",
      R"({"weight_map": {"x": "m.safetensors", "y": "m.safetensors"}})");
  EXPECT_NE(problem(missing).find("tensor 'y' is listed in shard m.safetensors "
                                  "but not stored there"),
            std::string::npos);
  TempDir broken("checkpoint_broken_shard");
  broken.Write("m.safetensors", "short");
  EXPECT_NE(problem(broken).find("m.safetensors: not a safetensors file"),
            std::string::npos);
}

TEST(CheckpointTest, TensorNamesMapToComponents) {
  auto component = [](const char* name) {
    return RoleOfTensor(name, 4).component;
  };
  EXPECT_EQ(component("model.layers.0.self_attn.q_norm.weight"), "attention");
  EXPECT_EQ(component("model.layers.1.mlp.gate.e_score_correction_bias"),
            "router");
  EXPECT_EQ(component("model.layers.1.mlp.gate_proj.weight"), "mlp");
  EXPECT_EQ(component("model.layers.1.linear_attn.in_proj_qkvz.weight"),
            "linear_attention");
  EXPECT_EQ(component("model.layers.1.self_attn.indexer.wq_b.weight"),
            "indexer");
  EXPECT_EQ(
      component(
          "language_model.model.layers.3.pre_feedforward_layernorm.weight"),
      "block_norms");
  EXPECT_EQ(
      component("vision_tower.vision_model.encoder.layers.0.mlp.fc1.weight"),
      "vision_tower");
  EXPECT_EQ(component("multi_modal_projector.mm_input_projection_weight"),
            "multimodal_projector");
  EXPECT_EQ(component("model.visual.merger.linear_fc1.weight"),
            "multimodal_projector");
  EXPECT_EQ(component("transformer.h.0.self_attention.query_key_value.weight"),
            "attention");
  EXPECT_EQ(component("transformer.word_embeddings.weight"), "token_embedding");
  EXPECT_EQ(component("transformer.ln_f.bias"), "final_norm");
  EXPECT_EQ(component("language_model.lm_head.weight"), "lm_head");
  EXPECT_EQ(RoleOfTensor("h.0.attn.bias", 4).ignored, "buffer");
  EXPECT_FALSE(RoleOfTensor("mtp.layers.0.mlp.gate.weight", 4).ignored.empty());
  EXPECT_FALSE(
      RoleOfTensor("model.layers.4.mlp.gate.weight", 4).ignored.empty());
  EXPECT_EQ(RoleOfTensor("model.layers.0.mlp.experts.down_proj_blocks", 4)
                .per_element,
            2);
}

// --checkpoint through ResolveArchitecture: config.json is the base.
TEST(CheckpointTest, ResolveArchitectureReadsTheFolder) {
  TempDir dir("checkpoint_resolve");
  dir.Write("config.json", kQwen3Config);
  dir.Write("model.safetensors", SafetensorsBytes(Qwen3Tensors()));
  ArchitectureSource s;
  s.checkpoint = dir.File("");
  const ResolvedArchitecture r = ResolveArchitecture(s);
  EXPECT_EQ(r.arch.name, "qwen3");
  ASSERT_TRUE(r.checkpoint.has_value());
  EXPECT_TRUE(r.checkpoint->matches);
  s.preset = "gpt2-small";
  EXPECT_THROW(ResolveArchitecture(s), InvalidInput);  // two bases
}

}  // namespace
}  // namespace scalesim::io

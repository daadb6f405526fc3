// End-to-end runs of `scalesim params`.
#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include "cli/cli_test_support.hpp"
#include "safetensors_test_support.hpp"
#include "test_support.hpp"

namespace scalesim::testing {
namespace {

TEST(ParamsCliTest, PresetTableShowsExactAndShortCounts) {
  const CliResult r = RunInMemory({"params", "--preset", "llama2-7b"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("6,738,415,616 (6.74B)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("non_embedding_params"), std::string::npos);
  EXPECT_NE(r.out.find("rule_of_thumb_12Ld2"), std::string::npos);
}

TEST(ParamsCliTest, JsonHasExactIntegers) {
  const CliResult r =
      RunInMemory({"params", "--preset", "mixtral-8x7b", "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  const auto& summary = doc["tables"]["summary"].at(0);
  EXPECT_EQ(summary["total_params"].get<std::int64_t>(),
            46'702'792'704);  // expected_counts.csv
  EXPECT_EQ(summary["active_params"].get<std::int64_t>(), 12'879'925'248);
}

TEST(ParamsCliTest, FlagsDescribeNanoGpt) {
  const CliResult r = RunInMemory({"params",
                                   "--layers",
                                   "12",
                                   "--d-model",
                                   "768",
                                   "--heads",
                                   "12",
                                   "--vocab",
                                   "50257",
                                   "--position",
                                   "learned",
                                   "--max-positions",
                                   "1024",
                                   "--tied",
                                   "true",
                                   "--norm",
                                   "layernorm-nobias",
                                   "--format",
                                   "csv"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(CsvRecordValue(r.out, "summary", "total_params"), "124337664")
      << r.out;
}

TEST(ParamsCliTest, FlagsOverrideAPreset) {
  // nanochat d20 with one KV head: attention 3,604,480 per block.
  const CliResult r = RunInMemory({"params",
                                   "--preset",
                                   "nanochat-d20",
                                   "--kv-heads",
                                   "1",
                                   "--format",
                                   "csv"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("attention,3604480,"), std::string::npos) << r.out;
}

TEST(ParamsCliTest, HfConfigFile) {
  TempDir dir("hf");
  const std::string path = dir.Write(
      "config.json",
      R"({"model_type": "llama", "vocab_size": 128256, "hidden_size": 4096,
          "intermediate_size": 14336, "num_hidden_layers": 32, "num_attention_heads": 32,
          "num_key_value_heads": 8, "tie_word_embeddings": false})");
  const CliResult r =
      RunInMemory({"params", "--hf-config", path, "--format", "csv"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(CsvRecordValue(r.out, "summary", "total_params"), "8030261248")
      << r.out;
}

TEST(ParamsCliTest, ListShowsPresets) {
  const CliResult r = RunInMemory({"params", "--list"});
  ASSERT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("nanochat-d32"), std::string::npos);
  EXPECT_NE(r.out.find("gopher-280b"), std::string::npos);
}

TEST(ParamsCliTest, HelpHasAnExample) {
  const CliResult r = RunInMemory({"params", "--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("Examples:"), std::string::npos);
  EXPECT_NE(r.out.find("scalesim params --preset"), std::string::npos);
}

TEST(ParamsCliTest, OutWritesAtomically) {
  TempDir dir("out");
  const std::string path = dir.File("p.json");
  const CliResult r = RunInMemory(
      {"params", "--preset", "gpt2-small", "--format", "json", "--out", path});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.out.empty());
  EXPECT_EQ(dir.Entries(), 1);  // the file, no temporary left
  EXPECT_TRUE(std::filesystem::file_size(path) > 100U);
}

// Bad input: exit code 2, one line on stderr naming the problem, nothing on
// stdout and no output file.
struct BadCase {
  const char* args;
  const char* expect_in_error;
};

TEST(ParamsCliTest, BadInputExitsTwoWithOneLine) {
  TempDir dir("bad");
  const std::string bad_type =
      dir.Write("t5.json", R"({"model_type": "t5", "d_model": 512})");
  const std::string out_file = dir.File("never.json");
  const std::string err_file = dir.File("stderr.txt");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"params --hf-config " + bad_type + " --out " + out_file,
       "unsupported model_type 't5'"},
      {"params --layers 0 --d-model 768 --heads 12 --vocab 100 --out " +
           out_file,
       "command line: field '--layers': must be a positive integer, got 0"},
      {"params --layers 2 --d-model -768 --heads 12 --vocab 100",
       "field '--d-model'"},
      {"params --layers 2 --d-model 100 --heads 3 --vocab 100 --out " +
           out_file,
       "3 heads do not divide d_model 100"},
      {"params --preset llama2-70b --kv-heads 3 --out " + out_file,
       "field '--kv-heads': 3 KV heads do not divide 64 query heads"},
      {"params --preset nosuch", "unknown preset 'nosuch'"},
      {"params --hf-config /nonexistent/config.json",
       "/nonexistent/config.json: cannot read file"},
      {"params --preset gpt2-small --format xml", "unknown value 'xml'"},
      {"params --preset gpt2-small --bogus", "unrecognised option '--bogus'"},
      {"params --preset gpt2-smal", "did you mean 'gpt2-small'?"},
      {"params --preset gpt2-small --mlp gatd", "did you mean 'gated'?"},
      {"params --layers abc", "--layers"},
      {"frobnicate", "unknown command 'frobnicate'"},
  };
  for (const auto& [args, expect] : cases)
    ExpectRejected(args, expect, err_file, {out_file});
}

// scalesim params --checkpoint DIR: config.json counted and checked
// against the safetensors headers, component by component (a table of
// from_config, from_checkpoint, difference, status). Tiny Qwen3: 226,752.
TEST(ParamsCliTest, CheckpointMatchesItsConfig) {
  TempDir dir("params_checkpoint");
  dir.Write("config.json",
            R"({"model_type": "qwen3", "vocab_size": 1000, "hidden_size": 64,
                "num_hidden_layers": 2, "num_attention_heads": 4,
                "num_key_value_heads": 2, "head_dim": 32, "intermediate_size": 128})");
  dir.Write("model.safetensors",
            SafetensorsBytes(
                LlamaTensors(1000, 64, 2, 128, 64, 32, 128, true, true)));
  const CliResult r =
      RunInMemory({"params", "--checkpoint", dir.File(""), "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  const auto& rows = doc["tables"]["checkpoint"];
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows.back()["component"], "total");
  EXPECT_EQ(rows.back()["from_checkpoint"].get<std::int64_t>(), 226'752);
  EXPECT_EQ(rows.back()["status"], "match");
  EXPECT_EQ(doc["tables"]["summary"].at(0)["total_params"].get<std::int64_t>(),
            226'752);
}

// A checkpoint that differs (here a missing layer-1 MLP) is reported by
// component and exits 1, an outcome in the report rather than bad input.
TEST(ParamsCliTest, CheckpointThatDiffersExitsOne) {
  TempDir dir("params_checkpoint_differs");
  dir.Write("config.json",
            R"({"model_type": "qwen3", "vocab_size": 1000, "hidden_size": 64,
                "num_hidden_layers": 2, "num_attention_heads": 4,
                "num_key_value_heads": 2, "head_dim": 32, "intermediate_size": 128})");
  std::vector<TensorSpec> t =
      LlamaTensors(1000, 64, 2, 128, 64, 32, 128, true, true);
  std::erase_if(t, [](const TensorSpec& s) {
    return s.name.find("layers.1.mlp.") != std::string::npos;
  });
  dir.Write("model.safetensors", SafetensorsBytes(t));
  const CliResult r = RunInMemory({"params", "--checkpoint", dir.File("")});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.out.find("the checkpoint differs from config.json in: mlp"),
            std::string::npos)
      << r.out;
}

}  // namespace
}  // namespace scalesim::testing

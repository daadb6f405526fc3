// End-to-end runs of `scalesim memory`.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include "cli/cli_test_support.hpp"
#include "test_support.hpp"

namespace scalesim::testing {
namespace {

const nlohmann::json& Row(const nlohmann::json& doc,
                          const std::string& table,
                          const std::string& key,
                          const std::string& value) {
  for (const auto& row : doc["tables"][table]) {
    if (row[key] == value) return row;
  }
  static const nlohmann::json kNone;
  ADD_FAILURE() << "no row " << key << "=" << value << " in " << table;
  return kNone;
}

bool HasNote(const nlohmann::json& doc, const std::string& text) {
  for (const auto& n : doc["notes"]) {
    if (n.get<std::string>().find(text) != std::string::npos) return true;
  }
  return false;
}

// golden-numbers.md: Megatron-LM theoretical memory, GPT-3 175B (V = 51,200),
// TP8 PP8, micro-batch 1, s = 2048, sequence parallel + selective recompute,
// 18 bytes/param: activations 9,816.02 MiB (10,292,838,400 bytes); weights +
// optimizer 48,016.18 MiB within 2%.
TEST(MemoryCliTest, MegatronGpt3Training) {
  const CliResult r = RunInMemory({"memory",
                                   "--preset",
                                   "gpt3-175b",
                                   "--vocab",
                                   "51200",
                                   "--tp",
                                   "8",
                                   "--pp",
                                   "8",
                                   "--sequence-parallel",
                                   "--recompute",
                                   "selective",
                                   "--grad-dtype",
                                   "32",
                                   "--dropout",  // Table 2's accounting
                                   "--format",
                                   "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(Row(doc, "memory", "component", "activations")["memory_bytes"]
                .get<std::int64_t>(),
            10'292'838'400);
  const double states = static_cast<double>(
      Row(doc, "memory", "component", "weights")["memory_bytes"]
          .get<std::int64_t>() +
      Row(doc, "memory", "component", "gradients")["memory_bytes"]
          .get<std::int64_t>() +
      Row(doc, "memory", "component", "optimizer_states")["memory_bytes"]
          .get<std::int64_t>());
  EXPECT_NEAR(states / 1048576.0 / 48'016.18, 1.0, 0.02);
  EXPECT_EQ(doc["tables"]["setup"][0]["bytes_per_param"].get<double>(), 18.0);
  // golden-numbers.md: Korthikanti Table 2, TP + SP + selective, 106,954,752.
  EXPECT_EQ(doc["tables"]["setup"][0]["activation_bytes_per_layer"]
                .get<std::int64_t>(),
            106'954'752);
  EXPECT_TRUE(HasNote(doc, "= 18 bytes/param"));
  EXPECT_TRUE(HasNote(doc, "Korthikanti et al. 2022 Table 2"));
}

// The table shows GiB, labelled; CSV the exact byte count.
TEST(MemoryCliTest, TableShowsBinaryUnitsCsvExactBytes) {
  const CliResult r =
      RunInMemory({"memory", "--preset", "llama2-7b", "--inference"});
  ASSERT_EQ(r.code, 0) << r.err;
  // 6,738,415,616 parameters x 2 bytes = 13,476,831,232 = 12.6 GiB.
  EXPECT_NE(r.out.find("12.6 GiB"), std::string::npos) << r.out;
  const CliResult csv = RunInMemory(
      {"memory", "--preset", "llama2-7b", "--inference", "--format", "csv"});
  ASSERT_EQ(csv.code, 0) << csv.err;
  EXPECT_NE(csv.out.find("weights,13476831232,"), std::string::npos) << csv.out;
}

// golden-numbers.md: KV cache per token, 16-bit: Llama-2-7B 524,288 B,
// Llama-2-70B 327,680 B.
TEST(MemoryCliTest, InferenceKvCache) {
  for (const auto& [preset, per_token] :
       {std::pair{"llama2-7b", 524'288}, std::pair{"llama2-70b", 327'680}}) {
    SCOPED_TRACE(preset);
    const CliResult r = RunInMemory({"memory",
                                     "--preset",
                                     preset,
                                     "--inference",
                                     "--context",
                                     "4096",
                                     "--batch",
                                     "2",
                                     "--format",
                                     "json"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto doc = nlohmann::json::parse(r.out);
    EXPECT_EQ(doc["tables"]["setup"][0]["kv_cache_bytes_per_token"]
                  .get<std::int64_t>(),
              per_token);
    EXPECT_EQ(Row(doc, "memory", "component", "kv_cache")["memory_bytes"]
                  .get<std::int64_t>(),
              std::int64_t{per_token} * 4096 * 2);
  }
}

// golden-numbers.md: 7e9 parameters at int4 = 3.5 GB; Mistral 7B's exact
// count at int4 is 7,241,732,096 / 2 bytes.
TEST(MemoryCliTest, QuantizedWeights) {
  const CliResult r = RunInMemory({"memory",
                                   "--preset",
                                   "mistral-7b",
                                   "--inference",
                                   "--weight-dtype",
                                   "int4",
                                   "--format",
                                   "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(Row(doc, "memory", "component", "weights")["memory_bytes"]
                .get<std::int64_t>(),
            7'241'732'096 / 2);
}

TEST(MemoryCliTest, WhichDevicesCanServe) {
  const CliResult r = RunInMemory({"memory",
                                   "--preset",
                                   "llama2-70b",
                                   "--inference",
                                   "--context",
                                   "4096",
                                   "--which-devices",
                                   "--format",
                                   "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc["tables"]["devices"].size(), 16U);  // the catalog's 16 devices
  // 138 GB of bf16 weights: not on an 80 GiB H100, yes on a 192 GiB MI300X.
  EXPECT_EQ(Row(doc, "devices", "device", "h100-sxm")["fits"], "no");
  EXPECT_EQ(Row(doc, "devices", "device", "h100-sxm")["largest_batch"], 0);
  EXPECT_EQ(Row(doc, "devices", "device", "mi300x")["fits"], "yes");
  EXPECT_GT(Row(doc, "devices", "device", "mi300x")["largest_batch"]
                .get<std::int64_t>(),
            1);
}

// Llama-2-7B with mixed Adam needs 16 x 6.74e9 = 108 GB of model states: it
// does not fit one 80 GiB A100; ZeRO-3 over 8 ranks with full recompute does.
TEST(MemoryCliTest, DoesItFitAndLargestMicroBatch) {
  const CliResult no = RunInMemory({"memory",
                                    "--preset",
                                    "llama2-7b",
                                    "--device",
                                    "a100-sxm4-80gb",
                                    "--format",
                                    "json"});
  ASSERT_EQ(no.code, 0) << no.err;
  const auto a = nlohmann::json::parse(no.out);
  EXPECT_EQ(a["tables"]["fit"][0]["fits"], "no");
  EXPECT_EQ(a["tables"]["fit"][0]["largest_micro_batch"], 0);
  const CliResult yes = RunInMemory({"memory",
                                     "--preset",
                                     "llama2-7b",
                                     "--device",
                                     "a100-sxm4-80gb",
                                     "--zero",
                                     "3",
                                     "--dp",
                                     "8",
                                     "--recompute",
                                     "full",
                                     "--format",
                                     "json"});
  ASSERT_EQ(yes.code, 0) << yes.err;
  const auto b = nlohmann::json::parse(yes.out);
  EXPECT_EQ(b["tables"]["fit"][0]["fits"], "yes");
  EXPECT_GT(b["tables"]["fit"][0]["largest_micro_batch"].get<std::int64_t>(),
            1);
  EXPECT_GT(b["tables"]["fit"][0]["headroom_bytes"].get<double>(), 0.0);
}

TEST(MemoryCliTest, OutWritesAtomically) {
  TempDir dir("out");
  const std::string path = dir.File("m.csv");
  const CliResult r = RunInMemory(
      {"memory", "--preset", "gpt2-small", "--format", "csv", "--out", path});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.out.empty());
  EXPECT_EQ(dir.Entries(), 1);
  EXPECT_GT(std::filesystem::file_size(path), 100U);
}

TEST(MemoryCliTest, HelpHasAnExample) {
  const CliResult r = RunInMemory({"memory", "--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("Examples:"), std::string::npos);
  EXPECT_NE(r.out.find("scalesim memory --preset"), std::string::npos);
}

// Bad input: exit code 2, one line on stderr naming the flag, nothing on
// stdout and no output file.
TEST(MemoryCliTest, BadInputExitsTwoWithOneLine) {
  TempDir dir("bad");
  const std::string out_file = dir.File("never.json");
  const std::string err_file = dir.File("stderr.txt");
  const std::string base = "memory --preset llama2-7b --out " + out_file + " ";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {base + "--tp 5",
       "field '--tp': tensor parallel degree 5 does not divide 32 attention "
       "heads"},
      {base + "--inference --tp 3",
       "field '--tp': tensor parallel degree 3 does not divide 32 attention "
       "heads"},
      {base + "--tp 0", "field '--tp': must be a positive integer, got 0"},
      {base + "--pp 64",
       "field '--pp': pipeline parallel degree 64 exceeds 32 layers"},
      {base + "--zero 4", "field '--zero': must be 0, 1, 2 or 3, got 4"},
      {base + "--dp 0", "field '--dp': must be a positive integer, got 0"},
      {base + "--device nosuch", "field '--device': unknown device 'nosuch'"},
      {base + "--precision fp64", "field '--precision': unknown value 'fp64'"},
      {base + "--optimizer lion", "field '--optimizer': unknown value 'lion'"},
      {base + "--inference --kv-dtype fp64",
       "field '--kv-dtype': unknown value 'fp64'"},
      {base + "--batch 4",
       "field '--batch': applies to inference memory: add --inference"},
      {base + "--inference --optimizer adam",
       "field '--optimizer': applies to training memory"},
      {base + "--seq-len -1",
       "field '--seq-len': must be a positive integer, got -1"},
  };
  for (const auto& [args, expect] : cases)
    ExpectRejected(args, expect, err_file, {out_file});
}

}  // namespace
}  // namespace scalesim::testing

// End-to-end runs of `scalesim flops` and `scalesim hardware`.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include "cli/cli_test_support.hpp"
#include "test_support.hpp"

namespace scalesim::testing {
namespace {

// Printed to 0.1 percentage point.
constexpr double kTenthOfPoint = 1e-3;
// Printed to three significant digits.
constexpr double kThreeDigits = 5e-3;

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

// nanoGPT GPT-2 124M, as the golden numbers define it.
const std::vector<std::string> kNanoGpt = {"--layers",
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
                                           "--seq-len",
                                           "1024"};

std::vector<std::string> With(std::vector<std::string> head,
                              const std::vector<std::string>& tail) {
  head.insert(head.end(), tail.begin(), tail.end());
  return head;
}

// golden-numbers.md: nanoGPT per-operation integers and the PaLM formula's
// 875,062,886,400, exact in CSV and JSON.
TEST(FlopsCliTest, NanoGptPerOperationIsExact) {
  const CliResult csv =
      RunInMemory(With(With({"flops"}, kNanoGpt), {"--format", "csv"}));
  ASSERT_EQ(csv.code, 0) << csv.err;
  // chinchilla (App. F) and matmul-only (nanoGPT) side by side.
  EXPECT_NE(csv.out.find("block.attention_qkv,3623878656,3623878656"),
            std::string::npos)
      << csv.out;
  EXPECT_NE(csv.out.find("block.total,17754488832,17716740096"),
            std::string::npos)
      << csv.out;
  EXPECT_NE(csv.out.find("all_blocks,213053865984,212600881152"),
            std::string::npos);
  EXPECT_NE(csv.out.find("lm_head,79047426048,79047426048"), std::string::npos);
  EXPECT_NE(csv.out.find("forward,371148718080,291648307200"),
            std::string::npos);
  EXPECT_NE(csv.out.find("training,1113446154240,874944921600"),
            std::string::npos);

  const CliResult json =
      RunInMemory(With(With({"flops"}, kNanoGpt), {"--format", "json"}));
  ASSERT_EQ(json.code, 0) << json.err;
  const auto doc = nlohmann::json::parse(json.out);
  EXPECT_EQ(
      Row(doc, "conventions", "convention", "palm")["model_flops_per_sequence"]
          .get<double>(),
      875'062'886'400.0);
  EXPECT_EQ(Row(doc,
                "conventions",
                "convention",
                "matmul-only")["model_flops_per_sequence"]
                .get<double>(),
            874'944'921'600.0);
}

// golden-numbers.md: PaLM 540B at 238.3e3 tokens/s on 6144 TPU v4: MFU 46.2%
// (Chowdhery et al. 2022 App. B). The shape of Table 1 and Sec. 2 (118
// layers, d_model 18,432, 48 heads of 256, multi-query, SwiGLU with d_ff
// 73,728, vocabulary 256k, shared embeddings, no biases) gives N = 540.36e9.
TEST(FlopsCliTest, Palm540bMfu) {
  const CliResult r = RunInMemory({"flops",
                                   "--layers",
                                   "118",
                                   "--d-model",
                                   "18432",
                                   "--heads",
                                   "48",
                                   "--head-dim",
                                   "256",
                                   "--kv-heads",
                                   "1",
                                   "--d-ff",
                                   "73728",
                                   "--mlp",
                                   "gated",
                                   "--vocab",
                                   "256000",
                                   "--tied",
                                   "true",
                                   "--norm",
                                   "layernorm-nobias",
                                   "--seq-len",
                                   "2048",
                                   "--device",
                                   "tpu-v4",
                                   "--devices",
                                   "6144",
                                   "--tokens-per-second",
                                   "238300",
                                   "--format",
                                   "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  const auto& palm = Row(doc, "utilization", "convention", "palm");
  EXPECT_NEAR(
      palm["model_flops_per_token"].get<double>() / 3.277735e12, 1.0, 1e-4);
  EXPECT_NEAR(palm["mfu"].get<double>(), 0.462, kTenthOfPoint / 2);
}

// golden-numbers.md: GPT-3 175B, 300e9 tokens, 6ND = 3.14e23 = 3,640
// PF-days; time = FLOPs / (devices x peak x MFU), MFU 0.4 by default.
TEST(FlopsCliTest, Gpt3TimeCostAndBudget) {
  const CliResult r = RunInMemory({"flops",
                                   "--preset",
                                   "gpt3-175b",
                                   "--tokens",
                                   "300e9",
                                   "--device",
                                   "a100-sxm4-80gb",
                                   "--devices",
                                   "1024",
                                   "--usd-per-hour",
                                   "2",
                                   "--days",
                                   "30",
                                   "--format",
                                   "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  const auto& conv = Row(doc, "conventions", "convention", "6nd");
  EXPECT_NEAR(
      conv["training_flops"].get<double>() / 3.14e23, 1.0, kThreeDigits);
  EXPECT_NEAR(
      conv["training_pf_days"].get<double>() / 3640.0, 1.0, kThreeDigits);
  const auto& time = Row(doc, "training_time", "convention", "6nd");
  const double flops = time["training_flops"].get<double>();
  const double seconds = flops / (1024 * 312e12 * 0.4);
  EXPECT_NEAR(time["training_time_seconds"].get<double>() / 86400.0,
              seconds / 86400.0,
              1e-9);
  EXPECT_NEAR(
      time["device_hours"].get<double>(), 1024 * seconds / 3600.0, 1e-6);
  EXPECT_NEAR(
      time["cost_usd"].get<double>(), 2.0 * 1024 * seconds / 3600.0, 1e-5);
  const auto& budget = Row(doc, "budget", "convention", "6nd");
  EXPECT_NEAR(budget["flop_budget"].get<double>() /
                  (1024 * 30 * 86400.0 * 312e12 * 0.4),
              1.0,
              1e-12);
  bool mfu_note = false;
  for (const auto& n : doc["notes"])
    mfu_note |=
        n.get<std::string>().find("MFU 0.4 (--mfu)") != std::string::npos;
  EXPECT_TRUE(mfu_note);
}

// Recompute shows hardware FLOPs; the per-operation table gains the
// recomputed work.
TEST(FlopsCliTest, RecomputeAddsHardwareFlops) {
  const CliResult r = RunInMemory(With(
      With({"flops"}, kNanoGpt), {"--recompute", "full", "--format", "csv"}));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("recompute,213053865984,212600881152"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("hardware_training,1326500020224,1087545802752"),
            std::string::npos)
      << r.out;
}

TEST(FlopsCliTest, HelpHasAnExample) {
  const CliResult r = RunInMemory({"flops", "--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("Examples:"), std::string::npos);
  EXPECT_NE(r.out.find("scalesim flops --preset"), std::string::npos);
}

TEST(HardwareCliTest, ListsTheCatalog) {
  const CliResult r = RunInMemory({"hardware", "--format", "csv"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("h100-sxm,"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("tpu-v5p,"), std::string::npos);
  EXPECT_NE(r.out.find("# note: peaks are dense"), std::string::npos);
  const CliResult table = RunInMemory({"hardware"});
  EXPECT_NE(table.out.find("80.0 GiB"), std::string::npos) << table.out;
}

TEST(HardwareCliTest, UserCatalogAndPrice) {
  TempDir dir("catalog");
  const std::string path = dir.Write(
      "mine.json",
      R"({"devices": [{"name": "lab-gpu", "peak_tflops": {"bf16": 100}, "memory_gib": 24,
          "price_per_hour_usd": 1.0, "source": "our measurements"}]})");
  const CliResult list =
      RunInMemory({"hardware", "--catalog", path, "--format", "csv"});
  ASSERT_EQ(list.code, 0) << list.err;
  EXPECT_NE(list.out.find("lab-gpu,"), std::string::npos);
  // 10 devices at 100 TFLOP/s and MFU 0.5: the catalog price gives the cost.
  const CliResult r = RunInMemory(With(With({"flops"}, kNanoGpt),
                                       {"--tokens",
                                        "1e9",
                                        "--catalog",
                                        path,
                                        "--device",
                                        "lab-gpu",
                                        "--devices",
                                        "10",
                                        "--mfu",
                                        "0.5",
                                        "--format",
                                        "json"}));
  ASSERT_EQ(r.code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  const auto& t = Row(doc, "training_time", "convention", "palm");
  EXPECT_NEAR(
      t["cost_usd"].get<double>(), t["device_hours"].get<double>() * 1.0, 1e-9);
}

// Bad input: exit code 2, one line on stderr naming the flag, nothing on
// stdout and no output file.
TEST(FlopsCliTest, BadInputExitsTwoWithOneLine) {
  TempDir dir("bad");
  const std::string out_file = dir.File("never.json");
  const std::string err_file = dir.File("stderr.txt");
  const std::string base =
      "flops --preset gpt3-175b --tokens 300e9 --out " + out_file + " ";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {base + "--device h100-sxm --devices 0",
       "field '--devices': must be a positive integer, got 0"},
      {base + "--device h100-sxm --mfu 0",
       "field '--mfu': must be in (0, 1], got 0"},
      {base + "--device h100-sxm --mfu 1.5",
       "field '--mfu': must be in (0, 1], got 1.5"},
      {base + "--device h200x",
       "field '--device': unknown device 'h200x' (valid: v100-sxm2-32gb"},
      {base + "--device tpu-v4 --dtype fp8",
       "field '--dtype': device 'tpu-v4' has no fp8 peak"},
      {base + "--devices 8",
       "field '--device': missing: --devices needs a --device"},
      {base + "--recompute partial",
       "field '--recompute': unknown value 'partial'"},
      {base + "--seq-len 0",
       "field '--seq-len': must be a positive integer, got 0"},
      {"flops --preset gpt3-175b --tokens -5 --out " + out_file,
       "field '--tokens': must be in (0, 1e+30], got -5"},
      {base + "--device h100-sxm --days 0",
       "field '--days': must be in (0, 1e+30], got 0"},
      {base + "--moe-params some",
       "field '--moe-params': unknown value 'some'"},
      {"hardware --catalog /nonexistent/c.json",
       "/nonexistent/c.json: cannot read file"},
  };
  for (const auto& [args, expect] : cases)
    ExpectRejected(args, expect, err_file, {out_file});
}

}  // namespace
}  // namespace scalesim::testing

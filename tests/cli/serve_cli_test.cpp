// scalesim serve end to end: the field names downstream tools read, the
// issue's question (Llama-3-70B on 2 x H100 at 32k context, batch 8), the
// search and its exit codes.
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/cli_test_support.hpp"

namespace scalesim::testing {
namespace {

std::vector<std::string> Llama70bOnTwo(const char* weight_dtype) {
  return {"serve",      "--preset",
          "llama3-70b", "--device",
          "h100-sxm",   "--tp",
          "2",          "--batch",
          "8",          "--prompt-tokens",
          "32000",      "--output-tokens",
          "512",        "--weight-dtype",
          weight_dtype, "--kv-dtype",
          weight_dtype, "--usd-per-hour",
          "6.88",       "--format",
          "json"};
}

// Issue 17: the field names downstream tools read.
TEST(ServeCliTest, JsonHasTheDownstreamFields) {
  const CliResult r = RunInMemory(Llama70bOnTwo("fp8"));
  ASSERT_EQ(r.code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  const auto& rows = doc["tables"]["serve"];
  ASSERT_EQ(rows.size(), 2U);  // requested, largest batch that fits
  const auto& p = rows[0];
  EXPECT_EQ(p["scenario"], "requested");
  for (const char* name : {"ttft_seconds",
                           "tpot_seconds",
                           "tokens_per_second_per_device",
                           "mbu",
                           "usd_per_million_output_tokens",
                           "usd_per_million_input_tokens",
                           "energy_kwh_per_million_output_tokens"}) {
    EXPECT_TRUE(p[name].is_number()) << name;
  }
  const double tpot = p["tpot_seconds"];
  EXPECT_NEAR(p["tokens_per_second_per_device"].get<double>(),
              8.0 / (tpot * 2.0),
              1e-9);
  EXPECT_NEAR(p["usd_per_million_output_tokens"].get<double>(),
              6.88 * 2.0 * tpot / 8.0 / 3600.0 * 1e6,
              1e-9);
  EXPECT_GT(p["mbu"].get<double>(), 0.0);
  EXPECT_LT(p["mbu"].get<double>(), 1.0);
  EXPECT_EQ(p["fits"], "yes");
  EXPECT_EQ(rows[1]["scenario"], "largest_batch");
  EXPECT_EQ(rows[1]["batch"], p["largest_batch"]);
}

// "Will Llama-3-70B serve on 2 x H100 at 32k context, batch 8?" In bf16
// its 141 GB of weights alone exceed two 80 GiB devices' usable memory;
// in fp8 (weights and KV cache) it fits.
TEST(ServeCliTest, TheIssuesQuestion) {
  const CliResult bf16 = RunInMemory(Llama70bOnTwo("bf16"));
  ASSERT_EQ(bf16.code, 0) << bf16.err;
  const auto doc = nlohmann::json::parse(bf16.out);
  const auto& p = doc["tables"]["serve"][0];
  EXPECT_EQ(p["status"], "does_not_fit");
  EXPECT_EQ(p["fits"], "no");
  EXPECT_EQ(p["largest_batch"], 0);
  // As `scalesim step` does, the times are still what the layout would
  // take; the status says it does not fit.
  EXPECT_TRUE(p["tpot_seconds"].is_number());
  EXPECT_NE(bf16.out.find("not even one sequence fits"), std::string::npos);
  const CliResult fp8 = RunInMemory(Llama70bOnTwo("fp8"));
  EXPECT_EQ(nlohmann::json::parse(fp8.out)["tables"]["serve"][0]["status"],
            "ok");
}

TEST(ServeCliTest, CsvAndTable) {
  std::vector<std::string> args = Llama70bOnTwo("fp8");
  args.back() = "csv";
  const CliResult csv = RunInMemory(args);
  ASSERT_EQ(csv.code, 0) << csv.err;
  for (const char* name : {",ttft_seconds,",
                           ",tpot_seconds,",
                           ",tokens_per_second_per_device,",
                           ",mbu,",
                           ",usd_per_million_output_tokens,"}) {
    EXPECT_NE(csv.out.find(name), std::string::npos) << name;
  }
  args.back() = "table";
  const CliResult table = RunInMemory(args);
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_NE(table.out.find("largest_batch"), std::string::npos);
  EXPECT_NE(table.out.find("fitted once in docs/validation-serving.md"),
            std::string::npos);
}

const std::vector<std::string> kSearch = {
    "serve",
    "--preset",
    "llama2-70b",
    "--search",
    "--prices",
    "h100-sxm=6.88,h200-sxm=7.91,a100-sxm4-80gb=3.43",
    "--format",
    "json"};

TEST(ServeCliTest, SearchFindsTheCheapest) {
  std::vector<std::string> args = kSearch;
  args.insert(args.end(), {"--target-tpot-ms", "50", "--top", "3"});
  const CliResult r = RunInMemory(args);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  const auto& layouts = doc["tables"]["layouts"];
  ASSERT_EQ(layouts.size(), 3U);
  EXPECT_EQ(layouts[0]["rank"], 1);
  EXPECT_EQ(layouts[0]["meets_target"], "yes");
  EXPECT_LE(layouts[0]["tpot_seconds"].get<double>(), 0.050);
  EXPECT_LE(layouts[0]["usd_per_million_tokens"].get<double>(),
            layouts[2]["usd_per_million_tokens"].get<double>());
}

// A target no layout meets: exit 1, the closest layout and why in the
// report.
TEST(ServeCliTest, UnreachableTargetExitsOneWithTheBestAchievable) {
  std::vector<std::string> args = kSearch;
  args.insert(args.end(), {"--target-tpot-ms", "1"});
  const CliResult r = RunInMemory(args);
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(r.err.empty()) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  const auto& layouts = doc["tables"]["layouts"];
  ASSERT_EQ(layouts.size(), 1U);
  EXPECT_EQ(layouts[0]["meets_target"], "no");
  EXPECT_NE(r.out.find("target_not_met: no layout meets tpot <= 1 ms"),
            std::string::npos)
      << r.out;
}

TEST(ServeCliTest, HelpHasExamples) {
  const CliResult r = RunInMemory({"serve", "--help"});
  ASSERT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("Examples:"), std::string::npos);
  EXPECT_NE(r.out.find("--target-tpot-ms"), std::string::npos);
  EXPECT_NE(r.out.find("--no-embeddings-16bit"), std::string::npos);
  EXPECT_EQ(r.out.find("--context "), std::string::npos);
}

}  // namespace
}  // namespace scalesim::testing

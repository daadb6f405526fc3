// scalesim step and hardware end to end: the column names downstream tools
// read, the breakdown, the search, exit codes.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/cli_test_support.hpp"

namespace scalesim::testing {
namespace {

const std::vector<std::string> kLlama7bOnEight = {"step",
                                                  "--preset",
                                                  "llama2-7b",
                                                  "--device",
                                                  "h100-sxm",
                                                  "--devices",
                                                  "8",
                                                  "--global-batch",
                                                  "128",
                                                  "--zero",
                                                  "1",
                                                  "--dtype",
                                                  "fp8"};

// Issue 15: the field names downstream tools read.
TEST(StepCliTest, JsonHasTheDownstreamFields) {
  std::vector<std::string> args = kLlama7bOnEight;
  args.insert(args.end(), {"--format", "json"});
  const CliResult r = RunInMemory(args);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  const auto& step = doc["tables"]["step"][0];
  for (const char* name : {"step_seconds",
                           "tokens_per_second",
                           "tokens_per_second_per_device",
                           "model_tflops_per_device",
                           "mfu",
                           "hfu"}) {
    EXPECT_TRUE(step[name].is_number()) << name;
  }
  const double seconds = step["step_seconds"];
  // 128 sequences of 4,096 tokens.
  EXPECT_NEAR(
      step["tokens_per_second"].get<double>(), 128 * 4096 / seconds, 1e-6);
  EXPECT_NEAR(step["tokens_per_second_per_device"].get<double>() * 8,
              step["tokens_per_second"].get<double>(),
              1e-6);
  // The breakdown adds up.
  const double parts = step["compute_seconds"].get<double>() +
                       step["exposed_communication_seconds"].get<double>() +
                       step["bubble_seconds"].get<double>() +
                       step["optimizer_seconds"].get<double>();
  EXPECT_NEAR(parts, seconds, 1e-9 * seconds);
  EXPECT_EQ(step["dp"], 8);
  EXPECT_EQ(step["microbatches"], 16);
  EXPECT_EQ(step["fits"], "yes");
  EXPECT_EQ(doc["tables"]["stages"].size(), 1U);
}

TEST(StepCliTest, CsvRecord) {
  std::vector<std::string> args = kLlama7bOnEight;
  args.insert(args.end(), {"--format", "csv"});
  const CliResult r = RunInMemory(args);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(CsvRecordValue(r.out, "step", "status"), "ok");
  for (const char* name : {",step_seconds,",
                           ",tokens_per_second,",
                           ",tokens_per_second_per_device,",
                           ",model_tflops_per_device,",
                           ",mfu,",
                           ",hfu,"}) {
    EXPECT_NE(r.out.find(name), std::string::npos) << name;
  }
}

// Every pipeline stage's memory: the first holds the most in flight.
TEST(StepCliTest, StagesAndPipeline) {
  const CliResult r = RunInMemory({"step",
                                   "--preset",
                                   "gpt3-175b",
                                   "--device",
                                   "a100-sxm4-80gb",
                                   "--devices",
                                   "64",
                                   "--tp",
                                   "8",
                                   "--pp",
                                   "8",
                                   "--vp",
                                   "3",
                                   "--global-batch",
                                   "64",
                                   "--seq-len",
                                   "2048",
                                   "--sequence-parallel",
                                   "--recompute",
                                   "selective",
                                   "--format",
                                   "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  const auto& stages = doc["tables"]["stages"];
  ASSERT_GE(stages.size(), 2U);
  EXPECT_EQ(stages[0]["which"], "first");
  EXPECT_GT(stages[0]["in_flight_microbatches"].get<int>(),
            stages[1]["in_flight_microbatches"].get<int>());
  EXPECT_GT(doc["tables"]["step"][0]["bubble_seconds"].get<double>(), 0.0);
  EXPECT_GT(doc["tables"]["step"][0]["tensor_exposed_seconds"].get<double>(),
            0.0);
}

TEST(StepCliTest, SearchRanksLayouts) {
  const CliResult r = RunInMemory({"step",
                                   "--preset",
                                   "llama2-7b",
                                   "--device",
                                   "h100-sxm",
                                   "--devices",
                                   "16",
                                   "--global-batch",
                                   "64",
                                   "--search",
                                   "--top",
                                   "3",
                                   "--format",
                                   "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  const auto& layouts = doc["tables"]["layouts"];
  ASSERT_EQ(layouts.size(), 3U);
  EXPECT_EQ(layouts[0]["rank"], 1);
  EXPECT_LE(layouts[0]["step_seconds"].get<double>(),
            layouts[2]["step_seconds"].get<double>());
}

// Nothing fits: a numerical outcome, exit 1 with the status in the notes.
TEST(StepCliTest, SearchWithNothingFittingExitsOne) {
  const CliResult r = RunInMemory({"step",
                                   "--preset",
                                   "llama2-70b",
                                   "--device",
                                   "h100-sxm",
                                   "--devices",
                                   "1",
                                   "--global-batch",
                                   "1",
                                   "--search"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("none_fits"), std::string::npos) << r.out;
}

TEST(HardwareCliTest, ListsNetworkPowerAndEfficiency) {
  const CliResult r = RunInMemory({"hardware", "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  for (const auto& d : doc["tables"]["devices"]) {
    if (d["name"] != "h100-sxm") continue;
    EXPECT_EQ(d["scale_up_gb_per_s"], 450);
    EXPECT_EQ(d["scale_out_gb_per_s"], 50);
    EXPECT_EQ(d["scale_up_domain"], 8);
    EXPECT_EQ(d["tdp_watts"], 700);
    EXPECT_TRUE(d["efficiency_matmul"].is_number());
    return;
  }
  FAIL() << "no h100-sxm";
}

}  // namespace
}  // namespace scalesim::testing

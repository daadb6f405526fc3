// End-to-end runs of `scalesim optimal`.
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include "cli/cli_test_support.hpp"
#include "test_support.hpp"

namespace scalesim::testing {
namespace {

// Golden values quoted to four significant digits.
constexpr double kFourSignificantDigits = 5e-4;

double RelativeError(double value, double expected) {
  return std::fabs(value / expected - 1.0);
}

nlohmann::json Json(const std::vector<std::string>& args) {
  std::vector<std::string> all = {"optimal"};
  all.insert(all.end(), args.begin(), args.end());
  all.insert(all.end(), {"--format", "json"});
  const CliResult r = RunInMemory(all);
  EXPECT_EQ(r.code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

nlohmann::json Row(const nlohmann::json& table, const std::string& law) {
  for (const auto& row : table) {
    if (row["law"] == law) return row;
  }
  ADD_FAILURE() << "no row for " << law;
  return {};
}

TEST(OptimalCliTest, GopherBudget) {
  // golden-numbers.md: N* ~ 40.4e9 (unrounded), ~ 32.2e9 (printed) at 5.76e23
  // FLOPs.
  const auto doc = Json({"--flops", "5.76e23"});
  const auto& t = doc["tables"]["compute_optimal"];
  EXPECT_NEAR(
      Row(t, "hoffmann2022_approach3_unrounded")["params"].get<double>() / 1e9,
      40.4,
      0.05);
  EXPECT_NEAR(Row(t, "hoffmann2022_approach3")["params"].get<double>() / 1e9,
              32.2,
              0.05);
  EXPECT_EQ(Row(t, "hoffmann2022_approach3")["method"], "closed_form");
  EXPECT_EQ(Row(t, "kaplan2020")["method"], "numerical");
  EXPECT_EQ(Row(t, "kaplan2020")["param_count"], "non_embedding");
  // Table 2 recomputed: Kaplan's published allocation a = 0.73.
  const auto& e = doc["tables"]["allocation_exponents"];
  EXPECT_NEAR(Row(e, "kaplan2020 (published allocation)")["params_exponent_a"]
                  .get<double>(),
              0.73,
              1e-12);
  EXPECT_NEAR(Row(e, "hoffmann2022_approach3_unrounded")["params_exponent_a"]
                  .get<double>(),
              0.46,
              0.005);
}

TEST(OptimalCliTest, SardanaComputeOptimalGolden) {
  // golden-numbers.md: C = 1e24 -> N 5.368e10, D 3.105e12, loss 1.9106149.
  const auto row = Json({"--flops",
                         "1e24",
                         "--law",
                         "sardana2024"})["tables"]["compute_optimal"][0];
  EXPECT_LT(RelativeError(row["params"].get<double>(), 5.368e10),
            kFourSignificantDigits);
  EXPECT_LT(RelativeError(row["tokens"].get<double>(), 3.105e12),
            kFourSignificantDigits);
  EXPECT_NEAR(row["loss_nats"].get<double>(), 1.9106149, 5e-8);
  EXPECT_NEAR(row["tokens_per_param"].get<double>(),
              row["tokens"].get<double>() / row["params"].get<double>(),
              1e-12);
}

TEST(OptimalCliTest, TargetLossToMinimumCompute) {
  // golden-numbers.md: loss 1.947 under Sardana's constants ->
  // N 3.408e10, 3.702e23 FLOPs.
  const auto row = Json({"--target-loss",
                         "1.947",
                         "--law",
                         "sardana2024"})["tables"]["minimum_compute"][0];
  EXPECT_LT(RelativeError(row["params"].get<double>(), 3.408e10),
            kFourSignificantDigits);
  EXPECT_LT(RelativeError(row["training_flops"].get<double>(), 3.702e23),
            kFourSignificantDigits);
}

TEST(OptimalCliTest, ModelSizeToOptimalTokens) {
  // golden-numbers.md: Hoffmann et al. Table 3, 67B -> 5.76e23 FLOPs (the
  // Approach 1 anchor).
  const auto row =
      Json({"--params",
            "67e9",
            "--law",
            "hoffmann2022_approach1"})["tables"]["optimal_tokens"][0];
  EXPECT_NEAR(row["training_flops"].get<double>() / 5.76e23, 1.0, 1e-12);
  EXPECT_EQ(row["method"], "published_frontier");
}

TEST(OptimalCliTest, SardanaInferenceOptimalGolden) {
  // golden-numbers.md: l = 1.947, D_inf = 2e12 -> N 2.418e10, D 2.657e12,
  // 70.96% / 146.77% / 95.22%.
  const auto doc = Json({"--target-loss",
                         "1.947",
                         "--inference-tokens",
                         "2e12",
                         "--law",
                         "sardana2024"});
  const auto& plans = doc["tables"]["inference_optimal"];
  ASSERT_EQ(plans.size(), 2U);
  EXPECT_EQ(plans[1]["model"], "inference_optimal");
  EXPECT_LT(RelativeError(plans[1]["params"].get<double>(), 2.418e10),
            kFourSignificantDigits);
  EXPECT_LT(RelativeError(plans[1]["tokens"].get<double>(), 2.657e12),
            kFourSignificantDigits);
  EXPECT_LT(RelativeError(plans[0]["params"].get<double>(), 3.408e10),
            kFourSignificantDigits);
  const auto& share = doc["tables"]["inference_vs_chinchilla"][0];
  EXPECT_NEAR(share["params_share"].get<double>(), 0.7096, 0.00005);
  EXPECT_NEAR(share["tokens_share"].get<double>(), 1.4677, 0.00005);
  EXPECT_NEAR(share["total_flops_share"].get<double>(), 0.9522, 0.00005);
}

TEST(OptimalCliTest, CostVersionPricesTrainingAndInferenceSeparately) {
  const CliResult r = RunInMemory({"optimal",
                                   "--flops",
                                   "1e24",
                                   "--inference-tokens",
                                   "1e13",
                                   "--peak-tflops",
                                   "989",
                                   "--mfu",
                                   "0.4",
                                   "--usd-per-hour",
                                   "2",
                                   "--inference-mfu",
                                   "0.2",
                                   "--law",
                                   "sardana2024",
                                   "--format",
                                   "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  const auto& plans = doc["tables"]["inference_optimal"];
  // Inference at half the MFU costs twice as much per FLOP.
  for (const auto& p : plans) {
    const double train_rate =
        p["training_usd"].get<double>() / p["training_flops"].get<double>();
    const double infer_rate =
        p["inference_usd"].get<double>() / p["inference_flops"].get<double>();
    EXPECT_NEAR(infer_rate / train_rate, 2.0, 1e-12);
    EXPECT_NEAR(train_rate, 2.0 / (3600.0 * 989e12 * 0.4), 1e-30);
  }
  EXPECT_LT(doc["tables"]["inference_vs_chinchilla"][0]["total_usd_share"]
                .get<double>(),
            1.0);
  bool defaulted = false;
  for (const auto& n : doc["notes"]) {
    defaulted = defaulted || n.get<std::string>().find(
                                 "inference peak, inference price not given") !=
                                 std::string::npos;
  }
  EXPECT_TRUE(defaulted);
}

// Issue 17: with --serve-device the inference price per FLOP comes from the
// serving model (the cheapest layout of the inference-optimal model on that
// device), not from an assumed inference MFU; the note says which layout.
TEST(OptimalCliTest, ServingModelPricesInference) {
  const std::vector<std::string> common = {"optimal",
                                           "--flops",
                                           "1e24",
                                           "--inference-tokens",
                                           "1e13",
                                           "--device",
                                           "h100-sxm",
                                           "--usd-per-hour",
                                           "2",
                                           "--law",
                                           "sardana2024",
                                           "--format",
                                           "json"};
  std::vector<std::string> args = common;
  args.insert(args.end(),
              {"--serve-device", "h100-sxm", "--target-tpot-ms", "50"});
  const CliResult r = RunInMemory(args);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  std::string serving;
  for (const auto& n : doc["notes"]) {
    const std::string text = n.get<std::string>();
    if (text.find("inference priced by the serving model") != std::string::npos)
      serving = text;
    EXPECT_EQ(text.find("not given: the training values are used"),
              std::string::npos)
        << text;
  }
  ASSERT_FALSE(serving.empty()) << r.out;
  EXPECT_NE(serving.find("x h100-sxm (tp "), std::string::npos) << serving;
  EXPECT_NE(serving.find("meeting the latency target"), std::string::npos);
  // The inference price per FLOP is the note's, and differs from the one an
  // inference MFU equal to the training MFU (0.4) gives.
  const auto& plans = doc["tables"]["inference_optimal"];
  ASSERT_EQ(plans.size(), 2U);
  const double rate = plans[1]["inference_usd"].get<double>() /
                      plans[1]["inference_flops"].get<double>();
  const double assumed = 2.0 / (3600.0 * 989.5e12 * 0.4);
  EXPECT_GT(std::fabs(rate / assumed - 1.0), 0.01);
  EXPECT_NE(serving.find(" $/FLOP"), std::string::npos);
  // The existing flags keep working without it.
  std::vector<std::string> mfu = common;
  mfu.insert(mfu.end(), {"--inference-mfu", "0.2"});
  EXPECT_EQ(RunInMemory(mfu).code, 0);
}

TEST(OptimalCliTest, UnreachableLawsAreRowsWhenOthersAnswer) {
  // 1.75 nats is below Besiroglu et al.'s E = 1.8172 but above Hoffmann's 1.69.
  const auto doc = Json({"--target-loss", "1.75"});
  const auto& t = doc["tables"]["minimum_compute"];
  EXPECT_NE(
      Row(t, "besiroglu2024")["status"].get<std::string>().find("unreachable"),
      std::string::npos);
  EXPECT_EQ(Row(t, "sardana2024")["status"], "ok");
}

TEST(OptimalCliTest, DataConstrainedOptimum) {
  // datablations README: at C = 1e22 with 25e9 unique tokens the grid
  // search gives 7,022,364,735.88 parameters and 237,336,955,477.55 tokens
  // (9.49 epochs); its grid steps by 0.6%.
  const auto doc = Json({"--flops", "1e22", "--unique-tokens", "25e9"});
  const auto& t = doc["tables"]["repeated_data_optimal"];
  const auto row = Row(t, "muennighoff2023");
  EXPECT_LT(RelativeError(row["params"].get<double>(), 7022364735.879969),
            6e-3);
  EXPECT_LT(RelativeError(row["epochs"].get<double>(), 9.49347821910203), 6e-3);
  EXPECT_EQ(row["status"], "ok");
  EXPECT_GT(row["repetition_penalty_nats"].get<double>(), 0.0);
  // Every other law gives its ordinary optimum and assumes unique data.
  const auto hoffmann = Row(t, "hoffmann2022_approach3");
  EXPECT_EQ(hoffmann["repetition_model"], "assumes_unique");
  EXPECT_TRUE(hoffmann["repetition_penalty_nats"].is_null());
}

TEST(OptimalCliTest, HelpAndOut) {
  const CliResult h = RunInMemory({"optimal", "--help"});
  EXPECT_EQ(h.code, 0);
  EXPECT_NE(h.out.find("scalesim optimal --flops 5.76e23"), std::string::npos);
  TempDir dir("out");
  const std::string path = dir.File("o.csv");
  const CliResult r = RunInMemory(
      {"optimal", "--flops", "1e22", "--format", "csv", "--out", path});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.out.empty());
  EXPECT_EQ(dir.Entries(), 1);
  EXPECT_GT(std::filesystem::file_size(path), 100U);
}

TEST(OptimalCliTest, BadInputExitsTwoWithOneLine) {
  TempDir dir("bad");
  const std::string malformed = dir.Write(
      "bad_law.json",
      R"({"name": "x", "form": "kaplan", "param_count": "non_embedding",
          "constants": {"joint": {"alpha_n": 0.07, "alpha_d": 0.1, "n_c": -1, "d_c": 1e13}},
          "loss_units": "nats", "dataset": "d", "citation": "c"})");
  const std::string out_file = dir.File("never.json");
  const std::string err_file = dir.File("stderr.txt");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"optimal --flops 0 --out " + out_file,
       "field '--flops': must be in (0, 1e+40], got 0"},
      {"optimal --flops -5.76e23", "field '--flops': must be in (0, 1e+40]"},
      {"optimal --flops inf", "field '--flops'"},
      {"optimal --target-loss 1.69 --law hoffmann2022_approach3 --out " +
           out_file,
       "at or below the law's irreducible loss 1.69"},
      {"optimal --target-loss 1.5 --law sardana2024 --law besiroglu2024",
       "irreducible loss"},
      {"optimal --target-loss 1.0 --law hoffmann2022_approach1",
       "predicts no loss"},
      {"optimal --target-loss 0",
       "field '--target-loss': must be in (0, 1000], got 0"},
      {"optimal --target-loss 1.947 --inference-tokens -2e12",
       "field '--inference-tokens'"},
      {"optimal --target-loss 1.6 --inference-tokens 2e12 --law sardana2024",
       "irreducible loss"},
      {"optimal --flops 1e24 --law nosuch --out " + out_file,
       "unknown law 'nosuch'"},
      {"optimal --flops 1e24 --law " + malformed,
       malformed + ": field 'constants.joint.n_c'"},
      {"optimal", "give exactly one of --flops, --target-loss and --params"},
      {"optimal --flops 1e24 --params 7e9", "give exactly one of"},
      {"optimal --params 7e9 --inference-tokens 1e12",
       "needs --target-loss or --flops"},
      {"optimal --flops 1e24 --inference-tokens 1e12 --usd-per-hour 2",
       "field '--peak-tflops': missing"},
      {"optimal --flops 1e24 --inference-tokens 1e12 --peak-tflops 989 "
       "--mfu 1.5 "
       "--usd-per-hour 2",
       "field '--mfu': must be in (0, 1], got 1.5"},
      {"optimal --flops 1e24 --peak-tflops 989 --mfu 0.4 "
       "--usd-per-hour 2",
       "give --inference-tokens"},
      {"optimal --flops many", "--flops"},
  };
  for (const auto& [args, expect] : cases)
    ExpectRejected(args, expect, err_file, {out_file});
}

}  // namespace
}  // namespace scalesim::testing

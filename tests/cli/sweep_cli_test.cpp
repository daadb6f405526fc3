// End-to-end runs of `scalesim sweep`: rows agree with `loss` and `optimal`
// at the same inputs, every output format, bad ranges rejected with no file.
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/cli_test_support.hpp"
#include "test_support.hpp"

namespace scalesim::testing {
namespace {

nlohmann::json Json(std::vector<std::string> args) {
  args.insert(args.end(), {"--format", "json"});
  const CliResult r = RunInMemory(args);
  EXPECT_EQ(r.code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

std::string Text(double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

const nlohmann::json& Row(const nlohmann::json& table, const std::string& law) {
  for (const auto& row : table) {
    if (row["law"] == law) return row;
  }
  ADD_FAILURE() << "no row for " << law;
  static const nlohmann::json kNone;
  return kNone;
}

TEST(SweepCliTest, BudgetRowsEqualOptimal) {
  const nlohmann::json sweep = Json({"sweep",
                                     "budget",
                                     "--flops-min",
                                     "5.76e23",
                                     "--flops-max",
                                     "5.76e23",
                                     "--points",
                                     "1"});
  const nlohmann::json optimal = Json({"optimal", "--flops", "5.76e23"});
  const nlohmann::json& rows = sweep["tables"]["budget"];
  const nlohmann::json& expect = optimal["tables"]["compute_optimal"];
  ASSERT_EQ(rows.size(), expect.size());
  for (const auto& e : expect) {
    const std::string law = e["law"];
    SCOPED_TRACE(law);
    const nlohmann::json& r = Row(rows, law);
    EXPECT_EQ(r["params"].get<double>(), e["params"].get<double>());
    EXPECT_EQ(r["tokens"].get<double>(), e["tokens"].get<double>());
    EXPECT_EQ(r["method"], e["method"]);
    EXPECT_EQ(r["in_fitted_range"], e["in_fitted_range"]);
    if (e["loss_nats"].is_number()) {
      EXPECT_EQ(r["loss_nats"].get<double>(), e["loss_nats"].get<double>());
    } else {
      EXPECT_TRUE(r["loss_nats"].is_null());
    }
  }
}

TEST(SweepCliTest, OvertrainingRowsEqualLossAndOptimal) {
  const nlohmann::json sweep = Json({"sweep",
                                     "overtraining",
                                     "--flops",
                                     "1e23",
                                     "--law",
                                     "hoffmann2022_approach3",
                                     "--points",
                                     "5",
                                     "--inference-tokens",
                                     "1e13"});
  const nlohmann::json& rows = sweep["tables"]["overtraining"];
  ASSERT_EQ(rows.size(), 7U);
  for (const auto& r : rows) {
    const std::string point = r["point"];
    SCOPED_TRACE(point + " " + Text(r["tokens_per_param"].get<double>()));
    ASSERT_EQ(r["status"], "ok");
    const nlohmann::json loss = Json({"loss",
                                      "--params",
                                      Text(r["params"].get<double>()),
                                      "--tokens",
                                      Text(r["tokens"].get<double>()),
                                      "--law",
                                      "hoffmann2022_approach3"});
    EXPECT_EQ(r["loss_nats"].get<double>(),
              loss["tables"]["loss"][0]["loss_nats"].get<double>());
  }
  // The marked optima are `optimal --flops` and `optimal --flops
  // --inference-tokens` at the same inputs.
  const nlohmann::json co =
      Json({"optimal", "--flops", "1e23", "--law", "hoffmann2022_approach3"});
  const nlohmann::json io = Json({"optimal",
                                  "--flops",
                                  "1e23",
                                  "--inference-tokens",
                                  "1e13",
                                  "--law",
                                  "hoffmann2022_approach3"});
  for (const auto& r : rows) {
    if (r["point"] == "compute_optimal") {
      EXPECT_EQ(r["params"].get<double>(),
                co["tables"]["compute_optimal"][0]["params"].get<double>());
    }
    if (r["point"] == "inference_optimal") {
      for (const auto& p : io["tables"]["inference_optimal"]) {
        if (p["model"] != "inference_optimal") continue;
        EXPECT_EQ(r["params"].get<double>(), p["params"].get<double>());
        EXPECT_EQ(r["tokens"].get<double>(), p["tokens"].get<double>());
      }
    }
  }
}

TEST(SweepCliTest, IsoflopAndLossGridRowsEqualLoss) {
  const nlohmann::json iso = Json({"sweep",
                                   "isoflop",
                                   "--flops",
                                   "1e21",
                                   "--law",
                                   "besiroglu2024",
                                   "--points",
                                   "3",
                                   "--span",
                                   "4"});
  const nlohmann::json& rows = iso["tables"]["isoflop"];
  ASSERT_EQ(rows.size(), 4U);
  for (const auto& r : rows) {
    const nlohmann::json loss = Json({"loss",
                                      "--params",
                                      Text(r["params"].get<double>()),
                                      "--tokens",
                                      Text(r["tokens"].get<double>()),
                                      "--law",
                                      "besiroglu2024"});
    EXPECT_EQ(r["loss_nats"].get<double>(),
              loss["tables"]["loss"][0]["loss_nats"].get<double>());
  }
  const nlohmann::json grid = Json({"sweep",
                                    "loss-grid",
                                    "--law",
                                    "kaplan2020",
                                    "--params-min",
                                    "1e9",
                                    "--params-max",
                                    "1e9",
                                    "--params-points",
                                    "1",
                                    "--tokens-min",
                                    "1e11",
                                    "--tokens-max",
                                    "1e11",
                                    "--tokens-points",
                                    "1"});
  const nlohmann::json loss = Json(
      {"loss", "--params", "1e9", "--tokens", "1e11", "--law", "kaplan2020"});
  EXPECT_EQ(grid["tables"]["loss_grid"][0]["loss_nats"].get<double>(),
            loss["tables"]["loss"][0]["loss_nats"].get<double>());
}

TEST(SweepCliTest, ArchRowEqualsParamsAndMemory) {
  const nlohmann::json arch = Json({"sweep",
                                    "arch",
                                    "--preset",
                                    "llama2-7b",
                                    "--layers",
                                    "32",
                                    "--d-model",
                                    "4096",
                                    "--d-ff-multiple-of",
                                    "1"});
  const nlohmann::json& r = arch["tables"]["arch"][0];
  EXPECT_EQ(r["params"].get<std::int64_t>(), 6'738'415'616);
  const nlohmann::json params = Json({"params", "--preset", "llama2-7b"});
  EXPECT_NE(params.dump().find("6738415616"), std::string::npos);
}

TEST(SweepCliTest, CsvHeaderAndStreamedRows) {
  const CliResult r = RunInMemory(
      {"sweep", "budget", "--points", "10", "--law", "hoffmann2022_approach3"});
  ASSERT_EQ(r.code, 0) << r.err;
  std::istringstream in(r.out);
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header,
            "budget_flops,law,method,param_count,params,tokens,"
            "tokens_per_param,training_flops,loss_nats,in_fitted_range,status");
  int rows = 0;
  for (std::string line; std::getline(in, line);)
    rows += line.rfind("#", 0) == 0 ? 0 : 1;
  EXPECT_EQ(rows, 10);
  // Table and markdown are readable too.
  for (const char* f : {"table", "markdown"}) {
    const CliResult t =
        RunInMemory({"sweep", "budget", "--points", "2", "--format", f});
    EXPECT_EQ(t.code, 0) << t.err;
    EXPECT_NE(t.out.find("hoffmann2022_approach3"), std::string::npos);
  }
}

TEST(SweepCliTest, HelpForEveryKind) {
  for (const char* kind :
       {"overtraining", "budget", "isoflop", "loss-grid", "arch"}) {
    const CliResult r = RunInMemory({"sweep", kind, "--help"});
    EXPECT_EQ(r.code, 0) << kind;
    EXPECT_NE(r.out.find("Examples:"), std::string::npos) << kind;
  }
  const CliResult r = RunInMemory({"sweep", "--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("overtraining"), std::string::npos);
}

TEST(SweepCliTest, OutIsWrittenAtomically) {
  TempDir dir("sweep_out");
  const std::string out = dir.File("frontier.csv");
  const CliResult r =
      RunInMemory({"sweep", "budget", "--points", "4", "--out", out});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.out.empty());
  EXPECT_EQ(dir.Entries(), 1);  // no temporary file left beside it
  std::ifstream in(out);
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header.rfind("budget_flops,law,", 0), 0U);
}

TEST(SweepCliTest, BadRangesExitTwoWithoutFile) {
  TempDir dir("sweep_bad");
  const std::string out = dir.File("sweep.csv");
  const std::string err_file = dir.File("stderr.txt");
  const std::string o = " --out " + out;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"sweep overtraining --flops 1e23 --ratio-min 100 --ratio-max 10" + o,
       "--ratio-min"},
      {"sweep overtraining --flops 1e23 --points 0" + o, "--points"},
      {"sweep overtraining --flops 1e23 --ratio-min 0" + o, "--ratio-min"},
      {"sweep overtraining --flops 1e23 --ratio-min -5" + o, "--ratio-min"},
      {"sweep overtraining --flops -1e23" + o, "--flops"},
      {"sweep overtraining" + o, "--flops"},
      {"sweep overtraining --flops 1e23 --target-loss 2" + o, "--flops"},
      {"sweep overtraining --flops 1e23 --inference-tokens -1" + o,
       "--inference-tokens"},
      {"sweep budget --flops-min 1e25 --flops-max 1e20" + o, "--flops-min"},
      {"sweep budget --points 0" + o, "--points"},
      {"sweep budget --flops-min 0" + o, "--flops-min"},
      {"sweep isoflop --span 0.5" + o, "--span"},
      {"sweep isoflop --points 0" + o, "--points"},
      {"sweep isoflop --flops 0" + o, "--flops"},
      {"sweep loss-grid --params-min 1e12 --params-max 1e9" + o,
       "--params-min"},
      {"sweep loss-grid --tokens-points 0" + o, "--tokens-points"},
      {"sweep arch --layers 0" + o, "--layers"},
      {"sweep arch --layers 8:4" + o, "--layers"},
      {"sweep arch --d-model 100,200" + o, "--d-model"},
      {"sweep arch --zero 5" + o, "--zero"},
      {"sweep arch --preset nope" + o, "nope"},
      {"sweep nope" + o, "unknown sweep"},
      {"sweep budget --law nope" + o, "--law"},
      {"sweep budget --format xml" + o, "--format"},
  };
  for (const auto& [args, expect] : cases) {
    ExpectRejected(args, expect, err_file, {out, out + ".tmp"});
    EXPECT_EQ(dir.Entries(), 1) << args;  // only stderr.txt
  }
}

}  // namespace
}  // namespace scalesim::testing

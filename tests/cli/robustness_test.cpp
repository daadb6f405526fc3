// Numerical robustness of every command (issue 7, docs/errors.md):
//   - exact counts that would overflow int64 are bad input (exit 2) naming
//     what overflowed, and a count just below the limit is still exact;
//   - budgets and sizes from 1e3 to 1e30 never put NaN or inf in an output:
//     no "nan"/"inf" cell in CSV, and in JSON (which writes a non-finite
//     number as null) no null in a numeric column except where docs/errors.md
//     documents an empty cell;
//   - a law evaluated outside the range it was fitted on says so.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/cli_test_support.hpp"
#include "test_support.hpp"

namespace scalesim::testing {
namespace {

using nlohmann::json;

constexpr int kSmallestExponent = 3;  // issue 7: "from 1e3 to 1e30"
constexpr int kLargestExponent = 30;
constexpr int kLargestInt64Exponent = 18;  // 1e18 < 2^63 - 1 < 1e19

std::string PowerOfTen(int exponent) { return "1e" + std::to_string(exponent); }

std::string Join(const std::vector<std::string>& args) {
  std::string s;
  for (const std::string& a : args) s += (s.empty() ? "" : " ") + a;
  return s;
}

// docs/errors.md, "Budgets and sizes from 1e3 to 1e30": the nulls a JSON report
// may hold in a numeric column, each meaning "does not apply" rather than a
// failed number.
bool DocumentedEmptyCell(const std::string& table,
                         const std::string& column,
                         const json& row) {
  // params: embeddings, final norm, LM head and the total are not per block.
  if (table == "components" && column.rfind("per_", 0) == 0) return true;
  // flops: chinchilla and matmul-only count operations, not 6N.
  if (table == "conventions" && column == "params") return true;
  // flops: no price in the catalog and no --usd-per-hour.
  if (table == "device" && column == "value" &&
      row.value("quantity", "") == "price_per_hour_usd") {
    return true;
  }
  if ((table == "training_time" || table == "budget") && column == "cost_usd")
    return true;
  // sweep overtraining: the fixed budget or the fixed loss, whichever the
  // mode is not; serving memory when no Llama-style shape is within 2 %.
  if (table == "overtraining" &&
      (column == "budget_flops" || column == "target_loss_nats" ||
       column == "weights_bytes" || column == "kv_cache_bytes" ||
       column == "serving_memory_bytes")) {
    return true;
  }
  // optimal: a published compute-optimal frontier predicts no loss.
  if (column == "loss_nats" && row.value("method", "") == "published_frontier")
    return true;
  return false;
}

// Every number finite, every null in a numeric column documented (or in a
// row whose status reports a failed solve, allowed only with exit code 1).
void ExpectFiniteJson(const std::string& text,
                      int code,
                      const std::string& what) {
  SCOPED_TRACE(what);
  const json doc = json::parse(text);
  for (const auto& [table, rows] : doc.at("tables").items()) {
    std::vector<std::string> numeric;
    for (const json& row : rows) {
      for (const auto& [column, value] : row.items()) {
        if (value.is_number()) numeric.push_back(column);
        if (value.is_number_float()) {
          EXPECT_TRUE(std::isfinite(value.get<double>()))
              << table << "." << column;
        }
      }
    }
    for (const json& row : rows) {
      const bool failed_row = row.contains("status") &&
                              row["status"].is_string() &&
                              row["status"].get<std::string>() != "ok";
      for (const auto& [column, value] : row.items()) {
        if (!value.is_null()) continue;
        if (std::find(numeric.begin(), numeric.end(), column) == numeric.end())
          continue;
        if (DocumentedEmptyCell(table, column, row)) continue;
        if (failed_row) {
          EXPECT_EQ(code, 1)
              << table << "." << column << ": a failed row needs exit code 1";
          continue;
        }
        ADD_FAILURE() << "null in numeric column " << table << "." << column
                      << ": " << row.dump();
      }
    }
  }
}

// CSV prints numbers exactly, a non-finite one as nan, inf or -inf.
void ExpectNoNonFiniteCsvCell(const std::string& text,
                              const std::string& what) {
  std::string cell;
  auto check = [&] {
    std::string lower;
    for (char c : cell)
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_TRUE(lower != "nan" && lower != "-nan" && lower != "inf" &&
                lower != "-inf")
        << what << ": cell '" << cell << "'";
    cell.clear();
  };
  for (char c : text) {
    if (c == ',' || c == '\n') {
      check();
    } else {
      cell += c;
    }
  }
  check();
}

// Runs `args` in both exact formats; the exit code must be 0 or 1 (a
// numerical failure reported in the output), and the output finite.
void ExpectFiniteOutputs(std::vector<std::string> args) {
  const std::string what = Join(args);
  args.insert(args.end(), {"--format", "json"});
  const CliResult j = RunInMemory(args);
  ASSERT_TRUE(j.code == 0 || j.code == 1)
      << what << " -> " << j.code << ": " << j.err;
  ExpectFiniteJson(j.out, j.code, what);
  args.back() = "csv";
  const CliResult c = RunInMemory(args);
  EXPECT_EQ(c.code, j.code) << what;
  ExpectNoNonFiniteCsvCell(c.out, what);
}

// --- overflow of exact counts ----------------------------------------------

TEST(RobustnessTest, ParameterCountOverflowIsBadInputNamingTheCause) {
  // 1,000,000 layers of 4 d^2 = 4e16 attention weights each: 4e22 > 2^63.
  const CliResult r = RunInMemory({"params",
                                   "--layers",
                                   "1000000",
                                   "--d-model",
                                   "100000000",
                                   "--heads",
                                   "1",
                                   "--vocab",
                                   "100"});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(r.out.empty());
  EXPECT_EQ(CountLines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("command line: parameters of custom: count overflows a "
                       "64-bit integer"),
            std::string::npos)
      << r.err;
}

TEST(RobustnessTest, ParameterCountOverflowFromAFileNamesTheFile) {
  TempDir dir("overflow");
  // vocab 3.2e12 x hidden 4.096e9 = 1.3e22 embedding weights.
  const std::string path = dir.Write(
      "config.json",
      R"({"model_type": "llama", "vocab_size": 3200000000000, "hidden_size": 4096000000,
                    "intermediate_size": 11008, "num_hidden_layers": 32,
                    "num_attention_heads": 32})");
  for (const char* command : {"params", "flops", "memory"}) {
    SCOPED_TRACE(command);
    const CliResult r = RunInMemory({command, "--hf-config", path});
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(CountLines(r.err), 1) << r.err;
    EXPECT_NE(
        r.err.find(path +
                   ": parameters of llama: count overflows a 64-bit integer"),
        std::string::npos)
        << r.err;
  }
}

TEST(RobustnessTest, CountJustBelowTheLimitStaysExact) {
  // d = 1e9, one layer, vocabulary 1, d_ff 1, LayerNorm, untied, no biases:
  // attention 4 d^2 + MLP 2 d d_ff + embedding V d + LM head V d + three
  // LayerNorms of 2d = 4e18 + 2e9 + 1e9 + 1e9 + 6e9 (Kaplan et al. 2020
  // Table 1 counting, exact), below 2^63 - 1 = 9.22e18.
  const std::vector<std::string> model = {
      "--d-model", "1000000000", "--heads", "1", "--vocab", "1", "--d-ff", "1"};
  std::vector<std::string> one = {
      "params", "--layers", "1", "--format", "json"};
  one.insert(one.end(), model.begin(), model.end());
  const CliResult r = RunInMemory(one);
  ASSERT_EQ(r.code, 0) << r.err;
  const json doc = json::parse(r.out);
  const json& summary = doc["tables"]["summary"].at(0);
  const std::int64_t total = summary["total_params"].get<std::int64_t>();
  const double rule = summary["rule_of_thumb_12Ld2"].get<double>();
  EXPECT_EQ(total, 4'000'000'010'000'000'000);
  // 12 L d^2 = 1.2e19 exceeds int64: shown in floating point, not an error.
  EXPECT_EQ(rule, 1.2e19);
  // Three such layers (1.2e19 attention weights) overflow.
  std::vector<std::string> three = {"params", "--layers", "3"};
  three.insert(three.end(), model.begin(), model.end());
  const CliResult over = RunInMemory(three);
  EXPECT_EQ(over.code, 2);
  EXPECT_NE(over.err.find("count overflows a 64-bit integer"),
            std::string::npos)
      << over.err;
}

// Integer sizes 1e3..1e18 (the int64 range): an exact answer, or exit code 2
// naming the overflowing count; a size beyond int64 is a malformed flag.
TEST(RobustnessTest, IntegerSizesGiveAnAnswerOrNameTheOverflow) {
  const std::vector<std::vector<std::string>> templates = {
      {"flops", "--preset", "llama2-7b", "--seq-len"},
      {"memory", "--preset", "llama2-7b", "--seq-len"},
      {"memory", "--preset", "llama2-7b", "--micro-batch"},
      {"memory", "--preset", "llama2-70b", "--inference", "--batch"},
      {"memory", "--preset", "llama2-70b", "--inference", "--context"},
      {"params",
       "--layers",
       "2",
       "--heads",
       "1",
       "--vocab",
       "1000",
       "--d-model"},
      {"params",
       "--d-model",
       "64",
       "--heads",
       "1",
       "--vocab",
       "1000",
       "--layers"},
  };
  for (const auto& t : templates) {
    for (int e = kSmallestExponent; e <= kLargestInt64Exponent + 1; ++e) {
      std::vector<std::string> args = t;
      // Integer flags take digits: 10^e written out.
      args.push_back("1" + std::string(static_cast<std::size_t>(e), '0'));
      const std::string what = Join(args);
      SCOPED_TRACE(what);
      args.insert(args.end(), {"--format", "json"});
      const CliResult r = RunInMemory(args);
      if (r.code == 0) {
        ExpectFiniteJson(r.out, r.code, what);
        continue;
      }
      ASSERT_EQ(r.code, 2) << r.err;
      EXPECT_TRUE(r.out.empty());
      EXPECT_EQ(CountLines(r.err), 1) << r.err;
      const bool overflow =
          r.err.find("count overflows a 64-bit integer") != std::string::npos;
      const bool beyond_int64 = e > kLargestInt64Exponent &&
                                r.err.find("is invalid") != std::string::npos;
      EXPECT_TRUE(overflow || beyond_int64) << r.err;
    }
  }
}

// --- budgets and sizes 1e3..1e30: no NaN, no inf ---------------------------

TEST(RobustnessTest, FlopsOutputsAreFiniteFrom1e3To1e30) {
  for (int e = kSmallestExponent; e <= kLargestExponent; ++e) {
    const std::string x = PowerOfTen(e);
    ExpectFiniteOutputs({"flops",
                         "--preset",
                         "llama2-7b",
                         "--tokens",
                         x,
                         "--device",
                         "h100-sxm",
                         "--devices",
                         "1024",
                         "--usd-per-hour",
                         "2"});
    ExpectFiniteOutputs({"flops", "--preset", "mixtral-8x7b", "--tokens", x});
    ExpectFiniteOutputs({"flops",
                         "--preset",
                         "llama2-7b",
                         "--device",
                         "h100-sxm",
                         "--days",
                         x,
                         "--usd-per-hour",
                         "2"});
    ExpectFiniteOutputs({"flops",
                         "--preset",
                         "llama2-7b",
                         "--device",
                         "h100-sxm",
                         "--tokens-per-second",
                         x});
  }
}

TEST(RobustnessTest, OptimalOutputsAreFiniteFrom1e3To1e30) {
  for (int e = kSmallestExponent; e <= kLargestExponent; ++e) {
    const std::string x = PowerOfTen(e);
    ExpectFiniteOutputs({"optimal", "--flops", x});
    ExpectFiniteOutputs({"optimal", "--params", x});
    ExpectFiniteOutputs({"optimal", "--flops", x, "--inference-tokens", x});
    ExpectFiniteOutputs({"optimal",
                         "--flops",
                         x,
                         "--inference-tokens",
                         x,
                         "--peak-tflops",
                         "989",
                         "--mfu",
                         "0.4",
                         "--usd-per-hour",
                         "2"});
  }
}

TEST(RobustnessTest, LossOutputsAreFiniteFrom1e3To1e30) {
  for (int e = kSmallestExponent; e <= kLargestExponent; ++e) {
    const std::string x = PowerOfTen(e);
    ExpectFiniteOutputs({"loss", "--params", x, "--tokens", x});
    ExpectFiniteOutputs({"loss", "--params", "7e9", "--tokens", x});
    ExpectFiniteOutputs({"loss", "--params", x, "--tokens", "1e12"});
  }
}

TEST(RobustnessTest, PlanOutputsAreFiniteFrom1e3To1e30) {
  for (int e = kSmallestExponent; e <= kLargestExponent; ++e) {
    const std::string x = PowerOfTen(e);
    ExpectFiniteOutputs({"plan", "--flops", x});
    ExpectFiniteOutputs({"plan", "--flops", x, "--inference-tokens", x});
    ExpectFiniteOutputs({"plan", "--days", x});
  }
}

// Beyond the range of a double the answer is exit code 2 naming the flag,
// never an inf in the output.
TEST(RobustnessTest, SweepOutputsAreFiniteFrom1e3To1e30) {
  const std::string lo = PowerOfTen(kSmallestExponent);
  const std::string hi = PowerOfTen(kLargestExponent);
  ExpectFiniteOutputs({"sweep",
                       "budget",
                       "--flops-min",
                       lo,
                       "--flops-max",
                       hi,
                       "--points",
                       "28"});
  ExpectFiniteOutputs({"sweep",
                       "loss-grid",
                       "--params-min",
                       lo,
                       "--params-max",
                       hi,
                       "--params-points",
                       "28",
                       "--tokens-min",
                       lo,
                       "--tokens-max",
                       hi,
                       "--tokens-points",
                       "28"});
  for (int e = kSmallestExponent; e <= kLargestExponent; e += 3) {
    const std::string x = PowerOfTen(e);
    ExpectFiniteOutputs({"sweep",
                         "overtraining",
                         "--flops",
                         x,
                         "--inference-tokens",
                         x,
                         "--points",
                         "5"});
    ExpectFiniteOutputs({"sweep", "isoflop", "--flops", x, "--points", "5"});
  }
  ExpectFiniteOutputs({"sweep",
                       "overtraining",
                       "--target-loss",
                       "2.0",
                       "--inference-tokens",
                       hi,
                       "--points",
                       "5"});
}

TEST(RobustnessTest, ResultsBeyondDoubleNameTheFlag) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"flops", "--preset", "gpt2-small", "--tokens", "1e300"},
       "field '--tokens'"},
      {{"flops",
        "--preset",
        "gpt2-small",
        "--device",
        "h100-sxm",
        "--days",
        "1e300"},
       "field '--days'"},
      {{"flops",
        "--preset",
        "gpt2-small",
        "--device",
        "h100-sxm",
        "--tokens-per-second",
        "1e300"},
       "field '--tokens-per-second'"},
      {{"plan", "--days", "1e300"}, "field '--days'"},
      {{"plan", "--usd-per-hour", "1.7e308"}, "field '--usd-per-hour'"},
      {{"loss", "--params", "1e-300", "--tokens", "1e12"}, "field '--params'"},
  };
  for (const auto& [args, flag] : cases) {
    SCOPED_TRACE(Join(args));
    const CliResult r = RunInMemory(args);
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(CountLines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find(flag), std::string::npos) << r.err;
  }
  // optimal --params 1e300 (D* would overflow) is outside the stated range
  // of --params, (0, 1e30]: bad input, never an inf cell.
  const CliResult r = RunInMemory({"optimal",
                                   "--params",
                                   "1e300",
                                   "--law",
                                   "hoffmann2022_approach3",
                                   "--format",
                                   "json"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("field '--params': must be in [1, 1e+30], got 1e+300"),
            std::string::npos)
      << r.err;
}

// --- outside the fitted range ----------------------------------------------

std::string Cell(const std::vector<std::string>& args,
                 const std::string& table,
                 std::size_t row,
                 const std::string& column) {
  std::vector<std::string> a = args;
  a.insert(a.end(), {"--format", "json"});
  const CliResult r = RunInMemory(a);
  EXPECT_TRUE(r.code == 0 || r.code == 1) << r.err;
  const json doc = json::parse(r.out);
  return doc["tables"][table].at(row).at(column).get<std::string>();
}

bool HasNote(const std::vector<std::string>& args, const std::string& text) {
  std::vector<std::string> a = args;
  a.insert(a.end(), {"--format", "json"});
  const json doc = json::parse(RunInMemory(a).out);
  for (const json& n : doc["notes"]) {
    if (n.get<std::string>().find(text) != std::string::npos) return true;
  }
  return false;
}

// data/laws/hoffmann2022_approach3.json: fitted on N 7e7-1.6e10, D 5e9-5e11
// (Hoffmann et al. 2022 Sec. 3: runs from 70M to over 16B parameters on 5B
// to 500B tokens).
TEST(RobustnessTest, LossSaysWhenOutsideTheFittedRange) {
  const std::vector<std::string> inside = {"loss",
                                           "--params",
                                           "1e9",
                                           "--tokens",
                                           "2e10",
                                           "--law",
                                           "hoffmann2022_approach3"};
  const std::vector<std::string> outside = {"loss",
                                            "--params",
                                            "1e13",
                                            "--tokens",
                                            "1e15",
                                            "--law",
                                            "hoffmann2022_approach3"};
  EXPECT_EQ(Cell(inside, "loss", 0, "in_fitted_range"), "yes");
  EXPECT_EQ(Cell(outside, "loss", 0, "in_fitted_range"), "no");
  EXPECT_TRUE(HasNote(outside, "outside it the law extrapolates"));
}

TEST(RobustnessTest, OptimalSaysWhenOutsideTheFittedRange) {
  // At 1e20 FLOPs Approach 3's optimum is N 6.4e8, D 2.6e10: inside; at
  // 1e30, N 2.1e13: outside.
  EXPECT_EQ(
      Cell({"optimal", "--flops", "1e20", "--law", "hoffmann2022_approach3"},
           "compute_optimal",
           0,
           "in_fitted_range"),
      "yes");
  EXPECT_EQ(
      Cell({"optimal", "--flops", "1e30", "--law", "hoffmann2022_approach3"},
           "compute_optimal",
           0,
           "in_fitted_range"),
      "no");
  // Approach 2 gives a FLOPs range, 6e18-3e21 (data/laws): 1e24 is outside.
  EXPECT_EQ(
      Cell({"optimal", "--flops", "1e20", "--law", "hoffmann2022_approach2"},
           "compute_optimal",
           0,
           "in_fitted_range"),
      "yes");
  EXPECT_EQ(
      Cell({"optimal", "--flops", "1e24", "--law", "hoffmann2022_approach2"},
           "compute_optimal",
           0,
           "in_fitted_range"),
      "no");
  EXPECT_EQ(Cell({"optimal",
                  "--target-loss",
                  "1.8",
                  "--law",
                  "hoffmann2022_approach3"},
                 "minimum_compute",
                 0,
                 "in_fitted_range"),
            "no");
  EXPECT_EQ(
      Cell({"optimal", "--params", "1e15", "--law", "hoffmann2022_approach3"},
           "optimal_tokens",
           0,
           "in_fitted_range"),
      "no");
  const std::vector<std::string> inference = {"optimal",
                                              "--flops",
                                              "1e30",
                                              "--inference-tokens",
                                              "1e30",
                                              "--law",
                                              "hoffmann2022_approach3"};
  EXPECT_EQ(Cell(inference, "inference_optimal", 1, "in_fitted_range"), "no");
  EXPECT_TRUE(HasNote(inference, "'no' means the law extrapolates"));
}

TEST(RobustnessTest, PlanSaysWhenOutsideTheFittedRange) {
  // besiroglu2024 (plan's default law), fitted on the same runs as Approach 3.
  EXPECT_EQ(
      Cell({"plan", "--flops", "1e20"}, "allocation", 0, "in_fitted_range"),
      "yes");
  EXPECT_EQ(Cell({"plan", "--flops", "1e20"}, "loss", 0, "in_fitted_range"),
            "yes");
  EXPECT_EQ(
      Cell({"plan", "--flops", "1e24"}, "allocation", 0, "in_fitted_range"),
      "no");
  EXPECT_EQ(Cell({"plan", "--flops", "1e24"}, "loss", 0, "in_fitted_range"),
            "no");
  EXPECT_TRUE(
      HasNote({"plan", "--flops", "1e24"}, "'no' means the law extrapolates"));
}

TEST(RobustnessTest, CompareSaysGopherIsOutsideTheFittedRange) {
  // Gopher (280B) and Chinchilla (70B) are both beyond the 16B largest run.
  const std::vector<std::string> args = {"compare", "chinchilla-gopher"};
  std::vector<std::string> a = args;
  a.insert(a.end(), {"--format", "json"});
  const json doc = json::parse(RunInMemory(a).out);
  bool found = false;
  for (const json& row : doc["tables"]["predicted_loss"]) {
    if (row["law"] != "hoffmann2022_approach3") continue;
    found = true;
    EXPECT_EQ(row["gopher_in_fitted_range"], "no");
    EXPECT_EQ(row["chinchilla_in_fitted_range"], "no");
  }
  EXPECT_TRUE(found);
}

TEST(RobustnessTest, FitSaysWhenTheBudgetIsOutsideTheRuns) {
  // data/datasets/synthetic_chinchilla.csv spans 6e18-3e21 FLOPs.
  const std::string data = std::string(SCALESIM_SOURCE_DIR) +
                           "/data/datasets/synthetic_chinchilla.csv";
  const std::vector<std::string> base = {"fit",
                                         "--form",
                                         "power",
                                         "--variable",
                                         "C",
                                         "--bootstrap",
                                         "0",
                                         "--data",
                                         data,
                                         "--budget"};
  std::vector<std::string> outside = base;
  outside.push_back("5.76e23");
  std::vector<std::string> inside = base;
  inside.push_back("1e20");
  EXPECT_TRUE(HasNote(outside,
                      "lies outside the runs' FLOPs range 6.00e18 to 3.00e21"));
  EXPECT_FALSE(HasNote(inside, "lies outside the runs' FLOPs range"));
}

}  // namespace
}  // namespace scalesim::testing

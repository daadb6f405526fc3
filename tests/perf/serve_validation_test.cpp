// The serving model against 52 published serving measurements
// (perf/serving_runs.hpp; /work/notes/serving.md), one test per row with a
// stated tolerance; the fit of its three constants (the step overhead and
// the decode_memory efficiency of the A100s and of H100/H200) and
// leave-one-family-out; and docs/validation-serving.md, whose tables are
// this test's output (rewrite them with SCALESIM_UPDATE_DOCS=1
// build/release/tests/perf/perf_serve_validation_test).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "scalesim/io/architecture_io.hpp"
#include "scalesim/io/hardware_io.hpp"
#include "scalesim/perf/serve.hpp"

#include "generated_doc.hpp"
#include "perf/serving_runs.hpp"

namespace scalesim::perf {
namespace {

using testing::Metric;
using testing::ServingRun;

// Every row within 45% of its published figure, half of them within 12%.
constexpr double kRowTolerance = 0.45;
constexpr double kMedianTarget = 0.12;
// Each framework predicted with constants fitted without it.
constexpr double kLofoMedianBound = 0.15;
constexpr double kLofoWorstBound = 0.60;
// The fit's grids.
constexpr double kOverheadLowMs = 0.0;
constexpr double kOverheadHighMs = 3.0;
constexpr double kOverheadStepMs = 0.05;
constexpr double kEfficiencyLow = 0.50;
constexpr double kEfficiencyHigh = 0.95;
constexpr double kEfficiencyStep = 0.01;
constexpr int kFitRounds = 3;

// The constants the fit chooses.
struct Fitted {
  double overhead_ms = kStepOverheadSeconds * 1e3;
  double a100 = 0.0;    // decode_memory of a100-sxm4-40gb and -80gb
  double hopper = 0.0;  // of h100-sxm and h200-sxm
};

bool IsA100(const ServingRun& r) { return r.device.rfind("a100", 0) == 0; }
bool IsHopper(const ServingRun& r) { return !IsA100(r); }

const std::vector<model::Device>& Catalog() {
  static const std::vector<model::Device> c = io::LoadCatalog();
  return c;
}

double Value(const ServePrediction& p, Metric m) {
  switch (m) {
    case Metric::kTpot:
      return p.tpot_seconds;
    case Metric::kTtft:
      return p.ttft_seconds;
    case Metric::kE2e:
      return p.e2e_seconds;
    case Metric::kThroughput:
      return p.e2e_tokens_per_second_per_device;
    case Metric::kMbu:
      return p.mbu;
  }
  return 0.0;
}

// The row predicted with the catalog's constants, or with `fitted`.
ServePrediction Predict(const ServingRun& r, const Fitted* fitted) {
  static std::map<std::string, model::Architecture> archs;
  if (archs.count(r.preset) == 0U) archs[r.preset] = io::LoadPreset(r.preset);
  const model::Architecture& a = archs.at(r.preset);
  model::Device d = io::FindDevice(Catalog(), r.device);
  ServeOptions o = r.options;
  if (fitted != nullptr) {
    d.efficiency.decode_memory = IsA100(r) ? fitted->a100 : fitted->hopper;
    o.step_overhead_ms = fitted->overhead_ms;
  }
  return ServeModel(a, d, o).Predict(ResolveServeLayout(a, d, o));
}

double Error(const ServingRun& r, double predicted) {
  return predicted / r.published - 1.0;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double Loss(const std::vector<ServingRun>& runs, const Fitted& f) {
  double loss = 0.0;
  for (const ServingRun& r : runs)
    loss += std::fabs(std::log(Value(Predict(r, &f), r.metric) / r.published));
  return loss;
}

// Coordinate descent over the three grids, minimising the mean
// |ln(predicted / published)|; a kind without rows keeps its start.
Fitted Fit(const std::vector<ServingRun>& runs) {
  Fitted f;
  f.a100 = io::FindDevice(Catalog(), "a100-sxm4-80gb")
               .efficiency.decode_memory.value_or(0.7);
  f.hopper = io::FindDevice(Catalog(), "h100-sxm")
                 .efficiency.decode_memory.value_or(0.7);
  auto scan = [&](double Fitted::*m, double low, double high, double step) {
    double best = f.*m;
    double best_loss = INFINITY;
    const int n = static_cast<int>(std::lround((high - low) / step));
    for (int i = 0; i <= n; ++i) {
      Fitted g = f;
      g.*m = low + step * i;
      const double l = Loss(runs, g);
      if (l < best_loss) {
        best_loss = l;
        best = g.*m;
      }
    }
    f.*m = best;
  };
  const bool a100 = std::any_of(runs.begin(), runs.end(), IsA100);
  const bool hopper = std::any_of(runs.begin(), runs.end(), IsHopper);
  for (int round = 0; round < kFitRounds; ++round) {
    scan(
        &Fitted::overhead_ms, kOverheadLowMs, kOverheadHighMs, kOverheadStepMs);
    if (a100)
      scan(&Fitted::a100, kEfficiencyLow, kEfficiencyHigh, kEfficiencyStep);
    if (hopper)
      scan(&Fitted::hopper, kEfficiencyLow, kEfficiencyHigh, kEfficiencyStep);
  }
  return f;
}

// The rows and their predictions with the catalog's constants (cheap:
// every row test reads them).
struct Predictions {
  std::vector<ServingRun> runs = testing::ServingRuns();
  std::vector<ServePrediction> predicted;

  Predictions() {
    for (const ServingRun& r : runs) predicted.push_back(Predict(r, nullptr));
  }
};

const Predictions& Rows() {
  static const Predictions p;
  return p;
}

// The fits (on every row and without each family) and the predictions
// with the latter: seconds of work, for the tests that need them.
struct Fits {
  std::vector<double> lofo;  // the metric, family left out
  std::map<std::string, Fitted> lofo_fit;
  Fitted fit;

  Fits() {
    const std::vector<ServingRun>& runs = Rows().runs;
    fit = Fit(runs);
    std::vector<std::string> families;
    for (const ServingRun& r : runs)
      if (std::find(families.begin(), families.end(), r.family) ==
          families.end())
        families.push_back(r.family);
    for (const std::string& family : families) {
      std::vector<ServingRun> rest;
      for (const ServingRun& r : runs)
        if (r.family != family) rest.push_back(r);
      lofo_fit[family] = Fit(rest);
    }
    for (const ServingRun& r : runs)
      lofo.push_back(Value(Predict(r, &lofo_fit.at(r.family)), r.metric));
  }
};

const Fits& GetFits() {
  static const Fits f;
  return f;
}

std::vector<double> AbsErrors(const std::vector<ServingRun>& runs,
                              const std::vector<double>& values) {
  std::vector<double> out;
  for (std::size_t i = 0; i < runs.size(); ++i)
    out.push_back(std::fabs(Error(runs[i], values[i])));
  return out;
}

std::vector<double> Values(const Predictions& r) {
  std::vector<double> out;
  for (std::size_t i = 0; i < r.runs.size(); ++i)
    out.push_back(Value(r.predicted[i], r.runs[i].metric));
  return out;
}

// One test per published row.
class ServeValidationRowTest : public ::testing::TestWithParam<std::size_t> {};

TEST_P(ServeValidationRowTest, WithinTolerance) {
  const Predictions& r = Rows();
  const std::size_t i = GetParam();
  const ServingRun& run = r.runs[i];
  const double v = Value(r.predicted[i], run.metric);
  EXPECT_LE(std::fabs(Error(run, v)), kRowTolerance)
      << run.id << ": predicted " << v << ", published " << run.published
      << " (" << run.figure << ")";
  EXPECT_TRUE(r.predicted[i].fits) << run.id << " does not fit";
}

std::vector<std::size_t> RowIndices() {
  std::vector<std::size_t> out(testing::ServingRuns().size());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = i;
  return out;
}

INSTANTIATE_TEST_SUITE_P(Rows,
                         ServeValidationRowTest,
                         ::testing::ValuesIn(RowIndices()),
                         [](const ::testing::TestParamInfo<std::size_t>& p) {
                           return testing::ServingRuns()[p.param].id;
                         });

TEST(ServeValidationTest, MedianWithinTarget) {
  const Predictions& r = Rows();
  ASSERT_EQ(r.runs.size(), 52U);
  EXPECT_LE(Median(AbsErrors(r.runs, Values(r))), kMedianTarget);
}

// The catalog's decode_memory and kStepOverheadSeconds are the fit's: a
// change to the model shows up here until they follow.
TEST(ServeValidationTest, ConstantsAreTheFit) {
  const Fitted& f = GetFits().fit;
  constexpr double kHalfStep = kEfficiencyStep / 2 + 1e-9;
  for (const char* a100 : {"a100-sxm4-40gb", "a100-sxm4-80gb"})
    EXPECT_NEAR(
        io::FindDevice(Catalog(), a100).efficiency.decode_memory.value_or(0),
        f.a100,
        kHalfStep)
        << a100;
  for (const char* hopper : {"h100-sxm", "h200-sxm", "h800-sxm"})
    EXPECT_NEAR(
        io::FindDevice(Catalog(), hopper).efficiency.decode_memory.value_or(0),
        f.hopper,
        kHalfStep)
        << hopper;
  EXPECT_NEAR(
      kStepOverheadSeconds * 1e3, f.overhead_ms, kOverheadStepMs / 2 + 1e-9);
}

TEST(ServeValidationTest, LeaveOneFamilyOut) {
  const std::vector<double> errors = AbsErrors(Rows().runs, GetFits().lofo);
  EXPECT_LE(Median(errors), kLofoMedianBound);
  EXPECT_LE(*std::max_element(errors.begin(), errors.end()), kLofoWorstBound);
}

// --- docs/validation-serving.md --------------------------------------------

std::string Format(const char* format, double v) {
  std::array<char, 64> buf{};
  std::snprintf(buf.data(), buf.size(), format, v);
  return buf.data();
}
std::string Pct(double v) { return Format("%+.1f%%", 100.0 * v); }

// A metric's value as the table shows it: milliseconds, seconds, tokens/s
// or a percentage.
std::string Shown(Metric m, double v) {
  switch (m) {
    case Metric::kTpot:
    case Metric::kTtft:
      return Format("%.3g ms", 1e3 * v);
    case Metric::kE2e:
      return Format("%.3g s", v);
    case Metric::kThroughput:
      return Format("%.0f", v);
    case Metric::kMbu:
      return Format("%.0f%%", 100.0 * v);
  }
  return "";
}

std::string Dtypes(const ServeOptions& o) {
  const model::QuantizationOptions& q = o.memory.weights;
  std::string s(model::ToString(q.dtype));
  if (q.group_size > 0) s += " g" + std::to_string(q.group_size);
  if (o.memory.kv_dtype != model::WeightDtype::kBf16)
    s += ", kv " + std::string(model::ToString(o.memory.kv_dtype));
  return s;
}

std::string RowsTable(const Predictions& r, const Fits& f) {
  std::ostringstream o;
  o << "| id | source | model | device | tp | batch | in / out | weights | "
       "metric | published | predicted | error | LOFO error | MBU | binds "
       "|\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- "
       "| --- | --- | --- | --- |\n";
  for (std::size_t i = 0; i < r.runs.size(); ++i) {
    const ServingRun& run = r.runs[i];
    const ServePrediction& p = r.predicted[i];
    const double v = Value(p, run.metric);
    o << "| " << run.id << " | " << run.family << " | " << run.preset << " | "
      << run.device << " | " << p.layout.tp << " | " << p.layout.batch << " | "
      << run.options.prompt_tokens << " / " << run.options.output_tokens
      << " | " << Dtypes(run.options) << " | "
      << testing::MetricName(run.metric) << " | " << run.figure << " | "
      << Shown(run.metric, v) << " | " << Pct(Error(run, v)) << " | "
      << Pct(Error(run, f.lofo[i])) << " | " << Format("%.0f%%", 100.0 * p.mbu)
      << " | " << p.decode_binds << " |\n";
  }
  return o.str();
}

std::string Summary(const char* what, const std::vector<double>& errors) {
  const auto worst = std::max_element(errors.begin(), errors.end());
  std::size_t within25 = 0;
  for (double e : errors) within25 += e <= 0.25 ? 1U : 0U;
  return std::string("- ") + what + ": median |error| " +
         Format("%.1f%%", 100.0 * Median(errors)) + ", worst " +
         Format("%.1f%%", 100.0 * *worst) + ", " + std::to_string(within25) +
         " of " + std::to_string(errors.size()) + " rows within 25%\n";
}

std::string FamilySummary(const Predictions& r) {
  std::ostringstream o;
  o << "| source | rows | median \\|error\\| | worst \\|error\\| | mean "
       "signed error |\n| --- | --- | --- | --- | --- |\n";
  std::vector<std::string> families;
  for (const ServingRun& run : r.runs)
    if (std::find(families.begin(), families.end(), run.family) ==
        families.end())
      families.push_back(run.family);
  for (const std::string& family : families) {
    std::vector<double> abs;
    double sum = 0.0;
    for (std::size_t i = 0; i < r.runs.size(); ++i) {
      if (r.runs[i].family != family) continue;
      const double e =
          Error(r.runs[i], Value(r.predicted[i], r.runs[i].metric));
      abs.push_back(std::fabs(e));
      sum += e;
    }
    o << "| " << family << " | " << abs.size() << " | "
      << Format("%.1f%%", 100.0 * Median(abs)) << " | "
      << Format("%.1f%%", 100.0 * *std::max_element(abs.begin(), abs.end()))
      << " | " << Pct(sum / static_cast<double>(abs.size())) << " |\n";
  }
  return o.str();
}

std::string Generated() {
  const Predictions& r = Rows();
  const Fits& f = GetFits();
  std::ostringstream o;
  o << "### Every row (catalog constants)\n\n"
    << RowsTable(r, f) << "\n"
    << Summary("catalog constants (the fit on all rows)",
               AbsErrors(r.runs, Values(r)))
    << Summary("leave-one-source-out", AbsErrors(r.runs, f.lofo)) << "\n"
    << "### By source\n\n"
    << FamilySummary(r) << "\n"
    << "### The fit, and the fit without each source\n\n"
    << "| rows fitted | step overhead (ms) | a100 decode_memory | h100/h200 "
       "decode_memory |\n| --- | --- | --- | --- |\n"
    << "| all | " << Format("%.2f", f.fit.overhead_ms) << " | "
    << Format("%.2f", f.fit.a100) << " | " << Format("%.2f", f.fit.hopper)
    << " |\n";
  for (const auto& [family, g] : f.lofo_fit)
    o << "| all but " << family << " | " << Format("%.2f", g.overhead_ms)
      << " | " << Format("%.2f", g.a100) << " | " << Format("%.2f", g.hopper)
      << " |\n";
  return o.str();
}

TEST(ServeValidationDocTest, DocShowsTheseResults) {
  scalesim::testing::ExpectGeneratedSection(
      "docs/validation-serving.md",
      "tests/perf/serve_validation_test.cpp",
      Generated());
}

}  // namespace
}  // namespace scalesim::perf

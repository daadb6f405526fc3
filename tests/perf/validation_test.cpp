// The step-time model against 30 published step times (26 rows of
// ../shared/reference/step-time.csv), the fit of its per-device-kind matmul
// efficiencies, leave-one-family-out, further published runs, and
// docs/validation-step-time.md (its tables are this test's output: run
// with SCALESIM_UPDATE_DOCS=1 to rewrite them).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "scalesim/io/hardware_io.hpp"
#include "scalesim/perf/step.hpp"

#include "generated_doc.hpp"
#include "perf/published_runs.hpp"

namespace scalesim::perf {
namespace {

using testing::PublishedRun;

// Issue 15's targets: median |error| <= 10%, worst <= 25%.
constexpr double kMedianTarget = 0.10;
constexpr double kWorstTarget = 0.25;
// Leave-one-family-out: each family predicted with constants fitted
// without it. The bound the test holds it to (the result is in the doc).
constexpr double kLofoMedianBound = 0.12;
constexpr double kLofoWorstBound = 0.35;
// Runs never used to choose a constant.
constexpr double kFurtherWorstBound = 0.35;
// The fit's grid over each efficiency.
constexpr double kGridLow = 0.30;
constexpr double kGridHigh = 0.95;
constexpr double kGridStep = 0.005;
// Maximum achievable matmul FLOPS on an H100 SXM (stas00/ml-engineering
// compute/accelerator/README.md): BF16 794.5 of 989, FP8 1,402.6 of 1,979.
// Without fp8 (or bf16) rows to fit, one follows from the other by it.
constexpr double kH100Fp8OverBf16 = (1402.6 / 1979.0) / (794.5 / 989.0);

// The constants the fit chooses, per device kind.
struct Fitted {
  double a100_matmul = 0.0;
  double h100_matmul = 0.0;
  double h100_matmul_fp8 = 0.0;
};

bool IsA100(const PublishedRun& r) { return r.device == "a100-sxm4-80gb"; }
bool IsH100Bf16(const PublishedRun& r) {
  return r.device == "h100-sxm" && r.options.dtype == model::Dtype::kBf16;
}
bool IsH100Fp8(const PublishedRun& r) {
  return r.device == "h100-sxm" && r.options.dtype == model::Dtype::kFp8;
}

const std::vector<model::Device>& Catalog() {
  static const std::vector<model::Device> c = io::LoadCatalog();
  return c;
}

// The run's device from the catalog, with `fitted` (when given) in place
// of the catalog's matmul efficiencies. PaLM's pods held 3,072 chips
// (Chowdhery et al. 2022 Sec. 4): its cluster, not an efficiency.
model::Device DeviceOf(const PublishedRun& r, const Fitted* fitted) {
  model::Device d = io::FindDevice(Catalog(), r.device);
  if (r.family == "PaLM") d.network.scale_up_domain = 3072;
  if (fitted != nullptr) {
    if (r.device == "a100-sxm4-80gb") d.efficiency.matmul = fitted->a100_matmul;
    if (r.device == "h100-sxm") {
      d.efficiency.matmul = fitted->h100_matmul;
      d.efficiency.matmul_fp8 = fitted->h100_matmul_fp8;
    }
  }
  return d;
}

StepPrediction Predict(const PublishedRun& r, const Fitted* fitted) {
  return PredictStep(r.arch, DeviceOf(r, fitted), r.options);
}

double Error(const PublishedRun& r, double predicted) {
  return predicted / r.published_step_seconds - 1.0;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// The value of `member` on the grid minimising the mean |ln(pred/pub)|
// over the rows `use` selects, the others as in `base`.
double FitOne(const std::vector<PublishedRun>& runs,
              bool (*use)(const PublishedRun&),
              Fitted base,
              double Fitted::*member) {
  double best = base.*member;
  double best_loss = INFINITY;
  const int steps =
      static_cast<int>(std::lround((kGridHigh - kGridLow) / kGridStep));
  for (int i = 0; i <= steps; ++i) {
    const double x = kGridLow + kGridStep * i;
    base.*member = x;
    double loss = 0.0;
    int n = 0;
    for (const PublishedRun& r : runs) {
      if (!use(r)) continue;
      loss += std::fabs(
          std::log(Predict(r, &base).step_seconds / r.published_step_seconds));
      ++n;
    }
    if (n > 0 && loss < best_loss) {
      best_loss = loss;
      best = x;
    }
  }
  return best;
}

// The fit on `runs`; a kind with no rows of its own follows the other
// H100 constant by the MAMF ratio (A100: the catalog's value).
Fitted Fit(const std::vector<PublishedRun>& runs) {
  Fitted f;
  const model::Device& a100 = io::FindDevice(Catalog(), "a100-sxm4-80gb");
  f.a100_matmul = a100.efficiency.matmul.value_or(0.75);
  auto any = [&](bool (*use)(const PublishedRun&)) {
    return std::any_of(runs.begin(), runs.end(), use);
  };
  if (any(IsA100))
    f.a100_matmul = FitOne(runs, IsA100, f, &Fitted::a100_matmul);
  const bool bf16 = any(IsH100Bf16);
  const bool fp8 = any(IsH100Fp8);
  if (bf16) f.h100_matmul = FitOne(runs, IsH100Bf16, f, &Fitted::h100_matmul);
  if (fp8)
    f.h100_matmul_fp8 = FitOne(runs, IsH100Fp8, f, &Fitted::h100_matmul_fp8);
  if (!fp8) f.h100_matmul_fp8 = f.h100_matmul * kH100Fp8OverBf16;
  if (!bf16) f.h100_matmul = f.h100_matmul_fp8 / kH100Fp8OverBf16;
  return f;
}

// Everything the doc shows, computed once.
struct Results {
  std::vector<PublishedRun> runs = testing::PublishedRuns();
  std::vector<PublishedRun> further = testing::FurtherRuns();
  std::vector<StepPrediction> predicted;   // catalog constants
  std::vector<double> lofo;                // step seconds
  std::map<std::string, Fitted> lofo_fit;  // by family left out
  Fitted fit;
  std::vector<StepPrediction> further_predicted;

  Results() {
    fit = Fit(runs);
    for (const PublishedRun& r : runs) predicted.push_back(Predict(r, nullptr));
    std::vector<std::string> families;
    for (const PublishedRun& r : runs) {
      if (std::find(families.begin(), families.end(), r.family) ==
          families.end())
        families.push_back(r.family);
    }
    for (const std::string& family : families) {
      std::vector<PublishedRun> rest;
      for (const PublishedRun& r : runs)
        if (r.family != family) rest.push_back(r);
      lofo_fit[family] = Fit(rest);
    }
    for (const PublishedRun& r : runs)
      lofo.push_back(Predict(r, &lofo_fit.at(r.family)).step_seconds);
    for (const PublishedRun& r : further)
      further_predicted.push_back(Predict(r, nullptr));
  }
};

const Results& Get() {
  static const Results r;
  return r;
}

std::vector<double> AbsErrors(const std::vector<PublishedRun>& runs,
                              const std::vector<double>& predicted) {
  std::vector<double> out;
  for (std::size_t i = 0; i < runs.size(); ++i)
    out.push_back(std::fabs(Error(runs[i], predicted[i])));
  return out;
}

std::vector<double> Steps(const std::vector<StepPrediction>& p) {
  std::vector<double> out;
  for (const StepPrediction& s : p) out.push_back(s.step_seconds);
  return out;
}

TEST(ValidationTest, EveryPublishedRowWithinTheTarget) {
  const Results& r = Get();
  ASSERT_EQ(r.runs.size(), 30U);  // 26 rows, K22's four with two figures
  const std::vector<double> errors = AbsErrors(r.runs, Steps(r.predicted));
  for (std::size_t i = 0; i < r.runs.size(); ++i) {
    SCOPED_TRACE(r.runs[i].id);
    EXPECT_LE(errors[i], kWorstTarget)
        << "predicted " << r.predicted[i].step_seconds << " s, published "
        << r.runs[i].published_step_seconds << " s";
  }
  EXPECT_LE(Median(errors), kMedianTarget);
  EXPECT_LE(*std::max_element(errors.begin(), errors.end()), kWorstTarget);
}

// The catalog's matmul efficiencies are the fit's (docs/validation-step-
// time.md): a change to the model shows up here until the catalog follows.
TEST(ValidationTest, CatalogEfficienciesAreTheFit) {
  const Fitted& f = Get().fit;
  const model::Device& a100 = io::FindDevice(Catalog(), "a100-sxm4-80gb");
  const model::Device& h100 = io::FindDevice(Catalog(), "h100-sxm");
  constexpr double kHalfStep = kGridStep / 2 + 1e-9;
  EXPECT_NEAR(a100.efficiency.matmul.value_or(0), f.a100_matmul, kHalfStep);
  EXPECT_NEAR(h100.efficiency.matmul.value_or(0), f.h100_matmul, kHalfStep);
  EXPECT_NEAR(
      h100.efficiency.matmul_fp8.value_or(0), f.h100_matmul_fp8, kHalfStep);
}

TEST(ValidationTest, LeaveOneFamilyOut) {
  const Results& r = Get();
  const std::vector<double> errors = AbsErrors(r.runs, r.lofo);
  EXPECT_LE(Median(errors), kLofoMedianBound);
  EXPECT_LE(*std::max_element(errors.begin(), errors.end()), kLofoWorstBound);
}

TEST(ValidationTest, FurtherPublishedRuns) {
  const Results& r = Get();
  const std::vector<double> errors =
      AbsErrors(r.further, Steps(r.further_predicted));
  for (std::size_t i = 0; i < r.further.size(); ++i) {
    SCOPED_TRACE(r.further[i].id);
    EXPECT_LE(errors[i], kFurtherWorstBound);
  }
}

// --- docs/validation-step-time.md ------------------------------------------

std::string Format(const char* format, double v) {
  std::array<char, 64> buf{};
  std::snprintf(buf.data(), buf.size(), format, v);
  return buf.data();
}
std::string Pct(double v) { return Format("%+.1f%%", 100.0 * v); }
std::string Seconds(double v) { return Format("%.3g", v); }

std::string RowsTable(const std::vector<PublishedRun>& runs,
                      const std::vector<StepPrediction>& predicted,
                      const std::vector<double>* lofo) {
  std::ostringstream o;
  o << "| id | family | device | layout | published | published step (s) | "
       "predicted (s) | error |"
    << (lofo != nullptr ? " LOFO predicted (s) | LOFO error |" : "")
    << " MFU (palm) | binds |\n| --- | --- | --- | --- | --- | --- | --- | "
       "--- |"
    << (lofo != nullptr ? " --- | --- |" : "") << " --- | --- |\n";
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const PublishedRun& r = runs[i];
    const StepPrediction& p = predicted[i];
    o << "| " << r.id << " | " << r.family << " | " << r.device << " | "
      << p.layout.Describe()
      << (r.options.dtype == model::Dtype::kFp8 ? ", fp8" : "")
      << (r.options.tp_comm_overlap ? ", TP overlap" : "") << " | "
      << r.published << " | " << Seconds(r.published_step_seconds) << " | "
      << Seconds(p.step_seconds) << " | " << Pct(Error(r, p.step_seconds))
      << " |";
    if (lofo != nullptr)
      o << " " << Seconds((*lofo)[i]) << " | " << Pct(Error(r, (*lofo)[i]))
        << " |";
    o << " " << Format("%.1f%%", 100.0 * p.mfu) << " | " << p.binds << " |\n";
  }
  return o.str();
}

std::string Summary(const char* what, const std::vector<double>& errors) {
  const auto worst = std::max_element(errors.begin(), errors.end());
  return std::string("- ") + what + ": median |error| " +
         Format("%.1f%%", 100.0 * Median(errors)) + ", worst " +
         Format("%.1f%%", 100.0 * *worst) + " (" +
         std::to_string(errors.size()) + " step times)\n";
}

std::string Generated() {
  const Results& r = Get();
  std::ostringstream o;
  o << "### Every row (catalog constants)\n\n"
    << RowsTable(r.runs, r.predicted, &r.lofo) << "\n"
    << Summary("catalog constants (the fit on all rows)",
               AbsErrors(r.runs, Steps(r.predicted)))
    << Summary("leave-one-family-out", AbsErrors(r.runs, r.lofo)) << "\n"
    << "### The fit, and the fit without each family\n\n"
    << "| rows fitted | a100 matmul | h100 matmul (bf16) | h100 matmul_fp8 "
       "|\n| --- | --- | --- | --- |\n"
    << "| all | " << Format("%.3f", r.fit.a100_matmul) << " | "
    << Format("%.3f", r.fit.h100_matmul) << " | "
    << Format("%.3f", r.fit.h100_matmul_fp8) << " |\n";
  for (const auto& [family, f] : r.lofo_fit) {
    o << "| all but " << family << " | " << Format("%.3f", f.a100_matmul)
      << " | " << Format("%.3f", f.h100_matmul) << " | "
      << Format("%.3f", f.h100_matmul_fp8) << " |\n";
  }
  o << "\n### Further published runs (never fitted)\n\n"
    << RowsTable(r.further, r.further_predicted, nullptr) << "\n"
    << Summary("further runs",
               AbsErrors(r.further, Steps(r.further_predicted)));
  return o.str();
}

TEST(ValidationDocTest, DocShowsTheseResults) {
  scalesim::testing::ExpectGeneratedSection("docs/validation-step-time.md",
                                            "tests/perf/validation_test.cpp",
                                            Generated());
}

}  // namespace
}  // namespace scalesim::perf

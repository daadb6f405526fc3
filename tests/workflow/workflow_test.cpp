// The shared workflows (workflow/workflow.hpp): the tables each report
// holds, its exit code, and the numbers that tie a report to the library
// call it wraps (the CLI and Python tests check the rendering).
#include "scalesim/workflow/workflow.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "scalesim/core/error.hpp"
#include "scalesim/io/law_io.hpp"

namespace scalesim::workflow {
namespace {

std::vector<std::string> Names(const io::Report& r) {
  std::vector<std::string> out;
  for (const io::Table& t : r.tables) out.push_back(t.name);
  return out;
}

const io::Table& Find(const io::Report& r, const std::string& name) {
  for (const io::Table& t : r.tables)
    if (t.name == name) return t;
  throw std::runtime_error("no table " + name);
}

const CellValue& Cell(const io::Table& t, const std::string& column) {
  const auto it = std::find(t.columns.begin(), t.columns.end(), column);
  if (it == t.columns.end()) throw std::runtime_error("no column " + column);
  return t.rows.at(0)
      .at(static_cast<std::size_t>(it - t.columns.begin()))
      .value;
}

io::ResolvedArchitecture Preset(const std::string& name) {
  io::ArchitectureSource s;
  s.preset = name;
  return io::ResolveArchitecture(s);
}

io::DeviceSelection Device(const std::string& name) {
  io::DeviceSelection d;
  d.device = name;
  return d;
}

TEST(StepWorkflowTest, OneStepHasTheStepAndItsStages) {
  perf::StepOptions o;
  o.devices = 8;
  o.global_batch = 128;
  const Outcome out = Step(Preset("llama2-7b"), Device("h100-sxm"), o, {});
  EXPECT_EQ(out.exit_code, 0);
  EXPECT_EQ(Names(out.report), (std::vector<std::string>{"step", "stages"}));
  EXPECT_TRUE(Find(out.report, "step").record);
  // The report's step time is PredictStep's, to the bit.
  const perf::StepPrediction p = perf::PredictStep(
      Preset("llama2-7b").arch, io::ResolveDevice(Device("h100-sxm")), o);
  EXPECT_EQ(std::get<double>(Cell(Find(out.report, "step"), "step_seconds")),
            p.step_seconds);
}

TEST(StepWorkflowTest, ASearchWithNothingThatFitsExitsOne) {
  perf::StepOptions o;
  o.devices = 1;
  o.global_batch = 8;
  StepSearch search;
  search.search = true;
  const Outcome out = Step(Preset("llama2-70b"), Device("h100-sxm"), o, search);
  EXPECT_EQ(out.exit_code, 1);
  EXPECT_FALSE(out.ok());
  EXPECT_EQ(Names(out.report), (std::vector<std::string>{"layouts"}));
  EXPECT_TRUE(Find(out.report, "layouts").rows.empty());
}

TEST(ServeWorkflowTest, ARequestAndItsLargestBatch) {
  perf::ServeOptions o;
  o.memory.batch = 16;
  const Outcome out = Serve(Preset("llama3-8b"), Device("h100-sxm"), o, {});
  EXPECT_EQ(out.exit_code, 0);
  ASSERT_EQ(Names(out.report), (std::vector<std::string>{"serve"}));
  EXPECT_EQ(Find(out.report, "serve").rows.size(), 2U);
  // After the preset's notes, the context the prediction assumed.
  const auto& n = out.report.notes;
  EXPECT_NE(std::find_if(n.begin(),
                         n.end(),
                         [](const std::string& s) {
                           return s.rfind(
                                      "context 640 tokens per sequence (512 "
                                      "prompt + 128 output",
                                      0) == 0;
                         }),
            n.end());
}

TEST(PlanWorkflowTest, AFeasiblePlanHasEveryTable) {
  plan::PlanOptions o;
  o.training_flops = 1e22;
  PlanLaws laws;
  laws.law = "hoffmann2022_approach3";
  const Outcome out = Plan(o, {}, std::nullopt, laws, {});
  EXPECT_EQ(out.exit_code, 0);
  EXPECT_EQ(Names(out.report),
            (std::vector<std::string>{"budget",
                                      "allocation",
                                      "model",
                                      "optimizer",
                                      "layout",
                                      "stages",
                                      "layouts",
                                      "time",
                                      "cost",
                                      "loss"}));
  // Without a device the plan's is kPlanDefaultDevice; the first note
  // describes the law.
  EXPECT_EQ(std::get<std::string>(Cell(Find(out.report, "budget"), "device")),
            kPlanDefaultDevice);
  EXPECT_NE(out.report.notes.at(0).find("hoffmann2022_approach3"),
            std::string::npos);
}

TEST(PlanWorkflowTest, AFixedArchitectureTakesThePlansVocab) {
  io::ArchitectureSource s;
  s.layers = 4;
  s.d_model = 512;
  s.heads = 8;
  plan::PlanOptions o;
  o.vocab = 1000;
  const auto fixed = PlanArchitecture(s, o);
  ASSERT_TRUE(fixed.has_value());
  EXPECT_EQ(fixed->arch.vocab_size, 1000);
  EXPECT_FALSE(PlanArchitecture({}, o).has_value());
}

TEST(CompareWorkflowTest, ChinchillaGopherTables) {
  const Outcome out = CompareChinchillaGopher();
  EXPECT_EQ(out.exit_code, 0);
  const std::vector<std::string> names = Names(out.report);
  ASSERT_GE(names.size(), 5U);
  EXPECT_EQ(names[0], "models");
  EXPECT_EQ(names[3], "compute_optimal_at_5.76e23");
  EXPECT_EQ(names[4], "table2_exponents");
}

TEST(SynthWorkflowTest, DefaultLawIsApproach3AsPrinted) {
  const Synthesis s = PlanSynthesis({}, {});
  // Hoffmann et al. 2022 Eq. 10: E 1.69, A 406.4, B 410.7, 0.34, 0.28.
  EXPECT_EQ(s.plan.law.E, 1.69);
  EXPECT_EQ(s.plan.law.A, 406.4);
  EXPECT_EQ(s.plan.law.B, 410.7);
  EXPECT_EQ(s.plan.law.alpha, 0.34);
  EXPECT_EQ(s.plan.law.beta, 0.28);
  const io::Report r = SynthReport(s, 240, "runs.csv");
  ASSERT_EQ(Names(r), (std::vector<std::string>{"synthetic"}));
  EXPECT_EQ(std::get<std::int64_t>(Cell(r.tables[0], "runs")), 240);
  EXPECT_NE(r.notes.back().find("--data runs.csv"), std::string::npos);
}

TEST(SynthWorkflowTest, ALawOfAnotherFormIsRefusedNamingLaw) {
  SynthLaw law;
  law.law = "kaplan2020";
  try {
    PlanSynthesis(law, {});
    FAIL() << "kaplan2020 accepted";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.where().field, "law");
    EXPECT_NE(std::string(e.what()).find("not of the Chinchilla form"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace scalesim::workflow

// Law files: the built-in ones against the published constants, round trips
// and malformed files.
#include "scalesim/io/law_io.hpp"

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "scalesim/core/error.hpp"
#include "scalesim/laws/data_constrained.hpp"
#include "scalesim/plan/plan_report.hpp"

#include "test_support.hpp"

namespace scalesim::io {
namespace {

using testing::TempDir;

const InputLocation kWhere{"command line", 0, "--law"};

const laws::Law& Builtin(const std::string& name) {
  const laws::Law* law = BuiltinLaws().Find(name);
  EXPECT_NE(law, nullptr) << name;
  return *law;
}

TEST(LawIoTest, BuiltinLawsInDataOrder) {
  EXPECT_EQ(BuiltinLaws().Names(),
            (std::vector<std::string>{"kaplan2020",
                                      "hoffmann2022_approach3",
                                      "hoffmann2022_approach3_unrounded",
                                      "hoffmann2022_approach1",
                                      "hoffmann2022_approach2",
                                      "besiroglu2024",
                                      "sardana2024",
                                      "muennighoff2023"}));
  // The default selection leaves out the laws that model repeated data.
  ASSERT_EQ(BuiltinLaws().laws().size() + 1, BuiltinLaws().all().size());
  for (const laws::Law& law : BuiltinLaws().laws())
    EXPECT_FALSE(laws::ModelsRepetition(law)) << law.name();
  EXPECT_TRUE(laws::ModelsRepetition(Builtin("muennighoff2023")));
  for (const laws::Law& law : BuiltinLaws().all()) {
    SCOPED_TRACE(law.name());
    EXPECT_FALSE(law.info().citation.empty());
    EXPECT_FALSE(law.info().dataset.empty());
    // Only Kaplan et al. count non-embedding parameters (golden-numbers.md).
    EXPECT_EQ(law.info().param_count,
              law.name() == "kaplan2020" ? laws::ParamCount::kNonEmbedding
                                         : laws::ParamCount::kTotal);
  }
}

void ExpectChinchilla(const std::string& name,
                      double e,
                      double a,
                      double b,
                      double alpha,
                      double beta) {
  SCOPED_TRACE(name);
  const laws::ChinchillaForm* c = Builtin(name).chinchilla();
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->E, e);
  EXPECT_EQ(c->A, a);
  EXPECT_EQ(c->B, b);
  EXPECT_EQ(c->alpha, alpha);
  EXPECT_EQ(c->beta, beta);
}

TEST(LawIoTest, ChinchillaFormConstantsAsPublished) {
  // golden-numbers.md: Hoffmann et al. 2022 Approach 3 printed and unrounded;
  // Besiroglu et al. 2024; Sardana et al. 2024.
  ExpectChinchilla("hoffmann2022_approach3", 1.69, 406.4, 410.7, 0.34, 0.28);
  ExpectChinchilla("hoffmann2022_approach3_unrounded",
                   1.69337,
                   406.401,
                   410.723,
                   0.33917084,
                   0.2849083);
  ExpectChinchilla("besiroglu2024", 1.8172, 482.01, 2085.43, 0.3478, 0.3658);
  ExpectChinchilla("sardana2024", 1.69, 406.4, 410.7, 0.336, 0.283);
}

TEST(LawIoTest, KaplanConstantsAsPublished) {
  // golden-numbers.md: Kaplan et al. 2020.
  const laws::KaplanLaw* k = Builtin("kaplan2020").kaplan();
  ASSERT_NE(k, nullptr);
  const laws::KaplanConstants& c = k->constants();
  EXPECT_EQ(c.joint.alpha_n, 0.076);
  EXPECT_EQ(c.joint.alpha_d, 0.103);
  EXPECT_EQ(c.joint.n_c, 6.4e13);
  EXPECT_EQ(c.joint.d_c, 1.8e13);
  ASSERT_TRUE(c.params_law && c.data_law && c.compute_law && c.allocation);
  EXPECT_EQ(c.params_law->alpha_n, 0.076);
  EXPECT_EQ(c.params_law->n_c, 8.8e13);
  EXPECT_EQ(c.data_law->alpha_d, 0.095);
  EXPECT_EQ(c.data_law->d_c, 5.4e13);
  EXPECT_EQ(c.compute_law->alpha_c_min, 0.050);
  EXPECT_EQ(c.compute_law->c_c_pf_days, 3.1e8);
  EXPECT_EQ(c.allocation->params_coefficient, 1.3e9);
  EXPECT_EQ(c.allocation->params_exponent, 0.73);
  EXPECT_EQ(c.allocation->tokens_coefficient, 2e10);
  EXPECT_EQ(c.allocation->tokens_exponent, 0.27);
}

TEST(LawIoTest, FrontiersAsPublished) {
  // golden-numbers.md: Table 2 (a 0.50 / 0.49) and Table 3 (67B at 5.76e23,
  // 1B at 1.21e20 and 20.2B tokens).
  const laws::Law& a1 = Builtin("hoffmann2022_approach1");
  ASSERT_NE(a1.frontier(), nullptr);
  EXPECT_EQ(a1.frontier()->params_exponent, 0.50);
  EXPECT_EQ(a1.frontier()->tokens_exponent, 0.50);
  EXPECT_EQ(a1.frontier()->anchor_flops, 5.76e23);
  EXPECT_EQ(a1.frontier()->params_at_anchor, 67e9);
  // Tokens at the anchor from C = 6ND: 5.76e23 / (6 * 67e9).
  EXPECT_DOUBLE_EQ(a1.frontier()->tokens_at_anchor, 5.76e23 / (6 * 67e9));
  ASSERT_EQ(a1.info().published_optima.size(), 9U);
  EXPECT_EQ(a1.info().published_optima[1].params, 1e9);
  EXPECT_EQ(a1.info().published_optima[1].training_flops, 1.21e20);
  EXPECT_EQ(a1.info().published_optima[1].tokens, 20.2e9);
  const laws::Law& a2 = Builtin("hoffmann2022_approach2");
  EXPECT_EQ(a2.frontier()->params_exponent, 0.49);
  EXPECT_EQ(a2.frontier()->tokens_exponent, 0.51);
}

TEST(LawIoTest, MuennighoffConstantsAsPublished) {
  // Muennighoff et al. 2023 App. B (before Eq. 20): a = 6.255414, b =
  // 7.3049974, e = 0.6254804, alpha = beta = 0.3526596 with A = e^a, B = e^b,
  // E = e^e; App. A (before Eq. 17): R_D* = 15.387756, R_N* = 5.309743.
  const laws::Law& law = Builtin("muennighoff2023");
  EXPECT_EQ(law.form_name(), "data_constrained");
  EXPECT_EQ(law.info().param_count, laws::ParamCount::kTotal);  // Eq. 23
  const auto* form =
      dynamic_cast<const laws::DataConstrainedLawForm*>(&law.form());
  ASSERT_NE(form, nullptr);
  const laws::DataConstrainedConstants& c = form->law().constants();
  EXPECT_EQ(c.chinchilla.A, std::exp(6.255414));
  EXPECT_EQ(c.chinchilla.B, std::exp(7.3049974));
  EXPECT_EQ(c.chinchilla.E, std::exp(0.6254804));
  EXPECT_EQ(c.chinchilla.alpha, 0.3526596);
  EXPECT_EQ(c.chinchilla.beta, 0.3526596);
  EXPECT_EQ(c.r_d_star, 15.387756);
  EXPECT_EQ(c.r_d_star, laws::kMuennighoffRDStar);
  EXPECT_EQ(c.r_n_star, 5.309743);
  // The README's golden value through the law file.
  EXPECT_EQ(law.loss_law()->LossRepeated(6.34e9, 242e9, laws::DataBudget{25e9}),
            2.2256440889984477);
}

TEST(LawIoTest, EveryBuiltinLawRoundTrips) {
  for (const laws::Law& law : BuiltinLaws().all()) {
    SCOPED_TRACE(law.name());
    const std::string text = LawToJson(law);
    const laws::Law back = LawFromJson(text, "round-trip");
    EXPECT_EQ(LawToJson(back), text);
    EXPECT_EQ(back.form_name(), law.form_name());
    EXPECT_EQ(back.info().citation, law.info().citation);
    EXPECT_EQ(back.info().fitted_range.max_params,
              law.info().fitted_range.max_params);
    EXPECT_EQ(back.info().published_optima.size(),
              law.info().published_optima.size());
  }
}

TEST(LawIoTest, FittedLawWritesAndReads) {
  // What `scalesim fit --out law.json` does: a ChinchillaForm with its info.
  laws::LawInfo info;
  info.name = "my_fit";
  info.citation = "scalesim fit on runs.csv";
  info.dataset = "my runs";
  info.loss_units = "nats per token";
  const laws::Law fitted(info,
                         laws::ChinchillaForm{1.8, 500.0, 2000.0, 0.35, 0.37});
  const laws::Law back = LawFromJson(LawToJson(fitted), "law.json");
  EXPECT_EQ(back.name(), "my_fit");
  EXPECT_EQ(back.chinchilla()->B, 2000.0);
  EXPECT_EQ(back.info().param_count, laws::ParamCount::kTotal);
  // A Kaplan-form fit with only the joint law.
  laws::KaplanConstants k;
  k.joint = {0.07, 0.1, 1e13, 2e13};
  const laws::Law kaplan(info, k);
  const laws::Law kback = LawFromJson(LawToJson(kaplan), "law.json");
  EXPECT_EQ(kback.kaplan()->constants().joint.d_c, 2e13);
  EXPECT_FALSE(kback.kaplan()->constants().allocation.has_value());
}

TEST(LawIoTest, LoadLawByNameThenFile) {
  EXPECT_EQ(LoadLaw("sardana2024", kWhere).chinchilla()->alpha, 0.336);
  TempDir dir("load");
  const std::string path = dir.Write(
      "law.json",
      R"({"name": "mine", "form": "chinchilla", "param_count": "total",
          "constants": {"E": 1.7, "A": 400, "B": 400, "alpha": 0.3, "beta": 0.3},
          "loss_units": "nats per token", "dataset": "d", "citation": "c"})");
  EXPECT_EQ(LoadLaw(path, kWhere).name(), "mine");
  try {
    LoadLaw("nosuch", kWhere);
    FAIL();
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.where().field, "--law");
    EXPECT_NE(std::string(e.what()).find("unknown law 'nosuch'"),
              std::string::npos);
    EXPECT_NE(std::string(e.what()).find("kaplan2020"), std::string::npos);
  }
}

struct BadFile {
  std::string text;
  const char* field;    // expected InputLocation::field
  const char* problem;  // expected in the message
};

TEST(LawIoTest, MalformedFilesNameFileAndField) {
  const std::string ok_tail =
      R"("param_count": "total", "loss_units": "nats", "dataset": "d", "citation": "c")";
  const std::vector<BadFile> cases = {
      {R"({"name": "x", "form": "chinchilla", )" + std::string("\n") + "oops",
       "",
       "invalid JSON"},
      {R"({"form": "chinchilla", "constants": {}, "param_count": "total"})",
       "name",
       "missing required field"},
      {(R"({"name": "x", "form": "power", "constants": {}, )" + ok_tail + "}"),
       "form",
       "unknown form 'power'"},
      {(R"({"name": "x", "form": "chinchilla", "constants": {"E": 1.7, "A": 400, "B": 400, "alpha": -0.3, "beta": 0.3}, )" +
        ok_tail + "}"),
       "constants.alpha",
       "must be a finite number > 0"},
      {(R"({"name": "x", "form": "chinchilla", "constants": {"E": 1.7, "A": 400, "B": 400, "alpha": 0.3}, )" +
        ok_tail + "}"),
       "constants.beta",
       "missing required field"},
      {(R"({"name": "x", "form": "chinchilla", "constants": {"E": 1.7, "A": 400, "B": 400, "alpha": 0.3, "beta": 0.3, "gamma": 1}, )" +
        ok_tail + "}"),
       "constants.gamma",
       "unknown field"},
      {(R"({"name": "x", "form": "kaplan", "constants": {"joint": {"alpha_n": 0.07, "alpha_d": "0.1", "n_c": 1, "d_c": 1}}, )" +
        ok_tail + "}"),
       "constants.joint.alpha_d",
       "must be a number"},
      {(R"({"name": "x", "form": "frontier", "constants": {"params_exponent": 0.5, "tokens_exponent": 0.6, "anchor_training_flops": 1e23, "anchor_params": 1e10}, )" +
        ok_tail + "}"),
       "constants.tokens_exponent",
       "must be 1"},
      {(R"({"name": "x", "form": "chinchilla", "constants": {"E": 1.7, "A": 400, "B": 400, "alpha": 0.3, "beta": 0.3}, "param_count": "embedding", "loss_units": "n", "dataset": "d", "citation": "c"})"),
       "param_count",
       "unknown parameter count 'embedding'"},
      {(R"({"name": "x", "form": "chinchilla", "constants": {"E": 1.7, "A": 400, "B": 400, "alpha": 0.3, "beta": 0.3}, "fitted_range": {"params": [10, 1]}, )" +
        ok_tail + "}"),
       "fitted_range.params",
       "min must not exceed max"},
      {(R"({"name": "x", "form": "chinchilla", "constants": {"E": 1.7, "A": 400, "B": 400, "alpha": 0.3, "beta": 0.3}, "citaton": "typo", )" +
        ok_tail + "}"),
       "citaton",
       "unknown field"},
  };
  for (const BadFile& c : cases) {
    SCOPED_TRACE(c.text);
    try {
      LawFromJson(c.text, "bad.json");
      ADD_FAILURE() << "accepted";
    } catch (const InvalidInput& e) {
      EXPECT_EQ(e.where().source, "bad.json");
      EXPECT_EQ(e.where().field, c.field);
      EXPECT_NE(std::string(e.what()).find(c.problem), std::string::npos)
          << e.what();
    }
  }
}

TEST(LawIoTest, SyntaxErrorNamesTheLine) {
  try {
    LawFromJson("{\n\"name\": \"x\",\n,\n}", "broken.json");
    FAIL();
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.where().line, 3);
  }
}

const laws::HyperparameterLaw& BuiltinHyperparameter(const std::string& name) {
  for (const laws::HyperparameterLaw& law : BuiltinHyperparameterLaws()) {
    if (law.name() == name) return law;
  }
  ADD_FAILURE() << name;
  return BuiltinHyperparameterLaws().front();
}

// The constants of a hyperparameter law as its file names them.
std::string HyperparameterConstants(const std::string& name) {
  return laws::ConstantsText(BuiltinHyperparameter(name).form().constants());
}

TEST(HyperparameterLawIoTest, BuiltinConstantsAsPublished) {
  // DeepSeek-AI 2024 Sec. 3.1 Eq. 1 and Sec. 3.2 Eq. 4; Kaplan et al. 2020
  // Eqs. 1.4, 5.3; Li et al. 2025 (the authors' released fit).
  EXPECT_EQ(HyperparameterConstants("deepseek2024_hyperparameters"),
            "lr_coefficient=0.3118 lr_exponent=-0.125 batch_coefficient=0.292 "
            "batch_exponent=0.3271");
  EXPECT_EQ(HyperparameterConstants("deepseek2024_allocation"),
            "m_base=0.1715 m_exponent=0.5243 d_base=5.8316 d_exponent=0.4757");
  EXPECT_EQ(HyperparameterConstants("kaplan2020_critical_batch"),
            "b_star_tokens=2e+08 alpha_b=0.21");
  EXPECT_EQ(HyperparameterConstants("li2025_step_law"),
            "lr_coefficient=1.79 lr_params_exponent=-0.713 "
            "lr_tokens_exponent=0.307 batch_coefficient=0.58 "
            "batch_tokens_exponent=0.571");
  // B_crit's L is Kaplan's loss; the Step law reads non-embedding N.
  const laws::HyperparameterLaw& kaplan =
      BuiltinHyperparameter("kaplan2020_critical_batch");
  ASSERT_TRUE(kaplan.info().loss_law.has_value());
  EXPECT_EQ(kaplan.info().loss_law->name(), "kaplan2020");
  EXPECT_EQ(BuiltinHyperparameter("li2025_step_law").info().param_count,
            laws::ParamCount::kNonEmbedding);
  for (const laws::HyperparameterLaw& law : BuiltinHyperparameterLaws()) {
    SCOPED_TRACE(law.name());
    EXPECT_FALSE(law.info().citation.empty());
    EXPECT_FALSE(law.info().budget.empty());
    EXPECT_FALSE(law.info().units.empty());
  }
}

// plan's fallback without a hyperparameter law (plan_report.hpp) is the
// built-in file's law, constant for constant.
TEST(HyperparameterLawIoTest, PlanFallbackIsTheBuiltinDeepSeekLaw) {
  std::map<std::string, double> c;
  for (const auto& k :
       BuiltinHyperparameter("deepseek2024_hyperparameters").form().constants())
    c[k.name] = k.value;
  EXPECT_EQ(c.at("batch_coefficient"), plan::kDeepSeekBatchCoefficient);
  EXPECT_EQ(c.at("batch_exponent"), plan::kDeepSeekBatchExponent);
  EXPECT_EQ(c.at("lr_coefficient"), plan::kDeepSeekLrCoefficient);
  EXPECT_EQ(c.at("lr_exponent"), plan::kDeepSeekLrExponent);
}

TEST(HyperparameterLawIoTest, LossAndHyperparameterLawsDoNotMix) {
  const auto problem = [](const auto& load) {
    try {
      load();
    } catch (const InvalidInput& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(problem([] {
              LoadLaw("deepseek2024_hyperparameters", kWhere);
            }).find("is a hyperparameter law (scalesim hparams)"),
            std::string::npos);
  EXPECT_NE(problem([] {
              LoadHyperparameterLaw("hoffmann2022_approach3", kWhere);
            }).find("is a loss law"),
            std::string::npos);
  // A law file of the other kind of form says so.
  const std::string tail =
      R"(, "param_count": "total", "loss_units": "n", "dataset": "d", "citation": "c"})";
  EXPECT_NE(
      problem([&] {
        LawFromJson(
            R"({"name": "x", "form": "critical_batch", "constants": {})" + tail,
            "x.json");
      }).find("it is a hyperparameter form"),
      std::string::npos);
  EXPECT_NE(
      problem([] {
        HyperparameterLawFromJson(
            R"({"name": "x", "form": "cubic", "constants": {}, "budget": "b", "units": "u", "dataset": "d", "citation": "c"})",
            "x.json");
      }).find("unknown form 'cubic'"),
      std::string::npos);
  EXPECT_NE(
      problem([] {
        HyperparameterLawFromJson(
            R"({"name": "x", "form": "critical_batch", "constants": {"b_star_tokens": 2e8, "alpha_b": 0.21}, "budget": "b", "units": "u", "dataset": "d", "citation": "c"})",
            "x.json");
      }).find("loss_law"),
      std::string::npos);
}

}  // namespace
}  // namespace scalesim::io

// Reading training runs from CSV (fast-cpp-csv-parser) and writing them back.
#include "scalesim/io/dataset_io.hpp"

#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "scalesim/core/error.hpp"
#include "scalesim/fit/synthetic.hpp"

#include "test_support.hpp"

namespace scalesim::io {
namespace {

// The message of the InvalidInput thrown by `fn` ("" if none was thrown).
template <typename Fn>
std::string ErrorOf(Fn fn) {
  try {
    fn();
  } catch (const InvalidInput& e) {
    return e.what();
  }
  return "";
}

TEST(DatasetIoTest, ReadsDefaultColumnsAndIgnoresOthers) {
  const fit::Dataset d = ParseDatasetCsv(
      "name,N,D,loss,C,extra\n"
      "a,1e9,2e10,2.5,1.2e20,x\n"
      "\"b, quoted\",4e8,8e9,2.9,1.92e19,y\n",
      "runs.csv");
  ASSERT_EQ(d.points.size(), 2U);
  EXPECT_EQ(d.points[0].params, 1e9);
  EXPECT_EQ(d.points[0].tokens, 2e10);
  EXPECT_EQ(d.points[0].training_flops, 1.2e20);
  EXPECT_EQ(d.points[0].loss, 2.5);
  EXPECT_EQ(d.points[0].line, 2);
  EXPECT_EQ(d.points[1].params, 4e8);
  EXPECT_EQ(d.points[1].line, 3);
  EXPECT_EQ(d.source, "runs.csv");
}

TEST(DatasetIoTest, DerivesTokensFromFlopsAndSaysSo) {
  DatasetReadOptions o;
  o.columns.params = "params";
  o.columns.flops = "budget";
  o.columns.loss = "Smoothed Loss";
  const fit::Dataset d = ParseDatasetCsv(
      "params,budget,Smoothed Loss\n1e9,6e19,2.5\n", "runs.csv", o);
  ASSERT_EQ(d.points.size(), 1U);
  EXPECT_DOUBLE_EQ(d.points[0].tokens, 1e10);  // C / (6N)
  bool noted = false;
  for (const std::string& n : d.notes)
    noted = noted || n.find("D = C/(6N)") != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST(DatasetIoTest, FlopsFromSixNDWhenAbsent) {
  const fit::Dataset d =
      ParseDatasetCsv("N,D,loss\n2e9,5e10,2.2\n", "runs.csv");
  EXPECT_DOUBLE_EQ(d.points[0].training_flops, 6.0 * 2e9 * 5e10);
}

TEST(DatasetIoTest, FiltersAndDropHighestLoss) {
  const std::string csv =
      "source,budget,N,D,loss\n"
      "x,1e+19,1e8,1e10,3.1\n"
      "y,1e19,2e8,5e9,3.0\n"
      "x,1e19,3e8,4e9,4.5\n"
      "x,3e19,4e8,1e10,2.9\n";
  DatasetReadOptions o;
  o.filters = {ParseDatasetFilter("source=x", "--filter"),
               ParseDatasetFilter("budget=1e19", "--filter")};
  const fit::Dataset both = ParseDatasetCsv(csv, "runs.csv", o);
  ASSERT_EQ(both.points.size(), 2U);  // "1e+19" matches 1e19 numerically
  EXPECT_EQ(both.points[0].line, 2);
  EXPECT_EQ(both.points[1].line, 4);
  o.drop_highest_loss = 1;
  const fit::Dataset dropped = ParseDatasetCsv(csv, "runs.csv", o);
  ASSERT_EQ(dropped.points.size(), 1U);
  EXPECT_EQ(dropped.points[0].loss, 3.1);
}

TEST(DatasetIoTest, ComparisonFilters) {
  const std::string csv =
      "ratio,N,D,loss\n10,1e8,1e9,3\n100,1e8,1e10,2.9\n250,1e8,2.5e10,2.8\nn/"
      "a,1e8,1e9,3\n";
  auto count = [&](const char* filter) {
    DatasetReadOptions o;
    o.filters = {ParseDatasetFilter(filter, "--filter")};
    return ParseDatasetCsv(csv, "runs.csv", o).points.size();
  };
  EXPECT_EQ(count("ratio<=100"), 2U);
  EXPECT_EQ(count("ratio<100"), 1U);
  EXPECT_EQ(count("ratio>100"), 1U);
  EXPECT_EQ(count("ratio>=10"),
            3U);  // "n/a" is not a number: fails the comparison
  EXPECT_EQ(count("ratio!=100"), 3U);
  EXPECT_EQ(count("ratio=n/a"), 1U);
  EXPECT_NE(ErrorOf([] {
              ParseDatasetFilter("ratio<=abc", "--filter");
            }).find("needs a number"),
            std::string::npos);
}

TEST(DatasetIoTest, FilteredOutRowsAreNotValidated) {
  DatasetReadOptions o;
  o.filters = {ParseDatasetFilter("keep=1", "--filter")};
  const fit::Dataset d = ParseDatasetCsv(
      "keep,N,D,loss\n1,1e9,2e10,2.5\n0,abc,,nan\n", "runs.csv", o);
  EXPECT_EQ(d.points.size(), 1U);
}

TEST(DatasetIoTest, RoundTripsExactly) {
  fit::IsoFlopDesign design;
  design.noise_sigma = 0.01;
  design.seed = 1;
  const fit::Dataset original = fit::SynthesizeChinchillaDataset(
      laws::ChinchillaForm{1.69, 406.4, 410.7, 0.34, 0.28}, design);
  const fit::Dataset back =
      ParseDatasetCsv(DatasetToCsv(original), "synthetic.csv");
  ASSERT_EQ(back.points.size(), original.points.size());
  for (std::size_t i = 0; i < back.points.size(); ++i) {
    EXPECT_EQ(back.points[i].params, original.points[i].params);
    EXPECT_EQ(back.points[i].tokens, original.points[i].tokens);
    EXPECT_EQ(back.points[i].training_flops, original.points[i].training_flops);
    EXPECT_EQ(back.points[i].loss, original.points[i].loss);
  }
}

TEST(DatasetIoTest, ResidualsCsv) {
  const fit::Dataset d =
      ParseDatasetCsv("N,D,loss\n1e9,2e10,2.5\n", "runs.csv");
  const std::string csv = ResidualsToCsv(d, {2.0});
  const std::string head =
      "N,D,C,loss_observed,loss_predicted,residual,log_residual\n1000000000,"
      "20000000000,1.2e+20,2.5,2,0.5,";
  ASSERT_EQ(csv.substr(0, head.size()), head);
  EXPECT_NEAR(std::stod(csv.substr(head.size())),
              std::log(2.5 / 2.0),
              1e-15);  // log residual
}

TEST(DatasetIoTest, ErrorsNameFileLineAndColumn) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "runs.csv: empty file"},
      {"\n\n", "runs.csv: empty file"},
      {"N,D,loss\n", "runs.csv:1: no data rows"},
      {"N,D,lost\n1,2,3\n", "runs.csv:1: field 'loss': missing column"},
      {"N,loss\n1,2\n", "runs.csv:1: field 'D': missing column"},
      {"N,D,loss\n1e9,2e10,2.5\n1e9,2e10,abc\n",
       "runs.csv:3: field 'loss': not a number: 'abc'"},
      {"N,D,loss\n1e9,,2.5\n", "runs.csv:2: field 'D': empty value"},
      {"N,D,loss\n1e9,2e10,nan\n",
       "runs.csv:2: field 'loss': not finite: 'nan'"},
      {"N,D,loss\ninf,2e10,2\n", "runs.csv:2: field 'N': not finite: 'inf'"},
      {"N,D,loss\n-1e9,2e10,2\n",
       "runs.csv:2: field 'N': must be positive, got -1e9"},
      {"N,D,loss\n1e9,0,2\n", "runs.csv:2: field 'D': must be positive, got 0"},
      {"N,D,loss\n1e9,2e10\n", "runs.csv:2: too few columns"},
      {"N,D,loss\n1e9,2e10,2,7\n", "runs.csv:2: too many columns"},
      {"N,D,loss\n\"1e9,2e10,2\n", "runs.csv:2: unclosed quote"},
  };
  for (const auto& [csv, expected] : cases) {
    SCOPED_TRACE(csv);
    const std::string message =
        ErrorOf([&] { ParseDatasetCsv(csv, "runs.csv"); });
    EXPECT_NE(message.find(expected), std::string::npos) << message;
  }
}

TEST(DatasetIoTest, OptionErrors) {
  DatasetReadOptions o;
  o.filters = {ParseDatasetFilter("source=z", "--filter")};
  EXPECT_NE(ErrorOf([&] {
              ParseDatasetCsv("source,N,D,loss\nx,1,2,3\n", "runs.csv", o);
            }).find("no row matches the filters"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] {
              ParseDatasetFilter("nonsense", "--filter");
            }).find("field '--filter'"),
            std::string::npos);
  DatasetReadOptions drop;
  drop.drop_highest_loss = 1;
  EXPECT_NE(ErrorOf([&] {
              ParseDatasetCsv("N,D,loss\n1,2,3\n", "runs.csv", drop);
            }).find("leaves none"),
            std::string::npos);
  DatasetReadOptions same;
  same.columns.tokens = "N";
  EXPECT_NE(ErrorOf([&] {
              ParseDatasetCsv("N,loss\n1,2\n", "runs.csv", same);
            }).find("two roles"),
            std::string::npos);
}

TEST(DatasetIoTest, ReadsFilesAndNamesMissingOnes) {
  testing::TempDir dir("dataset_io");
  const std::string path =
      dir.Write("runs.csv", "N,D,loss\r\n1e9,2e10,2.5\r\n");
  const fit::Dataset d = ReadDatasetCsv(path);
  ASSERT_EQ(d.points.size(), 1U);
  EXPECT_EQ(d.points[0].loss, 2.5);  // CRLF line ends
  EXPECT_NE(ErrorOf([&] {
              ReadDatasetCsv(dir.File("none.csv"));
            }).find("cannot read file"),
            std::string::npos);
}

// fast-cpp-csv-parser's cells are C strings: "3.35\0garbage" used to be
// read as 3.35. Any NUL byte is refused, naming its line and column.
TEST(DatasetIoTest, NulByteIsRefusedNamingLineAndColumn) {
  using namespace std::string_literals;
  EXPECT_EQ(ErrorOf([] {
              ParseDatasetCsv(
                  "N,D,loss\n1e9,2e10,2.5\n1e9,2e10,3.35\0garbage\n"s,
                  "runs.csv");
            }),
            "runs.csv:3: field 'loss': NUL byte in column 3 (a dataset is "
            "text)");
  EXPECT_EQ(ErrorOf([] {
              ParseDatasetCsv("\"N\",\"D, tokens\",loss\n1e9\0,2e10,2.5\n"s,
                              "runs.csv");
            }),
            "runs.csv:2: field 'N': NUL byte in column 1 (a dataset is text)");
  EXPECT_EQ(ErrorOf([] { ParseDatasetCsv("N,D\0,loss\n"s, "runs.csv"); }),
            "runs.csv:1: NUL byte in column 2 (a dataset is text)");
  EXPECT_EQ(ErrorOf([] { ParseDatasetCsv(std::string(100, '\0'), "z.csv"); }),
            "z.csv:1: NUL byte in column 1 (a dataset is text)");
}

// C = 6ND is computed when the file has no C column: N and D near 1e200
// make it infinite; D = C/(6N) when it has no D column underflows to 0 for
// a tiny C and a huge N (or overflows for a tiny N). Each names the line
// and the column whose value made it.
TEST(DatasetIoTest, DerivedValuesOutOfRangeNameLineAndField) {
  EXPECT_EQ(ErrorOf([] {
              ParseDatasetCsv("N,D,loss\n1e9,2e10,2.5\n1e200,1e200,2.5\n",
                              "runs.csv");
            }),
            "runs.csv:3: field 'D': training FLOPs C = 6ND = 6 * 1e+200 * "
            "1e+200 exceeds the range of a double");
  EXPECT_EQ(ErrorOf([] {
              ParseDatasetCsv("N,C,loss\n1e300,1e-300,2.5\n", "runs.csv");
            }),
            "runs.csv:2: field 'C': tokens D = C/(6N) = 1e-300 / (6 * "
            "1e+300) underflows to 0");
  EXPECT_EQ(ErrorOf([] {
              ParseDatasetCsv("N,C,loss\n1e-300,1e300,2.5\n", "runs.csv");
            }),
            "runs.csv:2: field 'C': tokens D = C/(6N) = 1e+300 / (6 * "
            "1e-300) exceeds the range of a double");
  // With both D and C given nothing is derived: large values are fine.
  EXPECT_EQ(ParseDatasetCsv("N,D,C,loss\n1e200,1e200,1e300,2.5\n", "runs.csv")
                .points.size(),
            1U);
}

TEST(DatasetIoTest, MoreRowsThanTheLimitNameTheLine) {
  EXPECT_EQ(kMaxDatasetRows, 10'000'000);
  DatasetReadOptions small;
  small.max_rows = 3;
  EXPECT_EQ(
      ParseDatasetCsv("N,D,loss\n1,2,3\n1,2,3\n1,2,3\n", "runs.csv", small)
          .points.size(),
      3U);
  EXPECT_EQ(ErrorOf([&] {
              ParseDatasetCsv(
                  "N,D,loss\n1,2,3\n1,2,3\n1,2,3\n1,2,3\n", "runs.csv", small);
            }),
            "runs.csv:5: more than the limit of 3 data rows");
}

// A megabyte cell is echoed as 60 bytes and "...".
TEST(DatasetIoTest, HugeCellIsEchoedAsAnExcerpt) {
  EXPECT_EQ(ErrorOf([] {
              ParseDatasetCsv(
                  "N,D,loss\n1e9,2e10," + std::string(1'000'000, 'x') + "\n",
                  "runs.csv");
            }),
            "runs.csv:2: field 'loss': not a number: '" + std::string(60, 'x') +
                "...'");
}

}  // namespace
}  // namespace scalesim::io

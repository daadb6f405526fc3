#include "scalesim/io/report.hpp"

#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "scalesim/core/error.hpp"

namespace scalesim::io {
namespace {

Report Sample() {
  Report r;
  Table t{"weights", "Weights", {"dtype", "params", "memory_bytes"}, {}};
  t.AddRow({Text("bf16"), Count(6'738'415'616), BytesSI(13'476'831'232.0)});
  r.tables.push_back(t);
  r.notes.push_back("GB = 1e9 bytes");
  return r;
}

TEST(ReportTest, TableIsHumanReadable) {
  std::ostringstream out;
  WriteReport(Sample(), Format::kTable, out);
  EXPECT_NE(out.str().find("6,738,415,616 (6.74B)"), std::string::npos)
      << out.str();
  EXPECT_NE(out.str().find("13.5 GB"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("note: GB = 1e9 bytes"), std::string::npos);
}

// A record of several rows (scenarios) is shown on its side with a value
// column per row, headed by the row's first cell; CSV keeps the rows.
TEST(ReportTest, RecordOfScenariosIsVertical) {
  Report r;
  Table t{"serve", "Serve", {"scenario", "batch"}, {}};
  t.AddRow({Text("requested"), Integer(8)});
  t.AddRow({Text("largest_batch"), Integer(14)});
  t.record = true;
  r.tables.push_back(t);
  std::ostringstream table;
  WriteReport(r, Format::kTable, table);
  EXPECT_NE(table.str().find("quantity"), std::string::npos) << table.str();
  EXPECT_NE(table.str().find("largest_batch"), std::string::npos);
  std::istringstream lines(table.str());
  bool found = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("batch", 0) == 0) {
      found = true;
      EXPECT_NE(line.find('8'), std::string::npos) << line;
      EXPECT_NE(line.find("14"), std::string::npos) << line;
    }
  }
  EXPECT_TRUE(found) << table.str();
  std::ostringstream csv;
  WriteReport(r, Format::kCsv, csv);
  EXPECT_EQ(csv.str(), "scenario,batch\nrequested,8\nlargest_batch,14\n");
}

TEST(ReportTest, CsvIsExact) {
  std::ostringstream out;
  WriteReport(Sample(), Format::kCsv, out);
  EXPECT_EQ(out.str(),
            "dtype,params,memory_bytes\nbf16,6738415616,13476831232\n# note: "
            "GB = 1e9 bytes\n");
}

TEST(ReportTest, JsonIsExact) {
  std::ostringstream out;
  WriteReport(Sample(), Format::kJson, out);
  const auto doc = nlohmann::json::parse(out.str());
  EXPECT_EQ(doc["tables"]["weights"][0]["params"].get<std::int64_t>(),
            6'738'415'616);
  EXPECT_DOUBLE_EQ(doc["tables"]["weights"][0]["memory_bytes"].get<double>(),
                   13'476'831'232.0);
  EXPECT_EQ(doc["notes"][0], "GB = 1e9 bytes");
}

TEST(ReportTest, UnknownFormatIsInvalidInput) {
  EXPECT_EQ(ParseFormat("csv"), Format::kCsv);
  EXPECT_THROW(ParseFormat("xml"), InvalidInput);
}

}  // namespace
}  // namespace scalesim::io

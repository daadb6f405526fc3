#include "scalesim/core/error.hpp"

#include <cstdint>
#include <limits>

#include <gtest/gtest.h>

#include "scalesim/core/checked.hpp"

namespace scalesim {
namespace {

TEST(InvalidInputTest, MessageNamesFileLineAndField) {
  const InvalidInput e(InputLocation{"runs.csv", 17, "loss"},
                       "not a number: 'abc'");
  EXPECT_STREQ(e.what(), "runs.csv:17: field 'loss': not a number: 'abc'");
  EXPECT_EQ(e.where().line, 17);
  EXPECT_EQ(e.problem(), "not a number: 'abc'");  // without the location
  EXPECT_EQ(InvalidInput("plain message").problem(), "plain message");
}

TEST(InvalidInputTest, OmitsMissingParts) {
  EXPECT_STREQ(
      InvalidInput(InputLocation{"config.json", 0, "n_embd"}, "missing").what(),
      "config.json: field 'n_embd': missing");
  EXPECT_STREQ(
      InvalidInput(InputLocation{"", 0, "--flops"}, "must be positive").what(),
      "field '--flops': must be positive");
  EXPECT_STREQ(InvalidInput(InputLocation{}, "plain").what(), "plain");
}

TEST(CheckedTest, DetectsOverflow) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  EXPECT_EQ(CheckedMul(3'000'000'000, 3, "x"), 9'000'000'000);
  EXPECT_THROW(CheckedMul(kMax / 2 + 1, 2, "x"), InvalidInput);
  EXPECT_THROW(CheckedAdd(kMax, 1, "x"), InvalidInput);
  EXPECT_EQ(CheckedProduct({12, 96, 12288, 12288}, "x"), 173'946'175'488);
}

}  // namespace
}  // namespace scalesim

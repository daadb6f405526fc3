#include "scalesim/core/error.hpp"

#include <cstdint>
#include <limits>
#include <string>

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

// Docs: docs/errors.md "Messages". A value with a newline (a file name, a
// JSON string, a CSV cell) must not make the message two lines.
TEST(InvalidInputTest, WhatNeverContainsAControlCharacter) {
  const InvalidInput e(
      InputLocation{"a\nb.json", 3, "x\ty"},
      std::string("got \"1\n2\r\x01\x7f\x1b[31m\"") + '\0' + "end");
  EXPECT_STREQ(e.what(),
               "a\\nb.json:3: field 'x\\ty': got "
               "\"1\\n2\\r\\x01\\x7f\\x1b[31m\"\\x00end");
  for (const char* p = e.what(); *p != '\0'; ++p) {
    const auto byte = static_cast<unsigned char>(*p);
    EXPECT_TRUE(byte >= 0x20 && byte != 0x7f) << static_cast<int>(byte);
  }
  // The parts stay as given (for re-addressing the problem elsewhere).
  EXPECT_EQ(e.where().source, "a\nb.json");
  EXPECT_EQ(InvalidInput("two\nlines").problem(), "two\nlines");
  EXPECT_STREQ(InvalidInput("two\nlines").what(), "two\\nlines");
  // UTF-8 is text, not control characters.
  EXPECT_STREQ(InvalidInput("caf\xc3\xa9").what(), "caf\xc3\xa9");
}

TEST(InvalidInputTest, AHugeMessageIsCutToTheLimit) {
  const std::string huge(1'000'000, 'x');
  const InvalidInput e(InputLocation{"f.json", 0, "name"}, huge);
  EXPECT_EQ(std::string(e.what()).size(), kMaxMessageBytes);
  EXPECT_EQ(std::string(e.what()).substr(kMaxMessageBytes - 3), "...");
}

TEST(ExcerptTest, BoundsAValueAndKeepsUtf8Whole) {
  EXPECT_EQ(Excerpt("short"), "short");
  EXPECT_EQ(Excerpt(std::string(60, 'a')), std::string(60, 'a'));
  EXPECT_EQ(Excerpt(std::string(61, 'a')), std::string(60, 'a') + "...");
  EXPECT_EQ(Excerpt(std::string(10'000'000, '[')).size(), 63U);
  // "\xc3\xa9" (é) straddling the cut at byte 4 is dropped whole.
  EXPECT_EQ(Excerpt("abc\xc3\xa9"
                    "def",
                    4),
            "abc...");
  EXPECT_EQ(Excerpt("abc\xc3\xa9"
                    "def",
                    5),
            "abc\xc3\xa9...");
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

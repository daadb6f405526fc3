#include "scalesim/io/format.hpp"

#include <string>

#include <gtest/gtest.h>

namespace scalesim::io {
namespace {

TEST(FormatTest, Separators) {
  EXPECT_EQ(WithSeparators(6'738'415'616), "6,738,415,616");
  EXPECT_EQ(WithSeparators(999), "999");
  EXPECT_EQ(WithSeparators(-1234), "-1,234");
  EXPECT_EQ(WithSeparators(0), "0");
}

TEST(FormatTest, ShortCounts) {
  EXPECT_EQ(ShortCount(6'738'415'616.0), "6.74B");
  EXPECT_EQ(ShortCount(124'439'808.0), "124M");
  EXPECT_EQ(ShortCount(70.06e9), "70.1B");
  EXPECT_EQ(ShortCount(1.4e12), "1.40T");
  EXPECT_EQ(ShortCount(999'999.0), "1.00M");
  EXPECT_EQ(ShortCount(560.0), "560");
}

TEST(FormatTest, Bytes) {
  EXPECT_EQ(BinaryBytes(15'032'385'536.0), "14.0 GiB");
  EXPECT_EQ(DecimalBytes(14e9), "14.0 GB");
  EXPECT_EQ(DecimalBytes(3.5e9), "3.50 GB");
  EXPECT_EQ(BinaryBytes(512.0), "512 B");
}

TEST(FormatTest, ScientificPercentDuration) {
  EXPECT_EQ(Scientific(3.14e23), "3.14e23");
  EXPECT_EQ(Scientific(5.76e-3), "5.76e-3");
  EXPECT_EQ(Percent(0.4621), "46.2%");
  EXPECT_EQ(Duration(84.0 * 86400.0), "84.0 days");
  EXPECT_EQ(Exact(0.1), "0.1");
  EXPECT_EQ(Exact(5.76e23), "5.76e+23");
  // Whole numbers: exact digits up to 17, scientific beyond (the digits past
  // the 17th are noise, and pandas reads integers beyond 2^63 as text).
  EXPECT_EQ(Exact(13476831232.0), "13476831232");
  EXPECT_EQ(Exact(12345678901234568.0), "12345678901234568");
  // Data cells: shortest round-trip digits, fixed for exponents -5..15.
  EXPECT_EQ(CellText(1e9), "1000000000");
  EXPECT_EQ(CellText(124'337'664.0), "124337664");
  EXPECT_EQ(CellText(0.0001), "0.0001");
  EXPECT_EQ(CellText(1e-5), "1e-05");
  EXPECT_EQ(CellText(1e15), "1000000000000000");
  EXPECT_EQ(CellText(1e16), "1e+16");
  EXPECT_EQ(CellText(5.76e23), "5.76e+23");
  EXPECT_EQ(CellText(3.3548643551931563), "3.3548643551931563");
  EXPECT_EQ(CellText(6000000024379730944.0), "6.000000024379731e+18");
  EXPECT_EQ(CellText(-2e12), "-2000000000000");
  for (double v : {0.1,
                   1.0 / 3.0,
                   6.02214076e23,
                   2.2250738585072014e-308,
                   1.7976931348623157e308,
                   12345678901234568.0}) {
    EXPECT_EQ(std::stod(CellText(v)), v) << CellText(v);  // round trip
  }
  EXPECT_EQ(Exact(6000000024379730944.0), "6.000000024379731e+18");
  EXPECT_EQ(Exact(1.0114765032737789e20), "1.0114765032737789e+20");
  EXPECT_EQ(Exact(-1.0114765032737789e20), "-1.0114765032737789e+20");
}

}  // namespace
}  // namespace scalesim::io

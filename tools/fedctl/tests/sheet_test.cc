#include "tools/fedctl/sheet.h"

#include <sstream>

#include <gtest/gtest.h>

#include "tools/fedctl/aggregator_client.h"

namespace fedctl {
namespace {

TEST(SheetTest, CsvQuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(CsvField("Sơn La"), "Sơn La");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("Hội thi, cuộc thi"), "\"Hội thi, cuộc thi\"");
  EXPECT_EQ(CsvField("Bản tin \"Trí thức\""), "\"Bản tin \"\"Trí thức\"\"\"");
  EXPECT_EQ(CsvField("dòng 1\ndòng 2"), "\"dòng 1\ndòng 2\"");
  EXPECT_EQ(CsvField("a\rb"), "\"a\rb\"");
}

TEST(SheetTest, CsvHasHeaderAndCrlfRecords) {
  Sheet sheet({"code", "name", "value"});
  sheet.AddRow({"14", "Sơn La", "200000"});
  sheet.AddRow({"79", "Thành phố Hồ Chí Minh, mới"});  // short row: padded
  std::ostringstream out;
  sheet.PrintCsv(out);
  EXPECT_EQ(out.str(),
            "code,name,value\r\n"
            "14,Sơn La,200000\r\n"
            "79,\"Thành phố Hồ Chí Minh, mới\",\r\n");
}

TEST(SheetTest, TableIsTheAlignedTable) {
  Sheet sheet({"code", "tên"});
  sheet.AddRow({"14", "Sơn La"});
  std::ostringstream out;
  sheet.PrintTable(out);
  EXPECT_EQ(out.str(), "code  tên\n----  ------\n14    Sơn La\n");
}

TEST(SheetTest, FiguresWithoutNeedlessDecimals) {
  EXPECT_EQ(FormatFigure(2500000), "2500000");
  EXPECT_EQ(FormatFigure(0), "0");
  EXPECT_EQ(FormatFigure(12.5), "12.5");
  EXPECT_EQ(FormatFigure(1.0 / 3), "0.33");
}

}  // namespace
}  // namespace fedctl

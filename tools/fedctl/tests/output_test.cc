#include "tools/fedctl/output.h"

#include <sstream>

#include <gtest/gtest.h>

namespace fedctl {
namespace {

TEST(OutputTest, DisplayWidthCountsCodePoints) {
  EXPECT_EQ(DisplayWidth("Sơn La"), 6u);
  EXPECT_EQ(DisplayWidth("Thừa Thiên Huế"), 14u);
  // "ế" decomposed (e + circumflex + acute) is still one column.
  EXPECT_EQ(DisplayWidth("Hue\xCC\x82\xCC\x81"), 3u);
}

TEST(OutputTest, TableAlignsMultiByteText) {
  Table table({"code", "name", "region"});
  table.AddRow({"14", "Sơn La", "Tây Bắc"});
  table.AddRow({"46", "Thừa Thiên Huế", "Bắc Trung Bộ"});
  std::ostringstream out;
  table.Print(out);
  EXPECT_EQ(out.str(),
            "code  name            region\n"
            "----  --------------  ------------\n"
            "14    Sơn La          Tây Bắc\n"
            "46    Thừa Thiên Huế  Bắc Trung Bộ\n");
}

TEST(OutputTest, FieldsSkipEmptyValues) {
  std::ostringstream out;
  PrintFields(out, {{"code", "14"}, {"short name", ""}, {"tên", "Sơn La"}});
  EXPECT_EQ(out.str(), "code: 14\ntên:  Sơn La\n");
}

}  // namespace
}  // namespace fedctl

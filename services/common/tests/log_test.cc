#include "services/common/log.h"

#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include "absl/strings/str_split.h"

namespace fed {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

// What a reader of the log would make of a quoted value: the inverse of
// LogQuoted's escapes, for text that was UTF-8 to begin with.
std::string Unquoted(const std::string& quoted) {
  std::string out;
  for (size_t i = 1; i + 1 < quoted.size(); ++i) {
    if (quoted[i] != '\\') {
      out += quoted[i];
      continue;
    }
    const char kind = quoted[++i];
    if (kind == 'n') out += '\n';
    if (kind == 'r') out += '\r';
    if (kind == 't') out += '\t';
    if (kind == '\\' || kind == '"') out += kind;
    if (kind == 'x') {
      out += static_cast<char>(std::stoi(quoted.substr(i + 1, 2), nullptr, 16));
      i += 2;
    }
    if (kind == 'u') {
      const char32_t cp = std::stoi(quoted.substr(i + 1, 4), nullptr, 16);
      if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
      } else {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      }
      out += static_cast<char>(0x80 | (cp & 0x3F));
      i += 4;
    }
  }
  return out;
}

TEST(LogQuotedTest, QuotesPlainTextAndKeepsVietnamese) {
  EXPECT_EQ(LogQuoted("14"), "\"14\"");
  EXPECT_EQ(LogQuoted(""), "\"\"");
  EXPECT_EQ(LogQuoted("Liên hiệp các Hội Khoa học và Kỹ thuật Sơn La"),
            "\"Liên hiệp các Hội Khoa học và Kỹ thuật Sơn La\"");
}

TEST(LogQuotedTest, ANewlineCannotStartAForgedLine) {
  EXPECT_EQ(LogQuoted("x\nts=2026-01-01 level=error service=aggregator event=forged"),
            "\"x\\nts=2026-01-01 level=error service=aggregator event=forged\"");
  EXPECT_EQ(LogQuoted("a\r\nb"), "\"a\\r\\nb\"");
  EXPECT_EQ(LogQuoted("a\tb"), "\"a\\tb\"");
}

TEST(LogQuotedTest, AQuoteOrBackslashCannotEndTheField) {
  EXPECT_EQ(LogQuoted("alice\" role=\"national_admin"), "\"alice\\\" role=\\\"national_admin\"");
  // A trailing backslash would otherwise escape the closing quote.
  EXPECT_EQ(LogQuoted("C:\\"), "\"C:\\\\\"");
}

TEST(LogQuotedTest, EscapesControlCharactersAndBytesThatAreNotUtf8) {
  EXPECT_EQ(LogQuoted(absl::string_view("a\0b", 3)), "\"a\\x00b\"");
  EXPECT_EQ(LogQuoted("\x1b[31mred"), "\"\\x1B[31mred\"");
  EXPECT_EQ(LogQuoted("\x7f"), "\"\\x7F\"");
  EXPECT_EQ(LogQuoted("\xff\xfe"), "\"\\xFF\\xFE\"");
  // An overlong newline, a surrogate and a cut sequence are not characters.
  EXPECT_EQ(LogQuoted("\xc0\x8a"), "\"\\xC0\\x8A\"");
  EXPECT_EQ(LogQuoted("\xed\xa0\x80"), "\"\\xED\\xA0\\x80\"");
  EXPECT_EQ(LogQuoted("S\xc6"), "\"S\\xC6\"");
}

TEST(LogQuotedTest, EscapesLineSeparatorsAndDirectionControls) {
  EXPECT_EQ(LogQuoted("a\xc2\x85"
                      "b"),
            "\"a\\u0085b\"");  // NEL
  EXPECT_EQ(LogQuoted("a\xe2\x80\xa8"
                      "b"),
            "\"a\\u2028b\"");  // line separator
  EXPECT_EQ(LogQuoted("\xe2\x80\xae"
                      "nimda"),
            "\"\\u202Enimda\"");                          // right-to-left override
  EXPECT_EQ(LogQuoted("\xe2\x81\xa6x"), "\"\\u2066x\"");  // left-to-right isolate
}

TEST(LogQuotedTest, ReadsBackAsTheOriginalText) {
  for (const std::string text :
       {"plain", "Thừa Thiên Huế", "a\"b\\c\nd\re\tf", "\x01\x1f\x7f", "x\xc2\x85y\xe2\x80\xa9z",
        "\xe2\x80\x8f\xef\xbb\xbf", "} event=forged {"}) {
    const std::string quoted = LogQuoted(text);
    EXPECT_EQ(Unquoted(quoted), text) << quoted;
    EXPECT_THAT(quoted.substr(1, quoted.size() - 2), Not(HasSubstr("\n")));
  }
}

TEST(LogQuotedTest, CutsLongValuesAtACharacterAndSaysHowMuchWasLeftOut) {
  EXPECT_EQ(LogQuoted(std::string(kLogValueMaxBytes, 'a')),
            "\"" + std::string(kLogValueMaxBytes, 'a') + "\"");
  const std::string quoted = LogQuoted(std::string(kLogValueMaxBytes + 100, 'a'));
  EXPECT_THAT(quoted, SizeIs(kLogValueMaxBytes + 2 + std::string("...[100 more bytes]").size()));
  EXPECT_THAT(quoted, EndsWith("a...[100 more bytes]\""));

  // "ơ" is two bytes: after the odd "a" the limit falls inside one.
  std::string text = "a";
  while (text.size() < kLogValueMaxBytes + 10) text += "ơ";
  const std::string cut = LogQuoted(text);
  EXPECT_THAT(cut, Not(HasSubstr("\\x")));
  EXPECT_THAT(cut, EndsWith("ơ...[" + std::to_string(text.size() - (kLogValueMaxBytes - 1)) +
                            " more bytes]\""));
}

TEST(LogQuotedTest, AnEventStaysOneLineWithItsOwnFields) {
  std::ostringstream lines;
  auto logger = std::make_shared<spdlog::logger>(
      "test", std::make_shared<spdlog::sinks::ostream_sink_mt>(lines));
  logger->set_pattern("level=%l service=%n %v");
  logger->info("event=rpc subject={} error={}", LogQuoted("eve\nlevel=info service=test event=ok"),
               LogQuoted("\"organization.code\" is \"x\" subject=admin"));
  logger->flush();
  const std::vector<std::string> split = absl::StrSplit(lines.str(), '\n', absl::SkipEmpty());
  ASSERT_THAT(split, SizeIs(1));
  EXPECT_EQ(split[0],
            "level=info service=test event=rpc subject=\"eve\\nlevel=info service=test event=ok\" "
            "error=\"\\\"organization.code\\\" is \\\"x\\\" subject=admin\"");
}

}  // namespace
}  // namespace fed

#include <gtest/gtest.h>

#include "tools/fedctl/cli.h"
#include "tools/fedctl/emulation_parse.h"

namespace fedctl {
namespace {

namespace v1 = federation::v1;

const std::string kHex = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

// The UsageError's text, or "" when none was thrown.
template <typename F>
std::string UsageErrorOf(F&& f) {
  try {
    f();
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

TEST(EmulationParseTest, Votes) {
  auto votes = ParseVotes("14=3");
  ASSERT_EQ(votes.size(), 1u);
  EXPECT_EQ(votes[0].organization_code(), "14");
  EXPECT_EQ(votes[0].votes(), 3);
  votes = ParseVotes("14=3, 15=0");
  ASSERT_EQ(votes.size(), 2u);
  EXPECT_EQ(votes[1].organization_code(), "15");
  EXPECT_EQ(votes[1].votes(), 0);
  for (const char* bad : {"14", "=3", "14=", "14=-1", "14=2.5", "14=three", "14=3:x", ""}) {
    EXPECT_THROW(ParseVotes(bad), UsageError) << bad;
  }
}

TEST(EmulationParseTest, CheckWithAndWithoutReason) {
  v1::CriterionCheck c = ParseCheck("consultancy=20:reason");
  EXPECT_EQ(c.criterion_code(), "consultancy");
  EXPECT_DOUBLE_EQ(c.verified_points(), 20);
  EXPECT_EQ(c.reason(), "reason");
  // A reason is prose: it may hold colons and '='.
  c = ParseCheck("consultancy=17.5:minh chứng: thiếu 2 hợp đồng; a=b");
  EXPECT_DOUBLE_EQ(c.verified_points(), 17.5);
  EXPECT_EQ(c.reason(), "minh chứng: thiếu 2 hợp đồng; a=b");
  c = ParseCheck("workshops=8");
  EXPECT_EQ(c.reason(), "");
  EXPECT_THROW(ParseCheck("consultancy"), UsageError);
  EXPECT_THROW(ParseCheck("=20"), UsageError);
  EXPECT_THROW(ParseCheck("consultancy=twenty"), UsageError);
  EXPECT_THROW(ParseCheck("consultancy=1e3"), UsageError);
  EXPECT_THROW(ParseCheck("consultancy=nan"), UsageError);
}

TEST(EmulationParseTest, Target) {
  v1::Target t = ParseTarget("workshops=12:note");
  EXPECT_EQ(t.code(), "workshops");
  EXPECT_DOUBLE_EQ(t.value(), 12);
  EXPECT_EQ(t.note(), "note");
  t = ParseTarget("members_trained=1500.25");
  EXPECT_DOUBLE_EQ(t.value(), 1500.25);
  EXPECT_EQ(t.note(), "");
  EXPECT_THROW(ParseTarget("workshops:12"), UsageError);
  EXPECT_THROW(ParseTarget("workshops=12."), UsageError);
  EXPECT_THROW(ParseTarget("workshops=.5"), UsageError);
}

TEST(EmulationParseTest, Grant) {
  v1::Proposal p = ParseGrant("14:union_flag");
  EXPECT_EQ(p.organization_code(), "14");
  EXPECT_EQ(p.kind(), v1::AWARD_KIND_UNION_FLAG);
  EXPECT_EQ(ParseGrant("15:MERIT_CERTIFICATE").kind(), v1::AWARD_KIND_MERIT_CERTIFICATE);
  EXPECT_THROW(ParseGrant("14"), UsageError);
  EXPECT_THROW(ParseGrant(":union_flag"), UsageError);
  EXPECT_THROW(ParseGrant("14:flag"), UsageError);
}

TEST(EmulationParseTest, EnumWords) {
  EXPECT_EQ(ParseEnumWord<v1::BallotKind>("next_head", "kind"), v1::BALLOT_KIND_NEXT_HEAD);
  EXPECT_EQ(ParseEnumWord<v1::AwardKind>("government_flag", "aim"), v1::AWARD_KIND_GOVERNMENT_FLAG);
  EXPECT_EQ(ParseEnumWord<v1::DocumentKind>("vote_count", "kind"), v1::DOCUMENT_KIND_VOTE_COUNT);
  // The unspecified value is no word, and an unknown word lists the allowed ones.
  EXPECT_THROW(ParseEnumWord<v1::AwardKind>("unspecified", "aim"), UsageError);
  EXPECT_THROW(ParseEnumWord<v1::AwardKind>("", "aim"), UsageError);
  const std::string message =
      UsageErrorOf([] { ParseEnumWord<v1::AwardKind>("cờ thi đua", "aim"); });
  EXPECT_EQ(message,
            "--aim: 'cờ thi đua' is not one of union_flag, merit_certificate, government_flag");
  EXPECT_EQ(
      EnumWords<v1::DocumentKind>(),
      (std::vector<std::string>{"proposal_letter", "achievement_report", "minutes", "vote_count"}));
}

TEST(EmulationParseTest, Evidence) {
  v1::Evidence e = ParseEvidence(" https://vusta.vn/qd-12.pdf ");
  EXPECT_EQ(e.url(), "https://vusta.vn/qd-12.pdf");
  e = ParseEvidence("sha256:" + absl::AsciiStrToUpper(kHex));
  EXPECT_EQ(e.file().sha256(), kHex);
  EXPECT_TRUE(e.url().empty());
  for (const std::string bad : std::vector<std::string>{
           "ftp://x/y", "https://", "vusta.vn/x", "sha256:abc", "sha256:" + kHex + "0",
           "sha256:" + std::string(64, 'g'), "https://a b"}) {
    EXPECT_THROW(ParseEvidence(bad), UsageError) << bad;
  }
}

TEST(EmulationParseTest, SelfAssessmentCsv) {
  const std::string csv =
      "\xEF\xBB\xBF"
      "criterion,points,explanation,evidence\r\n"
      "workshops,12,\"Hội thảo, tọa đàm: 12 cuộc\",https://a.vn/1;sha256:" +
      kHex +
      "\r\n"
      "\r\n"
      "consultancy,7.5,\"Tư vấn \"\"phản biện\"\"\nhai dòng\"\r\n"
      "awards,0\n";
  auto scores = ParseSelfAssessmentCsv(csv);
  ASSERT_EQ(scores.size(), 3u);
  EXPECT_EQ(scores[0].criterion_code(), "workshops");
  EXPECT_DOUBLE_EQ(scores[0].points(), 12);
  EXPECT_EQ(scores[0].explanation(), "Hội thảo, tọa đàm: 12 cuộc");
  ASSERT_EQ(scores[0].evidence_size(), 2);
  EXPECT_EQ(scores[0].evidence(0).url(), "https://a.vn/1");
  EXPECT_EQ(scores[0].evidence(1).file().sha256(), kHex);
  EXPECT_EQ(scores[1].explanation(), "Tư vấn \"phản biện\"\nhai dòng");
  EXPECT_DOUBLE_EQ(scores[1].points(), 7.5);
  EXPECT_EQ(scores[1].evidence_size(), 0);
  EXPECT_EQ(scores[2].criterion_code(), "awards");
  EXPECT_EQ(scores[2].explanation(), "");
  // Written by hand, a quote inside an unquoted field is only a character.
  EXPECT_EQ(ParseSelfAssessmentCsv("a,1,say \"hi\"\n")[0].explanation(), "say \"hi\"");
}

TEST(EmulationParseTest, SelfAssessmentCsvWithoutHeader) {
  auto scores = ParseSelfAssessmentCsv("workshops,12\nconsultancy,3,,https://a.vn/x\n");
  ASSERT_EQ(scores.size(), 2u);
  EXPECT_EQ(scores[1].evidence(0).url(), "https://a.vn/x");
}

TEST(EmulationParseTest, SelfAssessmentCsvErrorsNameTheLine) {
  auto error = [](const std::string& csv) {
    return UsageErrorOf([&] { ParseSelfAssessmentCsv(csv); });
  };
  EXPECT_EQ(error("criterion,points\nworkshops,twelve\n"),
            "line 2: points of workshops must be a decimal such as 12 or 7.5, got 'twelve'");
  EXPECT_EQ(error("workshops,12,x,ftp://a/b\n"),
            "line 1: evidence 'ftp://a/b' is neither an http(s) link nor sha256:<64 hex digits> "
            "of an uploaded file");
  // An unquoted comma in the explanation makes a fifth field.
  EXPECT_EQ(error("a,1,x\nworkshops,12,Hội thảo, tọa đàm,https://a.vn\n"),
            "line 2: 5 fields where criterion,points,explanation,evidence was expected (quote an "
            "explanation that holds commas)");
  // Line numbers count the lines inside quoted fields.
  EXPECT_EQ(error("a,1,\"two\nlines\"\nb\n"),
            "line 3: 1 fields where criterion,points,explanation,evidence was expected (quote an "
            "explanation that holds commas)");
  EXPECT_EQ(error("a,1\na,2\n"), "line 2: criterion a is already scored on line 1");
  EXPECT_EQ(error("a,1,\"never closed\n"), "line 1: a quote is opened and never closed");
  EXPECT_EQ(error("a,1,\"hi\" there\n"), "line 1: text after a field's closing quote");
  EXPECT_EQ(error(",1\n"), "line 1: the criterion is empty");
  EXPECT_EQ(error("criterion,points\n\n"), "the sheet scores no criterion");
}

TEST(EmulationParseTest, SelfAssessmentJson) {
  v1::SelfAssessmentSheet sheet = ParseSelfAssessmentJson(
      R"({"organization_code": "14", "scores": [{"criterion_code": "workshops", "points": 12,
          "evidence": [{"url": "https://a.vn/1", "description": "QĐ 12"}]}]})");
  EXPECT_EQ(sheet.organization_code(), "14");
  ASSERT_EQ(sheet.scores_size(), 1);
  EXPECT_EQ(sheet.scores(0).evidence(0).description(), "QĐ 12");
  EXPECT_THROW(ParseSelfAssessmentJson("{\"scores\": 3}"), UsageError);
  EXPECT_THROW(ParseSelfAssessmentJson("criterion,points"), UsageError);
}

TEST(EmulationParseTest, Decimal) {
  EXPECT_DOUBLE_EQ(ParseDecimal("0", "x"), 0);
  EXPECT_DOUBLE_EQ(ParseDecimal(" 7.25 ", "x"), 7.25);
  EXPECT_DOUBLE_EQ(ParseDecimal("-1", "x"), -1);
  for (const char* bad : {"", "-", "1,5", "0x10", "inf", "1e2", "1.2.3", "+-1"}) {
    EXPECT_THROW(ParseDecimal(bad, "x"), UsageError) << bad;
  }
}

}  // namespace
}  // namespace fedctl

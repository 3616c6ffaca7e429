// Edge validation of competition requests.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/competition/validate.h"

namespace competition {
namespace {

using ::testing::UnorderedElementsAre;

std::vector<std::string> Fields(const fed::Violations& v) {
  std::vector<std::string> out;
  for (const auto& x : v.errors().violations()) out.push_back(x.field());
  return out;
}

v1::Contest Good() {
  v1::Contest c;
  c.set_kind(v1::CONTEST_KIND_PROVINCIAL_TECH);
  c.set_level(v1::CONTEST_LEVEL_PROVINCIAL);
  c.set_organizer_code("14");
  c.set_edition(5);
  c.set_year(2016);
  c.set_title("Hội thi Sáng tạo Kỹ thuật tỉnh Sơn La lần thứ 5");
  c.add_fields("Nông nghiệp");
  c.set_registration_opens("2016-03-01");
  c.set_registration_closes("2016-08-31");
  c.set_judging_opens("2016-09-01");
  c.set_judging_closes("2016-10-15");
  auto* k = c.add_criteria();
  k->set_code("novelty");
  k->set_name("Tính mới");
  k->set_weight(1);
  k->set_max_points(100);
  c.set_min_judges_per_entry(3);
  return c;
}

TEST(ValidateTest, AGoodContestPasses) {
  fed::Violations v;
  ValidateContest(v, Good(), "");
  EXPECT_TRUE(v.empty()) << v.ToStatus();
}

TEST(ValidateTest, KindAndLevelMustFitAndEveryProblemIsListed) {
  v1::Contest c = Good();
  c.set_level(v1::CONTEST_LEVEL_NATIONAL);
  c.add_fields("Nông nghiệp");
  c.mutable_criteria(0)->set_code("Novelty!");
  c.mutable_prizes()->set_min_score(500);
  c.set_judging_closes("2016-02-30");
  fed::Violations v;
  ValidateContest(v, c, "contest.");
  EXPECT_THAT(Fields(v),
              UnorderedElementsAre("contest.level", "contest.fields[1]", "contest.criteria[0].code",
                                   "contest.prizes.min_score", "contest.judging_closes"));
}

TEST(ValidateTest, SheetPointsMustBeWithinBoundsAndCoverEveryCriterion) {
  v1::Contest c = Good();
  auto* k = c.add_criteria();
  k->set_code("applicability");
  k->set_name("Khả năng áp dụng");
  k->set_weight(2);
  k->set_max_points(40);
  v1::ScoreSheet sheet;
  auto* s = sheet.add_scores();
  s->set_criterion_code("novelty");
  s->set_points(100.001);
  auto* t = sheet.add_scores();
  t->set_criterion_code("beauty");
  t->set_points(1);
  fed::Violations v;
  ValidateSheet(v, sheet, c, "sheet.");
  EXPECT_THAT(Fields(v), UnorderedElementsAre("sheet.scores[0].points",
                                              "sheet.scores[1].criterion_code", "sheet.scores"));
}

TEST(ValidateTest, AuthorKeyIgnoresOrderAndCase) {
  v1::Entry a, b;
  a.add_authors()->set_name("Lo Van A");
  a.add_authors()->set_name("Ha Thi B");
  b.add_authors()->set_name("ha thi b");
  b.add_authors()->set_name("LO VAN A");
  EXPECT_EQ(AuthorKey(a), AuthorKey(b));
}

}  // namespace
}  // namespace competition

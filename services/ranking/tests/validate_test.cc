// Bad schemes are refused with every problem next to its field.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/ranking/validate.h"

namespace ranking {
namespace {

namespace v1 = federation::v1;
using ::testing::Contains;

v1::ScoringScheme Good() {
  v1::ScoringScheme s;
  s.set_year(2025);
  s.set_name("Bảng điểm 2025");
  s.set_total_points(100);
  auto* a = s.add_criteria();
  a->set_code("workshops");
  a->set_name("Hội thảo");
  a->set_source(v1::CRITERION_SOURCE_INDICATOR);
  a->set_indicator_code("workshops");
  a->set_max_points(60);
  a->set_normalisation(v1::NORMALISATION_SHARE_OF_BEST);
  auto* t = s.add_criteria();
  t->set_code("timeliness");
  t->set_name("Báo cáo đúng hạn");
  t->set_source(v1::CRITERION_SOURCE_TIMELINESS);
  t->set_max_points(40);
  t->set_normalisation(v1::NORMALISATION_LINEAR);
  t->set_lower(0);
  t->set_upper(1);
  return s;
}

std::vector<std::string> Fields(const v1::ScoringScheme& s) {
  fed::Violations v;
  ValidateScheme(s, v);
  std::vector<std::string> fields;
  for (const auto& violation : v.errors().violations()) fields.push_back(violation.field());
  return fields;
}

TEST(ValidateScheme, AGoodSchemePasses) { EXPECT_TRUE(Fields(Good()).empty()); }

// The ballot rules a year-end conference will be held to: real fractions, a
// base, one seat for an office, and one rule per kind of ballot.
TEST(ValidateScheme, BallotRulesAreFractionsWithABaseAndOneRulePerKind) {
  auto s = Good();
  auto* flag = s.add_ballot_rules();
  flag->set_kind(v1::BALLOT_KIND_UNION_FLAG);
  flag->set_quorum(2.0 / 3.0);
  flag->set_threshold(0.5);
  flag->set_threshold_of(v1::THRESHOLD_BASE_VALID_BALLOTS);
  flag->set_more_than(true);
  flag->set_seats(1);
  EXPECT_TRUE(Fields(s).empty());

  auto* head = s.add_ballot_rules();
  *head = *flag;
  head->set_kind(v1::BALLOT_KIND_NEXT_HEAD);
  head->set_seats(2);          // one head a year
  head->set_quorum(1.5);       // not a share
  head->clear_threshold_of();  // of what?
  auto* again = s.add_ballot_rules();
  *again = *flag;  // a second rule for the flag
  EXPECT_THAT(Fields(s), ::testing::ElementsAre(
                             "scheme.ballot_rules[1].quorum", "scheme.ballot_rules[1].threshold_of",
                             "scheme.ballot_rules[1].seats", "scheme.ballot_rules[2].kind"));
}

TEST(ValidateScheme, PointsThatDoNotAddUpAsDeclared) {
  auto s = Good();
  s.set_total_points(90);
  EXPECT_THAT(Fields(s), Contains("scheme.total_points"));
  s = Good();
  s.set_total_weight(3);  // two criteria of weight 1
  EXPECT_THAT(Fields(s), Contains("scheme.total_weight"));
}

TEST(ValidateScheme, UnknownIndicatorAndNonContestStatistic) {
  auto s = Good();
  s.mutable_criteria(0)->set_indicator_code("seminars");
  auto* c = s.add_criteria();
  *c = s.criteria(0);
  c->set_code("contests");
  c->set_source(v1::CRITERION_SOURCE_CONTEST);
  c->set_indicator_code("workshops");
  s.set_total_points(160);
  const auto fields = Fields(s);
  EXPECT_THAT(fields, Contains("scheme.criteria[0].indicator_code"));
  EXPECT_THAT(fields, Contains("scheme.criteria[2].indicator_code"));
}

TEST(ValidateScheme, ThresholdsOutOfOrder) {
  auto s = Good();
  s.mutable_criteria(1)->set_lower(1);
  s.mutable_criteria(1)->set_upper(0.5);
  EXPECT_THAT(Fields(s), Contains("scheme.criteria[1].upper"));
  s = Good();
  auto* c = s.mutable_criteria(0);
  c->set_normalisation(v1::NORMALISATION_TABLE);
  for (double at : {5.0, 3.0}) {
    auto* step = c->add_table();
    step->set_at_least(at);
    step->set_share(0.5);
  }
  EXPECT_THAT(Fields(s), Contains("scheme.criteria[0].table[1].at_least"));
}

TEST(ValidateScheme, EveryProblemIsListed) {
  v1::ScoringScheme s;
  s.add_criteria();
  s.add_rules()->set_kind(v1::SCORING_RULE_KIND_INDICATOR_BONUS);
  const auto fields = Fields(s);
  for (const char* f : {"scheme.year", "scheme.name", "scheme.total_points",
                        "scheme.criteria[0].code", "scheme.criteria[0].source",
                        "scheme.criteria[0].max_points", "scheme.criteria[0].normalisation",
                        "scheme.rules[0].points", "scheme.rules[0].indicator_code"}) {
    EXPECT_THAT(fields, Contains(f));
  }
}

}  // namespace
}  // namespace ranking

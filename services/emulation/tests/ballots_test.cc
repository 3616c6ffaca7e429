// The arithmetic of secret ballots and the council's vote: quorum, tallies
// that must add up, thresholds of each base, ties sent to a re-ballot.
#include "services/emulation/ballots.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_join.h"

namespace emulation {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

v1::BallotRule Rule(v1::BallotKind kind, double quorum, double threshold, v1::ThresholdBase base,
                    bool more_than, bool written, int seats) {
  v1::BallotRule r;
  r.set_kind(kind);
  r.set_quorum(quorum);
  r.set_threshold(threshold);
  r.set_threshold_of(base);
  r.set_more_than(more_than);
  r.set_count_written_opinions(written);
  r.set_seats(seats);
  return r;
}

// More than half of the valid ballots, quorum two thirds, one seat.
v1::BallotRule Majority(int seats = 1) {
  return Rule(v1::BALLOT_KIND_UNION_FLAG, 2.0 / 3.0, 0.5, v1::THRESHOLD_BASE_VALID_BALLOTS, true,
              false, seats);
}

v1::BallotTally Tally(int entitled, int present, int issued, int valid, int invalid,
                      std::vector<std::pair<std::string, int>> votes, int written = 0) {
  v1::BallotTally t;
  t.set_kind(v1::BALLOT_KIND_UNION_FLAG);
  t.set_held_on("2025-12-20");
  t.set_entitled(entitled);
  t.set_present(present);
  t.set_written_opinions(written);
  t.set_ballots_issued(issued);
  t.set_valid(valid);
  t.set_invalid(invalid);
  for (const auto& [code, n] : votes) {
    auto* c = t.add_votes();
    c->set_organization_code(code);
    c->set_votes(n);
  }
  return t;
}

const std::set<std::string> kMembers = {"10", "11", "12", "14"};

std::vector<std::string> Fields(const v1::BallotTally& t, const v1::BallotRule& rule, int seats = 1,
                                const std::set<std::string>& eligible = kMembers) {
  fed::Violations v;
  CheckTally(t, rule, seats, eligible, absl::CivilDay(2026, 1, 1), "tally.", v);
  std::vector<std::string> fields;
  for (const auto& e : v.errors().violations()) fields.push_back(e.field());
  return fields;
}

std::vector<std::string> Codes(const google::protobuf::RepeatedPtrField<std::string>& codes) {
  return {codes.begin(), codes.end()};
}

TEST(VotesNeededTest, MoreThanHalfAndAtLeastTwoThirdsOfSmallBodies) {
  EXPECT_EQ(VotesNeeded(0.5, 6, true), 4);   // more than 3
  EXPECT_EQ(VotesNeeded(0.5, 7, true), 4);   // more than 3.5
  EXPECT_EQ(VotesNeeded(0.5, 6, false), 3);  // at least 3
  EXPECT_EQ(VotesNeeded(2.0 / 3.0, 6, false), 4);
  EXPECT_EQ(VotesNeeded(0.6667, 6, false), 5);  // 4.0002 rounds up: a share is taken as written
  EXPECT_EQ(VotesNeeded(0.9, 10, false), 9);
}

TEST(CheckTallyTest, AGoodTallyHasNoProblem) {
  EXPECT_THAT(Fields(Tally(4, 4, 4, 4, 0, {{"10", 3}, {"11", 1}}), Majority()), IsEmpty());
}

TEST(CheckTallyTest, AVoteWithoutQuorumIsRefusedNamingPresent) {
  // Two of four present: the rule needs two thirds, i.e. 3.
  EXPECT_THAT(Fields(Tally(4, 2, 2, 2, 0, {{"10", 2}}), Majority()), ElementsAre("tally.present"));
}

TEST(CheckTallyTest, MoreBallotsThanPeopleEntitledIsRefused) {
  EXPECT_THAT(Fields(Tally(4, 4, 5, 5, 0, {{"10", 5}}), Majority()),
              ::testing::Contains("tally.ballots_issued"));
}

TEST(CheckTallyTest, MorePresentThanEntitledIsRefused) {
  EXPECT_THAT(Fields(Tally(4, 5, 4, 4, 0, {{"10", 4}}), Majority()),
              ::testing::Contains("tally.present"));
}

TEST(CheckTallyTest, ATallyThatDoesNotAddUpIsRefused) {
  // 4 issued, but 3 valid and 0 invalid.
  EXPECT_THAT(Fields(Tally(4, 4, 4, 3, 0, {{"10", 3}}), Majority()), ElementsAre("tally.valid"));
  // 4 valid ballots with one choice each cannot carry 5 votes.
  EXPECT_THAT(Fields(Tally(4, 4, 4, 4, 0, {{"10", 3}, {"11", 2}}), Majority()),
              ElementsAre("tally.votes"));
  // Nor can one candidate have more votes than valid ballots.
  EXPECT_THAT(Fields(Tally(4, 4, 4, 3, 1, {{"10", 4}}), Majority(2), 2),
              ElementsAre("tally.votes[0].votes"));
}

TEST(CheckTallyTest, WrittenOpinionsCountAsBallotsOnlyWhereTheRuleSaysSo) {
  const v1::BallotTally t = Tally(6, 4, 6, 6, 0, {{"10", 6}}, /*written=*/2);
  v1::BallotRule counted = Majority();
  counted.set_count_written_opinions(true);
  EXPECT_THAT(Fields(t, counted), IsEmpty());
  EXPECT_THAT(Fields(t, Majority()), ElementsAre("tally.ballots_issued"));
}

TEST(CheckTallyTest, CandidatesMustBeEligibleAndNamedOnce) {
  EXPECT_THAT(Fields(Tally(4, 4, 4, 4, 0, {{"15", 2}, {"10", 1}, {"10", 1}}), Majority(2)),
              ElementsAre("tally.votes[0].organization_code", "tally.votes[2].organization_code"));
}

TEST(CheckTallyTest, AVoteHeldInTheFutureIsRefused) {
  v1::BallotTally t = Tally(4, 4, 4, 4, 0, {{"10", 4}});
  t.set_held_on("2026-01-02");
  EXPECT_THAT(Fields(t, Majority()), ElementsAre("tally.held_on"));
}

TEST(CountBallotTest, TheThresholdDecidesNotTheOrder) {
  // More than half of 4 valid ballots is 3.
  v1::Ballot b = CountBallot(Tally(4, 4, 4, 4, 0, {{"10", 3}, {"11", 1}}), Majority(), 1);
  EXPECT_EQ(b.outcome(), v1::BALLOT_OUTCOME_DECIDED);
  EXPECT_THAT(Codes(b.elected_codes()), ElementsAre("10"));

  b = CountBallot(Tally(4, 4, 4, 4, 0, {{"10", 2}, {"11", 2}}), Majority(), 1);
  EXPECT_EQ(b.outcome(), v1::BALLOT_OUTCOME_DECIDED);  // nobody reached 3
  EXPECT_THAT(Codes(b.elected_codes()), IsEmpty());
}

TEST(CountBallotTest, ATieForTheLastSeatGoesToAReBallotAmongTheTied) {
  // Two seats, 8 valid ballots of two choices each; more than half is 5.
  const v1::BallotRule rule = Majority(2);
  const v1::BallotTally tied = Tally(8, 8, 8, 8, 0, {{"10", 6}, {"11", 5}, {"12", 5}});
  EXPECT_THAT(Fields(tied, rule, 2), IsEmpty());
  v1::Ballot b = CountBallot(tied, rule, 2);
  EXPECT_EQ(b.outcome(), v1::BALLOT_OUTCOME_TIE);
  EXPECT_THAT(Codes(b.elected_codes()), ElementsAre("10"));
  EXPECT_THAT(Codes(b.tied_codes()), ElementsAre("11", "12"));
  EXPECT_THAT(b.explanation(), ::testing::HasSubstr("bỏ phiếu lại"));

  // The re-ballot fills the one seat left.
  b = CountBallot(Tally(8, 8, 8, 8, 0, {{"11", 3}, {"12", 5}}), rule, 1);
  EXPECT_EQ(b.outcome(), v1::BALLOT_OUTCOME_DECIDED);
  EXPECT_THAT(Codes(b.elected_codes()), ElementsAre("12"));
}

TEST(CountBallotTest, TheBaseOfTheThresholdIsTheRules) {
  // 6 entitled, 5 present, 5 valid; candidate has 3 votes.
  const v1::BallotTally t = Tally(6, 5, 5, 5, 0, {{"10", 3}});
  auto elected = [&](v1::ThresholdBase base) {
    v1::BallotRule r = Majority();
    r.set_threshold_of(base);
    return CountBallot(t, r, 1).elected_codes_size() == 1;
  };
  EXPECT_TRUE(elected(v1::THRESHOLD_BASE_VALID_BALLOTS));  // 3 > 2.5
  EXPECT_TRUE(elected(v1::THRESHOLD_BASE_PRESENT));        // 3 > 2.5
  EXPECT_FALSE(elected(v1::THRESHOLD_BASE_ENTITLED));      // 3 is not more than 3
}

TEST(CouncilTest, TheCouncilMeetsWithTwoThirdsAndDecidesByMajority) {
  const v1::BallotRule rule = Rule(v1::BALLOT_KIND_COUNCIL_REVIEW, 2.0 / 3.0, 0.5,
                                   v1::THRESHOLD_BASE_PRESENT, true, false, 0);
  v1::CouncilVote vote;
  vote.set_members(9);
  vote.set_present(6);
  vote.set_in_favour(4);
  vote.set_against(1);
  vote.set_abstaining(1);
  fed::Violations v;
  CheckCouncilVote(vote, rule, "vote.", v);
  EXPECT_TRUE(v.empty());
  std::string why;
  EXPECT_TRUE(CouncilApproves(vote, rule, &why));
  vote.set_in_favour(3);
  vote.set_against(2);
  EXPECT_FALSE(CouncilApproves(vote, rule, &why)) << why;

  vote.set_present(5);  // below two thirds of 9, and the votes no longer add up
  fed::Violations short_of;
  CheckCouncilVote(vote, rule, "vote.", short_of);
  std::vector<std::string> fields;
  for (const auto& e : short_of.errors().violations()) fields.push_back(e.field());
  EXPECT_THAT(fields, ElementsAre("vote.in_favour", "vote.present"));
}

}  // namespace
}  // namespace emulation

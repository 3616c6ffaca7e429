// Panels, automatic and manual assignment without conflicts of interest,
// and score sheets: bounds, only assigned entries, revisable until closing.
#include <map>

#include "services/competition/tests/competition_fixture.h"

namespace competition::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

class JudgingTest : public CompetitionTest {
 protected:
  // Seven judges on the agriculture panel: two from Sơn La (its member
  // association 14-LS and its union 14), who may judge none of Sơn La's
  // entries, and five from elsewhere.
  void AddPanel(int64_t contest) {
    for (const auto& [subject, org] : judge_org_) {
      std::vector<std::string> fields = {kAgri};
      if (subject == "judge-38") fields.push_back(kIT);
      AddJudge(contest, subject, org, fields, Organiser("14"));
    }
  }

  v1::AutoAssignResponse AutoAssign(int64_t contest, grpc::Status* status = nullptr) {
    v1::AutoAssignRequest req;
    req.set_contest_id(contest);
    v1::AutoAssignResponse out;
    grpc::Status s = Call(&Stub::AutoAssign, Organiser("14"), req, &out);
    if (status)
      *status = s;
    else
      EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  grpc::Status Assign(int64_t entry, const std::string& judge) {
    v1::AssignJudgeRequest req;
    req.set_entry_id(entry);
    req.set_judge_subject(judge);
    v1::AssignJudgeResponse out;
    return Call(&Stub::AssignJudge, Organiser("14"), req, &out);
  }

  std::map<std::string, std::string> judge_org_ = {
      {"judge-ls", "14-LS"},    {"judge-14", "14"}, {"judge-20", "20-DD"},
      {"judge-lang-son", "20"}, {"judge-38", "38"}, {"judge-38-kt", "38-KT"},
      {"judge-vusta", "VUSTA"}};
  std::map<std::string, std::string> judge_province_ = {
      {"judge-ls", "14"}, {"judge-14", "14"},    {"judge-20", "20"}, {"judge-lang-son", "20"},
      {"judge-38", "38"}, {"judge-38-kt", "38"}, {"judge-vusta", ""}};
};

TEST_F(JudgingTest, AutomaticAssignmentBalancesLoadAndAvoidsConflicts) {
  std::vector<int64_t> ids;
  const int64_t contest = OpenContestWithEntries(
      {"14-LS", "14-LS", "14-LS", "14-DD", "14-DD", "14-KT", "14", "20-DD", "14-LS", "14-KT"},
      &ids);
  AddPanel(contest);
  v1::AutoAssignResponse out = AutoAssign(contest);
  EXPECT_EQ(out.added(), 30);
  int lo = 1000, hi = 0;
  for (const auto& j : out.judges()) {
    if (judge_province_[j.subject()] == "14") {
      EXPECT_LE(j.assigned(), 1) << j.subject() << " may judge only the entry from Lạng Sơn";
      continue;
    }
    lo = std::min(lo, j.assigned());
    hi = std::max(hi, j.assigned());
  }
  EXPECT_LE(hi - lo, 1) << "load is balanced";
  for (int64_t id : ids) {
    const v1::Entry e = GetEntry(id, Organiser("14"));
    EXPECT_EQ(e.judge_subjects_size(), 3) << id;
    for (const auto& judge : e.judge_subjects()) {
      EXPECT_NE(judge_province_[judge], e.source_province_code()) << "conflict on entry " << id;
    }
  }
  // Running it again changes nothing: every entry already has its judges.
  EXPECT_EQ(AutoAssign(contest).added(), 0);
}

// A provincial union's judge has a stake in its member associations' entries,
// and they in each other's: not only the entry's own organisation is barred.
TEST_F(JudgingTest, ConflictOfInterestFollowsTheOrganisationTree) {
  std::vector<int64_t> ids;
  const int64_t contest = OpenContestWithEntries({"14-LS", "20-DD"}, &ids, 1);
  AddPanel(contest);
  AddJudge(contest, "judge-dd", "14-DD", {kAgri}, Organiser("14"));

  grpc::Status above = Assign(ids[0], "judge-14");  // Sơn La's union, above 14-LS
  ASSERT_EQ(above.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(above.error_message(), HasSubstr("conflict of interest"));
  EXPECT_THAT(above.error_message(), HasSubstr("14 is above 14-LS"));
  grpc::Status sibling = Assign(ids[0], "judge-dd");  // another association of Sơn La
  ASSERT_EQ(sibling.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(sibling.error_message(), HasSubstr("both in province 14"));
  grpc::Status below = Assign(ids[1], "judge-lang-son");  // Lạng Sơn's union, entry of 20-DD
  ASSERT_EQ(below.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(below.error_message(), HasSubstr("20 is above 20-DD"));
  EXPECT_EQ(Assign(ids[1], "judge-20").error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  // The national union is above everyone: its judges judge every province.
  EXPECT_TRUE(Assign(ids[0], "judge-vusta").ok());
  EXPECT_TRUE(Assign(ids[0], "judge-lang-son").ok());
  EXPECT_TRUE(Assign(ids[1], "judge-14").ok());
  EXPECT_THAT(GetEntry(ids[0]).judge_subjects(),
              UnorderedElementsAre("judge-vusta", "judge-lang-son"));
}

// Assigning is not the only gate: a sheet is checked against the judge's
// organisation as it stands, on the panel and in the token.
TEST_F(JudgingTest, NoSheetForAConflictedEntryByAnyRoute) {
  std::vector<int64_t> ids;
  const int64_t contest = OpenContestWithEntries({"14-LS"}, &ids, 1);
  AddPanel(contest);
  ASSERT_TRUE(Assign(ids[0], "judge-20").ok());
  ASSERT_TRUE(Assign(ids[0], "judge-38").ok());
  // The organiser corrects judge-20's organisation after the assignment: a
  // member association of Sơn La.
  AddJudge(contest, "judge-20", "14-DD", {kAgri}, Organiser("14"));
  ASSERT_TRUE(Move(contest, v1::CONTEST_STATE_JUDGING, Organiser("14")).ok());
  const int audits = CompetitionAuditCount();

  grpc::Status moved = Score(JudgeAs("judge-20", "14-DD"), ids[0], 20, 30, 20);
  ASSERT_EQ(moved.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(moved.error_message(), HasSubstr("conflict of interest"));
  // Its token still naming Lạng Sơn does not help: the panel says 14-DD.
  EXPECT_EQ(Score(JudgeAs("judge-20", "20-DD"), ids[0], 20, 30, 20).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // judge-38's panel record is clean, but its token says it works for Sơn La.
  EXPECT_EQ(Score(JudgeAs("judge-38", "14"), ids[0], 20, 30, 20).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(CompetitionAuditCount(), audits) << "no sheet written";
  EXPECT_TRUE(Score(JudgeAs("judge-38", "38"), ids[0], 20, 30, 20).ok());
}

TEST_F(JudgingTest, AssignmentRefusesWhenAPanelCannotReachTheMinimum) {
  std::vector<int64_t> ids;
  // Four judges, but for Sơn La's entries only two without a conflict: Sơn
  // La's union and its association 14-LS are barred from both.
  const int64_t contest = OpenContestWithEntries({"14-LS", "14-DD"}, &ids, /*min_judges=*/3);
  AddJudge(contest, "judge-ls", "14-LS", {kAgri}, Organiser("14"));
  AddJudge(contest, "judge-14", "14", {kAgri}, Organiser("14"));
  AddJudge(contest, "judge-20", "20-DD", {kAgri}, Organiser("14"));
  AddJudge(contest, "judge-38", "38", {kAgri}, Organiser("14"));
  grpc::Status status;
  AutoAssign(contest, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("conflict of interest"));
  EXPECT_EQ(GetEntry(ids[0]).judge_subjects_size(), 0) << "nothing was assigned";
}

TEST_F(JudgingTest, ManualOverrideStillEnforcesTheConflictRule) {
  std::vector<int64_t> ids;
  const int64_t contest = OpenContestWithEntries({"14-LS"}, &ids, 1);
  AddPanel(contest);
  v1::AssignJudgeRequest req;
  req.set_entry_id(ids[0]);
  req.set_judge_subject("judge-ls");
  v1::AssignJudgeResponse out;
  grpc::Status conflicted = Call(&Stub::AssignJudge, Organiser("14"), req, &out);
  ASSERT_EQ(conflicted.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(conflicted.error_message(), HasSubstr("conflict of interest"));
  req.set_judge_subject("judge-20");
  ASSERT_TRUE(Call(&Stub::AssignJudge, Organiser("14"), req, &out).ok());
  EXPECT_THAT(out.entry().judge_subjects(), ElementsAre("judge-20"));
  EXPECT_EQ(Call(&Stub::AssignJudge, Province("20"), req, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  req.set_remove(true);
  ASSERT_TRUE(Call(&Stub::AssignJudge, Organiser("14"), req, &out).ok());
  EXPECT_EQ(out.entry().judge_subjects_size(), 0);
}

TEST_F(JudgingTest, JudgesSeeAndScoreOnlyTheirAssignmentsWithinBounds) {
  std::vector<int64_t> ids;
  const int64_t contest = OpenContestWithEntries({"14-LS", "14-DD"}, &ids, 1);
  AddPanel(contest);
  v1::AssignJudgeRequest req;
  req.set_entry_id(ids[0]);
  req.set_judge_subject("judge-20");
  v1::AssignJudgeResponse assigned;
  ASSERT_TRUE(Call(&Stub::AssignJudge, Organiser("14"), req, &assigned).ok());
  req.set_entry_id(ids[1]);
  req.set_judge_subject("judge-38");
  ASSERT_TRUE(Call(&Stub::AssignJudge, Organiser("14"), req, &assigned).ok());
  const Who judge = JudgeAs("judge-20", "20-DD");

  // Sheets only while judging.
  EXPECT_EQ(Score(judge, ids[0], 20, 30, 20).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  ASSERT_TRUE(Move(contest, v1::CONTEST_STATE_JUDGING, Organiser("14")).ok());

  EXPECT_THAT(EntryIds(contest, judge), ElementsAre(ids[0]));
  v1::ListAssignmentsRequest lreq;
  lreq.set_contest_id(contest);
  v1::ListAssignmentsResponse mine;
  ASSERT_TRUE(Call(&Stub::ListAssignments, judge, lreq, &mine).ok());
  ASSERT_EQ(mine.assignments_size(), 1);
  EXPECT_EQ(mine.assignments(0).entry().id(), ids[0]);
  EXPECT_EQ(mine.criteria_size(), 3);

  // An unassigned entry, and points out of bounds: refused with the field, nothing written.
  grpc::Status unassigned = Score(judge, ids[1], 20, 30, 20);
  ASSERT_EQ(unassigned.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(unassigned.error_message(), HasSubstr("is not assigned to judge-20"));
  grpc::Status bounds = Score(judge, ids[0], 31, -1, 20);
  ASSERT_EQ(bounds.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(bounds), ElementsAre("sheet.scores[0].points", "sheet.scores[1].points"));
  const int audits = CompetitionAuditCount();

  v1::ScoreSheet sheet;
  ASSERT_TRUE(Score(judge, ids[0], 20, 30.5, 20, &sheet).ok());
  EXPECT_DOUBLE_EQ(sheet.total(), 70.5);
  EXPECT_EQ(sheet.revision(), 1);
  ASSERT_TRUE(Score(judge, ids[0], 25, 30.5, 20, &sheet).ok());  // revised
  EXPECT_DOUBLE_EQ(sheet.total(), 75.5);
  EXPECT_EQ(sheet.revision(), 2);
  EXPECT_EQ(CompetitionAuditCount(), audits + 2);

  // A judge from the entry's own organisation is never let in, even if the
  // row were there: the organiser cannot assign them, so they cannot score.
  EXPECT_EQ(Score(JudgeAs("judge-ls", "14-LS"), ids[0], 1, 1, 1).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  ASSERT_TRUE(Score(JudgeAs("judge-38", "38"), ids[1], 10, 10, 10).ok());
  ASSERT_TRUE(Move(contest, v1::CONTEST_STATE_CLOSED, Organiser("14")).ok());
  EXPECT_EQ(Score(judge, ids[0], 30, 40, 30).error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << "no revision after judging closed";
}

TEST_F(JudgingTest, ClosingNeedsEnoughSheetsUnlessForced) {
  std::vector<int64_t> ids;
  const int64_t contest = OpenContestWithEntries({"14-LS", "14-DD"}, &ids, 3);
  AddPanel(contest);
  AutoAssign(contest);
  ASSERT_TRUE(Move(contest, v1::CONTEST_STATE_JUDGING, Organiser("14")).ok());
  grpc::Status s = Move(contest, v1::CONTEST_STATE_CLOSED, Organiser("14"));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("3 score sheets are needed"));
  EXPECT_TRUE(Move(contest, v1::CONTEST_STATE_CLOSED, Organiser("14"), /*force=*/true).ok());
}

}  // namespace
}  // namespace competition::testing

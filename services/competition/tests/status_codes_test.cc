// The README's status-code table, one realistic failure per code the
// competition service produces, asserted as a client over gRPC sees it.
#include "services/competition/tests/competition_fixture.h"

namespace competition::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class StatusCodesTest : public CompetitionTest {
 protected:
  // An open Sơn La contest with one entry from 14-LS and a panel of two
  // judges: one from 14-LS (conflicted) and one from Lạng Sơn.
  int64_t OpenWithPanel(std::vector<int64_t>* ids) {
    const int64_t contest = OpenContestWithEntries({"14-LS"}, ids, 1);
    AddJudge(contest, "judge-ls", "14-LS", {kAgri}, Organiser("14"));
    AddJudge(contest, "judge-20", "20-DD", {kAgri}, Organiser("14"));
    return contest;
  }

  grpc::Status Assign(int64_t entry, const std::string& judge) {
    v1::AssignJudgeRequest req;
    req.set_entry_id(entry);
    req.set_judge_subject(judge);
    v1::AssignJudgeResponse out;
    return Call(&Stub::AssignJudge, Organiser("14"), req, &out);
  }
};

TEST_F(StatusCodesTest, InvalidArgumentListsEveryMalformedField) {
  const int64_t id = Create(SonLaContest(), Organiser("14"));
  ASSERT_TRUE(Move(id, v1::CONTEST_STATE_OPEN, Organiser("14")).ok());
  v1::Entry entry = MakeEntry(id, "", "14-LS", "Y học");
  v1::Entry out;
  grpc::Status s = Submit(entry, Organiser("14"), &out);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(s), ElementsAre("entry.title", "entry.field"));
}

TEST_F(StatusCodesTest, UnauthenticatedWithoutAToken) {
  v1::ListContestsRequest req;
  v1::ListContestsResponse out;
  auto ctx = fedtest::AnonymousContext();
  EXPECT_EQ(comp_->ListContests(ctx.get(), req, &out).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(StatusCodesTest, PermissionDeniedForAJudgeScoringAnEntryNotAssignedToThem) {
  std::vector<int64_t> ids;
  const int64_t contest = OpenWithPanel(&ids);
  ASSERT_TRUE(Move(contest, v1::CONTEST_STATE_JUDGING, Organiser("14")).ok());
  grpc::Status s = Score(JudgeAs("judge-20", "20-DD"), ids[0], 20, 30, 20);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(s.error_message(), HasSubstr("not assigned"));
  EXPECT_TRUE(FieldsOf(s).empty());
}

TEST_F(StatusCodesTest, NotFoundForAnUnknownContest) {
  v1::GetContestRequest req;
  req.set_id(424242);
  v1::Contest out;
  EXPECT_EQ(Call(&Stub::GetContest, Viewer(), req, &out).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(StatusCodesTest, AlreadyExistsForTheSameEditionTwice) {
  Create(SonLaContest(5), Organiser("14"));
  v1::CreateContestRequest req;
  *req.mutable_contest() = SonLaContest(5);
  v1::Contest out;
  EXPECT_EQ(Call(&Stub::CreateContest, Organiser("14"), req, &out).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
}

TEST_F(StatusCodesTest, FailedPreconditionForAnEntryWhileTheContestIsADraftOrJudging) {
  const int64_t id = Create(SonLaContest(), Organiser("14"));
  v1::Entry out;
  grpc::Status draft = Submit(MakeEntry(id, "Lò sấy chè", "14-LS", kAgri), Organiser("14"), &out);
  ASSERT_EQ(draft.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(draft.error_message(), HasSubstr("is DRAFT"));
  ASSERT_TRUE(Move(id, v1::CONTEST_STATE_OPEN, Organiser("14")).ok());
  SubmitOk(MakeEntry(id, "Lò sấy chè", "14-LS", kAgri), Organiser("14"));
  ASSERT_TRUE(Move(id, v1::CONTEST_STATE_JUDGING, Organiser("14")).ok());
  grpc::Status judging =
      Submit(MakeEntry(id, "Máy gieo hạt", "14-DD", kAgri), Organiser("14"), &out);
  ASSERT_EQ(judging.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(judging.error_message(), HasSubstr("is JUDGING"));
}

TEST_F(StatusCodesTest, FailedPreconditionForAManualAssignmentOfAConflictedJudge) {
  std::vector<int64_t> ids;
  OpenWithPanel(&ids);
  grpc::Status s = Assign(ids[0], "judge-ls");
  ASSERT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("conflict of interest"));
  // The same judge twice is ALREADY_EXISTS; an unknown judge is a bad request.
  ASSERT_TRUE(Assign(ids[0], "judge-20").ok());
  EXPECT_EQ(Assign(ids[0], "judge-20").error_code(), grpc::StatusCode::ALREADY_EXISTS);
  grpc::Status unknown = Assign(ids[0], "nobody");
  ASSERT_EQ(unknown.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(unknown), ElementsAre("judge_subject"));
}

TEST_F(StatusCodesTest, UnavailableWhenTheRegistryCannotAnswer) {
  server_.reset();  // the registry goes away
  v1::CreateContestRequest req;
  *req.mutable_contest() = SonLaContest();
  v1::Contest out;
  EXPECT_EQ(Call(&Stub::CreateContest, Organiser("14"), req, &out).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

}  // namespace
}  // namespace competition::testing

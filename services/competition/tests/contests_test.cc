// Contests and their state machine, entries, authorisation of who sees
// which entry, and bad input refused with every problem and nothing written.
#include "services/competition/tests/competition_fixture.h"

namespace competition::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

class ContestsTest : public CompetitionTest {};

TEST_F(ContestsTest, SonLaRunsItsContestThroughTheStateMachine) {
  const int64_t id = Create(SonLaContest(), Organiser("14"));
  ASSERT_GT(id, 0);
  v1::GetContestRequest get;
  get.set_id(id);
  v1::Contest contest;
  ASSERT_TRUE(Call(&Stub::GetContest, Viewer(), get, &contest).ok());
  EXPECT_EQ(contest.state(), v1::CONTEST_STATE_DRAFT);
  EXPECT_EQ(contest.edition(), 5);
  EXPECT_THAT(contest.fields(), ElementsAre(kAgri, kIT));

  // Skipping a step is refused with the reason.
  grpc::Status skip = Move(id, v1::CONTEST_STATE_JUDGING, Organiser("14"));
  EXPECT_EQ(skip.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(skip.error_message(), HasSubstr("must go through OPEN"));

  ASSERT_TRUE(Move(id, v1::CONTEST_STATE_OPEN, Organiser("14")).ok());
  // Judging needs entries.
  grpc::Status empty = Move(id, v1::CONTEST_STATE_JUDGING, Organiser("14"));
  EXPECT_EQ(empty.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(empty.error_message(), HasSubstr("no entries"));
  // Going back is refused too.
  grpc::Status back = Move(id, v1::CONTEST_STATE_DRAFT, Organiser("14"));
  EXPECT_EQ(back.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(back.error_message(), HasSubstr("never go back"));

  SubmitOk(MakeEntry(id, "Máy tách hạt ngô", "14-LS", kAgri), Organiser("14"));
  ASSERT_TRUE(Move(id, v1::CONTEST_STATE_JUDGING, Organiser("14")).ok());

  v1::ListContestHistoryRequest hreq;
  hreq.set_contest_id(id);
  v1::ListContestHistoryResponse history;
  ASSERT_TRUE(Call(&Stub::ListContestHistory, Viewer(), hreq, &history).ok());
  ASSERT_EQ(history.changes_size(), 3);
  EXPECT_EQ(history.changes(2).from(), v1::CONTEST_STATE_OPEN);
  EXPECT_EQ(history.changes(2).to(), v1::CONTEST_STATE_JUDGING);
}

TEST_F(ContestsTest, OnlyTheOrganiserManagesItsContest) {
  v1::CreateContestRequest req;
  *req.mutable_contest() = SonLaContest();
  v1::Contest out;
  EXPECT_EQ(Call(&Stub::CreateContest, Province("20"), req, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  const int64_t id = Create(SonLaContest(), Organiser("14"));
  EXPECT_EQ(Move(id, v1::CONTEST_STATE_OPEN, Province("20")).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Move(id, v1::CONTEST_STATE_OPEN, Viewer()).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(
      Move(id, v1::CONTEST_STATE_OPEN, NationalAdmin()).ok());  // the national office may step in
  // The same edition twice is refused.
  EXPECT_EQ(Call(&Stub::CreateContest, Organiser("14"), req, &out).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
}

TEST_F(ContestsTest, BadContestListsEveryProblemAndWritesNothing) {
  v1::Contest c = SonLaContest(5, 2016);
  c.set_organizer_code("99");  // not in the registry
  c.set_edition(0);
  c.set_registration_closes("2016-02-01");  // before it opens
  c.mutable_criteria(0)->set_max_points(-1);
  c.mutable_prizes()->set_first(-1);
  c.set_min_judges_per_entry(0);
  v1::CreateContestRequest req;
  *req.mutable_contest() = c;
  v1::Contest out;
  grpc::Status s = Call(&Stub::CreateContest, NationalAdmin(), req, &out);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(s),
              UnorderedElementsAre("contest.organizer_code", "contest.edition",
                                   "contest.registration_closes", "contest.criteria[0].max_points",
                                   "contest.prizes.first", "contest.min_judges_per_entry"));
  v1::ListContestsResponse list;
  ASSERT_TRUE(Call(&Stub::ListContests, NationalAdmin(), v1::ListContestsRequest(), &list).ok());
  EXPECT_EQ(list.contests_size(), 0);
  EXPECT_EQ(CompetitionAuditCount(), 0);
}

TEST_F(ContestsTest, EntriesAreAcceptedOnlyWhileTheContestIsOpen) {
  const int64_t id = Create(SonLaContest(), Organiser("14"));
  v1::Entry out;
  grpc::Status draft = Submit(MakeEntry(id, "Lò sấy chè", "14-LS", kAgri), Organiser("14"), &out);
  ASSERT_EQ(draft.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(draft.error_message(), HasSubstr("is DRAFT"));
  ASSERT_TRUE(Move(id, v1::CONTEST_STATE_OPEN, Organiser("14")).ok());
  const int64_t entry = SubmitOk(MakeEntry(id, "Lò sấy chè", "14-LS", kAgri), Organiser("14"));
  EXPECT_EQ(GetEntry(entry).source_province_code(), "14");  // from the registry
  ASSERT_TRUE(Move(id, v1::CONTEST_STATE_JUDGING, Organiser("14")).ok());
  grpc::Status late = Submit(MakeEntry(id, "Máy gieo hạt", "14-DD", kAgri), Organiser("14"), &out);
  ASSERT_EQ(late.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(late.error_message(), HasSubstr("only while it is OPEN"));
  EXPECT_EQ(EntryIds(id, Organiser("14")).size(), 1u);
}

TEST_F(ContestsTest, BadEntryListsEveryProblem) {
  const int64_t id = Create(SonLaContest(), Organiser("14"));
  ASSERT_TRUE(Move(id, v1::CONTEST_STATE_OPEN, Organiser("14")).ok());
  v1::Entry e = MakeEntry(id, "", "14-XX", "Y học");
  v1::Entry out;
  grpc::Status s = Submit(e, Organiser("14"), &out);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(s),
              UnorderedElementsAre("entry.title", "entry.field", "entry.source_organization_code"));
  EXPECT_TRUE(EntryIds(id, Organiser("14")).empty());
}

TEST_F(ContestsTest, SameTitleBySameAuthorsIsRefusedAndWithdrawalKeepsHistory) {
  const int64_t id = Create(SonLaContest(), Organiser("14"));
  ASSERT_TRUE(Move(id, v1::CONTEST_STATE_OPEN, Organiser("14")).ok());
  const int64_t first = SubmitOk(
      MakeEntry(id, "Lò sấy chè", "14-LS", kAgri, {"A Páo", "Lò Thị Hoa"}), Organiser("14"));
  v1::Entry out;
  // Same work, authors in another order, title in another case.
  grpc::Status dup = Submit(MakeEntry(id, "LÒ SẤY CHÈ", "14-LS", kAgri, {"Lò Thị Hoa", "A Páo"}),
                            Organiser("14"), &out);
  ASSERT_EQ(dup.error_code(), grpc::StatusCode::ALREADY_EXISTS) << dup.error_message();
  EXPECT_THAT(dup.error_message(), HasSubstr("entry.title: the same authors already entered"));
  // Other authors may use the same title.
  SubmitOk(MakeEntry(id, "Lò sấy chè", "14-DD", kAgri, {"Quàng Văn Tư"}), Organiser("14"));

  v1::WithdrawEntryRequest w;
  w.set_entry_id(first);
  w.set_reason("Tác giả rút hồ sơ");
  ASSERT_TRUE(Call(&Stub::WithdrawEntry, Organiser("14"), w, &out).ok());
  EXPECT_TRUE(out.withdrawn());
  EXPECT_EQ(EntryIds(id, Organiser("14")).size(), 1u);
  EXPECT_EQ(EntryIds(id, Organiser("14"), true).size(), 2u);  // kept, marked
  EXPECT_EQ(GetEntry(first).withdrawal_reason(), "Tác giả rút hồ sơ");
}

TEST_F(ContestsTest, YouthContestNeedsAgesAndSchools) {
  v1::Contest c = SonLaContest(1);
  c.set_kind(v1::CONTEST_KIND_YOUTH);
  c.set_title("Cuộc thi Sáng tạo Thanh thiếu niên Nhi đồng tỉnh Sơn La");
  const int64_t id = Create(c, Organiser("14"));
  ASSERT_TRUE(Move(id, v1::CONTEST_STATE_OPEN, Organiser("14")).ok());
  v1::Entry e = MakeEntry(id, "Robot tưới rau", "14", kIT, {"Lường Văn An"});
  v1::Entry out;
  grpc::Status s = Submit(e, Organiser("14"), &out);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(s), UnorderedElementsAre("entry.authors[0].school", "entry.authors[0].age"));
  e.mutable_authors(0)->set_age(14);
  e.mutable_authors(0)->set_school("THCS Chiềng Sinh");
  ASSERT_TRUE(Submit(e, Organiser("14"), &out).ok());
  EXPECT_EQ(out.authors(0).age(), 14);
  EXPECT_EQ(out.authors(0).school(), "THCS Chiềng Sinh");
}

TEST_F(ContestsTest, ProvincesSeeTheirOwnEntriesAndViewersNothingBeforeAwarding) {
  const int64_t national = Create(NationalContest(v1::CONTEST_KIND_NATIONAL, 14), NationalAdmin());
  ASSERT_TRUE(Move(national, v1::CONTEST_STATE_OPEN, NationalAdmin()).ok());
  // Provinces register their own entries; not another province's.
  const int64_t from14 =
      SubmitOk(MakeEntry(national, "Máy tách hạt", "14-LS", kAgri), Province("14"));
  const int64_t from20 =
      SubmitOk(MakeEntry(national, "Máy thái chuối", "20-DD", kAgri), Province("20"));
  v1::Entry out;
  EXPECT_EQ(Submit(MakeEntry(national, "Bẫy côn trùng", "14-DD", kAgri), Province("20"), &out)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(EntryIds(national, Province("14")), ElementsAre(from14));
  EXPECT_THAT(EntryIds(national, Province("20")), ElementsAre(from20));
  EXPECT_THAT(EntryIds(national, NationalAdmin()), ElementsAre(from14, from20));
  EXPECT_TRUE(EntryIds(national, Viewer()).empty());
  v1::GetEntryRequest get;
  get.set_entry_id(from14);
  EXPECT_EQ(Call(&Stub::GetEntry, Province("20"), get, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

// An entry whose organisation cannot be checked now is not refused: the
// organiser is told to try again, and nothing is written.
TEST_F(ContestsTest, EntryWhileTheRegistryIsDownIsUnavailableNotInvalid) {
  const int64_t id = Create(SonLaContest(), Organiser("14"));
  ASSERT_TRUE(Move(id, v1::CONTEST_STATE_OPEN, Organiser("14")).ok());
  server_.reset();  // the registry goes away; "14-LS" was never looked up
  v1::Entry out;
  grpc::Status status = Submit(MakeEntry(id, "Lò sấy chè", "14-LS", kAgri), Organiser("14"), &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(), HasSubstr("registry unavailable"));
  EXPECT_TRUE(EntryIds(id, Organiser("14")).empty());
}

}  // namespace
}  // namespace competition::testing

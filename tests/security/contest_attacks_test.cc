// Attacks on the contests (CompetitionService): an entry registered after
// its window closed, youth authors' ages and schools read by those who have
// no business with them, and a judge scoring an entry of their own province
// through a member association.
#include "absl/strings/str_cat.h"
#include "federation/v1/competition.grpc.pb.h"
#include "services/common/dates.h"
#include "tests/security/security_fixture.h"

namespace {

namespace v1 = federation::v1;

using ::testing::HasSubstr;

const std::string kField = "Nông nghiệp";

class ContestAttackTest : public fedtest::SecurityTest {
 protected:
  void SetUp() override {
    SecurityTest::SetUp();
    if (HasFatalFailure()) return;
    StartCompetition();
    if (HasFatalFailure()) return;
    contests_ = v1::CompetitionService::NewStub(fed::OpenChannel(competition_address_));
    // A member association of Sơn La, as the registry keeps it.
    v1::CreateOrganizationRequest req;
    auto* org = req.mutable_organization();
    org->set_code("14-LS");
    org->set_kind(v1::ORGANIZATION_KIND_MEMBER_ASSOCIATION);
    org->set_name("Hội Làm vườn Sơn La");
    org->set_parent_code("14");
    org->set_active_from("2012-01-01");
    v1::Organization out;
    ASSERT_TRUE(registry_stub_->CreateOrganization(Admin().get(), req, &out).ok());
  }

  // A contest of `organiser` whose registration runs from `opens` to
  // `closes` (judging after it), moved to OPEN by the national office.
  int64_t OpenContest(v1::ContestKind kind, v1::ContestLevel level, const std::string& organiser,
                      absl::CivilDay opens, absl::CivilDay closes) {
    v1::CreateContestRequest req;
    v1::Contest* c = req.mutable_contest();
    c->set_kind(kind);
    c->set_level(level);
    c->set_organizer_code(organiser);
    c->set_edition(next_edition_++);  // an organiser's editions are unique per kind
    c->set_year(static_cast<int>(opens.year()));
    c->set_title(absl::StrCat("Hội thi ", organiser, " ", opens.year()));
    c->add_fields(kField);
    c->set_registration_opens(fed::FormatDate(opens));
    c->set_registration_closes(fed::FormatDate(closes));
    c->set_judging_opens(fed::FormatDate(closes + 1));
    c->set_judging_closes(fed::FormatDate(closes + 45));
    c->mutable_prizes()->set_first(1);
    c->mutable_prizes()->set_min_score(50);
    auto* criterion = c->add_criteria();
    criterion->set_code("novelty");
    criterion->set_name("Tính mới");
    criterion->set_weight(1);
    criterion->set_max_points(100);
    c->set_min_judges_per_entry(1);
    v1::Contest created;
    grpc::Status s = contests_->CreateContest(Admin().get(), req, &created);
    EXPECT_TRUE(s.ok()) << s.error_message();
    v1::TransitionContestRequest open;
    open.set_id(created.id());
    open.set_to(v1::CONTEST_STATE_OPEN);
    s = contests_->TransitionContest(Admin().get(), open, &created);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return created.id();
  }

  static absl::CivilDay Today() { return fed::DayInVietnam(absl::Now()); }

  static v1::Entry MakeEntry(int64_t contest, const std::string& source) {
    v1::Entry e;
    e.set_contest_id(contest);
    e.set_title("Máy sấy chè tiết kiệm năng lượng");
    e.set_source_organization_code(source);
    e.set_field(kField);
    e.set_summary("Giải pháp kỹ thuật");
    auto* author = e.add_authors();
    author->set_name("Lò Thị Mai");
    author->set_role("tác giả");
    author->set_age(15);
    author->set_school("Trường THCS Chiềng Lề");
    return e;
  }

  grpc::Status Submit(const v1::Entry& entry, std::unique_ptr<grpc::ClientContext> who,
                      v1::Entry* out) {
    v1::SubmitEntryRequest req;
    *req.mutable_entry() = entry;
    return contests_->SubmitEntry(who.get(), req, out);
  }

  std::unique_ptr<v1::CompetitionService::Stub> contests_;
  int next_edition_ = 1;
};

// Attack: Sơn La registers an entry after the registration window closed,
// stating a time inside it.
// Guards the entry's time being the service's clock (services/competition/
// entries.cc): were the stated time taken, a late entry would take part.
TEST_F(ContestAttackTest, AnEntryCannotBeBackdatedIntoAClosedWindow) {
  const int64_t closed = OpenContest(v1::CONTEST_KIND_PROVINCIAL_TECH, v1::CONTEST_LEVEL_PROVINCIAL,
                                     "14", Today() - 90, Today() - 10);
  v1::Entry late = MakeEntry(closed, "14-LS");
  late.mutable_submitted_at()->set_seconds(
      absl::ToUnixSeconds(absl::FromCivil(Today() - 20, fed::VietnamTimeZone())));
  v1::Entry out;
  grpc::Status s = Submit(late, Province("14"), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  EXPECT_THAT(s.error_message(), HasSubstr("closed"));

  // In an open window the stated time is ignored: the entry carries today's.
  const int64_t open = OpenContest(v1::CONTEST_KIND_PROVINCIAL_TECH, v1::CONTEST_LEVEL_PROVINCIAL,
                                   "14", Today() - 30, Today() + 30);
  v1::Entry early = MakeEntry(open, "14-LS");
  early.mutable_submitted_at()->set_seconds(
      absl::ToUnixSeconds(absl::FromCivil(Today() - 25, fed::VietnamTimeZone())));
  const absl::Time before = absl::Now();
  ASSERT_TRUE(Submit(early, Province("14"), &out).ok());
  EXPECT_GE(out.submitted_at().seconds(), absl::ToUnixSeconds(before) - 1);
}

// Attack: the national office's reviewers, and a judge of the contest, read
// a youth entry to learn a child's age and school.
// Guards SeesPersonalData / RedactEntry (services/competition/access.h):
// before, every role that could read an entry read its authors whole.
TEST_F(ContestAttackTest, YouthAuthorsAgeAndSchoolAreForTheOrganisersOnly) {
  const int64_t youth = OpenContest(v1::CONTEST_KIND_YOUTH, v1::CONTEST_LEVEL_PROVINCIAL, "14",
                                    Today() - 30, Today() + 30);
  v1::Entry entry;
  ASSERT_TRUE(Submit(MakeEntry(youth, "14-LS"), Province("14"), &entry).ok());
  v1::GetEntryRequest get;
  get.set_entry_id(entry.id());

  v1::Entry read;
  ASSERT_TRUE(contests_->GetEntry(Province("14").get(), get, &read).ok());
  ASSERT_EQ(read.authors_size(), 1);
  EXPECT_EQ(read.authors(0).age(), 15) << "the organiser and the entry's province see it";
  EXPECT_EQ(read.authors(0).school(), "Trường THCS Chiềng Lề");

  ASSERT_TRUE(contests_->GetEntry(Reviewer().get(), get, &read).ok());
  ASSERT_EQ(read.authors_size(), 1);
  EXPECT_EQ(read.authors(0).name(), "Lò Thị Mai");
  EXPECT_EQ(read.authors(0).age(), 0);
  EXPECT_EQ(read.authors(0).school(), "");

  v1::ListEntriesRequest list;
  list.set_contest_id(youth);
  v1::ListEntriesResponse entries;
  ASSERT_TRUE(contests_->ListEntries(Reviewer().get(), list, &entries).ok());
  ASSERT_EQ(entries.entries_size(), 1);
  EXPECT_EQ(entries.entries(0).authors(0).age(), 0);
  EXPECT_EQ(entries.entries(0).authors(0).school(), "");
}

// Attack: a judge of Sơn La's provincial union, on the national contest's
// panel, is assigned (or scores) an entry of a member association of Sơn La.
// Guards the conflict rule through the organisation tree (ConflictOfInterest
// in services/competition/scoring.h): before, only an exact code match
// conflicted, so "14" judged "14-LS".
TEST_F(ContestAttackTest, AJudgeCannotJudgeTheirOwnProvincesAssociation) {
  const int64_t national = OpenContest(v1::CONTEST_KIND_NATIONAL, v1::CONTEST_LEVEL_NATIONAL,
                                       "VUSTA", Today() - 30, Today() + 30);
  v1::Entry entry;
  ASSERT_TRUE(Submit(MakeEntry(national, "14-LS"), Admin(), &entry).ok());
  v1::AddJudgeRequest judge;
  judge.mutable_judge()->set_contest_id(national);
  judge.mutable_judge()->set_subject("gs.lo");
  judge.mutable_judge()->set_name("GS. Lò Văn Sơn");
  judge.mutable_judge()->set_organization_code("14");
  judge.mutable_judge()->add_fields(kField);
  v1::Judge added;
  ASSERT_TRUE(contests_->AddJudge(Admin().get(), judge, &added).ok());

  v1::AssignJudgeRequest assign;
  assign.set_entry_id(entry.id());
  assign.set_judge_subject("gs.lo");
  v1::AssignJudgeResponse assigned;
  grpc::Status s = contests_->AssignJudge(Admin().get(), assign, &assigned);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();

  v1::GetEntryRequest get;
  get.set_entry_id(entry.id());
  v1::Entry read;
  ASSERT_TRUE(contests_->GetEntry(Admin().get(), get, &read).ok());
  EXPECT_EQ(read.judge_subjects_size(), 0) << "nothing assigned";
}

}  // namespace

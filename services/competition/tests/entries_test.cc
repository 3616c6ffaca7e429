// What the service decides about an entry rather than taking from the
// caller: its submission time (the service's clock, inside the registration
// window; only the national office records paper entries at an earlier
// time), and who sees its youth authors' ages and schools.
#include "services/common/dates.h"
#include "services/competition/tests/competition_fixture.h"

namespace competition::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

google::protobuf::Timestamp At(absl::Time t) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(t));
  return ts;
}

google::protobuf::Timestamp OnDay(int year, int month, int day) {
  return At(absl::FromCivil(absl::CivilSecond(year, month, day, 9, 0, 0), fed::VietnamTimeZone()));
}

absl::Time TimeOf(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds());
}

class EntryTimeTest : public CompetitionTest {
 protected:
  int64_t OpenContest(const v1::Contest& c, const Who& organiser) {
    const int64_t id = Create(c, organiser);
    EXPECT_TRUE(Move(id, v1::CONTEST_STATE_OPEN, organiser).ok());
    return id;
  }
};

TEST_F(EntryTimeTest, AProvinceGetsTheServicesClockWhateverItStates) {
  const int64_t id = OpenContest(SonLaContest(), Organiser("14"));
  v1::Entry e = MakeEntry(id, "Lò sấy chè", "14-LS", kAgri);
  // Twenty days ago, inside the window: still not the province's to say.
  *e.mutable_submitted_at() = At(absl::Now() - absl::Hours(24 * 20));
  const absl::Time before = absl::Now();
  v1::Entry out;
  ASSERT_TRUE(Submit(e, Organiser("14"), &out).ok());
  EXPECT_GE(TimeOf(out.submitted_at()), before - absl::Seconds(1));
  EXPECT_LE(TimeOf(out.submitted_at()), absl::Now() + absl::Seconds(1));
  EXPECT_EQ(GetEntry(out.id()).submitted_at().seconds(), out.submitted_at().seconds());
}

// Lạng Sơn's union ended yesterday: its clerk's token no longer registers
// entries (services/common/ended_organizations.h), Thanh Hoá's still does.
TEST_F(EntryTimeTest, AnEndedProvincesAccountsRegisterNoEntries) {
  const int64_t id = OpenContest(NationalContest(v1::CONTEST_KIND_NATIONAL, 14), NationalAdmin());
  v1::RetireOrganizationRequest retire;
  retire.set_code("20");
  retire.set_effective_on(fed::FormatDate(fed::Today() - 1));
  retire.set_reason("sáp nhập");
  v1::Organization retired;
  ASSERT_TRUE(stub_->RetireOrganization(RegistryTest::Admin().get(), retire, &retired).ok());
  v1::Entry out;
  grpc::Status refused = Submit(MakeEntry(id, "Máy gặt", "20-DD", kAgri), Province("20"), &out);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(refused.error_message(), ::testing::HasSubstr("20 ended on"));
  EXPECT_TRUE(Submit(MakeEntry(id, "Lò sấy", "38-KT", kAgri), Province("38"), &out).ok());
}

TEST_F(EntryTimeTest, AClosedWindowIsRefusedNamingIt) {
  // Sơn La's 2016 contest, opened now: registration ran March to August 2016.
  const int64_t id = OpenContest(SonLaContest(5, 2016), Organiser("14"));
  const int audits = CompetitionAuditCount();
  v1::Entry e = MakeEntry(id, "Lò sấy chè", "14-LS", kAgri);
  *e.mutable_submitted_at() = OnDay(2016, 5, 10);  // a province's stated time is ignored
  v1::Entry out;
  grpc::Status s = Submit(e, Organiser("14"), &out);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  EXPECT_THAT(s.error_message(), HasSubstr("is closed"));
  EXPECT_THAT(s.error_message(), HasSubstr("2016-03-01 to 2016-08-31"));
  // Not even a national admin registers on today's clock after the window.
  e.clear_submitted_at();
  EXPECT_EQ(Submit(e, NationalAdmin(), &out).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(EntryIds(id, NationalAdmin()).empty());
  EXPECT_EQ(CompetitionAuditCount(), audits) << "nothing written";
}

TEST_F(EntryTimeTest, AWindowNotOpenYetIsRefused) {
  v1::Contest c = SonLaContest();
  const absl::CivilDay opens = Today() + 10;
  c.set_year(static_cast<int>(opens.year()));
  c.set_registration_opens(fed::FormatDate(opens));
  c.set_registration_closes(fed::FormatDate(opens + 30));
  c.set_judging_opens(fed::FormatDate(opens + 31));
  c.set_judging_closes(fed::FormatDate(opens + 60));
  const int64_t id = OpenContest(c, Organiser("14"));
  v1::Entry out;
  grpc::Status s = Submit(MakeEntry(id, "Lò sấy chè", "14-LS", kAgri), Organiser("14"), &out);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("not open yet"));
  EXPECT_THAT(s.error_message(), HasSubstr(fed::FormatDate(opens)));
}

TEST_F(EntryTimeTest, TheNationalOfficeRecordsPaperEntriesInsideTheWindowOnly) {
  const int64_t past = OpenContest(SonLaContest(5, 2016), Organiser("14"));
  v1::Entry e = MakeEntry(past, "Lò sấy chè", "14-LS", kAgri);
  *e.mutable_submitted_at() = OnDay(2016, 5, 10);
  v1::Entry out;
  ASSERT_TRUE(Submit(e, NationalAdmin(), &out).ok());
  EXPECT_EQ(out.submitted_at().seconds(), OnDay(2016, 5, 10).seconds());

  // Outside the window, or in the future: the stated time is wrong.
  v1::Entry late = MakeEntry(past, "Máy gieo hạt", "14-DD", kAgri);
  *late.mutable_submitted_at() = OnDay(2016, 12, 1);
  grpc::Status outside = Submit(late, NationalAdmin(), &out);
  ASSERT_EQ(outside.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(outside), ElementsAre("entry.submitted_at"));
  EXPECT_THAT(outside.error_message(), HasSubstr("outside the registration window"));

  const int64_t now = OpenContest(SonLaContest(6), Organiser("14"));
  v1::Entry ahead = MakeEntry(now, "Máy gieo hạt", "14-DD", kAgri);
  *ahead.mutable_submitted_at() = At(absl::Now() + absl::Hours(24));  // inside the window
  grpc::Status future = Submit(ahead, NationalAdmin(), &out);
  ASSERT_EQ(future.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(future), ElementsAre("entry.submitted_at"));
  EXPECT_THAT(future.error_message(), HasSubstr("in the future"));
  EXPECT_THAT(EntryIds(now, NationalAdmin()), ::testing::IsEmpty());
}

// Ages and schools of youth authors: the organisers and the entry's own
// province see them; judges, national reviewers, services, viewers and other
// provinces see the entry without them, by every route.
class PersonalDataTest : public CompetitionTest {
 protected:
  static v1::Entry YouthEntry(int64_t contest, const std::string& title, const std::string& source,
                              const std::string& author, int age, const std::string& school) {
    v1::Entry e = MakeEntry(contest, title, source, kIT, {author});
    e.mutable_authors(0)->set_age(age);
    e.mutable_authors(0)->set_school(school);
    return e;
  }

  // Whether any author of `e` carries an age or a school; the names stay.
  static bool HasPersonalData(const v1::Entry& e) {
    EXPECT_GT(e.authors_size(), 0);
    for (const auto& a : e.authors()) {
      EXPECT_FALSE(a.name().empty());
      if (a.age() != 0 || !a.school().empty()) return true;
    }
    return false;
  }

  v1::Entry EntryAs(int64_t id, const Who& who) {
    v1::GetEntryRequest req;
    req.set_entry_id(id);
    v1::Entry out;
    grpc::Status s = Call(&Stub::GetEntry, who, req, &out);
    EXPECT_TRUE(s.ok()) << who.subject << ": " << s.error_message();
    return out;
  }

  std::map<int64_t, v1::Entry> ListAs(int64_t contest, const Who& who) {
    v1::ListEntriesRequest req;
    req.set_contest_id(contest);
    v1::ListEntriesResponse out;
    EXPECT_TRUE(Call(&Stub::ListEntries, who, req, &out).ok());
    std::map<int64_t, v1::Entry> by_id;
    for (const auto& e : out.entries()) by_id[e.id()] = e;
    return by_id;
  }

  std::map<int64_t, v1::Entry> ResultsAs(int64_t contest, const Who& who) {
    std::map<int64_t, v1::Entry> by_id;
    const v1::GetResultsResponse results = Results(contest, who);
    for (const auto& r : results.results()) by_id[r.entry().id()] = r.entry();
    return by_id;
  }
};

TEST_F(PersonalDataTest, OnlyOrganisersAndTheEntrysProvinceSeeAgesAndSchools) {
  // The national youth creativity contest; Sơn La and Lạng Sơn each enter a pupil's work.
  v1::Contest c = NationalContest(v1::CONTEST_KIND_YOUTH, 1);
  c.set_title("Cuộc thi Sáng tạo Thanh thiếu niên Nhi đồng toàn quốc");
  c.set_min_judges_per_entry(1);
  *c.mutable_prizes() = v1::PrizeStructure();
  c.mutable_prizes()->set_first(1);
  const int64_t contest = Create(c, NationalAdmin());
  ASSERT_TRUE(Move(contest, v1::CONTEST_STATE_OPEN, NationalAdmin()).ok());
  v1::Entry out;
  ASSERT_TRUE(
      Submit(YouthEntry(contest, "Robot tưới rau", "14-LS", "Lường Văn An", 14, "THCS Chiềng Sinh"),
             Province("14"), &out)
          .ok());
  const int64_t from14 = out.id();
  EXPECT_TRUE(HasPersonalData(out)) << "the province that registered it";
  ASSERT_TRUE(Submit(YouthEntry(contest, "Thùng rác thông minh", "20-DD", "Hoàng Thị Mai", 12,
                                "THCS Hoàng Văn Thụ"),
                     Province("20"), &out)
                  .ok());
  const int64_t from20 = out.id();

  // While the contest runs.
  EXPECT_TRUE(HasPersonalData(EntryAs(from14, NationalAdmin())));
  EXPECT_TRUE(HasPersonalData(EntryAs(from14, Province("14"))));
  const v1::Entry reviewed = EntryAs(from14, NationalReviewer());
  EXPECT_FALSE(HasPersonalData(reviewed));
  EXPECT_EQ(reviewed.authors(0).name(), "Lường Văn An");
  EXPECT_EQ(reviewed.authors(0).age(), 0);
  EXPECT_EQ(reviewed.authors(0).school(), "");
  EXPECT_FALSE(HasPersonalData(EntryAs(from14, Service())));
  for (const auto& [id, e] : ListAs(contest, NationalReviewer())) EXPECT_FALSE(HasPersonalData(e));
  for (const auto& [id, e] : ListAs(contest, Service())) EXPECT_FALSE(HasPersonalData(e));
  EXPECT_TRUE(HasPersonalData(ListAs(contest, Province("20"))[from20]));

  // Judges: the work, not whose child it is.
  AddJudge(contest, "judge-38", "38", {kIT}, NationalAdmin());
  v1::AutoAssignRequest assign;
  assign.set_contest_id(contest);
  v1::AutoAssignResponse assigned;
  ASSERT_TRUE(Call(&Stub::AutoAssign, NationalAdmin(), assign, &assigned).ok());
  ASSERT_TRUE(Move(contest, v1::CONTEST_STATE_JUDGING, NationalAdmin()).ok());
  const Who judge = JudgeAs("judge-38", "38");
  v1::ListAssignmentsRequest lreq;
  lreq.set_contest_id(contest);
  v1::ListAssignmentsResponse mine;
  ASSERT_TRUE(Call(&Stub::ListAssignments, judge, lreq, &mine).ok());
  ASSERT_EQ(mine.assignments_size(), 2);
  for (const auto& a : mine.assignments()) EXPECT_FALSE(HasPersonalData(a.entry()));
  EXPECT_FALSE(HasPersonalData(EntryAs(from14, judge)));
  for (const auto& [id, e] : ListAs(contest, judge)) EXPECT_FALSE(HasPersonalData(e));

  // Once awarded the results are public, the children's data not.
  ASSERT_TRUE(Score(judge, from14, 25, 35, 25).ok());
  ASSERT_TRUE(Score(judge, from20, 20, 30, 20).ok());
  ASSERT_TRUE(Move(contest, v1::CONTEST_STATE_CLOSED, NationalAdmin()).ok());
  ASSERT_TRUE(Move(contest, v1::CONTEST_STATE_AWARDED, NationalAdmin()).ok());
  for (const Who& who : {Viewer(), NationalReviewer(), Service(), judge}) {
    for (const auto& [id, e] : ResultsAs(contest, who)) {
      EXPECT_FALSE(HasPersonalData(e)) << who.subject << " entry " << id;
    }
  }
  std::map<int64_t, v1::Entry> seen_by_20 = ResultsAs(contest, Province("20"));
  EXPECT_FALSE(HasPersonalData(seen_by_20[from14])) << "another province's pupil";
  EXPECT_TRUE(HasPersonalData(seen_by_20[from20])) << "its own";
  EXPECT_FALSE(HasPersonalData(EntryAs(from14, Province("20"))));
  EXPECT_FALSE(HasPersonalData(ListAs(contest, Viewer())[from14]));
  EXPECT_TRUE(HasPersonalData(ResultsAs(contest, NationalAdmin())[from14]));

  v1::GetEntryHistoryRequest hreq;
  hreq.set_entry_id(from14);
  v1::EntryHistory history;
  ASSERT_TRUE(Call(&Stub::GetEntryHistory, Viewer(), hreq, &history).ok());
  ASSERT_EQ(history.steps_size(), 1);
  EXPECT_FALSE(HasPersonalData(history.steps(0).entry()));
  ASSERT_TRUE(Call(&Stub::GetEntryHistory, Province("14"), hreq, &history).ok());
  EXPECT_TRUE(HasPersonalData(history.steps(history.steps_size() - 1).entry()));
}

TEST_F(PersonalDataTest, TheProvincialOrganiserSeesItsContestsPupils) {
  v1::Contest c = SonLaContest(1);
  c.set_kind(v1::CONTEST_KIND_YOUTH);
  c.set_title("Cuộc thi Sáng tạo Thanh thiếu niên Nhi đồng tỉnh Sơn La");
  const int64_t contest = Create(c, Organiser("14"));
  ASSERT_TRUE(Move(contest, v1::CONTEST_STATE_OPEN, Organiser("14")).ok());
  const int64_t id =
      SubmitOk(YouthEntry(contest, "Robot tưới rau", "14", "Lường Văn An", 14, "THCS Chiềng Sinh"),
               Organiser("14"));
  const v1::Entry seen = EntryAs(id, Organiser("14"));
  EXPECT_EQ(seen.authors(0).age(), 14);
  EXPECT_EQ(seen.authors(0).school(), "THCS Chiềng Sinh");
  EXPECT_FALSE(HasPersonalData(EntryAs(id, NationalReviewer())));
}

}  // namespace
}  // namespace competition::testing

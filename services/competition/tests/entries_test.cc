// What the service decides about an entry rather than taking from the
// caller: its submission time (the service's clock, inside the registration
// window; only the national office records paper entries at an earlier
// time).
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

}  // namespace
}  // namespace competition::testing

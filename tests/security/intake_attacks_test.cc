// Attacks on the national intake (AggregatorService.PushReports): making a
// late report look on time, poisoning a batch other provinces share, and
// revision numbers that would make later real revisions not count.
#include <pqxx/pqxx>

#include "services/common/dates.h"
#include "tests/security/security_fixture.h"

namespace {

namespace v1 = federation::v1;

using fedtest::SecurityTest;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// 2024H1 was due on 15 July 2024 (Vietnam time); every report these tests
// push arrives long after.
const absl::Time kBeforeTheDeadline =
    absl::FromCivil(absl::CivilSecond(2024, 7, 10, 9, 0, 0), fed::VietnamTimeZone());

// Attack: a province, late, pushes its report with its own token stating
// submitted_at five days before the due date.
// Guards the intake's rule that a province's stated time is a claim, not a
// fact (SubmittedAt in services/aggregator/intake.cc: a stated time counts
// only from role service within 14 days, or from national_admin). Were the
// stated time taken, the board would list Sơn La as on time and the stored
// revision would carry July 2024.
TEST_F(SecurityTest, BackdatingALateReportLeavesItLate) {
  const absl::Time before_push = absl::Now();
  v1::Report report = MakeReport("14", "2024H1", 1, {{"workshops", 3}});
  report.mutable_submitted_at()->set_seconds(absl::ToUnixSeconds(kBeforeTheDeadline));
  ASSERT_EQ(PushOwn(report).outcome(), v1::PUSH_OUTCOME_STORED);
  const absl::Time after_push = absl::Now();

  // The national board: late, not timely, submitted when it arrived.
  v1::CompletenessRequest board;
  board.set_period("2024H1");
  board.set_include_reporters(true);
  v1::CompletenessResponse out;
  grpc::Status status = aggregator_stub_->GetCompleteness(Reviewer().get(), board, &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(out.due_date(), "2024-07-15");
  EXPECT_THAT(out.late_codes(), Contains("14"));
  EXPECT_EQ(out.timely(), 0);
  EXPECT_EQ(out.late(), 1);
  bool listed = false;
  for (const auto& reporter : out.reporters()) {
    if (reporter.organization_code() != "14") continue;
    listed = true;
    EXPECT_TRUE(reporter.late());
    EXPECT_GE(reporter.first_submitted_at().seconds(), absl::ToUnixSeconds(before_push));
    EXPECT_LE(reporter.first_submitted_at().seconds(), absl::ToUnixSeconds(after_push));
  }
  EXPECT_TRUE(listed) << "14 is not on the board";

  // The stored revision: its submission time is the receipt time.
  {
    pqxx::connection conn(db_->url());
    pqxx::work txn(conn);
    auto row = txn.exec1(
        "SELECT submitted_at = received_at, floor(extract(epoch FROM submitted_at))::bigint"
        " FROM aggregator.report_revisions"
        " WHERE organization_code = '14' AND period = '2024H1' AND revision = 1");
    EXPECT_TRUE(row[0].as<bool>()) << "the stored submitted_at is not the receipt time";
    EXPECT_GE(row[1].as<int64_t>(), absl::ToUnixSeconds(before_push));
  }

  // The report as a reviewer reads it: not timely, and the times it shows
  // are the national office's, not the province's claim.
  v1::Report read;
  status = GetReport(Reviewer(), "14", "2024H1", &read);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(read.timely());
  EXPECT_GE(read.submitted_at().seconds(), absl::ToUnixSeconds(before_push))
      << "GetReport shows the province's stated submission time ("
      << absl::FormatTime(absl::FromUnixSeconds(read.submitted_at().seconds())) << ")";
  EXPECT_TRUE(read.has_received_at()) << "GetReport does not say when the report was received";
  EXPECT_EQ(read.received_at().seconds(), read.submitted_at().seconds());
}

// Attack: in one push stream of the suite's reporting service (role
// service, forwarding for many provinces), Sơn La's report carries a NUL
// byte in submitted_by and Thanh Hoá's a terminal escape in its narrative,
// between other provinces' valid reports.
// Guards the intake's text checks on every field it stores (ValidatePushedReport
// in services/aggregator/validate.cc), made before the group commit: a NUL
// reaching PostgreSQL fails the batch's one transaction, and with it every
// other province's report in it.
TEST_F(SecurityTest, APoisonedReportInASharedPushStreamFailsAlone) {
  v1::Report nul = MakeReport("14", "2024H1", 1, {{"workshops", 1}});
  nul.set_submitted_by(std::string("Nguy\0en", 7));
  v1::Report escape = MakeReport("38", "2024H1", 1, {{"workshops", 1}});
  escape.mutable_narrative()->set_difficulties(std::string("Thiếu kinh phí") + '\x1b' + "[2J");
  v1::Report lang_son = MakeReport("20", "2024H1", 1, {{"workshops", 4}, {"members", 15000}});
  lang_son.mutable_narrative()->set_achievements("Tổ chức hội thảo khoa học");
  lang_son.set_submitted_by("nguyen.van.a");
  const v1::Report ha_noi = MakeReport("01", "2024H1", 1, {{"workshops", 6}});
  const v1::Report ha_tinh = MakeReport("42", "2024H1", 1, {{"workshops", 2}});

  grpc::Status stream;
  auto acks =
      Push({nul, lang_son, escape, ha_noi, ha_tinh}, As(v1::ROLE_SERVICE, "VUSTA"), &stream);
  ASSERT_TRUE(stream.ok()) << stream.error_message();
  ASSERT_EQ(acks.size(), 5u);
  EXPECT_EQ(acks["ref-0"].outcome(), v1::PUSH_OUTCOME_INVALID);
  EXPECT_THAT(Fields(acks["ref-0"]), ElementsAre("submitted_by"));
  EXPECT_EQ(acks["ref-2"].outcome(), v1::PUSH_OUTCOME_INVALID);
  EXPECT_THAT(Fields(acks["ref-2"]), ElementsAre("narrative.difficulties"));
  for (const char* ref : {"ref-1", "ref-3", "ref-4"}) {
    EXPECT_EQ(acks[ref].outcome(), v1::PUSH_OUTCOME_STORED) << ref;
  }

  // Lạng Sơn's report is there, for the national office and for itself.
  v1::Report read;
  grpc::Status status = GetReport(Reviewer(), "20", "2024H1", &read);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(CountOf(read, "workshops"), 4);
  EXPECT_EQ(read.narrative().achievements(), "Tổ chức hội thảo khoa học");
  status = GetReport(Province("20"), "20", "2024H1", &read);
  EXPECT_TRUE(status.ok()) << status.error_message();
  // The poisoned ones are not.
  EXPECT_EQ(GetReport(Reviewer(), "14", "2024H1", &read).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(GetReport(Reviewer(), "38", "2024H1", &read).error_code(), grpc::StatusCode::NOT_FOUND);
  v1::CompletenessRequest board;
  board.set_period("2024H1");
  v1::CompletenessResponse out;
  ASSERT_TRUE(aggregator_stub_->GetCompleteness(Reviewer().get(), board, &out).ok());
  EXPECT_EQ(out.submitted(), 3);
  EXPECT_THAT(out.missing_codes(), Contains("14"));
  EXPECT_THAT(out.missing_codes(), Not(Contains("20")));
}

// Attack: a province pushes revision 1000 of its report, so that whatever
// comes next (a corrected revision 2, after the national office returns it)
// would be "older" than what is stored.
// Guards "revisions are consecutive" (CommitBatch in
// services/aggregator/intake.cc): were revision 1000 stored, revision 2
// would be acknowledged STALE_REVISION and never count.
TEST_F(SecurityTest, PushingRevision1000IsRefusedAndTheRealRevision2StillCounts) {
  ASSERT_EQ(PushOwn(MakeReport("14", "2024H1", 1, {{"workshops", 5}})).outcome(),
            v1::PUSH_OUTCOME_STORED);

  const v1::PushAck skipped = PushOwn(MakeReport("14", "2024H1", 1000, {{"workshops", 500}}));
  EXPECT_EQ(skipped.outcome(), v1::PUSH_OUTCOME_INVALID);
  EXPECT_THAT(Fields(skipped), ElementsAre("revision"));
  ASSERT_GE(skipped.violations_size(), 1);
  EXPECT_EQ(skipped.violations(0).description(), "the next revision of 14 2024H1 is 2");

  const v1::PushAck real = PushOwn(MakeReport("14", "2024H1", 2, {{"workshops", 7}}));
  EXPECT_EQ(real.outcome(), v1::PUSH_OUTCOME_STORED);
  EXPECT_EQ(real.latest_revision(), 2);

  // The province and the national office see revisions 1 and 2 only.
  v1::ListRevisionsRequest list;
  list.set_organization_code("14");
  list.set_period("2024H1");
  v1::ListRevisionsResponse revisions;
  ASSERT_TRUE(aggregator_stub_->ListRevisions(Province("14").get(), list, &revisions).ok());
  std::vector<int> numbers;
  for (const auto& r : revisions.revisions()) numbers.push_back(r.revision());
  EXPECT_THAT(numbers, ElementsAre(1, 2));
  v1::Report latest;
  ASSERT_TRUE(GetReport(Reviewer(), "14", "2024H1", &latest).ok());
  EXPECT_EQ(latest.revision(), 2);
  EXPECT_EQ(CountOf(latest, "workshops"), 7);

  // Revision 2 is the one the national office accepts, and it counts.
  Accept("14", "2024H1", 2);
  v1::TotalsRequest totals;
  totals.set_period("2024H1");
  totals.add_indicator_codes("workshops");
  v1::TotalsResponse figures;
  ASSERT_TRUE(aggregator_stub_->GetTotals(Reviewer().get(), totals, &figures).ok());
  ASSERT_EQ(figures.totals_size(), 1);
  EXPECT_EQ(figures.totals(0).value(), 7);
}

// Attack: a token that may push nothing (a dashboard's viewer token, a
// reviewer's, a judge's) opens push streams and writes reports as fast as it
// can, to fill the intake's memory and put thousands of its own reports ahead
// of the provinces' on deadline day.
// Guards RequireSomePusher at the stream's start (PushReactor in
// services/aggregator/push_reactor.cc): before, every report was queued for
// the committer and only then denied, one by one.
TEST_F(SecurityTest, ATokenThatMayPushNothingCannotQueueReports) {
  const std::vector<v1::Report> flood(600, MakeReport("14", "2024H1", 1, {{"workshops", 1}}));
  for (v1::Role role : {v1::ROLE_VIEWER, v1::ROLE_NATIONAL_REVIEWER, v1::ROLE_JUDGE}) {
    grpc::Status stream;
    auto acks = Push(flood, As(role, "VUSTA"), &stream);
    EXPECT_TRUE(acks.empty()) << v1::Role_Name(role) << " got " << acks.size() << " acks";
    EXPECT_EQ(stream.error_code(), grpc::StatusCode::PERMISSION_DENIED) << v1::Role_Name(role);
  }
  // Sơn La's own push goes through, and is the only report stored.
  EXPECT_EQ(PushOwn(MakeReport("14", "2024H1", 1, {{"workshops", 3}})).outcome(),
            v1::PUSH_OUTCOME_STORED);
  v1::Report read;
  ASSERT_TRUE(GetReport(Reviewer(), "14", "2024H1", &read).ok());
  EXPECT_EQ(CountOf(read, "workshops"), 3);
}

}  // namespace

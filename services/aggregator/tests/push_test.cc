// The intake: one acknowledgement per pushed report; idempotent retries;
// older revisions never replace newer ones; bad reports refused whole.
#include <pqxx/pqxx>

#include "services/aggregator/tests/aggregator_fixture.h"
#include "services/common/dates.h"
#include "services/common/period.h"

namespace aggregator::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsSupersetOf;
using ::testing::Property;

class PushTest : public AggregatorTest {
 protected:
  void SetUp() override {
    AggregatorTest::SetUp();
    LoadProvincesAndMerger();
  }

  int StoredRevisions() {
    pqxx::connection conn(db_->url());
    pqxx::work txn(conn);
    return txn.exec1("SELECT count(*) FROM aggregator.report_revisions")[0].as<int>();
  }

  // A report of `org` for `period` that says it was submitted at `stated`.
  static v1::Report Stating(const std::string& org, const std::string& period, absl::Time stated) {
    v1::Report report = MakeReport(org, period, 1, {{"workshops", 2}});
    report.mutable_submitted_at()->set_seconds(absl::ToUnixSeconds(stated));
    return report;
  }

  // Submission and receipt times (Unix seconds) of revision 1, as a
  // national reviewer sees them.
  std::pair<int64_t, int64_t> StoredTimes(const std::string& org, const std::string& period) {
    v1::GetReportRequest req;
    req.set_organization_code(org);
    req.set_period(period);
    req.set_revision(1);
    v1::Report report;
    grpc::Status s =
        agg_->GetReport(ContextAs(v1::ROLE_NATIONAL_REVIEWER, "VUSTA").get(), req, &report);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {report.submitted_at().seconds(), report.received_at().seconds()};
  }

  std::vector<std::string> LateCodes(const std::string& period) {
    v1::CompletenessRequest req;
    req.set_period(period);
    v1::CompletenessResponse out;
    grpc::Status s = agg_->GetCompleteness(ContextAs(v1::ROLE_VIEWER, "VUSTA").get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {out.late_codes().begin(), out.late_codes().end()};
  }

  std::vector<std::string> ViolationFields(const v1::PushAck& ack) {
    std::vector<std::string> fields;
    for (const auto& v : ack.violations()) fields.push_back(v.field());
    return fields;
  }
};

TEST_F(PushTest, EveryReportGetsItsOwnAcknowledgement) {
  std::vector<v1::Report> reports;
  for (const char* org : {"14", "20", "38"}) {
    reports.push_back(MakeReport(org, "2024H1", 1, {{"members", 10000}, {"workshops", 3}}));
  }
  auto acks = Push(reports);
  ASSERT_EQ(acks.size(), 3u);
  for (size_t i = 0; i < acks.size(); ++i) {
    EXPECT_EQ(acks[i].client_ref(), "ref-" + std::to_string(i));
    EXPECT_EQ(acks[i].outcome(), v1::PUSH_OUTCOME_STORED);
    EXPECT_EQ(acks[i].state(), v1::REPORT_STATE_SUBMITTED);
    EXPECT_EQ(acks[i].latest_revision(), 1);
  }
  EXPECT_EQ(Total("2024H1", "workshops", /*include_submitted=*/true), 9);
  EXPECT_EQ(Total("2024H1", "workshops"), 0);  // nothing accepted yet
}

TEST_F(PushTest, RetriedRevisionIsStoredAndCountedOnce) {
  v1::Report report = MakeReport("14", "2024H1", 1, {{"workshops", 4}});
  EXPECT_EQ(PushOne(report), v1::PUSH_OUTCOME_STORED);
  EXPECT_EQ(PushOne(report), v1::PUSH_OUTCOME_DUPLICATE);
  auto acks = Push({report, report});  // twice in one stream, e.g. a replayed outbox
  EXPECT_THAT(acks, ElementsAre(Property(&v1::PushAck::outcome, v1::PUSH_OUTCOME_DUPLICATE),
                                Property(&v1::PushAck::outcome, v1::PUSH_OUTCOME_DUPLICATE)));
  EXPECT_EQ(StoredRevisions(), 1);
  EXPECT_EQ(Total("2024H1", "workshops", true), 4);
}

TEST_F(PushTest, OlderRevisionNeverReplacesANewerOne) {
  EXPECT_EQ(PushOne(MakeReport("14", "2024H1", 1, {{"workshops", 5}})), v1::PUSH_OUTCOME_STORED);
  EXPECT_EQ(PushOne(MakeReport("14", "2024H1", 2, {{"workshops", 7}})), v1::PUSH_OUTCOME_STORED);
  // A replayed outbox sends revision 1 again after 2.
  EXPECT_EQ(PushOne(MakeReport("14", "2024H1", 1, {{"workshops", 5}})), v1::PUSH_OUTCOME_DUPLICATE);
  EXPECT_EQ(Total("2024H1", "workshops", true), 7);
}

TEST_F(PushTest, RevisionsAreConsecutive) {
  // Revision 1000 would make every real revision after it "stale".
  auto acks = Push({MakeReport("14", "2024H1", 1000, {{"workshops", 1}})});
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].outcome(), v1::PUSH_OUTCOME_INVALID);
  EXPECT_THAT(ViolationFields(acks[0]), ElementsAre("revision"));
  EXPECT_EQ(acks[0].violations(0).description(), "the next revision of 14 2024H1 is 1");
  EXPECT_EQ(PushOne(MakeReport("14", "2024H1", 1, {{"workshops", 5}})), v1::PUSH_OUTCOME_STORED);
  EXPECT_EQ(PushOne(MakeReport("14", "2024H1", 3, {{"workshops", 6}})), v1::PUSH_OUTCOME_INVALID);
  EXPECT_EQ(PushOne(MakeReport("14", "2024H1", 2, {{"workshops", 7}})), v1::PUSH_OUTCOME_STORED);
  EXPECT_EQ(StoredRevisions(), 2);
  EXPECT_EQ(Total("2024H1", "workshops", true), 7);
}

TEST_F(PushTest, ABadReportFailsAloneInItsBatch) {
  // Before, a NUL byte or a year PostgreSQL cannot store failed the group
  // commit, and with it every other province's report on the stream.
  v1::Report nul = MakeReport("14", "2024H1", 1, {{"workshops", 1}});
  nul.set_submitted_by(std::string("Nguy\0en", 7));
  v1::Report fine = MakeReport("20", "2024H1", 1, {{"workshops", 2}});
  v1::Report ancient = MakeReport("38", "2024H1", 1, {{"workshops", 3}});
  ancient.mutable_submitted_at()->set_seconds(-10'000'000'000'000);  // year -315000
  grpc::Status status;
  auto acks = Push({nul, fine, ancient}, v1::ROLE_SERVICE, "VUSTA", &status);
  EXPECT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(acks.size(), 3u);
  std::map<std::string, v1::PushAck> by_ref;  // refusals are acknowledged before the commit
  for (const auto& ack : acks) by_ref[ack.client_ref()] = ack;
  EXPECT_EQ(by_ref["ref-0"].outcome(), v1::PUSH_OUTCOME_INVALID);
  EXPECT_THAT(ViolationFields(by_ref["ref-0"]), ElementsAre("submitted_by"));
  EXPECT_EQ(by_ref["ref-1"].outcome(), v1::PUSH_OUTCOME_STORED);
  EXPECT_EQ(by_ref["ref-2"].outcome(), v1::PUSH_OUTCOME_INVALID);
  EXPECT_THAT(ViolationFields(by_ref["ref-2"]), ElementsAre("submitted_at"));
  EXPECT_EQ(StoredRevisions(), 1);
  EXPECT_EQ(Total("2024H1", "workshops", true), 2);
}

TEST_F(PushTest, SameRevisionWithOtherContentIsAConflict) {
  EXPECT_EQ(PushOne(MakeReport("14", "2024H1", 1, {{"workshops", 7}})), v1::PUSH_OUTCOME_STORED);
  EXPECT_EQ(PushOne(MakeReport("14", "2024H1", 1, {{"workshops", 8}})), v1::PUSH_OUTCOME_CONFLICT);
  EXPECT_EQ(Total("2024H1", "workshops", true), 7);
}

TEST_F(PushTest, InvalidReportListsEveryProblemAndStoresNothing) {
  v1::Report report = MakeReport("14", "2024H1", 1,
                                 {{"members", 100},
                                  {"intellectuals", 200},  // more than members
                                  {"contest_entries", 3},
                                  {"contest_prizes", 5},            // more than entries
                                  {"tech_contest_by_union", true},  // but not held
                                  {"workshops", -1},                // negative
                                  {"unknown_thing", 1}});           // not in the catalog
  auto* wrong_type = report.add_values();
  wrong_type->set_code("has_website");
  wrong_type->set_count(1);  // a yes/no given as a number
  auto acks = Push({report});
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].outcome(), v1::PUSH_OUTCOME_INVALID);
  EXPECT_THAT(ViolationFields(acks[0]),
              IsSupersetOf({"values[1].count", "values[3].count", "values[4].flag",
                            "values[5].count", "values[6].code", "values[7]"}));
  EXPECT_EQ(StoredRevisions(), 0);
}

TEST_F(PushTest, OversizedNarrativeIsRefusedWithItsField) {
  v1::Report report = MakeReport("14", "2024H1", 1, {{"workshops", 1}});
  report.mutable_narrative()->set_achievements(std::string(30000, 'x'));
  auto acks = Push({report});
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].outcome(), v1::PUSH_OUTCOME_INVALID);
  EXPECT_THAT(ViolationFields(acks[0]), ElementsAre("narrative.achievements"));
  EXPECT_EQ(StoredRevisions(), 0);
}

TEST_F(PushTest, MessageOverTheSizeLimitEndsTheStreamAndStoresNothing) {
  v1::Report report = MakeReport("14", "2024H1", 1, {{"workshops", 1}});
  report.mutable_narrative()->set_difficulties(std::string(5 * 1024 * 1024, 'y'));
  grpc::Status status;
  auto acks = Push({report}, v1::ROLE_SERVICE, "VUSTA", &status);
  EXPECT_TRUE(acks.empty());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(StoredRevisions(), 0);
}

TEST_F(PushTest, MalformedAndFuturePeriodsAreRefused) {
  EXPECT_EQ(PushOne(MakeReport("14", "2024H3", 1, {})), v1::PUSH_OUTCOME_INVALID);
  EXPECT_EQ(PushOne(MakeReport("14", "2099H1", 1, {})), v1::PUSH_OUTCOME_INVALID);
  EXPECT_EQ(StoredRevisions(), 0);
}

TEST_F(PushTest, OrganisationMustBeActiveDuringThePeriod) {
  // Quảng Bình was merged into Quảng Trị on 2025-07-01: no 2025H2 report.
  auto acks = Push({MakeReport("44", "2025H2", 1, {{"workshops", 1}})});
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].outcome(), v1::PUSH_OUTCOME_INVALID);
  EXPECT_THAT(ViolationFields(acks[0]), ElementsAre("organization_code"));
  EXPECT_EQ(PushOne(MakeReport("44", "2025H1", 1, {{"workshops", 1}})), v1::PUSH_OUTCOME_STORED);
}

// Its old province's staff no longer push for it, not even its history: the
// national office (or the reporting service) does.
TEST_F(PushTest, AMergedProvincesOwnAccountsNoLongerPush) {
  auto acks =
      Push({MakeReport("44", "2025H1", 1, {{"workshops", 1}})}, v1::ROLE_PROVINCE_REPORTER, "44");
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].outcome(), v1::PUSH_OUTCOME_DENIED);
  ASSERT_EQ(acks[0].violations_size(), 1);
  EXPECT_THAT(acks[0].violations(0).description(), ::testing::HasSubstr("merged into"));
  EXPECT_EQ(StoredRevisions(), 0);
  // The successor's staff push their own reports as before.
  EXPECT_EQ(
      Push({MakeReport("45", "2025H2", 1, {{"workshops", 1}})}, v1::ROLE_PROVINCE_REPORTER, "45")[0]
          .outcome(),
      v1::PUSH_OUTCOME_STORED);
}

// Deadline day with the registry restarting: a report that cannot be checked
// is neither refused nor stored; the pusher is told to try again.
TEST_F(PushTest, ReportThatCannotBeCheckedIsRetryLaterNotInvalid) {
  server_.reset();  // the registry goes away before the aggregator knew "20"
  auto acks = Push({MakeReport("20", "2024H1", 1, {{"workshops", 2}})});
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].outcome(), v1::PUSH_OUTCOME_RETRY_LATER);
  EXPECT_THAT(acks[0].violations(), ::testing::IsEmpty());
  EXPECT_THAT(acks[0].detail(), ::testing::HasSubstr("registry unavailable"));
  EXPECT_EQ(StoredRevisions(), 0);
}

TEST_F(PushTest, KnownOrganisationsArePushedWhileTheRegistryIsDown) {
  // A directory whose entries are always expired: every lookup asks the
  // registry, and falls back on what it knew when the registry is gone.
  Directory directory(server_->channel(), absl::ZeroDuration());
  v1::PushedReport known, unknown, missing;
  *known.mutable_report() = MakeReport("14", "2024H1", 1, {{"workshops", 2}});
  *unknown.mutable_report() = MakeReport("20", "2024H1", 1, {{"workshops", 2}});
  *missing.mutable_report() = MakeReport("99", "2024H1", 1, {{"workshops", 2}});
  const fed::Principal service{"test", "VUSTA", v1::ROLE_SERVICE};
  v1::PushAck ack;
  ASSERT_EQ(AdmitPush(known, service, directory, &ack), Admission::kAdmitted);
  ASSERT_EQ(AdmitPush(missing, service, directory, &ack), Admission::kRefused);
  EXPECT_EQ(ack.outcome(), v1::PUSH_OUTCOME_INVALID);

  server_.reset();
  EXPECT_EQ(AdmitPush(known, service, directory, &ack), Admission::kAdmitted);
  EXPECT_EQ(AdmitPush(unknown, service, directory, &ack), Admission::kRetryLater);
  EXPECT_EQ(ack.outcome(), v1::PUSH_OUTCOME_RETRY_LATER);
  // "99" was NOT_FOUND, which is never served from memory: it cannot be
  // checked now, and that is not a refusal either.
  EXPECT_EQ(AdmitPush(missing, service, directory, &ack), Admission::kRetryLater);
}

TEST_F(PushTest, ProvinceMayPushOnlyItsOwnReports) {
  auto acks = Push({MakeReport("20", "2024H1", 1, {{"workshops", 1}}),
                    MakeReport("14", "2024H1", 1, {{"workshops", 2}})},
                   v1::ROLE_PROVINCE_REPORTER, "14");
  ASSERT_EQ(acks.size(), 2u);
  EXPECT_EQ(acks[0].outcome(), v1::PUSH_OUTCOME_DENIED);
  EXPECT_EQ(acks[1].outcome(), v1::PUSH_OUTCOME_STORED);
  EXPECT_EQ(StoredRevisions(), 1);
}

TEST_F(PushTest, UnauthenticatedStreamIsRefused) {
  auto ctx = fedtest::AnonymousContext();
  auto stream = agg_->PushReports(ctx.get());
  v1::PushedReport pushed;
  *pushed.mutable_report() = MakeReport("14", "2024H1", 1, {});
  stream->Write(pushed);
  stream->WritesDone();
  v1::PushAck ack;
  EXPECT_FALSE(stream->Read(&ack));
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(StoredRevisions(), 0);
}

TEST_F(PushTest, ManyReportsOnOneStreamAreAllAcknowledgedAndStored) {
  std::vector<v1::Report> reports;
  for (const auto& p : registry::testing::ReadProvinces()) {
    for (const char* period : {"2023H1", "2023H2", "2024H1"}) {
      reports.push_back(MakeReport(p.code, period, 1, {{"workshops", 2}, {"members", 5000}}));
    }
  }
  auto acks = Push(reports);
  ASSERT_EQ(acks.size(), reports.size());
  for (const auto& ack : acks) EXPECT_EQ(ack.outcome(), v1::PUSH_OUTCOME_STORED);
  EXPECT_EQ(StoredRevisions(), static_cast<int>(reports.size()));
  EXPECT_EQ(Total("2024H1", "workshops", true), 2 * 63);
}

TEST_F(PushTest, FiguresAreRebuiltFromTheDatabaseAfterARestart) {
  Push({MakeReport("14", "2024H1", 1, {{"workshops", 3}}),
        MakeReport("20", "2024H1", 1, {{"workshops", 4}})});
  ASSERT_TRUE(Review("accept", "14", "2024H1", 1).ok());
  StopAggregator();
  StartAggregator();
  EXPECT_EQ(Total("2024H1", "workshops"), 3);
  EXPECT_EQ(Total("2024H1", "workshops", true), 7);
}

// 2024H1 was due on 15 July 2024; these reports arrive now, long after.
const absl::Time kBeforeTheDeadline =
    absl::FromCivil(absl::CivilSecond(2024, 7, 10, 9, 0, 0), fed::VietnamTimeZone());

// The intake writes revisions with COPY, whose text format gives tabs,
// newlines and backslashes meanings of their own (\N is NULL): a report
// must read back exactly as it was pushed, to the microsecond.
TEST_F(PushTest, AStoredRevisionReadsBackExactlyAsPushed) {
  v1::Report report = MakeReport("14", "2024H1", 1, {{"workshops", 3}, {"members", 123456789}});
  report.mutable_narrative()->set_achievements(
      "Hội thảo\tlần 2\nKết quả: \\N, \\\\ và \"trích dẫn\"");
  report.mutable_narrative()->set_difficulties("\\.");  // COPY's end-of-data marker
  report.mutable_submitted_at()->set_seconds(absl::ToUnixSeconds(kBeforeTheDeadline));
  report.mutable_submitted_at()->set_nanos(123456000);
  auto acks = Push({report}, v1::ROLE_NATIONAL_ADMIN);  // its stated time counts
  ASSERT_EQ(acks.size(), 1u);
  ASSERT_EQ(acks[0].outcome(), v1::PUSH_OUTCOME_STORED);

  v1::GetReportRequest req;
  req.set_organization_code("14");
  req.set_period("2024H1");
  req.set_revision(1);
  v1::Report stored;
  grpc::Status s =
      agg_->GetReport(ContextAs(v1::ROLE_NATIONAL_REVIEWER, "VUSTA").get(), req, &stored);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(stored.narrative().achievements(), report.narrative().achievements());
  EXPECT_EQ(stored.narrative().difficulties(), report.narrative().difficulties());
  EXPECT_EQ(stored.submitted_at().seconds(), report.submitted_at().seconds());
  EXPECT_EQ(stored.submitted_at().nanos(), 123456000);
  EXPECT_EQ(Total("2024H1", "members", true), 123456789);
}

TEST_F(PushTest, AProvinceCannotBackdateALateReport) {
  const absl::Time start = absl::Now();
  auto acks = Push({Stating("14", "2024H1", kBeforeTheDeadline)}, v1::ROLE_PROVINCE_REPORTER, "14");
  ASSERT_EQ(acks.size(), 1u);
  ASSERT_EQ(acks[0].outcome(), v1::PUSH_OUTCOME_STORED);
  EXPECT_THAT(LateCodes("2024H1"), Contains("14"));
  // Its submission time is when the intake read it; both times are kept.
  auto [submitted, received] = StoredTimes("14", "2024H1");
  EXPECT_GE(submitted, absl::ToUnixSeconds(start) - 1);
  EXPECT_EQ(submitted, received);
}

TEST_F(PushTest, AForwardedSubmissionTimeCountsOnlyWithinTheOutboxWindow) {
  // The reporting service forwarding from its outbox (role service): a
  // submission two days ago counts, one from 2024 does not.
  const absl::Time two_days_ago = absl::Now() - absl::Hours(48);
  const fed::Period last_half = fed::Period::Parse("2026H1").value();
  ASSERT_GT(two_days_ago, absl::FromCivil(last_half.LastDay(), fed::VietnamTimeZone()))
      << "the test assumes 2026H1 has ended";
  ASSERT_EQ(PushOne(Stating("01", "2026H1", two_days_ago)), v1::PUSH_OUTCOME_STORED);
  auto [submitted, received] = StoredTimes("01", "2026H1");
  EXPECT_EQ(submitted, absl::ToUnixSeconds(two_days_ago));
  EXPECT_GT(received, submitted);

  ASSERT_EQ(PushOne(Stating("20", "2024H1", kBeforeTheDeadline)), v1::PUSH_OUTCOME_STORED);
  // The national office importing an earlier year's records may state it.
  auto admin = Push({Stating("38", "2024H1", kBeforeTheDeadline)}, v1::ROLE_NATIONAL_ADMIN);
  ASSERT_EQ(admin.size(), 1u);
  ASSERT_EQ(admin[0].outcome(), v1::PUSH_OUTCOME_STORED);
  const std::vector<std::string> late = LateCodes("2024H1");
  EXPECT_THAT(late, Contains("20"));
  EXPECT_THAT(late, ::testing::Not(Contains("38")));
}

TEST_F(PushTest, NoStatedSubmissionTimeCountsBeforeThePeriodBegan) {
  const absl::Time in_2023 =
      absl::FromCivil(absl::CivilSecond(2023, 12, 1, 9, 0, 0), fed::VietnamTimeZone());
  auto acks = Push({Stating("38", "2024H1", in_2023)}, v1::ROLE_NATIONAL_ADMIN);
  ASSERT_EQ(acks.size(), 1u);
  ASSERT_EQ(acks[0].outcome(), v1::PUSH_OUTCOME_STORED);
  auto [submitted, received] = StoredTimes("38", "2024H1");
  EXPECT_EQ(submitted, received);
  EXPECT_THAT(LateCodes("2024H1"), Contains("38"));
}

}  // namespace
}  // namespace aggregator::testing

// The forwarder against a fake aggregator over real gRPC: every submitted
// revision arrives exactly once whatever fails on the way, refusals are
// parked with their reason, and review decisions flow back into the local
// state so that a returned report can be resubmitted as revision 2.
#include "services/reporting/tests/fake_aggregator.h"
#include "services/reporting/tests/reporting_fixture.h"

namespace reporting::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;
using Mode = FakeAggregatorState::PushMode;

class ForwarderTest : public ReportingTest {
 protected:
  void TearDown() override {
    forwarder_.reset();  // before the fake goes away
    aggregator_.reset();
    ReportingTest::TearDown();
  }

  FakeAggregatorState& fake() { return aggregator_->state(); }

  bool Delivered(int n) {
    v1::OutboxStatus status = OutboxStatus();
    return status.delivered() == n && status.pending() == 0;
  }

  v1::Report Revision(const std::string& org, const std::string& period, int revision) {
    for (const auto& report : ListReports(org, period)) {
      if (report.revision() == revision) return report;
    }
    ADD_FAILURE() << "no revision " << revision << " of " << org << " " << period;
    return v1::Report();
  }

  std::unique_ptr<FakeAggregatorServer> aggregator_ = std::make_unique<FakeAggregatorServer>();
};

TEST_F(ForwarderTest, EverySubmittedRevisionIsPushedOnceAndMarkedDelivered) {
  const v1::Report a = DraftAndSubmit(FullReport("14", "2025H1", {{"workshops", 7}}));
  const v1::Report b = DraftAndSubmit(FullReport("20", "2025H1"));
  const v1::Report c = DraftAndSubmit(FullReport("14", "2024H2"));
  StartForwarder(aggregator_->address());
  ASSERT_TRUE(Eventually([&] { return Delivered(3); })) << OutboxStatus().DebugString();

  EXPECT_EQ(fake().StoredCount(), 3u);
  for (const auto& key :
       {ReportKey{"14", "2025H1", 1}, ReportKey{"20", "2025H1", 1}, ReportKey{"14", "2024H2", 1}}) {
    EXPECT_EQ(fake().Received(key), 1) << std::get<0>(key) << " " << std::get<1>(key);
  }
  // The aggregator reads what was submitted, from the forwarder's own identity.
  {
    absl::MutexLock lock(&fake().mu);
    const v1::Report& pushed = fake().stored.at({"14", "2025H1", 1});
    EXPECT_EQ(pushed.submitted_by(), "test-province_reporter-14");
    EXPECT_EQ(pushed.values_size(), 30);
    EXPECT_EQ(pushed.values(11).count(), 7);
    EXPECT_EQ(pushed.submitted_at().seconds(), a.submitted_at().seconds());
    // (as the reporting service: in a deployment, its certificate)
    EXPECT_THAT(fake().push_subjects, ElementsAre("reporting/service"));
  }
  EXPECT_EQ(OutboxStatus().last_error(), "");

  // A report submitted while the forwarder runs goes out at once.
  DraftAndSubmit(FullReport("20", "2024H2"));
  ASSERT_TRUE(Eventually([&] { return Delivered(4); }));
  EXPECT_EQ(Scalar("SELECT count(*) FROM outbox WHERE outcome = 'STORED'"), 4);
}

// Two reporting replicas share one outbox: one forwards at a time (it holds
// a PostgreSQL lock), so each report reaches the aggregator once, not once
// per replica.
TEST_F(ForwarderTest, OfTwoReplicasOneForwardsAndEachReportArrivesOnce) {
  const std::vector<ReportKey> keys = {
      {"14", "2025H1", 1}, {"20", "2025H1", 1}, {"14", "2024H2", 1}, {"20", "2024H2", 1}};
  for (const auto& [org, period, revision] : keys) DraftAndSubmit(FullReport(org, period));
  ForwarderOptions options = TestForwarderOptions(aggregator_->address());
  options.lock_url = db_->RuntimeUrl("reporting");
  forwarder_ = std::make_unique<Forwarder>(*pool_, options);
  auto other_replica = std::make_unique<Forwarder>(*pool_, options);
  forwarder_->Start();
  other_replica->Start();
  ASSERT_TRUE(Eventually([&] { return Delivered(4); })) << OutboxStatus().DebugString();
  for (const auto& key : keys) {
    EXPECT_EQ(fake().Received(key), 1) << std::get<0>(key) << " " << std::get<1>(key);
  }

  // The forwarding replica stops: the other takes the lock and forwards.
  forwarder_.reset();
  DraftAndSubmit(FullReport("14", "2024H1"));
  ASSERT_TRUE(Eventually([&] { return Delivered(5); })) << OutboxStatus().DebugString();
  EXPECT_EQ(fake().Received({"14", "2024H1", 1}), 1);
  other_replica.reset();
}

// "Cannot decide now" from the aggregator is retried until it decides; it is
// never a failure the province has to resubmit.
TEST_F(ForwarderTest, ReportTheAggregatorCannotCheckYetStaysPendingAndIsNeverFailed) {
  {
    absl::MutexLock lock(&fake().mu);
    fake().undecided = {"20"};
  }
  DraftAndSubmit(FullReport("14", "2025H1"));
  DraftAndSubmit(FullReport("20", "2025H1"));
  StartForwarder(aggregator_->address());
  ASSERT_TRUE(Eventually([&] {
    return fake().Received({"20", "2025H1", 1}) >= 3;
  })) << "it must keep asking";
  v1::OutboxStatus waiting = OutboxStatus();
  EXPECT_EQ(waiting.delivered(), 1);
  EXPECT_EQ(waiting.pending(), 1);
  EXPECT_EQ(waiting.failed(), 0);
  EXPECT_THAT(waiting.last_error(), HasSubstr("registry unavailable"));
  EXPECT_EQ(Scalar("SELECT count(*) FROM report_events WHERE event = 'push_refused'"), 0);

  {
    absl::MutexLock lock(&fake().mu);
    fake().undecided.clear();
  }
  ASSERT_TRUE(Eventually([&] { return Delivered(2); })) << OutboxStatus().DebugString();
  EXPECT_EQ(OutboxStatus().failed(), 0);
  EXPECT_TRUE(fake().Has({"20", "2025H1", 1}));
}

TEST_F(ForwarderTest, PushesFailingWhileTheAggregatorIsDownAreRetriedWithoutLossOrDuplicates) {
  // The aggregator answers UNAVAILABLE...
  fake().SetMode(Mode::kUnavailable);
  DraftAndSubmit(FullReport("14", "2025H1"));
  DraftAndSubmit(FullReport("20", "2025H1"));
  StartForwarder(aggregator_->address());
  ASSERT_TRUE(Eventually([&] { return !OutboxStatus().last_error().empty(); }));
  v1::OutboxStatus status = OutboxStatus();
  EXPECT_EQ(status.pending(), 2);
  EXPECT_THAT(status.last_error(), HasSubstr("UNAVAILABLE"));
  ASSERT_TRUE(Eventually([&] {
    absl::MutexLock lock(&fake().mu);
    return fake().streams >= 3;  // it keeps trying
  }));
  EXPECT_EQ(fake().StoredCount(), 0u);
  fake().SetMode(Mode::kNormal);
  ASSERT_TRUE(Eventually([&] { return Delivered(2); })) << OutboxStatus().DebugString();
  EXPECT_TRUE(Eventually([&] { return OutboxStatus().last_error().empty(); }));

  // ...then it is not there at all, and comes back on the same port.
  aggregator_->Stop();
  DraftAndSubmit(FullReport("14", "2024H2"));
  ASSERT_TRUE(Eventually([&] { return !OutboxStatus().last_error().empty(); }));
  EXPECT_EQ(OutboxStatus().pending(), 1);
  aggregator_->Start();
  ASSERT_TRUE(Eventually([&] { return Delivered(3); })) << OutboxStatus().DebugString();

  EXPECT_EQ(fake().StoredCount(), 3u);
  EXPECT_EQ(fake().Received({"14", "2025H1", 1}), 1);
  EXPECT_EQ(fake().Received({"20", "2025H1", 1}), 1);
  EXPECT_EQ(fake().Received({"14", "2024H2", 1}), 1);
  EXPECT_GT(Scalar("SELECT max(attempts) FROM outbox"), 1);
}

TEST_F(ForwarderTest, AReportStoredButNotAcknowledgedIsRetriedAndCountedOnce) {
  fake().SetMode(Mode::kDropNextAck);
  DraftAndSubmit(FullReport("14", "2025H1"));
  StartForwarder(aggregator_->address());
  ASSERT_TRUE(Eventually([&] { return Delivered(1); })) << OutboxStatus().DebugString();
  EXPECT_EQ(fake().Received({"14", "2025H1", 1}), 2) << "pushed again after the lost ack";
  EXPECT_EQ(fake().StoredCount(), 1u) << "and stored once";
  EXPECT_EQ(Scalar("SELECT count(*) FROM outbox WHERE outcome = 'DUPLICATE'"), 1);
}

TEST_F(ForwarderTest, ARefusedPushIsParkedWithItsReasonAndNotRetried) {
  fake().Refuse("20");
  DraftAndSubmit(FullReport("20", "2025H1"));
  DraftAndSubmit(FullReport("14", "2025H1"));
  StartForwarder(aggregator_->address());
  ASSERT_TRUE(Eventually([&] { return OutboxStatus().delivered() == 1; }));
  ASSERT_TRUE(Eventually([&] { return OutboxStatus().pending() == 0; }));
  v1::OutboxStatus status = OutboxStatus();
  EXPECT_EQ(status.failed(), 1);
  EXPECT_THAT(status.last_error(), HasSubstr("1 report refused by the aggregator"));
  EXPECT_THAT(status.last_error(),
              HasSubstr("20 2025H1 revision 1: INVALID: values[3].count: members must not be "
                        "negative"));
  // The province sees its own refusal; the other province does not.
  v1::OutboxStatus mine;
  ASSERT_TRUE(
      stub_->GetOutboxStatus(Reporter("14").get(), v1::GetOutboxStatusRequest(), &mine).ok());
  EXPECT_EQ(mine.last_error(), "");
  EXPECT_EQ(Scalar("SELECT count(*) FROM report_events WHERE event = 'push_refused'"), 1);

  // Further rounds leave it alone.
  {
    absl::MutexLock lock(&fake().mu);
    fake().refuse.clear();
  }
  DraftAndSubmit(FullReport("14", "2024H2"));
  ASSERT_TRUE(Eventually([&] { return OutboxStatus().delivered() == 2; }));
  EXPECT_EQ(fake().Received({"20", "2025H1", 1}), 1);
}

TEST_F(ForwarderTest, AStaleRevisionIsAFailureTheProvinceSeesNotADelivery) {
  {
    absl::MutexLock lock(&fake().mu);
    fake().newer["20"] = 3;  // another system of province 20 pushed revision 3
  }
  DraftAndSubmit(FullReport("20", "2025H1"));
  StartForwarder(aggregator_->address());
  ASSERT_TRUE(Eventually([&] { return OutboxStatus().pending() == 0; }));
  v1::OutboxStatus status = OutboxStatus();
  EXPECT_EQ(status.delivered(), 0);
  EXPECT_EQ(status.failed(), 1);
  EXPECT_THAT(status.last_error(),
              HasSubstr("20 2025H1 revision 1: STALE_REVISION: the national office already "
                        "holds revision 3"));
  EXPECT_EQ(Scalar("SELECT count(*) FROM report_events WHERE event = 'push_refused'"), 1);
}

TEST_F(ForwarderTest, AnUnreadableOutboxRowIsParkedAndDoesNotBlockTheOthers) {
  DraftAndSubmit(FullReport("14", "2025H1"));
  {
    pqxx::connection conn(db_->url());
    pqxx::work txn(conn);
    txn.exec(
        "INSERT INTO reporting.outbox (report_id, revision, organization_code, period,"
        " payload) SELECT id, 99, '14', '2025H1', '\\xffffffff'::bytea"
        " FROM reporting.reports");
    txn.commit();
  }
  DraftAndSubmit(FullReport("20", "2025H1"));
  StartForwarder(aggregator_->address());
  ASSERT_TRUE(Eventually([&] { return OutboxStatus().delivered() == 2; }));
  EXPECT_EQ(OutboxStatus().pending(), 0);
  EXPECT_THAT(OutboxStatus().last_error(), HasSubstr("UNREADABLE"));
  EXPECT_EQ(fake().StoredCount(), 2u);
}

TEST_F(ForwarderTest, AReturnedReportComesBackAndIsResubmittedAsRevision2) {
  DraftAndSubmit(FullReport("14", "2025H1", {{"workshops", 4}}));
  DraftAndSubmit(FullReport("20", "2025H1"));
  StartForwarder(aggregator_->address());
  ASSERT_TRUE(Eventually([&] { return Delivered(2); }));

  fake().AddChange("14", "2025H1", 1, "received", v1::REPORT_STATE_SUBMITTED, "");
  fake().AddChange("14", "2025H1", 1, "returned", v1::REPORT_STATE_RETURNED,
                   "Thiếu số liệu hội thảo quý II");
  fake().AddChange("20", "2025H1", 1, "accepted", v1::REPORT_STATE_ACCEPTED, "");
  ASSERT_TRUE(Eventually([&] {
    return Revision("14", "2025H1", 1).state() == v1::REPORT_STATE_RETURNED &&
           Revision("20", "2025H1", 1).state() == v1::REPORT_STATE_ACCEPTED;
  }));
  const v1::Report returned = Revision("14", "2025H1", 1);
  EXPECT_EQ(returned.review_comment(), "Thiếu số liệu hội thảo quý II");
  EXPECT_EQ(returned.decided_by(), "reviewer@vusta");
  EXPECT_EQ(returned.decided_at().seconds(), 1767225600);

  // The draft shows the comment and can be edited again.
  v1::GetDraftRequest get;
  get.set_organization_code("14");
  get.set_period("2025H1");
  v1::Report draft;
  ASSERT_TRUE(stub_->GetDraft(Reporter("14").get(), get, &draft).ok());
  EXPECT_EQ(draft.state(), v1::REPORT_STATE_RETURNED);
  EXPECT_EQ(draft.review_comment(), "Thiếu số liệu hội thảo quý II");
  ASSERT_TRUE(SaveDraft(Reporter("14").get(), FullReport("14", "2025H1", {{"workshops", 6}})).ok());
  v1::Report second;
  grpc::Status status = Submit(Reporter("14").get(), "14", "2025H1", &second);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(second.revision(), 2);
  EXPECT_EQ(second.state(), v1::REPORT_STATE_SUBMITTED);
  ASSERT_TRUE(stub_->GetDraft(Reporter("14").get(), get, &draft).ok());
  EXPECT_EQ(draft.review_comment(), "") << "revision 2 has no review yet";
  ASSERT_TRUE(Eventually([&] { return fake().Has({"14", "2025H1", 2}); }));
  ASSERT_TRUE(Eventually([&] { return Delivered(3); }));
  {
    absl::MutexLock lock(&fake().mu);
    EXPECT_EQ(fake().stored.at({"14", "2025H1", 2}).values(11).count(), 6);
    EXPECT_EQ(fake().stored.at({"14", "2025H1", 1}).values(11).count(), 4);
  }
  // Accepted stays accepted: Lạng Sơn may not submit again.
  EXPECT_EQ(SaveDraft(Reporter("20").get(), FullReport("20", "2025H1")).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // Revision 1 keeps its return; revision 2 gets accepted.
  fake().AddChange("14", "2025H1", 2, "accepted", v1::REPORT_STATE_ACCEPTED, "Đạt");
  ASSERT_TRUE(
      Eventually([&] { return Revision("14", "2025H1", 2).state() == v1::REPORT_STATE_ACCEPTED; }));
  EXPECT_EQ(Revision("14", "2025H1", 1).state(), v1::REPORT_STATE_RETURNED);
  EXPECT_EQ(Submit(Reporter("14").get(), "14", "2025H1").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // While revision 2 awaited review, the draft showed no stale comment.
  // Reopened by the national admin: revision 2 stays accepted (as at the
  // aggregator) and the report is open for revision 3.
  fake().AddChange("14", "2025H1", 2, "reopened", v1::REPORT_STATE_RETURNED, "Bổ sung số liệu");
  ASSERT_TRUE(Eventually([&] {
    v1::Report d;
    return stub_->GetDraft(Reporter("14").get(), get, &d).ok() &&
           d.state() == v1::REPORT_STATE_RETURNED;
  }));
  ASSERT_TRUE(stub_->GetDraft(Reporter("14").get(), get, &draft).ok());
  EXPECT_EQ(draft.review_comment(), "Bổ sung số liệu");
  EXPECT_EQ(Revision("14", "2025H1", 2).state(), v1::REPORT_STATE_ACCEPTED);
  EXPECT_EQ(Revision("14", "2025H1", 2).review_comment(), "Đạt");
  ASSERT_TRUE(Submit(Reporter("14").get(), "14", "2025H1", &second).ok());
  EXPECT_EQ(second.revision(), 3);
  ASSERT_TRUE(stub_->GetDraft(Reporter("14").get(), get, &draft).ok());
  EXPECT_EQ(draft.state(), v1::REPORT_STATE_SUBMITTED);
  EXPECT_EQ(draft.review_comment(), "") << "revision 3 has no review yet";

  EXPECT_EQ(Scalar("SELECT change_cursor FROM forwarder_state"), 50);
  EXPECT_EQ(Scalar("SELECT count(*) FROM report_events WHERE source_sequence IS NOT NULL"), 4);
}

TEST_F(ForwarderTest, TheChangeCursorSurvivesARestartAndOnlyKnownOrganisationsAreAsked) {
  DraftAndSubmit(FullReport("14", "2025H1"));
  StartForwarder(aggregator_->address());
  ASSERT_TRUE(Eventually([&] { return Delivered(1); }));
  fake().AddChange("14", "2025H1", 1, "returned", v1::REPORT_STATE_RETURNED, "Sai số liệu");
  fake().AddChange("99", "2025H1", 1, "accepted", v1::REPORT_STATE_ACCEPTED, "");
  ASSERT_TRUE(
      Eventually([&] { return Scalar("SELECT change_cursor FROM forwarder_state") == 10; }));
  forwarder_.reset();

  {
    absl::MutexLock lock(&fake().mu);
    fake().watch_requests.clear();
  }
  StartForwarder(aggregator_->address());  // a new process, as far as the state goes
  ASSERT_TRUE(Eventually([&] {
    absl::MutexLock lock(&fake().mu);
    return !fake().watch_requests.empty();
  }));
  absl::MutexLock lock(&fake().mu);
  const v1::WatchChangesRequest& first = fake().watch_requests.front();
  EXPECT_EQ(first.after_sequence(), 10);
  EXPECT_THAT(first.organization_codes(), ElementsAre("14"));
  EXPECT_EQ(Scalar("SELECT count(*) FROM report_events WHERE event = 'returned'"), 1);
}

TEST_F(ForwarderTest, NothingSubmittedMeansNoCallsAtAll) {
  StartForwarder(aggregator_->address());
  v1::Report draft;
  ASSERT_TRUE(CreateDraft(Reporter("14").get(), "14", "2025H1", false, &draft).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // several poll intervals
  absl::MutexLock lock(&fake().mu);
  EXPECT_EQ(fake().streams, 0);
  EXPECT_TRUE(fake().watch_requests.empty()) << "an empty filter would mean every organisation";
}

}  // namespace
}  // namespace reporting::testing

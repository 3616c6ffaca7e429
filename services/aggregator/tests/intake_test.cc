// The intake between provinces that do not trust each other: one report the
// database refuses does not fail the others sharing its commit, what waits
// is bounded per pusher, and pushers take turns.
//
// These tests drive an Intake directly. To make several reports share a
// batch they hold the feed's advisory lock, which every commit takes before
// it ends: each of the two committers blocks on its first batch, the
// preparer holds a third ready, and the rest queue up behind them.
#include <thread>

#include <pqxx/pqxx>

#include "services/aggregator/storage.h"
#include "services/aggregator/tests/aggregator_fixture.h"

namespace aggregator::testing {
namespace {

using ::testing::HasSubstr;

class IntakeTest : public AggregatorTest {
 protected:
  void SetUp() override {
    AggregatorTest::SetUp();
    if (HasFatalFailure()) return;
    LoadProvincesAndMerger();
  }

  // Acknowledgements as the intake hands them out, in order.
  struct Acks {
    absl::Mutex mu;
    std::vector<v1::PushAck> acks ABSL_GUARDED_BY(mu);
    std::vector<absl::Status> statuses ABSL_GUARDED_BY(mu);

    size_t wanted ABSL_GUARDED_BY(mu) = 0;

    bool Enough() const ABSL_SHARED_LOCKS_REQUIRED(mu) { return acks.size() >= wanted; }
    // Waits for `n` acknowledgements and returns them.
    std::vector<v1::PushAck> Await(size_t n) {
      absl::MutexLock lock(&mu);
      wanted = n;
      mu.Await(absl::Condition(this, &Acks::Enough));
      for (const auto& status : statuses) EXPECT_TRUE(status.ok()) << status;
      return acks;
    }
  };

  static PushItem Item(const v1::Report& report, fed::Principal pusher, Acks& into) {
    v1::PushedReport pushed;
    pushed.set_client_ref(absl::StrCat(report.organization_code(), "/", report.period()));
    *pushed.mutable_report() = report;
    return PushItem{std::move(pushed), std::move(pusher),
                    [&into](const absl::Status& status, const v1::PushAck& ack) {
                      absl::MutexLock lock(&into.mu);
                      into.statuses.push_back(status);
                      into.acks.push_back(ack);
                    }};
  }

  static fed::Principal Province(const std::string& code) {
    return {"clerk@" + code, code, v1::ROLE_PROVINCE_REPORTER};
  }

  // How many transactions wait for a lock: of `locktype` (pg_locks: the
  // feed's is "advisory"), or of any type.
  int LockWaiters(const std::string& locktype = "") {
    pqxx::connection conn(db_->url());
    pqxx::work txn(conn);
    return txn
        .exec_params1(
            "SELECT count(*) FROM pg_locks WHERE NOT granted AND ($1 = '' OR locktype = $1)",
            locktype)[0]
        .as<int>();
  }

  // Waits until `n` transactions wait for a lock (the feed's, a report's row).
  void AwaitLockWaiters(int n) {
    for (int i = 0; i < 1000 && LockWaiters() < n; ++i) absl::SleepFor(absl::Milliseconds(10));
    ASSERT_GE(LockWaiters(), n) << "transactions never waited for a lock";
  }

  int StoredRevisions() {
    pqxx::connection conn(db_->url());
    pqxx::work txn(conn);
    return txn.exec1("SELECT count(*) FROM aggregator.report_revisions")[0].as<int>();
  }

  // Holds the feed lock until Release(): the committer's next transaction
  // waits for it.
  class FeedLock {
   public:
    explicit FeedLock(const std::string& url) : conn_(url), txn_(conn_) { storage::LockFeed(txn_); }
    void Release() { txn_.commit(); }

   private:
    pqxx::connection conn_;
    pqxx::work txn_;
  };
};

TEST_F(IntakeTest, ADatabaseRefusalOfOneReportLeavesTheOthersInItsBatchStored) {
  // Something validation let through and PostgreSQL refuses, here forced by
  // a trigger on one province's rows. Before, the whole batch failed and
  // every pusher sharing it lost its stream.
  {
    pqxx::connection conn(db_->url());
    pqxx::work txn(conn);
    txn.exec0(
        "CREATE FUNCTION aggregator.refuse_38() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        " IF NEW.organization_code = '38' THEN RAISE EXCEPTION 'refused for the test'; END IF;"
        " RETURN NEW; END $$");
    txn.exec0(
        "CREATE TRIGGER refuse_38 BEFORE INSERT ON aggregator.report_revisions"
        " FOR EACH ROW EXECUTE FUNCTION aggregator.refuse_38()");
    txn.commit();
  }
  Intake intake(*agg_pool_, *figures_, *directory_, 200);
  Acks acks;
  FeedLock lock(db_->url());
  ASSERT_TRUE(
      intake.Submit(Item(MakeReport("20", "2024H1", 1, {{"workshops", 2}}), Province("20"), acks))
          .ok());
  ASSERT_TRUE(
      intake.Submit(Item(MakeReport("38", "2024H1", 1, {{"workshops", 3}}), Province("38"), acks))
          .ok());
  ASSERT_TRUE(
      intake.Submit(Item(MakeReport("14", "2024H1", 1, {{"workshops", 4}}), Province("14"), acks))
          .ok());
  lock.Release();

  std::map<std::string, v1::PushAck> by_org;
  for (const auto& ack : acks.Await(3)) by_org[ack.organization_code()] = ack;
  EXPECT_EQ(by_org["20"].outcome(), v1::PUSH_OUTCOME_STORED);
  EXPECT_EQ(by_org["14"].outcome(), v1::PUSH_OUTCOME_STORED);
  // Not a refusal: the fault may be the national side's; 38 pushes it again.
  EXPECT_EQ(by_org["38"].outcome(), v1::PUSH_OUTCOME_RETRY_LATER);
  EXPECT_THAT(by_org["38"].detail(), HasSubstr("could not store this report"));
  EXPECT_EQ(StoredRevisions(), 2);
  EXPECT_EQ(Total("2024H1", "workshops", true), 6);
}

TEST_F(IntakeTest, WhatOnePusherMayHaveWaitingIsBounded) {
  IntakeLimits limits;
  limits.max_waiting_per_pusher = 2;
  // One report per batch: while the lock is held, the two committers and
  // the preparer hold at most three reports and exactly two of 14's may wait.
  Intake intake(*agg_pool_, *figures_, *directory_, 1, limits);
  Acks acks;
  FeedLock lock(db_->url());
  int taken = 0;
  absl::Status refused;
  for (const char* period :
       {"2021H1", "2021H2", "2022H1", "2022H2", "2023H1", "2023H2", "2024H1", "2024H2"}) {
    absl::Status s =
        intake.Submit(Item(MakeReport("14", period, 1, {{"workshops", 1}}), Province("14"), acks));
    if (s.ok()) {
      ++taken;
    } else {
      refused = s;
    }
  }
  EXPECT_LE(taken, 5);
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(refused.message(), HasSubstr("2 reports of this caller already wait"));
  // Another province is not held back by 14's flood.
  EXPECT_TRUE(
      intake.Submit(Item(MakeReport("20", "2024H1", 1, {{"workshops", 1}}), Province("20"), acks))
          .ok());
  lock.Release();
  acks.Await(taken + 1);
  EXPECT_EQ(StoredRevisions(), taken + 1);
}

TEST_F(IntakeTest, TheIntakeAsAWholeIsBounded) {
  IntakeLimits limits;
  limits.max_waiting = 3;
  Intake intake(*agg_pool_, *figures_, *directory_, 1, limits);
  Acks acks;
  FeedLock lock(db_->url());
  int taken = 0;
  for (const char* period :
       {"2021H1", "2021H2", "2022H1", "2022H2", "2023H1", "2023H2", "2024H1", "2024H2"}) {
    if (intake.Submit(Item(MakeReport("14", period, 1, {{"workshops", 1}}), Province("14"), acks))
            .ok()) {
      ++taken;
    }
  }
  // Three waiting, and at most three more taken out of the queue.
  EXPECT_GE(taken, 3);
  EXPECT_LE(taken, 6);
  lock.Release();
  acks.Await(taken);
  EXPECT_EQ(StoredRevisions(), taken);
}

TEST_F(IntakeTest, PushersTakeTurns) {
  // 14 has eight reports waiting when 20 pushes one: 20's is acknowledged
  // among the first five, not after all of 14's. Two committers and the
  // preparer may each have taken one of 14's before 20's arrives, and 14's
  // turn may come first once more; batches are acknowledged in the order
  // they were taken, whichever committer finishes first.
  Intake intake(*agg_pool_, *figures_, *directory_, 1);
  Acks acks;
  FeedLock lock(db_->url());
  for (const char* period :
       {"2021H1", "2021H2", "2022H1", "2022H2", "2023H1", "2023H2", "2024H1", "2024H2"}) {
    ASSERT_TRUE(
        intake.Submit(Item(MakeReport("14", period, 1, {{"workshops", 1}}), Province("14"), acks))
            .ok());
  }
  ASSERT_TRUE(
      intake.Submit(Item(MakeReport("20", "2024H1", 1, {{"workshops", 1}}), Province("20"), acks))
          .ok());
  lock.Release();
  std::vector<v1::PushAck> in_order = acks.Await(9);
  size_t position = in_order.size();
  for (size_t i = 0; i < in_order.size(); ++i) {
    if (in_order[i].organization_code() == "20") position = i;
  }
  EXPECT_LE(position, 4u);
}

TEST_F(IntakeTest, RevisionsOfANewReportPushedAtOnceAreAllStoredInOrder) {
  // One report per batch, so each revision is a batch of its own. Two
  // committers writing revisions 1 and 2 side by side would each find no
  // revision stored, and 2 would be refused as skipping ahead: a batch in
  // flight holds back the next revision of its report until it is written.
  Intake intake(*agg_pool_, *figures_, *directory_, 1);
  Acks acks;
  FeedLock lock(db_->url());
  for (int revision = 1; revision <= 4; ++revision) {
    ASSERT_TRUE(intake
                    .Submit(Item(MakeReport("14", "2024H1", revision, {{"workshops", revision}}),
                                 Province("14"), acks))
                    .ok());
  }
  lock.Release();
  std::vector<v1::PushAck> in_order = acks.Await(4);
  ASSERT_EQ(in_order.size(), 4u);
  for (size_t i = 0; i < in_order.size(); ++i) {
    EXPECT_EQ(in_order[i].outcome(), v1::PUSH_OUTCOME_STORED)
        << "revision " << in_order[i].revision() << ": " << in_order[i].detail();
    EXPECT_EQ(in_order[i].revision(), static_cast<int>(i) + 1);
  }
  EXPECT_EQ(StoredRevisions(), 4);
  EXPECT_EQ(Total("2024H1", "workshops", true), 4);
}

TEST_F(IntakeTest, AReviewAndAPushOfTheSameReportTakeTurnsWithoutDeadlock) {
  // A review holds the report's row while it waits for the feed's lock; a
  // new revision pushed meanwhile waits for that row and is written after
  // the decision. Were the review to take the feed's lock first (and the
  // committer the row), each would wait for the other until PostgreSQL
  // broke the deadlock by failing one of them.
  Intake intake(*agg_pool_, *figures_, *directory_, 1);
  Acks acks;
  ASSERT_TRUE(
      intake.Submit(Item(MakeReport("14", "2024H1", 1, {{"workshops", 1}}), Province("14"), acks))
          .ok());
  acks.Await(1);
  FeedLock lock(db_->url());
  grpc::Status review;
  std::thread reviewer([&] { review = Review("accept", "14", "2024H1", 1); });
  AwaitLockWaiters(1);  // the review waits
  ASSERT_TRUE(
      intake.Submit(Item(MakeReport("14", "2024H1", 2, {{"workshops", 2}}), Province("14"), acks))
          .ok());
  AwaitLockWaiters(2);  // and so does revision 2
  // Only the review waits for the feed; revision 2 waits for the review's
  // row. Had the review taken the feed's lock first, both would wait for it,
  // and the one served first would then wait for the other's row.
  EXPECT_EQ(LockWaiters("advisory"), 1);
  lock.Release();
  reviewer.join();
  std::vector<v1::PushAck> in_order = acks.Await(2);
  EXPECT_TRUE(review.ok()) << review.error_message();
  EXPECT_EQ(in_order[1].outcome(), v1::PUSH_OUTCOME_STORED) << in_order[1].detail();
  EXPECT_EQ(Total("2024H1", "workshops"), 1);        // revision 1 accepted
  EXPECT_EQ(Total("2024H1", "workshops", true), 2);  // revision 2 waits for review
}

TEST_F(IntakeTest, AStreamOfARoleThatMayPushNothingIsRefusedAtOnce) {
  grpc::Status status;
  auto acks =
      Push({MakeReport("14", "2024H1", 1, {{"workshops", 1}})}, v1::ROLE_VIEWER, "VUSTA", &status);
  EXPECT_TRUE(acks.empty());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(StoredRevisions(), 0);
}

}  // namespace
}  // namespace aggregator::testing

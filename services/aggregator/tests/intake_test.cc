// The intake between provinces that do not trust each other: one report the
// database refuses does not fail the others sharing its commit, what waits
// is bounded per pusher, and pushers take turns.
//
// These tests drive an Intake directly. To make several reports share a
// batch they hold the feed's advisory lock, which every commit takes first:
// the committer blocks on its first batch while the rest queue up behind it.
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
  // One report per batch: while the lock is held, the committer holds at
  // most one report and exactly two of 14's may wait.
  Intake intake(*agg_pool_, *figures_, *directory_, 1, limits);
  Acks acks;
  FeedLock lock(db_->url());
  int taken = 0;
  absl::Status refused;
  for (const char* period : {"2023H1", "2023H2", "2024H1", "2024H2"}) {
    absl::Status s =
        intake.Submit(Item(MakeReport("14", period, 1, {{"workshops", 1}}), Province("14"), acks));
    if (s.ok()) {
      ++taken;
    } else {
      refused = s;
    }
  }
  EXPECT_LE(taken, 3);
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
  for (const char* org : {"01", "14", "20", "38", "42"}) {
    if (intake.Submit(Item(MakeReport(org, "2024H1", 1, {{"workshops", 1}}), Province(org), acks))
            .ok()) {
      ++taken;
    }
  }
  EXPECT_GE(taken, 3);
  EXPECT_LE(taken, 4);
  lock.Release();
  acks.Await(taken);
  EXPECT_EQ(StoredRevisions(), taken);
}

TEST_F(IntakeTest, PushersTakeTurns) {
  // 14 has five reports waiting when 20 pushes one: 20's is written second
  // or third, not after all of 14's.
  Intake intake(*agg_pool_, *figures_, *directory_, 1);
  Acks acks;
  FeedLock lock(db_->url());
  for (const char* period : {"2022H1", "2022H2", "2023H1", "2023H2", "2024H1"}) {
    ASSERT_TRUE(
        intake.Submit(Item(MakeReport("14", period, 1, {{"workshops", 1}}), Province("14"), acks))
            .ok());
  }
  ASSERT_TRUE(
      intake.Submit(Item(MakeReport("20", "2024H1", 1, {{"workshops", 1}}), Province("20"), acks))
          .ok());
  lock.Release();
  std::vector<v1::PushAck> in_order = acks.Await(6);
  size_t position = in_order.size();
  for (size_t i = 0; i < in_order.size(); ++i) {
    if (in_order[i].organization_code() == "20") position = i;
  }
  EXPECT_LE(position, 2u);
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

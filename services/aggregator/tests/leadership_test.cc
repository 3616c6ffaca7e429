// Two aggregators on one database: one active, one on standby. The standby
// keeps its figures warm and writes nothing; when the active one's lock
// session ends, the standby takes over, and the former active one cannot
// write a row even before it has noticed (the database fences it).
//
// The replicas are driven round by round (Leadership::RunRound) instead of
// by their threads, so that each step happens when the test says.
#include <pqxx/pqxx>

#include "absl/synchronization/notification.h"
#include "services/aggregator/leadership.h"
#include "services/aggregator/tests/aggregator_fixture.h"

namespace aggregator::testing {
namespace {

using ::testing::HasSubstr;

// One aggregator process's share of the state: its figures, its lock, and
// the two ways it writes (the intake and review).
struct Replica {
  Replica(const std::string& name, const std::string& url, fed::DbPool& pool,
          Directory& directory) {
    Leadership::Options options;
    options.holder = name;
    leadership = std::make_unique<Leadership>(url, pool, figures, options);
    logic = std::make_unique<Aggregator>(pool, figures, directory, leadership.get());
    intake =
        std::make_unique<Intake>(pool, figures, directory, 50, IntakeLimits(), leadership.get());
  }

  // Pushes one report as its province; the status the intake answered with
  // and, when OK, the outcome.
  absl::StatusOr<v1::PushOutcome> Push(const v1::Report& report) {
    v1::PushedReport pushed;
    *pushed.mutable_report() = report;
    absl::Notification done;
    absl::StatusOr<v1::PushOutcome> result = absl::UnknownError("no answer");
    const std::string& org = report.organization_code();
    absl::Status queued =
        intake->Submit(PushItem{std::move(pushed),
                                {"clerk@" + org, org, v1::ROLE_PROVINCE_REPORTER},
                                [&](const absl::Status& status, const v1::PushAck& ack) {
                                  if (status.ok()) {
                                    result = ack.outcome();
                                  } else {
                                    result = status;
                                  }
                                  done.Notify();
                                }});
    if (!queued.ok()) return queued;
    done.WaitForNotification();
    return result;
  }

  // The outcome of a push that was answered (UNSPECIFIED when it was not).
  v1::PushOutcome Outcome(const v1::Report& report) {
    return Push(report).value_or(v1::PUSH_OUTCOME_UNSPECIFIED);
  }

  absl::Status Accept(const std::string& org, const std::string& period, int revision) {
    v1::ReviewRequest req;
    req.set_organization_code(org);
    req.set_period(period);
    req.set_revision(revision);
    v1::Report out;
    return logic->AcceptReport({"reviewer@VUSTA", "VUSTA", v1::ROLE_NATIONAL_REVIEWER}, req, &out);
  }

  int32_t LatestRevisionSeen(const std::string& org, const std::string& period) const {
    auto standing = figures.Find(org, period);
    return standing ? standing->latest_revision : 0;
  }

  Figures figures;
  std::unique_ptr<Leadership> leadership;
  std::unique_ptr<Aggregator> logic;
  std::unique_ptr<Intake> intake;
};

class LeadershipTest : public AggregatorTest {
 protected:
  void SetUp() override {
    AggregatorTest::SetUp();
    if (HasFatalFailure()) return;
    LoadProvincesAndMerger();
    pool_a_ = std::make_unique<fed::DbPool>(db_->RuntimeUrl("aggregator"), "aggregator", 3);
    pool_b_ = std::make_unique<fed::DbPool>(db_->RuntimeUrl("aggregator"), "aggregator", 3);
    a_ = std::make_unique<Replica>("replica-a", db_->RuntimeUrl("aggregator"), *pool_a_,
                                   *directory_);
    b_ = std::make_unique<Replica>("replica-b", db_->RuntimeUrl("aggregator"), *pool_b_,
                                   *directory_);
  }

  void TearDown() override {
    a_.reset();
    b_.reset();
    pool_a_.reset();
    pool_b_.reset();
    AggregatorTest::TearDown();
  }

  // Ends the session holding the active aggregator's lock, as a crash of its
  // host or a database failover would: of this database's sessions, the
  // one idle with an advisory lock granted (a writer holds the feed's lock
  // only inside a running transaction).
  void EndTheLockSession() {
    pqxx::connection conn(db_->RuntimeUrl("aggregator"));
    pqxx::nontransaction txn(conn);
    pqxx::result ended = txn.exec(
        "SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_stat_activity a"
        " ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
        " AND a.datname = current_database() AND a.state = 'idle'");
    ASSERT_EQ(ended.size(), 1u) << "one session holds the leader's lock";
  }

  int StoredRevisions() {
    pqxx::connection conn(db_->url());
    pqxx::work txn(conn);
    return txn.exec1("SELECT count(*) FROM aggregator.report_revisions")[0].as<int>();
  }

  std::unique_ptr<fed::DbPool> pool_a_, pool_b_;
  std::unique_ptr<Replica> a_, b_;
};

TEST_F(LeadershipTest, OnlyOneReplicaBecomesActive) {
  a_->leadership->RunRound();
  b_->leadership->RunRound();
  b_->leadership->RunRound();
  EXPECT_TRUE(a_->leadership->active());
  EXPECT_FALSE(b_->leadership->active());
}

TEST_F(LeadershipTest, TheStandbyKeepsItsFiguresWarmAndWritesNothing) {
  a_->leadership->RunRound();
  b_->leadership->RunRound();
  ASSERT_EQ(a_->Outcome(MakeReport("14", "2024H1", 1, {{"workshops", 3}})),
            v1::PUSH_OUTCOME_STORED);

  b_->leadership->RunRound();
  EXPECT_EQ(b_->LatestRevisionSeen("14", "2024H1"), 1) << "the standby applied what A committed";

  absl::StatusOr<v1::PushOutcome> refused =
      b_->Push(MakeReport("20", "2024H1", 1, {{"workshops", 5}}));
  EXPECT_TRUE(absl::IsUnavailable(refused.status())) << refused.status();
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("replica-a"))
      << "the refusal names the active one";
  absl::Status review = b_->Accept("14", "2024H1", 1);
  EXPECT_TRUE(absl::IsUnavailable(review)) << review;
  EXPECT_EQ(StoredRevisions(), 1);
}

TEST_F(LeadershipTest, ATakeOverFencesTheFormerActiveOffBeforeItNotices) {
  a_->leadership->RunRound();
  b_->leadership->RunRound();
  ASSERT_EQ(a_->Outcome(MakeReport("14", "2024H1", 1, {{"workshops", 3}})),
            v1::PUSH_OUTCOME_STORED);

  EndTheLockSession();
  b_->leadership->RunRound();
  ASSERT_TRUE(b_->leadership->active()) << "the standby took the free lock";
  EXPECT_EQ(b_->LatestRevisionSeen("14", "2024H1"), 1);

  // A has run no round since: it still believes it is active, and the
  // database refuses its writes all the same.
  ASSERT_TRUE(a_->leadership->active());
  absl::StatusOr<v1::PushOutcome> fenced =
      a_->Push(MakeReport("20", "2024H1", 1, {{"workshops", 5}}));
  EXPECT_TRUE(absl::IsUnavailable(fenced.status())) << fenced.status();
  absl::Status review = a_->Accept("14", "2024H1", 1);
  EXPECT_TRUE(absl::IsUnavailable(review)) << review;
  EXPECT_EQ(StoredRevisions(), 1);

  a_->leadership->RunRound();
  EXPECT_FALSE(a_->leadership->active()) << "A notices on its next round";

  EXPECT_EQ(b_->Outcome(MakeReport("20", "2024H1", 1, {{"workshops", 5}})),
            v1::PUSH_OUTCOME_STORED);
  EXPECT_TRUE(b_->Accept("14", "2024H1", 1).ok());
  a_->leadership->RunRound();
  EXPECT_EQ(a_->LatestRevisionSeen("20", "2024H1"), 1) << "A, now standby, follows B";
  EXPECT_EQ(StoredRevisions(), 2);
}

}  // namespace
}  // namespace aggregator::testing

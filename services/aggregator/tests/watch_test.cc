// The streamed change feed (WatchChanges) over loopback gRPC on a real
// database: what followers get, in what order, and what they are told when
// they cannot be served.
#include <cmath>

#include "absl/time/clock.h"
#include "services/aggregator/feed_pruner.h"
#include "services/aggregator/storage.h"
#include "services/aggregator/tests/aggregator_fixture.h"

namespace aggregator::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class WatchTest : public AggregatorTest {
 protected:
  void SetUp() override {
    AggregatorTest::SetUp();
    if (HasFatalFailure()) return;
    CreateNational();
    for (const auto& [code, name] :
         std::vector<std::pair<std::string, std::string>>{{"01", "Hà Nội"},
                                                          {"14", "Sơn La"},
                                                          {"20", "Lạng Sơn"},
                                                          {"38", "Thanh Hóa"},
                                                          {"42", "Hà Tĩnh"},
                                                          {"44", "Quảng Bình"},
                                                          {"45", "Quảng Trị"}}) {
      ASSERT_TRUE(CreateProvince(code, name).ok());
    }
  }

  // One open stream and everything read from it so far.
  struct Watch {
    std::unique_ptr<grpc::ClientContext> ctx;
    std::unique_ptr<grpc::ClientReader<v1::WatchChangesResponse>> reader;
    std::vector<v1::WatchChangesResponse> answers;
    std::vector<v1::FeedChange> changes;

    // Reads until `n` changes in all have arrived; false if the stream ended.
    bool ReadChanges(size_t n) {
      v1::WatchChangesResponse answer;
      while (changes.size() < n && reader->Read(&answer)) Keep(answer);
      return changes.size() >= n;
    }
    // Reads one answer (a heartbeat when nothing happens).
    bool ReadOne() {
      v1::WatchChangesResponse answer;
      if (!reader->Read(&answer)) return false;
      Keep(answer);
      return true;
    }
    void Keep(const v1::WatchChangesResponse& answer) {
      answers.push_back(answer);
      changes.insert(changes.end(), answer.changes().begin(), answer.changes().end());
    }
    int64_t through() const { return answers.empty() ? 0 : answers.back().through_sequence(); }
    grpc::Status End() {
      ctx->TryCancel();
      return reader->Finish();
    }
  };

  std::unique_ptr<Watch> Open(int64_t after, v1::Role role = v1::ROLE_SERVICE,
                              const std::string& org = "VUSTA",
                              std::vector<std::string> organizations = {},
                              bool skip_pruned = false) {
    auto watch = std::make_unique<Watch>();
    watch->ctx = ContextAs(role, org);
    watch->ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    v1::WatchChangesRequest req;
    req.set_after_sequence(after);
    for (const auto& code : organizations) req.add_organization_codes(code);
    req.set_skip_pruned(skip_pruned);
    watch->reader = agg_->WatchChanges(watch->ctx.get(), req);
    return watch;
  }

  // The stream's status when it ends without sending anything.
  grpc::Status Refusal(int64_t after, v1::Role role = v1::ROLE_SERVICE,
                       const std::string& org = "VUSTA", std::vector<std::string> orgs = {}) {
    auto watch = Open(after, role, org, std::move(orgs));
    v1::WatchChangesResponse answer;
    EXPECT_FALSE(watch->reader->Read(&answer)) << "expected a refusal, got an answer";
    return watch->reader->Finish();
  }

  std::vector<std::string> Events(const std::vector<v1::FeedChange>& changes) {
    std::vector<std::string> out;
    for (const auto& c : changes) {
      out.push_back(c.change().organization_code() + ":" + c.change().event());
    }
    return out;
  }

  double ValueOf(const Watch& watch, const v1::CountedPeriod& counted, const std::string& code) {
    const auto& codes = watch.answers.front().indicator_codes();
    for (int i = 0; i < codes.size(); ++i) {
      if (codes[i] == code && i < counted.values_size()) return counted.values(i);
    }
    return std::nan("");
  }
};

TEST_F(WatchTest, ChangesArriveAsTheyHappenWithWhatTheyCountFor) {
  auto watch = Open(0);
  ASSERT_TRUE(watch->ReadOne());  // the first answer comes at once, before any change
  EXPECT_GT(watch->answers[0].indicator_codes_size(), 0);
  EXPECT_TRUE(watch->answers[0].live());

  ASSERT_EQ(PushOne(MakeReport("14", "2024H1", 1, {{"members", 12000}})), v1::PUSH_OUTCOME_STORED);
  ASSERT_TRUE(Review("accept", "14", "2024H1", 1).ok());
  ASSERT_TRUE(watch->ReadChanges(2));
  EXPECT_THAT(Events(watch->changes), ElementsAre("14:received", "14:accepted"));

  const v1::FeedChange& accepted = watch->changes[1];
  EXPECT_EQ(accepted.change().state(), v1::REPORT_STATE_ACCEPTED);
  // The half-year and its year, so that nobody calls back for them.
  ASSERT_EQ(accepted.counted_size(), 2);
  EXPECT_EQ(accepted.counted(0).period(), "2024H1");
  EXPECT_TRUE(accepted.counted(0).present());
  EXPECT_EQ(ValueOf(*watch, accepted.counted(0), "members"), 12000);
  EXPECT_EQ(accepted.counted(1).period(), "2024");
  EXPECT_TRUE(accepted.counted(1).derived());
  // Before acceptance nothing counted yet.
  EXPECT_FALSE(watch->changes[0].counted(0).present());
  EXPECT_GT(accepted.first_submitted_at().seconds(), 0);
  EXPECT_EQ(watch->through(), accepted.change().sequence());
  EXPECT_TRUE(watch->End().error_code() == grpc::StatusCode::CANCELLED);
}

TEST_F(WatchTest, AQuietFeedSendsHeartbeats) {
  auto watch = Open(0);
  ASSERT_TRUE(watch->ReadOne());
  // Nothing happens: the next answer (the fixture's tail beats every 200 ms;
  // the stream's deadline is 20 s) can only be a heartbeat.
  ASSERT_TRUE(watch->ReadOne());
  EXPECT_EQ(watch->answers[1].changes_size(), 0);
  EXPECT_GT(watch->answers[1].sent_at().seconds(), 0);
  watch->End();
}

TEST_F(WatchTest, ResumingFromThroughMissesAndRepeatsNothing) {
  Push({MakeReport("14", "2024H1", 1, {}), MakeReport("20", "2024H1", 1, {})});
  auto first = Open(0);
  ASSERT_TRUE(first->ReadChanges(2));
  const int64_t resume = first->through();
  first->End();

  Push({MakeReport("38", "2024H1", 1, {})});
  ASSERT_TRUE(Review("return", "14", "2024H1", 1, "Thiếu số liệu").ok());
  auto second = Open(resume);
  ASSERT_TRUE(second->ReadChanges(2));
  EXPECT_THAT(Events(second->changes), ElementsAre("38:received", "14:returned"));
  EXPECT_EQ(second->changes[1].change().comment(), "Thiếu số liệu");
  EXPECT_GT(second->changes[0].change().sequence(), resume);
  second->End();
}

TEST_F(WatchTest, AFollowerBehindWhatIsHeldInMemoryCatchesUpFromTheDatabase) {
  // A tail holding two changes: the rest must come from PostgreSQL.
  StopAggregator();
  feed_keep_ = 2;
  StartAggregator();
  std::vector<v1::Report> reports;
  for (const char* code : {"01", "14", "20", "38", "42", "44", "45"}) {
    reports.push_back(MakeReport(code, "2025H1", 1, {}));
  }
  Push(reports);
  auto watch = Open(0);
  ASSERT_TRUE(watch->ReadChanges(7));
  for (size_t i = 1; i < watch->changes.size(); ++i) {
    EXPECT_LT(watch->changes[i - 1].change().sequence(), watch->changes[i].change().sequence());
  }
  EXPECT_EQ(watch->changes.size(), 7u);
  // Then live again.
  ASSERT_TRUE(Review("accept", "45", "2025H1", 1).ok());
  ASSERT_TRUE(watch->ReadChanges(8));
  EXPECT_EQ(watch->changes.back().change().event(), "accepted");
  watch->End();
}

TEST_F(WatchTest, AProvinceFollowsOnlyItsOwnReports) {
  auto son_la = Open(0, v1::ROLE_PROVINCE_REPORTER, "14");
  ASSERT_TRUE(son_la->ReadOne());
  Push({MakeReport("20", "2024H1", 1, {}), MakeReport("14", "2024H1", 1, {})});
  ASSERT_TRUE(son_la->ReadChanges(1));
  EXPECT_THAT(Events(son_la->changes), ElementsAre("14:received"));
  son_la->End();

  EXPECT_EQ(Refusal(0, v1::ROLE_PROVINCE_REPORTER, "14", {"20"}).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(WatchTest, BadRequestsAreRefusedWithTheirFields) {
  grpc::Status negative = Refusal(-1);
  EXPECT_EQ(negative.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(negative.error_message(), HasSubstr("after_sequence"));
  grpc::Status bad_code = Refusal(0, v1::ROLE_SERVICE, "VUSTA", {"14\n"});
  EXPECT_EQ(bad_code.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad_code.error_message(), HasSubstr("organization_codes[0]"));
  // A cursor from a feed that was replaced cannot silently wait.
  grpc::Status ahead = Refusal(1000);
  EXPECT_EQ(ahead.error_code(), grpc::StatusCode::OUT_OF_RANGE);
  EXPECT_THAT(ahead.error_message(), HasSubstr("ahead of the feed"));

  auto anonymous = fedtest::AnonymousContext();
  auto reader = agg_->WatchChanges(anonymous.get(), v1::WatchChangesRequest());
  v1::WatchChangesResponse answer;
  EXPECT_FALSE(reader->Read(&answer));
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(WatchTest, ASequenceOlderThanRetentionIsAClearError) {
  Push({MakeReport("14", "2024H1", 1, {}), MakeReport("20", "2024H1", 1, {})});
  ASSERT_TRUE(Review("accept", "14", "2024H1", 1).ok());
  // Everything recorded before now is past retention; the newest stays.
  FeedPruner pruner(*agg_pool_, absl::ZeroDuration());
  auto pruned = pruner.PruneOnce();
  ASSERT_TRUE(pruned.ok()) << pruned.status();
  EXPECT_EQ(*pruned, 2);

  grpc::Status old = Refusal(0);
  EXPECT_EQ(old.error_code(), grpc::StatusCode::OUT_OF_RANGE);
  EXPECT_THAT(old.error_message(), HasSubstr("no longer kept"));
  v1::ListChangesRequest list;
  v1::ListChangesResponse listed;
  EXPECT_EQ(
      agg_->ListChanges(ContextAs(v1::ROLE_SERVICE, "VUSTA").get(), list, &listed).error_code(),
      grpc::StatusCode::OUT_OF_RANGE);

  // Asked to, the stream starts at what is kept and says so.
  auto skipping = Open(0, v1::ROLE_SERVICE, "VUSTA", {}, /*skip_pruned=*/true);
  ASSERT_TRUE(skipping->ReadChanges(1));
  EXPECT_TRUE(skipping->answers.front().pruned_gap());
  EXPECT_THAT(Events(skipping->changes), ElementsAre("14:accepted"));
  skipping->End();
}

TEST_F(WatchTest, StreamsEndWithUnavailableWhenTheAggregatorStops) {
  auto watch = Open(0);
  ASSERT_TRUE(watch->ReadOne());
  tail_->Stop();
  while (watch->ReadOne()) {
  }
  grpc::Status ended = watch->reader->Finish();
  EXPECT_EQ(ended.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(ended.error_message(), HasSubstr("resume after sequence"));
}

}  // namespace
}  // namespace aggregator::testing

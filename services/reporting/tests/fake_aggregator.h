// A stand-in for the national aggregator at the network boundary: a small
// AggregatorService::CallbackService that stores pushed reports idempotently
// (one acknowledgement per report), serves a change feed the test writes,
// and can be told to fail. The real aggregator is tested end to end
// elsewhere; this proves the forwarder's side of the contract.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <google/protobuf/util/message_differencer.h>
#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "federation/v1/aggregator.grpc.pb.h"
#include "services/common/auth.h"
#include "services/common/client.h"
#include "services/common/server.h"
#include "services/common/status.h"
#include "tests/support/test_env.h"

namespace reporting::testing {

namespace v1 = federation::v1;

using ReportKey = std::tuple<std::string, std::string, int32_t>;  // org, period, revision

// An open WatchChanges stream of the fake; called with the state's lock held.
class FakeWatcher {
 public:
  virtual ~FakeWatcher() = default;
  virtual void Pump() = 0;  // send what is new
  virtual void End() = 0;   // finish (the fake is stopping)
};

// Everything the fake knows; shared by the service objects of successive
// servers, so that the "aggregator" survives its own restart.
struct FakeAggregatorState {
  enum class PushMode {
    kNormal,
    // Every PushReports call fails at once with UNAVAILABLE.
    kUnavailable,
    // The next report is stored, then the stream breaks before its ack.
    kDropNextAck,
  };

  absl::Mutex mu;
  PushMode mode ABSL_GUARDED_BY(mu) = PushMode::kNormal;
  // Organisations whose pushes are refused as INVALID.
  std::set<std::string> refuse ABSL_GUARDED_BY(mu);
  // Organisations whose pushes cannot be checked now (RETRY_LATER), as when
  // the real aggregator cannot reach the registry.
  std::set<std::string> undecided ABSL_GUARDED_BY(mu);
  // Organisations whose reports the national side holds at a higher
  // revision than any pushed here (another system pushed it).
  std::map<std::string, int> newer ABSL_GUARDED_BY(mu);
  std::map<ReportKey, v1::Report> stored ABSL_GUARDED_BY(mu);
  // How often each revision arrived (retries included).
  std::map<ReportKey, int> received ABSL_GUARDED_BY(mu);
  int streams ABSL_GUARDED_BY(mu) = 0;
  std::set<std::string> push_subjects ABSL_GUARDED_BY(mu);
  std::vector<v1::ReportChange> changes ABSL_GUARDED_BY(mu);
  std::vector<v1::WatchChangesRequest> watch_requests ABSL_GUARDED_BY(mu);
  std::set<FakeWatcher*> watchers ABSL_GUARDED_BY(mu);

  void EndWatches() {
    absl::MutexLock lock(&mu);
    for (FakeWatcher* w : watchers) w->End();
  }

  void SetMode(PushMode next) {
    absl::MutexLock lock(&mu);
    mode = next;
  }
  // Pushes of `org` are refused as INVALID from now on.
  void Refuse(const std::string& org) {
    absl::MutexLock lock(&mu);
    refuse.insert(org);
  }

  // Decides one pushed report, as the real intake would.
  v1::PushAck Accept(const v1::PushedReport& pushed, bool* drop) {
    absl::MutexLock lock(&mu);
    const v1::Report& report = pushed.report();
    const ReportKey key{report.organization_code(), report.period(), report.revision()};
    ++received[key];
    v1::PushAck ack;
    ack.set_client_ref(pushed.client_ref());
    ack.set_organization_code(report.organization_code());
    ack.set_period(report.period());
    ack.set_revision(report.revision());
    if (refuse.count(report.organization_code()) != 0) {
      ack.set_outcome(v1::PUSH_OUTCOME_INVALID);
      auto* violation = ack.add_violations();
      violation->set_field("values[3].count");
      violation->set_description("members must not be negative");
      return ack;
    }
    if (auto held = newer.find(report.organization_code());
        held != newer.end() && held->second >= report.revision()) {
      ack.set_outcome(v1::PUSH_OUTCOME_STALE_REVISION);
      ack.set_state(v1::REPORT_STATE_SUBMITTED);
      ack.set_latest_revision(held->second);
      return ack;
    }
    if (undecided.count(report.organization_code()) != 0) {
      ack.set_outcome(v1::PUSH_OUTCOME_RETRY_LATER);
      ack.set_detail("organization_code could not be checked: registry unavailable");
      return ack;
    }
    auto it = stored.find(key);
    if (it == stored.end()) {
      stored[key] = report;
      ack.set_outcome(v1::PUSH_OUTCOME_STORED);
      if (mode == PushMode::kDropNextAck) {
        mode = PushMode::kNormal;
        *drop = true;
      }
    } else if (google::protobuf::util::MessageDifferencer::Equals(it->second, report)) {
      ack.set_outcome(v1::PUSH_OUTCOME_DUPLICATE);
    } else {
      ack.set_outcome(v1::PUSH_OUTCOME_CONFLICT);
    }
    ack.set_state(v1::REPORT_STATE_SUBMITTED);
    ack.set_latest_revision(report.revision());
    return ack;
  }

  // A review decision (or any event) appended to the change feed.
  void AddChange(const std::string& org, const std::string& period, int32_t revision,
                 const std::string& event, v1::ReportState state, const std::string& comment) {
    absl::MutexLock lock(&mu);
    v1::ReportChange& change = changes.emplace_back();
    change.set_sequence(static_cast<int64_t>(changes.size()) * 10);  // gaps are allowed
    change.set_organization_code(org);
    change.set_period(period);
    change.set_revision(revision);
    change.set_event(event);
    change.set_state(state);
    change.set_comment(comment);
    change.mutable_at()->set_seconds(1767225600);  // 2026-01-01
    change.set_actor("reviewer@vusta");
    for (FakeWatcher* w : watchers) w->Pump();
  }

  int Received(const ReportKey& key) {
    absl::MutexLock lock(&mu);
    auto it = received.find(key);
    return it == received.end() ? 0 : it->second;
  }
  size_t StoredCount() {
    absl::MutexLock lock(&mu);
    return stored.size();
  }
  bool Has(const ReportKey& key) {
    absl::MutexLock lock(&mu);
    return stored.count(key) != 0;
  }
};

class FakeAggregator final : public v1::AggregatorService::CallbackService {
 public:
  explicit FakeAggregator(std::shared_ptr<FakeAggregatorState> state) : state_(std::move(state)) {}

  grpc::ServerBidiReactor<v1::PushedReport, v1::PushAck>* PushReports(
      grpc::CallbackServerContext* ctx) override {
    return new PushReactor(state_.get(), ctx);
  }

  grpc::ServerWriteReactor<v1::WatchChangesResponse>* WatchChanges(
      grpc::CallbackServerContext* ctx, const v1::WatchChangesRequest* request) override {
    return new WatchReactor(state_.get(), ctx, *request);
  }

 private:
  // One message at a time: read a report, write its ack, read the next. With
  // never more than one operation outstanding, no two callbacks race.
  class PushReactor : public grpc::ServerBidiReactor<v1::PushedReport, v1::PushAck> {
   public:
    PushReactor(FakeAggregatorState* state, grpc::CallbackServerContext* ctx) : state_(state) {
      auto who = fed::Authenticate(*ctx, fedtest::TestVerifier("aggregator"));
      if (!who.ok()) {
        Finish(fed::ToGrpcStatus(who.status()));
        return;
      }
      bool unavailable;
      {
        absl::MutexLock lock(&state_->mu);
        ++state_->streams;
        state_->push_subjects.insert(absl::StrCat(who->subject, "/", fed::RoleName(who->role)));
        unavailable = state_->mode == FakeAggregatorState::PushMode::kUnavailable;
      }
      if (unavailable) {
        Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the fake aggregator is down"));
        return;
      }
      StartRead(&request_);
    }

    void OnReadDone(bool ok) override {
      if (!ok) {  // the client is done writing (or gone)
        Finish(grpc::Status::OK);
        return;
      }
      bool drop = false;
      ack_ = state_->Accept(request_, &drop);
      if (drop) {
        Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection lost before the ack"));
        return;
      }
      StartWrite(&ack_);
    }

    void OnWriteDone(bool ok) override {
      if (!ok) {
        Finish(grpc::Status(grpc::StatusCode::CANCELLED, "write failed"));
        return;
      }
      StartRead(&request_);
    }

    void OnDone() override { delete this; }

   private:
    FakeAggregatorState* state_;
    v1::PushedReport request_;
    v1::PushAck ack_;
  };

  // Sends every change after the caller's cursor that passes its filter,
  // one answer at a time, as the real stream does (without heartbeats).
  class WatchReactor : public grpc::ServerWriteReactor<v1::WatchChangesResponse>,
                       public FakeWatcher {
   public:
    WatchReactor(FakeAggregatorState* state, grpc::CallbackServerContext* ctx,
                 const v1::WatchChangesRequest& request)
        : state_(state) {
      auto who = fed::Authenticate(*ctx, fedtest::TestVerifier("aggregator"));
      absl::MutexLock lock(&state_->mu);
      if (!who.ok()) {
        done_ = true;
        Finish(fed::ToGrpcStatus(who.status()));
        return;
      }
      state_->watch_requests.push_back(request);
      cursor_ = request.after_sequence();
      organizations_.insert(request.organization_codes().begin(),
                            request.organization_codes().end());
      state_->watchers.insert(this);
      Pump();
    }

    void Pump() override {
      state_->mu.AssertHeld();
      if (writing_ || done_) return;
      if (ending_) {
        done_ = true;
        Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the fake aggregator is stopping"));
        return;
      }
      answer_.Clear();
      for (const auto& change : state_->changes) {
        if (change.sequence() <= cursor_) continue;
        if (!organizations_.empty() && !organizations_.count(change.organization_code())) continue;
        *answer_.add_changes()->mutable_change() = change;
        cursor_ = change.sequence();
      }
      if (answer_.changes_size() == 0 && !first_) return;
      first_ = false;
      answer_.set_through_sequence(cursor_);
      answer_.set_live(true);
      writing_ = true;
      StartWrite(&answer_);
    }

    void End() override {
      state_->mu.AssertHeld();
      ending_ = true;
      Pump();
    }

    void OnWriteDone(bool ok) override {
      absl::MutexLock lock(&state_->mu);
      writing_ = false;
      if (!ok) ending_ = true;
      Pump();
    }

    void OnCancel() override {
      absl::MutexLock lock(&state_->mu);
      ending_ = true;
      Pump();
    }

    void OnDone() override {
      {
        absl::MutexLock lock(&state_->mu);
        state_->watchers.erase(this);
      }
      delete this;
    }

   private:
    FakeAggregatorState* state_;
    // Touched only under state_->mu.
    int64_t cursor_ = 0;
    std::set<std::string> organizations_;
    v1::WatchChangesResponse answer_;
    bool first_ = true;
    bool writing_ = false;
    bool ending_ = false;
    bool done_ = false;
  };

  std::shared_ptr<FakeAggregatorState> state_;
};

// A fake aggregator on a loopback port that can be stopped and started again
// on the same port.
class FakeAggregatorServer {
 public:
  FakeAggregatorServer() : state_(std::make_shared<FakeAggregatorState>()) { Start(); }
  ~FakeAggregatorServer() { Stop(); }

  void Start() {
    service_ = std::make_unique<FakeAggregator>(state_);
    int bound = 0;
    auto server = fed::StartGrpcServer(absl::StrCat("127.0.0.1:", port_), {service_.get()}, &bound);
    if (!server.ok()) throw std::runtime_error(std::string(server.status().message()));
    server_ = *std::move(server);
    port_ = bound;
    // The only aggregator, so the active one: the forwarder pushes only to
    // a replica that says so.
    fed::SetHealth({server_.get()}, fed::kAggregatorIntakeHealth, true);
  }
  void Stop() {
    if (!server_) return;
    state_->EndWatches();  // or the shutdown waits for them
    server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
    server_->Wait();
    server_.reset();
    service_.reset();
  }

  std::string address() const { return absl::StrCat("127.0.0.1:", port_); }
  FakeAggregatorState& state() { return *state_; }

 private:
  std::shared_ptr<FakeAggregatorState> state_;
  std::unique_ptr<FakeAggregator> service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace reporting::testing

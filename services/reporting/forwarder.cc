#include "services/reporting/forwarder.h"

#include <map>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "services/common/client.h"
#include "services/common/enum_names.h"
#include "services/common/log.h"
#include "services/common/status.h"
#include "services/reporting/storage.h"

namespace reporting {
namespace {

// The lock of the replica that forwards ("FEDFWD").
constexpr int64_t kForwarderLockKey = 0x464544465744;

std::shared_ptr<grpc::Channel> OpenChannel(const ForwarderOptions& options) {
  // gRPC's own reconnect backoff (default up to two minutes) would hide an
  // aggregator that is back; keep it within ours.
  grpc::ChannelArguments args;
  const int initial_ms = static_cast<int>(absl::ToInt64Milliseconds(options.backoff_initial));
  const int max_ms = static_cast<int>(absl::ToInt64Milliseconds(options.backoff_max));
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, std::max(initial_ms, 1));
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, std::max(initial_ms, 1));
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, std::max(max_ms, 1));
  // Pushes go to the active aggregator only: a standby writes nothing.
  return fed::OpenChannel(options.aggregator_target, args, fed::kAggregatorIntakeHealth);
}

std::string OutcomeName(v1::PushOutcome outcome) { return fed::EnumWord(outcome); }

std::string RefusalReason(const v1::PushAck& ack) {
  if (ack.outcome() == v1::PUSH_OUTCOME_STALE_REVISION) {
    return absl::StrCat("the national office already holds revision ", ack.latest_revision(),
                        " (sent by another system); this revision does not count");
  }
  std::vector<std::string> parts;
  for (const auto& violation : ack.violations()) {
    parts.push_back(absl::StrCat(violation.field(), ": ", violation.description()));
  }
  if (parts.empty()) return "no details given";
  return absl::StrJoin(parts, "; ");
}

}  // namespace

class Forwarder::ActiveCall {
 public:
  ActiveCall(Forwarder* forwarder, grpc::ClientContext* ctx) : forwarder_(forwarder) {
    absl::MutexLock lock(&forwarder_->mu_);
    forwarder_->active_ = ctx;
    if (forwarder_->stopping_) ctx->TryCancel();
  }
  ~ActiveCall() {
    absl::MutexLock lock(&forwarder_->mu_);
    forwarder_->active_ = nullptr;
  }

 private:
  Forwarder* forwarder_;
};

Forwarder::Forwarder(fed::DbPool& db, ForwarderOptions options)
    : db_(db),
      options_(std::move(options)),
      channel_(OpenChannel(options_)),
      stub_(v1::AggregatorService::NewStub(channel_)),
      calls_("aggregator", "reporting"),
      random_(std::random_device{}()),
      lock_(options_.lock_url.empty()
                ? nullptr
                : std::make_unique<fed::SessionLock>(options_.lock_url, kForwarderLockKey,
                                                     "reporting-forwarder")),
      loop_("forwarder", [this] { return Round(); }) {}

Forwarder::~Forwarder() { Stop(); }

void Forwarder::Start() { loop_.Start(); }

void Forwarder::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    if (active_ != nullptr) active_->TryCancel();
  }
  loop_.Stop();
  if (decisions_ != nullptr) decisions_->Stop();  // the loop, which makes it, has ended
}

void Forwarder::Wake() { loop_.Wake(); }

bool Forwarder::stopping() {
  absl::MutexLock lock(&mu_);
  return stopping_;
}

absl::Duration Forwarder::Backoff(int failures) {
  absl::Duration cap = options_.backoff_initial;
  for (int i = 1; i < failures && cap < options_.backoff_max; ++i) cap *= 2;
  cap = std::min(cap, options_.backoff_max);
  std::uniform_int_distribution<int64_t> jitter(
      0, std::max<int64_t>(absl::ToInt64Microseconds(cap), 0));
  return absl::Microseconds(jitter(random_));
}

void Forwarder::RecordError(const absl::Status& status) {
  const std::string text =
      absl::StrCat("aggregator at ", options_.aggregator_target, ": ", status.ToString());
  // While the aggregator stays down, say so once, not on every retry.
  if (text == last_error_) {
    spdlog::debug("event=forward_failed error={}", fed::LogQuoted(text));
    return;
  }
  spdlog::warn("event=forward_failed error={}", fed::LogQuoted(text));
  absl::Status saved = db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    storage::SaveForwarderError(txn, text);
    return absl::OkStatus();
  });
  if (saved.ok()) last_error_ = text;
  error_recorded_ = true;
}

void Forwarder::ClearError() {
  if (!error_recorded_) return;
  absl::Status status = db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    storage::SaveForwarderError(txn, "");
    return absl::OkStatus();
  });
  if (status.ok()) {
    error_recorded_ = false;
    last_error_.clear();
    spdlog::info("event=forward_recovered target={}", options_.aggregator_target);
  }
}

void Forwarder::MeasureBacklog() {
  if (absl::Now() - backlog_measured_ < absl::Seconds(1)) return;
  backlog_measured_ = absl::Now();
  std::map<std::string, int64_t> pending;
  if (!db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
            pending = storage::PendingByOrganization(txn);
            return absl::OkStatus();
          })
           .ok()) {
    return;  // the push that follows reports the database's trouble
  }
  for (auto& [organization, gauge] : backlog_) {
    if (pending.count(organization) == 0) gauge->Set(0);
  }
  for (const auto& [organization, count] : pending) {
    prometheus::Gauge*& gauge = backlog_[organization];
    if (gauge == nullptr) {
      gauge = &fed::metrics::Gauge("fed_outbox_backlog",
                                   "Submitted reports not yet acknowledged by the aggregator.",
                                   {{"organization", organization}});
    }
    gauge->Set(static_cast<double>(count));
  }
}

fed::BackgroundLoop::Next Forwarder::Round() {
  if (first_round_) {
    first_round_ = false;
    spdlog::info("event=forwarder_started target={}", options_.aggregator_target);
    // An error left behind by the previous process says nothing about now.
    (void)db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
      storage::SaveForwarderError(txn, "");
      return absl::OkStatus();
    });
  }
  // Another replica forwards: it finds the rows written here at its next
  // look at the outbox (--outbox_check_interval_ms).
  if (lock_ && !lock_->Hold()) return {options_.outbox_check_interval};
  MeasureBacklog();
  bool more = false;
  absl::Status status = PushPendingOnce(&more);
  if (status.ok() && check_followed_) status = FollowDecisions();
  if (stopping()) return {absl::ZeroDuration()};
  if (!status.ok()) {
    RecordError(status);
    ++failures_;
    // Submissions do not cut a backoff short: on deadline day they would
    // turn it into a retry per submission.
    return {Backoff(failures_), /*wakeable=*/false};
  }
  failures_ = 0;
  ClearError();
  if (more) return {absl::ZeroDuration()};
  return {options_.outbox_check_interval};
}

absl::Status Forwarder::PushPendingOnce(bool* more) {
  *more = false;
  std::vector<storage::OutboxRow> rows;
  RETURN_IF_ERROR(db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    rows = storage::PendingOutbox(txn, options_.batch_size);
    return absl::OkStatus();
  }));
  if (rows.empty()) return absl::OkStatus();
  const bool full_batch = static_cast<int>(rows.size()) == options_.batch_size;

  // A row that cannot be read must not block the ones behind it.
  std::vector<v1::PushedReport> messages;
  std::vector<storage::OutboxRow> readable;
  std::vector<int64_t> unreadable;
  for (auto& row : rows) {
    v1::PushedReport message;
    message.set_client_ref(absl::StrCat(row.id));
    if (message.mutable_report()->ParseFromString(row.payload)) {
      messages.push_back(std::move(message));
      readable.push_back(std::move(row));
    } else {
      unreadable.push_back(row.id);
    }
  }
  if (!unreadable.empty()) {
    spdlog::error("event=outbox_unreadable rows={}", unreadable.size());
    RETURN_IF_ERROR(db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
      for (int64_t id : unreadable) {
        storage::MarkOutboxFailed(txn, id, "UNREADABLE", "the stored report cannot be decoded");
      }
      return absl::OkStatus();
    }));
  }
  rows = std::move(readable);
  if (rows.empty()) {
    *more = full_batch;
    return absl::OkStatus();
  }
  std::map<std::string, size_t> by_ref;
  std::map<std::tuple<std::string, std::string, int32_t>, size_t> by_key;
  for (size_t i = 0; i < rows.size(); ++i) {
    by_ref[messages[i].client_ref()] = i;
    by_key[{rows[i].organization_code, rows[i].period, rows[i].revision}] = i;
  }

  // Write everything from one thread while this one reads the
  // acknowledgements as they come (the aggregator acks each report once it
  // is durable, possibly before it has read the rest).
  std::vector<v1::PushAck> acks;
  std::unique_ptr<grpc::ClientContext> call = calls_.Context(options_.call_timeout);
  grpc::ClientContext& ctx = *call;
  grpc::Status stream_status;
  {
    ActiveCall active(this, &ctx);
    auto stream = stub_->PushReports(&ctx);
    std::thread writer([&] {
      for (const auto& message : messages) {
        if (!stream->Write(message)) return;
      }
      stream->WritesDone();
    });
    v1::PushAck ack;
    while (stream->Read(&ack)) acks.push_back(ack);
    writer.join();
    stream_status = stream->Finish();
  }

  // Every acknowledgement that arrived counts, even if the stream then broke.
  std::vector<const v1::PushAck*> ack_of(rows.size(), nullptr);
  for (const auto& ack : acks) {
    auto ref = by_ref.find(ack.client_ref());
    size_t index;
    if (ref != by_ref.end()) {
      index = ref->second;
    } else if (auto key = by_key.find({ack.organization_code(), ack.period(), ack.revision()});
               key != by_key.end()) {
      index = key->second;
    } else {
      spdlog::warn("event=unmatched_ack client_ref={} org={} period={} revision={}",
                   fed::LogQuoted(ack.client_ref()), fed::LogQuoted(ack.organization_code()),
                   fed::LogQuoted(ack.period()), ack.revision());
      continue;
    }
    ack_of[index] = &ack;
  }
  const std::string no_ack_reason =
      stream_status.ok()
          ? "no acknowledgement"
          : absl::StrCat("no acknowledgement: ", fed::FromGrpcStatus(stream_status).ToString());
  int delivered = 0, refused = 0, unacknowledged = 0;
  std::string undecided_reason;  // why the first undecided report was left so
  RETURN_IF_ERROR(db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    delivered = refused = unacknowledged = 0;
    undecided_reason.clear();
    for (size_t i = 0; i < rows.size(); ++i) {
      const v1::PushAck* ack = ack_of[i];
      const v1::PushOutcome outcome = ack ? ack->outcome() : v1::PUSH_OUTCOME_UNSPECIFIED;
      switch (outcome) {
        case v1::PUSH_OUTCOME_STORED:
        case v1::PUSH_OUTCOME_DUPLICATE:
          storage::MarkOutboxDelivered(txn, rows[i].id, OutcomeName(outcome));
          ++delivered;
          break;
        // A stale revision was received but does not count: to the province
        // it is a refusal to act on, never "delivered".
        case v1::PUSH_OUTCOME_STALE_REVISION:
        case v1::PUSH_OUTCOME_INVALID:
        case v1::PUSH_OUTCOME_DENIED:
        case v1::PUSH_OUTCOME_CONFLICT: {
          const std::string reason = RefusalReason(*ack);
          storage::MarkOutboxFailed(txn, rows[i].id, OutcomeName(outcome), reason);
          storage::AppendPushRefused(txn, rows[i].id,
                                     absl::StrCat(OutcomeName(outcome), ": ", reason));
          ++refused;
          break;
        }
        case v1::PUSH_OUTCOME_RETRY_LATER:
          // The national side could not decide now: not the province's
          // fault, never a failure. Tried again after the backoff.
          storage::MarkOutboxAttempt(
              txn, rows[i].id, absl::StrCat("the aggregator will decide later: ", ack->detail()));
          if (undecided_reason.empty()) undecided_reason = ack->detail();
          ++unacknowledged;
          break;
        default:
          // Also an outcome this build does not know (a newer aggregator):
          // kept and tried again rather than guessed at.
          storage::MarkOutboxAttempt(txn, rows[i].id,
                                     ack ? "acknowledged without an outcome" : no_ack_reason);
          ++unacknowledged;
      }
    }
    return absl::OkStatus();
  }));
  // A report delivered for an organisation not followed yet brings it in.
  if (delivered > 0) check_followed_ = true;
  if (delivered + refused > 0) {
    spdlog::info("event=pushed reports={} delivered={} refused={} unacknowledged={}", rows.size(),
                 delivered, refused, unacknowledged);
  }
  if (refused > 0) {
    spdlog::warn("event=push_refused count={} (see GetOutboxStatus)", refused);
  }
  if (!stream_status.ok()) {
    absl::Status status = fed::FromGrpcStatus(stream_status);
    return absl::Status(status.code(), absl::StrCat("PushReports: ", status.message()));
  }
  if (unacknowledged > 0) {
    return absl::UnavailableError(
        absl::StrCat("PushReports left ", unacknowledged, " of ", rows.size(), " reports undecided",
                     undecided_reason.empty() ? "" : absl::StrCat(" (", undecided_reason, ")")));
  }
  *more = full_batch;
  return absl::OkStatus();
}

absl::Status Forwarder::FollowDecisions() {
  std::vector<std::string> organizations;
  int64_t cursor = 0;
  RETURN_IF_ERROR(db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    organizations = storage::SubmittingOrganizations(txn);
    cursor = storage::LoadChangeCursor(txn);
    return absl::OkStatus();
  }));
  check_followed_ = false;
  // No organisation here has submitted anything: nothing to hear about (and
  // an empty filter would mean "everything").
  if (organizations.empty()) return absl::OkStatus();
  if (decisions_ != nullptr) {
    decisions_->SetOrganizations(std::move(organizations));
    return absl::OkStatus();
  }
  fed::FeedFollower::Options follow;
  follow.organizations = std::move(organizations);
  follow.first_backoff = options_.backoff_initial;
  follow.max_backoff = options_.backoff_max;
  decisions_ = std::make_unique<fed::FeedFollower>(
      channel_, &calls_, cursor,
      [this](const fed::FeedFollower::Batch& batch) { return ApplyDecisions(batch); },
      [] {
        // Decisions older than the feed keeps are lost to this follower;
        // the reports they concern stay as they were here. Said loudly:
        // only a forwarder down for longer than the retention gets here.
        spdlog::error("event=decisions_gap (the aggregator pruned decisions not yet applied)");
        return absl::OkStatus();
      },
      follow);
  decisions_->Start();
  return absl::OkStatus();
}

absl::Status Forwarder::ApplyDecisions(const fed::FeedFollower::Batch& batch) {
  int applied = 0;
  RETURN_IF_ERROR(db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    applied = 0;
    // Another forwarder (a second replica) may have applied some already.
    const int64_t cursor = storage::LoadChangeCursor(txn);
    for (const auto& described : batch.changes) {
      if (described.change().sequence() <= cursor) continue;
      if (storage::ApplyChange(txn, described.change())) ++applied;
    }
    storage::SaveChangeCursor(txn, std::max(cursor, batch.through));
    return absl::OkStatus();
  }));
  if (applied > 0) {
    spdlog::info("event=decisions_applied count={} cursor={}", applied, batch.through);
  }
  return absl::OkStatus();
}

}  // namespace reporting

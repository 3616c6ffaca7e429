#include "services/aggregator/intake.h"

#include <google/protobuf/util/json_util.h>

#include <map>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/aggregator/access.h"
#include "services/aggregator/storage.h"
#include "services/aggregator/validate.h"
#include "services/common/dates.h"
#include "services/common/digest.h"
#include "services/common/ended_organizations.h"
#include "services/common/enum_names.h"
#include "services/common/log.h"
#include "services/common/period.h"

namespace aggregator {
namespace {

// The content that makes a revision what it is: values and narrative (not
// timestamps a retry might change).
std::string ContentHash(const v1::Report& report) {
  v1::Report content;
  content.set_organization_code(report.organization_code());
  content.set_period(report.period());
  content.set_revision(report.revision());
  *content.mutable_values() = report.values();
  *content.mutable_narrative() = report.narrative();
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  content.SerializeToCodedStream(&coded);
  coded.Trim();
  return fed::Sha256Hex(bytes);
}

std::string ToJson(const v1::Report& report) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(report, &json, options);
  return json;
}

// How long the suite's reporting service may have held a report in its
// outbox (the national side down, a network cut) before the intake read it.
constexpr absl::Duration kOutboxWindow = absl::Hours(14 * 24);

// When a report counts as submitted, which decides whether it was on time:
// the receipt time, unless a trusted pusher states an earlier one that lies
// after the period began:
//   - the suite's reporting service (role service) forwards from its outbox
//     a report the province submitted there, which an outage may have held:
//     its stated time counts within kOutboxWindow before receipt;
//   - the national office (national_admin) importing earlier years' records
//     (the demo history, paper archives): its stated time counts.
// A province's stated time is a claim, not a fact: its own token could
// otherwise make a late report look on time.
absl::Time SubmittedAt(const v1::Report& report, const fed::Period& period,
                       const fed::Principal& pusher, absl::Time received) {
  if (!report.has_submitted_at()) return received;
  const absl::Time stated = absl::FromUnixSeconds(report.submitted_at().seconds()) +
                            absl::Nanoseconds(report.submitted_at().nanos());
  if (stated > received || stated < absl::FromCivil(period.FirstDay(), fed::VietnamTimeZone())) {
    return received;
  }
  switch (pusher.role) {
    case v1::ROLE_NATIONAL_ADMIN:
      return stated;
    case v1::ROLE_SERVICE:
      return stated >= received - kOutboxWindow ? stated : received;
    default:
      return received;
  }
}

v1::PushAck AckFor(const v1::PushedReport& pushed, v1::PushOutcome outcome) {
  v1::PushAck ack;
  ack.set_client_ref(pushed.client_ref());
  ack.set_organization_code(pushed.report().organization_code());
  ack.set_period(pushed.report().period());
  ack.set_revision(pushed.report().revision());
  ack.set_outcome(outcome);
  return ack;
}

}  // namespace

Admission AdmitPush(const v1::PushedReport& pushed, const fed::Principal& pusher,
                    Directory& directory, v1::PushAck* ack) {
  const v1::Report& report = pushed.report();
  *ack = AckFor(pushed, v1::PUSH_OUTCOME_UNSPECIFIED);
  if (absl::Status denied = RequirePusher(pusher, report.organization_code()); !denied.ok()) {
    ack->set_outcome(v1::PUSH_OUTCOME_DENIED);
    auto* v = ack->add_violations();
    v->set_field("report.organization_code");
    v->set_description(std::string(denied.message()));
    return Admission::kRefused;
  }
  fed::Violations violations = ValidatePushedReport(report, fed::Today());
  if (violations.empty()) {
    // The organisation must exist and be active at some point of the period.
    auto org = directory.Organization(report.organization_code());
    if (!org.ok() && org.status().code() != absl::StatusCode::kNotFound) {
      ack->set_outcome(v1::PUSH_OUTCOME_RETRY_LATER);
      ack->set_detail(absl::StrCat("organization_code ", report.organization_code(),
                                   " could not be checked: ", org.status().message()));
      return Admission::kRetryLater;
    }
    if (!org.ok()) {
      violations.Add("organization_code",
                     absl::StrCat("no organisation with code ", report.organization_code()));
    } else if (absl::Status ended = fed::RequireStillWriting(pusher, *org); !ended.ok()) {
      ack->set_outcome(v1::PUSH_OUTCOME_DENIED);
      auto* v = ack->add_violations();
      v->set_field("report.organization_code");
      v->set_description(std::string(ended.message()));
      return Admission::kRefused;
    } else {
      CheckActiveDuring(violations, *org, report);
    }
  }
  if (violations.empty()) return Admission::kAdmitted;
  ack->set_outcome(v1::PUSH_OUTCOME_INVALID);
  *ack->mutable_violations() = violations.errors().violations();
  return Admission::kRefused;
}

Intake::Intake(fed::DbPool& db, Figures& figures, Directory& directory, int max_batch,
               IntakeLimits limits, const Leadership* leadership)
    : db_(db),
      figures_(figures),
      directory_(directory),
      leadership_(leadership),
      max_batch_(max_batch),
      limits_(limits),
      queue_depth_(fed::metrics::Gauge("fed_intake_queue_depth",
                                       "Pushed reports waiting for the committer.")),
      batch_size_(fed::metrics::Histogram(
          "fed_intake_batch_size", "Reports per intake transaction (group commit).",
          prometheus::Histogram::BucketBoundaries{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000})) {
  // One counter per acknowledgement, made here so that counting takes no lock.
  const auto* outcomes = google::protobuf::GetEnumDescriptor<v1::PushOutcome>();
  for (int i = 1; i < outcomes->value_count(); ++i) {
    const auto outcome = static_cast<v1::PushOutcome>(outcomes->value(i)->number());
    outcomes_[outcome] = &fed::metrics::Counter(
        "fed_intake_reports_total", "Pushed reports decided by the intake, by acknowledgement.",
        {{"outcome", fed::EnumWordLower(outcome)}});
  }
  preparer_ = std::thread([this] { RunPreparer(); });
  for (int i = 0; i < kCommitters; ++i) committers_.emplace_back([this] { RunCommitter(); });
  acknowledger_ = std::thread([this] { RunAcknowledger(); });
}

Intake::~Intake() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  preparer_.join();
  for (auto& committer : committers_) committer.join();
  acknowledger_.join();
}

absl::Status Intake::Submit(PushItem item) {
  std::string pusher = absl::StrCat(fed::RoleName(item.pusher.role), "|",
                                    item.pusher.organization_code, "|", item.pusher.subject);
  absl::MutexLock lock(&mu_);
  auto queue = waiting_.find(pusher);
  if (queue != waiting_.end() &&
      static_cast<int>(queue->second.size()) >= limits_.max_waiting_per_pusher) {
    return absl::ResourceExhaustedError(
        absl::StrCat(limits_.max_waiting_per_pusher,
                     " reports of this caller already wait to be written; push the rest again "
                     "once they are acknowledged"));
  }
  if (waiting_count_ >= limits_.max_waiting) {
    return absl::ResourceExhaustedError(
        absl::StrCat("the intake holds ", limits_.max_waiting,
                     " reports waiting to be written; push again later"));
  }
  if (queue == waiting_.end()) {
    queue = waiting_.emplace(pusher, std::deque<PushItem>()).first;
    turns_.push_back(std::move(pusher));
  }
  queue->second.push_back(std::move(item));
  ++waiting_count_;
  held_back_ = false;  // this one may not be
  queue_depth_.Set(waiting_count_);
  return absl::OkStatus();
}

Intake::ReportKey Intake::KeyOf(const PushItem& item) {
  return {item.pushed.report().organization_code(), item.pushed.report().period()};
}

// One report from each pusher in turn: a pusher with thousands waiting
// delays another's report by at most one report of its own per batch. A
// pusher whose next report is of one that a batch in flight holds waits its
// turn (its reports stay in order) until that batch is written.
std::vector<PushItem> Intake::TakeBatch() {
  std::vector<PushItem> batch;
  size_t passed_over = 0;  // pushers in a row whose next report is held back
  while (passed_over < turns_.size() && static_cast<int>(batch.size()) < max_batch_) {
    std::string pusher = std::move(turns_.front());
    turns_.pop_front();
    auto queue = waiting_.find(pusher);
    if (in_flight_.count(KeyOf(queue->second.front())) > 0) {
      turns_.push_back(std::move(pusher));
      ++passed_over;
      continue;
    }
    passed_over = 0;
    batch.push_back(std::move(queue->second.front()));
    queue->second.pop_front();
    --waiting_count_;
    if (queue->second.empty()) {
      waiting_.erase(queue);
    } else {
      turns_.push_back(std::move(pusher));
    }
  }
  // No other batch may take these reports until this one is written
  // (Land); this one writes several revisions of a report in order.
  for (const PushItem& item : batch) ++in_flight_[KeyOf(item)];
  held_back_ = batch.empty();
  return batch;
}

void Intake::Land(const Batch& batch) {
  for (const PushItem& item : batch.items) {
    auto key = in_flight_.find(KeyOf(item));
    if (--key->second == 0) in_flight_.erase(key);
  }
  held_back_ = false;
}

void Intake::RunPreparer() {
  for (;;) {
    Batch batch;
    {
      absl::MutexLock lock(&mu_, absl::Condition(this, &Intake::CanPrepare));
      if (waiting_count_ == 0) {  // stopping, and everything queued was taken
        preparer_done_ = true;
        return;
      }
      batch.items = TakeBatch();
      queue_depth_.Set(waiting_count_);
      if (batch.items.empty()) continue;  // all held back: wait for a batch to land
      batch.ticket = next_ticket_++;
    }
    PrepareBatch(batch);
    absl::MutexLock lock(&mu_);
    ready_ = std::move(batch);  // free: CanPrepare held, and only this thread fills it
  }
}

void Intake::RunCommitter() {
  for (;;) {
    Batch batch;
    {
      absl::MutexLock lock(&mu_, absl::Condition(this, &Intake::CanCommit));
      if (!ready_.has_value()) {  // the preparer stopped and nothing is left
        --committers_running_;
        return;
      }
      batch = std::move(*ready_);
      ready_.reset();
    }
    batch_size_.Observe(static_cast<double>(batch.items.size()));
    CommitBatch(batch);
    absl::MutexLock lock(&mu_);
    Land(batch);
    HandOver hand_over{this, batch.ticket};
    mu_.Await(absl::Condition(&Intake::CanHandOver, &hand_over));
    written_.emplace(batch.ticket, std::move(batch));
  }
}

void Intake::RunAcknowledger() {
  for (;;) {
    Batch batch;
    {
      absl::MutexLock lock(&mu_, absl::Condition(this, &Intake::CanAcknowledge));
      if (written_.empty()) return;  // the committers stopped and everything is answered
      batch = std::move(written_.begin()->second);
      written_.erase(written_.begin());
      ++next_to_acknowledge_;
    }
    Acknowledge(batch);
  }
}

void Intake::PrepareBatch(Batch& batch) {
  batch.acks.resize(batch.items.size());
  batch.prepared.resize(batch.items.size());
  // Refusals (not allowed, invalid) and reports that cannot be checked now
  // are decided here and cost the transaction nothing.
  for (size_t i = 0; i < batch.items.size(); ++i) {
    const PushItem& item = batch.items[i];
    if (AdmitPush(item.pushed, item.pusher, directory_, &batch.acks[i]) != Admission::kAdmitted) {
      continue;
    }
    batch.admitted.push_back(i);
    const v1::Report& report = item.pushed.report();
    batch.prepared[i] = {ContentHash(report), ToJson(report), ValuesOf(report),
                         storage::ValueTexts(report)};
  }
}

namespace {

// A fault that every report of a batch would meet alike (the database
// restarting, a serialisation conflict): retrying them one by one would only
// meet it again.
bool AffectsEveryReport(const absl::Status& status) {
  return status.code() == absl::StatusCode::kUnavailable ||
         status.code() == absl::StatusCode::kAborted;
}

}  // namespace

void Intake::CommitBatch(Batch& batch) {
  std::vector<v1::PushAck>& acks = batch.acks;
  const std::vector<size_t>& admitted = batch.admitted;
  absl::Status status = WriteAdmitted(batch, admitted);
  if (!status.ok() && !AffectsEveryReport(status)) {
    // The database refused something in the batch that validation let
    // through. One province's report must not fail the others' that share
    // its commit: each is written alone, and one that still fails is left
    // undecided (RETRY_LATER), not refused: it may be the national side's
    // fault, and faults never become refusals.
    spdlog::warn("event=push_batch_split size={} error={}", admitted.size(),
                 fed::LogQuoted(status.message()));
    for (size_t i : admitted) {
      absl::Status alone = WriteAdmitted(batch, {i});
      if (alone.ok()) continue;
      const v1::Report& report = batch.items[i].pushed.report();
      spdlog::error("event=push_not_stored org={} period={} revision={} error={}",
                    fed::LogQuoted(report.organization_code()), fed::LogQuoted(report.period()),
                    report.revision(), fed::LogQuoted(alone.message()));
      acks[i] = AckFor(batch.items[i].pushed, v1::PUSH_OUTCOME_RETRY_LATER);
      acks[i].set_detail(absl::StrCat("the national database could not store this report (",
                                      alone.message(), "); nothing was stored"));
    }
    status = absl::OkStatus();
  } else if (!status.ok()) {
    spdlog::warn("event=push_batch_failed size={} error={}", batch.items.size(),
                 fed::LogQuoted(status.message()));
  }
  batch.written = status;
}

void Intake::Acknowledge(Batch& batch) {
  for (auto& s : batch.applied) figures_.Apply(std::move(s));
  for (size_t i = 0; i < batch.items.size(); ++i) {
    if (batch.written.ok()) {
      auto counter = outcomes_.find(batch.acks[i].outcome());
      if (counter != outcomes_.end()) counter->second->Increment();
    }
    batch.items[i].done(batch.written, batch.acks[i]);
  }
}

absl::Status Intake::WriteAdmitted(Batch& whole, const std::vector<size_t>& items) {
  const std::vector<PushItem>& batch = whole.items;
  std::vector<v1::PushAck>& acks = whole.acks;
  std::vector<storage::Key> keys(batch.size());
  std::vector<storage::Key> admitted_keys;
  std::vector<int32_t> revisions;
  for (size_t i : items) {
    const v1::Report& report = batch[i].pushed.report();
    keys[i] = {report.organization_code(), report.period()};
    admitted_keys.push_back(keys[i]);
    revisions.push_back(report.revision());
  }
  std::vector<Standing> applied;
  absl::Status status = db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    applied.clear();
    if (admitted_keys.empty()) return absl::OkStatus();
    // The standings' rows first, the feed's lock last (as Aggregator::Decide
    // takes them): the other committer's batch has other reports, so the two
    // write their rows side by side and queue only for the feed.
    auto standings = storage::LockStandings(txn, admitted_keys);
    auto hashes = storage::StoredHashes(txn, admitted_keys, revisions);

    std::vector<storage::NewRevision> new_revisions;
    std::vector<storage::StandingRow> rows;
    std::vector<storage::ChangeRow> changes;
    std::map<storage::Key, size_t> row_of_key;  // several revisions of one report in a batch
    for (size_t i : items) {
      const v1::Report& report = batch[i].pushed.report();
      const storage::Key& key = keys[i];
      acks[i] = AckFor(batch[i].pushed, v1::PUSH_OUTCOME_UNSPECIFIED);
      const PreparedReport& prepared = whole.prepared[i];
      const std::string& hash = prepared.content_hash;
      auto stored = hashes.find({key.first, key.second, report.revision()});
      storage::StoredStanding& standing = standings[key];
      if (stored != hashes.end()) {
        acks[i].set_outcome(stored->second == hash ? v1::PUSH_OUTCOME_DUPLICATE
                                                   : v1::PUSH_OUTCOME_CONFLICT);
      } else if (report.revision() <= standing.latest_revision) {
        acks[i].set_outcome(v1::PUSH_OUTCOME_STALE_REVISION);
      } else if (report.revision() > standing.latest_revision + 1) {
        // Revisions are consecutive: a pusher that skipped ahead (revision
        // 1000) would make every real revision after it look stale.
        acks[i].set_outcome(v1::PUSH_OUTCOME_INVALID);
        auto* violation = acks[i].add_violations();
        violation->set_field("revision");
        violation->set_description(absl::StrCat("the next revision of ", key.first, " ", key.second,
                                                " is ", standing.latest_revision + 1));
      } else {
        acks[i].set_outcome(v1::PUSH_OUTCOME_STORED);
        // Admitted, so the period parses.
        const fed::Period period = *fed::Period::Parse(report.period());
        const absl::Time submitted =
            SubmittedAt(report, period, batch[i].pusher, batch[i].received);
        const std::string due = fed::FormatDate(period.DueDate());
        if (standing.latest_revision == 0) {
          standing.first_submitted_at = submitted;
          standing.timely = fed::FormatDate(fed::DayInVietnam(submitted)) <= due;
        }
        standing.latest_revision = report.revision();
        standing.state = v1::REPORT_STATE_SUBMITTED;
        hashes[{key.first, key.second, report.revision()}] = hash;
        new_revisions.push_back({&report, hash, prepared.payload_json, &prepared.value_texts,
                                 submitted, batch[i].received, batch[i].pusher.subject});
        changes.push_back({key, report.revision(), v1::REPORT_STATE_SUBMITTED, "received", "",
                           batch[i].pusher.subject});
        auto [it, inserted] = row_of_key.emplace(key, rows.size());
        if (inserted) rows.push_back({key, standing, due, 0, {}});
        rows[it->second].standing = standing;
        rows[it->second].latest_values = prepared.values;
      }
      if (acks[i].outcome() == v1::PUSH_OUTCOME_INVALID) continue;  // nothing to say of it
      acks[i].set_state(standing.state);
      acks[i].set_latest_revision(standing.latest_revision);
    }
    storage::InsertRevisions(txn, new_revisions);
    if (absl::Status writer = LockFeedForWrite(txn, leadership_); !writer.ok()) return writer;
    std::vector<int64_t> sequences = storage::AppendChanges(txn, changes);
    // A report's row carries the sequence of its last change in this batch.
    for (size_t c = 0; c < changes.size(); ++c) {
      rows[row_of_key[changes[c].key]].sequence = sequences[c];
    }
    storage::UpsertStandings(txn, rows);
    for (const auto& row : rows) {
      Standing s;
      s.organization_code = row.key.first;
      s.period = row.key.second;
      s.state = row.standing.state;
      s.latest_revision = row.standing.latest_revision;
      s.accepted_revision = row.standing.accepted_revision;
      s.timely = row.standing.timely;
      s.first_submitted_at = row.standing.first_submitted_at;
      s.sequence = row.sequence;
      s.latest_values = row.latest_values;
      if (s.KeepsOwnAcceptedValues()) {
        auto known = figures_.Find(s.organization_code, s.period);
        s.accepted_values = known && known->accepted_revision == s.accepted_revision
                                ? known->AcceptedValues()
                                : storage::LoadValues(txn, row.key, s.accepted_revision);
      }
      applied.push_back(std::move(s));
    }
    // A batch whose commit succeeded but was reported as failed (the
    // connection died during COMMIT) is retried by its pusher and comes back
    // as duplicates: bring the figures up to what the database holds.
    for (const auto& [key, stored] : standings) {
      if (stored.latest_revision == 0 || row_of_key.count(key)) continue;
      auto known = figures_.Find(key.first, key.second);
      if (known && known->sequence >= stored.last_sequence) continue;
      Standing s;
      s.organization_code = key.first;
      s.period = key.second;
      s.state = stored.state;
      s.latest_revision = stored.latest_revision;
      s.accepted_revision = stored.accepted_revision;
      s.timely = stored.timely;
      s.first_submitted_at = stored.first_submitted_at;
      s.sequence = stored.last_sequence;
      s.latest_values = storage::LoadValues(txn, key, stored.latest_revision);
      if (s.KeepsOwnAcceptedValues()) {
        s.accepted_values = storage::LoadValues(txn, key, stored.accepted_revision);
      }
      applied.push_back(std::move(s));
    }
    return absl::OkStatus();
  });
  if (status.ok()) {
    for (auto& s : applied) whole.applied.push_back(std::move(s));
  }
  return status;
}

}  // namespace aggregator

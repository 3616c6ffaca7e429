// Entries: submission while a contest is open, withdrawal (kept, marked),
// reading what the caller may see, nomination to a higher-level contest and
// an entry's history across levels.
#include <deque>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/audit.h"
#include "services/common/dates.h"
#include "services/common/ended_organizations.h"
#include "services/common/enum_names.h"
#include "services/common/status.h"
#include "services/competition/access.h"
#include "services/competition/competition.h"
#include "services/competition/storage.h"
#include "services/competition/validate.h"

namespace competition {
namespace {

bool HasField(const v1::Contest& c, const std::string& field) {
  for (const auto& f : c.fields()) {
    if (f == field) return true;
  }
  return false;
}

// The day of a timestamp in Vietnam (UTC+7).
absl::CivilDay DayOf(const google::protobuf::Timestamp& ts) {
  return fed::DayInVietnam(absl::FromUnixSeconds(ts.seconds()));
}

// A contest in DRAFT or past OPEN is a state of the world, not a bad request.
absl::Status RequireOpen(const v1::Contest& c) {
  if (c.state() == v1::CONTEST_STATE_OPEN) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("contest ", c.id(), " is ", fed::EnumWord(c.state()),
                   "; entries are accepted only while it is OPEN"));
}

// Whether `day` falls in the contest's registration window (inclusive). A
// window that does not parse was refused when the contest was written; it
// limits nothing here.
bool InRegistrationWindow(const v1::Contest& c, absl::CivilDay day) {
  auto opens = fed::ParseDate(c.registration_opens());
  auto closes = fed::ParseDate(c.registration_closes());
  return !opens.ok() || !closes.ok() || (day >= *opens && day <= *closes);
}

// Registration by the service's clock: outside the window is a state of the
// world (the window is closed, or not open yet), not a bad request.
absl::Status RequireRegistrationOpenOn(const v1::Contest& c, absl::CivilDay today) {
  if (InRegistrationWindow(c, today)) return absl::OkStatus();
  const bool early = fed::FormatDate(today) < c.registration_opens();
  return absl::FailedPreconditionError(
      absl::StrCat("registration for contest ", c.id(), " is ", early ? "not open yet" : "closed",
                   ": its window is ", c.registration_opens(), " to ", c.registration_closes(),
                   " and it is ", fed::FormatDate(today), " in Vietnam"));
}

bool IsPrize(v1::Prize p) { return p >= v1::PRIZE_FIRST && p <= v1::PRIZE_CONSOLATION; }

// Whether the stored records let `entry` go on to `target` now: a prize of an
// awarded contest, not withdrawn, the target open, not nominated there yet.
absl::Status NominationAllowed(pqxx::work& txn, const v1::Entry& entry, const v1::Contest& source,
                               const v1::Contest& target) {
  if (source.state() != v1::CONTEST_STATE_AWARDED) {
    return absl::FailedPreconditionError(
        absl::StrCat("contest ", source.id(), " is ", fed::EnumWord(source.state()),
                     "; only entries of an awarded contest can be nominated"));
  }
  v1::Prize prize = v1::PRIZE_NONE;
  for (const Ranked& r : storage::LoadResults(txn, source.id())) {
    if (r.entry_id == entry.id()) prize = r.prize;
  }
  if (!IsPrize(prize)) {
    return absl::FailedPreconditionError(absl::StrCat("entry ", entry.id(), " received no prize"));
  }
  if (entry.withdrawn()) {
    return absl::FailedPreconditionError(absl::StrCat("entry ", entry.id(), " was withdrawn"));
  }
  if (target.state() != v1::CONTEST_STATE_OPEN) {
    return absl::FailedPreconditionError(absl::StrCat("contest ", target.id(), " is ",
                                                      fed::EnumWord(target.state()),
                                                      "; it takes entries only while OPEN"));
  }
  if (int64_t existing = storage::FindNomination(txn, target.id(), entry.id()); existing != 0) {
    return absl::AlreadyExistsError(absl::StrCat("entry ", entry.id(),
                                                 " is already nominated to contest ", target.id(),
                                                 " (entry ", existing, ")"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status Competition::SubmitEntry(const Principal& who, const v1::SubmitEntryRequest& req,
                                      v1::Entry* out) {
  v1::Entry entry = req.entry();
  if (entry.contest_id() <= 0) {
    fed::Violations v;
    v.Add("entry.contest_id", "is required");
    return v.ToStatus();
  }
  v1::Contest contest;
  RETURN_IF_ERROR(db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(contest, storage::LoadContest(txn, entry.contest_id(), false));
    return absl::OkStatus();
  }));
  const bool organiser = IsOrganiser(who, contest);
  if (!organiser && who.role != v1::ROLE_PROVINCE_REPORTER) {
    return absl::PermissionDeniedError(
        "entries are registered by the contest's organiser or by a province for its own entries");
  }
  if (who.role == v1::ROLE_PROVINCE_REPORTER) {
    // An ended organisation's accounts register nothing
    // (services/common/ended_organizations.h).
    auto own = directory_.Organization(who.organization_code);
    if (!own.ok() && own.status().code() != absl::StatusCode::kNotFound) return own.status();
    if (own.ok()) RETURN_IF_ERROR(fed::RequireStillWriting(who, *own));
  }
  fed::Violations v;
  ValidateEntry(v, entry, contest.kind(), "entry.");
  if (!entry.field().empty() && !HasField(contest, entry.field())) {
    v.Add("entry.field",
          absl::StrCat("\"", entry.field(), "\" is not a field of contest ", contest.id()));
  }
  // When it was submitted is the service's clock: a province cannot slip an
  // entry in after registration closed by dating it earlier. Only the
  // national office records entries that arrived on paper, at the time
  // they arrived, which must be a real moment of the window.
  const absl::Time now = absl::Now();
  const bool stated = who.role == v1::ROLE_NATIONAL_ADMIN && entry.has_submitted_at() &&
                      (entry.submitted_at().seconds() != 0 || entry.submitted_at().nanos() != 0);
  if (stated) {
    const absl::Time at = absl::FromUnixSeconds(entry.submitted_at().seconds()) +
                          absl::Nanoseconds(entry.submitted_at().nanos());
    if (at > now) {
      v.Add("entry.submitted_at",
            absl::StrCat(absl::FormatTime(absl::RFC3339_sec, at, fed::VietnamTimeZone()),
                         " is in the future; a stated time records an entry already received"));
    } else if (!InRegistrationWindow(contest, DayOf(entry.submitted_at()))) {
      v.Add("entry.submitted_at",
            absl::StrCat(fed::FormatDate(DayOf(entry.submitted_at())),
                         " is outside the registration window ", contest.registration_opens(),
                         " to ", contest.registration_closes()));
    }
  } else {
    entry.mutable_submitted_at()->set_seconds(absl::ToUnixSeconds(now));
    entry.mutable_submitted_at()->set_nanos(0);
  }
  absl::Status registry_error;
  if (!CheckOrganization(v, "entry.source_organization_code", entry.source_organization_code(),
                         &registry_error)) {
    return registry_error;
  }
  if (v.empty()) {
    ASSIGN_OR_RETURN(std::string province, directory_.ProvinceOf(entry.source_organization_code()));
    entry.set_source_province_code(province);
    if (!organiser && province != who.organization_code &&
        entry.source_organization_code() != who.organization_code) {
      return absl::PermissionDeniedError(
          absl::StrCat("organisation ", who.organization_code,
                       " may register only entries from its own province"));
    }
  }
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(RequireOpen(contest));
  if (!stated) RETURN_IF_ERROR(RequireRegistrationOpenOn(contest, DayOf(entry.submitted_at())));
  entry.clear_id();
  entry.clear_withdrawn();
  entry.clear_withdrawal_reason();
  entry.clear_nominated_from_entry_id();
  entry.clear_judge_subjects();
  const std::string author_key = AuthorKey(entry);
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(v1::Contest now, storage::LoadContest(txn, entry.contest_id(), true));
    RETURN_IF_ERROR(RequireOpen(now));
    // The window may have been moved meanwhile (windows change until awarding).
    if (!stated) RETURN_IF_ERROR(RequireRegistrationOpenOn(now, DayOf(entry.submitted_at())));
    if (int64_t same = storage::FindSameWork(txn, now.id(), entry.title(), author_key); same != 0) {
      return absl::AlreadyExistsError(
          absl::StrCat("entry.title: the same authors already entered \"", entry.title(),
                       "\" in this contest (entry ", same, ")"));
    }
    const int64_t id = storage::InsertEntry(txn, entry, author_key, who.subject);
    fed::AppendAudit(txn, who, "SubmitEntry", absl::StrCat("entry/", id), req);
    ASSIGN_OR_RETURN(*out, storage::LoadEntry(txn, id, false));
    RedactEntry(who, now, out);
    return absl::OkStatus();
  });
}

absl::Status Competition::WithdrawEntry(const Principal& who, const v1::WithdrawEntryRequest& req,
                                        v1::Entry* out) {
  fed::Violations v;
  fed::CheckText(v, "reason", req.reason(), 2000, true);
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(v1::Entry entry, storage::LoadEntry(txn, req.entry_id(), true));
    ASSIGN_OR_RETURN(v1::Contest contest, storage::LoadContest(txn, entry.contest_id(), true));
    const bool own_province = who.role == v1::ROLE_PROVINCE_REPORTER &&
                              (entry.source_province_code() == who.organization_code ||
                               entry.source_organization_code() == who.organization_code);
    if (!IsOrganiser(who, contest) && !own_province) {
      return absl::PermissionDeniedError(
          "an entry is withdrawn by the organiser or by its own province");
    }
    RETURN_IF_ERROR(v.ToStatus());
    if (entry.withdrawn()) {
      return absl::FailedPreconditionError(
          absl::StrCat("entry ", entry.id(), " is already withdrawn"));
    }
    if (contest.state() != v1::CONTEST_STATE_OPEN && contest.state() != v1::CONTEST_STATE_JUDGING) {
      return absl::FailedPreconditionError(
          absl::StrCat("contest ", contest.id(), " is ", fed::EnumWord(contest.state()),
                       "; entries can be withdrawn only while it is OPEN or JUDGING"));
    }
    storage::WithdrawEntry(txn, entry.id(), req.reason());
    fed::AppendAudit(txn, who, "WithdrawEntry", absl::StrCat("entry/", entry.id()), req);
    ASSIGN_OR_RETURN(*out, storage::LoadEntry(txn, entry.id(), false));
    RedactEntry(who, contest, out);
    return absl::OkStatus();
  });
}

absl::Status Competition::GetEntry(const Principal& who, const v1::GetEntryRequest& req,
                                   v1::Entry* out) {
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(v1::Entry entry, storage::LoadEntry(txn, req.entry_id(), false));
    ASSIGN_OR_RETURN(v1::Contest contest, storage::LoadContest(txn, entry.contest_id(), false));
    const bool assigned =
        who.role == v1::ROLE_JUDGE && storage::IsAssigned(txn, entry.id(), who.subject);
    if (!MaySeeEntry(who, contest, entry, assigned)) {
      return absl::PermissionDeniedError(
          absl::StrCat("entry ", entry.id(), " is not visible to ", who.subject));
    }
    RedactEntry(who, contest, &entry);
    *out = std::move(entry);
    return absl::OkStatus();
  });
}

absl::Status Competition::ListEntries(const Principal& who, const v1::ListEntriesRequest& req,
                                      v1::ListEntriesResponse* out) {
  if (who.role == v1::ROLE_UNSPECIFIED) return absl::PermissionDeniedError("no role");
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(v1::Contest contest, storage::LoadContest(txn, req.contest_id(), false));
    const bool all = ReadsEverything(who, contest);
    std::set<int64_t> mine;
    if (who.role == v1::ROLE_JUDGE) {
      for (int64_t id : storage::AssignedEntries(txn, contest.id(), who.subject)) mine.insert(id);
    }
    for (auto& entry :
         storage::ListEntries(txn, contest.id(), req.field(), req.include_withdrawn(), all)) {
      if (!MaySeeEntry(who, contest, entry, mine.count(entry.id()) > 0)) continue;
      RedactEntry(who, contest, &entry);
      *out->add_entries() = std::move(entry);
    }
    return absl::OkStatus();
  });
}

absl::Status Competition::NominateEntry(const Principal& who, const v1::NominateEntryRequest& req,
                                        v1::Entry* out) {
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(v1::Entry entry, storage::LoadEntry(txn, req.entry_id(), false));
    ASSIGN_OR_RETURN(v1::Contest source, storage::LoadContest(txn, entry.contest_id(), false));
    ASSIGN_OR_RETURN(v1::Contest target, storage::LoadContest(txn, req.target_contest_id(), true));
    if (!IsOrganiser(who, source) && !IsOrganiser(who, target)) {
      return absl::PermissionDeniedError(
          "a nomination is made by the organiser of the entry's contest or of the target contest");
    }
    // First what the request itself gets wrong, then what the stored records forbid now.
    fed::Violations v;
    const bool higher =
        target.level() > source.level() ||
        (target.kind() == v1::CONTEST_KIND_VIFOTEC && source.kind() != v1::CONTEST_KIND_VIFOTEC);
    if (!higher) {
      v.Add("target_contest_id",
            absl::StrCat("contest ", target.id(), " is not above contest ", source.id(),
                         " (nominations go to a higher level or to the VIFOTEC award)"));
    }
    const std::string field = req.field().empty() ? entry.field() : req.field();
    if (!HasField(target, field)) {
      v.Add("field", absl::StrCat("\"", field, "\" is not a field of contest ", target.id(),
                                  "; name one of its fields"));
    }
    RETURN_IF_ERROR(v.ToStatus());
    RETURN_IF_ERROR(NominationAllowed(txn, entry, source, target));
    v1::Entry nominated = entry;
    nominated.clear_id();
    nominated.clear_judge_subjects();
    nominated.set_contest_id(target.id());
    nominated.set_field(field);
    nominated.set_nominated_from_entry_id(entry.id());
    nominated.mutable_submitted_at()->set_seconds(absl::ToUnixSeconds(absl::Now()));
    nominated.mutable_submitted_at()->set_nanos(0);
    const std::string key = AuthorKey(nominated);
    if (int64_t same = storage::FindSameWork(txn, target.id(), nominated.title(), key); same != 0) {
      return absl::AlreadyExistsError(absl::StrCat("the same work is already entered in contest ",
                                                   target.id(), " (entry ", same, ")"));
    }
    const int64_t id = storage::InsertEntry(txn, nominated, key, who.subject);
    fed::AppendAudit(txn, who, "NominateEntry", absl::StrCat("entry/", id), req);
    ASSIGN_OR_RETURN(*out, storage::LoadEntry(txn, id, false));
    RedactEntry(who, target, out);
    return absl::OkStatus();
  });
}

absl::Status Competition::GetEntryHistory(const Principal& who,
                                          const v1::GetEntryHistoryRequest& req,
                                          v1::EntryHistory* out) {
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(v1::Entry start, storage::LoadEntry(txn, req.entry_id(), false));
    // Back to where the work was first entered, then forward through every nomination.
    v1::Entry root = start;
    for (int depth = 0; root.nominated_from_entry_id() != 0 && depth < 10; ++depth) {
      ASSIGN_OR_RETURN(root, storage::LoadEntry(txn, root.nominated_from_entry_id(), false));
    }
    std::deque<int64_t> queue = {root.id()};
    bool visible_any = false;
    while (!queue.empty()) {
      const int64_t id = queue.front();
      queue.pop_front();
      ASSIGN_OR_RETURN(v1::Entry entry, storage::LoadEntry(txn, id, false));
      ASSIGN_OR_RETURN(v1::Contest contest, storage::LoadContest(txn, entry.contest_id(), false));
      for (int64_t next : storage::NominationsOf(txn, id)) queue.push_back(next);
      const bool assigned = who.role == v1::ROLE_JUDGE && storage::IsAssigned(txn, id, who.subject);
      if (!MaySeeEntry(who, contest, entry, assigned)) continue;
      visible_any = visible_any || id == start.id();
      v1::HistoryStep* step = out->add_steps();
      RedactEntry(who, contest, &entry);
      if (RequireResultsVisible(who, contest).ok()) {
        for (const Ranked& r : storage::LoadResults(txn, contest.id())) {
          if (r.entry_id != id) continue;
          step->set_final_score(r.score.value());
          step->set_rank(r.rank);
          step->set_prize(contest.state() == v1::CONTEST_STATE_AWARDED ? r.prize
                                                                       : v1::PRIZE_UNSPECIFIED);
        }
      }
      *step->mutable_contest() = std::move(contest);
      *step->mutable_entry() = std::move(entry);
    }
    if (!visible_any) {
      out->Clear();
      return absl::PermissionDeniedError(
          absl::StrCat("entry ", start.id(), " is not visible to ", who.subject));
    }
    return absl::OkStatus();
  });
}

}  // namespace competition

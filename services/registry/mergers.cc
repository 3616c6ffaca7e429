// Administrative change as history: mergers, successors, predecessors.
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/audit.h"
#include "services/common/dates.h"
#include "services/common/status.h"
#include "services/registry/access.h"
#include "services/registry/registry.h"
#include "services/registry/storage.h"
#include "services/registry/validate.h"

namespace registry {
namespace {

bool ActiveOn(const v1::Organization& org, const std::string& day) {
  return org.active_from() <= day && (org.active_until().empty() || org.active_until() > day);
}

std::string DayBefore(const std::string& day) { return fed::FormatDate(*fed::ParseDate(day) - 1); }

// Follows successor links from `start` until the organisation that exists on
// `day`. Cycles cannot be recorded, but a bound keeps a corrupted table from
// hanging a call.
absl::Status WalkToSuccessor(pqxx::work& txn, storage::OrganizationRow row, const std::string& day,
                             v1::ResolveSuccessorResponse* out) {
  for (int step = 0; step < 64; ++step) {
    const v1::Organization& org = row.organization;
    out->add_path(org.code());
    if (ActiveOn(org, day)) {
      *out->mutable_organization() = org;
      return absl::OkStatus();
    }
    if (org.active_from() > day) {
      return absl::NotFoundError(absl::StrCat(org.code(), " did not exist yet on ", day, " (from ",
                                              org.active_from(), ")"));
    }
    if (org.successor_code().empty()) {
      return absl::NotFoundError(
          absl::StrCat(org.code(), " was retired on ", org.active_until(), " without a successor"));
    }
    ASSIGN_OR_RETURN(row, storage::LoadOrganization(txn, org.successor_code(), false));
  }
  return absl::InternalError("successor chain too long");
}

// A retry of a merger already recorded: every predecessor other than the
// successor already ends on that day into that successor.
bool IsSameMergerAgain(const std::vector<storage::OrganizationRow>& predecessors,
                       const storage::OrganizationRow& successor, const std::string& day) {
  bool any = false;
  for (const auto& p : predecessors) {
    if (p.id == successor.id) continue;
    if (p.organization.successor_code() != successor.organization.code() ||
        p.organization.active_until() != day) {
      return false;
    }
    any = true;
  }
  return any;
}

}  // namespace

absl::Status Registry::RecordMerger(const Principal& who, const v1::RecordMergerRequest& req,
                                    v1::Merger* out) {
  RETURN_IF_ERROR(RequireAdmin(who));
  const v1::Merger& merger = req.merger();
  RETURN_IF_ERROR(ValidateMerger(merger).ToStatus());
  const std::string& day = merger.effective_on();
  const std::string eve = DayBefore(day);
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    fed::Violations v;
    auto successor = storage::LoadOrganization(txn, merger.successor_code(), /*lock=*/true);
    const bool successor_continues =
        std::find(merger.predecessor_codes().begin(), merger.predecessor_codes().end(),
                  merger.successor_code()) != merger.predecessor_codes().end();
    if (!successor.ok()) {
      v.Add("merger.successor_code",
            absl::StrCat("no organisation with code ", merger.successor_code()));
    } else if (!ActiveOn(successor->organization, day) ||
               (successor_continues && !ActiveOn(successor->organization, eve))) {
      v.Add("merger.successor_code", absl::StrCat(merger.successor_code(), " is not active on ",
                                                  day, "; cannot merge into an inactive unit"));
    }
    std::vector<storage::OrganizationRow> predecessors;
    for (int i = 0; i < merger.predecessor_codes_size(); ++i) {
      const std::string& code = merger.predecessor_codes(i);
      const std::string field = absl::StrCat("merger.predecessor_codes[", i, "]");
      auto row = storage::LoadOrganization(txn, code, /*lock=*/true);
      if (!row.ok()) {
        v.Add(field, absl::StrCat("no organisation with code ", code));
        continue;
      }
      const v1::Organization& org = row->organization;
      if (successor.ok() && org.kind() != successor->organization.kind()) {
        v.Add(field, absl::StrCat(code, " is not the same kind of organisation as the successor"));
      }
      if (!org.successor_code().empty()) {
        v.Add(field, absl::StrCat(code, " was already merged into ", org.successor_code(), " on ",
                                  org.active_until()));
      } else if (!ActiveOn(org, eve)) {
        v.Add(field,
              absl::StrCat(code, " is not active on ", eve, " (active ", org.active_from(), " to ",
                           org.active_until().empty() ? "now" : org.active_until(), ")"));
      }
      predecessors.push_back(*std::move(row));
    }
    // A successor that was itself merged into one of the predecessors would
    // close a loop in the successor chain.
    if (successor.ok() && !successor->organization.successor_code().empty()) {
      for (const auto& p : predecessors) {
        if (p.organization.code() == successor->organization.successor_code()) {
          v.Add("merger.successor_code", "the merger would form a cycle of successors");
        }
      }
    }
    if (!v.empty() && successor.ok() &&
        static_cast<int>(predecessors.size()) == merger.predecessor_codes_size() &&
        IsSameMergerAgain(predecessors, *successor, day)) {
      return absl::AlreadyExistsError(absl::StrCat("this merger into ", merger.successor_code(),
                                                   " on ", day, " is already recorded"));
    }
    RETURN_IF_ERROR(v.ToStatus());

    std::vector<int64_t> ids;
    for (const auto& p : predecessors) ids.push_back(p.id);
    const int64_t merger_id =
        storage::InsertMerger(txn, successor->id, day, merger.decision(), who.subject, ids);
    std::vector<std::string> absorbed;
    for (const auto& p : predecessors) {
      if (p.id == successor->id) continue;
      storage::EndOrganization(txn, p.id, day, successor->id, who.subject);
      storage::AppendRevision(
          txn, p.id, "merged",
          absl::StrCat("into ", merger.successor_code(), " ", merger.decision()), who.subject);
      absorbed.push_back(p.organization.code());
    }
    storage::TouchOrganization(txn, successor->id, who.subject);
    storage::AppendRevision(
        txn, successor->id, "merged",
        absl::StrCat("absorbed ", absl::StrJoin(absorbed, ", "), " ", merger.decision()),
        who.subject);
    fed::AppendAudit(txn, who, "RecordMerger", merger.successor_code(), req);
    for (auto& m : storage::ListMergersInto(txn, successor->id)) {
      if (m.id() == merger_id) *out = std::move(m);
    }
    return absl::OkStatus();
  });
}

absl::Status Registry::ListMergers(const Principal& who, const v1::ListMergersRequest& req,
                                   v1::ListMergersResponse* out) {
  RETURN_IF_ERROR(RequireReader(who));
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    int64_t id = 0;
    if (!req.code().empty()) {
      ASSIGN_OR_RETURN(auto row, storage::LoadOrganization(txn, req.code(), false));
      id = row.id;
    }
    for (auto& m : storage::ListMergers(txn, id)) *out->add_mergers() = std::move(m);
    return absl::OkStatus();
  });
}

absl::Status Registry::ResolveSuccessor(const Principal& who,
                                        const v1::ResolveSuccessorRequest& req,
                                        v1::ResolveSuccessorResponse* out) {
  RETURN_IF_ERROR(RequireReader(who));
  fed::Violations v;
  fed::CheckOrganizationCode(v, "code", req.code(), true);
  if (!req.on().empty()) {
    if (auto day = fed::ParseDate(req.on()); !day.ok()) v.Add("on", day.status().message());
  }
  RETURN_IF_ERROR(v.ToStatus());
  const std::string day = req.on().empty() ? fed::FormatDate(fed::Today()) : req.on();
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(auto row, storage::LoadOrganization(txn, req.code(), false));
    return WalkToSuccessor(txn, std::move(row), day, out);
  });
}

absl::Status Registry::ListPredecessors(const Principal& who,
                                        const v1::ListPredecessorsRequest& req,
                                        v1::ListPredecessorsResponse* out) {
  RETURN_IF_ERROR(RequireReader(who));
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    ASSIGN_OR_RETURN(auto root, storage::LoadOrganization(txn, req.code(), false));
    std::set<std::string> seen = {root.organization.code()};
    std::vector<int64_t> frontier = {root.id};
    while (!frontier.empty()) {
      std::vector<int64_t> next;
      for (int64_t id : frontier) {
        for (auto& merger : storage::ListMergersInto(txn, id)) {
          for (const std::string& code : merger.predecessor_codes()) {
            if (!seen.insert(code).second) continue;
            out->add_predecessor_codes(code);
            if (req.transitive()) {
              ASSIGN_OR_RETURN(auto p, storage::LoadOrganization(txn, code, false));
              next.push_back(p.id);
            }
          }
          *out->add_mergers() = std::move(merger);
        }
      }
      frontier = std::move(next);
    }
    return absl::OkStatus();
  });
}

}  // namespace registry

// The year itself: opening it, reading it, members' registrations, the
// covenant, and the files evidence and signed documents are kept in. Also
// the one path every step takes to change a year (ChangeYear).
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/audit.h"
#include "services/common/dates.h"
#include "services/common/digest.h"
#include "services/common/ended_organizations.h"
#include "services/common/enum_names.h"
#include "services/common/status.h"
#include "services/common/timestamp.h"
#include "services/emulation/access.h"
#include "services/emulation/emulation.h"
#include "services/emulation/validate.h"

namespace emulation {
namespace {

constexpr size_t kMaxFileBytes = 3 << 20;
constexpr int64_t kMaxFilesPerOrganization = 300;
constexpr int64_t kMaxBytesPerOrganization = int64_t{300} << 20;

void AddTransition(v1::EmulationYear& year, v1::YearState to, const std::string& by,
                   const std::string& note) {
  v1::YearTransition* t = year.add_transitions();
  t->set_from(year.state());
  t->set_to(to);
  fed::SetTimestamp(absl::Now(), t->mutable_at());
  t->set_by(by);
  t->set_note(note);
  year.set_state(to);
}

// How a member takes part, from its registry record: one that ended (merged
// or retired) on or before the year's last day takes no part in the steps
// from self-assessment on; its successor carries its seat.
v1::YearMember MemberOf(const v1::Organization& org, const std::string& end_date) {
  v1::YearMember m;
  m.set_organization_code(org.code());
  m.set_organization_name(org.name());
  const bool ended = org.status() == v1::ORGANIZATION_STATUS_RETIRED &&
                     (org.active_until().empty() || org.active_until() <= end_date);
  m.set_takes_part(!ended);
  if (ended) {
    m.set_ended_on(org.active_until());
    m.set_successor_code(org.successor_code());
  }
  return m;
}

// A signed year whose start has come is in progress: recorded as a
// transition by the calendar, on the first step that finds it so.
void FollowCalendar(v1::EmulationYear& year, absl::CivilDay today) {
  const v1::YearState effective = EffectiveState(year, today);
  if (effective != year.state()) {
    AddTransition(year, effective, "calendar",
                  absl::StrCat("the year began on ", year.start_date()));
  }
}

// The year's awards as bytes, to tell whether a step changed them.
std::string AwardsOf(const v1::EmulationYear& year) {
  std::string bytes;
  for (const auto& award : year.awards()) bytes += award.SerializeAsString();
  return bytes;
}

}  // namespace

std::string YearName(const v1::YearKey& key) {
  return absl::StrCat(key.year(), "/cluster ", key.cluster_number(), " (", key.organiser_code(),
                      ")");
}

v1::YearState EffectiveState(const v1::EmulationYear& year, absl::CivilDay today) {
  if (year.state() == v1::YEAR_STATE_COVENANT_SIGNED) {
    auto start = fed::ParseDate(year.start_date());
    if (start.ok() && today >= *start) return v1::YEAR_STATE_IN_PROGRESS;
  }
  return year.state();
}

absl::CivilDay Emulation::Today() const { return today_ ? today_() : fed::Today(); }

absl::StatusOr<v1::ScoringScheme> Emulation::SchemeOf(const v1::EmulationYear& year) {
  const std::pair<int, int> version{year.scheme_year(), year.scheme_version()};
  {
    absl::MutexLock lock(&schemes_mu_);
    if (auto it = schemes_.find(version); it != schemes_.end()) return it->second;
  }
  ASSIGN_OR_RETURN(v1::ScoringScheme scheme, sources_.Scheme(version.first, version.second));
  absl::MutexLock lock(&schemes_mu_);
  return schemes_.emplace(version, std::move(scheme)).first->second;
}

absl::StatusOr<v1::EmulationYear> Emulation::ReadYear(const Principal& who,
                                                      const v1::YearKey& key) {
  fed::Violations v;
  CheckKey(v, "key", key);
  RETURN_IF_ERROR(v.ToStatus());
  std::optional<storage::StoredYear> stored;
  RETURN_IF_ERROR(db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    stored = storage::LoadYear(txn, key, false);
    return absl::OkStatus();
  }));
  if (!stored) return absl::NotFoundError(absl::StrCat("no emulation year ", YearName(key)));
  RETURN_IF_ERROR(access::Read(who, stored->year));
  stored->year.set_state(EffectiveState(stored->year, Today()));
  return stored->year;
}

absl::Status Emulation::ChangeYear(const Principal& who, const v1::YearKey& key,
                                   const std::string& action,
                                   const google::protobuf::Message& request, const Step& step,
                                   v1::EmulationYear* out) {
  fed::Violations v;
  CheckKey(v, "key", key);
  RETURN_IF_ERROR(v.ToStatus());
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    auto stored = storage::LoadYear(txn, key, true);
    if (!stored) return absl::NotFoundError(absl::StrCat("no emulation year ", YearName(key)));
    // Outsiders learn no more than that the year exists.
    RETURN_IF_ERROR(access::Read(who, stored->year));
    // The calendar moves the year before a step (which then sees it in
    // progress) and after one (a covenant signed once the year has begun).
    FollowCalendar(stored->year, Today());
    const std::string awards_before = AwardsOf(stored->year);
    RETURN_IF_ERROR(step(txn, *stored));
    FollowCalendar(stored->year, Today());
    stored->year.set_revision(stored->year.revision() + 1);
    fed::SetTimestamp(absl::Now(), stored->year.mutable_updated_at());
    storage::SaveYear(txn, stored->id, stored->year, action, who.subject,
                      AwardsOf(stored->year) != awards_before);
    fed::AppendAudit(txn, who, action, YearName(key), request);
    *out = stored->year;
    return absl::OkStatus();
  });
}

absl::Status RequireState(const v1::EmulationYear& year, std::initializer_list<v1::YearState> ok,
                          const std::string& doing) {
  for (v1::YearState s : ok) {
    if (year.state() == s) return absl::OkStatus();
  }
  std::string allowed;
  for (v1::YearState s : ok) {
    absl::StrAppend(&allowed, allowed.empty() ? "" : " or ", fed::EnumWordLower(s));
  }
  return absl::FailedPreconditionError(absl::StrCat("emulation year ", YearName(year.key()), " is ",
                                                    fed::EnumWordLower(year.state()), ": ", doing,
                                                    " needs it ", allowed));
}

void AdvanceYear(v1::EmulationYear& year, v1::YearState to, const Principal& who,
                 const std::string& note) {
  AddTransition(year, to, who.subject, note);
}

absl::Status Emulation::CreateYear(const Principal& who, const v1::CreateYearRequest& req,
                                   v1::EmulationYear* out) {
  RETURN_IF_ERROR(access::NationalOffice(who));
  v1::EmulationYear year = req.year();
  fed::Violations v;
  ValidateNewYear(v, year);
  RETURN_IF_ERROR(v.ToStatus());
  if (year.scheme_year() == 0) year.set_scheme_year(year.key().year());

  // The scheme and the cluster come from their owners before anything is written.
  auto scheme = sources_.Scheme(year.scheme_year(), year.scheme_version());
  if (scheme.status().code() == absl::StatusCode::kNotFound) {
    v.Add("year.scheme_version",
          absl::StrCat("the ranking service has no scheme ", year.scheme_year(), " version ",
                       year.scheme_version(), " (0 = the latest)"));
  } else if (!scheme.ok()) {
    return scheme.status();
  } else if (scheme->ballot_rules_size() == 0) {
    v.Add("year.scheme_version",
          absl::StrCat("scheme ", scheme->year(), " version ", scheme->version(),
                       " states no ballot rules: define a version with them"));
  }
  auto cluster = sources_.Cluster(year.key().year(), year.key().cluster_number());
  if (cluster.status().code() == absl::StatusCode::kNotFound) {
    v.Add("year.key.cluster_number",
          absl::StrCat("the registry has no cluster ", year.key().cluster_number(), " in ",
                       year.key().year()));
  } else if (!cluster.ok()) {
    return cluster.status();
  }
  RETURN_IF_ERROR(v.ToStatus());

  v1::EmulationYear fresh;
  *fresh.mutable_key() = year.key();
  fresh.set_name(year.name());
  fresh.set_start_date(year.start_date());
  fresh.set_end_date(year.end_date());
  fresh.set_scheme_year(scheme->year());
  fresh.set_scheme_version(scheme->version());
  fresh.set_ranking_period(year.ranking_period());
  fresh.set_self_assessment_due(year.self_assessment_due());
  fresh.set_self_assessment_closes(year.self_assessment_closes());
  *fresh.mutable_ballot_rules() = scheme->ballot_rules();
  for (const std::string& code : cluster->member_codes()) {
    ASSIGN_OR_RETURN(v1::Organization org, sources_.Organization(code));
    *fresh.add_members() = MemberOf(org, year.end_date());
  }
  // The registry's head and deputy stand until the covenant names the year's.
  fresh.mutable_covenant()->set_head_code(cluster->head_code());
  fresh.mutable_covenant()->set_deputy_code(cluster->deputy_code());
  fresh.set_state(v1::YEAR_STATE_UNSPECIFIED);
  AddTransition(fresh, v1::YEAR_STATE_SCHEME_ISSUED, who.subject,
                absl::StrCat("scheme ", scheme->year(), " version ", scheme->version()));
  fresh.set_revision(1);
  fed::SetTimestamp(absl::Now(), fresh.mutable_updated_at());

  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    if (storage::LoadYear(txn, fresh.key(), false)) {
      return absl::AlreadyExistsError(
          absl::StrCat("emulation year ", YearName(fresh.key()), " already exists"));
    }
    storage::InsertYear(txn, fresh, "CreateYear", who.subject);
    fed::AppendAudit(txn, who, "CreateYear", YearName(fresh.key()), req);
    *out = fresh;
    return absl::OkStatus();
  });
}

absl::Status Emulation::GetYear(const Principal& who, const v1::GetYearRequest& req,
                                v1::EmulationYear* out) {
  ASSIGN_OR_RETURN(*out, ReadYear(who, req.key()));
  return absl::OkStatus();
}

absl::Status Emulation::ListYears(const Principal& who, const v1::ListYearsRequest& req,
                                  v1::ListYearsResponse* out) {
  fed::Violations v;
  if (req.year() != 0 && (req.year() < 2000 || req.year() > 2100))
    v.Add("year", "must be 0 or a year 2000-2100");
  if (req.cluster_number() < 0 || req.cluster_number() > 99)
    v.Add("cluster_number", "must be 0..99");
  RETURN_IF_ERROR(v.ToStatus());
  std::vector<v1::EmulationYear> years;
  RETURN_IF_ERROR(db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    years = storage::ListYears(txn, req.year(), req.cluster_number());
    return absl::OkStatus();
  }));
  if (who.role == v1::ROLE_JUDGE || who.role == v1::ROLE_UNSPECIFIED) {
    return absl::PermissionDeniedError("this role does not read emulation years");
  }
  // A province sees the years of its own clusters only.
  for (auto& year : years) {
    if (!access::Read(who, year).ok()) continue;
    year.set_state(EffectiveState(year, Today()));
    *out->add_years() = std::move(year);
  }
  return absl::OkStatus();
}

absl::Status Emulation::Register(const Principal& who, const v1::RegisterRequest& req,
                                 v1::EmulationYear* out) {
  ASSIGN_OR_RETURN(const v1::EmulationYear current, ReadYear(who, req.key()));
  ASSIGN_OR_RETURN(const v1::ScoringScheme scheme, SchemeOf(current));
  fed::Violations v;
  ValidateRegistration(v, req.registration(), scheme);
  RETURN_IF_ERROR(v.ToStatus());
  const std::string& code = req.registration().organization_code();
  return ChangeYear(
      who, req.key(), "Register", req,
      [&](pqxx::work&, storage::StoredYear& stored) -> absl::Status {
        v1::EmulationYear& year = stored.year;
        RETURN_IF_ERROR(access::ActForMember(who, year, code, fed::FormatDate(Today())));
        RETURN_IF_ERROR(RequireState(year, {v1::YEAR_STATE_SCHEME_ISSUED}, "registering targets"));
        v1::Registration registration = req.registration();
        fed::SetTimestamp(absl::Now(), registration.mutable_recorded_at());
        registration.set_recorded_by(who.subject);
        for (auto& r : *year.mutable_registrations()) {
          if (r.organization_code() == code) {
            r = registration;  // the earlier one stays in the year's history
            return absl::OkStatus();
          }
        }
        *year.add_registrations() = registration;
        return absl::OkStatus();
      },
      out);
}

absl::Status Emulation::SignCovenant(const Principal& who, const v1::SignCovenantRequest& req,
                                     v1::EmulationYear* out) {
  const v1::Covenant& c = req.covenant();
  return ChangeYear(
      who, req.key(), "SignCovenant", req,
      [&](pqxx::work& txn, storage::StoredYear& stored) -> absl::Status {
        v1::EmulationYear& year = stored.year;
        RETURN_IF_ERROR(access::ActForCluster(who, year));
        RETURN_IF_ERROR(RequireState(year, {v1::YEAR_STATE_SCHEME_ISSUED}, "signing the covenant"));
        fed::Violations v;
        fed::CheckText(v, "covenant.rules", c.rules(), 20000, true);
        fed::CheckText(v, "covenant.plan_number", c.plan_number(), 60, true);
        auto signed_on = CheckDate(v, "covenant.signed_on", c.signed_on(), true, Today());
        auto end = fed::ParseDate(year.end_date());
        if (signed_on && end.ok() && *signed_on > *end) {
          v.Add("covenant.signed_on", "is after the year's end");
        }
        std::map<std::string, v1::FileRef> known;
        if (auto f = storage::FindFile(txn, stored.id, c.signed_document().sha256())) {
          known[f->sha256()] = *f;
        }
        CheckFileRef(v, "covenant.signed_document", c.signed_document(), true, known);
        const auto officer = [&](const char* field, const std::string& code) {
          if (code.empty()) {
            v.Add(field, "is required");
          } else if (!access::IsMember(year, code)) {
            v.Add(field, absl::StrCat(code, " is not a member of the cluster"));
          } else {
            for (const auto& m : year.members()) {
              if (m.organization_code() == code && !m.takes_part()) {
                v.Add(field,
                      absl::StrCat(code, " ended on ", m.ended_on(), " and cannot lead the year"));
              }
            }
          }
        };
        officer("covenant.head_code", c.head_code());
        officer("covenant.deputy_code", c.deputy_code());
        if (!c.head_code().empty() && c.head_code() == c.deputy_code()) {
          v.Add("covenant.deputy_code", "must not be the head");
        }
        // Every member that existed when it was signed signs its registration.
        std::set<std::string> registered;
        for (const auto& r : year.registrations()) registered.insert(r.organization_code());
        for (const auto& m : year.members()) {
          const bool existed = m.takes_part() || (signed_on && fed::ParseDate(m.ended_on()).ok() &&
                                                  *fed::ParseDate(m.ended_on()) > *signed_on);
          if (existed && registered.count(m.organization_code()) == 0) {
            v.Add("covenant.registrations",
                  absl::StrCat(m.organization_code(), " (", m.organization_name(),
                               ") has not registered its targets"));
          }
        }
        RETURN_IF_ERROR(v.ToStatus());
        v1::Covenant covenant = c;
        *covenant.mutable_signed_document() = known[c.signed_document().sha256()];
        *covenant.mutable_registrations() = year.registrations();
        fed::SetTimestamp(absl::Now(), covenant.mutable_recorded_at());
        covenant.set_recorded_by(who.subject);
        *year.mutable_covenant() = covenant;
        AdvanceYear(year, v1::YEAR_STATE_COVENANT_SIGNED, who,
                    absl::StrCat("signed on ", c.signed_on(), ", plan ", c.plan_number()));
        return absl::OkStatus();
      },
      out);
}

absl::Status Emulation::UploadFile(const Principal& who, const v1::UploadFileRequest& req,
                                   v1::FileRef* out) {
  fed::Violations v;
  CheckKey(v, "key", req.key());
  fed::CheckText(v, "name", req.name(), 200, true);
  if (req.name().find_first_of("/\\") != std::string::npos)
    v.Add("name", "a file name, without folders");
  fed::CheckText(v, "media_type", req.media_type(), 100, true);
  if (req.content().empty()) v.Add("content", "is empty");
  if (req.content().size() > kMaxFileBytes)
    v.Add("content", absl::StrCat("at most ", kMaxFileBytes, " bytes"));
  RETURN_IF_ERROR(v.ToStatus());
  v1::FileRef file;
  file.set_name(req.name());
  file.set_media_type(req.media_type());
  file.set_sha256(fed::Sha256Hex(req.content()));
  file.set_size_bytes(static_cast<int64_t>(req.content().size()));
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    auto stored = storage::LoadYear(txn, req.key(), false);
    if (!stored)
      return absl::NotFoundError(absl::StrCat("no emulation year ", YearName(req.key())));
    RETURN_IF_ERROR(access::Read(who, stored->year));
    // Members, their officers and the national office add files; readers only read.
    if (who.role != v1::ROLE_NATIONAL_ADMIN && who.role != v1::ROLE_PROVINCE_REPORTER) {
      return absl::PermissionDeniedError("only members' staff and the national office upload");
    }
    // The same content is kept once: its first upload answers.
    if (auto kept = storage::FindFile(txn, stored->id, file.sha256())) {
      *out = *kept;
      return absl::OkStatus();
    }
    // One member's uploads cannot fill the year for the others.
    const auto [files, bytes] = storage::UploadedBy(txn, stored->id, who.organization_code);
    if (files >= kMaxFilesPerOrganization ||
        bytes + static_cast<int64_t>(req.content().size()) > kMaxBytesPerOrganization) {
      return absl::ResourceExhaustedError(absl::StrCat(
          who.organization_code, " has uploaded ", files, " files (", bytes / (1 << 20),
          " MiB) to this year: at most ", kMaxFilesPerOrganization, " files and ",
          kMaxBytesPerOrganization / (1 << 20), " MiB per organisation"));
    }
    storage::InsertFile(txn, stored->id, file, req.content(), who.subject, who.organization_code);
    v1::UploadFileRequest logged = req;
    logged.clear_content();  // the audit log names the file, it does not copy it
    fed::AppendAudit(txn, who, "UploadFile", YearName(req.key()), logged);
    *out = file;
    return absl::OkStatus();
  });
}

absl::Status Emulation::GetFile(const Principal& who, const v1::GetFileRequest& req,
                                v1::FileContent* out) {
  fed::Violations v;
  CheckKey(v, "key", req.key());
  if (!IsSha256(req.sha256())) v.Add("sha256", "must be 64 lower-case hex digits");
  RETURN_IF_ERROR(v.ToStatus());
  return db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    auto stored = storage::LoadYear(txn, req.key(), false);
    if (!stored)
      return absl::NotFoundError(absl::StrCat("no emulation year ", YearName(req.key())));
    RETURN_IF_ERROR(access::Read(who, stored->year));
    auto file = storage::LoadFile(txn, stored->id, req.sha256());
    if (!file) return absl::NotFoundError("no such file in this year");
    *out = *std::move(file);
    return absl::OkStatus();
  });
}

}  // namespace emulation

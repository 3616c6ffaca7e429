// Scoring schemes (immutable versions) and self-assessments.
#include <google/protobuf/util/message_differencer.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/audit.h"
#include "services/common/log.h"
#include "services/common/status.h"
#include "services/ranking/access.h"
#include "services/ranking/ranking.h"
#include "services/ranking/storage.h"
#include "services/ranking/validate.h"

namespace ranking {
namespace {

// The content that makes two versions the same scheme (not version, time, author).
v1::ScoringScheme Content(v1::ScoringScheme s) {
  s.clear_version();
  s.clear_created_at();
  s.clear_created_by();
  return s;
}

}  // namespace

absl::Status Ranking::DefineScheme(const Principal& who, const v1::DefineSchemeRequest& req,
                                   v1::DefineSchemeResponse* out) {
  RETURN_IF_ERROR(access::DefineScheme(who));
  fed::Violations v;
  ValidateScheme(req.scheme(), v);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(auto clusters, engine_.Clusters(req.scheme().year()));
  if (clusters->list.empty()) {
    return absl::NotFoundError(absl::StrCat(
        "scheme.year: the registry has no emulation clusters for ", req.scheme().year()));
  }
  v1::ScoringScheme scheme = req.scheme();
  bool created = false;
  RETURN_IF_ERROR(db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    std::optional<v1::ScoringScheme> latest = storage::LockLatestScheme(txn, scheme.year());
    if (latest &&
        google::protobuf::util::MessageDifferencer::Equals(Content(*latest), Content(scheme))) {
      scheme = *latest;  // the same scheme again (a retry, the demo loader): nothing new
      created = false;
      return absl::OkStatus();
    }
    scheme.set_version(latest ? latest->version() + 1 : 1);
    scheme.mutable_created_at()->set_seconds(absl::ToUnixSeconds(absl::Now()));
    scheme.set_created_by(who.subject);
    storage::InsertScheme(txn, scheme);
    fed::AppendAudit(txn, who, "DefineScheme",
                     absl::StrCat("scheme/", scheme.year(), "/v", scheme.version()), req);
    created = true;
    return absl::OkStatus();
  }));
  if (created) {
    spdlog::info("event=scheme_defined year={} version={}", scheme.year(), scheme.version());
    RETURN_IF_ERROR(engine_.SchemeDefined(scheme));
  }
  *out->mutable_scheme() = scheme;
  out->set_created(created);
  return absl::OkStatus();
}

absl::Status Ranking::GetScheme(const Principal& who, const v1::GetSchemeRequest& req,
                                v1::ScoringScheme* out) {
  RETURN_IF_ERROR(access::Read(who));
  fed::Violations v;
  if (req.year() < 2000 || req.year() > 2100) v.Add("year", "must be a year 2000-2100");
  if (req.version() < 0) v.Add("version", "must not be negative");
  RETURN_IF_ERROR(v.ToStatus());
  auto scheme = engine_.Scheme(req.year(), req.version());
  if (!scheme) {
    return absl::NotFoundError(
        req.version() == 0
            ? absl::StrCat("no scoring scheme for ", req.year())
            : absl::StrCat("no version ", req.version(), " of the ", req.year(), " scheme"));
  }
  *out = *scheme;
  return absl::OkStatus();
}

absl::Status Ranking::ListSchemes(const Principal& who, const v1::ListSchemesRequest& req,
                                  v1::ListSchemesResponse* out) {
  RETURN_IF_ERROR(access::Read(who));
  for (auto& s : engine_.Schemes(req.year())) *out->add_schemes() = std::move(s);
  return absl::OkStatus();
}

absl::Status Ranking::SetSelfAssessment(const Principal& who,
                                        const v1::SetSelfAssessmentRequest& req,
                                        v1::SelfAssessment* out) {
  RETURN_IF_ERROR(access::SelfAssess(who, req.organization_code()));
  fed::Violations v;
  fed::Period period;
  ValidateSelfAssessment(req, v, &period);
  RETURN_IF_ERROR(v.ToStatus());
  auto scheme = engine_.Scheme(period.year, req.scheme_version());
  if (!scheme) {
    return absl::NotFoundError(absl::StrCat(
        "scheme_version: no scoring scheme ",
        req.scheme_version() ? absl::StrCat("version ", req.scheme_version(), " ") : "", "for ",
        period.year));
  }
  for (int i = 0; i < req.scores_size(); ++i) {
    bool known = false;
    for (const auto& c : scheme->criteria()) known |= c.code() == req.scores(i).criterion_code();
    if (!known) {
      v.Add(absl::StrCat("scores[", i, "].criterion_code"),
            absl::StrCat("\"", req.scores(i).criterion_code().substr(0, 40),
                         "\" is not a criterion of the ", period.year, " scheme version ",
                         scheme->version()));
    }
  }
  RETURN_IF_ERROR(v.ToStatus());
  v1::SelfAssessment a;
  a.set_organization_code(req.organization_code());
  a.set_period(period.ToString());
  a.set_scheme_year(scheme->year());
  a.set_scheme_version(scheme->version());
  a.set_total(req.total());
  *a.mutable_scores() = req.scores();
  a.mutable_recorded_at()->set_seconds(absl::ToUnixSeconds(absl::Now()));
  a.set_recorded_by(who.subject);
  RETURN_IF_ERROR(db_.InTransaction([&](pqxx::work& txn) -> absl::Status {
    storage::UpsertSelfAssessment(txn, a);
    fed::AppendAudit(txn, who, "SetSelfAssessment",
                     absl::StrCat("self/", a.organization_code(), "/", a.period()), req);
    return absl::OkStatus();
  }));
  engine_.SelfAssessed(a);
  *out = a;
  return absl::OkStatus();
}

}  // namespace ranking

#include "services/registry/validate.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "services/common/dates.h"

namespace registry {
namespace {

void CheckDate(fed::Violations& v, const std::string& field, const std::string& value,
               bool required) {
  if (value.empty()) {
    if (required) v.Add(field, "is required");
    return;
  }
  if (auto day = fed::ParseDate(value); !day.ok()) v.Add(field, day.status().message());
}

void CheckYear(fed::Violations& v, const std::string& field, int32_t year) {
  if (year < 1950 || year > 2100) v.Add(field, "must be a year between 1950 and 2100");
}

}  // namespace

bool IsProvinceCode(const std::string& code) {
  return code.size() == 2 && std::isdigit(static_cast<unsigned char>(code[0])) &&
         std::isdigit(static_cast<unsigned char>(code[1]));
}

void ValidateOrganizationFields(fed::Violations& v, const v1::Organization& org,
                                const std::string& prefix) {
  fed::CheckText(v, prefix + "name", org.name(), kMaxNameChars, /*required=*/true);
  fed::CheckText(v, prefix + "short_name", org.short_name(), kMaxShortNameChars, false);
  fed::CheckText(v, prefix + "field", org.field(), kMaxFieldChars, false);
  fed::CheckText(v, prefix + "region", org.region(), kMaxFieldChars, false);
  fed::CheckOrganizationCode(v, prefix + "parent_code", org.parent_code(), false);
  CheckDate(v, prefix + "founded_on", org.founded_on(), false);
  if (org.member_count() < 0) v.Add(prefix + "member_count", "must not be negative");
  if (org.intellectual_count() < 0) v.Add(prefix + "intellectual_count", "must not be negative");
  if (org.intellectual_count() > org.member_count() && org.member_count() >= 0) {
    v.Add(prefix + "intellectual_count",
          absl::StrCat("must not exceed member_count (", org.intellectual_count(), " > ",
                       org.member_count(), ")"));
  }
  if (org.status() == v1::ORGANIZATION_STATUS_RETIRED) {
    v.Add(prefix + "status", "retire with RetireOrganization or RecordMerger, not by editing");
  }
  if (!v1::OrganizationStatus_IsValid(org.status()))
    v.Add(prefix + "status", "is not a known status");
}

fed::Violations ValidateCreateOrganization(const v1::CreateOrganizationRequest& request) {
  fed::Violations v;
  const v1::Organization& org = request.organization();
  fed::CheckOrganizationCode(v, "organization.code", org.code(), true);
  if (org.kind() == v1::ORGANIZATION_KIND_UNSPECIFIED ||
      !v1::OrganizationKind_IsValid(org.kind())) {
    v.Add("organization.kind", "is required");
  }
  if (org.kind() == v1::ORGANIZATION_KIND_PROVINCIAL_UNION && !IsProvinceCode(org.code())) {
    v.Add("organization.code", "a provincial union's code is its two-digit province code");
  }
  if (org.kind() != v1::ORGANIZATION_KIND_NATIONAL_UNION &&
      org.kind() != v1::ORGANIZATION_KIND_UNSPECIFIED && org.parent_code().empty()) {
    v.Add("organization.parent_code", "is required (the union it belongs to)");
  }
  if (org.kind() == v1::ORGANIZATION_KIND_NATIONAL_UNION && !org.parent_code().empty()) {
    v.Add("organization.parent_code", "the national union has no parent");
  }
  if (!org.parent_code().empty() && org.parent_code() == org.code()) {
    v.Add("organization.parent_code", "an organisation cannot be its own parent");
  }
  ValidateOrganizationFields(v, org, "organization.");
  CheckDate(v, "organization.active_from", org.active_from(), true);
  if (!org.founded_on().empty() && !org.active_from().empty() &&
      org.founded_on() > org.active_from() && fed::ParseDate(org.founded_on()).ok()) {
    v.Add("organization.founded_on", "is after active_from");
  }
  return v;
}

fed::Violations ValidateUpdateOrganization(const v1::UpdateOrganizationRequest& request) {
  fed::Violations v;
  fed::CheckOrganizationCode(v, "organization.code", request.organization().code(), true);
  ValidateOrganizationFields(v, request.organization(), "organization.");
  if (request.expected_revision() < 0) v.Add("expected_revision", "must not be negative");
  return v;
}

fed::Violations ValidateRetire(const v1::RetireOrganizationRequest& request) {
  fed::Violations v;
  fed::CheckOrganizationCode(v, "code", request.code(), true);
  CheckDate(v, "effective_on", request.effective_on(), true);
  fed::CheckText(v, "reason", request.reason(), kMaxTextChars, true);
  return v;
}

fed::Violations ValidateMerger(const v1::Merger& merger) {
  fed::Violations v;
  fed::CheckOrganizationCode(v, "merger.successor_code", merger.successor_code(), true);
  CheckDate(v, "merger.effective_on", merger.effective_on(), true);
  fed::CheckText(v, "merger.decision", merger.decision(), kMaxTextChars, false);
  if (merger.predecessor_codes_size() == 0) {
    v.Add("merger.predecessor_codes", "name at least one organisation that is merged");
  }
  std::set<std::string> seen;
  bool has_other_than_successor = false;
  for (int i = 0; i < merger.predecessor_codes_size(); ++i) {
    const std::string& code = merger.predecessor_codes(i);
    const std::string field = absl::StrCat("merger.predecessor_codes[", i, "]");
    fed::CheckOrganizationCode(v, field, code, true);
    if (!seen.insert(code).second) v.Add(field, absl::StrCat(code, " is listed twice"));
    if (code != merger.successor_code()) has_other_than_successor = true;
  }
  if (merger.predecessor_codes_size() > 0 && !has_other_than_successor) {
    v.Add("merger.predecessor_codes", "a unit cannot merge only with itself");
  }
  return v;
}

fed::Violations ValidateCluster(const v1::EmulationCluster& cluster) {
  fed::Violations v;
  CheckYear(v, "cluster.year", cluster.year());
  if (cluster.number() < 1 || cluster.number() > 99) v.Add("cluster.number", "must be 1 to 99");
  fed::CheckText(v, "cluster.name", cluster.name(), kMaxNameChars, true);
  if (cluster.member_codes_size() == 0) v.Add("cluster.member_codes", "a cluster needs members");
  std::set<std::string> members;
  for (int i = 0; i < cluster.member_codes_size(); ++i) {
    const std::string& code = cluster.member_codes(i);
    const std::string field = absl::StrCat("cluster.member_codes[", i, "]");
    fed::CheckOrganizationCode(v, field, code, true);
    if (!members.insert(code).second) v.Add(field, absl::StrCat(code, " is listed twice"));
  }
  for (const auto& [field, code] :
       {std::pair<std::string, std::string>{"cluster.head_code", cluster.head_code()},
        {"cluster.deputy_code", cluster.deputy_code()}}) {
    if (code.empty()) continue;
    if (!members.count(code)) v.Add(field, absl::StrCat(code, " is not a member of the cluster"));
  }
  if (!cluster.head_code().empty() && cluster.head_code() == cluster.deputy_code()) {
    v.Add("cluster.deputy_code", "the head cannot also be the deputy");
  }
  return v;
}

void ValidateCommitteeMembers(fed::Violations& v,
                              const google::protobuf::RepeatedPtrField<v1::CommitteeMember>& m,
                              const std::string& prefix) {
  if (m.size() > kMaxCommitteeMembers) {
    v.Add(prefix, absl::StrCat("at most ", kMaxCommitteeMembers, " people"));
    return;
  }
  int chairs = 0;
  for (int i = 0; i < m.size(); ++i) {
    const std::string field = absl::StrCat(prefix, "[", i, "]");
    fed::CheckText(v, field + ".full_name", m[i].full_name(), 120, true);
    if (m[i].committee() == v1::COMMITTEE_UNSPECIFIED || !v1::Committee_IsValid(m[i].committee())) {
      v.Add(field + ".committee", "is required");
    }
    if (m[i].position() == v1::POSITION_UNSPECIFIED || !v1::Position_IsValid(m[i].position())) {
      v.Add(field + ".position", "is required");
    }
    if (m[i].position() == v1::POSITION_CHAIR && m[i].committee() == v1::COMMITTEE_EXECUTIVE) {
      ++chairs;
    }
    if (m[i].position() == v1::POSITION_HEAD_OF_INSPECTION &&
        m[i].committee() != v1::COMMITTEE_INSPECTION) {
      v.Add(field + ".position", "the head of inspection sits on the inspection committee");
    }
  }
  if (chairs > 1) v.Add(prefix, "more than one chair of the executive committee");
}

fed::Violations ValidateCongressTerm(const v1::CongressTerm& term) {
  fed::Violations v;
  fed::CheckOrganizationCode(v, "term.organization_code", term.organization_code(), true);
  if (term.term_number() < 1 || term.term_number() > 99)
    v.Add("term.term_number", "must be 1 to 99");
  CheckYear(v, "term.start_year", term.start_year());
  CheckYear(v, "term.end_year", term.end_year());
  if (term.end_year() < term.start_year()) {
    v.Add("term.end_year", "must not be before start_year");
  } else if (term.end_year() - term.start_year() > 10) {
    v.Add("term.end_year", "a term lasts at most 10 years");
  }
  CheckDate(v, "term.held_on", term.held_on(), false);
  ValidateCommitteeMembers(v, term.members(), "term.members");
  return v;
}

}  // namespace registry

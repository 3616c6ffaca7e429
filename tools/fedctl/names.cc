#include "tools/fedctl/names.h"

#include <algorithm>
#include <vector>

#include <google/protobuf/descriptor.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "services/common/auth.h"
#include "tools/fedctl/cli.h"

namespace fedctl {
namespace {

namespace pb = google::protobuf;
using federation::v1::Organization;

constexpr absl::string_view kProvincialUnionPrefix = "Liên hiệp các Hội Khoa học và Kỹ thuật ";

std::string Label(const pb::EnumDescriptor* descriptor, int value, absl::string_view prefix) {
  const pb::EnumValueDescriptor* found = descriptor->FindValueByNumber(value);
  if (!found) return absl::StrCat(value);
  absl::string_view name = found->name();
  absl::ConsumePrefix(&name, prefix);
  return absl::AsciiStrToLower(name);
}

// Every label except UNSPECIFIED, for error messages.
std::vector<std::string> Labels(const pb::EnumDescriptor* descriptor, absl::string_view prefix) {
  std::vector<std::string> labels;
  for (int i = 0; i < descriptor->value_count(); ++i) {
    if (descriptor->value(i)->number() == 0) continue;
    labels.push_back(Label(descriptor, descriptor->value(i)->number(), prefix));
  }
  return labels;
}

int ParseLabel(const pb::EnumDescriptor* descriptor, absl::string_view prefix,
               absl::string_view text, absl::string_view what) {
  std::string name = absl::AsciiStrToUpper(text);
  std::replace(name.begin(), name.end(), '-', '_');
  if (!absl::StartsWith(name, prefix)) name = absl::StrCat(prefix, name);
  const pb::EnumValueDescriptor* found = descriptor->FindValueByName(name);
  if (!found || found->number() == 0) {
    throw UsageError(absl::StrCat(what, " must be one of ",
                                  absl::StrJoin(Labels(descriptor, prefix), ", "), "; got '", text,
                                  "'"));
  }
  return found->number();
}

// Vietnamese abbreviations people use for committees and officers.
struct Alias {
  absl::string_view abbreviation;
  absl::string_view label;
};
constexpr Alias kCommitteeAliases[] = {
    {"bch", "executive"}, {"btv", "standing"}, {"bkt", "inspection"}};
constexpr Alias kPositionAliases[] = {{"ct", "chair"},
                                      {"pct", "vice_chair"},
                                      {"ttk", "general_secretary"},
                                      {"tbkt", "head_of_inspection"},
                                      {"uv", "member"}};

template <size_t N>
absl::string_view ResolveAlias(const Alias (&aliases)[N], absl::string_view text) {
  std::string lower = absl::AsciiStrToLower(text);
  for (const auto& alias : aliases) {
    if (alias.abbreviation == lower) return alias.label;
  }
  return text;
}

}  // namespace

std::string KindLabel(federation::v1::OrganizationKind kind) {
  return Label(federation::v1::OrganizationKind_descriptor(), kind, "ORGANIZATION_KIND_");
}
std::string StatusLabel(federation::v1::OrganizationStatus status) {
  return Label(federation::v1::OrganizationStatus_descriptor(), status, "ORGANIZATION_STATUS_");
}
std::string CommitteeLabel(federation::v1::Committee committee) {
  return Label(federation::v1::Committee_descriptor(), committee, "COMMITTEE_");
}
std::string PositionLabel(federation::v1::Position position) {
  return Label(federation::v1::Position_descriptor(), position, "POSITION_");
}
std::string RecognitionLabel(federation::v1::RecognitionState state) {
  return Label(federation::v1::RecognitionState_descriptor(), state, "RECOGNITION_STATE_");
}
std::string ClusterRoleLabel(federation::v1::ClusterRole role) {
  return Label(federation::v1::ClusterRole_descriptor(), role, "CLUSTER_ROLE_");
}

federation::v1::OrganizationKind ParseKind(absl::string_view text, absl::string_view what) {
  return static_cast<federation::v1::OrganizationKind>(
      ParseLabel(federation::v1::OrganizationKind_descriptor(), "ORGANIZATION_KIND_", text, what));
}

federation::v1::Committee ParseCommittee(absl::string_view text, absl::string_view what) {
  return static_cast<federation::v1::Committee>(
      ParseLabel(federation::v1::Committee_descriptor(), "COMMITTEE_",
                 ResolveAlias(kCommitteeAliases, text), what));
}

federation::v1::Position ParsePosition(absl::string_view text, absl::string_view what) {
  return static_cast<federation::v1::Position>(
      ParseLabel(federation::v1::Position_descriptor(), "POSITION_",
                 ResolveAlias(kPositionAliases, text), what));
}

federation::v1::Role ParseRole(absl::string_view text, absl::string_view what) {
  std::string name = absl::AsciiStrToLower(text);
  std::replace(name.begin(), name.end(), '-', '_');
  federation::v1::Role role = fed::RoleFromName(name);
  if (role == federation::v1::ROLE_UNSPECIFIED) {
    std::vector<std::string> names;
    for (int r = 1; federation::v1::Role_IsValid(r); ++r) {
      names.emplace_back(fed::RoleName(static_cast<federation::v1::Role>(r)));
    }
    throw UsageError(
        absl::StrCat(what, " must be one of ", absl::StrJoin(names, ", "), "; got '", text, "'"));
  }
  return role;
}

std::string PlaceName(const Organization& organization) {
  absl::string_view name = organization.name();
  if (absl::ConsumePrefix(&name, kProvincialUnionPrefix) && !name.empty()) return std::string(name);
  return organization.name();
}

std::string TermYears(const federation::v1::CongressTerm& term) {
  std::string years = absl::StrCat(term.start_year(), "–", term.end_year());
  if (term.extended_to_year() != 0)
    absl::StrAppend(&years, " (extended to ", term.extended_to_year(), ")");
  return years;
}

}  // namespace fedctl

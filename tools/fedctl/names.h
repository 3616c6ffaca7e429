// The words fedctl uses for the registry's enums, both ways: what a user
// types ("provincial_union", "vice_chair") and what tables show.
#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "federation/v1/common.pb.h"
#include "federation/v1/registry.pb.h"

namespace fedctl {

// Labels are the enum value names without their prefix, lower-cased:
// ORGANIZATION_KIND_PROVINCIAL_UNION -> "provincial_union".
std::string KindLabel(federation::v1::OrganizationKind kind);
std::string StatusLabel(federation::v1::OrganizationStatus status);
std::string CommitteeLabel(federation::v1::Committee committee);
std::string PositionLabel(federation::v1::Position position);
std::string RecognitionLabel(federation::v1::RecognitionState state);
std::string ClusterRoleLabel(federation::v1::ClusterRole role);

// Parsers accept a label in either case, with '-' or '_'; they throw
// UsageError naming the accepted words otherwise. `what` names the option.
federation::v1::OrganizationKind ParseKind(absl::string_view text, absl::string_view what);
// Also the Vietnamese abbreviations BCH, BTV, BKT.
federation::v1::Committee ParseCommittee(absl::string_view text, absl::string_view what);
// Also CT, PCT, TTK, TBKT.
federation::v1::Position ParsePosition(absl::string_view text, absl::string_view what);
// A role name as in auth.h ("national_admin").
federation::v1::Role ParseRole(absl::string_view text, absl::string_view what);

// A provincial union's place name: the organisation name without the
// "Liên hiệp các Hội Khoa học và Kỹ thuật " every provincial union shares,
// so that "44 (Quảng Bình)" fits on a line. Other names are returned whole.
std::string PlaceName(const federation::v1::Organization& organization);

// "2019–2024" or "2019–2024 (extended to 2025)".
std::string TermYears(const federation::v1::CongressTerm& term);

}  // namespace fedctl

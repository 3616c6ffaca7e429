// Edge validation of registry requests: every problem, with its field, before
// anything touches the database. Pure functions, unit-tested without a server.
#pragma once

#include "federation/v1/registry.pb.h"
#include "services/common/validation.h"

namespace registry {

namespace v1 = federation::v1;

// Limits a person would recognise: names as long as any real one and then some.
inline constexpr size_t kMaxNameChars = 300;
inline constexpr size_t kMaxShortNameChars = 80;
inline constexpr size_t kMaxFieldChars = 120;
inline constexpr size_t kMaxTextChars = 2000;
inline constexpr int kMaxCommitteeMembers = 200;

// Fields shared by create and update: names, counts, dates, kind-specific rules.
void ValidateOrganizationFields(fed::Violations& v, const v1::Organization& org,
                                const std::string& prefix);
fed::Violations ValidateCreateOrganization(const v1::CreateOrganizationRequest& request);
fed::Violations ValidateUpdateOrganization(const v1::UpdateOrganizationRequest& request);
fed::Violations ValidateRetire(const v1::RetireOrganizationRequest& request);
fed::Violations ValidateMerger(const v1::Merger& merger);
fed::Violations ValidateCluster(const v1::EmulationCluster& cluster);
fed::Violations ValidateCongressTerm(const v1::CongressTerm& term);
void ValidateCommitteeMembers(fed::Violations& v,
                              const google::protobuf::RepeatedPtrField<v1::CommitteeMember>& m,
                              const std::string& prefix);

// Province codes are the statistics office's two digits.
bool IsProvinceCode(const std::string& code);

}  // namespace registry

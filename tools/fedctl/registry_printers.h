// Readable forms of the registry's messages, shared by the commands that
// show the same things (an organisation appears in `org show`, `org create`
// and `profile`).
#pragma once

#include <iosfwd>
#include <string>

#include <google/protobuf/repeated_ptr_field.h>

#include "federation/v1/registry.pb.h"
#include "tools/fedctl/output.h"

namespace fedctl {

// "44, 45".
std::string JoinCodes(const google::protobuf::RepeatedPtrField<std::string>& codes);

// Every field of an organisation as "label: value" lines.
Fields OrganizationFields(const federation::v1::Organization& organization);
void PrintOrganization(std::ostream& out, const federation::v1::Organization& organization);

// A congress term's facts (without its members).
Fields CongressTermFields(const federation::v1::CongressTerm& term);
// The elected people grouped by committee (executive, standing,
// inspection), officers first within each.
void PrintLeadership(std::ostream& out, const federation::v1::CongressTerm& term,
                     absl::string_view indent = "");
// Facts, leadership and, if `with_history`, the events of the term.
void PrintCongressTerm(std::ostream& out, const federation::v1::CongressTerm& term,
                       bool with_history);

// Mergers as a table: id, effective_on, successor, predecessors, decision.
void PrintMergerTable(std::ostream& out,
                      const google::protobuf::RepeatedPtrField<federation::v1::Merger>& mergers);

// Clusters as a table: number, name, head, deputy, size, members.
void PrintClusterTable(
    std::ostream& out,
    const google::protobuf::RepeatedPtrField<federation::v1::EmulationCluster>& clusters);
void PrintCluster(std::ostream& out, const federation::v1::EmulationCluster& cluster);

}  // namespace fedctl

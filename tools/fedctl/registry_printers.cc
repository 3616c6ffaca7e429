#include "tools/fedctl/registry_printers.h"

#include <algorithm>
#include <ostream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/fedctl/names.h"

namespace fedctl {
namespace {

using federation::v1::CommitteeMember;
using federation::v1::CongressTerm;
using federation::v1::Organization;

std::string CountText(int64_t count) { return count == 0 ? "" : absl::StrCat(count); }

// "2025-07-01 09:30:00 by fedctl@an", or whichever half is known.
std::string WhenAndWho(const google::protobuf::Timestamp& at, const std::string& who) {
  std::string when = FormatTimestamp(at);
  if (when.empty() || who.empty()) return when.empty() ? who : when;
  return absl::StrCat(when, " by ", who);
}

// Officers before ordinary members, in the order a decision lists them.
int PositionRank(federation::v1::Position position) {
  switch (position) {
    case federation::v1::POSITION_CHAIR:
      return 0;
    case federation::v1::POSITION_VICE_CHAIR:
      return 1;
    case federation::v1::POSITION_GENERAL_SECRETARY:
      return 2;
    case federation::v1::POSITION_HEAD_OF_INSPECTION:
      return 3;
    case federation::v1::POSITION_MEMBER:
      return 4;
    default:
      return 5;
  }
}

struct CommitteeTitle {
  federation::v1::Committee committee;
  const char* title;
};
constexpr CommitteeTitle kCommitteeTitles[] = {
    {federation::v1::COMMITTEE_EXECUTIVE, "executive committee (BCH)"},
    {federation::v1::COMMITTEE_STANDING, "standing committee (BTV)"},
    {federation::v1::COMMITTEE_INSPECTION, "inspection committee (BKT)"},
    {federation::v1::COMMITTEE_UNSPECIFIED, "committee not given"},
};

std::vector<const CommitteeMember*> MembersOf(const CongressTerm& term,
                                              federation::v1::Committee committee) {
  std::vector<const CommitteeMember*> members;
  for (const auto& member : term.members()) {
    if (member.committee() == committee) members.push_back(&member);
  }
  std::stable_sort(members.begin(), members.end(), [](const auto* a, const auto* b) {
    return PositionRank(a->position()) < PositionRank(b->position());
  });
  return members;
}

}  // namespace

std::string JoinCodes(const google::protobuf::RepeatedPtrField<std::string>& codes) {
  return absl::StrJoin(codes, ", ");
}

Fields OrganizationFields(const Organization& organization) {
  return {
      {"code", organization.code()},
      {"kind", KindLabel(organization.kind())},
      {"name", organization.name()},
      {"short name", organization.short_name()},
      {"parent", organization.parent_code()},
      {"region", organization.region()},
      {"field", organization.field()},
      {"founded on", organization.founded_on()},
      {"members", CountText(organization.member_count())},
      {"intellectuals", CountText(organization.intellectual_count())},
      {"status", StatusLabel(organization.status())},
      {"active from", organization.active_from()},
      {"active until", organization.active_until()},
      {"successor", organization.successor_code()},
      {"revision", CountText(organization.revision())},
      {"updated", WhenAndWho(organization.updated_at(), organization.updated_by())},
  };
}

void PrintOrganization(std::ostream& out, const Organization& organization) {
  PrintFields(out, OrganizationFields(organization));
}

Fields CongressTermFields(const CongressTerm& term) {
  return {
      {"id", absl::StrCat(term.id())},
      {"organisation", term.organization_code()},
      {"term", absl::StrCat(term.term_number(), ", ", TermYears(term))},
      {"held on", term.held_on()},
      {"state", RecognitionLabel(term.state())},
      {"decision", absl::StrCat(term.decision_number(), term.decision_date().empty() ? "" : " of ",
                                term.decision_date())},
      {"returned because", term.return_reason()},
  };
}

void PrintLeadership(std::ostream& out, const CongressTerm& term, absl::string_view indent) {
  for (const auto& [committee, title] : kCommitteeTitles) {
    auto members = MembersOf(term, committee);
    if (members.empty()) continue;
    out << indent << title << ", " << members.size()
        << (members.size() == 1 ? " person" : " people") << ":\n";
    Fields fields;
    for (const auto* member : members) {
      fields.emplace_back(PositionLabel(member->position()), member->full_name());
    }
    PrintFields(out, fields, absl::StrCat(indent, "  "));
  }
}

void PrintCongressTerm(std::ostream& out, const CongressTerm& term, bool with_history) {
  PrintFields(out, CongressTermFields(term));
  if (term.members_size() > 0) {
    out << "\n";
    PrintLeadership(out, term);
  }
  if (with_history && term.history_size() > 0) {
    out << "\nhistory:\n";
    Table table({"at", "event", "by", "detail"});
    for (const auto& event : term.history()) {
      table.AddRow({FormatTimestamp(event.at()), event.event(), event.actor(), event.detail()});
    }
    table.Print(out);
  }
}

void PrintMergerTable(std::ostream& out,
                      const google::protobuf::RepeatedPtrField<federation::v1::Merger>& mergers) {
  Table table({"id", "effective_on", "successor", "predecessors", "decision"});
  for (const auto& merger : mergers) {
    table.AddRow({absl::StrCat(merger.id()), merger.effective_on(), merger.successor_code(),
                  JoinCodes(merger.predecessor_codes()), merger.decision()});
  }
  table.Print(out);
}

void PrintClusterTable(
    std::ostream& out,
    const google::protobuf::RepeatedPtrField<federation::v1::EmulationCluster>& clusters) {
  Table table({"number", "name", "head", "deputy", "size", "members"});
  for (const auto& cluster : clusters) {
    table.AddRow({absl::StrCat(cluster.number()), cluster.name(), cluster.head_code(),
                  cluster.deputy_code(), absl::StrCat(cluster.member_codes_size()),
                  JoinCodes(cluster.member_codes())});
  }
  table.Print(out);
}

void PrintCluster(std::ostream& out, const federation::v1::EmulationCluster& cluster) {
  PrintFields(out, {
                       {"year", absl::StrCat(cluster.year())},
                       {"number", absl::StrCat(cluster.number())},
                       {"name", cluster.name()},
                       {"head", cluster.head_code()},
                       {"deputy", cluster.deputy_code()},
                       {"members", JoinCodes(cluster.member_codes())},
                   });
}

}  // namespace fedctl

// Organisations: `provinces`, `orgs` and the `org ...` commands.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "services/common/dates.h"
#include "tools/fedctl/commands.h"
#include "tools/fedctl/names.h"
#include "tools/fedctl/registry_client.h"
#include "tools/fedctl/registry_printers.h"

namespace fedctl {
namespace {

using federation::v1::ListOrganizationsRequest;
using federation::v1::ListOrganizationsResponse;
using federation::v1::Organization;
using Stub = RegistryClient::Stub;

std::string TodayText() { return fed::FormatDate(fed::Today()); }

// --as-of (default today) or, with --all, every date.
void SetDateFilter(const Invocation& invocation, ListOrganizationsRequest& request) {
  request.set_as_of(invocation.GetDate("as-of", TodayText()));
  request.set_include_inactive(invocation.Switch("all"));
}

// "as of 2025-07-01", or "on any date" with --all.
std::string DateFilterText(const ListOrganizationsRequest& request) {
  if (request.cluster_number() != 0) {
    std::string text =
        absl::StrCat("in cluster ", request.cluster_number(), " of ", request.cluster_year());
    return request.include_inactive() ? text : absl::StrCat(text, " as of ", request.as_of());
  }
  return request.include_inactive() ? "on any date" : absl::StrCat("as of ", request.as_of());
}

int RunProvinces(const Invocation& invocation) {
  ListOrganizationsRequest request;
  request.set_kind(federation::v1::ORGANIZATION_KIND_PROVINCIAL_UNION);
  SetDateFilter(invocation, request);
  if (invocation.Has("year") && !invocation.Has("cluster")) {
    throw UsageError("--year selects the year of --cluster; give --cluster too");
  }
  if (invocation.Has("cluster")) {
    request.set_cluster_number(static_cast<int32_t>(invocation.GetCount("cluster", 0)));
    request.set_cluster_year(invocation.GetYear("year"));
    // The cluster's year already says who belongs; today's date would hide
    // members merged away since (2024's cluster 8 had six provinces).
    if (!invocation.Has("as-of")) request.set_include_inactive(true);
  }

  ListOrganizationsResponse response;
  auto client = RegistryClient::Connect(invocation.global());
  if (auto status = ListAllOrganizations(client, request, &response); !status.ok()) {
    return ReportRpcError(status);
  }
  return Show(invocation, response, [&] {
    Table table({"code", "name", "region", "active_from", "active_until", "successor"});
    for (const auto& organization : response.organizations()) {
      table.AddRow({organization.code(), PlaceName(organization), organization.region(),
                    organization.active_from(), organization.active_until(),
                    organization.successor_code()});
    }
    table.Print(std::cout);
    std::cout << CountOf(response.organizations_size(), "province", "provinces") << " "
              << DateFilterText(request) << "\n";
  });
}

int RunOrgs(const Invocation& invocation) {
  ListOrganizationsRequest request;
  if (invocation.Has("kind")) request.set_kind(ParseKind(invocation.Get("kind"), "--kind"));
  request.set_parent_code(invocation.Get("parent"));
  SetDateFilter(invocation, request);

  ListOrganizationsResponse response;
  auto client = RegistryClient::Connect(invocation.global());
  if (auto status = ListAllOrganizations(client, request, &response); !status.ok()) {
    return ReportRpcError(status);
  }
  return Show(invocation, response, [&] {
    Table table({"code", "kind", "name", "parent", "members", "active_from", "active_until"});
    for (const auto& organization : response.organizations()) {
      table.AddRow(
          {organization.code(), KindLabel(organization.kind()), organization.name(),
           organization.parent_code(),
           organization.member_count() == 0 ? "" : absl::StrCat(organization.member_count()),
           organization.active_from(), organization.active_until()});
    }
    table.Print(std::cout);
    std::cout << CountOf(response.organizations_size(), "organisation", "organisations") << " "
              << DateFilterText(request) << "\n";
  });
}

absl::Status GetOrganization(const RegistryClient& client, const std::string& code,
                             Organization* organization) {
  federation::v1::GetOrganizationRequest request;
  request.set_code(code);
  return client.Call(&Stub::GetOrganization, request, organization);
}

int RunOrgShow(const Invocation& invocation) {
  Organization organization;
  auto client = RegistryClient::Connect(invocation.global());
  if (auto status = GetOrganization(client, invocation.argument(0), &organization); !status.ok()) {
    return ReportRpcError(status);
  }
  return Show(invocation, organization, [&] { PrintOrganization(std::cout, organization); });
}

int RunOrgHistory(const Invocation& invocation) {
  federation::v1::GetOrganizationHistoryRequest request;
  request.set_code(invocation.argument(0));
  federation::v1::OrganizationHistory history;
  auto client = RegistryClient::Connect(invocation.global());
  if (auto status = client.Call(&Stub::GetOrganizationHistory, request, &history); !status.ok()) {
    return ReportRpcError(status);
  }
  return Show(invocation, history, [&] {
    Table table({"rev", "at", "by", "change", "status", "name", "note"});
    for (const auto& revision : history.revisions()) {
      const Organization& organization = revision.organization();
      table.AddRow({absl::StrCat(organization.revision()),
                    FormatTimestamp(organization.updated_at()), organization.updated_by(),
                    revision.change(), StatusLabel(organization.status()), organization.name(),
                    revision.note()});
    }
    table.Print(std::cout);
  });
}

// The fields `org create` and `org update` both take.
CommandSpec& WithOrganizationFieldOptions(CommandSpec& command) {
  return command.Option("short-name", "TEXT", "short name, e.g. \"LHH Sơn La\"")
      .Option("parent", "CODE", "organisation it belongs to")
      .Option("founded", "DATE", "founding date YYYY-MM-DD")
      .Option("field", "TEXT", "field of activity (associations)")
      .Option("members", "N", "number of individual members")
      .Option("intellectuals", "N", "S&T intellectuals among the members")
      .Option("region", "TEXT", "region, e.g. \"Tây Bắc\"");
}

// Copies the field options that were given into `organization`; returns
// whether any was. An option given as "" clears its field.
bool ApplyOrganizationFieldOptions(const Invocation& invocation, Organization& organization) {
  bool changed = false;
  auto text = [&](const char* option, std::string* field) {
    if (!invocation.Has(option)) return;
    *field = invocation.Get(option);
    changed = true;
  };
  text("name", organization.mutable_name());
  text("short-name", organization.mutable_short_name());
  text("parent", organization.mutable_parent_code());
  text("field", organization.mutable_field());
  text("region", organization.mutable_region());
  if (invocation.Has("founded")) {
    // "" clears an unknown founding date; anything else must be a real date.
    organization.set_founded_on(invocation.Get("founded").empty() ? ""
                                                                  : invocation.GetDate("founded"));
    changed = true;
  }
  if (invocation.Has("members")) {
    organization.set_member_count(invocation.GetCount("members", 0));
    changed = true;
  }
  if (invocation.Has("intellectuals")) {
    organization.set_intellectual_count(invocation.GetCount("intellectuals", 0));
    changed = true;
  }
  return changed;
}

int RunOrgCreate(const Invocation& invocation) {
  federation::v1::CreateOrganizationRequest request;
  Organization& organization = *request.mutable_organization();
  organization.set_code(invocation.Get("code"));
  organization.set_kind(ParseKind(invocation.Get("kind"), "--kind"));
  organization.set_active_from(invocation.GetDate("from"));
  ApplyOrganizationFieldOptions(invocation, organization);

  Organization created;
  auto client = RegistryClient::Connect(invocation.global());
  if (auto status = client.Call(&Stub::CreateOrganization, request, &created); !status.ok()) {
    return ReportRpcError(status);
  }
  return Show(invocation, created, [&] {
    std::cout << "created " << created.code() << "\n\n";
    PrintOrganization(std::cout, created);
  });
}

int RunOrgUpdate(const Invocation& invocation) {
  // Check the options on a scratch copy first: a malformed value is a usage
  // error whether or not the organisation exists.
  Organization scratch;
  if (!ApplyOrganizationFieldOptions(invocation, scratch)) {
    throw UsageError("nothing to change: give at least one field option such as --name");
  }
  int64_t expected_revision = invocation.GetCount("expected-revision", 0);

  auto client = RegistryClient::Connect(invocation.global());
  federation::v1::UpdateOrganizationRequest request;
  Organization& organization = *request.mutable_organization();
  if (auto status = GetOrganization(client, invocation.argument(0), &organization); !status.ok()) {
    return ReportRpcError(status);
  }
  ApplyOrganizationFieldOptions(invocation, organization);
  // Without --expected-revision the revision just read protects against a
  // change made between our read and our write.
  request.set_expected_revision(invocation.Has("expected-revision") ? expected_revision
                                                                    : organization.revision());

  Organization updated;
  if (auto status = client.Call(&Stub::UpdateOrganization, request, &updated); !status.ok()) {
    return ReportRpcError(status);
  }
  return Show(invocation, updated, [&] {
    std::cout << "updated " << updated.code() << " (revision " << updated.revision() << ")\n\n";
    PrintOrganization(std::cout, updated);
  });
}

int RunOrgRetire(const Invocation& invocation) {
  federation::v1::RetireOrganizationRequest request;
  request.set_code(invocation.argument(0));
  request.set_effective_on(invocation.GetDate("on"));
  request.set_reason(invocation.Get("reason"));

  Organization retired;
  auto client = RegistryClient::Connect(invocation.global());
  if (auto status = client.Call(&Stub::RetireOrganization, request, &retired); !status.ok()) {
    return ReportRpcError(status);
  }
  return Show(invocation, retired, [&] {
    std::cout << "retired " << retired.code() << " from " << retired.active_until() << "\n\n";
    PrintOrganization(std::cout, retired);
  });
}

CommandSpec OrgCreateCommand() {
  CommandSpec command =
      Command("org create", "Create an organisation.", RunOrgCreate)
          .Required("code", "CODE", "public code: 14, VUSTA, 14-KT (A-Z 0-9 . - _)")
          .Required("kind", "KIND",
                    "national_union, provincial_union, member_association, collective_member "
                    "or affiliated_unit")
          .Required("name", "TEXT", "full Vietnamese name")
          .Required("from", "DATE", "first day it exists in the registry");
  return WithOrganizationFieldOptions(command);
}

CommandSpec OrgUpdateCommand() {
  CommandSpec command =
      Command("org update", "Change fields of an organisation (only those given).", RunOrgUpdate)
          .Args("CODE", 1, 1)
          .Option("name", "TEXT", "full Vietnamese name")
          .Option("expected-revision", "N",
                  "refuse if it changed since revision N (default: as read)");
  return WithOrganizationFieldOptions(command);
}

}  // namespace

std::vector<CommandSpec> OrganizationCommands() {
  return {
      Command("provinces", "List the provincial unions on a date.", RunProvinces)
          .Option("as-of", "DATE", "date YYYY-MM-DD (default today)")
          .Switch("all", "include provinces retired, merged or not yet active")
          .Option("cluster", "N", "only members of emulation cluster N")
          .Option("year", "YEAR", "year of --cluster (default this year)"),
      Command("orgs", "List organisations.", RunOrgs)
          .Option("kind", "KIND",
                  "national_union, provincial_union, member_association, collective_member or "
                  "affiliated_unit")
          .Option("parent", "CODE", "only organisations directly under CODE")
          .Option("as-of", "DATE", "date YYYY-MM-DD (default today)")
          .Switch("all", "include organisations not active on that date"),
      Command("org show", "Show one organisation.", RunOrgShow).Args("CODE", 1, 1),
      Command("org history", "Show every recorded change of an organisation.", RunOrgHistory)
          .Args("CODE", 1, 1),
      OrgCreateCommand(),
      OrgUpdateCommand(),
      Command("org retire", "Retire an organisation from a date.", RunOrgRetire)
          .Args("CODE", 1, 1)
          .Required("on", "DATE", "first day it no longer exists")
          .Required("reason", "TEXT", "why, e.g. the dissolution decision"),
  };
}

}  // namespace fedctl

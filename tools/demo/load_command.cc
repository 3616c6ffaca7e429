// `fed-demo load`: puts the demo data set (demo_data.h) into a registry
// through its public API, as a national admin would. Loading is idempotent:
// whatever already exists is left alone, so `tools/dev up` can run it on
// every start.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "tools/demo/commands.h"
#include "tools/demo/demo_data.h"
#include "tools/fedctl/output.h"
#include "tools/fedctl/registry_client.h"

namespace fedctl::demo {
namespace {

using federation::v1::CongressTerm;
using federation::v1::EmulationCluster;
using federation::v1::Merger;
using federation::v1::Organization;
using Stub = RegistryClient::Stub;

constexpr int kYearsOfProvinceClusters[] = {2022, 2023, 2024, 2025};
constexpr int kFirstYearAfterMerger = 2026;
// The demo's check: every province exists the day before the year of the
// merger, and only the successors on the day of it.
constexpr char kDayBeforeMergerYear[] = "2024-12-31";

bool AlreadyExists(const absl::Status& status) {
  return status.code() == absl::StatusCode::kAlreadyExists;
}

// What one step did, for the summary.
struct Tally {
  std::string what;
  int created = 0;
  int present = 0;
  int updated = 0;  // existed, but was brought to the demo's state
};

class DemoLoader {
 public:
  DemoLoader(const RegistryClient& client, std::vector<ProvinceRow> rows)
      : client_(client), rows_(std::move(rows)) {}

  // Runs every step in order; stops at the first call that fails, which
  // doing() then describes.
  absl::Status Load();
  const std::string& doing() const { return doing_; }
  void PrintSummary(std::ostream& out) const;
  // Counts the provinces on both sides of the merger, as a check.
  absl::Status PrintProvinceCounts(std::ostream& out);

 private:
  absl::Status LoadOrganizations(const std::vector<Organization>& organizations, Tally& tally);
  absl::Status LoadMerger(const Merger& merger, Tally& tally);
  absl::Status LoadClusters(const std::vector<EmulationCluster>& clusters, Tally& tally);
  absl::Status LoadCongress(const CongressPlan& plan, Tally& tally);
  absl::Status FindCongressTerm(const CongressTerm& wanted, CongressTerm* found, bool* exists);
  absl::Status AdvanceCongress(const CongressPlan& plan, CongressTerm& term, bool* changed);
  absl::Status CountProvinces(const std::string& as_of, int* count);

  const RegistryClient& client_;
  std::vector<ProvinceRow> rows_;
  std::vector<Tally> tallies_;
  std::string doing_;
};

absl::Status DemoLoader::Load() {
  tallies_ = {{"national union"},     {"provincial unions"},   {"mergers (2025-07-01)"},
              {"emulation clusters"}, {"member associations"}, {"congress terms"}};
  Tally& national = tallies_[0];
  Tally& provinces = tallies_[1];
  Tally& mergers = tallies_[2];
  Tally& clusters = tallies_[3];
  Tally& associations = tallies_[4];
  Tally& congresses = tallies_[5];

  if (auto s = LoadOrganizations({NationalUnion()}, national); !s.ok()) return s;

  std::vector<Organization> unions;
  for (const auto& row : rows_) unions.push_back(ProvincialUnion(row));
  if (auto s = LoadOrganizations(unions, provinces); !s.ok()) return s;

  for (const auto& merger : Mergers2025(rows_)) {
    if (auto s = LoadMerger(merger, mergers); !s.ok()) return s;
  }

  for (int year : kYearsOfProvinceClusters) {
    if (auto s = LoadClusters(ClustersOfProvinces(rows_, year), clusters); !s.ok()) return s;
  }
  auto after_merger = ClustersOfSuccessors(rows_, kFirstYearAfterMerger);
  if (auto s = LoadClusters(after_merger, clusters); !s.ok()) return s;

  if (auto s = LoadOrganizations(MemberAssociations(rows_), associations); !s.ok()) return s;

  for (const auto& plan : CongressPlans()) {
    if (auto s = LoadCongress(plan, congresses); !s.ok()) return s;
  }
  doing_.clear();
  return absl::OkStatus();
}

absl::Status DemoLoader::LoadOrganizations(const std::vector<Organization>& organizations,
                                           Tally& tally) {
  for (const auto& organization : organizations) {
    doing_ = absl::StrCat("creating organisation ", organization.code());
    federation::v1::CreateOrganizationRequest request;
    *request.mutable_organization() = organization;
    Organization created;
    absl::Status status = client_.Call(&Stub::CreateOrganization, request, &created);
    if (AlreadyExists(status)) {
      ++tally.present;
    } else if (status.ok()) {
      ++tally.created;
    } else {
      return status;
    }
  }
  return absl::OkStatus();
}

// Looks the merger up first: unlike a create, recording a merger twice is
// not necessarily refused by the server.
absl::Status DemoLoader::LoadMerger(const Merger& merger, Tally& tally) {
  doing_ = absl::StrCat("listing mergers of ", merger.successor_code());
  federation::v1::ListMergersRequest list_request;
  list_request.set_code(merger.successor_code());
  federation::v1::ListMergersResponse existing;
  if (auto s = client_.Call(&Stub::ListMergers, list_request, &existing); !s.ok()) return s;
  for (const auto& recorded : existing.mergers()) {
    if (recorded.successor_code() == merger.successor_code() &&
        recorded.effective_on() == merger.effective_on()) {
      ++tally.present;
      return absl::OkStatus();
    }
  }

  doing_ = absl::StrCat("recording the merger into ", merger.successor_code());
  federation::v1::RecordMergerRequest request;
  *request.mutable_merger() = merger;
  Merger recorded;
  absl::Status status = client_.Call(&Stub::RecordMerger, request, &recorded);
  if (AlreadyExists(status)) {
    ++tally.present;
    return absl::OkStatus();
  }
  if (status.ok()) ++tally.created;
  return status;
}

absl::Status DemoLoader::LoadClusters(const std::vector<EmulationCluster>& clusters, Tally& tally) {
  for (const auto& cluster : clusters) {
    doing_ = absl::StrCat("creating cluster ", cluster.number(), " of ", cluster.year());
    federation::v1::CreateClusterRequest request;
    *request.mutable_cluster() = cluster;
    EmulationCluster created;
    absl::Status status = client_.Call(&Stub::CreateCluster, request, &created);
    if (AlreadyExists(status)) {
      ++tally.present;
    } else if (status.ok()) {
      ++tally.created;
    } else {
      return status;
    }
  }
  return absl::OkStatus();
}

absl::Status DemoLoader::FindCongressTerm(const CongressTerm& wanted, CongressTerm* found,
                                          bool* exists) {
  doing_ = absl::StrCat("listing congress terms of ", wanted.organization_code());
  federation::v1::ListCongressTermsRequest request;
  request.set_organization_code(wanted.organization_code());
  federation::v1::ListCongressTermsResponse response;
  if (auto s = client_.Call(&Stub::ListCongressTerms, request, &response); !s.ok()) return s;
  *exists = false;
  for (const auto& term : response.terms()) {
    if (term.term_number() == wanted.term_number()) {
      *found = term;
      *exists = true;
    }
  }
  return absl::OkStatus();
}

absl::Status DemoLoader::LoadCongress(const CongressPlan& plan, Tally& tally) {
  CongressTerm term;
  bool exists = false;
  if (auto s = FindCongressTerm(plan.term, &term, &exists); !s.ok()) return s;
  if (!exists) {
    doing_ = absl::StrCat("recording congress term ", plan.term.term_number(), " of ",
                          plan.term.organization_code());
    federation::v1::RecordCongressRequest request;
    *request.mutable_term() = plan.term;
    if (auto s = client_.Call(&Stub::RecordCongress, request, &term); !s.ok()) return s;
  }
  bool changed = false;
  if (auto s = AdvanceCongress(plan, term, &changed); !s.ok()) return s;
  if (!exists) {
    ++tally.created;
  } else if (changed) {
    ++tally.updated;
  } else {
    ++tally.present;
  }
  return absl::OkStatus();
}

// Takes a term along RECORDED -> SUBMITTED -> RECOGNISED (-> extended) as
// far as the plan says. A term that an earlier, interrupted run left half
// way is finished; one someone returned or changed by hand is left alone.
absl::Status DemoLoader::AdvanceCongress(const CongressPlan& plan, CongressTerm& term,
                                         bool* changed) {
  using federation::v1::RECOGNITION_STATE_RECOGNISED;
  using federation::v1::RECOGNITION_STATE_RECORDED;
  using federation::v1::RECOGNITION_STATE_SUBMITTED;
  std::string which =
      absl::StrCat("congress term ", term.id(), " (", term.organization_code(), ")");

  if (term.state() == RECOGNITION_STATE_RECORDED &&
      plan.target_state != RECOGNITION_STATE_RECORDED) {
    doing_ = absl::StrCat("submitting ", which);
    federation::v1::SubmitCongressRequest request;
    request.set_term_id(term.id());
    if (auto s = client_.Call(&Stub::SubmitCongress, request, &term); !s.ok()) return s;
    *changed = true;
  }
  if (term.state() == RECOGNITION_STATE_SUBMITTED &&
      plan.target_state == RECOGNITION_STATE_RECOGNISED) {
    doing_ = absl::StrCat("recognising ", which);
    federation::v1::RecogniseCongressRequest request;
    request.set_term_id(term.id());
    request.set_decision_number(plan.decision_number);
    request.set_decision_date(plan.decision_date);
    if (auto s = client_.Call(&Stub::RecogniseCongress, request, &term); !s.ok()) return s;
    *changed = true;
  }
  if (plan.extended_to_year != 0 && term.state() == RECOGNITION_STATE_RECOGNISED &&
      term.extended_to_year() == 0) {
    doing_ = absl::StrCat("extending ", which);
    federation::v1::ExtendCongressTermRequest request;
    request.set_term_id(term.id());
    request.set_extended_to_year(plan.extended_to_year);
    request.set_reason(plan.extension_reason);
    if (auto s = client_.Call(&Stub::ExtendCongressTerm, request, &term); !s.ok()) return s;
    *changed = true;
  }
  return absl::OkStatus();
}

void DemoLoader::PrintSummary(std::ostream& out) const {
  Table table({"demo data", "created", "already present", "updated"});
  for (const auto& tally : tallies_) {
    table.AddRow({tally.what, absl::StrCat(tally.created), absl::StrCat(tally.present),
                  absl::StrCat(tally.updated)});
  }
  table.Print(out);
}

absl::Status DemoLoader::CountProvinces(const std::string& as_of, int* count) {
  doing_ = absl::StrCat("counting provinces as of ", as_of);
  federation::v1::ListOrganizationsRequest request;
  request.set_kind(federation::v1::ORGANIZATION_KIND_PROVINCIAL_UNION);
  request.set_as_of(as_of);
  federation::v1::ListOrganizationsResponse response;
  if (auto s = ListAllOrganizations(client_, request, &response); !s.ok()) return s;
  *count = response.organizations_size();
  return absl::OkStatus();
}

absl::Status DemoLoader::PrintProvinceCounts(std::ostream& out) {
  int before = 0;
  int after = 0;
  if (auto s = CountProvinces(kDayBeforeMergerYear, &before); !s.ok()) return s;
  if (auto s = CountProvinces(kMergerDate, &after); !s.ok()) return s;
  out << before << " provinces active on " << kDayBeforeMergerYear << ", " << after << " on "
      << kMergerDate << "\n";
  doing_.clear();
  return absl::OkStatus();
}

int RunDemoLoad(const Invocation& invocation) {
  std::vector<ProvinceRow> rows = ProvinceRowsOf(invocation);
  auto client = RegistryClient::Connect(invocation.global());
  DemoLoader loader(client, std::move(rows));
  if (absl::Status status = loader.Load(); !status.ok()) {
    loader.PrintSummary(std::cerr);  // what got in before the failure
    return ReportRpcError(loader.doing(), status);
  }
  loader.PrintSummary(std::cout);
  if (absl::Status status = loader.PrintProvinceCounts(std::cout); !status.ok()) {
    return ReportRpcError(loader.doing(), status);
  }
  return 0;
}

}  // namespace

CommandSpec LoadCommand() {
  CommandSpec command =
      Command("load", "Load the demo data set into the registry; safe to run again.", RunDemoLoad);
  return WithProvincesCsvOption(command);
}

}  // namespace fedctl::demo

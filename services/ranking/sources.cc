#include "services/ranking/sources.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/blocking.h"
#include "services/common/catalog.h"
#include "services/common/dates.h"
#include "services/common/status.h"

namespace ranking {

namespace {

constexpr absl::Duration kLongCall = absl::Seconds(30);  // pages of 5,000 organisations

fed::ServiceClient::Options CallOptions() {
  fed::ServiceClient::Options options;
  options.deadline = absl::Seconds(10);
  return options;
}

}  // namespace

Sources::Sources(std::shared_ptr<grpc::Channel> registry, std::shared_ptr<grpc::Channel> aggregator)
    : aggregator_channel_(aggregator),
      registry_(v1::RegistryService::NewStub(registry)),
      aggregator_(v1::AggregatorService::NewStub(aggregator)),
      registry_calls_("registry", "ranking", CallOptions()),
      aggregator_calls_("aggregator", "ranking", CallOptions()) {}

absl::StatusOr<std::vector<v1::EmulationCluster>> Sources::Clusters(int year) {
  RETURN_IF_ERROR(fed::CheckMayBlock());  // never from gRPC's own threads
  v1::ListClustersRequest req;
  req.set_year(year);
  v1::ListClustersResponse out;
  RETURN_IF_ERROR(registry_calls_.Read("ListClusters", [&](grpc::ClientContext& ctx) {
    return registry_->ListClusters(&ctx, req, &out);
  }));
  return std::vector<v1::EmulationCluster>(out.clusters().begin(), out.clusters().end());
}

namespace {

absl::StatusOr<OrgLife> LifeOf(const v1::Organization& org) {
  OrgLife life;
  life.name = org.short_name().empty() ? org.name() : org.short_name();
  if (!org.active_from().empty()) {
    ASSIGN_OR_RETURN(life.from, fed::ParseDate(org.active_from()));
  }
  if (!org.active_until().empty()) {
    ASSIGN_OR_RETURN(life.until, fed::ParseDate(org.active_until()));
  }
  life.successor_code = org.successor_code();
  return life;
}

}  // namespace

absl::StatusOr<std::map<std::string, OrgLife>> Sources::ProvincialUnions() {
  RETURN_IF_ERROR(fed::CheckMayBlock());  // never from gRPC's own threads
  v1::ListOrganizationsRequest req;
  req.set_kind(v1::ORGANIZATION_KIND_PROVINCIAL_UNION);
  req.set_include_inactive(true);
  req.set_page_size(5000);
  std::map<std::string, OrgLife> unions;
  for (;;) {
    v1::ListOrganizationsResponse page;
    RETURN_IF_ERROR(registry_calls_.Read(
        "ListOrganizations",
        [&](grpc::ClientContext& ctx) { return registry_->ListOrganizations(&ctx, req, &page); },
        kLongCall));
    for (const auto& org : page.organizations()) {
      ASSIGN_OR_RETURN(unions[org.code()], LifeOf(org));
    }
    if (page.next_page_token().empty()) break;
    req.set_page_token(page.next_page_token());
  }
  return unions;
}

absl::StatusOr<std::map<std::string, Sources::Counted>> Sources::Series(const std::string& code,
                                                                        const fed::Period& from,
                                                                        const fed::Period& to,
                                                                        bool roll_up) {
  RETURN_IF_ERROR(fed::CheckMayBlock());  // never from gRPC's own threads
  const auto& catalog = fed::LatestCatalog();
  v1::SeriesRequest req;
  req.set_organization_code(code);
  req.set_from_period(from.ToString());
  req.set_to_period(to.ToString());
  req.set_roll_up_predecessors(roll_up);
  std::map<std::string, int> index;
  for (int i = 0; i < catalog.indicators_size(); ++i) {
    req.add_indicator_codes(catalog.indicators(i).code());
    index[catalog.indicators(i).code()] = i;
  }
  v1::SeriesResponse out;
  RETURN_IF_ERROR(aggregator_calls_.Read("GetSeries", [&](grpc::ClientContext& ctx) {
    return aggregator_->GetSeries(&ctx, req, &out);
  }));
  std::map<std::string, Counted> result;
  for (const auto& point : out.points()) {
    Counted& c = result[point.period()];
    if (c.values.empty()) c.values.assign(catalog.indicators_size(), std::nan(""));
    if (point.present()) {
      c.values[index[point.indicator_code()]] = point.value();
      c.reported = true;
    }
  }
  return result;
}

absl::StatusOr<std::map<std::string, Sources::Counted>> Sources::CountedValues(
    const std::vector<std::string>& codes, const fed::Period& period) {
  RETURN_IF_ERROR(fed::CheckMayBlock());  // never from gRPC's own threads
  constexpr size_t kPerCall = 5000;
  const int indicators = fed::LatestCatalog().indicators_size();
  std::map<std::string, Counted> result;
  for (size_t first = 0; first < codes.size(); first += kPerCall) {
    v1::CountedValuesRequest req;
    req.set_period(period.ToString());
    for (size_t i = first; i < std::min(codes.size(), first + kPerCall); ++i)
      req.add_organization_codes(codes[i]);
    v1::CountedValuesResponse out;
    RETURN_IF_ERROR(aggregator_calls_.Read(
        "GetCountedValues",
        [&](grpc::ClientContext& ctx) { return aggregator_->GetCountedValues(&ctx, req, &out); },
        kLongCall));
    std::vector<int> index;  // position in the answer -> catalog index here
    for (const auto& code : out.indicator_codes()) index.push_back(fed::IndicatorIndex(code));
    for (const auto& org : out.organizations()) {
      Counted& c = result[org.organization_code()];
      c.values.assign(indicators, std::nan(""));
      c.reported = org.present();
      for (int k = 0; k < org.values_size() && k < static_cast<int>(index.size()); ++k) {
        if (index[k] >= 0) c.values[index[k]] = org.values(k);
      }
    }
  }
  return result;
}

absl::StatusOr<std::vector<Sources::Predecessor>> Sources::Predecessors(const std::string& code) {
  RETURN_IF_ERROR(fed::CheckMayBlock());  // never from gRPC's own threads
  v1::ListPredecessorsRequest req;
  req.set_code(code);
  req.set_transitive(true);
  v1::ListPredecessorsResponse out;
  RETURN_IF_ERROR(registry_calls_.Read("ListPredecessors", [&](grpc::ClientContext& ctx) {
    return registry_->ListPredecessors(&ctx, req, &out);
  }));
  std::vector<Predecessor> result;
  for (const auto& merger : out.mergers()) {
    auto day = fed::ParseDate(merger.effective_on());
    if (!day.ok()) return day.status();
    for (const auto& predecessor : merger.predecessor_codes()) {
      const bool seen = std::any_of(result.begin(), result.end(),
                                    [&](const Predecessor& p) { return p.code == predecessor; });
      if (predecessor != code && !seen) result.push_back({predecessor, *day});
    }
  }
  return result;
}

absl::StatusOr<std::map<std::string, Receipt>> Sources::Receipts(const std::string& period) {
  RETURN_IF_ERROR(fed::CheckMayBlock());  // never from gRPC's own threads
  v1::CompletenessRequest req;
  req.set_period(period);
  req.set_include_reporters(true);
  v1::CompletenessResponse out;
  RETURN_IF_ERROR(aggregator_calls_.Read(
      "GetCompleteness",
      [&](grpc::ClientContext& ctx) { return aggregator_->GetCompleteness(&ctx, req, &out); },
      kLongCall));
  std::map<std::string, Receipt> receipts;
  for (const auto& r : out.reporters()) {
    const bool received = r.state() != v1::REPORT_STATE_UNSPECIFIED;
    receipts[r.organization_code()] = {received, received && !r.late()};
  }
  return receipts;
}

absl::StatusOr<Receipt> Sources::ReceiptOf(const std::string& code, const std::string& period) {
  RETURN_IF_ERROR(fed::CheckMayBlock());  // never from gRPC's own threads
  v1::GetReportRequest req;
  req.set_organization_code(code);
  req.set_period(period);
  req.set_revision(0);  // the standing carries whether revision 1 was on time
  v1::Report out;
  absl::Status status = aggregator_calls_.Read("GetReport", [&](grpc::ClientContext& ctx) {
    return aggregator_->GetReport(&ctx, req, &out);
  });
  if (absl::IsNotFound(status)) return Receipt{};
  RETURN_IF_ERROR(status);
  return Receipt{true, out.timely()};
}

std::unique_ptr<fed::FeedFollower> Sources::FollowChanges(int64_t after,
                                                          fed::FeedFollower::Apply apply,
                                                          fed::FeedFollower::Reset reset) {
  return std::make_unique<fed::FeedFollower>(aggregator_channel_, &aggregator_calls_, after,
                                             std::move(apply), std::move(reset),
                                             fed::FeedFollower::Options{});
}

absl::StatusOr<v1::ListChangesResponse> Sources::Changes(int64_t after, int limit) {
  RETURN_IF_ERROR(fed::CheckMayBlock());  // never from gRPC's own threads
  v1::ListChangesRequest req;
  req.set_after_sequence(after);
  req.set_limit(limit);
  v1::ListChangesResponse out;
  RETURN_IF_ERROR(aggregator_calls_.Read("ListChanges", [&](grpc::ClientContext& ctx) {
    return aggregator_->ListChanges(&ctx, req, &out);
  }));
  return out;
}

}  // namespace ranking

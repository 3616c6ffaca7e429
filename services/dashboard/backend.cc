#include "services/dashboard/backend.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/status.h"

namespace dashboard {

namespace {

fed::ServiceClient::Options CallOptions() {
  fed::ServiceClient::Options options;
  options.deadline = absl::Seconds(10);
  return options;
}

// One read of `stub`'s `rpc` through `client`: every call of the dashboard
// only reads.
template <typename Stub, typename Request, typename Response>
absl::StatusOr<Response> Ask(fed::ServiceClient& client, absl::string_view method, Stub& stub,
                             grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&,
                                                       Response*),
                             const Request& request) {
  Response response;
  RETURN_IF_ERROR(client.Read(
      method, [&](grpc::ClientContext& ctx) { return (stub.*rpc)(&ctx, request, &response); }));
  return response;
}

}  // namespace

Backend::Backend(std::shared_ptr<grpc::Channel> registry, std::shared_ptr<grpc::Channel> aggregator,
                 std::shared_ptr<grpc::Channel> competition, std::shared_ptr<grpc::Channel> ranking,
                 std::shared_ptr<grpc::Channel> reporting, std::shared_ptr<grpc::Channel> emulation)
    : aggregator_channel_(aggregator),
      registry_(v1::RegistryService::NewStub(registry)),
      aggregator_(v1::AggregatorService::NewStub(aggregator)),
      competition_(competition ? v1::CompetitionService::NewStub(competition) : nullptr),
      ranking_(ranking ? v1::RankingService::NewStub(ranking) : nullptr),
      registry_calls_("registry", "dashboard", CallOptions()),
      aggregator_calls_("aggregator", "dashboard", CallOptions()),
      competition_calls_("competition", "dashboard", CallOptions()),
      ranking_calls_("ranking", "dashboard", CallOptions()),
      person_calls_(std::move(reporting), aggregator, competition, std::move(emulation)) {}

absl::StatusOr<v1::CompletenessResponse> Backend::Completeness(const std::string& period) {
  v1::CompletenessRequest req;
  req.set_period(period);
  req.set_include_reporters(true);
  return Ask(aggregator_calls_, "GetCompleteness", *aggregator_,
             &v1::AggregatorService::Stub::GetCompleteness, req);
}

absl::StatusOr<v1::TotalsResponse> Backend::Totals(const std::string& period,
                                                   const std::vector<std::string>& indicators,
                                                   bool include_submitted) {
  v1::TotalsRequest req;
  req.set_period(period);
  for (const auto& code : indicators) req.add_indicator_codes(code);
  req.set_include_submitted(include_submitted);
  return Ask(aggregator_calls_, "GetTotals", *aggregator_, &v1::AggregatorService::Stub::GetTotals,
             req);
}

absl::StatusOr<v1::CoverageResponse> Backend::Coverage(const std::string& period,
                                                       const std::string& condition) {
  v1::CoverageRequest req;
  req.set_period(period);
  req.set_condition(condition);
  return Ask(aggregator_calls_, "GetCoverage", *aggregator_,
             &v1::AggregatorService::Stub::GetCoverage, req);
}

absl::StatusOr<v1::SeriesResponse> Backend::Series(const std::string& code,
                                                   const std::vector<std::string>& indicators,
                                                   const std::string& from, const std::string& to) {
  v1::SeriesRequest req;
  req.set_organization_code(code);
  for (const auto& c : indicators) req.add_indicator_codes(c);
  req.set_from_period(from);
  req.set_to_period(to);
  return Ask(aggregator_calls_, "GetSeries", *aggregator_, &v1::AggregatorService::Stub::GetSeries,
             req);
}

absl::StatusOr<v1::ListRevisionsResponse> Backend::Revisions(const std::string& code,
                                                             const std::string& period) {
  v1::ListRevisionsRequest req;
  req.set_organization_code(code);
  req.set_period(period);
  return Ask(aggregator_calls_, "ListRevisions", *aggregator_,
             &v1::AggregatorService::Stub::ListRevisions, req);
}

std::unique_ptr<fed::FeedFollower> Backend::FollowChanges(int64_t after,
                                                          fed::FeedFollower::Apply apply,
                                                          fed::FeedFollower::Reset reset) {
  return std::make_unique<fed::FeedFollower>(aggregator_channel_, &aggregator_calls_, after,
                                             std::move(apply), std::move(reset),
                                             fed::FeedFollower::Options{});
}

absl::StatusOr<v1::Profile> Backend::Profile(const std::string& code, int year) {
  v1::GetProfileRequest req;
  req.set_code(code);
  req.set_year(year);
  return Ask(registry_calls_, "GetProfile", *registry_, &v1::RegistryService::Stub::GetProfile,
             req);
}

absl::StatusOr<v1::ListClustersResponse> Backend::Clusters(int year) {
  v1::ListClustersRequest req;
  req.set_year(year);
  return Ask(registry_calls_, "ListClusters", *registry_, &v1::RegistryService::Stub::ListClusters,
             req);
}

absl::StatusOr<v1::StatisticsResponse> Backend::ContestStatistics(
    int year, const std::string& organization_code, v1::ContestKind kind) {
  if (!competition_) return absl::UnavailableError("the competition service is not configured");
  v1::StatisticsRequest req;
  req.set_year(year);
  req.set_organization_code(organization_code);
  req.set_kind(kind);
  return Ask(competition_calls_, "GetStatistics", *competition_,
             &v1::CompetitionService::Stub::GetStatistics, req);
}

absl::StatusOr<v1::GetRankingResponse> Backend::Rankings(const std::string& period,
                                                         int cluster_number, bool totals_only) {
  if (!ranking_) return absl::UnavailableError("the ranking service is not configured");
  v1::GetRankingRequest req;
  req.set_period(period);
  req.set_cluster_number(cluster_number);
  req.set_totals_only(totals_only);
  return Ask(ranking_calls_, "GetRanking", *ranking_, &v1::RankingService::Stub::GetRanking, req);
}

absl::StatusOr<v1::ScoringScheme> Backend::Scheme(int year, int version) {
  if (!ranking_) return absl::UnavailableError("the ranking service is not configured");
  v1::GetSchemeRequest req;
  req.set_year(year);
  req.set_version(version);
  return Ask(ranking_calls_, "GetScheme", *ranking_, &v1::RankingService::Stub::GetScheme, req);
}

absl::StatusOr<v1::CompareProvinceResponse> Backend::CompareProvince(const std::string& code,
                                                                     const std::string& period) {
  if (!ranking_) return absl::UnavailableError("the ranking service is not configured");
  v1::CompareProvinceRequest req;
  req.set_organization_code(code);
  req.set_period(period);
  return Ask(ranking_calls_, "CompareProvince", *ranking_,
             &v1::RankingService::Stub::CompareProvince, req);
}

}  // namespace dashboard

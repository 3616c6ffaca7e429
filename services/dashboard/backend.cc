#include "services/dashboard/backend.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/status.h"

namespace dashboard {

namespace {
constexpr int kDeadlineSeconds = 10;
}

Backend::Backend(std::shared_ptr<grpc::Channel> registry,
                 std::shared_ptr<grpc::Channel> aggregator, const fed::TokenSigner* signer,
                 std::shared_ptr<grpc::Channel> competition,
                 std::shared_ptr<grpc::Channel> ranking)
    : registry_(v1::RegistryService::NewStub(registry)),
      aggregator_(v1::AggregatorService::NewStub(aggregator)),
      competition_(competition ? v1::CompetitionService::NewStub(competition) : nullptr),
      ranking_(ranking ? v1::RankingService::NewStub(ranking) : nullptr),
      signer_(signer) {}

std::unique_ptr<grpc::ClientContext> Backend::Context() const {
  v1::TokenClaims claims;
  claims.set_subject("dashboard");
  claims.set_organization_code("VUSTA");
  claims.set_role(v1::ROLE_SERVICE);
  claims.set_issued_at_unix(absl::ToUnixSeconds(absl::Now()));
  claims.set_expires_at_unix(absl::ToUnixSeconds(absl::Now() + absl::Minutes(5)));
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("authorization", absl::StrCat("Bearer ", signer_->Mint(claims)));
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(kDeadlineSeconds));
  return ctx;
}

// One unary call with a fresh context; the gRPC status as absl::Status.
#define DASHBOARD_CALL(stub, method, req, Resp)                                  \
  do {                                                                           \
    Resp resp;                                                                   \
    auto ctx = Context();                                                        \
    absl::Status st = fed::FromGrpcStatus((stub)->method(ctx.get(), req, &resp)); \
    if (!st.ok()) return st;                                                     \
    return resp;                                                                 \
  } while (0)

absl::StatusOr<v1::CompletenessResponse> Backend::Completeness(const std::string& period) {
  v1::CompletenessRequest req;
  req.set_period(period);
  req.set_include_reporters(true);
  DASHBOARD_CALL(aggregator_, GetCompleteness, req, v1::CompletenessResponse);
}

absl::StatusOr<v1::TotalsResponse> Backend::Totals(const std::string& period,
                                                   const std::vector<std::string>& indicators,
                                                   bool include_submitted) {
  v1::TotalsRequest req;
  req.set_period(period);
  for (const auto& code : indicators) req.add_indicator_codes(code);
  req.set_include_submitted(include_submitted);
  DASHBOARD_CALL(aggregator_, GetTotals, req, v1::TotalsResponse);
}

absl::StatusOr<v1::CoverageResponse> Backend::Coverage(const std::string& period,
                                                       const std::string& condition) {
  v1::CoverageRequest req;
  req.set_period(period);
  req.set_condition(condition);
  DASHBOARD_CALL(aggregator_, GetCoverage, req, v1::CoverageResponse);
}

absl::StatusOr<v1::SeriesResponse> Backend::Series(const std::string& code,
                                                   const std::vector<std::string>& indicators,
                                                   const std::string& from,
                                                   const std::string& to) {
  v1::SeriesRequest req;
  req.set_organization_code(code);
  for (const auto& c : indicators) req.add_indicator_codes(c);
  req.set_from_period(from);
  req.set_to_period(to);
  DASHBOARD_CALL(aggregator_, GetSeries, req, v1::SeriesResponse);
}

absl::StatusOr<v1::ListRevisionsResponse> Backend::Revisions(const std::string& code,
                                                             const std::string& period) {
  v1::ListRevisionsRequest req;
  req.set_organization_code(code);
  req.set_period(period);
  DASHBOARD_CALL(aggregator_, ListRevisions, req, v1::ListRevisionsResponse);
}

absl::StatusOr<v1::ListChangesResponse> Backend::Changes(int64_t after, int limit) {
  v1::ListChangesRequest req;
  req.set_after_sequence(after);
  req.set_limit(limit);
  DASHBOARD_CALL(aggregator_, ListChanges, req, v1::ListChangesResponse);
}

absl::StatusOr<v1::Profile> Backend::Profile(const std::string& code, int year) {
  v1::GetProfileRequest req;
  req.set_code(code);
  req.set_year(year);
  DASHBOARD_CALL(registry_, GetProfile, req, v1::Profile);
}

absl::StatusOr<v1::ListClustersResponse> Backend::Clusters(int year) {
  v1::ListClustersRequest req;
  req.set_year(year);
  DASHBOARD_CALL(registry_, ListClusters, req, v1::ListClustersResponse);
}

absl::StatusOr<v1::StatisticsResponse> Backend::ContestStatistics(
    int year, const std::string& organization_code, v1::ContestKind kind) {
  if (!competition_) return absl::UnavailableError("the competition service is not configured");
  v1::StatisticsRequest req;
  req.set_year(year);
  req.set_organization_code(organization_code);
  req.set_kind(kind);
  DASHBOARD_CALL(competition_, GetStatistics, req, v1::StatisticsResponse);
}

absl::StatusOr<v1::GetRankingResponse> Backend::Rankings(const std::string& period,
                                                         int cluster_number, bool totals_only) {
  if (!ranking_) return absl::UnavailableError("the ranking service is not configured");
  v1::GetRankingRequest req;
  req.set_period(period);
  req.set_cluster_number(cluster_number);
  req.set_totals_only(totals_only);
  DASHBOARD_CALL(ranking_, GetRanking, req, v1::GetRankingResponse);
}

absl::StatusOr<v1::ScoringScheme> Backend::Scheme(int year, int version) {
  if (!ranking_) return absl::UnavailableError("the ranking service is not configured");
  v1::GetSchemeRequest req;
  req.set_year(year);
  req.set_version(version);
  DASHBOARD_CALL(ranking_, GetScheme, req, v1::ScoringScheme);
}

absl::StatusOr<v1::CompareProvinceResponse> Backend::CompareProvince(const std::string& code,
                                                                     const std::string& period) {
  if (!ranking_) return absl::UnavailableError("the ranking service is not configured");
  v1::CompareProvinceRequest req;
  req.set_organization_code(code);
  req.set_period(period);
  DASHBOARD_CALL(ranking_, CompareProvince, req, v1::CompareProvinceResponse);
}

#undef DASHBOARD_CALL

}  // namespace dashboard

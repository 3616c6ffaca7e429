// The dashboard's view of the suite: gRPC calls to the registry, the
// aggregator and (when configured) the competition and ranking services with
// the dashboard's own service identity. The dashboard holds no
// data of its own; every figure it shows comes from one of these calls.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "federation/v1/aggregator.grpc.pb.h"
#include "federation/v1/competition.grpc.pb.h"
#include "federation/v1/ranking.grpc.pb.h"
#include "federation/v1/registry.grpc.pb.h"
#include "services/common/auth.h"
#include "services/common/client.h"
#include "services/common/feed_follower.h"
#include "services/dashboard/person_calls.h"

namespace dashboard {

namespace v1 = federation::v1;

class Backend {
 public:
  // Calls go out as the dashboard service (its certificate).
  // `competition` may be null: the dashboard then runs without contest
  // statistics (HasCompetition() is false); `ranking` likewise
  // (HasRanking() is false: no emulation-cluster rankings).
  // `reporting` may be null likewise: the page then cannot write reports
  // (person_calls.h answers UNAVAILABLE); `emulation` too (no emulation year).
  Backend(std::shared_ptr<grpc::Channel> registry, std::shared_ptr<grpc::Channel> aggregator,
          std::shared_ptr<grpc::Channel> competition = nullptr,
          std::shared_ptr<grpc::Channel> ranking = nullptr,
          std::shared_ptr<grpc::Channel> reporting = nullptr,
          std::shared_ptr<grpc::Channel> emulation = nullptr);

  // Calls made as the signed-in person rather than as the dashboard.
  const PersonCalls& person_calls() const { return person_calls_; }

  absl::StatusOr<v1::CompletenessResponse> Completeness(const std::string& period);
  absl::StatusOr<v1::TotalsResponse> Totals(const std::string& period,
                                            const std::vector<std::string>& indicators,
                                            bool include_submitted);
  absl::StatusOr<v1::CoverageResponse> Coverage(const std::string& period,
                                                const std::string& condition);
  absl::StatusOr<v1::SeriesResponse> Series(const std::string& code,
                                            const std::vector<std::string>& indicators,
                                            const std::string& from, const std::string& to);
  absl::StatusOr<v1::ListRevisionsResponse> Revisions(const std::string& code,
                                                      const std::string& period);
  // A follower of the aggregator's change feed from `after` (not started).
  std::unique_ptr<fed::FeedFollower> FollowChanges(int64_t after, fed::FeedFollower::Apply apply,
                                                   fed::FeedFollower::Reset reset);
  absl::StatusOr<v1::Profile> Profile(const std::string& code, int year);
  absl::StatusOr<v1::ListClustersResponse> Clusters(int year);

  bool HasCompetition() const { return competition_ != nullptr; }
  // Contest statistics of `year`; `organization_code` and `kind` narrow them
  // (empty / UNSPECIFIED: all). The service identity reads everything: the
  // caller scopes what a person may see. UNAVAILABLE when not configured.
  absl::StatusOr<v1::StatisticsResponse> ContestStatistics(int year,
                                                           const std::string& organization_code,
                                                           v1::ContestKind kind);

  bool HasRanking() const { return ranking_ != nullptr; }
  // The rankings of `period` (clusters and scheme of the period's year, the
  // latest scheme version); `cluster_number` 0: every cluster. The service
  // identity reads every cluster: the caller scopes what a person may see.
  // UNAVAILABLE when not configured.
  // cluster_number 0: every cluster; totals_only: without the breakdown.
  absl::StatusOr<v1::GetRankingResponse> Rankings(const std::string& period, int cluster_number,
                                                  bool totals_only = false);
  // The scoring scheme `version` of `year` (criterion names, maximum points).
  absl::StatusOr<v1::ScoringScheme> Scheme(int year, int version);
  // `code` against its cluster (average, median, best, rank) for `period`.
  absl::StatusOr<v1::CompareProvinceResponse> CompareProvince(const std::string& code,
                                                              const std::string& period);

 private:
  std::shared_ptr<grpc::Channel> aggregator_channel_;
  std::unique_ptr<v1::RegistryService::Stub> registry_;
  std::unique_ptr<v1::AggregatorService::Stub> aggregator_;
  std::unique_ptr<v1::CompetitionService::Stub> competition_;
  std::unique_ptr<v1::RankingService::Stub> ranking_;
  // One per service called, so that an outage names its service (and shows
  // in the dashboard's dependency health) and a restart costs a retry.
  fed::ServiceClient registry_calls_;
  fed::ServiceClient aggregator_calls_;
  fed::ServiceClient competition_calls_;
  fed::ServiceClient ranking_calls_;
  PersonCalls person_calls_;
};

}  // namespace dashboard

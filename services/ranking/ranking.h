// The ranking service's behaviour: scoring schemes and self-assessments
// (schemes.cc), rankings and comparisons (queries.cc). Each method
// authorises, validates every field, then works; writes are one transaction
// with their audit row, then the engine recomputes.
#pragma once

#include "federation/v1/ranking.pb.h"
#include "services/common/auth.h"
#include "services/common/db.h"
#include "services/ranking/engine.h"

namespace ranking {

using fed::Principal;

class Ranking {
 public:
  Ranking(fed::DbPool& db, Engine& engine) : db_(db), engine_(engine) {}

  // Scoring schemes and self-assessments (schemes.cc)
  absl::Status DefineScheme(const Principal& who, const v1::DefineSchemeRequest& req,
                            v1::DefineSchemeResponse* out);
  absl::Status GetScheme(const Principal& who, const v1::GetSchemeRequest& req,
                         v1::ScoringScheme* out);
  absl::Status ListSchemes(const Principal& who, const v1::ListSchemesRequest& req,
                           v1::ListSchemesResponse* out);
  absl::Status SetSelfAssessment(const Principal& who, const v1::SetSelfAssessmentRequest& req,
                                 v1::SelfAssessment* out);

  // Rankings and comparisons (queries.cc)
  //
  // The rankings a GetRanking request asks for, as the engine keeps them;
  // the gRPC layer answers with their encoded bytes (ComputedRanking::Encoded).
  absl::StatusOr<std::vector<RankingPtr>> FindRankings(const Principal& who,
                                                       const v1::GetRankingRequest& req);
  absl::Status CompareProvince(const Principal& who, const v1::CompareProvinceRequest& req,
                               v1::CompareProvinceResponse* out);
  absl::Status CompareClusters(const Principal& who, const v1::CompareClustersRequest& req,
                               v1::CompareClustersResponse* out);
  absl::Status Trend(const Principal& who, const v1::TrendRequest& req, v1::TrendResponse* out);

 private:
  fed::DbPool& db_;
  Engine& engine_;
};

}  // namespace ranking

// gRPC face of the ranking service: every call is authenticated and
// forwarded to Ranking (see services/common/unary.h).
#pragma once

#include "federation/v1/ranking.grpc.pb.h"
#include "services/common/unary.h"
#include "services/ranking/ranking.h"

namespace ranking {

// GetRanking is served raw: its answer is the kept rankings' encoded bytes,
// handed to gRPC without copying or re-encoding (the hottest query).
using RankingServiceBase =
    v1::RankingService::WithRawCallbackMethod_GetRanking<v1::RankingService::CallbackService>;

class RankingGrpcService final : public RankingServiceBase {
 public:
  RankingGrpcService(Ranking* ranking, fed::CallContext call) : ranking_(ranking), call_(call) {}

  grpc::ServerUnaryReactor* DefineScheme(grpc::CallbackServerContext* ctx,
                                         const v1::DefineSchemeRequest* request,
                                         v1::DefineSchemeResponse* response) override;
  grpc::ServerUnaryReactor* GetScheme(grpc::CallbackServerContext* ctx,
                                      const v1::GetSchemeRequest* request,
                                      v1::ScoringScheme* response) override;
  grpc::ServerUnaryReactor* ListSchemes(grpc::CallbackServerContext* ctx,
                                        const v1::ListSchemesRequest* request,
                                        v1::ListSchemesResponse* response) override;
  grpc::ServerUnaryReactor* SetSelfAssessment(grpc::CallbackServerContext* ctx,
                                              const v1::SetSelfAssessmentRequest* request,
                                              v1::SelfAssessment* response) override;
  grpc::ServerUnaryReactor* GetRanking(grpc::CallbackServerContext* ctx,
                                       const grpc::ByteBuffer* request,
                                       grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* CompareProvince(grpc::CallbackServerContext* ctx,
                                            const v1::CompareProvinceRequest* request,
                                            v1::CompareProvinceResponse* response) override;
  grpc::ServerUnaryReactor* CompareClusters(grpc::CallbackServerContext* ctx,
                                            const v1::CompareClustersRequest* request,
                                            v1::CompareClustersResponse* response) override;
  grpc::ServerUnaryReactor* Trend(grpc::CallbackServerContext* ctx, const v1::TrendRequest* request,
                                  v1::TrendResponse* response) override;

 private:
  Ranking* ranking_;
  fed::CallContext call_;
};

}  // namespace ranking

#include "services/ranking/grpc_service.h"

namespace ranking {

using grpc::CallbackServerContext;
using grpc::ServerUnaryReactor;

ServerUnaryReactor* RankingGrpcService::DefineScheme(CallbackServerContext* ctx,
    const v1::DefineSchemeRequest* request, v1::DefineSchemeResponse* response) {
  return fed::ServeMethod(ctx, call_, "DefineScheme", ranking_, &Ranking::DefineScheme, request, response);
}

ServerUnaryReactor* RankingGrpcService::GetScheme(CallbackServerContext* ctx,
    const v1::GetSchemeRequest* request, v1::ScoringScheme* response) {
  // Answered from memory: no need to leave gRPC's thread.
  return fed::ServeMethod(ctx, call_, "GetScheme", ranking_, &Ranking::GetScheme, request, response, fed::Blocking::kMemoryOnly);
}

ServerUnaryReactor* RankingGrpcService::ListSchemes(CallbackServerContext* ctx,
    const v1::ListSchemesRequest* request, v1::ListSchemesResponse* response) {
  // Answered from memory: no need to leave gRPC's thread.
  return fed::ServeMethod(ctx, call_, "ListSchemes", ranking_, &Ranking::ListSchemes, request, response, fed::Blocking::kMemoryOnly);
}

ServerUnaryReactor* RankingGrpcService::SetSelfAssessment(CallbackServerContext* ctx,
    const v1::SetSelfAssessmentRequest* request, v1::SelfAssessment* response) {
  return fed::ServeMethod(ctx, call_, "SetSelfAssessment", ranking_, &Ranking::SetSelfAssessment, request, response);
}

ServerUnaryReactor* RankingGrpcService::GetRanking(CallbackServerContext* ctx,
    const v1::GetRankingRequest* request, v1::GetRankingResponse* response) {
  return fed::ServeMethod(ctx, call_, "GetRanking", ranking_, &Ranking::GetRanking, request, response);
}

ServerUnaryReactor* RankingGrpcService::CompareProvince(CallbackServerContext* ctx,
    const v1::CompareProvinceRequest* request, v1::CompareProvinceResponse* response) {
  return fed::ServeMethod(ctx, call_, "CompareProvince", ranking_, &Ranking::CompareProvince, request, response);
}

ServerUnaryReactor* RankingGrpcService::CompareClusters(CallbackServerContext* ctx,
    const v1::CompareClustersRequest* request, v1::CompareClustersResponse* response) {
  return fed::ServeMethod(ctx, call_, "CompareClusters", ranking_, &Ranking::CompareClusters, request, response);
}

ServerUnaryReactor* RankingGrpcService::Trend(CallbackServerContext* ctx,
    const v1::TrendRequest* request, v1::TrendResponse* response) {
  return fed::ServeMethod(ctx, call_, "Trend", ranking_, &Ranking::Trend, request, response);
}

}  // namespace ranking

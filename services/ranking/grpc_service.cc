#include "services/ranking/grpc_service.h"

namespace ranking {

using grpc::CallbackServerContext;
using grpc::ServerUnaryReactor;

namespace {

// A GetRankingResponse made of the rankings' encoded bytes. Each slice
// holds a reference to its ranking, so the bytes live until gRPC has sent
// them even if the ranking is recomputed meanwhile.
grpc::ByteBuffer EncodedResponse(const std::vector<RankingPtr>& rankings, bool totals_only) {
  std::vector<grpc::Slice> slices;
  slices.reserve(rankings.size());
  for (const RankingPtr& ranking : rankings) {
    const std::string& bytes = ranking->Encoded(totals_only);
    slices.emplace_back(
        const_cast<char*>(bytes.data()), bytes.size(),
        [](void* held) { delete static_cast<RankingPtr*>(held); }, new RankingPtr(ranking));
  }
  return grpc::ByteBuffer(slices.data(), slices.size());
}

}  // namespace

ServerUnaryReactor* RankingGrpcService::DefineScheme(CallbackServerContext* ctx,
                                                     const v1::DefineSchemeRequest* request,
                                                     v1::DefineSchemeResponse* response) {
  return fed::ServeMethod(ctx, call_, "DefineScheme", ranking_, &Ranking::DefineScheme, request,
                          response);
}

ServerUnaryReactor* RankingGrpcService::GetScheme(CallbackServerContext* ctx,
                                                  const v1::GetSchemeRequest* request,
                                                  v1::ScoringScheme* response) {
  // Answered from memory: no need to leave gRPC's thread.
  return fed::ServeMethod(ctx, call_, "GetScheme", ranking_, &Ranking::GetScheme, request, response,
                          fed::Blocking::kMemoryOnly);
}

ServerUnaryReactor* RankingGrpcService::ListSchemes(CallbackServerContext* ctx,
                                                    const v1::ListSchemesRequest* request,
                                                    v1::ListSchemesResponse* response) {
  // Answered from memory: no need to leave gRPC's thread.
  return fed::ServeMethod(ctx, call_, "ListSchemes", ranking_, &Ranking::ListSchemes, request,
                          response, fed::Blocking::kMemoryOnly);
}

ServerUnaryReactor* RankingGrpcService::SetSelfAssessment(
    CallbackServerContext* ctx, const v1::SetSelfAssessmentRequest* request,
    v1::SelfAssessment* response) {
  return fed::ServeMethod(ctx, call_, "SetSelfAssessment", ranking_, &Ranking::SetSelfAssessment,
                          request, response);
}

ServerUnaryReactor* RankingGrpcService::GetRanking(CallbackServerContext* ctx,
                                                   const grpc::ByteBuffer* request,
                                                   grpc::ByteBuffer* response) {
  return fed::ServeUnary(
      ctx, call_, "GetRanking",
      [=](const fed::Principal& who) -> absl::Status {
        response->Clear();
        v1::GetRankingRequest req;
        grpc::ByteBuffer bytes(*request);  // shares the slices; parsing consumes the copy
        if (!grpc::SerializationTraits<v1::GetRankingRequest>::Deserialize(&bytes, &req).ok()) {
          return absl::InvalidArgumentError("request: not a federation.v1.GetRankingRequest");
        }
        ASSIGN_OR_RETURN(std::vector<RankingPtr> rankings, ranking_->FindRankings(who, req));
        *response = EncodedResponse(rankings, req.totals_only());
        return absl::OkStatus();
      },
      fed::Blocking::kMemoryFirst);
}

ServerUnaryReactor* RankingGrpcService::CompareProvince(CallbackServerContext* ctx,
                                                        const v1::CompareProvinceRequest* request,
                                                        v1::CompareProvinceResponse* response) {
  return fed::ServeMethod(ctx, call_, "CompareProvince", ranking_, &Ranking::CompareProvince,
                          request, response, fed::Blocking::kMemoryFirst);
}

ServerUnaryReactor* RankingGrpcService::CompareClusters(CallbackServerContext* ctx,
                                                        const v1::CompareClustersRequest* request,
                                                        v1::CompareClustersResponse* response) {
  return fed::ServeMethod(ctx, call_, "CompareClusters", ranking_, &Ranking::CompareClusters,
                          request, response, fed::Blocking::kMemoryFirst);
}

ServerUnaryReactor* RankingGrpcService::Trend(CallbackServerContext* ctx,
                                              const v1::TrendRequest* request,
                                              v1::TrendResponse* response) {
  return fed::ServeMethod(ctx, call_, "Trend", ranking_, &Ranking::Trend, request, response,
                          fed::Blocking::kMemoryFirst);
}

}  // namespace ranking

// gRPC face of the aggregator: the push stream goes to the group committer
// (intake.h); every unary call is authenticated and forwarded to Aggregator
// on the worker pool (see services/common/unary.h).
#pragma once

#include "federation/v1/aggregator.grpc.pb.h"
#include "services/aggregator/aggregator.h"
#include "services/aggregator/feed_tail.h"
#include "services/aggregator/intake.h"
#include "services/common/unary.h"

namespace aggregator {

class AggregatorGrpcService final : public v1::AggregatorService::CallbackService {
 public:
  AggregatorGrpcService(Aggregator* aggregator, Intake* intake, FeedTail* tail,
                        fed::CallContext call)
      : aggregator_(aggregator), intake_(intake), tail_(tail), call_(call) {}

  grpc::ServerBidiReactor<v1::PushedReport, v1::PushAck>* PushReports(
      grpc::CallbackServerContext* ctx) override;

  grpc::ServerUnaryReactor* GetReport(grpc::CallbackServerContext* ctx,
                                      const v1::GetReportRequest* request,
                                      v1::Report* response) override;
  grpc::ServerUnaryReactor* ListRevisions(grpc::CallbackServerContext* ctx,
                                          const v1::ListRevisionsRequest* request,
                                          v1::ListRevisionsResponse* response) override;
  grpc::ServerUnaryReactor* AcceptReport(grpc::CallbackServerContext* ctx,
                                         const v1::ReviewRequest* request,
                                         v1::Report* response) override;
  grpc::ServerUnaryReactor* ReturnReport(grpc::CallbackServerContext* ctx,
                                         const v1::ReviewRequest* request,
                                         v1::Report* response) override;
  grpc::ServerUnaryReactor* ReopenReport(grpc::CallbackServerContext* ctx,
                                         const v1::ReviewRequest* request,
                                         v1::Report* response) override;
  grpc::ServerUnaryReactor* ListChanges(grpc::CallbackServerContext* ctx,
                                        const v1::ListChangesRequest* request,
                                        v1::ListChangesResponse* response) override;
  grpc::ServerWriteReactor<v1::WatchChangesResponse>* WatchChanges(
      grpc::CallbackServerContext* ctx, const v1::WatchChangesRequest* request) override;
  grpc::ServerUnaryReactor* GetTotals(grpc::CallbackServerContext* ctx,
                                      const v1::TotalsRequest* request,
                                      v1::TotalsResponse* response) override;
  grpc::ServerUnaryReactor* GetCoverage(grpc::CallbackServerContext* ctx,
                                        const v1::CoverageRequest* request,
                                        v1::CoverageResponse* response) override;
  grpc::ServerUnaryReactor* GetCompleteness(grpc::CallbackServerContext* ctx,
                                            const v1::CompletenessRequest* request,
                                            v1::CompletenessResponse* response) override;
  grpc::ServerUnaryReactor* GetSeries(grpc::CallbackServerContext* ctx,
                                      const v1::SeriesRequest* request,
                                      v1::SeriesResponse* response) override;
  grpc::ServerUnaryReactor* GetCountedValues(grpc::CallbackServerContext* ctx,
                                             const v1::CountedValuesRequest* request,
                                             v1::CountedValuesResponse* response) override;

 private:
  Aggregator* aggregator_;
  Intake* intake_;
  FeedTail* tail_;
  fed::CallContext call_;
};

}  // namespace aggregator

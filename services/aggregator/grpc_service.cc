#include "services/aggregator/grpc_service.h"

#include "services/aggregator/push_reactor.h"
#include "services/aggregator/watch_reactor.h"

namespace aggregator {

using grpc::CallbackServerContext;
using grpc::ServerUnaryReactor;

grpc::ServerBidiReactor<v1::PushedReport, v1::PushAck>* AggregatorGrpcService::PushReports(
    CallbackServerContext* ctx) {
  return new PushReactor(intake_, fed::Authenticate(*ctx, *call_.verifier));
}

grpc::ServerWriteReactor<v1::WatchChangesResponse>* AggregatorGrpcService::WatchChanges(
    CallbackServerContext* ctx, const v1::WatchChangesRequest* request) {
  return new WatchReactor(aggregator_, tail_, call_.workers,
                          fed::Authenticate(*ctx, *call_.verifier), *request);
}

ServerUnaryReactor* AggregatorGrpcService::GetReport(CallbackServerContext* ctx,
                                                     const v1::GetReportRequest* request,
                                                     v1::Report* response) {
  return fed::ServeMethod(ctx, call_, "GetReport", aggregator_, &Aggregator::GetReport, request,
                          response);
}

ServerUnaryReactor* AggregatorGrpcService::ListRevisions(CallbackServerContext* ctx,
                                                         const v1::ListRevisionsRequest* request,
                                                         v1::ListRevisionsResponse* response) {
  return fed::ServeMethod(ctx, call_, "ListRevisions", aggregator_, &Aggregator::ListRevisions,
                          request, response);
}

ServerUnaryReactor* AggregatorGrpcService::AcceptReport(CallbackServerContext* ctx,
                                                        const v1::ReviewRequest* request,
                                                        v1::Report* response) {
  return fed::ServeMethod(ctx, call_, "AcceptReport", aggregator_, &Aggregator::AcceptReport,
                          request, response);
}

ServerUnaryReactor* AggregatorGrpcService::ReturnReport(CallbackServerContext* ctx,
                                                        const v1::ReviewRequest* request,
                                                        v1::Report* response) {
  return fed::ServeMethod(ctx, call_, "ReturnReport", aggregator_, &Aggregator::ReturnReport,
                          request, response);
}

ServerUnaryReactor* AggregatorGrpcService::ReopenReport(CallbackServerContext* ctx,
                                                        const v1::ReviewRequest* request,
                                                        v1::Report* response) {
  return fed::ServeMethod(ctx, call_, "ReopenReport", aggregator_, &Aggregator::ReopenReport,
                          request, response);
}

ServerUnaryReactor* AggregatorGrpcService::ListChanges(CallbackServerContext* ctx,
                                                       const v1::ListChangesRequest* request,
                                                       v1::ListChangesResponse* response) {
  return fed::ServeMethod(ctx, call_, "ListChanges", aggregator_, &Aggregator::ListChanges, request,
                          response);
}

ServerUnaryReactor* AggregatorGrpcService::GetTotals(CallbackServerContext* ctx,
                                                     const v1::TotalsRequest* request,
                                                     v1::TotalsResponse* response) {
  // Answered from the in-memory figures: no need to leave gRPC's thread.
  return fed::ServeMethod(ctx, call_, "GetTotals", aggregator_, &Aggregator::GetTotals, request,
                          response, fed::Blocking::kMemoryOnly);
}

ServerUnaryReactor* AggregatorGrpcService::GetCoverage(CallbackServerContext* ctx,
                                                       const v1::CoverageRequest* request,
                                                       v1::CoverageResponse* response) {
  return fed::ServeMethod(ctx, call_, "GetCoverage", aggregator_, &Aggregator::GetCoverage, request,
                          response);
}

ServerUnaryReactor* AggregatorGrpcService::GetCompleteness(CallbackServerContext* ctx,
                                                           const v1::CompletenessRequest* request,
                                                           v1::CompletenessResponse* response) {
  // May ask the registry for the expected list (cached): not on gRPC's thread.
  return fed::ServeMethod(ctx, call_, "GetCompleteness", aggregator_, &Aggregator::GetCompleteness,
                          request, response);
}

ServerUnaryReactor* AggregatorGrpcService::GetSeries(CallbackServerContext* ctx,
                                                     const v1::SeriesRequest* request,
                                                     v1::SeriesResponse* response) {
  return fed::ServeMethod(ctx, call_, "GetSeries", aggregator_, &Aggregator::GetSeries, request,
                          response);
}

ServerUnaryReactor* AggregatorGrpcService::GetCountedValues(CallbackServerContext* ctx,
                                                            const v1::CountedValuesRequest* request,
                                                            v1::CountedValuesResponse* response) {
  // Answered from the figures in memory: no need to leave gRPC's thread.
  return fed::ServeMethod(ctx, call_, "GetCountedValues", aggregator_,
                          &Aggregator::GetCountedValues, request, response,
                          fed::Blocking::kMemoryOnly);
}

}  // namespace aggregator

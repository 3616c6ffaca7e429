#include "services/reporting/grpc_service.h"

namespace reporting {

using grpc::CallbackServerContext;
using grpc::ServerUnaryReactor;

ServerUnaryReactor* ReportingGrpcService::GetCatalog(CallbackServerContext* ctx,
                                                     const v1::GetCatalogRequest* request,
                                                     v1::IndicatorCatalog* response) {
  return fed::ServeMethod(ctx, call_, "GetCatalog", reporting_, &Reporting::GetCatalog, request,
                          response);
}

ServerUnaryReactor* ReportingGrpcService::CreateDraft(CallbackServerContext* ctx,
                                                      const v1::CreateDraftRequest* request,
                                                      v1::Report* response) {
  return fed::ServeMethod(ctx, call_, "CreateDraft", reporting_, &Reporting::CreateDraft, request,
                          response);
}

ServerUnaryReactor* ReportingGrpcService::GetDraft(CallbackServerContext* ctx,
                                                   const v1::GetDraftRequest* request,
                                                   v1::Report* response) {
  return fed::ServeMethod(ctx, call_, "GetDraft", reporting_, &Reporting::GetDraft, request,
                          response);
}

ServerUnaryReactor* ReportingGrpcService::SaveDraft(CallbackServerContext* ctx,
                                                    const v1::SaveDraftRequest* request,
                                                    v1::Report* response) {
  return fed::ServeMethod(ctx, call_, "SaveDraft", reporting_, &Reporting::SaveDraft, request,
                          response);
}

ServerUnaryReactor* ReportingGrpcService::ValidateReport(CallbackServerContext* ctx,
                                                         const v1::ValidateReportRequest* request,
                                                         v1::ValidationResult* response) {
  return fed::ServeMethod(ctx, call_, "ValidateReport", reporting_, &Reporting::ValidateReport,
                          request, response);
}

ServerUnaryReactor* ReportingGrpcService::SubmitReport(CallbackServerContext* ctx,
                                                       const v1::SubmitReportRequest* request,
                                                       v1::Report* response) {
  return fed::ServeMethod(ctx, call_, "SubmitReport", reporting_, &Reporting::SubmitReport, request,
                          response);
}

ServerUnaryReactor* ReportingGrpcService::ListReports(CallbackServerContext* ctx,
                                                      const v1::ListReportsRequest* request,
                                                      v1::ListReportsResponse* response) {
  return fed::ServeMethod(ctx, call_, "ListReports", reporting_, &Reporting::ListReports, request,
                          response);
}

ServerUnaryReactor* ReportingGrpcService::GetOutboxStatus(CallbackServerContext* ctx,
                                                          const v1::GetOutboxStatusRequest* request,
                                                          v1::OutboxStatus* response) {
  return fed::ServeMethod(ctx, call_, "GetOutboxStatus", reporting_, &Reporting::GetOutboxStatus,
                          request, response);
}

}  // namespace reporting

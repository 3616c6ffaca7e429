// gRPC face of the reporting service: authenticates each call and forwards
// it to Reporting on the worker pool (see services/common/unary.h).
#pragma once

#include <memory>

#include "federation/v1/reporting.grpc.pb.h"
#include "services/common/unary.h"
#include "services/reporting/forwarder.h"
#include "services/reporting/reporting.h"

namespace reporting {

class ReportingGrpcService final : public v1::ReportingService::CallbackService {
 public:
  ReportingGrpcService(Reporting* reporting, fed::CallContext call)
      : reporting_(reporting), call_(call) {}

  // Ties the forwarder's life to the service's: fed::RunService destroys its
  // services before the database pool and worker pool they use, so the
  // forwarder thread stops (and joins) while both still exist.
  void Own(std::unique_ptr<Forwarder> forwarder) { forwarder_ = std::move(forwarder); }

  grpc::ServerUnaryReactor* GetCatalog(grpc::CallbackServerContext* ctx,
                                       const v1::GetCatalogRequest* request,
                                       v1::IndicatorCatalog* response) override;
  grpc::ServerUnaryReactor* CreateDraft(grpc::CallbackServerContext* ctx,
                                        const v1::CreateDraftRequest* request,
                                        v1::Report* response) override;
  grpc::ServerUnaryReactor* GetDraft(grpc::CallbackServerContext* ctx,
                                     const v1::GetDraftRequest* request,
                                     v1::Report* response) override;
  grpc::ServerUnaryReactor* SaveDraft(grpc::CallbackServerContext* ctx,
                                      const v1::SaveDraftRequest* request,
                                      v1::Report* response) override;
  grpc::ServerUnaryReactor* ValidateReport(grpc::CallbackServerContext* ctx,
                                           const v1::ValidateReportRequest* request,
                                           v1::ValidationResult* response) override;
  grpc::ServerUnaryReactor* SubmitReport(grpc::CallbackServerContext* ctx,
                                         const v1::SubmitReportRequest* request,
                                         v1::Report* response) override;
  grpc::ServerUnaryReactor* ListReports(grpc::CallbackServerContext* ctx,
                                        const v1::ListReportsRequest* request,
                                        v1::ListReportsResponse* response) override;
  grpc::ServerUnaryReactor* GetOutboxStatus(grpc::CallbackServerContext* ctx,
                                            const v1::GetOutboxStatusRequest* request,
                                            v1::OutboxStatus* response) override;

 private:
  Reporting* reporting_;
  fed::CallContext call_;
  std::unique_ptr<Forwarder> forwarder_;
};

}  // namespace reporting

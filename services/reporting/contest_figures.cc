#include "services/reporting/contest_figures.h"

#include "absl/strings/str_cat.h"
#include "services/common/status.h"
#include "services/reporting/service_token.h"

namespace reporting {

ContestFigures::ContestFigures(const std::string& target, const fed::TokenSigner& signer,
                               absl::Duration deadline)
    : signer_(signer), deadline_(deadline) {
  if (!target.empty()) {
    stub_ = v1::CompetitionService::NewStub(
        grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  }
}

absl::StatusOr<v1::ReportingFiguresResponse> ContestFigures::ForYear(
    const std::string& organization_code, int year) const {
  if (!stub_) return absl::UnavailableError("no competition service configured");
  v1::ReportingFiguresRequest request;
  request.set_organization_code(organization_code);
  request.set_year(year);
  v1::ReportingFiguresResponse response;
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + deadline_));
  ctx.AddMetadata("authorization", absl::StrCat("Bearer ", MintServiceToken(signer_, "reporting")));
  grpc::Status status = stub_->GetReportingFigures(&ctx, request, &response);
  if (!status.ok()) return fed::FromGrpcStatus(status);
  return response;
}

}  // namespace reporting

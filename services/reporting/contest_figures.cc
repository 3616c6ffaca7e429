#include "services/reporting/contest_figures.h"

#include "absl/strings/str_cat.h"
#include "services/common/client.h"
#include "services/common/status.h"

namespace reporting {

ContestFigures::ContestFigures(const std::string& target, absl::Duration deadline)
    : competition_("competition", "reporting",
                   fed::ServiceClient::Options::WithDeadline(deadline)) {
  if (!target.empty()) {
    stub_ = v1::CompetitionService::NewStub(fed::OpenChannel(target));
  }
}

absl::StatusOr<v1::ReportingFiguresResponse> ContestFigures::ForYear(
    const std::string& organization_code, int year) const {
  if (!stub_) return absl::UnavailableError("no competition service configured");
  v1::ReportingFiguresRequest request;
  request.set_organization_code(organization_code);
  request.set_year(year);
  v1::ReportingFiguresResponse response;
  RETURN_IF_ERROR(competition_.Read("GetReportingFigures", [&](grpc::ClientContext& ctx) {
    return stub_->GetReportingFigures(&ctx, request, &response);
  }));
  return response;
}

}  // namespace reporting

#include "services/reporting/emulation_awards.h"

#include "services/common/status.h"

namespace reporting {

EmulationAwards::EmulationAwards(const std::string& target, absl::Duration deadline)
    : emulation_("emulation", "reporting", fed::ServiceClient::Options::WithDeadline(deadline)) {
  if (!target.empty()) stub_ = v1::EmulationService::NewStub(fed::OpenChannel(target));
}

absl::StatusOr<v1::ListAwardsResponse> EmulationAwards::ForYear(
    const std::string& organization_code, int year) const {
  if (!stub_) return absl::UnavailableError("no emulation service configured");
  v1::ListAwardsRequest request;
  request.set_organization_code(organization_code);
  request.set_decided_year(year);
  v1::ListAwardsResponse response;
  RETURN_IF_ERROR(emulation_.Read("ListAwards", [&](grpc::ClientContext& ctx) {
    return stub_->ListAwards(&ctx, request, &response);
  }));
  return response;
}

}  // namespace reporting

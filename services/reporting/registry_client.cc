#include "services/reporting/registry_client.h"

#include "absl/strings/str_cat.h"
#include "services/common/client.h"
#include "services/common/status.h"

namespace reporting {

RegistryClient::RegistryClient(const std::string& target, absl::Duration deadline)
    : stub_(v1::RegistryService::NewStub(fed::OpenChannel(target))),
      registry_("registry", "reporting", fed::ServiceClient::Options::WithDeadline(deadline)) {}

absl::StatusOr<v1::Organization> RegistryClient::GetOrganization(const std::string& code) const {
  v1::GetOrganizationRequest request;
  request.set_code(code);
  v1::Organization organization;
  RETURN_IF_ERROR(registry_.Read("GetOrganization", [&](grpc::ClientContext& ctx) {
    return stub_->GetOrganization(&ctx, request, &organization);
  }));
  return organization;
}

absl::StatusOr<int64_t> RegistryClient::CountChildren(const std::string& parent_code,
                                                      v1::OrganizationKind kind,
                                                      const std::string& as_of) const {
  v1::ListOrganizationsRequest request;
  request.set_parent_code(parent_code);
  request.set_kind(kind);
  request.set_as_of(as_of);
  request.set_page_size(5000);
  int64_t count = 0;
  for (int page = 0; page < 1000; ++page) {
    v1::ListOrganizationsResponse response;
    RETURN_IF_ERROR(registry_.Read("ListOrganizations", [&](grpc::ClientContext& ctx) {
      return stub_->ListOrganizations(&ctx, request, &response);
    }));
    count += response.organizations_size();
    if (response.next_page_token().empty() || response.next_page_token() == request.page_token()) {
      return count;
    }
    request.set_page_token(response.next_page_token());
  }
  return absl::UnavailableError("the registry keeps paging; giving up");
}

}  // namespace reporting

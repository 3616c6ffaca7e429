#include "services/reporting/registry_client.h"

#include "absl/strings/str_cat.h"
#include "services/common/status.h"
#include "services/reporting/service_token.h"

namespace reporting {

RegistryClient::RegistryClient(const std::string& target, const fed::TokenSigner& signer,
                               absl::Duration deadline)
    : stub_(v1::RegistryService::NewStub(
          grpc::CreateChannel(target, grpc::InsecureChannelCredentials()))),
      signer_(signer),
      deadline_(deadline) {}

void RegistryClient::Prepare(grpc::ClientContext& ctx) const {
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + deadline_));
  ctx.AddMetadata("authorization", absl::StrCat("Bearer ", MintServiceToken(signer_, "reporting")));
}

absl::Status RegistryClient::Explain(const grpc::Status& status) const {
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) return fed::FromGrpcStatus(status);
  // Whatever else went wrong is not the caller's fault: the check cannot be
  // made right now.
  return absl::UnavailableError(
      absl::StrCat("the registry cannot be asked (", fed::FromGrpcStatus(status).ToString(),
                   "); try again"));
}

absl::StatusOr<v1::Organization> RegistryClient::GetOrganization(const std::string& code) const {
  v1::GetOrganizationRequest request;
  request.set_code(code);
  v1::Organization organization;
  grpc::ClientContext ctx;
  Prepare(ctx);
  grpc::Status status = stub_->GetOrganization(&ctx, request, &organization);
  if (!status.ok()) return Explain(status);
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
    grpc::ClientContext ctx;
    Prepare(ctx);
    grpc::Status status = stub_->ListOrganizations(&ctx, request, &response);
    if (!status.ok()) return Explain(status);
    count += response.organizations_size();
    if (response.next_page_token().empty() ||
        response.next_page_token() == request.page_token()) {
      return count;
    }
    request.set_page_token(response.next_page_token());
  }
  return absl::UnavailableError("the registry keeps paging; giving up");
}

}  // namespace reporting

#include "tools/fedctl/registry_client.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "services/common/client.h"
#include "tools/fedctl/credentials.h"

namespace fedctl {

std::string ServiceTarget(const Invocation& invocation, const char* option, const char* env,
                          const std::string& fallback) {
  if (invocation.Has(option)) return invocation.Get(option);
  if (const char* value = std::getenv(env); value != nullptr && *value != '\0') return value;
  return fallback;
}

absl::Status ExplainMissingToken(absl::Status status, const std::string& token) {
  if (status.code() != absl::StatusCode::kUnauthenticated || !token.empty()) return status;
  absl::Status explained(status.code(), absl::StrCat(status.message(),
                                                     " (fedctl had no token: pass --token, or "
                                                     "--issuer_key to mint one)"));
  status.ForEachPayload([&](absl::string_view url, const absl::Cord& payload) {
    explained.SetPayload(url, payload);
  });
  return explained;
}

RegistryClient RegistryClient::Connect(const GlobalOptions& global) {
  return RegistryClient(fed::OpenChannel(global.target), ResolveAccessToken(global));
}

absl::Status ListAllOrganizations(const RegistryClient& client,
                                  federation::v1::ListOrganizationsRequest request,
                                  federation::v1::ListOrganizationsResponse* all) {
  all->Clear();
  request.set_page_token("");
  while (true) {
    federation::v1::ListOrganizationsResponse page;
    absl::Status status = client.Call(&RegistryClient::Stub::ListOrganizations, request, &page);
    if (!status.ok()) return status;
    for (auto& organization : *page.mutable_organizations()) {
      *all->add_organizations() = std::move(organization);
    }
    // A server that hands back the token it was given would loop forever.
    if (page.next_page_token().empty() || page.next_page_token() == request.page_token()) {
      return absl::OkStatus();
    }
    request.set_page_token(page.next_page_token());
  }
}

}  // namespace fedctl

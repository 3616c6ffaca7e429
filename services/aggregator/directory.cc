#include "services/aggregator/directory.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/status.h"

namespace aggregator {

Directory::Directory(std::shared_ptr<grpc::Channel> registry, const fed::TokenSigner* signer,
                     absl::Duration ttl)
    : stub_(v1::RegistryService::NewStub(registry)), signer_(signer), ttl_(ttl) {}

std::unique_ptr<grpc::ClientContext> Directory::Context() const {
  v1::TokenClaims claims;
  claims.set_subject("aggregator");
  claims.set_organization_code("VUSTA");
  claims.set_role(v1::ROLE_SERVICE);
  claims.set_expires_at_unix(absl::ToUnixSeconds(absl::Now() + absl::Minutes(5)));
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("authorization", absl::StrCat("Bearer ", signer_->Mint(claims)));
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  return ctx;
}

absl::StatusOr<v1::Organization> Directory::Organization(const std::string& code) {
  return Cached(organizations_, code, [&]() -> absl::StatusOr<v1::Organization> {
    v1::GetOrganizationRequest req;
    req.set_code(code);
    v1::Organization org;
    auto ctx = Context();
    RETURN_IF_ERROR(fed::FromGrpcStatus(stub_->GetOrganization(ctx.get(), req, &org)));
    return org;
  });
}

absl::StatusOr<Directory::OrganizationList> Directory::OrganizationsOn(
    v1::OrganizationKind kind, const std::string& day) {
  using List = std::vector<v1::Organization>;
  return Cached(provinces_, absl::StrCat(kind, "@", day), [&]() -> absl::StatusOr<OrganizationList> {
    v1::ListOrganizationsRequest req;
    req.set_kind(kind);
    req.set_as_of(day);
    req.set_page_size(5000);
    List all;
    for (;;) {
      v1::ListOrganizationsResponse page;
      auto ctx = Context();
      RETURN_IF_ERROR(fed::FromGrpcStatus(stub_->ListOrganizations(ctx.get(), req, &page)));
      for (auto& org : *page.mutable_organizations()) all.push_back(std::move(org));
      if (page.next_page_token().empty()) break;
      req.set_page_token(page.next_page_token());
    }
    return std::make_shared<const List>(std::move(all));
  });
}

absl::StatusOr<std::vector<std::string>> Directory::Predecessors(const std::string& code) {
  using List = std::vector<std::string>;
  return Cached(predecessors_, code, [&]() -> absl::StatusOr<List> {
    v1::ListPredecessorsRequest req;
    req.set_code(code);
    req.set_transitive(true);
    v1::ListPredecessorsResponse out;
    auto ctx = Context();
    RETURN_IF_ERROR(fed::FromGrpcStatus(stub_->ListPredecessors(ctx.get(), req, &out)));
    return List(out.predecessor_codes().begin(), out.predecessor_codes().end());
  });
}

absl::StatusOr<std::string> Directory::SuccessorOn(const std::string& code, const std::string& day) {
  const std::string key = absl::StrCat(code, "@", day);
  return Cached(successors_, key, [&]() -> absl::StatusOr<std::string> {
    v1::ResolveSuccessorRequest req;
    req.set_code(code);
    req.set_on(day);
    v1::ResolveSuccessorResponse out;
    auto ctx = Context();
    RETURN_IF_ERROR(fed::FromGrpcStatus(stub_->ResolveSuccessor(ctx.get(), req, &out)));
    return out.organization().code();
  });
}

}  // namespace aggregator

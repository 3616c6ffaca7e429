#include "services/competition/directory.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/status.h"

namespace competition {

namespace v1 = federation::v1;

Directory::Directory(std::shared_ptr<grpc::Channel> registry, const fed::TokenSigner* signer,
                     absl::Duration ttl)
    : stub_(v1::RegistryService::NewStub(registry)), signer_(signer), ttl_(ttl) {}

absl::StatusOr<v1::Organization> Directory::Organization(const std::string& code) {
  {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(code);
    if (it != cache_.end() && absl::Now() - it->second.fetched < ttl_) return it->second.organization;
  }
  v1::TokenClaims claims;
  claims.set_subject("competition");
  claims.set_organization_code("VUSTA");
  claims.set_role(v1::ROLE_SERVICE);
  claims.set_expires_at_unix(absl::ToUnixSeconds(absl::Now() + absl::Minutes(5)));
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", absl::StrCat("Bearer ", signer_->Mint(claims)));
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  v1::GetOrganizationRequest req;
  req.set_code(code);
  v1::Organization org;
  absl::Status status = fed::FromGrpcStatus(stub_->GetOrganization(&ctx, req, &org));
  if (!status.ok()) {
    if (status.code() == absl::StatusCode::kNotFound) return status;
    return absl::UnavailableError(absl::StrCat("the registry could not check organisation ", code, ": ",
                                               status.message()));
  }
  absl::MutexLock lock(&mu_);
  cache_[code] = Entry{org, absl::Now()};
  return org;
}

absl::StatusOr<std::string> Directory::ProvinceOf(const std::string& code) {
  std::string current = code;
  for (int depth = 0; depth < 5; ++depth) {
    auto org = Organization(current);
    if (!org.ok()) return org.status();
    if (org->kind() == v1::ORGANIZATION_KIND_PROVINCIAL_UNION ||
        org->kind() == v1::ORGANIZATION_KIND_NATIONAL_UNION) {
      return org->code();
    }
    if (org->parent_code().empty()) return org->code();
    current = org->parent_code();
  }
  return current;
}

}  // namespace competition

#include "services/competition/directory.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/status.h"

namespace competition {

namespace v1 = federation::v1;

Directory::Directory(std::shared_ptr<grpc::Channel> registry, absl::Duration ttl)
    : stub_(v1::RegistryService::NewStub(registry)),
      registry_("registry", "competition"),
      ttl_(ttl) {}

absl::StatusOr<v1::Organization> Directory::Organization(const std::string& code) {
  {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(code);
    if (it != cache_.end() && absl::Now() - it->second.fetched < ttl_)
      return it->second.organization;
  }
  v1::GetOrganizationRequest req;
  req.set_code(code);
  v1::Organization org;
  absl::Status status = registry_.Read("GetOrganization", [&](grpc::ClientContext& ctx) {
    return stub_->GetOrganization(&ctx, req, &org);
  });
  absl::MutexLock lock(&mu_);
  if (status.ok()) {
    cache_[code] = Entry{org, absl::Now()};
    return org;
  }
  if (status.code() == absl::StatusCode::kNotFound) {
    cache_.erase(code);
    return status;
  }
  // The registry changes a few times a year: what it said before is a
  // better answer than none while it cannot be asked.
  if (auto it = cache_.find(code); it != cache_.end()) return it->second.organization;
  return status;
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

absl::StatusOr<Lineage> Directory::LineageOf(const std::string& code) {
  Lineage lineage;
  std::string current = code;
  // The registry's tree is shallow (national union, provincial union, member
  // association, collective member); the bound only guards against a cycle.
  for (int depth = 0; depth < 8 && !current.empty(); ++depth) {
    auto org = Organization(current);
    if (!org.ok()) return org.status();
    if (org->kind() == v1::ORGANIZATION_KIND_NATIONAL_UNION) {
      if (lineage.chain.empty()) lineage.chain.push_back(org->code());
      break;
    }
    lineage.chain.push_back(org->code());
    if (org->kind() == v1::ORGANIZATION_KIND_PROVINCIAL_UNION && lineage.province.empty()) {
      lineage.province = org->code();
    }
    current = org->parent_code();
  }
  return lineage;
}

}  // namespace competition

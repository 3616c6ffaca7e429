#include "services/aggregator/directory.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/status.h"

namespace aggregator {
namespace {

// One try, soon given up: lookups run on the intake's committer thread, and
// the pusher retries a report that could not be checked.
fed::ServiceClient::Options RegistryCallOptions() {
  fed::ServiceClient::Options options;
  options.deadline = absl::Seconds(2);
  options.read_attempts = 1;
  return options;
}

}  // namespace

Directory::Directory(std::shared_ptr<grpc::Channel> registry, absl::Duration ttl)
    : stub_(v1::RegistryService::NewStub(registry)),
      registry_("registry", "aggregator", RegistryCallOptions()),
      organizations_(ttl),
      provinces_(ttl),
      predecessors_(ttl),
      successors_(ttl) {}

absl::StatusOr<v1::Organization> Directory::Organization(const std::string& code) {
  return organizations_.Get(code, [&]() -> absl::StatusOr<v1::Organization> {
    v1::GetOrganizationRequest req;
    req.set_code(code);
    v1::Organization org;
    RETURN_IF_ERROR(registry_.Read("GetOrganization", [&](grpc::ClientContext& ctx) {
      return stub_->GetOrganization(&ctx, req, &org);
    }));
    return org;
  });
}

absl::StatusOr<Directory::OrganizationList> Directory::OrganizationsOn(v1::OrganizationKind kind,
                                                                       const std::string& day) {
  using List = std::vector<v1::Organization>;
  return provinces_.Get(absl::StrCat(kind, "@", day), [&]() -> absl::StatusOr<OrganizationList> {
    v1::ListOrganizationsRequest req;
    req.set_kind(kind);
    req.set_as_of(day);
    req.set_page_size(5000);
    List all;
    for (;;) {
      v1::ListOrganizationsResponse page;
      RETURN_IF_ERROR(registry_.Read("ListOrganizations", [&](grpc::ClientContext& ctx) {
        return stub_->ListOrganizations(&ctx, req, &page);
      }));
      for (auto& org : *page.mutable_organizations()) all.push_back(std::move(org));
      if (page.next_page_token().empty()) break;
      req.set_page_token(page.next_page_token());
    }
    return std::make_shared<const List>(std::move(all));
  });
}

absl::StatusOr<std::vector<std::string>> Directory::Predecessors(const std::string& code) {
  using List = std::vector<std::string>;
  return predecessors_.Get(code, [&]() -> absl::StatusOr<List> {
    v1::ListPredecessorsRequest req;
    req.set_code(code);
    req.set_transitive(true);
    v1::ListPredecessorsResponse out;
    RETURN_IF_ERROR(registry_.Read("ListPredecessors", [&](grpc::ClientContext& ctx) {
      return stub_->ListPredecessors(&ctx, req, &out);
    }));
    return List(out.predecessor_codes().begin(), out.predecessor_codes().end());
  });
}

absl::StatusOr<std::string> Directory::SuccessorOn(const std::string& code,
                                                   const std::string& day) {
  const std::string key = absl::StrCat(code, "@", day);
  return successors_.Get(key, [&]() -> absl::StatusOr<std::string> {
    v1::ResolveSuccessorRequest req;
    req.set_code(code);
    req.set_on(day);
    v1::ResolveSuccessorResponse out;
    RETURN_IF_ERROR(registry_.Read("ResolveSuccessor", [&](grpc::ClientContext& ctx) {
      return stub_->ResolveSuccessor(&ctx, req, &out);
    }));
    return out.organization().code();
  });
}

}  // namespace aggregator

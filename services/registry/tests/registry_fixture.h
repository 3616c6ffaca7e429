// A registry served over loopback gRPC on a fresh database, for the
// integration tests.
#pragma once

#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_split.h"
#include "federation/v1/registry.grpc.pb.h"
#include "services/common/status.h"
#include "services/common/validation.h"
#include "services/registry/grpc_service.h"
#include "services/registry/migrations.h"
#include "services/registry/registry.h"
#include "tests/support/test_env.h"

namespace registry::testing {

namespace v1 = federation::v1;
using fedtest::ContextAs;

// One row of deploy/demo/provinces.csv.
struct ProvinceRow {
  std::string code, name, region, cluster, successor;
};

inline std::vector<ProvinceRow> ReadProvinces() {
  std::ifstream in(fedtest::SourcePath("deploy/demo/provinces.csv"));
  std::string line;
  std::getline(in, line);  // header
  std::vector<ProvinceRow> rows;
  while (std::getline(in, line)) {
    std::vector<std::string> f = absl::StrSplit(line, ',');
    if (f.size() == 6) rows.push_back({f[0], f[1], f[3], f[4], f[5]});
  }
  return rows;
}

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<fedtest::TestDatabase>("registry");
    ASSERT_TRUE(fed::ApplyMigrations(db_->OwnerUrl("registry"), "registry", Migrations()).ok());
    pool_ = std::make_unique<fed::DbPool>(db_->RuntimeUrl("registry"), "registry", 4);
    workers_ = std::make_unique<fed::WorkerPool>(4);
    registry_ = std::make_unique<Registry>(*pool_);
    service_ = std::make_unique<RegistryGrpcService>(
        registry_.get(), fed::CallContext{&fedtest::TestVerifier("registry"), workers_.get()});
    server_ =
        std::make_unique<fedtest::LoopbackServer>(std::vector<grpc::Service*>{service_.get()});
    stub_ = v1::RegistryService::NewStub(server_->channel());
  }

  void TearDown() override {
    server_.reset();
    workers_.reset();
    pool_.reset();
    db_.reset();
  }

  static std::unique_ptr<grpc::ClientContext> Admin() {
    return ContextAs(v1::ROLE_NATIONAL_ADMIN, "VUSTA");
  }

  // Creates the national union (if needed) and a provincial union.
  void CreateNational() {
    v1::CreateOrganizationRequest req;
    auto* org = req.mutable_organization();
    org->set_code("VUSTA");
    org->set_kind(v1::ORGANIZATION_KIND_NATIONAL_UNION);
    org->set_name("Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam");
    org->set_active_from("1983-03-26");
    v1::Organization out;
    ASSERT_TRUE(stub_->CreateOrganization(Admin().get(), req, &out).ok());
  }

  grpc::Status CreateProvince(const std::string& code, const std::string& name,
                              const std::string& region = "") {
    v1::CreateOrganizationRequest req;
    auto* org = req.mutable_organization();
    org->set_code(code);
    org->set_kind(v1::ORGANIZATION_KIND_PROVINCIAL_UNION);
    org->set_name("Liên hiệp các Hội Khoa học và Kỹ thuật " + name);
    org->set_short_name("LHH " + name);
    org->set_parent_code("VUSTA");
    org->set_region(region);
    org->set_active_from("2008-08-01");
    org->set_member_count(10000);
    org->set_intellectual_count(1000);
    v1::Organization out;
    return stub_->CreateOrganization(Admin().get(), req, &out);
  }

  grpc::Status CreateAssociation(const std::string& code, const std::string& parent,
                                 const std::string& name, grpc::ClientContext* ctx,
                                 v1::Organization* out) {
    v1::CreateOrganizationRequest req;
    auto* org = req.mutable_organization();
    org->set_code(code);
    org->set_kind(v1::ORGANIZATION_KIND_MEMBER_ASSOCIATION);
    org->set_name(name);
    org->set_parent_code(parent);
    org->set_active_from("2012-01-01");
    return stub_->CreateOrganization(ctx, req, out);
  }

  // The national union, the 63 provinces and the 2025 merger, as in the demo.
  void LoadProvincesAndMerger() {
    CreateNational();
    std::map<std::string, std::vector<std::string>> into;
    for (const auto& p : ReadProvinces()) {
      ASSERT_TRUE(CreateProvince(p.code, p.name, p.region).ok()) << p.code;
      into[p.successor].push_back(p.code);
    }
    for (const auto& [successor, predecessors] : into) {
      if (predecessors.size() < 2) continue;
      v1::RecordMergerRequest req;
      req.mutable_merger()->set_successor_code(successor);
      req.mutable_merger()->set_effective_on("2025-07-01");
      req.mutable_merger()->set_decision("Nghị quyết 202/2025/QH15");
      for (const auto& code : predecessors) req.mutable_merger()->add_predecessor_codes(code);
      v1::Merger out;
      grpc::Status status = stub_->RecordMerger(Admin().get(), req, &out);
      ASSERT_TRUE(status.ok()) << successor << ": " << status.error_message();
    }
  }

  std::vector<std::string> ProvinceCodesAsOf(const std::string& day) {
    v1::ListOrganizationsRequest req;
    req.set_kind(v1::ORGANIZATION_KIND_PROVINCIAL_UNION);
    req.set_as_of(day);
    v1::ListOrganizationsResponse out;
    grpc::Status status = stub_->ListOrganizations(Admin().get(), req, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<std::string> codes;
    for (const auto& org : out.organizations()) codes.push_back(org.code());
    return codes;
  }

  int AuditCount() {
    v1::ListAuditEventsRequest req;
    req.set_limit(1000);
    v1::ListAuditEventsResponse out;
    EXPECT_TRUE(stub_->ListAuditEvents(Admin().get(), req, &out).ok());
    return out.events_size();
  }

  // The fields named in an INVALID_ARGUMENT status, in order.
  static std::vector<std::string> FieldsOf(const grpc::Status& status) {
    std::vector<std::string> fields;
    const v1::ValidationErrors errors = fed::ViolationsOf(fed::FromGrpcStatus(status));
    for (const auto& v : errors.violations()) {
      fields.push_back(v.field());
    }
    return fields;
  }

  std::unique_ptr<fedtest::TestDatabase> db_;
  std::unique_ptr<fed::DbPool> pool_;
  std::unique_ptr<fed::WorkerPool> workers_;
  std::unique_ptr<Registry> registry_;
  std::unique_ptr<RegistryGrpcService> service_;
  std::unique_ptr<fedtest::LoopbackServer> server_;
  std::unique_ptr<v1::RegistryService::Stub> stub_;
};

}  // namespace registry::testing

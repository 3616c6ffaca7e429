// The suite as separate processes on loopback ports, over one fresh
// database: the shape of a real deployment, for end-to-end and fault tests.
#pragma once

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "federation/v1/aggregator.grpc.pb.h"
#include "federation/v1/registry.grpc.pb.h"
#include "federation/v1/reporting.grpc.pb.h"
#include "services/common/auth.h"
#include "services/common/client.h"
#include "tests/support/process.h"
#include "tests/support/test_env.h"

namespace fedtest {

namespace v1 = federation::v1;

inline std::vector<std::string> ProvinceCodes() {
  std::ifstream in(SourcePath("deploy/demo/provinces.csv"));
  std::string line;
  std::getline(in, line);
  std::vector<std::string> codes;
  while (std::getline(in, line)) {
    std::vector<std::string> f = absl::StrSplit(line, ',');
    if (f.size() == 6) codes.push_back(f[0]);
  }
  return codes;
}

class SuiteTest : public ::testing::Test {
 protected:
  static constexpr char kSecret[] = "suite-test-secret-0123456789abcdef";

  void SetUp() override {
    db_ = std::make_unique<TestDatabase>("suite");
    dir_ = absl::StrCat("/tmp/fed-suite-", getpid());
    std::system(absl::StrCat("mkdir -p ", dir_).c_str());
    std::ofstream(dir_ + "/secret") << kSecret;
    signer_ = std::make_unique<fed::TokenSigner>(kSecret);
    registry_address_ = absl::StrCat("127.0.0.1:", FreePort());
    aggregator_address_ = absl::StrCat("127.0.0.1:", FreePort());
    reporting_address_ = absl::StrCat("127.0.0.1:", FreePort());
    registry_ = Service("registry", registry_address_, {});
    registry_->Start();
    ASSERT_TRUE(registry_->WaitHealthy(registry_address_, 30)) << registry_->LogTail();
    SeedProvinces();
    aggregator_ = Service("aggregator", aggregator_address_,
                          {"--registry_target=" + registry_address_, "--push_batch=50"});
    aggregator_->Start();
    ASSERT_TRUE(aggregator_->WaitHealthy(aggregator_address_, 30)) << aggregator_->LogTail();
  }

  void TearDown() override {
    reporting_.reset();
    aggregator_.reset();
    registry_.reset();
    db_.reset();
    std::system(absl::StrCat("rm -rf ", dir_).c_str());
  }

  std::unique_ptr<ServiceProcess> Service(const std::string& name, const std::string& address,
                                          std::vector<std::string> extra) {
    std::vector<std::string> args = {"--listen=" + address, "--db=" + db_->url(),
                                     "--token_secret_file=" + dir_ + "/secret"};
    args.insert(args.end(), extra.begin(), extra.end());
    return std::make_unique<ServiceProcess>(absl::StrCat("services/", name, "/", name, "_server"),
                                            args, absl::StrCat(dir_, "/", name, ".log"));
  }

  std::unique_ptr<grpc::ClientContext> As(v1::Role role, const std::string& org) const {
    v1::TokenClaims claims;
    claims.set_subject(absl::StrCat("suite-", org));
    claims.set_organization_code(org);
    claims.set_role(role);
    claims.set_expires_at_unix(absl::ToUnixSeconds(absl::Now() + absl::Hours(1)));
    return fed::OutgoingContext(signer_->Mint(claims), absl::Seconds(20));
  }

  void SeedProvinces() {
    auto stub = v1::RegistryService::NewStub(fed::OpenChannel(registry_address_));
    v1::CreateOrganizationRequest req;
    auto* org = req.mutable_organization();
    org->set_code("VUSTA");
    org->set_kind(v1::ORGANIZATION_KIND_NATIONAL_UNION);
    org->set_name("Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam");
    org->set_active_from("1983-03-26");
    v1::Organization out;
    ASSERT_TRUE(
        stub->CreateOrganization(As(v1::ROLE_NATIONAL_ADMIN, "VUSTA").get(), req, &out).ok());
    for (const auto& code : ProvinceCodes()) {
      org->set_code(code);
      org->set_kind(v1::ORGANIZATION_KIND_PROVINCIAL_UNION);
      org->set_name("LHH " + code);
      org->set_parent_code("VUSTA");
      org->set_active_from("2008-08-01");
      org->set_member_count(20000);
      org->set_intellectual_count(2000);
      ASSERT_TRUE(
          stub->CreateOrganization(As(v1::ROLE_NATIONAL_ADMIN, "VUSTA").get(), req, &out).ok());
    }
  }

  std::unique_ptr<TestDatabase> db_;
  std::string dir_;
  std::unique_ptr<fed::TokenSigner> signer_;
  std::string registry_address_, aggregator_address_, reporting_address_;
  std::unique_ptr<ServiceProcess> registry_, aggregator_, reporting_;
};

}  // namespace fedtest

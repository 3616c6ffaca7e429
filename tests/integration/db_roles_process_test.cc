// A service process and its PostgreSQL roles: migrations applied as the
// schema's owner in a step of their own (--migrate_only), then the service
// serving with its runtime role alone, never holding the owner's credentials.
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "tests/support/process.h"
#include "tests/support/test_env.h"
#include "tests/support/test_tls.h"

namespace fedtest {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class DbRolesProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = absl::StrCat(::testing::TempDir(), "/fed-db-roles-", getpid());
    ASSERT_EQ(std::system(absl::StrCat("mkdir -p ", dir_).c_str()), 0);
    WriteTestKeys(dir_ + "/token-keys");
    address_ = absl::StrCat("127.0.0.1:", FreePort());
    db_ = std::make_unique<TestDatabase>("dbroles");
  }
  void TearDown() override {
    db_.reset();
    std::system(absl::StrCat("rm -rf ", dir_).c_str());
  }

  std::unique_ptr<ServiceProcess> Registry(std::vector<std::string> extra, const std::string& log) {
    std::vector<std::string> args = {"--listen=" + address_,
                                     "--token_keys_dir=" + dir_ + "/token-keys"};
    for (std::string& tls : TlsArgs()) args.push_back(std::move(tls));
    args.insert(args.end(), extra.begin(), extra.end());
    return std::make_unique<ServiceProcess>("services/registry/registry_server", args,
                                            absl::StrCat(dir_, "/", log, ".log"));
  }

  // Waits up to 30 s for `process` to end by itself.
  static bool Exits(ServiceProcess& process) {
    for (int i = 0; i < 300 && process.Running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return !process.Running();
  }

  std::string dir_;
  std::string address_;
  std::unique_ptr<TestDatabase> db_;
};

TEST_F(DbRolesProcessTest, MigratedByTheOwnerThenServedByTheRuntimeRoleAlone) {
  auto migrate = Registry({"--migrate_only", "--db_owner=" + db_->OwnerUrl("registry"),
                           "--db=" + db_->RuntimeUrl("registry")},
                          "migrate");
  migrate->Start();
  ASSERT_TRUE(Exits(*migrate)) << migrate->LogTail();
  EXPECT_THAT(migrate->LogTail(), HasSubstr("event=migrated schema=registry"));
  EXPECT_THAT(migrate->LogTail(), Not(HasSubstr("event=serving")));

  auto registry = Registry({"--db=" + db_->RuntimeUrl("registry")}, "registry");
  registry->Start();
  ASSERT_TRUE(registry->WaitHealthy(address_, 30)) << registry->LogTail();
  EXPECT_THAT(registry->LogTail(), Not(HasSubstr("event=migration_applied")));
}

TEST_F(DbRolesProcessTest, TheRuntimeRoleAloneDoesNotStartOnPendingMigrations) {
  db_->OwnerUrl("registry");  // the schema exists, empty, as provisioned
  auto registry = Registry({"--db=" + db_->RuntimeUrl("registry")}, "registry");
  registry->Start();
  ASSERT_TRUE(Exits(*registry)) << registry->LogTail();
  EXPECT_THAT(registry->LogTail(), HasSubstr("event=start_failed"));
  EXPECT_THAT(registry->LogTail(), HasSubstr("applied by the schema's owner role"));
}

}  // namespace
}  // namespace fedtest

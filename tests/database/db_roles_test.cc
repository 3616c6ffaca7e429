// Least privilege in PostgreSQL: a service's runtime role (<service>_app)
// runs its DML and nothing else, and its owner role (<service>_owner)
// applies the migrations. Each test names the bypass it closes: a process
// audited by append-only triggers must not be able to undo the record.
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "services/aggregator/migrations.h"
#include "services/common/db.h"
#include "services/competition/migrations.h"
#include "services/emulation/migrations.h"
#include "services/ranking/migrations.h"
#include "services/registry/migrations.h"
#include "services/reporting/migrations.h"
#include "tests/support/test_env.h"

namespace {

struct Service {
  std::string name;
  const std::vector<fed::Migration>& (*migrations)();
  // Tables whose rows are written once: the audit log and the histories.
  std::vector<std::string> append_only;
  // Tables rows are never deleted from (besides the append-only ones).
  std::vector<std::string> never_deleted;
};

const std::vector<Service>& Services() {
  static const auto* services = new std::vector<Service>{
      {"registry",
       registry::Migrations,
       {"audit_log", "organization_revisions", "cluster_revisions", "congress_events"},
       {"organizations"}},
      {"aggregator", aggregator::Migrations, {"audit_log", "report_values"}, {"report_revisions"}},
      {"reporting", reporting::Migrations, {"audit_log", "report_events"}, {"revisions"}},
      {"competition", competition::Migrations, {"audit_log", "contest_state_changes"}, {"entries"}},
      {"ranking", ranking::Migrations, {"audit_log", "schemes"}, {}},
      {"emulation", emulation::Migrations, {"audit_log", "year_revisions", "files"}, {"years"}},
  };
  return *services;
}

constexpr char kInsufficientPrivilege[] = "insufficient privilege";

// How `sql` fails as the connection's role: kInsufficientPrivilege, another
// error's text, or "" when it runs. libpqxx 6.4 throws
// insufficient_privilege with an empty sqlstate(): the type says it.
std::string FailureOf(pqxx::connection& conn, const std::string& schema, const std::string& sql) {
  try {
    pqxx::work txn(conn);
    txn.exec(absl::StrCat("SET LOCAL search_path TO ", conn.quote_name(schema)));
    txn.exec(sql);
    txn.abort();  // whatever ran, leave nothing behind for the next check
    return "";
  } catch (const pqxx::insufficient_privilege&) {
    return kInsufficientPrivilege;
  } catch (const pqxx::sql_error& e) {
    return e.what();
  }
}

// "UPDATE t SET c = c" with t's first column: a statement that would change
// nothing, refused only for want of the privilege.
std::string NoOpUpdate(const std::string& url, const std::string& schema,
                       const std::string& table) {
  pqxx::connection admin(url);
  pqxx::read_transaction txn(admin);
  const std::string column = txn.exec_params1(
                                    "SELECT attname FROM pg_attribute WHERE attnum = 1 AND"
                                    " attrelid = to_regclass(format('%I.%I', $1::text, $2::text))",
                                    schema, table)[0]
                                 .as<std::string>();
  const std::string quoted = admin.quote_name(column);
  return absl::StrCat("UPDATE ", table, " SET ", quoted, " = ", quoted);
}

class DbRolesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<fedtest::TestDatabase>("roles");
    for (const Service& service : Services()) {
      ASSERT_TRUE(
          fed::ApplyMigrations(db_->OwnerUrl(service.name), service.name, service.migrations())
              .ok())
          << service.name;
    }
  }

  std::unique_ptr<fedtest::TestDatabase> db_;
};

TEST_F(DbRolesTest, TheOwnerRoleAppliedEveryMigrationAndOwnsWhatItMade) {
  pqxx::connection admin(db_->url());
  pqxx::read_transaction txn(admin);
  for (const Service& service : Services()) {
    const size_t expected = fed::shared::Migrations().size() + service.migrations().size();
    EXPECT_EQ(txn.exec_params1("SELECT count(*) FROM pg_tables WHERE schemaname = $1 AND"
                               " tablename = 'schema_migrations'",
                               service.name)[0]
                  .as<int>(),
              1);
    EXPECT_EQ(txn.exec(absl::StrCat("SELECT 1 FROM ", admin.quote_name(service.name),
                                    ".schema_migrations"))
                  .size(),
              expected)
        << service.name;
    EXPECT_EQ(txn.exec_params1("SELECT count(*) FROM pg_tables WHERE schemaname = $1 AND"
                               " tableowner <> $1 || '_owner'",
                               service.name)[0]
                  .as<int>(),
              0)
        << service.name << "'s tables belong to its owner role";
  }
}

TEST_F(DbRolesTest, TheRuntimeRoleWritesTheAuditLogButCannotRewriteIt) {
  for (const Service& service : Services()) {
    pqxx::connection app(db_->RuntimeUrl(service.name));
    EXPECT_EQ(FailureOf(app, service.name,
                        "INSERT INTO audit_log (subject, role, actor_org, action, target, detail)"
                        " VALUES ('s', 1, 'VUSTA', 'a', 't', '{}')"),
              "")
        << service.name;
    for (const std::string& table : service.append_only) {
      SCOPED_TRACE(absl::StrCat(service.name, ".", table));
      EXPECT_EQ(FailureOf(app, service.name, absl::StrCat("SELECT * FROM ", table)), "");
      EXPECT_EQ(FailureOf(app, service.name, NoOpUpdate(db_->url(), service.name, table)),
                kInsufficientPrivilege);
      EXPECT_EQ(FailureOf(app, service.name, absl::StrCat("DELETE FROM ", table)),
                kInsufficientPrivilege);
      EXPECT_EQ(FailureOf(app, service.name, absl::StrCat("TRUNCATE ", table)),
                kInsufficientPrivilege);
    }
    for (const std::string& table : service.never_deleted) {
      SCOPED_TRACE(absl::StrCat(service.name, ".", table));
      EXPECT_EQ(FailureOf(app, service.name, absl::StrCat("DELETE FROM ", table)),
                kInsufficientPrivilege);
      EXPECT_EQ(FailureOf(app, service.name, absl::StrCat("TRUNCATE ", table)),
                kInsufficientPrivilege);
    }
  }
}

TEST_F(DbRolesTest, TheRuntimeRoleCannotChangeTheSchemaOrSwitchTriggersOff) {
  for (const Service& service : Services()) {
    SCOPED_TRACE(service.name);
    pqxx::connection app(db_->RuntimeUrl(service.name));
    EXPECT_EQ(FailureOf(app, service.name, "CREATE TABLE shadow (id int)"), kInsufficientPrivilege);
    EXPECT_EQ(FailureOf(app, service.name, "ALTER TABLE audit_log ADD COLUMN note text"),
              kInsufficientPrivilege);
    EXPECT_EQ(FailureOf(app, service.name, "DROP TABLE audit_log"), kInsufficientPrivilege);
    EXPECT_EQ(FailureOf(app, service.name, "ALTER TABLE audit_log DISABLE TRIGGER ALL"),
              kInsufficientPrivilege);
    EXPECT_EQ(FailureOf(app, service.name, "SET session_replication_role = replica"),
              kInsufficientPrivilege);
    EXPECT_EQ(FailureOf(app, service.name,
                        "CREATE FUNCTION nothing() RETURNS int AS 'SELECT 1'"
                        " LANGUAGE sql"),
              kInsufficientPrivilege);
  }
}

TEST_F(DbRolesTest, TheRuntimeRoleCannotReadOrWriteAnotherServicesTables) {
  for (const Service& service : Services()) {
    pqxx::connection app(db_->RuntimeUrl(service.name));
    for (const Service& other : Services()) {
      if (other.name == service.name) continue;
      SCOPED_TRACE(absl::StrCat(service.name, " -> ", other.name));
      EXPECT_EQ(
          FailureOf(app, service.name, absl::StrCat("SELECT * FROM ", other.name, ".audit_log")),
          kInsufficientPrivilege);
      EXPECT_EQ(FailureOf(app, service.name,
                          absl::StrCat("INSERT INTO ", other.name,
                                       ".audit_log (subject, role, actor_org, action, target,"
                                       " detail) VALUES ('s', 1, 'VUSTA', 'a', 't', '{}')")),
                kInsufficientPrivilege);
    }
  }
}

TEST_F(DbRolesTest, TheRuntimeRoleStartsWhenEveryMigrationIsApplied) {
  for (const Service& service : Services()) {
    EXPECT_TRUE(
        fed::ApplyMigrations(db_->RuntimeUrl(service.name), service.name, service.migrations())
            .ok())
        << service.name;
  }
}

TEST_F(DbRolesTest, OnlyTheOwnerRoleAppliesANewMigration) {
  std::vector<fed::Migration> next = registry::Migrations();
  next.push_back({900, "shadow", "CREATE TABLE shadow (id int)"});
  absl::Status as_app = fed::ApplyMigrations(db_->RuntimeUrl("registry"), "registry", next);
  EXPECT_EQ(as_app.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(as_app.message().find("owner"), std::string::npos) << as_app.message();
  EXPECT_TRUE(fed::ApplyMigrations(db_->OwnerUrl("registry"), "registry", next).ok());
  pqxx::connection admin(db_->url());
  pqxx::read_transaction txn(admin);
  EXPECT_EQ(txn.exec("SELECT 1 FROM registry.schema_migrations WHERE version = 900").size(), 1u);
}

}  // namespace

// PostgreSQL failover under load, with real processes: the registry and the
// aggregator serve from a three-member Patroni cluster (tools/ha cluster-up:
// synchronous replication) through a libpq multi-host URL, while 63
// provinces push a storm.
//
//  - The primary's PostgreSQL and Patroni are killed with SIGKILL: a replica
//    is promoted, the services reconnect on their own, every acknowledged
//    report is on the new primary once, and the figures equal a recount.
//  - A planned switchover under the same storm loses nothing either.
//
// Each prints the time to the first accepted push after the fault.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include <pqxx/pqxx>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tests/integration/storm_fixture.h"

namespace {

// The cluster of the whole suite of tests: made once (about 20 s).
class FailoverTest : public fedtest::StormTest {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(absl::StrCat("/tmp/fed-ha-test-", getpid()));
    // Below Linux's range of ports for outgoing connections (32768-60999):
    // a port there may be taken by a connection before the cluster binds it.
    const int base = 21000 + (getpid() % 1000) * 10;
    ASSERT_TRUE(Ha(absl::StrCat("cluster-up ", *dir_, " ", base)))
        << "tools/ha cluster-up failed (its log is above)";
    const std::optional<std::string> url = Ha(absl::StrCat("url ", *dir_, " federation postgres"));
    ASSERT_TRUE(url);
    // Every TestDatabase of these tests is made on the cluster, and each
    // service is given its role's multi-host URL.
    setenv("FED_TEST_PG_URL", url->c_str(), 1);
  }

  static void TearDownTestSuite() {
    Ha(absl::StrCat("cluster-down ", *dir_));
    std::system(absl::StrCat("rm -rf ", *dir_).c_str());
    delete dir_;
  }

  // Runs `tools/ha <args>` (its log goes to the test's output); what it
  // printed, without the final newline, or nullopt when it failed.
  static std::optional<std::string> Ha(const std::string& args) {
    const std::string command = absl::StrCat(fedtest::SourcePath("tools/ha"), " ", args);
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return std::nullopt;
    std::string out;
    char buffer[4096];
    for (size_t n; (n = fread(buffer, 1, sizeof(buffer), pipe)) > 0;) out.append(buffer, n);
    if (pclose(pipe) != 0) return std::nullopt;
    return std::string(absl::StripTrailingAsciiWhitespace(out));
  }

  // The services' URLs name every member, and libpq tries the next one
  // only when a member cannot be reached or is read-only, not when it
  // answers FATAL: a replica that has not yet replayed the test database's
  // creation would stop a service's start. Wait until every replica has.
  // (Connected to the administrator's database, which every member has.)
  void DatabaseCreated() override {
    pqxx::connection admin(std::getenv("FED_TEST_PG_URL"));
    for (int i = 0; i < 600; ++i) {
      pqxx::nontransaction txn(admin);
      if (txn.exec1("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"
                    " AND replay_lsn >= pg_current_wal_lsn()")[0]
              .as<int>() == 2) {
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "both replicas did not replay the test database's creation in 60 s";
  }

  // "NAME PORT" of the primary -> NAME.
  static std::string MemberName(const std::string& name_port) {
    return std::vector<std::string>(absl::StrSplit(name_port, ' '))[0];
  }

  // Runs the storm with `fault` at its first third; prints how long after
  // the fault a push was first accepted (by a probe of its own, 100 ms
  // apart) and returns it.
  absl::Duration StormThrough(const std::string& what, const std::function<void()>& fault) {
    absl::Duration first_accepted = absl::InfiniteDuration();
    std::thread probe;
    Storm([&] {
      const absl::Time at = absl::Now();
      fault();
      probe = std::thread([&, at] {
        first_accepted = FirstAcceptedPushAfter(at, "01", absl::StrCat(probe_year_++, "H1"));
      });
    });
    if (probe.joinable()) probe.join();
    std::printf("%s: first push accepted %.1f s after it\n", what.c_str(),
                absl::ToDoubleSeconds(first_accepted));
    return first_accepted;
  }

  static std::string* dir_;
  static int probe_year_;
};

std::string* FailoverTest::dir_ = nullptr;
int FailoverTest::probe_year_ = 2010;  // probes report for 2010H1, 2011H1...: outside the storm

TEST_F(FailoverTest, KillingThePrimaryUnderAStormLosesNoAcknowledgedReport) {
  std::string killed;
  const absl::Duration recovery =
      StormThrough("primary killed (SIGKILL of postgres and Patroni)", [&] {
        killed = Ha(absl::StrCat("kill-primary ", *dir_)).value_or("");
        ASSERT_FALSE(killed.empty());
      });
  EXPECT_LT(recovery, absl::InfiniteDuration()) << "no push was accepted after the failover";
  ExpectEveryReportStoredOnceAndCountedOnce();
  EXPECT_TRUE(aggregator_->Running()) << "the aggregator must survive the failover";
  EXPECT_TRUE(registry_->Running()) << "the registry must survive the failover";
  const std::string now_primary = Ha(absl::StrCat("primary ", *dir_)).value_or("none");
  EXPECT_NE(MemberName(now_primary), MemberName(killed)) << "a replica was promoted";

  // The old primary rejoins as a replica, for the next test.
  EXPECT_TRUE(Ha(absl::StrCat("restart-member ", *dir_, " ", MemberName(killed))));
}

TEST_F(FailoverTest, APlannedSwitchoverUnderAStormLosesNothing) {
  const std::string before = Ha(absl::StrCat("wait-primary ", *dir_)).value_or("none");
  std::string after;
  StormThrough("planned switchover", [&] {
    // Patroni names a synchronous standby some seconds after a failover
    // (the previous test's): without one it refuses to switch over.
    for (int attempt = 0; attempt < 10 && after.empty(); ++attempt) {
      after = Ha(absl::StrCat("switchover ", *dir_)).value_or("");
      if (after.empty()) std::this_thread::sleep_for(std::chrono::seconds(3));
    }
    ASSERT_FALSE(after.empty()) << "the switchover did not happen";
  });
  EXPECT_NE(MemberName(after), MemberName(before));
  ExpectEveryReportStoredOnceAndCountedOnce();
  EXPECT_TRUE(aggregator_->Running());
}

}  // namespace

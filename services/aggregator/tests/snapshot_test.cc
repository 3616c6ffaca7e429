// The figures' snapshot kept with each standing (migration 005): a restart
// reads it instead of recounting every value row, and gets the same figures
// as the recount, including where the snapshot cannot be trusted (a row an
// older aggregator wrote, another catalog's layout), which is recounted and
// then repaired when an aggregator takes over.
#include <cmath>

#include <pqxx/pqxx>

#include "services/aggregator/storage.h"
#include "services/aggregator/tests/aggregator_fixture.h"

namespace aggregator::testing {
namespace {

class SnapshotTest : public AggregatorTest {
 protected:
  void SetUp() override {
    AggregatorTest::SetUp();
    CreateNational();
    ASSERT_TRUE(CreateProvince("14", "Sơn La").ok());
    ASSERT_TRUE(CreateProvince("20", "Lạng Sơn").ok());
    ASSERT_TRUE(CreateProvince("30", "Hải Dương").ok());
    // What taking over does first on a new database: records the layout.
    EXPECT_EQ(Repair(), 0);
  }

  // Every kind of standing: accepted, accepted then revised, returned,
  // reopened, submitted only.
  void ReportAndReview() {
    Push({MakeReport("14", "2024H1", 1, {{"workshops", 5}, {"members", 1200}}),
          MakeReport("20", "2024H1", 1, {{"workshops", 7}, {"has_website", true}}),
          MakeReport("30", "2024H1", 1, {{"workshops", 11}}),
          MakeReport("14", "2024H2", 1, {{"workshops", 2}})});
    ASSERT_TRUE(Review("accept", "14", "2024H1", 1).ok());
    ASSERT_TRUE(Review("accept", "20", "2024H1", 1).ok());
    ASSERT_TRUE(Review("return", "30", "2024H1", 1, "the members are missing").ok());
    ASSERT_TRUE(Review("reopen", "20", "2024H1", 1, "a typo", v1::ROLE_NATIONAL_ADMIN).ok());
    // A new revision after acceptance: the accepted one keeps counting.
    ASSERT_EQ(PushOne(MakeReport("14", "2024H1", 2, {{"workshops", 9}, {"members", 1300}})),
              v1::PUSH_OUTCOME_STORED);
  }

  int64_t Repair() {
    int64_t repaired = -1;
    EXPECT_TRUE(agg_pool_
                    ->InTransaction([&](pqxx::work& txn) {
                      storage::LockFeed(txn);
                      repaired = storage::RepairValueSnapshots(txn);
                      return absl::OkStatus();
                    })
                    .ok());
    return repaired;
  }

  std::vector<Standing> Load(storage::ValuesFrom from) {
    std::vector<Standing> all;
    EXPECT_TRUE(agg_pool_
                    ->InTransaction([&](pqxx::work& txn) {
                      storage::LoadAllStandings(
                          txn, [&](Standing s) { all.push_back(std::move(s)); }, from);
                      return absl::OkStatus();
                    })
                    .ok());
    return all;
  }

  // Takes the value rows away (which nothing ever does): what is read then
  // comes from the snapshot alone.
  void HideValueRows() {
    Sql("ALTER TABLE report_values RENAME TO report_values_away;"
        "CREATE TABLE report_values (LIKE report_values_away);"
        "GRANT SELECT, INSERT ON report_values TO aggregator_app");
  }

  // Runs SQL behind the aggregator's back, as its schema's owner.
  void Sql(const std::string& sql) {
    pqxx::connection conn(db_->OwnerUrl("aggregator"));
    pqxx::work txn(conn);
    txn.exec("SET search_path = aggregator");
    txn.exec(sql);
    txn.commit();
  }

  double Value(const Values& values, const std::string& code) {
    return values[fed::IndicatorIndex(code)];
  }
};

// Values compared bit for bit, NaN (not reported) equal to NaN.
bool Same(const Values& a, const Values& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i]) != std::isnan(b[i]) || (!std::isnan(a[i]) && a[i] != b[i])) return false;
  }
  return true;
}

void ExpectSameStandings(const std::vector<Standing>& got, const std::vector<Standing>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    SCOPED_TRACE(want[i].organization_code + " " + want[i].period);
    EXPECT_EQ(got[i].organization_code, want[i].organization_code);
    EXPECT_EQ(got[i].period, want[i].period);
    EXPECT_EQ(got[i].state, want[i].state);
    EXPECT_EQ(got[i].latest_revision, want[i].latest_revision);
    EXPECT_EQ(got[i].accepted_revision, want[i].accepted_revision);
    EXPECT_EQ(got[i].sequence, want[i].sequence);
    EXPECT_TRUE(Same(got[i].latest_values, want[i].latest_values));
    EXPECT_TRUE(Same(got[i].AcceptedValues(), want[i].AcceptedValues()));
  }
}

TEST_F(SnapshotTest, ARestartReadsTheSnapshotAndCountsWhatTheRecountCounts) {
  ReportAndReview();
  const double accepted = Total("2024H1", "workshops");
  const double submitted = Total("2024H1", "workshops", /*include_submitted=*/true);
  EXPECT_EQ(accepted, 5 + 7);   // 14's revision 1 and 20's, reopened but still counting
  EXPECT_EQ(submitted, 9 + 7);  // 14's revision 2 awaits review; 30's was returned

  const std::vector<Standing> snapshot = Load(storage::ValuesFrom::kSnapshot);
  ExpectSameStandings(snapshot, Load(storage::ValuesFrom::kRecount));
  ASSERT_EQ(snapshot.size(), 4u);

  // The snapshot alone carries the figures: a restart still counts the same.
  HideValueRows();
  StopAggregator();
  StartAggregator();
  EXPECT_EQ(Total("2024H1", "workshops"), accepted);
  EXPECT_EQ(Total("2024H1", "workshops", true), submitted);
  EXPECT_EQ(Total("2024H1", "members"), 1200);
  EXPECT_EQ(Total("2024H2", "workshops", true), 2);
}

TEST_F(SnapshotTest, ARowAnOlderAggregatorWroteIsRecountedAndRepairedOnTakeOver) {
  ReportAndReview();
  // An older aggregator (a rolling upgrade) knows nothing of the arrays: it
  // moves last_sequence and leaves stale ones behind. Made visible here by
  // stale arrays that say 1000 workshops.
  Sql("UPDATE reports SET last_sequence = last_sequence + 1000,"
      " latest_values = decode(repeat(encode(float8send(1000), 'hex'), 30), 'hex')"
      " WHERE organization_code = '30' AND period = '2024H1'");
  const std::vector<Standing> loaded = Load(storage::ValuesFrom::kSnapshot);
  ExpectSameStandings(loaded, Load(storage::ValuesFrom::kRecount));
  for (const auto& s : loaded) {
    if (s.organization_code == "30") {
      EXPECT_EQ(Value(s.latest_values, "workshops"), 11);
    }
  }

  EXPECT_EQ(Repair(), 1);
  EXPECT_EQ(Repair(), 0);
  // Repaired: the snapshot now holds the recount, without the value rows.
  HideValueRows();
  ExpectSameStandings(Load(storage::ValuesFrom::kSnapshot), loaded);
}

TEST_F(SnapshotTest, AnotherCatalogsLayoutIsRecountedAndRewrittenOnTakeOver) {
  ReportAndReview();
  const std::vector<Standing> before = Load(storage::ValuesFrom::kRecount);
  // The arrays as another build (another catalog) would have laid them out.
  Sql("UPDATE value_layout SET indicators = ARRAY['workshops', 'members'];"
      "UPDATE reports SET latest_values = float8send(1000) || float8send(1000)");
  ExpectSameStandings(Load(storage::ValuesFrom::kSnapshot), before);
  EXPECT_EQ(Repair(), 4);  // every row, whatever its sequence says
  HideValueRows();
  ExpectSameStandings(Load(storage::ValuesFrom::kSnapshot), before);
}

}  // namespace
}  // namespace aggregator::testing

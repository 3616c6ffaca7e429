// National figures: totals with time aggregation, coverage conditions,
// completeness and timeliness, series across the 2025 merger.
#include <cmath>

#include "services/aggregator/tests/aggregator_fixture.h"

namespace aggregator::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

class QueriesTest : public AggregatorTest {
 protected:
  void SetUp() override {
    AggregatorTest::SetUp();
    LoadProvincesAndMerger();
  }

  void PushAndAccept(const v1::Report& report) {
    auto acks = Push({report});
    ASSERT_EQ(acks.size(), 1u);
    ASSERT_EQ(acks[0].outcome(), v1::PUSH_OUTCOME_STORED);
    ASSERT_TRUE(
        Review("accept", report.organization_code(), report.period(), report.revision()).ok());
  }
};

TEST_F(QueriesTest, YearIsDerivedFromHalvesUnlessThereIsAnAnnualReport) {
  PushAndAccept(MakeReport("14", "2023H1", 1,
                           {{"workshops", 3}, {"members", 190000}, {"has_website", false}}));
  PushAndAccept(MakeReport("14", "2023H2", 1,
                           {{"workshops", 4}, {"members", 200000}, {"has_website", true}}));
  v1::TotalsRequest req;
  req.set_period("2023");
  req.add_indicator_codes("workshops");
  req.add_indicator_codes("members");
  req.add_indicator_codes("has_website");
  v1::TotalsResponse out;
  ASSERT_TRUE(agg_->GetTotals(ContextAs(v1::ROLE_VIEWER, "VUSTA").get(), req, &out).ok());
  EXPECT_TRUE(out.derived());
  EXPECT_EQ(out.totals(0).value(), 7);       // flow: H1 + H2
  EXPECT_EQ(out.totals(1).value(), 200000);  // stock: at year end
  EXPECT_EQ(out.totals(2).value(), 1);       // yes in either half

  PushAndAccept(MakeReport("14", "2023", 1, {{"workshops", 8}, {"members", 201000}}));
  EXPECT_EQ(Total("2023", "workshops"), 8);  // the annual report wins
  EXPECT_EQ(Total("2023", "members"), 201000);
}

TEST_F(QueriesTest, TotalsAddUpProvincesAndCountYeses) {
  PushAndAccept(MakeReport("14", "2024H1", 1, {{"workshops", 3}, {"tech_contest_held", true}}));
  PushAndAccept(MakeReport("20", "2024H1", 1, {{"workshops", 2}, {"tech_contest_held", false}}));
  PushAndAccept(MakeReport("38", "2024H1", 1, {{"workshops", 5}, {"tech_contest_held", true}}));
  EXPECT_EQ(Total("2024H1", "workshops"), 10);
  EXPECT_EQ(Total("2024H1", "tech_contest_held"), 2);
}

TEST_F(QueriesTest, UnknownIndicatorInAQueryIsInvalid) {
  v1::TotalsRequest req;
  req.set_period("2024H1");
  req.add_indicator_codes("workshops");
  req.add_indicator_codes("seminars");
  v1::TotalsResponse out;
  grpc::Status status = agg_->GetTotals(ContextAs(v1::ROLE_VIEWER, "VUSTA").get(), req, &out);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(status), ElementsAre("indicator_codes[1]"));
}

TEST_F(QueriesTest, CoverageCountsProvincesMeetingACondition) {
  PushAndAccept(MakeReport("14", "2024H1", 1,
                           {{"has_bulletin", true}, {"has_website", true}, {"workshops", 12}}));
  PushAndAccept(MakeReport("20", "2024H1", 1,
                           {{"has_bulletin", true}, {"has_website", false}, {"workshops", 10}}));
  PushAndAccept(MakeReport("38", "2024H1", 1,
                           {{"has_bulletin", false}, {"has_website", true}, {"workshops", 2}}));
  v1::CoverageRequest req;
  req.set_period("2024H1");
  req.set_condition("has_bulletin AND has_website");
  v1::CoverageResponse out;
  ASSERT_TRUE(agg_->GetCoverage(ContextAs(v1::ROLE_VIEWER, "VUSTA").get(), req, &out).ok());
  EXPECT_EQ(out.matching(), 1);
  EXPECT_EQ(out.of(), 63);
  EXPECT_THAT(out.matching_codes(), ElementsAre("14"));
  EXPECT_EQ(out.without_report_codes_size(), 60);

  req.set_condition("workshops >= 10");
  ASSERT_TRUE(agg_->GetCoverage(ContextAs(v1::ROLE_VIEWER, "VUSTA").get(), req, &out).ok());
  EXPECT_THAT(out.matching_codes(), UnorderedElementsAre("14", "20"));

  req.set_condition("workshops >=");
  grpc::Status bad = agg_->GetCoverage(ContextAs(v1::ROLE_VIEWER, "VUSTA").get(), req, &out);
  ASSERT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(bad), ElementsAre("condition"));
}

TEST_F(QueriesTest, CompletenessListsMissingAndLateProvinces) {
  v1::Report on_time = MakeReport("14", "2024H1", 1, {{"workshops", 1}});
  on_time.mutable_submitted_at()->set_seconds(absl::ToUnixSeconds(
      absl::FromCivil(absl::CivilSecond(2024, 7, 10, 9, 0, 0), absl::FixedTimeZone(7 * 3600))));
  v1::Report late = MakeReport("20", "2024H1", 1, {{"workshops", 1}});
  late.mutable_submitted_at()->set_seconds(absl::ToUnixSeconds(
      absl::FromCivil(absl::CivilSecond(2024, 7, 20, 9, 0, 0), absl::FixedTimeZone(7 * 3600))));
  Push({on_time, late}, v1::ROLE_NATIONAL_ADMIN);  // records of an earlier year
  ASSERT_TRUE(Review("accept", "14", "2024H1", 1).ok());

  v1::CompletenessRequest req;
  req.set_period("2024H1");
  req.set_include_reporters(true);
  v1::CompletenessResponse out;
  ASSERT_TRUE(agg_->GetCompleteness(ContextAs(v1::ROLE_VIEWER, "VUSTA").get(), req, &out).ok());
  EXPECT_EQ(out.due_date(), "2024-07-15");
  EXPECT_EQ(out.expected(), 63);
  EXPECT_EQ(out.submitted(), 2);
  EXPECT_EQ(out.accepted(), 1);
  EXPECT_EQ(out.timely(), 1);
  EXPECT_THAT(out.late_codes(), ElementsAre("20"));
  EXPECT_EQ(out.missing_codes_size(), 61);
  EXPECT_EQ(out.reporters_size(), 63);

  req.set_period("2025H2");  // after the merger: 34 units are expected
  ASSERT_TRUE(agg_->GetCompleteness(ContextAs(v1::ROLE_VIEWER, "VUSTA").get(), req, &out).ok());
  EXPECT_EQ(out.expected(), 34);
}

TEST_F(QueriesTest, AProvinceReadsAggregatesOfAcceptedReportsOnly) {
  // 14's workshops are accepted; 20's are still under review.
  PushAndAccept(MakeReport("14", "2024H1", 1, {{"workshops", 12}}));
  Push({MakeReport("20", "2024H1", 1, {{"workshops", 30}})});
  auto as_38 = [] { return ContextAs(v1::ROLE_PROVINCE_REPORTER, "38"); };

  // Coverage: how many, never which (64 thresholds would otherwise name
  // every province's exact value).
  v1::CoverageRequest coverage;
  coverage.set_period("2024H1");
  coverage.set_condition("workshops >= 10");
  v1::CoverageResponse covered;
  ASSERT_TRUE(agg_->GetCoverage(as_38().get(), coverage, &covered).ok());
  EXPECT_EQ(covered.matching(), 1);  // 14 only: 20 is not accepted
  EXPECT_EQ(covered.of(), 63);
  EXPECT_THAT(covered.matching_codes(), IsEmpty());
  EXPECT_THAT(covered.without_report_codes(), IsEmpty());
  coverage.set_include_submitted(true);
  EXPECT_EQ(agg_->GetCoverage(as_38().get(), coverage, &covered).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // Completeness: the counts, not who is late or missing.
  v1::CompletenessRequest board;
  board.set_period("2024H1");
  v1::CompletenessResponse standing;
  ASSERT_TRUE(agg_->GetCompleteness(as_38().get(), board, &standing).ok());
  EXPECT_EQ(standing.submitted(), 2);
  EXPECT_EQ(standing.expected(), 63);
  EXPECT_THAT(standing.missing_codes(), IsEmpty());
  EXPECT_THAT(standing.late_codes(), IsEmpty());
  board.set_include_reporters(true);
  EXPECT_EQ(agg_->GetCompleteness(as_38().get(), board, &standing).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // The national office still sees every code (and the memo is not scoped).
  board.set_include_reporters(false);
  ASSERT_TRUE(
      agg_->GetCompleteness(ContextAs(v1::ROLE_VIEWER, "VUSTA").get(), board, &standing).ok());
  EXPECT_EQ(standing.missing_codes_size(), 61);

  // Totals: accepted only.
  v1::TotalsRequest totals;
  totals.set_period("2024H1");
  totals.add_indicator_codes("workshops");
  v1::TotalsResponse summed;
  ASSERT_TRUE(agg_->GetTotals(as_38().get(), totals, &summed).ok());
  EXPECT_EQ(summed.totals(0).value(), 12);
  totals.set_include_submitted(true);
  EXPECT_EQ(agg_->GetTotals(as_38().get(), totals, &summed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(QueriesTest, BoardMovesAsReportsArrive) {
  v1::CompletenessRequest req;
  req.set_period("2024H2");
  v1::CompletenessResponse before, pushed, accepted;
  ASSERT_TRUE(agg_->GetCompleteness(ContextAs(v1::ROLE_VIEWER, "VUSTA").get(), req, &before).ok());
  EXPECT_EQ(before.submitted(), 0);
  Push({MakeReport("14", "2024H2", 1, {{"workshops", 1}})});
  ASSERT_TRUE(agg_->GetCompleteness(ContextAs(v1::ROLE_VIEWER, "VUSTA").get(), req, &pushed).ok());
  EXPECT_EQ(pushed.submitted(), 1);
  EXPECT_EQ(pushed.accepted(), 0);
  ASSERT_TRUE(Review("accept", "14", "2024H2", 1).ok());
  ASSERT_TRUE(
      agg_->GetCompleteness(ContextAs(v1::ROLE_VIEWER, "VUSTA").get(), req, &accepted).ok());
  EXPECT_EQ(accepted.accepted(), 1);
}

TEST_F(QueriesTest, SeriesRollsQuangBinhIntoQuangTriAcrossTheMerger) {
  PushAndAccept(MakeReport("44", "2024H2", 1, {{"members", 30000}, {"workshops", 2}}));
  PushAndAccept(MakeReport("45", "2024H2", 1, {{"members", 25000}, {"workshops", 3}}));
  PushAndAccept(MakeReport("44", "2025H1", 1, {{"members", 31000}, {"workshops", 1}}));
  PushAndAccept(MakeReport("45", "2025H1", 1, {{"members", 26000}, {"workshops", 4}}));
  PushAndAccept(MakeReport("45", "2025H2", 1, {{"members", 58000}, {"workshops", 6}}));

  v1::SeriesRequest req;
  req.set_organization_code("45");
  req.add_indicator_codes("members");
  req.set_from_period("2024H2");
  req.set_to_period("2025H2");
  v1::SeriesResponse alone, rolled;
  ASSERT_TRUE(agg_->GetSeries(ContextAs(v1::ROLE_VIEWER, "VUSTA").get(), req, &alone).ok());
  req.set_roll_up_predecessors(true);
  ASSERT_TRUE(agg_->GetSeries(ContextAs(v1::ROLE_VIEWER, "VUSTA").get(), req, &rolled).ok());
  ASSERT_EQ(alone.points_size(), 3);
  ASSERT_EQ(rolled.points_size(), 3);
  EXPECT_EQ(alone.points(0).value(), 25000);
  EXPECT_EQ(rolled.points(0).value(), 55000);
  EXPECT_THAT(rolled.points(0).sources(), UnorderedElementsAre("44", "45"));
  EXPECT_EQ(rolled.points(1).value(), 57000);
  EXPECT_EQ(rolled.points(2).value(), 58000);  // after the merger: Quảng Trị alone
  EXPECT_THAT(rolled.points(2).sources(), ElementsAre("45"));
}

TEST_F(QueriesTest, SeriesMarksPeriodsWithoutAReport) {
  PushAndAccept(MakeReport("14", "2024H1", 1, {{"workshops", 2}}));
  v1::SeriesRequest req;
  req.set_organization_code("14");
  req.add_indicator_codes("workshops");
  req.set_from_period("2023H2");
  req.set_to_period("2024H2");
  v1::SeriesResponse out;
  ASSERT_TRUE(agg_->GetSeries(ContextAs(v1::ROLE_PROVINCE_REPORTER, "14").get(), req, &out).ok());
  ASSERT_EQ(out.points_size(), 3);
  EXPECT_FALSE(out.points(0).present());
  EXPECT_TRUE(out.points(1).present());
  EXPECT_FALSE(out.points(2).present());
  // Another province's series is not Sơn La's to read.
  req.set_organization_code("20");
  EXPECT_EQ(
      agg_->GetSeries(ContextAs(v1::ROLE_PROVINCE_REPORTER, "14").get(), req, &out).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(QueriesTest, CountedValuesOfManyOrganisationsInOneCall) {
  PushAndAccept(MakeReport("14", "2024H1", 1, {{"workshops", 2}, {"has_website", true}}));
  PushAndAccept(MakeReport("14", "2024H2", 1, {{"workshops", 5}}));
  PushAndAccept(MakeReport("20", "2024H1", 1, {{"workshops", 7}}));
  v1::CountedValuesRequest req;
  req.set_period("2024");  // no annual report: derived from the halves
  req.add_organization_codes("14");
  req.add_organization_codes("20");
  req.add_organization_codes("38");
  v1::CountedValuesResponse out;
  grpc::Status s = agg_->GetCountedValues(ContextAs(v1::ROLE_SERVICE, "VUSTA").get(), req, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  const int workshops = IndicatorIndex("workshops");
  const int website = IndicatorIndex("has_website");
  ASSERT_EQ(out.indicator_codes(workshops), "workshops");
  ASSERT_EQ(out.organizations_size(), 3);
  EXPECT_EQ(out.organizations(0).organization_code(), "14");
  EXPECT_TRUE(out.organizations(0).present());
  EXPECT_EQ(out.organizations(0).values(workshops), 7);  // 2 + 5
  EXPECT_EQ(out.organizations(0).values(website), 1);
  EXPECT_EQ(out.organizations(1).values(workshops), 7);
  EXPECT_TRUE(std::isnan(out.organizations(1).values(website)));  // not given
  EXPECT_FALSE(out.organizations(2).present());                   // Thanh Hoá sent nothing
  EXPECT_EQ(out.organizations(2).values_size(), 0);

  // A province asks for its own values only.
  req.set_period("2024H1");
  EXPECT_EQ(agg_->GetCountedValues(ContextAs(v1::ROLE_PROVINCE_REPORTER, "14").get(), req, &out)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  v1::CountedValuesRequest bad;
  bad.set_period("2024H3");
  bad.add_organization_codes("14");
  bad.add_organization_codes("");
  grpc::Status status =
      agg_->GetCountedValues(ContextAs(v1::ROLE_SERVICE, "VUSTA").get(), bad, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(status), ElementsAre("period", "organization_codes[1]"));
}

// Who is expected to report comes from the registry: while it cannot be
// asked (and was never asked), the board is UNAVAILABLE, never an empty or
// partial list of provinces.
TEST_F(QueriesTest, CompletenessWhileTheRegistryIsDownIsUnavailableNotEmpty) {
  server_.reset();
  v1::CompletenessRequest req;
  req.set_period("2024H1");
  req.set_include_reporters(true);
  v1::CompletenessResponse out;
  grpc::Status status = agg_->GetCompleteness(ContextAs(v1::ROLE_VIEWER, "VUSTA").get(), req, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(), ::testing::HasSubstr("registry unavailable"));
}

}  // namespace
}  // namespace aggregator::testing

// Attacks on what one province may read of another: the national figures
// queried until they give a neighbour's value away, and the neighbour's
// report asked for outright.
#include <functional>

#include "tests/security/security_fixture.h"

namespace {

namespace v1 = federation::v1;

using fedtest::SecurityTest;
using ::testing::Each;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// Lạng Sơn's member count, submitted and not yet accepted: what Sơn La (14)
// tries to learn.
constexpr int64_t kSecretMembers = 2500;

// Attack: Sơn La runs 64 coverage queries on "members" around Lạng Sơn's
// value, each also with include_submitted, and asks the board and the totals
// for what they hold beyond accepted reports.
// Guards the aggregator's province view (SeesOnlyAggregates and
// RequireNationalDetail in services/aggregator/access.h, applied in
// queries.cc): counts over accepted reports only, no organisation codes, and
// the include flags refused. Were include_submitted honoured, "members =
// 2500" would count Lạng Sơn; were the codes sent, "members >= T" would name
// it.
TEST_F(SecurityTest, PeekingThroughCoverageQueriesRevealsNoOtherProvincesValue) {
  // Accepted reports of four provinces (Sơn La's own among them), and Lạng
  // Sơn's report under review.
  const std::map<std::string, int64_t> accepted = {
      {"01", 1000}, {"14", 2000}, {"38", 3000}, {"42", 4000}};
  for (const auto& [code, members] : accepted) {
    ASSERT_EQ(
        PushOwn(MakeReport(code, "2024H1", 1, {{"members", members}, {"workshops", 3}})).outcome(),
        v1::PUSH_OUTCOME_STORED);
    Accept(code, "2024H1", 1);
  }
  ASSERT_EQ(PushOwn(MakeReport("20", "2024H1", 1, {{"members", kSecretMembers}, {"workshops", 3}}))
                .outcome(),
            v1::PUSH_OUTCOME_STORED);

  struct Probe {
    std::string condition;
    std::function<bool(int64_t members)> holds;
  };
  std::vector<Probe> probes;
  for (int64_t t = 1000; t < 4200; t += 100) {  // 32 thresholds
    probes.push_back({absl::StrCat("members >= ", t), [t](int64_t m) { return m >= t; }});
  }
  for (int64_t t = 2000; t < 2800; t += 50) {  // 16 guesses, 2500 among them
    probes.push_back({absl::StrCat("members = ", t), [t](int64_t m) { return m == t; }});
  }
  for (int64_t t = 2100; t < 2900; t += 100) {  // 8
    probes.push_back(
        {absl::StrCat("members > ", t, " AND workshops >= 1"), [t](int64_t m) { return m > t; }});
  }
  for (int64_t t = 2200; t < 3000; t += 100) {  // 8 (nobody reported has_website)
    probes.push_back(
        {absl::StrCat("(members < ", t, ") OR has_website"), [t](int64_t m) { return m < t; }});
  }
  ASSERT_EQ(probes.size(), 64u);

  const int provinces = static_cast<int>(fedtest::ProvinceCodes().size());
  int would_reveal = 0, revealed_to_the_office = 0;
  for (const auto& probe : probes) {
    SCOPED_TRACE(probe.condition);
    int expected = 0;
    for (const auto& [code, members] : accepted) expected += probe.holds(members) ? 1 : 0;

    v1::CoverageRequest req;
    req.set_period("2024H1");
    req.set_condition(probe.condition);
    v1::CoverageResponse out;
    grpc::Status status = aggregator_stub_->GetCoverage(Province("14").get(), req, &out);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(out.matching(), expected);
    EXPECT_EQ(out.of(), provinces);
    EXPECT_THAT(out.matching_codes(), IsEmpty());
    EXPECT_THAT(out.without_report_codes(), IsEmpty());

    req.set_include_submitted(true);
    out.Clear();
    status = aggregator_stub_->GetCoverage(Province("14").get(), req, &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(out.matching(), 0);

    // The national office, asking the same, does see the report under
    // review: the probes are sharp enough to find it.
    if (probe.holds(kSecretMembers)) ++would_reveal;
    out.Clear();
    ASSERT_TRUE(aggregator_stub_->GetCoverage(Reviewer().get(), req, &out).ok());
    if (out.matching() != expected) ++revealed_to_the_office;
  }
  EXPECT_GT(would_reveal, 0);
  EXPECT_EQ(revealed_to_the_office, would_reveal);

  // The board: counts only, and not who is late or missing.
  v1::CompletenessRequest board;
  board.set_period("2024H1");
  v1::CompletenessResponse standing;
  grpc::Status status = aggregator_stub_->GetCompleteness(Province("14").get(), board, &standing);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(standing.submitted(), 5);
  EXPECT_THAT(standing.missing_codes(), IsEmpty());
  EXPECT_THAT(standing.late_codes(), IsEmpty());
  EXPECT_THAT(standing.reporters(), IsEmpty());
  board.set_include_reporters(true);
  standing.Clear();
  EXPECT_EQ(aggregator_stub_->GetCompleteness(Province("14").get(), board, &standing).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(standing.reporters(), IsEmpty());

  // The totals: accepted reports only; include_submitted refused.
  v1::TotalsRequest totals;
  totals.set_period("2024H1");
  totals.add_indicator_codes("members");
  v1::TotalsResponse sums;
  status = aggregator_stub_->GetTotals(Province("14").get(), totals, &sums);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(sums.totals_size(), 1);
  EXPECT_EQ(sums.totals(0).value(), 1000 + 2000 + 3000 + 4000);
  EXPECT_EQ(sums.totals(0).reporting_organizations(), 4);
  totals.set_include_submitted(true);
  sums.Clear();
  EXPECT_EQ(aggregator_stub_->GetTotals(Province("14").get(), totals, &sums).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(sums.totals(), IsEmpty());

  // Nor Lạng Sơn's series or counted values, alone or beside its own.
  v1::SeriesRequest series;
  series.set_organization_code("20");
  series.add_indicator_codes("members");
  series.set_from_period("2024H1");
  series.set_to_period("2024H1");
  v1::SeriesResponse points;
  EXPECT_EQ(aggregator_stub_->GetSeries(Province("14").get(), series, &points).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(points.points(), IsEmpty());
  v1::CountedValuesRequest values;
  values.set_period("2024H1");
  values.add_organization_codes("14");
  values.add_organization_codes("20");
  v1::CountedValuesResponse counted;
  EXPECT_EQ(aggregator_stub_->GetCountedValues(Province("14").get(), values, &counted).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(counted.organizations(), IsEmpty());
}

// Attack: Sơn La asks the aggregator for Lạng Sơn's report, its revisions
// and its changes, and probes the refusals for what they give away (whether
// a report exists, a code it made up echoed back).
// Guards RequireReportReader and FeedScope (services/aggregator/access.h),
// checked before anything about the request: a province reads and follows
// its own reports only, and a refusal is the same whether or not there is
// something to refuse.
TEST_F(SecurityTest, AProvinceCannotReadAnotherProvincesReport) {
  v1::Report secret = MakeReport("20", "2024H1", 1, {{"members", 31337}, {"workshops", 4}});
  secret.mutable_narrative()->set_achievements("Bí mật nội bộ của Lạng Sơn");
  ASSERT_EQ(PushOwn(secret).outcome(), v1::PUSH_OUTCOME_STORED);
  ASSERT_EQ(PushOwn(MakeReport("14", "2024H1", 1, {{"members", 2000}})).outcome(),
            v1::PUSH_OUTCOME_STORED);
  // The report is there: the national office reads it, Sơn La its own.
  v1::Report read;
  ASSERT_TRUE(GetReport(Reviewer(), "20", "2024H1", &read).ok());
  ASSERT_EQ(CountOf(read, "members"), 31337);
  ASSERT_TRUE(GetReport(Province("14"), "14", "2024H1", &read).ok());

  // Says nothing of Lạng Sơn's report, whatever Sơn La asked.
  auto reveals_nothing = [](const grpc::Status& status) {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_THAT(status.error_message(), Not(HasSubstr("31337")));
    EXPECT_THAT(status.error_message(), Not(HasSubstr("Bí mật")));
  };
  v1::Report stolen;
  const grpc::Status reported = GetReport(Province("14"), "20", "2024H1", &stolen);
  reveals_nothing(reported);
  reveals_nothing(GetReport(Province("14"), "20", "2024H1", &stolen, /*revision=*/1));
  // A period Lạng Sơn never reported for, and one that is not a period,
  // are refused alike: no NOT_FOUND or INVALID_ARGUMENT tells them apart.
  const grpc::Status never = GetReport(Province("14"), "20", "2023H1", &stolen);
  reveals_nothing(never);
  EXPECT_EQ(never.error_message(), reported.error_message());
  reveals_nothing(GetReport(Province("14"), "20", "2024H9", &stolen));
  EXPECT_EQ(stolen.ByteSizeLong(), 0u) << stolen.ShortDebugString();
  // A code it made up is not repeated back.
  const std::string made_up = "20' OR '1'='1";
  const grpc::Status odd = GetReport(Province("14"), made_up, "2024H1", &stolen);
  reveals_nothing(odd);
  EXPECT_THAT(odd.error_message(), Not(HasSubstr("OR '1'")));

  v1::ListRevisionsRequest list;
  list.set_organization_code("20");
  list.set_period("2024H1");
  v1::ListRevisionsResponse revisions;
  reveals_nothing(aggregator_stub_->ListRevisions(Province("14").get(), list, &revisions));
  EXPECT_THAT(revisions.revisions(), IsEmpty());

  // The change feed: naming Lạng Sơn is refused before anything is sent...
  {
    auto ctx = Province("14");
    v1::WatchChangesRequest watch;
    watch.add_organization_codes("20");
    auto reader = aggregator_stub_->WatchChanges(ctx.get(), watch);
    v1::WatchChangesResponse answer;
    EXPECT_FALSE(reader->Read(&answer)) << answer.ShortDebugString();
    reveals_nothing(reader->Finish());
  }
  // ...and the unfiltered feed carries Sơn La's own changes only.
  {
    auto ctx = Province("14");
    auto reader = aggregator_stub_->WatchChanges(ctx.get(), v1::WatchChangesRequest());
    std::vector<std::string> orgs;
    v1::WatchChangesResponse answer;
    while (reader->Read(&answer)) {
      for (const auto& change : answer.changes()) {
        orgs.push_back(change.change().organization_code());
      }
      if (answer.live()) break;
    }
    ctx->TryCancel();
    reader->Finish();
    EXPECT_THAT(orgs, Not(IsEmpty()));
    EXPECT_THAT(orgs, Each("14"));
  }
  v1::ListChangesRequest changes;
  v1::ListChangesResponse feed;
  ASSERT_TRUE(aggregator_stub_->ListChanges(Province("14").get(), changes, &feed).ok());
  ASSERT_EQ(feed.changes_size(), 1);
  EXPECT_EQ(feed.changes(0).organization_code(), "14");
  changes.add_organization_codes("20");
  feed.Clear();
  reveals_nothing(aggregator_stub_->ListChanges(Province("14").get(), changes, &feed));
  EXPECT_THAT(feed.changes(), IsEmpty());
}

}  // namespace

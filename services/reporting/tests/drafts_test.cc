// Drafts over real gRPC and PostgreSQL, with the real registry behind them:
// the catalog, creating with pre-fill, the registry's say on who may report
// for which period, saving, and who may touch whose draft.
#include "services/reporting/tests/reporting_fixture.h"

namespace reporting::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsSupersetOf;

std::map<std::string, int64_t> CountsOf(const v1::Report& report) {
  std::map<std::string, int64_t> counts;
  for (const auto& value : report.values()) {
    if (value.value_case() == v1::IndicatorValue::kCount) counts[value.code()] = value.count();
  }
  return counts;
}

TEST_F(ReportingTest, CatalogIsServedToEveryRoleButNotToAnonymousCallers) {
  v1::GetCatalogRequest req;
  v1::IndicatorCatalog catalog;
  ASSERT_TRUE(stub_->GetCatalog(ContextAs(v1::ROLE_VIEWER, "VUSTA").get(), req, &catalog).ok());
  EXPECT_EQ(catalog.version(), 1);
  EXPECT_EQ(catalog.indicators_size(), 30);
  EXPECT_EQ(catalog.indicators(0).code(), "member_associations");
  EXPECT_EQ(stub_->GetCatalog(fedtest::AnonymousContext().get(), req, &catalog).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  req.set_version(7);
  EXPECT_EQ(stub_->GetCatalog(Reporter("14").get(), req, &catalog).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(ReportingTest, PrefillTakesMembersAndActiveMemberAssociationsFromTheRegistry) {
  v1::Report draft;
  grpc::Status status = CreateDraft(Reporter("14").get(), "14", "2025H1", true, &draft);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(draft.organization_code(), "14");
  EXPECT_EQ(draft.period(), "2025H1");
  EXPECT_EQ(draft.state(), v1::REPORT_STATE_DRAFT);
  EXPECT_EQ(draft.revision(), 0);
  EXPECT_EQ(draft.due_date(), "2025-07-15");
  EXPECT_EQ(draft.catalog_version(), 1);
  // 14-HKT and 14-HDH existed on 2025-06-30; 14-OLD was retired in 2020,
  // 14-NEW came later and 14-CM is a collective member, not an association.
  const auto counts = CountsOf(draft);
  EXPECT_EQ(counts.at("members"), 200500);
  EXPECT_EQ(counts.at("intellectuals"), 15000);
  EXPECT_EQ(counts.at("member_associations"), 2);
  EXPECT_EQ(draft.values_size(), 3);

  // In 2025H2 the new association counts too.
  ASSERT_TRUE(CreateDraft(Reporter("14").get(), "14", "2025H2", true, &draft).ok());
  EXPECT_EQ(CountsOf(draft).at("member_associations"), 3);
}

TEST_F(ReportingTest, PrefillCarriesStocksButNotFlowsFromThePreviousPeriod) {
  DraftAndSubmit(FullReport("20", "2024H2",
                            {{"staff", 7},
                             {"affiliated_units", 4},
                             {"collective_members", 40},
                             {"members", 11000},
                             {"workshops", 9}}));
  v1::Report draft;
  ASSERT_TRUE(CreateDraft(Reporter("20").get(), "20", "2025H1", true, &draft).ok());
  const auto counts = CountsOf(draft);
  EXPECT_EQ(counts.at("staff"), 7);
  EXPECT_EQ(counts.at("affiliated_units"), 4);
  EXPECT_EQ(counts.at("collective_members"), 40);
  EXPECT_EQ(counts.count("workshops"), 0u) << "a flow starts from nothing each period";
  EXPECT_EQ(counts.at("members"), 12000) << "the registry is fresher than last period";
  EXPECT_EQ(counts.at("member_associations"), 0);
}

TEST_F(ReportingTest, WithoutPrefillTheDraftIsEmpty) {
  v1::Report draft;
  ASSERT_TRUE(CreateDraft(Reporter("14").get(), "14", "2025H1", false, &draft).ok());
  EXPECT_EQ(draft.values_size(), 0);
}

TEST_F(ReportingTest, CreatingAnExistingDraftReturnsItUnchanged) {
  v1::Report draft;
  ASSERT_TRUE(CreateDraft(Reporter("14").get(), "14", "2025H1", false, &draft).ok());
  v1::Report edited;
  edited.set_organization_code("14");
  edited.set_period("2025H1");
  *edited.add_values() = Count("workshops", 5);
  ASSERT_TRUE(SaveDraft(Reporter("14").get(), edited).ok());
  ASSERT_TRUE(CreateDraft(Reporter("14").get(), "14", "2025H1", true, &draft).ok());
  ASSERT_EQ(draft.values_size(), 1);
  EXPECT_EQ(draft.values(0).code(), "workshops");
  EXPECT_EQ(TableCounts()["reports"], 1);
  EXPECT_EQ(TableCounts()["audit_log"], 2);  // CreateDraft + SaveDraft
}

TEST_F(ReportingTest, CreateDraftRefusesBadPeriodsAndOrganisationsTheRegistryDoesNotKnow) {
  const auto before = TableCounts();
  v1::Report draft;
  grpc::Status status = CreateDraft(Admin().get(), "14", "2025H3", false, &draft);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(status), ElementsAre("period"));

  status = CreateDraft(Admin().get(), "14", "2026H2", false, &draft);  // not started
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(status), ElementsAre("period"));
  EXPECT_THAT(DescriptionsOf(status)[0], HasSubstr("has not started yet"));

  status = CreateDraft(Admin().get(), "x!", "garbage", false, &draft);  // both at once
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(status), ElementsAre("organization_code", "period"));

  status = CreateDraft(Admin().get(), "77", "2025H1", false, &draft);  // unknown
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(status), ElementsAre("organization_code"));
  EXPECT_THAT(DescriptionsOf(status)[0], HasSubstr("no organisation with code 77"));

  // Quảng Bình merged away on 2025-07-01: it reports for 2025H1, not 2025H2
  // (recorded by the national office: its own accounts no longer write).
  status = CreateDraft(Admin().get(), "44", "2025H2", false, &draft);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(status), ElementsAre("organization_code"));
  EXPECT_THAT(DescriptionsOf(status)[0], HasSubstr("not active during 2025H2"));
  // Lạng Sơn did not exist yet in 2007.
  status = CreateDraft(Admin().get(), "20", "2007", false, &draft);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(TableCounts(), before);

  EXPECT_TRUE(CreateDraft(Admin().get(), "44", "2025H1", false, &draft).ok());
  EXPECT_TRUE(CreateDraft(Admin().get(), "20", "2008", false, &draft).ok());  // from August
}

// Its own staff's tokens no longer write, not even the history it may still
// report: the national office records what is left.
TEST_F(ReportingTest, AnEndedOrganisationsAccountsNoLongerWrite) {
  v1::Report draft;
  grpc::Status status = CreateDraft(Reporter("44").get(), "44", "2025H1", false, &draft);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(), HasSubstr("44 ended on 2025-07-01"));
  ASSERT_TRUE(CreateDraft(Admin().get(), "44", "2025H1", false, &draft).ok());
  EXPECT_EQ(SaveDraft(Reporter("44").get(), FullReport("44", "2025H1")).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Sơn La's staff write as before.
  EXPECT_TRUE(CreateDraft(Reporter("14").get(), "14", "2025H1", false, &draft).ok());
}

TEST_F(ReportingTest, AnotherProvinceMayNeitherWriteNorReadADraft) {
  v1::Report draft;
  ASSERT_TRUE(CreateDraft(Reporter("14").get(), "14", "2025H1", false, &draft).ok());
  const auto before = TableCounts();

  EXPECT_EQ(CreateDraft(Reporter("20").get(), "14", "2025H2", false, &draft).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Denied before validation: a bad report for another province says nothing about it.
  v1::Report bad;
  bad.set_organization_code("14");
  bad.set_period("2025H1");
  *bad.add_values() = Count("no_such_indicator", -1);
  EXPECT_EQ(SaveDraft(Reporter("20").get(), bad).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Submit(Reporter("20").get(), "14", "2025H1").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::ValidateReportRequest validate;
  *validate.mutable_report() = bad;
  v1::ValidationResult result;
  EXPECT_EQ(stub_->ValidateReport(Reporter("20").get(), validate, &result).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::GetDraftRequest get;
  get.set_organization_code("14");
  get.set_period("2025H1");
  EXPECT_EQ(stub_->GetDraft(Reporter("20").get(), get, &draft).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::ListReportsRequest list;
  list.set_organization_code("14");
  v1::ListReportsResponse reports;
  EXPECT_EQ(stub_->ListReports(Reporter("20").get(), list, &reports).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Reviewers read everything but write nothing; viewers see no reports.
  EXPECT_EQ(CreateDraft(Reviewer().get(), "14", "2025H2", false, &draft).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(stub_->GetDraft(Reviewer().get(), get, &draft).ok());
  EXPECT_TRUE(stub_->ListReports(Reviewer().get(), list, &reports).ok());
  EXPECT_EQ(
      stub_->ListReports(ContextAs(v1::ROLE_VIEWER, "VUSTA").get(), list, &reports).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(stub_->GetDraft(fedtest::AnonymousContext().get(), get, &draft).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(TableCounts(), before);
  // The national admin may write any province's report.
  EXPECT_TRUE(CreateDraft(Admin().get(), "14", "2025H2", false, &draft).ok());
}

TEST_F(ReportingTest, SavingReplacesTheWholeDraftAndMissingValuesAreFine) {
  v1::Report draft;
  ASSERT_TRUE(CreateDraft(Reporter("14").get(), "14", "2025H1", true, &draft).ok());
  v1::Report first;
  first.set_organization_code("14");
  first.set_period("2025H1");
  *first.add_values() = Count("workshops", 3);
  *first.add_values() = Flag("has_website", true);
  first.mutable_narrative()->set_difficulties("Kinh phí hạn hẹp.");
  v1::Report saved;
  grpc::Status status = SaveDraft(Reporter("14").get(), first, &saved);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(saved.values_size(), 2);

  v1::Report second;
  second.set_organization_code("14");
  second.set_period("2025H1");
  *second.add_values() = Count("members", 200600);
  ASSERT_TRUE(SaveDraft(Reporter("14").get(), second).ok());

  v1::GetDraftRequest get;
  get.set_organization_code("14");
  get.set_period("2025H1");
  ASSERT_TRUE(stub_->GetDraft(Reporter("14").get(), get, &draft).ok());
  ASSERT_EQ(draft.values_size(), 1);
  EXPECT_EQ(draft.values(0).count(), 200600);
  EXPECT_EQ(draft.narrative().difficulties(), "") << "the narrative was replaced too";
  EXPECT_EQ(draft.state(), v1::REPORT_STATE_DRAFT);
}

TEST_F(ReportingTest, TwoClerksOnOneDraftTheLaterSaveIsToldAndOverwritesNothing) {
  v1::Report opened;
  ASSERT_TRUE(CreateDraft(Reporter("14").get(), "14", "2025H1", false, &opened).ok());
  EXPECT_EQ(opened.draft_version(), 1);

  // Both clerks loaded version 1; the first one saves.
  v1::Report first = opened;
  *first.add_values() = Count("workshops", 3);
  v1::Report saved;
  ASSERT_TRUE(SaveDraft(Reporter("14").get(), first, &saved).ok());
  EXPECT_EQ(saved.draft_version(), 2);

  // The second one's save, made on version 1, is refused.
  v1::Report second = opened;
  *second.add_values() = Count("workshops", 9);
  grpc::Status status = SaveDraft(Reporter("14").get(), second);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::ABORTED) << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("version 2"));

  v1::GetDraftRequest get;
  get.set_organization_code("14");
  get.set_period("2025H1");
  v1::Report now;
  ASSERT_TRUE(stub_->GetDraft(Reporter("14").get(), get, &now).ok());
  ASSERT_EQ(now.values_size(), 1);
  EXPECT_EQ(now.values(0).count(), 3) << "the first clerk's work is kept";
  EXPECT_EQ(now.draft_version(), 2);

  // Reloaded, the second clerk's save goes through.
  *now.mutable_values(0) = Count("workshops", 9);
  ASSERT_TRUE(SaveDraft(Reporter("14").get(), now, &saved).ok());
  EXPECT_EQ(saved.draft_version(), 3);
}

TEST_F(ReportingTest, SavingABadDraftListsEveryProblemAndKeepsTheOldOne) {
  v1::Report draft;
  ASSERT_TRUE(CreateDraft(Reporter("14").get(), "14", "2025H1", true, &draft).ok());
  const auto before = TableCounts();
  v1::Report bad;
  bad.set_organization_code("14");
  bad.set_period("2025H1");
  *bad.add_values() = Count("no_such_indicator", 1);        // 0: unknown code
  *bad.add_values() = Count("has_bulletin", 1);             // 1: a boolean given as a count
  *bad.add_values() = Count("workshops", -2);               // 2: negative
  *bad.add_values() = Count("members", 10);                 // 3
  *bad.add_values() = Count("intellectuals", 20);           // 4: more than members
  *bad.add_values() = Count("contest_entries", 2);          // 5
  *bad.add_values() = Count("contest_prizes", 5);           // 6: more than entries
  *bad.add_values() = Flag("tech_contest_by_union", true);  // 7: without held
  *bad.add_values() = Flag("tech_contest_held", false);     // 8
  grpc::Status status = SaveDraft(Reporter("14").get(), bad);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(status),
              IsSupersetOf({"values[0].code", "values[1]", "values[2].count", "values[4].count",
                            "values[6].count", "values[7].flag"}));
  EXPECT_EQ(FieldsOf(status).size(), 6u);
  EXPECT_EQ(TableCounts(), before);

  v1::GetDraftRequest get;
  get.set_organization_code("14");
  get.set_period("2025H1");
  v1::Report still;
  ASSERT_TRUE(stub_->GetDraft(Reporter("14").get(), get, &still).ok());
  EXPECT_EQ(still.values_size(), 3);  // the pre-filled draft
}

TEST_F(ReportingTest, SavingWithoutADraftIsNotFound) {
  v1::Report report = FullReport("14", "2025H1");
  EXPECT_EQ(SaveDraft(Reporter("14").get(), report).error_code(), grpc::StatusCode::NOT_FOUND);
  v1::GetDraftRequest get;
  get.set_organization_code("14");
  get.set_period("2025H1");
  v1::Report draft;
  EXPECT_EQ(stub_->GetDraft(Reporter("14").get(), get, &draft).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(TableCounts()["reports"], 0);
}

}  // namespace
}  // namespace reporting::testing

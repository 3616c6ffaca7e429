// Validation, the dry run and submission: every problem at once and nothing
// stored on a refusal; one transaction writing the revision, its event, the
// outbox row and the audit row; immutability of what was submitted.
#include <google/protobuf/util/message_differencer.h>

#include "absl/strings/escaping.h"

#include "services/reporting/tests/reporting_fixture.h"

namespace reporting::testing {
namespace {

using google::protobuf::util::MessageDifferencer;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsSupersetOf;

v1::ValidationResult Validate(v1::ReportingService::Stub& stub, grpc::ClientContext* ctx,
                              const v1::Report& report, grpc::Status* status) {
  v1::ValidateReportRequest req;
  *req.mutable_report() = report;
  v1::ValidationResult result;
  *status = stub.ValidateReport(ctx, req, &result);
  return result;
}

std::vector<std::string> Fields(const v1::ValidationResult& result) {
  std::vector<std::string> fields;
  for (const auto& v : result.violations()) fields.push_back(v.field());
  return fields;
}

TEST_F(ReportingTest, DryRunListsEveryProblemAndStoresNothing) {
  v1::Report draft;
  ASSERT_TRUE(CreateDraft(Reporter("14").get(), "14", "2025H1", false, &draft).ok());
  const auto before = TableCounts();

  v1::Report bad = FullReport("14", "2025H1",
                              {{"members", 10},
                               {"intellectuals", 20},
                               {"contest_entries", 2},
                               {"contest_prizes", 5},
                               {"tech_contest_by_union", 1},
                               {"tech_contest_held", 0},
                               {"workshops", -1}});
  v1::IndicatorValue* wrong_type = bad.add_values();
  *wrong_type = Count("has_website_twice", 1);  // unknown code
  bad.mutable_values(0)->clear_count();
  bad.mutable_values(0)->set_flag(true);  // member_associations given as a boolean
  grpc::Status status;
  v1::ValidationResult result = Validate(*stub_, Reporter("14").get(), bad, &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(result.valid());
  const int workshops = 11, members = 3, intellectuals = 4, prizes = 18, by_union = 15;
  EXPECT_THAT(Fields(result), IsSupersetOf(std::vector<std::string>{
                                  "values[0]", absl::StrCat("values[", workshops, "].count"),
                                  absl::StrCat("values[", intellectuals, "].count"),
                                  absl::StrCat("values[", prizes, "].count"),
                                  absl::StrCat("values[", by_union, "].flag"), "values[30].code"}));
  EXPECT_EQ(result.violations_size(), 6) << "and nothing else";
  (void)members;

  // A malformed and a future period come back as problems too.
  bad.set_period("2025-H1");
  result = Validate(*stub_, Reporter("14").get(), bad, &status);
  ASSERT_TRUE(status.ok());
  EXPECT_THAT(Fields(result), Contains("period"));
  bad.set_period("2026H2");
  result = Validate(*stub_, Reporter("14").get(), bad, &status);
  EXPECT_THAT(Fields(result), Contains("period"));

  // A good report is valid; a dry run stores nothing either way.
  result = Validate(*stub_, Reporter("14").get(), FullReport("14", "2025H1"), &status);
  ASSERT_TRUE(status.ok());
  EXPECT_TRUE(result.valid()) << result.DebugString();
  EXPECT_EQ(TableCounts(), before);
}

TEST_F(ReportingTest, DryRunWarnsAboutImplausibleJumpsAgainstThePreviousPeriod) {
  DraftAndSubmit(FullReport("14", "2024H2", {{"workshops", 2}, {"staff", 6}}));
  grpc::Status status;
  v1::ValidationResult result =
      Validate(*stub_, Reporter("14").get(),
               FullReport("14", "2025H1", {{"workshops", 40}, {"staff", 6}}), &status);
  ASSERT_TRUE(status.ok());
  EXPECT_TRUE(result.valid()) << "warnings do not block";
  ASSERT_EQ(result.warnings_size(), 1);
  EXPECT_THAT(result.warnings(0).description(), HasSubstr("workshops"));
}

TEST_F(ReportingTest, DryRunChecksTheOrganisationInTheRegistry) {
  grpc::Status status;
  v1::ValidationResult result =
      Validate(*stub_, Admin().get(), FullReport("44", "2025H2"), &status);
  ASSERT_TRUE(status.ok());
  EXPECT_FALSE(result.valid());
  EXPECT_THAT(Fields(result), ElementsAre("organization_code"));
  result = Validate(*stub_, Admin().get(), FullReport("88", "2025H1"), &status);
  EXPECT_THAT(Fields(result), ElementsAre("organization_code"));
}

TEST_F(ReportingTest, SubmittingAnIncompleteDraftListsEveryMissingIndicatorAndStoresNothing) {
  v1::Report draft;
  ASSERT_TRUE(CreateDraft(Reporter("14").get(), "14", "2025H1", true, &draft).ok());
  const auto before = TableCounts();
  grpc::Status status = Submit(Reporter("14").get(), "14", "2025H1");
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(FieldsOf(status).size(), 27u);  // 30 indicators, 3 pre-filled
  EXPECT_THAT(DescriptionsOf(status), Contains(HasSubstr("workshops has no value")));
  EXPECT_EQ(TableCounts(), before);
}

TEST_F(ReportingTest, SubmittingWithoutADraftOrForABadPeriodIsRefused) {
  EXPECT_EQ(Submit(Reporter("14").get(), "14", "2025H1").error_code(), grpc::StatusCode::NOT_FOUND);
  grpc::Status status = Submit(Reporter("14").get(), "14", "2025X9");
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(status), ElementsAre("period"));
  status = Submit(Reporter("14").get(), "14", "2031");
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(status), ElementsAre("period"));
}

TEST_F(ReportingTest, SubmitWritesRevisionStateEventOutboxAndAuditTogether) {
  const v1::Report content = FullReport("14", "2025H1", {{"workshops", 12}});
  const auto before = TableCounts();
  v1::Report submitted = DraftAndSubmit(content);
  EXPECT_EQ(submitted.organization_code(), "14");
  EXPECT_EQ(submitted.period(), "2025H1");
  EXPECT_EQ(submitted.revision(), 1);
  EXPECT_EQ(submitted.state(), v1::REPORT_STATE_SUBMITTED);
  EXPECT_EQ(submitted.submitted_by(), "test-province_reporter-14");
  EXPECT_GT(submitted.submitted_at().seconds(), 0);
  EXPECT_EQ(submitted.due_date(), "2025-07-15");
  EXPECT_FALSE(submitted.timely()) << "submitted long after 15 July 2025";
  EXPECT_EQ(submitted.values_size(), 30);
  EXPECT_EQ(submitted.narrative().recommendations(0).number(), 1);

  const auto after = TableCounts();
  EXPECT_EQ(after.at("revisions"), before.at("revisions") + 1);
  EXPECT_EQ(after.at("outbox"), before.at("outbox") + 1);
  EXPECT_EQ(after.at("report_events"), before.at("report_events") + 1);
  EXPECT_EQ(after.at("audit_log"), before.at("audit_log") + 3);  // create, save, submit

  // The outbox holds exactly the submitted revision.
  pqxx::connection conn(db_->url());
  pqxx::work txn(conn);
  auto row = txn.exec1("SELECT encode(payload, 'hex'), status FROM reporting.outbox");
  v1::Report payload;
  ASSERT_TRUE(payload.ParseFromString(absl::HexStringToBytes(row[0].as<std::string>())));
  EXPECT_EQ(row[1].as<std::string>(), "pending");
  EXPECT_EQ(payload.revision(), 1);
  EXPECT_EQ(payload.submitted_by(), submitted.submitted_by());
  EXPECT_TRUE(MessageDifferencer::Equals(payload.narrative(), content.narrative()));
  EXPECT_EQ(payload.values_size(), 30);

  v1::OutboxStatus outbox = OutboxStatus();
  EXPECT_EQ(outbox.pending(), 1);
  EXPECT_EQ(outbox.delivered(), 0);
  EXPECT_EQ(outbox.last_error(), "");

  auto reports = ListReports("14");
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].revision(), 1);
  EXPECT_EQ(reports[0].state(), v1::REPORT_STATE_SUBMITTED);
}

TEST_F(ReportingTest, ASubmittedReportIsLockedUntilItIsReturned) {
  DraftAndSubmit(FullReport("14", "2025H1"));
  const auto before = TableCounts();
  grpc::Status status = Submit(Reporter("14").get(), "14", "2025H1");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("awaiting review"));
  EXPECT_EQ(
      SaveDraft(Reporter("14").get(), FullReport("14", "2025H1", {{"staff", 9}})).error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(TableCounts(), before);

  // The draft is still there to read, showing where the report stands.
  v1::GetDraftRequest get;
  get.set_organization_code("14");
  get.set_period("2025H1");
  v1::Report draft;
  ASSERT_TRUE(stub_->GetDraft(Reporter("14").get(), get, &draft).ok());
  EXPECT_EQ(draft.state(), v1::REPORT_STATE_SUBMITTED);
  EXPECT_EQ(draft.values_size(), 30);
}

TEST_F(ReportingTest, SubmittedRevisionsAndTheLogsCannotBeRewrittenInTheDatabase) {
  DraftAndSubmit(FullReport("14", "2025H1"));
  pqxx::connection conn(db_->url());
  const auto fails = [&](const std::string& sql) {
    try {
      pqxx::work txn(conn);
      txn.exec(sql);
      txn.commit();
      return false;
    } catch (const pqxx::sql_error&) {
      return true;
    }
  };
  EXPECT_TRUE(fails("UPDATE reporting.revisions SET content = '{}'::jsonb"));
  EXPECT_TRUE(fails("UPDATE reporting.revisions SET submitted_by = 'mallory'"));
  EXPECT_TRUE(fails("DELETE FROM reporting.revisions"));
  EXPECT_TRUE(fails("UPDATE reporting.report_events SET comment = 'x'"));
  EXPECT_TRUE(fails("DELETE FROM reporting.audit_log"));
  // The review columns are what decisions change.
  EXPECT_FALSE(fails("UPDATE reporting.revisions SET review_comment = 'ok'"));
}

TEST_F(ReportingTest, ListReportsShowsNewestPeriodFirstAndAProvinceOnlyItsOwn) {
  DraftAndSubmit(FullReport("14", "2024H2"));
  DraftAndSubmit(FullReport("14", "2025H1"));
  DraftAndSubmit(FullReport("20", "2025H1"));
  v1::Report draft;
  ASSERT_TRUE(CreateDraft(Reporter("14").get(), "14", "2025H2", false, &draft).ok());

  v1::ListReportsRequest req;  // no organisation: a province's own
  v1::ListReportsResponse out;
  ASSERT_TRUE(stub_->ListReports(Reporter("14").get(), req, &out).ok());
  std::vector<std::string> seen;
  for (const auto& r : out.reports()) {
    seen.push_back(absl::StrCat(r.organization_code(), " ", r.period(), " r", r.revision(), " ",
                                v1::ReportState_Name(r.state())));
  }
  EXPECT_THAT(seen,
              ElementsAre("14 2025H2 r0 REPORT_STATE_DRAFT", "14 2025H1 r1 REPORT_STATE_SUBMITTED",
                          "14 2024H2 r1 REPORT_STATE_SUBMITTED"));
  EXPECT_EQ(ListReports("", "2025H1").size(), 2u);  // the national office sees both
  req.set_period("2025 H1");
  EXPECT_EQ(stub_->ListReports(Reporter("14").get(), req, &out).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ReportingTest, AProvinceSeesOnlyItsOwnOutbox) {
  DraftAndSubmit(FullReport("14", "2025H1"));
  DraftAndSubmit(FullReport("20", "2025H1"));
  DraftAndSubmit(FullReport("20", "2024H2"));
  v1::OutboxStatus mine;
  ASSERT_TRUE(
      stub_->GetOutboxStatus(Reporter("14").get(), v1::GetOutboxStatusRequest(), &mine).ok());
  EXPECT_EQ(mine.pending(), 1);
  EXPECT_EQ(OutboxStatus().pending(), 3);
  EXPECT_EQ(stub_
                ->GetOutboxStatus(ContextAs(v1::ROLE_JUDGE, "14").get(),
                                  v1::GetOutboxStatusRequest(), &mine)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

// The registry restarting does not make a province's report wrong.
TEST_F(ReportingTest, DryRunWhileTheRegistryIsDownIsUnavailableNotInvalid) {
  registry_server_.reset();
  grpc::Status status;
  Validate(*stub_, Admin().get(), FullReport("14", "2025H1"), &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(), HasSubstr("registry unavailable"));
}

}  // namespace
}  // namespace reporting::testing

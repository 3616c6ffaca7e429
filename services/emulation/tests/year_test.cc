// The emulation year from covenant to award, each refusal the issue names,
// and who may do what, against a real database and the real registry.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "services/emulation/tests/emulation_fixture.h"

namespace emulation::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<v1::YearState> StatesOf(const v1::EmulationYear& year) {
  std::vector<v1::YearState> states;
  for (const auto& t : year.transitions()) states.push_back(t.to());
  return states;
}

int StoredRevisions(fedtest::TestDatabase& db) {
  pqxx::connection conn(db.OwnerUrl("emulation"));
  pqxx::work txn(conn);
  return txn.exec1("SELECT count(*) FROM emulation.year_revisions")[0].as<int>();
}

TEST_F(EmulationTest, TheYearRunsFromCovenantToAwardAndKeepsEveryRevision) {
  ReachVoted();
  ASSERT_FALSE(HasFatalFailure());
  v1::EmulationYear y = Get();
  EXPECT_EQ(y.state(), v1::YEAR_STATE_VOTED);
  EXPECT_EQ(y.next_head_code(), "11");
  EXPECT_EQ(y.next_deputy_code(), "12");

  // The dossier's documents come from the records, in Vietnamese.
  v1::GetDocumentsRequest docs_req;
  *docs_req.mutable_key() = Key();
  v1::GetDocumentsResponse docs;
  ASSERT_TRUE(Call(&Stub::GetDocuments, Province("12"), docs_req, &docs).ok());
  ASSERT_EQ(docs.documents_size(), 4);
  EXPECT_THAT(docs.documents(0).text(), HasSubstr("TỜ TRÌNH"));
  EXPECT_THAT(docs.documents(0).text(),
              HasSubstr("Cờ thi đua của Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam cho "
                        "Liên hiệp các Hội Khoa học và Kỹ thuật Sơn La"));
  EXPECT_THAT(docs.documents(3).text(), HasSubstr("Số phiếu phát ra: 4; hợp lệ: 4"));
  EXPECT_THAT(docs.documents(2).text(), HasSubstr("đã hợp nhất vào"));

  // Submitted, returned by the council, fixed, resubmitted, approved.
  today_ = absl::CivilDay(2025, 12, 22);
  ASSERT_TRUE(Do(&Stub::SubmitDossier, Province("10"), Dossier()).ok());
  EXPECT_EQ(year_.dossier().revision(), 1);
  EXPECT_EQ(year_.dossier().proposals_size(), 3);  // a flag and two certificates
  today_ = absl::CivilDay(2026, 1, 10);
  grpc::Status s =
      Do(&Stub::ReviewDossier, Reviewer(), Review(3, 3, "Thiếu minh chứng tiêu chí hội thảo"));
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(year_.state(), v1::YEAR_STATE_DOSSIER_RETURNED);
  EXPECT_FALSE(year_.reviews(0).approved());
  // A resubmission says what changed.
  s = Do(&Stub::SubmitDossier, Province("10"), Dossier());
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(s), ElementsAre("dossier.note"));
  ASSERT_TRUE(Do(&Stub::SubmitDossier, Province("10"), Dossier("Bổ sung minh chứng")).ok());
  EXPECT_EQ(year_.dossier().revision(), 2);
  ASSERT_TRUE(Do(&Stub::ReviewDossier, Reviewer(), Review(5, 1)).ok());
  EXPECT_EQ(year_.state(), v1::YEAR_STATE_COUNCIL_REVIEWED);

  // The President grants the flag and one certificate; then they are presented.
  v1::DecideRequest decide;
  decide.mutable_decision()->set_number("45/QĐ-LHHVN");
  decide.mutable_decision()->set_decided_on("2026-01-15");
  decide.mutable_decision()->set_signer("Chủ tịch LHHVN");
  auto grant = [&](const std::string& code, v1::AwardKind kind) {
    auto* g = decide.mutable_decision()->add_grants();
    g->set_organization_code(code);
    g->set_kind(kind);
  };
  grant("14", v1::AWARD_KIND_UNION_FLAG);
  grant("14", v1::AWARD_KIND_MERIT_CERTIFICATE);
  today_ = absl::CivilDay(2026, 1, 15);
  s = Do(&Stub::Decide, Office(), decide);
  ASSERT_TRUE(s.ok()) << s.error_message();
  v1::PresentAwardsRequest present;
  present.set_presented_on("2026-01-20");
  present.set_occasion("Hội nghị tổng kết năm 2025");
  today_ = absl::CivilDay(2026, 1, 20);
  ASSERT_TRUE(Do(&Stub::PresentAwards, Office(), present).ok());
  EXPECT_EQ(year_.state(), v1::YEAR_STATE_AWARDED);

  EXPECT_THAT(StatesOf(year_),
              ElementsAre(v1::YEAR_STATE_SCHEME_ISSUED, v1::YEAR_STATE_COVENANT_SIGNED,
                          v1::YEAR_STATE_IN_PROGRESS, v1::YEAR_STATE_SELF_ASSESSED,
                          v1::YEAR_STATE_CROSS_CHECKED, v1::YEAR_STATE_VOTED,
                          v1::YEAR_STATE_DOSSIER_SUBMITTED, v1::YEAR_STATE_DOSSIER_RETURNED,
                          v1::YEAR_STATE_DOSSIER_SUBMITTED, v1::YEAR_STATE_COUNCIL_REVIEWED,
                          v1::YEAR_STATE_DECIDED, v1::YEAR_STATE_AWARDED));
  // Every change is a revision, and every revision is kept.
  EXPECT_EQ(StoredRevisions(*db_), year_.revision());

  // What the 2026 annual report of Sơn La counts.
  v1::ListAwardsRequest awards;
  awards.set_organization_code("14");
  awards.set_decided_year(2026);
  v1::ListAwardsResponse counted;
  ASSERT_TRUE(Call(&Stub::ListAwards, Province("14"), awards, &counted).ok());
  EXPECT_EQ(counted.emulation_flags(), 1);
  EXPECT_EQ(counted.merit_certificates(), 1);

  // Revoked for a false dossier: nothing counts any more.
  v1::RevokeYearRequest revoke;
  revoke.set_reason("Hồ sơ không trung thực (Quyết định 99/QĐ-LHHVN)");
  ASSERT_TRUE(Do(&Stub::RevokeYear, Office(), revoke).ok());
  ASSERT_TRUE(Call(&Stub::ListAwards, Province("14"), awards, &(counted = {})).ok());
  EXPECT_EQ(counted.emulation_flags(), 0);
  EXPECT_EQ(counted.merit_certificates(), 0);
  EXPECT_EQ(counted.awards(0).state(), v1::AWARD_STATE_REVOKED);
}

TEST_F(EmulationTest, ATargetIsACriterionOfTheSchemeOrAnIndicator) {
  today_ = absl::CivilDay(2025, 2, 1);
  v1::CreateYearRequest create;
  *create.mutable_year() = NewYear();
  ASSERT_TRUE(Call(&Stub::CreateYear, Office(), create, &year_).ok());
  v1::RegisterRequest reg;
  reg.mutable_registration()->set_organization_code("14");
  auto* made_up = reg.mutable_registration()->add_targets();
  made_up->set_code("parties");
  made_up->set_value(3);
  auto* indicator = reg.mutable_registration()->add_targets();
  indicator->set_code("members");  // of the catalog, not of the scheme
  indicator->set_value(300);
  grpc::Status s = Do(&Stub::Register, Province("14"), reg);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(s), ElementsAre("registration.targets[0].code"));
  reg.mutable_registration()->mutable_targets(0)->set_code("timeliness");
  EXPECT_TRUE(Do(&Stub::Register, Province("14"), reg).ok());
}

TEST_F(EmulationTest, AMergedMemberTakesNoPartFromSelfAssessmentOn) {
  StartYear();
  ASSERT_FALSE(HasFatalFailure());
  const v1::EmulationYear y = Get();
  for (const auto& m : y.members()) {
    EXPECT_EQ(m.takes_part(), m.organization_code() != "15") << m.organization_code();
  }
  // Yên Bái existed when the covenant was signed, so it registered and signed.
  EXPECT_EQ(y.covenant().registrations_size(), 5);
  grpc::Status s = Do(&Stub::SubmitSelfAssessment, Office(), Sheet("15", 10, 10));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("merged into 10"));
  // From the day it ended, its own accounts no longer write.
  today_ = absl::CivilDay(2025, 8, 1);
  s = Do(&Stub::SubmitSelfAssessment, Province("15"), Sheet("15", 10, 10));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(s.error_message(), HasSubstr("ended on 2025-07-01"));
}

TEST_F(EmulationTest, OneMembersUploadsCannotFillTheYearForTheOthers) {
  StartYear();
  ASSERT_FALSE(HasFatalFailure());
  for (int i = 0; i < 300; ++i) Upload(Province("14"), "minh-chung.txt", absl::StrCat("tệp ", i));
  // The same content again is the same file, not a new one.
  Upload(Province("14"), "minh-chung.txt", "tệp 0");
  v1::UploadFileRequest req;
  *req.mutable_key() = Key();
  req.set_name("them.txt");
  req.set_media_type("text/plain");
  req.set_content("tệp 300");
  v1::FileRef out;
  grpc::Status s = Call(&Stub::UploadFile, Province("14"), req, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << s.error_message();
  EXPECT_THAT(s.error_message(), HasSubstr("at most 300 files"));
  EXPECT_TRUE(Call(&Stub::UploadFile, Province("12"), req, &out).ok());
}

TEST_F(EmulationTest, ASelfAssessmentAfterTheDeadlineIsRefusedAndALateOneMarked) {
  StartYear();
  ASSERT_FALSE(HasFatalFailure());
  today_ = absl::CivilDay(2025, 12, 20);  // after due (12-15), before closes (12-31)
  ASSERT_TRUE(Do(&Stub::SubmitSelfAssessment, Province("12"), Sheet("12", 30, 20)).ok());
  EXPECT_TRUE(year_.self_assessments(0).late());
  const int revision = Get().revision();
  today_ = absl::CivilDay(2026, 1, 2);
  grpc::Status s = Do(&Stub::SubmitSelfAssessment, Province("14"), Sheet("14", 45, 38));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(s), ElementsAre("sheet"));
  EXPECT_EQ(Get().revision(), revision);  // nothing written
}

TEST_F(EmulationTest, PointsNeedEvidenceAndEveryCriterionInRange) {
  StartYear();
  ASSERT_FALSE(HasFatalFailure());
  v1::SubmitSelfAssessmentRequest sheet = Sheet("14", 61, 20);
  sheet.mutable_sheet()->mutable_scores(1)->clear_evidence();
  auto* bad = sheet.mutable_sheet()->mutable_scores(0)->add_evidence();
  bad->mutable_file()->set_sha256(std::string(64, 'a'));  // never uploaded
  grpc::Status s = Do(&Stub::SubmitSelfAssessment, Province("14"), sheet);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(s),
              ElementsAre("sheet.scores[0].points", "sheet.scores[0].evidence[1].file.sha256",
                          "sheet.scores[1].evidence"));
  // An uploaded file is evidence, kept with its hash.
  sheet = Sheet("14", 45, 38);
  const std::string hash = Upload(Province("14"), "quyet-dinh.pdf", "%PDF quyết định");
  EXPECT_EQ(hash, fed::Sha256Hex("%PDF quyết định"));
  sheet.mutable_sheet()->mutable_scores(0)->add_evidence()->mutable_file()->set_sha256(hash);
  ASSERT_TRUE(Do(&Stub::SubmitSelfAssessment, Province("14"), sheet).ok());
  EXPECT_EQ(year_.self_assessments(0).scores(0).evidence(1).file().name(), "quyet-dinh.pdf");
}

TEST_F(EmulationTest, ACrossCheckChangeNeedsAReasonAndTheThreeColumnsStandSideBySide) {
  StartYear();
  ASSERT_FALSE(HasFatalFailure());
  today_ = absl::CivilDay(2025, 12, 10);
  for (const char* code : {"10", "11", "12", "14"}) {
    ASSERT_TRUE(Do(&Stub::SubmitSelfAssessment, Province(code), Sheet(code, 50, 30)).ok());
  }
  ASSERT_TRUE(
      Do(&Stub::CloseSelfAssessment, Province("10"), v1::CloseSelfAssessmentRequest()).ok());
  const int revision = Get().revision();
  grpc::Status s = Do(&Stub::CrossCheck, Province("10"), Check("14", 45, 30));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(s), ElementsAre("check.checks[0].reason"));
  EXPECT_EQ(Get().revision(), revision);
  v1::CrossCheckRequest check = Check("14", 45, 30);
  check.mutable_check()->mutable_checks(0)->set_reason("Hai hội thảo không có minh chứng");
  ASSERT_TRUE(Do(&Stub::CrossCheck, Province("10"), check).ok());
  // The member answers.
  v1::AnswerCrossCheckRequest answer;
  answer.mutable_answer()->set_organization_code("14");
  answer.mutable_answer()->set_criterion_code("workshops");
  answer.mutable_answer()->set_text("Đã bổ sung quyết định tổ chức hội thảo");
  ASSERT_TRUE(Do(&Stub::AnswerCrossCheck, Province("14"), answer).ok());

  v1::GetAssessmentRequest req;
  *req.mutable_key() = Key();
  v1::Assessment table;
  ASSERT_TRUE(Call(&Stub::GetAssessment, Province("14"), req, &table).ok());
  ASSERT_TRUE(table.computed_available());
  const v1::AssessedMember* son_la = nullptr;
  for (const auto& m : table.members()) {
    if (m.organization_code() == "14") son_la = &m;
  }
  ASSERT_NE(son_la, nullptr);
  EXPECT_DOUBLE_EQ(son_la->computed_total(), 83);  // 45 + 38 from the ranking
  EXPECT_DOUBLE_EQ(son_la->self_total(), 80);
  EXPECT_DOUBLE_EQ(son_la->verified_total(), 75);
  EXPECT_EQ(son_la->criteria(0).reason(), "Hai hội thảo không có minh chứng");
  // The merged member is listed last, unranked.
  EXPECT_EQ(table.members(table.members_size() - 1).organization_code(), "15");
  EXPECT_EQ(table.members(table.members_size() - 1).rank(), 0);

  // Without the ranking service the other two columns still stand.
  sources_->ranking_up = false;
  ASSERT_TRUE(Call(&Stub::GetAssessment, Province("14"), req, &(table = {})).ok());
  EXPECT_FALSE(table.computed_available());
}

TEST_F(EmulationTest, VotesThatBreakTheRuleAreRefusedAndWriteNothing) {
  ReachVoting();
  ASSERT_FALSE(HasFatalFailure());
  const int revision = Get().revision();
  struct Case {
    v1::RecordBallotRequest req;
    std::string field;
  } cases[] = {
      // 2 of 4 present: no quorum of two thirds.
      {Ballot(v1::BALLOT_KIND_UNION_FLAG, 4, 2, 2, 2, 0, {{"14", 2}}), "tally.present"},
      // 5 ballots for 4 people entitled.
      {Ballot(v1::BALLOT_KIND_UNION_FLAG, 4, 4, 5, 5, 0, {{"14", 5}}), "tally.ballots_issued"},
      // 4 issued, 3 valid, none invalid.
      {Ballot(v1::BALLOT_KIND_UNION_FLAG, 4, 4, 4, 3, 0, {{"14", 3}}), "tally.valid"},
      // The merged member may not stand.
      {Ballot(v1::BALLOT_KIND_UNION_FLAG, 4, 4, 4, 4, 0, {{"15", 4}}),
       "tally.votes[0].organization_code"},
  };
  for (const auto& c : cases) {
    grpc::Status s = Do(&Stub::RecordBallot, Province("10"), c.req);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.field;
    EXPECT_THAT(FieldsOf(s), Contains(c.field)) << s.error_message();
  }
  EXPECT_EQ(Get().revision(), revision);
  // Voting cannot close with ballots not held.
  v1::CloseVotingRequest close;
  close.mutable_conference()->set_held_on("2025-12-20");
  close.mutable_conference()->set_place("Lào Cai");
  close.mutable_conference()->set_chair("A");
  close.mutable_conference()->set_secretary("B");
  grpc::Status s = Do(&Stub::CloseVoting, Province("10"), close);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("union_flag (not held)"));
}

TEST_F(EmulationTest, ATieIsSentToAReBallotAmongTheTiedNeverBrokenSilently) {
  ReachVoting();
  ASSERT_FALSE(HasFatalFailure());
  // Two certificates, 8 delegates with two choices each; more than half of
  // the valid ballots is 5. 10 leads, 11 and 14 tie above it for the second.
  ASSERT_TRUE(Do(&Stub::RecordBallot, Province("10"),
                 Ballot(v1::BALLOT_KIND_MERIT_CERTIFICATE, 8, 8, 8, 8, 0,
                        {{"10", 6}, {"11", 5}, {"14", 5}}))
                  .ok());
  const v1::Ballot& first = year_.ballots(0);
  EXPECT_EQ(first.outcome(), v1::BALLOT_OUTCOME_TIE);
  EXPECT_THAT(first.elected_codes(), ElementsAre("10"));
  EXPECT_THAT(first.tied_codes(), ElementsAre("11", "14"));
  // The re-ballot is among the tied only.
  grpc::Status s =
      Do(&Stub::RecordBallot, Province("10"),
         Ballot(v1::BALLOT_KIND_MERIT_CERTIFICATE, 8, 8, 8, 8, 0, {{"11", 3}, {"12", 5}}));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(s), Contains("tally.votes"));
  ASSERT_TRUE(Do(&Stub::RecordBallot, Province("10"),
                 Ballot(v1::BALLOT_KIND_MERIT_CERTIFICATE, 8, 8, 8, 8, 0, {{"11", 3}, {"14", 5}}))
                  .ok());
  const v1::Ballot& second = year_.ballots(1);
  EXPECT_EQ(second.round(), 2);
  EXPECT_EQ(second.seats(), 1);
  EXPECT_EQ(second.outcome(), v1::BALLOT_OUTCOME_DECIDED);
  EXPECT_THAT(second.elected_codes(), ElementsAre("14"));
  // Decided: no third round.
  s = Do(&Stub::RecordBallot, Province("10"),
         Ballot(v1::BALLOT_KIND_MERIT_CERTIFICATE, 8, 8, 8, 8, 0, {{"11", 8}}));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(EmulationTest, ADossierWithoutMinutesAndADecisionForAnUnproposedUnitAreRefused) {
  ReachVoted();
  ASSERT_FALSE(HasFatalFailure());
  today_ = absl::CivilDay(2025, 12, 22);
  v1::SubmitDossierRequest missing = Dossier();
  missing.mutable_dossier()->clear_signed_minutes();
  const int revision = Get().revision();
  grpc::Status s = Do(&Stub::SubmitDossier, Province("10"), missing);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(s), ElementsAre("dossier.signed_minutes"));
  EXPECT_EQ(Get().revision(), revision);
  ASSERT_TRUE(Do(&Stub::SubmitDossier, Province("10"), Dossier()).ok());
  today_ = absl::CivilDay(2026, 1, 10);
  // A council without quorum decides nothing.
  v1::ReviewDossierRequest thin = Review(3, 0);
  thin.mutable_vote()->set_present(3);
  s = Do(&Stub::ReviewDossier, Reviewer(), thin);
  EXPECT_THAT(FieldsOf(s), Contains("vote.present"));
  ASSERT_TRUE(Do(&Stub::ReviewDossier, Reviewer(), Review(6, 0)).ok());

  v1::DecideRequest decide;
  decide.mutable_decision()->set_number("45/QĐ-LHHVN");
  decide.mutable_decision()->set_decided_on("2026-01-10");
  decide.mutable_decision()->set_signer("Chủ tịch");
  auto* g = decide.mutable_decision()->add_grants();
  g->set_organization_code("12");  // proposed for nothing
  g->set_kind(v1::AWARD_KIND_UNION_FLAG);
  s = Do(&Stub::Decide, Office(), decide);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(s), ElementsAre("decision.grants[0].organization_code"));
  EXPECT_EQ(Get().state(), v1::YEAR_STATE_COUNCIL_REVIEWED);
}

TEST_F(EmulationTest, EachRoleDoesOnlyItsOwnSteps) {
  StartYear();
  ASSERT_FALSE(HasFatalFailure());
  // A province outside the cluster does not even read the year.
  v1::GetYearRequest get;
  *get.mutable_key() = Key();
  v1::EmulationYear out;
  EXPECT_EQ(Call(&Stub::GetYear, Province("20"), get, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::ListYearsRequest list;
  v1::ListYearsResponse years;
  ASSERT_TRUE(Call(&Stub::ListYears, Province("20"), list, &years).ok());
  EXPECT_EQ(years.years_size(), 0);
  ASSERT_TRUE(Call(&Stub::ListYears, Province("12"), list, &years).ok());
  EXPECT_EQ(years.years_size(), 1);

  today_ = absl::CivilDay(2025, 12, 10);
  // A member assesses itself, not another member.
  EXPECT_EQ(Do(&Stub::SubmitSelfAssessment, Province("14"), Sheet("12", 1, 1)).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  for (const char* code : {"10", "11", "12", "14"}) {
    ASSERT_TRUE(Do(&Stub::SubmitSelfAssessment, Province(code), Sheet(code, 50, 30)).ok());
  }
  // Only the head closes; a member cannot.
  EXPECT_EQ(
      Do(&Stub::CloseSelfAssessment, Province("14"), v1::CloseSelfAssessmentRequest()).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(
      Do(&Stub::CloseSelfAssessment, Province("10"), v1::CloseSelfAssessmentRequest()).ok());
  // A member does not cross-check; the head does not check itself.
  EXPECT_EQ(Do(&Stub::CrossCheck, Province("14"), Check("12", 50, 30)).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  grpc::Status own = Do(&Stub::CrossCheck, Province("10"), Check("10", 50, 30));
  EXPECT_EQ(own.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(own.error_message(), HasSubstr("deputy"));
  // The council's review and the President's decision are the national office's.
  EXPECT_EQ(Do(&Stub::ReviewDossier, Province("10"), Review(6, 0)).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // A viewer reads, and changes nothing.
  EXPECT_TRUE(Call(&Stub::GetYear, Viewer(), get, &out).ok());
  EXPECT_EQ(Do(&Stub::CloseCrossCheck, Viewer(), v1::CloseCrossCheckRequest()).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // A province lists its own awards only.
  v1::ListAwardsRequest awards;
  awards.set_organization_code("12");
  v1::ListAwardsResponse listed;
  EXPECT_EQ(Call(&Stub::ListAwards, Province("14"), awards, &listed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(EmulationTest, AYearNeedsASchemeWithBallotRulesAndAClusterOfTheRegistry) {
  v1::CreateYearRequest req;
  *req.mutable_year() = NewYear();
  req.mutable_year()->mutable_key()->set_cluster_number(7);
  req.mutable_year()->set_self_assessment_closes("2025-12-01");
  sources_->scheme.clear_ballot_rules();
  grpc::Status s = Call(&Stub::CreateYear, Office(), req, &year_);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(s), ElementsAre("year.self_assessment_closes"));
  req.mutable_year()->set_self_assessment_closes("2025-12-31");
  s = Call(&Stub::CreateYear, Office(), req, &year_);
  EXPECT_THAT(FieldsOf(s), ElementsAre("year.scheme_version", "year.key.cluster_number"));
  // A province does not open years.
  *req.mutable_year() = NewYear();
  sources_->scheme = TestScheme();
  EXPECT_EQ(Call(&Stub::CreateYear, Province("10"), req, &year_).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Call(&Stub::CreateYear, Office(), req, &year_).ok());
  EXPECT_EQ(Call(&Stub::CreateYear, Office(), req, &year_).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
}

}  // namespace
}  // namespace emulation::testing

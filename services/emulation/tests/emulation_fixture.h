// The registry and the emulation service, each served over loopback gRPC on
// a fresh database. Clusters and members' lives come from the real registry
// over gRPC; the scheme and the computed ranking, which the ranking service
// derives from a whole aggregator, are given by the test (the end-to-end
// test in tests/integration runs the real ranking service). The service's
// calendar is the test's, so deadlines can pass.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "federation/v1/emulation.grpc.pb.h"
#include "services/common/dates.h"
#include "services/common/digest.h"
#include "services/common/status.h"
#include "services/common/validation.h"
#include "services/emulation/emulation.h"
#include "services/emulation/grpc_service.h"
#include "services/emulation/migrations.h"
#include "services/emulation/sources.h"
#include "services/registry/tests/registry_fixture.h"

namespace emulation::testing {

namespace v1 = federation::v1;
using Stub = v1::EmulationService::Stub;

struct Who {
  v1::Role role;
  std::string org;
  std::string subject;
};
inline Who Province(const std::string& org) {
  return {v1::ROLE_PROVINCE_REPORTER, org, "clerk@" + org};
}
inline Who Office() { return {v1::ROLE_NATIONAL_ADMIN, "VUSTA", "admin@vusta"}; }
inline Who Reviewer() { return {v1::ROLE_NATIONAL_REVIEWER, "VUSTA", "council@vusta"}; }
inline Who Viewer() { return {v1::ROLE_VIEWER, "VUSTA", "viewer"}; }

// The scheme a test year follows: two criteria, and the demo's voting rules
// (union flag: more than half of those taking part, written opinions
// counted; merit: more than half the valid ballots, two seats; council:
// two thirds present, majority).
inline v1::ScoringScheme TestScheme() {
  v1::ScoringScheme s;
  s.set_year(2025);
  s.set_version(1);
  s.set_name("Bảng chấm điểm 2025");
  s.set_total_points(100);
  auto* w = s.add_criteria();
  w->set_code("workshops");
  w->set_name("Hội thảo khoa học");
  w->set_max_points(60);
  auto* t = s.add_criteria();
  t->set_code("timeliness");
  t->set_name("Báo cáo đúng hạn");
  t->set_max_points(40);
  auto rule = [&](v1::BallotKind kind, double threshold, v1::ThresholdBase base, bool written,
                  int seats) {
    auto* r = s.add_ballot_rules();
    r->set_kind(kind);
    r->set_quorum(2.0 / 3.0);
    r->set_threshold(threshold);
    r->set_threshold_of(base);
    r->set_more_than(true);
    r->set_count_written_opinions(written);
    r->set_seats(seats);
    r->set_basis("Quy chế thử nghiệm");
  };
  rule(v1::BALLOT_KIND_UNION_FLAG, 0.5, v1::THRESHOLD_BASE_PRESENT, true, 1);
  rule(v1::BALLOT_KIND_MERIT_CERTIFICATE, 0.5, v1::THRESHOLD_BASE_VALID_BALLOTS, false, 2);
  rule(v1::BALLOT_KIND_NEXT_HEAD, 0.5, v1::THRESHOLD_BASE_VALID_BALLOTS, false, 1);
  rule(v1::BALLOT_KIND_NEXT_DEPUTY, 0.5, v1::THRESHOLD_BASE_VALID_BALLOTS, false, 1);
  rule(v1::BALLOT_KIND_COUNCIL_REVIEW, 0.5, v1::THRESHOLD_BASE_PRESENT, false, 0);
  return s;
}

// The registry is real; the ranking service's scheme and ranking are the test's.
class TestSources : public GrpcSources {
 public:
  explicit TestSources(std::shared_ptr<grpc::Channel> registry) : GrpcSources(registry, registry) {}
  absl::StatusOr<v1::ScoringScheme> Scheme(int year, int version) override {
    if (year != scheme.year() || (version != 0 && version != scheme.version())) {
      return absl::NotFoundError("no such scheme");
    }
    return scheme;
  }
  absl::StatusOr<v1::ClusterRanking> Ranking(int, int, const std::string&, int) override {
    if (!ranking_up) return absl::UnavailableError("ranking unavailable");
    return ranking;
  }
  v1::ScoringScheme scheme = TestScheme();
  v1::ClusterRanking ranking;
  bool ranking_up = true;
};

class EmulationTest : public registry::testing::RegistryTest {
 protected:
  void SetUp() override {
    RegistryTest::SetUp();
    if (HasFatalFailure()) return;
    CreateNational();
    for (const auto& [code, name] :
         std::vector<std::pair<std::string, std::string>>{{"10", "Lào Cai"},
                                                          {"11", "Điện Biên"},
                                                          {"12", "Lai Châu"},
                                                          {"14", "Sơn La"},
                                                          {"15", "Yên Bái"},
                                                          {"20", "Lạng Sơn"}}) {
      ASSERT_TRUE(CreateProvince(code, name).ok()) << code;
    }
    v1::CreateClusterRequest cluster;
    cluster.mutable_cluster()->set_year(2025);
    cluster.mutable_cluster()->set_number(1);
    cluster.mutable_cluster()->set_name("Cụm thi đua 1");
    for (const char* code : {"10", "11", "12", "14", "15"})
      cluster.mutable_cluster()->add_member_codes(code);
    cluster.mutable_cluster()->set_head_code("10");
    cluster.mutable_cluster()->set_deputy_code("11");
    v1::EmulationCluster created;
    ASSERT_TRUE(stub_->CreateCluster(RegistryTest::Admin().get(), cluster, &created).ok());
    // Yên Bái joins Lào Cai halfway through the year.
    v1::RecordMergerRequest merger;
    merger.mutable_merger()->set_successor_code("10");
    merger.mutable_merger()->add_predecessor_codes("10");
    merger.mutable_merger()->add_predecessor_codes("15");
    merger.mutable_merger()->set_effective_on("2025-07-01");
    merger.mutable_merger()->set_decision("Nghị quyết 202/2025/QH15");
    v1::Merger recorded;
    grpc::Status merged = stub_->RecordMerger(RegistryTest::Admin().get(), merger, &recorded);
    ASSERT_TRUE(merged.ok()) << merged.error_message();

    ASSERT_TRUE(fed::ApplyMigrations(db_->OwnerUrl("emulation"), "emulation", Migrations()).ok());
    pool_e_ = std::make_unique<fed::DbPool>(db_->RuntimeUrl("emulation"), "emulation", 4);
    sources_ = std::make_unique<TestSources>(server_->channel());
    SetRanking({{"10", 50, 30}, {"11", 40, 35}, {"12", 30, 20}, {"14", 45, 38}});
    logic_ = std::make_unique<Emulation>(*pool_e_, *sources_);
    logic_->SetToday([this] { return today_; });
    workers_e_ = std::make_unique<fed::WorkerPool>(4);
    service_e_ = std::make_unique<EmulationGrpcService>(
        logic_.get(), fed::CallContext{&fedtest::TestVerifier("emulation"), workers_e_.get()});
    server_e_ =
        std::make_unique<fedtest::LoopbackServer>(std::vector<grpc::Service*>{service_e_.get()});
    emu_ = v1::EmulationService::NewStub(server_e_->channel());
  }

  void TearDown() override {
    server_e_.reset();
    workers_e_.reset();
    service_e_.reset();
    logic_.reset();
    sources_.reset();
    pool_e_.reset();
    RegistryTest::TearDown();
  }

  // The computed column: (code, workshops points, timeliness points).
  void SetRanking(const std::vector<std::tuple<std::string, double, double>>& rows) {
    sources_->ranking.clear_entries();
    for (const auto& [code, workshops, timeliness] : rows) {
      auto* e = sources_->ranking.add_entries();
      e->set_organization_code(code);
      e->set_total(workshops + timeliness);
      auto* w = e->add_breakdown();
      w->set_criterion_code("workshops");
      w->set_points(workshops);
      auto* t = e->add_breakdown();
      t->set_criterion_code("timeliness");
      t->set_points(timeliness);
    }
  }

  template <typename Req, typename Resp>
  grpc::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
                    const Who& who, Req req, Resp* resp) {
    auto ctx =
        fed::OutgoingContext(fedtest::TestToken(who.role, who.org, who.subject), absl::Seconds(30));
    return (emu_.get()->*method)(ctx.get(), req, resp);
  }
  // The same for a method whose request has a key: the test year's.
  template <typename Req>
  grpc::Status Do(grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&,
                                               v1::EmulationYear*),
                  const Who& who, Req req) {
    *req.mutable_key() = Key();
    return Call(method, who, req, &year_);
  }

  static v1::YearKey Key() {
    v1::YearKey key;
    key.set_organiser_code("VUSTA");
    key.set_year(2025);
    key.set_cluster_number(1);
    return key;
  }

  v1::EmulationYear NewYear() const {
    v1::EmulationYear y;
    *y.mutable_key() = Key();
    y.set_name("Năm thi đua 2025 – Cụm 1");
    y.set_start_date("2025-01-01");
    y.set_end_date("2025-12-31");
    y.set_ranking_period("2025");
    y.set_self_assessment_due("2025-12-15");
    y.set_self_assessment_closes("2025-12-31");
    return y;
  }

  v1::EmulationYear Get(const Who& who = Office()) {
    v1::GetYearRequest req;
    *req.mutable_key() = Key();
    v1::EmulationYear out;
    grpc::Status s = Call(&Stub::GetYear, who, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  std::string Upload(const Who& who, const std::string& name, const std::string& content) {
    v1::UploadFileRequest req;
    *req.mutable_key() = Key();
    req.set_name(name);
    req.set_media_type("application/pdf");
    req.set_content(content);
    v1::FileRef out;
    grpc::Status s = Call(&Stub::UploadFile, who, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out.sha256();
  }

  // Creates the year and signs its covenant with every member registered;
  // the calendar then stands at 2025-03-20, so the year is in progress.
  void StartYear() {
    today_ = absl::CivilDay(2025, 2, 1);
    v1::CreateYearRequest create;
    *create.mutable_year() = NewYear();
    ASSERT_TRUE(Call(&Stub::CreateYear, Office(), create, &year_).ok());
    for (const char* code : {"10", "11", "12", "14", "15"}) {
      v1::RegisterRequest reg;
      reg.mutable_registration()->set_organization_code(code);
      auto* target = reg.mutable_registration()->add_targets();
      target->set_code("workshops");
      target->set_value(12);
      reg.mutable_registration()->add_aims(v1::AWARD_KIND_UNION_FLAG);
      grpc::Status s = Do(&Stub::Register, Province(code), reg);
      ASSERT_TRUE(s.ok()) << code << ": " << s.error_message();
    }
    today_ = absl::CivilDay(2025, 3, 20);
    v1::SignCovenantRequest sign;
    auto* c = sign.mutable_covenant();
    c->set_rules("Quy chế hoạt động Cụm thi đua số 1 năm 2025");
    c->set_plan_number("05/KH-CTĐ1");
    c->set_head_code("10");
    c->set_deputy_code("11");
    c->set_signed_on("2025-03-20");
    c->mutable_signed_document()->set_sha256(Upload(Province("10"), "giao-uoc.pdf", "giao uoc"));
    grpc::Status s = Do(&Stub::SignCovenant, Province("10"), sign);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  // A sheet scoring `workshops` and `timeliness`, with a link as evidence.
  static v1::SubmitSelfAssessmentRequest Sheet(const std::string& code, double workshops,
                                               double timeliness) {
    v1::SubmitSelfAssessmentRequest req;
    req.mutable_sheet()->set_organization_code(code);
    for (const auto& [criterion, points] : std::vector<std::pair<std::string, double>>{
             {"workshops", workshops}, {"timeliness", timeliness}}) {
      auto* s = req.mutable_sheet()->add_scores();
      s->set_criterion_code(criterion);
      s->set_points(points);
      s->set_explanation("Theo báo cáo năm");
      s->add_evidence()->set_url("https://lhh.example.vn/bao-cao-2025.pdf");
    }
    return req;
  }

  static v1::CrossCheckRequest Check(const std::string& code, double workshops, double timeliness,
                                     const std::string& reason = "") {
    v1::CrossCheckRequest req;
    req.mutable_check()->set_organization_code(code);
    auto* w = req.mutable_check()->add_checks();
    w->set_criterion_code("workshops");
    w->set_verified_points(workshops);
    w->set_reason(reason);
    auto* t = req.mutable_check()->add_checks();
    t->set_criterion_code("timeliness");
    t->set_verified_points(timeliness);
    t->set_reason(reason);
    return req;
  }

  // Self-assessment and cross-check done for the four members taking part,
  // the calendar at the year-end conference (2025-12-20).
  void ReachVoting() {
    StartYear();
    if (HasFatalFailure()) return;
    today_ = absl::CivilDay(2025, 12, 10);
    const std::map<std::string, std::pair<double, double>> own = {
        {"10", {50, 30}}, {"11", {40, 35}}, {"12", {30, 20}}, {"14", {45, 38}}};
    for (const auto& [code, points] : own) {
      grpc::Status s =
          Do(&Stub::SubmitSelfAssessment, Province(code), Sheet(code, points.first, points.second));
      ASSERT_TRUE(s.ok()) << code << ": " << s.error_message();
    }
    ASSERT_TRUE(
        Do(&Stub::CloseSelfAssessment, Province("10"), v1::CloseSelfAssessmentRequest()).ok());
    for (const auto& [code, points] : own) {
      // The deputy checks the head; the head checks everyone else.
      const Who checker = code == "10" ? Province("11") : Province("10");
      grpc::Status s = Do(&Stub::CrossCheck, checker, Check(code, points.first, points.second));
      ASSERT_TRUE(s.ok()) << code << ": " << s.error_message();
    }
    ASSERT_TRUE(Do(&Stub::CloseCrossCheck, Province("10"), v1::CloseCrossCheckRequest()).ok());
    today_ = absl::CivilDay(2025, 12, 20);
  }

  static v1::RecordBallotRequest Ballot(v1::BallotKind kind, int entitled, int present, int issued,
                                        int valid, int invalid,
                                        std::vector<std::pair<std::string, int>> votes) {
    v1::RecordBallotRequest req;
    auto* t = req.mutable_tally();
    t->set_kind(kind);
    t->set_held_on("2025-12-20");
    t->set_entitled(entitled);
    t->set_present(present);
    t->set_ballots_issued(issued);
    t->set_valid(valid);
    t->set_invalid(invalid);
    for (const auto& [code, n] : votes) {
      auto* c = t->add_votes();
      c->set_organization_code(code);
      c->set_votes(n);
    }
    return req;
  }

  // Every required ballot decided and voting closed: 14 proposed for the
  // flag, 14 and 10 for certificates of merit; 11 heads next year, 12 deputises.
  void ReachVoted() {
    ReachVoting();
    if (HasFatalFailure()) return;
    for (const auto& req :
         {Ballot(v1::BALLOT_KIND_UNION_FLAG, 4, 4, 4, 4, 0, {{"14", 3}, {"10", 1}}),
          Ballot(v1::BALLOT_KIND_MERIT_CERTIFICATE, 4, 4, 4, 4, 0, {{"14", 4}, {"10", 3}}),
          Ballot(v1::BALLOT_KIND_NEXT_HEAD, 4, 4, 4, 4, 0, {{"11", 4}}),
          Ballot(v1::BALLOT_KIND_NEXT_DEPUTY, 4, 4, 4, 4, 0, {{"12", 3}, {"14", 1}})}) {
      grpc::Status s = Do(&Stub::RecordBallot, Province("10"), req);
      ASSERT_TRUE(s.ok()) << s.error_message();
    }
    v1::CloseVotingRequest close;
    close.mutable_conference()->set_held_on("2025-12-20");
    close.mutable_conference()->set_place("Lào Cai");
    close.mutable_conference()->set_chair("Nguyễn Văn A");
    close.mutable_conference()->set_secretary("Trần Thị B");
    grpc::Status s = Do(&Stub::CloseVoting, Province("10"), close);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  v1::SubmitDossierRequest Dossier(const std::string& note = "") {
    v1::SubmitDossierRequest req;
    req.mutable_dossier()->set_letter_number("12/TTr-CTĐ1");
    req.mutable_dossier()->set_letter_date("2025-12-22");
    req.mutable_dossier()->mutable_signed_minutes()->set_sha256(
        Upload(Province("10"), "bien-ban.pdf", "bien ban ky ten"));
    req.mutable_dossier()->set_note(note);
    return req;
  }

  static v1::ReviewDossierRequest Review(int in_favour, int against,
                                         const std::string& reason = "") {
    v1::ReviewDossierRequest req;
    req.set_held_on("2026-01-10");
    req.mutable_vote()->set_members(9);
    req.mutable_vote()->set_present(7);
    req.mutable_vote()->set_in_favour(in_favour);
    req.mutable_vote()->set_against(against);
    req.mutable_vote()->set_abstaining(7 - in_favour - against);
    req.set_return_reason(reason);
    return req;
  }

  static std::vector<std::string> FieldsOf(const grpc::Status& status) {
    return RegistryTest::FieldsOf(status);
  }

  absl::CivilDay today_ = absl::CivilDay(2025, 2, 1);
  v1::EmulationYear year_;
  std::unique_ptr<fed::DbPool> pool_e_;
  std::unique_ptr<TestSources> sources_;
  std::unique_ptr<Emulation> logic_;
  std::unique_ptr<fed::WorkerPool> workers_e_;
  std::unique_ptr<EmulationGrpcService> service_e_;
  std::unique_ptr<fedtest::LoopbackServer> server_e_;
  std::unique_ptr<Stub> emu_;
};

}  // namespace emulation::testing

// The registry and the competition service, each served over loopback gRPC
// on a fresh database; the competition service checks organisations against
// the registry over gRPC as in production.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "federation/v1/competition.grpc.pb.h"
#include "services/common/dates.h"
#include "services/common/status.h"
#include "services/common/validation.h"
#include "services/competition/competition.h"
#include "services/competition/directory.h"
#include "services/competition/grpc_service.h"
#include "services/competition/migrations.h"
#include "services/registry/tests/registry_fixture.h"

namespace competition::testing {

namespace v1 = federation::v1;
using Stub = v1::CompetitionService::Stub;

// Who makes a call.
struct Who {
  v1::Role role;
  std::string org;
  std::string subject;
};
inline Who Organiser(const std::string& org) {
  return {v1::ROLE_PROVINCE_REPORTER, org, "clerk@" + org};
}
inline Who Province(const std::string& org) {
  return {v1::ROLE_PROVINCE_REPORTER, org, "clerk@" + org};
}
inline Who NationalAdmin() { return {v1::ROLE_NATIONAL_ADMIN, "VUSTA", "admin@vusta"}; }
inline Who NationalReviewer() { return {v1::ROLE_NATIONAL_REVIEWER, "VUSTA", "reviewer@vusta"}; }
inline Who Viewer() { return {v1::ROLE_VIEWER, "VUSTA", "viewer"}; }
inline Who Service() { return {v1::ROLE_SERVICE, "VUSTA", "reporting"}; }
inline Who JudgeAs(const std::string& subject, const std::string& org) {
  return {v1::ROLE_JUDGE, org, subject};
}

inline std::unique_ptr<grpc::ClientContext> ContextOf(const Who& who) {
  return fed::OutgoingContext(fedtest::TestToken(who.role, who.org, who.subject),
                              absl::Seconds(30));
}

inline const std::string kAgri = "Nông nghiệp";
inline const std::string kIT = "Công nghệ thông tin";

// Today in Vietnam, the day the service's clock registers entries on.
inline absl::CivilDay Today() { return fed::DayInVietnam(absl::Now()); }
inline int ThisYear() { return static_cast<int>(Today().year()); }

// Sơn La's 5th provincial technical innovation contest. Without a year it
// runs now: registration from 30 days ago to 30 days ahead, so that entries
// registered on the service's clock are in the window. With a year it is
// history (registration March to August of that year), closed today.
inline v1::Contest SonLaContest(int edition = 5, int year = 0) {
  v1::Contest c;
  c.set_kind(v1::CONTEST_KIND_PROVINCIAL_TECH);
  c.set_level(v1::CONTEST_LEVEL_PROVINCIAL);
  c.set_organizer_code("14");
  c.set_edition(edition);
  c.set_year(year);
  c.set_title(absl::StrCat("Hội thi Sáng tạo Kỹ thuật tỉnh Sơn La lần thứ ", edition));
  c.add_fields(kAgri);
  c.add_fields(kIT);
  if (year == 0) {
    c.set_year(ThisYear());
    c.set_registration_opens(fed::FormatDate(Today() - 30));
    c.set_registration_closes(fed::FormatDate(Today() + 30));
    c.set_judging_opens(fed::FormatDate(Today() + 31));
    c.set_judging_closes(fed::FormatDate(Today() + 75));
  } else {
    c.set_registration_opens(absl::StrCat(year, "-03-01"));
    c.set_registration_closes(absl::StrCat(year, "-08-31"));
    c.set_judging_opens(absl::StrCat(year, "-09-01"));
    c.set_judging_closes(absl::StrCat(year, "-10-15"));
  }
  c.mutable_prizes()->set_first(1);
  c.mutable_prizes()->set_second(1);
  c.mutable_prizes()->set_third(1);
  c.mutable_prizes()->set_consolation(1);
  c.mutable_prizes()->set_min_score(50);
  const std::tuple<const char*, const char*, double> criteria[] = {
      {"novelty", "Tính mới, tính sáng tạo", 30},
      {"applicability", "Khả năng áp dụng", 40},
      {"effectiveness", "Hiệu quả kinh tế - xã hội", 30}};
  for (const auto& [code, name, max] : criteria) {
    auto* k = c.add_criteria();
    k->set_code(code);
    k->set_name(name);
    k->set_weight(1);
    k->set_max_points(max);
  }
  c.set_min_judges_per_entry(3);
  return c;
}

inline v1::Contest NationalContest(v1::ContestKind kind, int edition, int year = 0) {
  v1::Contest c = SonLaContest(edition, year);
  c.set_kind(kind);
  c.set_level(v1::CONTEST_LEVEL_NATIONAL);
  c.set_organizer_code("VUSTA");
  c.set_title(kind == v1::CONTEST_KIND_VIFOTEC ? "Giải thưởng VIFOTEC"
                                               : "Hội thi Sáng tạo Kỹ thuật Toàn quốc");
  return c;
}

class CompetitionTest : public registry::testing::RegistryTest {
 protected:
  void SetUp() override {
    RegistryTest::SetUp();
    if (HasFatalFailure()) return;
    CreateNational();
    ASSERT_TRUE(CreateProvince("14", "Sơn La").ok());
    ASSERT_TRUE(CreateProvince("20", "Lạng Sơn").ok());
    ASSERT_TRUE(CreateProvince("38", "Thanh Hoá").ok());
    for (const auto& [code, parent] : std::vector<std::pair<std::string, std::string>>{
             {"14-LS", "14"}, {"14-DD", "14"}, {"14-KT", "14"}, {"20-DD", "20"}, {"38-KT", "38"}}) {
      v1::Organization out;
      ASSERT_TRUE(
          CreateAssociation(code, parent, "Hội " + code, RegistryTest::Admin().get(), &out).ok())
          << code;
    }
    ASSERT_TRUE(
        fed::ApplyMigrations(db_->OwnerUrl("competition"), "competition", Migrations()).ok());
    comp_pool_ = std::make_unique<fed::DbPool>(db_->RuntimeUrl("competition"), "competition", 4);
    directory_ = std::make_unique<Directory>(server_->channel());
    logic_ = std::make_unique<Competition>(*comp_pool_, *directory_);
    // Its own workers, as in production where it is its own process.
    comp_workers_ = std::make_unique<fed::WorkerPool>(4);
    comp_service_ = std::make_unique<CompetitionGrpcService>(
        logic_.get(), fed::CallContext{&fedtest::TestVerifier("competition"), comp_workers_.get()});
    comp_server_ =
        std::make_unique<fedtest::LoopbackServer>(std::vector<grpc::Service*>{comp_service_.get()});
    comp_ = v1::CompetitionService::NewStub(comp_server_->channel());
  }

  void TearDown() override {
    comp_server_.reset();
    comp_workers_.reset();
    comp_service_.reset();
    logic_.reset();
    directory_.reset();
    comp_pool_.reset();
    RegistryTest::TearDown();
  }

  template <typename Req, typename Resp>
  grpc::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
                    const Who& who, const Req& req, Resp* resp) {
    auto ctx = ContextOf(who);
    return (comp_.get()->*method)(ctx.get(), req, resp);
  }

  // Creates a contest and returns its id (0 on failure, with the failure recorded).
  int64_t Create(const v1::Contest& contest, const Who& who) {
    v1::CreateContestRequest req;
    *req.mutable_contest() = contest;
    v1::Contest out;
    grpc::Status s = Call(&Stub::CreateContest, who, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out.id();
  }

  grpc::Status Move(int64_t id, v1::ContestState to, const Who& who, bool force = false) {
    v1::TransitionContestRequest req;
    req.set_id(id);
    req.set_to(to);
    req.set_force(force);
    v1::Contest out;
    return Call(&Stub::TransitionContest, who, req, &out);
  }

  static v1::Entry MakeEntry(int64_t contest, const std::string& title, const std::string& source,
                             const std::string& field,
                             std::vector<std::string> authors = {"Lò Văn Minh"}) {
    v1::Entry e;
    e.set_contest_id(contest);
    e.set_title(title);
    e.set_source_organization_code(source);
    e.set_field(field);
    e.set_summary("Giải pháp kỹ thuật");
    for (const auto& name : authors) {
      auto* a = e.add_authors();
      a->set_name(name);
      a->set_role("tác giả");
    }
    return e;
  }

  grpc::Status Submit(const v1::Entry& entry, const Who& who, v1::Entry* out) {
    v1::SubmitEntryRequest req;
    *req.mutable_entry() = entry;
    return Call(&Stub::SubmitEntry, who, req, out);
  }

  int64_t SubmitOk(const v1::Entry& entry, const Who& who) {
    v1::Entry out;
    grpc::Status s = Submit(entry, who, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out.id();
  }

  void AddJudge(int64_t contest, const std::string& subject, const std::string& org,
                std::vector<std::string> fields, const Who& who) {
    v1::AddJudgeRequest req;
    req.mutable_judge()->set_contest_id(contest);
    req.mutable_judge()->set_subject(subject);
    req.mutable_judge()->set_name("GS. " + subject);
    req.mutable_judge()->set_organization_code(org);
    for (const auto& f : fields) req.mutable_judge()->add_fields(f);
    v1::Judge out;
    grpc::Status s = Call(&Stub::AddJudge, who, req, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  grpc::Status Score(const Who& judge, int64_t entry, double novelty, double applicability,
                     double effectiveness, v1::ScoreSheet* out = nullptr) {
    v1::SubmitScoreSheetRequest req;
    req.mutable_sheet()->set_entry_id(entry);
    const std::pair<const char*, double> points[] = {
        {"novelty", novelty}, {"applicability", applicability}, {"effectiveness", effectiveness}};
    for (const auto& [code, p] : points) {
      auto* s = req.mutable_sheet()->add_scores();
      s->set_criterion_code(code);
      s->set_points(p);
    }
    v1::ScoreSheet sheet;
    grpc::Status status = Call(&Stub::SubmitScoreSheet, judge, req, out ? out : &sheet);
    return status;
  }

  v1::Entry GetEntry(int64_t id, const Who& who = NationalAdmin()) {
    v1::GetEntryRequest req;
    req.set_entry_id(id);
    v1::Entry out;
    EXPECT_TRUE(Call(&Stub::GetEntry, who, req, &out).ok());
    return out;
  }

  v1::GetResultsResponse Results(int64_t contest, const Who& who, grpc::Status* status = nullptr) {
    v1::GetResultsRequest req;
    req.set_contest_id(contest);
    v1::GetResultsResponse out;
    grpc::Status s = Call(&Stub::GetResults, who, req, &out);
    if (status)
      *status = s;
    else
      EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  std::vector<int64_t> EntryIds(int64_t contest, const Who& who, bool include_withdrawn = false) {
    v1::ListEntriesRequest req;
    req.set_contest_id(contest);
    req.set_include_withdrawn(include_withdrawn);
    v1::ListEntriesResponse out;
    grpc::Status s = Call(&Stub::ListEntries, who, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    std::vector<int64_t> ids;
    for (const auto& e : out.entries()) ids.push_back(e.id());
    return ids;
  }

  int CompetitionAuditCount() {
    pqxx::connection conn(db_->url());
    pqxx::work txn(conn);
    return txn.exec1("SELECT count(*) FROM competition.audit_log")[0].as<int>();
  }

  // A Sơn La contest, open, with entries from `sources` (one per source, field Agri).
  int64_t OpenContestWithEntries(const std::vector<std::string>& sources, std::vector<int64_t>* ids,
                                 int min_judges = 3, int edition = 5) {
    v1::Contest c = SonLaContest(edition);
    c.set_min_judges_per_entry(min_judges);
    const int64_t id = Create(c, Organiser("14"));
    EXPECT_TRUE(Move(id, v1::CONTEST_STATE_OPEN, Organiser("14")).ok());
    int n = 0;
    for (const auto& source : sources) {
      ids->push_back(SubmitOk(MakeEntry(id, absl::StrCat("Giải pháp số ", ++n), source, kAgri),
                              Organiser("14")));
    }
    return id;
  }

  std::unique_ptr<fed::DbPool> comp_pool_;
  std::unique_ptr<Directory> directory_;
  std::unique_ptr<Competition> logic_;
  std::unique_ptr<fed::WorkerPool> comp_workers_;
  std::unique_ptr<CompetitionGrpcService> comp_service_;
  std::unique_ptr<fedtest::LoopbackServer> comp_server_;
  std::unique_ptr<Stub> comp_;
};

}  // namespace competition::testing

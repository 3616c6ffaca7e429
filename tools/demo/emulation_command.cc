// `fed-demo emulation`: carries cluster 1's 2025 emulation year through
// every state through the emulation service's public API, as the people of
// the cycle would: the national office opens the year, each member registers,
// the head signs the covenant, members assess themselves with evidence, the
// head and deputy cross-check (one change with its reason, one answer), the
// year-end conference votes (a tie for the certificates goes to a re-ballot),
// the head submits the dossier, the council returns it once and then
// approves it, the President decides, the awards are presented, and the
// Prime Minister grants the Government flag.
//
// The 2025 year is history, but its deadlines are set from the day the demo
// is loaded (self-assessment due in 14 days), so that it can be carried
// through today; every day a step names is today or earlier. Resumable:
// it carries on from the state the year is in, so running it again changes
// nothing; --stop_at leaves the year in an earlier state (the browser tests
// stop where a member or the head has work to do).
#include <algorithm>
#include <cmath>
#include <iostream>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "federation/v1/emulation.grpc.pb.h"
#include "services/common/dates.h"
#include "services/common/enum_names.h"
#include "services/common/topology.h"
#include "tools/demo/commands.h"
#include "tools/fedctl/commands.h"
#include "tools/fedctl/credentials.h"
#include "tools/fedctl/service_client.h"

namespace fedctl::demo {
namespace {

namespace v1 = federation::v1;
using Client = ServiceClient<v1::EmulationService>;
using Stub = Client::Stub;

constexpr absl::Duration kDemoTokenLifetime = absl::Minutes(30);
constexpr int kYear = 2025;
constexpr int kCluster = 1;
// Each member unit sends two delegates to the year-end conference.
constexpr int kDelegatesPerMember = 2;

v1::YearKey Key() {
  v1::YearKey key;
  key.set_organiser_code("VUSTA");
  key.set_year(kYear);
  key.set_cluster_number(kCluster);
  return key;
}

std::string Day(absl::CivilDay day) { return fed::FormatDate(day); }

class YearRunner {
 public:
  YearRunner(std::shared_ptr<grpc::Channel> channel, const fed::TokenIssuer& issuer,
             const std::string& user, v1::YearState stop_at)
      : channel_(std::move(channel)),
        issuer_(issuer),
        admin_(channel_, MintToken(issuer, absl::StrCat("fedctl-demo-office@", user), "VUSTA",
                                   v1::ROLE_NATIONAL_ADMIN, kDemoTokenLifetime)),
        council_(channel_, MintToken(issuer, absl::StrCat("fedctl-demo-council@", user), "VUSTA",
                                     v1::ROLE_NATIONAL_REVIEWER, kDemoTokenLifetime)),
        stop_at_(stop_at),
        today_(fed::Today()) {}

  const std::string& doing() const { return doing_; }
  const v1::EmulationYear& year() const { return year_; }

  absl::Status Run() {
    RETURN_IF_ERROR(OpenYear());
    // Awarded is the end; revoked too (the national office revoked the
    // demo's awards after it ran: the demo leaves that alone).
    while (year_.state() != stop_at_ && year_.state() != v1::YEAR_STATE_AWARDED &&
           year_.state() != v1::YEAR_STATE_REVOKED) {
      const v1::YearState before = year_.state();
      RETURN_IF_ERROR(Step());
      if (year_.state() == before) {
        return absl::InternalError(
            absl::StrCat("the demo made no progress in state ", fed::EnumWordLower(before)));
      }
    }
    if (year_.state() == v1::YEAR_STATE_AWARDED && stop_at_ == v1::YEAR_STATE_AWARDED) {
      RETURN_IF_ERROR(GovernmentOutcome());
    }
    return absl::OkStatus();
  }

 private:
  // A member's own staff.
  Client Member(const std::string& code) {
    return Client(channel_, MintToken(issuer_, absl::StrCat("demo-clerk@", code), code,
                                      v1::ROLE_PROVINCE_REPORTER, kDemoTokenLifetime));
  }
  std::string Head() const { return year_.covenant().head_code(); }
  std::string Deputy() const { return year_.covenant().deputy_code(); }
  std::vector<std::string> TakingPart() const {
    std::vector<std::string> codes;
    for (const auto& m : year_.members()) {
      if (m.takes_part()) codes.push_back(m.organization_code());
    }
    return codes;
  }

  template <typename Req>
  absl::Status Do(Client& as,
                  grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&,
                                               v1::EmulationYear*),
                  Req req) {
    *req.mutable_key() = Key();
    return as.Call(method, req, &year_);
  }

  absl::Status OpenYear() {
    doing_ = "reading the 2025 year of cluster 1";
    v1::GetYearRequest get;
    *get.mutable_key() = Key();
    absl::Status status = admin_.Call(&Stub::GetYear, get, &year_);
    if (status.code() != absl::StatusCode::kNotFound) return status;
    doing_ = "opening the 2025 year of cluster 1";
    v1::CreateYearRequest create;
    v1::EmulationYear& y = *create.mutable_year();
    *y.mutable_key() = Key();
    y.set_name("Năm thi đua 2025 – Cụm thi đua số 1 (Tây Bắc)");
    y.set_start_date("2025-01-01");
    y.set_end_date("2025-12-31");
    y.set_ranking_period("2025");
    y.set_self_assessment_due(Day(today_ + 14));
    y.set_self_assessment_closes(Day(today_ + 28));
    return admin_.Call(&Stub::CreateYear, create, &year_);
  }

  absl::Status Step() {
    switch (year_.state()) {
      case v1::YEAR_STATE_SCHEME_ISSUED:
        return Covenant();
      case v1::YEAR_STATE_COVENANT_SIGNED:
        return absl::FailedPreconditionError("the 2025 year has not started: check the clock");
      case v1::YEAR_STATE_IN_PROGRESS:
        return SelfAssessments();
      case v1::YEAR_STATE_SELF_ASSESSED:
        return CrossChecks();
      case v1::YEAR_STATE_CROSS_CHECKED:
        return Conference();
      case v1::YEAR_STATE_VOTED:
      case v1::YEAR_STATE_DOSSIER_RETURNED:
        return SubmitDossier();
      case v1::YEAR_STATE_DOSSIER_SUBMITTED:
        return CouncilReview();
      case v1::YEAR_STATE_COUNCIL_REVIEWED:
        return Decide();
      case v1::YEAR_STATE_DECIDED:
        return Present();
      default:
        return absl::FailedPreconditionError(
            absl::StrCat("the demo year is ", fed::EnumWordLower(year_.state())));
    }
  }

  absl::StatusOr<std::string> Upload(Client& as, const std::string& name,
                                     const std::string& content) {
    v1::UploadFileRequest req;
    *req.mutable_key() = Key();
    req.set_name(name);
    req.set_media_type("text/plain; charset=utf-8");
    req.set_content(content);
    v1::FileRef out;
    RETURN_IF_ERROR(as.Call(&Stub::UploadFile, req, &out));
    return out.sha256();
  }

  absl::Status Covenant() {
    std::set<std::string> registered;
    for (const auto& r : year_.registrations()) registered.insert(r.organization_code());
    int n = 0;
    for (const auto& m : year_.members()) {
      ++n;
      if (registered.count(m.organization_code()) > 0) continue;
      doing_ = absl::StrCat("registering ", m.organization_code(), "'s targets");
      v1::RegisterRequest reg;
      v1::Registration& r = *reg.mutable_registration();
      r.set_organization_code(m.organization_code());
      const auto target = [&](const char* code, double value, const char* note) {
        auto* t = r.add_targets();
        t->set_code(code);
        t->set_value(value);
        t->set_note(note);
      };
      target("workshops", 8 + 2 * n, "hội thảo, tọa đàm khoa học");
      target("consultancy", 3 + n, "nhiệm vụ tư vấn, phản biện");
      r.add_aims(v1::AWARD_KIND_MERIT_CERTIFICATE);
      if (n <= 2) r.add_aims(v1::AWARD_KIND_UNION_FLAG);
      Client member = Member(m.organization_code());
      // A member that has since merged no longer writes: the office records it.
      absl::Status s =
          m.takes_part() ? Do(member, &Stub::Register, reg) : Do(admin_, &Stub::Register, reg);
      RETURN_IF_ERROR(s);
    }
    doing_ = "signing the covenant";
    Client head = Member(Head());
    ASSIGN_OR_RETURN(std::string document,
                     Upload(head, "giao-uoc-thi-dua-cum-1-2025.txt",
                            "GIAO ƯỚC THI ĐUA NĂM 2025 – CỤM THI ĐUA SỐ 1 (bản ký, demo)"));
    v1::SignCovenantRequest sign;
    v1::Covenant& c = *sign.mutable_covenant();
    c.set_rules(
        "Quy chế hoạt động Cụm thi đua số 1: cụm trưởng, cụm phó luân phiên hằng năm; tự chấm "
        "điểm có minh chứng, chấm chéo, bình xét và suy tôn bằng phiếu kín tại hội nghị tổng kết.");
    c.set_plan_number("01/KH-CTĐ1");
    c.set_head_code(Head());
    c.set_deputy_code(Deputy());
    c.set_signed_on("2025-03-20");
    c.mutable_signed_document()->set_sha256(document);
    return Do(head, &Stub::SignCovenant, sign);
  }

  // The three columns so far; the computed one guides the demo's scores.
  absl::StatusOr<v1::Assessment> Assessment() {
    v1::GetAssessmentRequest req;
    *req.mutable_key() = Key();
    v1::Assessment out;
    RETURN_IF_ERROR(admin_.Call(&Stub::GetAssessment, req, &out));
    return out;
  }

  absl::Status SelfAssessments() {
    ASSIGN_OR_RETURN(v1::Assessment table, Assessment());
    for (const auto& m : table.members()) {
      if (!m.takes_part() || m.self_assessed()) continue;
      doing_ = absl::StrCat("self-assessment of ", m.organization_code());
      Client member = Member(m.organization_code());
      v1::SubmitSelfAssessmentRequest req;
      req.mutable_sheet()->set_organization_code(m.organization_code());
      int i = 0;
      for (const auto& c : m.criteria()) {
        auto* s = req.mutable_sheet()->add_scores();
        s->set_criterion_code(c.criterion_code());
        // Members round their computed score up, and one claims more than it can show.
        double points =
            std::min(c.max_points(), std::ceil(c.computed_points()) + (i++ == 0 ? 2 : 0));
        s->set_points(points);
        s->set_explanation(
            absl::StrCat("Theo báo cáo năm 2025 của đơn vị (", c.criterion_name(), ")"));
        if (points > 0) {
          auto* e = s->add_evidence();
          e->set_url(absl::StrCat("https://demo.vusta.vn/minh-chung/2025/", m.organization_code(),
                                  "/", c.criterion_code(), ".pdf"));
          e->set_description("Báo cáo, quyết định kèm theo");
        }
      }
      ASSIGN_OR_RETURN(
          std::string scan,
          Upload(member, absl::StrCat("bao-cao-tong-ket-2025-", m.organization_code(), ".txt"),
                 absl::StrCat("Báo cáo tổng kết năm 2025 của ", m.organization_name())));
      auto* extra = req.mutable_sheet()->mutable_scores(0)->add_evidence();
      extra->mutable_file()->set_sha256(scan);
      extra->set_description("Báo cáo tổng kết năm (bản quét)");
      RETURN_IF_ERROR(Do(member, &Stub::SubmitSelfAssessment, req));
    }
    doing_ = "closing self-assessment";
    Client head = Member(Head());
    return Do(head, &Stub::CloseSelfAssessment, v1::CloseSelfAssessmentRequest());
  }

  absl::Status CrossChecks() {
    ASSIGN_OR_RETURN(v1::Assessment table, Assessment());
    for (const auto& m : table.members()) {
      if (!m.takes_part() || m.cross_checked()) continue;
      doing_ = absl::StrCat("cross-checking ", m.organization_code());
      Client checker = Member(m.organization_code() == Head() ? Deputy() : Head());
      v1::CrossCheckRequest req;
      req.mutable_check()->set_organization_code(m.organization_code());
      for (const auto& c : m.criteria()) {
        auto* k = req.mutable_check()->add_checks();
        k->set_criterion_code(c.criterion_code());
        // The officers accept what the evidence shows: the computed score.
        const double verified = std::min(c.self_points(), std::ceil(c.computed_points()));
        k->set_verified_points(verified);
        if (verified != c.self_points()) {
          k->set_reason(
              "Số hội thảo có quyết định tổ chức ít hơn số tự khai; trừ phần chưa có minh chứng");
        }
      }
      RETURN_IF_ERROR(Do(checker, &Stub::CrossCheck, req));
      if (m.organization_code() != Head() && m.organization_code() != Deputy() &&
          year_.answers_size() == 0) {
        doing_ = absl::StrCat("the answer of ", m.organization_code());
        Client member = Member(m.organization_code());
        v1::AnswerCrossCheckRequest answer;
        answer.mutable_answer()->set_organization_code(m.organization_code());
        answer.mutable_answer()->set_criterion_code(m.criteria(0).criterion_code());
        answer.mutable_answer()->set_text(
            "Đơn vị thống nhất với kết quả chấm chéo; sẽ bổ sung quyết định tổ chức hội thảo vào "
            "năm sau.");
        RETURN_IF_ERROR(Do(member, &Stub::AnswerCrossCheck, answer));
      }
    }
    doing_ = "closing the cross-check";
    Client head = Member(Head());
    return Do(head, &Stub::CloseCrossCheck, v1::CloseCrossCheckRequest());
  }

  bool Decided(v1::BallotKind kind) const {
    bool decided = false;
    for (const auto& b : year_.ballots()) {
      if (b.tally().kind() == kind) decided = b.outcome() == v1::BALLOT_OUTCOME_DECIDED;
    }
    return decided;
  }
  bool Held(v1::BallotKind kind) const {
    return std::any_of(year_.ballots().begin(), year_.ballots().end(),
                       [&](const auto& b) { return b.tally().kind() == kind; });
  }

  absl::Status Ballot(Client& head, v1::BallotKind kind,
                      std::vector<std::pair<std::string, int>> votes, int invalid = 0) {
    doing_ = absl::StrCat("the ", fed::EnumWordLower(kind), " ballot");
    const int entitled = static_cast<int>(TakingPart().size()) * kDelegatesPerMember;
    v1::RecordBallotRequest req;
    v1::BallotTally& t = *req.mutable_tally();
    t.set_kind(kind);
    t.set_held_on(Day(today_));
    t.set_entitled(entitled);
    t.set_present(entitled);
    t.set_ballots_issued(entitled);
    t.set_valid(entitled - invalid);
    t.set_invalid(invalid);
    for (const auto& [code, n] : votes) {
      auto* c = t.add_votes();
      c->set_organization_code(code);
      c->set_votes(n);
    }
    return Do(head, &Stub::RecordBallot, req);
  }

  absl::Status Conference() {
    ASSIGN_OR_RETURN(v1::Assessment table, Assessment());
    std::vector<std::string> ranked;  // best first
    for (const auto& m : table.members()) {
      if (m.takes_part()) ranked.push_back(m.organization_code());
    }
    if (ranked.size() < 4) return absl::FailedPreconditionError("the demo needs 4 members");
    const int e = static_cast<int>(ranked.size()) * kDelegatesPerMember;  // 8
    Client head = Member(Head());
    if (!Held(v1::BALLOT_KIND_UNION_FLAG)) {
      RETURN_IF_ERROR(
          Ballot(head, v1::BALLOT_KIND_UNION_FLAG, {{ranked[0], e - 1}, {ranked[1], 1}}));
    }
    // Two certificates: the first round ties for the second one.
    if (!Held(v1::BALLOT_KIND_MERIT_CERTIFICATE)) {
      // Eight delegates with two choices each: 6, 5 and 5, all above half.
      RETURN_IF_ERROR(Ballot(head, v1::BALLOT_KIND_MERIT_CERTIFICATE,
                             {{ranked[0], e - 2}, {ranked[1], e / 2 + 1}, {ranked[2], e / 2 + 1}}));
    }
    if (!Decided(v1::BALLOT_KIND_MERIT_CERTIFICATE)) {
      RETURN_IF_ERROR(
          Ballot(head, v1::BALLOT_KIND_MERIT_CERTIFICATE, {{ranked[1], e - 2}, {ranked[2], 1}}, 1));
    }
    if (!Held(v1::BALLOT_KIND_GOVERNMENT_FLAG)) {
      RETURN_IF_ERROR(Ballot(head, v1::BALLOT_KIND_GOVERNMENT_FLAG, {{Head(), e}}));
    }
    // The head and deputy rotate: this year's deputy leads next year.
    if (!Held(v1::BALLOT_KIND_NEXT_HEAD)) {
      RETURN_IF_ERROR(Ballot(head, v1::BALLOT_KIND_NEXT_HEAD, {{Deputy(), e}}));
    }
    if (!Held(v1::BALLOT_KIND_NEXT_DEPUTY)) {
      std::string next_deputy;
      for (const auto& code : ranked) {
        if (code != Head() && code != Deputy()) {
          next_deputy = code;
          break;
        }
      }
      RETURN_IF_ERROR(Ballot(head, v1::BALLOT_KIND_NEXT_DEPUTY, {{next_deputy, e - 1}}, 1));
    }
    doing_ = "closing the vote";
    v1::CloseVotingRequest close;
    close.mutable_conference()->set_held_on(Day(today_));
    close.mutable_conference()->set_place("Hội trường LHH tỉnh Lào Cai");
    close.mutable_conference()->set_chair("Chủ tịch LHH tỉnh Lào Cai (cụm trưởng)");
    close.mutable_conference()->set_secretary("Chánh Văn phòng LHH tỉnh Điện Biên");
    return Do(head, &Stub::CloseVoting, close);
  }

  absl::Status SubmitDossier() {
    doing_ = "submitting the dossier";
    Client head = Member(Head());
    const bool again = year_.state() == v1::YEAR_STATE_DOSSIER_RETURNED;
    ASSIGN_OR_RETURN(std::string minutes,
                     Upload(head, "bien-ban-hoi-nghi-va-kiem-phieu.txt",
                            "Biên bản hội nghị tổng kết và biên bản kiểm phiếu (bản ký, demo)"));
    v1::SubmitDossierRequest req;
    req.mutable_dossier()->set_letter_number(again ? "15/TTr-CTĐ1" : "12/TTr-CTĐ1");
    req.mutable_dossier()->set_letter_date(Day(today_));
    req.mutable_dossier()->mutable_signed_minutes()->set_sha256(minutes);
    if (again) {
      ASSIGN_OR_RETURN(std::string count,
                       Upload(head, "bien-ban-kiem-phieu-co-chu-ky.txt",
                              "Biên bản kiểm phiếu có đủ chữ ký ban kiểm phiếu (demo)"));
      req.mutable_dossier()->add_attachments()->set_sha256(count);
      req.mutable_dossier()->set_note("Bổ sung biên bản kiểm phiếu có đủ chữ ký ban kiểm phiếu");
    }
    return Do(head, &Stub::SubmitDossier, req);
  }

  absl::Status CouncilReview() {
    doing_ = "the council's review";
    v1::ReviewDossierRequest req;
    req.set_held_on(Day(today_));
    v1::CouncilVote& vote = *req.mutable_vote();
    vote.set_members(9);
    vote.set_present(7);
    // The first time, the council finds the vote count unsigned and returns it.
    if (year_.reviews_size() == 0) {
      vote.set_in_favour(2);
      vote.set_against(4);
      vote.set_abstaining(1);
      req.set_return_reason("Biên bản kiểm phiếu thiếu chữ ký của ban kiểm phiếu; đề nghị bổ sung");
    } else {
      vote.set_in_favour(6);
      vote.set_against(0);
      vote.set_abstaining(1);
    }
    return Do(council_, &Stub::ReviewDossier, req);
  }

  absl::Status Decide() {
    doing_ = "the President's decision";
    v1::DecideRequest req;
    v1::Decision& d = *req.mutable_decision();
    d.set_number(absl::StrCat(kYear + 1, "/QĐ-LHHVN-TĐKT (demo)"));
    d.set_decided_on(Day(today_));
    d.set_signer("Chủ tịch Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam");
    for (const auto& p : year_.dossier().proposals()) {
      if (p.kind() == v1::AWARD_KIND_GOVERNMENT_FLAG) {
        d.set_forward_government_flag(true);
      } else {
        *d.add_grants() = p;
      }
    }
    return Do(admin_, &Stub::Decide, req);
  }

  absl::Status Present() {
    doing_ = "presenting the awards";
    v1::PresentAwardsRequest req;
    req.set_presented_on(Day(today_));
    req.set_occasion("Hội nghị tổng kết công tác thi đua, khen thưởng năm 2025");
    return Do(admin_, &Stub::PresentAwards, req);
  }

  absl::Status GovernmentOutcome() {
    for (const auto& a : year_.awards()) {
      if (a.kind() != v1::AWARD_KIND_GOVERNMENT_FLAG || a.state() != v1::AWARD_STATE_PROPOSED)
        continue;
      doing_ = "the Prime Minister's decision on the Government flag";
      v1::RecordGovernmentOutcomeRequest req;
      req.set_granted(true);
      req.set_decision_number("QĐ-TTg (demo)");
      req.set_decided_on(Day(today_));
      return Do(admin_, &Stub::RecordGovernmentOutcome, req);
    }
    return absl::OkStatus();
  }

  std::shared_ptr<grpc::Channel> channel_;
  const fed::TokenIssuer& issuer_;
  Client admin_;
  Client council_;
  v1::YearState stop_at_;
  absl::CivilDay today_;
  v1::EmulationYear year_;
  std::string doing_;
};

v1::YearState StopAt(const Invocation& invocation) {
  const std::string word = invocation.Get("stop_at");
  if (word.empty()) return v1::YEAR_STATE_AWARDED;
  for (int s = v1::YEAR_STATE_SCHEME_ISSUED; s <= v1::YEAR_STATE_AWARDED; ++s) {
    if (fed::EnumWordLower(static_cast<v1::YearState>(s)) == word) {
      return static_cast<v1::YearState>(s);
    }
  }
  throw UsageError(absl::StrCat("--stop_at: no state \"", word,
                                "\" (scheme_issued, in_progress, self_assessed, cross_checked, "
                                "voted, dossier_submitted, ..., awarded)"));
}

int RunDemoEmulation(const Invocation& invocation) {
  auto issuer = LoadTokenIssuer(invocation.global());
  if (!issuer.ok()) {
    throw UsageError(absl::StrCat("fed-demo emulation mints tokens for the cluster's people: ",
                                  issuer.status().message()));
  }
  const std::string target = ServiceTarget(invocation, "emulation", "FED_EMULATION_TARGET",
                                           fed::DefaultAddress("emulation"));
  YearRunner runner(fed::OpenChannel(target), *issuer, CurrentUser(), StopAt(invocation));
  if (absl::Status s = runner.Run(); !s.ok()) return ReportRpcError(runner.doing(), s);
  const v1::EmulationYear& y = runner.year();
  std::cout << "emulation year " << y.key().year() << " of cluster " << y.key().cluster_number()
            << ": " << fed::EnumWordLower(y.state()) << " (revision " << y.revision() << ", "
            << y.transitions_size() << " transitions, " << y.awards_size() << " awards)\n";
  return 0;
}

}  // namespace

CommandSpec EmulationCommand() {
  CommandSpec command =
      Command("emulation",
              "Carry cluster 1's 2025 emulation year from covenant to award (or --stop_at a "
              "state); safe to run again.",
              RunDemoEmulation);
  command.Option("emulation", "HOST:PORT",
                 absl::StrCat("emulation service address (env FED_EMULATION_TARGET, default ",
                              fed::DefaultAddress("emulation"), ")"));
  command.Option("stop_at", "STATE", "leave the year in this state (default: carry it through)");
  return command;
}

}  // namespace fedctl::demo

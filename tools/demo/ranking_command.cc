// `fed-demo ranking`: defines the 2025 demo scoring scheme in the ranking
// service through its public API (DefineScheme). Idempotent: the service
// answers an identical scheme with the version it has ("already defined").
#include <iostream>

#include "absl/strings/str_cat.h"
#include "services/common/topology.h"
#include "tools/demo/commands.h"
#include "tools/fedctl/commands.h"
#include "tools/fedctl/ranking_client.h"

namespace fedctl::demo {
namespace {

namespace v1 = federation::v1;
using Stub = RankingClient::Stub;

// The 2025 demo scheme: what a cluster adopts at its covenant conference.
v1::ScoringScheme DemoScheme() {
  v1::ScoringScheme s;
  s.set_year(2025);
  s.set_name("Bảng chấm điểm thi đua cụm 2025");
  s.set_note("demo: adopted at the 2025 covenant-signing conferences");
  s.set_total_points(100);
  auto add = [&](const char* code, const char* name, v1::CriterionSource source,
                 const char* indicator, double max_points, v1::Normalisation n) {
    auto* c = s.add_criteria();
    c->set_code(code);
    c->set_name(name);
    c->set_source(source);
    c->set_indicator_code(indicator);
    c->set_max_points(max_points);
    c->set_normalisation(n);
    return c;
  };
  add("consultancy", "Tư vấn, phản biện và giám định xã hội", v1::CRITERION_SOURCE_INDICATOR,
      "consultancy_tasks", 25, v1::NORMALISATION_SHARE_OF_BEST);
  auto* w = add("workshops", "Hội thảo khoa học", v1::CRITERION_SOURCE_INDICATOR, "workshops", 20,
                v1::NORMALISATION_LINEAR);
  w->set_lower(0);
  w->set_upper(20);
  auto* contests = add("contests", "Tổ chức Hội thi STKT", v1::CRITERION_SOURCE_CONTEST,
                       "tech_contest_held", 15, v1::NORMALISATION_TABLE);
  auto* step = contests->add_table();
  step->set_at_least(1);
  step->set_share(1);
  add("honoured", "Tôn vinh trí thức", v1::CRITERION_SOURCE_INDICATOR, "intellectuals_honoured", 20,
      v1::NORMALISATION_SHARE_OF_BEST);
  auto* t = add("timeliness", "Báo cáo đúng hạn", v1::CRITERION_SOURCE_TIMELINESS, "", 20,
                v1::NORMALISATION_LINEAR);
  t->set_lower(0);
  t->set_upper(1);
  auto* late = s.add_rules();
  late->set_code("late");
  late->set_name("Báo cáo muộn");
  late->set_kind(v1::SCORING_RULE_KIND_LATE_REPORT_PENALTY);
  late->set_points(5);
  auto* awards = s.add_rules();
  awards->set_code("vifotec");
  awards->set_name("Giải thưởng VIFOTEC");
  awards->set_kind(v1::SCORING_RULE_KIND_INDICATOR_BONUS);
  awards->set_indicator_code("national_awards");
  awards->set_threshold(1);
  awards->set_points(2);
  // The demo's own voting rules (the law's percentages changed in 2024 and
  // 2025; a real scheme states the ones its year follows).
  auto ballot = [&](v1::BallotKind kind, double quorum, double threshold, v1::ThresholdBase base,
                    bool more_than, bool written, int seats, const char* basis) {
    auto* r = s.add_ballot_rules();
    r->set_kind(kind);
    r->set_quorum(quorum);
    r->set_threshold(threshold);
    r->set_threshold_of(base);
    r->set_more_than(more_than);
    r->set_count_written_opinions(written);
    r->set_seats(seats);
    r->set_basis(basis);
  };
  constexpr double kTwoThirds = 2.0 / 3.0;
  ballot(v1::BALLOT_KIND_UNION_FLAG, kTwoThirds, 0.5, v1::THRESHOLD_BASE_PRESENT, true, true, 1,
         "Quy chế cụm 2025 (demo), điều 8: quá nửa số người dự, kể cả ý kiến bằng văn bản");
  ballot(v1::BALLOT_KIND_MERIT_CERTIFICATE, kTwoThirds, 0.5, v1::THRESHOLD_BASE_VALID_BALLOTS, true,
         false, 2, "Quy chế cụm 2025 (demo), điều 9: quá nửa số phiếu hợp lệ");
  ballot(v1::BALLOT_KIND_GOVERNMENT_FLAG, kTwoThirds, 0.9, v1::THRESHOLD_BASE_ENTITLED, false, true,
         1, "Quy chế cụm 2025 (demo), điều 10: từ 90% tổng số thành viên");
  ballot(v1::BALLOT_KIND_NEXT_HEAD, kTwoThirds, 0.5, v1::THRESHOLD_BASE_VALID_BALLOTS, true, false,
         1, "Quy chế cụm 2025 (demo), điều 5: cụm trưởng được bầu quá nửa phiếu hợp lệ");
  ballot(v1::BALLOT_KIND_NEXT_DEPUTY, kTwoThirds, 0.5, v1::THRESHOLD_BASE_VALID_BALLOTS, true,
         false, 1, "Quy chế cụm 2025 (demo), điều 5: cụm phó được bầu quá nửa phiếu hợp lệ");
  ballot(v1::BALLOT_KIND_COUNCIL_REVIEW, kTwoThirds, 0.5, v1::THRESHOLD_BASE_PRESENT, true, false,
         0, "Hội đồng thi đua – khen thưởng: họp khi có hai phần ba, quyết theo đa số");
  return s;
}

int RunDemoRanking(const Invocation& invocation) {
  v1::DefineSchemeRequest req;
  *req.mutable_scheme() = DemoScheme();
  v1::DefineSchemeResponse out;
  if (auto s = RankingClient::Connect(invocation).Call(&Stub::DefineScheme, req, &out); !s.ok()) {
    return ReportRpcError("defining the 2025 demo scoring scheme", s);
  }
  return Show(invocation, out, [&] {
    std::cout << (out.created() ? "defined" : "already defined") << ": scoring scheme "
              << out.scheme().year() << " version " << out.scheme().version() << " ("
              << out.scheme().criteria_size() << " criteria, " << out.scheme().rules_size()
              << " rules)\n";
  });
}

}  // namespace

CommandSpec RankingCommand() {
  CommandSpec c =
      Command("ranking", "Define the 2025 demo scoring scheme (idempotent).", RunDemoRanking);
  c.Option("ranking", "HOST:PORT",
           absl::StrCat("ranking service address (env FED_RANKING_TARGET, default ",
                        fed::DefaultAddress("ranking"), ")"));
  return c;
}

}  // namespace fedctl::demo

#include "tools/demo/demo_reports.h"
#include "tools/demo/demo_random.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "services/common/catalog.h"
#include "services/common/dates.h"
#include "services/common/period.h"

namespace fedctl::demo {
namespace {

namespace v1 = federation::v1;
using fed::Period;

// ---------------------------------------------------------------------------
// Deterministic "random" choices (the same on every machine and library).
// ---------------------------------------------------------------------------

using Rng = DemoRandom;

constexpr char kSonLa[] = "14";
constexpr int kTimeZoneOffset = 7 * 3600;  // Vietnam

int64_t RoundTo10(double value) { return static_cast<int64_t>(std::llround(value / 10.0)) * 10; }

// ---------------------------------------------------------------------------
// Stocks: what an organisation has at the end of each half-year.
// ---------------------------------------------------------------------------

struct Stocks {
  int64_t member_associations = 0;
  int64_t new_member_associations = 0;  // admitted during the period (the flow)
  int64_t collective_members = 0;
  int64_t members = 0;
  int64_t intellectuals = 0;
  int64_t affiliated_units = 0;
  int64_t staff = 0;
  bool has_bulletin = false;
  bool has_website = false;
};

std::vector<Period> HalfYears(const char* from, const char* to) {
  return Period::Range(*Period::Parse(from), *Period::Parse(to));
}

// A province's stocks for every period of `periods` (consecutive
// half-years): members grow slowly towards the registry's figure at the last
// period, except Sơn La, which starts at its published "more than 200,000".
std::vector<Stocks> ProvinceStocks(const ProvinceRow& row, const std::vector<Period>& periods) {
  const size_t n = periods.size();
  const v1::Organization registered = ProvincialUnion(row);
  const bool son_la = row.code == kSonLa;
  Rng rng(absl::StrCat("stocks/", row.code));

  std::vector<double> growth(n, 0.0);  // growth during period i (i >= 1)
  for (size_t i = 1; i < n; ++i) growth[i] = static_cast<double>(rng.Between(0, 120)) / 10000.0;
  std::vector<double> members(n);
  if (son_la) {
    members[0] = 201500;
    for (size_t i = 1; i < n; ++i) members[i] = members[i - 1] * (1 + growth[i]);
  } else {
    members[n - 1] = static_cast<double>(registered.member_count());
    for (size_t i = n - 1; i > 0; --i) members[i - 1] = members[i] / (1 + growth[i]);
  }
  const double end_ratio =
      son_la ? 0.0
             : static_cast<double>(registered.intellectual_count()) /
                   static_cast<double>(std::max<int64_t>(1, registered.member_count()));

  const uint64_t bulletin_draw = static_cast<uint64_t>(rng.Below(100));
  const uint64_t website_draw = static_cast<uint64_t>(rng.Below(100));
  std::vector<Stocks> stocks(n);
  Stocks s;
  s.member_associations = son_la ? 17 : rng.Between(10, 30);
  s.collective_members = son_la ? 4 : rng.Between(0, 20);
  s.affiliated_units = son_la ? 2 : rng.Between(1, 8);
  s.staff = son_la ? 9 : rng.Between(5, 15);
  for (size_t i = 0; i < n; ++i) {
    const int year = periods[i].year;
    s.new_member_associations = 0;
    if (rng.Chance(18) && s.member_associations < 40) {
      s.new_member_associations = 1;
      if (i > 0) ++s.member_associations;  // the first period's are in the base
    }
    if (rng.Chance(10) && s.collective_members < 30) ++s.collective_members;
    if (rng.Chance(5) && s.affiliated_units < 15) ++s.affiliated_units;
    if (rng.Chance(10)) s.staff += (s.staff > 6 && rng.Chance(50)) ? -1 : 1;
    s.members = RoundTo10(members[i]);
    const double ratio = son_la
                             ? 0.0845 + 0.0005 * static_cast<double>(i)
                             : std::max(0.02, end_ratio - 0.001 * static_cast<double>(n - 1 - i));
    s.intellectuals = std::min(s.members, RoundTo10(members[i] * ratio));
    // About 60 % publish a bulletin and 70 % run a website (fewer in 2019,
    // as some start later); Sơn La has had both since 2011-2012.
    s.has_bulletin = son_la || bulletin_draw < 45 ||
                     (bulletin_draw < 60 && year >= 2020 + static_cast<int>(bulletin_draw % 5));
    s.has_website = son_la || website_draw < 55 ||
                    (website_draw < 70 && year >= 2019 + static_cast<int>(website_draw % 6));
    stocks[i] = s;
  }
  return stocks;
}

// A successor's stocks in its first period: its predecessors' together.
Stocks SuccessorStocks(const std::string& code, const std::vector<Stocks>& predecessors) {
  Rng rng(absl::StrCat("successor/", code));
  Stocks s;
  double members = 0, intellectuals = 0;
  for (const Stocks& p : predecessors) {
    s.member_associations += p.member_associations;
    s.collective_members += p.collective_members;
    members += static_cast<double>(p.members);
    intellectuals += static_cast<double>(p.intellectuals);
    s.affiliated_units += p.affiliated_units;
    s.staff += p.staff;
    s.has_bulletin = s.has_bulletin || p.has_bulletin;
    s.has_website = s.has_website || p.has_website;
  }
  const double growth = 1 + static_cast<double>(rng.Between(0, 80)) / 10000.0;
  s.members = RoundTo10(members * growth);
  s.intellectuals = std::min(s.members, RoundTo10(intellectuals * growth));
  s.new_member_associations = rng.Below(2);
  s.member_associations += s.new_member_associations;
  // A merged office keeps most, not all, of the staff of the offices merged.
  if (predecessors.size() > 1) s.staff = std::max<int64_t>(6, s.staff * 3 / 4);
  return s;
}

// ---------------------------------------------------------------------------
// Congresses: the registry's demo terms where there is one, else a
// five-year cycle from a seeded start.
// ---------------------------------------------------------------------------

bool CongressIn(const std::string& code, const Period& period, bool merged_successor) {
  for (const CongressPlan& plan : CongressPlans()) {
    if (plan.term.organization_code() != code) continue;
    auto held = fed::ParseDate(plan.term.held_on());
    if (!held.ok()) continue;
    Period p{static_cast<int>(held->year()), Period::Kind::kHalf, held->month() <= 6 ? 1 : 2};
    for (int k = 0; k < 4; ++k) {
      if (p == period) return true;
      if (k == 0 && plan.extended_to_year != 0) {
        p = Period{plan.extended_to_year, Period::Kind::kHalf, 2};
      } else {
        p.year += 5;
      }
    }
    return false;
  }
  Rng rng(absl::StrCat("congress/", code));
  const int first_year = 2019 + static_cast<int>(rng.Below(5));
  const int half = 1 + static_cast<int>(rng.Below(2));
  if (merged_successor && period.ToString() == kFirstSuccessorPeriod) return rng.Chance(50);
  return period.index == half && period.year >= first_year && (period.year - first_year) % 5 == 0;
}

// ---------------------------------------------------------------------------
// One report's values and narrative.
// ---------------------------------------------------------------------------

struct Content {
  std::map<std::string, int64_t> counts;
  std::map<std::string, bool> flags;
  v1::Narrative narrative;
};

const char* const kDifficulties[] = {
    "Kinh phí hoạt động còn hạn hẹp, chủ yếu dựa vào ngân sách tỉnh cấp.",
    "Đội ngũ cán bộ cơ quan thường trực còn mỏng, nhiều đồng chí kiêm nhiệm.",
    "Nhiệm vụ tư vấn, phản biện còn phụ thuộc vào việc đặt hàng của các cơ quan chức năng.",
    "Một số hội thành viên hoạt động còn hạn chế, chưa thu hút được hội viên trẻ.",
    "Trụ sở làm việc và trang thiết bị còn thiếu, chưa đáp ứng yêu cầu nhiệm vụ.",
};

const char* const kRecommendations[] = {
    "Đề nghị Liên hiệp Hội Việt Nam tiếp tục hỗ trợ kinh phí tổ chức Hội thi Sáng tạo Kỹ thuật.",
    "Đề nghị mở các lớp tập huấn nghiệp vụ tư vấn, phản biện và giám định xã hội cho cán bộ Liên "
    "hiệp hội.",
    "Đề nghị Liên hiệp Hội Việt Nam kiến nghị bố trí biên chế chuyên trách cho cơ quan thường "
    "trực.",
    "Đề nghị cho phép Liên hiệp hội chủ động lập kế hoạch tư vấn, phản biện và hội thảo khoa học "
    "theo dự toán đã được phê duyệt.",
    "Đề nghị tăng cường chia sẻ thông tin, tài liệu về hoạt động của hệ thống Liên hiệp hội trong "
    "cả nước.",
};

Content MakeContent(const std::string& code, const Period& period, const Stocks& s,
                    bool merged_successor) {
  Rng rng(absl::StrCat("activity/", code, "/", period.ToString()));
  // Bigger unions do somewhat more, not proportionally more (Sơn La's
  // 200,000 members are mostly its education-promotion association's).
  const double size = std::clamp(static_cast<double>(s.members) / 40000.0, 0.7, 1.6);
  const auto scaled = [&](int64_t lo, int64_t hi) {
    return std::max<int64_t>(lo, std::llround(static_cast<double>(rng.Between(lo, hi)) * size));
  };
  const bool h2 = period.index == 2;
  Content c;
  auto& n = c.counts;
  auto& f = c.flags;
  n["member_associations"] = s.member_associations;
  n["new_member_associations"] = s.new_member_associations;
  n["collective_members"] = s.collective_members;
  n["members"] = s.members;
  n["intellectuals"] = s.intellectuals;
  n["affiliated_units"] = s.affiliated_units;
  n["staff"] = s.staff;
  f["congress_held"] = CongressIn(code, period, merged_successor);

  n["consultancy_tasks"] = scaled(1, 6);
  n["law_drafts_commented"] = rng.Between(2, 18);
  n["recommendations_adopted"] = rng.Below(n["consultancy_tasks"] + 1);
  n["workshops"] = scaled(1, 4);
  n["research_projects"] = rng.Below(3);
  n["training_courses"] = rng.Between(1, 8);

  const bool tech = rng.Chance(h2 ? 80 : 10);
  f["tech_contest_held"] = tech;
  f["tech_contest_by_union"] = tech && rng.Chance(70);
  const bool youth = rng.Chance(35);
  f["youth_contest_held"] = youth;
  int64_t entries = (tech ? scaled(25, 140) : 0) + (youth ? scaled(40, 250) : 0);
  n["contest_entries"] = entries;
  n["contest_prizes"] =
      entries == 0 ? 0 : std::max<int64_t>(1, entries * rng.Between(20, 40) / 100);
  n["national_awards"] = tech ? rng.Below(3) : (rng.Chance(10) ? 1 : 0);

  f["has_bulletin"] = s.has_bulletin;
  n["bulletin_issues"] = s.has_bulletin ? rng.Between(1, 3) : 0;
  f["has_website"] = s.has_website;
  n["website_articles"] = s.has_website ? scaled(40, 260) : 0;

  // 18 May, Vietnam's S&T day, is when most provinces honour their intellectuals.
  n["honouring_events"] = h2 ? rng.Below(2) : rng.Between(0, 2);
  n["intellectuals_honoured"] = n["honouring_events"] * rng.Between(10, 35);
  n["exchange_visits"] = rng.Between(0, 5);
  n["international_activities"] = size > 1.5 ? rng.Below(3) : (rng.Chance(30) ? 1 : 0);
  n["merit_certificates"] = rng.Below(3);
  n["emulation_flags"] = h2 && rng.Chance(12) ? 1 : 0;

  std::string achievements =
      absl::StrCat("Tổ chức ", n["workshops"], " hội thảo khoa học, ", n["training_courses"],
                   " lớp tập huấn; thực hiện ", n["consultancy_tasks"],
                   " nhiệm vụ tư vấn, phản biện và giám định xã hội, góp ý ",
                   n["law_drafts_commented"], " dự thảo văn bản.");
  if (entries > 0) {
    absl::StrAppend(&achievements, " Các hội thi, cuộc thi sáng tạo thu hút ", entries,
                    " giải pháp dự thi, trao ", n["contest_prizes"], " giải.");
  }
  if (f["congress_held"])
    absl::StrAppend(&achievements, " Tổ chức thành công Đại hội đại biểu nhiệm kỳ mới.");
  if (merged_successor) {
    absl::StrAppend(&achievements,
                    " Hoàn thành sắp xếp, hợp nhất Liên hiệp hội theo Nghị quyết 202/2025/QH15.");
  }
  c.narrative.set_achievements(achievements);

  std::vector<std::string> difficulties = {rng.Pick(kDifficulties)};
  if (rng.Chance(40)) {
    const std::string second = rng.Pick(kDifficulties);
    if (second != difficulties[0]) difficulties.push_back(second);
  }
  c.narrative.set_difficulties(absl::StrJoin(difficulties, " "));
  std::set<std::string> asked;
  const int64_t how_many = 1 + rng.Below(2);
  for (int64_t i = 0; i < how_many; ++i) {
    const std::string text = rng.Pick(kRecommendations);
    if (!asked.insert(text).second) continue;
    v1::Recommendation* r = c.narrative.add_recommendations();
    r->set_number(c.narrative.recommendations_size());
    r->set_text(text);
  }
  c.narrative.set_next_period_tasks(h2 ? absl::StrCat("Triển khai kế hoạch năm ", period.year + 1,
                                                      "; tổ chức sơ kết 6 tháng đầu năm.")
                                       : absl::StrCat("Triển khai nhiệm vụ 6 tháng cuối năm ",
                                                      period.year, "; chuẩn bị tổng kết năm."));
  return c;
}

// The values in catalog order, each as the catalog types it.
void SetValues(const Content& c, v1::Report* report) {
  for (const v1::Indicator& indicator : fed::LatestCatalog().indicators()) {
    if (indicator.type() == v1::INDICATOR_TYPE_BOOLEAN) {
      auto it = c.flags.find(indicator.code());
      if (it == c.flags.end()) continue;
      v1::IndicatorValue* value = report->add_values();
      value->set_code(indicator.code());
      value->set_flag(it->second);
    } else {
      auto it = c.counts.find(indicator.code());
      if (it == c.counts.end()) continue;
      v1::IndicatorValue* value = report->add_values();
      value->set_code(indicator.code());
      value->set_count(it->second);
    }
  }
}

google::protobuf::Timestamp AtLocal(absl::CivilSecond local) {
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(
      absl::ToUnixSeconds(absl::FromCivil(local, absl::FixedTimeZone(kTimeZoneOffset))));
  return timestamp;
}

// When revision 1 went out: within the fortnight before the due date, or a
// few days to six weeks after it when late. Office hours.
absl::CivilSecond SubmissionTime(const std::string& code, const Period& period, bool late) {
  Rng rng(absl::StrCat("submitted/", code, "/", period.ToString()));
  const absl::CivilDay due = period.DueDate();
  const absl::CivilDay day = late ? due + rng.Between(2, 40) : due - rng.Below(15);
  return absl::CivilSecond(day.year(), day.month(), day.day(), static_cast<int>(rng.Between(8, 16)),
                           static_cast<int>(rng.Below(60)), 0);
}

// Why a returned report was returned, and what revision 1 got wrong.
enum class Flaw { kNoScienceFigures, kNoContestFigures, kNoDifficulties, kMembersTypo };

const char* ReturnComment(Flaw flaw) {
  switch (flaw) {
    case Flaw::kNoScienceFigures:
      return "Báo cáo còn thiếu số liệu hội thảo khoa học và lớp tập huấn, đào tạo; đề nghị bổ "
             "sung.";
    case Flaw::kNoContestFigures:
      return "Báo cáo chưa có số giải pháp dự thi và số giải thưởng của các hội thi, cuộc thi sáng "
             "tạo; "
             "đề nghị bổ sung.";
    case Flaw::kNoDifficulties:
      return "Đề nghị bổ sung phần khó khăn, vướng mắc và các kiến nghị cụ thể với Liên hiệp Hội "
             "Việt Nam.";
    case Flaw::kMembersTypo:
      return "Số hội viên tăng bất thường so với kỳ trước (có thể nhập thừa chữ số 0); đề nghị rà "
             "soát lại.";
  }
  return "";
}

// Revision 1 with `flaw` made in it.
void Spoil(Flaw flaw, v1::Report* report) {
  auto drop = [&](std::initializer_list<const char*> codes) {
    auto* values = report->mutable_values();
    for (int i = values->size() - 1; i >= 0; --i) {
      for (const char* code : codes) {
        if (values->Get(i).code() == code) {
          values->DeleteSubrange(i, 1);
          break;
        }
      }
    }
  };
  switch (flaw) {
    case Flaw::kNoScienceFigures:
      drop({"workshops", "training_courses"});
      break;
    case Flaw::kNoContestFigures:
      drop({"contest_entries", "contest_prizes"});
      break;
    case Flaw::kNoDifficulties:
      report->mutable_narrative()->clear_difficulties();
      report->mutable_narrative()->clear_recommendations();
      break;
    case Flaw::kMembersTypo:
      for (auto& value : *report->mutable_values()) {
        if (value.code() == "members") value.set_count(value.count() * 10);
      }
      break;
  }
}

// The organisations sorted by a hash of (salt, code): the first few of the
// ranking get the period's missing, late or returned reports.
std::vector<std::string> Ranked(std::vector<std::string> codes, const std::string& salt) {
  // FNV-1a alone orders codes that differ in their last digit almost by
  // code; splitmix64's mixing spreads them.
  std::map<std::string, uint64_t> key;
  for (const auto& code : codes) key[code] = Rng(absl::StrCat(salt, "/", code)).Next();
  std::sort(codes.begin(), codes.end(), [&](const std::string& a, const std::string& b) {
    return key[a] != key[b] ? key[a] < key[b] : a < b;
  });
  return codes;
}

// How many of a period's organisations are missing, late and reviewed how.
struct PeriodPlan {
  int missing = 0;
  int late = 0;
  int return_then_accept = 0;
  int returned_resubmitted = 0;  // revision 2 awaiting review (only the open period)
  int leave_returned = 0;
  int leave_submitted = 0;
};

PeriodPlan PlanFor(const Period& period) {
  PeriodPlan plan;
  if (period.ToString() == kOpenPeriod) {
    plan.missing = 3;
    plan.late = 4;
    plan.return_then_accept = 1;
    plan.returned_resubmitted = 2;
    plan.leave_returned = 4;
    plan.leave_submitted = 8;
    return plan;
  }
  Rng rng(absl::StrCat("plan/", period.ToString()));
  plan.missing = static_cast<int>(rng.Between(1, 3));
  plan.late = static_cast<int>(rng.Between(2, 6));
  plan.return_then_accept = static_cast<int>(rng.Between(1, 3));
  return plan;
}

struct Reporter {
  std::string code;
  std::string name;
  Stocks stocks;
  bool merged_successor = false;
};

// The reports of one period, planned by PlanFor.
void PlanPeriod(const Period& period, const std::vector<Reporter>& reporters, ReportHistory* out) {
  const PeriodPlan plan = PlanFor(period);
  const std::string p = period.ToString();
  std::vector<std::string> codes;
  for (const auto& r : reporters) codes.push_back(r.code);

  std::map<std::string, int> attendance;  // 0 missing, 1 late, 2 timely
  std::vector<std::string> by_attendance = Ranked(codes, absl::StrCat("attendance/", p));
  for (size_t i = 0; i < by_attendance.size(); ++i) {
    const int rank = static_cast<int>(i);
    attendance[by_attendance[i]] = rank < plan.missing               ? 0
                                   : rank < plan.missing + plan.late ? 1
                                                                     : 2;
  }
  std::vector<std::string> present;
  for (const auto& code : Ranked(codes, absl::StrCat("review/", p))) {
    if (attendance[code] != 0) present.push_back(code);
  }
  std::map<std::string, ReviewPlan> review;
  size_t next = 0;
  auto assign = [&](int count, ReviewPlan what) {
    for (int k = 0; k < count && next < present.size(); ++k, ++next) review[present[next]] = what;
  };
  assign(plan.return_then_accept, ReviewPlan::kReturnThenAccept);
  assign(plan.returned_resubmitted, ReviewPlan::kReturnThenResubmit);
  assign(plan.leave_returned, ReviewPlan::kLeaveReturned);
  assign(plan.leave_submitted, ReviewPlan::kLeaveSubmitted);

  for (const Reporter& r : reporters) {
    if (attendance[r.code] == 0) {
      out->missing.emplace_back(r.code, p);
      continue;
    }
    PlannedReport planned;
    planned.late = attendance[r.code] == 1;
    auto it = review.find(r.code);
    planned.review = it == review.end() ? ReviewPlan::kAccept : it->second;

    v1::Report report;
    report.set_organization_code(r.code);
    report.set_period(p);
    report.set_revision(1);
    report.set_catalog_version(fed::kLatestCatalogVersion);
    report.set_submitted_by(absl::StrCat("Văn phòng LHH ", r.name));
    const Content content = MakeContent(r.code, period, r.stocks, r.merged_successor);
    SetValues(content, &report);
    *report.mutable_narrative() = content.narrative;
    const absl::CivilSecond submitted = SubmissionTime(r.code, period, planned.late);
    *report.mutable_submitted_at() = AtLocal(submitted);

    const bool resubmitted = planned.review == ReviewPlan::kReturnThenAccept ||
                             planned.review == ReviewPlan::kReturnThenResubmit;
    if (resubmitted || planned.review == ReviewPlan::kLeaveReturned) {
      Rng rng(absl::StrCat("flaw/", r.code, "/", p));
      const Flaw flaw = static_cast<Flaw>(rng.Below(4));
      planned.return_comment = ReturnComment(flaw);
      planned.first = report;
      Spoil(flaw, &planned.first);
      if (resubmitted) {
        planned.second = report;
        planned.second.set_revision(2);
        *planned.second.mutable_submitted_at() = AtLocal(submitted + 86400 * rng.Between(8, 20));
      }
    } else {
      planned.first = std::move(report);
    }
    out->reports.push_back(std::move(planned));
  }
}

bool Started(const Period& period, absl::CivilDay today) { return period.FirstDay() <= today; }

}  // namespace

const char* ReviewPlanLabel(ReviewPlan plan) {
  switch (plan) {
    case ReviewPlan::kAccept:
      return "accept";
    case ReviewPlan::kReturnThenAccept:
      return "return, resubmit, accept";
    case ReviewPlan::kReturnThenResubmit:
      return "return, resubmit";
    case ReviewPlan::kLeaveReturned:
      return "return";
    case ReviewPlan::kLeaveSubmitted:
      return "leave for review";
  }
  return "";
}

v1::Report SonLa2015Report() {
  v1::Report report;
  report.set_organization_code(kSonLa);
  report.set_period("2015");
  report.set_revision(1);
  report.set_catalog_version(fed::kLatestCatalogVersion);
  report.set_submitted_by("Văn phòng LHH Sơn La");
  Content c;
  c.counts["member_associations"] = 15;
  c.counts["collective_members"] = 3;
  c.counts["members"] = 200000;
  c.counts["intellectuals"] = 17000;
  c.flags["has_bulletin"] = true;
  c.flags["has_website"] = true;
  SetValues(c, &report);
  v1::Narrative* n = report.mutable_narrative();
  n->set_achievements(
      "Liên hiệp hội có 15 hội thành viên và 3 hội viên tập thể; số hội viên trong hệ thống trên "
      "20 vạn, trong đó khoảng 1,7 vạn trí thức. Duy trì Bản tin Trí thức với KH&CN và Diễn đàn "
      "trí thức điện tử; tổ chức Đại hội đại biểu khoá II, nhiệm kỳ 2016-2020.");
  n->set_difficulties(
      "Kinh phí tư vấn, phản biện và hội thảo khoa học phải trình phê duyệt từng cuộc.");
  v1::Recommendation* r = n->add_recommendations();
  r->set_number(1);
  r->set_text(
      "Đề nghị cho phép Liên hiệp hội và các hội thành viên chủ động lập kế hoạch tư vấn, phản "
      "biện và hội thảo khoa học theo dự toán đã được UBND tỉnh phê duyệt.");
  n->set_next_period_tasks(
      "Triển khai nhiệm vụ nhiệm kỳ II (2016-2020); Hội thi Sáng tạo kỹ thuật lần thứ 5 năm 2016.");
  *report.mutable_submitted_at() = AtLocal(absl::CivilSecond(2016, 1, 8, 9, 30, 0));
  return report;
}

ReportHistory GenerateReportHistory(const std::vector<ProvinceRow>& rows, absl::CivilDay today) {
  ReportHistory history;
  const std::vector<Period> periods = HalfYears(kFirstProvincePeriod, kLastProvincePeriod);

  std::map<std::string, std::vector<Stocks>> stocks;
  std::map<std::string, std::string> names;
  for (const auto& row : rows) {
    stocks[row.code] = ProvinceStocks(row, periods);
    names[row.code] = row.name;
  }

  PlannedReport son_la_2015;
  son_la_2015.first = SonLa2015Report();
  history.reports.push_back(std::move(son_la_2015));

  for (size_t i = 0; i < periods.size(); ++i) {
    if (!Started(periods[i], today)) break;
    std::vector<Reporter> reporters;
    for (const auto& row : rows)
      reporters.push_back({row.code, row.name, stocks[row.code][i], false});
    PlanPeriod(periods[i], reporters, &history);
  }

  const Period first_successor_period = *Period::Parse(kFirstSuccessorPeriod);
  if (Started(first_successor_period, today)) {
    std::map<std::string, std::vector<Stocks>>
        by_successor;  // successor -> predecessors' last stocks
    for (const auto& row : rows)
      by_successor[row.successor_code].push_back(stocks[row.code].back());
    std::vector<Reporter> reporters;
    for (const auto& [code, predecessors] : by_successor) {
      reporters.push_back({code, names.count(code) ? names[code] : code,
                           SuccessorStocks(code, predecessors), predecessors.size() > 1});
    }
    PlanPeriod(first_successor_period, reporters, &history);
  }
  return history;
}

}  // namespace fedctl::demo

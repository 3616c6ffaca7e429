// `fed-demo contests`: loads the demo competitions through the public API
// of the competition service, as organisers and judges would: several years
// of provincial technical innovation contests in many provinces (Sơn La's 5th
// in 2016 among them), a youth creativity contest with ages and schools, the
// national contest with the provinces' winners nominated to it and a VIFOTEC
// round with the national winners. Deterministic (no randomness, no clock),
// and resumable: a contest already awarded is left alone, one half done is
// carried on from where it stands, so running it again changes nothing.
#include <algorithm>
#include <iostream>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "tools/demo/commands.h"
#include "tools/fedctl/competition_client.h"
#include "tools/fedctl/contest_text.h"
#include "tools/fedctl/credentials.h"
#include "tools/fedctl/sheet.h"

namespace fedctl::demo {
namespace {

namespace v1 = federation::v1;
using Stub = CompetitionClient::Stub;

constexpr absl::Duration kDemoTokenLifetime = absl::Minutes(30);

// The provinces that run contests, with the member associations (of
// demo_data's) whose entries they take; their names come from the provinces
// table.
struct Province {
  const char* code;
  const char* associations[2];
};
// Provinces that keep their code after the 2025 merger (so they stay active).
const Province kProvinces[] = {
    {"14", {"14-LS", "14-DD"}}, {"20", {"20-DD", "20-KT"}}, {"38", {nullptr, nullptr}},
    {"01", {nullptr, nullptr}}, {"11", {nullptr, nullptr}}, {"40", {nullptr, nullptr}},
    {"45", {nullptr, nullptr}}, {"48", {nullptr, nullptr}}, {"66", {nullptr, nullptr}},
    {"79", {nullptr, nullptr}}, {"92", {nullptr, nullptr}}, {"22", {nullptr, nullptr}}};
constexpr size_t kProvinceCount = sizeof(kProvinces) / sizeof(kProvinces[0]);

// The name of each of kProvinces, in order, from the provinces table.
std::vector<std::string> ProvinceNames(const std::vector<ProvinceRow>& rows) {
  std::vector<std::string> names;
  for (const Province& province : kProvinces) {
    auto row = std::find_if(rows.begin(), rows.end(),
                            [&](const ProvinceRow& r) { return r.code == province.code; });
    if (row == rows.end()) {
      throw UsageError(absl::StrCat("the provinces table has no ", province.code,
                                    ", which the demo contests need"));
    }
    names.push_back(row->name);
  }
  return names;
}

const int kYears[] = {2016, 2019, 2022};
const char* kFields[] = {"Nông, lâm, ngư nghiệp", "Kỹ thuật công nghiệp", "Y tế - Môi trường"};
const char* kWorks[] = {"Máy tách hạt ngô liên hợp",
                        "Lò sấy chè tiết kiệm năng lượng",
                        "Hệ thống tưới nhỏ giọt tự động",
                        "Quy trình ủ phân vi sinh từ phụ phẩm cà phê",
                        "Thiết bị lọc nước sinh hoạt vùng cao",
                        "Máy thái chuối cho chăn nuôi",
                        "Phần mềm quản lý hồ sơ bệnh án",
                        "Bếp đun cải tiến giảm khói"};
const char* kAuthors[] = {"Lò Văn Minh",    "Cầm Thị Hoa",  "Nguyễn Văn Hùng", "Trần Thị Lan",
                          "Hoàng Văn Tuấn", "Vi Thị Mai",   "Phạm Quốc Bảo",   "Lê Thị Thu",
                          "Quàng Văn Tư",   "Đinh Công Sơn"};

uint64_t Mix(uint64_t a, uint64_t b) {
  uint64_t h = a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull + (a << 6) + (a >> 2));
  h ^= h >> 31;
  return h * 0xBF58476D1CE4E5B9ull;
}
uint64_t Hash(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

std::string Day(int year, int month, int day) {
  return absl::StrFormat("%04d-%02d-%02d", year, month, day);
}

google::protobuf::Timestamp At(int year, int month, int day) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(absl::FromCivil(absl::CivilSecond(year, month, day, 9, 0, 0),
                                                     absl::FixedTimeZone(7 * 3600))));
  return ts;
}

v1::Contest BaseContest(v1::ContestKind kind, const std::string& org, int edition, int year,
                        const std::string& title) {
  v1::Contest c;
  c.set_kind(kind);
  c.set_level(DefaultLevel(kind));
  c.set_organizer_code(org);
  c.set_edition(edition);
  c.set_year(year);
  c.set_title(title);
  for (const char* f : kFields) c.add_fields(f);
  c.set_registration_opens(Day(year, 3, 1));
  c.set_registration_closes(Day(year, 8, 31));
  c.set_judging_opens(Day(year, 9, 1));
  c.set_judging_closes(Day(year, 10, 31));
  for (const auto& k : ParseCriteria(kDefaultCriteria)) *c.add_criteria() = k;
  c.set_min_judges_per_entry(3);
  c.mutable_prizes()->set_first(1);
  c.mutable_prizes()->set_second(1);
  c.mutable_prizes()->set_third(2);
  c.mutable_prizes()->set_consolation(1);
  c.mutable_prizes()->set_min_score(50);
  return c;
}

struct Plan {
  v1::Contest contest;
  std::vector<v1::Entry> entries;  // contest_id filled in when known
  std::vector<v1::Judge> judges;   // idem
  std::vector<int64_t> nominate;   // entries of lower contests to nominate (computed late)
  std::function<std::vector<int64_t>()> nominations;  // computed when the contest is open
};

class Loader {
 public:
  Loader(std::shared_ptr<grpc::Channel> channel, const fed::TokenIssuer& issuer,
         const std::string& user)
      : channel_(channel),
        issuer_(issuer),
        user_(user),
        admin_(channel, MintToken(issuer, absl::StrCat("fedctl-demo-organiser@", user), "VUSTA",
                                  v1::ROLE_NATIONAL_ADMIN, kDemoTokenLifetime)) {}

  // Runs a plan to AWARDED; returns the contest.
  absl::Status Run(Plan& plan, v1::Contest* out);
  // Prize-winning entries of a contest with the given prizes.
  absl::StatusOr<std::vector<int64_t>> Winners(int64_t contest, std::set<v1::Prize> prizes);
  const std::string& doing() const { return doing_; }

 private:
  absl::Status Advance(v1::Contest& c, v1::ContestState to);
  CompetitionClient JudgeClient(const v1::Judge& j) {
    return CompetitionClient(channel_, MintToken(issuer_, j.subject(), j.organization_code(),
                                                 v1::ROLE_JUDGE, kDemoTokenLifetime));
  }

  std::shared_ptr<grpc::Channel> channel_;
  const fed::TokenIssuer& issuer_;
  std::string user_;
  CompetitionClient admin_;
  std::string doing_;
};

absl::Status Loader::Advance(v1::Contest& c, v1::ContestState to) {
  doing_ = absl::StrCat("moving contest ", c.id(), " to ", StateLabel(to));
  v1::TransitionContestRequest req;
  req.set_id(c.id());
  req.set_to(to);
  req.set_note("demo");
  return admin_.Call(&Stub::TransitionContest, req, &c);
}

absl::Status Loader::Run(Plan& plan, v1::Contest* out) {
  const v1::Contest& def = plan.contest;
  doing_ = absl::StrCat("finding ", def.title());
  v1::ListContestsRequest list;
  list.set_organizer_code(def.organizer_code());
  list.set_kind(def.kind());
  v1::ListContestsResponse found;
  if (auto s = admin_.Call(&Stub::ListContests, list, &found); !s.ok()) return s;
  v1::Contest c;
  for (const auto& existing : found.contests()) {
    if (existing.edition() == def.edition()) c = existing;
  }
  if (c.id() == 0) {
    doing_ = absl::StrCat("creating ", def.title());
    v1::CreateContestRequest create;
    *create.mutable_contest() = def;
    if (auto s = admin_.Call(&Stub::CreateContest, create, &c); !s.ok()) return s;
  }
  if (c.state() == v1::CONTEST_STATE_DRAFT) {
    if (auto s = Advance(c, v1::CONTEST_STATE_OPEN); !s.ok()) return s;
  }
  if (c.state() == v1::CONTEST_STATE_OPEN) {
    v1::ListEntriesRequest lreq;
    lreq.set_contest_id(c.id());
    v1::ListEntriesResponse have;
    doing_ = absl::StrCat("listing entries of contest ", c.id());
    if (auto s = admin_.Call(&Stub::ListEntries, lreq, &have); !s.ok()) return s;
    std::set<std::string> titles;
    std::set<int64_t> nominated;
    for (const auto& e : have.entries()) {
      titles.insert(e.title());
      nominated.insert(e.nominated_from_entry_id());
    }
    for (v1::Entry e : plan.entries) {
      if (titles.count(e.title())) continue;
      e.set_contest_id(c.id());
      doing_ = absl::StrCat("submitting \"", e.title(), "\" to contest ", c.id());
      v1::SubmitEntryRequest req;
      *req.mutable_entry() = e;
      v1::Entry done;
      if (auto s = admin_.Call(&Stub::SubmitEntry, req, &done); !s.ok()) return s;
    }
    if (plan.nominations) {
      for (int64_t from : plan.nominations()) {
        if (nominated.count(from)) continue;
        doing_ = absl::StrCat("nominating entry ", from, " to contest ", c.id());
        v1::NominateEntryRequest req;
        req.set_entry_id(from);
        req.set_target_contest_id(c.id());
        v1::Entry done;
        if (auto s = admin_.Call(&Stub::NominateEntry, req, &done); !s.ok()) return s;
      }
    }
    for (v1::Judge j : plan.judges) {
      j.set_contest_id(c.id());
      doing_ = absl::StrCat("adding judge ", j.subject(), " to contest ", c.id());
      v1::AddJudgeRequest req;
      *req.mutable_judge() = j;
      v1::Judge done;
      if (auto s = admin_.Call(&Stub::AddJudge, req, &done); !s.ok()) return s;
    }
    doing_ = absl::StrCat("assigning judges in contest ", c.id());
    v1::AutoAssignRequest areq;
    areq.set_contest_id(c.id());
    v1::AutoAssignResponse assigned;
    if (auto s = admin_.Call(&Stub::AutoAssign, areq, &assigned); !s.ok()) return s;
    if (auto s = Advance(c, v1::CONTEST_STATE_JUDGING); !s.ok()) return s;
  }
  if (c.state() == v1::CONTEST_STATE_JUDGING) {
    for (v1::Judge j : plan.judges) {
      CompetitionClient judge = JudgeClient(j);
      v1::ListAssignmentsRequest lreq;
      lreq.set_contest_id(c.id());
      v1::ListAssignmentsResponse mine;
      doing_ = absl::StrCat("reading the assignments of ", j.subject());
      if (auto s = judge.Call(&Stub::ListAssignments, lreq, &mine); !s.ok()) return s;
      for (const auto& a : mine.assignments()) {
        if (a.sheet().revision() > 0) continue;
        v1::SubmitScoreSheetRequest req;
        req.mutable_sheet()->set_entry_id(a.entry().id());
        // Judges broadly agree on an entry, with their own leanings.
        const uint64_t quality = Mix(Hash(a.entry().title()), 7) % 45;
        for (const auto& k : mine.criteria()) {
          const uint64_t lean = Mix(Hash(j.subject()), Hash(k.code()) + a.entry().id()) % 11;
          const double frac = (45.0 + static_cast<double>(quality + lean)) / 100.0;
          auto* s = req.mutable_sheet()->add_scores();
          s->set_criterion_code(k.code());
          s->set_points(std::min(k.max_points(), std::round(k.max_points() * frac * 2) / 2));
        }
        doing_ = absl::StrCat(j.subject(), " scoring entry ", a.entry().id());
        v1::ScoreSheet sheet;
        if (auto s = judge.Call(&Stub::SubmitScoreSheet, req, &sheet); !s.ok()) return s;
      }
    }
    if (auto s = Advance(c, v1::CONTEST_STATE_CLOSED); !s.ok()) return s;
  }
  if (c.state() == v1::CONTEST_STATE_CLOSED) {
    if (auto s = Advance(c, v1::CONTEST_STATE_AWARDED); !s.ok()) return s;
  }
  *out = c;
  return absl::OkStatus();
}

absl::StatusOr<std::vector<int64_t>> Loader::Winners(int64_t contest, std::set<v1::Prize> prizes) {
  v1::GetResultsRequest req;
  req.set_contest_id(contest);
  v1::GetResultsResponse results;
  doing_ = absl::StrCat("reading the results of contest ", contest);
  if (auto s = admin_.Call(&Stub::GetResults, req, &results); !s.ok()) return s;
  std::vector<int64_t> out;
  for (const auto& r : results.results()) {
    if (prizes.count(r.prize())) out.push_back(r.entry().id());
  }
  return out;
}

v1::Judge MakeJudge(const std::string& subject, const std::string& name, const std::string& org) {
  v1::Judge j;
  j.set_subject(subject);
  j.set_name(name);
  j.set_organization_code(org);
  for (const char* f : kFields) j.add_fields(f);
  return j;
}

Plan ProvincialPlan(size_t p, const std::string& name, int year_index) {
  const Province& province = kProvinces[p];
  const int year = kYears[year_index];
  const int edition = province.code == std::string("14")
                          ? 5 + year_index
                          : 2 + static_cast<int>(Mix(p, 3) % 3) + year_index;
  Plan plan;
  plan.contest =
      BaseContest(v1::CONTEST_KIND_PROVINCIAL_TECH, province.code, edition, year,
                  absl::StrCat("Hội thi Sáng tạo Kỹ thuật tỉnh ", name, " lần thứ ", edition));
  const int entries = 6 + static_cast<int>(Mix(p, year) % 3);
  for (int i = 0; i < entries; ++i) {
    v1::Entry e;
    const size_t work = (Mix(p * 31 + i, year) % 8);
    e.set_title(absl::StrCat(kWorks[work], " (", name, " ", year, "-", i + 1, ")"));
    const char* assoc = province.associations[i % 2];
    e.set_source_organization_code(i % 3 == 2 && assoc ? assoc : province.code);
    e.set_field(kFields[(p + i) % 3]);
    e.set_summary("Giải pháp kỹ thuật áp dụng tại địa phương");
    for (int a = 0; a < 1 + i % 3; ++a) {
      auto* author = e.add_authors();
      author->set_name(kAuthors[(Mix(p, i * 7) + 3 * a) % 10]);
      author->set_role(a == 0 ? "chủ nhiệm" : "đồng tác giả");
    }
    *e.mutable_submitted_at() = At(year, 5, 2 + i);
    plan.entries.push_back(e);
  }
  // Judges from the union itself (no entry comes from the union's own
  // associations' judges), from neighbouring provinces and the national union.
  const size_t n = kProvinceCount;
  plan.judges.push_back(MakeJudge(absl::StrCat("gk-", province.code, "-a"), "TS. Nguyễn Văn An",
                                  kProvinces[(p + 1) % n].code));
  plan.judges.push_back(MakeJudge(absl::StrCat("gk-", province.code, "-b"), "ThS. Trần Thị Bình",
                                  kProvinces[(p + 2) % n].code));
  plan.judges.push_back(
      MakeJudge(absl::StrCat("gk-", province.code, "-c"), "KS. Lê Văn Cường", "VUSTA"));
  plan.judges.push_back(MakeJudge(absl::StrCat("gk-", province.code, "-d"), "PGS. Phạm Thị Dung",
                                  kProvinces[(p + 3) % n].code));
  return plan;
}

int RunDemoContests(const Invocation& invocation) {
  const std::vector<std::string> names = ProvinceNames(ProvinceRowsOf(invocation));
  auto issuer = LoadTokenIssuer(invocation.global());
  if (!issuer.ok()) {
    throw UsageError(absl::StrCat("fed-demo contests mints tokens for organisers and judges: ",
                                  issuer.status().message()));
  }
  const std::string target = CompetitionTarget(invocation);
  Loader loader(fed::OpenChannel(target), *issuer, CurrentUser());
  const absl::Time started = absl::Now();
  std::vector<v1::Contest> done;
  auto fail = [&](const absl::Status& s) { return ReportRpcError(loader.doing(), s); };

  // 1. Provincial contests, 2016, 2019, 2022.
  std::map<int, std::vector<int64_t>> provincial_2016;  // contest ids
  for (int y = 0; y < 3; ++y) {
    for (size_t p = 0; p < kProvinceCount; ++p) {
      // Not every province runs a contest every time.
      if (Mix(p, kYears[y]) % 4 == 0 && kProvinces[p].code != std::string("14")) continue;
      Plan plan = ProvincialPlan(p, names[p], y);
      v1::Contest c;
      if (auto s = loader.Run(plan, &c); !s.ok()) return fail(s);
      if (y == 0) provincial_2016[0].push_back(c.id());
      done.push_back(c);
    }
  }

  // 2. Sơn La's youth creativity contest 2023.
  {
    Plan plan;
    plan.contest = BaseContest(v1::CONTEST_KIND_YOUTH, "14", 1, 2023,
                               "Cuộc thi Sáng tạo Thanh thiếu niên Nhi đồng tỉnh Sơn La lần thứ 1");
    const char* schools[] = {"THCS Chiềng Sinh", "THPT Chuyên Sơn La", "THCS Tô Hiệu",
                             "PTDTNT tỉnh Sơn La"};
    const char* works[] = {"Robot tưới rau tự động",  "Thùng rác thông minh",
                           "Máy cảnh báo sạt lở đất", "Đèn học tiết kiệm điện",
                           "Mô hình nhà kính mini",   "Gậy dò đường cho người khiếm thị"};
    for (int i = 0; i < 6; ++i) {
      v1::Entry e;
      e.set_title(works[i]);
      e.set_source_organization_code("14");
      e.set_field(kFields[i % 3]);
      auto* a = e.add_authors();
      a->set_name(kAuthors[(i * 3) % 10]);
      a->set_role("tác giả");
      a->set_age(11 + i);
      a->set_school(schools[i % 4]);
      *e.mutable_submitted_at() = At(2023, 4, 10 + i);
      plan.entries.push_back(e);
    }
    plan.judges = {MakeJudge("gk-tn-a", "TS. Hà Văn Khoa", "VUSTA"),
                   MakeJudge("gk-tn-b", "ThS. Lò Thị Nga", "20"),
                   MakeJudge("gk-tn-c", "KS. Bùi Văn Lực", "38")};
    v1::Contest c;
    if (auto s = loader.Run(plan, &c); !s.ok()) return fail(s);
    done.push_back(c);
  }

  // 3. The national contest 2017 with the 2016 provincial first and second prizes.
  std::vector<v1::Judge> national_judges;
  const char* professors[] = {"GS. Đặng Văn Giáp", "GS. Ngô Thị Hạnh", "PGS. Vũ Văn Kiên",
                              "PGS. Mai Thị Loan", "TS. Đoàn Văn Mạnh"};
  for (int i = 0; i < 5; ++i)
    national_judges.push_back(MakeJudge(absl::StrCat("gk-tw-", i + 1), professors[i], "VUSTA"));
  int64_t national_id = 0;
  {
    Plan plan;
    plan.contest = BaseContest(v1::CONTEST_KIND_NATIONAL, "VUSTA", 14, 2017,
                               "Hội thi Sáng tạo Kỹ thuật Toàn quốc lần thứ 14");
    *plan.contest.mutable_prizes() = ParsePrizes("1,2,3,4", "50");
    plan.contest.set_min_judges_per_entry(5);
    plan.judges = national_judges;
    absl::Status winners_error;
    plan.nominations = [&] {
      std::vector<int64_t> all;
      for (int64_t id : provincial_2016[0]) {
        auto w = loader.Winners(id, {v1::PRIZE_FIRST, v1::PRIZE_SECOND});
        if (!w.ok()) {
          winners_error = w.status();
          return all;
        }
        all.insert(all.end(), w->begin(), w->end());
      }
      return all;
    };
    v1::Contest c;
    if (auto s = loader.Run(plan, &c); !s.ok()) return fail(s);
    if (!winners_error.ok()) return fail(winners_error);
    national_id = c.id();
    done.push_back(c);
  }

  // 4. The VIFOTEC award 2018 with the national first and second prizes.
  {
    Plan plan;
    plan.contest = BaseContest(v1::CONTEST_KIND_VIFOTEC, "VUSTA", 15, 2018,
                               "Giải thưởng Sáng tạo KH&CN Việt Nam (VIFOTEC) 2018");
    *plan.contest.mutable_prizes() = ParsePrizes("1,1,1,0", "60");
    plan.contest.set_min_judges_per_entry(5);
    for (auto j : national_judges) {
      j.set_subject(absl::StrCat("vf-", j.subject()));
      plan.judges.push_back(j);
    }
    absl::Status winners_error;
    plan.nominations = [&] {
      auto w = loader.Winners(national_id, {v1::PRIZE_FIRST, v1::PRIZE_SECOND});
      if (!w.ok()) winners_error = w.status();
      return w.ok() ? *w : std::vector<int64_t>{};
    };
    v1::Contest c;
    if (auto s = loader.Run(plan, &c); !s.ok()) return fail(s);
    if (!winners_error.ok()) return fail(winners_error);
    done.push_back(c);
  }

  Sheet sheet({"id", "year", "organiser", "kind", "edition", "state", "entries"});
  for (const auto& c : done) {
    sheet.AddRow({absl::StrCat(c.id()), absl::StrCat(c.year()), c.organizer_code(),
                  KindLabel(c.kind()), absl::StrCat(c.edition()), StateLabel(c.state()),
                  absl::StrCat(c.entry_count())});
  }
  sheet.PrintTable(std::cout);
  std::cout << absl::StrFormat(
      "%d contests loaded or already there in %.1f s (competition at %s)\n", done.size(),
      absl::ToDoubleSeconds(absl::Now() - started), target);
  return 0;
}

}  // namespace

CommandSpec ContestsCommand() {
  CommandSpec command = Command("contests",
                                "Load the demo competitions (provincial contests 2016-2022, a "
                                "youth contest, national, VIFOTEC); safe to run again.",
                                RunDemoContests);
  WithProvincesCsvOption(command);
  WithCompetitionOption(command);
  return command;
}

}  // namespace fedctl::demo

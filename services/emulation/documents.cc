#include "services/emulation/documents.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/common/dates.h"
#include "services/common/digest.h"
#include "services/emulation/emulation.h"

namespace emulation {
namespace {

std::string NameOf(const v1::EmulationYear& year, const std::string& code) {
  for (const auto& m : year.members()) {
    if (m.organization_code() == code) return m.organization_name();
  }
  return code;
}

// "ngày 20 tháng 12 năm 2025", or dots to fill in by hand.
std::string LongDate(const std::string& iso) {
  auto day = fed::ParseDate(iso);
  if (!day.ok()) return "ngày ... tháng ... năm ......";
  return absl::StrFormat("ngày %02d tháng %02d năm %d", day->day(), day->month(), day->year());
}

std::string Points(double p) { return absl::StrFormat("%.2f", p); }

std::string AwardWords(v1::AwardKind kind) {
  switch (kind) {
    case v1::AWARD_KIND_UNION_FLAG:
      return "Cờ thi đua của Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam";
    case v1::AWARD_KIND_MERIT_CERTIFICATE:
      return "Bằng khen của Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam";
    case v1::AWARD_KIND_GOVERNMENT_FLAG:
      return "Cờ thi đua của Chính phủ";
    default:
      return "";
  }
}

std::string BallotWords(v1::BallotKind kind) {
  switch (kind) {
    case v1::BALLOT_KIND_UNION_FLAG:
      return "Suy tôn đề nghị tặng Cờ thi đua của Liên hiệp các Hội KH&KT Việt Nam";
    case v1::BALLOT_KIND_MERIT_CERTIFICATE:
      return "Bình xét đề nghị tặng Bằng khen của Liên hiệp các Hội KH&KT Việt Nam";
    case v1::BALLOT_KIND_GOVERNMENT_FLAG:
      return "Suy tôn đề nghị tặng Cờ thi đua của Chính phủ";
    case v1::BALLOT_KIND_NEXT_HEAD:
      return "Bầu Cụm trưởng năm sau";
    case v1::BALLOT_KIND_NEXT_DEPUTY:
      return "Bầu Cụm phó năm sau";
    default:
      return "";
  }
}

// The two-column heading every administrative document opens with.
std::string Heading(const v1::EmulationYear& year, const std::string& number,
                    const std::string& dated) {
  return absl::StrCat(
      "LIÊN HIỆP CÁC HỘI KH&KT VIỆT NAM          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n",
      "CỤM THI ĐUA SỐ ", year.key().cluster_number(),
      "                                  Độc lập - Tự do - Hạnh phúc\n",
      number.empty() ? "" : absl::StrCat("Số: ", number, "\n"),
      "                                  ", "                    ", LongDate(dated), "\n\n");
}

v1::Document Make(v1::DocumentKind kind, const std::string& title, std::string text) {
  v1::Document d;
  d.set_kind(kind);
  d.set_title(title);
  d.set_sha256(fed::Sha256Hex(text));
  d.set_text(std::move(text));
  return d;
}

const v1::AssessedMember* Assessed(const v1::Assessment& a, const std::string& code) {
  for (const auto& m : a.members()) {
    if (m.organization_code() == code) return &m;
  }
  return nullptr;
}

std::string TallyLines(const v1::EmulationYear& year, const v1::Ballot& b) {
  const v1::BallotTally& t = b.tally();
  std::string s = absl::StrCat(BallotWords(t.kind()),
                               b.round() > 1 ? absl::StrCat(" (vòng ", b.round(), ")") : "", "\n",
                               "  Tổng số thành viên: ", t.entitled(), "; có mặt: ", t.present(),
                               "; ý kiến bằng văn bản: ", t.written_opinions(), "\n",
                               "  Số phiếu phát ra: ", t.ballots_issued(), "; hợp lệ: ", t.valid(),
                               "; không hợp lệ: ", t.invalid(), "\n");
  for (const auto& c : t.votes()) {
    absl::StrAppend(&s, "  - ", NameOf(year, c.organization_code()), ": ", c.votes(), " phiếu\n");
  }
  absl::StrAppend(&s, "  ", b.explanation(), "\n");
  if (b.elected_codes_size() > 0) {
    std::vector<std::string> names;
    for (const auto& code : b.elected_codes()) names.push_back(NameOf(year, code));
    absl::StrAppend(&s, "  Kết quả: ", absl::StrJoin(names, "; "), "\n");
  } else if (b.outcome() == v1::BALLOT_OUTCOME_DECIDED) {
    absl::StrAppend(&s, "  Kết quả: không ứng viên nào đạt số phiếu cần thiết\n");
  }
  return s;
}

}  // namespace

std::vector<v1::Document> GenerateDocuments(const v1::EmulationYear& year,
                                            const v1::ScoringScheme& scheme,
                                            const v1::Assessment& assessment,
                                            const v1::Dossier& letter) {
  const std::vector<v1::Proposal> proposals = ProposalsOf(year);
  const std::string cluster = absl::StrCat("Cụm thi đua số ", year.key().cluster_number());
  const std::string period = absl::StrCat("năm thi đua ", year.key().year(), " (từ ",
                                          year.start_date(), " đến ", year.end_date(), ")");
  std::vector<v1::Document> docs;

  // Tờ trình.
  std::string letter_text = Heading(year, letter.letter_number(), letter.letter_date());
  absl::StrAppend(&letter_text, "TỜ TRÌNH\nVề việc đề nghị khen thưởng ", period, "\n\n",
                  "Kính gửi: Hội đồng Thi đua – Khen thưởng Liên hiệp các Hội KH&KT Việt Nam\n\n",
                  "Căn cứ giao ước thi đua ", year.covenant().plan_number(), " ký ",
                  LongDate(year.covenant().signed_on()), " và bảng chấm điểm năm ", scheme.year(),
                  " (phiên bản ", scheme.version(), "); căn cứ kết quả tự chấm, ",
                  "chấm chéo và bỏ phiếu kín tại Hội nghị tổng kết ",
                  LongDate(year.conference().held_on()), " tại ", year.conference().place(), ", ",
                  cluster, " đề nghị:\n\n");
  int n = 0;
  for (const auto& p : proposals) {
    const v1::AssessedMember* m = Assessed(assessment, p.organization_code());
    absl::StrAppend(&letter_text, ++n, ". Tặng ", AwardWords(p.kind()), " cho ",
                    NameOf(year, p.organization_code()),
                    m ? absl::StrCat(" (xếp thứ ", m->rank(), ", ", Points(m->verified_total()),
                                     " điểm sau chấm chéo)")
                      : "",
                    ".\n");
  }
  if (proposals.empty()) absl::StrAppend(&letter_text, "(Cụm không đề nghị khen thưởng.)\n");
  absl::StrAppend(
      &letter_text, "\nHồ sơ kèm theo: báo cáo thành tích; biên bản hội nghị; ",
      "biên bản kiểm phiếu.\n\n", "                                        CỤM TRƯỞNG\n",
      "                                        ", NameOf(year, year.covenant().head_code()), "\n");
  docs.push_back(Make(v1::DOCUMENT_KIND_PROPOSAL_LETTER, "Tờ trình đề nghị khen thưởng",
                      std::move(letter_text)));

  // Báo cáo thành tích.
  std::string report = Heading(year, "", letter.letter_date());
  absl::StrAppend(&report, "BÁO CÁO THÀNH TÍCH\n", cluster, ", ", period, "\n\n",
                  "Bảng chấm điểm: ", scheme.name(), " (tối đa ", Points(scheme.total_points()),
                  " điểm)\n\n");
  for (const auto& p : proposals) {
    const v1::AssessedMember* m = Assessed(assessment, p.organization_code());
    absl::StrAppend(&report, "ĐƠN VỊ: ", NameOf(year, p.organization_code()), " — đề nghị ",
                    AwardWords(p.kind()), "\n");
    if (m == nullptr) continue;
    absl::StrAppend(&report, "  Xếp hạng trong cụm: ", m->rank(), "\n",
                    "  Tổng điểm: tính từ số liệu ", Points(m->computed_total()), "; tự chấm ",
                    Points(m->self_total()), "; sau chấm chéo ", Points(m->verified_total()), "\n");
    for (const auto& c : m->criteria()) {
      absl::StrAppend(&report, "  - ", c.criterion_name(), " (tối đa ", Points(c.max_points()),
                      "): số liệu ", Points(c.computed_points()), "; tự chấm ",
                      c.has_self() ? Points(c.self_points()) : "—", "; chấm chéo ",
                      c.has_verified() ? Points(c.verified_points()) : "—",
                      c.reason().empty() ? "" : absl::StrCat(" (", c.reason(), ")"),
                      "; minh chứng: ", c.evidence_count(), "\n");
    }
    for (const auto& r : year.covenant().registrations()) {
      if (r.organization_code() != p.organization_code()) continue;
      for (const auto& t : r.targets()) {
        absl::StrAppend(&report, "  Chỉ tiêu đăng ký: ", t.code(), " = ", t.value(),
                        t.note().empty() ? "" : absl::StrCat(" (", t.note(), ")"), "\n");
      }
    }
    absl::StrAppend(&report, "\n");
  }
  docs.push_back(
      Make(v1::DOCUMENT_KIND_ACHIEVEMENT_REPORT, "Báo cáo thành tích", std::move(report)));

  // Biên bản hội nghị.
  std::string minutes = Heading(year, "", year.conference().held_on());
  absl::StrAppend(
      &minutes, "BIÊN BẢN\nHội nghị tổng kết ", period, " của ", cluster, "\n\n",
      "Thời gian: ", LongDate(year.conference().held_on()), "\n",
      "Địa điểm: ", year.conference().place(), "\n", "Chủ trì: ", year.conference().chair(), "\n",
      "Thư ký: ", year.conference().secretary(), "\n\n", "Thành phần: các thành viên cụm\n");
  for (const auto& m : year.members()) {
    absl::StrAppend(&minutes, "  - ", m.organization_name(),
                    m.takes_part()
                        ? ""
                        : absl::StrCat(" (đã hợp nhất vào ", NameOf(year, m.successor_code()),
                                       " từ ", m.ended_on(), ")"),
                    "\n");
  }
  absl::StrAppend(&minutes, "\nKết quả chấm điểm sau chấm chéo:\n");
  for (const auto& m : assessment.members()) {
    if (!m.takes_part()) continue;
    absl::StrAppend(&minutes, "  ", m.rank(), ". ", m.organization_name(), ": ",
                    Points(m.verified_total()), " điểm\n");
  }
  absl::StrAppend(&minutes, "\nKết quả bỏ phiếu kín (chi tiết tại biên bản kiểm phiếu):\n");
  for (const auto& b : year.ballots()) {
    if (b.outcome() != v1::BALLOT_OUTCOME_DECIDED) continue;
    std::vector<std::string> names;
    for (const auto& code : ElectedOf(year, b.tally().kind())) names.push_back(NameOf(year, code));
    absl::StrAppend(&minutes, "  - ", BallotWords(b.tally().kind()), ": ",
                    names.empty() ? "không ai đạt" : absl::StrJoin(names, "; "), "\n");
  }
  absl::StrAppend(&minutes, "\n        THƯ KÝ                                  CHỦ TRÌ\n",
                  "        ", year.conference().secretary(), "                    ",
                  year.conference().chair(), "\n");
  docs.push_back(Make(v1::DOCUMENT_KIND_MINUTES, "Biên bản hội nghị tổng kết", std::move(minutes)));

  // Biên bản kiểm phiếu.
  std::string count = Heading(year, "", year.conference().held_on());
  absl::StrAppend(&count, "BIÊN BẢN KIỂM PHIẾU\n", cluster, ", ", period, "\n\n",
                  "Bỏ phiếu kín; biên bản chỉ ghi số phiếu, không ghi ai bầu cho ai.\n\n");
  for (const auto& b : year.ballots()) {
    absl::StrAppend(&count, TallyLines(year, b), "  Căn cứ: ", b.rule().basis(), "\n\n");
  }
  absl::StrAppend(&count, "        BAN KIỂM PHIẾU\n");
  docs.push_back(Make(v1::DOCUMENT_KIND_VOTE_COUNT, "Biên bản kiểm phiếu", std::move(count)));
  return docs;
}

}  // namespace emulation

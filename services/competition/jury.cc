#include "services/competition/jury.h"

#include "absl/strings/str_cat.h"

namespace competition {

double ScaleMax(const v1::Contest& contest) {
  double max = 0;
  for (const v1::Criterion& c : contest.criteria()) max += c.weight() * c.max_points();
  return max;
}

JuryStatistics ComputeJury(const v1::Contest& contest, const std::vector<SheetTotal>& sheets,
                           const std::map<int64_t, std::string>& field_of) {
  JuryStatistics out;
  std::map<int64_t, std::vector<double>> totals;
  std::map<std::string, std::vector<SheetTotal>> by_field;
  for (const SheetTotal& sheet : sheets) {
    totals[sheet.entry_id].push_back(sheet.points);
    auto field = field_of.find(sheet.entry_id);
    if (field != field_of.end()) by_field[field->second].push_back(sheet);
  }
  const double scale = ScaleMax(contest);
  for (auto& [entry, list] : totals) out.spreads[entry] = SpreadOf(std::move(list), scale);
  out.calibration = Calibrate(sheets);
  out.agreement.emplace_back("", AgreementOf(sheets));
  // One field is the whole contest again: no second line saying the same.
  if (by_field.size() > 1) {
    for (const auto& [field, list] : by_field) out.agreement.emplace_back(field, AgreementOf(list));
  }
  return out;
}

std::string RuleWords(v1::ScoreRule rule, int sheets) {
  if (sheets == 0) return "chưa có phiếu chấm";
  if (rule == v1::SCORE_RULE_CALIBRATED) {
    return absl::StrCat("điểm hiệu chỉnh theo độ lệch giám khảo, từ ", sheets, " phiếu");
  }
  if (sheets >= 5) return absl::StrCat("bỏ 1 cao nhất, 1 thấp nhất trong ", sheets, " phiếu");
  return absl::StrCat("trung bình ", sheets, " phiếu");
}

std::vector<int> PrizeBoundaries(const v1::PrizeStructure& prizes) {
  std::vector<int> out;
  int after = 0;
  for (int count : {prizes.first(), prizes.second(), prizes.third(), prizes.consolation()}) {
    if (count <= 0) continue;
    after += count;
    out.push_back(after);
  }
  return out;
}

}  // namespace competition

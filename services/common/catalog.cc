#include "services/common/catalog.h"

#include "absl/container/flat_hash_map.h"

#include <unordered_map>

namespace fed {
namespace {

namespace v1 = federation::v1;

struct Row {
  const char* section;
  const char* code;
  const char* label_vi;
  const char* label_en;
  v1::IndicatorType type;
  v1::TimeAggregation time;
};

constexpr auto kCount = v1::INDICATOR_TYPE_COUNT;
constexpr auto kBool = v1::INDICATOR_TYPE_BOOLEAN;
constexpr auto kStock = v1::TIME_AGGREGATION_LAST;
constexpr auto kFlow = v1::TIME_AGGREGATION_SUM;
constexpr auto kAny = v1::TIME_AGGREGATION_ANY;

// Version 1: the starting catalog of DOMAIN.md.
constexpr Row kVersion1[] = {
    {"organisation", "member_associations", "Số hội thành viên", "Member associations", kCount,
     kStock},
    {"organisation", "new_member_associations", "Hội thành viên mới kết nạp",
     "Member associations admitted", kCount, kFlow},
    {"organisation", "collective_members", "Số hội viên tập thể", "Collective members", kCount,
     kStock},
    {"organisation", "members", "Số hội viên", "Individual members", kCount, kStock},
    {"organisation", "intellectuals", "Số trí thức KH&CN", "S&T intellectuals among members",
     kCount, kStock},
    {"organisation", "affiliated_units", "Số đơn vị trực thuộc", "Affiliated centres and units",
     kCount, kStock},
    {"organisation", "staff", "Số cán bộ cơ quan thường trực", "Standing office staff", kCount,
     kStock},
    {"organisation", "congress_held", "Tổ chức đại hội nhiệm kỳ", "Held its term congress", kBool,
     kAny},
    {"consultancy", "consultancy_tasks", "Nhiệm vụ TVPB&GĐXH",
     "Consultancy, critique and assessment tasks", kCount, kFlow},
    {"consultancy", "law_drafts_commented", "Dự thảo văn bản được góp ý",
     "Draft laws and documents commented on", kCount, kFlow},
    {"consultancy", "recommendations_adopted", "Kiến nghị được tiếp thu",
     "Recommendations adopted by authorities", kCount, kFlow},
    {"science", "workshops", "Hội thảo khoa học", "Scientific workshops held", kCount, kFlow},
    {"science", "research_projects", "Đề tài, dự án KH&CN chủ trì", "Provincial S&T projects led",
     kCount, kFlow},
    {"science", "training_courses", "Lớp tập huấn, đào tạo", "Training courses held", kCount,
     kFlow},
    {"contests", "tech_contest_held", "Tổ chức Hội thi Sáng tạo Kỹ thuật",
     "Held a technical innovation contest", kBool, kAny},
    {"contests", "tech_contest_by_union", "Hội thi do LHH tổ chức",
     "Contest organised by the union itself", kBool, kAny},
    {"contests", "youth_contest_held", "Tổ chức Cuộc thi STTTNNĐ",
     "Held a youth creativity contest", kBool, kAny},
    {"contests", "contest_entries", "Số giải pháp dự thi", "Contest entries received", kCount,
     kFlow},
    {"contests", "contest_prizes", "Số giải thưởng", "Prizes awarded", kCount, kFlow},
    {"contests", "national_awards", "Giải thưởng toàn quốc / VIFOTEC",
     "National and VIFOTEC awards won", kCount, kFlow},
    {"communication", "has_bulletin", "Có bản tin", "Publishes a bulletin", kBool, kAny},
    {"communication", "bulletin_issues", "Số bản tin phát hành", "Bulletin issues published",
     kCount, kFlow},
    {"communication", "has_website", "Có trang thông tin điện tử", "Runs a website", kBool, kAny},
    {"communication", "website_articles", "Số tin bài đăng tải", "Articles published", kCount,
     kFlow},
    {"honouring", "honouring_events", "Hoạt động tôn vinh trí thức",
     "Intellectual-honouring events", kCount, kFlow},
    {"honouring", "intellectuals_honoured", "Số trí thức được tôn vinh", "People honoured", kCount,
     kFlow},
    {"cooperation", "exchange_visits", "Đoàn công tác trao đổi", "Working visits sent or hosted",
     kCount, kFlow},
    {"cooperation", "international_activities", "Hoạt động hợp tác quốc tế",
     "International cooperation activities", kCount, kFlow},
    {"commendation", "merit_certificates", "Bằng khen được tặng", "Certificates of merit received",
     kCount, kFlow},
    {"commendation", "emulation_flags", "Cờ thi đua được tặng", "Emulation flags received", kCount,
     kFlow},
};

v1::IndicatorCatalog BuildVersion1() {
  v1::IndicatorCatalog catalog;
  catalog.set_version(1);
  for (const Row& row : kVersion1) {
    v1::Indicator* indicator = catalog.add_indicators();
    indicator->set_code(row.code);
    indicator->set_label_vi(row.label_vi);
    indicator->set_label_en(row.label_en);
    indicator->set_type(row.type);
    indicator->set_section(row.section);
    indicator->set_space_aggregation(row.type == kBool ? v1::SPACE_AGGREGATION_COUNT_TRUE
                                                       : v1::SPACE_AGGREGATION_SUM);
    indicator->set_time_aggregation(row.time);
    indicator->set_since_version(1);
  }
  return catalog;
}

}  // namespace

const v1::IndicatorCatalog* CatalogVersion(int version) {
  static const auto* v1_catalog = new v1::IndicatorCatalog(BuildVersion1());
  if (version == 0 || version == 1) return v1_catalog;
  return nullptr;
}

const v1::IndicatorCatalog& LatestCatalog() { return *CatalogVersion(kLatestCatalogVersion); }

const v1::Indicator* FindIndicator(absl::string_view code) {
  static const auto* index = [] {
    auto* map = new std::unordered_map<std::string, const v1::Indicator*>();
    for (const auto& indicator : LatestCatalog().indicators()) {
      (*map)[indicator.code()] = &indicator;
    }
    return map;
  }();
  auto it = index->find(std::string(code));
  return it == index->end() ? nullptr : it->second;
}

int IndicatorIndex(absl::string_view code) {
  // Looked up per member and criterion when rankings are computed: no
  // string is made for the lookup.
  static const auto* index = [] {
    auto* map = new absl::flat_hash_map<std::string, int>();
    const auto& indicators = LatestCatalog().indicators();
    for (int i = 0; i < indicators.size(); ++i) (*map)[indicators[i].code()] = i;
    return map;
  }();
  auto it = index->find(code);
  return it == index->end() ? -1 : it->second;
}

double NumericValue(const v1::IndicatorValue& value) {
  switch (value.value_case()) {
    case v1::IndicatorValue::kCount:
      return static_cast<double>(value.count());
    case v1::IndicatorValue::kFlag:
      return value.flag() ? 1.0 : 0.0;
    case v1::IndicatorValue::kDecimal:
      return value.decimal();
    default:
      return 0.0;
  }
}

}  // namespace fed

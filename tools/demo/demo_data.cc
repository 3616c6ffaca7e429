#include "tools/demo/demo_data.h"
#include "tools/demo/demo_random.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "tools/fedctl/cli.h"

namespace fedctl::demo {
namespace {

using federation::v1::CommitteeMember;
using federation::v1::EmulationCluster;
using federation::v1::Merger;
using federation::v1::Organization;

constexpr char kProvincialUnionNamePrefix[] = "Liên hiệp các Hội Khoa học và Kỹ thuật ";
// The day the demo's provincial unions enter the registry's timeline.
constexpr char kProvincesActiveFrom[] = "2008-08-01";
constexpr char kMergerDecision[] = "Nghị quyết 202/2025/QH15";

const char* const kCsvColumns[] = {"code",   "name",         "kind",
                                   "region", "demo_cluster", "successor_from_2025_07_01"};

// ---------------------------------------------------------------------------
// provinces.csv
// ---------------------------------------------------------------------------

std::map<std::string, size_t> ColumnIndexes(absl::string_view header, const std::string& where) {
  std::map<std::string, size_t> index;
  size_t i = 0;
  for (absl::string_view name : absl::StrSplit(header, ',')) {
    index[std::string(absl::StripAsciiWhitespace(name))] = i++;
  }
  for (const char* column : kCsvColumns) {
    if (index.count(column) == 0)
      throw UsageError(absl::StrCat(where, ": no column '", column, "'"));
  }
  return index;
}

ProvinceRow ParseRow(const std::vector<std::string>& fields,
                     const std::map<std::string, size_t>& index, const std::string& where) {
  auto field = [&](const char* column) { return fields[index.at(column)]; };
  ProvinceRow row;
  row.code = field("code");
  row.name = field("name");
  row.kind = field("kind");
  row.region = field("region");
  row.successor_code = field("successor_from_2025_07_01");
  if (!absl::SimpleAtoi(field("demo_cluster"), &row.demo_cluster) || row.demo_cluster < 1 ||
      row.demo_cluster > 99) {
    throw UsageError(absl::StrCat(where, ": demo_cluster must be 1..99"));
  }
  if (row.code.empty() || row.name.empty() || row.successor_code.empty()) {
    throw UsageError(absl::StrCat(where, ": code, name and successor must not be empty"));
  }
  return row;
}

// ---------------------------------------------------------------------------
// Deterministic "random" choices.
// ---------------------------------------------------------------------------

using Sequence = DemoRandom;

int ProvinceNumber(const ProvinceRow& row) {
  int number = 0;
  return absl::SimpleAtoi(row.code, &number) ? number : static_cast<int>(StableHash(row.code) % 97);
}

// Tens of thousands of members, more in the big cities; Sơn La's figure is
// the one its union publishes (over 200,000 members, 17,000 intellectuals).
int64_t MemberCount(const ProvinceRow& row) {
  if (row.code == "14") return 200000;
  int number = ProvinceNumber(row);
  int64_t members = 15000 + (number * 7919L) % 45000;
  if (row.kind == "city") members *= 2;
  return members / 10 * 10;
}

int64_t IntellectualCount(const ProvinceRow& row, int64_t members) {
  if (row.code == "14") return 17000;
  int percent = 8 + ProvinceNumber(row) % 15;  // 8-22 %
  return members * percent / 100 / 10 * 10;
}

std::string FoundingDate(const ProvinceRow& row) {
  // The two founding dates the seed documents give; others are unknown.
  if (row.code == "14") return "2010-04-21";
  if (row.code == "20") return "2008-08-15";
  return "";
}

// Where a cluster's head and deputy were published, they replace the
// default (first and second member).
struct PublishedLeads {
  int year;
  int cluster;
  const char* head;
  const char* deputy;  // "" = the first other member
};
constexpr PublishedLeads kPublishedLeads[] = {
    {2022, 6, "51", ""},
    {2023, 9, "92", ""},
    {2024, 8, "86", "87"},
};

void ChooseHeadAndDeputy(EmulationCluster& cluster) {
  std::string head = cluster.member_codes_size() > 0 ? cluster.member_codes(0) : "";
  std::string deputy;
  for (const auto& published : kPublishedLeads) {
    if (published.year == cluster.year() && published.cluster == cluster.number()) {
      head = published.head;
      deputy = published.deputy;
    }
  }
  if (deputy.empty()) {
    for (const auto& code : cluster.member_codes()) {
      if (code != head) {
        deputy = code;
        break;
      }
    }
  }
  cluster.set_head_code(head);
  cluster.set_deputy_code(deputy);
}

// Clusters from (code, cluster number) pairs, in the order given.
std::vector<EmulationCluster> BuildClusters(const std::vector<std::pair<std::string, int>>& members,
                                            int year) {
  std::map<int, EmulationCluster> by_number;
  for (const auto& [code, number] : members) {
    EmulationCluster& cluster = by_number[number];
    cluster.set_year(year);
    cluster.set_number(number);
    cluster.set_name(absl::StrCat("Cụm thi đua ", number));
    cluster.add_member_codes(code);
  }
  std::vector<EmulationCluster> clusters;
  for (auto& [number, cluster] : by_number) {
    ChooseHeadAndDeputy(cluster);
    clusters.push_back(std::move(cluster));
  }
  return clusters;
}

// ---------------------------------------------------------------------------
// Member associations.
// ---------------------------------------------------------------------------

struct AssociationKind {
  const char* abbreviation;
  const char* name;  // before " tỉnh <province>"
  const char* field;
};
constexpr AssociationKind kAssociationKinds[] = {
    {"KT", "Hội Kinh tế", "kinh tế"},         {"DH", "Hội Dược học", "dược học"},
    {"KTS", "Hội Kiến trúc sư", "kiến trúc"}, {"LS", "Hội Khoa học Lịch sử", "lịch sử"},
    {"DD", "Hội Điều dưỡng", "điều dưỡng"},   {"CD", "Hội Cầu đường", "cầu đường"},
};

struct AssociationFacts {
  const char* province;
  const char* abbreviation;
  const char* founded_on;
  int64_t members;
  int64_t intellectuals;
};
constexpr AssociationFacts kAssociations[] = {
    {"14", "KT", "2011-09-15", 420, 260},  {"14", "DH", "2012-05-10", 310, 300},
    {"14", "LS", "2014-11-20", 180, 150},  {"14", "DD", "2013-06-12", 650, 240},
    {"38", "KT", "2009-12-18", 1250, 900}, {"38", "DH", "2010-03-22", 820, 790},
    {"38", "KTS", "2011-08-05", 240, 240}, {"38", "LS", "2012-10-16", 390, 330},
    {"38", "CD", "2015-04-28", 310, 280},  {"20", "DH", "2012-08-30", 260, 250},
    {"20", "DD", "2014-03-14", 540, 190},  {"20", "KT", "2016-07-07", 210, 150},
    {"45", "CD", "2013-09-09", 190, 170},  {"45", "KTS", "2010-06-25", 120, 120},
    {"45", "LS", "2011-12-02", 230, 200},
};

const AssociationKind& KindOf(absl::string_view abbreviation) {
  for (const auto& kind : kAssociationKinds) {
    if (abbreviation == kind.abbreviation) return kind;
  }
  return kAssociationKinds[0];  // unreachable: the tables above agree
}

const ProvinceRow* FindRow(const std::vector<ProvinceRow>& rows, absl::string_view code) {
  for (const auto& row : rows) {
    if (row.code == code) return &row;
  }
  return nullptr;
}

// "tỉnh Sơn La", "thành phố Cần Thơ".
std::string ProvinceWithKind(const ProvinceRow& row) {
  return absl::StrCat(row.kind == "city" ? "thành phố " : "tỉnh ", row.name);
}

// ---------------------------------------------------------------------------
// Names of people.
// ---------------------------------------------------------------------------

// Family names repeat roughly as often as they occur (Nguyễn most of all).
constexpr const char* kFamilyNames[] = {"Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê",
                                        "Lê",     "Phạm",   "Hoàng",  "Vũ",   "Võ",   "Phan",
                                        "Đặng",   "Bùi",    "Đỗ",     "Hồ",   "Ngô",  "Dương",
                                        "Lý",     "Đinh",   "Lò",     "Cầm",  "Hà",   "Mai"};
constexpr const char* kMaleMiddleNames[] = {"Văn",  "Văn",  "Hữu",  "Đức",   "Minh", "Quốc",
                                            "Xuân", "Công", "Đình", "Thanh", "Ngọc", "Trọng"};
constexpr const char* kFemaleMiddleNames[] = {"Thị",  "Thị",  "Thu",  "Thanh", "Ngọc",
                                              "Hồng", "Bích", "Minh", "Kim"};
constexpr const char* kMaleGivenNames[] = {
    "An",    "Bình",  "Cường", "Dũng",  "Đạt",   "Hải",  "Hùng",  "Huy",  "Khánh", "Long", "Nam",
    "Phong", "Quang", "Sơn",   "Thắng", "Thành", "Toàn", "Trung", "Tuấn", "Việt",  "Vinh", "Hiếu"};
constexpr const char* kFemaleGivenNames[] = {
    "Anh", "Dung",  "Hà",   "Hạnh",   "Hằng", "Hoa",  "Hương", "Lan", "Linh", "Mai",
    "Nga", "Nhung", "Oanh", "Phương", "Thảo", "Thủy", "Trang", "Vân", "Yến",  "Huyền"};

// Distinct full names, about a third of them women's.
class NameMaker {
 public:
  explicit NameMaker(const std::string& seed) : sequence_(seed) {}
  std::string Next() {
    while (true) {
      bool woman = sequence_.Next() % 3 == 0;
      std::string name = absl::StrCat(
          sequence_.Pick(kFamilyNames), " ",
          woman ? sequence_.Pick(kFemaleMiddleNames) : sequence_.Pick(kMaleMiddleNames), " ",
          woman ? sequence_.Pick(kFemaleGivenNames) : sequence_.Pick(kMaleGivenNames));
      if (used_.insert(name).second) return name;
    }
  }

 private:
  Sequence sequence_;
  std::set<std::string> used_;
};

CommitteeMember Seat(const std::string& name, federation::v1::Committee committee,
                     federation::v1::Position position) {
  CommitteeMember member;
  member.set_full_name(name);
  member.set_committee(committee);
  member.set_position(position);
  return member;
}

federation::v1::CongressTerm Term(const char* code, int number, int start, int end,
                                  const char* held_on) {
  federation::v1::CongressTerm term;
  term.set_organization_code(code);
  term.set_term_number(number);
  term.set_start_year(start);
  term.set_end_year(end);
  term.set_held_on(held_on);
  for (auto& member : ElectedLeadership(absl::StrCat(code, "/", number))) {
    *term.add_members() = std::move(member);
  }
  return term;
}

}  // namespace

std::vector<ProvinceRow> ParseProvincesCsv(const std::string& text, const std::string& file_name) {
  std::vector<ProvinceRow> rows;
  std::map<std::string, size_t> index;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    absl::ConsumeSuffix(&line, "\r");
    if (line_number == 1) absl::ConsumePrefix(&line, "\xEF\xBB\xBF");
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    std::string where = absl::StrCat(file_name, ":", line_number);
    if (index.empty()) {
      index = ColumnIndexes(line, where);
      continue;
    }
    std::vector<std::string> fields;
    for (absl::string_view field : absl::StrSplit(line, ',')) {
      fields.emplace_back(absl::StripAsciiWhitespace(field));
    }
    if (fields.size() != index.size()) {
      throw UsageError(
          absl::StrCat(where, ": expected ", index.size(), " fields, got ", fields.size()));
    }
    rows.push_back(ParseRow(fields, index, where));
  }
  if (rows.empty()) throw UsageError(absl::StrCat(file_name, ": no provinces"));
  return rows;
}

std::vector<ProvinceRow> ReadProvincesCsv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError(absl::StrCat("cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseProvincesCsv(buffer.str(), path);
}

Organization NationalUnion() {
  Organization organization;
  organization.set_code(kNationalUnionCode);
  organization.set_kind(federation::v1::ORGANIZATION_KIND_NATIONAL_UNION);
  organization.set_name("Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam");
  organization.set_short_name("VUSTA");
  organization.set_founded_on("1983-03-26");
  organization.set_active_from("1983-03-26");
  return organization;
}

Organization ProvincialUnion(const ProvinceRow& row) {
  Organization organization;
  organization.set_code(row.code);
  organization.set_kind(federation::v1::ORGANIZATION_KIND_PROVINCIAL_UNION);
  organization.set_name(absl::StrCat(kProvincialUnionNamePrefix, row.name));
  organization.set_short_name(absl::StrCat("LHH ", row.name));
  organization.set_parent_code(kNationalUnionCode);
  organization.set_region(row.region);
  organization.set_founded_on(FoundingDate(row));
  organization.set_member_count(MemberCount(row));
  organization.set_intellectual_count(IntellectualCount(row, organization.member_count()));
  // A union founded later (Sơn La, 2010) starts its timeline on its
  // founding day: the registry refuses an organisation active before it existed.
  organization.set_active_from(
      std::max<std::string>(kProvincesActiveFrom, organization.founded_on()));
  return organization;
}

std::vector<Merger> Mergers2025(const std::vector<ProvinceRow>& rows) {
  std::map<std::string, std::vector<std::string>> predecessors;  // successor -> codes
  for (const auto& row : rows) predecessors[row.successor_code].push_back(row.code);
  std::vector<Merger> mergers;
  for (const auto& [successor, codes] : predecessors) {
    if (codes.size() < 2) continue;
    Merger merger;
    merger.set_successor_code(successor);
    for (const auto& code : codes) merger.add_predecessor_codes(code);
    merger.set_effective_on(kMergerDate);
    merger.set_decision(kMergerDecision);
    mergers.push_back(std::move(merger));
  }
  return mergers;
}

std::vector<EmulationCluster> ClustersOfProvinces(const std::vector<ProvinceRow>& rows, int year) {
  std::vector<std::pair<std::string, int>> members;
  for (const auto& row : rows) members.emplace_back(row.code, row.demo_cluster);
  return BuildClusters(members, year);
}

std::vector<EmulationCluster> ClustersOfSuccessors(const std::vector<ProvinceRow>& rows, int year) {
  std::set<std::string> successors;
  for (const auto& row : rows) successors.insert(row.successor_code);
  std::vector<std::pair<std::string, int>> members;
  for (const auto& row : rows) {
    if (successors.count(row.code) > 0) members.emplace_back(row.code, row.demo_cluster);
  }
  return BuildClusters(members, year);
}

std::vector<Organization> MemberAssociations(const std::vector<ProvinceRow>& rows) {
  std::vector<Organization> associations;
  for (const auto& facts : kAssociations) {
    const ProvinceRow* province = FindRow(rows, facts.province);
    if (!province) continue;  // a trimmed CSV: skip what has no parent
    const AssociationKind& kind = KindOf(facts.abbreviation);
    Organization organization;
    organization.set_code(absl::StrCat(facts.province, "-", facts.abbreviation));
    organization.set_kind(federation::v1::ORGANIZATION_KIND_MEMBER_ASSOCIATION);
    organization.set_name(absl::StrCat(kind.name, " ", ProvinceWithKind(*province)));
    organization.set_parent_code(facts.province);
    organization.set_field(kind.field);
    organization.set_region(province->region);
    organization.set_founded_on(facts.founded_on);
    organization.set_active_from(facts.founded_on);
    organization.set_member_count(facts.members);
    organization.set_intellectual_count(facts.intellectuals);
    associations.push_back(std::move(organization));
  }
  return associations;
}

std::vector<CongressPlan> CongressPlans() {
  std::vector<CongressPlan> plans(4);
  // Thanh Hoá: congress V, term 2013-2018, recognised.
  plans[0].term = Term("38", 5, 2013, 2018, "2013-04-20");
  plans[0].target_state = federation::v1::RECOGNITION_STATE_RECOGNISED;
  plans[0].decision_number = "412/QĐ-LHHVN";
  plans[0].decision_date = "2013-05-17";
  // Sơn La: congress III, term 2020-2025, recognised.
  plans[1].term = Term("14", 3, 2020, 2025, "2020-09-26");
  plans[1].target_state = federation::v1::RECOGNITION_STATE_RECOGNISED;
  plans[1].decision_number = "1053/QĐ-LHHVN";
  plans[1].decision_date = "2020-10-28";
  // Quảng Trị: congress IV, term 2019-2024, recognised and extended to 2025.
  plans[2].term = Term("45", 4, 2019, 2024, "2019-06-21");
  plans[2].target_state = federation::v1::RECOGNITION_STATE_RECOGNISED;
  plans[2].decision_number = "588/QĐ-LHHVN";
  plans[2].decision_date = "2019-07-15";
  plans[2].extended_to_year = 2025;
  plans[2].extension_reason =
      "Kéo dài nhiệm kỳ đến năm 2025 để tổ chức đại hội sau khi sắp xếp đơn vị hành chính";
  // Lạng Sơn: congress IV, term 2023-2028, submitted and awaiting recognition.
  plans[3].term = Term("20", 4, 2023, 2028, "2023-08-18");
  plans[3].target_state = federation::v1::RECOGNITION_STATE_SUBMITTED;
  return plans;
}

std::vector<CommitteeMember> ElectedLeadership(const std::string& seed) {
  using federation::v1::COMMITTEE_EXECUTIVE;
  using federation::v1::COMMITTEE_INSPECTION;
  using federation::v1::COMMITTEE_STANDING;
  NameMaker names(seed);
  const std::string chair = names.Next();
  const std::string vice_chairs[] = {names.Next(), names.Next()};
  const std::string general_secretary = names.Next();
  const std::string standing_member = names.Next();
  std::vector<std::string> executive_members;
  for (int i = 0; i < 10; ++i) executive_members.push_back(names.Next());
  const std::string inspectors[] = {names.Next(), names.Next()};

  std::vector<CommitteeMember> seats;
  // The standing committee's five sit on the executive committee too, with
  // the same office.
  auto seat_officers = [&](federation::v1::Committee committee) {
    seats.push_back(Seat(chair, committee, federation::v1::POSITION_CHAIR));
    for (const auto& name : vice_chairs) {
      seats.push_back(Seat(name, committee, federation::v1::POSITION_VICE_CHAIR));
    }
    seats.push_back(Seat(general_secretary, committee, federation::v1::POSITION_GENERAL_SECRETARY));
    seats.push_back(Seat(standing_member, committee, federation::v1::POSITION_MEMBER));
  };
  seat_officers(COMMITTEE_EXECUTIVE);
  for (const auto& name : executive_members) {
    seats.push_back(Seat(name, COMMITTEE_EXECUTIVE, federation::v1::POSITION_MEMBER));
  }
  seat_officers(COMMITTEE_STANDING);
  // The inspection committee is headed by an executive member.
  seats.push_back(Seat(executive_members.front(), COMMITTEE_INSPECTION,
                       federation::v1::POSITION_HEAD_OF_INSPECTION));
  for (const auto& name : inspectors) {
    seats.push_back(Seat(name, COMMITTEE_INSPECTION, federation::v1::POSITION_MEMBER));
  }
  return seats;
}

}  // namespace fedctl::demo

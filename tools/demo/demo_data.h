// The demo data set `fed-demo load` puts into a registry: the national
// union, the 63 provincial unions of deploy/demo/provinces.csv, the 2025
// merger of provinces, emulation clusters 2022-2026, some member
// associations and congress terms. Everything is computed from the CSV and
// fixed tables, never from randomness or the clock, so that every run
// produces exactly the same requests (which is what makes loading twice a
// no-op).
#pragma once

#include <string>
#include <vector>

#include "federation/v1/registry.pb.h"

namespace fedctl::demo {

// One line of provinces.csv.
struct ProvinceRow {
  std::string code;    // "14"
  std::string name;    // "Sơn La"
  std::string kind;    // "province" or "city"
  std::string region;  // "Tây Bắc"
  int demo_cluster = 0;
  std::string successor_code;  // successor_from_2025_07_01
};

// Parses provinces.csv (header line naming the columns, any order).
// Throws UsageError with the file and line of the first problem.
std::vector<ProvinceRow> ParseProvincesCsv(const std::string& text, const std::string& file_name);
std::vector<ProvinceRow> ReadProvincesCsv(const std::string& path);

inline constexpr char kNationalUnionCode[] = "VUSTA";
inline constexpr char kMergerDate[] = "2025-07-01";

federation::v1::Organization NationalUnion();
// Active from 2008-08-01, or from its founding day when that is later.
federation::v1::Organization ProvincialUnion(const ProvinceRow& row);

// One merger per successor that more than one province maps to; the
// predecessors include the successor itself, which keeps its code.
std::vector<federation::v1::Merger> Mergers2025(const std::vector<ProvinceRow>& rows);

// The clusters of `year` from the demo_cluster column (all 63 provinces),
// with the published heads and deputies where provinces.csv's README names them.
std::vector<federation::v1::EmulationCluster> ClustersOfProvinces(
    const std::vector<ProvinceRow>& rows, int year);
// The clusters of `year` after the merger: the successor units, each in the
// cluster of its own code's demo_cluster.
std::vector<federation::v1::EmulationCluster> ClustersOfSuccessors(
    const std::vector<ProvinceRow>& rows, int year);

// Member associations of Sơn La, Thanh Hoá, Lạng Sơn and Quảng Trị.
std::vector<federation::v1::Organization> MemberAssociations(const std::vector<ProvinceRow>& rows);

// A congress term and how far through recognition the demo takes it.
struct CongressPlan {
  federation::v1::CongressTerm term;  // organisation, number, years, held_on, members
  federation::v1::RecognitionState target_state = federation::v1::RECOGNITION_STATE_RECORDED;
  std::string decision_number;  // when the target is RECOGNISED
  std::string decision_date;
  int extended_to_year = 0;  // 0: not extended
  std::string extension_reason;
};
std::vector<CongressPlan> CongressPlans();

// A plausible elected leadership of ~15 people for a congress: executive
// committee (chair, two vice-chairs, general secretary, members), a standing
// committee of five drawn from it, and an inspection committee of three
// headed by an executive member. Names are Vietnamese, generated from `seed`.
std::vector<federation::v1::CommitteeMember> ElectedLeadership(const std::string& seed);

}  // namespace fedctl::demo

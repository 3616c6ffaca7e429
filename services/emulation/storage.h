// All of the emulation service's SQL, parameterised. A year is stored whole
// (its EmulationYear message) with every revision kept; files by content;
// awards apart for the reports' pre-fill.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <pqxx/pqxx>

#include "federation/v1/emulation.pb.h"

namespace emulation::storage {

namespace v1 = federation::v1;

struct StoredYear {
  int64_t id = 0;
  v1::EmulationYear year;
};

// `lock`: FOR UPDATE, so that one step at a time changes a year.
std::optional<StoredYear> LoadYear(pqxx::work& txn, const v1::YearKey& key, bool lock);
// Inserts revision 1 (year.revision() must be 1).
int64_t InsertYear(pqxx::work& txn, const v1::EmulationYear& year, const std::string& action,
                   const std::string& actor);
// Stores the next revision (year.revision() must be the stored one plus 1),
// and the year's awards as they now stand when `awards_changed`.
void SaveYear(pqxx::work& txn, int64_t id, const v1::EmulationYear& year, const std::string& action,
              const std::string& actor, bool awards_changed);
// year 0 / cluster 0: any.
std::vector<v1::EmulationYear> ListYears(pqxx::work& txn, int year, int cluster);

// Keeps a file once per content per year; returns false when it was there.
bool InsertFile(pqxx::work& txn, int64_t year_id, const v1::FileRef& file,
                const std::string& content, const std::string& actor,
                const std::string& actor_organization);
// How many files, and how many bytes, an organisation has uploaded to a year.
std::pair<int64_t, int64_t> UploadedBy(pqxx::work& txn, int64_t year_id,
                                       const std::string& organization);
std::optional<v1::FileRef> FindFile(pqxx::work& txn, int64_t year_id, const std::string& sha256);
std::optional<v1::FileContent> LoadFile(pqxx::work& txn, int64_t year_id,
                                        const std::string& sha256);

// "" organisation: every one; year 0: every year.
std::vector<v1::Award> ListAwards(pqxx::work& txn, const std::string& organization_code,
                                  int decided_year);

}  // namespace emulation::storage

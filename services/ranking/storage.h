// All SQL of the ranking service (schema `ranking`), parameterised.
#pragma once

#include <optional>
#include <vector>

#include <pqxx/pqxx>

#include "federation/v1/ranking.pb.h"

namespace ranking::storage {

namespace v1 = federation::v1;

std::vector<v1::ScoringScheme> LoadSchemes(pqxx::work& txn);
// The latest version of `year` (nullopt if none), taking a lock so that two
// definitions of the same year get consecutive versions.
std::optional<v1::ScoringScheme> LockLatestScheme(pqxx::work& txn, int year);
void InsertScheme(pqxx::work& txn, const v1::ScoringScheme& scheme);

std::vector<v1::SelfAssessment> LoadSelfAssessments(pqxx::work& txn);
void UpsertSelfAssessment(pqxx::work& txn, const v1::SelfAssessment& assessment);

int64_t LoadCursor(pqxx::work& txn);
void StoreCursor(pqxx::work& txn, int64_t sequence);

}  // namespace ranking::storage

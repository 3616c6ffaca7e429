#include "services/ranking/storage.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

namespace ranking::storage {
namespace {

std::string ToJson(const google::protobuf::Message& m) {
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(m, &json);
  return json;
}

template <typename M>
M FromJson(const std::string& json) {
  M m;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  (void)google::protobuf::util::JsonStringToMessage(json, &m, options);
  return m;
}

}  // namespace

std::vector<v1::ScoringScheme> LoadSchemes(pqxx::work& txn) {
  std::vector<v1::ScoringScheme> out;
  for (const auto& row : txn.exec("SELECT content::text FROM schemes ORDER BY year, version")) {
    out.push_back(FromJson<v1::ScoringScheme>(row[0].as<std::string>()));
  }
  return out;
}

std::optional<v1::ScoringScheme> LockLatestScheme(pqxx::work& txn, int year) {
  txn.exec_params("SELECT pg_advisory_xact_lock(55055, $1)", year);
  auto r = txn.exec_params(
      "SELECT content::text FROM schemes WHERE year = $1 ORDER BY version DESC LIMIT 1", year);
  if (r.empty()) return std::nullopt;
  return FromJson<v1::ScoringScheme>(r[0][0].as<std::string>());
}

void InsertScheme(pqxx::work& txn, const v1::ScoringScheme& scheme) {
  txn.exec_params(
      "INSERT INTO schemes (year, version, name, content, created_at, created_by)"
      " VALUES ($1, $2, $3, $4::jsonb, to_timestamp($5), $6)",
      scheme.year(), scheme.version(), scheme.name(), ToJson(scheme),
      static_cast<double>(scheme.created_at().seconds()), scheme.created_by());
}

std::vector<v1::SelfAssessment> LoadSelfAssessments(pqxx::work& txn) {
  std::vector<v1::SelfAssessment> out;
  for (const auto& row : txn.exec("SELECT content::text FROM self_assessments")) {
    out.push_back(FromJson<v1::SelfAssessment>(row[0].as<std::string>()));
  }
  return out;
}

void UpsertSelfAssessment(pqxx::work& txn, const v1::SelfAssessment& a) {
  txn.exec_params(
      "INSERT INTO self_assessments (organization_code, period, scheme_year, scheme_version,"
      " content, recorded_by) VALUES ($1, $2, $3, $4, $5::jsonb, $6)"
      " ON CONFLICT (organization_code, period) DO UPDATE SET scheme_year = EXCLUDED.scheme_year,"
      " scheme_version = EXCLUDED.scheme_version, content = EXCLUDED.content,"
      " recorded_at = now(), recorded_by = EXCLUDED.recorded_by",
      a.organization_code(), a.period(), a.scheme_year(), a.scheme_version(), ToJson(a),
      a.recorded_by());
}

int64_t LoadCursor(pqxx::work& txn) {
  return txn.exec("SELECT last_sequence FROM feed_cursor WHERE id = 1")[0][0].as<int64_t>();
}

void StoreCursor(pqxx::work& txn, int64_t sequence) {
  txn.exec_params("UPDATE feed_cursor SET last_sequence = $1, updated_at = now() WHERE id = 1",
                  sequence);
}

}  // namespace ranking::storage

#include "services/emulation/storage.h"

#include "absl/strings/numbers.h"
#include "services/common/enum_names.h"

namespace emulation::storage {
namespace {

v1::EmulationYear ParseYear(const pqxx::field& field) {
  v1::EmulationYear year;
  const pqxx::binarystring bytes(field);
  year.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
  return year;
}

std::string Bytes(const google::protobuf::Message& message) { return message.SerializeAsString(); }

// The calendar year of a decision date, or 0 when there is none.
int DecidedYear(const v1::Award& award) {
  int year = 0;
  if (award.decided_on().size() < 4 || !absl::SimpleAtoi(award.decided_on().substr(0, 4), &year)) {
    return 0;
  }
  return year;
}

void ReplaceAwards(pqxx::work& txn, int64_t id, const v1::EmulationYear& year) {
  txn.exec_params("DELETE FROM awards WHERE year_id = $1", id);
  for (const v1::Award& award : year.awards()) {
    const int decided = DecidedYear(award);
    txn.exec_params(
        "INSERT INTO awards (year_id, organization_code, kind, state, decided_year, content)"
        " VALUES ($1, $2, $3, $4, NULLIF($5, 0), $6)",
        id, award.organization_code(), fed::EnumWordLower(award.kind()),
        fed::EnumWordLower(award.state()), decided, pqxx::binarystring(Bytes(award)));
  }
}

}  // namespace

std::optional<StoredYear> LoadYear(pqxx::work& txn, const v1::YearKey& key, bool lock) {
  auto rows = txn.exec_params(
      std::string("SELECT id, content FROM years WHERE organiser_code = $1 AND year = $2"
                  " AND cluster_number = $3") +
          (lock ? " FOR UPDATE" : ""),
      key.organiser_code(), key.year(), key.cluster_number());
  if (rows.empty()) return std::nullopt;
  return StoredYear{rows[0][0].as<int64_t>(), ParseYear(rows[0][1])};
}

int64_t InsertYear(pqxx::work& txn, const v1::EmulationYear& year, const std::string& action,
                   const std::string& actor) {
  const std::string bytes = Bytes(year);
  const int64_t id =
      txn.exec_params1(
             "INSERT INTO years (organiser_code, year, cluster_number, state, revision, content)"
             " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
             year.key().organiser_code(), year.key().year(), year.key().cluster_number(),
             fed::EnumWordLower(year.state()), year.revision(), pqxx::binarystring(bytes))[0]
          .as<int64_t>();
  txn.exec_params(
      "INSERT INTO year_revisions (year_id, revision, action, content, changed_by)"
      " VALUES ($1, $2, $3, $4, $5)",
      id, year.revision(), action, pqxx::binarystring(bytes), actor);
  return id;
}

void SaveYear(pqxx::work& txn, int64_t id, const v1::EmulationYear& year, const std::string& action,
              const std::string& actor, bool awards_changed) {
  const std::string bytes = Bytes(year);
  // The revision check makes a lost row lock a failed write, not a silent
  // overwrite of somebody else's step.
  const auto updated = txn.exec_params(
      "UPDATE years SET state = $2, revision = $3, content = $4, updated_at = now()"
      " WHERE id = $1 AND revision = $3 - 1",
      id, fed::EnumWordLower(year.state()), year.revision(), pqxx::binarystring(bytes));
  if (updated.affected_rows() != 1) {
    throw std::runtime_error("emulation year changed under a held lock");
  }
  txn.exec_params(
      "INSERT INTO year_revisions (year_id, revision, action, content, changed_by)"
      " VALUES ($1, $2, $3, $4, $5)",
      id, year.revision(), action, pqxx::binarystring(bytes), actor);
  if (awards_changed) ReplaceAwards(txn, id, year);
}

std::vector<v1::EmulationYear> ListYears(pqxx::work& txn, int year, int cluster) {
  std::vector<v1::EmulationYear> out;
  for (const auto& row : txn.exec_params(
           "SELECT content FROM years WHERE ($1 = 0 OR year = $1)"
           " AND ($2 = 0 OR cluster_number = $2) ORDER BY year, cluster_number, organiser_code",
           year, cluster)) {
    out.push_back(ParseYear(row[0]));
  }
  return out;
}

bool InsertFile(pqxx::work& txn, int64_t year_id, const v1::FileRef& file,
                const std::string& content, const std::string& actor,
                const std::string& actor_organization) {
  const auto r = txn.exec_params(
      "INSERT INTO files (year_id, sha256, name, media_type, content, uploaded_by,"
      " uploader_organization) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
      year_id, file.sha256(), file.name(), file.media_type(), pqxx::binarystring(content), actor,
      actor_organization);
  return r.affected_rows() == 1;
}

std::pair<int64_t, int64_t> UploadedBy(pqxx::work& txn, int64_t year_id,
                                       const std::string& organization) {
  const auto row = txn.exec_params1(
      "SELECT count(*), coalesce(sum(length(content)), 0) FROM files"
      " WHERE year_id = $1 AND uploader_organization = $2",
      year_id, organization);
  return {row[0].as<int64_t>(), row[1].as<int64_t>()};
}

std::optional<v1::FileRef> FindFile(pqxx::work& txn, int64_t year_id, const std::string& sha256) {
  auto rows = txn.exec_params(
      "SELECT name, media_type, length(content) FROM files WHERE year_id = $1 AND sha256 = $2",
      year_id, sha256);
  if (rows.empty()) return std::nullopt;
  v1::FileRef file;
  file.set_name(rows[0][0].as<std::string>());
  file.set_media_type(rows[0][1].as<std::string>());
  file.set_sha256(sha256);
  file.set_size_bytes(rows[0][2].as<int64_t>());
  return file;
}

std::optional<v1::FileContent> LoadFile(pqxx::work& txn, int64_t year_id,
                                        const std::string& sha256) {
  auto rows = txn.exec_params(
      "SELECT name, media_type, content FROM files WHERE year_id = $1 AND sha256 = $2", year_id,
      sha256);
  if (rows.empty()) return std::nullopt;
  v1::FileContent out;
  out.mutable_file()->set_name(rows[0][0].as<std::string>());
  out.mutable_file()->set_media_type(rows[0][1].as<std::string>());
  out.mutable_file()->set_sha256(sha256);
  const pqxx::binarystring bytes(rows[0][2]);
  out.set_content(bytes.str());
  out.mutable_file()->set_size_bytes(static_cast<int64_t>(bytes.size()));
  return out;
}

std::vector<v1::Award> ListAwards(pqxx::work& txn, const std::string& organization_code,
                                  int decided_year) {
  std::vector<v1::Award> out;
  for (const auto& row :
       txn.exec_params("SELECT content FROM awards WHERE ($1 = '' OR organization_code = $1)"
                       " AND ($2 = 0 OR decided_year = $2)"
                       " ORDER BY decided_year NULLS LAST, organization_code, kind",
                       organization_code, decided_year)) {
    v1::Award award;
    const pqxx::binarystring bytes(row[0]);
    award.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
    out.push_back(std::move(award));
  }
  return out;
}

}  // namespace emulation::storage

#include "services/registry/storage.h"
#include "services/common/timestamp.h"

#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"

namespace registry::storage {
namespace {

// Columns of an organisation as Organization fields, parent and successor
// resolved to codes, dates as ISO text, timestamps as microseconds.
constexpr char kOrganizationColumns[] =
    "o.id, coalesce(o.parent_id, 0), o.code, o.kind, o.name, o.short_name,"
    " coalesce(p.code, ''), coalesce(to_char(o.founded_on, 'YYYY-MM-DD'), ''), o.field,"
    " o.member_count, o.intellectual_count, o.status, to_char(o.active_from, 'YYYY-MM-DD'),"
    " coalesce(to_char(o.active_until, 'YYYY-MM-DD'), ''), coalesce(s.code, ''), o.region,"
    " o.revision, (extract(epoch FROM o.updated_at) * 1000000)::bigint, o.updated_by";
constexpr char kOrganizationJoins[] =
    " FROM organizations o LEFT JOIN organizations p ON p.id = o.parent_id"
    " LEFT JOIN organizations s ON s.id = o.successor_id";

using fed::SetTimestamp;

OrganizationRow OrganizationFromRow(const pqxx::row& r) {
  OrganizationRow row;
  row.id = r[0].as<int64_t>();
  row.parent_id = r[1].as<int64_t>();
  v1::Organization& o = row.organization;
  o.set_code(r[2].as<std::string>());
  o.set_kind(static_cast<v1::OrganizationKind>(r[3].as<int>()));
  o.set_name(r[4].as<std::string>());
  o.set_short_name(r[5].as<std::string>());
  o.set_parent_code(r[6].as<std::string>());
  o.set_founded_on(r[7].as<std::string>());
  o.set_field(r[8].as<std::string>());
  o.set_member_count(r[9].as<int64_t>());
  o.set_intellectual_count(r[10].as<int64_t>());
  o.set_status(static_cast<v1::OrganizationStatus>(r[11].as<int>()));
  o.set_active_from(r[12].as<std::string>());
  o.set_active_until(r[13].as<std::string>());
  o.set_successor_code(r[14].as<std::string>());
  o.set_region(r[15].as<std::string>());
  o.set_revision(r[16].as<int64_t>());
  SetTimestamp(r[17].as<int64_t>(), o.mutable_updated_at());
  o.set_updated_by(r[18].as<std::string>());
  return row;
}

// NULL for an empty optional date, so that '' never reaches a date column.
const char* DateOrNull(const std::string& date) { return date.empty() ? nullptr : date.c_str(); }
const int64_t* IdOrNull(const int64_t& id) { return id == 0 ? nullptr : &id; }

std::string ToJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(message, &json, options).ok()) return "{}";
  return json;
}

}  // namespace

absl::StatusOr<OrganizationRow> LoadOrganization(pqxx::work& txn, const std::string& code,
                                                 bool lock) {
  pqxx::result r =
      txn.exec_params(absl::StrCat("SELECT ", kOrganizationColumns, kOrganizationJoins,
                                   " WHERE o.code = $1", lock ? " FOR UPDATE OF o" : ""),
                      code);
  if (r.empty()) return absl::NotFoundError(absl::StrCat("no organisation with code ", code));
  return OrganizationFromRow(r[0]);
}

absl::StatusOr<OrganizationRow> LoadOrganizationById(pqxx::work& txn, int64_t id) {
  pqxx::result r = txn.exec_params(
      absl::StrCat("SELECT ", kOrganizationColumns, kOrganizationJoins, " WHERE o.id = $1"), id);
  if (r.empty()) return absl::NotFoundError(absl::StrCat("no organisation with id ", id));
  return OrganizationFromRow(r[0]);
}

std::vector<v1::Organization> ListOrganizations(pqxx::work& txn, const OrganizationFilter& f) {
  const int64_t parent = f.parent_id;
  pqxx::result rows = txn.exec_params(
      absl::StrCat("SELECT ", kOrganizationColumns, kOrganizationJoins,
                   " WHERE ($1 = 0 OR o.kind = $1)"
                   " AND ($2 = 0 OR o.parent_id = $2)"
                   " AND ($3::date IS NULL OR (o.active_from <= $3::date"
                   "      AND (o.active_until IS NULL OR o.active_until > $3::date)))"
                   " AND ($4 = 0 OR EXISTS (SELECT 1 FROM cluster_members m JOIN clusters c"
                   "      ON c.id = m.cluster_id WHERE m.organization_id = o.id AND c.year = $4"
                   "      AND c.number = $5))"
                   " AND o.code > $6"
                   " ORDER BY o.code LIMIT $7"),
      static_cast<int>(f.kind), parent, DateOrNull(f.as_of), f.cluster_year, f.cluster_number,
      f.after_code, f.limit);
  std::vector<v1::Organization> result;
  result.reserve(rows.size());
  for (const auto& row : rows) result.push_back(OrganizationFromRow(row).organization);
  return result;
}

int64_t InsertOrganization(pqxx::work& txn, const v1::Organization& org, int64_t parent_id,
                           const std::string& actor) {
  // normalize(..., NFC): the same Vietnamese name typed on different systems
  // (precomposed or combining accents) must compare and sort as one.
  pqxx::row r = txn.exec_params1(
      "INSERT INTO organizations (code, kind, name, short_name, parent_id, founded_on, field,"
      " member_count, intellectual_count, status, region, active_from, active_until, updated_by)"
      " VALUES ($1, $2, normalize($3, NFC), normalize($4, NFC), $5, $6::date, normalize($7, NFC),"
      " $8, $9, $10, normalize($11, NFC), $12::date, $13::date, $14) RETURNING id",
      org.code(), static_cast<int>(org.kind()), org.name(), org.short_name(), IdOrNull(parent_id),
      DateOrNull(org.founded_on()), org.field(), org.member_count(), org.intellectual_count(),
      static_cast<int>(org.status()), org.region(), org.active_from(),
      DateOrNull(org.active_until()), actor);
  return r[0].as<int64_t>();
}

void UpdateOrganizationFields(pqxx::work& txn, int64_t id, const v1::Organization& org,
                              int64_t parent_id, const std::string& actor) {
  txn.exec_params0(
      "UPDATE organizations SET name = normalize($2, NFC), short_name = normalize($3, NFC),"
      " parent_id = $4, founded_on = $5::date, field = normalize($6, NFC), member_count = $7,"
      " intellectual_count = $8, status = $9, region = normalize($10, NFC),"
      " revision = revision + 1, updated_at = now(), updated_by = $11 WHERE id = $1",
      id, org.name(), org.short_name(), IdOrNull(parent_id), DateOrNull(org.founded_on()),
      org.field(), org.member_count(), org.intellectual_count(), static_cast<int>(org.status()),
      org.region(), actor);
}

void EndOrganization(pqxx::work& txn, int64_t id, const std::string& until, int64_t successor_id,
                     const std::string& actor) {
  txn.exec_params0(
      "UPDATE organizations SET active_until = $2::date, successor_id = $3, status = $4,"
      " revision = revision + 1, updated_at = now(), updated_by = $5 WHERE id = $1",
      id, until, IdOrNull(successor_id), static_cast<int>(v1::ORGANIZATION_STATUS_RETIRED), actor);
}

void TouchOrganization(pqxx::work& txn, int64_t id, const std::string& actor) {
  txn.exec_params0(
      "UPDATE organizations SET revision = revision + 1, updated_at = now(), updated_by = $2"
      " WHERE id = $1",
      id, actor);
}

void AppendRevision(pqxx::work& txn, int64_t id, const std::string& change, const std::string& note,
                    const std::string& actor) {
  auto row = LoadOrganizationById(txn, id);
  if (!row.ok()) throw std::logic_error("revision of a missing organisation");
  txn.exec_params0(
      "INSERT INTO organization_revisions (organization_id, revision, change, note, snapshot,"
      " recorded_by) VALUES ($1, $2, $3, $4, $5::jsonb, $6)",
      id, row->organization.revision(), change, note, ToJson(row->organization), actor);
}

std::vector<v1::OrganizationRevision> LoadHistory(pqxx::work& txn, int64_t id) {
  pqxx::result rows = txn.exec_params(
      "SELECT change, note, snapshot::text FROM organization_revisions"
      " WHERE organization_id = $1 ORDER BY revision",
      id);
  std::vector<v1::OrganizationRevision> history;
  for (const auto& row : rows) {
    v1::OrganizationRevision& revision = history.emplace_back();
    revision.set_change(row[0].as<std::string>());
    revision.set_note(row[1].as<std::string>());
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;  // snapshots written by newer versions
    (void)google::protobuf::util::JsonStringToMessage(row[2].as<std::string>(),
                                                      revision.mutable_organization(), options);
  }
  return history;
}

int64_t InsertMerger(pqxx::work& txn, int64_t successor_id, const std::string& effective_on,
                     const std::string& decision, const std::string& actor,
                     const std::vector<int64_t>& predecessor_ids) {
  const int64_t merger_id =
      txn.exec_params1(
             "INSERT INTO mergers (successor_id, effective_on, decision, recorded_by)"
             " VALUES ($1, $2::date, $3, $4) RETURNING id",
             successor_id, effective_on, decision, actor)[0]
          .as<int64_t>();
  for (int64_t predecessor : predecessor_ids) {
    txn.exec_params0("INSERT INTO merger_predecessors (merger_id, organization_id) VALUES ($1, $2)",
                     merger_id, predecessor);
  }
  return merger_id;
}

namespace {

std::vector<v1::Merger> QueryMergers(pqxx::work& txn, const char* where, int64_t id) {
  pqxx::result rows = txn.exec_params(
      absl::StrCat("SELECT m.id, s.code, to_char(m.effective_on, 'YYYY-MM-DD'), m.decision,"
                   " (extract(epoch FROM m.recorded_at) * 1000000)::bigint, m.recorded_by,"
                   " (SELECT string_agg(o.code, ',' ORDER BY o.code) FROM merger_predecessors mp"
                   "  JOIN organizations o ON o.id = mp.organization_id WHERE mp.merger_id = m.id)"
                   " FROM mergers m JOIN organizations s ON s.id = m.successor_id WHERE ",
                   where, " ORDER BY m.effective_on, m.id"),
      id);
  std::vector<v1::Merger> mergers;
  for (const auto& row : rows) {
    v1::Merger& m = mergers.emplace_back();
    m.set_id(row[0].as<int64_t>());
    m.set_successor_code(row[1].as<std::string>());
    m.set_effective_on(row[2].as<std::string>());
    m.set_decision(row[3].as<std::string>());
    SetTimestamp(row[4].as<int64_t>(), m.mutable_recorded_at());
    m.set_recorded_by(row[5].as<std::string>());
    std::string codes = row[6].is_null() ? "" : row[6].as<std::string>();
    for (size_t start = 0; start < codes.size();) {
      size_t comma = codes.find(',', start);
      if (comma == std::string::npos) comma = codes.size();
      m.add_predecessor_codes(codes.substr(start, comma - start));
      start = comma + 1;
    }
  }
  return mergers;
}

}  // namespace

std::vector<v1::Merger> ListMergers(pqxx::work& txn, int64_t organization_id) {
  return QueryMergers(txn,
                      "($1 = 0 OR m.successor_id = $1 OR EXISTS (SELECT 1 FROM"
                      " merger_predecessors mp WHERE mp.merger_id = m.id"
                      " AND mp.organization_id = $1))",
                      organization_id);
}

std::vector<v1::Merger> ListMergersInto(pqxx::work& txn, int64_t successor_id) {
  return QueryMergers(txn, "m.successor_id = $1", successor_id);
}

std::optional<ClusterRow> LoadCluster(pqxx::work& txn, int32_t year, int32_t number, bool lock) {
  pqxx::result r = txn.exec_params(
      absl::StrCat("SELECT c.id, c.revision, c.name, coalesce(h.code, ''), coalesce(d.code, '')"
                   " FROM clusters c LEFT JOIN organizations h ON h.id = c.head_id"
                   " LEFT JOIN organizations d ON d.id = c.deputy_id"
                   " WHERE c.year = $1 AND c.number = $2",
                   lock ? " FOR UPDATE OF c" : ""),
      year, number);
  if (r.empty()) return std::nullopt;
  ClusterRow row;
  row.id = r[0][0].as<int64_t>();
  row.revision = r[0][1].as<int64_t>();
  row.cluster.set_year(year);
  row.cluster.set_number(number);
  row.cluster.set_name(r[0][2].as<std::string>());
  row.cluster.set_head_code(r[0][3].as<std::string>());
  row.cluster.set_deputy_code(r[0][4].as<std::string>());
  pqxx::result members = txn.exec_params(
      "SELECT o.code FROM cluster_members m JOIN organizations o ON o.id = m.organization_id"
      " WHERE m.cluster_id = $1 ORDER BY o.code",
      row.id);
  for (const auto& member : members) row.cluster.add_member_codes(member[0].as<std::string>());
  return row;
}

std::vector<v1::EmulationCluster> ListClusters(pqxx::work& txn, int32_t year) {
  pqxx::result numbers =
      txn.exec_params("SELECT number FROM clusters WHERE year = $1 ORDER BY number", year);
  std::vector<v1::EmulationCluster> clusters;
  for (const auto& n : numbers) {
    if (auto row = LoadCluster(txn, year, n[0].as<int32_t>(), false)) {
      clusters.push_back(std::move(row->cluster));
    }
  }
  return clusters;
}

std::optional<int32_t> ClusterNumberOf(pqxx::work& txn, int64_t organization_id, int32_t year,
                                       int64_t except_cluster_id) {
  pqxx::result r = txn.exec_params(
      "SELECT c.number FROM cluster_members m JOIN clusters c ON c.id = m.cluster_id"
      " WHERE m.organization_id = $1 AND m.year = $2 AND m.cluster_id <> $3",
      organization_id, year, except_cluster_id);
  if (r.empty()) return std::nullopt;
  return r[0][0].as<int32_t>();
}

int64_t InsertCluster(pqxx::work& txn, const v1::EmulationCluster& cluster, int64_t head_id,
                      int64_t deputy_id, const std::string& actor) {
  return txn
      .exec_params1(
          "INSERT INTO clusters (year, number, name, head_id, deputy_id, updated_by)"
          " VALUES ($1, $2, normalize($3, NFC), $4, $5, $6) RETURNING id",
          cluster.year(), cluster.number(), cluster.name(), IdOrNull(head_id), IdOrNull(deputy_id),
          actor)[0]
      .as<int64_t>();
}

void UpdateClusterRow(pqxx::work& txn, int64_t id, const v1::EmulationCluster& cluster,
                      int64_t head_id, int64_t deputy_id, const std::string& actor) {
  txn.exec_params0(
      "UPDATE clusters SET name = normalize($2, NFC), head_id = $3, deputy_id = $4,"
      " revision = revision + 1, updated_at = now(), updated_by = $5 WHERE id = $1",
      id, cluster.name(), IdOrNull(head_id), IdOrNull(deputy_id), actor);
}

void ReplaceClusterMembers(pqxx::work& txn, int64_t cluster_id, int32_t year,
                           const std::vector<int64_t>& member_ids) {
  // Membership is the current state; every earlier membership stays in
  // cluster_revisions and the audit log.
  txn.exec_params0("DELETE FROM cluster_members WHERE cluster_id = $1", cluster_id);
  for (int64_t member : member_ids) {
    txn.exec_params0(
        "INSERT INTO cluster_members (cluster_id, year, organization_id) VALUES ($1, $2, $3)",
        cluster_id, year, member);
  }
}

void AppendClusterRevision(pqxx::work& txn, int64_t cluster_id, const std::string& actor) {
  pqxx::row r =
      txn.exec_params1("SELECT year, number, revision FROM clusters WHERE id = $1", cluster_id);
  auto cluster = LoadCluster(txn, r[0].as<int32_t>(), r[1].as<int32_t>(), false);
  txn.exec_params0(
      "INSERT INTO cluster_revisions (cluster_id, revision, snapshot, recorded_by)"
      " VALUES ($1, $2, $3::jsonb, $4)",
      cluster_id, r[2].as<int64_t>(), ToJson(cluster->cluster), actor);
}

namespace {

constexpr char kTermColumns[] =
    "t.id, t.organization_id, o.code, t.term_number, t.start_year, t.end_year,"
    " coalesce(t.extended_to_year, 0), coalesce(to_char(t.held_on, 'YYYY-MM-DD'), ''), t.state,"
    " t.decision_number, coalesce(to_char(t.decision_date, 'YYYY-MM-DD'), ''), t.return_reason,"
    " t.members_revision FROM congress_terms t JOIN organizations o ON o.id = t.organization_id";

TermRow TermFromRow(pqxx::work& txn, const pqxx::row& r) {
  TermRow row;
  row.organization_id = r[1].as<int64_t>();
  v1::CongressTerm& t = row.term;
  t.set_id(r[0].as<int64_t>());
  t.set_organization_code(r[2].as<std::string>());
  t.set_term_number(r[3].as<int32_t>());
  t.set_start_year(r[4].as<int32_t>());
  t.set_end_year(r[5].as<int32_t>());
  t.set_extended_to_year(r[6].as<int32_t>());
  t.set_held_on(r[7].as<std::string>());
  t.set_state(static_cast<v1::RecognitionState>(r[8].as<int>()));
  t.set_decision_number(r[9].as<std::string>());
  t.set_decision_date(r[10].as<std::string>());
  t.set_return_reason(r[11].as<std::string>());
  pqxx::result members = txn.exec_params(
      "SELECT full_name, committee, position FROM congress_members"
      " WHERE term_id = $1 AND revision = $2 ORDER BY seq",
      t.id(), r[12].as<int>());
  for (const auto& m : members) {
    v1::CommitteeMember* member = t.add_members();
    member->set_full_name(m[0].as<std::string>());
    member->set_committee(static_cast<v1::Committee>(m[1].as<int>()));
    member->set_position(static_cast<v1::Position>(m[2].as<int>()));
  }
  pqxx::result events = txn.exec_params(
      "SELECT event, (extract(epoch FROM at) * 1000000)::bigint, actor, detail"
      " FROM congress_events WHERE term_id = $1 ORDER BY id",
      t.id());
  for (const auto& e : events) {
    v1::CongressEvent* event = t.add_history();
    event->set_event(e[0].as<std::string>());
    SetTimestamp(e[1].as<int64_t>(), event->mutable_at());
    event->set_actor(e[2].as<std::string>());
    event->set_detail(e[3].as<std::string>());
  }
  return row;
}

}  // namespace

absl::StatusOr<TermRow> LoadTerm(pqxx::work& txn, int64_t term_id, bool lock) {
  pqxx::result r = txn.exec_params(
      absl::StrCat("SELECT ", kTermColumns, " WHERE t.id = $1", lock ? " FOR UPDATE OF t" : ""),
      term_id);
  if (r.empty()) return absl::NotFoundError(absl::StrCat("no congress term with id ", term_id));
  return TermFromRow(txn, r[0]);
}

std::vector<v1::CongressTerm> ListTerms(pqxx::work& txn, int64_t organization_id) {
  pqxx::result rows =
      txn.exec_params(absl::StrCat("SELECT ", kTermColumns,
                                   " WHERE t.organization_id = $1 ORDER BY t.term_number DESC"),
                      organization_id);
  std::vector<v1::CongressTerm> terms;
  for (const auto& row : rows) terms.push_back(TermFromRow(txn, row).term);
  return terms;
}

int64_t InsertTerm(pqxx::work& txn, int64_t organization_id, const v1::CongressTerm& term) {
  return txn
      .exec_params1(
          "INSERT INTO congress_terms (organization_id, term_number, start_year, end_year,"
          " held_on, state) VALUES ($1, $2, $3, $4, $5::date, $6) RETURNING id",
          organization_id, term.term_number(), term.start_year(), term.end_year(),
          DateOrNull(term.held_on()), static_cast<int>(v1::RECOGNITION_STATE_RECORDED))[0]
      .as<int64_t>();
}

void InsertTermMembers(pqxx::work& txn, int64_t term_id, int revision,
                       const google::protobuf::RepeatedPtrField<v1::CommitteeMember>& members) {
  int seq = 0;
  for (const auto& member : members) {
    txn.exec_params0(
        "INSERT INTO congress_members (term_id, revision, seq, full_name, committee, position)"
        " VALUES ($1, $2, $3, normalize($4, NFC), $5, $6)",
        term_id, revision, seq++, member.full_name(), static_cast<int>(member.committee()),
        static_cast<int>(member.position()));
  }
}

void SetTermMembersRevision(pqxx::work& txn, int64_t term_id, int revision,
                            const std::string& held_on) {
  txn.exec_params0(
      "UPDATE congress_terms SET members_revision = $2, held_on = coalesce($3::date, held_on)"
      " WHERE id = $1",
      term_id, revision, DateOrNull(held_on));
}

void SetTermState(pqxx::work& txn, int64_t term_id, v1::RecognitionState state,
                  const std::string& decision_number, const std::string& decision_date,
                  const std::string& return_reason) {
  txn.exec_params0(
      "UPDATE congress_terms SET state = $2, decision_number = $3, decision_date = $4::date,"
      " return_reason = $5 WHERE id = $1",
      term_id, static_cast<int>(state), decision_number, DateOrNull(decision_date), return_reason);
}

void SetTermExtension(pqxx::work& txn, int64_t term_id, int32_t extended_to_year) {
  txn.exec_params0("UPDATE congress_terms SET extended_to_year = $2 WHERE id = $1", term_id,
                   extended_to_year);
}

void AppendTermEvent(pqxx::work& txn, int64_t term_id, const std::string& event,
                     const std::string& detail, const std::string& actor) {
  txn.exec_params0(
      "INSERT INTO congress_events (term_id, event, detail, actor) VALUES ($1, $2, $3, $4)",
      term_id, event, detail, actor);
}

}  // namespace registry::storage

#include "services/common/audit.h"

#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"

namespace fed {

AuditEntry AuditOf(const Principal& who, const std::string& action, const std::string& target,
                   const google::protobuf::Message& request) {
  AuditEntry entry{who.subject, static_cast<int>(who.role), who.organization_code, action, target,
                   ""};
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(request, &entry.detail_json, options).ok()) {
    entry.detail_json = "{}";
  }
  return entry;
}

std::string AuditInsertSql(int first) {
  return absl::StrCat(
      "INSERT INTO audit_log (subject, role, actor_org, action, target, detail) VALUES ($", first,
      ", $", first + 1, ", $", first + 2, ", $", first + 3, ", $", first + 4, ", $", first + 5,
      "::jsonb)");
}

void AppendAudit(pqxx::work& txn, const Principal& who, const std::string& action,
                 const std::string& target, const google::protobuf::Message& request) {
  const AuditEntry entry = AuditOf(who, action, target, request);
  txn.exec_params(AuditInsertSql(1), entry.subject, entry.role, entry.actor_org, entry.action,
                  entry.target, entry.detail_json);
}

std::vector<federation::v1::AuditEvent> ListAudit(pqxx::work& txn, const std::string& target,
                                                  int limit) {
  pqxx::result rows = txn.exec_params(
      "SELECT id, (extract(epoch FROM at) * 1000000)::bigint, subject, role, actor_org, action,"
      " target, detail::text FROM audit_log WHERE ($1 = '' OR target = $1)"
      " ORDER BY id DESC LIMIT $2",
      target, limit);
  std::vector<federation::v1::AuditEvent> events;
  for (const auto& row : rows) {
    federation::v1::AuditEvent& event = events.emplace_back();
    event.set_id(row[0].as<int64_t>());
    const int64_t micros = row[1].as<int64_t>();
    event.mutable_at()->set_seconds(micros / 1000000);
    event.mutable_at()->set_nanos(static_cast<int32_t>(micros % 1000000) * 1000);
    event.set_subject(row[2].as<std::string>());
    event.set_role(static_cast<federation::v1::Role>(row[3].as<int>()));
    event.set_actor_organization_code(row[4].as<std::string>());
    event.set_action(row[5].as<std::string>());
    event.set_target(row[6].as<std::string>());
    event.set_detail_json(row[7].as<std::string>());
  }
  return events;
}

}  // namespace fed

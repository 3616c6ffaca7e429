// The append-only audit log every service keeps in its own schema (table
// audit_log, created by the service's first migration): who wrote what, when.
#pragma once

#include <string>
#include <vector>

#include <google/protobuf/message.h>
#include <pqxx/pqxx>

#include "federation/v1/common.pb.h"
#include "services/common/auth.h"

namespace fed {

// One audit row's values: who, in which role and organisation, did what to
// what; `detail_json` is the request as protobuf JSON.
struct AuditEntry {
  std::string subject;
  int role = 0;
  std::string actor_org;
  std::string action;
  std::string target;
  std::string detail_json;
};

AuditEntry AuditOf(const Principal& who, const std::string& action, const std::string& target,
                   const google::protobuf::Message& request);

// The statement that writes `AuditOf(...)` given its six values from
// parameter $first on, for a hot write that records its audit row in the
// same statement as the change (one round trip less) instead of AppendAudit.
std::string AuditInsertSql(int first);

// Records a write inside the caller's transaction, so the audit row exists
// exactly when the change does. `request` is stored as protobuf JSON.
void AppendAudit(pqxx::work& txn, const Principal& who, const std::string& action,
                 const std::string& target, const google::protobuf::Message& request);

// Newest first; `target` empty = every target.
std::vector<federation::v1::AuditEvent> ListAudit(pqxx::work& txn, const std::string& target,
                                                  int limit);

}  // namespace fed

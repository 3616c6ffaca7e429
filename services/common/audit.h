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

// Records a write inside the caller's transaction, so the audit row exists
// exactly when the change does. `request` is stored as protobuf JSON.
void AppendAudit(pqxx::work& txn, const Principal& who, const std::string& action,
                 const std::string& target, const google::protobuf::Message& request);

// Newest first; `target` empty = every target.
std::vector<federation::v1::AuditEvent> ListAudit(pqxx::work& txn, const std::string& target,
                                                  int limit);

}  // namespace fed

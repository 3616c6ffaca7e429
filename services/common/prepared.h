// Statements run as prepared statements, prepared once per connection: the
// same SQL text is planned once instead of at every call. During a push
// storm planning was a third of PostgreSQL's time (issue 17's profile).
// The statement's name comes from its text, so a call site passes only the
// SQL and its parameters, as with exec_params.
//
// Only for statements whose plan does not hang on the parameters' values:
// after five runs PostgreSQL may settle on one generic plan (a LIMIT or a
// range that is sometimes tiny and sometimes the whole table does not
// belong here).
#pragma once

#include <functional>
#include <string>
#include <utility>

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"

namespace fed {

template <typename... Args>
pqxx::result ExecPrepared(pqxx::transaction_base& txn, const std::string& sql, Args&&... args) {
  const std::string name = absl::StrCat("fed_", std::hash<std::string>{}(sql));
  // libpqxx keeps the definitions per connection: defining the same text
  // again is a no-op, and a new connection prepares it at its first use.
  txn.conn().prepare(name, sql);
  return txn.exec_prepared(name, std::forward<Args>(args)...);
}

}  // namespace fed

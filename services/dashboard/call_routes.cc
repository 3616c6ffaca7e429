// POST /api/call/<service>/<Method>: what the page writes (drafts,
// submissions, review decisions) and the reads that must be the person's own
// (a province's drafts). The dashboard adds nothing but the session's token;
// the service called decides (person_calls.h).
#include <openssl/crypto.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/log.h"
#include "services/dashboard/http_api.h"
#include "services/dashboard/http_util.h"

namespace dashboard {

namespace {

// The session's anti-forgery token, sent back by the page in a header that a
// form or a script of another site cannot set on a request to this origin.
// Compared in constant time: a timing must not reveal its prefix.
bool CsrfTokenMatches(const httplib::Request& req, const std::string& expected) {
  const std::string sent = req.get_header_value("X-CSRF-Token");
  return !expected.empty() && sent.size() == expected.size() &&
         CRYPTO_memcmp(sent.data(), expected.data(), sent.size()) == 0;
}

}  // namespace

void HttpApi::CallAsPerson(const httplib::Request& req, httplib::Response& res) {
  SecurityHeaders(res);
  if (!SameOrigin(req)) return SendError(res, absl::PermissionDeniedError("cross-site request"));
  auto session = sessions_->FindSession(SessionIdOf(req), absl::Now());
  if (!session.ok()) return SendError(res, session.status());
  if (!CsrfTokenMatches(req, session->csrf_token)) {
    return SendError(
        res, absl::PermissionDeniedError("missing or wrong X-CSRF-Token header: reload the page"));
  }
  const std::string service = req.matches[1];
  const std::string method = req.matches[2];
  auto answer = backend_->person_calls().Call(service, method, session->token, req.body);
  spdlog::info("event=person_call subject={} org={} method={}/{} code={}",
               fed::LogQuoted(session->principal.subject),
               fed::LogQuoted(session->principal.organization_code), fed::LogQuoted(service),
               fed::LogQuoted(method), absl::StatusCodeToString(answer.status().code()));
  if (!answer.ok()) return SendError(res, answer.status());
  SendJsonText(res, 200, *std::move(answer));
}

}  // namespace dashboard

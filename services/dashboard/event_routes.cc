// Live updates: the aggregator's change feed as server-sent events, each
// viewer seeing the changes of what they may see, for as long as their
// session lasts, a few streams per session.
#include <algorithm>
#include <memory>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/dashboard/http_api.h"
#include "services/dashboard/http_util.h"
#include "services/dashboard/session.h"

namespace dashboard {

void HttpApi::Events(const httplib::Request& req, httplib::Response& res,
                     const fed::Principal& who) {
  // Reports' news is for the national office and each province's own staff;
  // a judge, whatever organisation they come from, reads none of it.
  if (!SeesNationalBoard(who) && who.role != v1::ROLE_PROVINCE_REPORTER) {
    return SendError(res, absl::PermissionDeniedError(
                              "live report updates are for the national office and provinces"));
  }
  const std::string session = SessionIdOf(req);
  if (absl::Status begun = sessions_->BeginStream(session, absl::Now()); !begun.ok()) {
    return SendError(res, begun);
  }
  int64_t after = 0;
  std::string last_id = req.get_header_value("Last-Event-ID");
  if (!absl::SimpleAtoi(last_id, &after) &&
      !absl::SimpleAtoi(req.get_param_value("after"), &after)) {
    after = feed_->head();
  }
  auto cursor = std::make_shared<int64_t>(std::max<int64_t>(0, after));
  auto started = std::make_shared<bool>(false);
  const bool national = SeesNationalBoard(who);
  const std::string own = who.organization_code;
  const absl::Duration heartbeat = options_.heartbeat;
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Accel-Buffering", "no");
  res.set_chunked_content_provider(
      "text/event-stream",
      [this, session, cursor, started, national, own, heartbeat](size_t, httplib::DataSink& sink) {
        std::string out;
        if (!*started) {
          *started = true;
          v1::EventsHello hello;
          hello.set_sequence(*cursor);
          out = absl::StrCat("retry: 2000\nevent: hello\ndata: ", ToJson(hello), "\n\n");
          return sink.write(out.data(), out.size());
        }
        ChangeFeed::Batch batch = feed_->WaitAfter(*cursor, heartbeat);
        // A session that ended (logout, expiry) ends its streams; the page's
        // reconnection then meets 401 and goes to the login.
        if (batch.stopping || !sessions_->Find(session, absl::Now()).ok()) {
          sink.done();
          return true;
        }
        if (batch.gap) {
          *cursor = feed_->head();
          out = absl::StrCat("id: ", *cursor, "\nevent: reset\ndata: ", ToJson(v1::EventsReset()),
                             "\n\n");
        } else if (batch.changes.empty()) {
          out = ": keep-alive\n\n";
        }
        for (const auto& change : batch.changes) {
          *cursor = change.sequence();
          if (!national && change.organization_code() != own) continue;
          out += absl::StrCat("id: ", change.sequence(), "\nevent: change\ndata: ", ToJson(change),
                              "\n\n");
        }
        if (out.empty()) out = ": skipped\n\n";
        return sink.write(out.data(), out.size());
      },
      [this, session](bool) { sessions_->EndStream(session); });
}

}  // namespace dashboard

// The national office's commands against the aggregator: the figures
// (`totals`, `coverage`, `completeness`, `series`), the review of reports
// (`review accept|return|reopen|show|history`) and the change feed
// (`changes`). Every one prints a table, --json or --csv.
#include <cmath>
#include <iostream>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/catalog.h"
#include "services/common/dates.h"
#include "services/common/period.h"
#include "tools/fedctl/aggregator_client.h"
#include "tools/fedctl/commands.h"
#include "tools/fedctl/names.h"
#include "tools/fedctl/registry_client.h"
#include "tools/fedctl/sheet.h"

namespace fedctl {
namespace {

namespace v1 = federation::v1;
using Stub = AggregatorClient::Stub;

// ---------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------

fed::Period ParsePeriodOption(const Invocation& invocation, absl::string_view option) {
  const std::string text = invocation.Get(option);
  auto period = fed::Period::Parse(text);
  if (!period.ok()) throw UsageError(absl::StrCat("--", option, ": ", period.status().message()));
  return *period;
}

std::vector<std::string> IndicatorList(const Invocation& invocation, absl::string_view option) {
  std::vector<std::string> codes = invocation.GetList(option);
  for (const auto& code : codes) {
    if (fed::FindIndicator(code) == nullptr) {
      throw UsageError(absl::StrCat("--", option, ": '", code,
                                    "' is not an indicator of the catalog (e.g. members, "
                                    "workshops, has_bulletin)"));
    }
  }
  return codes;
}

bool IsFlagIndicator(const std::string& code) {
  const v1::Indicator* indicator = fed::FindIndicator(code);
  return indicator != nullptr && indicator->type() == v1::INDICATOR_TYPE_BOOLEAN;
}

std::string LabelOf(const std::string& code) {
  const v1::Indicator* indicator = fed::FindIndicator(code);
  return indicator == nullptr ? "" : indicator->label_vi();
}

std::string ValueText(const v1::IndicatorValue& value) {
  switch (value.value_case()) {
    case v1::IndicatorValue::kCount:
      return absl::StrCat(value.count());
    case v1::IndicatorValue::kFlag:
      return value.flag() ? "yes" : "no";
    case v1::IndicatorValue::kDecimal:
      return FormatFigure(value.decimal());
    default:
      return "";
  }
}

// Timestamps in CSV: ISO 8601 with Vietnam's offset, which spreadsheets and
// scripts read without guessing the zone; "" when unset.
std::string CsvTime(const google::protobuf::Timestamp& timestamp) {
  if (timestamp.seconds() == 0 && timestamp.nanos() == 0) return "";
  return absl::FormatTime("%Y-%m-%dT%H:%M:%S+07:00", absl::FromUnixSeconds(timestamp.seconds()),
                          absl::FixedTimeZone(7 * 3600));
}

std::string ScopeText(bool include_submitted) {
  return include_submitted ? "accepted and submitted reports" : "accepted reports";
}

v1::OrganizationKind ReporterKind(const Invocation& invocation) {
  if (!invocation.Has("kind")) return v1::ORGANIZATION_KIND_PROVINCIAL_UNION;
  return ParseKind(invocation.Get("kind"), "--kind");
}

std::string Reporters(int64_t count, v1::OrganizationKind kind) {
  return kind == v1::ORGANIZATION_KIND_PROVINCIAL_UNION
             ? CountOf(count, "province", "provinces")
             : CountOf(count, "organisation", "organisations");
}

// Place names of the organisations of `kind` on `day`, from the registry
// (--target). Decoration only: on failure a note goes to stderr and the
// codes stand alone.
std::map<std::string, std::string> NamesOn(const Invocation& invocation, v1::OrganizationKind kind,
                                           const std::string& day) {
  std::map<std::string, std::string> names;
  v1::ListOrganizationsRequest request;
  request.set_kind(kind);
  request.set_as_of(day);
  v1::ListOrganizationsResponse response;
  auto registry = RegistryClient::Connect(invocation.global());
  if (auto status = ListAllOrganizations(registry, request, &response); !status.ok()) {
    std::cerr << "note: names not shown; the registry at " << invocation.global().target
              << " answered " << absl::StatusCodeToString(status.code()) << "\n";
    return names;
  }
  for (const auto& organization : response.organizations()) {
    names[organization.code()] = PlaceName(organization);
  }
  return names;
}

std::string Named(const std::string& code, const std::map<std::string, std::string>& names) {
  auto it = names.find(code);
  return it == names.end() || it->second.empty() ? code : absl::StrCat(code, " ", it->second);
}

std::string NamedList(const google::protobuf::RepeatedPtrField<std::string>& codes,
                      const std::map<std::string, std::string>& names) {
  std::vector<std::string> items;
  for (const auto& code : codes) items.push_back(Named(code, names));
  return absl::StrJoin(items, ", ");
}

std::string Percent(int64_t part, int64_t whole) {
  if (whole == 0) return "";
  return absl::StrCat(
      " (", std::llround(100.0 * static_cast<double>(part) / static_cast<double>(whole)), "%)");
}

// ---------------------------------------------------------------------------
// totals
// ---------------------------------------------------------------------------

int RunTotals(const Invocation& invocation) {
  const OutputFormat format = FormatOf(invocation);
  v1::TotalsRequest request;
  request.set_period(ParsePeriodOption(invocation, "period").ToString());
  for (const auto& code : IndicatorList(invocation, "indicators"))
    request.add_indicator_codes(code);
  request.set_include_submitted(invocation.Switch("include-submitted"));

  v1::TotalsResponse response;
  auto client = AggregatorClient::Connect(invocation);
  if (auto status = client.Call(&Stub::GetTotals, request, &response); !status.ok()) {
    return ReportRpcError(absl::StrCat("national totals for ", request.period()), status);
  }
  const std::string period = response.period().empty() ? request.period() : response.period();
  auto sheet = [&](bool readable) {
    Sheet s(readable ? std::vector<std::string>{"code", "chỉ tiêu", "value", "reporting"}
                     : std::vector<std::string>{"period", "indicator_code", "label_vi", "value",
                                                "reporting_organizations", "derived"});
    for (const auto& total : response.totals()) {
      const std::string value =
          readable && IsFlagIndicator(total.indicator_code())
              ? absl::StrCat(FormatFigure(total.value()), " of ", total.reporting_organizations())
              : FormatFigure(total.value());
      if (readable) {
        s.AddRow({total.indicator_code(), LabelOf(total.indicator_code()), value,
                  absl::StrCat(total.reporting_organizations())});
      } else {
        s.AddRow({period, total.indicator_code(), LabelOf(total.indicator_code()), value,
                  absl::StrCat(total.reporting_organizations()),
                  response.derived() ? "yes" : "no"});
      }
    }
    return s;
  };
  return Present(
      format, response,
      [&] {
        std::cout << "national totals for " << period << " ("
                  << ScopeText(request.include_submitted()) << ")\n";
        if (response.derived()) {
          std::cout << "no annual reports for " << period
                    << ": derived from its half-years (flows added, stocks at year end)\n";
        }
        sheet(true).PrintTable(std::cout);
        std::cout << "yes/no indicators: how many reporting organisations said yes\n";
      },
      [&] { return sheet(false); });
}

// ---------------------------------------------------------------------------
// coverage
// ---------------------------------------------------------------------------

int RunCoverage(const Invocation& invocation) {
  const OutputFormat format = FormatOf(invocation);
  const fed::Period period = ParsePeriodOption(invocation, "period");
  v1::CoverageRequest request;
  request.set_period(period.ToString());
  request.set_condition(invocation.Get("condition"));
  request.set_as_of(invocation.GetDate("as-of"));
  request.set_roll_up(invocation.Switch("roll-up"));
  request.set_include_submitted(invocation.Switch("include-submitted"));
  request.set_reporter_kind(ReporterKind(invocation));

  v1::CoverageResponse response;
  auto client = AggregatorClient::Connect(invocation);
  if (auto status = client.Call(&Stub::GetCoverage, request, &response); !status.ok()) {
    return ReportRpcError(absl::StrCat("coverage for ", request.period()), status);
  }
  if (format == OutputFormat::kJson)
    return Present(
        format, response, [] {}, [] { return Sheet({}); });

  const std::string day =
      request.as_of().empty() ? fed::FormatDate(period.LastDay()) : request.as_of();
  const auto names = NamesOn(invocation, request.reporter_kind(), day);
  const std::set<std::string> matching(response.matching_codes().begin(),
                                       response.matching_codes().end());
  const std::set<std::string> without(response.without_report_codes().begin(),
                                      response.without_report_codes().end());
  auto name_of = [&](const std::string& code) {
    auto it = names.find(code);
    return it == names.end() ? std::string() : it->second;
  };
  return Present(
      format, response,
      [&] {
        std::cout << response.matching() << " of "
                  << Reporters(response.of(), request.reporter_kind()) << ": "
                  << request.condition() << " in " << request.period() << " ("
                  << ScopeText(request.include_submitted()) << ", map of " << day
                  << (request.roll_up() ? ", predecessors rolled up" : "") << ")\n";
        if (response.matching_codes_size() > 0) {
          Sheet s({"code", "name"});
          for (const auto& code : response.matching_codes()) s.AddRow({code, name_of(code)});
          s.PrintTable(std::cout);
        }
        if (response.without_report_codes_size() > 0) {
          std::cout << "no counted report (" << response.without_report_codes_size()
                    << "): " << NamedList(response.without_report_codes(), names) << "\n";
        }
      },
      [&] {
        // Every expected organisation when the registry named them; else
        // those the aggregator named (matching, and those without a report).
        Sheet s({"period", "code", "name", "result"});
        auto result = [&](const std::string& code) {
          return matching.count(code)  ? "matches"
                 : without.count(code) ? "no report"
                                       : "does not match";
        };
        if (!names.empty()) {
          for (const auto& [code, name] : names)
            s.AddRow({request.period(), code, name, result(code)});
        } else {
          for (const auto& code : response.matching_codes())
            s.AddRow({request.period(), code, "", result(code)});
          for (const auto& code : without) s.AddRow({request.period(), code, "", result(code)});
        }
        return s;
      });
}

// ---------------------------------------------------------------------------
// completeness
// ---------------------------------------------------------------------------

std::string ReporterState(const v1::ReporterStatus& r) {
  return r.state() == v1::REPORT_STATE_UNSPECIFIED ? "missing" : ReportStateLabel(r.state());
}

int RunCompleteness(const Invocation& invocation) {
  const OutputFormat format = FormatOf(invocation);
  const fed::Period period = ParsePeriodOption(invocation, "period");
  const bool board = invocation.Switch("board");
  v1::CompletenessRequest request;
  request.set_period(period.ToString());
  request.set_as_of(invocation.GetDate("as-of"));
  request.set_reporter_kind(ReporterKind(invocation));
  // Always with the reporters: their names label the missing and late lists.
  request.set_include_reporters(true);

  v1::CompletenessResponse response;
  auto client = AggregatorClient::Connect(invocation);
  if (auto status = client.Call(&Stub::GetCompleteness, request, &response); !status.ok()) {
    return ReportRpcError(absl::StrCat("completeness of ", request.period()), status);
  }
  std::map<std::string, std::string> names;
  for (const auto& r : response.reporters()) names[r.organization_code()] = r.organization_name();
  v1::CompletenessResponse shown = response;
  if (!board) shown.clear_reporters();

  const int awaiting = response.submitted() - response.accepted() - response.returned();
  const std::string day =
      request.as_of().empty() ? fed::FormatDate(period.LastDay()) : request.as_of();
  auto board_sheet = [&](bool readable) {
    Sheet s(readable ? std::vector<std::string>{"code", "name", "state", "rev", "first submitted",
                                                "timing"}
                     : std::vector<std::string>{"period", "code", "name", "state",
                                                "latest_revision", "first_submitted_at", "late"});
    for (const auto& r : response.reporters()) {
      const bool received = r.state() != v1::REPORT_STATE_UNSPECIFIED;
      const std::string revision = received ? absl::StrCat(r.latest_revision()) : "";
      const std::string late =
          received ? (r.late() ? (readable ? "late" : "yes") : (readable ? "on time" : "no")) : "";
      if (readable) {
        s.AddRow({r.organization_code(), r.organization_name(), ReporterState(r), revision,
                  FormatTimestamp(r.first_submitted_at()), late});
      } else {
        s.AddRow({response.period(), r.organization_code(), r.organization_name(), ReporterState(r),
                  revision, CsvTime(r.first_submitted_at()), late});
      }
    }
    return s;
  };
  return Present(
      format, shown,
      [&] {
        std::cout << "completeness of " << response.period() << ", due " << response.due_date()
                  << " (" << Reporters(response.expected(), request.reporter_kind())
                  << " expected, map of " << day << ")\n";
        PrintFields(std::cout,
                    {{"expected", absl::StrCat(response.expected())},
                     {"received", absl::StrCat(response.submitted(),
                                               Percent(response.submitted(), response.expected()))},
                     {"  accepted", absl::StrCat(response.accepted())},
                     {"  awaiting review", absl::StrCat(awaiting)},
                     {"  returned", absl::StrCat(response.returned())},
                     {"timely", absl::StrCat(response.timely())},
                     {"late", absl::StrCat(response.late())},
                     {"missing", absl::StrCat(response.missing_codes_size())}});
        if (response.missing_codes_size() > 0) {
          std::cout << "missing: " << NamedList(response.missing_codes(), names) << "\n";
        }
        if (response.late_codes_size() > 0) {
          std::cout << "late: " << NamedList(response.late_codes(), names) << "\n";
        }
        if (board) {
          std::cout << "\n";
          board_sheet(true).PrintTable(std::cout);
        }
      },
      [&] {
        if (board) return board_sheet(false);
        Sheet s({"period", "due_date", "expected", "submitted", "accepted", "awaiting_review",
                 "returned", "timely", "late", "missing", "missing_codes", "late_codes"});
        s.AddRow({response.period(), response.due_date(), absl::StrCat(response.expected()),
                  absl::StrCat(response.submitted()), absl::StrCat(response.accepted()),
                  absl::StrCat(awaiting), absl::StrCat(response.returned()),
                  absl::StrCat(response.timely()), absl::StrCat(response.late()),
                  absl::StrCat(response.missing_codes_size()),
                  absl::StrJoin(response.missing_codes(), " "),
                  absl::StrJoin(response.late_codes(), " ")});
        return s;
      });
}

// ---------------------------------------------------------------------------
// series
// ---------------------------------------------------------------------------

int RunSeries(const Invocation& invocation) {
  const OutputFormat format = FormatOf(invocation);
  v1::SeriesRequest request;
  request.set_organization_code(invocation.Get("org"));
  const std::vector<std::string> codes = IndicatorList(invocation, "indicators");
  if (codes.empty()) throw UsageError("--indicators names no indicator");
  for (const auto& code : codes) request.add_indicator_codes(code);
  request.set_from_period(ParsePeriodOption(invocation, "from").ToString());
  request.set_to_period(ParsePeriodOption(invocation, "to").ToString());
  request.set_roll_up_predecessors(invocation.Switch("roll-up"));
  request.set_include_submitted(invocation.Switch("include-submitted"));

  v1::SeriesResponse response;
  auto client = AggregatorClient::Connect(invocation);
  if (auto status = client.Call(&Stub::GetSeries, request, &response); !status.ok()) {
    return ReportRpcError(absl::StrCat("the series of ", request.organization_code()), status);
  }

  // One row per period, one column per indicator, in the order asked.
  std::vector<std::string> periods;
  std::map<std::string, std::map<std::string, const v1::SeriesPoint*>> cell;
  std::map<std::string, std::set<std::string>> sources;
  for (const auto& point : response.points()) {
    if (cell.count(point.period()) == 0) periods.push_back(point.period());
    cell[point.period()][point.indicator_code()] = &point;
    sources[point.period()].insert(point.sources().begin(), point.sources().end());
  }
  const bool with_sources = request.roll_up_predecessors();
  auto sheet = [&](bool readable) {
    std::vector<std::string> headers = {"period"};
    headers.insert(headers.end(), codes.begin(), codes.end());
    if (with_sources) headers.push_back("sources");
    Sheet s(headers);
    for (const auto& period : periods) {
      std::vector<std::string> row = {period};
      for (const auto& code : codes) {
        auto it = cell[period].find(code);
        const v1::SeriesPoint* point = it == cell[period].end() ? nullptr : it->second;
        if (point == nullptr || !point->present()) {
          row.push_back("");
        } else if (readable && IsFlagIndicator(code)) {
          row.push_back(point->value() > 0 ? "yes" : "no");
        } else {
          row.push_back(FormatFigure(point->value()));
        }
      }
      if (with_sources) row.push_back(absl::StrJoin(sources[period], " "));
      s.AddRow(std::move(row));
    }
    return s;
  };
  return Present(
      format, response,
      [&] {
        std::cout << request.organization_code() << ", " << request.from_period() << ".."
                  << request.to_period() << " (" << ScopeText(request.include_submitted())
                  << (with_sources ? ", with predecessors" : "") << ")\n";
        sheet(true).PrintTable(std::cout);
        std::vector<std::string> legend;
        for (const auto& code : codes) legend.push_back(absl::StrCat(code, ": ", LabelOf(code)));
        std::cout << absl::StrJoin(legend, "; ") << "\n";
      },
      [&] { return sheet(false); });
}

// ---------------------------------------------------------------------------
// review
// ---------------------------------------------------------------------------

enum class Decision { kAccept, kReturn, kReopen };

int RunDecision(const Invocation& invocation, Decision decision) {
  const OutputFormat format = FormatOf(invocation);
  v1::ReviewRequest request;
  request.set_organization_code(invocation.Get("org"));
  request.set_period(ParsePeriodOption(invocation, "period").ToString());
  const int64_t revision = invocation.GetCount("revision", 0);
  if (revision < 1) throw UsageError("--revision must be 1 or more: the revision you reviewed");
  request.set_revision(static_cast<int32_t>(revision));
  request.set_comment(invocation.Get("comment"));
  if (decision != Decision::kAccept && request.comment().empty()) {
    throw UsageError("--comment is required when returning or reopening a report");
  }

  auto method = decision == Decision::kAccept   ? &Stub::AcceptReport
                : decision == Decision::kReturn ? &Stub::ReturnReport
                                                : &Stub::ReopenReport;
  const char* verb = decision == Decision::kAccept   ? "accepting"
                     : decision == Decision::kReturn ? "returning"
                                                     : "reopening";
  v1::Report report;
  auto client = AggregatorClient::Connect(invocation);
  if (auto status = client.Call(method, request, &report); !status.ok()) {
    return ReportRpcError(
        absl::StrCat(verb, " ", request.organization_code(), "'s ", request.period(),
                     " report (revision ", request.revision(), ")"),
        status);
  }
  return Present(
      format, report,
      [&] {
        std::cout << report.organization_code() << " " << report.period() << " revision "
                  << report.revision() << ": " << ReportStateLabel(report.state())
                  << (decision == Decision::kReopen ? " (reopened: awaiting a new revision)" : "")
                  << "\n";
        if (!request.comment().empty()) std::cout << "comment: " << request.comment() << "\n";
      },
      [&] {
        Sheet s({"organization_code", "period", "revision", "state", "comment"});
        s.AddRow({report.organization_code(), report.period(), absl::StrCat(report.revision()),
                  ReportStateLabel(report.state()), request.comment()});
        return s;
      });
}

void PrintNarrative(const v1::Narrative& n) {
  auto section = [](const char* title, const std::string& text) {
    if (!text.empty()) std::cout << "\n" << title << ":\n  " << text << "\n";
  };
  section("achievements (kết quả)", n.achievements());
  section("difficulties (khó khăn, vướng mắc)", n.difficulties());
  if (n.recommendations_size() > 0) {
    std::cout << "\nrecommendations (kiến nghị):\n";
    for (const auto& r : n.recommendations()) {
      std::cout << "  " << r.number() << ". " << r.text() << "\n";
      if (!r.answer().empty()) std::cout << "     answer: " << r.answer() << "\n";
    }
  }
  section("next period (nhiệm vụ kỳ tới)", n.next_period_tasks());
}

int RunReviewShow(const Invocation& invocation) {
  const OutputFormat format = FormatOf(invocation);
  v1::GetReportRequest request;
  request.set_organization_code(invocation.Get("org"));
  request.set_period(ParsePeriodOption(invocation, "period").ToString());
  request.set_revision(static_cast<int32_t>(invocation.GetCount("revision", 0)));

  v1::Report report;
  auto client = AggregatorClient::Connect(invocation);
  if (auto status = client.Call(&Stub::GetReport, request, &report); !status.ok()) {
    return ReportRpcError(
        absl::StrCat("reading ", request.organization_code(), "'s ", request.period(), " report"),
        status);
  }
  auto sheet = [&](bool readable) {
    Sheet s(readable ? std::vector<std::string>{"section", "code", "chỉ tiêu", "value"}
                     : std::vector<std::string>{"organization_code", "period", "revision",
                                                "indicator_code", "label_vi", "value"});
    for (const auto& value : report.values()) {
      const v1::Indicator* indicator = fed::FindIndicator(value.code());
      if (readable) {
        s.AddRow({indicator ? indicator->section() : "", value.code(), LabelOf(value.code()),
                  ValueText(value)});
      } else {
        std::string v = value.value_case() == v1::IndicatorValue::kFlag ? (value.flag() ? "1" : "0")
                                                                        : ValueText(value);
        s.AddRow({report.organization_code(), report.period(), absl::StrCat(report.revision()),
                  value.code(), LabelOf(value.code()), v});
      }
    }
    return s;
  };
  return Present(
      format, report,
      [&] {
        PrintFields(
            std::cout,
            {{"organisation", report.organization_code()},
             {"period", report.period()},
             {"revision", absl::StrCat(report.revision())},
             {"state", ReportStateLabel(report.state())},
             {"submitted", FormatTimestamp(report.submitted_at())},
             {"submitted by", report.submitted_by()},
             {"due", report.due_date()},
             {"timely", report.due_date().empty() ? "" : (report.timely() ? "yes" : "no (late)")},
             {"catalog version", absl::StrCat(report.catalog_version())},
             {"decided", FormatTimestamp(report.decided_at())},
             {"decided by", report.decided_by()},
             {"review comment", report.review_comment()}});
        std::cout << "\n";
        sheet(true).PrintTable(std::cout);
        std::cout << CountOf(report.values_size(), "value", "values") << " of "
                  << fed::LatestCatalog().indicators_size() << " indicators\n";
        PrintNarrative(report.narrative());
      },
      [&] { return sheet(false); });
}

int RunReviewHistory(const Invocation& invocation) {
  const OutputFormat format = FormatOf(invocation);
  v1::ListRevisionsRequest request;
  request.set_organization_code(invocation.Get("org"));
  request.set_period(ParsePeriodOption(invocation, "period").ToString());

  v1::ListRevisionsResponse response;
  auto client = AggregatorClient::Connect(invocation);
  if (auto status = client.Call(&Stub::ListRevisions, request, &response); !status.ok()) {
    return ReportRpcError(absl::StrCat("revisions of ", request.organization_code(), "'s ",
                                       request.period(), " report"),
                          status);
  }
  auto sheet = [&](bool readable) {
    auto time = readable ? FormatTimestamp : CsvTime;
    Sheet s({"revision", "state", "submitted_at", "submitted_by", "values", "timely", "decided_at",
             "decided_by", "comment"});
    for (const auto& r : response.revisions()) {
      s.AddRow({absl::StrCat(r.revision()), ReportStateLabel(r.state()), time(r.submitted_at()),
                r.submitted_by(), absl::StrCat(r.values_size()),
                r.due_date().empty() ? "" : (r.timely() ? "yes" : "no"), time(r.decided_at()),
                r.decided_by(), r.review_comment()});
    }
    return s;
  };
  return Present(
      format, response,
      [&] {
        if (response.revisions_size() == 0) {
          std::cout << "no report of " << request.organization_code() << " for " << request.period()
                    << "\n";
          return;
        }
        std::cout << request.organization_code() << " " << request.period() << ": "
                  << CountOf(response.revisions_size(), "revision", "revisions") << "\n";
        sheet(true).PrintTable(std::cout);
      },
      [&] { return sheet(false); });
}

// ---------------------------------------------------------------------------
// changes
// ---------------------------------------------------------------------------

int RunChanges(const Invocation& invocation) {
  const OutputFormat format = FormatOf(invocation);
  v1::ListChangesRequest request;
  request.set_after_sequence(invocation.GetCount("after", 0));
  const int64_t limit = invocation.GetCount("limit", 0);
  if (limit > 5000) throw UsageError("--limit must be at most 5000");
  request.set_limit(static_cast<int32_t>(limit));
  for (const auto& code : invocation.GetList("org")) request.add_organization_codes(code);

  v1::ListChangesResponse response;
  auto client = AggregatorClient::Connect(invocation);
  if (auto status = client.Call(&Stub::ListChanges, request, &response); !status.ok()) {
    return ReportRpcError("reading the change feed", status);
  }
  auto sheet = [&](bool readable) {
    auto time = readable ? FormatTimestamp : CsvTime;
    Sheet s({"sequence", "at", "organization_code", "period", "revision", "event", "state", "actor",
             "comment"});
    for (const auto& c : response.changes()) {
      s.AddRow({absl::StrCat(c.sequence()), time(c.at()), c.organization_code(), c.period(),
                absl::StrCat(c.revision()), c.event(), ReportStateLabel(c.state()), c.actor(),
                c.comment()});
    }
    return s;
  };
  return Present(
      format, response,
      [&] {
        sheet(true).PrintTable(std::cout);
        std::cout << CountOf(response.changes_size(), "change", "changes")
                  << "; next: fedctl changes --after " << response.last_sequence() << "\n";
      },
      [&] { return sheet(false); });
}

// ---------------------------------------------------------------------------

// --csv and --aggregator, which every command here takes, come last in help.
CommandSpec Finish(CommandSpec command) {
  WithCsvOption(command);
  WithAggregatorOption(command);
  return command;
}

CommandSpec& KindOption(CommandSpec& command) {
  return command.Option("kind", "KIND", "who is expected to report (default provincial_union)");
}

}  // namespace

std::vector<CommandSpec> NationalCommands() {
  std::vector<CommandSpec> commands;
  {
    CommandSpec c = Command("totals", "National totals per indicator for a period.", RunTotals);
    c.Required("period", "PERIOD",
               "2025H1, 2025H2 or 2025 (a year without annual reports is derived)")
        .Option("indicators", "CODES",
                "comma-separated indicator codes (default: the whole catalog)")
        .Switch("include-submitted", "count reports awaiting review too (default: accepted only)");
    commands.push_back(Finish(std::move(c)));
  }
  {
    CommandSpec c = Command(
        "coverage", "How many provinces meet a condition (\"N of M provinces\").", RunCoverage);
    c.Required("period", "PERIOD", "e.g. 2025H1")
        .Required("condition", "TEXT",
                  "e.g. \"has_bulletin AND has_website\", \"workshops >= 10\", \"NOT has_website\"")
        .Option("as-of", "DATE",
                "organisational map to count against (default: the period's last day)")
        .Switch("roll-up", "count merged predecessors under their successor")
        .Switch("include-submitted", "count reports awaiting review too");
    KindOption(c);
    commands.push_back(Finish(std::move(c)));
  }
  {
    CommandSpec c = Command(
        "completeness", "Who reported for a period: received, accepted, returned, late, missing.",
        RunCompleteness);
    c.Required("period", "PERIOD", "e.g. 2025H2")
        .Option("as-of", "DATE",
                "organisational map of expected reporters (default: the period's last day)")
        .Switch("board", "every expected reporter's standing (with --csv: one row per reporter)");
    KindOption(c);
    commands.push_back(Finish(std::move(c)));
  }
  {
    CommandSpec c =
        Command("series", "An organisation's indicators over time, one row per period.", RunSeries);
    c.Required("org", "CODE", "organisation code, e.g. 14")
        .Required("indicators", "CODES", "comma-separated indicator codes, e.g. members,workshops")
        .Required("from", "PERIOD", "first period, e.g. 2019H1 (or a year, 2019)")
        .Required("to", "PERIOD", "last period, of the same kind")
        .Switch("roll-up", "add the organisations merged into this one, for the periods before")
        .Switch("include-submitted", "count reports awaiting review too");
    commands.push_back(Finish(std::move(c)));
  }
  auto decision = [](const char* name, const char* summary, Decision d, bool comment_required) {
    CommandSpec c = Command(name, summary, [d](const Invocation& i) { return RunDecision(i, d); });
    c.Required("org", "CODE", "organisation code").Required("period", "PERIOD", "e.g. 2025H1");
    c.Required("revision", "N", "the revision you reviewed (refused if a newer one arrived)");
    if (comment_required) {
      c.Required("comment", "TEXT", "why (the province sees it)");
    } else {
      c.Option("comment", "TEXT", "a note for the province");
    }
    return Finish(std::move(c));
  };
  commands.push_back(decision("review accept", "Accept a submitted report: it counts from now on.",
                              Decision::kAccept, false));
  commands.push_back(decision("review return",
                              "Return a submitted report to its province with a comment.",
                              Decision::kReturn, true));
  commands.push_back(decision("review reopen",
                              "Reopen an accepted report (national admin): a new revision is due.",
                              Decision::kReopen, true));
  {
    CommandSpec c = Command("review show", "A report: state, values with their labels, narrative.",
                            RunReviewShow);
    c.Required("org", "CODE", "organisation code")
        .Required("period", "PERIOD", "e.g. 2025H1")
        .Option("revision", "N", "a given revision (default: the latest)");
    commands.push_back(Finish(std::move(c)));
  }
  {
    CommandSpec c = Command("review history", "Every revision of a report with its review outcome.",
                            RunReviewHistory);
    c.Required("org", "CODE", "organisation code").Required("period", "PERIOD", "e.g. 2025H1");
    commands.push_back(Finish(std::move(c)));
  }
  {
    CommandSpec c = Command(
        "changes", "The aggregator's change feed: reports received and reviewed.", RunChanges);
    c.Option("after", "N", "changes after this sequence number (default: from the start)")
        .Option("limit", "N", "at most this many (default 500, max 5000)")
        .Option("org", "CODES", "only these organisations (comma-separated)");
    commands.push_back(Finish(std::move(c)));
  }
  return commands;
}

}  // namespace fedctl

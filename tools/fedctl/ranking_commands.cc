// Emulation-cluster rankings (federation.v1.RankingService): `ranking show`,
// `ranking schemes`, `compare province|clusters|trend`. Every command
// prints a table, --json, or --csv. The ranking service's address is
// --ranking HOST:PORT (env FED_RANKING_TARGET, default 127.0.0.1 and its port in
// deploy/topology.txt).
#include <cstdlib>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/enum_names.h"
#include "services/common/period.h"
#include "services/common/status.h"
#include "services/common/topology.h"
#include "tools/fedctl/aggregator_client.h"
#include "tools/fedctl/commands.h"
#include "tools/fedctl/ranking_client.h"
#include "tools/fedctl/sheet.h"

namespace fedctl {
namespace {

namespace v1 = federation::v1;
using Stub = RankingClient::Stub;

std::string PeriodOption(const Invocation& invocation, absl::string_view option) {
  auto period = fed::Period::Parse(invocation.Get(option));
  if (!period.ok()) throw UsageError(absl::StrCat("--", option, ": ", period.status().message()));
  return period->ToString();
}

std::string Num(double v) { return FormatFigure(v); }

CommandSpec& WithRanking(CommandSpec& c) {
  c.Option("ranking", "HOST:PORT",
           absl::StrCat("ranking service address (env FED_RANKING_TARGET, default ",
                        fed::DefaultAddress("ranking"), ")"));
  return WithCsvOption(c);
}

// ---------------------------------------------------------------------------

int RunRankingShow(const Invocation& invocation) {
  v1::GetRankingRequest req;
  req.set_period(PeriodOption(invocation, "period"));
  req.set_year(static_cast<int32_t>(invocation.GetInt("year", 0)));
  req.set_cluster_number(static_cast<int32_t>(invocation.GetInt("cluster", 0)));
  req.set_scheme_version(static_cast<int32_t>(invocation.GetInt("version", 0)));
  req.set_roll_up(invocation.Switch("roll-up"));
  const bool breakdown = invocation.Switch("breakdown");
  // The plain table shows no breakdown unless asked; --json and --csv always carry it.
  req.set_totals_only(FormatOf(invocation) == OutputFormat::kReadable && !breakdown);
  v1::GetRankingResponse out;
  if (auto s = RankingClient::Connect(invocation).Call(&Stub::GetRanking, req, &out); !s.ok()) {
    return ReportRpcError(absl::StrCat("ranking for ", req.period()), s);
  }
  auto sheet = [&](bool readable) {
    std::vector<std::string> headers = {"cluster", "rank", "code", "name", "total", "self", "flag"};
    if (!readable)
      headers = {"year",      "cluster", "period",     "scheme_version", "rank",
                 "code",      "name",    "total",      "self_total",     "flag_proposal",
                 "criterion", "raw",     "normalised", "points"};
    Sheet s(headers);
    for (const auto& r : out.rankings()) {
      for (const auto& e : r.entries()) {
        const std::string self = e.has_self_assessment() ? Num(e.self_total()) : "";
        const std::string flag =
            e.flag_proposal() ? (readable ? "cờ thi đua" : "yes") : (readable ? "" : "no");
        if (e.has_not_expected()) {  // not scored: say why instead
          if (readable) {
            s.AddRow({absl::StrCat(r.cluster_number()), "-", e.organization_code(),
                      absl::StrCat(e.organization_name(), " (", e.not_expected().note(), ")"), "",
                      self, ""});
          } else {
            s.AddRow({absl::StrCat(r.year()), absl::StrCat(r.cluster_number()), r.period(),
                      absl::StrCat(r.scheme_version()), "", e.organization_code(),
                      e.organization_name(), "", self, flag,
                      absl::StrCat("not expected: ", e.not_expected().note()), "", "", ""});
          }
          continue;
        }
        if (readable) {
          s.AddRow({absl::StrCat(r.cluster_number()), absl::StrCat(e.rank()), e.organization_code(),
                    e.organization_name() +
                        (e.cluster_role().empty() ? "" : " (" + e.cluster_role() + ")"),
                    Num(e.total()), self, flag});
          if (!breakdown) continue;
          for (const auto& c : e.breakdown()) {
            s.AddRow({"", "", "", absl::StrCat("  ", c.criterion_code()),
                      c.present() ? absl::StrCat(Num(c.points()), "  (raw ", Num(c.raw_value()),
                                                 ", norm ", Num(c.normalised()), ")")
                                  : "0  (not reported)",
                      c.has_self_points() ? Num(c.self_points()) : ""});
          }
          for (const auto& a : e.adjustments()) {
            s.AddRow(
                {"", "", "", absl::StrCat("  ", a.rule_code(), " x", a.count()), Num(a.points())});
          }
        } else {
          for (const auto& c : e.breakdown()) {
            s.AddRow({absl::StrCat(r.year()), absl::StrCat(r.cluster_number()), r.period(),
                      absl::StrCat(r.scheme_version()), absl::StrCat(e.rank()),
                      e.organization_code(), e.organization_name(), Num(e.total()), self, flag,
                      c.criterion_code(), c.present() ? Num(c.raw_value()) : "",
                      Num(c.normalised()), Num(c.points())});
          }
          for (const auto& a : e.adjustments()) {
            s.AddRow({absl::StrCat(r.year()), absl::StrCat(r.cluster_number()), r.period(),
                      absl::StrCat(r.scheme_version()), absl::StrCat(e.rank()),
                      e.organization_code(), e.organization_name(), Num(e.total()), self, flag,
                      a.rule_code(), absl::StrCat(a.count()), "", Num(a.points())});
          }
        }
      }
    }
    return s;
  };
  return Present(
      invocation, out,
      [&] {
        if (out.rankings_size() > 0) {
          const auto& r = out.rankings(0);
          std::cout << "rankings for " << r.period() << ", clusters of " << r.year()
                    << ", scheme version " << r.scheme_version()
                    << (r.rolled_up() ? ", predecessors rolled into successors" : "")
                    << " (as of change " << r.source_sequence() << ")\n";
        }
        sheet(true).PrintTable(std::cout);
      },
      [&] { return sheet(false); });
}

int RunRankingSchemes(const Invocation& invocation) {
  v1::ListSchemesRequest req;
  req.set_year(static_cast<int32_t>(invocation.GetInt("year", 0)));
  FormatOf(invocation);
  v1::ListSchemesResponse out;
  if (auto s = RankingClient::Connect(invocation).Call(&Stub::ListSchemes, req, &out); !s.ok()) {
    return ReportRpcError("scoring schemes", s);
  }
  auto sheet = [&] {
    Sheet s({"year", "version", "criterion", "source", "indicator", "max_points", "weight",
             "normalisation"});
    for (const auto& scheme : out.schemes()) {
      for (const auto& c : scheme.criteria()) {
        s.AddRow({absl::StrCat(scheme.year()), absl::StrCat(scheme.version()), c.code(),
                  fed::EnumWord(c.source()), c.indicator_code(), Num(c.max_points()),
                  Num(c.weight() == 0 ? 1 : c.weight()), fed::EnumWord(c.normalisation())});
      }
      for (const auto& r : scheme.rules()) {
        s.AddRow({absl::StrCat(scheme.year()), absl::StrCat(scheme.version()), r.code(),
                  fed::EnumWord(r.kind()), r.indicator_code(), Num(r.points())});
      }
    }
    return s;
  };
  return Present(
      invocation, out, [&] { sheet().PrintTable(std::cout); }, sheet);
}

void AddIndicators(const Invocation& invocation,
                   google::protobuf::RepeatedPtrField<std::string>* out) {
  for (const auto& code : invocation.GetList("indicators")) *out->Add() = code;
}

Sheet ComparisonSheet(const std::string& period,
                      const google::protobuf::RepeatedPtrField<v1::IndicatorComparison>& rows) {
  Sheet s({"period", "indicator", "value", "cluster_average", "cluster_median", "cluster_best",
           "best_code", "rank", "of"});
  for (const auto& c : rows) {
    s.AddRow({period, c.indicator_code(), c.present() ? Num(c.value()) : "",
              Num(c.cluster_average()), Num(c.cluster_median()), Num(c.cluster_best()),
              c.best_code(), c.rank() ? absl::StrCat(c.rank()) : "", absl::StrCat(c.of())});
  }
  return s;
}

int RunCompareProvince(const Invocation& invocation) {
  v1::CompareProvinceRequest req;
  req.set_organization_code(invocation.Get("org"));
  req.set_period(PeriodOption(invocation, "period"));
  req.set_year(static_cast<int32_t>(invocation.GetInt("year", 0)));
  req.set_roll_up(invocation.Switch("roll-up"));
  AddIndicators(invocation, req.mutable_indicator_codes());
  FormatOf(invocation);
  v1::CompareProvinceResponse out;
  if (auto s = RankingClient::Connect(invocation).Call(&Stub::CompareProvince, req, &out);
      !s.ok()) {
    return ReportRpcError(absl::StrCat("comparison of ", req.organization_code()), s);
  }
  return Present(
      invocation, out,
      [&] {
        std::cout << out.organization_code() << " against cluster " << out.cluster_number() << " ("
                  << out.cluster_name() << ") of " << out.year() << ", " << out.period() << "\n";
        if (out.scored()) {
          std::cout << "score " << Num(out.total()) << ", rank " << out.rank() << " of " << out.of()
                    << " (scheme version " << out.scheme_version() << ")\n";
        }
        ComparisonSheet(out.period(), out.indicators()).PrintTable(std::cout);
      },
      [&] { return ComparisonSheet(out.period(), out.indicators()); });
}

int RunCompareClusters(const Invocation& invocation) {
  v1::CompareClustersRequest req;
  req.set_period(PeriodOption(invocation, "period"));
  req.set_year(static_cast<int32_t>(invocation.GetInt("year", 0)));
  req.set_roll_up(invocation.Switch("roll-up"));
  AddIndicators(invocation, req.mutable_indicator_codes());
  FormatOf(invocation);
  v1::CompareClustersResponse out;
  if (auto s = RankingClient::Connect(invocation).Call(&Stub::CompareClusters, req, &out);
      !s.ok()) {
    return ReportRpcError(absl::StrCat("cluster comparison for ", req.period()), s);
  }
  auto sheet = [&] {
    Sheet s({"cluster", "indicator", "sum", "average", "median", "best", "best_code", "reporting",
             "members"});
    for (const auto& f : out.figures()) {
      s.AddRow({absl::StrCat(f.cluster_number()), f.indicator_code(), Num(f.sum()),
                Num(f.average()), Num(f.median()), Num(f.best()), f.best_code(),
                absl::StrCat(f.reporting()), absl::StrCat(f.members())});
    }
    for (const auto& c : out.scores()) {
      s.AddRow({absl::StrCat(c.cluster_number()), "score", "", Num(c.average_total()), "",
                Num(c.best_total()), c.flag_proposal_code()});
    }
    return s;
  };
  return Present(
      invocation, out,
      [&] {
        std::cout << "clusters of " << out.year() << ", " << out.period() << "\n";
        sheet().PrintTable(std::cout);
      },
      sheet);
}

int RunCompareTrend(const Invocation& invocation) {
  v1::TrendRequest req;
  req.set_organization_code(invocation.Get("org"));
  req.set_to_period(PeriodOption(invocation, "to"));
  req.set_periods(static_cast<int32_t>(invocation.GetInt("periods", 6)));
  req.set_roll_up(invocation.Switch("roll-up"));
  AddIndicators(invocation, req.mutable_indicator_codes());
  FormatOf(invocation);
  v1::TrendResponse out;
  if (auto s = RankingClient::Connect(invocation).Call(&Stub::Trend, req, &out); !s.ok()) {
    return ReportRpcError(absl::StrCat("trend of ", req.organization_code()), s);
  }
  auto sheet = [&] {
    Sheet s({"period", "cluster", "total", "rank", "of", "indicator", "value", "cluster_average",
             "cluster_best"});
    for (const auto& p : out.points()) {
      const std::string cluster =
          p.cluster_number() ? absl::StrCat(p.year(), "/", p.cluster_number()) : "";
      const std::string total = p.scored() ? Num(p.total()) : "";
      const std::string rank = p.scored() ? absl::StrCat(p.rank()) : "";
      const std::string of = p.scored() ? absl::StrCat(p.of()) : "";
      if (p.indicators_size() == 0) s.AddRow({p.period(), cluster, total, rank, of});
      for (const auto& c : p.indicators()) {
        s.AddRow({p.period(), cluster, total, rank, of, c.indicator_code(),
                  c.present() ? Num(c.value()) : "", Num(c.cluster_average()),
                  Num(c.cluster_best())});
      }
    }
    return s;
  };
  return Present(
      invocation, out, [&] { sheet().PrintTable(std::cout); }, sheet);
}

}  // namespace

std::vector<CommandSpec> RankingCommands() {
  std::vector<CommandSpec> commands;
  {
    CommandSpec c =
        Command("ranking show", "Emulation-cluster rankings for a period.", RunRankingShow);
    c.Required("period", "PERIOD", "2025, 2025H1 or 2025H2")
        .Option("year", "YEAR", "emulation year of the clusters and scheme (default: the period's)")
        .Option("cluster", "N", "one cluster (default: all)")
        .Option("version", "N", "scheme version (default: the latest)")
        .Switch("roll-up", "add merged predecessors' values to their successors")
        .Switch("breakdown", "show every criterion's raw value, normalised value and points");
    commands.push_back(WithRanking(c));
  }
  {
    CommandSpec c =
        Command("ranking schemes", "Scoring schemes and their versions.", RunRankingSchemes);
    c.Option("year", "YEAR", "one year (default: all)");
    commands.push_back(WithRanking(c));
  }
  {
    CommandSpec c =
        Command("compare province", "A province against its cluster's average, median and best.",
                RunCompareProvince);
    c.Required("org", "CODE", "the province")
        .Required("period", "PERIOD", "2025, 2025H1 ...")
        .Option("indicators", "CODES", "comma-separated (default: the scheme's)")
        .Option("year", "YEAR", "emulation year of the cluster (default: the period's)")
        .Switch("roll-up", "add merged predecessors' values to their successors");
    commands.push_back(WithRanking(c));
  }
  {
    CommandSpec c =
        Command("compare clusters", "Cluster against cluster for a period.", RunCompareClusters);
    c.Required("period", "PERIOD", "2025, 2025H1 ...")
        .Option("indicators", "CODES", "comma-separated (default: the scheme's)")
        .Option("year", "YEAR", "emulation year of the clusters (default: the period's)")
        .Switch("roll-up", "add merged predecessors' values to their successors");
    commands.push_back(WithRanking(c));
  }
  {
    CommandSpec c = Command(
        "compare trend", "A province's score, rank and indicators over periods.", RunCompareTrend);
    c.Required("org", "CODE", "the province")
        .Required("to", "PERIOD", "the last period, e.g. 2025H2")
        .Option("periods", "N", "how many periods (default 6)")
        .Option("indicators", "CODES", "comma-separated (default: the scheme's)")
        .Switch("roll-up", "read history against the latest clusters, predecessors rolled in");
    commands.push_back(WithRanking(c));
  }
  return commands;
}

}  // namespace fedctl

// Rankings and comparisons, answered from the engine's precomputed rankings
// and in-memory values (see engine.h); nothing here reads reports.
#include <algorithm>
#include <cmath>

#include "absl/algorithm/container.h"
#include "absl/strings/str_cat.h"
#include "services/common/catalog.h"
#include "services/common/status.h"
#include "services/ranking/access.h"
#include "services/ranking/ranking.h"
#include "services/ranking/validate.h"

namespace ranking {
namespace {

constexpr int kDefaultTrendPeriods = 6;
constexpr int kMaxTrendPeriods = 40;

void CheckIndicators(fed::Violations& v,
                     const google::protobuf::RepeatedPtrField<std::string>& codes) {
  for (int i = 0; i < codes.size(); ++i) {
    if (fed::IndicatorIndex(codes[i]) < 0) {
      v.Add(absl::StrCat("indicator_codes[", i, "]"),
            absl::StrCat("\"", codes[i].substr(0, 60), "\" is not an indicator of the catalog"));
    }
  }
}

void CheckYear(fed::Violations& v, int year) {
  if (year != 0 && (year < 2000 || year > 2100)) v.Add("year", "must be a year 2000-2100");
}

// The indicators a scheme reads (criteria and bonuses), in order.
std::vector<std::string> SchemeIndicators(const v1::ScoringScheme& scheme) {
  std::vector<std::string> codes;
  auto add = [&](const std::string& code) {
    if (!code.empty() && std::find(codes.begin(), codes.end(), code) == codes.end())
      codes.push_back(code);
  };
  for (const auto& c : scheme.criteria()) add(c.indicator_code());
  for (const auto& r : scheme.rules()) add(r.indicator_code());
  return codes;
}

absl::StatusOr<Engine::ClusterList> ClustersOrNotFound(Engine& engine, int year) {
  ASSIGN_OR_RETURN(auto clusters, engine.Clusters(year));
  if (clusters->list.empty()) {
    return absl::NotFoundError(
        absl::StrCat("year: the registry has no emulation clusters for ", year));
  }
  return clusters;
}

// One organisation against its cluster for one period: every indicator,
// and its score when the year has a scheme.
absl::Status ComparePoint(Engine& engine, const std::string& code, const fed::Period& period,
                          const v1::EmulationCluster& cluster, bool roll_up,
                          const std::vector<std::string>& indicators, v1::TrendPoint* out) {
  ASSIGN_OR_RETURN(FiguresPtr figures, engine.Figures(cluster, period, roll_up));
  const int member = figures->MemberIndex(code);
  static const ClusterFigures::Indicator kNone;
  for (const auto& indicator : indicators) {
    // Codes were validated (requests) or are the scheme's; -1 reads as nothing reported.
    const int index = fed::IndicatorIndex(indicator);
    const ClusterFigures::Indicator& figure = index < 0 ? kNone : figures->indicators[index];
    const double own = member < 0 || index < 0 ? std::nan("") : figures->values[member][index];
    const bool present = !std::isnan(own);
    v1::IndicatorComparison* c = out->add_indicators();
    c->set_indicator_code(indicator);
    c->set_present(present);
    c->set_value(present ? own : 0);
    c->set_cluster_average(figure.stats.average);
    c->set_cluster_median(figure.stats.median);
    c->set_cluster_best(figure.stats.best);
    c->set_best_code(figure.stats.best_code);
    c->set_rank(present ? figure.RankOf(own) : 0);
    c->set_of(figure.stats.count);
  }
  out->set_period(period.ToString());
  out->set_year(cluster.year());
  out->set_cluster_number(cluster.number());
  if (SchemePtr scheme = engine.Scheme(cluster.year(), 0)) {
    ASSIGN_OR_RETURN(RankingPtr ranking, engine.Ranking(cluster, period, scheme, roll_up));
    const auto& entries = ranking->proto().entries();
    const auto ranked = std::count_if(entries.begin(), entries.end(), IsRanked);
    for (const auto& e : entries) {
      // One not expected for the period has no score to compare.
      if (e.organization_code() != code || !IsRanked(e)) continue;
      out->set_scored(true);
      out->set_scheme_version(scheme->version());
      out->set_total(e.total());
      out->set_rank(e.rank());
      out->set_of(static_cast<int32_t>(ranked));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<RankingPtr>> Ranking::FindRankings(const Principal& who,
                                                              const v1::GetRankingRequest& req) {
  RETURN_IF_ERROR(access::Read(who));
  fed::Violations v;
  fed::Period period;
  CheckEmulationPeriod(v, "period", req.period(), &period);
  CheckYear(v, req.year());
  if (req.cluster_number() < 0 || req.cluster_number() > 99)
    v.Add("cluster_number", "must be 1-99 (0 = all)");
  if (req.scheme_version() < 0) v.Add("scheme_version", "must not be negative");
  RETURN_IF_ERROR(v.ToStatus());
  const int year = req.year() ? req.year() : period.year;
  ASSIGN_OR_RETURN(auto clusters, ClustersOrNotFound(engine_, year));
  SchemePtr scheme = engine_.Scheme(year, req.scheme_version());
  if (!scheme) {
    return absl::NotFoundError(
        req.scheme_version() ? absl::StrCat("scheme_version: no version ", req.scheme_version(),
                                            " of the ", year, " scoring scheme")
                             : absl::StrCat("year: no scoring scheme for ", year));
  }
  int number = req.cluster_number();
  if (who.role == v1::ROLE_PROVINCE_REPORTER) {
    const v1::EmulationCluster* own = clusters->Of(who.organization_code);
    if (own == nullptr || (number != 0 && number != own->number())) {
      return absl::PermissionDeniedError(absl::StrCat("organisation ", who.organization_code,
                                                      " may read only its own cluster's ranking"));
    }
    number = own->number();
  }
  std::vector<RankingPtr> rankings;
  for (const auto& cluster : clusters->list) {
    if (number != 0 && cluster.number() != number) continue;
    ASSIGN_OR_RETURN(RankingPtr ranking, engine_.Ranking(cluster, period, scheme, req.roll_up()));
    rankings.push_back(std::move(ranking));
  }
  if (rankings.empty()) {
    return absl::NotFoundError(absl::StrCat("cluster_number: no cluster ", number, " in ", year));
  }
  return rankings;
}

absl::Status Ranking::CompareProvince(const Principal& who, const v1::CompareProvinceRequest& req,
                                      v1::CompareProvinceResponse* out) {
  RETURN_IF_ERROR(access::ReadOrganization(who, req.organization_code()));
  fed::Violations v;
  fed::CheckOrganizationCode(v, "organization_code", req.organization_code(), true);
  fed::Period period;
  CheckEmulationPeriod(v, "period", req.period(), &period);
  CheckYear(v, req.year());
  CheckIndicators(v, req.indicator_codes());
  RETURN_IF_ERROR(v.ToStatus());
  const int year = req.year() ? req.year() : period.year;
  ASSIGN_OR_RETURN(auto clusters, ClustersOrNotFound(engine_, year));
  const v1::EmulationCluster* cluster = clusters->Of(req.organization_code());
  if (cluster == nullptr) {
    return absl::NotFoundError(absl::StrCat("organization_code: ", req.organization_code(),
                                            " is in no emulation cluster of ", year));
  }
  std::vector<std::string> indicators(req.indicator_codes().begin(), req.indicator_codes().end());
  if (indicators.empty()) {
    SchemePtr scheme = engine_.Scheme(year, 0);
    if (!scheme)
      return absl::InvalidArgumentError(
          "indicator_codes: name them (no scoring scheme for the year)");
    indicators = SchemeIndicators(*scheme);
  }
  v1::TrendPoint point;
  RETURN_IF_ERROR(ComparePoint(engine_, req.organization_code(), period, *cluster, req.roll_up(),
                               indicators, &point));
  out->set_organization_code(req.organization_code());
  out->set_period(period.ToString());
  out->set_year(year);
  out->set_cluster_number(cluster->number());
  out->set_cluster_name(cluster->name());
  *out->mutable_indicators() = point.indicators();
  out->set_scored(point.scored());
  out->set_total(point.total());
  out->set_rank(point.rank());
  out->set_of(point.of());
  out->set_scheme_version(point.scheme_version());
  return absl::OkStatus();
}

absl::Status Ranking::CompareClusters(const Principal& who, const v1::CompareClustersRequest& req,
                                      v1::CompareClustersResponse* out) {
  RETURN_IF_ERROR(access::Read(who));
  fed::Violations v;
  fed::Period period;
  CheckEmulationPeriod(v, "period", req.period(), &period);
  CheckYear(v, req.year());
  CheckIndicators(v, req.indicator_codes());
  RETURN_IF_ERROR(v.ToStatus());
  const int year = req.year() ? req.year() : period.year;
  ASSIGN_OR_RETURN(auto clusters, ClustersOrNotFound(engine_, year));
  auto scheme = engine_.Scheme(year, 0);
  std::vector<std::string> indicators(req.indicator_codes().begin(), req.indicator_codes().end());
  if (indicators.empty() && scheme) indicators = SchemeIndicators(*scheme);
  out->set_period(period.ToString());
  out->set_year(year);
  for (const auto& cluster : clusters->list) {
    ASSIGN_OR_RETURN(FiguresPtr figures, engine_.Figures(cluster, period, req.roll_up()));
    for (const auto& indicator : indicators) {
      const int index = fed::IndicatorIndex(indicator);
      const Stats stats = index < 0 ? Stats{} : figures->indicators[index].stats;
      v1::ClusterFigure* f = out->add_figures();
      f->set_cluster_number(cluster.number());
      f->set_cluster_name(cluster.name());
      f->set_indicator_code(indicator);
      f->set_sum(stats.sum);
      f->set_average(stats.average);
      f->set_median(stats.median);
      f->set_best(stats.best);
      if (!access::SeesOnlyAggregates(who)) f->set_best_code(stats.best_code);
      f->set_reporting(stats.count);
      f->set_members(static_cast<int32_t>(figures->members.size()));
    }
    if (scheme) {
      out->set_scheme_version(scheme->version());
      ASSIGN_OR_RETURN(RankingPtr ranking, engine_.Ranking(cluster, period, scheme, req.roll_up()));
      const auto& entries = ranking->proto().entries();
      v1::ClusterScore* s = out->add_scores();
      s->set_cluster_number(cluster.number());
      s->set_cluster_name(cluster.name());
      double sum = 0;
      int ranked = 0;
      for (const auto& e : entries) {
        if (!IsRanked(e)) continue;
        sum += e.total();
        ++ranked;
      }
      if (ranked > 0) {
        s->set_average_total(RoundPoints(sum / ranked));
        s->set_best_total(entries[0].total());
        // Like best_code: a province is told whom its own cluster proposes
        // for the flag (its ranking says so too), not whom the others do.
        const bool may_name = !access::SeesOnlyAggregates(who) ||
                              absl::c_linear_search(figures->members, who.organization_code);
        if (entries[0].flag_proposal() && may_name) {
          s->set_flag_proposal_code(entries[0].organization_code());
        }
      }
    }
  }
  return absl::OkStatus();
}

absl::Status Ranking::Trend(const Principal& who, const v1::TrendRequest& req,
                            v1::TrendResponse* out) {
  RETURN_IF_ERROR(access::ReadOrganization(who, req.organization_code()));
  fed::Violations v;
  fed::CheckOrganizationCode(v, "organization_code", req.organization_code(), true);
  fed::Period to;
  CheckEmulationPeriod(v, "to_period", req.to_period(), &to);
  if (req.periods() < 0 || req.periods() > kMaxTrendPeriods) {
    v.Add("periods",
          absl::StrCat("must be 1-", kMaxTrendPeriods, " (0 = ", kDefaultTrendPeriods, ")"));
  }
  CheckIndicators(v, req.indicator_codes());
  RETURN_IF_ERROR(v.ToStatus());
  std::vector<fed::Period> periods{to};
  const int count = req.periods() ? req.periods() : kDefaultTrendPeriods;
  while (static_cast<int>(periods.size()) < count)
    periods.insert(periods.begin(), periods.front().Previous());
  std::vector<std::string> indicators(req.indicator_codes().begin(), req.indicator_codes().end());
  if (indicators.empty()) {
    if (auto scheme = engine_.Scheme(to.year, 0)) indicators = SchemeIndicators(*scheme);
  }
  out->set_organization_code(req.organization_code());
  for (const auto& period : periods) {
    // With roll-up every period is read against to_period's clusters (the
    // organisation as it is now, its predecessors included).
    const int year = req.roll_up() ? to.year : period.year;
    ASSIGN_OR_RETURN(auto clusters, engine_.Clusters(year));
    v1::TrendPoint* point = out->add_points();
    point->set_period(period.ToString());
    point->set_year(year);
    const v1::EmulationCluster* cluster = clusters->Of(req.organization_code());
    if (cluster == nullptr) continue;  // not in a cluster that year: nothing to compare with
    RETURN_IF_ERROR(ComparePoint(engine_, req.organization_code(), period, *cluster, req.roll_up(),
                                 indicators, point));
  }
  return absl::OkStatus();
}

}  // namespace ranking

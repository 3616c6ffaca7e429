#include "services/reporting/validate.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "services/common/catalog.h"
#include "services/common/dates.h"
#include "services/common/report_validation.h"

namespace reporting {

fed::Violations ValidateReportKey(const std::string& organization_code, const std::string& period,
                                  absl::CivilDay today) {
  v1::Report key;
  key.set_organization_code(organization_code);
  key.set_period(period);
  return fed::ValidateReportContent(key, today);
}

fed::Violations ValidateDraftContent(const v1::Report& report, absl::CivilDay today) {
  return fed::ValidateReportContent(report, today);
}

void CheckComplete(fed::Violations& v, const v1::Report& report) {
  const v1::IndicatorCatalog* catalog = fed::CatalogVersion(
      report.catalog_version() == 0 ? fed::kLatestCatalogVersion : report.catalog_version());
  if (catalog == nullptr) return;  // an unknown version is reported by the content rules
  std::set<std::string> given;
  // A code given without a value is the content rules' problem, not a second one here.
  for (const auto& value : report.values()) given.insert(value.code());
  for (const auto& indicator : catalog->indicators()) {
    if (given.count(indicator.code()) != 0) continue;
    v.Add("values", absl::StrCat(indicator.code(), " has no value (give ",
                                 indicator.type() == v1::INDICATOR_TYPE_BOOLEAN ? "false" : "0",
                                 " when there was none)"));
  }
}

bool ActiveDuring(const v1::Organization& organization, const fed::Period& period) {
  auto from = fed::ParseDate(organization.active_from());
  if (!from.ok() || *from > period.LastDay()) return false;
  if (organization.active_until().empty()) return true;
  auto until = fed::ParseDate(organization.active_until());
  return until.ok() && *until > period.FirstDay();
}

void CheckActiveDuring(fed::Violations& v, const v1::Organization& organization,
                       const fed::Period& period) {
  if (ActiveDuring(organization, period)) return;
  v.Add("organization_code",
        absl::StrCat(organization.code(), " was not active during ", period.ToString(),
                     " (active from ", organization.active_from(),
                     organization.active_until().empty()
                         ? ""
                         : absl::StrCat(" until ", organization.active_until()),
                     ")"));
}

}  // namespace reporting

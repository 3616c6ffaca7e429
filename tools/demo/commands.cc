#include "tools/demo/commands.h"

#include "absl/strings/str_cat.h"
#include "tools/fedctl/checkout.h"

namespace fedctl::demo {
namespace {

constexpr char kDefaultProvincesCsv[] = "deploy/demo/provinces.csv";

}  // namespace

CommandSpec& WithProvincesCsvOption(CommandSpec& command) {
  return command.Option(
      "provinces_csv", "PATH",
      absl::StrCat("the provinces table (default ", kDefaultProvincesCsv, " of this checkout)"));
}

std::vector<ProvinceRow> ProvinceRowsOf(const Invocation& invocation) {
  if (invocation.Has("provinces_csv")) return ReadProvincesCsv(invocation.Get("provinces_csv"));
  const std::string path = FindInCheckout(kDefaultProvincesCsv);
  if (path.empty()) {
    throw UsageError(absl::StrCat("no --provinces_csv given and no ", kDefaultProvincesCsv,
                                  " in this checkout"));
  }
  return ReadProvincesCsv(path);
}

}  // namespace fedctl::demo

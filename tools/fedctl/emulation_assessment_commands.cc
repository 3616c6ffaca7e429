// `fedctl emulation ...`, the scores: members' self-assessments (tự chấm
// điểm), the head's and deputy's cross-checks (chấm chéo) with the members'
// answers, and the three columns side by side (computed, self, verified).
#include <iostream>

#include "absl/strings/str_cat.h"
#include "services/common/enum_names.h"
#include "tools/fedctl/emulation_common.h"
#include "tools/fedctl/emulation_parse.h"
#include "tools/fedctl/sheet.h"

namespace fedctl {
namespace {

namespace v1 = federation::v1;
using Stub = EmulationClient::Stub;

std::string PointsLabel(double total) {
  return absl::StrCat(Points(total), total == 1 ? " point" : " points");
}

// The sheet from --sheet (CSV) or --json-sheet, for --org.
v1::SelfAssessmentSheet SheetOf(const Invocation& invocation) {
  const std::string org = invocation.Get("org");
  if (invocation.Has("sheet") == invocation.Has("json-sheet")) {
    throw UsageError("give the sheet as --sheet PATH (CSV) or --json-sheet PATH, one of them");
  }
  v1::SelfAssessmentSheet sheet;
  const bool csv = invocation.Has("sheet");
  const std::string option = csv ? "sheet" : "json-sheet";
  const std::string path = invocation.Get(option);
  const std::string text = ReadInputFile(path, option);
  try {
    if (csv) {
      for (auto& score : ParseSelfAssessmentCsv(text)) *sheet.add_scores() = std::move(score);
    } else {
      sheet = ParseSelfAssessmentJson(text);
    }
  } catch (const UsageError& e) {
    throw UsageError(absl::StrCat("--", option, " ", path, ": ", e.what()));
  }
  if (!sheet.organization_code().empty() && sheet.organization_code() != org) {
    throw UsageError(absl::StrCat("--json-sheet is ", sheet.organization_code(),
                                  "'s sheet, not --org ", org, "'s"));
  }
  sheet.set_organization_code(org);
  return sheet;
}

int RunSelfAssess(const Invocation& invocation) {
  v1::SubmitSelfAssessmentRequest req;
  *req.mutable_key() = KeyOf(invocation);
  *req.mutable_sheet() = SheetOf(invocation);
  const std::string org = req.sheet().organization_code();
  return RunYearStep(invocation, &Stub::SubmitSelfAssessment, req,
                     absl::StrCat("self-assessment of ", org), [&](const v1::EmulationYear& out) {
                       double total = 0;
                       for (const auto& s : req.sheet().scores()) total += s.points();
                       for (const auto& s : out.self_assessments()) {
                         if (s.organization_code() != org) continue;
                         std::cout << org << ": sheet revision " << s.revision() << ", "
                                   << CountOf(s.scores_size(), "criterion", "criteria") << ", "
                                   << PointsLabel(total)
                                   << (s.late() ? ", late (after the due day)" : "") << "\n";
                       }
                     });
}

int RunCloseSelfAssessment(const Invocation& invocation) {
  v1::CloseSelfAssessmentRequest req;
  *req.mutable_key() = KeyOf(invocation);
  return RunYearStep(invocation, &Stub::CloseSelfAssessment, req, "closing self-assessment",
                     [](const v1::EmulationYear& out) {
                       std::cout << CountOf(out.self_assessments_size(), "sheet", "sheets")
                                 << " to cross-check\n";
                     });
}

int RunCrossCheck(const Invocation& invocation) {
  v1::CrossCheckRequest req;
  *req.mutable_key() = KeyOf(invocation);
  v1::CrossCheck& check = *req.mutable_check();
  check.set_organization_code(invocation.Get("org"));
  for (const auto& item : invocation.GetAll("check")) *check.add_checks() = ParseCheck(item);
  if (check.checks_size() == 0) throw UsageError("give --check CRITERION=POINTS per criterion");
  const std::string org = check.organization_code();
  return RunYearStep(invocation, &Stub::CrossCheck, req, absl::StrCat("cross-checking ", org),
                     [&](const v1::EmulationYear& out) {
                       for (const auto& k : out.cross_checks()) {
                         if (k.organization_code() != org) continue;
                         double total = 0;
                         for (const auto& c : k.checks()) total += c.verified_points();
                         std::cout << org << ": check revision " << k.revision() << " by "
                                   << k.checked_by_code() << ", " << PointsLabel(total)
                                   << " verified\n";
                       }
                     });
}

int RunAnswer(const Invocation& invocation) {
  v1::AnswerCrossCheckRequest req;
  *req.mutable_key() = KeyOf(invocation);
  v1::CheckAnswer& a = *req.mutable_answer();
  a.set_organization_code(invocation.Get("org"));
  a.set_criterion_code(invocation.Get("criterion"));
  a.set_text(invocation.Get("text"));
  return RunYearStep(
      invocation, &Stub::AnswerCrossCheck, req,
      absl::StrCat("answering for ", a.organization_code()), [&](const v1::EmulationYear&) {
        std::cout << a.organization_code() << "'s answer recorded"
                  << (a.criterion_code().empty() ? "" : absl::StrCat(" on ", a.criterion_code()))
                  << "\n";
      });
}

int RunCloseCrossCheck(const Invocation& invocation) {
  v1::CloseCrossCheckRequest req;
  *req.mutable_key() = KeyOf(invocation);
  return RunYearStep(invocation, &Stub::CloseCrossCheck, req, "closing the cross-check",
                     [](const v1::EmulationYear& out) {
                       std::cout << CountOf(out.cross_checks_size(), "member", "members")
                                 << " checked; the conference may vote\n";
                     });
}

// ---------------------------------------------------------------------------

std::string Rank(const v1::AssessedMember& m) {
  return m.rank() == 0 ? "-" : absl::StrCat(m.rank());
}

Sheet AssessmentTable(const v1::Assessment& a, bool criteria) {
  Sheet s({"rank", "code", "name", "computed", "self", "verified", "late", "cross-checked"});
  for (const auto& m : a.members()) {
    s.AddRow({Rank(m), m.organization_code(),
              m.takes_part() ? m.organization_name()
                             : absl::StrCat(m.organization_name(), " (takes no part)"),
              Points(m.computed_total()), m.self_assessed() ? Points(m.self_total()) : "",
              m.cross_checked() ? Points(m.verified_total()) : "", m.late() ? "late" : "",
              m.cross_checked() ? "yes" : ""});
    if (!criteria) continue;
    for (const auto& c : m.criteria()) {
      std::string label = absl::StrCat(
          "  ", c.criterion_code(), " (max ", Points(c.max_points()),
          c.evidence_count() > 0 ? absl::StrCat(", ", c.evidence_count(), " evidence") : "", ")");
      if (!c.reason().empty()) absl::StrAppend(&label, ": ", c.reason());
      s.AddRow({"", "", label, Points(c.computed_points()),
                c.has_self() ? Points(c.self_points()) : "",
                c.has_verified() ? Points(c.verified_points()) : ""});
    }
    if (m.adjustments() != 0) {
      s.AddRow({"", "", "  adjustments (in every total)", Points(m.adjustments()),
                Points(m.adjustments()), Points(m.adjustments())});
    }
  }
  return s;
}

// Flat, for spreadsheets: one row per member, or per member and criterion.
Sheet AssessmentCsv(const v1::Assessment& a, bool criteria) {
  std::vector<std::string> headers = {
      "year",          "cluster",        "rank",         "code",           "name",
      "takes_part",    "computed_total", "self_total",   "verified_total", "adjustments",
      "self_assessed", "late",           "cross_checked"};
  if (criteria) {
    for (const char* h : {"criterion", "criterion_name", "max_points", "computed", "self",
                          "verified", "reason", "evidence"}) {
      headers.push_back(h);
    }
  }
  Sheet s(headers);
  auto yes_no = [](bool b) { return std::string(b ? "yes" : "no"); };
  for (const auto& m : a.members()) {
    std::vector<std::string> row = {absl::StrCat(a.key().year()),
                                    absl::StrCat(a.key().cluster_number()),
                                    absl::StrCat(m.rank()),
                                    m.organization_code(),
                                    m.organization_name(),
                                    yes_no(m.takes_part()),
                                    Points(m.computed_total()),
                                    m.self_assessed() ? Points(m.self_total()) : "",
                                    m.cross_checked() ? Points(m.verified_total()) : "",
                                    Points(m.adjustments()),
                                    yes_no(m.self_assessed()),
                                    yes_no(m.late()),
                                    yes_no(m.cross_checked())};
    // A member that takes no part has no criteria, and still has its row.
    if (!criteria || m.criteria().empty()) {
      s.AddRow(row);
      continue;
    }
    for (const auto& c : m.criteria()) {
      std::vector<std::string> full = row;
      for (std::string cell :
           {c.criterion_code(), c.criterion_name(), Points(c.max_points()),
            Points(c.computed_points()), c.has_self() ? Points(c.self_points()) : "",
            c.has_verified() ? Points(c.verified_points()) : "", c.reason(),
            absl::StrCat(c.evidence_count())}) {
        full.push_back(std::move(cell));
      }
      s.AddRow(std::move(full));
    }
  }
  return s;
}

int RunAssessment(const Invocation& invocation) {
  const OutputFormat format = FormatOf(invocation);
  const bool criteria = invocation.Switch("criteria");
  v1::GetAssessmentRequest req;
  *req.mutable_key() = KeyOf(invocation);
  v1::Assessment out;
  if (auto s = EmulationClient::Connect(invocation).Call(&Stub::GetAssessment, req, &out);
      !s.ok()) {
    return ReportRpcError(absl::StrCat("assessment of ", KeyLabel(req.key())), s);
  }
  if (!out.computed_available()) {
    std::cerr << "note: the ranking service could not be asked; computed scores show 0\n";
  }
  return Present(
      format, out,
      [&] {
        std::cout << KeyLabel(out.key()) << ": computed, self and verified scores\n";
        AssessmentTable(out, criteria).PrintTable(std::cout);
      },
      [&] { return AssessmentCsv(out, criteria); });
}

}  // namespace

std::vector<CommandSpec> EmulationAssessmentCommands() {
  std::vector<CommandSpec> commands;
  commands.push_back(
      Keyed(Command("emulation self-assess", "Submit a member's self-assessment (tự chấm điểm).",
                    RunSelfAssess)
                .Required("org", "CODE", "the member")
                .Option("sheet", "PATH",
                        "CSV: criterion,points,explanation,evidence (evidence: ';'-separated https "
                        "links or sha256:<hex>)")
                .Option("json-sheet", "PATH", "the SelfAssessmentSheet as protobuf JSON instead")));
  commands.push_back(Keyed(Command("emulation close-self-assessment",
                                   "Close self-assessment; cross-checking starts (head's staff).",
                                   RunCloseSelfAssessment)));
  commands.push_back(Keyed(
      Command("emulation cross-check", "Verify a member's scores (chấm chéo, thẩm định).",
              RunCrossCheck)
          .Required("org", "CODE", "the member checked")
          .Repeatable("check", "CRITERION=POINTS[:REASON]",
                      "one per criterion; a reason wherever the points differ from the member's")));
  commands.push_back(
      Keyed(Command("emulation answer", "A member's answer to its cross-check.", RunAnswer)
                .Required("org", "CODE", "the member answering")
                .Option("criterion", "CODE", "the criterion answered about (default: the whole)")
                .Required("text", "TEXT", "the answer")));
  commands.push_back(
      Keyed(Command("emulation close-cross-check",
                    "Close the cross-check; the conference votes next.", RunCloseCrossCheck)));
  {
    CommandSpec c =
        Keyed(Command("emulation assessment",
                      "Computed, self and verified scores of every member, ranked.", RunAssessment)
                  .Switch("criteria", "one row per criterion under each member"));
    commands.push_back(WithCsvOption(c));
  }
  return commands;
}

}  // namespace fedctl

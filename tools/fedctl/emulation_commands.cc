// `fedctl emulation ...` (thi đua – khen thưởng): a cluster's emulation year
// against the emulation service. This file: the year itself (years, show,
// create, revoke), registration and the covenant, and kept files. Scores are
// in emulation_assessment_commands.cc, ballots to awards in
// emulation_vote_commands.cc. The service's address is --emulation HOST:PORT
// (env FED_EMULATION_TARGET, default 127.0.0.1 and its port in deploy/topology.txt).
#include <fstream>
#include <iostream>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/digest.h"
#include "services/common/enum_names.h"
#include "services/common/files.h"
#include "services/common/period.h"
#include "tools/fedctl/aggregator_client.h"
#include "tools/fedctl/emulation_common.h"
#include "tools/fedctl/emulation_parse.h"
#include "tools/fedctl/sheet.h"

namespace fedctl {

namespace v1 = federation::v1;
using Stub = EmulationClient::Stub;

// The service refuses more; saying so before sending saves a 3 MiB upload.
constexpr size_t kMaxUploadBytes = 3 << 20;

v1::YearKey KeyOf(const Invocation& invocation) {
  v1::YearKey key;
  key.set_organiser_code(invocation.Get("organiser", "VUSTA"));
  key.set_year(invocation.GetYear("year"));
  const int64_t cluster = invocation.GetInt("cluster", 0);
  if (cluster < 1 || cluster > 99) throw UsageError("--cluster must be a number from 1 to 99");
  key.set_cluster_number(static_cast<int32_t>(cluster));
  return key;
}

CommandSpec Keyed(CommandSpec command) {
  // First in the synopsis: which year is what every line of a script varies least.
  CommandSpec key;
  key.Required("year", "YEAR", "the emulation year (năm thi đua), e.g. 2025")
      .Required("cluster", "N", "the cluster (cụm thi đua) of that year, 1..99")
      .Option("organiser", "CODE", "who runs the emulation (default VUSTA)");
  command.options.insert(command.options.begin(), key.options.begin(), key.options.end());
  WithEmulationOption(command);
  return command;
}

std::string KeyLabel(const v1::YearKey& key) {
  return absl::StrCat(key.organiser_code(), " ", key.year(), " cluster ", key.cluster_number());
}

std::string Points(double value) { return FormatFigure(value); }

std::string ReadInputFile(const std::string& path, absl::string_view option) {
  auto content = fed::ReadFileToString(path);
  if (!content.ok()) throw UsageError(absl::StrCat("--", option, ": ", content.status().message()));
  return *std::move(content);
}

void PrintYearState(const v1::EmulationYear& year) {
  std::cout << KeyLabel(year.key()) << ": " << fed::EnumWordLower(year.state()) << " (revision "
            << year.revision() << ")\n";
}

namespace {

std::string Yes(bool value) { return value ? "yes" : ""; }

std::string FileLabel(const v1::FileRef& file) {
  if (file.sha256().empty()) return "";
  return file.name().empty() ? file.sha256() : absl::StrCat(file.name(), " (", file.sha256(), ")");
}

std::string Recorded(const google::protobuf::Timestamp& at, const std::string& by) {
  const std::string when = FormatTimestamp(at);
  if (by.empty()) return when;
  return when.empty() ? by : absl::StrCat(when, " by ", by);
}

std::string AimsLabel(const google::protobuf::RepeatedField<int>& aims) {
  std::vector<std::string> words;
  for (int aim : aims) words.push_back(fed::EnumWordLower(static_cast<v1::AwardKind>(aim)));
  return absl::StrJoin(words, ", ");
}

std::string GrantsLabel(const google::protobuf::RepeatedPtrField<v1::Proposal>& proposals) {
  std::vector<std::string> items;
  for (const auto& p : proposals) {
    items.push_back(absl::StrCat(p.organization_code(), ":", fed::EnumWordLower(p.kind())));
  }
  return absl::StrJoin(items, ", ");
}

void Heading(absl::string_view title) { std::cout << "\n" << title << ":\n"; }

void PrintYear(const v1::EmulationYear& y) {
  const auto& c = y.covenant();
  const std::string updated =
      y.has_updated_at() ? absl::StrCat(", updated ", FormatTimestamp(y.updated_at())) : "";
  PrintFields(std::cout,
              {{"year", KeyLabel(y.key())},
               {"name", y.name()},
               {"state", absl::StrCat(fed::EnumWordLower(y.state()), " (revision ", y.revision(),
                                      updated, ")")},
               {"span", absl::StrCat(y.start_date(), " to ", y.end_date())},
               {"scheme", absl::StrCat(y.scheme_year(), " version ", y.scheme_version(),
                                       ", ranking period ", y.ranking_period())},
               {"self-assessment", absl::StrCat("due ", y.self_assessment_due(), ", closes ",
                                                y.self_assessment_closes())},
               {"head (cụm trưởng)", c.head_code()},
               {"deputy (cụm phó)", c.deputy_code()},
               {"next head", y.next_head_code()},
               {"next deputy", y.next_deputy_code()},
               {"revoked", y.revoked_reason()}});

  Heading(CountOf(y.members_size(), "member", "members"));
  Table members({"code", "name", "takes part", "ended on", "successor"});
  for (const auto& m : y.members()) {
    members.AddRow({m.organization_code(), m.organization_name(), m.takes_part() ? "yes" : "no",
                    m.ended_on(), m.successor_code()});
  }
  members.Print(std::cout);

  if (y.registrations_size() > 0) {
    Heading("registrations (đăng ký thi đua)");
    Table t({"member", "targets", "aims", "recorded"});
    for (const auto& r : y.registrations()) {
      std::vector<std::string> targets;
      for (const auto& g : r.targets()) {
        targets.push_back(absl::StrCat(g.code(), "=", Points(g.value()),
                                       g.note().empty() ? "" : absl::StrCat(" (", g.note(), ")")));
      }
      t.AddRow({r.organization_code(), absl::StrJoin(targets, "; "), AimsLabel(r.aims()),
                Recorded(r.recorded_at(), r.recorded_by())});
    }
    t.Print(std::cout);
  }

  if (!c.signed_on().empty()) {
    Heading("covenant (giao ước thi đua)");
    PrintFields(std::cout,
                {{"plan", c.plan_number()},
                 {"signed on", c.signed_on()},
                 {"document", FileLabel(c.signed_document())},
                 {"registrations", absl::StrCat(c.registrations_size())},
                 {"rules", absl::StrCat(c.rules().size(), " bytes")},
                 {"recorded", Recorded(c.recorded_at(), c.recorded_by())}},
                "  ");
  }

  if (y.self_assessments_size() + y.cross_checks_size() > 0) {
    Heading("self-assessments and cross-checks (tự chấm, chấm chéo)");
    Table t({"member", "sheet", "late", "submitted", "check", "checked by", "recorded"});
    std::map<std::string, const v1::CrossCheck*> checks;
    for (const auto& k : y.cross_checks()) checks[k.organization_code()] = &k;
    for (const auto& s : y.self_assessments()) {
      const v1::CrossCheck* k =
          checks.count(s.organization_code()) ? checks[s.organization_code()] : nullptr;
      t.AddRow({s.organization_code(), absl::StrCat("revision ", s.revision()), Yes(s.late()),
                Recorded(s.submitted_at(), s.submitted_by()),
                k ? absl::StrCat("revision ", k->revision()) : "", k ? k->checked_by_code() : "",
                k ? Recorded(k->recorded_at(), k->recorded_by()) : ""});
      checks.erase(s.organization_code());
    }
    for (const auto& [code, k] : checks) {
      t.AddRow({code, "", "", "", absl::StrCat("revision ", k->revision()), k->checked_by_code(),
                Recorded(k->recorded_at(), k->recorded_by())});
    }
    t.Print(std::cout);
  }
  if (y.answers_size() > 0) {
    Heading("answers to cross-checks");
    Table t({"member", "criterion", "text", "recorded"});
    for (const auto& a : y.answers()) {
      t.AddRow({a.organization_code(), a.criterion_code(), a.text(),
                Recorded(a.recorded_at(), a.recorded_by())});
    }
    t.Print(std::cout);
  }

  if (y.ballots_size() > 0) {
    Heading("ballots (bỏ phiếu kín)");
    Table t({"kind", "round", "held on", "seats", "outcome", "elected", "tied", "explanation"});
    for (const auto& b : y.ballots()) {
      t.AddRow({fed::EnumWordLower(b.tally().kind()), absl::StrCat(b.round()), b.tally().held_on(),
                absl::StrCat(b.seats()), fed::EnumWordLower(b.outcome()),
                absl::StrJoin(b.elected_codes(), ", "), absl::StrJoin(b.tied_codes(), ", "),
                b.explanation()});
    }
    t.Print(std::cout);
  }
  if (!y.conference().held_on().empty()) {
    const auto& f = y.conference();
    Heading("conference (hội nghị tổng kết)");
    PrintFields(std::cout,
                {{"held on", f.held_on()},
                 {"place", f.place()},
                 {"chair", f.chair()},
                 {"secretary", f.secretary()}},
                "  ");
  }

  if (y.dossier().revision() > 0) {
    const auto& d = y.dossier();
    std::vector<std::string> attachments;
    for (const auto& a : d.attachments()) attachments.push_back(FileLabel(a));
    Heading("dossier (hồ sơ đề nghị khen thưởng)");
    PrintFields(std::cout,
                {{"revision", absl::StrCat(d.revision())},
                 {"letter", absl::StrCat(d.letter_number(), " of ", d.letter_date())},
                 {"signed minutes", FileLabel(d.signed_minutes())},
                 {"attachments", absl::StrJoin(attachments, "; ")},
                 {"proposals", GrantsLabel(d.proposals())},
                 {"documents", absl::StrCat(d.documents_size())},
                 {"note", d.note()},
                 {"submitted", Recorded(d.submitted_at(), d.submitted_by())}},
                "  ");
  }
  if (y.reviews_size() > 0) {
    Heading("council reviews (hội đồng thi đua – khen thưởng)");
    Table t({"dossier", "held on", "members", "present", "for", "against", "abstaining", "result",
             "return reason", "explanation"});
    for (const auto& r : y.reviews()) {
      const auto& v = r.vote();
      t.AddRow({absl::StrCat(r.dossier_revision()), r.held_on(), absl::StrCat(v.members()),
                absl::StrCat(v.present()), absl::StrCat(v.in_favour()), absl::StrCat(v.against()),
                absl::StrCat(v.abstaining()), r.approved() ? "approved" : "returned",
                r.return_reason(), r.explanation()});
    }
    t.Print(std::cout);
  }
  if (!y.decision().number().empty()) {
    const auto& d = y.decision();
    Heading("decision (quyết định khen thưởng)");
    PrintFields(
        std::cout,
        {{"number", d.number()},
         {"decided on", d.decided_on()},
         {"signer", d.signer()},
         {"grants", GrantsLabel(d.grants())},
         {"government flag", d.forward_government_flag() ? "forwarded to the Prime Minister" : ""},
         {"recorded", Recorded(d.recorded_at(), d.recorded_by())}},
        "  ");
  }
  if (y.awards_size() > 0) {
    Heading("awards");
    Table t({"member", "kind", "state", "decision", "decided on", "signer", "presented on",
             "occasion"});
    for (const auto& a : y.awards()) {
      t.AddRow({a.organization_code(), fed::EnumWordLower(a.kind()), fed::EnumWordLower(a.state()),
                a.decision_number(), a.decided_on(), a.signer(), a.presented_on(), a.occasion()});
    }
    t.Print(std::cout);
  }

  if (y.transitions_size() > 0) {
    Heading("transitions");
    Table t({"at", "from", "to", "by", "note"});
    for (const auto& s : y.transitions()) {
      t.AddRow({FormatTimestamp(s.at()), fed::EnumWordLower(s.from()), fed::EnumWordLower(s.to()),
                s.by(), s.note()});
    }
    t.Print(std::cout);
  }
}

// ---------------------------------------------------------------------------

int RunYears(const Invocation& invocation) {
  const OutputFormat format = FormatOf(invocation);
  v1::ListYearsRequest req;
  if (invocation.Has("year")) req.set_year(invocation.GetYear("year"));
  req.set_cluster_number(static_cast<int32_t>(invocation.GetCount("cluster", 0)));
  v1::ListYearsResponse resp;
  if (auto s = EmulationClient::Connect(invocation).Call(&Stub::ListYears, req, &resp); !s.ok()) {
    return ReportRpcError("listing emulation years", s);
  }
  auto sheet = [&] {
    Sheet s({"organiser", "year", "cluster", "state", "head", "deputy", "revision", "name"});
    for (const auto& y : resp.years()) {
      s.AddRow({y.key().organiser_code(), absl::StrCat(y.key().year()),
                absl::StrCat(y.key().cluster_number()), fed::EnumWordLower(y.state()),
                y.covenant().head_code(), y.covenant().deputy_code(), absl::StrCat(y.revision()),
                y.name()});
    }
    return s;
  };
  return Present(
      format, resp, [&] { sheet().PrintTable(std::cout); }, sheet);
}

int RunShow(const Invocation& invocation) {
  v1::GetYearRequest req;
  *req.mutable_key() = KeyOf(invocation);
  v1::EmulationYear year;
  if (auto s = EmulationClient::Connect(invocation).Call(&Stub::GetYear, req, &year); !s.ok()) {
    return ReportRpcError(absl::StrCat("reading ", KeyLabel(req.key())), s);
  }
  return Show(invocation, year, [&] { PrintYear(year); });
}

int RunCreate(const Invocation& invocation) {
  v1::CreateYearRequest req;
  v1::EmulationYear& y = *req.mutable_year();
  *y.mutable_key() = KeyOf(invocation);
  y.set_name(invocation.Get("name"));
  y.set_start_date(invocation.GetDate("start"));
  y.set_end_date(invocation.GetDate("end"));
  y.set_scheme_year(invocation.Has("scheme-year") ? invocation.GetYear("scheme-year")
                                                  : y.key().year());
  y.set_scheme_version(static_cast<int32_t>(invocation.GetCount("scheme-version", 0)));
  auto period = fed::Period::Parse(invocation.Get("ranking-period"));
  if (!period.ok()) {
    throw UsageError(absl::StrCat("--ranking-period: ", period.status().message()));
  }
  y.set_ranking_period(period->ToString());
  y.set_self_assessment_due(invocation.GetDate("due"));
  y.set_self_assessment_closes(invocation.GetDate("closes"));
  return RunYearStep(invocation, &Stub::CreateYear, req,
                     absl::StrCat("creating ", KeyLabel(y.key())),
                     [](const v1::EmulationYear& out) {
                       std::cout << out.name() << ", scheme " << out.scheme_year() << " version "
                                 << out.scheme_version() << ", "
                                 << CountOf(out.members_size(), "member", "members") << "\n";
                     });
}

int RunRegister(const Invocation& invocation) {
  v1::RegisterRequest req;
  *req.mutable_key() = KeyOf(invocation);
  v1::Registration& r = *req.mutable_registration();
  r.set_organization_code(invocation.Get("org"));
  for (const auto& item : invocation.GetAll("target")) *r.add_targets() = ParseTarget(item);
  for (const auto& item : invocation.GetAll("aim")) {
    // "--aim=union_flag,merit_certificate" reads as well as two --aim.
    for (absl::string_view word : absl::StrSplit(item, ',', absl::SkipWhitespace())) {
      r.add_aims(ParseEnumWord<v1::AwardKind>(word, "aim"));
    }
  }
  return RunYearStep(invocation, &Stub::Register, req,
                     absl::StrCat("registering ", r.organization_code()),
                     [&](const v1::EmulationYear& out) {
                       int taking_part = 0;
                       for (const auto& m : out.members()) taking_part += m.takes_part() ? 1 : 0;
                       std::cout << r.organization_code() << " registered "
                                 << CountOf(r.targets_size(), "target", "targets") << "; "
                                 << out.registrations_size() << " of " << taking_part
                                 << " taking part have registered\n";
                     });
}

int RunSign(const Invocation& invocation) {
  v1::SignCovenantRequest req;
  *req.mutable_key() = KeyOf(invocation);
  v1::Covenant& c = *req.mutable_covenant();
  c.set_rules(ReadInputFile(invocation.Get("rules-file"), "rules-file"));
  c.set_plan_number(invocation.Get("plan"));
  c.set_head_code(invocation.Get("head"));
  c.set_deputy_code(invocation.Get("deputy"));
  c.set_signed_on(invocation.GetDate("signed-on"));
  c.mutable_signed_document()->set_sha256(absl::AsciiStrToLower(invocation.Get("document")));
  return RunYearStep(invocation, &Stub::SignCovenant, req, "signing the covenant",
                     [](const v1::EmulationYear& out) {
                       std::cout << "covenant " << out.covenant().plan_number() << " signed on "
                                 << out.covenant().signed_on() << "; head "
                                 << out.covenant().head_code() << ", deputy "
                                 << out.covenant().deputy_code() << "\n";
                     });
}

// The media types evidence comes in; anything else is sent as bytes.
std::string GuessMediaType(const std::string& path) {
  const std::string lower = absl::AsciiStrToLower(path);
  for (const auto& [suffix, type] : std::vector<std::pair<std::string, std::string>>{
           {".pdf", "application/pdf"},
           {".png", "image/png"},
           {".jpg", "image/jpeg"},
           {".jpeg", "image/jpeg"},
           {".txt", "text/plain"},
           {".csv", "text/csv"},
           {".doc", "application/msword"},
           {".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
           {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}}) {
    if (absl::EndsWith(lower, suffix)) return type;
  }
  return "application/octet-stream";
}

int RunUpload(const Invocation& invocation) {
  const std::string path = invocation.Get("file");
  v1::UploadFileRequest req;
  *req.mutable_key() = KeyOf(invocation);
  req.set_content(ReadInputFile(path, "file"));
  if (req.content().size() > kMaxUploadBytes) {
    throw UsageError(absl::StrCat("--file: ", path, " is ", req.content().size(),
                                  " bytes; the service keeps at most 3 MiB"));
  }
  const size_t slash = path.find_last_of('/');
  req.set_name(invocation.Get("name", slash == std::string::npos ? path : path.substr(slash + 1)));
  req.set_media_type(invocation.Get("media-type", GuessMediaType(path)));
  v1::FileRef out;
  if (auto s = EmulationClient::Connect(invocation).Call(&Stub::UploadFile, req, &out); !s.ok()) {
    return ReportRpcError(absl::StrCat("uploading ", path), s);
  }
  return Show(invocation, out, [&] {
    std::cout << out.sha256() << "  " << out.name() << "  (" << out.media_type() << ", "
              << out.size_bytes() << " bytes)\n";
  });
}

int RunGetFile(const Invocation& invocation) {
  v1::GetFileRequest req;
  *req.mutable_key() = KeyOf(invocation);
  req.set_sha256(absl::AsciiStrToLower(invocation.Get("sha256")));
  const std::string out_path = invocation.Get("out");
  v1::FileContent out;
  if (auto s = EmulationClient::Connect(invocation).Call(&Stub::GetFile, req, &out); !s.ok()) {
    return ReportRpcError(absl::StrCat("reading file ", req.sha256()), s);
  }
  // A file is known by its digest: a copy that does not match is not it.
  if (fed::Sha256Hex(out.content()) != req.sha256()) {
    std::cerr << "error: the content received does not have SHA-256 " << req.sha256()
              << "; nothing written\n";
    return 1;
  }
  std::ofstream file(out_path, std::ios::binary | std::ios::trunc);
  file.write(out.content().data(), static_cast<std::streamsize>(out.content().size()));
  file.close();
  if (!file) {
    std::cerr << "error: cannot write " << out_path << "\n";
    return 1;
  }
  if (invocation.json()) {
    out.clear_content();  // written to the file; JSON would carry it as base64
    PrintJson(std::cout, out);
    return 0;
  }
  std::cout << "wrote " << out_path << " (" << out.file().name() << ", " << out.content().size()
            << " bytes)\n";
  return 0;
}

int RunRevoke(const Invocation& invocation) {
  v1::RevokeYearRequest req;
  *req.mutable_key() = KeyOf(invocation);
  req.set_reason(invocation.Get("reason"));
  return RunYearStep(invocation, &Stub::RevokeYear, req,
                     absl::StrCat("revoking ", KeyLabel(req.key())),
                     [](const v1::EmulationYear& out) {
                       std::cout << CountOf(out.awards_size(), "award", "awards")
                                 << " revoked: " << out.revoked_reason() << "\n";
                     });
}

}  // namespace

std::vector<CommandSpec> EmulationYearCommands() {
  std::vector<CommandSpec> commands;
  {
    CommandSpec c =
        Command("emulation years", "Emulation years (năm thi đua) and their states.", RunYears);
    c.Option("year", "YEAR", "one year (default: all)")
        .Option("cluster", "N", "one cluster (default: all)");
    WithEmulationOption(c);
    commands.push_back(WithCsvOption(c));
  }
  commands.push_back(Keyed(
      Command("emulation show",
              "One year: state, dates, members, registrations, ballots, dossier, decision, awards.",
              RunShow)));
  commands.push_back(
      Keyed(Command("emulation create", "Open a year with its scheme (national_admin).", RunCreate)
                .Required("name", "TEXT", "e.g. \"Năm thi đua 2025 – Cụm 1\"")
                .Required("start", "DATE", "first day of the year")
                .Required("end", "DATE", "last day of the year")
                .Required("ranking-period", "PERIOD",
                          "whose computed scores stand beside the others, e.g. 2025")
                .Required("due", "DATE", "self-assessments after this day are marked late")
                .Required("closes", "DATE", "self-assessments after this day are refused")
                .Option("scheme-year", "YEAR", "the scoring scheme's year (default --year)")
                .Option("scheme-version", "N", "the scheme's version (default: the latest)")));
  commands.push_back(Keyed(
      Command("emulation register", "A member's registration (đăng ký thi đua).", RunRegister)
          .Required("org", "CODE", "the member")
          .Repeatable("target", "CODE=VALUE[:NOTE]", "a target, e.g. workshops=12 (repeatable)")
          .Repeatable("aim", "KIND", "union_flag, merit_certificate or government_flag")));
  commands.push_back(Keyed(
      Command("emulation sign", "Record the signed covenant (ký giao ước thi đua).", RunSign)
          .Required("rules-file", "PATH", "the cluster's operating rules (quy chế) as adopted")
          .Required("plan", "NUMBER", "the plan's number, e.g. 05/KH-CTĐ1")
          .Required("head", "CODE", "this year's head (cụm trưởng)")
          .Required("deputy", "CODE", "this year's deputy (cụm phó)")
          .Required("signed-on", "DATE", "the day it was signed")
          .Required("document", "SHA256", "the signed document, uploaded first")));
  commands.push_back(Keyed(
      Command("emulation upload", "Keep a file (evidence, a signed document); prints its SHA-256.",
              RunUpload)
          .Required("file", "PATH", "the file, at most 3 MiB")
          .Option("name", "TEXT", "the name to keep (default the file's)")
          .Option("media-type", "TYPE", "e.g. application/pdf (default from the extension)")));
  commands.push_back(
      Keyed(Command("emulation get-file", "Fetch a kept file by its SHA-256.", RunGetFile)
                .Required("sha256", "HEX", "the file's SHA-256")
                .Required("out", "PATH", "where to write it")));
  commands.push_back(
      Keyed(Command("emulation revoke", "Revoke the year's awards (national_admin).", RunRevoke)
                .Required("reason", "TEXT", "why, and by which decision")));
  return commands;
}

std::vector<CommandSpec> EmulationCommands() {
  std::vector<CommandSpec> all = EmulationYearCommands();
  for (auto group : {EmulationAssessmentCommands, EmulationVoteCommands}) {
    for (auto& command : group()) all.push_back(std::move(command));
  }
  return all;
}

}  // namespace fedctl

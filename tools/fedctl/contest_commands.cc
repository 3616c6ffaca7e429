// `fedctl contest ...`: the whole competition flow against the competition
// service: contests and their states, entries, judges and assignment, score
// sheets, results with ties and prizes, nominations, history and statistics.
// Tabular answers print a table, --json or --csv.
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "services/common/dates.h"
#include "tools/fedctl/commands.h"
#include "tools/fedctl/competition_client.h"
#include "tools/fedctl/contest_text.h"
#include "tools/fedctl/sheet.h"

namespace fedctl {
namespace {

namespace v1 = federation::v1;
using Stub = CompetitionClient::Stub;

int64_t IdArgument(const Invocation& invocation, size_t i, absl::string_view what) {
  int64_t id = 0;
  if (!absl::SimpleAtoi(invocation.argument(i), &id) || id <= 0) {
    throw UsageError(
        absl::StrCat(what, " must be a positive number, got '", invocation.argument(i), "'"));
  }
  return id;
}

std::string Score(double value) { return absl::StrFormat("%.2f", value); }

void PrintContest(const v1::Contest& c) {
  std::vector<std::string> criteria;
  for (const auto& k : c.criteria()) {
    criteria.push_back(absl::StrCat(k.code(), " (", k.name(), ", max ", k.max_points(), ", weight ",
                                    k.weight(), ")"));
  }
  const auto& p = c.prizes();
  PrintFields(
      std::cout,
      {{"id", absl::StrCat(c.id())},
       {"title", c.title()},
       {"kind", KindLabel(c.kind())},
       {"level", LevelLabel(c.level())},
       {"organiser", c.organizer_code()},
       {"edition", absl::StrCat(c.edition())},
       {"year", absl::StrCat(c.year())},
       {"state", StateLabel(c.state())},
       {"fields", absl::StrJoin(c.fields(), ", ")},
       {"registration", absl::StrCat(c.registration_opens(), " to ", c.registration_closes())},
       {"judging", absl::StrCat(c.judging_opens(), " to ", c.judging_closes())},
       {"prizes",
        absl::StrCat(p.first(), " first, ", p.second(), " second, ", p.third(), " third, ",
                     p.consolation(), " consolation; minimum score ", p.min_score())},
       {"criteria", absl::StrJoin(criteria, "; ")},
       {"judges per entry", absl::StrCat(c.min_judges_per_entry())},
       {"entries", absl::StrCat(c.entry_count())},
       {"updated", absl::StrCat(FormatTimestamp(c.updated_at()), " by ", c.updated_by())}});
}

// ---------------------------------------------------------------------------

int RunList(const Invocation& invocation) {
  const OutputFormat format = FormatOf(invocation);
  v1::ListContestsRequest req;
  req.set_organizer_code(invocation.Get("org"));
  if (invocation.Has("year")) req.set_year(invocation.GetYear("year"));
  if (invocation.Has("kind")) req.set_kind(ParseContestKind(invocation.Get("kind")));
  if (invocation.Has("state")) req.set_state(ParseContestState(invocation.Get("state")));
  v1::ListContestsResponse resp;
  if (auto s = CompetitionClient::Connect(invocation).Call(&Stub::ListContests, req, &resp);
      !s.ok()) {
    return ReportRpcError("listing contests", s);
  }
  auto sheet = [&] {
    Sheet s({"id", "year", "organiser", "kind", "edition", "state", "entries", "title"});
    for (const auto& c : resp.contests()) {
      s.AddRow({absl::StrCat(c.id()), absl::StrCat(c.year()), c.organizer_code(),
                KindLabel(c.kind()), absl::StrCat(c.edition()), StateLabel(c.state()),
                absl::StrCat(c.entry_count()), c.title()});
    }
    return s;
  };
  return Present(
      format, resp, [&] { sheet().PrintTable(std::cout); }, sheet);
}

int RunShow(const Invocation& invocation) {
  v1::GetContestRequest req;
  req.set_id(IdArgument(invocation, 0, "CONTEST"));
  v1::Contest c;
  if (auto s = CompetitionClient::Connect(invocation).Call(&Stub::GetContest, req, &c); !s.ok()) {
    return ReportRpcError(absl::StrCat("reading contest ", req.id()), s);
  }
  return Show(invocation, c, [&] { PrintContest(c); });
}

int RunCreate(const Invocation& invocation) {
  v1::CreateContestRequest req;
  v1::Contest& c = *req.mutable_contest();
  c.set_organizer_code(invocation.Get("org"));
  c.set_kind(ParseContestKind(invocation.Get("kind")));
  c.set_level(invocation.Has("level") ? ParseContestLevel(invocation.Get("level"))
                                      : DefaultLevel(c.kind()));
  c.set_edition(static_cast<int>(invocation.GetCount("edition", 0)));
  c.set_year(invocation.GetYear("year"));
  c.set_title(invocation.Get("title"));
  for (const auto& f : invocation.GetList("fields")) c.add_fields(f);
  c.set_registration_opens(invocation.GetDate("registration-opens"));
  c.set_registration_closes(invocation.GetDate("registration-closes"));
  c.set_judging_opens(invocation.GetDate("judging-opens"));
  c.set_judging_closes(invocation.GetDate("judging-closes"));
  *c.mutable_prizes() =
      ParsePrizes(invocation.Get("prizes", "1,2,3,5"), invocation.Get("min-score", "0"));
  for (const auto& k : ParseCriteria(invocation.Get("criteria", kDefaultCriteria)))
    *c.add_criteria() = k;
  c.set_min_judges_per_entry(static_cast<int>(invocation.GetCount("min-judges", 3)));
  v1::Contest out;
  if (auto s = CompetitionClient::Connect(invocation).Call(&Stub::CreateContest, req, &out);
      !s.ok()) {
    return ReportRpcError("creating the contest", s);
  }
  return Show(invocation, out, [&] { PrintContest(out); });
}

int RunAdvance(const Invocation& invocation) {
  v1::TransitionContestRequest req;
  req.set_id(IdArgument(invocation, 0, "CONTEST"));
  req.set_to(ParseContestState(invocation.Get("to")));
  req.set_force(invocation.Switch("force"));
  req.set_note(invocation.Get("note"));
  v1::Contest out;
  if (auto s = CompetitionClient::Connect(invocation).Call(&Stub::TransitionContest, req, &out);
      !s.ok()) {
    return ReportRpcError(absl::StrCat("moving contest ", req.id(), " to ", invocation.Get("to")),
                          s);
  }
  return Show(invocation, out, [&] {
    std::cout << "contest " << out.id() << " is now " << StateLabel(out.state()) << "\n";
  });
}

int RunEntryAdd(const Invocation& invocation) {
  v1::SubmitEntryRequest req;
  v1::Entry& e = *req.mutable_entry();
  e.set_contest_id(IdArgument(invocation, 0, "CONTEST"));
  e.set_title(invocation.Get("title"));
  e.set_source_organization_code(invocation.Get("source"));
  e.set_field(invocation.Get("field"));
  e.set_summary(invocation.Get("summary"));
  for (const auto& a : ParseAuthors(invocation.Get("authors"))) *e.add_authors() = a;
  if (invocation.Has("submitted")) {
    auto day = fed::ParseDate(invocation.GetDate("submitted"));
    e.mutable_submitted_at()->set_seconds(absl::ToUnixSeconds(
        absl::FromCivil(absl::CivilSecond(*day) + 9 * 3600, absl::FixedTimeZone(7 * 3600))));
  }
  v1::Entry out;
  if (auto s = CompetitionClient::Connect(invocation).Call(&Stub::SubmitEntry, req, &out);
      !s.ok()) {
    return ReportRpcError("submitting the entry", s);
  }
  return Show(invocation, out,
              [&] { std::cout << "entry " << out.id() << " submitted: " << out.title() << "\n"; });
}

Sheet EntrySheet(const google::protobuf::RepeatedPtrField<v1::Entry>& entries) {
  Sheet s(
      {"id", "title", "authors", "source", "province", "field", "submitted", "status", "judges"});
  for (const auto& e : entries) {
    std::vector<std::string> authors;
    for (const auto& a : e.authors()) {
      authors.push_back(a.age() > 0 ? absl::StrCat(a.name(), " (", a.age(), ", ", a.school(), ")")
                                    : a.name());
    }
    std::string status =
        e.withdrawn() ? absl::StrCat("withdrawn: ", e.withdrawal_reason()) : "active";
    if (e.nominated_from_entry_id() != 0)
      absl::StrAppend(&status, ", nominated from ", e.nominated_from_entry_id());
    s.AddRow({absl::StrCat(e.id()), e.title(), absl::StrJoin(authors, "; "),
              e.source_organization_code(), e.source_province_code(), e.field(),
              FormatTimestamp(e.submitted_at()), status, absl::StrJoin(e.judge_subjects(), " ")});
  }
  return s;
}

int RunEntries(const Invocation& invocation) {
  const OutputFormat format = FormatOf(invocation);
  v1::ListEntriesRequest req;
  req.set_contest_id(IdArgument(invocation, 0, "CONTEST"));
  req.set_field(invocation.Get("field"));
  req.set_include_withdrawn(invocation.Switch("include-withdrawn"));
  v1::ListEntriesResponse resp;
  if (auto s = CompetitionClient::Connect(invocation).Call(&Stub::ListEntries, req, &resp);
      !s.ok()) {
    return ReportRpcError(absl::StrCat("listing entries of contest ", req.contest_id()), s);
  }
  return Present(
      format, resp, [&] { EntrySheet(resp.entries()).PrintTable(std::cout); },
      [&] { return EntrySheet(resp.entries()); });
}

int RunWithdraw(const Invocation& invocation) {
  v1::WithdrawEntryRequest req;
  req.set_entry_id(IdArgument(invocation, 0, "ENTRY"));
  req.set_reason(invocation.Get("reason"));
  v1::Entry out;
  if (auto s = CompetitionClient::Connect(invocation).Call(&Stub::WithdrawEntry, req, &out);
      !s.ok()) {
    return ReportRpcError(absl::StrCat("withdrawing entry ", req.entry_id()), s);
  }
  return Show(invocation, out,
              [&] { std::cout << "entry " << out.id() << " withdrawn (kept in the record)\n"; });
}

int RunJudgeAdd(const Invocation& invocation) {
  v1::AddJudgeRequest req;
  v1::Judge& j = *req.mutable_judge();
  j.set_contest_id(IdArgument(invocation, 0, "CONTEST"));
  j.set_subject(invocation.Get("subject"));
  j.set_name(invocation.Get("name"));
  j.set_organization_code(invocation.Get("org"));
  for (const auto& f : invocation.GetList("fields")) j.add_fields(f);
  v1::Judge out;
  if (auto s = CompetitionClient::Connect(invocation).Call(&Stub::AddJudge, req, &out); !s.ok()) {
    return ReportRpcError("adding the judge", s);
  }
  return Show(invocation, out, [&] {
    std::cout << "judge " << out.subject() << " on " << absl::StrJoin(out.fields(), ", ") << "\n";
  });
}

Sheet JudgeSheet(const google::protobuf::RepeatedPtrField<v1::Judge>& judges) {
  Sheet s({"subject", "name", "organisation", "fields", "assigned"});
  for (const auto& j : judges) {
    s.AddRow({j.subject(), j.name(), j.organization_code(), absl::StrJoin(j.fields(), ", "),
              absl::StrCat(j.assigned())});
  }
  return s;
}

int RunJudges(const Invocation& invocation) {
  const OutputFormat format = FormatOf(invocation);
  v1::ListJudgesRequest req;
  req.set_contest_id(IdArgument(invocation, 0, "CONTEST"));
  v1::ListJudgesResponse resp;
  if (auto s = CompetitionClient::Connect(invocation).Call(&Stub::ListJudges, req, &resp);
      !s.ok()) {
    return ReportRpcError("listing judges", s);
  }
  return Present(
      format, resp, [&] { JudgeSheet(resp.judges()).PrintTable(std::cout); },
      [&] { return JudgeSheet(resp.judges()); });
}

int RunAssign(const Invocation& invocation) {
  const OutputFormat format = FormatOf(invocation);
  v1::AutoAssignRequest req;
  req.set_contest_id(IdArgument(invocation, 0, "CONTEST"));
  v1::AutoAssignResponse resp;
  if (auto s = CompetitionClient::Connect(invocation).Call(&Stub::AutoAssign, req, &resp);
      !s.ok()) {
    return ReportRpcError(absl::StrCat("assigning judges in contest ", req.contest_id()), s);
  }
  return Present(
      format, resp,
      [&] {
        std::cout << resp.added() << " assignments added\n";
        JudgeSheet(resp.judges()).PrintTable(std::cout);
      },
      [&] { return JudgeSheet(resp.judges()); });
}

int RunAssignJudge(const Invocation& invocation) {
  v1::AssignJudgeRequest req;
  req.set_entry_id(IdArgument(invocation, 0, "ENTRY"));
  req.set_judge_subject(invocation.Get("judge"));
  req.set_remove(invocation.Switch("remove"));
  v1::AssignJudgeResponse resp;
  if (auto s = CompetitionClient::Connect(invocation).Call(&Stub::AssignJudge, req, &resp);
      !s.ok()) {
    return ReportRpcError(
        absl::StrCat("assigning ", req.judge_subject(), " to entry ", req.entry_id()), s);
  }
  return Show(invocation, resp, [&] {
    std::cout << "entry " << resp.entry().id()
              << " judges: " << absl::StrJoin(resp.entry().judge_subjects(), ", ") << "\n";
  });
}

int RunAssignments(const Invocation& invocation) {
  const OutputFormat format = FormatOf(invocation);
  v1::ListAssignmentsRequest req;
  req.set_contest_id(IdArgument(invocation, 0, "CONTEST"));
  v1::ListAssignmentsResponse resp;
  if (auto s = CompetitionClient::Connect(invocation).Call(&Stub::ListAssignments, req, &resp);
      !s.ok()) {
    return ReportRpcError("listing your assignments", s);
  }
  auto sheet = [&] {
    Sheet s({"entry", "title", "field", "scored", "total", "revision"});
    for (const auto& a : resp.assignments()) {
      const bool scored = a.sheet().revision() > 0;
      s.AddRow({absl::StrCat(a.entry().id()), a.entry().title(), a.entry().field(),
                scored ? "yes" : "no", scored ? Score(a.sheet().total()) : "",
                scored ? absl::StrCat(a.sheet().revision()) : ""});
    }
    return s;
  };
  return Present(
      format, resp,
      [&] {
        sheet().PrintTable(std::cout);
        std::vector<std::string> criteria;
        for (const auto& k : resp.criteria())
          criteria.push_back(absl::StrCat(k.code(), "=0..", k.max_points()));
        std::cout << "criteria: " << absl::StrJoin(criteria, ", ") << "\n";
      },
      sheet);
}

int RunScore(const Invocation& invocation) {
  v1::SubmitScoreSheetRequest req;
  req.mutable_sheet()->set_entry_id(IdArgument(invocation, 0, "ENTRY"));
  req.mutable_sheet()->set_comment(invocation.Get("comment"));
  for (const auto& item : invocation.GetList("scores")) {
    std::pair<std::string, std::string> kv = absl::StrSplit(item, absl::MaxSplits('=', 1));
    double points = 0;
    if (!absl::SimpleAtod(kv.second, &points)) {
      throw UsageError(absl::StrCat("--scores: '", item, "' is not CRITERION=POINTS"));
    }
    auto* s = req.mutable_sheet()->add_scores();
    s->set_criterion_code(kv.first);
    s->set_points(points);
  }
  v1::ScoreSheet out;
  if (auto s = CompetitionClient::Connect(invocation).Call(&Stub::SubmitScoreSheet, req, &out);
      !s.ok()) {
    return ReportRpcError(absl::StrCat("scoring entry ", req.sheet().entry_id()), s);
  }
  return Show(invocation, out, [&] {
    std::cout << "entry " << out.entry_id() << ": total " << Score(out.total()) << " (revision "
              << out.revision() << ")\n";
  });
}

int RunResults(const Invocation& invocation) {
  const OutputFormat format = FormatOf(invocation);
  v1::GetResultsRequest req;
  req.set_contest_id(IdArgument(invocation, 0, "CONTEST"));
  v1::GetResultsResponse resp;
  if (auto s = CompetitionClient::Connect(invocation).Call(&Stub::GetResults, req, &resp);
      !s.ok()) {
    return ReportRpcError(absl::StrCat("results of contest ", req.contest_id()), s);
  }
  auto sheet = [&] {
    Sheet s({"rank", "entry", "title", "source", "field", "sheets", "final score", "tied with",
             "prize"});
    for (const auto& r : resp.results()) {
      s.AddRow({r.rank() == 0 ? "-" : absl::StrCat(r.rank()), absl::StrCat(r.entry().id()),
                r.entry().title(), r.entry().source_organization_code(), r.entry().field(),
                absl::StrCat(r.sheets()), r.sheets() == 0 ? "" : Score(r.final_score()),
                absl::StrJoin(r.tied_with(), " "), PrizeLabel(r.prize())});
    }
    return s;
  };
  return Present(
      format, resp,
      [&] {
        std::cout << resp.contest().title() << " (" << resp.contest().year() << ", "
                  << StateLabel(resp.contest().state()) << ")\n";
        sheet().PrintTable(std::cout);
        for (const auto& note : resp.tie_notes()) std::cout << "tie: " << note << "\n";
      },
      sheet);
}

int RunNominate(const Invocation& invocation) {
  v1::NominateEntryRequest req;
  req.set_entry_id(IdArgument(invocation, 0, "ENTRY"));
  req.set_target_contest_id(invocation.GetInt("to", 0));
  req.set_field(invocation.Get("field"));
  v1::Entry out;
  if (auto s = CompetitionClient::Connect(invocation).Call(&Stub::NominateEntry, req, &out);
      !s.ok()) {
    return ReportRpcError(absl::StrCat("nominating entry ", req.entry_id()), s);
  }
  return Show(invocation, out, [&] {
    std::cout << "entry " << req.entry_id() << " nominated to contest " << out.contest_id()
              << " as entry " << out.id() << "\n";
  });
}

int RunHistory(const Invocation& invocation) {
  const OutputFormat format = FormatOf(invocation);
  v1::GetEntryHistoryRequest req;
  req.set_entry_id(IdArgument(invocation, 0, "ENTRY"));
  v1::EntryHistory resp;
  if (auto s = CompetitionClient::Connect(invocation).Call(&Stub::GetEntryHistory, req, &resp);
      !s.ok()) {
    return ReportRpcError(absl::StrCat("history of entry ", req.entry_id()), s);
  }
  auto sheet = [&] {
    Sheet s({"year", "contest", "kind", "level", "state", "entry", "field", "final score", "rank",
             "prize"});
    for (const auto& st : resp.steps()) {
      s.AddRow({absl::StrCat(st.contest().year()),
                absl::StrCat(st.contest().id(), " ", st.contest().title()),
                KindLabel(st.contest().kind()), LevelLabel(st.contest().level()),
                StateLabel(st.contest().state()), absl::StrCat(st.entry().id()), st.entry().field(),
                st.rank() ? Score(st.final_score()) : "", st.rank() ? absl::StrCat(st.rank()) : "",
                PrizeLabel(st.prize())});
    }
    return s;
  };
  return Present(
      format, resp,
      [&] {
        if (!resp.steps().empty()) std::cout << resp.steps(0).entry().title() << "\n";
        sheet().PrintTable(std::cout);
      },
      sheet);
}

int RunStats(const Invocation& invocation) {
  const OutputFormat format = FormatOf(invocation);
  v1::StatisticsRequest req;
  if (invocation.Has("year")) req.set_year(invocation.GetYear("year"));
  req.set_organization_code(invocation.Get("org"));
  if (invocation.Has("kind")) req.set_kind(ParseContestKind(invocation.Get("kind")));
  req.set_field(invocation.Get("field"));
  const bool by_field = invocation.Switch("by-field");
  v1::StatisticsResponse resp;
  if (auto s = CompetitionClient::Connect(invocation).Call(&Stub::GetStatistics, req, &resp);
      !s.ok()) {
    return ReportRpcError("contest statistics", s);
  }
  auto sheet = [&] {
    Sheet s(by_field ? std::vector<std::string>{"organisation", "year", "kind", "field", "contests",
                                                "entries", "prizes", "national awards"}
                     : std::vector<std::string>{"organisation", "year", "contests", "entries",
                                                "prizes", "national awards"});
    for (const auto& r : by_field ? resp.rows() : resp.totals()) {
      if (by_field) {
        s.AddRow({r.organization_code(), absl::StrCat(r.year()), KindLabel(r.kind()), r.field(),
                  absl::StrCat(r.contests()), absl::StrCat(r.entries()), absl::StrCat(r.prizes()),
                  absl::StrCat(r.national_awards())});
      } else {
        s.AddRow({r.organization_code(), absl::StrCat(r.year()), absl::StrCat(r.contests()),
                  absl::StrCat(r.entries()), absl::StrCat(r.prizes()),
                  absl::StrCat(r.national_awards())});
      }
    }
    return s;
  };
  return Present(
      format, resp, [&] { sheet().PrintTable(std::cout); }, sheet);
}

int RunFigures(const Invocation& invocation) {
  v1::ReportingFiguresRequest req;
  req.set_organization_code(invocation.argument(0));
  req.set_year(invocation.GetYear("year"));
  v1::ReportingFiguresResponse resp;
  if (auto s = CompetitionClient::Connect(invocation).Call(&Stub::GetReportingFigures, req, &resp);
      !s.ok()) {
    return ReportRpcError("reporting figures", s);
  }
  return Show(invocation, resp, [&] {
    PrintFields(std::cout, {{"contest_entries", absl::StrCat(resp.contest_entries())},
                            {"contest_prizes", absl::StrCat(resp.contest_prizes())},
                            {"national_awards", absl::StrCat(resp.national_awards())},
                            {"tech_contest_held", resp.tech_contest_held() ? "yes" : "no"},
                            {"tech_contest_by_union", resp.tech_contest_by_union() ? "yes" : "no"},
                            {"youth_contest_held", resp.youth_contest_held() ? "yes" : "no"}});
  });
}

CommandSpec With(CommandSpec command, bool csv = false) {
  WithCompetitionOption(command);
  if (csv) WithCsvOption(command);
  return command;
}

}  // namespace

std::vector<CommandSpec> ContestCommands() {
  const std::string kinds = "provincial_tech, youth, national or vifotec";
  return {
      With(Command("contest list", "List contests.", RunList)
               .Option("year", "YEAR", "only this year")
               .Option("org", "CODE", "only this organiser")
               .Option("kind", "KIND", kinds)
               .Option("state", "STATE", "draft, open, judging, closed or awarded"),
           true),
      With(Command("contest show", "Show one contest.", RunShow).Args("CONTEST", 1, 1)),
      With(Command("contest create", "Create a contest (as its organiser).", RunCreate)
               .Required("org", "CODE", "organiser (\"14\", \"VUSTA\")")
               .Required("kind", "KIND", kinds)
               .Option("level", "LEVEL", "provincial or national (default from the kind)")
               .Required("edition", "N", "edition number")
               .Required("year", "YEAR", "year the contest runs")
               .Required("title", "TEXT", "title as announced")
               .Required("fields", "LIST", "fields, comma-separated")
               .Required("registration-opens", "DATE", "first day of registration")
               .Required("registration-closes", "DATE", "last day of registration")
               .Required("judging-opens", "DATE", "first day of judging")
               .Required("judging-closes", "DATE", "last day of judging")
               .Option("prizes", "F,S,T,C",
                       "first,second,third,consolation counts (default 1,2,3,5)")
               .Option("min-score", "SCORE", "lowest final score for a prize (default 0)")
               .Option("criteria", "LIST",
                       "code:name:weight:max,... (default novelty, applicability, effectiveness)")
               .Option("min-judges", "N", "judges per entry (default 3)")),
      With(Command("contest advance", "Move a contest to its next state.", RunAdvance)
               .Args("CONTEST", 1, 1)
               .Required("to", "STATE", "open, judging, closed or awarded")
               .Option("note", "TEXT", "why, kept in the contest's history")
               .Switch("force", "close judging although some entries lack sheets")),
      With(Command("contest entry-add", "Submit an entry to an open contest.", RunEntryAdd)
               .Args("CONTEST", 1, 1)
               .Required("title", "TEXT", "title of the work")
               .Required("source", "CODE", "organisation it comes from")
               .Required("field", "TEXT", "one of the contest's fields")
               .Required("authors", "LIST",
                         "name[:role[:age[:school]]];... (age and school for youth contests)")
               .Option("summary", "TEXT", "short description")
               .Option("submitted", "DATE",
                       "day a paper entry arrived (national_admin only; others get the server's "
                       "clock)")),
      With(Command("contest entries", "List the entries you may see.", RunEntries)
               .Args("CONTEST", 1, 1)
               .Option("field", "TEXT", "only this field")
               .Switch("include-withdrawn", "also withdrawn entries"),
           true),
      With(Command("contest withdraw", "Withdraw an entry (it stays, marked).", RunWithdraw)
               .Args("ENTRY", 1, 1)
               .Required("reason", "TEXT", "why")),
      With(Command("contest judge-add", "Add a judge to a contest's panels.", RunJudgeAdd)
               .Args("CONTEST", 1, 1)
               .Required("subject", "LOGIN", "the judge's login (token subject)")
               .Required("name", "TEXT", "full name")
               .Required("org", "CODE", "the judge's own organisation")
               .Required("fields", "LIST", "panels (fields), comma-separated")),
      With(Command("contest judges", "List the judges and their load.", RunJudges)
               .Args("CONTEST", 1, 1),
           true),
      With(Command("contest assign", "Assign judges automatically (balanced, no conflicts).",
                   RunAssign)
               .Args("CONTEST", 1, 1),
           true),
      With(
          Command("contest assign-judge", "Assign (or --remove) one judge by hand.", RunAssignJudge)
              .Args("ENTRY", 1, 1)
              .Required("judge", "LOGIN", "the judge")
              .Switch("remove", "remove the assignment instead")),
      With(Command("contest assignments", "Your assignments as a judge.", RunAssignments)
               .Args("CONTEST", 1, 1),
           true),
      With(Command("contest score", "Submit or revise your score sheet (as a judge).", RunScore)
               .Args("ENTRY", 1, 1)
               .Required("scores", "LIST",
                         "criterion=points,... e.g. novelty=25,applicability=30,effectiveness=20")
               .Option("comment", "TEXT", "remarks")),
      With(Command("contest results", "Final scores, ranks, ties and prizes.", RunResults)
               .Args("CONTEST", 1, 1),
           true),
      With(Command("contest nominate", "Nominate a prize-winning entry to a higher contest.",
                   RunNominate)
               .Args("ENTRY", 1, 1)
               .Required("to", "CONTEST", "the target contest")
               .Option("field", "TEXT", "field in the target (default the entry's)")),
      With(Command("contest history", "An entry's path across contest levels.", RunHistory)
               .Args("ENTRY", 1, 1),
           true),
      With(
          Command("contest stats",
                  "Contests, entries, prizes, national awards per organisation and year.", RunStats)
              .Option("year", "YEAR", "only this year")
              .Option("org", "CODE", "only this organisation")
              .Option("kind", "KIND", kinds)
              .Option("field", "TEXT", "only this field")
              .Switch("by-field", "one row per kind and field"),
          true),
      With(Command("contest figures",
                   "What a report takes from the contests (contest_entries, ...).", RunFigures)
               .Args("ORG", 1, 1)
               .Required("year", "YEAR", "the year")),
  };
}

}  // namespace fedctl

// `fedctl emulation ...`, from the year-end conference on: secret ballots
// (bình xét, suy tôn), the generated documents, the dossier (hồ sơ), the
// council's review, the President's decision, the Government flag's
// outcome, presenting and listing awards.
#include <fstream>
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/enum_names.h"
#include "tools/fedctl/emulation_common.h"
#include "tools/fedctl/emulation_parse.h"
#include "tools/fedctl/sheet.h"

namespace fedctl {
namespace {

namespace v1 = federation::v1;
using Stub = EmulationClient::Stub;

int32_t Count(const Invocation& invocation, absl::string_view option, int64_t fallback = 0) {
  return static_cast<int32_t>(invocation.GetCount(option, fallback));
}

std::string Codes(const google::protobuf::RepeatedPtrField<std::string>& codes) {
  return codes.empty() ? "none" : absl::StrJoin(codes, ", ");
}

int RunBallot(const Invocation& invocation) {
  v1::RecordBallotRequest req;
  *req.mutable_key() = KeyOf(invocation);
  v1::BallotTally& t = *req.mutable_tally();
  t.set_kind(ParseEnumWord<v1::BallotKind>(invocation.Get("kind"), "kind"));
  if (t.kind() == v1::BALLOT_KIND_COUNCIL_REVIEW) {
    throw UsageError("the council's vote is not a ballot of the cluster: use `emulation review`");
  }
  t.set_held_on(invocation.GetDate("held-on"));
  t.set_entitled(Count(invocation, "entitled"));
  t.set_present(Count(invocation, "present"));
  t.set_written_opinions(Count(invocation, "written"));
  t.set_ballots_issued(Count(invocation, "issued"));
  t.set_valid(Count(invocation, "valid"));
  t.set_invalid(Count(invocation, "invalid"));
  for (const auto& item : invocation.GetAll("votes")) {
    for (auto& v : ParseVotes(item)) *t.add_votes() = std::move(v);
  }
  const v1::BallotKind kind = t.kind();
  return RunYearStep(
      invocation, &Stub::RecordBallot, req,
      absl::StrCat("recording the ", fed::EnumWordLower(kind), " ballot"),
      [&](const v1::EmulationYear& out) {
        // The round just recorded is the last of its kind.
        const v1::Ballot* last = nullptr;
        for (const auto& b : out.ballots()) {
          if (b.tally().kind() == kind) last = &b;
        }
        if (last == nullptr) return;
        PrintFields(std::cout,
                    {{"ballot", absl::StrCat(fed::EnumWordLower(kind), ", round ", last->round(),
                                             ", ", CountOf(last->seats(), "seat", "seats"))},
                     {"outcome", fed::EnumWordLower(last->outcome())},
                     {"elected", Codes(last->elected_codes())},
                     {"tied", last->tied_codes().empty()
                                  ? ""
                                  : absl::StrCat(absl::StrJoin(last->tied_codes(), ", "),
                                                 " (a re-ballot among them follows)")},
                     {"explanation", last->explanation()}});
      });
}

int RunCloseVoting(const Invocation& invocation) {
  v1::CloseVotingRequest req;
  *req.mutable_key() = KeyOf(invocation);
  v1::Conference& c = *req.mutable_conference();
  c.set_held_on(invocation.GetDate("held-on"));
  c.set_place(invocation.Get("place"));
  c.set_chair(invocation.Get("chair"));
  c.set_secretary(invocation.Get("secretary"));
  return RunYearStep(invocation, &Stub::CloseVoting, req, "closing the voting",
                     [](const v1::EmulationYear& out) {
                       std::cout << "next head " << out.next_head_code() << ", next deputy "
                                 << out.next_deputy_code() << "\n";
                     });
}

int RunDocuments(const Invocation& invocation) {
  v1::GetDocumentsRequest req;
  *req.mutable_key() = KeyOf(invocation);
  const bool one_kind = invocation.Has("kind");
  const v1::DocumentKind kind =
      one_kind ? ParseEnumWord<v1::DocumentKind>(invocation.Get("kind"), "kind")
               : v1::DOCUMENT_KIND_UNSPECIFIED;
  const std::string dir = invocation.Get("out-dir");
  v1::GetDocumentsResponse resp;
  if (auto s = EmulationClient::Connect(invocation).Call(&Stub::GetDocuments, req, &resp);
      !s.ok()) {
    return ReportRpcError(absl::StrCat("documents of ", KeyLabel(req.key())), s);
  }
  v1::GetDocumentsResponse shown;
  for (const auto& d : resp.documents()) {
    if (!one_kind || d.kind() == kind) *shown.add_documents() = d;
  }
  if (!dir.empty()) {
    for (const auto& d : shown.documents()) {
      const std::string path = absl::StrCat(dir, "/", fed::EnumWordLower(d.kind()), ".txt");
      std::ofstream file(path, std::ios::binary | std::ios::trunc);
      file << d.text();
      file.close();
      if (!file) {
        std::cerr << "error: cannot write " << path << "\n";
        return 1;
      }
      std::cout << "wrote " << path << "  " << d.title() << "  (sha256 " << d.sha256() << ")\n";
    }
    return 0;
  }
  return Show(invocation, shown, [&] {
    bool first = true;
    for (const auto& d : shown.documents()) {
      if (!first) std::cout << "\n";
      first = false;
      const std::string heading = absl::StrCat("== ", d.title(), " (", fed::EnumWordLower(d.kind()),
                                               ", sha256 ", d.sha256(), ") ==");
      std::cout << heading << "\n\n" << d.text();
      if (!d.text().empty() && d.text().back() != '\n') std::cout << "\n";
    }
  });
}

int RunSubmitDossier(const Invocation& invocation) {
  v1::SubmitDossierRequest req;
  *req.mutable_key() = KeyOf(invocation);
  v1::Dossier& d = *req.mutable_dossier();
  d.set_letter_number(invocation.Get("letter-number"));
  d.set_letter_date(invocation.GetDate("letter-date"));
  d.mutable_signed_minutes()->set_sha256(absl::AsciiStrToLower(invocation.Get("minutes")));
  for (const auto& item : invocation.GetAll("attachment")) {
    for (absl::string_view sha : absl::StrSplit(item, ',', absl::SkipWhitespace())) {
      d.add_attachments()->set_sha256(absl::AsciiStrToLower(sha));
    }
  }
  d.set_note(invocation.Get("note"));
  return RunYearStep(invocation, &Stub::SubmitDossier, req, "submitting the dossier",
                     [](const v1::EmulationYear& out) {
                       std::vector<std::string> proposals;
                       for (const auto& p : out.dossier().proposals()) {
                         proposals.push_back(absl::StrCat(p.organization_code(), ":",
                                                          fed::EnumWordLower(p.kind())));
                       }
                       std::cout << "dossier revision " << out.dossier().revision() << " proposes "
                                 << (proposals.empty() ? "none" : absl::StrJoin(proposals, ", "))
                                 << "\n";
                     });
}

int RunReview(const Invocation& invocation) {
  v1::ReviewDossierRequest req;
  *req.mutable_key() = KeyOf(invocation);
  req.set_held_on(invocation.GetDate("held-on"));
  v1::CouncilVote& v = *req.mutable_vote();
  v.set_members(Count(invocation, "members"));
  v.set_present(Count(invocation, "present"));
  v.set_in_favour(Count(invocation, "in-favour"));
  v.set_against(Count(invocation, "against"));
  v.set_abstaining(Count(invocation, "abstaining"));
  req.set_return_reason(invocation.Get("return-reason"));
  return RunYearStep(invocation, &Stub::ReviewDossier, req, "recording the council's review",
                     [](const v1::EmulationYear& out) {
                       if (out.reviews().empty()) return;
                       const auto& r = *out.reviews().rbegin();
                       PrintFields(std::cout,
                                   {{"dossier", absl::StrCat("revision ", r.dossier_revision())},
                                    {"result", r.approved() ? "approved" : "returned"},
                                    {"return reason", r.return_reason()},
                                    {"explanation", r.explanation()}});
                     });
}

int RunDecide(const Invocation& invocation) {
  v1::DecideRequest req;
  *req.mutable_key() = KeyOf(invocation);
  v1::Decision& d = *req.mutable_decision();
  d.set_number(invocation.Get("number"));
  d.set_decided_on(invocation.GetDate("decided-on"));
  d.set_signer(invocation.Get("signer"));
  for (const auto& item : invocation.GetAll("grant")) *d.add_grants() = ParseGrant(item);
  d.set_forward_government_flag(invocation.Switch("forward-government-flag"));
  return RunYearStep(invocation, &Stub::Decide, req,
                     absl::StrCat("recording decision ", d.number()),
                     [](const v1::EmulationYear& out) {
                       for (const auto& a : out.awards()) {
                         std::cout << a.organization_code() << "  " << fed::EnumWordLower(a.kind())
                                   << "  " << fed::EnumWordLower(a.state()) << "\n";
                       }
                     });
}

int RunGovernmentOutcome(const Invocation& invocation) {
  const bool granted = invocation.Switch("granted");
  if (granted == invocation.Switch("not-granted")) {
    throw UsageError("say --granted or --not-granted, one of them");
  }
  v1::RecordGovernmentOutcomeRequest req;
  *req.mutable_key() = KeyOf(invocation);
  req.set_granted(granted);
  req.set_decision_number(invocation.Get("number"));
  req.set_decided_on(invocation.GetDate("decided-on"));
  return RunYearStep(invocation, &Stub::RecordGovernmentOutcome, req,
                     "recording the Prime Minister's decision", [](const v1::EmulationYear& out) {
                       for (const auto& a : out.awards()) {
                         if (a.kind() != v1::AWARD_KIND_GOVERNMENT_FLAG) continue;
                         std::cout << a.organization_code() << "  government_flag  "
                                   << fed::EnumWordLower(a.state()) << "\n";
                       }
                     });
}

int RunPresent(const Invocation& invocation) {
  v1::PresentAwardsRequest req;
  *req.mutable_key() = KeyOf(invocation);
  req.set_presented_on(invocation.GetDate("presented-on"));
  req.set_occasion(invocation.Get("occasion"));
  return RunYearStep(invocation, &Stub::PresentAwards, req, "presenting the awards",
                     [](const v1::EmulationYear& out) {
                       int presented = 0;
                       for (const auto& a : out.awards()) {
                         if (a.state() == v1::AWARD_STATE_PRESENTED) ++presented;
                       }
                       std::cout << CountOf(presented, "award", "awards") << " presented\n";
                     });
}

int RunAwards(const Invocation& invocation) {
  const OutputFormat format = FormatOf(invocation);
  v1::ListAwardsRequest req;
  req.set_organization_code(invocation.Get("org"));
  if (invocation.Has("decided-year")) req.set_decided_year(invocation.GetYear("decided-year"));
  v1::ListAwardsResponse resp;
  if (auto s = EmulationClient::Connect(invocation).Call(&Stub::ListAwards, req, &resp); !s.ok()) {
    return ReportRpcError("listing awards", s);
  }
  auto sheet = [&] {
    Sheet s({"organisation", "kind", "state", "decision", "decided_on", "signer", "presented_on",
             "occasion", "year", "cluster"});
    for (const auto& a : resp.awards()) {
      s.AddRow({a.organization_code(), fed::EnumWordLower(a.kind()), fed::EnumWordLower(a.state()),
                a.decision_number(), a.decided_on(), a.signer(), a.presented_on(), a.occasion(),
                absl::StrCat(a.year().year()), absl::StrCat(a.year().cluster_number())});
    }
    return s;
  };
  return Present(
      format, resp,
      [&] {
        sheet().PrintTable(std::cout);
        std::cout << "counted in reports: emulation_flags " << resp.emulation_flags()
                  << ", merit_certificates " << resp.merit_certificates() << "\n";
      },
      sheet);
}

}  // namespace

std::vector<CommandSpec> EmulationVoteCommands() {
  std::vector<CommandSpec> commands;
  commands.push_back(Keyed(
      Command("emulation ballot",
              "Record one round of a secret ballot (bỏ phiếu kín) as the counting committee signs "
              "it.",
              RunBallot)
          .Required("kind", "KIND",
                    "union_flag, merit_certificate, government_flag (bình xét, suy tôn), "
                    "next_head, next_deputy")
          .Required("held-on", "DATE", "the day of the vote")
          .Required("entitled", "N", "people entitled to vote")
          .Required("present", "N", "those present")
          .Option("written", "N", "absentees' written opinions (default 0)")
          .Required("issued", "N", "ballots issued")
          .Required("valid", "N", "valid ballots")
          .Required("invalid", "N", "invalid ballots")
          .Repeatable("votes", "CODE=N", "a candidate's votes, e.g. 14=3 (repeatable)")));
  commands.push_back(
      Keyed(Command("emulation close-voting", "Close the year-end conference's voting (hội nghị).",
                    RunCloseVoting)
                .Required("held-on", "DATE", "the conference's day")
                .Required("place", "TEXT", "where")
                .Required("chair", "NAME", "who chaired (chủ trì)")
                .Required("secretary", "NAME", "who took the minutes (thư ký)")));
  commands.push_back(Keyed(
      Command("emulation documents",
              "The generated documents: tờ trình, báo cáo thành tích, biên bản, biên bản kiểm "
              "phiếu.",
              RunDocuments)
          .Option("kind", "KIND", absl::StrJoin(EnumWords<v1::DocumentKind>(), ", "))
          .Option("out-dir", "DIR", "write one KIND.txt per document there instead")));
  commands.push_back(Keyed(
      Command("emulation submit-dossier",
              "Send the dossier (hồ sơ đề nghị khen thưởng) to the national office.",
              RunSubmitDossier)
          .Required("letter-number", "NUMBER", "the proposal letter's number, e.g. 12/TTr-CTĐ1")
          .Required("letter-date", "DATE", "its date")
          .Required("minutes", "SHA256", "the signed minutes and vote count, uploaded")
          .Repeatable("attachment", "SHA256", "a further signed document, uploaded (repeatable)")
          .Option("note", "TEXT", "what changed after a return")));
  commands.push_back(
      Keyed(Command("emulation review",
                    "Record the council's vote on the dossier (national reviewers).", RunReview)
                .Required("held-on", "DATE", "the council's meeting")
                .Required("members", "N", "council members")
                .Required("present", "N", "those present")
                .Required("in-favour", "N", "votes in favour")
                .Required("against", "N", "votes against")
                .Required("abstaining", "N", "abstentions")
                .Option("return-reason", "TEXT", "what the head must fix, when not approved")));
  commands.push_back(Keyed(
      Command("emulation decide", "Record the President's decision (quyết định khen thưởng).",
              RunDecide)
          .Required("number", "NUMBER", "the decision's number")
          .Required("decided-on", "DATE", "its date")
          .Required("signer", "NAME", "who signed it")
          .Repeatable("grant", "CODE:KIND",
                      "an award granted, e.g. 14:union_flag (union_flag or merit_certificate; "
                      "repeatable)")
          .Switch("forward-government-flag",
                  "forward the Government-flag proposal to the Prime Minister")));
  commands.push_back(Keyed(Command("emulation government-outcome",
                                   "Record the Prime Minister's decision on the Government flag.",
                                   RunGovernmentOutcome)
                               .Switch("granted", "the flag was granted")
                               .Switch("not-granted", "it was not")
                               .Required("number", "NUMBER", "the decision's number")
                               .Required("decided-on", "DATE", "its date")));
  commands.push_back(
      Keyed(Command("emulation present", "Record the awards presented (trao tặng).", RunPresent)
                .Required("presented-on", "DATE", "the day")
                .Required("occasion", "TEXT", "e.g. \"Hội nghị tổng kết năm 2025\"")));
  {
    CommandSpec c =
        Command("emulation awards", "Awards with the counts an annual report takes.", RunAwards);
    c.Option("org", "CODE", "one organisation (default: every one, national roles only)")
        .Option("decided-year", "YEAR", "decisions dated in this year (default: all)");
    WithEmulationOption(c);
    commands.push_back(WithCsvOption(c));
  }
  return commands;
}

}  // namespace fedctl

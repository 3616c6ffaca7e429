#include "tools/fedctl/emulation_parse.h"

#include <map>

#include <google/protobuf/util/json_util.h>

#include "absl/algorithm/container.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace fedctl {

namespace v1 = federation::v1;

namespace {

// One CSV record and the line it starts on (a quoted field may span lines).
struct CsvRecord {
  int line = 0;
  std::vector<std::string> fields;
};

// RFC 4180 as spreadsheets write it: fields may be quoted, a quote inside
// one doubled; CRLF or LF ends a record. A spreadsheet's byte-order mark is
// dropped. Records that are one empty field (blank lines) are skipped.
std::vector<CsvRecord> ReadCsv(absl::string_view text) {
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");
  std::vector<CsvRecord> records;
  CsvRecord record;
  std::string field;
  bool in_quotes = false;
  bool was_quoted = false;
  int line = 1;
  record.line = 1;
  auto end_field = [&] {
    record.fields.push_back(std::move(field));
    field.clear();
    was_quoted = false;
  };
  auto end_record = [&] {
    const bool quoted = was_quoted;
    end_field();
    if (!(record.fields.size() == 1 && record.fields[0].empty() && !quoted)) {
      records.push_back(std::move(record));
    }
    record = CsvRecord{};
    record.line = line;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const char next = i + 1 < text.size() ? text[i + 1] : '\0';
    if (in_quotes) {
      if (c == '"' && next == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        in_quotes = false;
      } else if (c == '\r' && next == '\n') {
        // The line break is kept as LF, whatever wrote the file.
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && field.empty() && !was_quoted) {
      in_quotes = true;
      was_quoted = true;
    } else if (c == ',') {
      end_field();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && next == '\n') ++i;
      ++line;
      end_record();
    } else if (was_quoted && c != ' ' && c != '\t') {
      throw UsageError(absl::StrCat("line ", line, ": text after a field's closing quote"));
    } else if (!was_quoted) {
      field += c;  // a quote inside an unquoted field is kept, as hand-written files mean it
    }
  }
  if (in_quotes) {
    throw UsageError(absl::StrCat("line ", record.line, ": a quote is opened and never closed"));
  }
  end_record();
  return records;
}

bool IsHex(absl::string_view text) {
  for (char c : text) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// "CODE=VALUE" with VALUE possibly followed by ":TEXT": the three parts, or
// false when there is no '=' or no code.
bool SplitCodeValue(absl::string_view text, std::string* code, std::string* value,
                    std::string* rest) {
  const size_t eq = text.find('=');
  if (eq == absl::string_view::npos) return false;
  *code = std::string(absl::StripAsciiWhitespace(text.substr(0, eq)));
  absl::string_view after = text.substr(eq + 1);
  const size_t colon = after.find(':');
  *value = std::string(absl::StripAsciiWhitespace(after.substr(0, colon)));
  *rest = colon == absl::string_view::npos
              ? ""
              : std::string(absl::StripAsciiWhitespace(after.substr(colon + 1)));
  return !code->empty();
}

}  // namespace

double ParseDecimal(absl::string_view text, absl::string_view what) {
  absl::string_view digits = absl::StripAsciiWhitespace(text);
  absl::string_view body = digits;
  if (!absl::ConsumePrefix(&body, "-")) absl::ConsumePrefix(&body, "+");
  const size_t point = body.find('.');
  const absl::string_view whole = body.substr(0, point);
  const absl::string_view fraction =
      point == absl::string_view::npos ? absl::string_view() : body.substr(point + 1);
  double value = 0;
  // SimpleAtod alone would take "nan", "1e3" and "0x10", none of which is a score.
  const bool plain = !whole.empty() && absl::c_all_of(whole, absl::ascii_isdigit) &&
                     (point == absl::string_view::npos ||
                      (!fraction.empty() && absl::c_all_of(fraction, absl::ascii_isdigit)));
  if (!plain || !absl::SimpleAtod(digits, &value)) {
    throw UsageError(absl::StrCat(what, " must be a decimal such as 12 or 7.5, got '", text, "'"));
  }
  return value;
}

std::vector<v1::CandidateVotes> ParseVotes(absl::string_view text) {
  std::vector<v1::CandidateVotes> out;
  for (absl::string_view item : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    std::string code, votes, rest;
    int n = -1;
    if (!SplitCodeValue(item, &code, &votes, &rest) || !rest.empty() ||
        !absl::SimpleAtoi(votes, &n) || n < 0 || absl::StrContains(votes, '+')) {
      throw UsageError(absl::StrCat("--votes: '", item, "' is not CODE=VOTES, e.g. 14=3"));
    }
    v1::CandidateVotes v;
    v.set_organization_code(code);
    v.set_votes(n);
    out.push_back(std::move(v));
  }
  if (out.empty()) throw UsageError("--votes: give CODE=VOTES, e.g. 14=3");
  return out;
}

v1::CriterionCheck ParseCheck(absl::string_view text) {
  std::string code, points, reason;
  if (!SplitCodeValue(text, &code, &points, &reason)) {
    throw UsageError(absl::StrCat("--check: '", text,
                                  "' is not CRITERION=POINTS[:REASON], e.g. consultancy=20"));
  }
  v1::CriterionCheck check;
  check.set_criterion_code(code);
  check.set_verified_points(ParseDecimal(points, absl::StrCat("--check ", code, ": points")));
  check.set_reason(reason);
  return check;
}

v1::Target ParseTarget(absl::string_view text) {
  std::string code, value, note;
  if (!SplitCodeValue(text, &code, &value, &note)) {
    throw UsageError(
        absl::StrCat("--target: '", text, "' is not CODE=VALUE[:NOTE], e.g. workshops=12"));
  }
  v1::Target target;
  target.set_code(code);
  target.set_value(ParseDecimal(value, absl::StrCat("--target ", code, ": value")));
  target.set_note(note);
  return target;
}

v1::Proposal ParseGrant(absl::string_view text) {
  const size_t colon = text.find(':');
  const std::string code(absl::StripAsciiWhitespace(text.substr(0, colon)));
  if (colon == absl::string_view::npos || code.empty()) {
    throw UsageError(absl::StrCat("--grant: '", text, "' is not CODE:KIND, e.g. 14:union_flag"));
  }
  v1::Proposal grant;
  grant.set_organization_code(code);
  grant.set_kind(ParseEnumWord<v1::AwardKind>(text.substr(colon + 1), "grant"));
  return grant;
}

v1::Evidence ParseEvidence(absl::string_view text) {
  const absl::string_view item = absl::StripAsciiWhitespace(text);
  const std::string lower = absl::AsciiStrToLower(item);
  v1::Evidence evidence;
  for (absl::string_view scheme : {"https://", "http://"}) {
    if (absl::StartsWith(lower, scheme) && item.size() > scheme.size() &&
        !absl::c_any_of(item, absl::ascii_isspace)) {
      evidence.set_url(std::string(item));
      return evidence;
    }
  }
  absl::string_view hex = item;
  if (absl::ConsumePrefix(&hex, "sha256:") && hex.size() == 64 && IsHex(hex)) {
    evidence.mutable_file()->set_sha256(absl::AsciiStrToLower(hex));
    return evidence;
  }
  throw UsageError(absl::StrCat("evidence '", item,
                                "' is neither an http(s) link nor sha256:<64 hex digits> of an "
                                "uploaded file"));
}

std::vector<v1::CriterionSelfScore> ParseSelfAssessmentCsv(absl::string_view text) {
  std::vector<v1::CriterionSelfScore> scores;
  std::map<std::string, int> seen;  // criterion -> its line
  bool first = true;
  for (const CsvRecord& record : ReadCsv(text)) {
    const auto& f = record.fields;
    const std::string at = absl::StrCat("line ", record.line, ": ");
    const std::string code(absl::StripAsciiWhitespace(f[0]));
    if (first && absl::AsciiStrToLower(code) == "criterion") {
      first = false;
      continue;
    }
    first = false;
    if (f.size() < 2 || f.size() > 4) {
      throw UsageError(absl::StrCat(at, f.size(),
                                    " fields where criterion,points,explanation,evidence was "
                                    "expected (quote an explanation that holds commas)"));
    }
    if (code.empty()) throw UsageError(absl::StrCat(at, "the criterion is empty"));
    if (auto [it, fresh] = seen.emplace(code, record.line); !fresh) {
      throw UsageError(
          absl::StrCat(at, "criterion ", code, " is already scored on line ", it->second));
    }
    v1::CriterionSelfScore score;
    score.set_criterion_code(code);
    score.set_points(ParseDecimal(f[1], absl::StrCat(at, "points of ", code)));
    if (f.size() > 2) score.set_explanation(std::string(absl::StripAsciiWhitespace(f[2])));
    if (f.size() > 3) {
      for (absl::string_view item : absl::StrSplit(f[3], ';', absl::SkipWhitespace())) {
        try {
          *score.add_evidence() = ParseEvidence(item);
        } catch (const UsageError& e) {
          throw UsageError(absl::StrCat(at, e.what()));
        }
      }
    }
    scores.push_back(std::move(score));
  }
  if (scores.empty()) throw UsageError("the sheet scores no criterion");
  return scores;
}

v1::SelfAssessmentSheet ParseSelfAssessmentJson(absl::string_view text) {
  v1::SelfAssessmentSheet sheet;
  google::protobuf::util::JsonParseOptions options;
  auto status = google::protobuf::util::JsonStringToMessage(std::string(text), &sheet, options);
  if (!status.ok()) {
    throw UsageError(absl::StrCat("not a SelfAssessmentSheet in protobuf JSON: ",
                                  std::string(status.message())));
  }
  return sheet;
}

}  // namespace fedctl

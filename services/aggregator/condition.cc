#include "services/aggregator/condition.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace aggregator {
namespace {

enum class Op { kGe, kLe, kGt, kLt, kEq, kNe, kTrue };

class Comparison final : public Condition {
 public:
  Comparison(int index, Op op, double operand) : index_(index), op_(op), operand_(operand) {}
  bool Holds(const Values& values) const override {
    const double v = values[index_];
    if (std::isnan(v)) return false;
    switch (op_) {
      case Op::kGe:
        return v >= operand_;
      case Op::kLe:
        return v <= operand_;
      case Op::kGt:
        return v > operand_;
      case Op::kLt:
        return v < operand_;
      case Op::kEq:
        return v == operand_;
      case Op::kNe:
        return v != operand_;
      case Op::kTrue:
        return v > 0;
    }
    return false;
  }

 private:
  int index_;
  Op op_;
  double operand_;
};

class Not final : public Condition {
 public:
  explicit Not(std::unique_ptr<Condition> inner) : inner_(std::move(inner)) {}
  bool Holds(const Values& values) const override { return !inner_->Holds(values); }

 private:
  std::unique_ptr<Condition> inner_;
};

class Junction final : public Condition {
 public:
  Junction(bool all, std::vector<std::unique_ptr<Condition>> parts)
      : all_(all), parts_(std::move(parts)) {}
  bool Holds(const Values& values) const override {
    for (const auto& part : parts_) {
      if (part->Holds(values) != all_) return !all_;
    }
    return all_;
  }

 private:
  bool all_;
  std::vector<std::unique_ptr<Condition>> parts_;
};

// Recursive descent over: or := and (OR and)*; and := unary (AND unary)*;
// unary := NOT unary | '(' or ')' | code [op number].
class Parser {
 public:
  explicit Parser(const std::string& text) : text_(text) {}

  absl::StatusOr<std::unique_ptr<Condition>> Parse() {
    auto result = ParseOr();
    if (!result.ok()) return result;
    SkipSpace();
    if (pos_ != text_.size()) return Error("expected AND, OR or the end");
    return result;
  }

 private:
  absl::Status Error(const std::string& what) const {
    return absl::InvalidArgumentError(
        absl::StrCat("condition: at position ", pos_ + 1, ": ", what));
  }
  void SkipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  std::string Word() {
    SkipSpace();
    size_t start = pos_;
    while (pos_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) {
      ++pos_;
    }
    return text_.substr(start, pos_ - start);
  }
  bool Keyword(const char* keyword) {
    size_t saved = pos_;
    std::string word = Word();
    if (absl::AsciiStrToUpper(word) == keyword) return true;
    pos_ = saved;
    return false;
  }

  absl::StatusOr<std::unique_ptr<Condition>> ParseOr() {
    std::vector<std::unique_ptr<Condition>> parts;
    do {
      auto part = ParseAnd();
      if (!part.ok()) return part;
      parts.push_back(std::move(*part));
    } while (Keyword("OR"));
    if (parts.size() == 1) return std::move(parts[0]);
    return std::unique_ptr<Condition>(new Junction(false, std::move(parts)));
  }

  absl::StatusOr<std::unique_ptr<Condition>> ParseAnd() {
    std::vector<std::unique_ptr<Condition>> parts;
    do {
      auto part = ParseUnary();
      if (!part.ok()) return part;
      parts.push_back(std::move(*part));
    } while (Keyword("AND"));
    if (parts.size() == 1) return std::move(parts[0]);
    return std::unique_ptr<Condition>(new Junction(true, std::move(parts)));
  }

  absl::StatusOr<std::unique_ptr<Condition>> ParseUnary() {
    if (++depth_ > 32) return Error("nested too deeply");
    if (Keyword("NOT")) {
      auto inner = ParseUnary();
      if (!inner.ok()) return inner;
      --depth_;
      return std::unique_ptr<Condition>(new Not(std::move(*inner)));
    }
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == '(') {
      ++pos_;
      auto inner = ParseOr();
      if (!inner.ok()) return inner;
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != ')') return Error("expected ')'");
      ++pos_;
      --depth_;
      return inner;
    }
    const size_t at = pos_;
    std::string code = Word();
    if (code.empty()) return Error("expected an indicator code");
    const int index = IndicatorIndex(code);
    if (index < 0) {
      pos_ = at;
      return Error(absl::StrCat("\"", code, "\" is not an indicator of the catalog"));
    }
    --depth_;
    SkipSpace();
    Op op = Op::kTrue;
    static const std::pair<const char*, Op> kOps[] = {{">=", Op::kGe}, {"<=", Op::kLe},
                                                      {"!=", Op::kNe}, {">", Op::kGt},
                                                      {"<", Op::kLt},  {"=", Op::kEq}};
    for (const auto& [symbol, candidate] : kOps) {
      if (text_.compare(pos_, std::strlen(symbol), symbol) == 0) {
        op = candidate;
        pos_ += std::strlen(symbol);
        break;
      }
    }
    if (op == Op::kTrue) return std::unique_ptr<Condition>(new Comparison(index, op, 0));
    SkipSpace();
    const char* begin = text_.c_str() + pos_;
    char* end = nullptr;
    const double operand = std::strtod(begin, &end);
    if (end == begin || !std::isfinite(operand)) return Error("expected a number");
    pos_ += end - begin;
    return std::unique_ptr<Condition>(new Comparison(index, op, operand));
  }

  const std::string& text_;
  size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Condition>> ParseCondition(const std::string& text) {
  if (text.size() > 1000) return absl::InvalidArgumentError("condition: too long");
  if (absl::StripAsciiWhitespace(text).empty()) {
    return absl::InvalidArgumentError("condition: is required");
  }
  return Parser(text).Parse();
}

}  // namespace aggregator

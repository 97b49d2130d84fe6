#include "instructions/form_matcher.h"

#include <charconv>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace automl::internal_parser {
namespace {

constexpr absl::string_view kPunctuation = "=+-*/@()[],:";

bool IsWordStart(char c) { return absl::ascii_isalpha(c) || c == '_'; }
bool IsWordChar(char c) { return absl::ascii_isalnum(c) || c == '_'; }

bool IsNumberWord(absl::string_view word) {
  return absl::EqualsIgnoreCase(word, "inf") || absl::EqualsIgnoreCase(word, "infinity") ||
         absl::EqualsIgnoreCase(word, "nan");
}

std::optional<double> ToDouble(absl::string_view text) {
  double value = 0.0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

absl::StatusOr<std::vector<Token>> Tokenize(absl::string_view text, bool allow_placeholders) {
  std::vector<Token> tokens;
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    const char c = text[i];
    const size_t start = i;
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (IsWordStart(c)) {
      while (i < n && IsWordChar(text[i])) ++i;
      tokens.push_back({TokenType::kWord, text.substr(start, i - start)});
    } else if (IsDigit(c) || (c == '.' && i + 1 < n && IsDigit(text[i + 1]))) {
      while (i < n && (IsDigit(text[i]) || text[i] == '.')) ++i;
      if (i < n && (text[i] == 'e' || text[i] == 'E')) {
        size_t j = i + 1;
        if (j < n && (text[j] == '+' || text[j] == '-')) ++j;
        if (j < n && IsDigit(text[j])) {
          i = j;
          while (i < n && IsDigit(text[i])) ++i;
        }
      }
      tokens.push_back({TokenType::kNumber, text.substr(start, i - start)});
    } else if (allow_placeholders && c == '{' && i + 2 < n && text[i + 2] == '}') {
      tokens.push_back({TokenType::kPlaceholder, text.substr(i + 1, 1)});
      i += 3;
    } else if (kPunctuation.find(c) != absl::string_view::npos) {
      tokens.push_back({TokenType::kPunct, text.substr(start, 1)});
      ++i;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("unexpected character '", text.substr(start, 1), "'"));
    }
  }
  return tokens;
}

const std::vector<CompiledForm>& Forms() {
  static const std::vector<CompiledForm>* const kForms = [] {
    auto* forms = new std::vector<CompiledForm>();
    for (Op op : AllOps()) {
      // The forms are string literals, so the tokens' views stay valid. The
      // table is fixed at compile time and the tests parse every form, so
      // value() cannot fail.
      forms->push_back({op, Tokenize(GetOpInfo(op).form, true).value()});
    }
    return forms;
  }();
  return *kForms;
}

bool IsKnownWord(absl::string_view word) {
  for (const CompiledForm& form : Forms()) {
    for (const Token& token : form.tokens) {
      if (token.type == TokenType::kWord && token.text == word) return true;
    }
  }
  return false;
}

std::optional<Bindings> Match(const std::vector<Token>& form, const std::vector<Token>& line) {
  Bindings bindings;
  size_t pos = 0;
  for (const Token& expected : form) {
    if (pos >= line.size()) return std::nullopt;
    const Token& token = line[pos];
    if (expected.type != TokenType::kPlaceholder) {
      if (token.type != expected.type) return std::nullopt;
      if (expected.type == TokenType::kNumber) {
        // Literal numbers (the 1 of "1 / {a}") compare by value, so "1.0 / s2"
        // is fine.
        if (ToDouble(token.text) != ToDouble(expected.text)) return std::nullopt;
      } else if (token.text != expected.text) {
        return std::nullopt;
      }
      ++pos;
      continue;
    }
    switch (expected.text[0]) {
      case 'o':
      case 'a':
      case 'b':
        if (token.type != TokenType::kWord) return std::nullopt;
        bindings.registers[expected.text[0] == 'o'   ? 0
                           : expected.text[0] == 'a' ? 1
                                                     : 2] = token.text;
        ++pos;
        break;
      case 'c':
      case 'd': {
        NumberText number;
        number.present = true;
        if (token.type == TokenType::kPunct && (token.text == "-" || token.text == "+")) {
          number.negative = token.text == "-";
          if (++pos >= line.size()) return std::nullopt;
        }
        const Token& value = line[pos];
        if (value.type != TokenType::kNumber &&
            !(value.type == TokenType::kWord && IsNumberWord(value.text))) {
          return std::nullopt;
        }
        number.text = value.text;
        bindings.numbers[expected.text[0] == 'c' ? 0 : 1] = number;
        ++pos;
        break;
      }
      case 'i':
      case 'j':
        if (token.type != TokenType::kNumber) return std::nullopt;
        bindings.indices[expected.text[0] == 'i' ? 0 : 1] = token.text;
        ++pos;
        break;
      default:
        return std::nullopt;
    }
  }
  if (pos != line.size()) return std::nullopt;
  return bindings;
}

}  // namespace automl::internal_parser

#include "instructions/parser.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <optional>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "instructions/file_util.h"

namespace automl {
namespace {

// --- Tokenizer, shared by the op-table forms and the input lines so both split
// alike ---

enum class TokenType { kWord, kNumber, kPunct, kPlaceholder };

struct Token {
  TokenType type;
  // For a placeholder, the one letter between the braces ("o" for "{o}").
  absl::string_view text;
};

constexpr absl::string_view kPunctuation = "=+-*/@()[],:";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsWordStart(char c) { return absl::ascii_isalpha(c) || c == '_'; }
bool IsWordChar(char c) { return absl::ascii_isalnum(c) || c == '_'; }

// Numbers are unsigned here: a leading '-' is its own token, so "s0 - 1" and "=
// -1" split the same way and the matcher decides what the '-' means.
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

// --- The op-table forms, tokenized once ---

struct CompiledForm {
  Op op;
  std::vector<Token> tokens;
};

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

// True for words that appear literally in some form ("dot", "no_op", ...).
bool IsKnownWord(absl::string_view word) {
  for (const CompiledForm& form : Forms()) {
    for (const Token& token : form.tokens) {
      if (token.type == TokenType::kWord && token.text == word) return true;
    }
  }
  return false;
}

// --- Matching a line against one form ---

struct NumberText {
  bool present = false;
  bool negative = false;
  absl::string_view text;
};

// What the placeholders of a form bound to; empty views for placeholders the
// form lacks.
struct Bindings {
  absl::string_view registers[3];  // {o}, {a}, {b}.
  NumberText numbers[2];           // {c}, {d}.
  absl::string_view indices[2];    // {i}, {j}.
};

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

// Matches the shape of `line` to `form`: literal tokens must be equal,
// {o}/{a}/{b} take any word, {c}/{d} a signed number, {i}/{j} an unsigned
// number. Whether the words are registers of the right kinds and the numbers
// are valid is checked afterwards, so that errors can name the culprit instead
// of just "no match".
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

// --- Checking the bound values ---

// Parses "0".."255"; anything else (signs, fractions, longer digit strings) is
// rejected.
std::optional<int> ParseSmallUnsigned(absl::string_view text) {
  if (text.empty() || text.size() > 3) return std::nullopt;
  int value = 0;
  for (char c : text) {
    if (!IsDigit(c)) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value > 255) return std::nullopt;
  return value;
}

struct Register {
  OperandKind kind;
  int address;
};

absl::StatusOr<Register> ParseRegister(absl::string_view text) {
  OperandKind kind = OperandKind::N;
  if (!text.empty()) {
    if (text[0] == 's') kind = OperandKind::S;
    if (text[0] == 'v') kind = OperandKind::V;
    if (text[0] == 'm') kind = OperandKind::M;
  }
  const absl::string_view digits = text.empty() ? text : text.substr(1);
  const bool all_digits = !digits.empty() && std::all_of(digits.begin(), digits.end(),
                                                         [](char c) { return IsDigit(c); });
  if (kind == OperandKind::N || !all_digits) {
    return absl::InvalidArgumentError(
        absl::StrCat("register '", text, "' is not a scalar/vector/matrix register"));
  }
  const std::optional<int> address = ParseSmallUnsigned(digits);
  if (!address.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("register '", text, "' is out of range (addresses must be below 256)"));
  }
  return Register{kind, *address};
}

absl::StatusOr<double> ParseNumber(const NumberText& number) {
  double value = 0.0;
  const char* end = number.text.data() + number.text.size();
  const auto [ptr, ec] = std::from_chars(number.text.data(), end, value);
  const std::string shown = absl::StrCat(number.negative ? "-" : "", number.text);
  if (ec == std::errc::result_out_of_range) {
    return absl::InvalidArgumentError(
        absl::StrCat("number '", shown, "' is out of the range of a double"));
  }
  if (ec != std::errc() || ptr != end) {
    return absl::InvalidArgumentError(absl::StrCat("bad number '", shown, "'"));
  }
  // Negating after parsing is exact, and keeps "-0" distinct from "0".
  return number.negative ? -value : value;
}

absl::StatusOr<uint8_t> ParseIndex(absl::string_view text) {
  const std::optional<int> index = ParseSmallUnsigned(text);
  if (!index.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("element index '", text, "' is not an integer in [0, 255]"));
  }
  return static_cast<uint8_t>(*index);
}

// The register kinds an op takes, in its printed form, e.g. "v = s * v"; used
// to tell the user which combinations exist when theirs does not.
std::string KindSignature(Op op) {
  const OpInfo& info = GetOpInfo(op);
  std::string signature;
  for (const char* p = info.form; *p != '\0'; ++p) {
    if (p[0] == '{' && p[1] != '\0' && p[2] == '}') {
      switch (p[1]) {
        case 'o':
          signature += OperandKindLetter(info.out);
          break;
        case 'a':
          signature += OperandKindLetter(info.in1);
          break;
        case 'b':
          signature += OperandKindLetter(info.in2);
          break;
        default:
          signature += p[1];
          break;
      }
      p += 2;
    } else {
      signature += *p;
    }
  }
  return signature;
}

// Fills `instruction` from a match of the op's own form; fails on a bad number
// or index.
absl::Status FillData(const Bindings& bindings, Instruction& instruction) {
  if (bindings.numbers[0].present) {
    absl::StatusOr<double> value = ParseNumber(bindings.numbers[0]);
    if (!value.ok()) return value.status();
    instruction.data0 = *value;
  }
  if (bindings.numbers[1].present) {
    absl::StatusOr<double> value = ParseNumber(bindings.numbers[1]);
    if (!value.ok()) return value.status();
    instruction.data1 = *value;
  }
  if (!bindings.indices[0].empty()) {
    absl::StatusOr<uint8_t> index = ParseIndex(bindings.indices[0]);
    if (!index.ok()) return index.status();
    instruction.index0 = *index;
  }
  if (!bindings.indices[1].empty()) {
    absl::StatusOr<uint8_t> index = ParseIndex(bindings.indices[1]);
    if (!index.ok()) return index.status();
    instruction.index1 = *index;
  }
  return absl::OkStatus();
}

absl::Status InLine(const absl::Status& status, absl::string_view line) {
  return absl::InvalidArgumentError(absl::StrCat(status.message(), " in \"", line, "\""));
}

absl::string_view StripComment(absl::string_view line) {
  const size_t hash = line.find('#');
  if (hash != absl::string_view::npos) line = line.substr(0, hash);
  return absl::StripAsciiWhitespace(line);
}

// `line` has no comment and no surrounding whitespace.
absl::StatusOr<Instruction> ParseCleanInstruction(absl::string_view line) {
  if (line.empty()) return absl::InvalidArgumentError("empty instruction");
  absl::StatusOr<std::vector<Token>> tokens = Tokenize(line, false);
  if (!tokens.ok()) return InLine(tokens.status(), line);

  std::vector<std::string> signatures;
  bool shape_matched = false;
  for (const CompiledForm& form : Forms()) {
    std::optional<Bindings> bindings = Match(form.tokens, *tokens);
    if (!bindings.has_value()) continue;
    shape_matched = true;
    const OpInfo& info = GetOpInfo(form.op);
    const OperandKind kinds[3] = {info.out, info.in1, info.in2};
    Instruction instruction;
    instruction.op = form.op;
    uint8_t* const fields[3] = {&instruction.out, &instruction.in1, &instruction.in2};
    bool kinds_fit = true;
    for (int slot = 0; slot < 3; ++slot) {
      if (kinds[slot] == OperandKind::N) continue;
      absl::StatusOr<Register> reg = ParseRegister(bindings->registers[slot]);
      // A malformed register is wrong for every op, so report it right away.
      if (!reg.ok()) return InLine(reg.status(), line);
      if (reg->kind != kinds[slot]) {
        kinds_fit = false;
        break;
      }
      *fields[slot] = static_cast<uint8_t>(reg->address);
    }
    if (!kinds_fit) {
      signatures.push_back(KindSignature(form.op));
      continue;
    }
    if (absl::Status status = FillData(*bindings, instruction); !status.ok()) {
      return InLine(status, line);
    }
    return instruction;
  }

  if (shape_matched) {
    return absl::InvalidArgumentError(
        absl::StrCat("no op takes these register kinds in \"", line,
                     "\" (possible: ", absl::StrJoin(signatures, "; "), ")"));
  }
  // Name the op if the line calls a function no form knows, or is a bare
  // unknown word.
  for (size_t i = 0; i < tokens->size(); ++i) {
    const Token& token = (*tokens)[i];
    if (token.type != TokenType::kWord || IsKnownWord(token.text)) continue;
    const bool is_call = i + 1 < tokens->size() && (*tokens)[i + 1].type == TokenType::kPunct &&
                         (*tokens)[i + 1].text == "(";
    if (is_call || tokens->size() == 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown op '", token.text, "' in \"", line, "\""));
    }
  }
  return absl::InvalidArgumentError(absl::StrCat("cannot parse instruction \"", line, "\""));
}

// Parses "def Name():" into the function it names.
absl::StatusOr<ComponentFunction> ParseHeader(absl::string_view line) {
  absl::StatusOr<std::vector<Token>> tokens = Tokenize(line, false);
  const auto is = [&](size_t i, TokenType type, absl::string_view text) {
    return (*tokens)[i].type == type && (*tokens)[i].text == text;
  };
  if (!tokens.ok() || tokens->size() != 5 || (*tokens)[1].type != TokenType::kWord ||
      !is(0, TokenType::kWord, "def") || !is(2, TokenType::kPunct, "(") ||
      !is(3, TokenType::kPunct, ")") || !is(4, TokenType::kPunct, ":")) {
    return absl::InvalidArgumentError(absl::StrCat("cannot parse function header \"", line,
                                                   "\" (expected e.g. \"def Setup():\")"));
  }
  const absl::string_view name = (*tokens)[1].text;
  for (ComponentFunction function : kAllComponentFunctions) {
    if (name == ComponentFunctionName(function)) return function;
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown function '", name, "' in \"", line,
                                                 "\" (expected Setup, Predict or Learn)"));
}

bool IsHeader(absl::string_view line) {
  return absl::StartsWith(line, "def") && (line.size() == 3 || absl::ascii_isspace(line[3]));
}

}  // namespace

absl::StatusOr<Instruction> ParseInstruction(absl::string_view line) {
  return ParseCleanInstruction(StripComment(line));
}

absl::StatusOr<Program> ParseProgram(absl::string_view text) {
  Program program;
  // The function being filled; none before the first header.
  std::optional<ComponentFunction> current;
  int line_number = 0;
  for (absl::string_view raw_line : absl::StrSplit(text, '\n')) {
    ++line_number;
    const absl::string_view line = StripComment(raw_line);
    if (line.empty()) continue;
    const auto error = [line_number](absl::string_view message) {
      return absl::InvalidArgumentError(absl::StrCat("line ", line_number, ": ", message));
    };
    if (IsHeader(line)) {
      absl::StatusOr<ComponentFunction> function = ParseHeader(line);
      if (!function.ok()) return error(function.status().message());
      if (current.has_value() && *function == *current) {
        return error(
            absl::StrCat("function ", ComponentFunctionName(*function), " is defined twice"));
      }
      if (current.has_value() && *function < *current) {
        return error(absl::StrCat("function ", ComponentFunctionName(*function), " after ",
                                  ComponentFunctionName(*current),
                                  " (functions must come in the order Setup, Predict, Learn)"));
      }
      current = *function;
      continue;
    }
    if (!current.has_value()) {
      return error(absl::StrCat("instruction \"", line,
                                "\" outside a function (expected \"def Setup():\")"));
    }
    absl::StatusOr<Instruction> instruction = ParseCleanInstruction(line);
    if (!instruction.ok()) return error(instruction.status().message());
    program.function(*current).push_back(*instruction);
  }
  return program;
}

absl::StatusOr<Program> ParseProgramFile(const std::string& path) {
  absl::StatusOr<std::string> contents = ReadFileToString(path, "program file");
  if (!contents.ok()) return contents.status();
  absl::StatusOr<Program> program = ParseProgram(*contents);
  if (!program.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", program.status().message()));
  }
  return program;
}

}  // namespace automl

#include "instructions/parser.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "instructions/file_util.h"
#include "instructions/form_matcher.h"
#include "instructions/status_macros.h"
#include "instructions/text_input.h"

namespace automl {
namespace {

using internal_parser::Bindings;
using internal_parser::CompiledForm;
using internal_parser::Forms;
using internal_parser::IsDigit;
using internal_parser::IsKnownWord;
using internal_parser::Match;
using internal_parser::NumberText;
using internal_parser::Token;
using internal_parser::Tokenize;
using internal_parser::TokenType;

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
    ASSIGN_OR_RETURN(instruction.data0, ParseNumber(bindings.numbers[0]));
  }
  if (bindings.numbers[1].present) {
    ASSIGN_OR_RETURN(instruction.data1, ParseNumber(bindings.numbers[1]));
  }
  if (!bindings.indices[0].empty()) {
    ASSIGN_OR_RETURN(instruction.index0, ParseIndex(bindings.indices[0]));
  }
  if (!bindings.indices[1].empty()) {
    ASSIGN_OR_RETURN(instruction.index1, ParseIndex(bindings.indices[1]));
  }
  return absl::OkStatus();
}

absl::Status InLine(const absl::Status& status, absl::string_view line) {
  return absl::InvalidArgumentError(
      absl::StrCat(status.message(), " in \"", QuoteForError(line), "\""));
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
        absl::StrCat("no op takes these register kinds in \"", QuoteForError(line),
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
      return absl::InvalidArgumentError(absl::StrCat("unknown op '", QuoteForError(token.text),
                                                     "' in \"", QuoteForError(line), "\""));
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat("cannot parse instruction \"", QuoteForError(line), "\""));
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
    return absl::InvalidArgumentError(absl::StrCat("cannot parse function header \"",
                                                   QuoteForError(line),
                                                   "\" (expected e.g. \"def Setup():\")"));
  }
  const absl::string_view name = (*tokens)[1].text;
  for (ComponentFunction function : kAllComponentFunctions) {
    if (name == ComponentFunctionName(function)) return function;
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown function '", QuoteForError(name),
                                                 "' in \"", QuoteForError(line),
                                                 "\" (expected Setup, Predict or Learn)"));
}

bool IsHeader(absl::string_view line) {
  return absl::StartsWith(line, "def") && (line.size() == 3 || absl::ascii_isspace(line[3]));
}

}  // namespace

bool HasProgramText(absl::string_view text) {
  for (absl::string_view line : absl::StrSplit(StripUtf8Bom(text), '\n')) {
    if (!StripComment(line).empty()) return true;
  }
  return false;
}

absl::StatusOr<Instruction> ParseInstruction(absl::string_view line) {
  return ParseCleanInstruction(StripComment(line));
}

absl::StatusOr<Program> ParseProgram(absl::string_view text) {
  Program program;
  // The function being filled; none before the first header.
  std::optional<ComponentFunction> current;
  int line_number = 0;
  for (absl::string_view raw_line : absl::StrSplit(StripUtf8Bom(text), '\n')) {
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
      return error(absl::StrCat("instruction \"", QuoteForError(line),
                                "\" outside a function (expected \"def Setup():\")"));
    }
    absl::StatusOr<Instruction> instruction = ParseCleanInstruction(line);
    if (!instruction.ok()) return error(instruction.status().message());
    program.function(*current).push_back(*instruction);
  }
  return program;
}

absl::StatusOr<Program> ParseProgramFile(const std::string& path) {
  ASSIGN_OR_RETURN(const std::string contents,
                   ReadFileToString(path, "program file", kMaxTextFileBytes));
  if (!HasProgramText(contents)) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": no program (the file is empty or only comments)"));
  }
  absl::StatusOr<Program> program = ParseProgram(contents);
  if (!program.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", program.status().message()));
  }
  return program;
}

}  // namespace automl

// The first stage of the program text parser (parser.h): splitting a line into tokens and
// matching them against the op table's printed forms ("{o} = {a} + {b}"), which gives what
// each placeholder bound to. Checking those values (register kinds, number ranges) and
// assembling instructions and programs is parser.cc's. Internal to //instructions:parser.
#ifndef INSTRUCTIONS_FORM_MATCHER_H_
#define INSTRUCTIONS_FORM_MATCHER_H_

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "instructions/ops.h"

namespace automl::internal_parser {

enum class TokenType { kWord, kNumber, kPunct, kPlaceholder };

struct Token {
  TokenType type;
  // For a placeholder, the one letter between the braces ("o" for "{o}").
  absl::string_view text;
};

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Splits `text` into tokens that view it. Placeholders ("{o}") are only tokens in op-table
// forms; elsewhere their braces are unexpected characters. Numbers are unsigned here: a
// leading '-' is its own token, so "s0 - 1" and "= -1" split the same way and the matcher
// decides what the '-' means.
absl::StatusOr<std::vector<Token>> Tokenize(absl::string_view text, bool allow_placeholders);

// An op's printed form, tokenized.
struct CompiledForm {
  Op op;
  std::vector<Token> tokens;
};

// Every op's form, in op order, tokenized once.
const std::vector<CompiledForm>& Forms();

// True for words that appear literally in some form ("dot", "no_op", ...).
bool IsKnownWord(absl::string_view word);

struct NumberText {
  bool present = false;
  bool negative = false;
  absl::string_view text;
};

// What the placeholders of a form bound to; empty views for placeholders the form lacks.
struct Bindings {
  absl::string_view registers[3];  // {o}, {a}, {b}.
  NumberText numbers[2];           // {c}, {d}.
  absl::string_view indices[2];    // {i}, {j}.
};

// Matches the shape of `line` to `form`: literal tokens must be equal, {o}/{a}/{b} take any
// word, {c}/{d} a signed number, {i}/{j} an unsigned number. Whether the words are registers
// of the right kinds and the numbers are valid is checked afterwards, so that errors can name
// the culprit instead of just "no match".
std::optional<Bindings> Match(const std::vector<Token>& form, const std::vector<Token>& line);

}  // namespace automl::internal_parser

#endif  // INSTRUCTIONS_FORM_MATCHER_H_

// Two facts about user text shared by every reader of it (the program parser, the text-format
// parser of specs and task files, the CSV reader): a UTF-8 byte order mark at the start is not
// content, and what an error quotes back from the input is short and printable, so that a
// 500 KB line or a binary file still gives one readable line.
#ifndef INSTRUCTIONS_TEXT_INPUT_H_
#define INSTRUCTIONS_TEXT_INPUT_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace automl {

// `text` without a leading UTF-8 byte order mark (EF BB BF), if it has one.
absl::string_view StripUtf8Bom(absl::string_view text);

// The most an error message quotes of one input line.
inline constexpr size_t kMaxQuotedChars = 80;

// `text` as an error quotes it: bytes outside printable ASCII as \xNN (\t as \t), cut to about
// `max_chars` characters, with "... (N bytes)" when cut. Printable text up to the limit comes
// back unchanged.
std::string QuoteForError(absl::string_view text, size_t max_chars = kMaxQuotedChars);

}  // namespace automl

#endif  // INSTRUCTIONS_TEXT_INPUT_H_

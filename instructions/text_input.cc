#include "instructions/text_input.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace automl {

absl::string_view StripUtf8Bom(absl::string_view text) {
  constexpr absl::string_view kBom = "\xEF\xBB\xBF";
  if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
  return text;
}

std::string QuoteForError(absl::string_view text, size_t max_chars) {
  std::string quoted;
  size_t used = 0;
  for (; used < text.size() && quoted.size() < max_chars; ++used) {
    const unsigned char c = static_cast<unsigned char>(text[used]);
    if (c == '\t') {
      quoted += "\\t";
    } else if (c < 0x20 || c >= 0x7f) {
      quoted += absl::StrFormat("\\x%02x", c);
    } else {
      quoted += static_cast<char>(c);
    }
  }
  if (used < text.size()) absl::StrAppend(&quoted, "... (", text.size(), " bytes)");
  return quoted;
}

}  // namespace automl

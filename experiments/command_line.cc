#include "experiments/command_line.h"

#include "absl/flags/internal/parse.h"
#include "absl/strings/str_cat.h"
#include "instructions/text_input.h"

namespace automl {

absl::Status CheckNoPositionalArguments(const std::vector<char*>& remaining) {
  if (remaining.size() <= 1) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("unexpected argument '", QuoteForError(remaining[1]),
                   "' (every argument is a flag, e.g. --spec=PATH; see --help)"));
}

bool FlagGiven(absl::string_view name) {
  // absl offers no public way to ask; this is the function its own parser uses.
  return absl::flags_internal::WasPresentOnCommandLine(name);
}

}  // namespace automl

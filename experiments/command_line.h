// What every binary here checks of its command line beyond the flags' own parsing:
// absl::ParseCommandLine hands back the words that are not flags, and none of the binaries
// takes any, so a stray word (a path without its --flag=, a flag written "-- spec") is an error
// instead of being ignored.
#ifndef EXPERIMENTS_COMMAND_LINE_H_
#define EXPERIMENTS_COMMAND_LINE_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace automl {

// `remaining` is what absl::ParseCommandLine returned (the program name first).
absl::Status CheckNoPositionalArguments(const std::vector<char*>& remaining);

// Whether --`name` was given on the command line (even with its default value), so that an
// explicit --output_dir= can be told apart from no --output_dir.
bool FlagGiven(absl::string_view name);

}  // namespace automl

#endif  // EXPERIMENTS_COMMAND_LINE_H_

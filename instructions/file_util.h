// Reading whole files with errors a user can act on: every reader of programs, specs and data
// goes through here, so a missing file, a directory or an unreadable file reads the same way.
#ifndef INSTRUCTIONS_FILE_UTIL_H_
#define INSTRUCTIONS_FILE_UTIL_H_

#include <string>

#include "absl/status/statusor.h"

namespace automl {

// The bytes of `path`. NotFound "cannot open <what> '<path>': No such file or directory" when
// it does not exist; InvalidArgument naming the path and the OS error otherwise (a directory,
// no permission).
absl::StatusOr<std::string> ReadFileToString(const std::string& path, const char* what);

}  // namespace automl

#endif  // INSTRUCTIONS_FILE_UTIL_H_

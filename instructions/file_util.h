// Reading whole files with errors a user can act on: every reader of programs, specs and data
// goes through here, so a missing file, a directory or an unreadable file reads the same way.
#ifndef INSTRUCTIONS_FILE_UTIL_H_
#define INSTRUCTIONS_FILE_UTIL_H_

#include <cstddef>
#include <limits>
#include <string>

#include "absl/status/statusor.h"

namespace automl {

inline constexpr size_t kNoFileSizeLimit = std::numeric_limits<size_t>::max();

// The caps every reader passes (docs/resource-limits.md), so that an endless input such as
// /dev/zero, or a file far larger than any real one, gets one error line instead of
// exhausting memory. Text a person writes: specs, task collections, printed programs.
inline constexpr size_t kMaxTextFileBytes = size_t{64} << 20;
// Data: CSV, IDX (also the size a gzip'd IDX header may declare), CIFAR-10 batches, binary
// programs and checkpoints.
inline constexpr size_t kMaxDataFileBytes = size_t{2} << 30;

// A cap for messages: "64 MiB" when it is a whole number of MiB, else "99999 bytes".
std::string ByteLimitText(size_t max_bytes);

// The bytes of `path`, unchanged (binary files too). `what` names the file's role in messages
// ("spec file", "CSV file"). Errors:
//   NotFound "cannot open <what> '<path>': No such file or directory" when it does not exist;
//   InvalidArgument "cannot open|read <what> '<path>': <the OS reason>" otherwise (a directory,
//   no permission), or "...: larger than the limit of <max_bytes> bytes" (of "<N> MiB" when
//   the cap is a whole number of MiB). Files that are not regular (a pipe, /dev/zero) are read
//   in chunks up to the cap; a regular file over the cap is refused before it is read.
absl::StatusOr<std::string> ReadFileToString(const std::string& path, const char* what,
                                             size_t max_bytes = kNoFileSizeLimit);

}  // namespace automl

#endif  // INSTRUCTIONS_FILE_UTIL_H_

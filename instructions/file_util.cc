#include "instructions/file_util.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace automl {
namespace {

absl::Status ReadError(const char* what, const std::string& path, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat("cannot read ", what, " '", path, "': ", reason));
}

}  // namespace

absl::StatusOr<std::string> ReadFileToString(const std::string& path, const char* what,
                                             size_t max_bytes) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    const int error = errno;
    const std::string message =
        absl::StrCat("cannot open ", what, " '", path, "': ", std::strerror(error));
    return error == ENOENT ? absl::NotFoundError(message) : absl::InvalidArgumentError(message);
  }
  std::string contents;
  // Reserving the size saves the string's regrowth copies on large data files.
  struct stat info;
  if (fstat(fileno(file), &info) == 0 && S_ISREG(info.st_mode)) {
    contents.reserve(std::min(static_cast<size_t>(info.st_size), max_bytes));
  }
  char buffer[1 << 16];
  size_t count;
  bool too_large = false;
  while ((count = std::fread(buffer, 1, sizeof(buffer), file)) > 0) {
    if (count > max_bytes - contents.size()) {
      too_large = true;
      break;
    }
    contents.append(buffer, count);
  }
  // fopen succeeds on a directory; the read error shows up here.
  const bool failed = std::ferror(file) != 0;
  const int error = errno;
  std::fclose(file);
  if (too_large) {
    return ReadError(what, path, absl::StrCat("larger than the limit of ", max_bytes, " bytes"));
  }
  if (failed) return ReadError(what, path, std::strerror(error));
  return contents;
}

}  // namespace automl

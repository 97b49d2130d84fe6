#include "instructions/file_util.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace automl {
namespace {

absl::Status ReadError(const char* what, const std::string& path, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat("cannot read ", what, " '", path, "': ", reason));
}

absl::Status TooLarge(const char* what, const std::string& path, size_t max_bytes) {
  return ReadError(what, path, absl::StrCat("larger than the limit of ", ByteLimitText(max_bytes)));
}

enum class ReadOutcome { kOk, kTooLarge, kOutOfMemory };

// A regular file: its size is known, so the string is reserved once (no regrowth copies on
// large data files); the cap is still checked while reading, for a file that grows.
ReadOutcome ReadRegularFile(std::FILE* file, size_t size, size_t max_bytes, std::string& contents) {
  if (size > max_bytes) return ReadOutcome::kTooLarge;
  try {
    contents.reserve(size);
    char buffer[1 << 16];
    size_t count;
    while ((count = std::fread(buffer, 1, sizeof(buffer), file)) > 0) {
      if (count > max_bytes - contents.size()) return ReadOutcome::kTooLarge;
      contents.append(buffer, count);
    }
  } catch (const std::bad_alloc&) {
    return ReadOutcome::kOutOfMemory;
  }
  return ReadOutcome::kOk;
}

// Anything else (a pipe, /dev/zero): the size is unknown, so a malloc'd buffer doubles up to
// one byte past the cap. realloc moves a large block by remapping its pages, not copying them,
// so reaching a cap of gigabytes on an endless device costs about as much as the pages.
ReadOutcome ReadStream(std::FILE* file, size_t max_bytes, std::string& contents) {
  const size_t max_capacity = max_bytes < kNoFileSizeLimit ? max_bytes + 1 : max_bytes;
  std::unique_ptr<char, decltype(&std::free)> buffer(nullptr, &std::free);
  size_t capacity = 0;
  size_t size = 0;
  while (true) {
    if (size == capacity) {
      if (capacity == max_capacity) break;
      const size_t grown = std::min(std::max<size_t>(2 * capacity, 1 << 16), max_capacity);
      char* moved = static_cast<char*>(std::realloc(buffer.get(), grown));
      if (moved == nullptr) return ReadOutcome::kOutOfMemory;
      buffer.release();
      buffer.reset(moved);
      capacity = grown;
    }
    const size_t count = std::fread(buffer.get() + size, 1, capacity - size, file);
    if (count == 0) break;
    size += count;
  }
  if (size > max_bytes) return ReadOutcome::kTooLarge;
  try {
    contents.assign(buffer.get(), size);
  } catch (const std::bad_alloc&) {
    return ReadOutcome::kOutOfMemory;
  }
  return ReadOutcome::kOk;
}

}  // namespace

std::string ByteLimitText(size_t max_bytes) {
  constexpr size_t kMiB = size_t{1} << 20;
  if (max_bytes % kMiB == 0) return absl::StrCat(max_bytes / kMiB, " MiB");
  return absl::StrCat(max_bytes, " bytes");
}

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
  struct stat info;
  const ReadOutcome outcome =
      fstat(fileno(file), &info) == 0 && S_ISREG(info.st_mode)
          ? ReadRegularFile(file, static_cast<size_t>(info.st_size), max_bytes, contents)
          : ReadStream(file, max_bytes, contents);
  // fopen succeeds on a directory; the read error shows up here.
  const bool failed = std::ferror(file) != 0;
  const int error = errno;
  std::fclose(file);
  if (outcome == ReadOutcome::kTooLarge) return TooLarge(what, path, max_bytes);
  // A file under the cap can still be more than the memory left (the cap is fixed, memory is
  // not): that is an error line too, not std::bad_alloc.
  if (outcome == ReadOutcome::kOutOfMemory)
    return ReadError(what, path, "out of memory while reading it");
  if (failed) return ReadError(what, path, std::strerror(error));
  return contents;
}

}  // namespace automl

#include "experiments/output_dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace automl {
namespace {

std::string ErrnoText() { return std::strerror(errno); }

// What the holder wrote into the lock file ("PID HOST"). A holder that has only just taken
// the lock may not have written it yet, hence the short wait.
std::string HolderText(int fd) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    char buffer[300];
    const ssize_t size = pread(fd, buffer, sizeof(buffer) - 1, 0);
    if (size > 0) {
      const std::string text(absl::StripAsciiWhitespace(std::string(buffer, size)));
      if (!text.empty()) return text;
    }
    absl::SleepFor(absl::Milliseconds(5));
  }
  return "";
}

// "pid 123 on host h", from the file's "123 h".
std::string DescribeHolder(const std::string& text) {
  if (text.empty()) return "pid unknown";
  const size_t space = text.find(' ');
  if (space == std::string::npos) return absl::StrCat("pid ", text);
  return absl::StrCat("pid ", text.substr(0, space), " on host ", text.substr(space + 1));
}

absl::Status WriteHolder(int fd, const std::string& path) {
  char host[256] = "";
  gethostname(host, sizeof(host) - 1);
  const std::string text = absl::StrCat(getpid(), " ", host, "\n");
  if (ftruncate(fd, 0) != 0 ||
      pwrite(fd, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
    return absl::InternalError(absl::StrCat("cannot write ", path, ": ", ErrnoText()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<OutputDirLock> OutputDirLock::Acquire(const std::string& dir) {
  const std::string path = absl::StrCat(dir, "/", kFileName);
  // O_CLOEXEC: a child process must not inherit (and so prolong) the lock.
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "output_dir ", dir, " cannot be locked: cannot open ", path, ": ", ErrnoText()));
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    const absl::Status refusal =
        error == EWOULDBLOCK
            ? absl::FailedPreconditionError(absl::StrCat(
                  "output_dir ", dir, " is in use by another run (", DescribeHolder(HolderText(fd)),
                  "); wait for it to end, or choose another --output_dir"))
            : absl::InternalError(absl::StrCat("output_dir ", dir, " cannot be locked: flock ",
                                               path, ": ", std::strerror(error)));
    close(fd);  // Not through ~OutputDirLock: the holder's text is not ours to clear.
    return refusal;
  }
  OutputDirLock lock(fd);
  if (absl::Status s = WriteHolder(fd, path); !s.ok()) return s;
  return lock;
}

OutputDirLock::OutputDirLock(OutputDirLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

OutputDirLock& OutputDirLock::operator=(OutputDirLock&& other) noexcept {
  if (this != &other) {
    Release();
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

OutputDirLock::~OutputDirLock() { Release(); }

void OutputDirLock::Release() {
  if (fd_ < 0) return;
  // Closing drops the lock. Clearing the holder text first means a run that takes the lock
  // next is never named by its predecessor's pid; it is only read while the lock is held, so
  // a failure to clear is harmless.
  [[maybe_unused]] const int cleared = ftruncate(fd_, 0);
  close(fd_);
  fd_ = -1;
}

}  // namespace automl

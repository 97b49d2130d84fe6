// One run per output directory: a search holds an exclusive advisory lock (flock) on
// DIR/.lock for its whole life, so a second run into the same directory is refused before it
// reads or writes anything there, instead of both finishing "successfully" with one's files
// overwritten by the other's. The kernel drops the lock when the holder's file is closed or
// the process dies (kill -9 included), so a lock is never stale; the file itself stays and
// holds the holder's pid and host name, only to name them in the refusal.
#ifndef EXPERIMENTS_OUTPUT_DIR_LOCK_H_
#define EXPERIMENTS_OUTPUT_DIR_LOCK_H_

#include <string>

#include "absl/status/statusor.h"

namespace automl {

class OutputDirLock {
 public:
  static constexpr char kFileName[] = ".lock";

  // Locks the existing directory `dir` without waiting. FailedPrecondition (one line naming
  // `dir` and the holder's pid) when another open lock holds it, even one in this process.
  static absl::StatusOr<OutputDirLock> Acquire(const std::string& dir);

  OutputDirLock(OutputDirLock&& other) noexcept;
  OutputDirLock& operator=(OutputDirLock&& other) noexcept;
  OutputDirLock(const OutputDirLock&) = delete;
  OutputDirLock& operator=(const OutputDirLock&) = delete;
  ~OutputDirLock();  // Releases the lock.

 private:
  explicit OutputDirLock(int fd) : fd_(fd) {}
  void Release();

  int fd_ = -1;  // The locked file; -1 once moved from.
};

}  // namespace automl

#endif  // EXPERIMENTS_OUTPUT_DIR_LOCK_H_

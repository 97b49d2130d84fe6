// Tests of OutputDirLock: one holder at a time, even within one process (flock conflicts
// between two open file descriptions of the same file); the refusal names the directory and
// the holder's pid; the lock goes with the object (destruction, move) and with the process,
// even one killed with SIGKILL.
#include "experiments/output_dir_lock.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace automl {
namespace {

using ::testing::HasSubstr;

// A fresh directory for each test.
std::string MakeDir(const std::string& name) {
  const std::string dir = absl::StrCat(::testing::TempDir(), "/", name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::string LockFileText(const std::string& dir) {
  std::ifstream file(absl::StrCat(dir, "/", OutputDirLock::kFileName));
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

TEST(OutputDirLockTest, SecondAcquireInTheSameProcessIsRefused) {
  const std::string dir = MakeDir("same_process");
  absl::StatusOr<OutputDirLock> first = OutputDirLock::Acquire(dir);
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<OutputDirLock> second = OutputDirLock::Acquire(dir);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(second.status().message(), HasSubstr(absl::StrCat("output_dir ", dir, " ")));
  EXPECT_THAT(second.status().message(), HasSubstr(absl::StrCat("(pid ", getpid(), " on host ")));
  EXPECT_EQ(second.status().message().find('\n'), std::string::npos);
}

TEST(OutputDirLockTest, TheFileHoldsTheHolderPidUntilRelease) {
  const std::string dir = MakeDir("pid_file");
  {
    absl::StatusOr<OutputDirLock> lock = OutputDirLock::Acquire(dir);
    ASSERT_TRUE(lock.ok()) << lock.status();
    EXPECT_EQ(LockFileText(dir).rfind(absl::StrCat(getpid(), " "), 0), 0u) << LockFileText(dir);
    // A refused attempt leaves the holder's text alone.
    ASSERT_FALSE(OutputDirLock::Acquire(dir).ok());
    EXPECT_EQ(LockFileText(dir).rfind(absl::StrCat(getpid(), " "), 0), 0u) << LockFileText(dir);
  }
  EXPECT_EQ(LockFileText(dir), "");
}

TEST(OutputDirLockTest, DestructionReleases) {
  const std::string dir = MakeDir("destruction");
  {
    absl::StatusOr<OutputDirLock> lock = OutputDirLock::Acquire(dir);
    ASSERT_TRUE(lock.ok()) << lock.status();
  }
  absl::StatusOr<OutputDirLock> again = OutputDirLock::Acquire(dir);
  EXPECT_TRUE(again.ok()) << again.status();
}

TEST(OutputDirLockTest, MovingKeepsTheLockAndTheLastOwnerReleases) {
  const std::string dir = MakeDir("move");
  std::optional<OutputDirLock> owner;
  {
    absl::StatusOr<OutputDirLock> lock = OutputDirLock::Acquire(dir);
    ASSERT_TRUE(lock.ok()) << lock.status();
    owner = *std::move(lock);
  }  // The moved-from lock is gone; `owner` still holds.
  EXPECT_FALSE(OutputDirLock::Acquire(dir).ok());
  owner.reset();
  EXPECT_TRUE(OutputDirLock::Acquire(dir).ok());
}

TEST(OutputDirLockTest, DirectoriesAreIndependent) {
  absl::StatusOr<OutputDirLock> a = OutputDirLock::Acquire(MakeDir("independent_a"));
  absl::StatusOr<OutputDirLock> b = OutputDirLock::Acquire(MakeDir("independent_b"));
  EXPECT_TRUE(a.ok()) << a.status();
  EXPECT_TRUE(b.ok()) << b.status();
}

TEST(OutputDirLockTest, MissingDirectoryIsAnError) {
  const std::string dir = absl::StrCat(::testing::TempDir(), "/no_such_dir/out");
  absl::StatusOr<OutputDirLock> lock = OutputDirLock::Acquire(dir);
  ASSERT_FALSE(lock.ok());
  EXPECT_THAT(lock.status().message(), HasSubstr(dir));
}

// Another process holds the lock (refusal names its pid) until it is killed with SIGKILL:
// then the kernel has released it, with no stale lock left behind.
TEST(OutputDirLockTest, AKilledHolderLeavesNoStaleLock) {
  const std::string dir = MakeDir("killed_holder");
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    absl::StatusOr<OutputDirLock> lock = OutputDirLock::Acquire(dir);
    const char byte = lock.ok() ? '1' : '0';
    if (write(ready[1], &byte, 1) != 1) _exit(2);
    pause();  // Until killed.
    _exit(0);
  }
  close(ready[1]);
  char byte = 0;
  ASSERT_EQ(read(ready[0], &byte, 1), 1);
  close(ready[0]);
  ASSERT_EQ(byte, '1') << "the child could not take the lock";

  absl::StatusOr<OutputDirLock> refused = OutputDirLock::Acquire(dir);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.status().message(), HasSubstr(absl::StrCat("(pid ", child, " on host ")));

  ASSERT_EQ(kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));
  absl::StatusOr<OutputDirLock> after = OutputDirLock::Acquire(dir);
  EXPECT_TRUE(after.ok()) << after.status();
}

}  // namespace
}  // namespace automl

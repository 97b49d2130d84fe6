// Tests of ReadFileToString (instructions/file_util.h): bytes come back unchanged, and the
// errors every file reader shares (missing, a directory, over the size cap).
#include "instructions/file_util.h"

#include <cstdlib>
#include <fstream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace automl {
namespace {

using ::testing::HasSubstr;

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
}

TEST(ReadFileToStringTest, ReturnsBinaryBytesUnchanged) {
  const std::string path = TempPath("binary.bin");
  const std::string bytes("a\0b\r\n\xff\x1f\x8b", 8);
  std::ofstream(path, std::ios::binary) << bytes;
  absl::StatusOr<std::string> read = ReadFileToString(path, "data file");
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, bytes);
  read = ReadFileToString(path, "data file", /*max_bytes=*/8);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, bytes);
}

TEST(ReadFileToStringTest, MissingFileIsNotFound) {
  const std::string path = TempPath("missing.txt");
  const absl::StatusOr<std::string> read = ReadFileToString(path, "spec file");
  EXPECT_TRUE(absl::IsNotFound(read.status())) << read.status();
  EXPECT_EQ(read.status().message(),
            "cannot open spec file '" + path + "': No such file or directory");
}

TEST(ReadFileToStringTest, DirectoryIsInvalidArgumentWithTheOsReason) {
  const absl::StatusOr<std::string> read = ReadFileToString(TempPath(""), "CSV file");
  EXPECT_TRUE(absl::IsInvalidArgument(read.status())) << read.status();
  EXPECT_THAT(read.status().message(), HasSubstr("cannot read CSV file '"));
  EXPECT_THAT(read.status().message(), HasSubstr("Is a directory"));
}

TEST(ReadFileToStringTest, SizeCap) {
  const std::string path = TempPath("big.txt");
  std::ofstream(path) << std::string(100000, 'x');
  const absl::StatusOr<std::string> read = ReadFileToString(path, "data file", 99999);
  EXPECT_TRUE(absl::IsInvalidArgument(read.status())) << read.status();
  EXPECT_EQ(read.status().message(),
            "cannot read data file '" + path + "': larger than the limit of 99999 bytes");
}

// A character device that never ends is read in chunks up to the cap, not until memory runs
// out; the message gives a cap of whole MiB in MiB.
TEST(ReadFileToStringTest, EndlessDeviceStopsAtTheCap) {
  const absl::StatusOr<std::string> read = ReadFileToString("/dev/zero", "spec file", 1 << 20);
  EXPECT_TRUE(absl::IsInvalidArgument(read.status())) << read.status();
  EXPECT_EQ(read.status().message(),
            "cannot read spec file '/dev/zero': larger than the limit of 1 MiB");
}

TEST(ReadFileToStringTest, StreamUnderTheCapIsReadWhole) {
  const absl::StatusOr<std::string> read = ReadFileToString("/dev/null", "CSV file", 10);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, "");
}

}  // namespace
}  // namespace automl

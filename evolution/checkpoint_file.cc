#include "evolution/checkpoint_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "instructions/status_macros.h"

namespace automl {
namespace {

constexpr char kMagic[8] = {'A', 'M', 'L', 'Z', 'C', 'K', 'P', '1'};
constexpr size_t kHeaderSize = 8 + 8 + 8;  // Magic, payload length, checksum.

void AppendLittleEndian(uint64_t value, std::string& out) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

uint64_t ReadLittleEndian(const char* bytes) {
  uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  return value;
}

absl::Status ErrnoError(const std::string& what, const std::string& path) {
  return absl::InternalError(absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

absl::Status WriteAllAndSync(const std::string& path, const std::string& data) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return ErrnoError("cannot create", path);
  size_t written = 0;
  while (written < data.size()) {
    const ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      absl::Status status = ErrnoError("cannot write", path);
      ::close(fd);
      return status;
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    absl::Status status = ErrnoError("cannot fsync", path);
    ::close(fd);
    return status;
  }
  if (::close(fd) != 0) return ErrnoError("cannot close", path);
  return absl::OkStatus();
}

// Makes the renames durable too.
void SyncDirectoryOf(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

absl::StatusOr<std::string> ReadFramed(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return absl::NotFoundError(absl::StrCat("no checkpoint at ", path));
  std::stringstream contents;
  contents << file.rdbuf();
  const std::string data = contents.str();
  if (data.size() < kHeaderSize || std::memcmp(data.data(), kMagic, sizeof(kMagic)) != 0) {
    return absl::DataLossError(absl::StrCat("checkpoint ", path,
                                            " is not a checkpoint file or "
                                            "is truncated (",
                                            data.size(), " bytes)"));
  }
  const uint64_t length = ReadLittleEndian(data.data() + 8);
  const uint64_t checksum = ReadLittleEndian(data.data() + 16);
  if (data.size() - kHeaderSize != length) {
    return absl::DataLossError(absl::StrCat("checkpoint ", path,
                                            " is truncated: ", data.size() - kHeaderSize, " of ",
                                            length, " payload bytes"));
  }
  std::string payload = data.substr(kHeaderSize);
  if (Fnv1a64(payload) != checksum) {
    return absl::DataLossError(absl::StrCat("checkpoint ", path,
                                            " is corrupted (checksum "
                                            "mismatch)"));
  }
  return payload;
}

}  // namespace

uint64_t Fnv1a64(const std::string& data) {
  uint64_t hash = 0xCBF29CE484222325ULL;
  for (unsigned char c : data) {
    hash ^= c;
    hash *= 0x100000001B3ULL;
  }
  return hash;
}

absl::Status WriteCheckpointFile(const std::string& path, const std::string& payload) {
  std::string framed(kMagic, sizeof(kMagic));
  AppendLittleEndian(payload.size(), framed);
  AppendLittleEndian(Fnv1a64(payload), framed);
  framed += payload;
  const std::string temporary = path + ".tmp";
  RETURN_IF_ERROR(WriteAllAndSync(temporary, framed));
  const std::string previous = path + ".prev";
  if (::access(path.c_str(), F_OK) == 0 && std::rename(path.c_str(), previous.c_str()) != 0) {
    return ErrnoError("cannot keep the previous checkpoint as", previous);
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) return ErrnoError("cannot rename", path);
  SyncDirectoryOf(path);
  return absl::OkStatus();
}

absl::StatusOr<CheckpointRead> ReadCheckpointFile(const std::string& path) {
  absl::StatusOr<std::string> latest = ReadFramed(path);
  if (latest.ok()) return CheckpointRead{*std::move(latest), path, ""};
  const std::string previous_path = path + ".prev";
  absl::StatusOr<std::string> previous = ReadFramed(previous_path);
  if (previous.ok()) {
    return CheckpointRead{*std::move(previous), previous_path,
                          absl::StrCat(latest.status().message(),
                                       "; using the previous "
                                       "checkpoint ",
                                       previous_path)};
  }
  if (absl::IsNotFound(latest.status()) && absl::IsNotFound(previous.status())) {
    return absl::NotFoundError(absl::StrCat("no checkpoint in ", path, " or ", previous_path));
  }
  return absl::DataLossError(
      absl::StrCat(latest.status().message(), "; ", previous.status().message()));
}

}  // namespace automl

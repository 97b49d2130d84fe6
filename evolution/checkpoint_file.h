// Durable checkpoint files. A checkpoint is written to a temporary file, flushed and fsynced,
// then renamed over the old one, whose previous version is kept as `<name>.prev`. Each file
// carries a checksum of its payload, so a truncated or corrupted file is detected on reading
// and the previous checkpoint is used instead (with a message saying so).
#ifndef EVOLUTION_CHECKPOINT_FILE_H_
#define EVOLUTION_CHECKPOINT_FILE_H_

#include <string>

#include "absl/status/statusor.h"

namespace automl {

// Atomically replaces `path` with `payload` (framed with a magic, a length and a checksum),
// keeping the previous file as `path + ".prev"`.
absl::Status WriteCheckpointFile(const std::string& path, const std::string& payload);

struct CheckpointRead {
  std::string payload;
  std::string source_path;  // `path` or `path + ".prev"`.
  std::string warning;      // Non-empty when `path` was unusable and the previous was read.
};

// Reads `path`, or if it is missing, truncated or corrupted, `path + ".prev"`. NotFound when
// neither exists; DataLoss naming both problems when neither is usable.
absl::StatusOr<CheckpointRead> ReadCheckpointFile(const std::string& path);

// 64-bit FNV-1a; the checksum of the framing (exposed for tests).
uint64_t Fnv1a64(const std::string& data);

}  // namespace automl

#endif  // EVOLUTION_CHECKPOINT_FILE_H_

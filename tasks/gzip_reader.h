// Decompressing gzip data (RFC 1952) with zlib, for the gzip-compressed dataset files Debian
// ships (e.g. Fashion-MNIST). A GzipReader hands out the decompressed bytes piece by piece, so
// a reader that knows how much data to expect (an IDX header declares it) decompresses exactly
// that much and can tell when the data goes on beyond it, instead of inflating whatever a
// corrupt or hostile file expands to. Corrupt or truncated input gives an error naming the
// problem, never a crash.
#ifndef TASKS_GZIP_READER_H_
#define TASKS_GZIP_READER_H_

#include <cstddef>
#include <limits>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

struct z_stream_s;  // zlib's stream state; zlib.h stays out of this header.

namespace automl {

// True if `data` starts with the gzip magic bytes 1f 8b.
bool HasGzipMagic(absl::string_view data);

// Decompresses in-memory gzip data: one or more members (RFC 1952 allows concatenation), each
// with its CRC-32 and length checked. Bytes after the last member that are not another member
// are an error.
class GzipReader {
 public:
  // `data` must outlive the reader.
  explicit GzipReader(absl::string_view data);
  ~GzipReader();
  GzipReader(const GzipReader&) = delete;
  GzipReader& operator=(const GzipReader&) = delete;

  // Decompresses the next up to `size` bytes into `out` and returns how many it wrote: fewer
  // than `size` only at the end of the data, once every member's trailer has been checked.
  // Errors ("gzip: member at byte N: <what zlib reported>") stay: later calls return them too.
  absl::StatusOr<size_t> Read(char* out, size_t size);

 private:
  absl::Status Fail(absl::string_view what);
  absl::Status StartMember(size_t offset);
  size_t Position() const;  // Input bytes zlib has consumed.

  absl::string_view data_;
  std::unique_ptr<z_stream_s> stream_;
  bool stream_initialized_ = false;
  size_t member_start_ = 0;
  bool finished_ = false;
  absl::Status status_;
};

// All of `data` decompressed (see GzipReader); InvalidArgument when that is more than
// `max_bytes`.
absl::StatusOr<std::string> Gunzip(absl::string_view data,
                                   size_t max_bytes = std::numeric_limits<size_t>::max());

}  // namespace automl

#endif  // TASKS_GZIP_READER_H_

// A small DEFLATE (RFC 1951) and gzip (RFC 1952) decoder, so that the gzip-compressed image
// files Debian ships (e.g. Fashion-MNIST) can be read without zlib, which the project may not
// depend on. Decoding only: the project never writes compressed files. Corrupt or truncated
// input gives an error naming the problem and the byte offset, never a crash.
#ifndef TASKS_GZIP_INFLATE_H_
#define TASKS_GZIP_INFLATE_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace automl {

// The CRC-32 of RFC 1952 (ISO 3309 polynomial, reflected), continued from `crc`: so that
// Crc32(a + b) == Crc32(b, Crc32(a)). Crc32("123456789") is 0xCBF43926.
uint32_t Crc32(absl::string_view data, uint32_t crc = 0);

// Decodes one raw DEFLATE stream (no zlib or gzip wrapper) that starts at data[0]. Bytes after
// the final block are ignored; if `consumed` is not null it receives the number of input bytes
// the stream used (up to the byte that holds its last bit). `size_hint` only reserves output.
absl::StatusOr<std::string> InflateRaw(absl::string_view data, size_t* consumed = nullptr,
                                       size_t size_hint = 0);

// Decodes gzip data: one or more members (RFC 1952 allows concatenation), each with its header
// (optional extra field, file name, comment and header CRC are skipped or checked), its DEFLATE
// data and its trailer, whose CRC-32 and length are checked.
absl::StatusOr<std::string> Gunzip(absl::string_view data);

// True if `data` starts with the gzip magic bytes 1f 8b.
bool HasGzipMagic(absl::string_view data);

}  // namespace automl

#endif  // TASKS_GZIP_INFLATE_H_

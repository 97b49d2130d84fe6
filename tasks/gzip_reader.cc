#include "tasks/gzip_reader.h"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>

#include "absl/strings/str_cat.h"
#include "instructions/file_util.h"
#include "instructions/status_macros.h"

namespace automl {
namespace {

// zlib counts bytes in 32-bit uInt: longer inputs and outputs go through in pieces.
constexpr size_t kMaxPiece = std::numeric_limits<uInt>::max();

// DEFLATE's largest expansion (a 258-byte match costs at least 2 bits): no gzip data
// decompresses to more than this many times its own size.
constexpr size_t kMaxGzipExpansion = 1032;

// zlib's words for a bad gzip trailer, with the field they mean.
std::string Describe(const char* zlib_message) {
  if (std::strcmp(zlib_message, "incorrect data check") == 0) {
    return "incorrect data check (CRC-32 mismatch)";
  }
  if (std::strcmp(zlib_message, "incorrect length check") == 0) {
    return "incorrect length check (length mismatch)";
  }
  return zlib_message;
}

uint32_t ReadLittleEndian32(const char* p) {
  const auto* b = reinterpret_cast<const unsigned char*>(p);
  return static_cast<uint32_t>(b[0]) | (static_cast<uint32_t>(b[1]) << 8) |
         (static_cast<uint32_t>(b[2]) << 16) | (static_cast<uint32_t>(b[3]) << 24);
}

}  // namespace

bool HasGzipMagic(absl::string_view data) {
  return data.size() >= 2 && static_cast<uint8_t>(data[0]) == 0x1F &&
         static_cast<uint8_t>(data[1]) == 0x8B;
}

GzipReader::GzipReader(absl::string_view data)
    : data_(data), stream_(std::make_unique<z_stream_s>()) {
  std::memset(stream_.get(), 0, sizeof(z_stream_s));  // zalloc etc. null: zlib's defaults.
  status_ = StartMember(0);
}

GzipReader::~GzipReader() {
  if (stream_initialized_) inflateEnd(stream_.get());
}

size_t GzipReader::Position() const {
  return static_cast<size_t>(reinterpret_cast<const char*>(stream_->next_in) - data_.data());
}

absl::Status GzipReader::Fail(absl::string_view what) {
  status_ =
      absl::InvalidArgumentError(absl::StrCat("gzip: member at byte ", member_start_, ": ", what));
  return status_;
}

absl::Status GzipReader::StartMember(size_t offset) {
  member_start_ = offset;
  if (!HasGzipMagic(data_.substr(offset))) {
    return Fail(offset == 0 ? "not gzip data (no 1f 8b magic bytes)"
                            : "trailing bytes that are not a gzip member");
  }
  z_stream& stream = *stream_;
  // 16 + MAX_WBITS: a gzip wrapper (not zlib's own), any window size.
  const int result =
      stream_initialized_ ? inflateReset(&stream) : inflateInit2(&stream, 16 + MAX_WBITS);
  if (result != Z_OK) return Fail(stream.msg != nullptr ? stream.msg : zError(result));
  stream_initialized_ = true;
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data_.data() + offset));
  stream.avail_in = 0;  // Read hands over the input.
  return absl::OkStatus();
}

absl::StatusOr<size_t> GzipReader::Read(char* out, size_t size) {
  if (!status_.ok()) return status_;
  z_stream& stream = *stream_;
  size_t written = 0;
  while (written < size && !finished_) {
    if (stream.avail_in == 0) {
      stream.avail_in = static_cast<uInt>(std::min(data_.size() - Position(), kMaxPiece));
    }
    const uInt room = static_cast<uInt>(std::min(size - written, kMaxPiece));
    stream.next_out = reinterpret_cast<Bytef*>(out + written);
    stream.avail_out = room;
    const int result = inflate(&stream, Z_NO_FLUSH);
    written += room - stream.avail_out;
    if (result == Z_OK) continue;
    if (result == Z_STREAM_END) {
      // zlib checked the member's CRC-32 and length; another member may follow.
      if (Position() == data_.size()) {
        finished_ = true;
      } else {
        RETURN_IF_ERROR(StartMember(Position()));
      }
      continue;
    }
    // Each call gets all the input left (up to kMaxPiece), so no progress with none left means
    // the data ended too early.
    if (result == Z_BUF_ERROR && stream.avail_in == 0) {
      return Fail("truncated (the data ends inside the member)");
    }
    return Fail(stream.msg != nullptr ? Describe(stream.msg) : zError(result));
  }
  return written;
}

absl::StatusOr<std::string> Gunzip(absl::string_view data, size_t max_bytes) {
  GzipReader reader(data);
  // A single member's trailer ends with its size (mod 2^32): a good first guess, capped
  // because corrupt data may claim anything. One byte more lets the first Read see the end.
  size_t capacity = 4096;
  if (data.size() >= 4) {
    capacity = std::max<size_t>(capacity,
                                std::min<size_t>(ReadLittleEndian32(data.data() + data.size() - 4),
                                                 kMaxGzipExpansion * data.size()) +
                                    1);
  }
  // One byte past the cap is enough to tell that the data goes beyond it.
  const size_t max_capacity =
      max_bytes < std::numeric_limits<size_t>::max() ? max_bytes + 1 : max_bytes;
  std::string out(std::min(capacity, max_capacity), '\0');
  size_t size = 0;
  while (true) {
    ASSIGN_OR_RETURN(const size_t n, reader.Read(&out[size], out.size() - size));
    size += n;
    if (size < out.size()) break;
    if (size > max_bytes) {
      return absl::InvalidArgumentError(
          absl::StrCat("decompresses to more than the limit of ", ByteLimitText(max_bytes)));
    }
    out.resize(std::min(2 * out.size(), max_capacity));
  }
  out.resize(size);
  return out;
}

}  // namespace automl

#include "tasks/gzip_inflate.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace automl {
namespace {

// --- CRC-32 ---

std::array<uint32_t, 256> MakeCrcTable() {
  std::array<uint32_t, 256> table;
  for (uint32_t n = 0; n < 256; ++n) {
    uint32_t c = n;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
  return table;
}

// --- DEFLATE constants (RFC 1951, section 3.2.5) ---

constexpr int kMaxCodeLength = 15;
constexpr int kNumLitLenSymbols = 288;  // 286 and 287 take part in the code but never occur.
constexpr int kNumDistSymbols = 32;     // Likewise 30 and 31.
constexpr int kEndOfBlock = 256;

constexpr uint16_t kLengthBase[29] = {3,  4,  5,  6,   7,   8,   9,   10,  11, 13,
                                      15, 17, 19, 23,  27,  31,  35,  43,  51, 59,
                                      67, 83, 99, 115, 131, 163, 195, 227, 258};
constexpr uint8_t kLengthExtra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                      2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
constexpr uint16_t kDistBase[30] = {1,    2,    3,    4,    5,    7,    9,    13,    17,    25,
                                    33,   49,   65,   97,   129,  193,  257,  385,   513,   769,
                                    1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
constexpr uint8_t kDistExtra[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                    6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
// The order in which a dynamic block lists the code lengths of the code-length alphabet.
constexpr uint8_t kCodeLengthOrder[19] = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                          11, 4,  12, 3, 13, 2, 14, 1, 15};

// LSB-first bit reader over the input. Huffman codes are stored starting with their most
// significant bit, so table lookups use bit-reversed codes.
class BitReader {
 public:
  explicit BitReader(absl::string_view data)
      : data_(reinterpret_cast<const uint8_t*>(data.data())), size_(data.size()) {}

  // Keeps at least 57 bits buffered while input remains.
  void Refill() {
    while (count_ <= 56 && pos_ < size_) {
      buffer_ |= static_cast<uint64_t>(data_[pos_++]) << count_;
      count_ += 8;
    }
  }

  // Reads n <= 32 bits (first bit in the lowest position); false at the end of the input.
  bool Read(int n, uint32_t* value) {
    if (count_ < n) {
      Refill();
      if (count_ < n) return false;
    }
    *value = static_cast<uint32_t>(buffer_ & ((uint64_t{1} << n) - 1));
    buffer_ >>= n;
    count_ -= n;
    return true;
  }

  // The next n bits without consuming them, zero beyond the end of the input.
  uint32_t Peek(int n) {
    if (count_ < n) Refill();
    return static_cast<uint32_t>(buffer_ & ((uint64_t{1} << n) - 1));
  }
  int available() const { return count_; }
  void Skip(int n) {
    buffer_ >>= n;
    count_ -= n;
  }

  // Drops the bits up to the next byte boundary and returns the reader to byte mode: the next
  // bytes are data_[byte_position()...].
  void AlignToByte() {
    Skip(count_ % 8);
    pos_ -= count_ / 8;
    buffer_ = 0;
    count_ = 0;
  }
  size_t byte_position() const { return pos_; }
  void AdvanceBytes(size_t n) { pos_ += n; }
  const uint8_t* bytes() const { return data_; }
  size_t size() const { return size_; }

  // Input bytes used so far; a partly used byte counts.
  size_t consumed() const { return pos_ - static_cast<size_t>(count_ / 8); }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  uint64_t buffer_ = 0;
  int count_ = 0;
};

// A canonical Huffman code (RFC 1951, section 3.2.2). Codes up to kFastBits long decode with
// one table lookup; longer (rare) codes walk the canonical code length by length.
class HuffmanCode {
 public:
  static constexpr int kFastBits = 10;

  // Builds the code from per-symbol code lengths (0 = unused). False if the lengths
  // over-subscribe the code space. Incomplete codes are accepted (RFC 1951 allows a single
  // distance code); an unassigned bit pattern is reported when it is met.
  bool Build(const uint8_t* lengths, int num_symbols) {
    counts_.fill(0);
    for (int s = 0; s < num_symbols; ++s) ++counts_[lengths[s]];
    counts_[0] = 0;
    int left = 1;  // Code space left at the current length.
    for (int len = 1; len <= kMaxCodeLength; ++len) {
      left = 2 * left - counts_[len];
      if (left < 0) return false;
    }
    std::array<uint16_t, kMaxCodeLength + 2> offsets;
    offsets[1] = 0;
    for (int len = 1; len <= kMaxCodeLength; ++len) offsets[len + 1] = offsets[len] + counts_[len];
    for (int s = 0; s < num_symbols; ++s) {
      if (lengths[s] != 0) sorted_symbols_[offsets[lengths[s]]++] = static_cast<uint16_t>(s);
    }
    // Canonical codes: consecutive within a length, in symbol order (RFC 1951, 3.2.2 step 2).
    fast_.fill(0);
    uint32_t code = 0;
    int index = 0;
    for (int len = 1; len <= kMaxCodeLength; ++len) {
      for (int k = 0; k < counts_[len]; ++k, ++code, ++index) {
        if (len > kFastBits) continue;
        uint32_t reversed = 0;
        for (int b = 0; b < len; ++b) reversed |= ((code >> b) & 1u) << (len - 1 - b);
        const uint16_t entry = static_cast<uint16_t>((sorted_symbols_[index] << 4) | len);
        for (uint32_t r = reversed; r < (1u << kFastBits); r += 1u << len) fast_[r] = entry;
      }
      code <<= 1;
    }
    return true;
  }

  // The next symbol, or -1 for a bit pattern with no code, -2 if the input ends inside a code.
  int Decode(BitReader& in) const {
    const uint16_t entry = fast_[in.Peek(kFastBits)];
    if (entry != 0) {
      const int len = entry & 15;
      if (len > in.available()) return -2;
      in.Skip(len);
      return entry >> 4;
    }
    // Slow path: extend the code one bit at a time; `first` is the first code of each length.
    const uint32_t bits = in.Peek(kMaxCodeLength);
    int code = 0;
    int first = 0;
    int index = 0;
    for (int len = 1; len <= kMaxCodeLength; ++len) {
      code |= static_cast<int>((bits >> (len - 1)) & 1u);
      const int count = counts_[len];
      if (code - first < count) {
        if (len > in.available()) return -2;
        in.Skip(len);
        return sorted_symbols_[index + code - first];
      }
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    return kMaxCodeLength > in.available() ? -2 : -1;
  }

 private:
  std::array<uint16_t, kMaxCodeLength + 1> counts_;
  std::array<uint16_t, kNumLitLenSymbols> sorted_symbols_;
  std::array<uint16_t, 1 << kFastBits> fast_;
};

// The decoder of one DEFLATE stream; output grows in a string managed by hand, which is much
// faster than push_back in unoptimised (fastbuild) test builds.
class Inflater {
 public:
  Inflater(absl::string_view data, size_t size_hint) : in_(data) {
    out_.resize(size_hint > 0 ? size_hint : 4 * data.size() + 1024);
  }

  absl::Status Run() {
    bool final_block = false;
    while (!final_block) {
      uint32_t header;
      if (!in_.Read(3, &header)) return Truncated("a block header");
      final_block = (header & 1) != 0;
      absl::Status status;
      switch (header >> 1) {
        case 0:
          status = StoredBlock();
          break;
        case 1:
          status = FixedBlock();
          break;
        case 2:
          status = DynamicBlock();
          break;
        default:
          return Error("invalid block type 3");
      }
      if (!status.ok()) return status;
    }
    return absl::OkStatus();
  }

  std::string TakeOutput() {
    out_.resize(size_);
    return std::move(out_);
  }
  size_t consumed() const { return in_.consumed(); }

 private:
  absl::Status Error(absl::string_view what) const {
    return absl::InvalidArgumentError(
        absl::StrCat("deflate: ", what, " (input byte ", in_.consumed(), ")"));
  }
  absl::Status Truncated(absl::string_view inside) const {
    return absl::InvalidArgumentError(
        absl::StrCat("deflate: input ends inside ", inside, " (after ", in_.size(), " bytes)"));
  }

  char* Reserve(size_t n) {
    if (size_ + n > out_.size()) out_.resize(std::max(2 * out_.size(), size_ + n));
    return &out_[size_];
  }

  absl::Status StoredBlock() {
    in_.AlignToByte();
    const size_t pos = in_.byte_position();
    if (in_.size() - pos < 4) return Truncated("a stored block header");
    const uint8_t* p = in_.bytes() + pos;
    const uint32_t len = p[0] | (p[1] << 8);
    const uint32_t nlen = p[2] | (p[3] << 8);
    if ((len ^ 0xFFFFu) != nlen) {
      return Error(
          absl::StrFormat("stored block length %u does not match its complement %u", len, nlen));
    }
    in_.AdvanceBytes(4);
    if (in_.size() - in_.byte_position() < len) return Truncated("a stored block");
    std::memcpy(Reserve(len), in_.bytes() + in_.byte_position(), len);
    size_ += len;
    in_.AdvanceBytes(len);
    return absl::OkStatus();
  }

  absl::Status FixedBlock() {
    if (!fixed_built_) {
      uint8_t lengths[kNumLitLenSymbols];
      for (int s = 0; s < kNumLitLenSymbols; ++s) {
        lengths[s] = s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8;
      }
      fixed_lit_len_.Build(lengths, kNumLitLenSymbols);
      uint8_t dist_lengths[kNumDistSymbols];
      std::memset(dist_lengths, 5, sizeof(dist_lengths));
      fixed_dist_.Build(dist_lengths, kNumDistSymbols);
      fixed_built_ = true;
    }
    return Codes(fixed_lit_len_, fixed_dist_);
  }

  absl::Status DynamicBlock() {
    uint32_t hlit, hdist, hclen;
    if (!in_.Read(5, &hlit) || !in_.Read(5, &hdist) || !in_.Read(4, &hclen)) {
      return Truncated("a dynamic block header");
    }
    const int num_lit_len = static_cast<int>(hlit) + 257;
    const int num_dist = static_cast<int>(hdist) + 1;
    if (num_lit_len > 286 || num_dist > 30) {
      return Error(absl::StrCat("dynamic block declares ", num_lit_len,
                                " literal/length codes and ", num_dist,
                                " distance codes (at most 286 and 30)"));
    }
    uint8_t code_length_lengths[19] = {0};
    for (uint32_t k = 0; k < hclen + 4; ++k) {
      uint32_t len;
      if (!in_.Read(3, &len)) return Truncated("a dynamic block header");
      code_length_lengths[kCodeLengthOrder[k]] = static_cast<uint8_t>(len);
    }
    HuffmanCode code_length_code;
    if (!code_length_code.Build(code_length_lengths, 19)) {
      return Error("over-subscribed code-length code");
    }
    // Literal/length and distance lengths form one sequence: repeats may cross between them.
    uint8_t lengths[286 + 30];
    int n = 0;
    while (n < num_lit_len + num_dist) {
      const int symbol = code_length_code.Decode(in_);
      if (symbol == -2) return Truncated("the code lengths of a dynamic block");
      if (symbol < 0) return Error("invalid code-length code");
      if (symbol < 16) {
        lengths[n++] = static_cast<uint8_t>(symbol);
        continue;
      }
      uint32_t extra;
      int repeat;
      uint8_t value = 0;
      if (symbol == 16) {
        if (n == 0) return Error("code length repeat with no previous length");
        value = lengths[n - 1];
        if (!in_.Read(2, &extra)) return Truncated("the code lengths of a dynamic block");
        repeat = 3 + static_cast<int>(extra);
      } else if (symbol == 17) {
        if (!in_.Read(3, &extra)) return Truncated("the code lengths of a dynamic block");
        repeat = 3 + static_cast<int>(extra);
      } else {
        if (!in_.Read(7, &extra)) return Truncated("the code lengths of a dynamic block");
        repeat = 11 + static_cast<int>(extra);
      }
      if (n + repeat > num_lit_len + num_dist) {
        return Error("code length repeat runs past the declared number of codes");
      }
      std::memset(lengths + n, value, repeat);
      n += repeat;
    }
    if (lengths[kEndOfBlock] == 0) return Error("dynamic block has no end-of-block code");
    if (!lit_len_.Build(lengths, num_lit_len)) return Error("over-subscribed literal/length code");
    if (!dist_.Build(lengths + num_lit_len, num_dist)) {
      return Error("over-subscribed distance code");
    }
    return Codes(lit_len_, dist_);
  }

  // The compressed data of a Huffman block, up to and including its end-of-block code.
  absl::Status Codes(const HuffmanCode& lit_len, const HuffmanCode& dist) {
    while (true) {
      const int symbol = lit_len.Decode(in_);
      if (symbol < 256) {
        if (symbol == -2) return Truncated("compressed data");
        if (symbol < 0) return Error("invalid literal/length code");
        *Reserve(1) = static_cast<char>(symbol);
        ++size_;
        continue;
      }
      if (symbol == kEndOfBlock) return absl::OkStatus();
      const int length_index = symbol - 257;
      if (length_index >= 29) return Error(absl::StrCat("invalid length symbol ", symbol));
      uint32_t extra;
      if (!in_.Read(kLengthExtra[length_index], &extra)) return Truncated("compressed data");
      const size_t length = kLengthBase[length_index] + extra;
      const int dist_symbol = dist.Decode(in_);
      if (dist_symbol == -2) return Truncated("compressed data");
      if (dist_symbol < 0) return Error("invalid distance code");
      if (dist_symbol >= 30) return Error(absl::StrCat("invalid distance symbol ", dist_symbol));
      if (!in_.Read(kDistExtra[dist_symbol], &extra)) return Truncated("compressed data");
      const size_t distance = kDistBase[dist_symbol] + extra;
      if (distance > size_) {
        return Error(absl::StrCat("distance ", distance,
                                  " reaches before the start of the output (", size_, " bytes)"));
      }
      char* to = Reserve(length);
      const char* from = to - distance;
      if (distance >= length) {
        std::memcpy(to, from, length);
      } else {
        // Overlapping copy: bytes written earlier in this copy are read again (a run).
        for (size_t k = 0; k < length; ++k) to[k] = from[k];
      }
      size_ += length;
    }
  }

  BitReader in_;
  std::string out_;
  size_t size_ = 0;  // Bytes of out_ written.
  bool fixed_built_ = false;
  HuffmanCode fixed_lit_len_;
  HuffmanCode fixed_dist_;
  HuffmanCode lit_len_;
  HuffmanCode dist_;
};

uint32_t ReadLittleEndian32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
         (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}

// gzip header flags (RFC 1952, section 2.3.1).
constexpr uint8_t kFlagHeaderCrc = 1 << 1;
constexpr uint8_t kFlagExtra = 1 << 2;
constexpr uint8_t kFlagName = 1 << 3;
constexpr uint8_t kFlagComment = 1 << 4;
constexpr uint8_t kReservedFlags = 0xE0;

absl::Status GzipError(size_t member_start, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("gzip: member at byte ", member_start, ": ", what));
}

}  // namespace

uint32_t Crc32(absl::string_view data, uint32_t crc) {
  static const std::array<uint32_t, 256> table = MakeCrcTable();
  uint32_t c = ~crc;
  for (unsigned char byte : data) c = table[(c ^ byte) & 0xFF] ^ (c >> 8);
  return ~c;
}

bool HasGzipMagic(absl::string_view data) {
  return data.size() >= 2 && static_cast<uint8_t>(data[0]) == 0x1F &&
         static_cast<uint8_t>(data[1]) == 0x8B;
}

absl::StatusOr<std::string> InflateRaw(absl::string_view data, size_t* consumed, size_t size_hint) {
  // Heap-allocated: the Huffman tables are a few kilobytes.
  auto inflater = std::make_unique<Inflater>(data, size_hint);
  if (absl::Status s = inflater->Run(); !s.ok()) return s;
  if (consumed != nullptr) *consumed = inflater->consumed();
  return inflater->TakeOutput();
}

absl::StatusOr<std::string> Gunzip(absl::string_view data) {
  const uint8_t* bytes = reinterpret_cast<const uint8_t*>(data.data());
  std::string output;
  size_t pos = 0;
  do {
    const size_t start = pos;
    if (data.size() - pos < 10) {
      return GzipError(start, absl::StrCat("truncated header (", data.size() - pos, " bytes)"));
    }
    if (!HasGzipMagic(data.substr(pos))) {
      return GzipError(start, start == 0 ? "not gzip data (no 1f 8b magic bytes)"
                                         : "trailing bytes that are not a gzip member");
    }
    if (bytes[pos + 2] != 8) {
      return GzipError(start, absl::StrCat("unsupported compression method ", bytes[pos + 2],
                                           " (only 8, deflate, exists)"));
    }
    const uint8_t flags = bytes[pos + 3];
    if (flags & kReservedFlags) {
      return GzipError(start, absl::StrFormat("reserved header flags set (0x%02x)", flags));
    }
    pos += 10;  // Magic, method, flags, mtime, extra flags, OS.
    if (flags & kFlagExtra) {
      if (data.size() - pos < 2) return GzipError(start, "truncated extra field");
      const size_t extra_length = bytes[pos] | (bytes[pos + 1] << 8);
      if (data.size() - pos - 2 < extra_length) return GzipError(start, "truncated extra field");
      pos += 2 + extra_length;
    }
    for (uint8_t flag : {kFlagName, kFlagComment}) {
      if ((flags & flag) == 0) continue;
      const size_t end = data.find('\0', pos);
      if (end == absl::string_view::npos) {
        return GzipError(start,
                         flag == kFlagName ? "unterminated file name" : "unterminated comment");
      }
      pos = end + 1;
    }
    if (flags & kFlagHeaderCrc) {
      if (data.size() - pos < 2) return GzipError(start, "truncated header CRC");
      const uint32_t stored = bytes[pos] | (bytes[pos + 1] << 8);
      const uint32_t computed = Crc32(data.substr(start, pos - start)) & 0xFFFF;
      if (stored != computed) {
        return GzipError(start, absl::StrFormat("header CRC mismatch (stored 0x%04x, computed "
                                                "0x%04x)",
                                                stored, computed));
      }
      pos += 2;
    }
    // For a single member the last 4 bytes are its size (mod 2^32): a good reservation, capped
    // because corrupt input may claim anything (DEFLATE expands at most ~1032 times).
    size_t hint = data.size() >= 4 ? ReadLittleEndian32(bytes + data.size() - 4) : 0;
    if (hint > 1032 * (data.size() - pos) + 1024) hint = 0;
    size_t consumed = 0;
    absl::StatusOr<std::string> member = InflateRaw(data.substr(pos), &consumed, hint);
    if (!member.ok()) return GzipError(start, member.status().message());
    pos += consumed;
    if (data.size() - pos < 8) {
      return GzipError(start, absl::StrCat("truncated trailer (", data.size() - pos,
                                           " of 8 bytes after the compressed data)"));
    }
    const uint32_t stored_crc = ReadLittleEndian32(bytes + pos);
    const uint32_t stored_size = ReadLittleEndian32(bytes + pos + 4);
    const uint32_t crc = Crc32(*member);
    if (stored_crc != crc) {
      return GzipError(start, absl::StrFormat("CRC-32 mismatch (stored 0x%08x, computed 0x%08x)",
                                              stored_crc, crc));
    }
    if (stored_size != static_cast<uint32_t>(member->size())) {
      return GzipError(start, absl::StrCat("length mismatch (trailer says ", stored_size,
                                           " bytes mod 2^32, decoded ", member->size(), ")"));
    }
    pos += 8;
    if (output.empty()) {
      output = *std::move(member);
    } else {
      output += *member;
    }
  } while (pos < data.size());
  return output;
}

}  // namespace automl

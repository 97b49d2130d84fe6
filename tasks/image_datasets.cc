#include "tasks/image_datasets.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <mutex>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "instructions/file_util.h"
#include "instructions/status_macros.h"
#include "tasks/gzip_reader.h"

namespace automl {
namespace {

constexpr int kCifarImageValues = 3 * 32 * 32;
constexpr int kCifarRecordSize = 1 + kCifarImageValues;
// MNIST, Fashion-MNIST and CIFAR-10 all have ten classes; a label beyond them is a damaged
// file, and would otherwise silently add classes (the class count is the largest label + 1).
constexpr int kNumImageClasses = 10;
constexpr uint8_t kIdxUnsignedByte = 0x08;
// Large enough for the biggest Fashion-MNIST file (47 MB) in one piece.
constexpr size_t kFirstIdxChunk = size_t{64} << 20;

absl::Status WithPrefix(const absl::Status& status, absl::string_view prefix) {
  return absl::Status(status.code(), absl::StrCat(prefix, status.message()));
}

// `dir`/`name`, or `dir`/`name`.gz if only that exists.
absl::StatusOr<std::string> FindIdxFile(const std::string& dir, const std::string& name) {
  const std::filesystem::path plain = std::filesystem::path(dir) / name;
  const std::filesystem::path gz = std::filesystem::path(dir) / (name + ".gz");
  std::error_code error;
  if (std::filesystem::is_regular_file(plain, error)) return plain.string();
  if (std::filesystem::is_regular_file(gz, error)) return gz.string();
  return absl::NotFoundError(
      absl::StrCat("IDX dataset ", dir, ": neither ", name, " nor ", name, ".gz exists"));
}

absl::Status CheckDirectory(const std::string& dir) {
  std::error_code error;
  if (dir.empty()) return absl::InvalidArgumentError("dataset directory is empty");
  if (!std::filesystem::exists(dir, error)) {
    return absl::NotFoundError(absl::StrCat("dataset directory ", dir, " does not exist"));
  }
  if (!std::filesystem::is_directory(dir, error)) {
    return absl::InvalidArgumentError(absl::StrCat("dataset path ", dir, " is not a directory"));
  }
  return absl::OkStatus();
}

int MaxLabel(const ImageSet& set) {
  return set.labels.empty() ? -1 : *std::max_element(set.labels.begin(), set.labels.end());
}

absl::Status IdxError(const std::string& name, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(name, ": ", what));
}

// `actual` is a count, or "more" where the rest of a gzip stream was not inflated.
absl::Status IdxSizeError(const std::string& name, uint64_t promised, absl::string_view actual,
                          bool truncated) {
  return IdxError(name, absl::StrCat("IDX header promises ", promised, " values but the file has ",
                                     actual, truncated ? " (truncated)" : " (extra bytes)"));
}

struct IdxHeader {
  std::vector<int> dims;
  uint64_t num_values = 1;  // The product of dims.
  size_t size = 0;          // Bytes of the header.
};

size_t IdxHeaderSize(int dims) { return 4 + 4 * static_cast<size_t>(dims); }

// The header at the start of `bytes`, which may hold the data after it too.
absl::StatusOr<IdxHeader> ParseIdxHeader(absl::string_view bytes, int expected_dims,
                                         const std::string& name) {
  const uint8_t* p = reinterpret_cast<const uint8_t*>(bytes.data());
  if (bytes.size() < 4) return IdxError(name, "too short for an IDX header");
  if (p[0] != 0 || p[1] != 0) {
    return IdxError(name, absl::StrFormat("not an IDX file (magic bytes %02x %02x, expected 00 00)",
                                          p[0], p[1]));
  }
  if (p[2] != kIdxUnsignedByte) {
    return IdxError(name, absl::StrFormat("IDX element type 0x%02x is not supported (only 0x08, "
                                          "unsigned byte)",
                                          p[2]));
  }
  if (p[3] != expected_dims) {
    return IdxError(name,
                    absl::StrCat("IDX file has ", p[3], " dimensions, expected ", expected_dims));
  }
  IdxHeader header;
  header.size = IdxHeaderSize(expected_dims);
  if (bytes.size() < header.size) return IdxError(name, "truncated IDX header");
  for (int d = 0; d < expected_dims; ++d) {
    const uint8_t* q = p + 4 + 4 * d;
    const uint32_t size = (static_cast<uint32_t>(q[0]) << 24) |
                          (static_cast<uint32_t>(q[1]) << 16) | (static_cast<uint32_t>(q[2]) << 8) |
                          q[3];
    if (size == 0 || size > (1u << 30)) {
      return IdxError(name, absl::StrCat("IDX dimension ", d, " has size ", size));
    }
    header.dims.push_back(static_cast<int>(size));
    header.num_values *= size;
    // The data of a gzip'd file is inflated as it is declared: without this cap a header
    // could claim more than memory holds.
    if (header.num_values > kMaxDataFileBytes) {
      return IdxError(name, absl::StrCat("IDX dimensions declare more than the limit of ",
                                         ByteLimitText(kMaxDataFileBytes), " of data"));
    }
  }
  return header;
}

// A gzip-compressed IDX file: inflates the header, then the data it declares and not a byte
// more, so a stream that goes on beyond it is an error rather than memory spent.
absl::StatusOr<std::vector<int>> InflateIdx(absl::string_view compressed, int expected_dims,
                                            const std::string& path, std::vector<uint8_t>* values) {
  GzipReader gzip(compressed);
  auto read = [&gzip, &path](char* out, size_t size) -> absl::StatusOr<size_t> {
    absl::StatusOr<size_t> n = gzip.Read(out, size);
    if (!n.ok()) return WithPrefix(n.status(), absl::StrCat(path, ": "));
    return n;
  };
  std::string header_bytes(IdxHeaderSize(expected_dims), '\0');
  ASSIGN_OR_RETURN(const size_t header_size, read(header_bytes.data(), header_bytes.size()));
  header_bytes.resize(header_size);
  ASSIGN_OR_RETURN(const IdxHeader header, ParseIdxHeader(header_bytes, expected_dims, path));
  // The vector grows as data arrives, so a header that claims gigabytes costs no more memory
  // than the stream actually holds (at most twice that).
  size_t num_values = 0;
  while (num_values < header.num_values) {
    values->resize(
        std::min<uint64_t>(header.num_values, std::max<size_t>(kFirstIdxChunk, 2 * num_values)));
    ASSIGN_OR_RETURN(const size_t n, read(reinterpret_cast<char*>(values->data()) + num_values,
                                          values->size() - num_values));
    num_values += n;
    if (num_values < values->size()) break;  // The end of the data.
  }
  if (num_values < header.num_values) {
    return IdxSizeError(path, header.num_values, absl::StrCat(num_values), /*truncated=*/true);
  }
  // Reaching the end also checks the trailers' CRC-32 and length.
  char extra;
  ASSIGN_OR_RETURN(const size_t num_extra, read(&extra, 1));
  if (num_extra > 0) return IdxSizeError(path, header.num_values, "more", /*truncated=*/false);
  return header.dims;
}

// Reads an IDX file of unsigned bytes, plain or gzip-compressed.
absl::StatusOr<std::vector<int>> ReadIdxFile(const std::string& path, int expected_dims,
                                             std::vector<uint8_t>* values) {
  ASSIGN_OR_RETURN(const std::string bytes, ReadFileToString(path, "IDX file", kMaxDataFileBytes));
  if (HasGzipMagic(bytes)) return InflateIdx(bytes, expected_dims, path, values);
  return ParseIdx(bytes, expected_dims, path, values);
}

}  // namespace

absl::StatusOr<std::string> ReadMaybeGzippedFile(const std::string& path, const char* what) {
  ASSIGN_OR_RETURN(std::string bytes, ReadFileToString(path, what, kMaxDataFileBytes));
  if (!HasGzipMagic(bytes)) return bytes;
  absl::StatusOr<std::string> decoded = Gunzip(bytes, kMaxDataFileBytes);
  if (!decoded.ok()) return WithPrefix(decoded.status(), absl::StrCat(path, ": "));
  return decoded;
}

absl::StatusOr<std::vector<int>> ParseIdx(absl::string_view bytes, int expected_dims,
                                          const std::string& name, std::vector<uint8_t>* values) {
  ASSIGN_OR_RETURN(const IdxHeader header, ParseIdxHeader(bytes, expected_dims, name));
  const uint64_t data_size = bytes.size() - header.size;
  if (data_size != header.num_values) {
    return IdxSizeError(name, header.num_values, absl::StrCat(data_size),
                        /*truncated=*/data_size < header.num_values);
  }
  values->assign(bytes.begin() + header.size, bytes.end());
  return header.dims;
}

absl::StatusOr<ImageSet> ReadIdxImageSet(const std::string& images_path,
                                         const std::string& labels_path) {
  ImageSet set;
  ASSIGN_OR_RETURN(const std::vector<int> image_dims,
                   ReadIdxFile(images_path, /*expected_dims=*/3, &set.pixels));
  ASSIGN_OR_RETURN(const std::vector<int> label_dims,
                   ReadIdxFile(labels_path, /*expected_dims=*/1, &set.labels));
  for (size_t i = 0; i < set.labels.size(); ++i) {
    if (set.labels[i] >= kNumImageClasses) {
      return absl::InvalidArgumentError(absl::StrCat(labels_path, ": label ", i, " is ",
                                                     static_cast<int>(set.labels[i]),
                                                     " (IDX labels are 0..9)"));
    }
  }
  set.num_images = image_dims[0];
  set.values_per_image = image_dims[1] * image_dims[2];
  if (label_dims[0] != set.num_images) {
    return absl::InvalidArgumentError(absl::StrCat(labels_path, " has ", label_dims[0],
                                                   " labels but ", images_path, " has ",
                                                   set.num_images, " images"));
  }
  return set;
}

absl::StatusOr<ImageSet> ReadCifar10Batches(const std::vector<std::string>& paths) {
  ImageSet set;
  set.values_per_image = kCifarImageValues;
  for (const std::string& path : paths) {
    ASSIGN_OR_RETURN(const std::string bytes, ReadMaybeGzippedFile(path, "CIFAR-10 batch file"));
    if (bytes.empty() || bytes.size() % kCifarRecordSize != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": size ", bytes.size(), " is not a positive multiple of the ",
                       kCifarRecordSize, "-byte CIFAR-10 record (1 label + 3072 pixel bytes)"));
    }
    const int records = static_cast<int>(bytes.size() / kCifarRecordSize);
    const uint8_t* p = reinterpret_cast<const uint8_t*>(bytes.data());
    set.pixels.reserve(set.pixels.size() + static_cast<size_t>(records) * kCifarImageValues);
    for (int r = 0; r < records; ++r, p += kCifarRecordSize) {
      if (p[0] >= kNumImageClasses) {
        return absl::InvalidArgumentError(
            absl::StrCat(path, ": record ", r, " has label ", p[0], " (CIFAR-10 labels are 0..9)"));
      }
      set.labels.push_back(p[0]);
      set.pixels.insert(set.pixels.end(), p + 1, p + kCifarRecordSize);
    }
    set.num_images += records;
  }
  return set;
}

absl::StatusOr<ImageDataset> LoadImageDataset(ImageDatasetFormat format, const std::string& dir) {
  RETURN_IF_ERROR(CheckDirectory(dir));
  ImageDataset dataset;
  if (format == ImageDatasetFormat::kIdx) {
    dataset.description = absl::StrCat("IDX dataset ", dir);
    std::string paths[4];
    const char* names[4] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};
    for (int k = 0; k < 4; ++k) {
      ASSIGN_OR_RETURN(paths[k], FindIdxFile(dir, names[k]));
    }
    ASSIGN_OR_RETURN(dataset.train, ReadIdxImageSet(paths[0], paths[1]));
    ASSIGN_OR_RETURN(dataset.test, ReadIdxImageSet(paths[2], paths[3]));
  } else {
    dataset.description = absl::StrCat("CIFAR-10 dataset ", dir);
    std::vector<std::string> train_paths;
    for (int k = 1; k <= 5; ++k) {
      train_paths.push_back(
          (std::filesystem::path(dir) / absl::StrCat("data_batch_", k, ".bin")).string());
    }
    ASSIGN_OR_RETURN(dataset.train, ReadCifar10Batches(train_paths));
    ASSIGN_OR_RETURN(dataset.test, ReadCifar10Batches(
                                       {(std::filesystem::path(dir) / "test_batch.bin").string()}));
  }
  if (dataset.train.values_per_image != dataset.test.values_per_image) {
    return absl::InvalidArgumentError(
        absl::StrCat(dataset.description, ": training images have ", dataset.train.values_per_image,
                     " values but test images have ", dataset.test.values_per_image));
  }
  dataset.num_classes = std::max(MaxLabel(dataset.train), MaxLabel(dataset.test)) + 1;
  return dataset;
}

absl::StatusOr<std::shared_ptr<const ImageDataset>> LoadImageDatasetCached(
    ImageDatasetFormat format, const std::string& dir) {
  static auto* mutex = new std::mutex;
  static auto* cache =
      new std::map<std::pair<int, std::string>, std::shared_ptr<const ImageDataset>>;
  // One lock for everything: a second thread asking for the same dataset waits for the first
  // decode instead of repeating it.
  std::lock_guard<std::mutex> lock(*mutex);
  const std::pair<int, std::string> key(static_cast<int>(format), dir);
  const auto it = cache->find(key);
  if (it != cache->end()) return it->second;
  ASSIGN_OR_RETURN(ImageDataset dataset, LoadImageDataset(format, dir));
  auto shared = std::make_shared<const ImageDataset>(std::move(dataset));
  cache->emplace(key, shared);
  return shared;
}

}  // namespace automl

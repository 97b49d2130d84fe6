#include "tasks/image_datasets.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "tasks/gzip_inflate.h"

namespace automl {
namespace {

constexpr int kCifarImageValues = 3 * 32 * 32;
constexpr int kCifarRecordSize = 1 + kCifarImageValues;
constexpr int kCifarNumClasses = 10;
constexpr uint8_t kIdxUnsignedByte = 0x08;

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

}  // namespace

absl::StatusOr<std::string> ReadMaybeGzippedFile(const std::string& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    return absl::InvalidArgumentError(absl::StrCat(path, " is a directory, not a file"));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad() || contents.bad()) {
    return absl::DataLossError(absl::StrCat("cannot read ", path));
  }
  std::string bytes = std::move(contents).str();
  if (!HasGzipMagic(bytes)) return bytes;
  absl::StatusOr<std::string> decoded = Gunzip(bytes);
  if (!decoded.ok()) return WithPrefix(decoded.status(), absl::StrCat(path, ": "));
  return decoded;
}

absl::StatusOr<std::vector<int>> ParseIdx(absl::string_view bytes, int expected_dims,
                                          const std::string& name, std::vector<uint8_t>* values) {
  auto error = [&name](absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": ", what));
  };
  const uint8_t* p = reinterpret_cast<const uint8_t*>(bytes.data());
  if (bytes.size() < 4) return error("too short for an IDX header");
  if (p[0] != 0 || p[1] != 0) {
    return error(
        absl::StrFormat("not an IDX file (magic bytes %02x %02x, expected 00 00)", p[0], p[1]));
  }
  if (p[2] != kIdxUnsignedByte) {
    return error(
        absl::StrFormat("IDX element type 0x%02x is not supported (only 0x08, unsigned "
                        "byte)",
                        p[2]));
  }
  if (p[3] != expected_dims) {
    return error(absl::StrCat("IDX file has ", p[3], " dimensions, expected ", expected_dims));
  }
  const size_t header = 4 + 4 * static_cast<size_t>(expected_dims);
  if (bytes.size() < header) return error("truncated IDX header");
  std::vector<int> dims;
  uint64_t count = 1;
  for (int d = 0; d < expected_dims; ++d) {
    const uint8_t* q = p + 4 + 4 * d;
    const uint32_t size = (static_cast<uint32_t>(q[0]) << 24) |
                          (static_cast<uint32_t>(q[1]) << 16) | (static_cast<uint32_t>(q[2]) << 8) |
                          q[3];
    if (size == 0 || size > (1u << 30)) {
      return error(absl::StrCat("IDX dimension ", d, " has size ", size));
    }
    dims.push_back(static_cast<int>(size));
    count *= size;
    if (count > (uint64_t{1} << 34)) return error("IDX dimensions are implausibly large");
  }
  const uint64_t data_size = bytes.size() - header;
  if (data_size != count) {
    return error(absl::StrCat("IDX header promises ", count, " values but the file has ", data_size,
                              data_size < count ? " (truncated)" : " (extra bytes)"));
  }
  values->assign(p + header, p + bytes.size());
  return dims;
}

absl::StatusOr<ImageSet> ReadIdxImageSet(const std::string& images_path,
                                         const std::string& labels_path) {
  ImageSet set;
  absl::StatusOr<std::string> image_bytes = ReadMaybeGzippedFile(images_path);
  if (!image_bytes.ok()) return image_bytes.status();
  absl::StatusOr<std::vector<int>> image_dims =
      ParseIdx(*image_bytes, /*expected_dims=*/3, images_path, &set.pixels);
  if (!image_dims.ok()) return image_dims.status();
  image_bytes->clear();
  image_bytes->shrink_to_fit();

  absl::StatusOr<std::string> label_bytes = ReadMaybeGzippedFile(labels_path);
  if (!label_bytes.ok()) return label_bytes.status();
  absl::StatusOr<std::vector<int>> label_dims =
      ParseIdx(*label_bytes, /*expected_dims=*/1, labels_path, &set.labels);
  if (!label_dims.ok()) return label_dims.status();

  set.num_images = (*image_dims)[0];
  set.values_per_image = (*image_dims)[1] * (*image_dims)[2];
  if ((*label_dims)[0] != set.num_images) {
    return absl::InvalidArgumentError(absl::StrCat(labels_path, " has ", (*label_dims)[0],
                                                   " labels but ", images_path, " has ",
                                                   set.num_images, " images"));
  }
  return set;
}

absl::StatusOr<ImageSet> ReadCifar10Batches(const std::vector<std::string>& paths) {
  ImageSet set;
  set.values_per_image = kCifarImageValues;
  for (const std::string& path : paths) {
    absl::StatusOr<std::string> bytes = ReadMaybeGzippedFile(path);
    if (!bytes.ok()) return bytes.status();
    if (bytes->empty() || bytes->size() % kCifarRecordSize != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": size ", bytes->size(), " is not a positive multiple of the ",
                       kCifarRecordSize, "-byte CIFAR-10 record (1 label + 3072 pixel bytes)"));
    }
    const int records = static_cast<int>(bytes->size() / kCifarRecordSize);
    const uint8_t* p = reinterpret_cast<const uint8_t*>(bytes->data());
    set.pixels.reserve(set.pixels.size() + static_cast<size_t>(records) * kCifarImageValues);
    for (int r = 0; r < records; ++r, p += kCifarRecordSize) {
      if (p[0] >= kCifarNumClasses) {
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
  if (absl::Status s = CheckDirectory(dir); !s.ok()) return s;
  ImageDataset dataset;
  if (format == ImageDatasetFormat::kIdx) {
    dataset.description = absl::StrCat("IDX dataset ", dir);
    std::string paths[4];
    const char* names[4] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};
    for (int k = 0; k < 4; ++k) {
      absl::StatusOr<std::string> path = FindIdxFile(dir, names[k]);
      if (!path.ok()) return path.status();
      paths[k] = *path;
    }
    absl::StatusOr<ImageSet> train = ReadIdxImageSet(paths[0], paths[1]);
    if (!train.ok()) return train.status();
    absl::StatusOr<ImageSet> test = ReadIdxImageSet(paths[2], paths[3]);
    if (!test.ok()) return test.status();
    dataset.train = *std::move(train);
    dataset.test = *std::move(test);
  } else {
    dataset.description = absl::StrCat("CIFAR-10 dataset ", dir);
    std::vector<std::string> train_paths;
    for (int k = 1; k <= 5; ++k) {
      train_paths.push_back(
          (std::filesystem::path(dir) / absl::StrCat("data_batch_", k, ".bin")).string());
    }
    absl::StatusOr<ImageSet> train = ReadCifar10Batches(train_paths);
    if (!train.ok()) return train.status();
    absl::StatusOr<ImageSet> test =
        ReadCifar10Batches({(std::filesystem::path(dir) / "test_batch.bin").string()});
    if (!test.ok()) return test.status();
    dataset.train = *std::move(train);
    dataset.test = *std::move(test);
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
  absl::StatusOr<ImageDataset> dataset = LoadImageDataset(format, dir);
  if (!dataset.ok()) return dataset.status();
  auto shared = std::make_shared<const ImageDataset>(*std::move(dataset));
  cache->emplace(key, shared);
  return shared;
}

}  // namespace automl

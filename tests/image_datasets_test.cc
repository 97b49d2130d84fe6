// Tests of the IDX and CIFAR-10 readers (tasks/image_datasets.h) on small files this test
// writes to TEST_TMPDIR (plain and gzip-compressed with stored blocks), their errors on missing
// and malformed files, and on the real Fashion-MNIST files where dataset-fashion-mnist is
// installed.
#include "tasks/image_datasets.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tasks/gzip_inflate.h"
#include "tests/test_util.h"

namespace automl {
namespace {

using ::testing::HasSubstr;

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  ASSERT_TRUE(out.good()) << path;
}

void AppendBigEndian32(uint32_t value, std::string& out) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(value >> shift));
}

// An IDX file of unsigned bytes.
std::string Idx(const std::vector<uint32_t>& dims, const std::vector<uint8_t>& values) {
  std::string out = {0, 0, 0x08, static_cast<char>(dims.size())};
  for (uint32_t d : dims) AppendBigEndian32(d, out);
  out.append(values.begin(), values.end());
  return out;
}

// gzip with stored (uncompressed) DEFLATE blocks: enough to exercise the readers' gzip path
// without a compressor.
std::string GzipStored(const std::string& data) {
  std::string out = {'\x1f', '\x8b', 8, 0, 0, 0, 0, 0, 0, '\xff'};
  size_t pos = 0;
  do {
    const size_t length = std::min<size_t>(65535, data.size() - pos);
    const bool final_block = pos + length == data.size();
    out.push_back(final_block ? 1 : 0);
    out.push_back(static_cast<char>(length & 0xFF));
    out.push_back(static_cast<char>(length >> 8));
    out.push_back(static_cast<char>(~length & 0xFF));
    out.push_back(static_cast<char>((~length >> 8) & 0xFF));
    out.append(data, pos, length);
    pos += length;
  } while (pos < data.size());
  const uint32_t crc = Crc32(data);
  const uint32_t size = static_cast<uint32_t>(data.size());
  for (uint32_t word : {crc, size}) {
    for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<char>(word >> shift));
  }
  return out;
}

// n images of rows x cols with pixel (i, k) = (first + i) * 10 + k, labels i % 3.
void MakeIdxPair(int n, int rows, int cols, int first, std::string* images, std::string* labels) {
  std::vector<uint8_t> pixels;
  std::vector<uint8_t> label_values;
  for (int i = 0; i < n; ++i) {
    for (int k = 0; k < rows * cols; ++k)
      pixels.push_back(static_cast<uint8_t>((first + i) * 10 + k));
    label_values.push_back(static_cast<uint8_t>(i % 3));
  }
  *images = Idx(
      {static_cast<uint32_t>(n), static_cast<uint32_t>(rows), static_cast<uint32_t>(cols)}, pixels);
  *labels = Idx({static_cast<uint32_t>(n)}, label_values);
}

// A complete IDX dataset directory; the training files are gzip-compressed when `gzip_train`.
std::string MakeIdxDir(const std::string& name, bool gzip_train) {
  const std::string dir = FreshTempDir("image_datasets_test_" + name);
  std::string images, labels;
  MakeIdxPair(4, 2, 3, 0, &images, &labels);
  if (gzip_train) {
    WriteFile(dir + "/train-images-idx3-ubyte.gz", GzipStored(images));
    WriteFile(dir + "/train-labels-idx1-ubyte.gz", GzipStored(labels));
  } else {
    WriteFile(dir + "/train-images-idx3-ubyte", images);
    WriteFile(dir + "/train-labels-idx1-ubyte", labels);
  }
  MakeIdxPair(2, 2, 3, 20, &images, &labels);
  WriteFile(dir + "/t10k-images-idx3-ubyte", images);
  WriteFile(dir + "/t10k-labels-idx1-ubyte", labels);
  return dir;
}

TEST(IdxTest, ReadsPlainAndGzippedFiles) {
  for (bool gzip_train : {false, true}) {
    const std::string dir = MakeIdxDir(gzip_train ? "gz" : "plain", gzip_train);
    absl::StatusOr<ImageDataset> dataset = LoadImageDataset(ImageDatasetFormat::kIdx, dir);
    ASSERT_TRUE(dataset.ok()) << dataset.status();
    EXPECT_EQ(dataset->train.num_images, 4);
    EXPECT_EQ(dataset->train.values_per_image, 6);
    EXPECT_EQ(dataset->test.num_images, 2);
    EXPECT_EQ(dataset->num_classes, 3);
    EXPECT_EQ(dataset->train.image(3)[5], 35);
    EXPECT_EQ(dataset->test.image(1)[2], 212);
    EXPECT_EQ(dataset->train.labels, (std::vector<uint8_t>{0, 1, 2, 0}));
    EXPECT_EQ(dataset->test.labels, (std::vector<uint8_t>{0, 1}));
  }
}

TEST(IdxTest, ParseErrorsNameTheProblem) {
  std::vector<uint8_t> values;
  const std::string good = Idx({2, 1, 2}, {1, 2, 3, 4});
  EXPECT_TRUE(ParseIdx(good, 3, "f", &values).ok());
  EXPECT_EQ(values, (std::vector<uint8_t>{1, 2, 3, 4}));

  auto error = [&values](const std::string& bytes, int dims) {
    return std::string(ParseIdx(bytes, dims, "file.idx", &values).status().message());
  };
  EXPECT_THAT(error("ab", 3), HasSubstr("file.idx: too short"));
  EXPECT_THAT(error(std::string("\x01\x00\x08\x03", 4) + good.substr(4), 3),
              HasSubstr("not an IDX file"));
  std::string floats = good;
  floats[2] = 0x0D;
  EXPECT_THAT(error(floats, 3), HasSubstr("element type 0x0d is not supported"));
  EXPECT_THAT(error(good, 1), HasSubstr("has 3 dimensions, expected 1"));
  EXPECT_THAT(error(good.substr(0, 10), 3), HasSubstr("truncated IDX header"));
  EXPECT_THAT(error(good.substr(0, good.size() - 1), 3),
              HasSubstr("promises 4 values but the file has 3 (truncated)"));
  EXPECT_THAT(error(good + "x", 3), HasSubstr("(extra bytes)"));
  EXPECT_THAT(error(Idx({0, 1, 2}, {}), 3), HasSubstr("dimension 0 has size 0"));
}

TEST(IdxTest, DirectoryErrors) {
  EXPECT_THAT(LoadImageDataset(ImageDatasetFormat::kIdx, "/nonexistent/dir").status().message(),
              HasSubstr("dataset directory /nonexistent/dir does not exist"));

  const std::string dir = MakeIdxDir("missing", false);
  std::filesystem::remove(dir + "/t10k-labels-idx1-ubyte");
  EXPECT_THAT(LoadImageDataset(ImageDatasetFormat::kIdx, dir).status().message(),
              HasSubstr("neither t10k-labels-idx1-ubyte nor t10k-labels-idx1-ubyte.gz exists"));

  // Labels for 3 images next to a file of 2 images.
  std::string images, labels;
  MakeIdxPair(3, 2, 3, 0, &images, &labels);
  WriteFile(dir + "/t10k-labels-idx1-ubyte", labels);
  EXPECT_THAT(LoadImageDataset(ImageDatasetFormat::kIdx, dir).status().message(),
              HasSubstr("has 3 labels but"));

  // A corrupt gzip file: the error names the path and the gzip problem.
  const std::string gz_dir = MakeIdxDir("corrupt_gz", true);
  const std::string path = gz_dir + "/train-labels-idx1-ubyte.gz";
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  bytes[bytes.size() - 6] ^= 1;  // Inside the CRC-32.
  WriteFile(path, bytes);
  const std::string message(LoadImageDataset(ImageDatasetFormat::kIdx, gz_dir).status().message());
  EXPECT_THAT(message, HasSubstr(path));
  EXPECT_THAT(message, HasSubstr("CRC-32 mismatch"));
}

// One CIFAR-10 record: label, then 3072 pixel bytes (value = seed + k mod 256).
std::string CifarRecord(uint8_t label, int seed) {
  std::string record(1, static_cast<char>(label));
  for (int k = 0; k < 3072; ++k) record.push_back(static_cast<char>((seed + k) % 256));
  return record;
}

std::string MakeCifarDir(const std::string& name) {
  const std::string dir = FreshTempDir("image_datasets_test_" + name);
  for (int batch = 1; batch <= 5; ++batch) {
    WriteFile(absl::StrCat(dir, "/data_batch_", batch, ".bin"),
              CifarRecord(batch, 10 * batch) + CifarRecord(9, 10 * batch + 1));
  }
  WriteFile(dir + "/test_batch.bin",
            CifarRecord(0, 100) + CifarRecord(4, 101) + CifarRecord(7, 102));
  return dir;
}

TEST(Cifar10Test, ReadsBatchesInOrder) {
  const std::string dir = MakeCifarDir("cifar");
  absl::StatusOr<ImageDataset> dataset = LoadImageDataset(ImageDatasetFormat::kCifar10, dir);
  ASSERT_TRUE(dataset.ok()) << dataset.status();
  EXPECT_EQ(dataset->train.num_images, 10);
  EXPECT_EQ(dataset->test.num_images, 3);
  EXPECT_EQ(dataset->train.values_per_image, 3072);
  EXPECT_EQ(dataset->num_classes, 10);
  EXPECT_EQ(dataset->train.labels, (std::vector<uint8_t>{1, 9, 2, 9, 3, 9, 4, 9, 5, 9}));
  EXPECT_EQ(dataset->test.labels, (std::vector<uint8_t>{0, 4, 7}));
  EXPECT_EQ(dataset->train.image(3)[0], 21);  // Batch 2, record 2.
  EXPECT_EQ(dataset->train.image(3)[3071], (21 + 3071) % 256);
  EXPECT_EQ(dataset->test.image(2)[1024], (102 + 1024) % 256);  // First green value.
}

TEST(Cifar10Test, Errors) {
  const std::string dir = MakeCifarDir("cifar_errors");
  std::filesystem::remove(dir + "/data_batch_4.bin");
  EXPECT_THAT(LoadImageDataset(ImageDatasetFormat::kCifar10, dir).status().message(),
              HasSubstr("cannot open " + dir + "/data_batch_4.bin"));

  WriteFile(dir + "/data_batch_4.bin", CifarRecord(1, 0) + "xyz");
  EXPECT_THAT(LoadImageDataset(ImageDatasetFormat::kCifar10, dir).status().message(),
              HasSubstr("data_batch_4.bin: size 3076 is not a positive multiple of the 3073-byte"));

  WriteFile(dir + "/data_batch_4.bin", CifarRecord(1, 0) + CifarRecord(10, 0));
  EXPECT_THAT(LoadImageDataset(ImageDatasetFormat::kCifar10, dir).status().message(),
              HasSubstr("data_batch_4.bin: record 1 has label 10"));

  WriteFile(dir + "/data_batch_4.bin", "");
  EXPECT_THAT(LoadImageDataset(ImageDatasetFormat::kCifar10, dir).status().message(),
              HasSubstr("size 0 is not a positive multiple"));
}

TEST(ImageDatasetCacheTest, DecodesOncePerDirectory) {
  const std::string dir = MakeIdxDir("cache", true);
  absl::StatusOr<std::shared_ptr<const ImageDataset>> first =
      LoadImageDatasetCached(ImageDatasetFormat::kIdx, dir);
  ASSERT_TRUE(first.ok()) << first.status();
  // Deleting the files proves the second call does not read them again.
  std::filesystem::remove_all(dir);
  absl::StatusOr<std::shared_ptr<const ImageDataset>> second =
      LoadImageDatasetCached(ImageDatasetFormat::kIdx, dir);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(first->get(), second->get());
  // A failed load is not cached.
  EXPECT_FALSE(LoadImageDatasetCached(ImageDatasetFormat::kIdx, dir + "_other").ok());
}

TEST(FashionMnistTest, RealFiles) {
  std::error_code error;
  if (!std::filesystem::exists(std::string(kDefaultFashionMnistDir) + "/t10k-labels-idx1-ubyte.gz",
                               error)) {
    GTEST_SKIP() << "dataset-fashion-mnist not installed";
  }
  absl::StatusOr<std::shared_ptr<const ImageDataset>> dataset =
      LoadImageDatasetCached(ImageDatasetFormat::kIdx, kDefaultFashionMnistDir);
  ASSERT_TRUE(dataset.ok()) << dataset.status();
  const ImageDataset& d = **dataset;
  EXPECT_EQ(d.train.num_images, 60000);
  EXPECT_EQ(d.test.num_images, 10000);
  EXPECT_EQ(d.train.values_per_image, 784);
  EXPECT_EQ(d.num_classes, 10);
  // Values checked with python3's gzip module.
  EXPECT_EQ(std::vector<uint8_t>(d.train.labels.begin(), d.train.labels.begin() + 4),
            (std::vector<uint8_t>{9, 0, 0, 3}));
  int first_image_sum = 0;
  for (int k = 0; k < 784; ++k) first_image_sum += d.train.image(0)[k];
  EXPECT_EQ(first_image_sum, 76247);
  std::vector<int> per_class(10, 0);
  for (uint8_t label : d.train.labels) ++per_class[label];
  EXPECT_EQ(per_class, std::vector<int>(10, 6000));
}

}  // namespace
}  // namespace automl

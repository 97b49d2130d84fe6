// Tests of the IDX and CIFAR-10 readers (tasks/image_datasets.h) on small files this test
// writes to TEST_TMPDIR (plain and gzip-compressed with zlib), their errors on missing and
// malformed files, the gzip decompression under them (tasks/gzip_reader.h) on corrupt and
// truncated data, and the real Fashion-MNIST files where dataset-fashion-mnist is installed.
#include "tasks/image_datasets.h"

#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tasks/gzip_reader.h"
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

// `data` gzip-compressed by zlib; `header` (optional) fills the optional header fields.
std::string Gzip(const std::string& data, gz_header* header = nullptr) {
  z_stream stream = {};
  EXPECT_EQ(
      deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
      Z_OK);
  if (header != nullptr) {
    EXPECT_EQ(deflateSetHeader(&stream, header), Z_OK);
  }
  std::string out(deflateBound(&stream, data.size()) + 1024, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
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
    WriteFile(dir + "/train-images-idx3-ubyte.gz", Gzip(images));
    WriteFile(dir + "/train-labels-idx1-ubyte.gz", Gzip(labels));
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
              HasSubstr("cannot open CIFAR-10 batch file '" + dir + "/data_batch_4.bin'"));

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

// --- gzip (tasks/gzip_reader.h), moved from the tests of the former hand-written inflater ---

// 700 words picked by a 64-bit LCG: compresses with dynamic Huffman blocks and matches.
std::string WordsText() {
  const char* words[] = {"the",  "quick", "brown",   "fox",     "jumps", "over",
                         "lazy", "dog",   "deflate", "huffman", "block", "code"};
  uint64_t state = 1;
  std::string text;
  for (int i = 0; i < 700; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    text += words[(state >> 33) % 12];
    text += ((state >> 20) % 8 == 0) ? '\n' : ' ';
  }
  return text;
}

std::string GunzipError(const std::string& data) {
  absl::StatusOr<std::string> out = Gunzip(data);
  EXPECT_FALSE(out.ok());
  return std::string(out.status().message());
}

TEST(GunzipTest, DecodesWhatZlibWrote) {
  absl::StatusOr<std::string> out = Gunzip(Gzip(WordsText()));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, WordsText());
  EXPECT_EQ(Gunzip(Gzip(WordsText()), 100).status().message(),
            "decompresses to more than the limit of 100 bytes");
  out = Gunzip(Gzip(""));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, "");
}

TEST(GunzipTest, ConcatenatedMembers) {
  absl::StatusOr<std::string> out = Gunzip(Gzip("first member, ") + Gzip("second member"));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, "first member, second member");
}

TEST(GunzipTest, ExtraFieldNameCommentAndHeaderCrc) {
  std::string extra = "ab\x02\x00xy";  // One subfield "ab" of 2 bytes.
  gz_header header = {};
  header.extra = reinterpret_cast<Bytef*>(extra.data());
  header.extra_len = static_cast<uInt>(extra.size());
  header.name = reinterpret_cast<Bytef*>(const_cast<char*>("words.txt"));
  header.comment = reinterpret_cast<Bytef*>(const_cast<char*>("a comment"));
  header.hcrc = 1;
  std::string data = Gzip("all optional header fields", &header);
  absl::StatusOr<std::string> out = Gunzip(data);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, "all optional header fields");

  const size_t comment = data.find("a comment");
  ASSERT_NE(comment, std::string::npos);
  data[comment] = 'A';
  EXPECT_THAT(GunzipError(data), HasSubstr("header crc mismatch"));
}

TEST(GunzipTest, BadCrcAndLengthInTrailer) {
  const std::string good = Gzip(WordsText());
  std::string data = good;
  data[data.size() - 8] ^= 0x01;  // First byte of the stored CRC-32.
  EXPECT_THAT(GunzipError(data), HasSubstr("CRC-32 mismatch"));
  data = good;
  data[data.size() - 4] ^= 0x01;  // First byte of the stored length.
  EXPECT_THAT(GunzipError(data), HasSubstr("length mismatch"));
}

TEST(GunzipTest, EveryTruncationIsAnError) {
  const std::string full = Gzip(WordsText());
  for (size_t length = 2; length < full.size(); ++length) {
    EXPECT_THAT(GunzipError(full.substr(0, length)), HasSubstr("truncated")) << length;
  }
  EXPECT_THAT(GunzipError(""), HasSubstr("not gzip data"));
}

TEST(GunzipTest, NotGzipAndTrailingGarbage) {
  EXPECT_THAT(GunzipError("plain text, not gzip"), HasSubstr("not gzip data"));
  const std::string two_members = Gzip("first member, ") + Gzip("second member");
  EXPECT_THAT(GunzipError(two_members + "junk after the members"),
              HasSubstr("trailing bytes that are not a gzip member"));
}

TEST(GunzipTest, UnsupportedMethodAndReservedFlags) {
  const std::string data = Gzip(WordsText());
  std::string method = data;
  method[2] = 7;
  EXPECT_THAT(GunzipError(method), HasSubstr("unknown compression method"));
  std::string flags = data;
  flags[3] |= 0x80;
  EXPECT_THAT(GunzipError(flags), HasSubstr("unknown header flags set"));
}

TEST(GunzipTest, EveryCorruptedByteAfterTheHeaderIsDetected) {
  const std::string original = Gzip(WordsText());
  for (size_t pos = 10; pos < original.size(); ++pos) {  // 10: the header without options.
    std::string data = original;
    data[pos] ^= 0x5A;
    EXPECT_FALSE(Gunzip(data).ok()) << "byte " << pos;
  }
}

// A corrupt or truncated .gz file: one error line naming the file and what zlib reported.
TEST(GzipFileTest, CorruptAndTruncatedFilesNameTheFileAndTheProblem) {
  const std::string dir = MakeIdxDir("bad_gz_files", true);
  const std::string path = dir + "/train-images-idx3-ubyte.gz";
  std::ifstream in(path, std::ios::binary);
  const std::string good((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  struct Case {
    std::string bytes;
    std::string expected;
  };
  std::string bad_block = good;
  bad_block[10] = '\x07';  // First block header: BFINAL 1, BTYPE 11 (reserved).
  const Case cases[] = {
      {good.substr(0, good.size() - 3), "truncated"},
      {good.substr(0, 6), "truncated"},
      {bad_block, "invalid block type"},
      {good + "junk", "trailing bytes that are not a gzip member"},
  };
  for (const Case& c : cases) {
    WriteFile(path, c.bytes);
    const absl::Status status = LoadImageDataset(ImageDatasetFormat::kIdx, dir).status();
    const std::string message(status.message());
    EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
    EXPECT_THAT(message, HasSubstr(path + ": gzip: "));
    EXPECT_THAT(message, HasSubstr(c.expected));
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
  // CIFAR-10 batch files may be gzip-compressed too; the same errors apply.
  const std::string cifar = MakeCifarDir("bad_gz_cifar");
  WriteFile(cifar + "/test_batch.bin", Gzip(CifarRecord(1, 0)).substr(0, 20));
  EXPECT_THAT(LoadImageDataset(ImageDatasetFormat::kCifar10, cifar).status().message(),
              HasSubstr(cifar + "/test_batch.bin: gzip: member at byte 0: truncated"));
}

// A gzip IDX file is inflated as far as its header declares: a stream with more data is an
// error, and a header claiming far more than the stream holds only reads what is there.
TEST(GzipFileTest, IdxDataMustMatchTheHeader) {
  const std::string dir = MakeIdxDir("idx_gz_sizes", true);
  const std::string path = dir + "/train-labels-idx1-ubyte.gz";
  const std::vector<uint8_t> labels = {0, 1, 2, 0};
  WriteFile(path, Gzip(Idx({4}, labels) + "x"));
  EXPECT_THAT(LoadImageDataset(ImageDatasetFormat::kIdx, dir).status().message(),
              HasSubstr("promises 4 values but the file has more (extra bytes)"));
  WriteFile(path, Gzip(Idx({4}, labels).substr(0, 10)));
  EXPECT_THAT(LoadImageDataset(ImageDatasetFormat::kIdx, dir).status().message(),
              HasSubstr("promises 4 values but the file has 2 (truncated)"));
  WriteFile(path, Gzip(Idx({1u << 30}, labels)));
  EXPECT_THAT(LoadImageDataset(ImageDatasetFormat::kIdx, dir).status().message(),
              HasSubstr("promises 1073741824 values but the file has 4 (truncated)"));
  // Split into two gzip members: still one file.
  const std::string idx = Idx({4}, labels);
  WriteFile(path, Gzip(idx.substr(0, 6)) + Gzip(idx.substr(6)));
  absl::StatusOr<ImageDataset> dataset = LoadImageDataset(ImageDatasetFormat::kIdx, dir);
  ASSERT_TRUE(dataset.ok()) << dataset.status();
  EXPECT_EQ(dataset->train.labels, labels);
}

// The data an IDX header declares is capped (instructions/file_util.h kMaxDataFileBytes), so
// that a gzip'd file cannot make the reader inflate more than that.
TEST(GzipFileTest, IdxHeaderSizeIsCapped) {
  const std::string dir = MakeIdxDir("idx_gz_cap", true);
  WriteFile(dir + "/train-images-idx3-ubyte.gz", Gzip(Idx({2048, 2048, 1024}, {})));
  EXPECT_THAT(LoadImageDataset(ImageDatasetFormat::kIdx, dir).status().message(),
              HasSubstr("IDX dimensions declare more than the limit of 2048 MiB of data"));
}

// The real files Debian's dataset-fashion-mnist installs: large dynamic-Huffman streams.
TEST(GzipFileTest, FashionMnistFiles) {
  const std::string dir = std::string(kDefaultFashionMnistDir) + "/";
  std::error_code error;
  if (!std::filesystem::exists(dir + "t10k-images-idx3-ubyte.gz", error)) {
    GTEST_SKIP() << "dataset-fashion-mnist not installed";
  }
  absl::StatusOr<std::string> out =
      ReadMaybeGzippedFile(dir + "t10k-labels-idx1-ubyte.gz", "IDX file");
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 10008u);
  EXPECT_EQ(out->substr(0, 8), std::string("\x00\x00\x08\x01\x00\x00\x27\x10", 8));
  EXPECT_EQ(out->substr(8, 10), std::string("\x09\x02\x01\x01\x06\x01\x04\x06\x05\x07", 10));

  out = ReadMaybeGzippedFile(dir + "t10k-images-idx3-ubyte.gz", "IDX file");
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 7840016u);
  // python3: zlib.crc32(gzip.open(...).read())
  EXPECT_EQ(crc32(0, reinterpret_cast<const Bytef*>(out->data()), out->size()), 0x678FE0B1u);
  uint64_t sum = 0;
  for (size_t i = 16; i < out->size(); ++i) sum += static_cast<unsigned char>((*out)[i]);
  EXPECT_EQ(sum, 573469082u);
}

}  // namespace
}  // namespace automl

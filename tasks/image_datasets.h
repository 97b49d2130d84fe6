// Readers for labelled image datasets on disk: the IDX format of MNIST and Fashion-MNIST
// (optionally gzip-compressed, as Debian ships Fashion-MNIST) and the binary format of
// CIFAR-10. The projected binary classification task family (projected_binary_classification.cc)
// builds its tasks from these. A process decodes each dataset once: LoadImageDatasetCached
// keeps it in memory, so that generating many tasks (45 class pairs, select and final sets)
// costs one decode.
#ifndef TASKS_IMAGE_DATASETS_H_
#define TASKS_IMAGE_DATASETS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace automl {

// Images with one byte per pixel value, image after image; a CIFAR-10 image is its 1024 red,
// then 1024 green, then 1024 blue values.
struct ImageSet {
  int num_images = 0;
  int values_per_image = 0;  // rows x cols (x 3 for colour).
  std::vector<uint8_t> pixels;
  std::vector<uint8_t> labels;

  const uint8_t* image(int i) const {
    return pixels.data() + static_cast<size_t>(i) * values_per_image;
  }
};

// A dataset's training and test images. num_classes is one more than the largest label (10 for
// the supported datasets).
struct ImageDataset {
  std::string description;  // e.g. "IDX dataset /usr/share/datasets/fashion-mnist".
  ImageSet train;
  ImageSet test;
  int num_classes = 0;
};

enum class ImageDatasetFormat {
  // A directory with train-images-idx3-ubyte, train-labels-idx1-ubyte,
  // t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, each possibly with a ".gz" suffix.
  kIdx,
  // A directory with data_batch_1.bin ... data_batch_5.bin and test_batch.bin, as in
  // cifar-10-binary.tar.gz ("cifar-10-batches-bin").
  kCifar10,
};

// Where Debian's dataset-fashion-mnist package puts the files.
inline constexpr char kDefaultFashionMnistDir[] = "/usr/share/datasets/fashion-mnist";

// The whole file; gzip data (recognised by its magic bytes) is decompressed. `what` names the
// file's role (see ReadFileToString); errors name the path.
absl::StatusOr<std::string> ReadMaybeGzippedFile(const std::string& path, const char* what);

// Parses the bytes of an IDX file of unsigned bytes with `expected_dims` dimensions (3 for
// images, 1 for labels); `name` is used in errors. Returns the dimensions; `values` receives the
// data.
absl::StatusOr<std::vector<int>> ParseIdx(absl::string_view bytes, int expected_dims,
                                          const std::string& name, std::vector<uint8_t>* values);

// Reads an IDX image file and its label file; the counts must agree. Gzip-compressed files are
// inflated only as far as their header declares: data beyond it is an error.
absl::StatusOr<ImageSet> ReadIdxImageSet(const std::string& images_path,
                                         const std::string& labels_path);

// Reads CIFAR-10 binary batch files (records of 1 label byte and 3072 pixel bytes),
// concatenated in the given order.
absl::StatusOr<ImageSet> ReadCifar10Batches(const std::vector<std::string>& paths);

// Reads a whole dataset directory (see ImageDatasetFormat) and checks that both splits have
// the same image size and labels below 256.
absl::StatusOr<ImageDataset> LoadImageDataset(ImageDatasetFormat format, const std::string& dir);

// LoadImageDataset, decoded once per process and (format, dir) and shared read-only from then
// on; thread-safe. Failed loads are not cached (the files may appear later).
absl::StatusOr<std::shared_ptr<const ImageDataset>> LoadImageDatasetCached(
    ImageDatasetFormat format, const std::string& dir);

}  // namespace automl

#endif  // TASKS_IMAGE_DATASETS_H_

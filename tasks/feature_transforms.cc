#include "tasks/feature_transforms.h"

#include <cmath>
#include <cstddef>

#include "instructions/random.h"

namespace automl {
namespace {

// F is a template parameter for the executor's sizes, which keeps the accumulators in
// registers instead of storing them after every input (profiled on Fashion-MNIST: the
// store-to-load chain dominated); kDynamic handles any other size.
constexpr int kDynamic = 0;

template <int kF, typename T>
void ProjectRow(const T* x, int num_inputs, const double* matrix, int f, double* out) {
  constexpr int kBuffer = kF == kDynamic ? 1 : kF;
  double fixed_acc[kBuffer] = {};
  double* acc = kF == kDynamic ? out : fixed_acc;
  const int width = kF == kDynamic ? f : kF;
  if (kF == kDynamic) {
    for (int k = 0; k < width; ++k) out[k] = 0.0;
  }
  for (int v = 0; v < num_inputs; ++v) {
    if (x[v] == 0) continue;  // Roughly half of a Fashion-MNIST image is background.
    const double value = x[v];
    const double* row = matrix + static_cast<size_t>(v) * width;
#pragma omp simd
    for (int k = 0; k < width; ++k) acc[k] += row[k] * value;
  }
  if (kF != kDynamic) {
    for (int k = 0; k < width; ++k) out[k] = acc[k];
  }
}

template <typename T>
auto RowProjectorFor(int f) {
  return f == 2    ? &ProjectRow<2, T>
         : f == 4  ? &ProjectRow<4, T>
         : f == 8  ? &ProjectRow<8, T>
         : f == 16 ? &ProjectRow<16, T>
         : f == 32 ? &ProjectRow<32, T>
                   : &ProjectRow<kDynamic, T>;
}

// For each column k, the sum over the train rows, in order, of (x - mean[k])^2. Both loops
// add in the same order, but GCC at -O3 -march=native fuses d * d + sum into an FMA in one and
// not (or only for some rows) in the other, which moves the last bits; each family keeps the
// loop its tasks have always been generated with. A plain build fuses neither.
std::vector<double> SquaredDeviationSums(const std::vector<double>& train, size_t w,
                                         const std::vector<double>& mean, bool row_major) {
  const size_t n = train.size() / w;
  std::vector<double> sums(w, 0.0);
  if (row_major) {
    for (size_t i = 0; i < n; ++i) {
      for (size_t k = 0; k < w; ++k) {
        const double d = train[i * w + k] - mean[k];
        sums[k] += d * d;
      }
    }
    return sums;
  }
  for (size_t k = 0; k < w; ++k) {
    double sum = 0.0;
    for (size_t i = 0; i < n; ++i) {
      const double d = train[i * w + k] - mean[k];
      sum += d * d;
    }
    sums[k] = sum;
  }
  return sums;
}

}  // namespace

GaussianProjection::GaussianProjection(int num_inputs, int num_outputs, uint64_t seed)
    : num_inputs_(num_inputs),
      num_outputs_(num_outputs),
      matrix_(static_cast<size_t>(num_inputs) * num_outputs),
      project_bytes_(RowProjectorFor<uint8_t>(num_outputs)),
      project_doubles_(RowProjectorFor<double>(num_outputs)) {
  Rng rng(seed);
  for (double& w : matrix_) w = rng.Gaussian(0.0, 1.0);
}

void StandardizeColumns(const std::vector<std::vector<double>*>& splits, int width,
                        const StandardizeOptions& options) {
  const std::vector<double>& train = *splits[0];
  const size_t w = static_cast<size_t>(width);
  const size_t n = train.size() / w;
  std::vector<double> mean(w, 0.0);
  std::vector<char> constant(w, 1);
  for (size_t i = 0; i < n; ++i) {
    for (size_t k = 0; k < w; ++k) {
      mean[k] += train[i * w + k];
      constant[k] = constant[k] && train[i * w + k] == train[k];
    }
  }
  for (size_t k = 0; k < w; ++k) {
    mean[k] =
        options.exact_constant_mean && constant[k] ? train[k] : mean[k] / static_cast<double>(n);
  }
  std::vector<double> scale = SquaredDeviationSums(train, w, mean, options.row_major_variance);
  for (size_t k = 0; k < w; ++k) {
    const double stddev = std::sqrt(scale[k] / static_cast<double>(n));
    // !(stddev > min) also catches a variance that underflowed or is NaN.
    scale[k] = stddev > options.min_stddev ? 1.0 / stddev : 1.0;
  }
  for (std::vector<double>* values : splits) {
    for (size_t i = 0; i < values->size(); i += w) {
      for (size_t k = 0; k < w; ++k) (*values)[i + k] = ((*values)[i + k] - mean[k]) * scale[k];
    }
  }
}

}  // namespace automl

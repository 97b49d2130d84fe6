#include "tests/test_util.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "instructions/random.h"

namespace automl {

std::string TempPath(const std::string& name) { return ::testing::TempDir() + name; }

std::string FreshTempDir(const std::string& name) {
  const std::string dir = TempPath(name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::string ReadBytes(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << bytes;
}

double Mean(const std::vector<double>& values, int width, int column) {
  double sum = 0.0;
  const size_t n = values.size() / width;
  for (size_t i = 0; i < n; ++i) sum += values[i * width + column];
  return sum / n;
}

double StdDev(const std::vector<double>& values, int width, int column) {
  const double mean = Mean(values, width, column);
  double sum = 0.0;
  const size_t n = values.size() / width;
  for (size_t i = 0; i < n; ++i) {
    const double deviation = values[i * width + column] - mean;
    sum += deviation * deviation;
  }
  return std::sqrt(sum / n);
}

Instruction Ins(Op op, int out, int in1, int in2, double data0, double data1) {
  Instruction ins;
  ins.op = op;
  ins.out = static_cast<uint8_t>(out);
  ins.in1 = static_cast<uint8_t>(in1);
  ins.in2 = static_cast<uint8_t>(in2);
  ins.data0 = data0;
  ins.data1 = data1;
  return ins;
}

Dataset RandomLinearDataset(int feature_size, int num_train, int num_valid, int num_test,
                            uint64_t seed, EvalType eval_type, int num_epochs) {
  Dataset dataset;
  dataset.name = "linear";
  dataset.feature_size = feature_size;
  dataset.eval_type = eval_type;
  dataset.num_epochs = num_epochs;
  dataset.data_seed = seed;
  Rng rng(seed);
  std::vector<double> w(feature_size);
  for (double& value : w) value = rng.Gaussian(0.0, 1.0);
  for (auto [split, count] :
       {std::pair{&dataset.train, num_train}, std::pair{&dataset.valid, num_valid},
        std::pair{&dataset.test, num_test}}) {
    for (int i = 0; i < count; ++i) {
      double y = 0.0;
      for (int k = 0; k < feature_size; ++k) {
        const double x = rng.Gaussian(0.0, 1.0);
        split->features.push_back(x);
        y += w[k] * x;
      }
      split->labels.push_back(eval_type == EvalType::kAccuracy ? (y > 0 ? 1.0 : 0.0) : y);
    }
  }
  return dataset;
}

}  // namespace automl

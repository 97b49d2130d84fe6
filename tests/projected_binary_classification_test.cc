// Tests of the projected binary classification task family: the class pair choice and held-out
// pairs, the splits' origin (train/valid from the training images without overlap, test from
// the test images), labels, standardisation, determinism and errors, on small IDX datasets
// written to TEST_TMPDIR; and, where dataset-fashion-mnist is installed, that logistic
// regression learns real Fashion-MNIST tasks.
#include "tasks/projected_binary_classification.h"

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "executor/dataset.h"
#include "executor/executor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "instructions/standard_programs.h"
#include "tasks/task_registry.h"
#include "tests/test_util.h"

namespace automl {
namespace {

using ::testing::HasSubstr;

constexpr int kPixels = 12;  // 3 x 4 images.

void WriteIdx(const std::string& path, const std::vector<uint32_t>& dims,
              const std::vector<uint8_t>& values) {
  std::string bytes = {0, 0, 0x08, static_cast<char>(dims.size())};
  for (uint32_t d : dims) {
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<char>(d >> shift));
  }
  bytes.append(values.begin(), values.end());
  WriteBytes(path, bytes);
}

// An IDX dataset of `num_classes` classes with `per_class` training and `test_per_class` test
// images each. pixel(class, index, k, is_test) gives the pixel values.
template <typename PixelFn>
std::string MakeDataset(const std::string& name, int num_classes, int per_class, int test_per_class,
                        PixelFn pixel) {
  const std::string dir = FreshTempDir("projected_test_" + name);
  for (bool is_test : {false, true}) {
    const int n = is_test ? test_per_class : per_class;
    std::vector<uint8_t> pixels;
    std::vector<uint8_t> labels;
    // Classes interleaved, as in the real files.
    for (int i = 0; i < n; ++i) {
      for (int c = 0; c < num_classes; ++c) {
        for (int k = 0; k < kPixels; ++k) pixels.push_back(pixel(c, i, k, is_test));
        labels.push_back(static_cast<uint8_t>(c));
      }
    }
    const std::string prefix = dir + (is_test ? "/t10k" : "/train");
    const uint32_t count = static_cast<uint32_t>(n * num_classes);
    WriteIdx(prefix + "-images-idx3-ubyte", {count, 3, 4}, pixels);
    WriteIdx(prefix + "-labels-idx1-ubyte", {count}, labels);
  }
  return dir;
}

// Every image of a class is the same flat image, brighter for higher classes; test images are
// much brighter than training images.
const std::string& ConstantDataset() {
  static const std::string* dir =
      new std::string(MakeDataset("constant", 4, 40, 10, [](int c, int, int, bool is_test) {
        return (is_test ? 200 : 10) + 10 * c;
      }));
  return *dir;
}

// Every image differs from every other.
const std::string& UniqueDataset() {
  static const std::string* dir =
      new std::string(MakeDataset("unique", 4, 40, 10, [](int c, int i, int k, bool is_test) {
        return (c * 53 + i * 7 + k * k * 3 + (is_test ? 1 : 0) + (k == i % kPixels ? 90 : 0)) % 256;
      }));
  return *dir;
}

TaskSpec SyntheticSpec(const std::string& dir, const std::string& family_fields, int num_train = 50,
                       int num_valid = 20, int num_test = 15) {
  return ParseTextOrDie<TaskSpec>(
      absl::StrCat("feature_size: 4 num_train_examples: ", num_train,
                   " num_valid_examples: ", num_valid, " num_test_examples: ", num_test,
                   " projected_binary_classification { dataset: IDX data_dir: '", dir, "' ",
                   family_fields, " }"));
}

std::vector<double> Row(const DataSplit& split, int i, int f) {
  return std::vector<double>(split.features.begin() + i * f, split.features.begin() + (i + 1) * f);
}

TEST(ProjectedPairChoiceTest, HeldOutPairsAreNeverChosenAndAllOthersAre) {
  ProjectedBinaryClassificationSpec spec;
  for (auto [a, b] : {std::pair{0, 1}, std::pair{3, 2}}) {
    auto* pair = spec.add_held_out_pairs();
    pair->set_a(a);
    pair->set_b(b);
  }
  std::map<std::pair<int, int>, int> ordered_counts;
  for (uint64_t seed = 1; seed <= 400; ++seed) {
    absl::StatusOr<ClassPairChoice> c = ProjectedTaskClasses(spec, 4, seed);
    ASSERT_TRUE(c.ok()) << c.status();
    ASSERT_NE(c->positive, c->negative);
    ++ordered_counts[{c->positive, c->negative}];
  }
  // 4 classes: 6 pairs, 2 held out, 4 left, each in both orientations.
  EXPECT_EQ(ordered_counts.size(), 8u);
  for (const auto& [pair, count] : ordered_counts) {
    const std::set<int> classes = {pair.first, pair.second};
    EXPECT_NE(classes, (std::set<int>{0, 1}));
    EXPECT_NE(classes, (std::set<int>{2, 3}));
    EXPECT_GT(count, 25);  // Expected 50 each.
  }

  spec.set_only_held_out_pairs(true);
  std::set<std::set<int>> chosen;
  for (uint64_t seed = 1; seed <= 100; ++seed) {
    absl::StatusOr<ClassPairChoice> c = ProjectedTaskClasses(spec, 4, seed);
    ASSERT_TRUE(c.ok()) << c.status();
    chosen.insert({c->positive, c->negative});
  }
  EXPECT_EQ(chosen, (std::set<std::set<int>>{{0, 1}, {2, 3}}));

  // Deterministic in the seed.
  EXPECT_EQ(ProjectedTaskClasses(spec, 4, 77)->positive,
            ProjectedTaskClasses(spec, 4, 77)->positive);
}

TEST(ProjectedPairChoiceTest, ExplicitPairAndErrors) {
  ProjectedBinaryClassificationSpec spec;
  spec.set_positive_class(3);
  spec.set_negative_class(1);
  for (uint64_t seed : {1, 2, 3}) {
    absl::StatusOr<ClassPairChoice> c = ProjectedTaskClasses(spec, 10, seed);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->positive, 3);
    EXPECT_EQ(c->negative, 1);
  }
  EXPECT_THAT(ProjectedTaskClasses(spec, 3, 1).status().message(),
              HasSubstr("positive_class is 3 but the dataset has only 3 classes"));

  ProjectedBinaryClassificationSpec all_held_out;
  auto* pair = all_held_out.add_held_out_pairs();
  pair->set_a(0);
  pair->set_b(1);
  EXPECT_THAT(ProjectedTaskClasses(all_held_out, 2, 1).status().message(),
              HasSubstr("leave no pair"));
  EXPECT_THAT(ProjectedTaskClasses(all_held_out, 1, 1).status().message(),
              HasSubstr("held_out_pairs[0].b is 1"));
}

// Feature size 4 takes the projection's fixed-size path, 3 its generic one.
class ProjectedTaskTest : public ::testing::TestWithParam<int> {};

TEST_P(ProjectedTaskTest, SplitSizesLabelsAndOrigins) {
  const int f = GetParam();
  TaskSpec spec = SyntheticSpec(ConstantDataset(), "positive_class: 2 negative_class: 1");
  spec.set_feature_size(f);
  absl::StatusOr<std::vector<Dataset>> tasks = GenerateTasks(spec);
  ASSERT_TRUE(tasks.ok()) << tasks.status();
  ASSERT_EQ(tasks->size(), 1u);
  const Dataset& d = (*tasks)[0];
  EXPECT_EQ(d.eval_type, EvalType::kAccuracy);
  EXPECT_EQ(d.train.size(), 50);
  EXPECT_EQ(d.valid.size(), 20);
  EXPECT_EQ(d.test.size(), 15);

  // All images of a class are equal, so the label must determine the feature row.
  std::map<double, std::vector<double>> row_of_label;
  for (const DataSplit* split : {&d.train, &d.valid}) {
    for (int i = 0; i < split->size(); ++i) {
      const double label = split->labels[i];
      ASSERT_TRUE(label == 0.0 || label == 1.0);
      const std::vector<double> row = Row(*split, i, f);
      auto [it, inserted] = row_of_label.emplace(label, row);
      if (!inserted) {
        for (int k = 0; k < f; ++k) EXPECT_NEAR(row[k], it->second[k], 1e-9);
      }
      // Train and valid come from the training images: within two standard deviations.
      for (double x : row) EXPECT_LT(std::fabs(x), 2.5);
    }
  }
  ASSERT_EQ(row_of_label.size(), 2u);
  EXPECT_GT(std::fabs(row_of_label[0.0][0] - row_of_label[1.0][0]), 1.0);
  // Test images (190 levels brighter) are far outside the training distribution.
  for (int i = 0; i < d.test.size(); ++i) {
    for (double x : Row(d.test, i, f)) EXPECT_GT(std::fabs(x), 10.0);
  }

  // Swapping positive and negative flips every label and keeps the features.
  TaskSpec swapped = SyntheticSpec(ConstantDataset(), "positive_class: 1 negative_class: 2");
  swapped.set_feature_size(f);
  absl::StatusOr<std::vector<Dataset>> swapped_tasks = GenerateTasks(swapped);
  ASSERT_TRUE(swapped_tasks.ok()) << swapped_tasks.status();
  const Dataset& s = (*swapped_tasks)[0];
  EXPECT_EQ(s.train.features, d.train.features);
  for (int i = 0; i < d.train.size(); ++i) EXPECT_EQ(s.train.labels[i], 1.0 - d.train.labels[i]);
}

TEST_P(ProjectedTaskTest, TrainAndValidDisjointStandardisedAndDeterministic) {
  const int f = GetParam();
  TaskSpec spec = SyntheticSpec(UniqueDataset(), "", /*num_train=*/60, /*num_valid=*/20);
  spec.set_feature_size(f);
  spec.set_num_tasks(3);
  absl::StatusOr<std::vector<Dataset>> tasks = GenerateTasks(spec);
  ASSERT_TRUE(tasks.ok()) << tasks.status();
  absl::StatusOr<std::vector<Dataset>> again = GenerateTasks(spec);
  ASSERT_TRUE(again.ok()) << again.status();
  for (int t = 0; t < 3; ++t) {
    const Dataset& d = (*tasks)[t];
    EXPECT_EQ(d.train.features, (*again)[t].train.features);
    EXPECT_EQ(d.test.labels, (*again)[t].test.labels);

    std::set<std::vector<double>> train_rows;
    for (int i = 0; i < d.train.size(); ++i) train_rows.insert(Row(d.train, i, f));
    EXPECT_EQ(train_rows.size(), 60u);  // No image twice.
    for (int i = 0; i < d.valid.size(); ++i) EXPECT_EQ(train_rows.count(Row(d.valid, i, f)), 0u);

    for (int k = 0; k < f; ++k) {
      double sum = 0.0;
      double sum_squares = 0.0;
      for (int i = 0; i < d.train.size(); ++i) {
        sum += d.train.features[i * f + k];
        sum_squares += d.train.features[i * f + k] * d.train.features[i * f + k];
      }
      EXPECT_NEAR(sum / 60, 0.0, 1e-9);
      EXPECT_NEAR(sum_squares / 60, 1.0, 1e-9);
    }
    int positives = 0;
    for (double label : d.train.labels) positives += label == 1.0 ? 1 : 0;
    EXPECT_GT(positives, 15);
    EXPECT_LT(positives, 45);
  }
  // Different data seeds: different projections (and maybe pairs).
  EXPECT_NE((*tasks)[0].train.features, (*tasks)[1].train.features);
  EXPECT_NE((*tasks)[1].train.features, (*tasks)[2].train.features);
}

INSTANTIATE_TEST_SUITE_P(FeatureSizes, ProjectedTaskTest, ::testing::Values(3, 4));

TEST(ProjectedTaskErrorsTest, GenerationErrors) {
  // 2 classes x 40 training images = 80 < 70 + 20.
  absl::StatusOr<std::vector<Dataset>> tasks = GenerateTasks(SyntheticSpec(
      UniqueDataset(), "positive_class: 0 negative_class: 1", /*num_train=*/70, /*num_valid=*/20));
  EXPECT_THAT(tasks.status().message(),
              HasSubstr("num_train_examples + num_valid_examples (90) is more than the 80 "
                        "training images of classes 0 and 1"));
  tasks = GenerateTasks(
      SyntheticSpec(UniqueDataset(), "positive_class: 0 negative_class: 1", 50, 20, 21));
  EXPECT_THAT(tasks.status().message(),
              HasSubstr("num_test_examples (21) is more than the 20 test images"));
  tasks = GenerateTasks(SyntheticSpec(UniqueDataset(), "positive_class: 0 negative_class: 4"));
  EXPECT_THAT(tasks.status().message(),
              HasSubstr("negative_class is 4 but the dataset has only 4"));
  tasks = GenerateTasks(SyntheticSpec("/nonexistent/images", ""));
  EXPECT_THAT(tasks.status().message(), HasSubstr("/nonexistent/images does not exist"));
}

TEST(ProjectedTaskErrorsTest, SpecValidation) {
  auto error = [](const std::string& fields) {
    return std::string(ValidateTaskSpec(SyntheticSpec("/d", fields)).message());
  };
  EXPECT_TRUE(ValidateTaskSpec(SyntheticSpec("/d", "")).ok());
  EXPECT_THAT(error("positive_class: 1"),
              HasSubstr("projected_binary_classification.positive_class and negative_class must "
                        "be set together"));
  EXPECT_THAT(error("positive_class: 1 negative_class: 1"), HasSubstr("are both 1"));
  EXPECT_THAT(error("positive_class: -1 negative_class: 1"), HasSubstr("must not be negative"));
  EXPECT_THAT(error("positive_class: 0 negative_class: 1 held_out_pairs { a: 2 b: 3 }"),
              HasSubstr("cannot be used with an explicit"));
  EXPECT_THAT(error("held_out_pairs { a: 2 }"), HasSubstr("held_out_pairs[0] needs both a and b"));
  EXPECT_THAT(error("held_out_pairs { a: 2 b: 2 }"), HasSubstr("two different classes"));
  EXPECT_THAT(error("held_out_pairs { a: 2 b: 3 } held_out_pairs { a: 3 b: 2 }"),
              HasSubstr("held_out_pairs[1] (3, 2) is listed twice"));
  EXPECT_THAT(error("only_held_out_pairs: true"), HasSubstr("held_out_pairs is empty"));

  TaskSpec no_dir = SyntheticSpec("", "");
  no_dir.mutable_projected_binary_classification()->set_dataset(
      ProjectedBinaryClassificationSpec::CIFAR10);
  EXPECT_THAT(ValidateTaskSpec(no_dir).message(), HasSubstr("data_dir is required for dataset "
                                                            "CIFAR10"));
  // Fashion-MNIST has a default directory.
  no_dir.mutable_projected_binary_classification()->set_dataset(
      ProjectedBinaryClassificationSpec::FASHION_MNIST);
  EXPECT_TRUE(ValidateTaskSpec(no_dir).ok());
  EXPECT_EQ(ProjectedTaskDataDir(no_dir.projected_binary_classification()),
            "/usr/share/datasets/fashion-mnist");
}

TEST(ProjectedFashionMnistTest, TasksAreLearnable) {
  std::error_code error;
  if (!std::filesystem::exists(std::string(kDefaultFashionMnistDir) + "/t10k-labels-idx1-ubyte.gz",
                               error)) {
    GTEST_SKIP() << "dataset-fashion-mnist not installed";
  }
  const TaskSpec spec = ParseTextOrDie<TaskSpec>(
      "feature_size: 16 num_train_examples: 1000 num_valid_examples: 200 "
      "num_test_examples: 200 num_tasks: 4 projected_binary_classification {}");
  absl::StatusOr<std::vector<Dataset>> tasks = GenerateTasks(spec);
  ASSERT_TRUE(tasks.ok()) << tasks.status();
  ExecutorOptions options;
  options.shape = MinimumShapeForLogisticRegression(16);
  absl::StatusOr<std::unique_ptr<Executor>> executor = Executor::Create(*tasks, options);
  ASSERT_TRUE(executor.ok()) << executor.status();
  const std::vector<TaskScore> scores =
      (*executor)->EvaluatePerTask(LogisticRegressionSgdProgram(0.01));
  for (const TaskScore& score : scores) {
    // Chance is 0.5; every Fashion-MNIST pair is far easier than that for a linear model.
    EXPECT_GT(score.valid_fitness, 0.75);
    EXPECT_GT(score.test_fitness, 0.75);
  }
}

}  // namespace
}  // namespace automl

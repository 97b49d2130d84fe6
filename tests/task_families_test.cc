// Tests of tasks/: the registry, spec validation and parsing, and the task
// families.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "Eigen/Dense"
#include "executor/dataset.h"
#include "tasks/task_family.h"
#include "tasks/task_registry.h"
#include "tasks/task_spec.pb.h"
#include "tests/generate_task.h"

namespace automl {
namespace {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

TaskSpec LinearSpec(int feature_size = 4) {
  TaskSpec spec;
  spec.set_feature_size(feature_size);
  spec.set_num_train_examples(50);
  spec.set_num_valid_examples(20);
  spec.set_num_test_examples(10);
  spec.mutable_scrambled_linear_regression();
  return spec;
}

TaskSpec NonlinearSpec(int feature_size = 4) {
  TaskSpec spec = LinearSpec(feature_size);
  spec.mutable_nonlinear_regression();
  return spec;
}

TaskSpec UnitSpec(int feature_size, int train, int valid, int test) {
  TaskSpec spec;
  spec.set_feature_size(feature_size);
  spec.set_num_train_examples(train);
  spec.set_num_valid_examples(valid);
  spec.set_num_test_examples(test);
  spec.mutable_unit_test();
  return spec;
}

Dataset GenerateWithSeeds(TaskSpec spec, uint64_t data_seed, uint64_t param_seed) {
  spec.clear_data_seeds();
  spec.clear_param_seeds();
  spec.add_data_seeds(data_seed);
  spec.add_param_seeds(param_seed);
  return GenerateOneTask(spec);
}

RowMatrix Features(const DataSplit& split, int feature_size) {
  return Eigen::Map<const RowMatrix>(split.features.data(), split.size(), feature_size);
}

Eigen::VectorXd Labels(const DataSplit& split) {
  return Eigen::Map<const Eigen::VectorXd>(split.labels.data(), split.size());
}

// The least-squares weights of labels on features (no intercept).
Eigen::VectorXd LeastSquares(const DataSplit& split, int feature_size) {
  return Features(split, feature_size).colPivHouseholderQr().solve(Labels(split));
}

double RmsResidual(const DataSplit& split, int feature_size, const Eigen::VectorXd& weights) {
  const Eigen::VectorXd residual = Features(split, feature_size) * weights - Labels(split);
  return std::sqrt(residual.squaredNorm() / split.size());
}

void ExpectSameSplit(const DataSplit& a, const DataSplit& b) {
  EXPECT_EQ(a.features, b.features);
  EXPECT_EQ(a.labels, b.labels);
}

TEST(TaskRegistryTest, AllFamiliesAreRegistered) {
  const std::vector<TaskSpec::FamilyCase> families = RegisteredTaskFamilies();
  EXPECT_EQ(families, (std::vector<TaskSpec::FamilyCase>{
                          TaskSpec::kScrambledLinearRegression, TaskSpec::kNonlinearRegression,
                          TaskSpec::kUnitTest, TaskSpec::kProjectedBinaryClassification,
                          TaskSpec::kCsv, TaskSpec::kSineRegression, TaskSpec::kBiasedCredit}));
  EXPECT_EQ(TaskFamilyName(TaskSpec::kNonlinearRegression), "nonlinear_regression");
}

TEST(TaskRegistryTest, DatasetMetadataComesFromTheSpec) {
  TaskSpec spec = LinearSpec(3);
  spec.set_num_epochs(4);
  spec.add_data_seeds(7);
  spec.add_param_seeds(9);
  const Dataset dataset = GenerateOneTask(spec);
  EXPECT_EQ(dataset.name, "scrambled_linear_regression(data_seed=7, param_seed=9)");
  EXPECT_EQ(dataset.feature_size, 3);
  EXPECT_EQ(dataset.num_epochs, 4);
  EXPECT_FALSE(dataset.score_last_epoch_only);
  spec.set_epoch_scoring(LAST_EPOCH);
  EXPECT_TRUE(GenerateOneTask(spec).score_last_epoch_only);
  EXPECT_EQ(dataset.data_seed, 7u);
  EXPECT_EQ(dataset.eval_type, EvalType::kRmsError);
  EXPECT_EQ(dataset.train.size(), 50);
  EXPECT_EQ(dataset.valid.size(), 20);
  EXPECT_EQ(dataset.test.size(), 10);
  EXPECT_EQ(dataset.train.features.size(), 150u);
  EXPECT_TRUE(ValidateDataset(dataset).ok());
}

TEST(TaskRegistryTest, SameSeedsGiveIdenticalData) {
  for (const TaskSpec& spec : {LinearSpec(), NonlinearSpec()}) {
    const Dataset a = GenerateWithSeeds(spec, 3, 4);
    const Dataset b = GenerateWithSeeds(spec, 3, 4);
    ExpectSameSplit(a.train, b.train);
    ExpectSameSplit(a.valid, b.valid);
    ExpectSameSplit(a.test, b.test);
  }
}

TEST(TaskRegistryTest, DataSeedChangesFeaturesAndSplitsDiffer) {
  for (const TaskSpec& spec : {LinearSpec(), NonlinearSpec()}) {
    const Dataset a = GenerateWithSeeds(spec, 3, 4);
    const Dataset b = GenerateWithSeeds(spec, 5, 4);
    EXPECT_NE(a.train.features, b.train.features);
    EXPECT_NE(a.valid.features, b.valid.features);
    // Splits hold different examples.
    EXPECT_NE(a.train.features[0], a.valid.features[0]);
    EXPECT_NE(a.valid.features[0], a.test.features[0]);
    EXPECT_NE(a.train.features[0], a.test.features[0]);
  }
}

TEST(TaskRegistryTest, ParamSeedChangesLabelsButNotFeatures) {
  for (const TaskSpec& spec : {LinearSpec(), NonlinearSpec()}) {
    const Dataset a = GenerateWithSeeds(spec, 3, 4);
    const Dataset b = GenerateWithSeeds(spec, 3, 8);
    EXPECT_EQ(a.train.features, b.train.features);
    EXPECT_NE(a.train.labels, b.train.labels);
  }
}

TEST(TaskRegistryTest, SplitDoesNotDependOnOtherSplitSizes) {
  TaskSpec spec = LinearSpec();
  const Dataset a = GenerateOneTask(spec);
  spec.set_num_train_examples(7);
  const Dataset b = GenerateOneTask(spec);
  ExpectSameSplit(a.valid, b.valid);
  ExpectSameSplit(a.test, b.test);
}

TEST(ScrambledLinearRegressionTest, LabelIsLinearInFeatures) {
  const Dataset dataset = GenerateOneTask(LinearSpec());
  const Eigen::VectorXd w = LeastSquares(dataset.train, 4);
  // The fit from train explains every split up to rounding.
  EXPECT_LT(RmsResidual(dataset.train, 4, w), 1e-10);
  EXPECT_LT(RmsResidual(dataset.valid, 4, w), 1e-10);
  EXPECT_LT(RmsResidual(dataset.test, 4, w), 1e-10);
  EXPECT_GT(w.norm(), 0.1);
}

TEST(ScrambledLinearRegressionTest, TeacherDependsOnlyOnParamSeed) {
  const TaskSpec spec = LinearSpec();
  const Eigen::VectorXd w_data3 = LeastSquares(GenerateWithSeeds(spec, 3, 11).train, 4);
  const Eigen::VectorXd w_data4 = LeastSquares(GenerateWithSeeds(spec, 4, 11).train, 4);
  const Eigen::VectorXd w_param12 = LeastSquares(GenerateWithSeeds(spec, 3, 12).train, 4);
  EXPECT_LT((w_data3 - w_data4).norm(), 1e-9);
  EXPECT_GT((w_data3 - w_param12).norm(), 0.1);
}

TEST(NonlinearRegressionTest, LabelsAreNotLinearInFeatures) {
  const Dataset dataset = GenerateOneTask(NonlinearSpec());
  const Eigen::VectorXd w = LeastSquares(dataset.train, 4);
  const double label_rms = Labels(dataset.train).norm() / std::sqrt(dataset.train.size());
  EXPECT_GT(label_rms, 0.1);
  EXPECT_GT(RmsResidual(dataset.train, 4, w), 0.2 * label_rms);
}

TEST(NonlinearRegressionTest, HiddenSizeChangesTheTeacher) {
  TaskSpec spec = NonlinearSpec();
  const Dataset default_hidden = GenerateOneTask(spec);
  spec.mutable_nonlinear_regression()->set_hidden_size(4);  // = feature_size, the default.
  ExpectSameSplit(default_hidden.train, GenerateOneTask(spec).train);
  spec.mutable_nonlinear_regression()->set_hidden_size(9);
  const Dataset wide = GenerateOneTask(spec);
  EXPECT_EQ(wide.train.features, default_hidden.train.features);
  EXPECT_NE(wide.train.labels, default_hidden.train.labels);
}

TEST(UnitTestTasksTest, AllZeros) {
  TaskSpec spec = UnitSpec(3, 2, 1, 1);
  spec.mutable_unit_test()->mutable_all_zeros();
  const Dataset dataset = GenerateOneTask(spec);
  EXPECT_EQ(dataset.train.features, std::vector<double>(6, 0.0));
  EXPECT_EQ(dataset.train.labels, std::vector<double>(2, 0.0));
  EXPECT_EQ(dataset.test.features, std::vector<double>(3, 0.0));
  EXPECT_EQ(dataset.name, "unit_test(data_seed=1, param_seed=1)");
}

TEST(UnitTestTasksTest, AllOnes) {
  TaskSpec spec = UnitSpec(2, 3, 2, 0);
  spec.mutable_unit_test()->mutable_all_ones();
  const Dataset dataset = GenerateOneTask(spec);
  EXPECT_EQ(dataset.train.features, std::vector<double>(6, 1.0));
  EXPECT_EQ(dataset.train.labels, std::vector<double>(3, 1.0));
  EXPECT_EQ(dataset.valid.labels, std::vector<double>(2, 1.0));
  EXPECT_EQ(dataset.test.size(), 0);
}

TEST(UnitTestTasksTest, IncrementingDefaultIncrement) {
  TaskSpec spec = UnitSpec(2, 3, 2, 1);
  spec.mutable_unit_test()->mutable_incrementing();
  const Dataset dataset = GenerateOneTask(spec);
  EXPECT_EQ(dataset.train.features,
            (std::vector<double>{0 * 0.1, 1 * 0.1, 2 * 0.1, 3 * 0.1, 4 * 0.1, 5 * 0.1}));
  EXPECT_EQ(dataset.train.labels, (std::vector<double>{0 * 0.1, 1 * 0.1, 2 * 0.1}));
  // Every split counts from 0.
  EXPECT_EQ(dataset.valid.features, (std::vector<double>{0 * 0.1, 1 * 0.1, 2 * 0.1, 3 * 0.1}));
  EXPECT_EQ(dataset.valid.labels, (std::vector<double>{0.0, 0.1}));
  EXPECT_EQ(dataset.test.labels, (std::vector<double>{0.0}));
}

TEST(UnitTestTasksTest, IncrementingCustomIncrement) {
  TaskSpec spec = UnitSpec(1, 3, 1, 0);
  spec.mutable_unit_test()->mutable_incrementing()->set_increment(2.5);
  const Dataset dataset = GenerateOneTask(spec);
  EXPECT_EQ(dataset.train.features, (std::vector<double>{0.0, 2.5, 5.0}));
  EXPECT_EQ(dataset.train.labels, (std::vector<double>{0.0, 2.5, 5.0}));
}

TEST(UnitTestTasksTest, ExplicitData) {
  TaskSpec spec = UnitSpec(2, 2, 1, 1);
  UnitTestTaskSpec::ExplicitData* data = spec.mutable_unit_test()->mutable_explicit_data();
  for (double v : {1.0, 2.0, 3.0, 4.0}) data->add_train_features(v);
  for (double v : {0.5, -0.5}) data->add_train_labels(v);
  for (double v : {5.0, 6.0}) data->add_valid_features(v);
  data->add_valid_labels(7.0);
  for (double v : {8.0, 9.0}) data->add_test_features(v);
  data->add_test_labels(10.0);
  const Dataset dataset = GenerateOneTask(spec);
  EXPECT_EQ(dataset.train.features, (std::vector<double>{1.0, 2.0, 3.0, 4.0}));
  EXPECT_EQ(dataset.train.labels, (std::vector<double>{0.5, -0.5}));
  EXPECT_EQ(dataset.valid.features, (std::vector<double>{5.0, 6.0}));
  EXPECT_EQ(dataset.valid.labels, (std::vector<double>{7.0}));
  EXPECT_EQ(dataset.test.features, (std::vector<double>{8.0, 9.0}));
  EXPECT_EQ(dataset.test.labels, (std::vector<double>{10.0}));
}

TEST(UnitTestTasksTest, AccuracyAllowedForZeroOneLabels) {
  TaskSpec spec = UnitSpec(2, 2, 2, 0);
  spec.mutable_unit_test()->mutable_all_ones();
  spec.set_eval_type(ACCURACY);
  EXPECT_EQ(GenerateOneTask(spec).eval_type, EvalType::kAccuracy);
}

TEST(UnitTestTasksTest, AccuracyWithNonBinaryLabelsFailsGeneration) {
  TaskSpec spec = UnitSpec(2, 3, 2, 0);
  spec.mutable_unit_test()->mutable_incrementing();
  spec.set_eval_type(ACCURACY);
  const absl::StatusOr<std::vector<Dataset>> datasets = GenerateTasks(spec);
  ASSERT_FALSE(datasets.ok());
  EXPECT_NE(datasets.status().message().find("classification labels are 0 or 1"), std::string::npos)
      << datasets.status();
}

TEST(TaskSeedsTest, MissingSeedsContinueFromTheLast) {
  TaskSpec spec = LinearSpec();
  spec.set_num_tasks(3);
  spec.add_data_seeds(5);
  EXPECT_EQ(TaskDataSeeds(spec), (std::vector<uint64_t>{5, 6, 7}));
  EXPECT_EQ(TaskParamSeeds(spec), (std::vector<uint64_t>{1, 2, 3}));
  absl::StatusOr<std::vector<Dataset>> datasets = GenerateTasks(spec);
  ASSERT_TRUE(datasets.ok()) << datasets.status();
  ASSERT_EQ(datasets->size(), 3u);
  EXPECT_EQ((*datasets)[0].data_seed, 5u);
  EXPECT_EQ((*datasets)[1].data_seed, 6u);
  EXPECT_EQ((*datasets)[2].data_seed, 7u);
  EXPECT_EQ((*datasets)[2].name, "scrambled_linear_regression(data_seed=7, param_seed=3)");
}

TEST(TaskSeedsTest, SeveralGivenSeeds) {
  TaskSpec spec = LinearSpec();
  spec.set_num_tasks(4);
  spec.add_param_seeds(5);
  spec.add_param_seeds(10);
  EXPECT_EQ(TaskParamSeeds(spec), (std::vector<uint64_t>{5, 10, 11, 12}));
  EXPECT_EQ(TaskDataSeeds(spec), (std::vector<uint64_t>{1, 2, 3, 4}));
}

TEST(TaskSeedsTest, TasksOfOneSpecDiffer) {
  TaskSpec spec = LinearSpec();
  spec.set_num_tasks(2);
  absl::StatusOr<std::vector<Dataset>> datasets = GenerateTasks(spec);
  ASSERT_TRUE(datasets.ok()) << datasets.status();
  ASSERT_EQ(datasets->size(), 2u);
  EXPECT_NE((*datasets)[0].train.features, (*datasets)[1].train.features);
  const Eigen::VectorXd w0 = LeastSquares((*datasets)[0].train, 4);
  const Eigen::VectorXd w1 = LeastSquares((*datasets)[1].train, 4);
  EXPECT_GT((w0 - w1).norm(), 0.1);
}

// One invalid spec per case: which field is broken and what the error must
// mention.
struct BadSpecCase {
  std::string test_name;
  std::function<void(TaskSpec&)> break_spec;
  std::string expected_in_error;
};

class ValidateTaskSpecTest : public ::testing::TestWithParam<BadSpecCase> {};

TEST_P(ValidateTaskSpecTest, RejectsAndNamesTheField) {
  TaskSpec spec = NonlinearSpec();
  ASSERT_TRUE(ValidateTaskSpec(spec).ok());
  GetParam().break_spec(spec);
  const absl::Status status = ValidateTaskSpec(spec);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find(GetParam().expected_in_error), std::string::npos) << status;
  EXPECT_EQ(status.message().find('\n'), absl::string_view::npos) << status;
  // Generation refuses the same spec with the same message.
  const absl::StatusOr<std::vector<Dataset>> datasets = GenerateTasks(spec);
  ASSERT_FALSE(datasets.ok());
  EXPECT_EQ(datasets.status(), status);
}

UnitTestTaskSpec::ExplicitData* ExplicitTwoByOne(TaskSpec& spec) {
  spec.set_feature_size(1);
  spec.set_num_train_examples(2);
  spec.set_num_valid_examples(1);
  spec.set_num_test_examples(0);
  UnitTestTaskSpec::ExplicitData* data = spec.mutable_unit_test()->mutable_explicit_data();
  data->add_train_features(1.0);
  data->add_train_features(2.0);
  data->add_train_labels(1.0);
  data->add_train_labels(2.0);
  data->add_valid_features(3.0);
  data->add_valid_labels(3.0);
  return data;
}

INSTANTIATE_TEST_SUITE_P(
    BadFields, ValidateTaskSpecTest,
    ::testing::Values(
        BadSpecCase{"MissingFeatureSize", [](TaskSpec& s) { s.clear_feature_size(); },
                    "feature_size is not set"},
        BadSpecCase{"NegativeFeatureSize", [](TaskSpec& s) { s.set_feature_size(-2); },
                    "feature_size must be positive (got -2)"},
        BadSpecCase{"MissingNumTrainExamples", [](TaskSpec& s) { s.clear_num_train_examples(); },
                    "num_train_examples is not set"},
        BadSpecCase{"ZeroNumTrainExamples", [](TaskSpec& s) { s.set_num_train_examples(0); },
                    "num_train_examples must be positive"},
        BadSpecCase{"ZeroNumValidExamples", [](TaskSpec& s) { s.set_num_valid_examples(0); },
                    "num_valid_examples must be positive"},
        BadSpecCase{"NegativeNumTestExamples", [](TaskSpec& s) { s.set_num_test_examples(-1); },
                    "num_test_examples must not be negative"},
        BadSpecCase{"ZeroNumEpochs", [](TaskSpec& s) { s.set_num_epochs(0); },
                    "num_epochs must be positive"},
        BadSpecCase{"ZeroNumTasks", [](TaskSpec& s) { s.set_num_tasks(0); },
                    "num_tasks must be positive"},
        BadSpecCase{"TooManyDataSeeds",
                    [](TaskSpec& s) {
                      s.add_data_seeds(1);
                      s.add_data_seeds(2);
                    },
                    "data_seeds has 2 seeds but num_tasks is 1"},
        BadSpecCase{"TooManyParamSeeds",
                    [](TaskSpec& s) {
                      s.add_param_seeds(1);
                      s.add_param_seeds(2);
                    },
                    "param_seeds has 2 seeds but num_tasks is 1"},
        BadSpecCase{"NoFamily", [](TaskSpec& s) { s.clear_family(); }, "no task family set"},
        BadSpecCase{"AccuracyOnRegression", [](TaskSpec& s) { s.set_eval_type(ACCURACY); },
                    "eval_type ACCURACY is not supported by task family "
                    "nonlinear_regression"},
        BadSpecCase{"TooLarge", [](TaskSpec& s) { s.set_num_train_examples(100000000); },
                    "num_train/valid/test_examples"},
        BadSpecCase{"ZeroHiddenSize",
                    [](TaskSpec& s) { s.mutable_nonlinear_regression()->set_hidden_size(0); },
                    "nonlinear_regression.hidden_size must be positive (got 0)"},
        BadSpecCase{"NoUnitTestPattern", [](TaskSpec& s) { s.mutable_unit_test(); },
                    "unit_test.pattern is not set"},
        BadSpecCase{"NonFiniteIncrement",
                    [](TaskSpec& s) {
                      s.mutable_unit_test()->mutable_incrementing()->set_increment(
                          std::numeric_limits<double>::infinity());
                    },
                    "unit_test.incrementing.increment must be finite"},
        BadSpecCase{"ExplicitLabelsCount",
                    [](TaskSpec& s) { ExplicitTwoByOne(s)->add_train_labels(3.0); },
                    "unit_test.explicit_data.train_labels has 3 values for "
                    "num_train_examples 2"},
        BadSpecCase{"ExplicitFeaturesCount",
                    [](TaskSpec& s) { ExplicitTwoByOne(s)->add_valid_features(3.0); },
                    "unit_test.explicit_data.valid_features has 2 values"},
        BadSpecCase{"ExplicitTestMissing",
                    [](TaskSpec& s) {
                      ExplicitTwoByOne(s);
                      s.set_num_test_examples(1);
                    },
                    "unit_test.explicit_data.test_labels has 0 values for "
                    "num_test_examples 1"}),
    [](const ::testing::TestParamInfo<BadSpecCase>& info) { return info.param.test_name; });

TEST(ExplicitDataHelperTest, SpecIsValid) {
  // Guards the Explicit* cases above: they must fail because of their one
  // change.
  TaskSpec spec;
  ExplicitTwoByOne(spec);
  EXPECT_TRUE(ValidateTaskSpec(spec).ok()) << ValidateTaskSpec(spec);
}

TEST(TaskCollectionTest, ParsesTextAndConcatenates) {
  const absl::StatusOr<TaskCollection> collection = ParseTaskCollectionText(R"pb(
    tasks {
      feature_size: 4
      num_train_examples: 10
      num_valid_examples: 5
      num_tasks: 2
      data_seeds: 5
      scrambled_linear_regression {}
    }
    tasks {
      feature_size: 4
      num_train_examples: 3
      num_valid_examples: 2
      unit_test { incrementing { increment: 1 } }
    }
  )pb");
  ASSERT_TRUE(collection.ok()) << collection.status();
  const absl::StatusOr<std::vector<Dataset>> datasets = GenerateTasks(*collection);
  ASSERT_TRUE(datasets.ok()) << datasets.status();
  ASSERT_EQ(datasets->size(), 3u);
  EXPECT_EQ((*datasets)[0].name, "scrambled_linear_regression(data_seed=5, param_seed=1)");
  EXPECT_EQ((*datasets)[1].name, "scrambled_linear_regression(data_seed=6, param_seed=2)");
  EXPECT_EQ((*datasets)[2].name, "unit_test(data_seed=1, param_seed=1)");
  EXPECT_EQ((*datasets)[2].train.labels, (std::vector<double>{0.0, 1.0, 2.0}));
  for (const Dataset& dataset : *datasets) {
    EXPECT_TRUE(ValidateDataset(dataset).ok()) << ValidateDataset(dataset);
  }
}

TEST(TaskCollectionTest, UnknownFieldIsRejectedWithItsLine) {
  const absl::StatusOr<TaskCollection> collection = ParseTaskCollectionText(
      "tasks {\n"
      "  feature_size: 4\n"
      "  num_train_exampels: 10\n"
      "}\n");
  ASSERT_FALSE(collection.ok());
  EXPECT_EQ(collection.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(collection.status().message().find("line 3"), std::string::npos) << collection.status();
  EXPECT_NE(collection.status().message().find("num_train_exampels"), std::string::npos)
      << collection.status();
}

TEST(TaskCollectionTest, FileErrorsNameTheFile) {
  const std::string path = std::string(std::getenv("TEST_TMPDIR")) + "/bad_tasks.textproto";
  {
    std::ofstream out(path);
    out << "tasks {\n  feature_size: 4\n  colour: 3\n}\n";
  }
  const absl::StatusOr<TaskCollection> collection = ParseTaskCollectionFile(path);
  ASSERT_FALSE(collection.ok());
  EXPECT_NE(collection.status().message().find(path + ":3:"), std::string::npos)
      << collection.status();

  const absl::StatusOr<TaskCollection> missing = ParseTaskCollectionFile(path + ".does_not_exist");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("bad_tasks.textproto.does_not_exist"),
            std::string::npos);
}

TEST(TaskCollectionTest, ValidFileParses) {
  const std::string path = std::string(std::getenv("TEST_TMPDIR")) + "/good_tasks.textproto";
  {
    std::ofstream out(path);
    out << "tasks { feature_size: 2 num_train_examples: 4 num_valid_examples: "
           "2 "
           "nonlinear_regression { hidden_size: 3 } }\n";
  }
  const absl::StatusOr<TaskCollection> collection = ParseTaskCollectionFile(path);
  ASSERT_TRUE(collection.ok()) << collection.status();
  ASSERT_EQ(collection->tasks_size(), 1);
  EXPECT_EQ(collection->tasks(0).nonlinear_regression().hidden_size(), 3);
}

TEST(TaskCollectionTest, ErrorsNameTheSpecIndex) {
  TaskCollection collection;
  *collection.add_tasks() = LinearSpec();
  *collection.add_tasks() = LinearSpec();
  collection.mutable_tasks(1)->set_num_epochs(-3);
  const absl::StatusOr<std::vector<Dataset>> datasets = GenerateTasks(collection);
  ASSERT_FALSE(datasets.ok());
  EXPECT_EQ(datasets.status().message(), "tasks[1]: num_epochs must be positive (got -3)");
}

TEST(TaskCollectionTest, EmptyCollectionIsAnError) {
  EXPECT_FALSE(GenerateTasks(TaskCollection()).ok());
}

}  // namespace
}  // namespace automl

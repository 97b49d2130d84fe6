// Tests of the sine regression family (tasks/sine_regression.cc), the worked example of
// README.md's "Adding a proxy task": labels follow the teacher documented in task_spec.proto,
// the spec's own fields are validated, the shipped search spec is valid, and a tiny search on
// the family improves on its initial population.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "evolution/experiment.h"
#include "evolution/experiment_spec.h"
#include "executor/dataset.h"
#include "gtest/gtest.h"
#include "instructions/random.h"
#include "tasks/task_family.h"
#include "tasks/task_registry.h"
#include "tasks/task_spec.pb.h"
#include "tests/test_specs.h"

namespace automl {
namespace {

constexpr char kSpecPath[] = "experiments/specs/sine_search.textproto";

TaskSpec SineSpec(int feature_size, int train, int valid, int test) {
  TaskSpec spec;
  spec.set_feature_size(feature_size);
  spec.set_num_train_examples(train);
  spec.set_num_valid_examples(valid);
  spec.set_num_test_examples(test);
  spec.mutable_sine_regression();
  return spec;
}

TEST(SineRegressionTest, LabelsFollowTheDocumentedTeacher) {
  TaskSpec spec = SineSpec(4, 30, 20, 10);
  spec.set_num_tasks(3);
  spec.add_data_seeds(5);
  spec.add_param_seeds(17);  // Param seeds 17, 18, 19.
  absl::StatusOr<std::vector<Dataset>> datasets = GenerateTasks(spec);
  ASSERT_TRUE(datasets.ok()) << datasets.status();
  ASSERT_EQ(datasets->size(), 3u);
  for (int t = 0; t < 3; ++t) {
    // The draw order of task_spec.proto: amplitude, phase, then w.
    Rng rng = ParamRng(17 + t);
    const double amplitude = rng.Uniform(0.5, 2.0);
    const double phase = rng.Uniform(0.0, 2 * M_PI);
    std::vector<double> w(4);
    for (double& value : w) value = rng.Gaussian(0.0, 1.0 / std::sqrt(4.0));
    const Dataset& dataset = (*datasets)[t];
    EXPECT_EQ(dataset.eval_type, EvalType::kRmsError);
    for (const DataSplit* split : {&dataset.train, &dataset.valid, &dataset.test}) {
      for (int i = 0; i < split->size(); ++i) {
        double argument = phase;
        for (int k = 0; k < 4; ++k) argument += w[k] * split->features[4 * i + k];
        EXPECT_NEAR(split->labels[i], amplitude * std::sin(argument), 1e-12);
      }
    }
  }
  // Another data seed, the same param seed: other examples of the same function.
  TaskSpec other = spec;
  other.set_data_seeds(0, 6);
  absl::StatusOr<std::vector<Dataset>> others = GenerateTasks(other);
  ASSERT_TRUE(others.ok());
  EXPECT_NE((*others)[0].train.features, (*datasets)[0].train.features);
}

TEST(SineRegressionTest, AmplitudeBoundsTheLabels) {
  TaskSpec spec = SineSpec(8, 2000, 10, 0);
  spec.mutable_sine_regression()->set_min_amplitude(1.5);
  spec.mutable_sine_regression()->set_max_amplitude(1.5);
  spec.mutable_sine_regression()->set_frequency_scale(3.0);
  absl::StatusOr<std::vector<Dataset>> datasets = GenerateTasks(spec);
  ASSERT_TRUE(datasets.ok()) << datasets.status();
  double largest = 0.0;
  for (double label : (*datasets)[0].train.labels) largest = std::max(largest, std::abs(label));
  EXPECT_LE(largest, 1.5);
  EXPECT_GT(largest, 1.45);  // w . x + phase sweeps several periods.
}

TEST(SineRegressionTest, ValidatesItsFields) {
  struct Case {
    double min_amplitude;
    double max_amplitude;
    double frequency_scale;
    std::string message;
  };
  const std::vector<Case> cases = {
      {0.0, 1.0, 1.0, "sine_regression.min_amplitude must be positive and finite (got 0)"},
      {NAN, 1.0, 1.0, "sine_regression.min_amplitude must be positive and finite (got nan)"},
      {2.0, 1.0, 1.0,
       "sine_regression.max_amplitude (1) must be finite and at least min_amplitude (2)"},
      {1.0, INFINITY, 1.0,
       "sine_regression.max_amplitude (inf) must be finite and at least min_amplitude (1)"},
      {1.0, 1.0, -1.0, "sine_regression.frequency_scale must be positive and finite (got -1)"},
  };
  for (const Case& c : cases) {
    TaskSpec spec = SineSpec(4, 10, 10, 0);
    spec.mutable_sine_regression()->set_min_amplitude(c.min_amplitude);
    spec.mutable_sine_regression()->set_max_amplitude(c.max_amplitude);
    spec.mutable_sine_regression()->set_frequency_scale(c.frequency_scale);
    EXPECT_EQ(ValidateTaskSpec(spec).message(), c.message);
  }
}

TEST(SineRegressionTest, ShippedSearchSpecIsValid) {
  absl::StatusOr<ExperimentSpec> spec = ReadExperimentSpecFile(kSpecPath);
  ASSERT_TRUE(spec.ok()) << spec.status();
  ExpectValidSpec(*spec);
  for (const TaskCollection* tasks :
       {&spec->search_tasks(), &spec->select_tasks(), &spec->final_tasks()}) {
    for (const TaskSpec& task : tasks->tasks()) EXPECT_TRUE(task.has_sine_regression());
  }
}

// The shipped spec, shrunk to run in a few seconds unoptimized: evolution must beat the
// hand-written linear regression it starts from (the whole initial population).
TEST(SineRegressionTest, TinySearchImprovesOnTheInitialPopulation) {
  absl::StatusOr<ExperimentSpec> spec = ReadExperimentSpecFile(kSpecPath);
  ASSERT_TRUE(spec.ok()) << spec.status();
  for (TaskCollection* tasks :
       {spec->mutable_search_tasks(), spec->mutable_select_tasks(), spec->mutable_final_tasks()}) {
    TaskSpec& task = *tasks->mutable_tasks(0);
    task.set_num_tasks(3);
    task.set_num_train_examples(50);
    task.set_num_valid_examples(50);
  }
  spec->set_population_size(100);
  spec->set_tournament_size(10);
  spec->set_max_individuals(5000);
  spec->set_progress_every_individuals(100);
  ASSERT_TRUE(ValidateExperimentSpec(*spec).ok()) << ValidateExperimentSpec(*spec);

  SearchOptions options;
  options.random_seed = 1;
  absl::StatusOr<SearchResult> result = RunSearch(*spec, options);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_GE(result->progress.size(), 2u);
  // The first progress line comes right after the initial population was scored.
  EXPECT_EQ(result->progress.front().individuals, 100);
  const double initial_best = result->progress.front().best_fitness;
  const double final_best = result->progress.back().best_fitness;
  EXPECT_GT(final_best, initial_best + 0.02)
      << "initial best " << initial_best << ", final best " << final_best;
  EXPECT_EQ(result->experiments.size(), 1u);
  EXPECT_GT(result->final_fitness, 0.0);
  EXPECT_TRUE(result->final_has_test);
}

}  // namespace
}  // namespace automl

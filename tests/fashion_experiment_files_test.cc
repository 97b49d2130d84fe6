// Checks the shipped files of the Fashion-MNIST experiment without running it: the baseline
// programs parse to the hand-written learners of instructions/standard_programs.h with their
// tuned constants, the search spec is valid, and every task list holds out the same class
// pairs, with the spec's final tasks equal to the final-task file the scripts use.
#include <set>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "evolution/experiment_spec.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "instructions/parser.h"
#include "instructions/program.h"
#include "instructions/standard_programs.h"
#include "tasks/task_registry.h"
#include "tasks/task_spec.pb.h"
#include "tests/test_specs.h"

namespace automl {
namespace {

constexpr char kSearchSpec[] = "experiments/specs/fashion_search.textproto";
constexpr char kFinalTasks[] = "experiments/specs/fashion_final_tasks.textproto";
constexpr char kTuningTasks[] = "experiments/baselines/fashion_tuning_tasks.textproto";

std::set<std::pair<int, int>> HeldOutPairs(const TaskCollection& collection) {
  std::set<std::pair<int, int>> pairs;
  EXPECT_EQ(collection.tasks_size(), 1);
  for (const auto& pair : collection.tasks(0).projected_binary_classification().held_out_pairs()) {
    pairs.insert({std::min(pair.a(), pair.b()), std::max(pair.a(), pair.b())});
  }
  return pairs;
}

TEST(FashionExperimentFilesTest, BaselinesAreTheStandardProgramsWithTunedConstants) {
  absl::StatusOr<Program> logistic =
      ParseProgramFile("experiments/baselines/logistic_regression.txt");
  ASSERT_TRUE(logistic.ok()) << logistic.status();
  EXPECT_EQ(*logistic, LogisticRegressionSgdProgram(0.01));

  absl::StatusOr<Program> network = ParseProgramFile("experiments/baselines/two_layer_network.txt");
  ASSERT_TRUE(network.ok()) << network.status();
  EXPECT_EQ(*network, TwoLayerNetworkProgram(16, 0.03, 0.1));
}

TEST(FashionExperimentFilesTest, SpecIsValidAndTaskListsAgree) {
  absl::StatusOr<ExperimentSpec> spec = ReadExperimentSpecFile(kSearchSpec);
  ASSERT_TRUE(spec.ok()) << spec.status();
  ExpectValidSpec(*spec);
  EXPECT_EQ(spec->initial_population(), NO_OP_PROGRAMS);
  EXPECT_EQ(spec->max_seconds(), 1800);

  absl::StatusOr<TaskCollection> final_tasks = ParseTaskCollectionFile(kFinalTasks);
  ASSERT_TRUE(final_tasks.ok()) << final_tasks.status();
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(spec->final_tasks(), *final_tasks))
      << "the spec's final_tasks differ from " << kFinalTasks;
  absl::StatusOr<TaskCollection> tuning_tasks = ParseTaskCollectionFile(kTuningTasks);
  ASSERT_TRUE(tuning_tasks.ok()) << tuning_tasks.status();
  for (const TaskCollection* collection : {&*final_tasks, &*tuning_tasks}) {
    ASSERT_EQ(collection->tasks_size(), 1);
    EXPECT_TRUE(ValidateTaskSpec(collection->tasks(0)).ok());
  }

  const std::set<std::pair<int, int>> held_out = HeldOutPairs(*final_tasks);
  EXPECT_EQ(held_out.size(), 10u);
  EXPECT_TRUE(final_tasks->tasks(0).projected_binary_classification().only_held_out_pairs());
  EXPECT_GT(final_tasks->tasks(0).num_test_examples(), 0);
  const TaskCollection* const others[] = {&spec->search_tasks(), &spec->select_tasks(),
                                          &*tuning_tasks};
  for (const TaskCollection* collection : others) {
    EXPECT_EQ(HeldOutPairs(*collection), held_out);
    EXPECT_FALSE(collection->tasks(0).projected_binary_classification().only_held_out_pairs());
  }
}

}  // namespace
}  // namespace automl

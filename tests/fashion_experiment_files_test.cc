// Checks the shipped files of the Fashion-MNIST experiment without running it: the baseline
// programs parse to the hand-written learners of instructions/standard_programs.h with their
// tuned constants, the search spec is valid, and every task list holds out the same class
// pairs, with the spec's final tasks equal to the final-task file the scripts use; so do the
// habitats' specs (experiments/run_habitat_search.sh), which train alike on all their tasks.
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "evolution/experiment_spec.h"
#include "google/protobuf/descriptor.h"
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

// `spec` with the fields `replacement` sets replaced by its (replaced, not merged: a repeated
// field such as mutation_types, or a section such as setup, is the replacement's alone), as
// replace_spec_sections in experiments/pareto_script_helpers.sh does to the text.
ExperimentSpec WithFieldsReplaced(ExperimentSpec spec, const ExperimentSpec& replacement) {
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  replacement.GetReflection()->ListFields(replacement, &fields);
  for (const google::protobuf::FieldDescriptor* field : fields) {
    spec.GetReflection()->ClearField(&spec, field);
  }
  spec.MergeFrom(replacement);
  return spec;
}

// The spec each habitat of experiments/run_habitat_search.sh runs: the benchmark's, with its
// task sections and the fields the habitat's file sets replaced by the habitat's.
ExperimentSpec HabitatSpec(const ExperimentSpec& benchmark, const ExperimentSpec& habitat) {
  ExperimentSpec spec = benchmark;
  spec.clear_search_tasks();
  spec.clear_select_tasks();
  spec.clear_final_tasks();
  return WithFieldsReplaced(spec, habitat);
}

TEST(FashionExperimentFilesTest, HabitatSpecsAreValidAndHoldOutTheBenchmarksPairs) {
  absl::StatusOr<ExperimentSpec> benchmark = ReadExperimentSpecFile(kSearchSpec);
  ASSERT_TRUE(benchmark.ok()) << benchmark.status();
  absl::StatusOr<TaskCollection> benchmark_final = ParseTaskCollectionFile(kFinalTasks);
  ASSERT_TRUE(benchmark_final.ok()) << benchmark_final.status();
  const std::set<std::pair<int, int>> held_out = HeldOutPairs(*benchmark_final);
  for (const std::string habitat : {"standard", "few_steps", "many_epochs"}) {
    SCOPED_TRACE(habitat);
    const std::string dir = "experiments/specs/habitats/";
    absl::StatusOr<ExperimentSpec> tasks =
        ReadExperimentSpecFile(dir + habitat + "_tasks.textproto");
    ASSERT_TRUE(tasks.ok()) << tasks.status();
    EXPECT_FALSE(tasks->has_final_tasks()) << "final tasks come from --final_spec";
    ExperimentSpec spec = HabitatSpec(*benchmark, *tasks);
    // The final tasks: the benchmark's own for the standard habitat, else the habitat's file
    // with the benchmark's data seeds.
    TaskCollection final_tasks = *benchmark_final;
    if (habitat != "standard") {
      absl::StatusOr<TaskCollection> own =
          ParseTaskCollectionFile(dir + habitat + "_final_tasks.textproto");
      ASSERT_TRUE(own.ok()) << own.status();
      ASSERT_EQ(own->tasks_size(), 1);
      EXPECT_EQ(own->tasks(0).data_seeds(0), benchmark_final->tasks(0).data_seeds(0));
      EXPECT_EQ(own->tasks(0).num_tasks(), benchmark_final->tasks(0).num_tasks());
      final_tasks = *own;
    }
    *spec.mutable_final_tasks() = final_tasks;
    ExpectValidSpec(spec);
    // No habitat changes the benchmark's mutations.
    EXPECT_EQ(
        std::vector<int>(spec.mutation_types().begin(), spec.mutation_types().end()),
        std::vector<int>(benchmark->mutation_types().begin(), benchmark->mutation_types().end()));
    EXPECT_EQ(HeldOutPairs(final_tasks), held_out);
    EXPECT_TRUE(final_tasks.tasks(0).projected_binary_classification().only_held_out_pairs());
    for (const TaskCollection* collection : {&spec.search_tasks(), &spec.select_tasks()}) {
      EXPECT_EQ(HeldOutPairs(*collection), held_out);
      EXPECT_FALSE(collection->tasks(0).projected_binary_classification().only_held_out_pairs());
      // Search, select and final tasks train alike.
      const TaskSpec& task = collection->tasks(0);
      EXPECT_EQ(task.num_train_examples(), final_tasks.tasks(0).num_train_examples());
      EXPECT_EQ(task.num_epochs(), final_tasks.tasks(0).num_epochs());
      EXPECT_EQ(task.epoch_scoring(), final_tasks.tasks(0).epoch_scoring());
    }
  }
}

// HABITAT_SPACE=experiments/specs/habitats/room_for_new_state.textproto: the standard habitat's
// spec with a larger Setup and more scalars, and nothing else changed.
TEST(FashionExperimentFilesTest, RoomForNewStateOnlyWidensTheBenchmarksLimits) {
  absl::StatusOr<ExperimentSpec> benchmark = ReadExperimentSpecFile(kSearchSpec);
  ASSERT_TRUE(benchmark.ok()) << benchmark.status();
  absl::StatusOr<ExperimentSpec> tasks =
      ReadExperimentSpecFile("experiments/specs/habitats/standard_tasks.textproto");
  ASSERT_TRUE(tasks.ok()) << tasks.status();
  absl::StatusOr<ExperimentSpec> space =
      ReadExperimentSpecFile("experiments/specs/habitats/room_for_new_state.textproto");
  ASSERT_TRUE(space.ok()) << space.status();
  ExperimentSpec standard = HabitatSpec(*benchmark, *tasks);
  *standard.mutable_final_tasks() = benchmark->final_tasks();
  const ExperimentSpec roomy = WithFieldsReplaced(standard, *space);
  ExpectValidSpec(roomy);
  EXPECT_GT(roomy.setup().max_size(), standard.setup().max_size());
  EXPECT_GT(roomy.num_scalars(), standard.num_scalars());
  ExperimentSpec widened = standard;
  widened.mutable_setup()->set_max_size(roomy.setup().max_size());
  widened.set_num_scalars(roomy.num_scalars());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(roomy, widened))
      << "room_for_new_state.textproto changes more than Setup's max size and the scalars";
}

}  // namespace
}  // namespace automl

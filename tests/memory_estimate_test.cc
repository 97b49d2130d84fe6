// The memory estimate's arithmetic (evolution/memory_estimate.h): each term from the spec
// fields that drive it, the peak over the run's stages, and the one-line refusal.
#include "evolution/memory_estimate.h"

#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace automl {
namespace {

using ::testing::HasSubstr;

ExperimentSpec SmallSpec() {
  ExperimentSpec spec;
  TaskSpec* task = spec.mutable_search_tasks()->add_tasks();
  task->mutable_scrambled_linear_regression();
  task->set_feature_size(4);
  task->set_num_train_examples(10);
  task->set_num_valid_examples(10);
  task->set_num_tasks(2);
  *spec.mutable_select_tasks() = spec.search_tasks();
  *spec.mutable_final_tasks() = spec.search_tasks();
  spec.mutable_setup()->set_initial_size(1);
  spec.mutable_predict()->set_initial_size(1);
  spec.mutable_learn()->set_initial_size(4);
  spec.mutable_learn()->set_max_size(6);
  spec.set_population_size(20);
  return spec;
}

TEST(MemoryEstimateTest, TaskBytesFollowTheFields) {
  TaskCollection tasks = SmallSpec().search_tasks();
  // Per example: the dataset's 5 doubles and the executor's 4 aligned doubles and label.
  const double per_task = 20 * (5 * 8 + 5 * 8) + 10 * kEpochOrderBytesPerExample;
  std::string drivers;
  EXPECT_DOUBLE_EQ(TaskCollectionBytes(tasks, &drivers), 2 * per_task);
  EXPECT_EQ(drivers,
            "tasks[0]: num_tasks 2 x (10+10+0 num_train/valid/test_examples x feature_size 4, "
            "num_epochs 1)");
  tasks.mutable_tasks(0)->set_num_epochs(3);
  EXPECT_DOUBLE_EQ(TaskCollectionBytes(tasks, nullptr),
                   2 * (per_task + 2 * 10 * kEpochOrderBytesPerExample));
}

TEST(MemoryEstimateTest, IslandsAndPeak) {
  const ExperimentSpec spec = SmallSpec();  // FEC on, cache_size 100000 by default.
  const MemoryEstimate estimate = EstimateRunMemory(spec, 10, 1, /*checkpoints=*/false);
  ASSERT_EQ(estimate.terms.size(), 5u);
  const double island = kIslandBaseBytes + 20 * (kMemberBytes + 8 * kInstructionBytes) +
                        kFecMemoBytes + 100000 * kFecBytesPerEntry;
  EXPECT_DOUBLE_EQ(estimate.terms[0].bytes, 10 * island);
  EXPECT_EQ(estimate.terms[1].bytes, 0.0);  // No checkpoint.
  // Base + search tasks + the biggest of (islands, select tasks, final tasks).
  EXPECT_DOUBLE_EQ(estimate.total_bytes,
                   kProcessBaseBytes + estimate.terms[2].bytes + estimate.terms[0].bytes);
  // Two processes: each hosts half the islands; the checkpoint holds all of them.
  const MemoryEstimate split = EstimateRunMemory(spec, 10, 2, /*checkpoints=*/true);
  EXPECT_DOUBLE_EQ(split.terms[0].bytes, 5 * island);
  EXPECT_DOUBLE_EQ(split.terms[1].bytes, 10 * (20 * 8 * kCheckpointBytesPerInstruction +
                                               100000 * kCheckpointBytesPerFecEntry));
}

TEST(MemoryEstimateTest, EarlyStopChecksKeepTheSelectTasksWithTheIslands) {
  const ExperimentSpec spec = SmallSpec();
  const MemoryEstimate checked =
      EstimateRunMemory(spec, 10, 1, false, /*select_during_search=*/true);
  EXPECT_DOUBLE_EQ(checked.total_bytes, kProcessBaseBytes + checked.terms[2].bytes +
                                            checked.terms[0].bytes + checked.terms[3].bytes);
}

TEST(MemoryEstimateTest, RotatingSearchTasksHoldTwoSetsAtARotation) {
  ExperimentSpec spec = SmallSpec();
  const MemoryEstimate fixed = EstimateRunMemory(spec, 10, 1, false);
  spec.set_rotate_search_tasks_every_individuals(1000);
  const MemoryEstimate rotating = EstimateRunMemory(spec, 10, 1, false);
  EXPECT_DOUBLE_EQ(rotating.terms[2].bytes, 2 * fixed.terms[2].bytes);
  EXPECT_THAT(rotating.terms[2].drivers, HasSubstr("x 2 while rotating"));
  EXPECT_DOUBLE_EQ(rotating.total_bytes - fixed.total_bytes, fixed.terms[2].bytes);
}

TEST(MemoryEstimateTest, HugeFieldsDoNotOverflow) {
  ExperimentSpec spec = SmallSpec();
  spec.mutable_search_tasks()->mutable_tasks(0)->set_num_tasks(2000000000);
  spec.mutable_search_tasks()->mutable_tasks(0)->set_num_epochs(2000000000);
  const MemoryEstimate estimate = EstimateRunMemory(spec, 2000000000, 1, true);
  EXPECT_GT(estimate.total_bytes, 1e20);
}

TEST(MemoryEstimateTest, RefusalNamesTheDrivers) {
  ExperimentSpec spec = SmallSpec();
  const MemoryEstimate estimate = EstimateRunMemory(spec, 100000, 1, false);
  EXPECT_TRUE(CheckMemoryEstimate(estimate, 1e12, "available").ok());
  const absl::Status status = CheckMemoryEstimate(estimate, 1e9, "available");
  EXPECT_TRUE(absl::IsResourceExhausted(status)) << status;
  EXPECT_THAT(status.message(), HasSubstr("the run would need about 692.3 GB of memory"));
  EXPECT_THAT(status.message(), HasSubstr("more than the 1.0 GB available: islands "));
  EXPECT_THAT(status.message(),
              HasSubstr("100000 islands in this process (num_islands or --islands) x "
                        "(population_size 20 x up to 8 instructions (setup/predict/learn "
                        "max_size), fec.cache_size 100000)"));
  // Small terms are left out of the line.
  EXPECT_THAT(status.message(), ::testing::Not(HasSubstr("select_tasks")));
  EXPECT_EQ(status.message().find('\n'), std::string::npos);
}

}  // namespace
}  // namespace automl

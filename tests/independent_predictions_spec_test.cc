// Tests that an experiment spec's independent_predictions reaches every executor of a run
// (ExecutorOptionsOfRun): off by default, and when set, a program that carries state from one
// scored example to the next scores as if each example were the first. The executor's side is
// tested in tests/executor_test.cc.
#include <memory>
#include <vector>

#include "evolution/experiment_setup.h"
#include "evolution/experiment_spec.h"
#include "executor/executor.h"
#include "gtest/gtest.h"
#include "instructions/parser.h"
#include "instructions/program.h"
#include "tests/test_specs.h"
#include "tests/test_util.h"

namespace automl {
namespace {

constexpr uint64_t kRunSeed = 42;

// Predicts how many times Predict has run: every scored example counts one more, unless each
// starts from the memory training left (then all predict the same).
Program CountingProgram() {
  absl::StatusOr<Program> program = ParseProgram(R"(
def Setup():
  s2 = 1.0
def Predict():
  s3 = s3 + s2
  s1 = s3 * s2
)");
  EXPECT_TRUE(program.ok()) << program.status();
  return *program;
}

std::unique_ptr<Executor> SelectExecutor(const ExperimentSpec& spec) {
  absl::StatusOr<SearchSpace> space = BuildSearchSpace(spec);
  EXPECT_TRUE(space.ok()) << space.status();
  absl::StatusOr<std::unique_ptr<Executor>> executor =
      MakeExecutor(spec.select_tasks(), ExecutorOptionsOfRun(spec, *space, kRunSeed));
  EXPECT_TRUE(executor.ok()) << executor.status();
  return executor.ok() ? *std::move(executor) : nullptr;
}

TEST(IndependentPredictionsSpecTest, OffByDefaultAndPassedToTheRunsExecutors) {
  ExperimentSpec sequential = TinySearchSpec();
  sequential.set_max_individuals(100);
  ExperimentSpec independent = sequential;
  independent.set_independent_predictions(true);
  ExpectValidSpec(independent);
  absl::StatusOr<SearchSpace> space = BuildSearchSpace(sequential);
  ASSERT_TRUE(space.ok()) << space.status();
  EXPECT_FALSE(ExecutorOptionsOfRun(sequential, *space, kRunSeed).independent_predictions);
  EXPECT_TRUE(ExecutorOptionsOfRun(independent, *space, kRunSeed).independent_predictions);

  const Program counting = CountingProgram();
  const std::vector<TaskScore> carried = SelectExecutor(sequential)->EvaluatePerTask(counting);
  const std::vector<TaskScore> alone = SelectExecutor(independent)->EvaluatePerTask(counting);
  ASSERT_EQ(carried.size(), alone.size());
  for (size_t t = 0; t < carried.size(); ++t) {
    EXPECT_NE(carried[t].valid_fitness, alone[t].valid_fitness) << t;
  }
}

}  // namespace
}  // namespace automl

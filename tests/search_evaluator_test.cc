// Tests of the cheap ways the search avoids full evaluations (evolution/hurdle.h,
// evolution/search_evaluator.h): the rolling hurdle cuts candidates below a percentile of the
// recent first-stage fitnesses (never before min_samples), a cut candidate keeps its
// first-stage task fitnesses with the skipped tasks counted as failed (so it ranks below the
// candidates that passed), the cut rate is counted, and the train budget gives fitness 0 without
// running to programs whose cost per example is over the limit.
#include "evolution/search_evaluator.h"

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "evolution/experiment_spec.pb.h"
#include "evolution/hurdle.h"
#include "executor/dataset.h"
#include "executor/executor.h"
#include "gtest/gtest.h"
#include "instructions/instruction.h"
#include "instructions/ops.h"
#include "instructions/program.h"
#include "instructions/random.h"
#include "instructions/standard_programs.h"
#include "tests/test_util.h"

namespace automl {
namespace {

// --- RollingHurdle ---

TEST(RollingHurdleTest, NoCutBeforeMinSamples) {
  RollingHurdle hurdle(/*percentile=*/50, /*window_size=*/10, /*min_samples=*/5);
  // Each value is the worst so far, yet all pass: fewer than min_samples came before.
  for (double fitness : {0.9, 0.7, 0.5, 0.3, 0.1}) {
    EXPECT_EQ(hurdle.hurdle(), 0.0);
    EXPECT_TRUE(hurdle.RecordAndCheck(fitness)) << fitness;
  }
  // Now the median of {0.1, 0.3, 0.5, 0.7, 0.9} is the hurdle.
  EXPECT_EQ(hurdle.hurdle(), 0.5);
  EXPECT_FALSE(hurdle.RecordAndCheck(0.49));
  EXPECT_TRUE(hurdle.RecordAndCheck(0.5));  // At the hurdle passes.
}

TEST(RollingHurdleTest, PercentileEnds) {
  RollingHurdle lowest(0, 4, 4);
  RollingHurdle highest(100, 4, 4);
  for (double fitness : {0.4, 0.1, 0.3, 0.2}) {
    lowest.RecordAndCheck(fitness);
    highest.RecordAndCheck(fitness);
  }
  EXPECT_EQ(lowest.hurdle(), 0.1);
  EXPECT_EQ(highest.hurdle(), 0.4);
  EXPECT_TRUE(lowest.RecordAndCheck(0.1));
  EXPECT_FALSE(highest.RecordAndCheck(0.39));
}

TEST(RollingHurdleTest, OnlyTheWindowCounts) {
  RollingHurdle hurdle(/*percentile=*/0, /*window_size=*/4, /*min_samples=*/4);
  for (double fitness : {0.1, 0.2, 0.3, 0.4}) hurdle.RecordAndCheck(fitness);
  EXPECT_EQ(hurdle.hurdle(), 0.1);
  // Four better candidates push all the old ones out of the window.
  for (double fitness : {0.8, 0.9, 0.8, 0.9}) EXPECT_TRUE(hurdle.RecordAndCheck(fitness));
  EXPECT_EQ(hurdle.hurdle(), 0.8);
  EXPECT_FALSE(hurdle.RecordAndCheck(0.79));
}

TEST(RollingHurdleTest, CutsTheExpectedShareOfARandomStream) {
  RollingHurdle hurdle(/*percentile=*/75, /*window_size=*/200, /*min_samples=*/50);
  Rng rng(8);
  int cuts = 0;
  constexpr int kCandidates = 4000;
  for (int i = 0; i < kCandidates; ++i) cuts += !hurdle.RecordAndCheck(rng.UniformDouble());
  // About 75% of uniform values fall below the 75th percentile (minus the first 50).
  EXPECT_GT(cuts, 0.70 * kCandidates);
  EXPECT_LT(cuts, 0.78 * kCandidates);
}

// --- Hurdles in the search evaluator ---

constexpr int kFeatureSize = 4;
constexpr int kNumTasks = 4;
constexpr int kTrainPerTask = 30;

std::vector<Dataset> LinearTasks() {
  std::vector<Dataset> tasks;
  for (int t = 0; t < kNumTasks; ++t) {
    tasks.push_back(RandomLinearDataset(kFeatureSize, kTrainPerTask, 20, 0, 100 + t));
  }
  return tasks;
}

ExecutorOptions Options() {
  ExecutorOptions options;
  options.shape = MachineShape{4, 3, 1, kFeatureSize};
  return options;
}

std::unique_ptr<Executor> MakeExecutor() {
  absl::StatusOr<std::unique_ptr<Executor>> executor = Executor::Create(LinearTasks(), Options());
  EXPECT_TRUE(executor.ok()) << executor.status();
  return *std::move(executor);
}

SearchEvaluatorOptions HurdleOptions() {
  SearchEvaluatorOptions options;
  options.fec_enabled = false;  // Every candidate reaches the hurdle.
  options.hurdles_enabled = true;
  options.hurdle_first_stage_tasks = 1;
  // Above the median: with as many useless as good candidates in the window, the hurdle is
  // the worst good one, not the (repeated) useless fitness, which would pass "at the hurdle".
  options.hurdle_percentile = 60;
  options.hurdle_window_size = 10;
  options.hurdle_min_samples = 4;
  return options;
}

// Learns nothing: always predicts 0.
Program ZeroPredictor() { return NoOpProgram(1, 1, 1); }

TEST(HurdleEvaluatorTest, BadCandidatePassesBeforeMinSamples) {
  SearchEvaluator evaluator(MakeExecutor(), HurdleOptions());
  std::unique_ptr<Executor> reference = MakeExecutor();
  const Fitness fitness = evaluator.Evaluate(ZeroPredictor());
  EXPECT_EQ(fitness, reference->Evaluate(ZeroPredictor()));
  EXPECT_EQ(evaluator.stats().hurdle_checks, 1);
  EXPECT_EQ(evaluator.stats().hurdle_cuts, 0);
  EXPECT_EQ(evaluator.stats().full_evaluations, 1);
  EXPECT_EQ(evaluator.train_steps(), kNumTasks * kTrainPerTask);
}

TEST(HurdleEvaluatorTest, CandidateBelowThePercentileIsCutWithTheSkippedTasksFailed) {
  SearchEvaluator evaluator(MakeExecutor(), HurdleOptions());
  std::unique_ptr<Executor> reference = MakeExecutor();
  // Four good learners fill min_samples.
  for (double rate : {0.02, 0.04, 0.06, 0.08}) {
    const Program program = LinearRegressionSgdProgram(rate);
    EXPECT_EQ(evaluator.Evaluate(program), reference->Evaluate(program));
  }
  ASSERT_EQ(evaluator.stats().full_evaluations, 4);
  const int64_t steps = evaluator.train_steps();

  // The zero predictor's first-stage fitness is far below theirs: cut after the first task.
  const Fitness cut = evaluator.Evaluate(ZeroPredictor());
  const double first_stage = reference->EvaluateTaskFitness(ZeroPredictor(), 0);
  EXPECT_EQ(cut.quality, first_stage / kNumTasks);       // The mean with 0 for the skipped tasks.
  EXPECT_NE(cut, reference->Evaluate(ZeroPredictor()));  // Not the full fitness.
  EXPECT_EQ(evaluator.train_steps() - steps, kTrainPerTask);
  EXPECT_EQ(evaluator.stats().hurdle_cuts, 1);
  EXPECT_EQ(evaluator.stats().full_evaluations, 4);

  // A good learner still gets its full evaluation. The hurdle is now the 0.04 learner's
  // first-stage fitness (rank 2 of 5), which a faster learner beats.
  const Program good = LinearRegressionSgdProgram(0.1);
  ASSERT_GT(reference->EvaluateTaskFitness(good, 0),
            reference->EvaluateTaskFitness(LinearRegressionSgdProgram(0.04), 0));
  EXPECT_EQ(evaluator.Evaluate(good), reference->Evaluate(good));
  EXPECT_EQ(evaluator.stats().full_evaluations, 5);
  EXPECT_EQ(evaluator.stats().hurdle_checks, 6);
  EXPECT_DOUBLE_EQ(evaluator.stats().hurdle_cut_rate(), 1.0 / 6.0);
}

// Task 0 is an easy linear task; on tasks 1..3 the labels are scaled by 50, so every program
// scores low there. A candidate cut on task 0 alone then has a first-stage fitness above the
// full fitness of the learners that passed, and must still rank below them.
std::unique_ptr<Executor> EasyFirstTaskExecutor() {
  std::vector<Dataset> tasks = LinearTasks();
  for (int t = 1; t < kNumTasks; ++t) {
    for (DataSplit* split : {&tasks[t].train, &tasks[t].valid}) {
      for (double& label : split->labels) label *= 50.0;
    }
  }
  absl::StatusOr<std::unique_ptr<Executor>> executor = Executor::Create(tasks, Options());
  EXPECT_TRUE(executor.ok()) << executor.status();
  return *std::move(executor);
}

TEST(HurdleEvaluatorTest, CutCandidateRanksBelowTheFullEvaluationsWhenTheFirstStageIsEasier) {
  SearchEvaluator evaluator(EasyFirstTaskExecutor(), HurdleOptions());
  std::unique_ptr<Executor> reference = EasyFirstTaskExecutor();
  double worst_full = 1.0;
  for (double rate : {0.02, 0.04, 0.06, 0.08}) {
    const Fitness full = evaluator.Evaluate(LinearRegressionSgdProgram(rate));
    worst_full = std::min(worst_full, full.quality);
  }
  ASSERT_EQ(evaluator.stats().full_evaluations, 4);
  // The situation the rule is for: the zero predictor's first stage beats the learners' full
  // fitness, but not their first stage.
  const double first_stage = reference->EvaluateTaskFitness(ZeroPredictor(), 0);
  ASSERT_GT(first_stage, worst_full);
  const Fitness cut = evaluator.Evaluate(ZeroPredictor());
  ASSERT_EQ(evaluator.stats().hurdle_cuts, 1);
  EXPECT_LT(cut.quality, worst_full);
  EXPECT_EQ(cut.quality, first_stage / kNumTasks);
}

TEST(HurdleEvaluatorTest, CutRateOverManyCandidates) {
  SearchEvaluator evaluator(MakeExecutor(), HurdleOptions());
  // Alternate good and useless candidates: after min_samples, about half are cut.
  for (int i = 0; i < 40; ++i) {
    evaluator.Evaluate(i % 2 == 0 ? LinearRegressionSgdProgram(0.01 + 0.001 * i) : ZeroPredictor());
  }
  const SearchEvaluatorStats& stats = evaluator.stats();
  EXPECT_EQ(stats.hurdle_checks, 40);
  EXPECT_EQ(stats.full_evaluations + stats.hurdle_cuts, 40);
  EXPECT_GE(stats.hurdle_cuts, 15);
  EXPECT_LE(stats.hurdle_cuts, 20);
  EXPECT_DOUBLE_EQ(stats.hurdle_cut_rate(), stats.hurdle_cuts / 40.0);
}

TEST(HurdleEvaluatorTest, HurdlesOffMeansNoChecks) {
  SearchEvaluatorOptions options = HurdleOptions();
  options.hurdles_enabled = false;
  SearchEvaluator evaluator(MakeExecutor(), options);
  for (int i = 0; i < 10; ++i) evaluator.Evaluate(ZeroPredictor());
  EXPECT_EQ(evaluator.stats().hurdle_checks, 0);
  EXPECT_EQ(evaluator.stats().hurdle_cut_rate(), 0.0);
  EXPECT_EQ(evaluator.stats().full_evaluations, 10);
}

// --- Train budget ---

// The linear learner's cost per example at F=4: dot (4) + diff (1) + product (1) +
// scalar-vector product (4) + vector sum (4).
constexpr double kLinearCost = 14.0;

SearchEvaluatorOptions BudgetOptions() {
  SearchEvaluatorOptions options;
  options.fec_enabled = true;
  options.max_cost_per_example = 2.0 * kLinearCost;
  return options;
}

// The linear learner plus `extra` scalar additions (cost 1 each) at the end of Learn, where
// they change nothing (s2 is recomputed before it is read again).
Program LinearWithExtraCost(int extra) {
  Program program = LinearRegressionSgdProgram(0.05);
  Instruction add;
  add.op = Op::SCALAR_SUM;
  add.out = 2;
  add.in1 = 2;
  add.in2 = 3;
  program.learn.insert(program.learn.end(), extra, add);
  return program;
}

TEST(TrainBudgetTest, CostPerExampleCountsPredictAndLearnOnly) {
  const Program linear = LinearRegressionSgdProgram(0.05);
  EXPECT_EQ(CostPerExample(linear, kFeatureSize), kLinearCost);
  EXPECT_EQ(CostPerExample(LinearWithExtraCost(5), kFeatureSize), kLinearCost + 5);
  Program expensive_setup = linear;
  Instruction product;
  product.op = Op::MATRIX_MATRIX_PRODUCT;
  expensive_setup.setup.push_back(product);
  EXPECT_EQ(CostPerExample(expensive_setup, kFeatureSize), kLinearCost);
}

TEST(TrainBudgetTest, OverBudgetGetsZeroWithoutRunning) {
  SearchEvaluator evaluator(MakeExecutor(), BudgetOptions());
  const Program over = LinearWithExtraCost(15);  // 29 > 28.
  ASSERT_GT(CostPerExample(over, kFeatureSize), 2.0 * kLinearCost);
  const Fitness fitness = evaluator.Evaluate(over);
  EXPECT_EQ(fitness.quality, 0.0);
  EXPECT_EQ(evaluator.train_steps(), 0);  // Not even the FEC signature ran.
  EXPECT_EQ(evaluator.stats().budget_rejections, 1);
  EXPECT_EQ(evaluator.stats().fec_lookups, 0);
  EXPECT_EQ(evaluator.stats().full_evaluations, 0);

  // A matrix product in Predict (cost F^3 = 64) is over too.
  Program matrix = LinearRegressionSgdProgram(0.05);
  Instruction product;
  product.op = Op::MATRIX_MATRIX_PRODUCT;
  matrix.predict.push_back(product);
  EXPECT_EQ(evaluator.Evaluate(matrix).quality, 0.0);
  EXPECT_EQ(evaluator.train_steps(), 0);
  EXPECT_EQ(evaluator.stats().budget_rejections, 2);
}

TEST(TrainBudgetTest, AtOrUnderBudgetRuns) {
  SearchEvaluator evaluator(MakeExecutor(), BudgetOptions());
  std::unique_ptr<Executor> reference = MakeExecutor();
  const Program at_limit = LinearWithExtraCost(14);  // 28 = 28.
  ASSERT_EQ(CostPerExample(at_limit, kFeatureSize), 2.0 * kLinearCost);
  const Fitness fitness = evaluator.Evaluate(at_limit);
  EXPECT_GT(evaluator.train_steps(), 0);
  EXPECT_EQ(fitness, reference->Evaluate(at_limit));
  EXPECT_EQ(fitness, reference->Evaluate(LinearRegressionSgdProgram(0.05)));
  EXPECT_EQ(evaluator.stats().budget_rejections, 0);
  EXPECT_EQ(evaluator.stats().full_evaluations, 1);
}

TEST(TrainBudgetTest, DisabledBudgetRunsEverything) {
  SearchEvaluatorOptions options = BudgetOptions();
  options.max_cost_per_example = 0.0;
  SearchEvaluator evaluator(MakeExecutor(), options);
  evaluator.Evaluate(LinearWithExtraCost(100));
  EXPECT_EQ(evaluator.stats().budget_rejections, 0);
  EXPECT_GT(evaluator.train_steps(), 0);
}

// --- Options from a spec ---

TEST(SearchEvaluatorOptionsTest, ReadsTheSpecsFecAndHurdleSettings) {
  ExperimentSpec spec;
  spec.mutable_fec()->set_enabled(false);
  spec.mutable_fec()->set_num_train_examples(7);
  spec.mutable_fec()->set_num_valid_examples(3);
  spec.mutable_fec()->set_cache_size(55);
  spec.mutable_hurdles()->set_enabled(true);
  spec.mutable_hurdles()->set_num_first_stage_tasks(2);
  spec.mutable_hurdles()->set_percentile(60);
  spec.mutable_hurdles()->set_window_size(300);
  spec.mutable_hurdles()->set_min_samples(30);
  const SearchEvaluatorOptions options = SearchEvaluatorOptionsFromSpec(spec);
  EXPECT_FALSE(options.fec_enabled);
  EXPECT_EQ(options.fec_num_train, 7);
  EXPECT_EQ(options.fec_num_valid, 3);
  EXPECT_EQ(options.fec_cache_size, 55);
  EXPECT_TRUE(options.hurdles_enabled);
  EXPECT_EQ(options.hurdle_first_stage_tasks, 2);
  EXPECT_EQ(options.hurdle_percentile, 60);
  EXPECT_EQ(options.hurdle_window_size, 300);
  EXPECT_EQ(options.hurdle_min_samples, 30);
}

}  // namespace
}  // namespace automl

// The objectives in the search: the search evaluator returns every requested objective (from
// the FEC on a hit), computes the static ones for each program itself, gives a program the
// budget rejects the worst values, and keeps hurdle-cut results out of the FEC; every place a
// fitness is saved or sent (FitnessProto, members, the FEC in checkpoints, experiment
// summaries) keeps all objectives and still reads what older builds wrote.
#include <cmath>
#include <memory>
#include <utility>
#include <vector>

#include "evolution/checkpoint.h"
#include "evolution/experiment_records.h"
#include "evolution/fitness_proto.h"
#include "evolution/member_proto.h"
#include "evolution/search_evaluator.h"
#include "executor/executor.h"
#include "executor/objectives.h"
#include "gtest/gtest.h"
#include "instructions/ops.h"
#include "instructions/program.h"
#include "instructions/standard_programs.h"
#include "tests/grouped_data.h"
#include "tests/test_util.h"

namespace automl {
namespace {

std::unique_ptr<Executor> GroupedExecutor(std::vector<Objective> objectives) {
  ExecutorOptions options;
  options.shape = MachineShape{4, 3, 0, kGroupedFeatureSize};
  options.objectives = std::move(objectives);
  absl::StatusOr<std::unique_ptr<Executor>> executor =
      Executor::Create({GroupedDataset(GroupedValidExamples(), GroupedTestExamples())}, options);
  EXPECT_TRUE(executor.ok()) << executor.status();
  return *std::move(executor);
}

const std::vector<Objective> kMetrics = {Objective::kAuc, Objective::kDppl,
                                         Objective::kEqualizedOddsDifference,
                                         Objective::kDisparateImpact};

SearchEvaluatorOptions FecOptions() {
  SearchEvaluatorOptions options;
  options.fec_num_train = 4;
  options.fec_num_valid = 4;
  return options;
}

// FirstFeatureProgram times an exact 1: the same predictions from more live code (Setup
// s2 = 1; Predict s1 = s1 * s2).
Program SlowerFirstFeatureProgram() {
  Program program = FirstFeatureProgram();
  program.setup.push_back(Ins(Op::SCALAR_CONST_SET, 2, 0, 0, 1.0));
  program.predict.push_back(Ins(Op::SCALAR_PRODUCT, 1, 1, 2));
  return program;
}

// The hand-computed validation metrics of GroupedValidExamples (tests/grouped_data.h).
Fitness HandComputedValid() {
  Fitness fitness;
  fitness.quality = 5.0 / 8;
  fitness.auc = 13.5 / 16;
  fitness.dppl = 0.25;
  fitness.equalized_odds_difference = 0.5;
  fitness.disparate_impact = 0.5;
  return fitness;
}

TEST(SearchEvaluatorObjectivesTest, FecHitReturnsEveryDataDependentObjective) {
  SearchEvaluator evaluator(GroupedExecutor(kMetrics), FecOptions());
  EXPECT_EQ(evaluator.Evaluate(FirstFeatureProgram()), HandComputedValid());
  EXPECT_EQ(evaluator.Evaluate(FirstFeatureProgram()), HandComputedValid());
  EXPECT_EQ(evaluator.stats().fec_hits, 1);
  EXPECT_EQ(evaluator.stats().full_evaluations, 1);
}

TEST(SearchEvaluatorObjectivesTest, StaticObjectivesAreThoseOfEachProgram) {
  SearchEvaluatorOptions options = FecOptions();
  options.static_objectives = true;
  SearchEvaluator evaluator(GroupedExecutor(kMetrics), options);
  Fitness expected = HandComputedValid();
  expected.inference_cost = 2.0;  // dot at F = 2.
  expected.training_cost = 2.0;
  expected.size = 2.0;
  EXPECT_EQ(evaluator.Evaluate(FirstFeatureProgram()), expected);
  // Functionally equal: an FEC hit, with its own cost and size.
  expected.inference_cost = 3.0;
  expected.training_cost = 3.0;
  expected.size = 4.0;
  EXPECT_EQ(evaluator.Evaluate(SlowerFirstFeatureProgram()), expected);
  EXPECT_EQ(evaluator.stats().fec_hits, 1);
  // The FEC holds the data-dependent objectives alone.
  EXPECT_EQ(evaluator.fec()->EntriesOldestFirst()[0].second, HandComputedValid());
}

TEST(SearchEvaluatorObjectivesTest, DefaultComputesQualityAlone) {
  SearchEvaluator evaluator(GroupedExecutor({}), FecOptions());
  EXPECT_EQ(evaluator.Evaluate(SlowerFirstFeatureProgram()), Fitness{5.0 / 8});
}

TEST(SearchEvaluatorObjectivesTest, BudgetRejectionGetsTheWorstValues) {
  SearchEvaluatorOptions options = FecOptions();
  options.static_objectives = true;
  options.max_cost_per_example = 1.0;  // Below the dot product's 2.
  SearchEvaluator evaluator(GroupedExecutor(kMetrics), options);
  Fitness expected;
  expected.dppl = 1.0;
  expected.equalized_odds_difference = 1.0;
  expected.inference_cost = 2.0;
  expected.training_cost = 2.0;
  expected.size = 2.0;
  EXPECT_EQ(evaluator.Evaluate(FirstFeatureProgram()), expected);
  EXPECT_EQ(evaluator.stats().budget_rejections, 1);
}

TEST(SearchEvaluatorObjectivesTest, HurdleCutResultsStayOutOfTheFec) {
  std::vector<Dataset> tasks;
  for (int t = 0; t < 4; ++t) tasks.push_back(RandomLinearDataset(4, 30, 20, 0, 100 + t));
  ExecutorOptions executor_options;
  executor_options.shape = MachineShape{4, 3, 1, 4};
  absl::StatusOr<std::unique_ptr<Executor>> executor = Executor::Create(tasks, executor_options);
  ASSERT_TRUE(executor.ok()) << executor.status();
  SearchEvaluatorOptions options;
  options.hurdles_enabled = true;
  options.hurdle_percentile = 60;
  options.hurdle_window_size = 10;
  options.hurdle_min_samples = 4;
  SearchEvaluator evaluator(*std::move(executor), options);
  for (double rate : {0.02, 0.04, 0.06, 0.08}) {
    evaluator.Evaluate(LinearRegressionSgdProgram(rate));
  }
  ASSERT_EQ(evaluator.fec()->size(), 4);
  const Program zero = NoOpProgram(1, 1, 1);
  const Fitness cut = evaluator.Evaluate(zero);
  ASSERT_EQ(evaluator.stats().hurdle_cuts, 1);
  EXPECT_EQ(evaluator.fec()->size(), 4);
  // The same program again: no FEC hit, its own hurdle check (and cut).
  EXPECT_EQ(evaluator.Evaluate(zero), cut);
  EXPECT_EQ(evaluator.stats().fec_hits, 0);
  EXPECT_EQ(evaluator.stats().hurdle_checks, 6);
  EXPECT_EQ(evaluator.stats().hurdle_cuts, 2);
}

TEST(SearchEvaluatorObjectivesTest, OptionsFromSpecAskForStaticObjectivesOnlyWhenUsed) {
  ExperimentSpec spec;
  EXPECT_FALSE(SearchEvaluatorOptionsFromSpec(spec).static_objectives);
  spec.mutable_objectives()->add_report(AUC);
  EXPECT_FALSE(SearchEvaluatorOptionsFromSpec(spec).static_objectives);
  spec.mutable_objectives()->add_report(SIZE);
  EXPECT_TRUE(SearchEvaluatorOptionsFromSpec(spec).static_objectives);
}

// --- Saving and sending ---

Fitness EveryField() {
  Fitness fitness;
  for (const ObjectiveInfo& info : kObjectiveTable) {
    *MutableObjectiveValue(&fitness, info.objective) =
        0.125 * (static_cast<int>(info.objective) + 1);
  }
  return fitness;
}

TEST(FitnessProtoTest, RoundTripsEveryObjective) {
  FitnessProto proto;
  ToProto(EveryField(), &proto);
  EXPECT_EQ(FromProto(proto), EveryField());
  // Through bytes, as checkpoints and ranks send it.
  FitnessProto parsed;
  ASSERT_TRUE(parsed.ParseFromString(proto.SerializeAsString()));
  EXPECT_EQ(FromProto(parsed), EveryField());
}

TEST(FitnessProtoTest, WritesOnlyWhatIsNotZero) {
  FitnessProto proto;
  ToProto(Fitness{}, &proto);
  EXPECT_EQ(proto.ByteSizeLong(), 0u);
  ToProto(Fitness{0.5}, &proto);
  EXPECT_TRUE(proto.has_quality());
  EXPECT_FALSE(proto.has_auc());
  Fitness negative_zero;
  negative_zero.dppl = -0.0;
  ToProto(negative_zero, &proto);
  EXPECT_TRUE(std::signbit(FromProto(proto).dppl));
}

TEST(MemberProtoTest, KeepsEveryObjectiveAndReadsOldMembers) {
  Individual individual{std::make_shared<const Program>(FirstFeatureProgram()), EveryField()};
  MemberProto proto;
  ToProto(individual, &proto);
  absl::StatusOr<Individual> read = FromProto(proto);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->fitness, EveryField());

  proto.clear_objectives();
  proto.set_fitness(0.25);  // As older builds wrote it.
  read = FromProto(proto);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->fitness, Fitness{0.25});
}

TEST(CheckpointFecTest, RoundTripsFullFitnessAndReadsTheOldFormat) {
  SearchEvaluator evaluator(GroupedExecutor(kMetrics), FecOptions());
  evaluator.Evaluate(FirstFeatureProgram());
  Program nan = FirstFeatureProgram();
  nan.predict.push_back(Ins(Op::SCALAR_DIVISION, 1, 0, 0));  // 0 / 0.
  evaluator.Evaluate(nan);
  SearchEvaluatorStateProto saved;
  SaveEvaluatorState(evaluator, &saved);
  EXPECT_EQ(saved.fec_objectives_size(), 2);
  EXPECT_EQ(saved.fec_fitness_size(), 0);

  SearchEvaluator restored(GroupedExecutor(kMetrics), FecOptions());
  ASSERT_TRUE(RestoreEvaluatorState(saved, restored).ok());
  EXPECT_EQ(restored.fec()->EntriesOldestFirst(), evaluator.fec()->EntriesOldestFirst());
  EXPECT_EQ(restored.fec()->EntriesOldestFirst()[0].second, HandComputedValid());

  SearchEvaluatorStateProto old = saved;
  old.clear_fec_objectives();
  old.add_fec_fitness(0.5);
  old.add_fec_fitness(0.25);
  SearchEvaluator from_old(GroupedExecutor(kMetrics), FecOptions());
  ASSERT_TRUE(RestoreEvaluatorState(old, from_old).ok());
  EXPECT_EQ(from_old.fec()->EntriesOldestFirst()[1].second, Fitness{0.25});

  SearchEvaluatorStateProto both = saved;
  both.add_fec_fitness(0.5);
  both.add_fec_fitness(0.25);
  EXPECT_FALSE(RestoreEvaluatorState(both, from_old).ok());
}

TEST(ExperimentSummaryProtoTest, KeepsTheObjectivesAndReadsOldSummaries) {
  ExperimentSummary summary;
  summary.best_program = FirstFeatureProgram();
  summary.search_fitness = 0.125;
  summary.select_fitness = 0.75;
  summary.search_objectives = EveryField();
  summary.select_objectives = HandComputedValid();
  ExperimentSummaryProto proto = ToProto(summary);
  absl::StatusOr<ExperimentSummary> read = FromProto(proto);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->search_objectives, EveryField());
  EXPECT_EQ(read->select_objectives, HandComputedValid());

  proto.clear_search_objectives();
  proto.clear_select_objectives();
  read = FromProto(proto);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->search_objectives, Fitness{0.125});
  EXPECT_EQ(read->select_objectives, Fitness{0.75});
}

}  // namespace
}  // namespace automl

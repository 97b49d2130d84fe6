// The executor's objectives beyond quality: the classification metrics at the best epoch
// (validation and test) against hand computations, combined over tasks; the worst values when
// no epoch completes; nothing changes when none is requested; Create's refusals; the static
// objectives (costs and size of the live code).
#include "executor/executor_objectives.h"

#include <memory>
#include <vector>

#include "executor/dataset.h"
#include "executor/executor.h"
#include "executor/objectives.h"
#include "executor/static_objectives.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "instructions/ops.h"
#include "instructions/program.h"
#include "tests/grouped_data.h"
#include "tests/test_util.h"

namespace automl {
namespace {

using ::testing::HasSubstr;

constexpr int kF = kGroupedFeatureSize;
using Example = GroupedExample;

const std::vector<Example>& kValid = GroupedValidExamples();
const std::vector<Example>& kTest = GroupedTestExamples();

// Predict: s1 = s0 / s0 = NaN (s0 is 0 in Predict): the first prediction fails.
Program NanProgram() {
  Program program;
  program.predict = {Ins(Op::SCALAR_DIVISION, 1, 0, 0)};
  return program;
}

ExecutorOptions Options(std::vector<Objective> objectives) {
  ExecutorOptions options;
  options.shape = MachineShape{4, 3, 0, kF};
  options.objectives = std::move(objectives);
  return options;
}

const std::vector<Objective> kAllMetrics = {Objective::kAuc, Objective::kDppl,
                                            Objective::kEqualizedOddsDifference,
                                            Objective::kDisparateImpact};

std::unique_ptr<Executor> MustCreate(const std::vector<Dataset>& datasets,
                                     const ExecutorOptions& options) {
  absl::StatusOr<std::unique_ptr<Executor>> executor = Executor::Create(datasets, options);
  EXPECT_TRUE(executor.ok()) << executor.status();
  return executor.ok() ? *std::move(executor) : nullptr;
}

TEST(ExecutorObjectivesTest, MetricsOnValidationAndTestAtTheBestEpoch) {
  const auto executor = MustCreate({GroupedDataset(kValid, kTest)}, Options(kAllMetrics));
  const Fitness fitness = executor->Evaluate(FirstFeatureProgram());
  EXPECT_DOUBLE_EQ(fitness.quality, 5.0 / 8);
  EXPECT_DOUBLE_EQ(fitness.auc, 13.5 / 16);
  EXPECT_DOUBLE_EQ(fitness.dppl, 0.25);
  EXPECT_DOUBLE_EQ(fitness.equalized_odds_difference, 0.5);
  EXPECT_DOUBLE_EQ(fitness.disparate_impact, 0.5);
  EXPECT_EQ(executor->EvaluateTask(FirstFeatureProgram(), 0), fitness);

  const TaskScore score = executor->EvaluatePerTask(FirstFeatureProgram())[0];
  EXPECT_DOUBLE_EQ(score.valid_metrics.auc, 13.5 / 16);
  EXPECT_DOUBLE_EQ(score.test_fitness, 0.75);
  EXPECT_DOUBLE_EQ(score.test_metrics.auc, 3.5 / 4);
  EXPECT_DOUBLE_EQ(score.test_metrics.dppl, 0.5);
  EXPECT_DOUBLE_EQ(score.test_metrics.equalized_odds_difference, 1.0);
  EXPECT_DOUBLE_EQ(score.test_metrics.disparate_impact, 0.5);
}

TEST(ExecutorObjectivesTest, CombinesTasksLikeQuality) {
  std::vector<Dataset> datasets = {GroupedDataset(kValid, {}), GroupedDataset(kTest, {})};
  const auto mean = MustCreate(datasets, Options(kAllMetrics));
  const Fitness fitness = mean->Evaluate(FirstFeatureProgram());
  EXPECT_DOUBLE_EQ(fitness.quality, (5.0 / 8 + 0.75) / 2);
  EXPECT_DOUBLE_EQ(fitness.auc, (13.5 / 16 + 3.5 / 4) / 2);
  EXPECT_DOUBLE_EQ(fitness.dppl, (0.25 + 0.5) / 2);
  EXPECT_DOUBLE_EQ(fitness.equalized_odds_difference, (0.5 + 1.0) / 2);
  // One task: Evaluate on a range.
  EXPECT_DOUBLE_EQ(mean->Evaluate(FirstFeatureProgram(), 1, 1).auc, 3.5 / 4);

  datasets.push_back(GroupedDataset(kValid, {}));
  ExecutorOptions options = Options(kAllMetrics);
  options.combination = TaskCombination::kMedian;
  const Fitness median = MustCreate(datasets, options)->Evaluate(FirstFeatureProgram());
  EXPECT_DOUBLE_EQ(median.auc, 13.5 / 16);
  EXPECT_DOUBLE_EQ(median.dppl, 0.25);
}

TEST(ExecutorObjectivesTest, NoEpochGivesTheWorstValues) {
  const auto executor = MustCreate({GroupedDataset(kValid, kTest)}, Options(kAllMetrics));
  const Fitness fitness = executor->Evaluate(NanProgram());
  Fitness worst;
  worst.dppl = 1.0;
  worst.equalized_odds_difference = 1.0;
  EXPECT_EQ(fitness, worst);
  EXPECT_EQ(WorstFitness(RequestedMetrics(Options(kAllMetrics))), worst);
  const TaskScore score = executor->EvaluatePerTask(NanProgram())[0];
  EXPECT_EQ(score.test_metrics.dppl, 1.0);
  EXPECT_EQ(score.test_metrics.auc, 0.0);
}

TEST(ExecutorObjectivesTest, OnlyRequestedMetricsAndQualityUnchanged) {
  const std::vector<Dataset> datasets = {GroupedDataset(kValid, kTest)};
  const auto plain = MustCreate(datasets, Options({}));
  const auto auc = MustCreate(datasets, Options({Objective::kAuc, Objective::kSize}));
  for (const Program& program : {FirstFeatureProgram(), NanProgram()}) {
    const Fitness quality_only = plain->Evaluate(program);
    EXPECT_EQ(quality_only, Fitness{quality_only.quality});
    const Fitness with_auc = auc->Evaluate(program);
    EXPECT_EQ(with_auc.quality, quality_only.quality);
    EXPECT_EQ(with_auc.dppl, 0.0);
    EXPECT_EQ(plain->EvaluatePerTask(program)[0].test_fitness,
              auc->EvaluatePerTask(program)[0].test_fitness);
  }
  EXPECT_DOUBLE_EQ(auc->Evaluate(FirstFeatureProgram()).auc, 13.5 / 16);
}

TEST(ExecutorObjectivesTest, CreateRefusesTasksThatCannotGiveAnObjective) {
  Dataset regression = RandomLinearDataset(kF, 4, 4, 0, 1);
  regression.name = "reg";
  absl::Status status = Executor::Create({regression}, Options({Objective::kAuc})).status();
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("task reg: objective auc needs a classification task"));

  Dataset no_groups = GroupedDataset(kValid, kTest);
  no_groups.valid.groups.clear();
  status = Executor::Create({no_groups}, Options({Objective::kDisparateImpact})).status();
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("task grouped: objective disparate_impact needs a group column"));
  // AUC needs no groups.
  EXPECT_TRUE(Executor::Create({no_groups}, Options({Objective::kAuc})).ok());

  std::vector<Example> advantaged_only = kValid;
  for (Example& e : advantaged_only) e.group = 0;
  status =
      Executor::Create({GroupedDataset(advantaged_only, {})}, Options({Objective::kDppl})).status();
  EXPECT_EQ(status.message(),
            "task grouped: validation split has no example of the sensitive group 1");
  ExecutorOptions sensitive_zero = Options({Objective::kDppl});
  sensitive_zero.sensitive_group = 0;
  status = Executor::Create({GroupedDataset(advantaged_only, {})}, sensitive_zero).status();
  EXPECT_EQ(status.message(),
            "task grouped: validation split has no example outside the sensitive group 0");
  std::vector<Example> test_sensitive_only = kTest;
  for (Example& e : test_sensitive_only) e.group = 1;
  status = Executor::Create({GroupedDataset(kValid, test_sensitive_only)},
                            Options({Objective::kEqualizedOddsDifference}))
               .status();
  EXPECT_EQ(status.message(),
            "task grouped: test split has no example outside the sensitive group 1");
}

// Setup: v1[0] = 1 (live), s3 = 5 (dead). Predict: s1 = dot(v0, v1) (live), s2 = s1 * s1
// (live while training: Learn reads s2), s3 = s3 + s3 (dead). Learn: v1 = s2 * v0 (live).
Program CostProgram() {
  Program program;
  Instruction one = Ins(Op::VECTOR_CONST_SET, 1, 0, 0, 1.0);
  program.setup = {one, Ins(Op::SCALAR_CONST_SET, 3, 0, 0, 5.0)};
  program.predict = {Ins(Op::VECTOR_INNER_PRODUCT, 1, 0, 1), Ins(Op::SCALAR_PRODUCT, 2, 1, 1),
                     Ins(Op::SCALAR_SUM, 3, 3, 3)};
  program.learn = {Ins(Op::SCALAR_VECTOR_PRODUCT, 1, 2, 0)};
  return program;
}

TEST(StaticObjectivesTest, CostsAndSizeOfTheLiveCode) {
  constexpr int kFour = 4;
  ExecutorOptions options;
  options.shape = MachineShape{4, 3, 0, kFour};
  const Dataset dataset = RandomLinearDataset(kFour, 4, 4, 0, 1);
  const Fitness live = MustCreate({dataset}, options)->StaticObjectives(CostProgram());
  EXPECT_EQ(live.inference_cost, 4.0);         // dot (F).
  EXPECT_EQ(live.training_cost, 4.0 + 1 + 4);  // dot, s1 * s1, s2 * v0.
  EXPECT_EQ(live.size, 4.0);
  EXPECT_EQ(live.quality, 0.0);

  options.dead_code_elimination = false;  // Everything runs.
  const Fitness all = MustCreate({dataset}, options)->StaticObjectives(CostProgram());
  EXPECT_EQ(all.inference_cost, 6.0);
  EXPECT_EQ(all.training_cost, 10.0);
  EXPECT_EQ(all.size, 6.0);
  EXPECT_EQ(FunctionCost(CostProgram().predict, kFour), 6.0);

  // Matrix ops cost F^2, the matrix product F^3.
  EXPECT_EQ(FunctionCost({Ins(Op::MATRIX_SUM), Ins(Op::MATRIX_MATRIX_PRODUCT)}, kFour),
            16.0 + 64.0);

  Fitness into;
  into.quality = 0.5;
  CopyStaticObjectives(live, into);
  EXPECT_EQ(into.quality, 0.5);
  EXPECT_EQ(into.training_cost, 9.0);
}

}  // namespace
}  // namespace automl

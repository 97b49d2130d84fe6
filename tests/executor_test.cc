// Tests of the executor's training and scoring protocol (executor/executor.h):
// the hand-written learners reach the fitness they should, divergence ends a
// task safely, results are deterministic, the FEC signature, task combination,
// creation errors, epoch shuffling, the isolation of scoring from training, independent
// predictions, and the sigmoid's shortcuts (bit for bit the formula).
// Datasets are generated here, independent of tasks/.
#include "executor/executor.h"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <iterator>
#include <limits>
#include <memory>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "executor/data_streams.h"
#include "executor/dataset.h"
#include "executor/executor_impl.h"
#include "executor/fitness.h"
#include "executor/fixed_task.h"
#include "gtest/gtest.h"
#include "instructions/instruction.h"
#include "instructions/program.h"
#include "instructions/random.h"
#include "instructions/standard_programs.h"
#include "tests/test_util.h"

namespace automl {
namespace {

// --- Dataset generators ---

using LabelFunction = std::function<double(const std::vector<double>& x)>;

void AddExamples(int count, int feature_size, Rng& rng, const LabelFunction& label,
                 DataSplit& split) {
  for (int i = 0; i < count; ++i) {
    std::vector<double> x(feature_size);
    for (double& value : x) value = rng.Gaussian(0.0, 1.0);
    split.features.insert(split.features.end(), x.begin(), x.end());
    split.labels.push_back(label(x));
  }
}

std::vector<double> GaussianWeights(int count, uint64_t seed) {
  Rng rng(seed);
  std::vector<double> w(count);
  for (double& value : w) value = rng.Gaussian(0.0, 1.0);
  return w;
}

double Dot(const std::vector<double>& a, const double* b) {
  double sum = 0.0;
  for (size_t k = 0; k < a.size(); ++k) sum += a[k] * b[k];
  return sum;
}

Dataset MakeDataset(const std::string& name, int feature_size, int num_train, int num_valid,
                    uint64_t data_seed, const LabelFunction& label,
                    EvalType eval_type = EvalType::kRmsError, int num_epochs = 1) {
  Dataset dataset;
  dataset.name = name;
  dataset.feature_size = feature_size;
  dataset.eval_type = eval_type;
  dataset.num_epochs = num_epochs;
  dataset.data_seed = data_seed;
  Rng rng(data_seed);
  AddExamples(num_train, feature_size, rng, label, dataset.train);
  AddExamples(num_valid, feature_size, rng, label, dataset.valid);
  return dataset;
}

// Scrambled linear regression: x ~ N(0, I), y = w . x with w ~ N(0, I) per
// task.
Dataset LinearDataset(int feature_size, int num_train, int num_valid, uint64_t seed,
                      int num_epochs = 1) {
  const std::vector<double> w = GaussianWeights(feature_size, DeriveSeed(seed, 1));
  return MakeDataset(
      "linear", feature_size, num_train, num_valid, seed,
      [w](const std::vector<double>& x) { return Dot(w, x.data()); }, EvalType::kRmsError,
      num_epochs);
}

// A teacher network y = u . relu(W x) with `hidden` units and W, u ~ N(0, 1).
Dataset TeacherDataset(int feature_size, int hidden, int num_train, int num_valid, uint64_t seed,
                       int num_epochs) {
  const std::vector<double> w = GaussianWeights(hidden * feature_size, DeriveSeed(seed, 1));
  const std::vector<double> u = GaussianWeights(hidden, DeriveSeed(seed, 2));
  auto label = [w, u, feature_size, hidden](const std::vector<double>& x) {
    double y = 0.0;
    for (int j = 0; j < hidden; ++j) {
      std::vector<double> row(w.begin() + j * feature_size, w.begin() + (j + 1) * feature_size);
      y += u[j] * std::max(0.0, Dot(row, x.data()));
    }
    return y;
  };
  return MakeDataset("teacher", feature_size, num_train, num_valid, seed, label,
                     EvalType::kRmsError, num_epochs);
}

// Linearly separable classification: y = 1 if w . x > 0 else 0.
Dataset ClassificationDataset(int feature_size, int num_train, int num_valid, uint64_t seed) {
  const std::vector<double> w = GaussianWeights(feature_size, DeriveSeed(seed, 1));
  return MakeDataset(
      "classification", feature_size, num_train, num_valid, seed,
      [w](const std::vector<double>& x) { return Dot(w, x.data()) > 0.0 ? 1.0 : 0.0; },
      EvalType::kAccuracy);
}

std::unique_ptr<Executor> MakeExecutor(const std::vector<Dataset>& datasets,
                                       const MachineShape& shape,
                                       TaskCombination combination = TaskCombination::kMean,
                                       uint64_t random_op_seed = 0) {
  ExecutorOptions options;
  options.shape = shape;
  options.combination = combination;
  options.random_op_seed = random_op_seed;
  absl::StatusOr<std::unique_ptr<Executor>> executor = Executor::Create(datasets, options);
  EXPECT_TRUE(executor.ok()) << executor.status();
  return executor.ok() ? std::move(*executor) : nullptr;
}

// --- Program building helpers ---

Instruction Const(int out, double value) {
  Instruction ins = Ins(Op::SCALAR_CONST_SET, out);
  ins.data0 = value;
  return ins;
}

MachineShape Shape(int feature_size, int scalars = 8, int vectors = 6, int matrices = 2) {
  MachineShape shape;
  shape.num_scalars = scalars;
  shape.num_vectors = vectors;
  shape.num_matrices = matrices;
  shape.feature_size = feature_size;
  return shape;
}

// --- (a)-(c): the hand-written learners ---

TEST(StandardProgramsTest, ShapesValidate) {
  for (int f : {2, 4, 8}) {
    EXPECT_TRUE(
        ValidateProgram(LinearRegressionSgdProgram(0.1), MinimumShapeForLinearRegression(f)).ok());
    EXPECT_TRUE(
        ValidateProgram(LogisticRegressionSgdProgram(0.1), MinimumShapeForLogisticRegression(f))
            .ok());
    EXPECT_TRUE(
        ValidateProgram(TwoLayerNetworkProgram(f, 0.1, 0.5), MinimumShapeForTwoLayerNetwork(f))
            .ok());
  }
  // The minimum shapes are tight: one register fewer fails.
  MachineShape smaller = MinimumShapeForTwoLayerNetwork(4);
  smaller.num_vectors = 5;
  EXPECT_FALSE(ValidateProgram(TwoLayerNetworkProgram(4, 0.1, 0.5), smaller).ok());
  smaller = MinimumShapeForTwoLayerNetwork(4);
  smaller.num_matrices = 1;
  EXPECT_FALSE(ValidateProgram(TwoLayerNetworkProgram(4, 0.1, 0.5), smaller).ok());
  smaller = MinimumShapeForLinearRegression(4);
  smaller.num_scalars = 3;
  EXPECT_FALSE(ValidateProgram(LinearRegressionSgdProgram(0.1), smaller).ok());
}

TEST(StandardProgramsTest, PaddingAddsNoOpsAndNeverTruncates) {
  const Program linear = LinearRegressionSgdProgram(0.1);
  const Program padded = PadProgram(linear, 3, 5, 2);
  EXPECT_EQ(padded.setup.size(), 3u);
  EXPECT_EQ(padded.predict.size(), 5u);
  EXPECT_EQ(padded.learn.size(), 4u);  // Already longer than 2.
  EXPECT_EQ(padded.setup[0], linear.setup[0]);
  EXPECT_EQ(padded.predict[0], linear.predict[0]);
  EXPECT_EQ(padded.learn, linear.learn);
  EXPECT_EQ(padded.setup[2].op, Op::NO_OP);
  const Program noop = NoOpProgram(1, 2, 3);
  EXPECT_EQ(noop.size(), 6);
  for (ComponentFunction f : kAllComponentFunctions) {
    for (const Instruction& ins : noop.function(f)) EXPECT_EQ(ins, Instruction());
  }
  // Padding does not change what a program computes.
  std::vector<Dataset> data = {LinearDataset(4, 100, 50, 5)};
  auto executor = MakeExecutor(data, MinimumShapeForLinearRegression(4));
  EXPECT_EQ(executor->Evaluate(linear), executor->Evaluate(PadProgram(linear, 10, 10, 10)));
}

constexpr double kLinearLearningRate = 0.05;

TEST(ExecutorLearningTest, LinearSgdSolvesLinearTasks) {
  std::vector<Dataset> data;
  for (int t = 0; t < 10; ++t) data.push_back(LinearDataset(4, 1000, 100, 100 + t));
  auto executor = MakeExecutor(data, MinimumShapeForLinearRegression(4));
  const std::vector<TaskScore> scores =
      executor->EvaluatePerTask(LinearRegressionSgdProgram(kLinearLearningRate));
  ASSERT_EQ(scores.size(), 10u);
  for (int t = 0; t < 10; ++t) {
    EXPECT_GT(scores[t].valid_fitness, 0.999) << "task " << t;
    EXPECT_FALSE(scores[t].diverged);
    EXPECT_EQ(scores[t].best_epoch, 0);
  }
  EXPECT_GT(executor->Evaluate(LinearRegressionSgdProgram(kLinearLearningRate)).quality, 0.999);
  // Learning matters: the same program without learning (zero weights) is far
  // worse.
  EXPECT_LT(executor->Evaluate(LinearRegressionSgdProgram(0.0)).quality, 0.6);
  EXPECT_EQ(executor->train_steps(), 3 * 10 * 1000);
}

TEST(ExecutorLearningTest, TwoLayerNetworkBeatsLinearOnATeacherNetwork) {
  // A 2-hidden-unit ReLU teacher, learned by a 4-hidden-unit student over 10
  // epochs. Measured (mean over the 10 tasks): linear 0.537, network 0.982.
  constexpr int kF = 4;
  std::vector<Dataset> data;
  for (int t = 0; t < 10; ++t) {
    data.push_back(TeacherDataset(kF, /*hidden=*/2, 1000, 100, 200 + t,
                                  /*num_epochs=*/10));
  }
  auto executor = MakeExecutor(data, MinimumShapeForTwoLayerNetwork(kF));
  const std::vector<TaskScore> linear = executor->EvaluatePerTask(LinearRegressionSgdProgram(0.01));
  const std::vector<TaskScore> network =
      executor->EvaluatePerTask(TwoLayerNetworkProgram(kF, 0.01, 0.5));
  double linear_mean = 0.0;
  double network_mean = 0.0;
  int network_wins = 0;
  for (int t = 0; t < 10; ++t) {
    linear_mean += linear[t].valid_fitness / 10;
    network_mean += network[t].valid_fitness / 10;
    network_wins += network[t].valid_fitness > linear[t].valid_fitness ? 1 : 0;
    EXPECT_FALSE(network[t].diverged) << "task " << t;
  }
  std::cout << "teacher task fitness: linear " << linear_mean << ", two-layer " << network_mean
            << "\n";
  EXPECT_LT(linear_mean, 0.7);
  EXPECT_GT(network_mean, 0.9);
  EXPECT_GT(network_mean, linear_mean + 0.3);
  EXPECT_GE(network_wins, 9);
}

TEST(ExecutorLearningTest, LogisticRegressionClassifies) {
  std::vector<Dataset> data;
  for (int t = 0; t < 5; ++t) data.push_back(ClassificationDataset(4, 1000, 200, 300 + t));
  auto executor = MakeExecutor(data, MinimumShapeForLogisticRegression(4));
  const std::vector<TaskScore> scores =
      executor->EvaluatePerTask(LogisticRegressionSgdProgram(0.5));
  for (int t = 0; t < 5; ++t) EXPECT_GT(scores[t].valid_fitness, 0.9) << "task " << t;
  // Untrained (logit 0, sigmoid exactly 0.5) it predicts class 0 everywhere: its
  // accuracy is the share of label-0 validation examples.
  double negative_share = 0.0;
  for (const Dataset& dataset : data) {
    int negatives = 0;
    for (double label : dataset.valid.labels) negatives += label == 0.0 ? 1 : 0;
    negative_share += static_cast<double>(negatives) / dataset.valid.size() / data.size();
  }
  EXPECT_DOUBLE_EQ(executor->Evaluate(LogisticRegressionSgdProgram(0.0)).quality, negative_share);
  EXPECT_GT(negative_share, 0.3);  // Both classes are present.
}

// --- (d), (e): divergence ---

void ExpectDiverges(const Program& program, const std::vector<Dataset>& data,
                    const std::string& what) {
  auto executor = MakeExecutor(data, Shape(4));
  ASSERT_TRUE(ValidateProgram(program, Shape(4)).ok()) << what;
  EXPECT_EQ(executor->Evaluate(program).quality, 0.0) << what;
  for (const TaskScore& score : executor->EvaluatePerTask(program)) {
    EXPECT_TRUE(score.diverged) << what;
    EXPECT_EQ(score.valid_fitness, 0.0) << what;
    EXPECT_EQ(score.best_epoch, -1) << what;
  }
}

TEST(ExecutorDivergenceTest, NonFiniteOrExplodingPredictionsScoreZero) {
  const std::vector<Dataset> regression = {LinearDataset(4, 100, 20, 1),
                                           LinearDataset(4, 100, 20, 2)};
  Program log_of_zero;  // s0 is 0 while Predict runs: log(0) = -inf.
  log_of_zero.predict = {Ins(Op::SCALAR_LOG, 1, 0)};
  ExpectDiverges(log_of_zero, regression, "log(0)");

  Program reciprocal_of_zero;
  reciprocal_of_zero.predict = {Ins(Op::SCALAR_RECIPROCAL, 1, 2)};
  ExpectDiverges(reciprocal_of_zero, regression, "1 / 0");

  Program zero_over_zero;
  zero_over_zero.predict = {Ins(Op::SCALAR_DIVISION, 1, 2, 2)};
  ExpectDiverges(zero_over_zero, regression, "0 / 0");

  // Finite but far off: the error exceeds max_abs_error (100).
  Program huge;
  huge.setup = {Const(2, 1e6)};
  huge.predict = {Ins(Op::SCALAR_SUM, 1, 2, 3)};
  ExpectDiverges(huge, regression, "1e6");

  // SGD with a step far too large: the weights blow up within a few examples.
  ExpectDiverges(LinearRegressionSgdProgram(50.0), regression, "exploding weights");

  // Classification: a NaN logit stays NaN through the sigmoid.
  const std::vector<Dataset> classification = {ClassificationDataset(4, 100, 20, 3)};
  ExpectDiverges(zero_over_zero, classification, "NaN logit");
}

TEST(ExecutorDivergenceTest, DivergenceInValidationEndsTheTask) {
  // The prediction is fine on training examples and infinite on validation
  // ones, told apart by a counter that Learn advances.
  Program program;
  program.setup = {Const(3, 1.0), Const(4, 99.5)};
  program.predict = {Ins(Op::SCALAR_DIFF, 6, 4, 5),  // s6 = 99.5 - examples learned
                     Ins(Op::SCALAR_HEAVISIDE, 6, 6), Ins(Op::SCALAR_LOG, 1, 6)};  // 0 or -inf.
  program.learn = {Ins(Op::SCALAR_SUM, 5, 5, 3)};
  const std::vector<Dataset> data = {LinearDataset(4, 100, 20, 1)};
  ExpectDiverges(program, data, "validation only");
}

// Predicts with fixed weights v1 = (1, ..., 1) plus a penalty of 1e6 once Learn
// has run more than `blowup_after` times, so training diverges in the second
// epoch.
Program DivergesAfter(int blowup_after) {
  Program program;
  program.setup = {Const(2, 1.0), Const(4, blowup_after + 0.5), Const(7, 1e6),
                   Ins(Op::SCALAR_BROADCAST, 1, 2)};
  program.predict = {Ins(Op::VECTOR_INNER_PRODUCT, 1, 0, 1),
                     Ins(Op::SCALAR_DIFF, 6, 3, 4),  // s6 = steps - (blowup_after + 0.5)
                     Ins(Op::SCALAR_HEAVISIDE, 6, 6), Ins(Op::SCALAR_PRODUCT, 6, 6, 7),
                     Ins(Op::SCALAR_SUM, 1, 1, 6)};
  program.learn = {Ins(Op::SCALAR_SUM, 3, 3, 2)};
  return program;
}

TEST(ExecutorDivergenceTest, DivergingInTheSecondEpochKeepsTheFirstEpochsFitness) {
  constexpr int kTrain = 50;
  const Program program = DivergesAfter(kTrain);
  const std::vector<Dataset> one_epoch = {LinearDataset(4, kTrain, 30, 7, /*num_epochs=*/1)};
  const std::vector<Dataset> three_epochs = {LinearDataset(4, kTrain, 30, 7, /*num_epochs=*/3)};
  auto single = MakeExecutor(one_epoch, Shape(4));
  auto multi = MakeExecutor(three_epochs, Shape(4));
  const TaskScore first = single->EvaluatePerTask(program)[0];
  const TaskScore later = multi->EvaluatePerTask(program)[0];
  // Epoch 1 stopped at its second example: the first still predicted before the
  // blow-up.
  EXPECT_EQ(multi->train_steps(), kTrain + 1);
  EXPECT_FALSE(first.diverged);
  EXPECT_GT(first.valid_fitness, 0.0);
  EXPECT_TRUE(later.diverged);
  EXPECT_EQ(later.best_epoch, 0);
  EXPECT_EQ(later.valid_fitness, first.valid_fitness);
  EXPECT_EQ(multi->Evaluate(program).quality, first.valid_fitness);
}

// Predicts with weights v1 that Learn re-draws at every step: each epoch ends with a different
// random predictor, so the epochs' fitnesses differ and the best beats the last.
Program RedrawsItsWeights() {
  Instruction draw = Ins(Op::VECTOR_GAUSSIAN_SET, 1);
  draw.data0 = 0.0;
  draw.data1 = 1.0;
  Program program;
  program.predict = {Ins(Op::VECTOR_INNER_PRODUCT, 1, 0, 1)};
  program.learn = {draw};
  return program;
}

TEST(ExecutorEpochScoringTest, TheLastEpochScoresWhatTheBestEpochRuleSawAtTheLastEpoch) {
  constexpr int kEpochs = 5;
  const Program program = RedrawsItsWeights();
  // Epoch e's fitness, scored as the last epoch of a task with e + 1 epochs (the epochs' orders
  // do not depend on how many there are).
  std::vector<double> epoch_fitness;
  for (int epochs = 1; epochs <= kEpochs; ++epochs) {
    Dataset last_only = LinearDataset(4, 30, 40, 11, epochs);
    last_only.score_last_epoch_only = true;
    const TaskScore score =
        MakeExecutor({last_only}, Shape(4), TaskCombination::kMean, 3)->EvaluatePerTask(program)[0];
    EXPECT_EQ(score.best_epoch, epochs - 1);
    epoch_fitness.push_back(score.valid_fitness);
  }
  const auto best = std::max_element(epoch_fitness.begin(), epoch_fitness.end());
  ASSERT_GT(*best, epoch_fitness.back()) << "the test needs a best epoch before the last";
  const TaskScore best_rule =
      MakeExecutor({LinearDataset(4, 30, 40, 11, kEpochs)}, Shape(4), TaskCombination::kMean, 3)
          ->EvaluatePerTask(program)[0];
  EXPECT_EQ(best_rule.valid_fitness, *best);
  EXPECT_EQ(best_rule.best_epoch, best - epoch_fitness.begin());
  // With one epoch the rules agree.
  Dataset one_epoch = LinearDataset(4, 30, 40, 11, 1);
  const double best_of_one =
      MakeExecutor({one_epoch}, Shape(4), TaskCombination::kMean, 3)->Evaluate(program).quality;
  one_epoch.score_last_epoch_only = true;
  EXPECT_EQ(
      MakeExecutor({one_epoch}, Shape(4), TaskCombination::kMean, 3)->Evaluate(program).quality,
      best_of_one);
}

TEST(ExecutorEpochScoringTest, DivergingBeforeTheLastEpochScoresZero) {
  constexpr int kTrain = 50;
  Dataset three_epochs = LinearDataset(4, kTrain, 30, 7, /*num_epochs=*/3);
  three_epochs.score_last_epoch_only = true;
  const TaskScore score =
      MakeExecutor({three_epochs}, Shape(4))->EvaluatePerTask(DivergesAfter(kTrain))[0];
  EXPECT_TRUE(score.diverged);
  EXPECT_EQ(score.best_epoch, -1);
  EXPECT_EQ(score.valid_fitness, 0.0);
}

// --- (f) determinism ---

TEST(ExecutorDeterminismTest, SameProgramSameFitnessBitForBit) {
  std::vector<Dataset> data;
  for (int t = 0; t < 3; ++t) data.push_back(TeacherDataset(4, 2, 200, 50, 10 + t, 3));
  const Program network = TwoLayerNetworkProgram(4, 0.01, 0.5);  // Random ops in Setup.
  const Program linear = LinearRegressionSgdProgram(0.01);
  auto executor = MakeExecutor(data, MinimumShapeForTwoLayerNetwork(4), TaskCombination::kMean,
                               /*random_op_seed=*/5);
  auto twin = MakeExecutor(data, MinimumShapeForTwoLayerNetwork(4), TaskCombination::kMean, 5);
  auto clone = executor->Clone();
  const double linear_fitness = executor->Evaluate(linear).quality;
  const double network_fitness = executor->Evaluate(network).quality;
  EXPECT_EQ(executor->Evaluate(linear).quality, linear_fitness);
  EXPECT_EQ(executor->Evaluate(network).quality, network_fitness);
  EXPECT_EQ(twin->Evaluate(network).quality, network_fitness);
  EXPECT_EQ(clone->Evaluate(network).quality, network_fitness);
  EXPECT_EQ(clone->Evaluate(linear).quality, linear_fitness);
  // The random ops draw from the seeded RNG: another seed, another
  // initialisation.
  auto reseeded = MakeExecutor(data, MinimumShapeForTwoLayerNetwork(4), TaskCombination::kMean, 6);
  EXPECT_NE(reseeded->Evaluate(network).quality, network_fitness);
  EXPECT_EQ(reseeded->Evaluate(linear).quality, linear_fitness);
}

TEST(ExecutorDeterminismTest, RandomOpsInPredictAreDeterministic) {
  Program noisy;  // Predicts a fresh uniform draw each example.
  Instruction draw = Ins(Op::SCALAR_UNIFORM_SET, 1);
  draw.data0 = -1.0;
  draw.data1 = 1.0;
  noisy.predict = {draw};
  const std::vector<Dataset> data = {LinearDataset(4, 50, 50, 3, 2)};
  auto executor = MakeExecutor(data, Shape(4), TaskCombination::kMean, 1);
  const double fitness = executor->Evaluate(noisy).quality;
  EXPECT_EQ(executor->Evaluate(noisy).quality, fitness);
  EXPECT_EQ(executor->FecSignature(noisy, 10, 10), executor->FecSignature(noisy, 10, 10));
  auto other_seed = MakeExecutor(data, Shape(4), TaskCombination::kMean, 2);
  EXPECT_NE(other_seed->Evaluate(noisy).quality, fitness);
}

// --- (g) FEC signature ---

TEST(ExecutorFecTest, SignatureFollowsBehaviourNotSyntax) {
  std::vector<Dataset> data = {LinearDataset(4, 50, 50, 1), LinearDataset(4, 50, 50, 2)};
  auto executor = MakeExecutor(data, Shape(4));
  const Program base = LinearRegressionSgdProgram(0.01);
  const uint64_t signature = executor->FecSignature(base, 10, 10);
  EXPECT_EQ(executor->FecSignature(LinearRegressionSgdProgram(0.01), 10, 10), signature);
  EXPECT_NE(executor->FecSignature(LinearRegressionSgdProgram(0.02), 10, 10), signature);
  // Padding and reordering commutative operands keep the behaviour.
  EXPECT_EQ(executor->FecSignature(PadProgram(base, 5, 5, 5), 10, 10), signature);
  Program swapped = base;
  swapped.learn[3] = Ins(Op::VECTOR_SUM, 1, 2, 1);  // v1 = v2 + v1 instead of v1 + v2.
  ASSERT_NE(swapped, base);
  EXPECT_EQ(executor->FecSignature(swapped, 10, 10), signature);

  Program sum;
  sum.setup = {Const(2, 0.25), Const(3, 0.5)};
  sum.predict = {Ins(Op::SCALAR_SUM, 1, 2, 3)};
  Program commuted = sum;
  commuted.predict = {Ins(Op::SCALAR_SUM, 1, 3, 2)};
  Program other_constant = sum;
  other_constant.setup[1].data0 = 0.5000001;
  EXPECT_EQ(executor->FecSignature(sum, 10, 10), executor->FecSignature(commuted, 10, 10));
  EXPECT_NE(executor->FecSignature(sum, 10, 10), executor->FecSignature(other_constant, 10, 10));
  // Fewer examples, another signature; learning that Predict never sees changes
  // nothing.
  EXPECT_NE(executor->FecSignature(sum, 10, 9), executor->FecSignature(sum, 10, 10));
  Program sum_with_learn = sum;
  sum_with_learn.learn = {Ins(Op::SCALAR_PRODUCT, 4, 0, 0)};
  EXPECT_EQ(executor->FecSignature(sum_with_learn, 10, 10), executor->FecSignature(sum, 10, 10));
}

TEST(ExecutorFecTest, ValuesEqualUpToRoundingCollideAcrossAPowerOfTwo) {
  // Labels of exactly 1: predicting 0 gives an error of exactly 1, predicting
  // 1e-12 an error just below 1, which rounds (to 30 bits) to 1 and must get
  // the same code.
  Dataset ones = LinearDataset(4, 10, 10, 1);
  std::fill(ones.train.labels.begin(), ones.train.labels.end(), 1.0);
  std::fill(ones.valid.labels.begin(), ones.valid.labels.end(), 1.0);
  auto executor = MakeExecutor({ones}, Shape(4));
  Program predict_zero;
  predict_zero.predict = {Const(1, 0.0)};
  Program predict_tiny;
  predict_tiny.predict = {Const(1, 1e-12)};
  Program predict_small;
  predict_small.predict = {Const(1, 1e-6)};
  EXPECT_EQ(executor->FecSignature(predict_zero, 10, 10),
            executor->FecSignature(predict_tiny, 10, 10));
  EXPECT_NE(executor->FecSignature(predict_zero, 10, 10),
            executor->FecSignature(predict_small, 10, 10));
}

TEST(ExecutorFecTest, DivergingProgramsHaveASignature) {
  std::vector<Dataset> data = {LinearDataset(4, 50, 50, 1)};
  auto executor = MakeExecutor(data, Shape(4));
  Program log_of_zero;
  log_of_zero.predict = {Ins(Op::SCALAR_LOG, 1, 0)};
  Program reciprocal_of_zero;
  reciprocal_of_zero.predict = {Ins(Op::SCALAR_RECIPROCAL, 1, 2)};
  // Both diverge on the first example, so they behave the same.
  EXPECT_EQ(executor->FecSignature(log_of_zero, 10, 10),
            executor->FecSignature(reciprocal_of_zero, 10, 10));
  EXPECT_NE(executor->FecSignature(log_of_zero, 10, 10),
            executor->FecSignature(LinearRegressionSgdProgram(0.01), 10, 10));
}

// --- (h) combining tasks ---

TEST(ExecutorCombinationTest, MeanAndMedian) {
  // A program predicting 0 on tasks whose labels are all `c`: fitness 1 -
  // (2/pi) atan(|c|).
  std::vector<Dataset> data;
  for (double c : {0.1, 3.0, 0.5, 10.0}) {
    Dataset dataset = LinearDataset(4, 10, 10, 1);
    std::fill(dataset.train.labels.begin(), dataset.train.labels.end(), c);
    std::fill(dataset.valid.labels.begin(), dataset.valid.labels.end(), c);
    data.push_back(dataset);
  }
  const Program zero = NoOpProgram(1, 1, 1);
  std::vector<double> expected;
  for (double c : {0.1, 3.0, 0.5, 10.0}) expected.push_back(RmseFitness(c));
  auto mean = MakeExecutor(data, Shape(4), TaskCombination::kMean);
  auto median = MakeExecutor(data, Shape(4), TaskCombination::kMedian);
  const std::vector<TaskScore> scores = mean->EvaluatePerTask(zero);
  for (int t = 0; t < 4; ++t) EXPECT_DOUBLE_EQ(scores[t].valid_fitness, expected[t]);
  EXPECT_DOUBLE_EQ(mean->Evaluate(zero).quality,
                   (expected[0] + expected[1] + expected[2] + expected[3]) / 4);
  // Sorted fitness: c = 10, 3, 0.5, 0.1; the median averages the middle two.
  EXPECT_DOUBLE_EQ(median->Evaluate(zero).quality, (expected[1] + expected[2]) / 2);
  // Odd count, and a sub-range of tasks.
  EXPECT_DOUBLE_EQ(median->Evaluate(zero, 0, 3).quality, expected[2]);
  EXPECT_DOUBLE_EQ(mean->Evaluate(zero, 1, 2).quality, (expected[1] + expected[2]) / 2);
  EXPECT_DOUBLE_EQ(mean->Evaluate(zero, 3, 1).quality, expected[3]);
}

TEST(ExecutorCombinationTest, CombineTaskFitnessDirectly) {
  std::vector<double> values = {0.9, 0.1, 0.5};
  EXPECT_DOUBLE_EQ(CombineTaskFitness(values, TaskCombination::kMean), 0.5);
  values = {0.9, 0.1, 0.4};
  EXPECT_DOUBLE_EQ(CombineTaskFitness(values, TaskCombination::kMedian), 0.4);
  values = {0.9, 0.1, 0.4, 0.0, 1.0, 0.2};
  EXPECT_DOUBLE_EQ(CombineTaskFitness(values, TaskCombination::kMedian), 0.3);
  values = {};
  EXPECT_EQ(CombineTaskFitness(values, TaskCombination::kMedian), 0.0);
}

// --- (i) creation errors ---

void ExpectCreateError(const std::vector<Dataset>& data, const ExecutorOptions& options,
                       const std::vector<std::string>& fragments) {
  absl::StatusOr<std::unique_ptr<Executor>> executor = Executor::Create(data, options);
  ASSERT_FALSE(executor.ok());
  EXPECT_EQ(executor.status().code(), absl::StatusCode::kInvalidArgument);
  for (const std::string& fragment : fragments) {
    EXPECT_NE(executor.status().message().find(fragment), std::string::npos)
        << "'" << fragment << "' not in: " << executor.status();
  }
}

TEST(ExecutorCreateTest, RejectsBadSizesAndData) {
  ExecutorOptions options;
  options.shape = Shape(5);
  ExpectCreateError({LinearDataset(5, 10, 10, 1)}, options, {"feature size 5", "2, 4, 8, 16, 32"});

  options.shape = Shape(4);
  Dataset nan_data = LinearDataset(4, 10, 10, 1);
  nan_data.name = "nan_data";
  nan_data.train.features[3 * 4 + 2] = std::nan("");
  ExpectCreateError({nan_data}, options, {"nan_data", "train", "example 3", "feature 2"});

  Dataset inf_label = LinearDataset(4, 10, 10, 1);
  inf_label.valid.labels[7] = INFINITY;
  ExpectCreateError({inf_label}, options, {"valid", "example 7"});

  Dataset wide = LinearDataset(8, 10, 10, 1);
  wide.name = "wide";
  ExpectCreateError({LinearDataset(4, 10, 10, 1), wide}, options, {"wide", "feature size 8", "4"});

  Dataset bad_label = ClassificationDataset(4, 10, 10, 1);
  bad_label.train.labels[0] = 0.5;
  ExpectCreateError({bad_label}, options, {"example 0", "0 or 1"});

  ExpectCreateError({}, options, {"no tasks"});

  options.shape.num_scalars = 1;
  ExpectCreateError({LinearDataset(4, 10, 10, 1)}, options, {"num_scalars"});
  options.shape = Shape(4);
  options.max_abs_error = 0.0;
  ExpectCreateError({LinearDataset(4, 10, 10, 1)}, options, {"max_abs_error"});
}

// --- (j) every compiled feature size ---

TEST(ExecutorFeatureSizeTest, EverySupportedSizeLearnsLinearTasks) {
  ASSERT_EQ(SupportedFeatureSizes(), (std::vector<int>{2, 4, 8, 16, 32}));
  for (int f : SupportedFeatureSizes()) {
    EXPECT_TRUE(CheckFeatureSizeSupported(f).ok());
    std::vector<Dataset> data = {LinearDataset(f, 1000, 50, 1), LinearDataset(f, 1000, 50, 2)};
    auto executor = MakeExecutor(data, Shape(f));
    // A step of 0.5 / |x|^2 on average (E|x|^2 = F): stable, and fast enough at
    // every size.
    const double fitness = executor->Evaluate(LinearRegressionSgdProgram(0.5 / f)).quality;
    EXPECT_GT(fitness, 0.99) << "F=" << f;
    EXPECT_GT(fitness, executor->Evaluate(LinearRegressionSgdProgram(0.0)).quality + 0.2);
    // And a program with every kind of op on registers (matrices included)
    // runs.
    auto network = executor->Evaluate(TwoLayerNetworkProgram(f, 0.001, 0.1));
    EXPECT_GE(network.quality, 0.0);
  }
  EXPECT_FALSE(CheckFeatureSizeSupported(3).ok());
}

// --- (k) shuffling ---

TEST(ExecutorShuffleTest, LaterEpochsShuffleDeterministically) {
  const Dataset dataset = LinearDataset(4, 100, 10, 9, /*num_epochs=*/3);
  const FixedTask<4> task = ToFixedTask<4>(dataset);
  ASSERT_EQ(task.epoch_orders.size(), 3u);
  std::vector<uint32_t> identity(100);
  std::iota(identity.begin(), identity.end(), 0u);
  EXPECT_EQ(task.epoch_orders[0], identity);  // Epoch 0 is in data order.
  for (int epoch = 1; epoch < 3; ++epoch) {
    std::vector<uint32_t> sorted = task.epoch_orders[epoch];
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(sorted, identity) << "epoch " << epoch << " is not a permutation";
    EXPECT_NE(task.epoch_orders[epoch], identity);
  }
  EXPECT_NE(task.epoch_orders[1], task.epoch_orders[2]);
  EXPECT_EQ(ToFixedTask<4>(dataset).epoch_orders, task.epoch_orders);
  Dataset reseeded = dataset;
  reseeded.data_seed = 10;
  EXPECT_NE(ToFixedTask<4>(reseeded).epoch_orders[1], task.epoch_orders[1]);
}

// The shuffle of epoch e once drew stream e of the data seed: epochs 1-3 replayed the train,
// valid and test streams. Now no epoch's seed is one of the data seed's named streams, and the
// order is not the one the train stream would shuffle to.
TEST(ExecutorShuffleTest, EpochShufflesAreSeparateFromTheDataStreams) {
  const uint64_t streams[] = {kTrainStream,         kValidStream,         kTestStream,
                              kParamStream,         kPairStream,          kPairProjectionStream,
                              kCsvRowShuffleStream, kCsvProjectionStream, kEpochShuffleStream};
  for (uint64_t data_seed : {0ULL, 1ULL, 9ULL, 1000ULL}) {
    std::set<uint64_t> named;
    for (uint64_t stream : streams) named.insert(DeriveSeed(data_seed, stream));
    EXPECT_EQ(named.size(), std::size(streams));
    for (int epoch = 1; epoch <= 10; ++epoch) {
      EXPECT_EQ(named.count(EpochShuffleSeed(data_seed, epoch)), 0u) << epoch;
    }
  }
  const Dataset dataset = LinearDataset(4, 100, 10, 9, /*num_epochs=*/4);
  const FixedTask<4> task = ToFixedTask<4>(dataset);
  for (uint64_t stream : {kTrainStream, kValidStream, kTestStream}) {
    std::vector<uint32_t> old_order(100);
    std::iota(old_order.begin(), old_order.end(), 0u);
    Rng rng(DeriveSeed(dataset.data_seed, stream));
    for (uint32_t i = 100; i > 1; --i) std::swap(old_order[i - 1], old_order[rng.UniformInt(i)]);
    EXPECT_NE(task.epoch_orders[stream], old_order) << "epoch " << stream;
  }
}

TEST(ExecutorShuffleTest, TrainingSeesTheShuffledOrder) {
  // The program predicts the last training label it learned. Validation labels
  // are 0, so epoch e's fitness reveals the label of the last example of epoch
  // e.
  constexpr int kTrain = 10;
  Dataset dataset = LinearDataset(4, kTrain, 5, 11, /*num_epochs=*/2);
  for (int i = 0; i < kTrain; ++i) dataset.train.labels[i] = i + 1;
  std::fill(dataset.valid.labels.begin(), dataset.valid.labels.end(), 0.0);
  Program last_label;
  last_label.predict = {Ins(Op::SCALAR_SUM, 1, 2, 3)};  // s1 = s2 + 0
  last_label.learn = {Ins(Op::SCALAR_SUM, 2, 0, 3)};    // s2 = label + 0
  auto executor = MakeExecutor({dataset}, Shape(4));
  const TaskScore score = executor->EvaluatePerTask(last_label)[0];
  const std::vector<uint32_t> second = ToFixedTask<4>(dataset).epoch_orders[1];
  const double last_in_second = second.back() + 1;
  ASSERT_NE(last_in_second, kTrain) << "pick another seed: the shuffle kept the last example";
  // Epoch 0 ends on label 10; epoch 1 on a smaller one, so epoch 1 is better.
  EXPECT_EQ(score.best_epoch, 1);
  EXPECT_DOUBLE_EQ(score.valid_fitness, RmseFitness(last_in_second));
  EXPECT_EQ(executor->EvaluatePerTask(last_label)[0].valid_fitness, score.valid_fitness);
}

// --- (l) scoring does not change training ---

// Predict counts its calls in s5 and predicts 0.01 * count; Learn does nothing.
// If scoring ran on the training memory, the counts of later epochs would
// include the scored examples.
Program CountingProgram() {
  Program program;
  program.setup = {Const(3, 1.0), Const(4, 0.01)};
  program.predict = {Ins(Op::SCALAR_SUM, 5, 5, 3), Ins(Op::SCALAR_PRODUCT, 1, 5, 4)};
  return program;
}

// The fitness of CountingProgram on `count` predictions after `start` earlier
// ones, against labels all equal to `label`, summed in the executor's order.
double CountingFitness(int start, int count, double label) {
  double squared = 0.0;
  double counter = start;
  for (int k = 0; k < count; ++k) {
    counter += 1.0;
    const double error = label - counter * 0.01;
    squared += error * error;
  }
  return RmseFitness(std::sqrt(squared / count));
}

TEST(ExecutorIsolationTest, ScoringDoesNotChangeTrainingMemory) {
  constexpr int kTrain = 20;
  for (int num_valid : {7, 50}) {
    // Labels near epoch 1's predictions, so epoch 1 is the best one.
    const double label = (2 * kTrain + num_valid / 2) * 0.01;
    Dataset dataset = LinearDataset(4, kTrain, num_valid, 3, /*num_epochs=*/2);
    std::fill(dataset.valid.labels.begin(), dataset.valid.labels.end(), label);
    Rng rng(4);
    AddExamples(
        13, 4, rng, [label](const std::vector<double>&) { return label; }, dataset.test);
    auto executor = MakeExecutor({dataset}, Shape(4));
    const TaskScore score = executor->EvaluatePerTask(CountingProgram())[0];
    EXPECT_EQ(score.best_epoch, 1) << num_valid;
    EXPECT_DOUBLE_EQ(score.valid_fitness, CountingFitness(2 * kTrain, num_valid, label))
        << num_valid;
    EXPECT_DOUBLE_EQ(score.test_fitness, CountingFitness(2 * kTrain, 13, label)) << num_valid;
    // Scoring the test split changes nothing either.
    EXPECT_EQ(executor->Evaluate(CountingProgram()).quality, score.valid_fitness);
  }
}

TEST(ExecutorIsolationTest, TestSplitDivergenceOnlyZeroesTheTestFitness) {
  // Fixed weights (1, 1, 1, 1) on labels sum(x): perfect on train and valid;
  // test features of 1e3 with label 0 give an error of 4e3 > max_abs_error.
  Dataset dataset = MakeDataset(
      "sum", 4, 20, 20, 5, [](const std::vector<double>& x) { return x[0] + x[1] + x[2] + x[3]; });
  dataset.num_epochs = 2;
  dataset.test.features.assign(5 * 4, 1e3);
  dataset.test.labels.assign(5, 0.0);
  Program sum;
  sum.setup = {Const(2, 1.0), Ins(Op::SCALAR_BROADCAST, 1, 2)};
  sum.predict = {Ins(Op::VECTOR_INNER_PRODUCT, 1, 0, 1)};
  auto executor = MakeExecutor({dataset}, Shape(4));
  const TaskScore score = executor->EvaluatePerTask(sum)[0];
  EXPECT_FALSE(score.diverged);
  EXPECT_EQ(score.test_fitness, 0.0);
  EXPECT_GT(score.valid_fitness, 0.999999);
  EXPECT_EQ(score.best_epoch, 0);
  EXPECT_EQ(executor->Evaluate(sum).quality, score.valid_fitness);
}

// --- (m) independent predictions ---

std::unique_ptr<Executor> MakeScoringExecutor(const std::vector<Dataset>& datasets,
                                              bool independent_predictions) {
  ExecutorOptions options;
  options.shape = Shape(4);
  options.independent_predictions = independent_predictions;
  absl::StatusOr<std::unique_ptr<Executor>> executor = Executor::Create(datasets, options);
  EXPECT_TRUE(executor.ok()) << executor.status();
  return executor.ok() ? std::move(*executor) : nullptr;
}

TEST(ExecutorIndependentPredictionsTest, EveryScoredExampleStartsFromTheTrainedMemory) {
  constexpr int kTrain = 20;
  const double label = 0.4;
  for (int num_valid : {1, 7, 50}) {
    Dataset dataset = LinearDataset(4, kTrain, num_valid, 3, /*num_epochs=*/2);
    std::fill(dataset.valid.labels.begin(), dataset.valid.labels.end(), label);
    Rng rng(4);
    AddExamples(
        13, 4, rng, [label](const std::vector<double>&) { return label; }, dataset.test);
    auto executor = MakeScoringExecutor({dataset}, true);
    const TaskScore score = executor->EvaluatePerTask(CountingProgram())[0];
    // Every scored example is the first after training: the count is 2 * kTrain + 1 for all.
    EXPECT_EQ(score.best_epoch, 1) << num_valid;
    EXPECT_DOUBLE_EQ(score.valid_fitness, CountingFitness(2 * kTrain, 1, label)) << num_valid;
    EXPECT_DOUBLE_EQ(score.test_fitness, CountingFitness(2 * kTrain, 1, label)) << num_valid;
    EXPECT_EQ(executor->Evaluate(CountingProgram()).quality, score.valid_fitness);
    if (num_valid > 1) {
      auto sequential = MakeScoringExecutor({dataset}, false);
      EXPECT_NE(sequential->Evaluate(CountingProgram()).quality, score.valid_fitness);
    }
  }
}

// Predict adds 3 times the previous example's feature sum to the current one's: the carry a
// search can evolve (docs/real-data.md).
Program CarryProgram() {
  Program program;
  program.setup = {Const(2, 1.0), Ins(Op::SCALAR_BROADCAST, 1, 2), Const(4, 3.0)};
  program.predict = {Ins(Op::VECTOR_INNER_PRODUCT, 5, 0, 1), Ins(Op::SCALAR_PRODUCT, 7, 6, 4),
                     Ins(Op::SCALAR_SUM, 1, 5, 7), Ins(Op::SCALAR_SUM, 6, 5, 3)};
  return program;
}

// The definition: scoring a split with independent predictions equals scoring each of its
// examples alone, as the only example of its split, after the same training.
TEST(ExecutorIndependentPredictionsTest, ScoresAsEveryExampleScoredAlone) {
  const Dataset dataset = ClassificationDataset(4, 30, 40, 11);
  std::vector<Dataset> alone;
  for (int i = 0; i < dataset.valid.size(); ++i) {
    Dataset one = dataset;
    one.valid.features.assign(dataset.valid.features.begin() + 4 * i,
                              dataset.valid.features.begin() + 4 * (i + 1));
    one.valid.labels = {dataset.valid.labels[i]};
    alone.push_back(one);
  }
  const double each_alone = MakeScoringExecutor(alone, false)->Evaluate(CarryProgram()).quality;
  auto independent = MakeScoringExecutor({dataset}, true);
  EXPECT_DOUBLE_EQ(independent->Evaluate(CarryProgram()).quality, each_alone);
  EXPECT_NE(MakeScoringExecutor({dataset}, false)->Evaluate(CarryProgram()).quality, each_alone);
  // A program whose predictions carry nothing scores the same, bit for bit, either way.
  const Program logistic = LogisticRegressionSgdProgram(0.1);
  EXPECT_EQ(independent->Evaluate(logistic).quality,
            MakeScoringExecutor({dataset}, false)->Evaluate(logistic).quality);
}

TEST(ExecutorIndependentPredictionsTest, TheFecSignatureFollowsTheProtocol) {
  const std::vector<Dataset> data = {LinearDataset(4, 20, 20, 1)};
  auto independent = MakeScoringExecutor(data, true);
  auto sequential = MakeScoringExecutor(data, false);
  EXPECT_NE(independent->FecSignature(CountingProgram(), 10, 10),
            sequential->FecSignature(CountingProgram(), 10, 10));
  // With one validation example there is nothing to carry.
  EXPECT_EQ(independent->FecSignature(CountingProgram(), 10, 1),
            sequential->FecSignature(CountingProgram(), 10, 1));
  const Program sgd = LinearRegressionSgdProgram(0.01);
  EXPECT_EQ(independent->FecSignature(sgd, 10, 10), sequential->FecSignature(sgd, 10, 10));
}

// Sigmoid skips exp where the result is known; it must equal the formula bit for bit
// everywhere, or every classification fitness would change. The grid crosses both cut points.
TEST(SigmoidTest, EqualsTheFormulaBitForBit) {
  const auto formula = [](double x) { return 1.0 / (1.0 + std::exp(-x)); };
  constexpr double kInf = std::numeric_limits<double>::infinity();
  std::vector<double> points = {0.0,     -0.0,    36.0,   37.0,  38.0,   40.0, -709.0,
                                -709.78, -709.79, -710.0, 1e300, -1e300, kInf, -kInf};
  points.push_back(std::nextafter(40.0, 50.0));  // The neighbours beyond the cut points.
  points.push_back(std::nextafter(-710.0, -800.0));
  for (double x = -800.0; x <= 800.0; x += 0.01953125) points.push_back(x);  // 2^-6 steps.
  Rng rng(3);
  for (int i = 0; i < 100000; ++i) points.push_back(rng.Uniform(-50.0, 50.0));
  for (double x : points) {
    EXPECT_EQ(Sigmoid(x), formula(x)) << x;
  }
  EXPECT_TRUE(std::isnan(Sigmoid(std::numeric_limits<double>::quiet_NaN())));
  // Cuts at 36 or -709 would change results: there the formula is not yet 1 or 0.
  EXPECT_LT(formula(36.0), 1.0);
  EXPECT_GT(formula(-709.0), 0.0);
}

}  // namespace
}  // namespace automl

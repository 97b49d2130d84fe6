// The executor for one compiled feature size F. Included only by executor.cc (and tests that
// want a specific F); everything else goes through `Executor`.
#ifndef EXECUTOR_EXECUTOR_IMPL_H_
#define EXECUTOR_EXECUTOR_IMPL_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <numeric>
#include <vector>

#include "Eigen/StdVector"
#include "executor/executor.h"
#include "executor/instruction_kernel.h"
#include "executor/memory.h"
#include "instructions/random.h"

namespace automl {

template <int F>
struct FixedSplit {
  std::vector<Vector<F>, Eigen::aligned_allocator<Vector<F>>> features;
  std::vector<double> labels;
  int size() const { return static_cast<int>(labels.size()); }
};

template <int F>
struct FixedTask {
  EvalType eval_type = EvalType::kRmsError;
  FixedSplit<F> train;
  FixedSplit<F> valid;
  FixedSplit<F> test;
  // epoch_orders[e][k]: the training example seen k-th in epoch e. Computed once per task, so
  // that evaluations shuffle nothing.
  std::vector<std::vector<uint32_t>> epoch_orders;
};

template <int F>
FixedSplit<F> ToFixedSplit(const DataSplit& split) {
  FixedSplit<F> fixed;
  fixed.labels = split.labels;
  fixed.features.resize(split.labels.size());
  for (size_t i = 0; i < split.labels.size(); ++i) {
    for (int k = 0; k < F; ++k) fixed.features[i][k] = split.features[i * F + k];
  }
  return fixed;
}

template <int F>
FixedTask<F> ToFixedTask(const Dataset& dataset) {
  FixedTask<F> task;
  task.eval_type = dataset.eval_type;
  task.train = ToFixedSplit<F>(dataset.train);
  task.valid = ToFixedSplit<F>(dataset.valid);
  task.test = ToFixedSplit<F>(dataset.test);
  const uint32_t n = static_cast<uint32_t>(dataset.train.size());
  for (int epoch = 0; epoch < dataset.num_epochs; ++epoch) {
    std::vector<uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0u);
    if (epoch > 0) {
      Rng rng(DeriveSeed(dataset.data_seed, static_cast<uint64_t>(epoch)));
      for (uint32_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.UniformInt(i)]);
    }
    task.epoch_orders.push_back(std::move(order));
  }
  return task;
}

inline double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// Regression fitness of a root mean squared error.
inline double RmseFitness(double rmse) {
  return 1.0 - (2.0 / 3.14159265358979323846) * std::atan(rmse);
}

template <int F>
class ExecutorImpl final : public Executor {
 public:
  ExecutorImpl(std::shared_ptr<const std::vector<FixedTask<F>>> tasks,
               const ExecutorOptions& options)
      : Executor(options, static_cast<int>(tasks->size())),
        tasks_(std::move(tasks)),
        memory_(std::make_unique<Memory<F>>()),
        scoring_memory_(std::make_unique<Memory<F>>()) {
    task_fitness_.reserve(tasks_->size());
  }

  Fitness Evaluate(const Program& program, int first_task, int num_tasks) override {
    if (num_tasks < 0) num_tasks = num_tasks_ - first_task;
    task_fitness_.clear();
    for (int t = first_task; t < first_task + num_tasks; ++t) {
      task_fitness_.push_back(RunTask(program, t, /*score_test=*/false).valid_fitness);
    }
    Fitness fitness;
    fitness.quality = CombineTaskFitness(task_fitness_, options_.combination);
    return fitness;
  }

  double EvaluateTaskFitness(const Program& program, int task) override {
    return RunTask(program, task, /*score_test=*/false).valid_fitness;
  }

  std::vector<TaskScore> EvaluatePerTask(const Program& program) override {
    std::vector<TaskScore> scores;
    for (int t = 0; t < num_tasks_; ++t) scores.push_back(RunTask(program, t, true));
    return scores;
  }

  uint64_t FecSignature(const Program& program, int num_train, int num_valid) override {
    uint64_t hash = 0x9AE16A3B2F90404FULL;
    Memory<F>& mem = *memory_;
    for (int t = 0; t < num_tasks_; ++t) {
      const FixedTask<F>& task = (*tasks_)[t];
      mem.Wipe(options_.shape);
      Rng rng(RandomOpSeed(t));
      ExecuteInstructions(program.setup, mem, rng);
      const int train_count = std::min(num_train, task.train.size());
      bool ok = true;
      for (int k = 0; k < train_count && ok; ++k) {
        const uint32_t i = task.epoch_orders[0][k];
        double error;
        ok = PredictOne(program, task, task.train, i, mem, rng, &error);
        hash = Mix(hash, ok ? Quantize(error) : kDivergedMarker);
        if (ok) {
          mem.scalar[kLabelScalarAddress] = task.train.labels[i];
          ExecuteInstructions(program.learn, mem, rng);
        }
      }
      const int valid_count = std::min(num_valid, task.valid.size());
      for (int i = 0; i < valid_count && ok; ++i) {
        double error;
        ok = PredictOne(program, task, task.valid, i, mem, rng, &error);
        hash = Mix(hash, ok ? Quantize(error) : kDivergedMarker);
      }
      hash = Mix(hash, 0x7F4A7C15ULL + t);  // Task boundary.
    }
    return hash;
  }

  std::unique_ptr<Executor> Clone() const override {
    return std::make_unique<ExecutorImpl<F>>(tasks_, options_);
  }

 private:
  static constexpr uint64_t kDivergedMarker = 0xD1B54A32D192ED03ULL;

  static uint64_t Mix(uint64_t hash, uint64_t value) { return SplitMix64(hash ^ value); }

  // Rounds to 30 significant bits and returns a canonical bit pattern.
  static uint64_t Quantize(double x) {
    if (x == 0.0) return 0;
    int exponent;
    const double mantissa = std::frexp(x, &exponent);         // |mantissa| in [0.5, 1).
    int64_t rounded = std::llround(mantissa * 1073741824.0);  // 2^30.
    // A mantissa that rounds up to 1 is the next power of two: give it that power's code, so
    // that x and the value it rounds to collide.
    if (rounded == 1073741824 || rounded == -1073741824) {
      rounded /= 2;
      ++exponent;
    }
    return (static_cast<uint64_t>(rounded) << 16) ^ static_cast<uint64_t>(exponent + 4096);
  }

  uint64_t RandomOpSeed(int task) const {
    return DeriveSeed(options_.random_op_seed, static_cast<uint64_t>(task));
  }

  // Runs Predict on example i of `split`; writes the error (label - prediction) and returns
  // false if the prediction is not finite or its error is above max_abs_error.
  bool PredictOne(const Program& program, const FixedTask<F>& task, const FixedSplit<F>& split,
                  uint32_t i, Memory<F>& mem, Rng& rng, double* error) const {
    mem.vector[kFeaturesVectorAddress] = split.features[i];
    mem.scalar[kLabelScalarAddress] = 0.0;
    ExecuteInstructions(program.predict, mem, rng);
    double prediction = mem.scalar[kPredictionScalarAddress];
    if (task.eval_type == EvalType::kAccuracy) {
      prediction = Sigmoid(prediction);
      mem.scalar[kPredictionScalarAddress] = prediction;
    }
    *error = split.labels[i] - prediction;
    // Written so that NaN fails the check.
    return std::fabs(*error) <= options_.max_abs_error;
  }

  // Predicts every example of `split`; false if any prediction fails the check.
  bool Score(const Program& program, const FixedTask<F>& task, const FixedSplit<F>& split,
             Memory<F>& mem, Rng& rng, double* fitness) const {
    double squared_error_sum = 0.0;
    int correct = 0;
    for (int i = 0; i < split.size(); ++i) {
      double error;
      if (!PredictOne(program, task, split, i, mem, rng, &error)) return false;
      if (task.eval_type == EvalType::kAccuracy) {
        // |error| < 0.5 means the sigmoid is on the label's side of the 0.5 threshold.
        correct += std::fabs(error) < 0.5 ? 1 : 0;
      } else {
        squared_error_sum += error * error;
      }
    }
    if (task.eval_type == EvalType::kAccuracy) {
      *fitness = static_cast<double>(correct) / split.size();
    } else {
      *fitness = RmseFitness(std::sqrt(squared_error_sum / split.size()));
    }
    return true;
  }

  TaskScore RunTask(const Program& program, int t, bool score_test) {
    const FixedTask<F>& task = (*tasks_)[t];
    const MachineShape& shape = options_.shape;
    Memory<F>& mem = *memory_;
    mem.Wipe(shape);
    Rng rng(RandomOpSeed(t));
    ExecuteInstructions(program.setup, mem, rng);
    TaskScore score;
    const int num_epochs = static_cast<int>(task.epoch_orders.size());
    for (int epoch = 0; epoch < num_epochs; ++epoch) {
      bool ok = true;
      for (uint32_t i : task.epoch_orders[epoch]) {
        double error;
        if (!PredictOne(program, task, task.train, i, mem, rng, &error)) {
          ok = false;
          break;
        }
        mem.scalar[kLabelScalarAddress] = task.train.labels[i];
        ExecuteInstructions(program.learn, mem, rng);
        ++train_steps_;
      }
      if (!ok) {
        score.diverged = true;
        break;
      }
      // Scoring runs on a copy unless nothing trains afterwards.
      const bool last_epoch = epoch + 1 == num_epochs;
      double test_fitness = 0.0;
      if (score_test && task.test.size() > 0) {
        scoring_memory_->CopyFrom(mem, shape);
        Rng test_rng = rng;
        // A divergence on the test split only zeroes the test fitness: it must not change
        // training or validation, or EvaluatePerTask would disagree with Evaluate (which never
        // looks at test data) on the validation fitness.
        if (!Score(program, task, task.test, *scoring_memory_, test_rng, &test_fitness)) {
          test_fitness = 0.0;
        }
      }
      Memory<F>* valid_mem = &mem;
      if (!last_epoch) {
        scoring_memory_->CopyFrom(mem, shape);
        valid_mem = scoring_memory_.get();
      }
      Rng valid_rng = rng;
      double valid_fitness = 0.0;
      if (!Score(program, task, task.valid, *valid_mem, valid_rng, &valid_fitness)) {
        score.diverged = true;
        break;
      }
      if (score.best_epoch < 0 || valid_fitness > score.valid_fitness) {
        score.valid_fitness = valid_fitness;
        score.test_fitness = test_fitness;
        score.best_epoch = epoch;
      }
    }
    return score;
  }

  std::shared_ptr<const std::vector<FixedTask<F>>> tasks_;
  std::unique_ptr<Memory<F>> memory_;
  std::unique_ptr<Memory<F>> scoring_memory_;
  std::vector<double> task_fitness_;
};

}  // namespace automl

#endif  // EXECUTOR_EXECUTOR_IMPL_H_

// The executor for one compiled feature size F. Included only by executor.cc (and tests that
// want a specific F); everything else goes through `Executor`.
#ifndef EXECUTOR_EXECUTOR_IMPL_H_
#define EXECUTOR_EXECUTOR_IMPL_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <vector>

#include "executor/compiled_function.h"
#include "executor/dead_code.h"
#include "executor/decoded_program.h"
#include "executor/executor.h"
#include "executor/executor_objectives.h"
#include "executor/fitness.h"
#include "executor/fixed_task.h"
#include "executor/memory.h"
#include "executor/scoring_snapshot.h"
#include "executor/signature.h"
#include "executor/static_objectives.h"
#include "instructions/random.h"

namespace automl {

// 1 / (1 + exp(-x)), bit for bit, without calling exp where the result is already known: above
// 40, exp(-x) < 4.3e-18 is below half an ulp of 1, so the sum rounds to 1; below -710, exp(-x)
// overflows to infinity and the quotient is 0. Programs early in a search often predict
// far outside [-40, 40], where exp takes its slow overflow and underflow paths
// (docs/performance.md).
inline double Sigmoid(double x) {
  if (x > 40.0) return 1.0;
  if (x < -710.0) return 0.0;
  return 1.0 / (1.0 + std::exp(-x));
}

template <int F>
class ExecutorImpl final : public Executor {
 public:
  ExecutorImpl(std::shared_ptr<const std::vector<FixedTask<F>>> tasks,
               const ExecutorOptions& options)
      : Executor(options, static_cast<int>(tasks->size())),
        tasks_(std::move(tasks)),
        memory_(std::make_unique<Memory<F>>()),
        scoring_memory_(std::make_unique<Memory<F>>()),
        layout_(*memory_),
        metrics_(RequestedMetrics(options)) {
    task_fitness_.reserve(tasks_->size());
    if (metrics_.any()) {
      // Sized once, so that collecting outputs allocates nothing per evaluation.
      int largest = 0;
      for (const FixedTask<F>& task : *tasks_) {
        largest = std::max({largest, task.valid.size(), task.test.size()});
      }
      for (std::vector<double>* outputs :
           {&epoch_valid_, &best_valid_, &epoch_test_, &best_test_}) {
        outputs->resize(largest);
      }
      metrics_order_.reserve(largest);
    }
  }

  Fitness Evaluate(const Program& program, int first_task, int num_tasks) override {
    Prepare(program);
    if (num_tasks < 0) num_tasks = num_tasks_ - first_task;
    task_fitness_.clear();
    WithDispatch([&](auto dispatch) {
      for (int t = first_task; t < first_task + num_tasks; ++t) {
        const TaskScore score = RunTask<decltype(dispatch)::value>(t, false);
        task_fitness_.push_back(TaskFitness(score.valid_fitness, score.valid_metrics));
      }
    });
    return CombineTasks(task_fitness_, options_.combination, metrics_, combine_scratch_);
  }

  Fitness EvaluateTask(const Program& program, int task) override {
    Prepare(program);
    const TaskScore score = WithDispatch(
        [&](auto dispatch) { return RunTask<decltype(dispatch)::value>(task, false); });
    return TaskFitness(score.valid_fitness, score.valid_metrics);
  }

  std::vector<TaskScore> EvaluatePerTask(const Program& program) override {
    Prepare(program);
    std::vector<TaskScore> scores;
    WithDispatch([&](auto dispatch) {
      for (int t = 0; t < num_tasks_; ++t) {
        scores.push_back(RunTask<decltype(dispatch)::value>(t, true));
      }
    });
    return scores;
  }

  uint64_t FecSignature(const Program& program, int num_train, int num_valid) override {
    Prepare(program);
    return WithDispatch(
        [&](auto dispatch) { return Signature<decltype(dispatch)::value>(num_train, num_valid); });
  }

  ProgramKey ExecutionKey(const Program& program) override {
    Prepare(program);
    return key_;
  }

  Fitness StaticObjectives(const Program& program) override {
    Prepare(program);
    return automl::StaticObjectives(program, liveness_, F);
  }

  std::unique_ptr<Executor> Clone() const override {
    return std::make_unique<ExecutorImpl<F>>(tasks_, options_);
  }

 private:
  static constexpr uint64_t kDivergedMarker = 0xD1B54A32D192ED03ULL;

  template <Dispatch D>
  using DispatchTag = std::integral_constant<Dispatch, D>;

  // Calls fn(DispatchTag<D>{}) for the configured dispatch, so that each interpreter gets its
  // own copy of the task loops, which call it directly.
  template <typename Fn>
  auto WithDispatch(Fn&& fn) {
    switch (options_.dispatch) {
      case Dispatch::kReference:
        return fn(DispatchTag<Dispatch::kReference>{});
      case Dispatch::kDecodedSwitch:
        return fn(DispatchTag<Dispatch::kDecodedSwitch>{});
      case Dispatch::kThreaded:
        break;
    }
    return fn(DispatchTag<Dispatch::kThreaded>{});
  }

  // Analyses and compiles `program`, unless it is the one compiled last: the search evaluator
  // asks for a key, a signature and then one task at a time, all for the same program.
  void Prepare(const Program& program) {
    if (has_compiled_ && BitwiseEqual(program, compiled_program_)) return;
    for (ComponentFunction f : kAllComponentFunctions) {
      compiled_program_.function(f).assign(program.function(f).begin(), program.function(f).end());
    }
    if (options_.dead_code_elimination) {
      AnalyzeLiveness(program, &liveness_);
    } else {
      MarkAllLive(program, &liveness_);
    }
    key_ = EffectiveProgramKey(program, liveness_);
    Compile(program.setup, liveness_.setup, &setup_);
    Compile(program.predict, liveness_.predict, &predict_);
    Compile(program.predict, liveness_.valid_predict, &valid_predict_);
    Compile(program.learn, liveness_.learn, &learn_);
    if (options_.independent_predictions) {
      scoring_snapshot_.Collect(program.predict, liveness_.valid_predict);
    }
    has_compiled_ = true;
  }

  void Compile(const std::vector<Instruction>& function, const std::vector<Liveness>& marks,
               CompiledFunction* compiled) const {
    CompileFunction<F>(function, marks, options_.dispatch, layout_, compiled);
  }

  template <Dispatch D>
  static void Run(const CompiledFunction& function, Memory<F>& mem, Rng& rng) {
    RunFunction<F, D>(function, mem, rng);
  }

  template <Dispatch D>
  uint64_t Signature(int num_train, int num_valid) {
    uint64_t hash = 0x9AE16A3B2F90404FULL;
    Memory<F>& mem = *memory_;
    for (int t = 0; t < num_tasks_; ++t) {
      const FixedTask<F>& task = (*tasks_)[t];
      mem.Wipe(options_.shape);
      Rng rng(RandomOpSeed(t));
      Run<D>(setup_, mem, rng);
      const int train_count = std::min(num_train, task.train.size());
      bool ok = true;
      for (int k = 0; k < train_count && ok; ++k) {
        const uint32_t i = task.epoch_orders[0][k];
        double error;
        ok = PredictOne<D>(predict_, task, task.train, i, mem, rng, &error);
        hash = Mix(hash, ok ? Quantize(error) : kDivergedMarker);
        if (ok) {
          mem.scalar[kLabelScalarAddress] = task.train.labels[i];
          Run<D>(learn_, mem, rng);
        }
      }
      const int valid_count = std::min(num_valid, task.valid.size());
      if (options_.independent_predictions) scoring_snapshot_.Save(mem);
      for (int i = 0; i < valid_count && ok; ++i) {
        if (options_.independent_predictions && i > 0) scoring_snapshot_.Restore(mem);
        double error;
        ok = PredictOne<D>(valid_predict_, task, task.valid, i, mem, rng, &error);
        hash = Mix(hash, ok ? Quantize(error) : kDivergedMarker);
      }
      hash = Mix(hash, 0x7F4A7C15ULL + t);  // Task boundary.
    }
    return hash;
  }

  static uint64_t Mix(uint64_t hash, uint64_t value) { return SplitMix64(hash ^ value); }

  static uint64_t Quantize(double x) { return QuantizeError(x); }

  uint64_t RandomOpSeed(int task) const {
    return DeriveSeed(options_.random_op_seed, static_cast<uint64_t>(task));
  }

  // Runs `predict` on example i of `split`; writes the error (label - prediction) and returns
  // false if the prediction is not finite or its error is above max_abs_error.
  template <Dispatch D>
  bool PredictOne(const CompiledFunction& predict, const FixedTask<F>& task,
                  const FixedSplit<F>& split, uint32_t i, Memory<F>& mem, Rng& rng,
                  double* error) const {
    mem.vector[kFeaturesVectorAddress] = split.features[i];
    mem.scalar[kLabelScalarAddress] = 0.0;
    Run<D>(predict, mem, rng);
    double prediction = mem.scalar[kPredictionScalarAddress];
    if (task.eval_type == EvalType::kAccuracy) {
      prediction = Sigmoid(prediction);
      mem.scalar[kPredictionScalarAddress] = prediction;
    }
    *error = split.labels[i] - prediction;
    // Written so that NaN fails the check.
    return std::fabs(*error) <= options_.max_abs_error;
  }

  // Predicts every example of `split` (scoring: Predict reduced to s1), each from the memory
  // the one before left, or with independent_predictions from the memory as it was before the
  // first; false if any prediction fails the check. With kCollect, also writes each (sigmoid)
  // output to outputs[i].
  template <Dispatch D, bool kCollect>
  bool Score(const FixedTask<F>& task, const FixedSplit<F>& split, Memory<F>& mem, Rng& rng,
             double* fitness, double* outputs) {
    const bool independent = options_.independent_predictions;
    if (independent) scoring_snapshot_.Save(mem);
    double squared_error_sum = 0.0;
    int correct = 0;
    for (int i = 0; i < split.size(); ++i) {
      if (independent && i > 0) scoring_snapshot_.Restore(mem);
      double error;
      if (!PredictOne<D>(valid_predict_, task, split, i, mem, rng, &error)) return false;
      if constexpr (kCollect) outputs[i] = mem.scalar[kPredictionScalarAddress];
      if (task.eval_type == EvalType::kAccuracy) {
        // The predicted class is 1 when the sigmoid is above 0.5, else 0 (so an undecided 0.5
        // counts as class 0, not as wrong for both labels). error = label - sigmoid, and for
        // label 1 the subtraction is exact where it matters (sigmoid in [0.5, 1]).
        const bool positive_label = split.labels[i] > 0.5;
        correct += (positive_label ? error < 0.5 : error >= -0.5) ? 1 : 0;
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

  // Score, collecting the outputs into `outputs` when metrics are requested.
  template <Dispatch D>
  bool ScoreSplit(const FixedTask<F>& task, const FixedSplit<F>& split, Memory<F>& mem, Rng& rng,
                  double* fitness, std::vector<double>& outputs) {
    if (metrics_.any()) return Score<D, true>(task, split, mem, rng, fitness, outputs.data());
    return Score<D, false>(task, split, mem, rng, fitness, nullptr);
  }

  // The metrics of the best epoch's outputs (best_valid_, best_test_).
  void SetTaskMetrics(const FixedTask<F>& task, bool score_test, bool test_ok, TaskScore& score) {
    const ClassificationMetrics worst = WorstMetrics(metrics_);
    const bool has_test = score_test && task.test.size() > 0;
    if (score.best_epoch < 0) {
      score.valid_metrics = worst;
      if (has_test) score.test_metrics = worst;
      return;
    }
    score.valid_metrics = SplitMetrics(task.valid, best_valid_);
    if (has_test) score.test_metrics = test_ok ? SplitMetrics(task.test, best_test_) : worst;
  }

  ClassificationMetrics SplitMetrics(const FixedSplit<F>& split,
                                     const std::vector<double>& outputs) {
    return ComputeClassificationMetrics(metrics_, absl::MakeConstSpan(outputs.data(), split.size()),
                                        split.labels, split.groups, metrics_order_);
  }

  template <Dispatch D>
  TaskScore RunTask(int t, bool score_test) {
    const FixedTask<F>& task = (*tasks_)[t];
    const MachineShape& shape = options_.shape;
    Memory<F>& mem = *memory_;
    mem.Wipe(shape);
    Rng rng(RandomOpSeed(t));
    Run<D>(setup_, mem, rng);
    TaskScore score;
    bool best_test_ok = false;  // The best epoch's test predictions did not diverge.
    const int num_epochs = static_cast<int>(task.epoch_orders.size());
    for (int epoch = 0; epoch < num_epochs; ++epoch) {
      bool ok = true;
      // A local count: the RNG's state words could alias a member, which would keep the
      // compiler from holding it in a register.
      int64_t steps = 0;
      for (uint32_t i : task.epoch_orders[epoch]) {
        double error;
        if (!PredictOne<D>(predict_, task, task.train, i, mem, rng, &error)) {
          ok = false;
          break;
        }
        mem.scalar[kLabelScalarAddress] = task.train.labels[i];
        Run<D>(learn_, mem, rng);
        ++steps;
      }
      train_steps_ += steps;
      if (!ok) {
        score.diverged = true;
        break;
      }
      // Scoring runs on a copy unless nothing trains afterwards.
      const bool last_epoch = epoch + 1 == num_epochs;
      if (task.score_last_epoch_only && !last_epoch) continue;
      double test_fitness = 0.0;
      bool test_ok = false;
      if (score_test && task.test.size() > 0) {
        scoring_memory_->CopyFrom(mem, shape);
        Rng test_rng = rng;
        // A divergence on the test split only zeroes the test fitness: it must not change
        // training or validation, or EvaluatePerTask would disagree with Evaluate (which never
        // looks at test data) on the validation fitness.
        test_ok =
            ScoreSplit<D>(task, task.test, *scoring_memory_, test_rng, &test_fitness, epoch_test_);
        if (!test_ok) test_fitness = 0.0;
      }
      Memory<F>* valid_mem = &mem;
      if (!last_epoch) {
        scoring_memory_->CopyFrom(mem, shape);
        valid_mem = scoring_memory_.get();
      }
      Rng valid_rng = rng;
      double valid_fitness = 0.0;
      if (!ScoreSplit<D>(task, task.valid, *valid_mem, valid_rng, &valid_fitness, epoch_valid_)) {
        score.diverged = true;
        break;
      }
      if (score.best_epoch < 0 || valid_fitness > score.valid_fitness) {
        score.valid_fitness = valid_fitness;
        score.test_fitness = test_fitness;
        score.best_epoch = epoch;
        if (metrics_.any()) {
          std::swap(epoch_valid_, best_valid_);
          std::swap(epoch_test_, best_test_);
          best_test_ok = test_ok;
        }
      }
    }
    if (metrics_.any()) SetTaskMetrics(task, score_test, best_test_ok, score);
    return score;
  }

  std::shared_ptr<const std::vector<FixedTask<F>>> tasks_;
  std::unique_ptr<Memory<F>> memory_;
  std::unique_ptr<Memory<F>> scoring_memory_;
  const MemoryLayout<F> layout_;  // The same for every Memory<F>.
  std::vector<Fitness> task_fitness_;
  std::vector<double> combine_scratch_;

  // The classification metrics to compute, and the outputs they are computed from: the
  // current epoch's and the best epoch's, per split (swapped, not copied). Empty when none.
  const MetricsRequest metrics_;
  std::vector<double> epoch_valid_;
  std::vector<double> best_valid_;
  std::vector<double> epoch_test_;
  std::vector<double> best_test_;
  std::vector<uint32_t> metrics_order_;

  // The program compiled last, and what it compiled to. Reused storage: no allocation per
  // evaluation once the vectors have grown to the largest program seen.
  bool has_compiled_ = false;
  Program compiled_program_;
  ProgramLiveness liveness_;
  ProgramKey key_;
  CompiledFunction setup_;
  CompiledFunction predict_;
  CompiledFunction valid_predict_;
  CompiledFunction learn_;
  // With independent_predictions: what scoring writes, as it was before the first scored
  // example.
  ScoringSnapshot<F> scoring_snapshot_;
};

}  // namespace automl

#endif  // EXECUTOR_EXECUTOR_IMPL_H_

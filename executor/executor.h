// Trains and scores programs on tasks. The feature size F is a template parameter of the
// implementation (fixed-size Eigen arithmetic); `Executor::Create` dispatches on the run-time
// feature size to one of the compiled sizes.
//
// Protocol per task: wipe memory; seed the random-op RNG from (random_op_seed, task index);
// run Setup once; then for each epoch, for every training example in the epoch's order (epoch 0
// in data order, later epochs shuffled from the data seed): v0 = features, s0 = 0, Predict,
// (classification: s1 = sigmoid(s1)), check the prediction, s0 = label, Learn. After each
// epoch, Predict on every validation example (on a copy of memory, so that scoring does not
// change training) and compute the validation fitness. The best epoch's fitness counts.
// Scored examples follow each other on the same memory, so a prediction can depend on the
// examples scored before it; with `independent_predictions` each starts from the memory as
// training left it.
// A prediction that is NaN/inf or whose absolute error exceeds max_abs_error ends the task:
// its fitness is the best of the epochs completed before (0 if none).
#ifndef EXECUTOR_EXECUTOR_H_
#define EXECUTOR_EXECUTOR_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "executor/classification_metrics.h"
#include "executor/dataset.h"
#include "executor/dead_code.h"
#include "executor/fitness.h"
#include "executor/objectives.h"
#include "instructions/program.h"

namespace automl {

// The feature sizes compiled in.
const std::vector<int>& SupportedFeatureSizes();
// OK, or an error naming the size and the supported ones.
absl::Status CheckFeatureSizeSupported(int feature_size);

enum class TaskCombination { kMean, kMedian };

// How the executor interprets instructions (the loops are in interpreters.h). All run every op
// through the same kernels (op_kernels.h) and give identical results, bit for bit; they differ
// in speed only (measured by experiments/bench_throughput.sh).
enum class Dispatch {
  kReference,      // Decodes each of the program's Instructions as it runs it: the simplest
                   // loop (as ExecuteInstruction runs one instruction).
  kDecodedSwitch,  // A switch per instruction over pre-decoded instructions (decoded_program.h).
  kThreaded,       // Direct threading (computed goto) over pre-decoded instructions; the
                   // decoded switch where the compiler lacks labels as values.
};

struct ExecutorOptions {
  MachineShape shape;  // Register counts and feature size.
  double max_abs_error = 100.0;
  TaskCombination combination = TaskCombination::kMean;
  uint64_t random_op_seed = 0;  // Seeds the RNG that random ops draw from.
  // Run only the instructions that can reach a prediction (dead_code.h). Exact: fitness and
  // FEC signatures are bit-identical with and without it.
  bool dead_code_elimination = true;
  Dispatch dispatch = Dispatch::kThreaded;
  // Objectives to compute besides quality (objectives.h; only the classification metrics are
  // the executor's, others are ignored): on the validation split at the best epoch (and the
  // test split in EvaluatePerTask), combined over tasks like quality. Empty: nothing more is
  // computed and the evaluation does no extra work. Create refuses tasks that cannot give
  // them (executor_objectives.h).
  std::vector<Objective> objectives;
  // The group id of the sensitive group for the fairness metrics; every other id is the
  // advantaged group.
  int sensitive_group = 1;
  // Score every validation and test example (and the FEC signature's validation examples)
  // from the memory as training left it, so that no prediction depends on the examples scored
  // before it: a program whose Predict carries a register from one example to the next scores
  // as if each example were the first. Random ops in Predict still draw from one stream across
  // the examples. Costs a copy of the registers Predict writes per scored example.
  bool independent_predictions = false;
};

// One task's result of a full evaluation.
struct TaskScore {
  double valid_fitness = 0.0;  // Best over epochs.
  double test_fitness = 0.0;   // At the best validation epoch (0 if there is no test split
                               // or the test predictions diverged).
  int best_epoch = -1;         // -1 if no epoch completed.
  bool diverged = false;       // Stopped early by NaN/inf or max_abs_error.
  // The requested classification metrics (ExecutorOptions::objectives) at the best epoch; the
  // worst values if no epoch completed (for test: or its predictions diverged; all 0 without
  // a test split).
  ClassificationMetrics valid_metrics;
  ClassificationMetrics test_metrics;
};

class Executor {
 public:
  // Checks the shape, the feature size and every dataset (feature size must match).
  static absl::StatusOr<std::unique_ptr<Executor>> Create(const std::vector<Dataset>& datasets,
                                                          const ExecutorOptions& options);
  virtual ~Executor() = default;

  // Trains and validates on tasks [first_task, first_task + num_tasks) (all by default) and
  // combines their validation fitness (quality and the requested metrics) by the options'
  // combination. The program must be valid for the shape (see ValidateProgram).
  virtual Fitness Evaluate(const Program& program, int first_task = 0, int num_tasks = -1) = 0;

  // The validation fitness of one task (best over epochs) with the requested metrics, as
  // Evaluate computes it; and its quality alone.
  virtual Fitness EvaluateTask(const Program& program, int task) = 0;
  double EvaluateTaskFitness(const Program& program, int task) {
    return EvaluateTask(program, task).quality;
  }

  // Like Evaluate on all tasks, but reports every task, with test-split fitness.
  virtual std::vector<TaskScore> EvaluatePerTask(const Program& program) = 0;

  // The functional signature used by the FEC: on every task, Setup, then Predict+Learn on the
  // first `num_train` training examples and Predict on the first `num_valid` validation
  // examples; a hash of all those prediction errors, each quantized to 30 significant bits so
  // that programs equal up to rounding collide.
  virtual uint64_t FecSignature(const Program& program, int num_train, int num_valid) = 0;

  // A key of what executing `program` depends on (with dead-code elimination: its live
  // instructions; without: all of them). Programs with equal keys get identical results from
  // every method above, so the key can stand in for the program in caches.
  virtual ProgramKey ExecutionKey(const Program& program) = 0;

  // The static objectives (inference_cost, training_cost, size; static_objectives.h) of
  // `program`'s code as this executor runs it (with or without dead-code elimination).
  virtual Fitness StaticObjectives(const Program& program) = 0;

  // A new executor sharing this one's (read-only) task data, for use on another thread.
  virtual std::unique_ptr<Executor> Clone() const = 0;

  // Training examples on which Learn ran, over this executor's life.
  int64_t train_steps() const { return train_steps_; }
  int num_tasks() const { return num_tasks_; }
  const ExecutorOptions& options() const { return options_; }

 protected:
  Executor(const ExecutorOptions& options, int num_tasks)
      : options_(options), num_tasks_(num_tasks) {}
  ExecutorOptions options_;
  int num_tasks_;
  int64_t train_steps_ = 0;
};

// Combines per-task fitnesses; `scratch` may be reordered.
double CombineTaskFitness(std::vector<double>& scratch, TaskCombination combination);

}  // namespace automl

#endif  // EXECUTOR_EXECUTOR_H_

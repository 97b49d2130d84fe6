// How the search scores a candidate: train budget, then the FEC, then hurdles, then the full
// evaluation on the search tasks; then the static objectives when the spec uses them. Keeps
// the counters the progress line reports.
#ifndef EVOLUTION_SEARCH_EVALUATOR_H_
#define EVOLUTION_SEARCH_EVALUATOR_H_

#include <cstdint>
#include <memory>
#include <optional>

#include "evolution/experiment_spec.pb.h"
#include "evolution/fec_cache.h"
#include "evolution/hurdle.h"
#include "executor/classification_metrics.h"
#include "executor/executor.h"
#include "instructions/program.h"

namespace automl {

struct SearchEvaluatorOptions {
  bool fec_enabled = true;
  int fec_num_train = 10;
  int fec_num_valid = 10;
  int fec_cache_size = 100000;
  bool hurdles_enabled = false;
  int hurdle_first_stage_tasks = 1;
  double hurdle_percentile = 75.0;
  int hurdle_window_size = 1000;
  int hurdle_min_samples = 100;
  // Programs whose cost per example exceeds this are rejected; <= 0 disables the budget.
  double max_cost_per_example = 0.0;
  // With the FEC on: remember the FEC signature of recently seen programs by their execution
  // key (the hash of their live instructions, Executor::ExecutionKey), so that a program whose
  // live code was seen before (a clone, or a mutation of dead code) skips computing its
  // signature. The FEC lookup still happens, so fitness, FEC contents and LRU order, hit
  // counts and train steps are exactly those without the memo; only time changes.
  bool signature_memo = true;
  int signature_memo_slots = 1 << 16;  // Direct-mapped; a power of two.
  // Add the static objectives (inference_cost, training_cost, size) of each program to its
  // fitness. They are computed for the program itself, never cached: functionally equal
  // programs can differ in them.
  bool static_objectives = false;
};

// Reads the FEC, hurdle and budget settings of a (validated) spec, and whether its objectives
// include static ones.
SearchEvaluatorOptions SearchEvaluatorOptionsFromSpec(const ExperimentSpec& spec);

// Estimated cost of one training example: OpCost summed over all of Predict and Learn (dead
// code included, unlike the training_cost objective: the budget is a limit on the program as
// written).
double CostPerExample(const Program& program, int feature_size);

struct SearchEvaluatorStats {
  int64_t evaluations = 0;  // Candidates scored.
  int64_t fec_lookups = 0;
  int64_t fec_hits = 0;
  int64_t hurdle_checks = 0;  // Candidates that ran the first stage.
  int64_t hurdle_cuts = 0;    // ...and stopped there.
  int64_t budget_rejections = 0;
  int64_t full_evaluations = 0;  // Candidates that ran on every search task.
  int64_t memo_hits = 0;         // FEC signatures taken from the signature memo.

  double fec_hit_rate() const {
    return fec_lookups == 0 ? 0.0 : static_cast<double>(fec_hits) / fec_lookups;
  }
  double hurdle_cut_rate() const {
    return hurdle_checks == 0 ? 0.0 : static_cast<double>(hurdle_cuts) / hurdle_checks;
  }
};

class SearchEvaluator {
 public:
  SearchEvaluator(std::unique_ptr<Executor> executor, const SearchEvaluatorOptions& options);

  // The program's fitness on the search tasks: quality and the executor's requested metrics
  // (from the FEC when a functionally equal program was evaluated in full before), plus the
  // static objectives when the options ask for them. A program the budget rejects gets the
  // worst data-dependent values (WorstFitness); one the hurdle cuts, its first-stage task
  // fitnesses combined with the worst for every task it skipped, so that it ranks below the
  // candidates that passed (not cached: a later equal program gets its own hurdle check).
  Fitness Evaluate(const Program& program);

  // Rotating search tasks: from now on scores programs on `executor`'s tasks (the search's
  // rotation `rotation` >= 1). The FEC keeps its entries but keys lookups by the rotation, so a
  // fitness measured on other tasks is never returned; the signature memo is cleared and the
  // hurdle's window restarts (its percentiles were of fitness on the old tasks). Counters and
  // train steps go on.
  void SwitchTasks(std::unique_ptr<Executor> executor, int rotation);

  const SearchEvaluatorStats& stats() const { return stats_; }
  int64_t train_steps() const { return train_steps_base_ + executor_->train_steps(); }
  Executor& executor() { return *executor_; }

  // For checkpoints (evolution/checkpoint.h): the FEC and the hurdle (null when the spec turns
  // them off) and the counters, so that a resumed search hits, cuts and counts exactly as the
  // uninterrupted one would.
  FecCache* fec() { return fec_ ? &*fec_ : nullptr; }
  const FecCache* fec() const { return fec_ ? &*fec_ : nullptr; }
  RollingHurdle* hurdle() { return hurdle_ ? &*hurdle_ : nullptr; }
  const RollingHurdle* hurdle() const { return hurdle_ ? &*hurdle_ : nullptr; }
  void RestoreCounters(const SearchEvaluatorStats& stats, int64_t train_steps) {
    stats_ = stats;
    train_steps_base_ = train_steps - executor_->train_steps();
  }

 private:
  Fitness EvaluateDataDependent(const Program& program);
  // Sets `complete` unless the hurdle cut the evaluation short.
  Fitness EvaluateUncached(const Program& program, bool& complete);
  uint64_t Signature(const Program& program);
  // A hurdle with an empty window (at construction, and when the tasks change).
  void StartHurdle();
  // The FEC key of a signature: the signature itself on the spec's tasks (rotation 0).
  uint64_t FecKey(uint64_t signature) const { return signature ^ fec_key_salt_; }

  struct MemoSlot {
    ProgramKey key;
    uint64_t signature = 0;
    bool used = false;
  };

  std::unique_ptr<Executor> executor_;
  SearchEvaluatorOptions options_;
  std::optional<FecCache> fec_;
  std::optional<RollingHurdle> hurdle_;
  const MetricsRequest metrics_;  // The executor's.
  std::vector<Fitness> task_fitness_;
  std::vector<double> scratch_;
  std::vector<MemoSlot> memo_;  // Empty when the memo is off.
  SearchEvaluatorStats stats_;
  // Train steps before a restore or a task switch (the executor counts anew).
  int64_t train_steps_base_ = 0;
  uint64_t fec_key_salt_ = 0;  // 0 on rotation 0; else derived from the rotation.
};

}  // namespace automl

#endif  // EVOLUTION_SEARCH_EVALUATOR_H_

#include "evolution/search_evaluator.h"

#include <algorithm>

#include "evolution/objectives_spec.h"
#include "executor/executor_objectives.h"
#include "executor/static_objectives.h"
#include "instructions/check.h"
#include "instructions/random.h"

namespace automl {

SearchEvaluatorOptions SearchEvaluatorOptionsFromSpec(const ExperimentSpec& spec) {
  SearchEvaluatorOptions options;
  options.fec_enabled = spec.fec().enabled();
  options.fec_num_train = spec.fec().num_train_examples();
  options.fec_num_valid = spec.fec().num_valid_examples();
  options.fec_cache_size = spec.fec().cache_size();
  options.hurdles_enabled = spec.hurdles().enabled();
  options.hurdle_first_stage_tasks = spec.hurdles().num_first_stage_tasks();
  options.hurdle_percentile = spec.hurdles().percentile();
  options.hurdle_window_size = spec.hurdles().window_size();
  options.hurdle_min_samples = spec.hurdles().min_samples();
  options.static_objectives = NeedsStaticObjectives(ComputedObjectives(spec));
  return options;
}

double CostPerExample(const Program& program, int feature_size) {
  return FunctionCost(program.predict, feature_size) + FunctionCost(program.learn, feature_size);
}

SearchEvaluator::SearchEvaluator(std::unique_ptr<Executor> executor,
                                 const SearchEvaluatorOptions& options)
    : executor_(std::move(executor)),
      options_(options),
      metrics_(RequestedMetrics(executor_->options())) {
  if (options_.fec_enabled) fec_.emplace(options_.fec_cache_size);
  if (options_.hurdles_enabled) StartHurdle();
  task_fitness_.reserve(executor_->num_tasks());
  if (fec_ && options_.signature_memo) {
    AUTOML_CHECK(options_.signature_memo_slots > 0 &&
                 (options_.signature_memo_slots & (options_.signature_memo_slots - 1)) == 0);
    memo_.resize(options_.signature_memo_slots);
  }
}

uint64_t SearchEvaluator::Signature(const Program& program) {
  if (memo_.empty()) {
    return executor_->FecSignature(program, options_.fec_num_train, options_.fec_num_valid);
  }
  const ProgramKey key = executor_->ExecutionKey(program);
  MemoSlot& slot = memo_[key.first & (memo_.size() - 1)];
  if (slot.used && slot.key == key) {
    ++stats_.memo_hits;
    return slot.signature;
  }
  slot.key = key;
  slot.signature = executor_->FecSignature(program, options_.fec_num_train, options_.fec_num_valid);
  slot.used = true;
  return slot.signature;
}

void SearchEvaluator::StartHurdle() {
  hurdle_.emplace(options_.hurdle_percentile, options_.hurdle_window_size,
                  options_.hurdle_min_samples);
}

void SearchEvaluator::SwitchTasks(std::unique_ptr<Executor> executor, int rotation) {
  AUTOML_CHECK(rotation >= 1 && executor->num_tasks() == executor_->num_tasks());
  train_steps_base_ += executor_->train_steps();
  executor_ = std::move(executor);
  // A fixed stream far from the other DeriveSeed users; any non-zero salt per rotation works.
  fec_key_salt_ = DeriveSeed(0x5EA2C47A5C0FFEEULL, static_cast<uint64_t>(rotation));
  std::fill(memo_.begin(), memo_.end(), MemoSlot());
  if (hurdle_) StartHurdle();
}

Fitness SearchEvaluator::Evaluate(const Program& program) {
  ++stats_.evaluations;
  Fitness fitness = EvaluateDataDependent(program);
  if (options_.static_objectives) {
    CopyStaticObjectives(executor_->StaticObjectives(program), fitness);
  }
  return fitness;
}

Fitness SearchEvaluator::EvaluateDataDependent(const Program& program) {
  if (options_.max_cost_per_example > 0.0 &&
      CostPerExample(program, executor_->options().shape.feature_size) >
          options_.max_cost_per_example) {
    ++stats_.budget_rejections;
    return WorstFitness(metrics_);
  }
  bool complete = false;
  if (!fec_) return EvaluateUncached(program, complete);
  const uint64_t key = FecKey(Signature(program));
  ++stats_.fec_lookups;
  if (std::optional<Fitness> cached = fec_->Lookup(key)) {
    ++stats_.fec_hits;
    return *cached;
  }
  const Fitness fitness = EvaluateUncached(program, complete);
  if (complete) fec_->Insert(key, fitness);
  return fitness;
}

Fitness SearchEvaluator::EvaluateUncached(const Program& program, bool& complete) {
  const TaskCombination combination = executor_->options().combination;
  const int num_tasks = executor_->num_tasks();
  task_fitness_.clear();
  int next_task = 0;
  if (hurdle_) {
    const int first_stage = std::min(options_.hurdle_first_stage_tasks, num_tasks);
    for (; next_task < first_stage; ++next_task) {
      task_fitness_.push_back(executor_->EvaluateTask(program, next_task));
    }
    const Fitness first_stage_fitness =
        CombineTasks(task_fitness_, combination, metrics_, scratch_);
    ++stats_.hurdle_checks;
    if (!hurdle_->RecordAndCheck(first_stage_fitness.quality)) {
      ++stats_.hurdle_cuts;
      // The tasks it skipped count as failed: its first-stage fitness alone would outrank
      // every full evaluation whenever the first tasks are easier than the rest.
      task_fitness_.resize(num_tasks, WorstFitness(metrics_));
      return CombineTasks(task_fitness_, combination, metrics_, scratch_);
    }
  }
  for (; next_task < num_tasks; ++next_task) {
    task_fitness_.push_back(executor_->EvaluateTask(program, next_task));
  }
  ++stats_.full_evaluations;
  complete = true;
  return CombineTasks(task_fitness_, combination, metrics_, scratch_);
}

}  // namespace automl

#include "evolution/search_evaluator.h"

#include <algorithm>

#include "instructions/check.h"

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
  return options;
}

double CostPerExample(const Program& program, int feature_size) {
  double cost = 0.0;
  for (const Instruction& ins : program.predict) cost += OpCost(ins.op, feature_size);
  for (const Instruction& ins : program.learn) cost += OpCost(ins.op, feature_size);
  return cost;
}

SearchEvaluator::SearchEvaluator(std::unique_ptr<Executor> executor,
                                 const SearchEvaluatorOptions& options)
    : executor_(std::move(executor)), options_(options) {
  if (options_.fec_enabled) fec_.emplace(options_.fec_cache_size);
  if (options_.hurdles_enabled) {
    hurdle_.emplace(options_.hurdle_percentile, options_.hurdle_window_size,
                    options_.hurdle_min_samples);
  }
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

Fitness SearchEvaluator::Evaluate(const Program& program) {
  ++stats_.evaluations;
  if (options_.max_cost_per_example > 0.0 &&
      CostPerExample(program, executor_->options().shape.feature_size) >
          options_.max_cost_per_example) {
    ++stats_.budget_rejections;
    return Fitness{};
  }
  if (!fec_) return EvaluateUncached(program);
  const uint64_t signature = Signature(program);
  ++stats_.fec_lookups;
  if (std::optional<Fitness> cached = fec_->Lookup(signature)) {
    ++stats_.fec_hits;
    return *cached;
  }
  const Fitness fitness = EvaluateUncached(program);
  fec_->Insert(signature, fitness);
  return fitness;
}

Fitness SearchEvaluator::EvaluateUncached(const Program& program) {
  const TaskCombination combination = executor_->options().combination;
  const int num_tasks = executor_->num_tasks();
  task_fitness_.clear();
  int next_task = 0;
  if (hurdle_) {
    const int first_stage = std::min(options_.hurdle_first_stage_tasks, num_tasks);
    for (; next_task < first_stage; ++next_task) {
      task_fitness_.push_back(executor_->EvaluateTaskFitness(program, next_task));
    }
    scratch_.assign(task_fitness_.begin(), task_fitness_.end());
    const double first_stage_fitness = CombineTaskFitness(scratch_, combination);
    ++stats_.hurdle_checks;
    if (!hurdle_->RecordAndCheck(first_stage_fitness)) {
      ++stats_.hurdle_cuts;
      return Fitness{first_stage_fitness};
    }
  }
  for (; next_task < num_tasks; ++next_task) {
    task_fitness_.push_back(executor_->EvaluateTaskFitness(program, next_task));
  }
  ++stats_.full_evaluations;
  return Fitness{CombineTaskFitness(task_fitness_, combination)};
}

}  // namespace automl

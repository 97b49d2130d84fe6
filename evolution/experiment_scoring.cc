#include "evolution/experiment_scoring.h"

#include <memory>
#include <vector>

#include "evolution/experiment_setup.h"
#include "instructions/status_macros.h"

namespace automl {

absl::StatusOr<double> SelectScorer::Score(const Program& program) {
  if (last_program_.has_value() && *last_program_ == program) return last_fitness_;
  double fitness = 0.0;
  if (comm_.rank() == 0) {
    if (executor_ == nullptr) {
      ASSIGN_OR_RETURN(
          executor_,
          MakeExecutor(SelectTasksForExperiment(spec_, random_seed_, experiment_), options_));
    }
    fitness = executor_->Evaluate(program).quality;
  }
  if (comm_.num_ranks() > 1) {
    ASSIGN_OR_RETURN(fitness, BroadcastFromRoot(comm_, fitness));
  }
  last_program_ = program;
  last_fitness_ = fitness;
  return fitness;
}

absl::StatusOr<FinalScore> ScoreOnFinalTasks(const ExperimentSpec& spec,
                                             const ExecutorOptions& options,
                                             const Program& program) {
  ASSIGN_OR_RETURN(const std::unique_ptr<Executor> executor,
                   MakeExecutor(spec.final_tasks(), options));
  const std::vector<TaskScore> scores = executor->EvaluatePerTask(program);
  double valid_sum = 0.0;
  double test_sum = 0.0;
  for (const TaskScore& score : scores) {
    valid_sum += score.valid_fitness;
    test_sum += score.test_fitness;
  }
  FinalScore final_score;
  final_score.fitness = valid_sum / scores.size();
  final_score.test_fitness = test_sum / scores.size();
  for (const TaskSpec& task : spec.final_tasks().tasks()) {
    final_score.has_test |= task.num_test_examples() > 0;
  }
  return final_score;
}

}  // namespace automl

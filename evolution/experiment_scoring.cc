#include "evolution/experiment_scoring.h"

#include <memory>
#include <vector>

#include "evolution/experiment_setup.h"
#include "instructions/status_macros.h"

namespace automl {

absl::StatusOr<double> SelectFitness(const ExperimentSpec& spec, const ExecutorOptions& options,
                                     uint64_t random_seed, int experiment, const Program& program,
                                     IslandComm& comm) {
  double fitness = 0.0;
  if (comm.rank() == 0) {
    ASSIGN_OR_RETURN(
        const std::unique_ptr<Executor> executor,
        MakeExecutor(SelectTasksForExperiment(spec, random_seed, experiment), options));
    fitness = executor->Evaluate(program).quality;
  }
  if (comm.num_ranks() == 1) return fitness;
  return BroadcastFromRoot(comm, fitness);
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

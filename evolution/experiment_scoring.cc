#include "evolution/experiment_scoring.h"

#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "evolution/experiment_setup.h"
#include "evolution/fitness_proto.h"
#include "evolution/objectives_spec.h"
#include "executor/executor_objectives.h"
#include "executor/static_objectives.h"
#include "instructions/status_macros.h"
#include "tasks/task_registry.h"

namespace automl {

ProgramScore ScoreProgram(Executor& executor, const Program& program, bool static_objectives) {
  const std::vector<TaskScore> scores = executor.EvaluatePerTask(program);
  std::vector<Fitness> valid;
  std::vector<Fitness> test;
  for (const TaskScore& score : scores) {
    valid.push_back(TaskFitness(score.valid_fitness, score.valid_metrics));
    test.push_back(TaskFitness(score.test_fitness, score.test_metrics));
  }
  const ExecutorOptions& options = executor.options();
  const MetricsRequest request = RequestedMetrics(options);
  std::vector<double> scratch;
  ProgramScore result;
  result.valid = CombineTasks(valid, options.combination, request, scratch);
  result.test = CombineTasks(test, options.combination, request, scratch);
  if (static_objectives) {
    const Fitness cost = executor.StaticObjectives(program);
    CopyStaticObjectives(cost, result.valid);
    CopyStaticObjectives(cost, result.test);
  }
  return result;
}

absl::StatusOr<Fitness> SelectScorer::Score(const Program& program) {
  if (last_program_.has_value() && *last_program_ == program) return last_fitness_;
  Fitness fitness;
  if (comm_.rank() == 0) {
    if (executor_ == nullptr) {
      ASSIGN_OR_RETURN(
          executor_,
          MakeExecutor(SelectTasksForExperiment(spec_, random_seed_, experiment_), options_));
    }
    fitness =
        ScoreProgram(*executor_, program, NeedsStaticObjectives(ComputedObjectives(spec_))).valid;
  }
  if (comm_.num_ranks() > 1) {
    FitnessProto proto;
    ToProto(fitness, &proto);
    ASSIGN_OR_RETURN(const std::string bytes, BroadcastFromRoot(comm_, proto.SerializeAsString()));
    if (!proto.ParseFromString(bytes)) return ReceivedParseError("select fitness", 0);
    fitness = FromProto(proto);
  }
  last_program_ = program;
  last_fitness_ = fitness;
  return fitness;
}

absl::Status ChooseOnSelect(int select_candidates, const std::vector<Discovery>& discoveries,
                            SelectScorer& select, ExperimentSummary& summary) {
  const Program best = summary.best_program;
  int scored = 1;
  for (auto d = discoveries.rbegin(); d != discoveries.rend(); ++d) {
    if (d->experiment != summary.experiment) continue;
    if (d->program == best) {
      // The best's own discovery (the latest of the experiment's: nothing found later beat
      // it), so met before any candidate is scored: where the best was found.
      summary.chosen_at_individuals = d->individuals;
      continue;
    }
    if (scored == select_candidates) break;
    ++scored;
    ASSIGN_OR_RETURN(const Fitness fitness, select.Score(d->program));
    if (fitness.quality > summary.select_objectives.quality) {
      summary.best_program = d->program;
      summary.search_fitness = d->fitness;
      summary.search_objectives = d->objectives;
      summary.select_objectives = fitness;
      summary.select_fitness = fitness.quality;
      summary.chosen_at_individuals = d->individuals;
    }
  }
  summary.select_candidates_scored = scored;
  return absl::OkStatus();
}

absl::Status CheckScoringTasks(const ExperimentSpec& spec, const ExecutorOptions& options,
                               uint64_t random_seed) {
  if (options.objectives.empty()) return absl::OkStatus();
  const std::pair<const char*, TaskCollection> collections[] = {
      {"select", SelectTasksForExperiment(spec, random_seed, 0)}, {"final", spec.final_tasks()}};
  for (const auto& [name, tasks] : collections) {
    ASSIGN_OR_RETURN(const std::vector<Dataset> datasets, GenerateTasks(tasks));
    if (absl::Status status = CheckObjectivesSupported(datasets, options); !status.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(name, " tasks: ", status.message()));
    }
  }
  return absl::OkStatus();
}
absl::StatusOr<FinalScore> ScoreOnFinalTasks(const ExperimentSpec& spec,
                                             const ExecutorOptions& options,
                                             const Program& program) {
  ExecutorOptions mean_options = options;
  mean_options.combination = TaskCombination::kMean;
  ASSIGN_OR_RETURN(const std::unique_ptr<Executor> executor,
                   MakeExecutor(spec.final_tasks(), mean_options));
  FinalScore final_score;
  final_score.score =
      ScoreProgram(*executor, program, NeedsStaticObjectives(ComputedObjectives(spec)));
  for (const TaskSpec& task : spec.final_tasks().tasks()) {
    final_score.has_test |= task.num_test_examples() > 0;
  }
  return final_score;
}

}  // namespace automl

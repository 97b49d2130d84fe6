#include "evolution/experiment_pareto.h"

#include <limits>
#include <map>
#include <memory>
#include <utility>

#include "evolution/experiment_scoring.h"
#include "evolution/experiment_setup.h"
#include "evolution/objectives_spec.h"
#include "evolution/selection.h"
#include "executor/objectives.h"
#include "instructions/status_macros.h"

namespace automl {
namespace {

// `fitness` with its data-dependent objectives NaN (the static ones do not depend on data).
Fitness NotMeasured(Fitness fitness) {
  for (const ObjectiveInfo& info : kObjectiveTable) {
    if (info.data_dependent) {
      *MutableObjectiveValue(&fitness, info.objective) = std::numeric_limits<double>::quiet_NaN();
    }
  }
  return fitness;
}

}  // namespace

absl::StatusOr<ParetoResult> ScoreParetoFront(const ExperimentSpec& spec,
                                              const ExecutorOptions& options, uint64_t random_seed,
                                              const std::vector<ExperimentSummary>& experiments) {
  ParetoResult result;
  const Selection selection = Selection::FromSpec(spec.objectives());
  if (selection.mode() != SelectionMode::kPareto) return result;
  std::vector<Individual> candidates;
  std::vector<int> experiment_of;
  for (const ExperimentSummary& summary : experiments) {
    for (const Individual& member : summary.pareto_front) {
      candidates.push_back(member);
      experiment_of.push_back(summary.experiment);
    }
  }
  if (candidates.empty()) return result;
  // Final scores are means over tasks, as for the run's best program (ScoreOnFinalTasks).
  ExecutorOptions final_options = options;
  final_options.combination = TaskCombination::kMean;
  ASSIGN_OR_RETURN(const std::unique_ptr<Executor> final_executor,
                   MakeExecutor(spec.final_tasks(), final_options));
  const bool static_objectives = NeedsStaticObjectives(ComputedObjectives(spec));
  bool has_test = false;
  for (const TaskSpec& task : spec.final_tasks().tasks()) has_test |= task.num_test_examples() > 0;
  std::map<int, std::unique_ptr<Executor>> select_executors;  // One per experiment.
  std::vector<Fitness> select_fitness;
  for (int i : MergeFront(selection, candidates)) {
    ParetoMember member;
    member.program = *candidates[i].program;
    member.experiment = experiment_of[i];
    member.search = candidates[i].fitness;
    std::unique_ptr<Executor>& select = select_executors[member.experiment];
    if (!select) {
      ASSIGN_OR_RETURN(
          select,
          MakeExecutor(SelectTasksForExperiment(spec, random_seed, member.experiment), options));
    }
    member.select = ScoreProgram(*select, member.program, static_objectives).valid;
    const ProgramScore final_score =
        ScoreProgram(*final_executor, member.program, static_objectives);
    member.final_valid = final_score.valid;
    member.final_test = final_score.test;
    // Without test splits the test columns are unknown ("nan" in pareto.csv), not 0.
    if (!has_test) member.final_test = NotMeasured(member.final_test);
    select_fitness.push_back(member.select);
    result.members.push_back(std::move(member));
  }
  result.recommended = Recommend(selection, select_fitness);
  return result;
}

}  // namespace automl

#include "evolution/experiment_setup.h"

#include <utility>
#include <vector>

#include "evolution/experiment_spec.h"
#include "evolution/generator.h"
#include "evolution/objectives_spec.h"
#include "executor/dataset.h"
#include "instructions/random.h"
#include "instructions/standard_programs.h"
#include "instructions/status_macros.h"
#include "tasks/task_registry.h"

namespace automl {
namespace {

// Stream ids for DeriveSeed, so that every consumer of the run seed gets its own stream.
constexpr uint64_t kExperimentStream = 1;
constexpr uint64_t kRandomOpStream = 2;
constexpr uint64_t kSelectSeedStream = 3;
constexpr uint64_t kRotationStream = 4;

// Gives task spec i of `tasks` the data and param seeds base, base + 1, ... with base derived
// from (stream, first_index + i).
void ReseedTasks(uint64_t stream, uint64_t first_index, TaskCollection& tasks) {
  for (int i = 0; i < tasks.tasks_size(); ++i) {
    TaskSpec& task = *tasks.mutable_tasks(i);
    // 40 bits keep seeds readable in logs while collisions stay negligible.
    const uint64_t base = DeriveSeed(stream, first_index + i) >> 24;
    task.clear_data_seeds();
    task.clear_param_seeds();
    task.add_data_seeds(base);
    task.add_param_seeds(base);
  }
}

}  // namespace

uint64_t ExperimentSeedOfRun(uint64_t random_seed, int experiment) {
  return DeriveSeed(random_seed, kExperimentStream + 16 * experiment);
}

uint64_t RandomOpSeedOfRun(uint64_t random_seed) {
  return DeriveSeed(random_seed, kRandomOpStream);
}

TaskCollection SelectTasksForExperiment(const ExperimentSpec& spec, uint64_t random_seed,
                                        int experiment) {
  TaskCollection tasks = spec.select_tasks();
  if (!spec.fresh_select_seeds_per_experiment()) return tasks;
  ReseedTasks(DeriveSeed(random_seed, kSelectSeedStream), experiment * 1000003ULL, tasks);
  return tasks;
}

TaskCollection SearchTasksOfRotation(const ExperimentSpec& spec, uint64_t random_seed,
                                     int experiment, int rotation) {
  TaskCollection tasks = spec.search_tasks();
  if (rotation == 0) return tasks;
  const uint64_t stream = DeriveSeed(ExperimentSeedOfRun(random_seed, experiment), kRotationStream);
  ReseedTasks(stream, static_cast<uint64_t>(rotation) * 1000003ULL, tasks);
  return tasks;
}

ExecutorOptions ExecutorOptionsOfRun(const ExperimentSpec& spec, const SearchSpace& space,
                                     uint64_t random_seed) {
  ExecutorOptions options;
  options.shape = space.shape;
  options.max_abs_error = spec.max_abs_error();
  options.combination =
      spec.fitness_combination() == MEDIAN ? TaskCombination::kMedian : TaskCombination::kMean;
  options.random_op_seed = RandomOpSeedOfRun(random_seed);
  for (Objective objective : ComputedObjectives(spec)) {
    if (Info(objective).classification_only) options.objectives.push_back(objective);
  }
  options.sensitive_group = spec.objectives().sensitive_group();
  options.independent_predictions = spec.independent_predictions();
  return options;
}

absl::StatusOr<std::unique_ptr<Executor>> MakeExecutor(const TaskCollection& tasks,
                                                       const ExecutorOptions& options) {
  ASSIGN_OR_RETURN(const std::vector<Dataset> datasets, GenerateTasks(tasks));
  return Executor::Create(datasets, options);
}

IslandSearchConfig IslandSearchParts::Config(const ExperimentSpec& spec, int num_islands,
                                             int num_threads) const {
  IslandSearchConfig config;
  config.spec = &spec;
  config.space = &space;
  config.mutator = mutator.get();
  config.search_executor = search_executor.get();
  config.evaluator_options = evaluator_options;
  config.experiment_seed = experiment_seed;
  if (spec.rotate_search_tasks_every_individuals() > 0) {
    const ExecutorOptions options = search_executor->options();
    config.rotated_search_executor = [&spec, options, random_seed = random_seed,
                                      experiment = experiment](int rotation) {
      return MakeExecutor(SearchTasksOfRotation(spec, random_seed, experiment, rotation), options);
    };
  }
  config.num_islands = num_islands;
  config.num_threads = num_threads;
  return config;
}

absl::StatusOr<std::unique_ptr<IslandSearchParts>> MakeIslandSearchParts(const ExperimentSpec& spec,
                                                                         uint64_t random_seed,
                                                                         int experiment) {
  auto parts = std::make_unique<IslandSearchParts>();
  ASSIGN_OR_RETURN(parts->space, BuildSearchSpace(spec));
  ASSIGN_OR_RETURN(
      parts->search_executor,
      MakeExecutor(spec.search_tasks(), ExecutorOptionsOfRun(spec, parts->space, random_seed)));
  parts->evaluator_options = SearchEvaluatorOptionsFromSpec(spec);
  if (spec.train_budget().enabled()) {
    ASSIGN_OR_RETURN(const Program baseline, HandWrittenProgram(spec.train_budget().baseline(),
                                                                parts->space.shape.feature_size));
    parts->evaluator_options.max_cost_per_example =
        spec.train_budget().max_cost_factor() *
        CostPerExample(baseline, parts->space.shape.feature_size);
  }
  parts->mutator = std::make_unique<Mutator>(Mutator::FromSpec(spec, parts->space));
  parts->experiment_seed = ExperimentSeedOfRun(random_seed, experiment);
  parts->random_seed = random_seed;
  parts->experiment = experiment;
  return parts;
}

}  // namespace automl

// What each experiment of a run is built from: the seeds derived from the run's random seed,
// the parts of its island search, and the executors that score programs. RunSearch builds its
// experiments with these; tools that drive IslandSearch directly (benchmarks, measurements) or
// re-score a program (evaluate_program) use them to get the same numbers as a search.
#ifndef EVOLUTION_EXPERIMENT_SETUP_H_
#define EVOLUTION_EXPERIMENT_SETUP_H_

#include <cstdint>
#include <memory>

#include "absl/status/statusor.h"
#include "evolution/experiment_spec.pb.h"
#include "evolution/island_model.h"
#include "evolution/mutator.h"
#include "evolution/search_evaluator.h"
#include "evolution/search_space.h"
#include "executor/executor.h"
#include "tasks/task_spec.pb.h"

namespace automl {

// The seed of experiment `experiment`'s search (its islands' seeds derive from it).
uint64_t ExperimentSeedOfRun(uint64_t random_seed, int experiment);

// The seed of the random ops (e.g. gaussian weight init) in every evaluation of a run with this
// `random_seed`; evaluate_program uses it so that re-scoring a program reproduces the run's
// numbers.
uint64_t RandomOpSeedOfRun(uint64_t random_seed);

// The select tasks of experiment `experiment`: with fresh_select_seeds_per_experiment, every
// task spec's data and param seeds start from a value derived from (seed, experiment, index).
TaskCollection SelectTasksForExperiment(const ExperimentSpec& spec, uint64_t random_seed,
                                        int experiment);

// The search tasks of rotation `rotation` of experiment `experiment`
// (rotate_search_tasks_every_individuals): the spec's for rotation 0; after that, every task
// spec's data and param seeds start from a value derived from (seed, experiment, rotation,
// index).
TaskCollection SearchTasksOfRotation(const ExperimentSpec& spec, uint64_t random_seed,
                                     int experiment, int rotation);

// How every evaluation of a run scores programs (on T_search, T_select and the final tasks).
ExecutorOptions ExecutorOptionsOfRun(const ExperimentSpec& spec, const SearchSpace& space,
                                     uint64_t random_seed);

// An executor on `tasks`, generated. Errors: tasks that cannot be generated (e.g. a missing
// data file).
absl::StatusOr<std::unique_ptr<Executor>> MakeExecutor(const TaskCollection& tasks,
                                                       const ExecutorOptions& options);

// What an experiment's island search is built from, made from the spec and the run's seed as
// RunSearch makes it: tools that drive IslandSearch directly get the same search as
// run_search_experiment.
struct IslandSearchParts {
  SearchSpace space;
  std::unique_ptr<Executor> search_executor;  // On T_search.
  SearchEvaluatorOptions evaluator_options;   // Including the train budget's cost limit.
  std::unique_ptr<Mutator> mutator;
  uint64_t experiment_seed = 0;
  uint64_t random_seed = 0;  // The run's, and the experiment's index: they pick the tasks of
  int experiment = 0;        // every rotation.
  // A config that points into these parts (which must outlive it); islands, threads, comm,
  // seed programs and the stop flag are the caller's. With rotating search tasks the config
  // builds each rotation's executor from `spec`, which must outlive it too.
  IslandSearchConfig Config(const ExperimentSpec& spec, int num_islands, int num_threads) const;
};
// Errors: a spec whose search space or train-budget baseline is invalid, or search tasks that
// cannot be generated (e.g. a missing data file).
absl::StatusOr<std::unique_ptr<IslandSearchParts>> MakeIslandSearchParts(const ExperimentSpec& spec,
                                                                         uint64_t random_seed,
                                                                         int experiment);

}  // namespace automl

#endif  // EVOLUTION_EXPERIMENT_SETUP_H_

#include "evolution/experiment.h"

#include <memory>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "evolution/experiment_spec.h"
#include "evolution/generator.h"
#include "evolution/island_model.h"
#include "evolution/mutator.h"
#include "evolution/regularized_evolution.h"
#include "evolution/search_evaluator.h"
#include "executor/executor.h"
#include "instructions/random.h"
#include "instructions/standard_programs.h"
#include "tasks/task_registry.h"

namespace automl {
namespace {

// Stream ids for DeriveSeed, so that every consumer of the run seed gets its own stream.
constexpr uint64_t kExperimentStream = 1;
constexpr uint64_t kRandomOpStream = 2;
constexpr uint64_t kSelectSeedStream = 3;

ExecutorOptions MakeExecutorOptions(const ExperimentSpec& spec, const SearchSpace& space,
                                    uint64_t random_seed) {
  ExecutorOptions options;
  options.shape = space.shape;
  options.max_abs_error = spec.max_abs_error();
  options.combination =
      spec.fitness_combination() == MEDIAN ? TaskCombination::kMedian : TaskCombination::kMean;
  options.random_op_seed = DeriveSeed(random_seed, kRandomOpStream);
  return options;
}

absl::StatusOr<std::unique_ptr<Executor>> MakeExecutor(const TaskCollection& tasks,
                                                       const ExecutorOptions& options) {
  absl::StatusOr<std::vector<Dataset>> datasets = GenerateTasks(tasks);
  if (!datasets.ok()) return datasets.status();
  return Executor::Create(*datasets, options);
}

double SecondsSince(absl::Time start) { return absl::ToDoubleSeconds(absl::Now() - start); }

}  // namespace

std::string FormatProgressLine(const ProgressRecord& r) {
  return absl::StrFormat(
      "experiment=%d indivs=%d elapsed_secs=%.2f indivs_per_sec=%.0f best_fitness=%.6f "
      "mean_fitness=%.6f fec_hit_rate=%.4f hurdle_cut_rate=%.4f train_steps=%d migrations=%d%s",
      r.experiment, r.individuals, r.elapsed_secs, r.individuals_per_sec, r.best_fitness,
      r.mean_fitness, r.fec_hit_rate, r.hurdle_cut_rate, r.train_steps, r.migrations,
      r.processes > 1 ? absl::StrFormat(" remote_migrations=%d", r.remote_migrations) : "");
}

TaskCollection SelectTasksForExperiment(const ExperimentSpec& spec, uint64_t random_seed,
                                        int experiment) {
  TaskCollection tasks = spec.select_tasks();
  if (!spec.fresh_select_seeds_per_experiment()) return tasks;
  for (int i = 0; i < tasks.tasks_size(); ++i) {
    TaskSpec& task = *tasks.mutable_tasks(i);
    // 40 bits keep seeds readable in logs while collisions stay negligible.
    const uint64_t base =
        DeriveSeed(DeriveSeed(random_seed, kSelectSeedStream), experiment * 1000003ULL + i) >> 24;
    task.clear_data_seeds();
    task.clear_param_seeds();
    task.add_data_seeds(base);
    task.add_param_seeds(base);
  }
  return tasks;
}

absl::StatusOr<SearchResult> RunSearch(const ExperimentSpec& spec, const SearchOptions& options) {
  absl::StatusOr<SearchSpace> space = BuildSearchSpace(spec);
  if (!space.ok()) return space.status();
  LocalIslandComm local_comm;
  IslandComm& comm = options.comm != nullptr ? *options.comm : local_comm;
  const bool is_root = comm.rank() == 0;
  const int num_islands = options.num_islands > 0 ? options.num_islands : spec.num_islands();
  const int num_threads = options.num_threads > 0 ? options.num_threads : DefaultThreadCount();
  if (absl::Status s = ValidateIslandSettings(spec, num_islands, comm.num_ranks()); !s.ok()) {
    return s;
  }
  const ExecutorOptions executor_options = MakeExecutorOptions(spec, *space, options.random_seed);
  absl::StatusOr<std::unique_ptr<Executor>> search_executor =
      MakeExecutor(spec.search_tasks(), executor_options);
  if (!search_executor.ok()) return search_executor.status();

  SearchEvaluatorOptions evaluator_options = SearchEvaluatorOptionsFromSpec(spec);
  if (spec.train_budget().enabled()) {
    absl::StatusOr<Program> baseline =
        HandWrittenProgram(spec.train_budget().baseline(), space->shape.feature_size);
    if (!baseline.ok()) return baseline.status();
    evaluator_options.max_cost_per_example = spec.train_budget().max_cost_factor() *
                                             CostPerExample(*baseline, space->shape.feature_size);
  }
  std::vector<MutationType> mutation_types;
  for (int type : spec.mutation_types()) mutation_types.push_back(static_cast<MutationType>(type));
  const Mutator mutator(*space, mutation_types, spec.mutate_prob());

  SearchResult result;
  result.is_root = is_root;
  result.num_islands = num_islands;
  const absl::Time run_start = absl::Now();
  for (int experiment = 0; experiment < options.max_experiments; ++experiment) {
    const absl::Time start = absl::Now();
    const uint64_t seed = DeriveSeed(options.random_seed, kExperimentStream + 16 * experiment);
    IslandSearchConfig config;
    config.spec = &spec;
    config.space = &*space;
    config.mutator = &mutator;
    config.search_executor = search_executor->get();
    config.evaluator_options = evaluator_options;
    config.experiment_seed = seed;
    config.num_islands = num_islands;
    config.num_threads = num_threads;
    config.comm = &comm;
    absl::StatusOr<std::unique_ptr<IslandSearch>> search = IslandSearch::Create(config, start);
    if (!search.ok()) return search.status();

    auto report = [&](const IslandTotals& totals) {
      ProgressRecord record;
      record.experiment = experiment;
      record.individuals = totals.individuals;
      record.elapsed_secs = SecondsSince(start);
      record.individuals_per_sec =
          record.elapsed_secs > 0 ? record.individuals / record.elapsed_secs : 0.0;
      record.best_fitness = totals.best_fitness;
      record.mean_fitness = totals.mean_fitness;
      record.fec_hit_rate = totals.fec_hit_rate;
      record.hurdle_cut_rate = totals.hurdle_cut_rate;
      record.train_steps = totals.train_steps;
      record.migrations = totals.migrations;
      record.remote_migrations = totals.remote_migrations;
      record.processes = comm.num_ranks();
      result.progress.push_back(record);
      if (is_root && options.on_progress) options.on_progress(record);
    };
    if (absl::Status s = (*search)->Run(report); !s.ok()) return s;
    absl::StatusOr<Individual> best = (*search)->Best();
    if (!best.ok()) return best.status();

    ExperimentSummary summary;
    summary.experiment = experiment;
    summary.seed = seed;
    summary.best_program = *best->program;
    summary.best_island = (*search)->best_island();
    summary.search_fitness = best->fitness.quality;
    summary.individuals = (*search)->totals().individuals;
    summary.train_steps = (*search)->totals().train_steps;
    search->reset();  // Frees the populations before the select tasks are generated.
    // Rank 0 scores the best program on T_select and tells the others, so that every rank
    // makes the same decision about the next experiment.
    double select_fitness = 0.0;
    if (is_root) {
      absl::StatusOr<std::unique_ptr<Executor>> select_executor = MakeExecutor(
          SelectTasksForExperiment(spec, options.random_seed, experiment), executor_options);
      if (!select_executor.ok()) return select_executor.status();
      select_fitness = (*select_executor)->Evaluate(summary.best_program).quality;
    }
    if (comm.num_ranks() > 1) {
      absl::StatusOr<double> shared = BroadcastFromRoot(comm, select_fitness);
      if (!shared.ok()) return shared.status();
      select_fitness = *shared;
    }
    summary.select_fitness = select_fitness;
    summary.seconds = SecondsSince(start);
    result.total_individuals += summary.individuals;
    if (result.best_experiment < 0 || summary.select_fitness > result.best_select_fitness) {
      result.best_experiment = experiment;
      result.best_select_fitness = summary.select_fitness;
      result.best_program = summary.best_program;
    }
    result.experiments.push_back(summary);
    if (is_root && options.on_experiment_end) options.on_experiment_end(summary);
    if (summary.select_fitness > options.sufficient_fitness) break;
  }

  if (is_root) {
    absl::StatusOr<std::unique_ptr<Executor>> final_executor =
        MakeExecutor(spec.final_tasks(), executor_options);
    if (!final_executor.ok()) return final_executor.status();
    const std::vector<TaskScore> scores = (*final_executor)->EvaluatePerTask(result.best_program);
    double valid_sum = 0.0;
    double test_sum = 0.0;
    for (const TaskScore& score : scores) {
      valid_sum += score.valid_fitness;
      test_sum += score.test_fitness;
    }
    result.final_fitness = valid_sum / scores.size();
    result.final_test_fitness = test_sum / scores.size();
    for (const TaskSpec& task : spec.final_tasks().tasks()) {
      result.final_has_test |= task.num_test_examples() > 0;
    }
  }
  result.seconds = SecondsSince(run_start);
  return result;
}

}  // namespace automl

#include "evolution/experiment.h"

#include <memory>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "evolution/checkpoint.h"
#include "evolution/experiment_spec.h"
#include "evolution/generator.h"
#include "evolution/island_model.h"
#include "evolution/mutator.h"
#include "evolution/regularized_evolution.h"
#include "evolution/search_evaluator.h"
#include "evolution/seed_programs.h"
#include "executor/executor.h"
#include "instructions/program_proto.h"
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
  options.random_op_seed = RandomOpSeedOfRun(random_seed);
  return options;
}

absl::StatusOr<std::unique_ptr<Executor>> MakeExecutor(const TaskCollection& tasks,
                                                       const ExecutorOptions& options) {
  absl::StatusOr<std::vector<Dataset>> datasets = GenerateTasks(tasks);
  if (!datasets.ok()) return datasets.status();
  return Executor::Create(*datasets, options);
}

double SecondsSince(absl::Time start) { return absl::ToDoubleSeconds(absl::Now() - start); }

ProgressRecordProto ToProto(const ProgressRecord& r) {
  ProgressRecordProto proto;
  proto.set_experiment(r.experiment);
  proto.set_individuals(r.individuals);
  proto.set_elapsed_secs(r.elapsed_secs);
  proto.set_individuals_per_sec(r.individuals_per_sec);
  proto.set_best_fitness(r.best_fitness);
  proto.set_mean_fitness(r.mean_fitness);
  proto.set_fec_hit_rate(r.fec_hit_rate);
  proto.set_hurdle_cut_rate(r.hurdle_cut_rate);
  proto.set_train_steps(r.train_steps);
  proto.set_migrations(r.migrations);
  proto.set_remote_migrations(r.remote_migrations);
  proto.set_processes(r.processes);
  return proto;
}

ProgressRecord FromProto(const ProgressRecordProto& proto) {
  ProgressRecord r;
  r.experiment = proto.experiment();
  r.individuals = proto.individuals();
  r.elapsed_secs = proto.elapsed_secs();
  r.individuals_per_sec = proto.individuals_per_sec();
  r.best_fitness = proto.best_fitness();
  r.mean_fitness = proto.mean_fitness();
  r.fec_hit_rate = proto.fec_hit_rate();
  r.hurdle_cut_rate = proto.hurdle_cut_rate();
  r.train_steps = proto.train_steps();
  r.migrations = proto.migrations();
  r.remote_migrations = proto.remote_migrations();
  r.processes = proto.processes();
  return r;
}

ExperimentSummaryProto ToProto(const ExperimentSummary& e) {
  ExperimentSummaryProto proto;
  proto.set_experiment(e.experiment);
  proto.set_seed(e.seed);
  *proto.mutable_best_program() = ToProto(e.best_program);
  proto.set_best_island(e.best_island);
  proto.set_search_fitness(e.search_fitness);
  proto.set_select_fitness(e.select_fitness);
  proto.set_individuals(e.individuals);
  proto.set_train_steps(e.train_steps);
  proto.set_seconds(e.seconds);
  return proto;
}

absl::StatusOr<ExperimentSummary> FromProto(const ExperimentSummaryProto& proto) {
  absl::StatusOr<Program> program = FromProto(proto.best_program());
  if (!program.ok()) {
    return absl::DataLossError(
        absl::StrCat("the checkpoint's experiment ", proto.experiment(),
                     " has a bad best program: ", program.status().message()));
  }
  ExperimentSummary e;
  e.experiment = proto.experiment();
  e.seed = proto.seed();
  e.best_program = *std::move(program);
  e.best_island = proto.best_island();
  e.search_fitness = proto.search_fitness();
  e.select_fitness = proto.select_fitness();
  e.individuals = proto.individuals();
  e.train_steps = proto.train_steps();
  e.seconds = proto.seconds();
  return e;
}

// Adds an experiment that ended to the result's bookkeeping.
void AddExperiment(const ExperimentSummary& summary, SearchResult& result) {
  result.total_individuals += summary.individuals;
  if (result.best_experiment < 0 || summary.select_fitness > result.best_select_fitness) {
    result.best_experiment = summary.experiment;
    result.best_select_fitness = summary.select_fitness;
    result.best_program = summary.best_program;
  }
  result.experiments.push_back(summary);
}

}  // namespace

std::string FormatProgressLine(const ProgressRecord& r) {
  return absl::StrFormat(
      "experiment=%d indivs=%d elapsed_secs=%.2f indivs_per_sec=%.0f best_fitness=%.6f "
      "mean_fitness=%.6f fec_hit_rate=%.4f hurdle_cut_rate=%.4f train_steps=%d migrations=%d%s",
      r.experiment, r.individuals, r.elapsed_secs, r.individuals_per_sec, r.best_fitness,
      r.mean_fitness, r.fec_hit_rate, r.hurdle_cut_rate, r.train_steps, r.migrations,
      r.processes > 1 ? absl::StrFormat(" remote_migrations=%d", r.remote_migrations) : "");
}

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

IslandSearchConfig IslandSearchParts::Config(const ExperimentSpec& spec, int num_islands,
                                             int num_threads) const {
  IslandSearchConfig config;
  config.spec = &spec;
  config.space = &space;
  config.mutator = mutator.get();
  config.search_executor = search_executor.get();
  config.evaluator_options = evaluator_options;
  config.experiment_seed = experiment_seed;
  config.num_islands = num_islands;
  config.num_threads = num_threads;
  return config;
}

absl::StatusOr<std::unique_ptr<IslandSearchParts>> MakeIslandSearchParts(const ExperimentSpec& spec,
                                                                         uint64_t random_seed,
                                                                         int experiment) {
  auto parts = std::make_unique<IslandSearchParts>();
  absl::StatusOr<SearchSpace> space = BuildSearchSpace(spec);
  if (!space.ok()) return space.status();
  parts->space = *std::move(space);
  absl::StatusOr<std::unique_ptr<Executor>> search_executor =
      MakeExecutor(spec.search_tasks(), MakeExecutorOptions(spec, parts->space, random_seed));
  if (!search_executor.ok()) return search_executor.status();
  parts->search_executor = *std::move(search_executor);
  parts->evaluator_options = SearchEvaluatorOptionsFromSpec(spec);
  if (spec.train_budget().enabled()) {
    absl::StatusOr<Program> baseline =
        HandWrittenProgram(spec.train_budget().baseline(), parts->space.shape.feature_size);
    if (!baseline.ok()) return baseline.status();
    parts->evaluator_options.max_cost_per_example =
        spec.train_budget().max_cost_factor() *
        CostPerExample(*baseline, parts->space.shape.feature_size);
  }
  std::vector<MutationType> mutation_types;
  for (int type : spec.mutation_types()) mutation_types.push_back(static_cast<MutationType>(type));
  parts->mutator = std::make_unique<Mutator>(parts->space, mutation_types, spec.mutate_prob());
  parts->experiment_seed = ExperimentSeedOfRun(random_seed, experiment);
  return parts;
}

absl::StatusOr<SearchResult> RunSearch(const ExperimentSpec& spec, const SearchOptions& options) {
  LocalIslandComm local_comm;
  IslandComm& comm = options.comm != nullptr ? *options.comm : local_comm;
  const bool is_root = comm.rank() == 0;
  const int num_islands = options.num_islands > 0 ? options.num_islands : spec.num_islands();
  const int num_threads = options.num_threads > 0 ? options.num_threads : DefaultThreadCount();
  if (absl::Status s = ValidateIslandSettings(spec, num_islands, comm.num_ranks()); !s.ok()) {
    return s;
  }
  // Experiments differ only in their seed; the rest is shared.
  absl::StatusOr<std::unique_ptr<IslandSearchParts>> parts =
      MakeIslandSearchParts(spec, options.random_seed, 0);
  if (!parts.ok()) return parts.status();
  const SearchSpace& space = (*parts)->space;
  const ExecutorOptions executor_options = MakeExecutorOptions(spec, space, options.random_seed);

  const CheckpointProto* resume = options.resume;
  if (resume != nullptr) {
    if (resume->num_islands() != num_islands) {
      return absl::InvalidArgumentError(absl::StrCat("the checkpoint has ", resume->num_islands(),
                                                     " islands but this run has ", num_islands));
    }
    if (resume->random_seed() != options.random_seed) {
      return absl::InvalidArgumentError(absl::StrCat("the checkpoint's random seed is ",
                                                     resume->random_seed(), ", not ",
                                                     options.random_seed));
    }
    if (!options.seed_programs.empty()) {
      return absl::InvalidArgumentError(
          "seed programs cannot be given when resuming: the checkpoint keeps the run's own");
    }
  }
  // Warm start.
  std::vector<Program> seed_programs;
  if (resume != nullptr) {
    for (const ProgramProto& proto : resume->seed_programs()) {
      absl::StatusOr<Program> program = FromProto(proto);
      if (!program.ok()) return program.status();
      seed_programs.push_back(*std::move(program));
    }
  } else {
    seed_programs = options.seed_programs;
  }
  if (static_cast<int>(seed_programs.size()) > spec.population_size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        seed_programs.size(), " seed programs but population_size is ", spec.population_size()));
  }
  for (size_t i = 0; i < seed_programs.size(); ++i) {
    absl::StatusOr<Program> fitted =
        FitSeedProgram(std::move(seed_programs[i]), space, absl::StrCat("seed program ", i + 1));
    if (!fitted.ok()) return fitted.status();
    seed_programs[i] = *std::move(fitted);
  }

  SearchResult result;
  result.is_root = is_root;
  result.num_islands = num_islands;
  int first_experiment = 0;
  double elapsed_before = 0.0;
  bool sufficient_before = false;  // A restored experiment already ends the run.
  if (resume != nullptr) {
    for (const ExperimentSummaryProto& proto : resume->experiments()) {
      absl::StatusOr<ExperimentSummary> summary = FromProto(proto);
      if (!summary.ok()) return summary.status();
      sufficient_before |= summary->select_fitness > options.sufficient_fitness;
      AddExperiment(*summary, result);
    }
    for (const ProgressRecordProto& proto : resume->progress()) {
      result.progress.push_back(FromProto(proto));
    }
    first_experiment = resume->experiment();
    elapsed_before = resume->run_elapsed_secs();
    result.resumed = true;
    for (const IslandStateProto& island : resume->search().islands()) {
      result.resumed_individuals += island.num_individuals();
    }
  }
  const absl::Time run_start = absl::Now() - absl::Seconds(elapsed_before);

  // Checkpoints. SaveState is collective, so every rank takes part; rank 0 writes.
  const bool checkpointing = !options.checkpoint_path.empty();
  absl::Time next_checkpoint = absl::Now() + absl::Seconds(options.checkpoint_every_secs);
  CheckpointProto last_checkpoint;  // Rank 0's last write, marked complete at the run's end.
  auto write_checkpoint = [&](int experiment, absl::Time start,
                              IslandSearch& search) -> absl::Status {
    absl::StatusOr<IslandSearchStateProto> state = search.SaveState();
    if (!state.ok()) return state.status();
    if (!is_root) return absl::OkStatus();
    CheckpointProto checkpoint;
    checkpoint.set_format_version(kCheckpointFormatVersion);
    *checkpoint.mutable_spec() = spec;
    checkpoint.set_random_seed(options.random_seed);
    checkpoint.set_num_islands(num_islands);
    for (const Program& program : seed_programs) *checkpoint.add_seed_programs() = ToProto(program);
    checkpoint.set_spec_path(options.spec_path);
    for (const ExperimentSummary& e : result.experiments) {
      *checkpoint.add_experiments() = ToProto(e);
    }
    checkpoint.set_experiment(experiment);
    checkpoint.set_experiment_elapsed_secs(SecondsSince(start));
    *checkpoint.mutable_search() = *std::move(state);
    for (const ProgressRecord& r : result.progress) *checkpoint.add_progress() = ToProto(r);
    checkpoint.set_run_elapsed_secs(SecondsSince(run_start));
    checkpoint.set_num_processes(comm.num_ranks());
    checkpoint.set_written_unix_secs(absl::ToUnixSeconds(absl::Now()));
    CheckpointEvent event;
    event.path = options.checkpoint_path;
    event.experiment = experiment;
    for (const IslandStateProto& island : checkpoint.search().islands()) {
      event.individuals += island.num_individuals();
    }
    event.status = WriteCheckpoint(options.checkpoint_path, checkpoint);
    next_checkpoint = absl::Now() + absl::Seconds(options.checkpoint_every_secs);
    if (options.on_checkpoint) options.on_checkpoint(event);
    last_checkpoint = std::move(checkpoint);
    return absl::OkStatus();  // A failed write is reported; the search goes on.
  };

  for (int experiment = first_experiment;
       !sufficient_before && experiment < options.max_experiments; ++experiment) {
    const bool restoring =
        resume != nullptr && experiment == resume->experiment() && resume->has_search();
    const absl::Time start =
        absl::Now() - absl::Seconds(restoring ? resume->experiment_elapsed_secs() : 0.0);
    const uint64_t seed = ExperimentSeedOfRun(options.random_seed, experiment);
    IslandSearchConfig config = (*parts)->Config(spec, num_islands, num_threads);
    config.experiment_seed = seed;
    config.comm = &comm;
    config.seed_programs = &seed_programs;
    config.stop_requested = options.stop_requested;
    absl::StatusOr<std::unique_ptr<IslandSearch>> search =
        restoring ? IslandSearch::Restore(config, start, resume->search())
                  : IslandSearch::Create(config, start);
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
    RoundHooks hooks;
    if (checkpointing) {
      hooks.checkpoint_due = [&] { return absl::Now() >= next_checkpoint; };
      hooks.checkpoint = [&] { return write_checkpoint(experiment, start, **search); };
    }
    if (absl::Status s = (*search)->Run(report, hooks); !s.ok()) return s;
    const bool interrupted = (*search)->interrupted();
    // The search's end (or stop): a resumed run continues from here, redoing only the select
    // evaluation, or going on if it is given larger limits.
    if (checkpointing) {
      if (absl::Status s = write_checkpoint(experiment, start, **search); !s.ok()) return s;
    }
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
    summary.interrupted = interrupted;
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
    AddExperiment(summary, result);
    if (is_root && options.on_experiment_end) options.on_experiment_end(summary);
    if (interrupted) {
      result.interrupted = true;
      break;
    }
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
    if (checkpointing && !result.interrupted && last_checkpoint.has_search()) {
      last_checkpoint.set_run_complete(true);
      CheckpointEvent event;
      event.path = options.checkpoint_path;
      event.experiment = last_checkpoint.experiment();
      for (const IslandStateProto& island : last_checkpoint.search().islands()) {
        event.individuals += island.num_individuals();
      }
      event.status = WriteCheckpoint(options.checkpoint_path, last_checkpoint);
      if (options.on_checkpoint) options.on_checkpoint(event);
    }
  }
  result.seconds = SecondsSince(run_start);
  return result;
}

}  // namespace automl

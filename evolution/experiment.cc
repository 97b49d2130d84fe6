#include "evolution/experiment.h"

#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "evolution/experiment_checkpoint.h"
#include "evolution/experiment_scoring.h"
#include "evolution/objectives_spec.h"
#include "evolution/seed_programs.h"
#include "instructions/status_macros.h"

namespace automl {
namespace {

double SecondsSince(absl::Time start) { return absl::ToDoubleSeconds(absl::Now() - start); }

// The warm-start programs every experiment starts with (the checkpoint's when resuming), fitted
// to the search space.
absl::StatusOr<std::vector<Program>> RunSeedPrograms(const ExperimentSpec& spec,
                                                     const SearchOptions& options,
                                                     const SearchSpace& space) {
  std::vector<Program> programs = options.seed_programs;
  if (options.resume != nullptr) {
    ASSIGN_OR_RETURN(programs, CheckpointSeedPrograms(*options.resume));
  }
  if (static_cast<int>(programs.size()) > spec.population_size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        programs.size(), " seed programs but population_size is ", spec.population_size()));
  }
  for (size_t i = 0; i < programs.size(); ++i) {
    ASSIGN_OR_RETURN(programs[i], FitSeedProgram(std::move(programs[i]), space,
                                                 absl::StrCat("seed program ", i + 1)));
  }
  return programs;
}

// One run of the protocol: what its experiments share, and the result as it grows. RunSearch
// below drives it stage by stage.
class SearchRun {
 public:
  // Builds what every experiment shares and, when resuming, restores the ended experiments.
  static absl::StatusOr<std::unique_ptr<SearchRun>> Create(const ExperimentSpec& spec,
                                                           const SearchOptions& options);

  int first_experiment() const { return first_experiment_; }
  // False once max_experiments ran, or a stop request or a sufficient select fitness ended the
  // run.
  bool GoesOn(int experiment) const { return !ended_ && experiment < options_.max_experiments; }

  // When `experiment` started (earlier than now when it continues from a checkpoint).
  absl::Time ExperimentStart(int experiment) const;
  // Scores the experiment's programs on its T_select.
  SelectScorer MakeSelectScorer(int experiment) {
    return SelectScorer(spec_, executor_options_, options_.random_seed, experiment, comm_);
  }
  // Evolves on T_search until the experiment's limits, an early stop (whose sufficient-fitness
  // test scores new bests with `select`) or a stop request; its best program.
  absl::StatusOr<ExperimentSummary> Search(int experiment, absl::Time start, SelectScorer& select);
  // select_candidates > 1: the experiment's program becomes the best on T_select among its
  // best and latest discoveries (ChooseOnSelect).
  absl::Status ChooseOnSelect(SelectScorer& select, ExperimentSummary& summary) {
    if (spec_.select_candidates() <= 1) return absl::OkStatus();
    return automl::ChooseOnSelect(spec_.select_candidates(), result_.discoveries, select, summary);
  }
  // Adds an experiment that ended; a stop request or a sufficient select fitness ends the run.
  void Record(const ExperimentSummary& summary);

  // Rank 0: the best program by select fitness, scored on the final tasks; in PARETO mode the
  // run's front too.
  absl::Status ScoreFinal();
  // Rank 0, after a run that its limits ended: the last checkpoint, marked complete.
  void MarkCheckpointComplete() {
    if (is_root_ && !result_.interrupted) checkpointer_->MarkRunComplete();
  }
  // The result, with the run's time; the last call.
  SearchResult Finish();

 private:
  SearchRun(const ExperimentSpec& spec, const SearchOptions& options);
  absl::Status Restore(const CheckpointProto& checkpoint);
  void AddExperiment(const ExperimentSummary& summary);
  void ReportProgress(int experiment, absl::Time start, const IslandTotals& totals);
  // After a progress record: a discovery if the best-ever fitness rose (the rule in
  // experiment_records.h). Collective when it is one (every rank sees the same totals).
  absl::Status NoteDiscovery(IslandSearch& search, const ProgressRecord& record);
  // The checkpoint's experiment, which continues from its saved search.
  bool Restoring(int experiment) const {
    return options_.resume != nullptr && experiment == options_.resume->experiment() &&
           options_.resume->has_search();
  }

  const ExperimentSpec& spec_;
  const SearchOptions& options_;
  LocalIslandComm local_comm_;
  IslandComm& comm_;
  const bool is_root_;
  const int num_islands_;
  const int num_threads_;
  std::unique_ptr<IslandSearchParts> parts_;  // Experiments differ only in their seed.
  ExecutorOptions executor_options_;
  std::vector<Program> seed_programs_;
  SearchResult result_;
  int first_experiment_ = 0;
  bool ended_ = false;
  absl::Time run_start_;
  std::optional<RunCheckpointer> checkpointer_;
};

SearchRun::SearchRun(const ExperimentSpec& spec, const SearchOptions& options)
    : spec_(spec),
      options_(options),
      comm_(options.comm != nullptr ? *options.comm : local_comm_),
      is_root_(comm_.rank() == 0),
      num_islands_(options.num_islands > 0 ? options.num_islands : spec.num_islands()),
      num_threads_(options.num_threads > 0 ? options.num_threads : DefaultThreadCount()) {
  result_.is_root = is_root_;
  result_.num_islands = num_islands_;
}

absl::StatusOr<std::unique_ptr<SearchRun>> SearchRun::Create(const ExperimentSpec& spec,
                                                             const SearchOptions& options) {
  std::unique_ptr<SearchRun> run(new SearchRun(spec, options));
  RETURN_IF_ERROR(ValidateIslandSettings(spec, run->num_islands_, run->comm_.num_ranks()));
  ASSIGN_OR_RETURN(run->parts_, MakeIslandSearchParts(spec, options.random_seed, 0));
  run->executor_options_ = ExecutorOptionsOfRun(spec, run->parts_->space, options.random_seed);
  RETURN_IF_ERROR(CheckScoringTasks(spec, run->executor_options_, options.random_seed));
  run->result_.objectives = ComputedObjectives(spec);
  if (options.resume != nullptr) {
    RETURN_IF_ERROR(CheckResumable(*options.resume, options.random_seed, run->num_islands_,
                                   !options.seed_programs.empty()));
  }
  ASSIGN_OR_RETURN(run->seed_programs_, RunSeedPrograms(spec, options, run->parts_->space));
  double elapsed_before = 0.0;
  if (options.resume != nullptr) {
    RETURN_IF_ERROR(run->Restore(*options.resume));
    elapsed_before = options.resume->run_elapsed_secs();
  }
  run->run_start_ = absl::Now() - absl::Seconds(elapsed_before);
  run->checkpointer_.emplace(spec, options, run->num_islands_, run->seed_programs_,
                             run->comm_.num_ranks());
  return run;
}

absl::Status SearchRun::Restore(const CheckpointProto& checkpoint) {
  ASSIGN_OR_RETURN(const std::vector<ExperimentSummary> experiments,
                   CheckpointExperiments(checkpoint));
  for (const ExperimentSummary& summary : experiments) {
    ended_ |= summary.select_fitness > options_.sufficient_fitness;
    AddExperiment(summary);
  }
  result_.progress = CheckpointProgress(checkpoint);
  ASSIGN_OR_RETURN(result_.discoveries, CheckpointDiscoveries(checkpoint));
  first_experiment_ = checkpoint.experiment();
  result_.resumed = true;
  result_.resumed_individuals = CheckpointIndividuals(checkpoint);
  return absl::OkStatus();
}

absl::Time SearchRun::ExperimentStart(int experiment) const {
  const double elapsed = Restoring(experiment) ? options_.resume->experiment_elapsed_secs() : 0.0;
  return absl::Now() - absl::Seconds(elapsed);
}

absl::StatusOr<ExperimentSummary> SearchRun::Search(int experiment, absl::Time start,
                                                    SelectScorer& select) {
  const uint64_t seed = ExperimentSeedOfRun(options_.random_seed, experiment);
  IslandSearchConfig config = parts_->Config(spec_, num_islands_, num_threads_);
  config.experiment_seed = seed;
  config.comm = &comm_;
  config.seed_programs = &seed_programs_;
  config.stop_requested = options_.stop_requested;
  ASSIGN_OR_RETURN(const std::unique_ptr<IslandSearch> search,
                   Restoring(experiment)
                       ? IslandSearch::Restore(config, start, options_.resume->search())
                       : IslandSearch::Create(config, start));
  if (options_.on_search_started) options_.on_search_started();

  auto checkpoint = [&] {
    return checkpointer_->Write(*search, experiment, start, run_start_, result_, is_root_);
  };
  RoundHooks hooks;
  if (checkpointer_->enabled()) {
    hooks.checkpoint_due = [&] { return checkpointer_->Due(); };
    hooks.checkpoint = checkpoint;
  }
  if (SufficientFitnessReachable(options_.sufficient_fitness)) {
    hooks.best_suffices = [&]() -> absl::StatusOr<bool> {
      ASSIGN_OR_RETURN(const Individual best, search->Best());
      ASSIGN_OR_RETURN(const Fitness fitness, select.Score(*best.program));
      return fitness.quality > options_.sufficient_fitness;
    };
  }
  absl::Status discovery_status;
  RETURN_IF_ERROR(search->Run(
      [&](const IslandTotals& totals) {
        ReportProgress(experiment, start, totals);
        if (discovery_status.ok()) {
          discovery_status = NoteDiscovery(*search, result_.progress.back());
        }
      },
      hooks));
  RETURN_IF_ERROR(discovery_status);
  // The search's end (or stop): a resumed run continues from here, redoing only the select
  // evaluation, or going on if it is given larger limits.
  if (checkpointer_->enabled()) RETURN_IF_ERROR(checkpoint());
  ASSIGN_OR_RETURN(const Individual best, search->Best());

  ExperimentSummary summary;
  summary.experiment = experiment;
  summary.seed = seed;
  summary.best_program = *best.program;
  summary.best_island = search->best_island();
  summary.search_fitness = best.fitness.quality;
  summary.search_objectives = best.fitness;
  summary.individuals = search->totals().individuals;
  summary.train_steps = search->totals().train_steps;
  summary.interrupted = search->interrupted();
  summary.early_stop = search->early_stop();
  ASSIGN_OR_RETURN(summary.pareto_front, search->ParetoFront());
  return summary;  // Frees the populations before the select tasks are generated.
}

void SearchRun::ReportProgress(int experiment, absl::Time start, const IslandTotals& totals) {
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
  record.processes = comm_.num_ranks();
  result_.progress.push_back(record);
  if (is_root_ && options_.on_progress) options_.on_progress(record);
}

absl::Status SearchRun::NoteDiscovery(IslandSearch& search, const ProgressRecord& record) {
  const std::vector<Discovery>& found = result_.discoveries;
  if (!found.empty() && found.back().experiment == record.experiment &&
      found.back().search_tasks_rotation == search.search_tasks_rotation() &&
      !(record.best_fitness > found.back().fitness)) {
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(const Individual best, search.Best());
  Discovery discovery;
  discovery.experiment = record.experiment;
  discovery.individuals = record.individuals;
  discovery.elapsed_secs = record.elapsed_secs;
  discovery.fitness = record.best_fitness;
  discovery.objectives = best.fitness;
  discovery.program = *best.program;
  discovery.search_tasks_rotation = search.search_tasks_rotation();
  result_.discoveries.push_back(std::move(discovery));
  if (is_root_ && options_.on_discovery) options_.on_discovery(result_.discoveries.back());
  return absl::OkStatus();
}

void SearchRun::AddExperiment(const ExperimentSummary& summary) {
  result_.total_individuals += summary.individuals;
  if (result_.best_experiment < 0 || summary.select_fitness > result_.best_select_fitness) {
    result_.best_experiment = summary.experiment;
    result_.best_select_fitness = summary.select_fitness;
    result_.best_program = summary.best_program;
    result_.best_search_objectives = summary.search_objectives;
    result_.best_select_objectives = summary.select_objectives;
  }
  result_.experiments.push_back(summary);
}

void SearchRun::Record(const ExperimentSummary& summary) {
  AddExperiment(summary);
  if (is_root_ && options_.on_experiment_end) options_.on_experiment_end(summary);
  // A stop requested after the search (during the select evaluation) also ends the run,
  // rather than starting the next experiment.
  const bool stop = options_.stop_requested != nullptr && options_.stop_requested->load();
  result_.interrupted = summary.interrupted || stop;
  ended_ = result_.interrupted || summary.select_fitness > options_.sufficient_fitness;
}

absl::Status SearchRun::ScoreFinal() {
  if (!is_root_) return absl::OkStatus();
  ASSIGN_OR_RETURN(const FinalScore score,
                   ScoreOnFinalTasks(spec_, executor_options_, result_.best_program));
  result_.final_fitness = score.score.valid.quality;
  result_.final_test_fitness = score.score.test.quality;
  result_.final_has_test = score.has_test;
  result_.final_objectives = score.score.valid;
  result_.final_test_objectives = score.score.test;
  ASSIGN_OR_RETURN(result_.pareto, ScoreParetoFront(spec_, executor_options_, options_.random_seed,
                                                    result_.experiments));
  return absl::OkStatus();
}

SearchResult SearchRun::Finish() {
  result_.seconds = SecondsSince(run_start_);
  return std::move(result_);
}

}  // namespace

absl::StatusOr<SearchResult> RunSearch(const ExperimentSpec& spec, const SearchOptions& options) {
  // Build: what every experiment shares (search space, executor on T_search, mutator, seed
  // programs) and, when resuming, the experiments the checkpoint's run ended.
  ASSIGN_OR_RETURN(const std::unique_ptr<SearchRun> run, SearchRun::Create(spec, options));
  for (int experiment = run->first_experiment(); run->GoesOn(experiment); ++experiment) {
    // Search: evolve on T_search; the experiment's best program.
    const absl::Time start = run->ExperimentStart(experiment);
    SelectScorer select = run->MakeSelectScorer(experiment);
    ASSIGN_OR_RETURN(ExperimentSummary summary, run->Search(experiment, start, select));
    // Select: score that program on the experiment's T_select (known already when a
    // sufficient select fitness stopped the search early), and with select_candidates its
    // latest discoveries too, keeping the best on T_select.
    ASSIGN_OR_RETURN(summary.select_objectives, select.Score(summary.best_program));
    summary.select_fitness = summary.select_objectives.quality;
    RETURN_IF_ERROR(run->ChooseOnSelect(select, summary));
    summary.seconds = SecondsSince(start);
    run->Record(summary);
  }
  // Final: the best program by select fitness, scored once on the unseen final tasks.
  RETURN_IF_ERROR(run->ScoreFinal());
  // Record: a run that its limits ended says so in its last checkpoint.
  run->MarkCheckpointComplete();
  return run->Finish();
}

}  // namespace automl

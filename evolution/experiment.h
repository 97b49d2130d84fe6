// The search protocol: each experiment evolves programs on T_search (on one or more islands, see
// island_model.h); its best program is scored on T_select (fresh seeds per experiment unless the
// spec says otherwise); an experiment whose select fitness exceeds `sufficient_fitness` ends the
// run; the best-by-select program is then scored once on the final (unseen) tasks.
#ifndef EVOLUTION_EXPERIMENT_H_
#define EVOLUTION_EXPERIMENT_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "evolution/checkpoint.pb.h"
#include "evolution/experiment_pareto.h"
#include "evolution/experiment_records.h"
#include "evolution/experiment_setup.h"
#include "evolution/experiment_spec.pb.h"
#include "evolution/island_model.h"
#include "executor/objectives.h"
#include "instructions/program.h"

namespace automl {

struct SearchOptions {
  uint64_t random_seed = 1;
  int max_experiments = 1;
  // An experiment whose select fitness exceeds this ends the run.
  double sufficient_fitness = std::numeric_limits<double>::infinity();
  // 0: the spec's num_islands. Stopping limits and progress count over all islands.
  int num_islands = 0;
  // Threads that run this process's islands; 0: DefaultThreadCount() (OMP_NUM_THREADS, else
  // all cores). Results do not depend on it.
  int num_threads = 0;
  // Null: this process hosts every island. Otherwise the processes (e.g. MPI ranks) that
  // share the islands; all of them call RunSearch with the same spec and options. Results
  // equal a one-process run with the same island count.
  IslandComm* comm = nullptr;
  // Called on rank 0 only.
  std::function<void(const ProgressRecord&)> on_progress;           // May be empty.
  std::function<void(const ExperimentSummary&)> on_experiment_end;  // May be empty.
  std::function<void(const Discovery&)> on_discovery;               // May be empty.

  // Warm start: copies of these programs, in turn, fill every island's initial population in
  // every experiment (at most population_size; padded to the space, see seed_programs.h).
  std::vector<Program> seed_programs;

  // Checkpoints (checkpoint.h). With a path (the same on every rank; rank 0 writes), a
  // checkpoint is written at the first round boundary after every `checkpoint_every_secs`
  // (0: at every boundary), when an experiment's search ends, and on a stop request. When
  // they are written never changes results.
  std::string checkpoint_path;
  double checkpoint_every_secs = 60.0;
  std::string spec_path;  // Recorded in checkpoints, for the outputs of a resumed run.
  std::function<void(const CheckpointEvent&)> on_checkpoint;  // Rank 0; may be empty.
  // Continue the run saved in this checkpoint (every rank passes it). Its random seed and
  // island count must equal the options'; its seed programs are used (seed_programs must be
  // empty); the spec may differ (the caller decides what may, see DifferingSpecFields).
  const CheckpointProto* resume = nullptr;
  // When it becomes true (e.g. from a SIGINT handler), the islands stop after their
  // evaluation in flight; RunSearch writes a checkpoint, scores the best program so far on
  // T_select and the final tasks, and returns with `interrupted` set.
  const std::atomic<bool>* stop_requested = nullptr;
  // Called on every rank once the first experiment's islands exist (initial populations
  // evaluated, or restored): from then on a stop request ends the run with results to save.
  // The search binaries end at once on a signal before it (signal_handling.h). May be empty.
  std::function<void()> on_search_started;
};

struct SearchResult {
  std::vector<ExperimentSummary> experiments;
  int best_experiment = -1;  // By select fitness.
  Program best_program;
  double best_select_fitness = 0.0;
  double final_fitness = 0.0;       // Mean validation fitness on the final tasks.
  double final_test_fitness = 0.0;  // Mean test fitness on the final tasks (0 without test).
  bool final_has_test = false;
  // The objectives the spec computes (ComputedObjectives), and the best program's values of
  // them (their quality equals the fitness values above): on T_search (as the search gave
  // them), T_select, and the final tasks' validation and test splits.
  std::vector<Objective> objectives;
  Fitness best_search_objectives;
  Fitness best_select_objectives;
  Fitness final_objectives;
  Fitness final_test_objectives;
  // False on ranks other than 0: they take part in the search but skip the final evaluation
  // (final_* stay 0) and write nothing.
  bool is_root = true;
  int num_islands = 1;
  int64_t total_individuals = 0;
  double seconds = 0.0;
  std::vector<ProgressRecord> progress;  // Including those restored from a checkpoint.
  std::vector<Discovery> discoveries;    // Ditto.
  bool interrupted = false;              // By a stop request; the last experiment is partial.
  bool resumed = false;                  // Continued from a checkpoint.
  int64_t resumed_individuals = 0;       // The checkpoint's count in its experiment.
  // PARETO (rank 0): the run's front, scored, and the recommended member.
  ParetoResult pareto;
};

// Runs the whole protocol. The spec must be valid (ValidateExperimentSpec); errors come from
// the island settings (ValidateIslandSettings), task generation (e.g. a missing data file) or,
// with several processes, communication.
absl::StatusOr<SearchResult> RunSearch(const ExperimentSpec& spec, const SearchOptions& options);

}  // namespace automl

#endif  // EVOLUTION_EXPERIMENT_H_

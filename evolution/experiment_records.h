// What a search reports as it goes (RunSearch's callbacks, SearchResult): a progress record at
// every progress point, each discovery, a summary of every experiment, and each checkpoint
// write. A checkpoint keeps the first three as ProgressRecordProto, DiscoveryProto and
// ExperimentSummaryProto (checkpoint.proto);
// the conversions below are the only place their fields are copied.
#ifndef EVOLUTION_EXPERIMENT_RECORDS_H_
#define EVOLUTION_EXPERIMENT_RECORDS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "evolution/checkpoint.pb.h"
#include "evolution/individual.h"
#include "executor/fitness.h"
#include "instructions/program.h"

namespace automl {

// One progress line.
struct ProgressRecord {
  int experiment = 0;
  int64_t individuals = 0;  // Within this experiment, including the initial population.
  double elapsed_secs = 0.0;
  double individuals_per_sec = 0.0;
  double best_fitness = 0.0;  // Best ever in this experiment, on T_search.
  double mean_fitness = 0.0;  // Of the current population.
  double fec_hit_rate = 0.0;
  double hurdle_cut_rate = 0.0;
  int64_t train_steps = 0;
  int64_t migrations = 0;         // Members that moved between islands so far.
  int64_t remote_migrations = 0;  // ...of which crossed processes.
  int processes = 1;              // The line shows remote_migrations when > 1.
};

// The "key=value ..." progress line.
std::string FormatProgressLine(const ProgressRecord& record);

// A new best-ever program of an experiment. The rule, deterministic for any thread or process
// count: at every progress point (progress_every_individuals, and the search's end), a best-ever
// T_search fitness over all islands strictly above the experiment's last discovery (or the
// experiment's first progress point) is a discovery; with rotating search tasks, so is the
// first best on each new rotation's tasks. Improvements between two progress points
// show up once, as the best at the second; a later program of equal fitness is not one (so an
// experiment's final best program may be a tie of its last discovery).
struct Discovery {
  int experiment = 0;
  int64_t individuals = 0;        // As in the progress record of the same point.
  double elapsed_secs = 0.0;      // Ditto.
  double fitness = 0.0;           // The best-ever T_search fitness.
  Fitness objectives;             // Every objective of it on T_search (quality == fitness).
  Program program;                // The best-ever program (ties go to the lower island).
  int search_tasks_rotation = 0;  // The rotation of the search tasks `fitness` is on.
};

struct ExperimentSummary {
  int experiment = 0;
  uint64_t seed = 0;
  // Best ever on T_search, over all islands; with select_candidates > 1 (experiment_spec.proto)
  // the candidate with the best select fitness, and the fields below are that program's.
  Program best_program;
  int best_island = 0;  // The best-ever program's, whichever candidate is chosen.
  double search_fitness = 0.0;
  double select_fitness = 0.0;
  // Every objective of best_program (their quality equals the fitness above): on T_search as
  // the search scored it, and on T_select.
  Fitness search_objectives;
  Fitness select_objectives;
  int64_t individuals = 0;
  int64_t train_steps = 0;
  double seconds = 0.0;
  // Stopped by a stop request before its limits: the best so far, scored on T_select. Not in
  // checkpoints: they hold only experiments that ended by their limits.
  bool interrupted = false;
  // Where it stopped is `individuals`; why, when an early-stop check ended it (early_stop.h).
  EarlyStopReason early_stop = NOT_STOPPED_EARLY;
  // select_candidates > 1: how many programs were scored on T_select (0 otherwise), and the
  // individuals count of the chosen one's discovery (-1: the best-ever program, when no
  // discovery holds it).
  int select_candidates_scored = 0;
  int64_t chosen_at_individuals = -1;
  // PARETO: the front of the experiment's islands' archives (IslandSearch::ParetoFront).
  std::vector<Individual> pareto_front;
};

// A checkpoint write, reported on rank 0 (RunSearch goes on when one fails).
struct CheckpointEvent {
  std::string path;
  int experiment = 0;
  int64_t individuals = 0;  // Over all islands, in that experiment.
  absl::Status status;
};

ProgressRecordProto ToProto(const ProgressRecord& record);
ProgressRecord FromProto(const ProgressRecordProto& proto);

DiscoveryProto ToProto(const Discovery& discovery);
// DataLoss when the program does not decode.
absl::StatusOr<Discovery> FromProto(const DiscoveryProto& proto);

ExperimentSummaryProto ToProto(const ExperimentSummary& summary);
// DataLoss when the best program or a member of the front does not decode.
absl::StatusOr<ExperimentSummary> FromProto(const ExperimentSummaryProto& proto);

}  // namespace automl

#endif  // EVOLUTION_EXPERIMENT_RECORDS_H_

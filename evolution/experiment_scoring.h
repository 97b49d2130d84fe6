// Scoring the protocol's candidates outside the search: each experiment's best program on its
// select tasks, and the run's best (by select fitness) on the final, unseen tasks.
#ifndef EVOLUTION_EXPERIMENT_SCORING_H_
#define EVOLUTION_EXPERIMENT_SCORING_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "evolution/experiment_spec.pb.h"
#include "evolution/island_model.h"
#include "executor/executor.h"
#include "instructions/program.h"

namespace automl {

// The select fitness of experiment `experiment`'s best program (collective). Rank 0 scores it
// and tells the others, so that every rank makes the same decision about the next experiment.
absl::StatusOr<double> SelectFitness(const ExperimentSpec& spec, const ExecutorOptions& options,
                                     uint64_t random_seed, int experiment, const Program& program,
                                     IslandComm& comm);

struct FinalScore {
  double fitness = 0.0;       // Mean validation fitness on the final tasks.
  double test_fitness = 0.0;  // Mean test fitness (0 without test examples).
  bool has_test = false;      // Some final task has test examples.
};
// `program` scored on the spec's final tasks.
absl::StatusOr<FinalScore> ScoreOnFinalTasks(const ExperimentSpec& spec,
                                             const ExecutorOptions& options,
                                             const Program& program);

}  // namespace automl

#endif  // EVOLUTION_EXPERIMENT_SCORING_H_

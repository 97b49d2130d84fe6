// Scoring the protocol's candidates outside the search: each experiment's best program on its
// select tasks, and the run's best (by select fitness) on the final, unseen tasks.
#ifndef EVOLUTION_EXPERIMENT_SCORING_H_
#define EVOLUTION_EXPERIMENT_SCORING_H_

#include <cstdint>
#include <memory>
#include <optional>

#include "absl/status/statusor.h"
#include "evolution/experiment_spec.pb.h"
#include "evolution/island_model.h"
#include "executor/executor.h"
#include "instructions/program.h"

namespace automl {

// Scores programs on one experiment's T_select: its best at the end, and the new bests of its
// early-stop checks (early_stop.h). The tasks are made at the first call and kept; the last
// program and its fitness are remembered, so a best that an early stop scored is not scored
// again at the experiment's end.
class SelectScorer {
 public:
  SelectScorer(const ExperimentSpec& spec, const ExecutorOptions& options, uint64_t random_seed,
               int experiment, IslandComm& comm)
      : spec_(spec),
        options_(options),
        random_seed_(random_seed),
        experiment_(experiment),
        comm_(comm) {}

  // The select fitness of `program` (collective). Rank 0 scores it and tells the others, so
  // that every rank makes the same decisions.
  absl::StatusOr<double> Score(const Program& program);

 private:
  const ExperimentSpec& spec_;
  const ExecutorOptions& options_;
  const uint64_t random_seed_;
  const int experiment_;
  IslandComm& comm_;
  std::unique_ptr<Executor> executor_;  // Rank 0, from the first call.
  std::optional<Program> last_program_;
  double last_fitness_ = 0.0;
};

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

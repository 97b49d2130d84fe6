// Scoring the protocol's candidates outside the search: each experiment's best program (or,
// with select_candidates, its latest discoveries too) on its select tasks, and the run's best
// (by select fitness) on the final, unseen tasks. Every
// objective the spec computes is scored (ComputedObjectives), on the validation and the test
// splits at each task's best epoch.
#ifndef EVOLUTION_EXPERIMENT_SCORING_H_
#define EVOLUTION_EXPERIMENT_SCORING_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "evolution/experiment_records.h"
#include "evolution/experiment_spec.pb.h"
#include "evolution/island_model.h"
#include "executor/executor.h"
#include "executor/fitness.h"
#include "instructions/program.h"

namespace automl {

// One program's fitness on a collection of tasks, combined over the tasks.
struct ProgramScore {
  Fitness valid;  // On the validation splits.
  Fitness test;   // On the test splits (data-dependent objectives 0 without test examples).
};

// `program` scored on every task of `executor` (build it with MakeExecutor and the run's
// ExecutorOptionsOfRun to score as the protocol does): quality and the executor's requested
// classification metrics, each combined over tasks by the executor's combination, plus the
// static objectives (the same on both splits) when `static_objectives`
// (NeedsStaticObjectives of the spec's ComputedObjectives).
ProgramScore ScoreProgram(Executor& executor, const Program& program, bool static_objectives);

// OK, or why the select tasks (experiment 0's) or the final tasks cannot give the
// classification metrics `options` asks for (CheckObjectivesSupported, prefixed "select
// tasks: " or "final tasks: "), so that a run fails at its start rather than after its first
// search. Generates those tasks only when metrics are asked for.
absl::Status CheckScoringTasks(const ExperimentSpec& spec, const ExecutorOptions& options,
                               uint64_t random_seed);

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

  // The select fitness of `program` (collective): its validation ProgramScore on the
  // experiment's select tasks. Rank 0 scores it and tells the others, so that every rank makes
  // the same decisions.
  absl::StatusOr<Fitness> Score(const Program& program);

 private:
  const ExperimentSpec& spec_;
  const ExecutorOptions& options_;
  const uint64_t random_seed_;
  const int experiment_;
  IslandComm& comm_;
  std::unique_ptr<Executor> executor_;  // Rank 0, from the first call.
  std::optional<Program> last_program_;
  Fitness last_fitness_;
};

// select_candidates > 1 (experiment_spec.proto), after `select` scored `summary`'s best
// program: that program and the experiment's latest discoveries (`discoveries` holds the run's)
// up to select_candidates programs in all, scored on T_select from the latest back (collective,
// like SelectScorer::Score). `summary` takes the one with the highest select fitness (ties: the
// later) with its search objectives, and records how many were scored and where the chosen one
// was found. A discovery whose program equals the best's is not scored twice.
absl::Status ChooseOnSelect(int select_candidates, const std::vector<Discovery>& discoveries,
                            SelectScorer& select, ExperimentSummary& summary);

struct FinalScore {
  ProgramScore score;     // Tasks combined by their mean, whatever the spec's combination.
  bool has_test = false;  // Some final task has test examples.
};
// `program` scored on the spec's final tasks.
absl::StatusOr<FinalScore> ScoreOnFinalTasks(const ExperimentSpec& spec,
                                             const ExecutorOptions& options,
                                             const Program& program);

}  // namespace automl

#endif  // EVOLUTION_EXPERIMENT_SCORING_H_

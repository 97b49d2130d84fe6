// The end of a PARETO run (RunSearch): the fronts of every experiment merged into the run's
// front, each member scored on T_select and on the final tasks, and the recommended member
// (pareto_front.h). experiments/pareto_output.h writes them out.
#ifndef EVOLUTION_EXPERIMENT_PARETO_H_
#define EVOLUTION_EXPERIMENT_PARETO_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "evolution/experiment_records.h"
#include "evolution/experiment_spec.pb.h"
#include "evolution/pareto_front.h"
#include "executor/executor.h"
#include "executor/fitness.h"
#include "instructions/program.h"

namespace automl {

struct ParetoMember {
  Program program;
  int experiment = 0;   // Whose search found it; its T_select scores it.
  Fitness search;       // On T_search, as the search gave it.
  Fitness select;       // On the experiment's T_select (validation splits).
  Fitness final_valid;  // On the final tasks' validation splits...
  Fitness final_test;   // ...and test splits (ProgramScores in experiment_scoring.h).
};

struct ParetoResult {
  std::vector<ParetoMember> members;  // In MergeFront's order.
  Recommendation recommended;         // Chosen on the members' T_select fitness.
};

// Rank 0's work after the experiments: every experiment's front (in experiment order) merged,
// scored and the recommendation made. Empty members when the spec is not PARETO.
absl::StatusOr<ParetoResult> ScoreParetoFront(const ExperimentSpec& spec,
                                              const ExecutorOptions& options, uint64_t random_seed,
                                              const std::vector<ExperimentSummary>& experiments);

}  // namespace automl

#endif  // EVOLUTION_EXPERIMENT_PARETO_H_

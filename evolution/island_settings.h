// Validation of the settings that only exist once islands do: the island count, the
// migration spec and the number of processes (ValidateExperimentSpec checks the rest).
#ifndef EVOLUTION_ISLAND_SETTINGS_H_
#define EVOLUTION_ISLAND_SETTINGS_H_

#include "absl/status/status.h"
#include "evolution/experiment_spec.pb.h"

namespace automl {

// Checks the island settings of a run: the island count (spec or --islands), the migration
// spec, and the number of processes. One line naming the field, like the spec validation.
absl::Status ValidateIslandSettings(const ExperimentSpec& spec, int num_islands, int num_ranks);

}  // namespace automl

#endif  // EVOLUTION_ISLAND_SETTINGS_H_

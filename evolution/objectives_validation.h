// Validation of a spec's `objectives` section (one section of ValidateExperimentSpec, kept in
// its own file): every objective named, weights, bounds, each selection mode's fields, and
// classification metrics only on classification tasks. Errors are one line naming the field.
// Tasks without the group column that fairness objectives need are refused when the tasks are
// generated (the executor's side), since only the data shows it.
#ifndef EVOLUTION_OBJECTIVES_VALIDATION_H_
#define EVOLUTION_OBJECTIVES_VALIDATION_H_

#include "absl/status/status.h"
#include "evolution/experiment_spec.pb.h"

namespace automl {

// Expects the task lists to be valid already (ValidateExperimentSpec checks them first).
absl::Status ValidateObjectivesSpec(const ExperimentSpec& spec);

}  // namespace automl

#endif  // EVOLUTION_OBJECTIVES_VALIDATION_H_

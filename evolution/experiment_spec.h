// Reading and validating experiment specs. Every problem is reported as one line naming the
// field, e.g. "tournament_size (20) is larger than population_size (10)".
#ifndef EVOLUTION_EXPERIMENT_SPEC_H_
#define EVOLUTION_EXPERIMENT_SPEC_H_

#include <string>

#include "absl/status/statusor.h"
#include "evolution/experiment_spec.pb.h"
#include "evolution/search_space.h"

namespace automl {

// Parses a text-format spec; unknown fields and syntax errors name `source` and the line.
absl::StatusOr<ExperimentSpec> ParseExperimentSpec(const std::string& text,
                                                   const std::string& source = "spec");
absl::StatusOr<ExperimentSpec> ReadExperimentSpecFile(const std::string& path);

// Task collection files (--select_spec / --final_spec) are read by ParseTaskCollectionFile
// (tasks/task_registry.h).

// Checks required fields, ranges and consistency (see experiment_spec.proto).
absl::Status ValidateExperimentSpec(const ExperimentSpec& spec);

// The search space of a spec; validates it first.
absl::StatusOr<SearchSpace> BuildSearchSpace(const ExperimentSpec& spec);

// The feature size of a validated spec (all task specs agree on it).
int SpecFeatureSize(const ExperimentSpec& spec);

}  // namespace automl

#endif  // EVOLUTION_EXPERIMENT_SPEC_H_

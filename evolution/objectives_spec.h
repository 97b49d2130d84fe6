// Reading a spec's ObjectivesSpec: which objectives a search computes, in the executor's terms
// (executor/objectives.h). Validation of the spec is in experiment_spec.h.
#ifndef EVOLUTION_OBJECTIVES_SPEC_H_
#define EVOLUTION_OBJECTIVES_SPEC_H_

#include <string>
#include <vector>

#include "evolution/experiment_spec.pb.h"
#include "executor/objectives.h"

namespace automl {

// The executor's objective for a proto name (OBJECTIVE_UNSET is a programmer error).
Objective ToObjective(ObjectiveName name);
ObjectiveName ToObjectiveName(Objective objective);

// Every objective the spec selects on, bounds or reports, plus quality, each once, in the
// table's order.
std::vector<Objective> ComputedObjectives(const ExperimentSpec& spec);

// " quality=0.91 dppl=0.02": each objective's name and value, as the end-of-run lines and
// evaluate_program print them.
std::string FormatObjectives(const std::vector<Objective>& objectives, const Fitness& fitness);

// True if some computed objective needs the executor to collect classification predictions.
bool NeedsClassificationMetrics(const std::vector<Objective>& objectives);

// True if some computed objective is static (costs, size: not from running the program).
bool NeedsStaticObjectives(const std::vector<Objective>& objectives);

}  // namespace automl

#endif  // EVOLUTION_OBJECTIVES_SPEC_H_

#include "evolution/objectives_spec.h"

#include <array>
#include <sstream>

#include "instructions/check.h"

namespace automl {

Objective ToObjective(ObjectiveName name) {
  AUTOML_CHECK(name != OBJECTIVE_UNSET && name <= kNumObjectives);
  return static_cast<Objective>(static_cast<int>(name) - 1);
}

ObjectiveName ToObjectiveName(Objective objective) {
  return static_cast<ObjectiveName>(static_cast<int>(objective) + 1);
}

std::vector<Objective> ComputedObjectives(const ExperimentSpec& spec) {
  std::array<bool, kNumObjectives> used{};
  used[static_cast<int>(Objective::kQuality)] = true;
  const ObjectivesSpec& objectives = spec.objectives();
  auto mark = [&used](ObjectiveName name) {
    if (name != OBJECTIVE_UNSET) used[static_cast<int>(ToObjective(name))] = true;
  };
  for (const ObjectiveWeight& weight : objectives.weights()) mark(weight.objective());
  mark(objectives.primary());
  for (const ObjectiveBound& bound : objectives.bounds()) mark(bound.objective());
  for (int name : objectives.pareto_objectives()) mark(static_cast<ObjectiveName>(name));
  for (int name : objectives.report()) mark(static_cast<ObjectiveName>(name));
  std::vector<Objective> result;
  for (const ObjectiveInfo& info : kObjectiveTable) {
    if (used[static_cast<int>(info.objective)]) result.push_back(info.objective);
  }
  return result;
}

bool NeedsClassificationMetrics(const std::vector<Objective>& objectives) {
  for (Objective objective : objectives) {
    if (Info(objective).classification_only) return true;
  }
  return false;
}

bool NeedsStaticObjectives(const std::vector<Objective>& objectives) {
  for (Objective objective : objectives) {
    if (!Info(objective).data_dependent) return true;
  }
  return false;
}

std::string FormatObjectives(const std::vector<Objective>& objectives, const Fitness& fitness) {
  std::ostringstream line;
  for (Objective objective : objectives) {
    line << " " << Info(objective).name << "=" << ObjectiveValue(fitness, objective);
  }
  return line.str();
}

}  // namespace automl

// The objectives a search can select on: their names (as in specs, summary.json and pareto.csv),
// their directions and ranges, and what computing them needs. One table, so that spec
// validation, selection, the FEC, checkpoints and reports agree.
#ifndef EXECUTOR_OBJECTIVES_H_
#define EXECUTOR_OBJECTIVES_H_

#include <array>
#include <limits>
#include <string_view>

#include "executor/fitness.h"

namespace automl {

// Values equal to the ObjectiveName proto enum minus one (evolution/experiment_spec.proto).
enum class Objective {
  kQuality = 0,
  kAuc,
  kDppl,
  kEqualizedOddsDifference,
  kDisparateImpact,
  kInferenceCost,
  kTrainingCost,
  kSize,
};
inline constexpr int kNumObjectives = 8;

struct ObjectiveInfo {
  Objective objective;
  std::string_view name;  // Lower case, e.g. "dppl".
  bool maximize;          // Direction: true if higher is better.
  double lowest;          // The range of possible values.
  double highest;         // Infinity for costs and size.
  bool data_dependent;    // Computed by running the program (cached by the FEC).
  bool classification_only;
  bool needs_groups;  // Needs a group column on every task it is computed on.
};

inline constexpr double kUnbounded = std::numeric_limits<double>::infinity();

inline constexpr std::array<ObjectiveInfo, kNumObjectives> kObjectiveTable = {{
    {Objective::kQuality, "quality", true, 0.0, 1.0, true, false, false},
    {Objective::kAuc, "auc", true, 0.0, 1.0, true, true, false},
    {Objective::kDppl, "dppl", false, 0.0, 1.0, true, true, true},
    {Objective::kEqualizedOddsDifference, "equalized_odds_difference", false, 0.0, 1.0, true, true,
     true},
    {Objective::kDisparateImpact, "disparate_impact", true, 0.0, 1.0, true, true, true},
    {Objective::kInferenceCost, "inference_cost", false, 0.0, kUnbounded, false, false, false},
    {Objective::kTrainingCost, "training_cost", false, 0.0, kUnbounded, false, false, false},
    {Objective::kSize, "size", false, 0.0, kUnbounded, false, false, false},
}};

inline constexpr const ObjectiveInfo& Info(Objective objective) {
  return kObjectiveTable[static_cast<int>(objective)];
}

inline double ObjectiveValue(const Fitness& fitness, Objective objective) {
  switch (objective) {
    case Objective::kQuality:
      return fitness.quality;
    case Objective::kAuc:
      return fitness.auc;
    case Objective::kDppl:
      return fitness.dppl;
    case Objective::kEqualizedOddsDifference:
      return fitness.equalized_odds_difference;
    case Objective::kDisparateImpact:
      return fitness.disparate_impact;
    case Objective::kInferenceCost:
      return fitness.inference_cost;
    case Objective::kTrainingCost:
      return fitness.training_cost;
    case Objective::kSize:
      return fitness.size;
  }
  return 0.0;
}

inline double* MutableObjectiveValue(Fitness* fitness, Objective objective) {
  switch (objective) {
    case Objective::kQuality:
      return &fitness->quality;
    case Objective::kAuc:
      return &fitness->auc;
    case Objective::kDppl:
      return &fitness->dppl;
    case Objective::kEqualizedOddsDifference:
      return &fitness->equalized_odds_difference;
    case Objective::kDisparateImpact:
      return &fitness->disparate_impact;
    case Objective::kInferenceCost:
      return &fitness->inference_cost;
    case Objective::kTrainingCost:
      return &fitness->training_cost;
    case Objective::kSize:
      return &fitness->size;
  }
  return &fitness->quality;
}

// The value oriented so that higher is better (minimized objectives negated).
inline double OrientedValue(const Fitness& fitness, Objective objective) {
  const double value = ObjectiveValue(fitness, objective);
  return Info(objective).maximize ? value : -value;
}

}  // namespace automl

#endif  // EXECUTOR_OBJECTIVES_H_

#include "executor/executor_objectives.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "executor/objectives.h"
#include "instructions/status_macros.h"

namespace automl {
namespace {

// Both groups of a split that fairness is measured on have an example.
absl::Status CheckGroups(const Dataset& dataset, const DataSplit& split, const char* split_name,
                         int sensitive_group) {
  const int sensitive =
      static_cast<int>(std::count(split.groups.begin(), split.groups.end(), sensitive_group));
  if (sensitive == 0) {
    return absl::InvalidArgumentError(absl::StrCat("task ", dataset.name, ": ", split_name,
                                                   " split has no example of the sensitive group ",
                                                   sensitive_group));
  }
  if (sensitive == split.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("task ", dataset.name, ": ", split_name,
                     " split has no example outside the sensitive group ", sensitive_group));
  }
  return absl::OkStatus();
}

absl::Status CheckTask(const Dataset& dataset, Objective objective, int sensitive_group) {
  const ObjectiveInfo& info = Info(objective);
  const std::string name(info.name);
  if (info.classification_only && dataset.eval_type != EvalType::kAccuracy) {
    return absl::InvalidArgumentError(absl::StrCat("task ", dataset.name, ": objective ", name,
                                                   " needs a classification task, not regression"));
  }
  if (!info.needs_groups) return absl::OkStatus();
  if (dataset.valid.groups.empty() || (dataset.test.size() > 0 && dataset.test.groups.empty())) {
    return absl::InvalidArgumentError(absl::StrCat("task ", dataset.name, ": objective ", name,
                                                   " needs a group column (group_column)"));
  }
  RETURN_IF_ERROR(CheckGroups(dataset, dataset.valid, "validation", sensitive_group));
  if (dataset.test.size() == 0) return absl::OkStatus();
  return CheckGroups(dataset, dataset.test, "test", sensitive_group);
}

}  // namespace

MetricsRequest RequestedMetrics(const ExecutorOptions& options) {
  MetricsRequest request;
  request.sensitive_group = options.sensitive_group;
  for (Objective objective : options.objectives) {
    request.auc |= objective == Objective::kAuc;
    request.fairness |= Info(objective).needs_groups;
  }
  return request;
}

absl::Status CheckObjectivesSupported(const std::vector<Dataset>& datasets,
                                      const ExecutorOptions& options) {
  for (Objective objective : options.objectives) {
    for (const Dataset& dataset : datasets) {
      RETURN_IF_ERROR(CheckTask(dataset, objective, options.sensitive_group));
    }
  }
  return absl::OkStatus();
}

Fitness WorstFitness(const MetricsRequest& request) {
  return TaskFitness(0.0, WorstMetrics(request));
}

Fitness TaskFitness(double quality, const ClassificationMetrics& metrics) {
  Fitness fitness;
  fitness.quality = quality;
  SetMetrics(metrics, fitness);
  return fitness;
}

Fitness CombineTasks(absl::Span<const Fitness> tasks, TaskCombination combination,
                     const MetricsRequest& request, std::vector<double>& scratch) {
  Fitness combined;
  auto combine = [&](Objective objective) {
    scratch.clear();
    for (const Fitness& task : tasks) scratch.push_back(ObjectiveValue(task, objective));
    *MutableObjectiveValue(&combined, objective) = CombineTaskFitness(scratch, combination);
  };
  combine(Objective::kQuality);
  if (request.auc) combine(Objective::kAuc);
  if (request.fairness) {
    combine(Objective::kDppl);
    combine(Objective::kEqualizedOddsDifference);
    combine(Objective::kDisparateImpact);
  }
  return combined;
}

}  // namespace automl

// What the executor computes besides quality, from ExecutorOptions::objectives: which
// classification metrics, the check that every task can give them, their worst values, and
// how per-task values combine into one Fitness (docs/objectives.md).
#ifndef EXECUTOR_EXECUTOR_OBJECTIVES_H_
#define EXECUTOR_EXECUTOR_OBJECTIVES_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "executor/classification_metrics.h"
#include "executor/dataset.h"
#include "executor/executor.h"
#include "executor/fitness.h"

namespace automl {

// The classification metrics the options ask for.
MetricsRequest RequestedMetrics(const ExecutorOptions& options);

// OK, or one line naming the task and the objective it cannot give: a classification-only
// objective on a regression task, a fairness objective on a task without a group column, or
// on a validation (or non-empty test) split without an example of the sensitive group or
// without one outside it.
absl::Status CheckObjectivesSupported(const std::vector<Dataset>& datasets,
                                      const ExecutorOptions& options);

// Quality 0 and the requested metrics at their worst: the fitness of a program never run.
Fitness WorstFitness(const MetricsRequest& request);

// One task's validation (or test) fitness: quality and the metrics.
Fitness TaskFitness(double quality, const ClassificationMetrics& metrics);

// Per-task fitnesses combined objective by objective (CombineTaskFitness): quality, and the
// metrics when `request` asks for any. `scratch` is reused.
Fitness CombineTasks(absl::Span<const Fitness> tasks, TaskCombination combination,
                     const MetricsRequest& request, std::vector<double>& scratch);

}  // namespace automl

#endif  // EXECUTOR_EXECUTOR_OBJECTIVES_H_

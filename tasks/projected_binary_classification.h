// The projected binary image classification task family (TaskSpec field
// projected_binary_classification; the spec is documented in task_spec.proto). It registers
// itself with the task registry; this header exposes the parts that callers outside the
// registry need: which classes a task uses (for reports) and the cost-relevant pieces for tests.
#ifndef TASKS_PROJECTED_BINARY_CLASSIFICATION_H_
#define TASKS_PROJECTED_BINARY_CLASSIFICATION_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "tasks/image_datasets.h"
#include "tasks/task_spec.pb.h"

namespace automl {

// The classes behind a task's labels 1 and 0.
struct ClassPairChoice {
  int positive = 0;
  int negative = 0;
};

// The dataset a spec names, decoded once per process (LoadImageDatasetCached).
absl::StatusOr<std::shared_ptr<const ImageDataset>> LoadProjectedTaskDataset(
    const ProjectedBinaryClassificationSpec& spec);

// The directory a spec reads: data_dir, or the Fashion-MNIST default.
std::string ProjectedTaskDataDir(const ProjectedBinaryClassificationSpec& spec);

// The class pair of the task with data seed `data_seed` in a dataset of `num_classes` classes:
// the explicit pair if given, else one drawn from the data seed among the allowed pairs. An
// error names a class out of range or a held-out set that leaves no pair to choose.
absl::StatusOr<ClassPairChoice> ProjectedTaskClasses(const ProjectedBinaryClassificationSpec& spec,
                                                     int num_classes, uint64_t data_seed);

}  // namespace automl

#endif  // TASKS_PROJECTED_BINARY_CLASSIFICATION_H_

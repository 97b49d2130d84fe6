#include "tests/generate_task.h"

#include <vector>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "tasks/task_registry.h"

namespace automl {

Dataset GenerateOneTask(const TaskSpec& spec) {
  absl::StatusOr<std::vector<Dataset>> datasets = GenerateTasks(spec);
  EXPECT_TRUE(datasets.ok()) << datasets.status();
  if (!datasets.ok()) return Dataset();
  EXPECT_EQ(datasets->size(), 1u);
  if (datasets->size() != 1) return Dataset();
  return (*datasets)[0];
}

std::string GenerateTaskError(const TaskSpec& spec) {
  absl::StatusOr<std::vector<Dataset>> datasets = GenerateTasks(spec);
  return datasets.ok() ? "OK" : std::string(datasets.status().message());
}

}  // namespace automl

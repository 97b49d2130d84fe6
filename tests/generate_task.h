// Generating one task in a test: the dataset of a spec that must generate, or the error of one
// that must not.
#ifndef TESTS_GENERATE_TASK_H_
#define TESTS_GENERATE_TASK_H_

#include <string>

#include "executor/dataset.h"
#include "tasks/task_spec.pb.h"

namespace automl {

// The one dataset `spec` describes (num_tasks 1); a failure or another count fails the test
// and returns an empty dataset.
Dataset GenerateOneTask(const TaskSpec& spec);

// The error message of generating `spec`, or "OK" when it generates.
std::string GenerateTaskError(const TaskSpec& spec);

}  // namespace automl

#endif  // TESTS_GENERATE_TASK_H_

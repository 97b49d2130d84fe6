// Turns task specs (tasks/task_spec.proto) into the Datasets the executor trains on: checks
// the common fields, expands the per-task seeds, picks the eval type and calls the task family
// that the TaskSpec `family` oneof field selects. Writing a family: tasks/task_family.h.
#ifndef TASKS_TASK_REGISTRY_H_
#define TASKS_TASK_REGISTRY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "executor/dataset.h"
#include "tasks/task_spec.pb.h"

namespace automl {

// Checks a spec: feature_size, example counts, epochs, num_tasks, seed lists,
// the family (set and linked in), eval_type against the family, a size limit,
// then the family's own fields. The error is one line naming the offending
// field.
absl::Status ValidateTaskSpec(const TaskSpec& spec);

// The num_tasks datasets of `spec`, in task order. Validates the spec first.
absl::StatusOr<std::vector<Dataset>> GenerateTasks(const TaskSpec& spec);

// The datasets of every spec, concatenated in order. Errors are prefixed by
// "tasks[i]: ".
absl::StatusOr<std::vector<Dataset>> GenerateTasks(const TaskCollection& collection);

// Parses a TaskCollection in protobuf text format. Unknown fields are errors;
// the message names the line and column (and the file). Parsing does not
// validate the specs (GenerateTasks does), so callers may still edit the
// collection, e.g. to override seeds.
absl::StatusOr<TaskCollection> ParseTaskCollectionText(const std::string& text);
absl::StatusOr<TaskCollection> ParseTaskCollectionFile(const std::string& path);

// The data / param seed of each of the spec's num_tasks tasks (see
// task_spec.proto: missing seeds continue from the last one given, or from 1).
std::vector<uint64_t> TaskDataSeeds(const TaskSpec& spec);
std::vector<uint64_t> TaskParamSeeds(const TaskSpec& spec);

// The evaluation type the spec's datasets get: eval_type if set, else the
// family's default. Errors if the family is not registered or does not support
// the requested type.
absl::StatusOr<EvalType> TaskEvalType(const TaskSpec& spec);

// "RMS_ERROR" / "ACCURACY", as in the proto.
const char* EvalTypeName(EvalType eval_type);
EvalTypeProto EvalTypeToProto(EvalType eval_type);

}  // namespace automl

#endif  // TASKS_TASK_REGISTRY_H_

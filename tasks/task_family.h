// What a task family is and everything needed to write one. A family owns one field of the
// TaskSpec `family` oneof and turns a spec plus a data seed and a param seed into the
// train/valid/test splits of one task; tasks/task_registry.h turns whole specs into Datasets
// through the families registered here.
//
// How to add a task family, e.g. "foo":
//   1. tasks/task_spec.proto: add `message FooSpec { ... }` and the oneof field
//      `FooSpec foo = N;` to TaskSpec's `family` (N from the free range 27..39).
//   2. tasks/foo.cc: a generator that fills the splits (draw examples from
//      DataRng(data_seed, split) and teacher parameters from ParamRng(param_seed), never from
//      std:: distributions, so that data is reproducible everywhere), optionally a validator
//      for FooSpec's own fields, and at namespace scope
//          AUTOML_REGISTER_TASK_FAMILY(FooFamily());
//      where FooFamily() returns a TaskFamily with family_case TaskSpec::kFoo.
//      tasks/sine_regression.cc is a short example with every part.
//   3. tasks/BUILD: add "foo.cc" to the srcs of //tasks:tasks. That library is
//      alwayslink = 1: nothing references the registration object, so without it the linker
//      drops the file.
// The registry does the rest: it checks the common fields (sizes, epochs, seeds, eval type)
// before calling the family, fills the Dataset's name, feature size, eval type, epochs and
// data seed afterwards, and checks the result with ValidateDataset.
#ifndef TASKS_TASK_FAMILY_H_
#define TASKS_TASK_FAMILY_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "executor/dataset.h"
#include "instructions/random.h"
#include "tasks/task_spec.pb.h"

namespace automl {

// A generator fills the splits of the dataset for one task; the registry sets the metadata.
// It may assume the spec passed ValidateTaskSpec.
using TaskGenerator = std::function<absl::StatusOr<Dataset>(
    const TaskSpec& spec, uint64_t data_seed, uint64_t param_seed)>;
// Checks the family's own fields; called after the common checks passed. The message starts
// with the field's path inside the family's message ("hidden_size must be positive"); the
// registry prefixes the family name ("nonlinear_regression.hidden_size ...").
using TaskSpecValidator = std::function<absl::Status(const TaskSpec& spec)>;

struct TaskFamily {
  TaskSpec::FamilyCase family_case = TaskSpec::FAMILY_NOT_SET;
  EvalType default_eval_type = EvalType::kRmsError;
  // The types a spec may request besides the default, e.g. kAccuracy for a family whose
  // labels can be 0/1.
  std::vector<EvalType> other_eval_types;
  TaskSpecValidator validate;  // Optional.
  TaskGenerator generate;
};

// --- Splits and random streams ---

enum class SplitKind { kTrain, kValid, kTest };
inline constexpr SplitKind kAllSplitKinds[] = {SplitKind::kTrain, SplitKind::kValid,
                                               SplitKind::kTest};

// The RNG for the examples of one split. Each split has its own stream, so a split's examples
// do not depend on the sizes of the others and no example is shared between splits.
Rng DataRng(uint64_t data_seed, SplitKind split);
// The RNG for a family's teacher parameters, independent of every data stream, so equal param
// seeds give equal teachers whatever the data seed.
Rng ParamRng(uint64_t param_seed);

// num_train_examples / num_valid_examples / num_test_examples.
int NumExamples(const TaskSpec& spec, SplitKind split);
DataSplit& GetSplit(Dataset& dataset, SplitKind split);
const char* SplitName(SplitKind split);  // "train", "valid", "test".

// Sizes every split of `dataset` from the spec, draws its features ~ N(0, 1) from
// DataRng(data_seed, split) and sets its labels to 0 (for the family to compute).
void FillGaussianFeatures(const TaskSpec& spec, uint64_t data_seed, Dataset& dataset);

// A teacher task: FillGaussianFeatures, then every example's label is teacher(x), where x
// points at the example's feature_size features. The teacher is the family's own arithmetic.
template <typename Teacher>
Dataset GaussianFeaturesWithTeacher(const TaskSpec& spec, uint64_t data_seed,
                                    const Teacher& teacher) {
  const size_t f = static_cast<size_t>(spec.feature_size());
  Dataset dataset;
  FillGaussianFeatures(spec, data_seed, dataset);
  for (SplitKind kind : kAllSplitKinds) {
    DataSplit& split = GetSplit(dataset, kind);
    for (size_t i = 0; i < split.labels.size(); ++i) {
      split.labels[i] = teacher(&split.features[i * f]);
    }
  }
  return dataset;
}

// --- Registration ---

namespace internal_tasks {
// Registers at static initialization. A duplicate or incomplete registration is a programmer
// error and aborts the program with a message at startup.
class TaskFamilyRegistration {
 public:
  explicit TaskFamilyRegistration(TaskFamily family);
};
}  // namespace internal_tasks

#define AUTOML_TASK_FAMILY_CONCAT_INNER_(a, b) a##b
#define AUTOML_TASK_FAMILY_CONCAT_(a, b) AUTOML_TASK_FAMILY_CONCAT_INNER_(a, b)
// Registers the TaskFamily expression; use once per family, at namespace scope in its .cc.
#define AUTOML_REGISTER_TASK_FAMILY(...)                                                    \
  static const ::automl::internal_tasks::TaskFamilyRegistration AUTOML_TASK_FAMILY_CONCAT_( \
      automl_task_family_registration_, __COUNTER__)(__VA_ARGS__)

// The registered family for `family_case`, or nullptr.
const TaskFamily* FindTaskFamily(TaskSpec::FamilyCase family_case);
// Every registered family case, in field-number order.
std::vector<TaskSpec::FamilyCase> RegisteredTaskFamilies();

// The oneof field name of a family, e.g. "scrambled_linear_regression"; "family_not_set" for
// FAMILY_NOT_SET.
std::string TaskFamilyName(TaskSpec::FamilyCase family_case);

}  // namespace automl

#endif  // TASKS_TASK_FAMILY_H_

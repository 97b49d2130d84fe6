#include "tasks/task_registry.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "instructions/file_util.h"
#include "instructions/status_macros.h"
#include "instructions/text_proto.h"
#include "tasks/task_family.h"

namespace automl {
namespace {

// Guards against typos like num_train_examples: 100000000 that would exhaust
// memory: at most this many values (features and labels over all splits, or
// teacher parameters) per task. 2^27 doubles are 1 GiB.
constexpr int64_t kMaxValuesPerTask = int64_t{1} << 27;

std::string FamilyNamesList() {
  const google::protobuf::OneofDescriptor* oneof =
      TaskSpec::descriptor()->FindOneofByName("family");
  std::vector<std::string> names;
  for (int i = 0; i < oneof->field_count(); ++i) names.push_back(oneof->field(i)->name());
  return absl::StrJoin(names, ", ");
}

std::vector<uint64_t> ExpandSeeds(const google::protobuf::RepeatedField<uint64_t>& given,
                                  int num_tasks) {
  std::vector<uint64_t> seeds;
  if (num_tasks <= 0) return seeds;
  seeds.reserve(num_tasks);
  for (int k = 0; k < num_tasks; ++k) {
    if (k < given.size()) {
      seeds.push_back(given.Get(k));
    } else if (given.empty()) {
      seeds.push_back(static_cast<uint64_t>(k) + 1);
    } else {
      // Cannot wrap: ValidateTaskSpec checks CheckSeedsFit.
      seeds.push_back(given.Get(given.size() - 1) + static_cast<uint64_t>(k - given.size() + 1));
    }
  }
  return seeds;
}

// The seeds after the last given one count up from it (ExpandSeeds); they must stay below 2^64.
absl::Status CheckSeedsFit(const google::protobuf::RepeatedField<uint64_t>& given, int num_tasks,
                           const char* field) {
  if (given.empty() || num_tasks <= given.size()) return absl::OkStatus();
  const uint64_t last = given.Get(given.size() - 1);
  const uint64_t more = static_cast<uint64_t>(num_tasks - given.size());
  if (last > std::numeric_limits<uint64_t>::max() - more) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": the last seed ", last, " + ", more,
                     " more tasks goes beyond 2^64 - 1 (give every seed, or a smaller last one)"));
  }
  return absl::OkStatus();
}

absl::Status WithPrefix(const absl::Status& status, absl::string_view prefix) {
  if (status.ok()) return status;
  return absl::Status(status.code(), absl::StrCat(prefix, status.message()));
}

absl::Status CheckPositive(bool has, int value, const char* field) {
  if (!has) return absl::InvalidArgumentError(absl::StrCat(field, " is not set"));
  if (value <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(field, " must be positive (got ", value, ")"));
  }
  return absl::OkStatus();
}

// `file` is empty for text not read from a file.
absl::StatusOr<TaskCollection> ParseTaskCollection(const std::string& text,
                                                   const std::string& file) {
  TaskCollection collection;
  TextProtoError error;
  const absl::Status status =
      ParseTextProto(text, file.empty() ? "task collection text" : file, &collection, &error);
  if (status.ok()) return collection;
  if (file.empty() || error.line == 0) return status;
  // Files get the compiler-style position "path:line:column", which editors jump to.
  return absl::InvalidArgumentError(
      absl::StrCat(file, ":", error.line, ":", error.column, ": ", error.message));
}

}  // namespace

// --- Specs ---

const char* EvalTypeName(EvalType eval_type) {
  return eval_type == EvalType::kAccuracy ? "ACCURACY" : "RMS_ERROR";
}

EvalTypeProto EvalTypeToProto(EvalType eval_type) {
  return eval_type == EvalType::kAccuracy ? ACCURACY : RMS_ERROR;
}

std::vector<uint64_t> TaskDataSeeds(const TaskSpec& spec) {
  return ExpandSeeds(spec.data_seeds(), spec.num_tasks());
}

std::vector<uint64_t> TaskParamSeeds(const TaskSpec& spec) {
  return ExpandSeeds(spec.param_seeds(), spec.num_tasks());
}

absl::StatusOr<EvalType> TaskEvalType(const TaskSpec& spec) {
  if (spec.family_case() == TaskSpec::FAMILY_NOT_SET) {
    return absl::InvalidArgumentError(
        absl::StrCat("no task family set (set one of ", FamilyNamesList(), ")"));
  }
  const TaskFamily* family = FindTaskFamily(spec.family_case());
  const std::string name = TaskFamilyName(spec.family_case());
  if (family == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("task family ", name, " is not linked into this binary (depend on //tasks)"));
  }
  switch (spec.eval_type()) {
    case EVAL_TYPE_UNSET:
      return family->default_eval_type;
    case RMS_ERROR:
    case ACCURACY: {
      const EvalType requested =
          spec.eval_type() == ACCURACY ? EvalType::kAccuracy : EvalType::kRmsError;
      if (requested == family->default_eval_type ||
          std::find(family->other_eval_types.begin(), family->other_eval_types.end(), requested) !=
              family->other_eval_types.end()) {
        return requested;
      }
      std::vector<std::string> supported = {EvalTypeName(family->default_eval_type)};
      for (EvalType other : family->other_eval_types) supported.push_back(EvalTypeName(other));
      return absl::InvalidArgumentError(
          absl::StrCat("eval_type ", EvalTypeName(requested), " is not supported by task family ",
                       name, " (it supports ", absl::StrJoin(supported, ", "), ")"));
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat("eval_type has unknown value ", static_cast<int>(spec.eval_type())));
}

absl::Status ValidateTaskSpec(const TaskSpec& spec) {
  RETURN_IF_ERROR(CheckPositive(spec.has_feature_size(), spec.feature_size(), "feature_size"));
  RETURN_IF_ERROR(CheckPositive(spec.has_num_train_examples(), spec.num_train_examples(),
                                "num_train_examples"));
  RETURN_IF_ERROR(CheckPositive(spec.has_num_valid_examples(), spec.num_valid_examples(),
                                "num_valid_examples"));
  if (spec.num_test_examples() < 0) {
    return absl::InvalidArgumentError(absl::StrCat("num_test_examples must not be negative (got ",
                                                   spec.num_test_examples(), ")"));
  }
  if (spec.num_epochs() <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("num_epochs must be positive (got ", spec.num_epochs(), ")"));
  }
  if (spec.num_tasks() <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("num_tasks must be positive (got ", spec.num_tasks(), ")"));
  }
  if (spec.data_seeds_size() > spec.num_tasks()) {
    return absl::InvalidArgumentError(absl::StrCat("data_seeds has ", spec.data_seeds_size(),
                                                   " seeds but num_tasks is ", spec.num_tasks()));
  }
  if (spec.param_seeds_size() > spec.num_tasks()) {
    return absl::InvalidArgumentError(absl::StrCat("param_seeds has ", spec.param_seeds_size(),
                                                   " seeds but num_tasks is ", spec.num_tasks()));
  }
  RETURN_IF_ERROR(CheckSeedsFit(spec.data_seeds(), spec.num_tasks(), "data_seeds"));
  RETURN_IF_ERROR(CheckSeedsFit(spec.param_seeds(), spec.num_tasks(), "param_seeds"));
  // Checks the family is set and registered, and the eval type.
  RETURN_IF_ERROR(TaskEvalType(spec));
  int64_t num_values = 0;
  for (SplitKind split : kAllSplitKinds) {
    num_values += int64_t{NumExamples(spec, split)} * (int64_t{spec.feature_size()} + 1);
  }
  if (num_values > kMaxValuesPerTask) {
    return absl::InvalidArgumentError(
        absl::StrCat("num_train/valid/test_examples x (feature_size + 1) is ", num_values,
                     " values per task, more than the limit of ", kMaxValuesPerTask));
  }
  const TaskFamily* family = FindTaskFamily(spec.family_case());
  if (family->validate) {
    return WithPrefix(family->validate(spec),
                      absl::StrCat(TaskFamilyName(spec.family_case()), "."));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Dataset>> GenerateTasks(const TaskSpec& spec) {
  RETURN_IF_ERROR(ValidateTaskSpec(spec));
  ASSIGN_OR_RETURN(const EvalType eval_type, TaskEvalType(spec));
  const TaskFamily* family = FindTaskFamily(spec.family_case());
  const std::string family_name = TaskFamilyName(spec.family_case());
  const std::vector<uint64_t> data_seeds = TaskDataSeeds(spec);
  const std::vector<uint64_t> param_seeds = TaskParamSeeds(spec);

  std::vector<Dataset> datasets;
  datasets.reserve(spec.num_tasks());
  for (int k = 0; k < spec.num_tasks(); ++k) {
    const std::string name = absl::StrCat(family_name, "(data_seed=", data_seeds[k],
                                          ", param_seed=", param_seeds[k], ")");
    absl::StatusOr<Dataset> dataset = family->generate(spec, data_seeds[k], param_seeds[k]);
    if (!dataset.ok()) return WithPrefix(dataset.status(), absl::StrCat(name, ": "));
    dataset->name = name;
    dataset->feature_size = spec.feature_size();
    dataset->eval_type = eval_type;
    dataset->num_epochs = spec.num_epochs();
    dataset->score_last_epoch_only = spec.epoch_scoring() == LAST_EPOCH;
    dataset->data_seed = data_seeds[k];
    // Catches family bugs and bad explicit data (non-finite values, non-0/1
    // labels with ACCURACY) before the executor sees them.
    RETURN_IF_ERROR(ValidateDataset(*dataset));
    datasets.push_back(*std::move(dataset));
  }
  return datasets;
}

absl::StatusOr<std::vector<Dataset>> GenerateTasks(const TaskCollection& collection) {
  if (collection.tasks_size() == 0) {
    return absl::InvalidArgumentError("task collection has no tasks");
  }
  std::vector<Dataset> all;
  for (int i = 0; i < collection.tasks_size(); ++i) {
    absl::StatusOr<std::vector<Dataset>> datasets = GenerateTasks(collection.tasks(i));
    if (!datasets.ok()) {
      return WithPrefix(datasets.status(), absl::StrCat("tasks[", i, "]: "));
    }
    for (Dataset& dataset : *datasets) all.push_back(std::move(dataset));
  }
  return all;
}

absl::StatusOr<TaskCollection> ParseTaskCollectionText(const std::string& text) {
  return ParseTaskCollection(text, /*file=*/"");
}

absl::StatusOr<TaskCollection> ParseTaskCollectionFile(const std::string& path) {
  ASSIGN_OR_RETURN(const std::string text,
                   ReadFileToString(path, "task collection file", kMaxTextFileBytes));
  return ParseTaskCollection(text, path);
}

}  // namespace automl

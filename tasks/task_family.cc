#include "tasks/task_family.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "executor/data_streams.h"
#include "google/protobuf/descriptor.h"

namespace automl {
namespace {

std::map<int, TaskFamily>& Registry() {
  static auto* registry = new std::map<int, TaskFamily>();
  return *registry;
}

}  // namespace

// --- Registration ---

namespace internal_tasks {

TaskFamilyRegistration::TaskFamilyRegistration(TaskFamily family) {
  const int key = static_cast<int>(family.family_case);
  const char* problem = nullptr;
  if (family.family_case == TaskSpec::FAMILY_NOT_SET) {
    problem = "has no family_case";
  } else if (!family.generate) {
    problem = "has no generator";
  } else if (Registry().count(key) > 0) {
    problem = "is registered twice";
  }
  if (problem != nullptr) {
    std::fprintf(stderr, "Task family %s (TaskSpec field %d) %s\n",
                 TaskFamilyName(family.family_case).c_str(), key, problem);
    std::abort();
  }
  Registry().emplace(key, std::move(family));
}

}  // namespace internal_tasks

const TaskFamily* FindTaskFamily(TaskSpec::FamilyCase family_case) {
  const auto it = Registry().find(static_cast<int>(family_case));
  return it == Registry().end() ? nullptr : &it->second;
}

std::vector<TaskSpec::FamilyCase> RegisteredTaskFamilies() {
  std::vector<TaskSpec::FamilyCase> cases;
  for (const auto& [key, family] : Registry()) cases.push_back(family.family_case);
  return cases;
}

std::string TaskFamilyName(TaskSpec::FamilyCase family_case) {
  if (family_case == TaskSpec::FAMILY_NOT_SET) return "family_not_set";
  const google::protobuf::FieldDescriptor* field =
      TaskSpec::descriptor()->FindFieldByNumber(static_cast<int>(family_case));
  return field == nullptr ? absl::StrCat("family_", static_cast<int>(family_case)) : field->name();
}

// --- Splits and random streams ---

Rng DataRng(uint64_t data_seed, SplitKind split) {
  const uint64_t stream = split == SplitKind::kTrain   ? kTrainStream
                          : split == SplitKind::kValid ? kValidStream
                                                       : kTestStream;
  return Rng(DeriveSeed(data_seed, stream));
}

Rng ParamRng(uint64_t param_seed) { return Rng(DeriveSeed(param_seed, kParamStream)); }

int NumExamples(const TaskSpec& spec, SplitKind split) {
  switch (split) {
    case SplitKind::kTrain:
      return spec.num_train_examples();
    case SplitKind::kValid:
      return spec.num_valid_examples();
    case SplitKind::kTest:
      return spec.num_test_examples();
  }
  return 0;
}

DataSplit& GetSplit(Dataset& dataset, SplitKind split) {
  switch (split) {
    case SplitKind::kTrain:
      return dataset.train;
    case SplitKind::kValid:
      return dataset.valid;
    case SplitKind::kTest:
      return dataset.test;
  }
  return dataset.test;
}

const char* SplitName(SplitKind split) {
  switch (split) {
    case SplitKind::kTrain:
      return "train";
    case SplitKind::kValid:
      return "valid";
    case SplitKind::kTest:
      return "test";
  }
  return "?";
}

void FillGaussianFeatures(const TaskSpec& spec, uint64_t data_seed, Dataset& dataset) {
  const size_t f = static_cast<size_t>(spec.feature_size());
  for (SplitKind kind : kAllSplitKinds) {
    DataSplit& split = GetSplit(dataset, kind);
    const size_t n = static_cast<size_t>(NumExamples(spec, kind));
    Rng rng = DataRng(data_seed, kind);
    split.features.resize(n * f);
    for (double& x : split.features) x = rng.Gaussian(0.0, 1.0);
    split.labels.assign(n, 0.0);
  }
}

}  // namespace automl

#include "executor/executor.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "executor/executor_impl.h"
#include "executor/executor_objectives.h"
#include "executor/feature_size_dispatch.h"
#include "instructions/status_macros.h"

namespace automl {
namespace {

template <int F>
std::unique_ptr<Executor> MakeExecutor(const std::vector<Dataset>& datasets,
                                       const ExecutorOptions& options) {
  auto tasks = std::make_shared<std::vector<FixedTask<F>>>();
  tasks->reserve(datasets.size());
  for (const Dataset& dataset : datasets) tasks->push_back(ToFixedTask<F>(dataset));
  return std::make_unique<ExecutorImpl<F>>(std::move(tasks), options);
}

}  // namespace

const std::vector<int>& SupportedFeatureSizes() {
  static const std::vector<int>* const kSizes =
      new std::vector<int>(feature_size_internal::ToVector(CompiledFeatureSizes{}));
  return *kSizes;
}

absl::Status CheckFeatureSizeSupported(int feature_size) {
  const std::vector<int>& sizes = SupportedFeatureSizes();
  if (std::find(sizes.begin(), sizes.end(), feature_size) == sizes.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("feature size ", feature_size,
                     " is not supported (compiled sizes: ", absl::StrJoin(sizes, ", "), ")"));
  }
  return absl::OkStatus();
}

double CombineTaskFitness(std::vector<double>& scratch, TaskCombination combination) {
  if (scratch.empty()) return 0.0;
  if (combination == TaskCombination::kMean) {
    double sum = 0.0;
    for (double x : scratch) sum += x;
    return sum / scratch.size();
  }
  const size_t mid = scratch.size() / 2;
  std::nth_element(scratch.begin(), scratch.begin() + mid, scratch.end());
  const double upper = scratch[mid];
  if (scratch.size() % 2 == 1) return upper;
  const double lower = *std::max_element(scratch.begin(), scratch.begin() + mid);
  return 0.5 * (lower + upper);
}

absl::StatusOr<std::unique_ptr<Executor>> Executor::Create(const std::vector<Dataset>& datasets,
                                                           const ExecutorOptions& options) {
  RETURN_IF_ERROR(ValidateMachineShape(options.shape));
  RETURN_IF_ERROR(CheckFeatureSizeSupported(options.shape.feature_size));
  if (!(options.max_abs_error > 0.0)) {
    return absl::InvalidArgumentError("max_abs_error must be positive");
  }
  if (datasets.empty()) return absl::InvalidArgumentError("no tasks to evaluate on");
  for (const Dataset& dataset : datasets) {
    if (dataset.feature_size != options.shape.feature_size) {
      return absl::InvalidArgumentError(
          absl::StrCat("dataset ", dataset.name, " has feature size ", dataset.feature_size,
                       " but the experiment's feature size is ", options.shape.feature_size));
    }
    RETURN_IF_ERROR(ValidateDataset(dataset));
  }
  RETURN_IF_ERROR(CheckObjectivesSupported(datasets, options));
  return DispatchFeatureSize(options.shape.feature_size,
                             [&](auto size) -> absl::StatusOr<std::unique_ptr<Executor>> {
                               return MakeExecutor<decltype(size)::value>(datasets, options);
                             });
}

}  // namespace automl

#include "executor/dataset.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "instructions/status_macros.h"

namespace automl {
namespace {

absl::Status ValidateSplit(const Dataset& dataset, const DataSplit& split, const char* split_name) {
  const size_t f = static_cast<size_t>(dataset.feature_size);
  if (split.features.size() != split.labels.size() * f) {
    return absl::InvalidArgumentError(
        absl::StrCat("dataset ", dataset.name, ", ", split_name, " split: ", split.features.size(),
                     " feature values for ", split.labels.size(), " examples of feature size ", f));
  }
  if (!split.groups.empty() && split.groups.size() != split.labels.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("dataset ", dataset.name, ", ", split_name, " split: ", split.groups.size(),
                     " group ids for ", split.labels.size(), " examples"));
  }
  for (size_t i = 0; i < split.features.size(); ++i) {
    if (!std::isfinite(split.features[i])) {
      return absl::InvalidArgumentError(absl::StrCat("dataset ", dataset.name, ", ", split_name,
                                                     " split: example ", i / f, " feature ", i % f,
                                                     " is not finite (", split.features[i], ")"));
    }
  }
  for (size_t i = 0; i < split.labels.size(); ++i) {
    const double label = split.labels[i];
    if (!std::isfinite(label)) {
      return absl::InvalidArgumentError(absl::StrCat("dataset ", dataset.name, ", ", split_name,
                                                     " split: label of example ", i,
                                                     " is not finite (", label, ")"));
    }
    if (dataset.eval_type == EvalType::kAccuracy && label != 0.0 && label != 1.0) {
      return absl::InvalidArgumentError(absl::StrCat("dataset ", dataset.name, ", ", split_name,
                                                     " split: label of example ", i, " is ", label,
                                                     "; classification labels are 0 or 1"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateDataset(const Dataset& dataset) {
  if (dataset.feature_size <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("dataset ", dataset.name, ": feature size ", dataset.feature_size));
  }
  if (dataset.num_epochs <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("dataset ", dataset.name, ": num_epochs must be positive"));
  }
  if (dataset.train.size() == 0 || dataset.valid.size() == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("dataset ", dataset.name, ": train and valid splits must not be empty"));
  }
  RETURN_IF_ERROR(ValidateSplit(dataset, dataset.train, "train"));
  RETURN_IF_ERROR(ValidateSplit(dataset, dataset.valid, "valid"));
  return ValidateSplit(dataset, dataset.test, "test");
}

}  // namespace automl

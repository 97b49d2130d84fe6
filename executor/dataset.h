// The data of one task as the executor consumes it: train / valid / test splits with
// row-major features, labels and an optional group column (a sensitive attribute kept for
// fairness objectives). Task families in tasks/ produce these; the executor copies them into
// fixed-size, aligned storage for its feature size.
#ifndef EXECUTOR_DATASET_H_
#define EXECUTOR_DATASET_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace automl {

enum class EvalType {
  kRmsError,  // Regression; fitness 1 - (2/pi) * atan(RMSE).
  kAccuracy,  // Binary classification, labels 0/1; s1 goes through a sigmoid; accuracy.
};

struct DataSplit {
  std::vector<double> features;  // size() * feature_size values, example after example.
  std::vector<double> labels;
  std::vector<int> groups;  // Empty, or one group id per example.

  int size() const { return static_cast<int>(labels.size()); }
};

struct Dataset {
  std::string name;  // For messages, e.g. "scrambled_linear(data_seed=1, param_seed=1)".
  int feature_size = 0;
  EvalType eval_type = EvalType::kRmsError;
  int num_epochs = 1;
  // Only the last epoch is scored (LAST_EPOCH in tasks/task_spec.proto); otherwise the best.
  bool score_last_epoch_only = false;
  uint64_t data_seed = 0;  // Also seeds the shuffles of later epochs.
  DataSplit train;
  DataSplit valid;
  DataSplit test;
};

// Checks sizes and values: every split's features match its labels and the feature size,
// every value is finite, classification labels are 0 or 1, train and valid are not empty.
// The error names the dataset, split, example and column.
absl::Status ValidateDataset(const Dataset& dataset);

}  // namespace automl

#endif  // EXECUTOR_DATASET_H_

// A task's data as ExecutorImpl<F> reads it: a Dataset (dataset.h) copied into fixed-size,
// aligned F-vectors, with every epoch's example order computed up front.
#ifndef EXECUTOR_FIXED_TASK_H_
#define EXECUTOR_FIXED_TASK_H_

#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

#include "Eigen/StdVector"
#include "executor/data_streams.h"
#include "executor/dataset.h"
#include "executor/memory.h"
#include "instructions/random.h"

namespace automl {
template <int F>
struct FixedSplit {
  std::vector<Vector<F>, Eigen::aligned_allocator<Vector<F>>> features;
  std::vector<double> labels;
  std::vector<int> groups;  // Empty, or one group id per example (Dataset's group column).
  int size() const { return static_cast<int>(labels.size()); }
};

template <int F>
struct FixedTask {
  EvalType eval_type = EvalType::kRmsError;
  FixedSplit<F> train;
  FixedSplit<F> valid;
  FixedSplit<F> test;
  // epoch_orders[e][k]: the training example seen k-th in epoch e. Computed once per task, so
  // that evaluations shuffle nothing.
  std::vector<std::vector<uint32_t>> epoch_orders;
  bool score_last_epoch_only = false;  // Dataset::score_last_epoch_only.
};

template <int F>
FixedSplit<F> ToFixedSplit(const DataSplit& split) {
  FixedSplit<F> fixed;
  fixed.labels = split.labels;
  fixed.groups = split.groups;
  fixed.features.resize(split.labels.size());
  for (size_t i = 0; i < split.labels.size(); ++i) {
    for (int k = 0; k < F; ++k) fixed.features[i][k] = split.features[i * F + k];
  }
  return fixed;
}

template <int F>
FixedTask<F> ToFixedTask(const Dataset& dataset) {
  FixedTask<F> task;
  task.eval_type = dataset.eval_type;
  task.score_last_epoch_only = dataset.score_last_epoch_only;
  task.train = ToFixedSplit<F>(dataset.train);
  task.valid = ToFixedSplit<F>(dataset.valid);
  task.test = ToFixedSplit<F>(dataset.test);
  const uint32_t n = static_cast<uint32_t>(dataset.train.size());
  for (int epoch = 0; epoch < dataset.num_epochs; ++epoch) {
    std::vector<uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0u);
    if (epoch > 0) {
      Rng rng(EpochShuffleSeed(dataset.data_seed, epoch));
      for (uint32_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.UniformInt(i)]);
    }
    task.epoch_orders.push_back(std::move(order));
  }
  return task;
}

}  // namespace automl

#endif  // EXECUTOR_FIXED_TASK_H_

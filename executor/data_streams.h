// The random streams under a task's data and param seeds, in one place so that no two uses of a
// seed draw the same numbers: the splits' examples and the tasks' parameters (tasks/), and the
// later epochs' shuffles of the training examples (executor/fixed_task.h).
#ifndef EXECUTOR_DATA_STREAMS_H_
#define EXECUTOR_DATA_STREAMS_H_

#include <cstdint>

#include "instructions/random.h"

namespace automl {

// Stream ids under a data or param seed (DeriveSeed). Data and param seeds are often equal
// (both default to 1, 2, 3, ...), so the two kinds of streams must differ too.
constexpr uint64_t kTrainStream = 1;
constexpr uint64_t kValidStream = 2;
constexpr uint64_t kTestStream = 3;
constexpr uint64_t kParamStream = 101;
// Projected binary classification (tasks/projected_binary_classification.cc): the class pair
// and the Gaussian projection.
constexpr uint64_t kPairStream = 201;
constexpr uint64_t kPairProjectionStream = 202;
// CSV tasks (tasks/csv_task.cc): the row shuffle and the Gaussian projection.
constexpr uint64_t kCsvRowShuffleStream = 0xC5F00001;
constexpr uint64_t kCsvProjectionStream = 0xC5F00002;
// Epoch shuffles derive one seed per epoch from this stream's seed, so that epoch numbers never
// meet the streams above (epochs 1, 2, 3 drew the train, valid and test streams when epoch e
// used stream e directly).
constexpr uint64_t kEpochShuffleStream = 301;

// The seed of the shuffle of epoch `epoch` (>= 1; epoch 0 keeps the data's order).
inline uint64_t EpochShuffleSeed(uint64_t data_seed, int epoch) {
  return DeriveSeed(DeriveSeed(data_seed, kEpochShuffleStream), static_cast<uint64_t>(epoch));
}

}  // namespace automl

#endif  // EXECUTOR_DATA_STREAMS_H_

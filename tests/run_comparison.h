// Whole search runs for the tests that compare them (test-only): running one and collecting its
// checkpoint writes, and expecting two runs to agree in everything reproducible.
#ifndef TESTS_RUN_COMPARISON_H_
#define TESTS_RUN_COMPARISON_H_

#include <string>

#include "evolution/checkpoint.pb.h"
#include "evolution/experiment.h"
#include "evolution/experiment_spec.pb.h"

namespace automl {

struct RunOutcome {
  SearchResult result;
  int checkpoints_written = 0;
};

// RunSearch, expected to succeed, counting (and expecting successful) checkpoint writes.
RunOutcome MustRun(const ExperimentSpec& spec, SearchOptions options);

// Seed 42 with `islands` islands on `threads` threads.
SearchOptions BaseOptions(int islands, int threads);

// Everything reproducible: the progress values (not the wall-clock fields), the discoveries,
// every experiment's summary, the best program and the final fitness.
void ExpectSameRun(const SearchResult& expected, const SearchResult& actual);

// The checkpoint at `path`, expected to read without a warning.
CheckpointProto MustReadCheckpoint(const std::string& path);

// Removes `path` and the previous checkpoint kept beside it.
void RemoveCheckpoints(const std::string& path);

}  // namespace automl

#endif  // TESTS_RUN_COMPARISON_H_

// The command line of the search binaries (run_search_experiment, run_search_experiment_mpi):
// every flag read once, after absl::ParseCommandLine, into a struct whose values are checked.
#ifndef EXPERIMENTS_SEARCH_FLAGS_H_
#define EXPERIMENTS_SEARCH_FLAGS_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace automl {

// The flags' values (their meaning and defaults: the flag definitions in search_flags.cc).
struct SearchFlags {
  std::string spec;  // Empty when resuming with the checkpoint's spec.
  uint64_t random_seed = 0;
  std::string output_dir;
  int max_experiments = 0;
  double sufficient_fitness = 0;
  std::string select_spec;
  std::string final_spec;
  int islands = 0;
  int threads = 0;
  double checkpoint_every_secs = 0;
  bool resume = false;
  bool force_spec_change = false;
  std::string seed_programs;
  int64_t max_individuals = 0;
  double max_seconds = 0;
  double max_memory_gb = 0;  // 0: the memory available.

  // DIR/checkpoint.pb with --output_dir, else empty (no checkpoints).
  std::string checkpoint_path() const;
};

// InvalidArgument naming the flag when a value is out of range (e.g. --max_experiments=0) or
// a flag lacks one it needs (--resume without --output_dir).
absl::StatusOr<SearchFlags> ReadSearchFlags();

}  // namespace automl

#endif  // EXPERIMENTS_SEARCH_FLAGS_H_

// The main program shared by run_search_experiment and run_search_experiment_mpi: the flags
// (search_flags.h), the checkpoint of a resumed run, the spec, RunSearch, and what is printed
// and written (search_outputs.h). With several processes only rank 0 prints progress and writes
// --output_dir.
#ifndef EXPERIMENTS_SEARCH_MAIN_H_
#define EXPERIMENTS_SEARCH_MAIN_H_

#include <vector>

#include "evolution/island_model.h"

namespace automl {

struct SearchMainOptions {
  IslandComm* comm = nullptr;  // Null: one process hosts every island.
  int default_threads = 0;     // Used when --threads is 0; 0: DefaultThreadCount().
  // What absl::ParseCommandLine returned: the program name, then words that are not flags
  // (an error).
  std::vector<char*> unparsed_args;
};

struct SearchExit {
  int code = 0;  // The process exit code.
  // With several ranks: whether every rank returns the same error (a bad flag, spec or output
  // directory), so that each can finalize MPI instead of aborting the job. Then only rank 0
  // has printed it.
  bool every_rank_knows = true;
};

// Runs the search the parsed flags describe; the exit code is 0 on success, 1 after printing
// a one-line "error: ..." on a bad flag, spec or output directory.
SearchExit SearchMain(const SearchMainOptions& options);

}  // namespace automl

#endif  // EXPERIMENTS_SEARCH_MAIN_H_

// The main program shared by run_search_experiment and run_search_experiment_mpi: the flags
// (search_flags.h), the checkpoint of a resumed run, the spec, RunSearch, and what is printed
// and written (search_outputs.h). With several processes only rank 0 prints progress and writes
// --output_dir.
#ifndef EXPERIMENTS_SEARCH_MAIN_H_
#define EXPERIMENTS_SEARCH_MAIN_H_

#include "evolution/island_model.h"

namespace automl {

struct SearchMainOptions {
  IslandComm* comm = nullptr;  // Null: one process hosts every island.
  int default_threads = 0;     // Used when --threads is 0; 0: DefaultThreadCount().
};

// Runs the search the parsed flags describe; returns the process exit code (0 on success,
// 1 after printing a one-line "error: ..." on a bad flag, spec or output directory).
int SearchMain(const SearchMainOptions& options);

}  // namespace automl

#endif  // EXPERIMENTS_SEARCH_MAIN_H_

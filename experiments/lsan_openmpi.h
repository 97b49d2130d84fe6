// LeakSanitizer and Open MPI (for `bazel test --config=asan`): Open MPI leaks a little at
// MPI_Init and MPI_Finalize, which would fail every ASan run of run_search_experiment_mpi.
// Linking this file suppresses those leaks, naming only Open MPI's libraries and plugins, so
// our own leaks are still reported. It lives in the binary rather than in a suppressions file
// because LSAN_OPTIONS=suppressions=PATH needs a path every test can resolve, and a missing
// file is fatal for every ASan test. Outside ASan it does nothing.
#ifndef EXPERIMENTS_LSAN_OPENMPI_H_
#define EXPERIMENTS_LSAN_OPENMPI_H_

namespace automl {

// Runs LeakSanitizer's end-of-process check now (it then does not run again at exit). Call it
// just before MPI_Finalize, once everything of ours is freed: MPI_Finalize unloads Open MPI's
// plugins, after which LSan can no longer tell whose code allocated a leaked block.
void CheckLeaksBeforeMpiFinalize();

}  // namespace automl

#endif  // EXPERIMENTS_LSAN_OPENMPI_H_

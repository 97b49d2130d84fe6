// Graceful stop on SIGINT / SIGTERM (and SIGUSR1, which mpirun forwards to every rank) for the
// search binaries: the first signal sets a flag that
// RunSearch polls (SearchOptions::stop_requested), so the run finishes the evaluations in
// flight, writes its checkpoint and outputs, and exits 0. A second signal ends the process at
// once, as if no handler were installed.
#ifndef EXPERIMENTS_SIGNAL_HANDLING_H_
#define EXPERIMENTS_SIGNAL_HANDLING_H_

#include <atomic>

namespace automl {

// Installs the handlers (once per process; later calls only return the flag). The flag is
// set by the first SIGINT, SIGTERM or SIGUSR1; the handler also writes one line to stderr.
const std::atomic<bool>* InstallStopSignalHandlers();

}  // namespace automl

#endif  // EXPERIMENTS_SIGNAL_HANDLING_H_

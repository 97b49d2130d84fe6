// Graceful stop on SIGINT / SIGTERM (and SIGUSR1, which mpirun forwards to every rank) for the
// search binaries: once the search has started (AllowGracefulStop), the first signal sets a
// flag that RunSearch polls (SearchOptions::stop_requested), so the run finishes the
// evaluations in flight, writes its checkpoint and outputs, and exits 0. A second signal ends
// the process at once, as if no handler were installed. Before the search starts (task
// generation, the first initial populations) there is nothing to save and nothing there polls
// the flag, so the first signal already ends the process, after one line saying so.
#ifndef EXPERIMENTS_SIGNAL_HANDLING_H_
#define EXPERIMENTS_SIGNAL_HANDLING_H_

#include <atomic>

namespace automl {

// Installs the handlers (once per process; later calls only return the flag). The flag is
// set by the first SIGINT, SIGTERM or SIGUSR1; the handler also writes one line to stderr.
const std::atomic<bool>* InstallStopSignalHandlers();

// From now on the first signal requests a graceful stop (SearchOptions::on_search_started).
void AllowGracefulStop();

}  // namespace automl

#endif  // EXPERIMENTS_SIGNAL_HANDLING_H_

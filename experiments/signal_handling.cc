#include "experiments/signal_handling.h"

#include <signal.h>
#include <unistd.h>

#include <cstring>

namespace automl {
namespace {

std::atomic<bool> stop_requested{false};
std::atomic<bool> graceful_stop_allowed{false};
static_assert(std::atomic<bool>::is_always_lock_free,
              "a signal handler may only touch lock-free atomics");

// SIGUSR1 because mpirun forwards it to every rank and lets the job end normally; on SIGINT
// and SIGTERM mpirun itself kills the ranks a second later (odls_base_sigkill_timeout).
constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGUSR1};

constexpr char kMessage[] =
    "stop requested: finishing the evaluations in flight, then writing the checkpoint and "
    "outputs (send the signal again to quit at once)\n";

constexpr char kSetupMessage[] =
    "stop requested before the search started (tasks being generated or initial populations "
    "evaluated): nothing to save, quitting\n";

void RestoreDefaults() {
  struct sigaction action;
  std::memset(&action, 0, sizeof(action));
  action.sa_handler = SIG_DFL;
  sigemptyset(&action.sa_mask);
  for (int signal : kStopSignals) sigaction(signal, &action, nullptr);
}

// Only async-signal-safe calls: atomics, sigaction, write, raise.
void OnStopSignal(int signal) {
  RestoreDefaults();
  if (!graceful_stop_allowed.load()) {
    const ssize_t ignored = ::write(STDERR_FILENO, kSetupMessage, sizeof(kSetupMessage) - 1);
    (void)ignored;
    // Blocked until the handler returns, then the default action ends the process, so the
    // parent sees the signal as the cause.
    raise(signal);
    return;
  }
  stop_requested.store(true);
  const ssize_t ignored = ::write(STDERR_FILENO, kMessage, sizeof(kMessage) - 1);
  (void)ignored;
}

}  // namespace

const std::atomic<bool>* InstallStopSignalHandlers() {
  static const bool installed = [] {
    struct sigaction action;
    std::memset(&action, 0, sizeof(action));
    action.sa_handler = OnStopSignal;
    sigemptyset(&action.sa_mask);
    for (int signal : kStopSignals) sigaddset(&action.sa_mask, signal);
    action.sa_flags = SA_RESTART;
    for (int signal : kStopSignals) sigaction(signal, &action, nullptr);
    return true;
  }();
  (void)installed;
  return &stop_requested;
}

void AllowGracefulStop() { graceful_stop_allowed.store(true); }

}  // namespace automl

#include "experiments/signal_handling.h"

#include <signal.h>
#include <unistd.h>

#include <cstring>

namespace automl {
namespace {

std::atomic<bool> stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free,
              "a signal handler may only touch lock-free atomics");

// SIGUSR1 because mpirun forwards it to every rank and lets the job end normally; on SIGINT
// and SIGTERM mpirun itself kills the ranks a second later (odls_base_sigkill_timeout).
constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGUSR1};

constexpr char kMessage[] =
    "stop requested: finishing the evaluations in flight, then writing the checkpoint and "
    "outputs (send the signal again to quit at once)\n";

void RestoreDefaults() {
  struct sigaction action;
  std::memset(&action, 0, sizeof(action));
  action.sa_handler = SIG_DFL;
  sigemptyset(&action.sa_mask);
  for (int signal : kStopSignals) sigaction(signal, &action, nullptr);
}

// Only async-signal-safe calls: an atomic store, sigaction, write.
void OnStopSignal(int) {
  stop_requested.store(true);
  RestoreDefaults();
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

}  // namespace automl

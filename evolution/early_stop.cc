#include "evolution/early_stop.h"

#include <utility>

#include "instructions/status_macros.h"

namespace automl {

EarlyStopChecks::EarlyStopChecks(const ExperimentSpec& spec)
    : every_(spec.stop_check_every_individuals()),
      stagnant_limit_(spec.stop_after_stagnant_individuals()) {}

absl::StatusOr<bool> EarlyStopChecks::AtBoundary(int64_t planned, double best) {
  if (state_.stopped() != NOT_STOPPED_EARLY) return true;
  if (!active() || planned < state_.next_check()) return false;
  // The next multiple of the interval: the first boundary (the initial population) may be past
  // several.
  state_.set_next_check((planned / every_ + 1) * every_);
  if (best > state_.checked_best()) {
    state_.set_checked_best(best);
    state_.set_improved_at(planned);
    if (best_suffices_) {
      ASSIGN_OR_RETURN(const bool suffices, best_suffices_());
      if (suffices) state_.set_stopped(SUFFICIENT_FITNESS);
    }
  } else if (stagnant_limit_ > 0 && planned - state_.improved_at() >= stagnant_limit_) {
    state_.set_stopped(STAGNATION);
  }
  return state_.stopped() != NOT_STOPPED_EARLY;
}

const char* EarlyStopName(EarlyStopReason reason) {
  switch (reason) {
    case SUFFICIENT_FITNESS:
      return "sufficient_fitness";
    case STAGNATION:
      return "stagnation";
    case NOT_STOPPED_EARLY:
      break;
  }
  return "";
}

}  // namespace automl

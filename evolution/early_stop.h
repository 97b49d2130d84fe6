// Early stopping of one experiment's search before its limits: checks at round boundaries every
// stop_check_every_individuals (over all islands), planned totals that depend only on the spec
// and the island count, so where a search stops is the same for any thread or process count.
// At a check, the search ends when
// - sufficient fitness: the best-ever T_search fitness rose since the last check and the
//   caller's test of that best passes (RunSearch scores it on T_select against
//   --sufficient_fitness); the first check, at the first boundary, always counts as a rise;
// - stagnation: the best has not risen at any check during the last
//   stop_after_stagnant_individuals individuals.
// IslandSearch owns the checks and keeps their state in its checkpoints.
#ifndef EVOLUTION_EARLY_STOP_H_
#define EVOLUTION_EARLY_STOP_H_

#include <cstdint>
#include <functional>
#include <utility>

#include "absl/status/statusor.h"
#include "evolution/checkpoint.pb.h"
#include "evolution/experiment_spec.pb.h"

namespace automl {

// Collective (called on every rank at the same boundary): whether the current best-ever
// program is good enough to end the search. Every rank must return the same answer.
using BestSufficesFn = std::function<absl::StatusOr<bool>()>;

class EarlyStopChecks {
 public:
  explicit EarlyStopChecks(const ExperimentSpec& spec);

  // The sufficient-fitness test (empty: that rule is off). Set before every run of the search.
  void set_best_suffices(BestSufficesFn best_suffices) {
    best_suffices_ = std::move(best_suffices);
  }
  // Whether any rule is on; without one, checks cost nothing and add no round boundary.
  bool active() const { return best_suffices_ || stagnant_limit_ > 0; }
  // The planned total at which the next check is due; rounds end there when active().
  int64_t next_check() const { return state_.next_check(); }

  // At a round boundary with `planned` individuals and the best-ever fitness `best`: runs the
  // check if one is due. True when the search must stop (also after a stop restored from a
  // checkpoint).
  absl::StatusOr<bool> AtBoundary(int64_t planned, double best);
  EarlyStopReason stopped() const { return state_.stopped(); }
  // The search tasks rotated: fitness values before and after are not comparable, so the next
  // check counts as a rise of the best (and restarts the stagnation count).
  void SearchTasksChanged() { state_.clear_checked_best(); }

  const EarlyStopStateProto& state() const { return state_; }
  void Restore(const EarlyStopStateProto& state) { state_ = state; }

 private:
  const int64_t every_;
  const int64_t stagnant_limit_;
  BestSufficesFn best_suffices_;
  EarlyStopStateProto state_;
};

// Whether a sufficient-fitness threshold can end a search early. Fitness quality is at most 1
// (executor/fitness.h) and must exceed the threshold, so from 1 up the rule is off: no check
// scores anything, and the select tasks are not made during the search.
inline bool SufficientFitnessReachable(double sufficient_fitness) {
  return sufficient_fitness < 1.0;
}

// "sufficient_fitness", "stagnation" (or "" when not stopped early), for outputs.
const char* EarlyStopName(EarlyStopReason reason);

}  // namespace automl

#endif  // EVOLUTION_EARLY_STOP_H_

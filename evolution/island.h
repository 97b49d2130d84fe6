// One island of the island model: a regularized-evolution population with its own evaluator,
// RNG and counters. Island code in other files (status, migration, scheduling) works on these.
#ifndef EVOLUTION_ISLAND_H_
#define EVOLUTION_ISLAND_H_

#include <cstdint>
#include <limits>
#include <memory>

#include "evolution/regularized_evolution.h"
#include "evolution/search_evaluator.h"

namespace automl {

// Everything an island's future depends on is here: population (in age order, with the
// position of the oldest), RNG state, best ever, counters and the evaluator's FEC and hurdle
// state; checkpoints save and restore this struct.
struct Island {
  int index = 0;  // Global island index.
  std::unique_ptr<SearchEvaluator> evaluator;
  std::unique_ptr<RegularizedEvolution> evolution;
  int64_t train_step_cap = std::numeric_limits<int64_t>::max();  // Its share of the limit.
  int64_t migrants_received = 0;
  int64_t remote_migrants_received = 0;  // From islands on other ranks.
  bool train_budget_spent = false;
  bool time_up = false;
  // Steps still to take in the current round; non-zero between rounds only when a stop
  // request interrupted the round (a checkpoint then saves it, and a resumed run finishes it).
  int64_t round_steps_left = 0;
  // Wall time of its last round, per individual: only orders the islands for the threads
  // (slowest first), never affects results, and need not be saved.
  double seconds_per_step = 0.0;
};

}  // namespace automl

#endif  // EVOLUTION_ISLAND_H_

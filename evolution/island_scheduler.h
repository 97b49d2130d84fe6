// Running a process's islands on its threads: a parallel loop (OpenMP, or std::thread under
// ThreadSanitizer), the default thread count, and the scheduler that shares one round's steps
// out over the threads. Scheduling decides only which thread runs which steps, never which
// steps an island takes, so results do not depend on it.
#ifndef EVOLUTION_ISLAND_SCHEDULER_H_
#define EVOLUTION_ISLAND_SCHEDULER_H_

#include <cstdint>
#include <functional>
#include <vector>

namespace automl {

// Runs body(i) for every i in [0, n) on up to `num_threads` threads. OpenMP normally; under
// ThreadSanitizer std::thread instead, because libgomp is not TSan-instrumented (its barriers
// look like races) and .bazelrc's tsan config pins OpenMP to one thread. Either way the island
// code runs on several threads, so `bazel test --config=tsan` checks it for races.
void ParallelFor(int n, int num_threads, const std::function<void(int)>& body);

// Threads to use for num_threads <= 0: OpenMP's default (OMP_NUM_THREADS, else all cores).
int DefaultThreadCount();

// What the round scheduler knows about one island.
struct IslandWork {
  int64_t steps_left = 0;         // In this round; 0 ends the island's round.
  double seconds_per_step = 0.0;  // Estimate from earlier pieces; 0 when not timed yet.
};

// Runs one round: run_piece(i, max_steps) takes up to max_steps of island i's steps_left and
// returns its work after them. With one thread, each island's whole round in island order;
// with more, islands go in pieces (see the .cc). run_piece is never called twice at once for
// the same island.
void ScheduleRound(std::vector<IslandWork> work, int num_threads,
                   const std::function<IslandWork(int island, int64_t max_steps)>& run_piece);

}  // namespace automl

#endif  // EVOLUTION_ISLAND_SCHEDULER_H_

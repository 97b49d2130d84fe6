#include "evolution/island_scheduler.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <thread>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace automl {
namespace {

// Seconds left; an island not timed yet goes first, so that every island has an estimate
// early in the round (the first round after a start or a resume).
double SecondsLeft(const IslandWork& work) {
  return work.seconds_per_step > 0.0 ? work.steps_left * work.seconds_per_step
                                     : std::numeric_limits<double>::infinity();
}

// About 10 ms per piece: the lock is taken rarely, and threads rebalance often.
int64_t PieceSize(const IslandWork& work) {
  const int64_t target =
      work.seconds_per_step > 0.0
          ? std::max<int64_t>(16, static_cast<int64_t>(0.01 / work.seconds_per_step))
          : 256;
  return std::min(target, work.steps_left);
}

}  // namespace

int DefaultThreadCount() {
#ifdef _OPENMP
  return omp_get_max_threads();
#else
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
#endif
}

void ParallelFor(int n, int num_threads, const std::function<void(int)>& body) {
  num_threads = std::max(1, std::min(num_threads, n));
  if (num_threads == 1) {
    for (int i = 0; i < n; ++i) body(i);
    return;
  }
#if defined(__SANITIZE_THREAD__) || !defined(_OPENMP)
  std::atomic<int> next{0};
  auto worker = [&]() {
    for (int i = next.fetch_add(1); i < n; i = next.fetch_add(1)) body(i);
  };
  std::vector<std::thread> threads;
  for (int t = 1; t < num_threads; ++t) threads.emplace_back(worker);
  worker();
  for (std::thread& thread : threads) thread.join();
#else
  // Dynamic: islands cost different amounts per step, so free threads take the next island.
#pragma omp parallel for num_threads(num_threads) schedule(dynamic, 1)
  for (int i = 0; i < n; ++i) body(i);
#endif
}

void ScheduleRound(std::vector<IslandWork> work, int num_threads,
                   const std::function<IslandWork(int island, int64_t max_steps)>& run_piece) {
  const int n = static_cast<int>(work.size());
  const int threads = std::max(1, std::min(num_threads, n));
  if (threads == 1) {
    for (int i = 0; i < n; ++i) run_piece(i, work[i].steps_left);
    return;
  }
  // Islands differ in speed (a population of diverging programs evaluates fast, one of good
  // learners slowly), and a round lasts until its slowest island is done. So threads take
  // islands in short pieces, always the one with the most work left that no other thread
  // holds: a slow island keeps one thread busy while the others share the rest.
  std::vector<bool> busy(n, false);
  std::mutex mutex;
  std::condition_variable released;
  ParallelFor(threads, threads, [&](int) {
    std::unique_lock<std::mutex> lock(mutex);
    while (true) {
      int pick = -1;
      bool working = false;
      for (int i = 0; i < n; ++i) {
        if (work[i].steps_left == 0) continue;
        if (busy[i]) {
          working = true;
          continue;
        }
        if (pick < 0 || SecondsLeft(work[i]) > SecondsLeft(work[pick])) pick = i;
      }
      if (pick < 0) {
        if (!working) return;  // Every island is done.
        released.wait(lock);
        continue;
      }
      const int64_t piece = PieceSize(work[pick]);
      busy[pick] = true;
      lock.unlock();
      const IslandWork after = run_piece(pick, piece);
      lock.lock();
      work[pick].steps_left = after.steps_left;
      if (after.seconds_per_step > 0.0) work[pick].seconds_per_step = after.seconds_per_step;
      busy[pick] = false;
      released.notify_all();
    }
  });
}

}  // namespace automl

// The functional equivalence cache (FEC): maps a program's functional signature (a hash of its
// errors on a few examples, see Executor::FecSignature) to the fitness a full evaluation gave.
// Least-recently-used eviction at a fixed capacity; nodes live in one preallocated array, so a
// lookup or insert allocates nothing once the cache is full. Not thread-safe: each island owns
// one, which keeps runs deterministic whatever the thread count.
#ifndef EVOLUTION_FEC_CACHE_H_
#define EVOLUTION_FEC_CACHE_H_

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "executor/fitness.h"

namespace automl {

class FecCache {
 public:
  explicit FecCache(int capacity);

  // The cached fitness for `signature` (marked most recently used), or nullopt.
  std::optional<Fitness> Lookup(uint64_t signature);

  // Stores a fitness; evicts the least recently used entry when full.
  void Insert(uint64_t signature, const Fitness& fitness);

  // The entries from least to most recently used, and a way to rebuild that exact state, so
  // that a resumed search hits and misses exactly as the uninterrupted one would.
  std::vector<std::pair<uint64_t, Fitness>> EntriesOldestFirst() const;
  void Restore(const std::vector<std::pair<uint64_t, Fitness>>& entries_oldest_first, int64_t hits,
               int64_t lookups);

  int size() const { return static_cast<int>(index_.size()); }
  int capacity() const { return capacity_; }
  int64_t hits() const { return hits_; }
  int64_t lookups() const { return lookups_; }
  double hit_rate() const { return lookups_ == 0 ? 0.0 : static_cast<double>(hits_) / lookups_; }

 private:
  struct Node {
    uint64_t signature = 0;
    Fitness fitness;
    int32_t newer = -1;  // Toward the most recently used.
    int32_t older = -1;  // Toward the least recently used.
  };
  void Unlink(int32_t node);
  void PushNewest(int32_t node);

  int capacity_;
  std::vector<Node> nodes_;
  absl::flat_hash_map<uint64_t, int32_t> index_;
  int32_t newest_ = -1;
  int32_t oldest_ = -1;
  int64_t hits_ = 0;
  int64_t lookups_ = 0;
};

}  // namespace automl

#endif  // EVOLUTION_FEC_CACHE_H_

// How an island run is divided: which rank hosts which islands, each island's random seed,
// and each island's share of a total (individuals, train steps). Pure functions of the seed,
// the island count and the rank count, so every rank computes the same partition.
#ifndef EVOLUTION_ISLAND_PARTITION_H_
#define EVOLUTION_ISLAND_PARTITION_H_

#include <cstdint>

namespace automl {

// The global islands [first, last) that `rank` hosts: contiguous blocks, sizes differing by at
// most one. Needs num_islands >= num_ranks.
struct IslandRange {
  int first = 0;
  int last = 0;
};
IslandRange IslandsOfRank(int num_islands, int num_ranks, int rank);
int RankOfIsland(int island, int num_islands, int num_ranks);

// Island 0 runs on the experiment seed itself, so a one-island run is exactly the plain
// regularized evolution (same seed, same result as before islands existed); the others derive
// independent streams from it.
uint64_t IslandSeed(uint64_t experiment_seed, int island);

// `total` split over `num_islands` islands: what island `island` gets (the first total % n
// islands get one more). Used for individuals and for train steps.
int64_t IslandShare(int64_t total, int num_islands, int island);

}  // namespace automl

#endif  // EVOLUTION_ISLAND_PARTITION_H_

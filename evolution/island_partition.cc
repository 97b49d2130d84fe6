#include "evolution/island_partition.h"

#include "instructions/check.h"
#include "instructions/random.h"

namespace automl {

IslandRange IslandsOfRank(int num_islands, int num_ranks, int rank) {
  AUTOML_CHECK(num_ranks >= 1 && num_islands >= num_ranks && rank >= 0 && rank < num_ranks);
  IslandRange range;
  range.first = static_cast<int>(static_cast<int64_t>(num_islands) * rank / num_ranks);
  range.last = static_cast<int>(static_cast<int64_t>(num_islands) * (rank + 1) / num_ranks);
  return range;
}

int RankOfIsland(int island, int num_islands, int num_ranks) {
  // The largest r with first(r) = floor(K r / R) <= island, i.e. r < (island + 1) R / K.
  return static_cast<int>(((static_cast<int64_t>(island) + 1) * num_ranks - 1) / num_islands);
}

uint64_t IslandSeed(uint64_t experiment_seed, int island) {
  return island == 0 ? experiment_seed : DeriveSeed(experiment_seed, island);
}

int64_t IslandShare(int64_t total, int num_islands, int island) {
  return total / num_islands + (island < total % num_islands ? 1 : 0);
}

}  // namespace automl

// Migration between islands: where each island's emigrants go in a round (the topology), and
// the round itself, across threads and ranks. Everything depends only on the seed and the
// island count, so every rank and thread count migrates the same members to the same places.
#ifndef EVOLUTION_MIGRATION_H_
#define EVOLUTION_MIGRATION_H_

#include <vector>

#include "absl/status/status.h"
#include "evolution/experiment_spec.pb.h"
#include "evolution/island.h"
#include "evolution/island_comm.h"
#include "instructions/random.h"

namespace automl {

// The destination islands of every source island's emigrants in one round. RANDOM_ISLAND
// draws one other island per source from `rng`, in source order, so every rank that holds an
// identically seeded `rng` computes the same plan.
std::vector<std::vector<int>> MigrationDestinations(MigrationTopology topology, int num_islands,
                                                    Rng& rng);

// One migration round (collective): draws the plan from `rng`, sends every local island's
// emigrants to their destinations, and applies the arrivals to `local` (this rank's islands,
// in global order) sorted by destination, source and position, whatever rank they came from.
absl::Status MigrateIslands(const MigrationSpec& spec, int num_islands, Rng& rng, IslandComm& comm,
                            std::vector<Island>& local);

}  // namespace automl

#endif  // EVOLUTION_MIGRATION_H_

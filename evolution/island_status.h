// The island counters that progress lines and stopping decisions need: each island's
// IslandStatusProto (island.proto; the in-memory form too, so the counters are listed once),
// their sum over all islands, and the collective exchanges that give every rank every
// island's status or best member.
#ifndef EVOLUTION_ISLAND_STATUS_H_
#define EVOLUTION_ISLAND_STATUS_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "evolution/island.h"
#include "evolution/island.pb.h"
#include "evolution/island_comm.h"
#include "evolution/regularized_evolution.h"

namespace automl {

// The island's counters now (`best` left empty).
IslandStatusProto StatusOf(const Island& island);

// The aggregate over all islands that a progress line shows.
struct IslandTotals {
  int64_t individuals = 0;
  int64_t train_steps = 0;
  double best_fitness = 0.0;  // Best ever over the islands.
  double mean_fitness = 0.0;  // Mean of the islands' population means (equal sizes).
  double fec_hit_rate = 0.0;
  double hurdle_cut_rate = 0.0;
  int64_t migrations = 0;         // Members that arrived at another island.
  int64_t remote_migrations = 0;  // ...of which crossed processes.
};
IslandTotals SumIslands(const std::vector<IslandStatusProto>& islands);

// What every rank contributes at the end of a round, exchanged with the status.
struct RoundFlags {
  bool stop = false;        // A stop request (any rank's counts).
  bool checkpoint = false;  // Rank 0's checkpoint_due (only rank 0's counts).
};

struct GatheredStatus {
  std::vector<IslandStatusProto> islands;  // Every island's, in global island order.
  RoundFlags flags;                        // Combined over the ranks.
};
// Collective: every rank's `local` islands' status and flags, on every rank.
absl::StatusOr<GatheredStatus> GatherStatus(IslandComm& comm, const std::vector<Island>& local,
                                            RoundFlags mine);

struct IslandBest {
  int island = 0;
  Individual best;  // The island's best ever.
};
// Collective: every island's best-ever member, in global island order.
absl::StatusOr<std::vector<IslandBest>> GatherBestMembers(IslandComm& comm,
                                                          const std::vector<Island>& local);

// Collective (PARETO): every island's archive members, in global island order, each archive
// in insertion order.
absl::StatusOr<std::vector<Individual>> GatherArchives(IslandComm& comm,
                                                       const std::vector<Island>& local);

}  // namespace automl

#endif  // EVOLUTION_ISLAND_STATUS_H_

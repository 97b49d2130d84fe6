#include "evolution/migration.h"

#include <algorithm>
#include <string>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "evolution/island.pb.h"
#include "evolution/island_partition.h"
#include "evolution/member_proto.h"
#include "instructions/check.h"
#include "instructions/status_macros.h"

namespace automl {
namespace {

// One emigrant in transit.
struct Migrant {
  int source = 0;
  int dest = 0;
  int seq = 0;
  Individual member;
};

// What leaves this rank's islands in one round: the migrants that stay on this rank, and a
// batch for every other rank.
struct Departures {
  std::vector<Migrant> local;
  std::vector<MigrantBatchProto> per_rank;
};

Departures Emigrate(const MigrationSpec& spec, const std::vector<std::vector<int>>& destinations,
                    int num_islands, const IslandComm& comm, std::vector<Island>& islands) {
  Departures out;
  out.per_rank.resize(comm.num_ranks());
  for (Island& island : islands) {
    const int source = island.index;
    if (destinations[source].empty()) continue;
    const std::vector<Individual> emigrants =
        island.evolution->Emigrants(spec.num_emigrants(), spec.include_best());
    for (int dest : destinations[source]) {
      const int dest_rank = RankOfIsland(dest, num_islands, comm.num_ranks());
      for (int seq = 0; seq < static_cast<int>(emigrants.size()); ++seq) {
        if (dest_rank == comm.rank()) {
          out.local.push_back(Migrant{source, dest, seq, emigrants[seq]});
        } else {
          MigrantProto* proto = out.per_rank[dest_rank].add_migrants();
          proto->set_source_island(source);
          proto->set_dest_island(dest);
          proto->set_seq(seq);
          ToProto(emigrants[seq], proto->mutable_member());
        }
      }
    }
  }
  return out;
}

// Sends the batches to the other ranks and adds what they sent to `arrivals`.
absl::Status ExchangeMigrants(const std::vector<MigrantBatchProto>& per_rank, int num_islands,
                              IslandComm& comm, std::vector<Migrant>& arrivals) {
  const int my_rank = comm.rank();
  const IslandRange range = IslandsOfRank(num_islands, comm.num_ranks(), my_rank);
  std::vector<std::string> bytes(comm.num_ranks());
  for (int r = 0; r < comm.num_ranks(); ++r) {
    if (r != my_rank) bytes[r] = per_rank[r].SerializeAsString();
  }
  ASSIGN_OR_RETURN(const std::vector<std::string> received, comm.AllToAll(bytes));
  for (int r = 0; r < comm.num_ranks(); ++r) {
    if (r == my_rank) continue;
    MigrantBatchProto batch;
    if (!batch.ParseFromString(received[r])) return ReceivedParseError("migrants", r);
    for (const MigrantProto& proto : batch.migrants()) {
      absl::StatusOr<Individual> member = FromProto(proto.member());
      if (!member.ok()) {
        return absl::DataLossError(
            absl::StrCat("bad migrant from rank ", r, ": ", member.status().message()));
      }
      if (proto.dest_island() < range.first || proto.dest_island() >= range.last) {
        return absl::DataLossError(absl::StrCat("rank ", r, " sent a migrant for island ",
                                                proto.dest_island(), ", not hosted here"));
      }
      arrivals.push_back(
          Migrant{proto.source_island(), proto.dest_island(), proto.seq(), *std::move(member)});
    }
  }
  return absl::OkStatus();
}

// Applies `arrivals` to their destinations, in the same order on every rank and thread count:
// by destination, then source, then seq.
void Immigrate(std::vector<Migrant> arrivals, int num_islands, const IslandComm& comm,
               std::vector<Island>& islands) {
  std::sort(arrivals.begin(), arrivals.end(), [](const Migrant& a, const Migrant& b) {
    return std::tie(a.dest, a.source, a.seq) < std::tie(b.dest, b.source, b.seq);
  });
  size_t next = 0;
  for (Island& island : islands) {
    std::vector<Individual> members;
    for (; next < arrivals.size() && arrivals[next].dest == island.index; ++next) {
      const Migrant& migrant = arrivals[next];
      members.push_back(migrant.member);
      if (RankOfIsland(migrant.source, num_islands, comm.num_ranks()) != comm.rank()) {
        ++island.remote_migrants_received;
      }
    }
    island.evolution->Immigrate(members);
    island.migrants_received += static_cast<int64_t>(members.size());
  }
  AUTOML_CHECK(next == arrivals.size());
}

}  // namespace

std::vector<std::vector<int>> MigrationDestinations(MigrationTopology topology, int num_islands,
                                                    Rng& rng) {
  std::vector<std::vector<int>> destinations(num_islands);
  if (num_islands < 2) return destinations;
  for (int source = 0; source < num_islands; ++source) {
    switch (topology) {
      case RANDOM_ISLAND: {
        // Uniform over the other islands: draw from n-1 and skip the source.
        int dest = static_cast<int>(rng.UniformInt(num_islands - 1));
        if (dest >= source) ++dest;
        destinations[source].push_back(dest);
        break;
      }
      case ALL_TO_ALL:
        for (int dest = 0; dest < num_islands; ++dest) {
          if (dest != source) destinations[source].push_back(dest);
        }
        break;
      default:  // RING (validation rejects UNSET).
        destinations[source].push_back((source + 1) % num_islands);
        break;
    }
  }
  return destinations;
}

absl::Status MigrateIslands(const MigrationSpec& spec, int num_islands, Rng& rng, IslandComm& comm,
                            std::vector<Island>& local) {
  // Every rank draws the whole plan, so the shared RNG stays in step across ranks.
  const std::vector<std::vector<int>> destinations =
      MigrationDestinations(spec.topology(), num_islands, rng);
  Departures departures = Emigrate(spec, destinations, num_islands, comm, local);
  std::vector<Migrant> arrivals = std::move(departures.local);
  if (comm.num_ranks() > 1) {
    RETURN_IF_ERROR(ExchangeMigrants(departures.per_rank, num_islands, comm, arrivals));
  }
  Immigrate(std::move(arrivals), num_islands, comm, local);
  return absl::OkStatus();
}

}  // namespace automl

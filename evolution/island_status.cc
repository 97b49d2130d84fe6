#include "evolution/island_status.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "evolution/member_proto.h"
#include "instructions/status_macros.h"

namespace automl {
namespace {

// Every rank's `mine`, in rank order; `what` names the contents in errors.
absl::StatusOr<std::vector<IslandStatusBatchProto>> AllGatherBatches(
    IslandComm& comm, const IslandStatusBatchProto& mine, const char* what) {
  ASSIGN_OR_RETURN(const std::vector<std::string> gathered,
                   comm.AllGather(mine.SerializeAsString()));
  std::vector<IslandStatusBatchProto> batches(gathered.size());
  for (int r = 0; r < static_cast<int>(gathered.size()); ++r) {
    if (!batches[r].ParseFromString(gathered[r])) return ReceivedParseError(what, r);
  }
  return batches;
}

bool IslandOrder(const IslandStatusProto& a, const IslandStatusProto& b) {
  return a.island() < b.island();
}

}  // namespace

IslandStatusProto StatusOf(const Island& island) {
  const RegularizedEvolution& evolution = *island.evolution;
  const SearchEvaluatorStats& stats = island.evaluator->stats();
  IslandStatusProto s;
  s.set_island(island.index);
  s.set_individuals(evolution.num_individuals());
  s.set_train_steps(island.evaluator->train_steps());
  s.set_best_fitness(evolution.best_ever().fitness.quality);
  s.set_mean_fitness(evolution.MeanFitness());
  s.set_fec_lookups(stats.fec_lookups);
  s.set_fec_hits(stats.fec_hits);
  s.set_hurdle_checks(stats.hurdle_checks);
  s.set_hurdle_cuts(stats.hurdle_cuts);
  s.set_migrants_received(island.migrants_received);
  s.set_remote_migrants_received(island.remote_migrants_received);
  s.set_train_budget_spent(island.train_budget_spent);
  s.set_time_up(island.time_up);
  return s;
}

IslandTotals SumIslands(const std::vector<IslandStatusProto>& islands) {
  IslandTotals totals;
  int64_t fec_lookups = 0, fec_hits = 0, hurdle_checks = 0, hurdle_cuts = 0;
  double mean_sum = 0.0;
  for (size_t i = 0; i < islands.size(); ++i) {
    const IslandStatusProto& s = islands[i];
    totals.individuals += s.individuals();
    totals.train_steps += s.train_steps();
    if (i == 0 || s.best_fitness() > totals.best_fitness) totals.best_fitness = s.best_fitness();
    mean_sum += s.mean_fitness();
    fec_lookups += s.fec_lookups();
    fec_hits += s.fec_hits();
    hurdle_checks += s.hurdle_checks();
    hurdle_cuts += s.hurdle_cuts();
    totals.migrations += s.migrants_received();
    totals.remote_migrations += s.remote_migrants_received();
  }
  if (!islands.empty()) totals.mean_fitness = mean_sum / islands.size();
  totals.fec_hit_rate = fec_lookups == 0 ? 0.0 : static_cast<double>(fec_hits) / fec_lookups;
  totals.hurdle_cut_rate =
      hurdle_checks == 0 ? 0.0 : static_cast<double>(hurdle_cuts) / hurdle_checks;
  return totals;
}

absl::StatusOr<GatheredStatus> GatherStatus(IslandComm& comm, const std::vector<Island>& local,
                                            RoundFlags mine) {
  GatheredStatus gathered;
  if (comm.num_ranks() == 1) {
    for (const Island& island : local) gathered.islands.push_back(StatusOf(island));
    gathered.flags = mine;
    return gathered;
  }
  IslandStatusBatchProto batch_of_mine;
  for (const Island& island : local) *batch_of_mine.add_islands() = StatusOf(island);
  batch_of_mine.set_stop_requested(mine.stop);
  batch_of_mine.set_checkpoint_due(mine.checkpoint);
  ASSIGN_OR_RETURN(std::vector<IslandStatusBatchProto> batches,
                   AllGatherBatches(comm, batch_of_mine, "island status"));
  for (int r = 0; r < static_cast<int>(batches.size()); ++r) {
    for (IslandStatusProto& status : *batches[r].mutable_islands()) {
      gathered.islands.push_back(std::move(status));
    }
    gathered.flags.stop |= batches[r].stop_requested();
    if (r == 0) gathered.flags.checkpoint = batches[r].checkpoint_due();
  }
  std::sort(gathered.islands.begin(), gathered.islands.end(), IslandOrder);
  return gathered;
}

absl::StatusOr<std::vector<IslandBest>> GatherBestMembers(IslandComm& comm,
                                                          const std::vector<Island>& local) {
  std::vector<IslandBest> bests;
  if (comm.num_ranks() == 1) {
    for (const Island& island : local)
      bests.push_back(IslandBest{island.index, island.evolution->best_ever()});
    return bests;
  }
  IslandStatusBatchProto mine;
  for (const Island& island : local) {
    IslandStatusProto* proto = mine.add_islands();
    proto->set_island(island.index);
    ToProto(island.evolution->best_ever(), proto->mutable_best());
  }
  ASSIGN_OR_RETURN(const std::vector<IslandStatusBatchProto> batches,
                   AllGatherBatches(comm, mine, "best programs"));
  for (int r = 0; r < static_cast<int>(batches.size()); ++r) {
    for (const IslandStatusProto& proto : batches[r].islands()) {
      absl::StatusOr<Individual> best = FromProto(proto.best());
      if (!best.ok()) {
        return absl::DataLossError(
            absl::StrCat("bad best program from rank ", r, ": ", best.status().message()));
      }
      bests.push_back(IslandBest{proto.island(), *std::move(best)});
    }
  }
  std::sort(bests.begin(), bests.end(),
            [](const IslandBest& a, const IslandBest& b) { return a.island < b.island; });
  return bests;
}

absl::StatusOr<std::vector<Individual>> GatherArchives(IslandComm& comm,
                                                       const std::vector<Island>& local) {
  std::vector<Individual> members;
  if (comm.num_ranks() == 1) {
    for (const Island& island : local) {
      const ParetoArchive* archive = island.evolution->archive();
      if (archive != nullptr) {
        members.insert(members.end(), archive->members().begin(), archive->members().end());
      }
    }
    return members;
  }
  IslandStatusBatchProto mine;
  for (const Island& island : local) {
    IslandStatusProto* proto = mine.add_islands();
    proto->set_island(island.index);
    const ParetoArchive* archive = island.evolution->archive();
    if (archive == nullptr) continue;
    for (const Individual& member : archive->members()) ToProto(member, proto->add_archive());
  }
  ASSIGN_OR_RETURN(std::vector<IslandStatusBatchProto> batches,
                   AllGatherBatches(comm, mine, "Pareto archives"));
  std::vector<IslandStatusProto> islands;
  for (IslandStatusBatchProto& batch : batches) {
    for (IslandStatusProto& proto : *batch.mutable_islands()) islands.push_back(std::move(proto));
  }
  std::sort(islands.begin(), islands.end(), IslandOrder);
  for (const IslandStatusProto& proto : islands) {
    for (const MemberProto& saved : proto.archive()) {
      absl::StatusOr<Individual> member = FromProto(saved);
      if (!member.ok()) {
        return absl::DataLossError(absl::StrCat("bad archive member of island ", proto.island(),
                                                ": ", member.status().message()));
      }
      members.push_back(*std::move(member));
    }
  }
  return members;
}

}  // namespace automl

#include "evolution/island_model.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <limits>
#include <mutex>
#include <thread>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "evolution/checkpoint.h"
#include "evolution/generator.h"
#include "evolution/island.pb.h"
#include "instructions/check.h"
#include "instructions/program_proto.h"

#ifdef _OPENMP
#include <omp.h>
#endif

namespace automl {
namespace {

// DeriveSeed stream of the migration plan; far above any island index.
constexpr uint64_t kMigrationStream = 1ULL << 40;

// One emigrant in transit.
struct Migrant {
  int source = 0;
  int dest = 0;
  int seq = 0;
  Individual member;
};

IslandStatusProto ToProto(const IslandStatus& s) {
  IslandStatusProto proto;
  proto.set_island(s.island);
  proto.set_individuals(s.individuals);
  proto.set_train_steps(s.train_steps);
  proto.set_best_fitness(s.best_fitness);
  proto.set_mean_fitness(s.mean_fitness);
  proto.set_fec_lookups(s.fec_lookups);
  proto.set_fec_hits(s.fec_hits);
  proto.set_hurdle_checks(s.hurdle_checks);
  proto.set_hurdle_cuts(s.hurdle_cuts);
  proto.set_migrants_received(s.migrants_received);
  proto.set_remote_migrants_received(s.remote_migrants_received);
  proto.set_train_budget_spent(s.train_budget_spent);
  proto.set_time_up(s.time_up);
  return proto;
}

IslandStatus FromProto(const IslandStatusProto& proto) {
  IslandStatus s;
  s.island = proto.island();
  s.individuals = proto.individuals();
  s.train_steps = proto.train_steps();
  s.best_fitness = proto.best_fitness();
  s.mean_fitness = proto.mean_fitness();
  s.fec_lookups = proto.fec_lookups();
  s.fec_hits = proto.fec_hits();
  s.hurdle_checks = proto.hurdle_checks();
  s.hurdle_cuts = proto.hurdle_cuts();
  s.migrants_received = proto.migrants_received();
  s.remote_migrants_received = proto.remote_migrants_received();
  s.train_budget_spent = proto.train_budget_spent();
  s.time_up = proto.time_up();
  return s;
}

void ToProto(const Individual& individual, MemberProto* proto) {
  *proto->mutable_program() = ToProto(*individual.program);
  proto->set_fitness(individual.fitness.quality);
}

absl::StatusOr<Individual> FromProto(const MemberProto& proto) {
  absl::StatusOr<Program> program = FromProto(proto.program());
  if (!program.ok()) return program.status();
  Individual individual;
  individual.program = std::make_shared<const Program>(*std::move(program));
  individual.fitness.quality = proto.fitness();
  return individual;
}

IslandStatus StatusOf(const Island& island) {
  IslandStatus s;
  const RegularizedEvolution& evolution = *island.evolution;
  const SearchEvaluatorStats& stats = island.evaluator->stats();
  s.island = island.index;
  s.individuals = evolution.num_individuals();
  s.train_steps = island.evaluator->train_steps();
  s.best_fitness = evolution.best_ever().fitness.quality;
  s.mean_fitness = evolution.MeanFitness();
  s.fec_lookups = stats.fec_lookups;
  s.fec_hits = stats.fec_hits;
  s.hurdle_checks = stats.hurdle_checks;
  s.hurdle_cuts = stats.hurdle_cuts;
  s.migrants_received = island.migrants_received;
  s.remote_migrants_received = island.remote_migrants_received;
  s.train_budget_spent = island.train_budget_spent;
  s.time_up = island.time_up;
  return s;
}

double SecondsSince(absl::Time start) { return absl::ToDoubleSeconds(absl::Now() - start); }

absl::Status ParseError(const char* what, int rank) {
  return absl::DataLossError(absl::StrCat("cannot parse the ", what, " sent by rank ", rank));
}

}  // namespace

absl::StatusOr<double> BroadcastFromRoot(IslandComm& comm, double value) {
  std::string mine;
  if (comm.rank() == 0) mine.assign(reinterpret_cast<const char*>(&value), sizeof(value));
  absl::StatusOr<std::vector<std::string>> gathered = comm.AllGather(mine);
  if (!gathered.ok()) return gathered.status();
  if (gathered->empty() || (*gathered)[0].size() != sizeof(double)) {
    return absl::DataLossError("rank 0 sent a malformed value");
  }
  double root_value;
  std::memcpy(&root_value, (*gathered)[0].data(), sizeof(root_value));
  return root_value;
}

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

absl::Status ValidateIslandSettings(const ExperimentSpec& spec, int num_islands, int num_ranks) {
  if (num_islands < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the island count (num_islands or --islands) is ", num_islands, "; it must be >= 1"));
  }
  if (num_ranks > num_islands) {
    return absl::InvalidArgumentError(
        absl::StrCat(num_ranks, " processes but only ", num_islands,
                     " islands: every process needs at least one island (raise --islands)"));
  }
  const int64_t initial = static_cast<int64_t>(num_islands) * spec.population_size();
  if (spec.has_max_individuals() && spec.max_individuals() < initial) {
    return absl::InvalidArgumentError(absl::StrCat(
        "max_individuals (", spec.max_individuals(), ") is smaller than the initial populations (",
        num_islands, " islands x population_size ", spec.population_size(), " = ", initial, ")"));
  }
  if (spec.has_max_train_steps() && spec.max_train_steps() < num_islands) {
    return absl::InvalidArgumentError(absl::StrCat("max_train_steps (", spec.max_train_steps(),
                                                   ") is smaller than the island count (",
                                                   num_islands, ")"));
  }
  const MigrationSpec& migration = spec.migration();
  if (migration.every_individuals() < 0) {
    return absl::InvalidArgumentError(absl::StrCat("migration.every_individuals (",
                                                   migration.every_individuals(),
                                                   ") must be >= 0 (0: no migration)"));
  }
  if (migration.topology() == MIGRATION_TOPOLOGY_UNSET) {
    return absl::InvalidArgumentError(
        "migration.topology must be RING, RANDOM_ISLAND or ALL_TO_ALL");
  }
  if (migration.num_emigrants() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("migration.num_emigrants (", migration.num_emigrants(), ") must be >= 0"));
  }
  if (num_islands > 1 && migration.every_individuals() > 0) {
    // With ALL_TO_ALL an island receives from every other island; arrivals must not replace
    // the whole population, or the round would discard arrivals it just received.
    const int64_t senders = migration.topology() == ALL_TO_ALL ? num_islands - 1 : 1;
    const int64_t arrivals = senders * migration.num_emigrants();
    if (migration.topology() != RANDOM_ISLAND && arrivals >= spec.population_size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("migration.num_emigrants (", migration.num_emigrants(), ") x ", senders,
                       " sending islands = ", arrivals,
                       " arrivals per round, which is not smaller than "
                       "population_size (",
                       spec.population_size(), ")"));
    }
    if (migration.topology() == RANDOM_ISLAND &&
        static_cast<int64_t>(num_islands - 1) * migration.num_emigrants() >=
            spec.population_size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "migration.num_emigrants (", migration.num_emigrants(), ") x ", num_islands - 1,
          " possible senders (RANDOM_ISLAND) is not smaller than population_size (",
          spec.population_size(), ")"));
    }
  }
  return absl::OkStatus();
}

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

IslandTotals SumIslands(const std::vector<IslandStatus>& islands) {
  IslandTotals totals;
  int64_t fec_lookups = 0, fec_hits = 0, hurdle_checks = 0, hurdle_cuts = 0;
  double mean_sum = 0.0;
  for (size_t i = 0; i < islands.size(); ++i) {
    const IslandStatus& s = islands[i];
    totals.individuals += s.individuals;
    totals.train_steps += s.train_steps;
    if (i == 0 || s.best_fitness > totals.best_fitness) totals.best_fitness = s.best_fitness;
    mean_sum += s.mean_fitness;
    fec_lookups += s.fec_lookups;
    fec_hits += s.fec_hits;
    hurdle_checks += s.hurdle_checks;
    hurdle_cuts += s.hurdle_cuts;
    totals.migrations += s.migrants_received;
    totals.remote_migrations += s.remote_migrants_received;
  }
  if (!islands.empty()) totals.mean_fitness = mean_sum / islands.size();
  totals.fec_hit_rate = fec_lookups == 0 ? 0.0 : static_cast<double>(fec_hits) / fec_lookups;
  totals.hurdle_cut_rate =
      hurdle_checks == 0 ? 0.0 : static_cast<double>(hurdle_cuts) / hurdle_checks;
  return totals;
}

IslandSearch::IslandSearch(const IslandSearchConfig& config, absl::Time start)
    : config_(config),
      comm_(config.comm != nullptr ? config.comm : &local_comm_),
      start_(start),
      migration_rng_(DeriveSeed(config.experiment_seed, kMigrationStream)) {
  // Rounds end at planned totals, which depend only on the spec and the island count.
  const ExperimentSpec& spec = *config.spec;
  planned_ = static_cast<int64_t>(config.num_islands) * spec.population_size();
  next_progress_ = spec.progress_every_individuals();
  next_migration_ = planned_ + spec.migration().every_individuals() * config.num_islands;
}

absl::StatusOr<std::unique_ptr<IslandSearch>> IslandSearch::Create(const IslandSearchConfig& config,
                                                                   absl::Time start) {
  const ExperimentSpec& spec = *config.spec;
  std::unique_ptr<IslandSearch> search(new IslandSearch(config, start));
  const int num_islands = config.num_islands;
  search->range_ = IslandsOfRank(num_islands, search->comm_->num_ranks(), search->comm_->rank());
  for (int g = search->range_.first; g < search->range_.last; ++g) {
    Island island;
    island.index = g;
    island.evaluator = std::make_unique<SearchEvaluator>(config.search_executor->Clone(),
                                                         config.evaluator_options);
    island.evolution = std::make_unique<RegularizedEvolution>(
        spec.population_size(), spec.tournament_size(), island.evaluator.get(), config.mutator,
        IslandSeed(config.experiment_seed, g));
    if (spec.has_max_train_steps()) {
      island.train_step_cap = IslandShare(spec.max_train_steps(), num_islands, g);
    }
    search->islands_.push_back(std::move(island));
  }

  // Initial programs come from each island's own RNG, so they do not depend on which thread
  // builds them. Errors (a hand-written program that does not fit) are the same on every
  // island and every rank, so every rank returns the same error and none waits for another.
  const int local = static_cast<int>(search->islands_.size());
  std::vector<absl::Status> errors(local);
  ParallelFor(local, config.num_threads, [&](int i) {
    Island& island = search->islands_[i];
    std::vector<Program> initial;
    initial.reserve(spec.population_size());
    if (config.seed_programs != nullptr) {
      AUTOML_CHECK(static_cast<int>(config.seed_programs->size()) <= spec.population_size());
      initial = *config.seed_programs;
    }
    for (int k = static_cast<int>(initial.size()); k < spec.population_size(); ++k) {
      absl::StatusOr<Program> program =
          InitialProgram(spec.initial_population(), *config.space, island.evolution->rng());
      if (!program.ok()) {
        errors[i] = program.status();
        return;
      }
      initial.push_back(*std::move(program));
    }
    island.evolution->Initialize(initial);
  });
  for (const absl::Status& error : errors) {
    if (!error.ok()) return error;
  }
  if (absl::StatusOr<RoundFlags> s = search->GatherStatus(); !s.ok()) return s.status();
  return search;
}

absl::StatusOr<std::unique_ptr<IslandSearch>> IslandSearch::Restore(
    const IslandSearchConfig& config, absl::Time start, const IslandSearchStateProto& state) {
  const ExperimentSpec& spec = *config.spec;
  const int num_islands = config.num_islands;
  if (state.islands_size() != num_islands) {
    return absl::InvalidArgumentError(absl::StrCat("the checkpoint has ", state.islands_size(),
                                                   " islands but this run has ", num_islands));
  }
  std::unique_ptr<IslandSearch> search(new IslandSearch(config, start));
  search->range_ = IslandsOfRank(num_islands, search->comm_->num_ranks(), search->comm_->rank());
  // Only reached from a stopped island: whether a new, larger limit lets it go on.
  const bool time_left = !spec.has_max_seconds() || SecondsSince(start) < spec.max_seconds();
  for (int g = search->range_.first; g < search->range_.last; ++g) {
    const IslandStateProto& saved = state.islands(g);
    if (saved.index() != g) {
      return absl::DataLossError(
          absl::StrCat("the checkpoint's island ", g, " is stored as island ", saved.index()));
    }
    Island island;
    island.index = g;
    island.evaluator = std::make_unique<SearchEvaluator>(config.search_executor->Clone(),
                                                         config.evaluator_options);
    island.evolution = std::make_unique<RegularizedEvolution>(
        spec.population_size(), spec.tournament_size(), island.evaluator.get(), config.mutator,
        IslandSeed(config.experiment_seed, g));
    const auto with_island = [g](const absl::Status& s) {
      return absl::Status(s.code(), absl::StrCat("checkpoint island ", g, ": ", s.message()));
    };
    if (absl::Status s = RestoreEvolutionState(saved, *island.evolution); !s.ok()) {
      return with_island(s);
    }
    if (absl::Status s = RestoreEvaluatorState(saved.evaluator(), *island.evaluator); !s.ok()) {
      return with_island(s);
    }
    if (spec.has_max_train_steps()) {
      island.train_step_cap = IslandShare(spec.max_train_steps(), num_islands, g);
    }
    island.migrants_received = saved.migrants_received();
    island.remote_migrants_received = saved.remote_migrants_received();
    island.train_budget_spent = island.evaluator->train_steps() >= island.train_step_cap;
    island.time_up = saved.time_up() && !time_left;
    island.round_steps_left = saved.round_steps_left();
    search->islands_.push_back(std::move(island));
  }
  absl::StatusOr<Rng::State> migration_rng = RestoreRng(state.migration_rng());
  if (!migration_rng.ok()) return migration_rng.status();
  search->migration_rng_.set_state(*migration_rng);
  search->planned_ = state.planned();
  search->next_progress_ = state.next_progress();
  search->next_migration_ = state.next_migration();
  search->last_reported_ = state.last_reported();
  search->round_target_ = state.round_target();
  if (absl::StatusOr<RoundFlags> s = search->GatherStatus(); !s.ok()) return s.status();
  return search;
}

absl::StatusOr<IslandSearchStateProto> IslandSearch::SaveState() {
  IslandSearchStateProto state;
  for (const Island& island : islands_) {
    IslandStateProto* saved = state.add_islands();
    saved->set_index(island.index);
    SaveEvolutionState(*island.evolution, saved);
    SaveEvaluatorState(*island.evaluator, saved->mutable_evaluator());
    saved->set_migrants_received(island.migrants_received);
    saved->set_remote_migrants_received(island.remote_migrants_received);
    saved->set_train_budget_spent(island.train_budget_spent);
    saved->set_time_up(island.time_up);
    saved->set_round_steps_left(island.round_steps_left);
  }
  if (num_ranks() > 1) {
    // Rank 0 collects the others' islands; ranks hold ascending blocks, so rank order is
    // island order.
    std::vector<std::string> per_rank(num_ranks());
    if (comm_->rank() != 0) per_rank[0] = state.SerializeAsString();
    absl::StatusOr<std::vector<std::string>> received = comm_->AllToAll(per_rank);
    if (!received.ok()) return received.status();
    if (comm_->rank() != 0) return IslandSearchStateProto();
    for (int r = 1; r < num_ranks(); ++r) {
      IslandSearchStateProto theirs;
      if (!theirs.ParseFromString((*received)[r])) return ParseError("island states", r);
      for (IslandStateProto& island : *theirs.mutable_islands()) {
        *state.add_islands() = std::move(island);
      }
    }
  }
  SaveRng(migration_rng_.state(), state.mutable_migration_rng());
  state.set_planned(planned_);
  state.set_next_progress(next_progress_);
  state.set_next_migration(next_migration_);
  state.set_last_reported(last_reported_);
  state.set_round_target(round_target_);
  state.set_finished(finished_);
  return state;
}

void IslandSearch::RunSteps(Island& island, int64_t max_steps) {
  const ExperimentSpec& spec = *config_.spec;
  RegularizedEvolution& evolution = *island.evolution;
  const absl::Time round_start = absl::Now();
  const int64_t before = evolution.num_individuals();
  // Counted in a local: the islands of one vector share cache lines, and writing a field on
  // every step would bounce them between the threads.
  int64_t left = island.round_steps_left;
  for (; left > 0 && max_steps > 0; --left, --max_steps) {
    // A stop request keeps the steps left, so a resumed run takes exactly those.
    if (StopRequested()) break;
    if (island.evaluator->train_steps() >= island.train_step_cap) {
      left = 0;
      break;
    }
    // Reading the clock every 64 individuals keeps its cost out of the profile. The first
    // island to see the time is up stops this process's others too.
    if (spec.has_max_seconds() &&
        (time_up_.load(std::memory_order_relaxed) ||
         (evolution.num_individuals() % 64 == 0 && SecondsSince(start_) >= spec.max_seconds()))) {
      island.time_up = true;
      time_up_.store(true, std::memory_order_relaxed);
      left = 0;
      break;
    }
    evolution.Step();
  }
  island.round_steps_left = left;
  island.train_budget_spent = island.evaluator->train_steps() >= island.train_step_cap;
  const int64_t done = evolution.num_individuals() - before;
  if (done > 0) island.seconds_per_step = SecondsSince(round_start) / done;
}

void IslandSearch::RunRound() {
  const int n = static_cast<int>(islands_.size());
  const int threads = std::max(1, std::min(config_.num_threads, n));
  if (threads == 1) {
    for (Island& island : islands_) RunSteps(island, island.round_steps_left);
    return;
  }
  // Islands differ in speed (a population of diverging programs evaluates fast, one of good
  // learners slowly), and a round lasts until its slowest island is done. So threads take
  // islands in short pieces, always the one with the most work left that no other thread
  // holds: a slow island keeps one thread busy while the others share the rest. Pieces only
  // decide which thread runs which steps; each island's steps, hence results, are the same.
  struct Slot {
    int64_t left = 0;         // Steps left this round.
    double seconds_per_step;  // Estimate, updated after each piece; 0 before the first.
    bool busy = false;
    // Seconds left; an island not timed yet goes first, so that every island has an estimate
    // early in the round (the first round after a start or a resume).
    double work() const {
      return seconds_per_step > 0.0 ? left * seconds_per_step
                                    : std::numeric_limits<double>::infinity();
    }
  };
  std::vector<Slot> slots(n);
  for (int i = 0; i < n; ++i) {
    slots[i].left = islands_[i].round_steps_left;
    slots[i].seconds_per_step = islands_[i].seconds_per_step;
  }
  std::mutex mutex;
  std::condition_variable released;
  ParallelFor(threads, threads, [&](int) {
    std::unique_lock<std::mutex> lock(mutex);
    while (true) {
      int pick = -1;
      bool working = false;
      for (int i = 0; i < n; ++i) {
        if (slots[i].left == 0) continue;
        if (slots[i].busy) {
          working = true;
          continue;
        }
        if (pick < 0 || slots[i].work() > slots[pick].work()) pick = i;
      }
      if (pick < 0) {
        if (!working) return;  // Every island is done.
        released.wait(lock);
        continue;
      }
      // About 10 ms per piece: the lock is taken rarely, and threads rebalance often.
      Slot& slot = slots[pick];
      const int64_t target =
          slot.seconds_per_step > 0.0
              ? std::max<int64_t>(16, static_cast<int64_t>(0.01 / slot.seconds_per_step))
              : 256;
      const int64_t piece = std::min(target, slot.left);
      slot.busy = true;
      lock.unlock();
      Island& island = islands_[pick];
      RunSteps(island, piece);
      lock.lock();
      // A stop request leaves steps for a resumed run: this round ends here.
      slot.left = StopRequested() ? 0 : island.round_steps_left;
      if (island.seconds_per_step > 0.0) slot.seconds_per_step = island.seconds_per_step;
      slot.busy = false;
      released.notify_all();
    }
  });
}

absl::StatusOr<IslandSearch::RoundFlags> IslandSearch::GatherStatus(RoundFlags mine) {
  std::vector<IslandStatus> all;
  RoundFlags flags = mine;
  if (num_ranks() == 1) {
    for (const Island& island : islands_) all.push_back(StatusOf(island));
  } else {
    IslandStatusBatchProto batch_of_mine;
    for (const Island& island : islands_) *batch_of_mine.add_islands() = ToProto(StatusOf(island));
    batch_of_mine.set_stop_requested(mine.stop);
    batch_of_mine.set_checkpoint_due(mine.checkpoint);
    absl::StatusOr<std::vector<std::string>> gathered =
        comm_->AllGather(batch_of_mine.SerializeAsString());
    if (!gathered.ok()) return gathered.status();
    flags = RoundFlags{};
    for (int r = 0; r < static_cast<int>(gathered->size()); ++r) {
      IslandStatusBatchProto batch;
      if (!batch.ParseFromString((*gathered)[r])) return ParseError("island status", r);
      for (const IslandStatusProto& proto : batch.islands()) all.push_back(FromProto(proto));
      flags.stop |= batch.stop_requested();
      if (r == 0) flags.checkpoint = batch.checkpoint_due();
    }
    std::sort(all.begin(), all.end(),
              [](const IslandStatus& a, const IslandStatus& b) { return a.island < b.island; });
  }
  AUTOML_CHECK(static_cast<int>(all.size()) == config_.num_islands);
  status_ = std::move(all);
  totals_ = SumIslands(status_);
  return flags;
}

absl::Status IslandSearch::Migrate() {
  const MigrationSpec& spec = config_.spec->migration();
  const int num_islands = config_.num_islands;
  // Every rank draws the whole plan, so the shared RNG stays in step across ranks.
  const std::vector<std::vector<int>> destinations =
      MigrationDestinations(spec.topology(), num_islands, migration_rng_);
  const int my_rank = comm_->rank();

  std::vector<Migrant> arrivals;
  std::vector<MigrantBatchProto> outgoing(num_ranks());
  for (Island& island : islands_) {
    const int source = island.index;
    if (destinations[source].empty()) continue;
    const std::vector<Individual> emigrants =
        island.evolution->Emigrants(spec.num_emigrants(), spec.include_best());
    for (int dest : destinations[source]) {
      const int dest_rank = RankOfIsland(dest, num_islands, num_ranks());
      for (int seq = 0; seq < static_cast<int>(emigrants.size()); ++seq) {
        if (dest_rank == my_rank) {
          arrivals.push_back(Migrant{source, dest, seq, emigrants[seq]});
        } else {
          MigrantProto* proto = outgoing[dest_rank].add_migrants();
          proto->set_source_island(source);
          proto->set_dest_island(dest);
          proto->set_seq(seq);
          ToProto(emigrants[seq], proto->mutable_member());
        }
      }
    }
  }
  if (num_ranks() > 1) {
    std::vector<std::string> bytes(num_ranks());
    for (int r = 0; r < num_ranks(); ++r) {
      if (r != my_rank) bytes[r] = outgoing[r].SerializeAsString();
    }
    absl::StatusOr<std::vector<std::string>> received = comm_->AllToAll(bytes);
    if (!received.ok()) return received.status();
    for (int r = 0; r < num_ranks(); ++r) {
      if (r == my_rank) continue;
      MigrantBatchProto batch;
      if (!batch.ParseFromString((*received)[r])) return ParseError("migrants", r);
      for (const MigrantProto& proto : batch.migrants()) {
        absl::StatusOr<Individual> member = FromProto(proto.member());
        if (!member.ok()) {
          return absl::DataLossError(
              absl::StrCat("bad migrant from rank ", r, ": ", member.status().message()));
        }
        if (proto.dest_island() < range_.first || proto.dest_island() >= range_.last) {
          return absl::DataLossError(absl::StrCat("rank ", r, " sent a migrant for island ",
                                                  proto.dest_island(), ", not hosted here"));
        }
        arrivals.push_back(
            Migrant{proto.source_island(), proto.dest_island(), proto.seq(), *std::move(member)});
      }
    }
  }
  // The same order on every rank and thread count: by destination, then source, then seq.
  std::sort(arrivals.begin(), arrivals.end(), [](const Migrant& a, const Migrant& b) {
    return std::tie(a.dest, a.source, a.seq) < std::tie(b.dest, b.source, b.seq);
  });
  size_t next = 0;
  for (Island& island : islands_) {
    std::vector<Individual> members;
    for (; next < arrivals.size() && arrivals[next].dest == island.index; ++next) {
      const Migrant& migrant = arrivals[next];
      members.push_back(migrant.member);
      if (RankOfIsland(migrant.source, num_islands, num_ranks()) != my_rank) {
        ++island.remote_migrants_received;
      }
    }
    island.evolution->Immigrate(members);
    island.migrants_received += static_cast<int64_t>(members.size());
  }
  AUTOML_CHECK(next == arrivals.size());
  return absl::OkStatus();
}

absl::Status IslandSearch::Run(const std::function<void(const IslandTotals&)>& on_progress,
                               const RoundHooks& hooks) {
  const ExperimentSpec& spec = *config_.spec;
  const int num_islands = config_.num_islands;
  const int64_t progress_every = spec.progress_every_individuals();
  const bool migrate = num_islands > 1 && spec.migration().every_individuals() > 0;
  const int64_t migration_every = spec.migration().every_individuals() * num_islands;
  interrupted_ = false;

  // `planned_` is the total the islands reach when none has stopped early (train budget or
  // time); rounds end at planned totals, which depend only on the spec and island count. A
  // checkpoint saves this loop's variables, so a resumed run continues at the same point:
  // at a boundary, or inside the round a stop request interrupted.
  while (true) {
    if (round_target_ >= 0) {
      RunRound();
      RoundFlags mine;
      mine.stop = StopRequested() ||
                  std::any_of(islands_.begin(), islands_.end(),
                              [](const Island& island) { return island.round_steps_left > 0; });
      mine.checkpoint = comm_->rank() == 0 && hooks.checkpoint_due && hooks.checkpoint_due();
      absl::StatusOr<RoundFlags> flags = GatherStatus(mine);
      if (!flags.ok()) return flags.status();
      if (flags->stop) {
        interrupted_ = true;
        return absl::OkStatus();
      }
      planned_ = round_target_;
      round_target_ = -1;
      if (flags->checkpoint && hooks.checkpoint) {
        if (absl::Status s = hooks.checkpoint(); !s.ok()) return s;
      }
    }
    if (spec.has_max_individuals() && planned_ >= spec.max_individuals()) break;
    const bool all_spent = std::all_of(status_.begin(), status_.end(),
                                       [](const IslandStatus& s) { return s.train_budget_spent; });
    if (all_spent) break;
    if (std::any_of(status_.begin(), status_.end(),
                    [](const IslandStatus& s) { return s.time_up; })) {
      break;
    }
    if (planned_ >= next_progress_) {
      // A run resumed after reaching its limit has reported this boundary already.
      if (on_progress && last_reported_ != planned_) on_progress(totals_);
      last_reported_ = planned_;
      next_progress_ += progress_every;
    }
    if (migrate && planned_ >= next_migration_) {
      if (absl::Status s = Migrate(); !s.ok()) return s;
      next_migration_ += migration_every;
    }
    int64_t target = next_progress_;
    if (migrate) target = std::min(target, next_migration_);
    if (spec.has_max_individuals()) target = std::min(target, spec.max_individuals());
    target = std::max(target, planned_ + 1);
    for (Island& island : islands_) {
      island.round_steps_left = IslandShare(target, num_islands, island.index) -
                                IslandShare(planned_, num_islands, island.index);
    }
    round_target_ = target;
  }
  if (on_progress && last_reported_ != planned_) on_progress(totals_);
  last_reported_ = planned_;
  finished_ = true;
  return absl::OkStatus();
}

absl::StatusOr<Individual> IslandSearch::Best() {
  std::vector<std::pair<int, Individual>> bests;  // (island, best ever)
  if (num_ranks() == 1) {
    for (Island& island : islands_) bests.emplace_back(island.index, island.evolution->best_ever());
  } else {
    IslandStatusBatchProto mine;
    for (const Island& island : islands_) {
      IslandStatusProto* proto = mine.add_islands();
      proto->set_island(island.index);
      ToProto(island.evolution->best_ever(), proto->mutable_best());
    }
    absl::StatusOr<std::vector<std::string>> gathered = comm_->AllGather(mine.SerializeAsString());
    if (!gathered.ok()) return gathered.status();
    for (int r = 0; r < static_cast<int>(gathered->size()); ++r) {
      IslandStatusBatchProto batch;
      if (!batch.ParseFromString((*gathered)[r])) return ParseError("best programs", r);
      for (const IslandStatusProto& proto : batch.islands()) {
        absl::StatusOr<Individual> best = FromProto(proto.best());
        if (!best.ok()) {
          return absl::DataLossError(
              absl::StrCat("bad best program from rank ", r, ": ", best.status().message()));
        }
        bests.emplace_back(proto.island(), *std::move(best));
      }
    }
    std::sort(bests.begin(), bests.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
  }
  AUTOML_CHECK(!bests.empty());
  size_t best = 0;
  for (size_t i = 1; i < bests.size(); ++i) {
    if (IsBetter(bests[i].second.fitness, bests[best].second.fitness)) best = i;
  }
  best_island_ = bests[best].first;
  return bests[best].second;
}

}  // namespace automl

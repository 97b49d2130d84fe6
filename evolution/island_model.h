// The island model: several regularized-evolution populations ("islands") searching in
// parallel (OpenMP threads within a process, MPI ranks across processes) and exchanging members
// in synchronous migration rounds. Everything that shapes a result (the steps each island takes
// between rounds, who emigrates, where to, and the order arrivals are applied in) depends only
// on the seed and the island count, never on thread or rank timing, so a run gives the same
// result on 1 thread, 2 threads or 2 processes.
#ifndef EVOLUTION_ISLAND_MODEL_H_
#define EVOLUTION_ISLAND_MODEL_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "evolution/checkpoint.pb.h"
#include "evolution/experiment_spec.pb.h"
#include "evolution/mutator.h"
#include "evolution/regularized_evolution.h"
#include "evolution/search_evaluator.h"
#include "evolution/search_space.h"
#include "executor/executor.h"
#include "instructions/random.h"

namespace automl {

// Moves bytes between the processes that host the islands. Every call is collective: all
// ranks make the same calls in the same order. The island code never calls it with a single
// rank, so a one-process run pays nothing for it.
class IslandComm {
 public:
  virtual ~IslandComm() = default;
  virtual int rank() const = 0;  // Rank 0 runs the select and final evaluations.
  virtual int num_ranks() const = 0;
  // Every rank's `bytes`, in rank order.
  virtual absl::StatusOr<std::vector<std::string>> AllGather(const std::string& bytes) = 0;
  // Sends per_rank[r] to rank r; returns what every rank sent to this one, in rank order.
  virtual absl::StatusOr<std::vector<std::string>> AllToAll(
      const std::vector<std::string>& per_rank) = 0;
};

// Rank 0's `value`, on every rank (collective).
absl::StatusOr<double> BroadcastFromRoot(IslandComm& comm, double value);

// The single-process case: one rank that hosts every island.
class LocalIslandComm final : public IslandComm {
 public:
  int rank() const override { return 0; }
  int num_ranks() const override { return 1; }
  absl::StatusOr<std::vector<std::string>> AllGather(const std::string& bytes) override {
    return std::vector<std::string>{bytes};
  }
  absl::StatusOr<std::vector<std::string>> AllToAll(
      const std::vector<std::string>& per_rank) override {
    return per_rank;
  }
};

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

// The destination islands of every source island's emigrants in one round. RANDOM_ISLAND
// draws one other island per source from `rng`, in source order, so every rank that holds an
// identically seeded `rng` computes the same plan.
std::vector<std::vector<int>> MigrationDestinations(MigrationTopology topology, int num_islands,
                                                    Rng& rng);

// Checks the island settings of a run: the island count (spec or --islands), the migration
// spec, and the number of processes. One line naming the field, like the spec validation.
absl::Status ValidateIslandSettings(const ExperimentSpec& spec, int num_islands, int num_ranks);

// Runs body(i) for every i in [0, n) on up to `num_threads` threads. OpenMP normally; under
// ThreadSanitizer std::thread instead, because libgomp is not TSan-instrumented (its barriers
// look like races) and .bazelrc's tsan config pins OpenMP to one thread. Either way the island
// code runs on several threads, so `bazel test --config=tsan` checks it for races.
void ParallelFor(int n, int num_threads, const std::function<void(int)>& body);

// Threads to use for num_threads <= 0: OpenMP's default (OMP_NUM_THREADS, else all cores).
int DefaultThreadCount();

// One island. Everything its future depends on is here: population (in age order, with the
// position of the oldest), RNG state, best ever, counters and the evaluator's FEC and hurdle
// state; checkpoints save and restore this struct.
struct Island {
  int index = 0;  // Global island index.
  std::unique_ptr<SearchEvaluator> evaluator;
  std::unique_ptr<RegularizedEvolution> evolution;
  int64_t train_step_cap = std::numeric_limits<int64_t>::max();  // Its share of the limit.
  int64_t migrants_received = 0;
  int64_t remote_migrants_received = 0;  // From islands on other ranks.
  bool train_budget_spent = false;
  bool time_up = false;
  // Steps still to take in the current round; non-zero between rounds only when a stop
  // request interrupted the round (a checkpoint then saves it, and a resumed run finishes it).
  int64_t round_steps_left = 0;
  // Wall time of its last round, per individual: only orders the islands for the threads
  // (slowest first), never affects results, and need not be saved.
  double seconds_per_step = 0.0;
};

// One island's counters at a round boundary; gathered from every rank.
struct IslandStatus {
  int island = 0;
  int64_t individuals = 0;
  int64_t train_steps = 0;
  double best_fitness = 0.0;
  double mean_fitness = 0.0;
  int64_t fec_lookups = 0;
  int64_t fec_hits = 0;
  int64_t hurdle_checks = 0;
  int64_t hurdle_cuts = 0;
  int64_t migrants_received = 0;
  int64_t remote_migrants_received = 0;
  bool train_budget_spent = false;
  bool time_up = false;
};

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
IslandTotals SumIslands(const std::vector<IslandStatus>& islands);

struct IslandSearchConfig {
  const ExperimentSpec* spec = nullptr;  // Validated, including ValidateIslandSettings.
  const SearchSpace* space = nullptr;
  const Mutator* mutator = nullptr;
  const Executor* search_executor = nullptr;  // Each local island evaluates on a Clone.
  SearchEvaluatorOptions evaluator_options;
  uint64_t experiment_seed = 0;
  int num_islands = 1;
  int num_threads = 1;
  IslandComm* comm = nullptr;  // Null: this process hosts every island.
  // Warm start: each island's initial population begins with these programs (already fitted
  // to the space; at most population_size), the rest is made as the spec says. May be null.
  const std::vector<Program>* seed_programs = nullptr;
  // When set (e.g. by a SIGINT handler), every island stops after the evaluation in flight and
  // Run returns with interrupted() true. Every rank stops when any rank's flag is set.
  const std::atomic<bool>* stop_requested = nullptr;
};

// Checkpointing hooks of IslandSearch::Run; both may be empty.
struct RoundHooks {
  // Asked on rank 0 at the end of every round: should a checkpoint be written now?
  std::function<bool()> checkpoint_due;
  // Called on every rank at the round boundary where rank 0 said yes (SaveState is collective).
  std::function<absl::Status()> checkpoint;
};

// One experiment's search over all islands. Typical use: Create, Run, Best.
class IslandSearch {
 public:
  // Builds this rank's islands and evaluates their initial populations.
  static absl::StatusOr<std::unique_ptr<IslandSearch>> Create(const IslandSearchConfig& config,
                                                              absl::Time start);

  // Rebuilds a search from SaveState's output (every rank passes the whole state and takes its
  // own islands, so the process count may differ from the saved run's; the island count may
  // not). The config's stopping limits may differ from the saved run's: an island stopped by
  // the train budget or the time goes on if the new limit allows more. `start` should be
  // `elapsed` seconds before now, so that max_seconds counts the time before the checkpoint.
  static absl::StatusOr<std::unique_ptr<IslandSearch>> Restore(const IslandSearchConfig& config,
                                                               absl::Time start,
                                                               const IslandSearchStateProto& state);

  // Every island's state and the round bookkeeping, at a round boundary or (after a stop
  // request) mid-round. Collective; the whole state on rank 0, an empty proto elsewhere.
  absl::StatusOr<IslandSearchStateProto> SaveState();

  // Evolves until a stopping limit; calls `on_progress` every progress_every_individuals
  // (over all islands) and once at the end, on every rank with identical totals.
  absl::Status Run(const std::function<void(const IslandTotals&)>& on_progress,
                   const RoundHooks& hooks = RoundHooks{});
  // True after Run returned because of a stop request (not a stopping limit). Run may be
  // called again (or the search restored from SaveState) to continue.
  bool interrupted() const { return interrupted_; }

  // The best-ever member over all islands (ties go to the lower island), on every rank.
  absl::StatusOr<Individual> Best();
  int best_island() const { return best_island_; }

  // Totals as of the last round boundary.
  const IslandTotals& totals() const { return totals_; }
  // This rank's islands (for tests and measurement tools).
  std::vector<Island>& local_islands() { return islands_; }

  // One migration round, as Run does every migration.every_individuals per island. Public
  // for tests.
  absl::Status Migrate();

 private:
  IslandSearch(const IslandSearchConfig& config, absl::Time start);
  // What every rank contributes at the end of a round, exchanged with the status.
  struct RoundFlags {
    bool stop = false;        // A stop request (any rank's counts).
    bool checkpoint = false;  // Rank 0's checkpoint_due (only rank 0's counts).
  };
  // Up to `max_steps` of the island's round_steps_left.
  void RunSteps(Island& island, int64_t max_steps);
  // Every local island's round_steps_left, on config_.num_threads threads (see the .cc).
  void RunRound();
  absl::StatusOr<RoundFlags> GatherStatus(RoundFlags mine);
  absl::StatusOr<RoundFlags> GatherStatus() { return GatherStatus(RoundFlags()); }
  bool StopRequested() const {
    return config_.stop_requested != nullptr &&
           config_.stop_requested->load(std::memory_order_relaxed);
  }
  int num_ranks() const { return comm_->num_ranks(); }

  IslandSearchConfig config_;
  LocalIslandComm local_comm_;
  IslandComm* comm_;
  absl::Time start_;
  IslandRange range_;
  std::vector<Island> islands_;       // This rank's, in global order.
  Rng migration_rng_;                 // Same stream on every rank (RANDOM_ISLAND destinations).
  std::vector<IslandStatus> status_;  // Every island's, as of the last boundary.
  std::atomic<bool> time_up_{false};  // Set by the first local island past max_seconds.
  IslandTotals totals_;
  int best_island_ = -1;
  // Where Run stands (saved in checkpoints): individuals over all islands at the last round
  // boundary as planned, the next progress line and migration, the boundary of the last
  // progress line (-1: none), and the end of the round in progress (-1: none).
  int64_t planned_ = 0;
  int64_t next_progress_ = 0;
  int64_t next_migration_ = 0;
  int64_t last_reported_ = -1;
  int64_t round_target_ = -1;
  bool interrupted_ = false;
  bool finished_ = false;
};

}  // namespace automl

#endif  // EVOLUTION_ISLAND_MODEL_H_

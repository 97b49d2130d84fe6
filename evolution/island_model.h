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
};

// One experiment's search over all islands. Typical use: Create, Run, Best.
class IslandSearch {
 public:
  // Builds this rank's islands and evaluates their initial populations.
  static absl::StatusOr<std::unique_ptr<IslandSearch>> Create(const IslandSearchConfig& config,
                                                              absl::Time start);

  // Evolves until a stopping limit; calls `on_progress` every progress_every_individuals
  // (over all islands) and once at the end, on every rank with identical totals.
  absl::Status Run(const std::function<void(const IslandTotals&)>& on_progress);

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
  void RunSteps(Island& island, int64_t steps);
  absl::Status GatherStatus();
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
};

}  // namespace automl

#endif  // EVOLUTION_ISLAND_MODEL_H_

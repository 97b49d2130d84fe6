// The island model: several regularized-evolution populations ("islands") searching in
// parallel (OpenMP threads within a process, MPI ranks across processes) and exchanging members
// in synchronous migration rounds. Everything that shapes a result (the steps each island takes
// between rounds, who emigrates, where to, and the order arrivals are applied in) depends only
// on the seed and the island count, never on thread or rank timing, so a run gives the same
// result on 1 thread, 2 threads or 2 processes. IslandSearch runs the rounds; the pieces it
// orchestrates are in island_comm.h, island_partition.h, island_scheduler.h, island_status.h
// and migration.h.
#ifndef EVOLUTION_ISLAND_MODEL_H_
#define EVOLUTION_ISLAND_MODEL_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "evolution/checkpoint.pb.h"
#include "evolution/early_stop.h"
#include "evolution/experiment_spec.pb.h"
#include "evolution/island.h"
#include "evolution/island_comm.h"
#include "evolution/island_partition.h"
#include "evolution/island_status.h"
#include "evolution/mutator.h"
#include "evolution/regularized_evolution.h"
#include "evolution/search_evaluator.h"
#include "evolution/search_space.h"
#include "evolution/selection.h"
#include "executor/executor.h"
#include "instructions/random.h"
// What a caller needs before creating an IslandSearch: the settings check the config asks
// for, and the thread count for num_threads.
#include "evolution/island_scheduler.h"
#include "evolution/island_settings.h"

namespace automl {

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
  // Warm start: copies of these programs (already fitted to the space; at most
  // population_size), in turn, fill each island's initial population. Null or empty: the
  // population is made as the spec's initial_population says.
  const std::vector<Program>* seed_programs = nullptr;
  // When set (e.g. by a SIGINT handler), every island stops after the evaluation in flight and
  // Run returns with interrupted() true. Every rank stops when any rank's flag is set.
  const std::atomic<bool>* stop_requested = nullptr;
  // Rotating search tasks (the spec's rotate_search_tasks_every_individuals > 0; required
  // then): an executor on the search tasks of rotation r >= 1, with search_executor's options.
  // IslandSearchParts::Config sets it.
  std::function<absl::StatusOr<std::unique_ptr<Executor>>(int rotation)> rotated_search_executor;
};

// Hooks of IslandSearch::Run; each may be empty.
struct RoundHooks {
  // Asked on rank 0 at the end of every round: should a checkpoint be written now?
  std::function<bool()> checkpoint_due;
  // Called on every rank at the round boundary where rank 0 said yes (SaveState is collective).
  std::function<absl::Status()> checkpoint;
  // The sufficient-fitness test of the early-stop checks (early_stop.h), called on every rank
  // at a check that sees a new best (it may call Best()).
  BestSufficesFn best_suffices;
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

  // The best-ever member over all islands by the spec's selection order (ties go to the lower
  // island), on every rank.
  absl::StatusOr<Individual> Best();
  // PARETO (collective): every island's archive merged into one front (MergeFront), on every
  // rank; empty in other modes.
  absl::StatusOr<std::vector<Individual>> ParetoFront();
  int best_island() const { return best_island_; }
  // How many times the search tasks have changed (0: still the spec's).
  int search_tasks_rotation() const { return rotation_; }
  // Why Run ended before the limits, if an early-stop check ended it.
  EarlyStopReason early_stop() const { return early_stop_.stopped(); }

  // Totals as of the last round boundary.
  const IslandTotals& totals() const { return totals_; }
  // This rank's islands (for tests and measurement tools).
  std::vector<Island>& local_islands() { return islands_; }

  // One migration round, as Run does every migration.every_individuals per island. Public
  // for tests.
  absl::Status Migrate();
  // The next rotation of the search tasks, as Run does every
  // rotate_search_tasks_every_individuals: every island moves to the new tasks and re-scores
  // its members (RegularizedEvolution::Rescore). Public for tests.
  absl::Status RotateSearchTasks();

 private:
  IslandSearch(const IslandSearchConfig& config, absl::Time start);
  // Island `index` with a fresh evaluator and evolution, before its population exists.
  Island MakeIsland(int index) const;
  // Up to `max_steps` of the island's round_steps_left.
  void RunSteps(Island& island, int64_t max_steps);
  // Every local island's round_steps_left, on config_.num_threads threads (ScheduleRound).
  void RunRound();
  // Runs the planned round and gathers the status; false when a stop request ended it.
  absl::StatusOr<bool> FinishRound(const RoundHooks& hooks);
  // Whether a stopping limit (individuals, train budget, time) was reached, or an early stop.
  bool LimitReached() const;
  // Gives every local island its steps up to the next progress line, migration or limit.
  void PlanRound();
  // Every island's status into status_ and totals_; returns the combined flags.
  absl::StatusOr<RoundFlags> UpdateStatus(RoundFlags mine = RoundFlags());
  bool StopRequested() const {
    return config_.stop_requested != nullptr &&
           config_.stop_requested->load(std::memory_order_relaxed);
  }
  int num_ranks() const { return comm_->num_ranks(); }
  bool rotates() const { return config_.spec->rotate_search_tasks_every_individuals() > 0; }
  bool migrates() const {
    return config_.num_islands > 1 && config_.spec->migration().every_individuals() > 0;
  }

  IslandSearchConfig config_;
  Selection selection_;  // The spec's.
  LocalIslandComm local_comm_;
  IslandComm* comm_;
  absl::Time start_;
  IslandRange range_;
  std::vector<Island> islands_;  // This rank's, in global order.
  Rng migration_rng_;            // Same stream on every rank (RANDOM_ISLAND destinations).
  std::vector<IslandStatusProto> status_;  // Every island's, as of the last boundary.
  std::atomic<bool> time_up_{false};       // Set by the first local island past max_seconds.
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
  // Rotating search tasks: the current rotation and the planned total of the next.
  int rotation_ = 0;
  int64_t next_rotation_ = 0;
  EarlyStopChecks early_stop_;
  bool interrupted_ = false;
  bool finished_ = false;
};

}  // namespace automl

#endif  // EVOLUTION_ISLAND_MODEL_H_

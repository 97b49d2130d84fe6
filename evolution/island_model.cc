#include "evolution/island_model.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "evolution/checkpoint.h"
#include "evolution/generator.h"
#include "evolution/migration.h"
#include "evolution/pareto_front.h"
#include "instructions/check.h"
#include "instructions/status_macros.h"

namespace automl {
namespace {

// DeriveSeed stream of the migration plan; far above any island index.
constexpr uint64_t kMigrationStream = 1ULL << 40;

double SecondsSince(absl::Time start) { return absl::ToDoubleSeconds(absl::Now() - start); }

// The island's initial population. Warm-started: copies of the seed programs, in turn, fill
// it. (Regularized evolution replaces its oldest member first, so a seed placed among other
// initial programs was the first to go, usually before it had a child.) Otherwise: programs
// made as the spec says from the island's own RNG (so they do not depend on which thread
// builds them).
absl::Status InitializeIsland(const IslandSearchConfig& config, Island& island) {
  const ExperimentSpec& spec = *config.spec;
  std::vector<Program> initial;
  initial.reserve(spec.population_size());
  if (config.seed_programs != nullptr && !config.seed_programs->empty()) {
    const std::vector<Program>& seeds = *config.seed_programs;
    AUTOML_CHECK(static_cast<int>(seeds.size()) <= spec.population_size());
    for (int k = 0; k < spec.population_size(); ++k) initial.push_back(seeds[k % seeds.size()]);
  } else {
    for (int k = 0; k < spec.population_size(); ++k) {
      ASSIGN_OR_RETURN(Program program, InitialProgram(spec.initial_population(), *config.space,
                                                       island.evolution->rng()));
      initial.push_back(std::move(program));
    }
  }
  island.evolution->Initialize(initial);
  return absl::OkStatus();
}

void SaveIsland(const Island& island, IslandStateProto* saved) {
  saved->set_index(island.index);
  SaveEvolutionState(*island.evolution, saved);
  SaveEvaluatorState(*island.evaluator, saved->mutable_evaluator());
  saved->set_migrants_received(island.migrants_received);
  saved->set_remote_migrants_received(island.remote_migrants_received);
  saved->set_train_budget_spent(island.train_budget_spent);
  saved->set_time_up(island.time_up);
  saved->set_round_steps_left(island.round_steps_left);
}

// `time_left`: whether a new, larger time limit lets an island stopped by the time go on.
absl::Status RestoreIsland(const IslandStateProto& saved, bool time_left, Island& island) {
  const int g = island.index;
  if (saved.index() != g) {
    return absl::DataLossError(
        absl::StrCat("the checkpoint's island ", g, " is stored as island ", saved.index()));
  }
  const auto with_island = [g](const absl::Status& s) {
    return absl::Status(s.code(), absl::StrCat("checkpoint island ", g, ": ", s.message()));
  };
  if (absl::Status s = RestoreEvolutionState(saved, *island.evolution); !s.ok()) {
    return with_island(s);
  }
  if (absl::Status s = RestoreEvaluatorState(saved.evaluator(), *island.evaluator); !s.ok()) {
    return with_island(s);
  }
  island.migrants_received = saved.migrants_received();
  island.remote_migrants_received = saved.remote_migrants_received();
  island.train_budget_spent = island.evaluator->train_steps() >= island.train_step_cap;
  island.time_up = saved.time_up() && !time_left;
  island.round_steps_left = saved.round_steps_left();
  return absl::OkStatus();
}

}  // namespace

IslandSearch::IslandSearch(const IslandSearchConfig& config, absl::Time start)
    : config_(config),
      selection_(Selection::FromSpec(config.spec->objectives())),
      comm_(config.comm != nullptr ? config.comm : &local_comm_),
      start_(start),
      range_(IslandsOfRank(config.num_islands, comm_->num_ranks(), comm_->rank())),
      migration_rng_(DeriveSeed(config.experiment_seed, kMigrationStream)),
      early_stop_(*config.spec) {
  // Rounds end at planned totals, which depend only on the spec and the island count.
  const ExperimentSpec& spec = *config.spec;
  planned_ = static_cast<int64_t>(config.num_islands) * spec.population_size();
  next_progress_ = spec.progress_every_individuals();
  next_migration_ = planned_ + spec.migration().every_individuals() * config.num_islands;
  next_rotation_ = spec.rotate_search_tasks_every_individuals();
  AUTOML_CHECK(!rotates() || config.rotated_search_executor);
}

Island IslandSearch::MakeIsland(int index) const {
  const ExperimentSpec& spec = *config_.spec;
  Island island;
  island.index = index;
  island.evaluator = std::make_unique<SearchEvaluator>(config_.search_executor->Clone(),
                                                       config_.evaluator_options);
  island.evolution = std::make_unique<RegularizedEvolution>(
      spec.population_size(), spec.tournament_size(), island.evaluator.get(), config_.mutator,
      IslandSeed(config_.experiment_seed, index), selection_);
  if (spec.has_max_train_steps()) {
    island.train_step_cap = IslandShare(spec.max_train_steps(), config_.num_islands, index);
  }
  return island;
}

absl::StatusOr<std::unique_ptr<IslandSearch>> IslandSearch::Create(const IslandSearchConfig& config,
                                                                   absl::Time start) {
  std::unique_ptr<IslandSearch> search(new IslandSearch(config, start));
  for (int g = search->range_.first; g < search->range_.last; ++g) {
    search->islands_.push_back(search->MakeIsland(g));
  }
  // Errors (a hand-written program that does not fit) are the same on every island and every
  // rank, so every rank returns the same error and none waits for another.
  const int local = static_cast<int>(search->islands_.size());
  std::vector<absl::Status> errors(local);
  ParallelFor(local, config.num_threads,
              [&](int i) { errors[i] = InitializeIsland(config, search->islands_[i]); });
  for (const absl::Status& error : errors) RETURN_IF_ERROR(error);
  RETURN_IF_ERROR(search->UpdateStatus());
  return search;
}

absl::StatusOr<std::unique_ptr<IslandSearch>> IslandSearch::Restore(
    const IslandSearchConfig& config, absl::Time start, const IslandSearchStateProto& state) {
  const ExperimentSpec& spec = *config.spec;
  if (state.islands_size() != config.num_islands) {
    return absl::InvalidArgumentError(absl::StrCat("the checkpoint has ", state.islands_size(),
                                                   " islands but this run has ",
                                                   config.num_islands));
  }
  std::unique_ptr<IslandSearch> search(new IslandSearch(config, start));
  search->rotation_ = state.search_tasks_rotation();
  if (search->rotation_ < 0) {
    return absl::DataLossError(
        absl::StrCat("the checkpoint's search tasks rotation is ", search->rotation_));
  }
  if (search->rotation_ > 0 && !search->rotates()) {
    return absl::InvalidArgumentError(
        "the checkpoint's search tasks rotated, but this spec's "
        "rotate_search_tasks_every_individuals is 0");
  }
  std::unique_ptr<Executor> rotated;
  if (search->rotation_ > 0) {
    ASSIGN_OR_RETURN(rotated, config.rotated_search_executor(search->rotation_));
  }
  const bool time_left = !spec.has_max_seconds() || SecondsSince(start) < spec.max_seconds();
  for (int g = search->range_.first; g < search->range_.last; ++g) {
    Island island = search->MakeIsland(g);
    if (rotated) island.evaluator->SwitchTasks(rotated->Clone(), search->rotation_);
    RETURN_IF_ERROR(RestoreIsland(state.islands(g), time_left, island));
    search->islands_.push_back(std::move(island));
  }
  ASSIGN_OR_RETURN(const Rng::State migration_rng, RestoreRng(state.migration_rng()));
  search->migration_rng_.set_state(migration_rng);
  search->planned_ = state.planned();
  search->next_progress_ = state.next_progress();
  search->next_migration_ = state.next_migration();
  search->last_reported_ = state.last_reported();
  search->round_target_ = state.round_target();
  search->early_stop_.Restore(state.early_stop());
  if (search->rotates()) {
    // A checkpoint of a run without rotation: the first rotation is the next multiple.
    const int64_t every = spec.rotate_search_tasks_every_individuals();
    search->next_rotation_ = state.has_next_rotation() && state.next_rotation() > 0
                                 ? state.next_rotation()
                                 : (state.planned() / every + 1) * every;
  }
  RETURN_IF_ERROR(search->UpdateStatus());
  return search;
}

absl::StatusOr<IslandSearchStateProto> IslandSearch::SaveState() {
  IslandSearchStateProto state;
  for (const Island& island : islands_) SaveIsland(island, state.add_islands());
  if (num_ranks() > 1) {
    // Rank 0 collects the others' islands; ranks hold ascending blocks, so rank order is
    // island order.
    std::vector<std::string> per_rank(num_ranks());
    if (comm_->rank() != 0) per_rank[0] = state.SerializeAsString();
    ASSIGN_OR_RETURN(const std::vector<std::string> received, comm_->AllToAll(per_rank));
    if (comm_->rank() != 0) return IslandSearchStateProto();
    for (int r = 1; r < num_ranks(); ++r) {
      IslandSearchStateProto theirs;
      if (!theirs.ParseFromString(received[r])) return ReceivedParseError("island states", r);
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
  *state.mutable_early_stop() = early_stop_.state();
  state.set_search_tasks_rotation(rotation_);
  state.set_next_rotation(next_rotation_);
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
  std::vector<IslandWork> work(islands_.size());
  for (size_t i = 0; i < islands_.size(); ++i) {
    work[i] = IslandWork{islands_[i].round_steps_left, islands_[i].seconds_per_step};
  }
  ScheduleRound(std::move(work), config_.num_threads, [this](int i, int64_t max_steps) {
    Island& island = islands_[i];
    RunSteps(island, max_steps);
    // A stop request leaves steps for a resumed run: this round ends here.
    return IslandWork{StopRequested() ? 0 : island.round_steps_left, island.seconds_per_step};
  });
}

absl::StatusOr<RoundFlags> IslandSearch::UpdateStatus(RoundFlags mine) {
  ASSIGN_OR_RETURN(GatheredStatus gathered, GatherStatus(*comm_, islands_, mine));
  AUTOML_CHECK(static_cast<int>(gathered.islands.size()) == config_.num_islands);
  status_ = std::move(gathered.islands);
  totals_ = SumIslands(status_);
  return gathered.flags;
}

absl::Status IslandSearch::Migrate() {
  return MigrateIslands(config_.spec->migration(), config_.num_islands, migration_rng_, *comm_,
                        islands_);
}

absl::Status IslandSearch::RotateSearchTasks() {
  ASSIGN_OR_RETURN(const std::unique_ptr<Executor> executor,
                   config_.rotated_search_executor(rotation_ + 1));
  ++rotation_;
  // Clones first (one thread), then every island re-scores its members on its own thread.
  for (Island& island : islands_) island.evaluator->SwitchTasks(executor->Clone(), rotation_);
  ParallelFor(static_cast<int>(islands_.size()), config_.num_threads,
              [this](int i) { islands_[i].evolution->Rescore(); });
  early_stop_.SearchTasksChanged();
  return UpdateStatus().status();
}

absl::StatusOr<bool> IslandSearch::FinishRound(const RoundHooks& hooks) {
  RunRound();
  RoundFlags mine;
  mine.stop = StopRequested() ||
              std::any_of(islands_.begin(), islands_.end(),
                          [](const Island& island) { return island.round_steps_left > 0; });
  mine.checkpoint = comm_->rank() == 0 && hooks.checkpoint_due && hooks.checkpoint_due();
  ASSIGN_OR_RETURN(const RoundFlags flags, UpdateStatus(mine));
  if (flags.stop) return false;
  planned_ = round_target_;
  round_target_ = -1;
  if (flags.checkpoint && hooks.checkpoint) RETURN_IF_ERROR(hooks.checkpoint());
  return true;
}

bool IslandSearch::LimitReached() const {
  const ExperimentSpec& spec = *config_.spec;
  if (spec.has_max_individuals() && planned_ >= spec.max_individuals()) return true;
  if (early_stop_.stopped() != NOT_STOPPED_EARLY) return true;
  if (std::all_of(status_.begin(), status_.end(),
                  [](const IslandStatusProto& s) { return s.train_budget_spent(); })) {
    return true;
  }
  return std::any_of(status_.begin(), status_.end(),
                     [](const IslandStatusProto& s) { return s.time_up(); });
}

void IslandSearch::PlanRound() {
  const ExperimentSpec& spec = *config_.spec;
  int64_t target = next_progress_;
  if (migrates()) target = std::min(target, next_migration_);
  if (early_stop_.active()) target = std::min(target, early_stop_.next_check());
  if (rotates()) target = std::min(target, next_rotation_);
  if (spec.has_max_individuals()) target = std::min(target, spec.max_individuals());
  target = std::max(target, planned_ + 1);
  for (Island& island : islands_) {
    island.round_steps_left = IslandShare(target, config_.num_islands, island.index) -
                              IslandShare(planned_, config_.num_islands, island.index);
  }
  round_target_ = target;
}

absl::Status IslandSearch::Run(const std::function<void(const IslandTotals&)>& on_progress,
                               const RoundHooks& hooks) {
  const ExperimentSpec& spec = *config_.spec;
  interrupted_ = false;
  early_stop_.set_best_suffices(hooks.best_suffices);
  // `planned_` is the total the islands reach when none has stopped early (train budget or
  // time); rounds end at planned totals, which depend only on the spec and island count. A
  // checkpoint saves this loop's variables, so a resumed run continues at the same point:
  // at a boundary, or inside the round a stop request interrupted.
  while (true) {
    if (round_target_ >= 0) {
      ASSIGN_OR_RETURN(const bool completed, FinishRound(hooks));
      if (!completed) {
        interrupted_ = true;
        return absl::OkStatus();
      }
    }
    if (LimitReached()) break;
    if (planned_ >= next_progress_) {
      // A run resumed after reaching its limit has reported this boundary already.
      if (on_progress && last_reported_ != planned_) on_progress(totals_);
      last_reported_ = planned_;
      next_progress_ += spec.progress_every_individuals();
    }
    ASSIGN_OR_RETURN(const bool stop_early, early_stop_.AtBoundary(planned_, totals_.best_fitness));
    if (stop_early) break;
    if (migrates() && planned_ >= next_migration_) {
      RETURN_IF_ERROR(Migrate());
      next_migration_ += spec.migration().every_individuals() * config_.num_islands;
    }
    // After migration, so that every member, arrivals included, is re-scored on the new tasks.
    if (rotates() && planned_ >= next_rotation_) {
      RETURN_IF_ERROR(RotateSearchTasks());
      next_rotation_ += spec.rotate_search_tasks_every_individuals();
    }
    PlanRound();
  }
  if (on_progress && last_reported_ != planned_) on_progress(totals_);
  last_reported_ = planned_;
  finished_ = true;
  return absl::OkStatus();
}

absl::StatusOr<Individual> IslandSearch::Best() {
  ASSIGN_OR_RETURN(const std::vector<IslandBest> bests, GatherBestMembers(*comm_, islands_));
  AUTOML_CHECK(!bests.empty());
  size_t best = 0;
  for (size_t i = 1; i < bests.size(); ++i) {
    if (selection_.IsBetter(bests[i].best.fitness, bests[best].best.fitness)) best = i;
  }
  best_island_ = bests[best].island;
  return bests[best].best;
}

absl::StatusOr<std::vector<Individual>> IslandSearch::ParetoFront() {
  if (selection_.mode() != SelectionMode::kPareto) return std::vector<Individual>();
  ASSIGN_OR_RETURN(const std::vector<Individual> members, GatherArchives(*comm_, islands_));
  std::vector<Individual> front;
  for (int i : MergeFront(selection_, members)) front.push_back(members[i]);
  return front;
}

}  // namespace automl

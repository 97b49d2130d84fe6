// Tests of the island model: results independent of the thread count and of how islands are
// spread over processes, one island equal to plain regularized evolution, migration plans and
// arrivals, stopping limits over all islands, and the island settings' validation. Under
// `--config=tsan` the multi-threaded tests run the island code on two std::threads (see
// ParallelFor) and two in-process "ranks", so ThreadSanitizer checks it.
#include <algorithm>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "evolution/experiment.h"
#include "evolution/experiment_setup.h"
#include "evolution/experiment_spec.h"
#include "evolution/generator.h"
#include "evolution/island_comm.h"
#include "evolution/island_model.h"
#include "evolution/island_partition.h"
#include "evolution/island_settings.h"
#include "evolution/migration.h"
#include "evolution/mutator.h"
#include "evolution/regularized_evolution.h"
#include "evolution/search_evaluator.h"
#include "evolution/seed_programs.h"
#include "evolution/selection.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "instructions/standard_programs.h"
#include "tasks/task_registry.h"
#include "tasks/task_spec.pb.h"
#include "tests/test_specs.h"
#include "tests/test_util.h"

namespace automl {
namespace {

using ::testing::HasSubstr;

// A small search (2 tasks of 20 + 20 examples, populations of 20) that still improves within
// a few thousand individuals. SmallSpec adds the tasks, functions, islands, limit and migration.
constexpr char kSmallSettings[] = R"pb(
  num_scalars: 4
  num_vectors: 3
  num_matrices: 0
  initial_population: RANDOM_PROGRAMS
  population_size: 20
  tournament_size: 4
  mutate_prob: 0.9
  mutation_types: [ ALTER_PARAM, RANDOMIZE_INSTRUCTION, RANDOMIZE_FUNCTION ]
  fec { num_train_examples: 5 num_valid_examples: 5 cache_size: 1000 }
  progress_every_individuals: 150
)pb";

// Two scrambled linear regression tasks at F = 4 of 20 + 20 examples; seed 0 sets no seeds (the
// select tasks get fresh ones per experiment).
TaskCollection LinearTasks(uint64_t seed) {
  TaskCollection tasks;
  TaskSpec& task = *tasks.add_tasks();
  task.mutable_scrambled_linear_regression();
  task.set_feature_size(4);
  task.set_num_train_examples(20);
  task.set_num_valid_examples(20);
  task.set_num_tasks(2);
  if (seed != 0) {
    task.add_data_seeds(seed);
    task.add_param_seeds(seed);
  }
  return tasks;
}

ExperimentSpec SmallSpec(int islands, int64_t max_individuals,
                         const std::string& migration = "every_individuals: 60 num_emigrants: 2") {
  ExperimentSpec spec = ParseTextOrDie<ExperimentSpec>(kSmallSettings);
  *spec.mutable_search_tasks() = LinearTasks(11);
  *spec.mutable_select_tasks() = LinearTasks(0);
  *spec.mutable_final_tasks() = LinearTasks(99);
  *spec.mutable_setup() = LinearDemoFunction(/*initial_size=*/4);
  *spec.mutable_predict() = LinearDemoFunction(/*initial_size=*/2);
  *spec.mutable_learn() = LinearDemoFunction(/*initial_size=*/4);
  spec.set_num_islands(islands);
  spec.set_max_individuals(max_individuals);
  *spec.mutable_migration() = ParseTextOrDie<MigrationSpec>(migration);
  ExpectValidSpec(spec);
  return spec;
}

SearchResult Search(const ExperimentSpec& spec, int threads, uint64_t seed = 7,
                    IslandComm* comm = nullptr, int experiments = 1) {
  SearchOptions options;
  options.random_seed = seed;
  options.max_experiments = experiments;
  options.num_threads = threads;
  options.comm = comm;
  absl::StatusOr<SearchResult> result = RunSearch(spec, options);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *std::move(result) : SearchResult{};
}

// Everything in a progress record except wall-clock time.
void ExpectSameProgress(const std::vector<ProgressRecord>& a,
                        const std::vector<ProgressRecord>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    SCOPED_TRACE(absl::StrCat("progress record ", i));
    EXPECT_EQ(a[i].individuals, b[i].individuals);
    EXPECT_EQ(a[i].best_fitness, b[i].best_fitness);
    EXPECT_EQ(a[i].mean_fitness, b[i].mean_fitness);
    EXPECT_EQ(a[i].fec_hit_rate, b[i].fec_hit_rate);
    EXPECT_EQ(a[i].hurdle_cut_rate, b[i].hurdle_cut_rate);
    EXPECT_EQ(a[i].train_steps, b[i].train_steps);
    EXPECT_EQ(a[i].migrations, b[i].migrations);
  }
}

void ExpectSameResult(const SearchResult& a, const SearchResult& b) {
  EXPECT_EQ(a.best_program, b.best_program);
  EXPECT_EQ(a.best_select_fitness, b.best_select_fitness);
  ASSERT_EQ(a.experiments.size(), b.experiments.size());
  for (size_t i = 0; i < a.experiments.size(); ++i) {
    EXPECT_EQ(a.experiments[i].search_fitness, b.experiments[i].search_fitness);
    EXPECT_EQ(a.experiments[i].best_island, b.experiments[i].best_island);
    EXPECT_EQ(a.experiments[i].individuals, b.experiments[i].individuals);
  }
  ExpectSameProgress(a.progress, b.progress);
}

TEST(IslandSearchTest, ResultsDoNotDependOnTheThreadCount) {
  const ExperimentSpec spec = SmallSpec(/*islands=*/4, /*max_individuals=*/1200);
  const SearchResult one_thread = Search(spec, 1);
  const SearchResult two_threads = Search(spec, 2);
  ExpectSameResult(one_thread, two_threads);
  EXPECT_EQ(one_thread.final_fitness, two_threads.final_fitness);
  // The runs did what the test is about: several migration rounds, progress over islands.
  ASSERT_FALSE(one_thread.progress.empty());
  EXPECT_EQ(one_thread.progress.back().individuals, 1200);
  // Rounds every 4 x 60 individuals after the initial 80: at 320, 560, 800, 1040; 2 each.
  EXPECT_EQ(one_thread.progress.back().migrations, 4 * 4 * 2);
  EXPECT_GT(one_thread.progress.back().best_fitness, one_thread.progress.front().best_fitness);
}

TEST(IslandSearchTest, EveryTopologyIsDeterministicAcrossThreads) {
  for (const char* topology : {"RING", "RANDOM_ISLAND", "ALL_TO_ALL"}) {
    SCOPED_TRACE(topology);
    const ExperimentSpec spec =
        SmallSpec(3, 600,
                  absl::StrCat("every_individuals: 40 num_emigrants: 3 include_best: false "
                               "topology: ",
                               topology));
    const SearchResult a = Search(spec, 1, /*seed=*/3);
    const SearchResult b = Search(spec, 3, /*seed=*/3);
    ExpectSameResult(a, b);
    const int64_t rounds = (600 - 60) / (3 * 40);  // 4 complete rounds before the limit.
    const int64_t per_round = std::string(topology) == "ALL_TO_ALL" ? 3 * 2 * 3 : 3 * 3;
    EXPECT_EQ(a.progress.back().migrations, rounds * per_round);
  }
}

// Rounds longer than one scheduling piece (256 steps at first): threads then take turns on
// the islands within a round, which must not change any island's steps.
TEST(IslandSearchTest, LongRoundsSharedOutInPiecesKeepResults) {
  ExperimentSpec spec =
      SmallSpec(3, 2500, "every_individuals: 700 num_emigrants: 2 topology: ALL_TO_ALL");
  spec.set_progress_every_individuals(5000);  // Rounds end at migrations only.
  const SearchResult one = Search(spec, 1, /*seed=*/21);
  ExpectSameResult(one, Search(spec, 2, 21));
  ExpectSameResult(one, Search(spec, 3, 21));
  // One round, at 60 + 3 x 700 = 2160: each island gets 2 members from each of the other 2.
  EXPECT_EQ(one.progress.back().migrations, 3 * 2 * 2);
}

// A one-island run is exactly the regularized evolution it was before islands existed: the
// same seed gives the same population history, best program and counters.
TEST(IslandSearchTest, OneIslandIsPlainRegularizedEvolution) {
  const ExperimentSpec spec = SmallSpec(1, 700);
  const SearchResult result = Search(spec, 2, /*seed=*/5);
  ASSERT_EQ(result.experiments.size(), 1u);

  absl::StatusOr<SearchSpace> space = BuildSearchSpace(spec);
  ASSERT_TRUE(space.ok());
  ExecutorOptions executor_options;
  executor_options.shape = space->shape;
  executor_options.max_abs_error = spec.max_abs_error();
  // The spec has no random ops, so random_op_seed does not matter.
  absl::StatusOr<std::vector<Dataset>> datasets = GenerateTasks(spec.search_tasks());
  ASSERT_TRUE(datasets.ok());
  absl::StatusOr<std::unique_ptr<Executor>> executor =
      Executor::Create(*datasets, executor_options);
  ASSERT_TRUE(executor.ok());
  SearchEvaluator evaluator((*executor)->Clone(), SearchEvaluatorOptionsFromSpec(spec));
  const Mutator mutator = Mutator::FromSpec(spec, *space);
  RegularizedEvolution evolution(spec.population_size(), spec.tournament_size(), &evaluator,
                                 &mutator, result.experiments[0].seed);
  std::vector<Program> initial;
  for (int i = 0; i < spec.population_size(); ++i) {
    initial.push_back(*InitialProgram(spec.initial_population(), *space, evolution.rng()));
  }
  evolution.Initialize(initial);
  while (evolution.num_individuals() < spec.max_individuals()) evolution.Step();

  EXPECT_EQ(*evolution.best_ever().program, result.best_program);
  EXPECT_EQ(evolution.best_ever().fitness.quality, result.experiments[0].search_fitness);
  EXPECT_EQ(evolution.MeanFitness(), result.progress.back().mean_fitness);
  EXPECT_EQ(evaluator.train_steps(), result.progress.back().train_steps);
  EXPECT_EQ(result.progress.back().migrations, 0);
}

TEST(IslandSearchTest, StoppingLimitsCountAllIslands) {
  // 3 islands x 20 initial members, then 703 - 60 steps split 215/214/214.
  const SearchResult result = Search(SmallSpec(3, 703), 2);
  EXPECT_EQ(result.total_individuals, 703);
  // Progress lines at 150, 300, ... count individuals over all islands.
  ASSERT_GE(result.progress.size(), 4u);
  EXPECT_EQ(result.progress[0].individuals, 150);
  EXPECT_EQ(result.progress[1].individuals, 300);
  EXPECT_EQ(result.progress.back().individuals, 703);

  ExperimentSpec by_steps = SmallSpec(3, 1000000);
  by_steps.clear_max_individuals();
  by_steps.set_max_train_steps(30000);
  const SearchResult steps = Search(by_steps, 2);
  const int64_t train_steps = steps.progress.back().train_steps;
  // Each island stops at its third of the budget, overshooting by at most one evaluation
  // (2 tasks x 20 examples).
  EXPECT_GE(train_steps, 30000);
  EXPECT_LE(train_steps, 30000 + 3 * 40);
}

TEST(IslandSearchTest, TimeLimitStopsEveryIsland) {
  ExperimentSpec spec = SmallSpec(2, 1000000);
  spec.clear_max_individuals();
  spec.set_max_seconds(0.3);
  const absl::Time start = absl::Now();
  const SearchResult result = Search(spec, 2);
  EXPECT_LT(absl::ToDoubleSeconds(absl::Now() - start), 30.0);
  EXPECT_GT(result.total_individuals, 40);
}

TEST(IslandSearchTest, MigrationSendsTheBestToTheNextIslandsOldestSlots) {
  const ExperimentSpec spec = SmallSpec(2, 1000, "every_individuals: 60 num_emigrants: 2");
  absl::StatusOr<SearchSpace> space = BuildSearchSpace(spec);
  ASSERT_TRUE(space.ok());
  ExecutorOptions executor_options;
  executor_options.shape = space->shape;
  absl::StatusOr<std::vector<Dataset>> datasets = GenerateTasks(spec.search_tasks());
  ASSERT_TRUE(datasets.ok());
  absl::StatusOr<std::unique_ptr<Executor>> executor =
      Executor::Create(*datasets, executor_options);
  ASSERT_TRUE(executor.ok());
  const Mutator mutator = Mutator::FromSpec(spec, *space);
  IslandSearchConfig config;
  config.spec = &spec;
  config.space = &*space;
  config.mutator = &mutator;
  config.search_executor = executor->get();
  config.evaluator_options = SearchEvaluatorOptionsFromSpec(spec);
  config.experiment_seed = 17;
  config.num_islands = 2;
  config.num_threads = 2;
  absl::StatusOr<std::unique_ptr<IslandSearch>> search = IslandSearch::Create(config, absl::Now());
  ASSERT_TRUE(search.ok()) << search.status();
  std::vector<Island>& islands = (*search)->local_islands();
  ASSERT_EQ(islands.size(), 2u);

  // Island 0's best member, and where island 1's two oldest members sit.
  const std::vector<Individual>& source = islands[0].evolution->population();
  const Individual best = *std::max_element(
      source.begin(), source.end(),
      [](const Individual& a, const Individual& b) { return IsBetter(b.fitness, a.fitness); });
  const int oldest = islands[1].evolution->oldest_index();
  ASSERT_TRUE((*search)->Migrate().ok());

  const std::vector<Individual>& dest = islands[1].evolution->population();
  EXPECT_EQ(*dest[oldest].program, *best.program);
  EXPECT_EQ(dest[oldest].fitness, best.fitness);
  EXPECT_EQ(islands[1].evolution->oldest_index(), (oldest + 2) % spec.population_size());
  EXPECT_EQ(islands[0].migrants_received, 2);
  EXPECT_EQ(islands[1].migrants_received, 2);
  EXPECT_EQ(islands[1].remote_migrants_received, 0);
}

// A warm start's seeds fill every island's population, in turn, and the better seed is still
// there after a whole generation of steps. (Placed first among other initial programs, a seed
// was the oldest member and the first step replaced it, usually before it had a child.)
TEST(IslandSearchTest, SeedProgramsFillThePopulationAndOutliveTheFirstGeneration) {
  ExperimentSpec spec = SmallSpec(2, 1000000);
  absl::StatusOr<std::unique_ptr<IslandSearchParts>> parts =
      MakeIslandSearchParts(spec, /*random_seed=*/5, /*experiment=*/0);
  ASSERT_TRUE(parts.ok()) << parts.status();
  Rng rng(3);
  std::vector<Program> seeds;
  for (Program program : {LinearRegressionSgdProgram(0.01), RandomProgram((*parts)->space, rng)}) {
    absl::StatusOr<Program> fitted = FitSeedProgram(program, (*parts)->space, "seed");
    ASSERT_TRUE(fitted.ok()) << fitted.status();
    seeds.push_back(*fitted);
  }
  const double sgd_fitness = (*parts)->search_executor->Evaluate(seeds[0]).quality;
  // The initial population plus 20 steps per island: every initial member has been replaced.
  spec.set_max_individuals(2 * 2 * spec.population_size());
  IslandSearchConfig config = (*parts)->Config(spec, /*num_islands=*/2, /*num_threads=*/2);
  config.seed_programs = &seeds;
  absl::StatusOr<std::unique_ptr<IslandSearch>> search = IslandSearch::Create(config, absl::Now());
  ASSERT_TRUE(search.ok()) << search.status();
  for (const Island& island : (*search)->local_islands()) {
    const std::vector<Individual>& population = island.evolution->population();
    ASSERT_EQ(static_cast<int>(population.size()), spec.population_size());
    for (size_t k = 0; k < population.size(); ++k) {
      EXPECT_EQ(*population[k].program, seeds[k % 2])
          << "island " << island.index << " member " << k;
    }
  }

  ASSERT_TRUE((*search)->Run([](const IslandTotals&) {}).ok());
  EXPECT_EQ((*search)->totals().individuals, 2 * 2 * spec.population_size());
  for (const Island& island : (*search)->local_islands()) {
    const std::vector<Individual>& population = island.evolution->population();
    const bool kept = std::any_of(population.begin(), population.end(), [&](const Individual& m) {
      return m.fitness.quality >= sgd_fitness;
    });
    EXPECT_TRUE(kept) << "island " << island.index;
  }
}

TEST(MigrationPlanTest, Topologies) {
  Rng rng(1);
  const std::vector<std::vector<int>> ring = MigrationDestinations(RING, 4, rng);
  EXPECT_EQ(ring, (std::vector<std::vector<int>>{{1}, {2}, {3}, {0}}));
  const std::vector<std::vector<int>> all = MigrationDestinations(ALL_TO_ALL, 3, rng);
  EXPECT_EQ(all, (std::vector<std::vector<int>>{{1, 2}, {0, 2}, {0, 1}}));
  EXPECT_TRUE(MigrationDestinations(RING, 1, rng)[0].empty());

  // RANDOM_ISLAND: one other island per source, every other island eventually, and the same
  // plan from the same seed (what keeps ranks in step).
  Rng a(9), b(9);
  std::vector<std::set<int>> seen(5);
  for (int round = 0; round < 200; ++round) {
    const std::vector<std::vector<int>> plan = MigrationDestinations(RANDOM_ISLAND, 5, a);
    EXPECT_EQ(plan, MigrationDestinations(RANDOM_ISLAND, 5, b));
    for (int source = 0; source < 5; ++source) {
      ASSERT_EQ(plan[source].size(), 1u);
      EXPECT_NE(plan[source][0], source);
      seen[source].insert(plan[source][0]);
    }
  }
  for (const std::set<int>& dests : seen) EXPECT_EQ(dests.size(), 4u);
}

TEST(IslandLayoutTest, RanksHostContiguousBlocks) {
  for (int islands = 1; islands <= 13; ++islands) {
    for (int ranks = 1; ranks <= islands; ++ranks) {
      int next = 0;
      for (int rank = 0; rank < ranks; ++rank) {
        const IslandRange range = IslandsOfRank(islands, ranks, rank);
        EXPECT_EQ(range.first, next);
        EXPECT_GE(range.last - range.first, islands / ranks);
        EXPECT_LE(range.last - range.first, islands / ranks + 1);
        for (int g = range.first; g < range.last; ++g) {
          EXPECT_EQ(RankOfIsland(g, islands, ranks), rank) << islands << " " << ranks;
        }
        next = range.last;
      }
      EXPECT_EQ(next, islands);
    }
  }
  EXPECT_EQ(IslandShare(10, 3, 0), 4);
  EXPECT_EQ(IslandShare(10, 3, 1), 3);
  EXPECT_EQ(IslandShare(10, 3, 2), 3);
  EXPECT_EQ(IslandSeed(42, 0), 42u);
  EXPECT_NE(IslandSeed(42, 1), IslandSeed(42, 2));
}

TEST(IslandSettingsTest, RejectsImpossibleSettings) {
  const ExperimentSpec spec = SmallSpec(1, 100);
  EXPECT_TRUE(ValidateIslandSettings(spec, 5, 1).ok());
  EXPECT_THAT(std::string(ValidateIslandSettings(spec, 6, 1).message()),
              HasSubstr("max_individuals (100) is smaller than the initial populations"));
  EXPECT_THAT(std::string(ValidateIslandSettings(spec, 0, 1).message()), HasSubstr(">= 1"));
  EXPECT_THAT(std::string(ValidateIslandSettings(spec, 2, 3).message()),
              HasSubstr("3 processes but only 2 islands"));
  const ExperimentSpec crowded = SmallSpec(1, 1000, "num_emigrants: 10 topology: ALL_TO_ALL");
  EXPECT_TRUE(ValidateIslandSettings(crowded, 2, 1).ok());
  EXPECT_THAT(std::string(ValidateIslandSettings(crowded, 3, 1).message()),
              HasSubstr("migration.num_emigrants (10) x 2 sending islands = 20 arrivals"));
  const ExperimentSpec negative = SmallSpec(1, 1000, "every_individuals: -1");
  EXPECT_THAT(std::string(ValidateIslandSettings(negative, 2, 1).message()),
              HasSubstr("migration.every_individuals (-1)"));

  // RunSearch checks them too, with the island count from the options.
  SearchOptions options;
  options.num_islands = 6;
  absl::StatusOr<SearchResult> result = RunSearch(spec, options);
  EXPECT_FALSE(result.ok());
}

// Ranks as threads of this process: every collective waits for all ranks, like MPI's. Lets
// the test check the multi-process path (serialized migrants and counters) without mpirun.
class ThreadHub {
 public:
  explicit ThreadHub(int num_ranks)
      : num_ranks_(num_ranks), pending_(num_ranks, std::vector<std::string>(num_ranks)) {}

  // Rank `rank` sends out[r] to every rank r; returns what each rank sent to it.
  std::vector<std::string> Exchange(int rank, const std::vector<std::string>& out) {
    std::unique_lock<std::mutex> lock(mutex_);
    pending_[rank] = out;
    const int64_t generation = generation_;
    if (++arrived_ == num_ranks_) {
      done_ = pending_;
      arrived_ = 0;
      ++generation_;
      changed_.notify_all();
    } else {
      changed_.wait(lock, [&] { return generation_ != generation; });
    }
    // done_ is only replaced when every rank, this one included, has arrived again.
    std::vector<std::string> in(num_ranks_);
    for (int r = 0; r < num_ranks_; ++r) in[r] = done_[r][rank];
    return in;
  }

  int num_ranks() const { return num_ranks_; }

 private:
  const int num_ranks_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::vector<std::string>> pending_;
  std::vector<std::vector<std::string>> done_;
  int arrived_ = 0;
  int64_t generation_ = 0;
};

class ThreadComm final : public IslandComm {
 public:
  ThreadComm(ThreadHub* hub, int rank) : hub_(hub), rank_(rank) {}
  int rank() const override { return rank_; }
  int num_ranks() const override { return hub_->num_ranks(); }
  absl::StatusOr<std::vector<std::string>> AllGather(const std::string& bytes) override {
    return hub_->Exchange(rank_, std::vector<std::string>(hub_->num_ranks(), bytes));
  }
  absl::StatusOr<std::vector<std::string>> AllToAll(
      const std::vector<std::string>& per_rank) override {
    if (rank_ != 0) sent_to_others_ += per_rank[0].size();
    return hub_->Exchange(rank_, per_rank);
  }
  int64_t sent_to_others_ = 0;

 private:
  ThreadHub* hub_;
  int rank_;
};

TEST(IslandSearchTest, TwoProcessesGiveTheOneProcessResult) {
  // Two experiments: the ranks must also agree on the select fitness rank 0 computes.
  const ExperimentSpec spec = SmallSpec(4, 1000, "every_individuals: 50 topology: RING");
  const SearchResult local = Search(spec, 2, /*seed=*/11, nullptr, /*experiments=*/2);

  ThreadHub hub(2);
  ThreadComm comm0(&hub, 0), comm1(&hub, 1);
  SearchResult root, other;
  std::thread rank1([&] { other = Search(spec, 1, 11, &comm1, 2); });
  root = Search(spec, 1, 11, &comm0, 2);
  rank1.join();

  ASSERT_EQ(local.experiments.size(), 2u);
  ExpectSameResult(local, root);
  ExpectSameResult(local, other);
  EXPECT_EQ(local.best_experiment, other.best_experiment);
  for (int e = 0; e < 2; ++e) {
    EXPECT_EQ(local.experiments[e].select_fitness, other.experiments[e].select_fitness);
  }
  EXPECT_EQ(local.final_fitness, root.final_fitness);
  EXPECT_TRUE(root.is_root);
  EXPECT_FALSE(other.is_root);
  // Ring 0->1->2->3->0 over ranks {0,1} and {2,3}: islands 2 and 0 receive from the other
  // rank, 2 members per round each.
  const ProgressRecord& last = root.progress.back();
  EXPECT_GT(last.migrations, 0);
  EXPECT_EQ(last.remote_migrations, last.migrations / 2);
  EXPECT_EQ(last.processes, 2);
  EXPECT_GT(comm1.sent_to_others_, 0);
}

// --- PARETO: archives, migration from archives, the merged front ---

// Quality x inference cost, every island keeping an archive of 6. Until the search evaluator
// fills the costs (issue 14's metrics) they are 0, and the front holds the best quality alone;
// the archive's logic on real trade-offs is tested in selection_test.
ExperimentSpec ParetoSpec(int islands, int64_t max_individuals) {
  ExperimentSpec spec =
      SmallSpec(islands, max_individuals, "every_individuals: 40 num_emigrants: 2");
  *spec.mutable_objectives() = ParseTextOrDie<ObjectivesSpec>(
      "selection: PARETO pareto_objectives: [ QUALITY, INFERENCE_COST ] archive_size: 6");
  ExpectValidSpec(spec);
  return spec;
}

// What an IslandSearch on the spec is built from.
class ParetoSearchParts {
 public:
  explicit ParetoSearchParts(const ExperimentSpec& spec) : spec_(spec) {
    space_ = *BuildSearchSpace(spec);
    ExecutorOptions options;
    options.shape = space_.shape;
    options.max_abs_error = spec.max_abs_error();
    executor_ = *Executor::Create(*GenerateTasks(spec.search_tasks()), options);
    mutator_ = std::make_unique<Mutator>(Mutator::FromSpec(spec, space_));
  }

  std::unique_ptr<IslandSearch> Create(int threads, IslandComm* comm = nullptr) const {
    IslandSearchConfig config;
    config.spec = &spec_;
    config.space = &space_;
    config.mutator = mutator_.get();
    config.search_executor = executor_.get();
    config.evaluator_options = SearchEvaluatorOptionsFromSpec(spec_);
    config.experiment_seed = 23;
    config.num_islands = spec_.num_islands();
    config.num_threads = threads;
    config.comm = comm;
    absl::StatusOr<std::unique_ptr<IslandSearch>> search =
        IslandSearch::Create(config, absl::Now());
    EXPECT_TRUE(search.ok()) << search.status();
    return search.ok() ? *std::move(search) : nullptr;
  }

 private:
  ExperimentSpec spec_;
  SearchSpace space_;
  std::unique_ptr<Executor> executor_;
  std::unique_ptr<Mutator> mutator_;
};

struct ParetoOutcome {
  std::vector<Individual> front;
  Individual best;
  IslandTotals totals;
};

ParetoOutcome RunPareto(const ParetoSearchParts& parts, int threads, IslandComm* comm = nullptr) {
  ParetoOutcome outcome;
  std::unique_ptr<IslandSearch> search = parts.Create(threads, comm);
  if (search == nullptr) return outcome;
  EXPECT_TRUE(search->Run(nullptr).ok());
  outcome.front = *search->ParetoFront();
  outcome.best = *search->Best();
  outcome.totals = search->totals();
  return outcome;
}

void ExpectSameMembers(const std::vector<Individual>& a, const std::vector<Individual>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(*a[i].program, *b[i].program) << "member " << i;
    EXPECT_EQ(a[i].fitness, b[i].fitness) << "member " << i;
  }
}

TEST(ParetoIslandTest, TheFrontDoesNotDependOnThreadsOrProcesses) {
  const ExperimentSpec spec = ParetoSpec(4, 1200);
  const ParetoSearchParts parts(spec);
  const ParetoOutcome one = RunPareto(parts, 1);
  const ParetoOutcome three = RunPareto(parts, 3);
  ThreadHub hub(2);
  ThreadComm comm0(&hub, 0), comm1(&hub, 1);
  ParetoOutcome rank1;
  std::thread other([&] { rank1 = RunPareto(parts, 1, &comm1); });
  const ParetoOutcome rank0 = RunPareto(parts, 1, &comm0);
  other.join();
  for (const ParetoOutcome* run : {&three, &rank0, const_cast<const ParetoOutcome*>(&rank1)}) {
    ExpectSameMembers(one.front, run->front);
    EXPECT_EQ(*one.best.program, *run->best.program);
    EXPECT_EQ(one.totals.mean_fitness, run->totals.mean_fitness);
    EXPECT_EQ(one.totals.migrations, run->totals.migrations);
  }
  // A front: mutually non-dominated, best quality first, the best ever (by quality) on it.
  const Selection selection = Selection::FromSpec(spec.objectives());
  ASSERT_GE(one.front.size(), 1u);
  for (size_t i = 0; i < one.front.size(); ++i) {
    for (size_t j = 0; j < one.front.size(); ++j) {
      EXPECT_FALSE(selection.Dominates(one.front[j].fitness, one.front[i].fitness));
    }
    if (i > 0) {
      EXPECT_GE(one.front[i - 1].fitness.quality, one.front[i].fitness.quality);
    }
  }
  EXPECT_EQ(one.front[0].fitness.quality, one.best.fitness.quality);
  EXPECT_GT(one.totals.migrations, 0);
}

TEST(ParetoIslandTest, MigrationSendsArchiveMembersThatEnterTheReceiversArchive) {
  const ExperimentSpec spec = ParetoSpec(2, 1000);
  const ParetoSearchParts parts(spec);
  std::unique_ptr<IslandSearch> search = parts.Create(1);
  ASSERT_NE(search, nullptr);
  std::vector<Island>& islands = search->local_islands();
  const Selection& selection = islands[0].evolution->selection();
  const std::vector<Individual> archive = islands[0].evolution->archive()->members();
  ASSERT_FALSE(archive.empty());
  ASSERT_LE(archive.size(), 6u);
  const int oldest = islands[1].evolution->oldest_index();
  ASSERT_TRUE(search->Migrate().ok());

  const std::vector<Individual>& dest = islands[1].evolution->population();
  // The first emigrant is the archive's best (by quality), the second any archive member.
  const Individual best = *std::max_element(archive.begin(), archive.end(),
                                            [&](const Individual& a, const Individual& b) {
                                              return selection.IsBetter(b.fitness, a.fitness);
                                            });
  EXPECT_EQ(*dest[oldest].program, *best.program);
  const Individual& second = dest[(oldest + 1) % spec.population_size()];
  EXPECT_TRUE(std::any_of(archive.begin(), archive.end(), [&](const Individual& m) {
    return *m.program == *second.program && m.fitness == second.fitness;
  }));
  // Each arrival is in the receiver's archive, or something there dominates or equals it.
  for (const Individual* arrival : {&dest[oldest], &second}) {
    const std::vector<Individual>& theirs = islands[1].evolution->archive()->members();
    EXPECT_TRUE(std::any_of(theirs.begin(), theirs.end(), [&](const Individual& m) {
      return !selection.Dominates(arrival->fitness, m.fitness) &&
             (selection.Dominates(m.fitness, arrival->fitness) ||
              (m.fitness.quality == arrival->fitness.quality &&
               m.fitness.inference_cost == arrival->fitness.inference_cost));
    }));
  }
}

}  // namespace
}  // namespace automl

// Tests of rotating search tasks (rotate_search_tasks_every_individuals): each rotation's tasks
// and their seeds, the evaluator's switch to new tasks (no FEC entry of old tasks is ever
// returned, the hurdle's window restarts), re-scoring an island's members, and whole runs: the
// rotations happen where planned, the best is scored on the last rotation's tasks, discoveries
// name their rotation, and results do not depend on the thread count or on a resume.
#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "evolution/checkpoint.h"
#include "evolution/experiment.h"
#include "evolution/experiment_setup.h"
#include "evolution/experiment_spec.h"
#include "evolution/generator.h"
#include "evolution/mutator.h"
#include "evolution/regularized_evolution.h"
#include "evolution/search_evaluator.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "instructions/standard_programs.h"
#include "tests/run_comparison.h"
#include "tests/test_specs.h"
#include "tests/test_util.h"

namespace automl {
namespace {

using ::testing::HasSubstr;

constexpr uint64_t kRunSeed = 42;  // BaseOptions' seed.

// The tiny search with the FEC, 3 islands migrating every 50 individuals each, and rotation
// every `every` individuals.
ExperimentSpec RotatingSpec(int64_t max_individuals, int64_t every) {
  ExperimentSpec spec = TinySearchSpec();
  spec.MergeFrom(ParseTextOrDie<ExperimentSpec>(R"pb(
    fec { num_train_examples: 5 num_valid_examples: 5 cache_size: 50 }
    migration { every_individuals: 50 num_emigrants: 2 topology: RING }
    progress_every_individuals: 120
  )pb"));
  spec.set_max_individuals(max_individuals);
  spec.set_rotate_search_tasks_every_individuals(every);
  ExpectValidSpec(spec);
  return spec;
}

std::unique_ptr<Executor> RotationExecutor(const ExperimentSpec& spec, int rotation) {
  absl::StatusOr<SearchSpace> space = BuildSearchSpace(spec);
  EXPECT_TRUE(space.ok()) << space.status();
  absl::StatusOr<std::unique_ptr<Executor>> executor =
      MakeExecutor(SearchTasksOfRotation(spec, kRunSeed, /*experiment=*/0, rotation),
                   ExecutorOptionsOfRun(spec, *space, kRunSeed));
  EXPECT_TRUE(executor.ok()) << executor.status();
  return executor.ok() ? *std::move(executor) : nullptr;
}

// `program`'s quality on `executor`'s tasks, evaluated in full (no FEC, no hurdle).
double FullQuality(const Executor& executor, const Program& program) {
  SearchEvaluatorOptions plain;
  plain.fec_enabled = false;
  SearchEvaluator evaluator(executor.Clone(), plain);
  return evaluator.Evaluate(program).quality;
}

TEST(SearchTasksOfRotationTest, RotationZeroIsTheSpecAndEachLaterOneHasItsOwnSeeds) {
  const ExperimentSpec spec = RotatingSpec(100, 50);
  EXPECT_EQ(SearchTasksOfRotation(spec, kRunSeed, 0, 0).SerializeAsString(),
            spec.search_tasks().SerializeAsString());
  const TaskCollection first = SearchTasksOfRotation(spec, kRunSeed, 0, 1);
  const TaskCollection second = SearchTasksOfRotation(spec, kRunSeed, 0, 2);
  const TaskCollection other_experiment = SearchTasksOfRotation(spec, kRunSeed, 1, 1);
  const TaskCollection other_seed = SearchTasksOfRotation(spec, kRunSeed + 1, 0, 1);
  // Only the seeds change: the same family, sizes and task count.
  TaskCollection without_seeds = first;
  without_seeds.mutable_tasks(0)->clear_data_seeds();
  without_seeds.mutable_tasks(0)->clear_param_seeds();
  TaskCollection spec_without_seeds = spec.search_tasks();
  spec_without_seeds.mutable_tasks(0)->clear_data_seeds();
  spec_without_seeds.mutable_tasks(0)->clear_param_seeds();
  EXPECT_EQ(without_seeds.SerializeAsString(), spec_without_seeds.SerializeAsString());
  const auto seed = [](const TaskCollection& tasks) { return tasks.tasks(0).data_seeds(0); };
  ASSERT_EQ(first.tasks(0).data_seeds_size(), 1);
  EXPECT_EQ(first.tasks(0).param_seeds(0), seed(first));
  EXPECT_NE(seed(first), spec.search_tasks().tasks(0).data_seeds(0));
  EXPECT_NE(seed(first), seed(second));
  EXPECT_NE(seed(first), seed(other_experiment));
  EXPECT_NE(seed(first), seed(other_seed));
  // Not the select tasks' seeds of the same experiment.
  EXPECT_NE(seed(first), SelectTasksForExperiment(spec, kRunSeed, 0).tasks(0).data_seeds(0));
  // Deterministic.
  EXPECT_EQ(seed(first), seed(SearchTasksOfRotation(spec, kRunSeed, 0, 1)));
}

TEST(SearchTaskRotationSpecTest, ANegativeIntervalIsRejected) {
  ExperimentSpec spec = RotatingSpec(100, 50);
  spec.set_rotate_search_tasks_every_individuals(-1);
  const absl::Status status = ValidateExperimentSpec(spec);
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(std::string(status.message()), HasSubstr("rotate_search_tasks_every_individuals"));
}

TEST(SwitchTasksTest, ProgramsAreScoredOnTheNewTasksNeverFromTheOldTasksFec) {
  const ExperimentSpec spec = RotatingSpec(100, 50);
  const std::unique_ptr<Executor> old_tasks = RotationExecutor(spec, 0);
  const std::unique_ptr<Executor> new_tasks = RotationExecutor(spec, 1);
  SearchEvaluatorOptions options = SearchEvaluatorOptionsFromSpec(spec);
  options.hurdles_enabled = true;
  options.hurdle_min_samples = 1;
  SearchEvaluator evaluator(old_tasks->Clone(), options);
  const Program program = LinearRegressionSgdProgram(0.1);
  const double on_old = evaluator.Evaluate(program).quality;
  EXPECT_EQ(evaluator.Evaluate(program).quality, on_old);  // A FEC hit on the same tasks.
  EXPECT_EQ(evaluator.stats().fec_hits, 1);
  ASSERT_GT(evaluator.hurdle()->state().seen, 0);
  const int64_t steps_before = evaluator.train_steps();

  evaluator.SwitchTasks(new_tasks->Clone(), 1);
  const double on_new = evaluator.Evaluate(program).quality;
  EXPECT_EQ(on_new, FullQuality(*new_tasks, program));
  EXPECT_NE(on_new, on_old);                               // The tasks did change.
  EXPECT_EQ(evaluator.stats().fec_hits, 1);                // No hit from the old tasks' entry...
  EXPECT_GT(evaluator.train_steps(), steps_before);        // ...so it trained, and steps add up.
  EXPECT_EQ(evaluator.hurdle()->state().seen, 1);          // The window restarted.
  EXPECT_EQ(evaluator.Evaluate(program).quality, on_new);  // New tasks' entries do hit.
  EXPECT_EQ(evaluator.stats().fec_hits, 2);
}

TEST(RescoreTest, MembersAndTheBestGetTheirFitnessOnTheNewTasks) {
  for (const bool pareto : {false, true}) {
    SCOPED_TRACE(pareto ? "PARETO" : "single objective");
    ExperimentSpec spec = RotatingSpec(100, 50);
    if (pareto) {
      *spec.mutable_objectives() = ParseTextOrDie<ObjectivesSpec>(
          "selection: PARETO pareto_objectives: [ QUALITY, SIZE ] archive_size: 4");
    }
    absl::StatusOr<SearchSpace> space = BuildSearchSpace(spec);
    ASSERT_TRUE(space.ok());
    const std::unique_ptr<Executor> new_tasks = RotationExecutor(spec, 1);
    SearchEvaluator evaluator(RotationExecutor(spec, 0), SearchEvaluatorOptionsFromSpec(spec));
    Mutator mutator(*space, {ALTER_PARAM, RANDOMIZE_INSTRUCTION}, 0.9);
    const Selection selection = Selection::FromSpec(spec.objectives());
    RegularizedEvolution evolution(20, 4, &evaluator, &mutator, 5, selection);
    std::vector<Program> initial;
    for (int i = 0; i < 20; ++i) initial.push_back(RandomProgram(*space, evolution.rng()));
    evolution.Initialize(initial);
    for (int i = 0; i < 200; ++i) evolution.Step();
    const Program old_best = *evolution.best_ever().program;
    const int64_t individuals = evolution.num_individuals();
    const Rng::State rng = evolution.rng().state();
    std::vector<Program> members;
    for (const Individual& member : evolution.population()) members.push_back(*member.program);

    evaluator.SwitchTasks(new_tasks->Clone(), 1);
    evolution.Rescore();
    EXPECT_EQ(evolution.num_individuals(), individuals);
    EXPECT_EQ(evolution.rng().state(), rng);
    // Same members in the same order, each with its fitness on the new tasks.
    double best = FullQuality(*new_tasks, old_best);
    ASSERT_EQ(evolution.population().size(), members.size());
    for (size_t i = 0; i < members.size(); ++i) {
      EXPECT_EQ(*evolution.population()[i].program, members[i]);
      const double quality = FullQuality(*new_tasks, members[i]);
      EXPECT_EQ(evolution.population()[i].fitness.quality, quality) << "member " << i;
      best = std::max(best, quality);
    }
    if (!pareto) EXPECT_EQ(evolution.best_ever().fitness.quality, best);
    EXPECT_EQ(evolution.best_ever().fitness.quality,
              FullQuality(*new_tasks, *evolution.best_ever().program));
    if (pareto) {
      ASSERT_GT(evolution.archive()->size(), 0);
      for (const Individual& member : evolution.archive()->members()) {
        EXPECT_EQ(member.fitness.quality, FullQuality(*new_tasks, *member.program));
      }
    }
  }
}

// --- Whole runs ---

constexpr int64_t kLong = 1200;
constexpr int64_t kEvery = 300;

SearchResult RunRotating(int64_t max_individuals, int threads) {
  return MustRun(RotatingSpec(max_individuals, kEvery), BaseOptions(3, threads)).result;
}

TEST(RotatingRunTest, RotatesWherePlannedAndReportsTheBestOnTheLastTasks) {
  const ExperimentSpec spec = RotatingSpec(kLong, kEvery);
  const SearchResult run = RunRotating(kLong, 2);
  ASSERT_FALSE(run.discoveries.empty());
  // Rotations at 300, 600 and 900 individuals; the run ends at 1200 before a fourth.
  EXPECT_EQ(run.discoveries.back().search_tasks_rotation, 3);
  // Each rotation's first progress point is a discovery, even below the last one's fitness.
  for (int rotation = 0; rotation <= 3; ++rotation) {
    int64_t first = -1;
    for (const Discovery& d : run.discoveries) {
      if (d.search_tasks_rotation == rotation && first < 0) first = d.individuals;
    }
    EXPECT_EQ(first, rotation == 0 ? 120 : (rotation * kEvery / 120 + 1) * 120)
        << "rotation " << rotation;
  }
  // The experiment's best is scored on rotation 3's tasks, not the spec's.
  const std::unique_ptr<Executor> last = RotationExecutor(spec, 3);
  EXPECT_EQ(run.experiments[0].search_fitness, FullQuality(*last, run.best_program));
  EXPECT_EQ(run.experiments[0].search_fitness, run.discoveries.back().fitness);
}

TEST(RotatingRunTest, ResultsDoNotDependOnTheThreadCount) {
  ExpectSameRun(RunRotating(kLong, 1), RunRotating(kLong, 2));
}

TEST(RotatingRunTest, AResumedRunEqualsAnUninterruptedOne) {
  const SearchResult reference = RunRotating(kLong, 2);
  const std::string path = TempPath("rotating.ckpt");
  RemoveCheckpoints(path);
  SearchOptions first = BaseOptions(3, 2);
  first.checkpoint_path = path;
  // Stops at 720 (a progress point, as the reference has one there), after the second rotation.
  ExperimentSpec half = RotatingSpec(720, kEvery);
  MustRun(half, first);
  const CheckpointProto checkpoint = MustReadCheckpoint(path);
  EXPECT_EQ(checkpoint.search().search_tasks_rotation(), 2);
  EXPECT_EQ(checkpoint.search().next_rotation(), 900);
  SearchOptions second = BaseOptions(3, 1);
  second.resume = &checkpoint;
  ExpectSameRun(reference, MustRun(RotatingSpec(kLong, kEvery), second).result);

  // A spec without rotation cannot continue it.
  ExperimentSpec fixed = RotatingSpec(kLong, 0);
  absl::StatusOr<SearchResult> refused = RunSearch(fixed, second);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(std::string(refused.status().message()),
              HasSubstr("rotate_search_tasks_every_individuals"));
}

}  // namespace
}  // namespace automl

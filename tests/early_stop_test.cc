// Tests of early stopping (evolution/early_stop.h): the checks' rules by hand, then whole runs
// whose stops are worked out from a run without checks (its progress points are the check
// boundaries, so its discoveries are the checks' new bests): a sufficient select fitness ends
// the run at the first check that sees it, stagnation ends an experiment and the next starts,
// for any thread count and with islands; checks that never fire change nothing; resumed runs
// stop where uninterrupted ones do.
#include "evolution/early_stop.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <iostream>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "evolution/checkpoint.pb.h"
#include "evolution/experiment.h"
#include "evolution/experiment_setup.h"
#include "evolution/experiment_spec.h"
#include "gtest/gtest.h"
#include "tests/run_comparison.h"
#include "tests/test_specs.h"
#include "tests/test_util.h"

namespace automl {
namespace {

// --- The rules, by hand ---

ExperimentSpec ChecksSpec(int64_t every, int64_t stagnant) {
  ExperimentSpec spec;
  spec.set_stop_check_every_individuals(every);
  spec.set_stop_after_stagnant_individuals(stagnant);
  return spec;
}

TEST(EarlyStopChecksTest, WithoutARuleNothingIsChecked) {
  EarlyStopChecks checks(ChecksSpec(100, 0));
  EXPECT_FALSE(checks.active());
  for (int64_t planned : {40, 100, 5000}) {
    absl::StatusOr<bool> stop = checks.AtBoundary(planned, 0.5);
    ASSERT_TRUE(stop.ok());
    EXPECT_FALSE(*stop);
  }
  EXPECT_EQ(checks.next_check(), 0);
}

TEST(EarlyStopChecksTest, NewBestsAreTestedAtCheckBoundariesOnly) {
  EarlyStopChecks checks(ChecksSpec(100, 0));
  std::vector<int64_t> tested;
  int64_t planned = 0;
  bool suffices = false;
  checks.set_best_suffices([&]() -> absl::StatusOr<bool> {
    tested.push_back(planned);
    return suffices;
  });
  EXPECT_TRUE(checks.active());
  // (planned, best): the first boundary always tests; 150 is no check boundary; at 200 the
  // best did not rise; 350 is past the 300 check (a round may end there), the next one is 400.
  const std::vector<std::pair<int64_t, double>> boundaries = {
      {40, 0.5}, {100, 0.6}, {150, 0.7}, {200, 0.6}, {350, 0.8}, {400, 0.8}, {500, 0.9}};
  for (const auto& [at, best] : boundaries) {
    planned = at;
    suffices = at == 500;
    absl::StatusOr<bool> stop = checks.AtBoundary(at, best);
    ASSERT_TRUE(stop.ok());
    EXPECT_EQ(*stop, at == 500) << at;
  }
  EXPECT_EQ(tested, (std::vector<int64_t>{40, 100, 350, 500}));
  EXPECT_EQ(checks.stopped(), SUFFICIENT_FITNESS);
  EXPECT_EQ(checks.next_check(), 600);
  // A stopped search stays stopped, without testing again.
  absl::StatusOr<bool> again = checks.AtBoundary(600, 0.95);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(*again);
  EXPECT_EQ(tested.size(), 4u);
}

TEST(EarlyStopChecksTest, StagnationCountsFromTheLastCheckThatSawARise) {
  EarlyStopChecks checks(ChecksSpec(100, 300));
  const std::vector<std::pair<int64_t, double>> boundaries = {
      {40, 0.5}, {100, 0.5}, {200, 0.6}, {300, 0.6}, {400, 0.6}};
  for (const auto& [at, best] : boundaries) {
    absl::StatusOr<bool> stop = checks.AtBoundary(at, best);
    ASSERT_TRUE(stop.ok());
    EXPECT_FALSE(*stop) << at;  // 40 + 300 would be 340; the rise at 200 moved it to 500.
  }
  EXPECT_EQ(checks.state().improved_at(), 200);
  absl::StatusOr<bool> stop = checks.AtBoundary(500, 0.6);
  ASSERT_TRUE(stop.ok());
  EXPECT_TRUE(*stop);
  EXPECT_EQ(checks.stopped(), STAGNATION);
}

TEST(EarlyStopChecksTest, TheStateRoundTrips) {
  EarlyStopChecks checks(ChecksSpec(100, 300));
  ASSERT_TRUE(checks.AtBoundary(40, 0.5).ok());
  ASSERT_TRUE(checks.AtBoundary(100, 0.7).ok());
  EarlyStopChecks restored(ChecksSpec(100, 300));
  restored.Restore(checks.state());
  for (int64_t at : {200, 300, 400}) {
    ASSERT_TRUE(checks.AtBoundary(at, 0.7).ok());
    ASSERT_TRUE(restored.AtBoundary(at, 0.7).ok());
  }
  EXPECT_EQ(checks.stopped(), STAGNATION);
  EXPECT_EQ(restored.stopped(), STAGNATION);
  EXPECT_EQ(EarlyStopName(STAGNATION), std::string("stagnation"));
  EXPECT_EQ(EarlyStopName(NOT_STOPPED_EARLY), std::string(""));
}

// --- Whole runs ---

constexpr int64_t kMax = 2400;

// The tiny search (populations of 20) with the FEC and ring migration; progress points and
// checks every `islands` x 20 individuals, so that the first boundary (the initial
// populations) is both.
ExperimentSpec RunSpec(int islands, int64_t stagnant) {
  ExperimentSpec spec = TinySearchSpec();
  spec.mutable_fec()->set_num_train_examples(5);
  spec.mutable_fec()->set_num_valid_examples(5);
  spec.mutable_migration()->set_every_individuals(50);
  spec.set_max_individuals(kMax);
  spec.set_progress_every_individuals(islands * 20);
  spec.set_stop_check_every_individuals(islands * 20);
  spec.set_stop_after_stagnant_individuals(stagnant);
  ExpectValidSpec(spec);
  return spec;
}

// Selected on the search tasks themselves, so that select fitness rises with (almost) every
// discovery and a threshold can fall between two of them.
ExperimentSpec SelectedOnSearchTasks(ExperimentSpec spec) {
  *spec.mutable_select_tasks() = spec.search_tasks();
  spec.set_fresh_select_seeds_per_experiment(false);
  return spec;
}

SearchOptions Options(int islands, int threads, int experiments, double sufficient) {
  SearchOptions options = BaseOptions(islands, threads);
  options.max_experiments = experiments;
  options.sufficient_fitness = sufficient;
  return options;
}

// The select fitness of every discovery of experiment 0, in order.
std::vector<double> DiscoverySelectFitness(const ExperimentSpec& spec, const SearchResult& run) {
  absl::StatusOr<SearchSpace> space = BuildSearchSpace(spec);
  EXPECT_TRUE(space.ok());
  absl::StatusOr<std::unique_ptr<Executor>> select =
      MakeExecutor(SelectTasksForExperiment(spec, 42, 0), ExecutorOptionsOfRun(spec, *space, 42));
  EXPECT_TRUE(select.ok()) << select.status();
  std::vector<double> fitness;
  for (const Discovery& d : run.discoveries) {
    if (d.experiment == 0) fitness.push_back((*select)->Evaluate(d.program).quality);
  }
  return fitness;
}

// The progress lines of `run` up to (and including) `individuals` in `experiment`.
std::vector<ProgressRecord> ProgressUpTo(const SearchResult& run, int experiment,
                                         int64_t individuals) {
  std::vector<ProgressRecord> lines;
  for (const ProgressRecord& r : run.progress) {
    if (r.experiment == experiment && r.individuals <= individuals) lines.push_back(r);
  }
  return lines;
}

void ExpectSameProgress(const std::vector<ProgressRecord>& expected,
                        const std::vector<ProgressRecord>& actual) {
  ASSERT_EQ(expected.size(), actual.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(expected[i].individuals, actual[i].individuals) << "line " << i;
    EXPECT_EQ(expected[i].best_fitness, actual[i].best_fitness) << "line " << i;
    EXPECT_EQ(expected[i].mean_fitness, actual[i].mean_fitness) << "line " << i;
  }
}

TEST(EarlyStopRunTest, ASufficientSelectFitnessEndsTheRunAtTheFirstCheckThatSeesIt) {
  for (int islands : {1, 3}) {
    SCOPED_TRACE(absl::StrCat(islands, " islands"));
    const ExperimentSpec spec = SelectedOnSearchTasks(RunSpec(islands, 0));
    const SearchResult reference = MustRun(spec, Options(islands, 2, 2, 2.0)).result;
    const std::vector<double> select = DiscoverySelectFitness(spec, reference);
    ASSERT_GE(select.size(), 3u);
    // The threshold is the select fitness of the discovery before the middle one: the middle
    // one is the first to exceed it, so the run must end there.
    const size_t k = select.size() / 2;
    const double threshold = select[k - 1];
    for (size_t i = 0; i < k; ++i) ASSERT_LE(select[i], threshold) << i;
    ASSERT_GT(select[k], threshold);
    const Discovery& passing = reference.discoveries[k];
    std::cout << islands << " islands: discovery " << k << " of " << select.size() << " at "
              << passing.individuals << " individuals, select " << select[k] << std::endl;

    const SearchResult early = MustRun(spec, Options(islands, 2, 2, threshold)).result;
    ASSERT_EQ(early.experiments.size(), 1u);  // The run ended with experiment 0.
    const ExperimentSummary& e = early.experiments[0];
    EXPECT_EQ(e.early_stop, SUFFICIENT_FITNESS);
    EXPECT_EQ(e.individuals, passing.individuals);
    EXPECT_EQ(e.best_program, passing.program);
    EXPECT_EQ(e.search_fitness, passing.fitness);
    EXPECT_EQ(e.select_fitness, select[k]);
    EXPECT_EQ(early.best_program, passing.program);
    ExpectSameProgress(ProgressUpTo(reference, 0, passing.individuals), early.progress);
    // The thread count never matters.
    ExpectSameRun(early, MustRun(spec, Options(islands, 1, 2, threshold)).result);
  }
}

// Where stagnation of `stagnant` individuals ends experiment `experiment` of `run` (a run
// without checks), by its progress lines; 0 when it does not.
int64_t StagnationStop(const SearchResult& run, int experiment, int64_t stagnant) {
  double best = -1.0;
  int64_t rose_at = 0;
  for (const ProgressRecord& r : run.progress) {
    if (r.experiment != experiment) continue;
    if (r.best_fitness > best) {
      best = r.best_fitness;
      rose_at = r.individuals;
    } else if (r.individuals - rose_at >= stagnant) {
      return r.individuals;
    }
  }
  return 0;
}

TEST(EarlyStopRunTest, StagnationEndsAnExperimentAndTheNextStarts) {
  constexpr int64_t kStagnant = 300;
  for (int islands : {1, 3}) {
    SCOPED_TRACE(absl::StrCat(islands, " islands"));
    const SearchResult reference = MustRun(RunSpec(islands, 0), Options(islands, 2, 2, 2.0)).result;
    const ExperimentSpec spec = RunSpec(islands, kStagnant);
    const SearchResult early = MustRun(spec, Options(islands, 2, 2, 2.0)).result;
    ASSERT_EQ(early.experiments.size(), 2u);
    std::vector<ProgressRecord> expected_progress;
    for (int experiment : {0, 1}) {
      const int64_t stop = StagnationStop(reference, experiment, kStagnant);
      std::cout << islands << " islands, experiment " << experiment << ": stagnant at " << stop
                << std::endl;
      if (experiment == 0) ASSERT_GT(stop, 0) << "pick a smaller kStagnant";
      const ExperimentSummary& e = early.experiments[experiment];
      EXPECT_EQ(e.experiment, experiment);
      EXPECT_EQ(e.individuals, stop > 0 ? stop : kMax);
      EXPECT_EQ(e.early_stop, stop > 0 ? STAGNATION : NOT_STOPPED_EARLY);
      for (const ProgressRecord& r : ProgressUpTo(reference, experiment, e.individuals)) {
        expected_progress.push_back(r);
      }
      EXPECT_EQ(e.search_fitness, expected_progress.back().best_fitness);
    }
    ExpectSameProgress(expected_progress, early.progress);
    ExpectSameRun(early, MustRun(spec, Options(islands, 1, 2, 2.0)).result);
  }
}

TEST(EarlyStopRunTest, ChecksThatNeverFireChangeNothing) {
  const SearchResult reference =
      MustRun(RunSpec(3, 0), Options(3, 2, 1, std::numeric_limits<double>::infinity())).result;
  // The search binary's default threshold, 2.0, is never exceeded: no check at all.
  ExpectSameRun(reference, MustRun(RunSpec(3, 0), Options(3, 2, 1, 2.0)).result);
  // Checks every 25 individuals (rounds end there too) of a stagnation that never comes.
  ExperimentSpec spec = RunSpec(3, 1000000);
  spec.set_stop_check_every_individuals(25);
  ExpectSameRun(reference, MustRun(spec, Options(3, 2, 1, 2.0)).result);
}

// Stops the run (a stop request) at progress line `stop_at` of `experiment`, resumes it from
// the checkpoint and expects the uninterrupted run.
void StopAndResume(const ExperimentSpec& spec, const SearchOptions& options, int experiment,
                   int64_t stop_at, const std::string& name) {
  SCOPED_TRACE(name);
  const SearchResult uninterrupted = MustRun(spec, options).result;
  const std::string path = TempPath(name + ".ckpt");
  RemoveCheckpoints(path);
  std::atomic<bool> stop_requested{false};
  SearchOptions first = options;
  first.checkpoint_path = path;
  first.stop_requested = &stop_requested;
  first.on_progress = [&](const ProgressRecord& r) {
    if (r.experiment == experiment && r.individuals == stop_at) stop_requested = true;
  };
  const SearchResult stopped = MustRun(spec, first).result;
  ASSERT_TRUE(stopped.interrupted) << "the run ended before the stop request";
  const CheckpointProto checkpoint = MustReadCheckpoint(path);
  SearchOptions second = options;
  second.resume = &checkpoint;
  ExpectSameRun(uninterrupted, MustRun(spec, second).result);
}

TEST(EarlyStopRunTest, ResumedRunsStopWhereUninterruptedOnesDo) {
  // Stagnation ends experiment 0 at 360 individuals with 3 islands (see the test above): a
  // stop before it, and one in experiment 1 (experiment 0 restored from the checkpoint).
  const ExperimentSpec spec = RunSpec(3, 300);
  StopAndResume(spec, Options(3, 2, 2, 2.0), 0, 240, "stagnation_before");
  StopAndResume(spec, Options(3, 2, 2, 2.0), 1, 120, "stagnation_next_experiment");
  // A sufficient threshold just under experiment 0's final best: stopped before the check
  // that passes.
  const ExperimentSpec selected = SelectedOnSearchTasks(RunSpec(3, 0));
  const SearchResult reference = MustRun(selected, Options(3, 2, 1, 2.0)).result;
  StopAndResume(selected, Options(3, 2, 2, reference.experiments[0].search_fitness - 1e-9), 0, 120,
                "sufficient_before");
}

TEST(EarlyStopRunTest, ASearchThatStoppedEarlyStaysStoppedWhenResumed) {
  const ExperimentSpec spec = RunSpec(3, 300);
  const std::string path = TempPath("stopped_early.ckpt");
  RemoveCheckpoints(path);
  SearchOptions options = Options(3, 2, 1, 2.0);
  options.checkpoint_path = path;
  options.checkpoint_every_secs = 0;  // At every boundary: changes nothing either.
  const SearchResult run = MustRun(spec, options).result;
  ASSERT_EQ(run.experiments[0].early_stop, STAGNATION);
  ExpectSameRun(MustRun(spec, Options(3, 2, 1, 2.0)).result, run);
  const CheckpointProto checkpoint = MustReadCheckpoint(path);
  EXPECT_EQ(checkpoint.search().early_stop().stopped(), STAGNATION);
  SearchOptions resume = Options(3, 1, 1, 2.0);
  resume.resume = &checkpoint;
  ExpectSameRun(run, MustRun(spec, resume).result);
}

}  // namespace
}  // namespace automl

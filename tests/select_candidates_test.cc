// Tests of select_candidates (experiment_spec.proto): an experiment's program is the best on
// T_select among its best-ever program and its latest discoveries. Whole runs are compared with
// the same run at select_candidates 1, whose discoveries are the candidates, scored here
// independently on the experiment's select tasks.
#include <algorithm>
#include <atomic>
#include <cstdint>
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

// The tiny search, 2 experiments of 1200 individuals, progress points (so discoveries) every
// 20 individuals.
ExperimentSpec CandidatesSpec(int candidates) {
  ExperimentSpec spec = TinySearchSpec();
  spec.set_max_individuals(1200);
  spec.set_progress_every_individuals(20);
  spec.set_select_candidates(candidates);
  ExpectValidSpec(spec);
  return spec;
}

SearchOptions Options(int threads) {
  SearchOptions options = BaseOptions(/*islands=*/2, threads);
  options.max_experiments = 2;
  return options;
}

struct Candidate {
  Program program;
  double search_fitness = 0.0;
  double select_fitness = 0.0;
  int64_t found_at = -1;
};

// What select_candidates = `k` must choose in `experiment` of `run` (a run with
// select_candidates 1): its best program, then its discoveries from the latest back, the best's
// own discovery not counted twice, `k` programs in all, each scored on the experiment's select
// tasks; the highest select fitness wins, ties to the later.
Candidate ExpectedChoice(const ExperimentSpec& spec, const SearchResult& run, int experiment,
                         int k) {
  absl::StatusOr<SearchSpace> space = BuildSearchSpace(spec);
  EXPECT_TRUE(space.ok());
  absl::StatusOr<std::unique_ptr<Executor>> select = MakeExecutor(
      SelectTasksForExperiment(spec, 42, experiment), ExecutorOptionsOfRun(spec, *space, 42));
  EXPECT_TRUE(select.ok()) << select.status();
  const ExperimentSummary& summary = run.experiments[experiment];
  std::vector<Candidate> candidates = {
      {summary.best_program, summary.search_fitness, summary.select_fitness, -1}};
  for (auto d = run.discoveries.rbegin(); d != run.discoveries.rend(); ++d) {
    if (d->experiment != experiment) continue;
    if (d->program == summary.best_program) {
      candidates[0].found_at = d->individuals;
    } else if (static_cast<int>(candidates.size()) < k) {
      candidates.push_back(
          {d->program, d->fitness, (*select)->Evaluate(d->program).quality, d->individuals});
    }
  }
  Candidate best = candidates[0];
  for (const Candidate& c : candidates) {
    if (c.select_fitness > best.select_fitness) best = c;
  }
  return best;
}

TEST(SelectCandidatesTest, TheBestOnSelectAmongTheLatestDiscoveriesIsChosen) {
  const SearchResult reference = MustRun(CandidatesSpec(1), Options(2)).result;
  ASSERT_EQ(reference.experiments.size(), 2u);
  bool some_choice_changed = false;
  for (int k : {2, 4, 1000}) {
    SCOPED_TRACE(absl::StrCat("select_candidates ", k));
    const ExperimentSpec spec = CandidatesSpec(k);
    const SearchResult run = MustRun(spec, Options(2)).result;
    // The search itself is the reference's: same progress and discoveries.
    ASSERT_EQ(run.discoveries.size(), reference.discoveries.size());
    for (size_t i = 0; i < run.discoveries.size(); ++i) {
      EXPECT_EQ(run.discoveries[i].program, reference.discoveries[i].program) << i;
    }
    double best_select = -1.0;
    for (int experiment = 0; experiment < 2; ++experiment) {
      const Candidate expected = ExpectedChoice(spec, reference, experiment, k);
      const ExperimentSummary& e = run.experiments[experiment];
      EXPECT_EQ(e.best_program, expected.program) << "experiment " << experiment;
      EXPECT_EQ(e.select_fitness, expected.select_fitness);
      EXPECT_EQ(e.search_fitness, expected.search_fitness);
      EXPECT_EQ(e.search_objectives.quality, expected.search_fitness);
      EXPECT_EQ(e.chosen_at_individuals, expected.found_at);
      EXPECT_GE(e.select_fitness, reference.experiments[experiment].select_fitness);
      EXPECT_GE(e.select_candidates_scored, 1);
      EXPECT_LE(e.select_candidates_scored, k);
      some_choice_changed |= !(e.best_program == reference.experiments[experiment].best_program);
      best_select = std::max(best_select, e.select_fitness);
    }
    EXPECT_EQ(run.best_select_fitness, best_select);
    // The thread count never matters.
    ExpectSameRun(run, MustRun(spec, Options(1)).result);
  }
  // Otherwise the test would not show that a candidate can win.
  EXPECT_TRUE(some_choice_changed);
}

TEST(SelectCandidatesTest, OneCandidateIsTheBestOnSearch) {
  const SearchResult run = MustRun(CandidatesSpec(1), Options(2)).result;
  for (const ExperimentSummary& e : run.experiments) {
    EXPECT_EQ(e.select_candidates_scored, 0);
    EXPECT_EQ(e.chosen_at_individuals, -1);
  }
}

TEST(SelectCandidatesTest, AResumedRunChoosesAsTheUninterruptedOne) {
  const ExperimentSpec spec = CandidatesSpec(6);
  const SearchResult uninterrupted = MustRun(spec, Options(2)).result;
  const std::string path = TempPath("select_candidates.ckpt");
  RemoveCheckpoints(path);
  std::atomic<bool> stop_requested{false};
  SearchOptions first = Options(2);
  first.checkpoint_path = path;
  first.stop_requested = &stop_requested;
  first.on_progress = [&](const ProgressRecord& r) {
    if (r.experiment == 1 && r.individuals == 400) stop_requested = true;
  };
  ASSERT_TRUE(MustRun(spec, first).result.interrupted);
  const CheckpointProto checkpoint = MustReadCheckpoint(path);
  SearchOptions second = Options(2);
  second.resume = &checkpoint;
  ExpectSameRun(uninterrupted, MustRun(spec, second).result);
}

}  // namespace
}  // namespace automl

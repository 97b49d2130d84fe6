#include "tests/run_comparison.h"

#include <unistd.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "evolution/checkpoint.h"
#include "gtest/gtest.h"
#include "instructions/printer.h"

namespace automl {

RunOutcome MustRun(const ExperimentSpec& spec, SearchOptions options) {
  RunOutcome outcome;
  options.on_checkpoint = [&outcome](const CheckpointEvent& event) {
    EXPECT_TRUE(event.status.ok()) << event.status;
    ++outcome.checkpoints_written;
  };
  absl::StatusOr<SearchResult> result = RunSearch(spec, options);
  EXPECT_TRUE(result.ok()) << result.status();
  if (result.ok()) outcome.result = *std::move(result);
  return outcome;
}

SearchOptions BaseOptions(int islands, int threads) {
  SearchOptions options;
  options.random_seed = 42;
  options.num_islands = islands;
  options.num_threads = threads;
  return options;
}

void ExpectSameRun(const SearchResult& expected, const SearchResult& actual) {
  ASSERT_EQ(expected.progress.size(), actual.progress.size());
  for (size_t i = 0; i < expected.progress.size(); ++i) {
    const ProgressRecord& e = expected.progress[i];
    const ProgressRecord& a = actual.progress[i];
    SCOPED_TRACE(absl::StrCat("progress line ", i, ": ", FormatProgressLine(a)));
    EXPECT_EQ(e.experiment, a.experiment);
    EXPECT_EQ(e.individuals, a.individuals);
    EXPECT_EQ(e.best_fitness, a.best_fitness);
    EXPECT_EQ(e.mean_fitness, a.mean_fitness);
    EXPECT_EQ(e.fec_hit_rate, a.fec_hit_rate);
    EXPECT_EQ(e.hurdle_cut_rate, a.hurdle_cut_rate);
    EXPECT_EQ(e.train_steps, a.train_steps);
    EXPECT_EQ(e.migrations, a.migrations);
  }
  ASSERT_EQ(expected.discoveries.size(), actual.discoveries.size());
  for (size_t i = 0; i < expected.discoveries.size(); ++i) {
    const Discovery& e = expected.discoveries[i];
    const Discovery& a = actual.discoveries[i];
    SCOPED_TRACE(absl::StrCat("discovery ", i));
    EXPECT_EQ(e.experiment, a.experiment);
    EXPECT_EQ(e.individuals, a.individuals);
    EXPECT_EQ(e.fitness, a.fitness);
    EXPECT_EQ(e.program, a.program);
    EXPECT_EQ(e.objectives, a.objectives);
    EXPECT_EQ(e.search_tasks_rotation, a.search_tasks_rotation);
  }
  ASSERT_EQ(expected.experiments.size(), actual.experiments.size());
  for (size_t i = 0; i < expected.experiments.size(); ++i) {
    const ExperimentSummary& e = expected.experiments[i];
    const ExperimentSummary& a = actual.experiments[i];
    EXPECT_EQ(e.best_program, a.best_program) << "experiment " << i;
    EXPECT_EQ(e.search_fitness, a.search_fitness);
    EXPECT_EQ(e.select_fitness, a.select_fitness);
    EXPECT_EQ(e.individuals, a.individuals);
    EXPECT_EQ(e.train_steps, a.train_steps);
    EXPECT_EQ(e.best_island, a.best_island);
    EXPECT_EQ(e.early_stop, a.early_stop);
    EXPECT_EQ(e.select_candidates_scored, a.select_candidates_scored);
    EXPECT_EQ(e.chosen_at_individuals, a.chosen_at_individuals);
  }
  EXPECT_EQ(expected.best_program, actual.best_program)
      << PrintProgram(expected.best_program) << "vs\n"
      << PrintProgram(actual.best_program);
  EXPECT_EQ(expected.best_experiment, actual.best_experiment);
  EXPECT_EQ(expected.final_fitness, actual.final_fitness);
  EXPECT_EQ(expected.total_individuals, actual.total_individuals);
}

CheckpointProto MustReadCheckpoint(const std::string& path) {
  absl::StatusOr<LoadedCheckpoint> loaded = ReadCheckpoint(path);
  EXPECT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_TRUE((loaded.ok() ? loaded->warning : "").empty());
  return loaded.ok() ? loaded->checkpoint : CheckpointProto();
}

void RemoveCheckpoints(const std::string& path) {
  ::unlink(path.c_str());
  ::unlink((path + ".prev").c_str());
}

}  // namespace automl

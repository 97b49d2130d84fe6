// The objectives through a whole run (RunSearch) on CSV tasks with a group column: asking for
// more objectives changes nothing in a quality search; the best program's objectives on
// T_search, T_select and the final tasks reach the result, summary.json and the end-of-run
// lines; ScoreProgram reproduces the select score; objectives the tasks cannot give stop the
// run at its start with one line.
#include <cmath>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "evolution/experiment.h"
#include "evolution/experiment_scoring.h"
#include "evolution/experiment_setup.h"
#include "evolution/experiment_spec.pb.h"
#include "executor/objectives.h"
#include "experiments/search_outputs.h"
#include "experiments/summary_json.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_specs.h"
#include "tests/test_util.h"

namespace automl {
namespace {

using ::testing::HasSubstr;

// 120 rows: two features, a group (alternating 0, 1) and a label that depends on both.
std::string WriteGroupedCsv() {
  const std::string path = TempPath("grouped.csv");
  std::ofstream file(path);
  file << "x1,x2,group,label\n";
  for (int i = 0; i < 120; ++i) {
    const double x1 = std::sin(1.3 * i);
    const double x2 = std::cos(0.7 * i);
    const int group = i % 2;
    file << x1 << "," << x2 << "," << group << "," << (x1 + 0.5 * x2 - 0.3 * group > 0) << "\n";
  }
  return path;
}

TaskCollection CsvTasks(const std::string& path, bool with_groups, int num_tasks) {
  return ParseTextOrDie<TaskCollection>(absl::StrCat(
      "tasks { csv { path: '", path, "' label_column: 'label' kind: BINARY_CLASSIFICATION ",
      with_groups ? "group_column: 'group' " : "ignored_columns: 'group' ",
      "} feature_size: 4 num_train_examples: 40 num_valid_examples: 30 num_test_examples: 30 ",
      "eval_type: ACCURACY num_tasks: ", num_tasks, " }"));
}

ExperimentSpec CsvSpec(bool with_groups = true) {
  const std::string path = WriteGroupedCsv();
  ExperimentSpec spec = TinySearchSpec();
  *spec.mutable_search_tasks() = CsvTasks(path, with_groups, 2);
  *spec.mutable_select_tasks() = CsvTasks(path, with_groups, 2);
  *spec.mutable_final_tasks() = CsvTasks(path, with_groups, 3);
  spec.set_max_individuals(300);
  spec.set_progress_every_individuals(100);
  return spec;
}

void ReportEveryObjective(ExperimentSpec& spec) {
  for (const ObjectiveInfo& info : kObjectiveTable) {
    spec.mutable_objectives()->add_report(
        static_cast<ObjectiveName>(static_cast<int>(info.objective) + 1));
  }
}

SearchResult MustRun(const ExperimentSpec& spec) {
  SearchOptions options;
  options.random_seed = 3;
  options.num_threads = 1;
  absl::StatusOr<SearchResult> result = RunSearch(spec, options);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *result : SearchResult{};
}

TEST(ObjectivesRunTest, ReportingObjectivesChangesNothingInTheSearch) {
  ExperimentSpec spec = CsvSpec();
  const SearchResult plain = MustRun(spec);
  ReportEveryObjective(spec);
  const SearchResult reported = MustRun(spec);
  ASSERT_EQ(plain.progress.size(), reported.progress.size());
  for (size_t i = 0; i < plain.progress.size(); ++i) {
    EXPECT_EQ(plain.progress[i].best_fitness, reported.progress[i].best_fitness);
    EXPECT_EQ(plain.progress[i].mean_fitness, reported.progress[i].mean_fitness);
    EXPECT_EQ(plain.progress[i].train_steps, reported.progress[i].train_steps);
    EXPECT_EQ(plain.progress[i].fec_hit_rate, reported.progress[i].fec_hit_rate);
  }
  EXPECT_EQ(plain.best_program, reported.best_program);
  EXPECT_EQ(plain.best_select_fitness, reported.best_select_fitness);
  EXPECT_EQ(plain.final_fitness, reported.final_fitness);
  EXPECT_EQ(plain.final_test_fitness, reported.final_test_fitness);
  // Quality alone without objectives in the spec.
  EXPECT_EQ(plain.objectives, std::vector<Objective>{Objective::kQuality});
  EXPECT_EQ(plain.final_objectives, Fitness{plain.final_fitness});
}

TEST(ObjectivesRunTest, TheBestProgramsObjectivesReachTheResultAndTheSummary) {
  ExperimentSpec spec = CsvSpec();
  ReportEveryObjective(spec);
  const SearchResult result = MustRun(spec);
  ASSERT_EQ(result.objectives.size(), static_cast<size_t>(kNumObjectives));
  EXPECT_EQ(result.best_search_objectives.quality, result.experiments[0].search_fitness);
  EXPECT_EQ(result.best_select_objectives.quality, result.best_select_fitness);
  EXPECT_EQ(result.final_objectives.quality, result.final_fitness);
  EXPECT_EQ(result.final_test_objectives.quality, result.final_test_fitness);
  EXPECT_GT(result.best_search_objectives.size, 0.0);
  // Static objectives do not depend on the tasks.
  EXPECT_EQ(result.final_test_objectives.size, result.best_search_objectives.size);
  EXPECT_EQ(result.best_select_objectives.inference_cost,
            result.best_search_objectives.inference_cost);
  for (const Fitness& fitness : {result.best_search_objectives, result.best_select_objectives,
                                 result.final_objectives, result.final_test_objectives}) {
    EXPECT_GE(fitness.auc, 0.0);
    EXPECT_LE(fitness.auc, 1.0);
    EXPECT_LE(fitness.dppl, 1.0);
    EXPECT_LE(fitness.disparate_impact, 1.0);
  }

  // The select score is ScoreProgram's, on the experiment's select tasks.
  absl::StatusOr<std::unique_ptr<IslandSearchParts>> parts = MakeIslandSearchParts(spec, 3, 0);
  ASSERT_TRUE(parts.ok()) << parts.status();
  absl::StatusOr<std::unique_ptr<Executor>> select = MakeExecutor(
      SelectTasksForExperiment(spec, 3, 0), ExecutorOptionsOfRun(spec, (*parts)->space, 3));
  ASSERT_TRUE(select.ok()) << select.status();
  EXPECT_EQ(ScoreProgram(**select, result.best_program, true).valid, result.best_select_objectives);

  const SearchSummaryProto summary = ToSummaryProto(result, RunInfo{3, "spec"});
  ASSERT_EQ(summary.objectives_size(), kNumObjectives);
  EXPECT_EQ(summary.objectives(2).name(), "dppl");
  EXPECT_EQ(summary.objectives(2).select(), result.best_select_objectives.dppl);
  EXPECT_EQ(summary.objectives(7).final_test(), result.final_test_objectives.size);
  EXPECT_EQ(summary.experiments(0).objectives(1).search(), result.best_search_objectives.auc);
  EXPECT_FALSE(summary.experiments(0).objectives(1).has_final_valid());
  absl::StatusOr<std::string> json = SummaryJson(summary);
  ASSERT_TRUE(json.ok());
  EXPECT_THAT(*json, HasSubstr("\"name\": \"equalized_odds_difference\""));

  testing::internal::CaptureStdout();
  ASSERT_TRUE(
      ReportSearchEnd(result, RunInfo{3, "spec"}, OutputPaths{}, (*parts)->space.shape).ok());
  const std::string printed = testing::internal::GetCapturedStdout();
  for (const char* split : {"search", "select", "final_valid", "final_test"}) {
    EXPECT_THAT(printed, HasSubstr(absl::StrCat("objectives ", split, ": quality=")));
  }
  EXPECT_THAT(printed, HasSubstr(" disparate_impact="));
}

TEST(ObjectivesRunTest, ObjectivesTheTasksCannotGiveStopTheRunAtItsStart) {
  auto run_error = [](const ExperimentSpec& spec) {
    SearchOptions options;
    options.num_threads = 1;
    bool searched = false;
    options.on_search_started = [&searched] { searched = true; };
    absl::StatusOr<SearchResult> result = RunSearch(spec, options);
    EXPECT_FALSE(searched);
    return result.ok() ? std::string() : std::string(result.status().message());
  };
  ExperimentSpec regression = TinySearchSpec();
  regression.set_max_individuals(100);
  regression.mutable_objectives()->add_report(DPPL);
  EXPECT_THAT(run_error(regression),
              HasSubstr("objectives.report[0]: dppl needs classification tasks but "
                        "search_tasks.tasks[0] is a regression task"));

  ExperimentSpec no_groups = CsvSpec(/*with_groups=*/false);
  no_groups.mutable_objectives()->add_report(DISPARATE_IMPACT);
  EXPECT_THAT(run_error(no_groups), HasSubstr(": objective disparate_impact needs a group column"));

  ExperimentSpec final_regression = CsvSpec();
  *final_regression.mutable_final_tasks() = TinySearchSpec().final_tasks();
  final_regression.mutable_objectives()->add_report(AUC);
  EXPECT_THAT(run_error(final_regression),
              HasSubstr("objectives.report[0]: auc needs classification tasks but "
                        "final_tasks.tasks[0] is a regression task"));
}

}  // namespace
}  // namespace automl

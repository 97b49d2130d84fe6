// Tests of the objectives section's validation (evolution/objectives_validation.h, through
// ValidateExperimentSpec): valid specs of every selection mode pass, and each bad input is
// rejected with one line naming the field.
#include <string>

#include "evolution/experiment_spec.h"
#include "evolution/experiment_spec.pb.h"
#include "gtest/gtest.h"
#include "tests/test_specs.h"
#include "tests/test_util.h"

namespace automl {
namespace {

// The tiny search (regression tasks) with `objectives` as its objectives section.
ExperimentSpec WithObjectives(const std::string& objectives) {
  ExperimentSpec spec = TinySearchSpec();
  spec.set_max_individuals(100);
  *spec.mutable_objectives() = ParseTextOrDie<ObjectivesSpec>(objectives);
  return spec;
}

// ...on classification tasks (a unit-test family evaluated by accuracy).
ExperimentSpec ClassificationWithObjectives(const std::string& objectives) {
  ExperimentSpec spec = WithObjectives(objectives);
  for (TaskCollection* tasks :
       {spec.mutable_search_tasks(), spec.mutable_select_tasks(), spec.mutable_final_tasks()}) {
    for (TaskSpec& task : *tasks->mutable_tasks()) {
      task.mutable_unit_test()->mutable_all_zeros();
      task.set_eval_type(ACCURACY);
    }
  }
  return spec;
}

std::string Error(const ExperimentSpec& spec) {
  return std::string(ValidateExperimentSpec(spec).message());
}

TEST(ObjectivesValidationTest, ValidSpecsOfEveryMode) {
  ExpectValidSpec(WithObjectives(""));
  ExpectValidSpec(WithObjectives("selection: SINGLE_OBJECTIVE report: [ SIZE ]"));
  ExpectValidSpec(ClassificationWithObjectives(R"pb(
    selection: SCALARIZED
    weights { objective: AUC weight: 3 }
    weights { objective: DPPL weight: 1 }
  )pb"));
  ExpectValidSpec(ClassificationWithObjectives(R"pb(
    selection: CONSTRAINED
    primary: QUALITY
    bounds { objective: DPPL max: 0.05 }
    bounds { objective: INFERENCE_COST max: 200 }
  )pb"));
  ExpectValidSpec(WithObjectives(R"pb(
    selection: PARETO
    pareto_objectives: [ QUALITY, INFERENCE_COST ]
    bounds { objective: QUALITY min: 0.9 }
    archive_size: 1
  )pb"));
}

TEST(ObjectivesValidationTest, EachBadInputNamesItsField) {
  struct Case {
    std::string objectives;
    std::string error;
  };
  const Case cases[] = {
      {"selection: SELECTION_KIND_UNSET",
       "objectives.selection must be SINGLE_OBJECTIVE, SCALARIZED, CONSTRAINED or PARETO"},
      {"selection: SCALARIZED weights { weight: 1 }",
       "objectives.weights[0].objective is required (an objective such as QUALITY or DPPL)"},
      {"selection: SCALARIZED weights { objective: QUALITY weight: -1 }",
       "objectives.weights[0].weight (-1) must be positive"},
      {"selection: SCALARIZED weights { objective: QUALITY weight: 0 }",
       "objectives.weights[0].weight (0) must be positive"},
      {"selection: SCALARIZED weights { objective: QUALITY }",
       "objectives.weights[0].weight (0) must be positive"},
      {"selection: SCALARIZED weights { objective: QUALITY weight: 1 } "
       "weights { objective: QUALITY weight: 2 }",
       "objectives.weights[1].objective: quality is weighted twice"},
      {"selection: SCALARIZED weights { objective: SIZE weight: 1 }",
       "objectives.weights[0].scale is required for size and must be positive (h = 1 / (1 + "
       "value / scale))"},
      {"selection: SCALARIZED weights { objective: QUALITY weight: 1 scale: 2 }",
       "objectives.weights[0].scale is only for costs and size, not quality (whose range is "
       "[0, 1])"},
      {"selection: SCALARIZED", "objectives.weights: SCALARIZED needs at least one weight"},
      {"selection: PARETO pareto_objectives: [ QUALITY, SIZE ] "
       "weights { objective: QUALITY weight: 1 }",
       "objectives.weights is only used by SCALARIZED, not PARETO"},
      {"selection: CONSTRAINED bounds { objective: SIZE max: 10 }",
       "objectives.primary is required for CONSTRAINED"},
      {"selection: CONSTRAINED primary: QUALITY",
       "objectives.bounds: CONSTRAINED needs at least one bound"},
      {"selection: CONSTRAINED primary: OBJECTIVE_UNSET bounds { objective: SIZE max: 1 }",
       "objectives.primary is required (an objective such as QUALITY or DPPL)"},
      {"selection: CONSTRAINED primary: QUALITY bounds { objective: QUALITY max: 1.5 }",
       "objectives.bounds[0].max (1.5) is outside quality's range [0, 1]"},
      {"selection: CONSTRAINED primary: QUALITY bounds { objective: TRAINING_COST max: -1 }",
       "objectives.bounds[0].max (-1) is outside training_cost's range [0, infinity)"},
      {"selection: CONSTRAINED primary: QUALITY bounds { objective: SIZE max: 1 min: 0 }",
       "objectives.bounds[0] needs exactly one of max and min"},
      {"selection: CONSTRAINED primary: QUALITY bounds { objective: SIZE }",
       "objectives.bounds[0] needs exactly one of max and min"},
      {"selection: CONSTRAINED primary: QUALITY bounds { max: 1 }",
       "objectives.bounds[0].objective is required (an objective such as QUALITY or DPPL)"},
      {"selection: CONSTRAINED primary: QUALITY bounds { objective: SIZE max: 9 } "
       "bounds { objective: SIZE max: 10 }",
       "objectives.bounds[1]: a second max bound on size"},
      {"selection: SINGLE_OBJECTIVE bounds { objective: SIZE max: 9 }",
       "objectives.bounds is only used by CONSTRAINED and PARETO, not SINGLE_OBJECTIVE"},
      {"selection: SINGLE_OBJECTIVE primary: QUALITY",
       "objectives.primary is only used by CONSTRAINED, not SINGLE_OBJECTIVE"},
      {"selection: PARETO pareto_objectives: [ QUALITY ]",
       "objectives.pareto_objectives: PARETO needs at least 2 objectives (has 1)"},
      {"selection: PARETO",
       "objectives.pareto_objectives: PARETO needs at least 2 objectives (has 0)"},
      {"selection: PARETO pareto_objectives: [ SIZE, SIZE ]",
       "objectives.pareto_objectives[1]: size is listed twice"},
      {"selection: PARETO pareto_objectives: [ SIZE, OBJECTIVE_UNSET ]",
       "objectives.pareto_objectives[1] is required (an objective such as QUALITY or DPPL)"},
      {"selection: SCALARIZED weights { objective: QUALITY weight: 1 } "
       "pareto_objectives: [ QUALITY, SIZE ]",
       "objectives.pareto_objectives is only used by PARETO, not SCALARIZED"},
      {"selection: PARETO pareto_objectives: [ QUALITY, SIZE ] archive_size: 0",
       "objectives.archive_size (0) must be >= 1"},
      {"report: [ OBJECTIVE_UNSET ]",
       "objectives.report[0] is required (an objective such as QUALITY or DPPL)"},
      // Classification metrics on the tiny search's regression tasks.
      {"selection: PARETO pareto_objectives: [ QUALITY, DPPL ]",
       "objectives.pareto_objectives[1]: dppl needs classification tasks but "
       "search_tasks.tasks[0] is a regression task (RMS_ERROR)"},
      {"selection: SCALARIZED weights { objective: AUC weight: 1 }",
       "objectives.weights[0].objective: auc needs classification tasks but "
       "search_tasks.tasks[0] is a regression task (RMS_ERROR)"},
      {"report: [ SIZE, EQUALIZED_ODDS_DIFFERENCE ]",
       "objectives.report[1]: equalized_odds_difference needs classification tasks but "
       "search_tasks.tasks[0] is a regression task (RMS_ERROR)"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Error(WithObjectives(c.objectives)), c.error) << c.objectives;
  }
}

TEST(ObjectivesValidationTest, ClassificationMetricsCheckEveryTaskList) {
  ExperimentSpec spec = ClassificationWithObjectives("report: [ DISPARATE_IMPACT ]");
  ExpectValidSpec(spec);
  spec.mutable_final_tasks()->mutable_tasks(0)->clear_eval_type();  // The family's default.
  EXPECT_EQ(Error(spec),
            "objectives.report[0]: disparate_impact needs classification tasks but "
            "final_tasks.tasks[0] is a regression task (RMS_ERROR)");
}

}  // namespace
}  // namespace automl

// Tests of experiment spec parsing and validation (evolution/experiment_spec.h): a valid spec
// passes and becomes the expected search space, and every kind of bad input is rejected with
// one line that names the offending field.
#include "evolution/experiment_spec.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "evolution/experiment_spec.pb.h"
#include "evolution/search_space.h"
#include "gtest/gtest.h"
#include "instructions/ops.h"
#include "tasks/task_registry.h"
#include "tests/test_specs.h"
#include "tests/test_util.h"

namespace automl {
namespace {

constexpr char kValidSpec[] = R"pb(
  search_tasks {
    tasks {
      scrambled_linear_regression {}
      feature_size: 4
      num_train_examples: 10
      num_valid_examples: 10
      num_tasks: 2
    }
  }
  select_tasks {
    tasks {
      scrambled_linear_regression {}
      feature_size: 4
      num_train_examples: 10
      num_valid_examples: 10
    }
  }
  final_tasks {
    tasks {
      scrambled_linear_regression {}
      feature_size: 4
      num_train_examples: 10
      num_valid_examples: 10
    }
  }
  setup {
    ops: [ "SCALAR_CONST_SET" ]
    initial_size: 2
  }
  predict {
    ops: [ "VECTOR_INNER_PRODUCT" ]
    initial_size: 1
    max_size: 3
  }
  learn {
    ops: [ "SCALAR_DIFF", "SCALAR_VECTOR_PRODUCT", "VECTOR_SUM" ]
    initial_size: 4
    min_size: 2
    max_size: 6
  }
  num_scalars: 4
  num_vectors: 3
  num_matrices: 0
  initial_population: RANDOM_PROGRAMS
  population_size: 10
  tournament_size: 3
  mutate_prob: 0.9
  mutation_types: [ ALTER_PARAM, INSERT_INSTRUCTION, REMOVE_INSTRUCTION ]
  max_individuals: 100
)pb";

ExperimentSpec ValidSpec() {
  absl::StatusOr<ExperimentSpec> spec = ParseExperimentSpec(kValidSpec, "valid");
  EXPECT_TRUE(spec.ok()) << spec.status();
  return *spec;
}

// A status message is one line (binaries print it as their only error line).
void ExpectOneLine(const absl::Status& status) {
  EXPECT_EQ(std::string(status.message()).find('\n'), std::string::npos) << status;
}

TEST(ExperimentSpecTest, ValidSpecPassesAndBuildsTheSearchSpace) {
  const ExperimentSpec spec = ValidSpec();
  ExpectValidSpec(spec);
  absl::StatusOr<SearchSpace> space = BuildSearchSpace(spec);
  ASSERT_TRUE(space.ok()) << space.status();
  EXPECT_EQ(space->shape.num_scalars, 4);
  EXPECT_EQ(space->shape.num_vectors, 3);
  EXPECT_EQ(space->shape.num_matrices, 0);
  EXPECT_EQ(space->shape.feature_size, 4);
  EXPECT_EQ(SpecFeatureSize(spec), 4);
  const FunctionSpace& setup = space->function(ComponentFunction::kSetup);
  EXPECT_EQ(setup.ops, std::vector<Op>{Op::SCALAR_CONST_SET});
  // min_size and max_size default to initial_size.
  EXPECT_EQ(setup.initial_size, 2);
  EXPECT_EQ(setup.min_size, 2);
  EXPECT_EQ(setup.max_size, 2);
  const FunctionSpace& predict = space->function(ComponentFunction::kPredict);
  EXPECT_EQ(predict.min_size, 1);
  EXPECT_EQ(predict.max_size, 3);
  const FunctionSpace& learn = space->function(ComponentFunction::kLearn);
  EXPECT_EQ(learn.ops,
            (std::vector<Op>{Op::SCALAR_DIFF, Op::SCALAR_VECTOR_PRODUCT, Op::VECTOR_SUM}));
  EXPECT_EQ(learn.min_size, 2);
  EXPECT_EQ(learn.max_size, 6);
  // Defaults of the optional parts.
  EXPECT_TRUE(spec.fec().enabled());
  EXPECT_FALSE(spec.hurdles().enabled());
  EXPECT_FALSE(spec.train_budget().enabled());
  EXPECT_EQ(spec.fitness_combination(), MEAN);
}

TEST(ExperimentSpecTest, ShippedDemoSpecIsValid) {
  absl::StatusOr<ExperimentSpec> spec =
      ReadExperimentSpecFile("experiments/specs/linear_demo.textproto");
  ASSERT_TRUE(spec.ok()) << spec.status();
  ExpectValidSpec(*spec);
}

// --- Parse errors ---

TEST(ExperimentSpecParseTest, UnknownFieldIsNamedWithItsLine) {
  const std::string valid = kValidSpec;
  const std::string text = valid + "population_sise: 10\n";
  const int line = static_cast<int>(std::count(valid.begin(), valid.end(), '\n')) + 1;
  absl::StatusOr<ExperimentSpec> spec = ParseExperimentSpec(text, "my_spec.textproto");
  ASSERT_FALSE(spec.ok());
  const std::string message(spec.status().message());
  EXPECT_NE(message.find("population_sise"), std::string::npos) << message;
  EXPECT_NE(message.find("my_spec.textproto"), std::string::npos) << message;
  EXPECT_NE(message.find("line " + std::to_string(line) + ":"), std::string::npos) << message;
  ExpectOneLine(spec.status());
}

TEST(ExperimentSpecParseTest, UnknownEnumValueIsNamed) {
  std::string text = kValidSpec;
  const std::string field = "initial_population: RANDOM_PROGRAMS";
  text.replace(text.find(field), field.size(), "initial_population: RANDOM_PROGRAM");
  absl::StatusOr<ExperimentSpec> spec = ParseExperimentSpec(text);
  ASSERT_FALSE(spec.ok());
  EXPECT_NE(spec.status().message().find("RANDOM_PROGRAM"), std::string::npos) << spec.status();
  ExpectOneLine(spec.status());
}

TEST(ExperimentSpecParseTest, SyntaxErrorNamesTheLine) {
  absl::StatusOr<ExperimentSpec> spec = ParseExperimentSpec("num_scalars: 4\nsetup {\n", "s");
  ASSERT_FALSE(spec.ok());
  EXPECT_NE(spec.status().message().find("line 3"), std::string::npos) << spec.status();
  ExpectOneLine(spec.status());
}

TEST(ExperimentSpecParseTest, MissingFileIsNamed) {
  absl::StatusOr<ExperimentSpec> spec = ReadExperimentSpecFile("/nonexistent/dir/spec.textproto");
  ASSERT_FALSE(spec.ok());
  EXPECT_TRUE(absl::IsNotFound(spec.status())) << spec.status();
  EXPECT_NE(spec.status().message().find("/nonexistent/dir/spec.textproto"), std::string::npos);
}

TEST(ExperimentSpecParseTest, TaskCollectionFileErrorsAreNamed) {
  const std::string path = TempPath("bad_tasks.textproto");
  std::ofstream(path) << "tasks { feature_size: 4 colour: 3 }\n";
  absl::StatusOr<TaskCollection> tasks = ParseTaskCollectionFile(path);
  ASSERT_FALSE(tasks.ok());
  EXPECT_NE(tasks.status().message().find("colour"), std::string::npos) << tasks.status();
  EXPECT_NE(tasks.status().message().find(path), std::string::npos) << tasks.status();
}

// --- Validation errors: each edit of the valid spec must be rejected naming `expected` ---

struct BadSpecCase {
  const char* name;
  std::function<void(ExperimentSpec&)> edit;
  std::vector<const char*> expected;  // Substrings of the message.
};

class BadSpecTest : public ::testing::TestWithParam<BadSpecCase> {};

TEST_P(BadSpecTest, IsRejectedNamingTheField) {
  ExperimentSpec spec = ValidSpec();
  GetParam().edit(spec);
  const absl::Status status = ValidateExperimentSpec(spec);
  ASSERT_FALSE(status.ok()) << GetParam().name;
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
  for (const char* expected : GetParam().expected) {
    EXPECT_NE(std::string(status.message()).find(expected), std::string::npos)
        << "message \"" << status.message() << "\" does not contain \"" << expected << "\"";
  }
  ExpectOneLine(status);
  // BuildSearchSpace validates too.
  EXPECT_FALSE(BuildSearchSpace(spec).ok());
}

TaskSpec& FirstSearchTask(ExperimentSpec& spec) {
  return *spec.mutable_search_tasks()->mutable_tasks(0);
}

const BadSpecCase kBadSpecs[] = {
    // Missing required fields.
    {"no_search_tasks", [](ExperimentSpec& s) { s.clear_search_tasks(); }, {"search_tasks"}},
    {"empty_search_tasks",
     [](ExperimentSpec& s) { s.mutable_search_tasks()->clear_tasks(); },
     {"search_tasks", "no tasks"}},
    {"no_select_tasks", [](ExperimentSpec& s) { s.clear_select_tasks(); }, {"select_tasks"}},
    {"no_final_tasks", [](ExperimentSpec& s) { s.clear_final_tasks(); }, {"final_tasks"}},
    {"no_setup", [](ExperimentSpec& s) { s.clear_setup(); }, {"setup"}},
    {"no_predict", [](ExperimentSpec& s) { s.clear_predict(); }, {"predict"}},
    {"no_learn", [](ExperimentSpec& s) { s.clear_learn(); }, {"learn"}},
    {"no_initial_size",
     [](ExperimentSpec& s) { s.mutable_learn()->clear_initial_size(); },
     {"learn.initial_size"}},
    {"no_num_scalars", [](ExperimentSpec& s) { s.clear_num_scalars(); }, {"num_scalars"}},
    {"no_num_vectors", [](ExperimentSpec& s) { s.clear_num_vectors(); }, {"num_vectors"}},
    {"no_num_matrices", [](ExperimentSpec& s) { s.clear_num_matrices(); }, {"num_matrices"}},
    {"no_initial_population",
     [](ExperimentSpec& s) { s.clear_initial_population(); },
     {"initial_population"}},
    {"no_population_size",
     [](ExperimentSpec& s) { s.clear_population_size(); },
     {"population_size"}},
    {"no_tournament_size",
     [](ExperimentSpec& s) { s.clear_tournament_size(); },
     {"tournament_size"}},
    {"no_mutate_prob", [](ExperimentSpec& s) { s.clear_mutate_prob(); }, {"mutate_prob"}},
    {"no_mutation_types", [](ExperimentSpec& s) { s.clear_mutation_types(); }, {"mutation_types"}},
    {"no_stopping_limit",
     [](ExperimentSpec& s) { s.clear_max_individuals(); },
     {"stopping limit", "max_individuals", "max_train_steps", "max_seconds"}},
    // Impossible values.
    {"tournament_larger_than_population",
     [](ExperimentSpec& s) { s.set_tournament_size(11); },
     {"tournament_size (11)", "population_size (10)"}},
    {"tournament_zero", [](ExperimentSpec& s) { s.set_tournament_size(0); }, {"tournament_size"}},
    {"population_one", [](ExperimentSpec& s) { s.set_population_size(1); }, {"population_size"}},
    {"min_larger_than_max",
     [](ExperimentSpec& s) {
       s.mutable_learn()->set_min_size(5);
       s.mutable_learn()->set_max_size(3);
     },
     {"learn.min_size (5)", "max_size (3)"}},
    {"initial_outside_limits",
     [](ExperimentSpec& s) { s.mutable_predict()->set_max_size(0); },
     {"predict."}},
    {"negative_min_size",
     [](ExperimentSpec& s) { s.mutable_setup()->set_min_size(-1); },
     {"setup.min_size"}},
    {"negative_initial_size",
     [](ExperimentSpec& s) { s.mutable_setup()->set_initial_size(-2); },
     {"setup.initial_size"}},
    {"huge_max_size",
     [](ExperimentSpec& s) { s.mutable_learn()->set_max_size(2000000000); },
     {"learn.max_size (2000000000)", "limit"}},
    {"huge_initial_size",
     [](ExperimentSpec& s) { s.mutable_setup()->set_initial_size(50000); },
     {"setup.initial_size (50000)", "limit"}},
    {"huge_population",
     [](ExperimentSpec& s) {
       s.set_population_size(2000000000);
       s.set_max_individuals(2000000000);
     },
     {"population_size (2000000000)", "limit"}},
    {"mutate_prob_above_one", [](ExperimentSpec& s) { s.set_mutate_prob(1.5); }, {"mutate_prob"}},
    {"mutate_prob_nan",
     [](ExperimentSpec& s) { s.set_mutate_prob(std::nan("")); },
     {"mutate_prob"}},
    {"unset_mutation_type",
     [](ExperimentSpec& s) { s.add_mutation_types(MUTATION_TYPE_UNSET); },
     {"mutation_types", "MUTATION_TYPE_UNSET"}},
    {"max_individuals_below_population",
     [](ExperimentSpec& s) { s.set_max_individuals(5); },
     {"max_individuals (5)", "population_size (10)"}},
    {"max_train_steps_zero",
     [](ExperimentSpec& s) { s.set_max_train_steps(0); },
     {"max_train_steps"}},
    {"max_seconds_negative", [](ExperimentSpec& s) { s.set_max_seconds(-1); }, {"max_seconds"}},
    {"max_abs_error_zero", [](ExperimentSpec& s) { s.set_max_abs_error(0); }, {"max_abs_error"}},
    {"progress_every_zero",
     [](ExperimentSpec& s) { s.set_progress_every_individuals(0); },
     {"progress_every_individuals"}},
    {"stop_check_every_zero",
     [](ExperimentSpec& s) { s.set_stop_check_every_individuals(0); },
     {"stop_check_every_individuals"}},
    {"stagnant_negative",
     [](ExperimentSpec& s) { s.set_stop_after_stagnant_individuals(-1); },
     {"stop_after_stagnant_individuals"}},
    {"select_candidates_zero",
     [](ExperimentSpec& s) { s.set_select_candidates(0); },
     {"select_candidates must be >= 1"}},
    {"select_candidates_with_pareto",
     [](ExperimentSpec& s) {
       s.set_select_candidates(5);
       s.mutable_objectives()->set_selection(PARETO);
       s.mutable_objectives()->add_pareto_objectives(QUALITY);
       s.mutable_objectives()->add_pareto_objectives(SIZE);
     },
     {"select_candidates > 1", "SINGLE_OBJECTIVE"}},
    // Ops.
    {"unknown_op",
     [](ExperimentSpec& s) { s.mutable_predict()->add_ops("VECTOR_DOT"); },
     {"predict.ops", "VECTOR_DOT"}},
    {"matrix_op_without_matrices",
     [](ExperimentSpec& s) { s.mutable_learn()->add_ops("MATRIX_VECTOR_PRODUCT"); },
     {"learn.ops", "MATRIX_VECTOR_PRODUCT", "num_matrices"}},
    {"matrix_input_without_matrices",
     [](ExperimentSpec& s) { s.mutable_setup()->add_ops("MATRIX_NORM"); },
     {"setup.ops", "MATRIX_NORM"}},
    {"vector_write_with_only_the_features",
     [](ExperimentSpec& s) {
       s.set_num_vectors(1);
       s.mutable_learn()->clear_ops();
       s.mutable_learn()->add_ops("VECTOR_SUM");
     },
     {"learn.ops", "VECTOR_SUM", "num_vectors"}},
    // Registers.
    {"one_scalar", [](ExperimentSpec& s) { s.set_num_scalars(1); }, {"num_scalars"}},
    {"too_many_vectors", [](ExperimentSpec& s) { s.set_num_vectors(1000); }, {"num_vectors"}},
    {"negative_matrices", [](ExperimentSpec& s) { s.set_num_matrices(-1); }, {"num_matrices"}},
    // Tasks.
    {"unsupported_feature_size",
     [](ExperimentSpec& s) {
       for (TaskCollection* tasks :
            {s.mutable_search_tasks(), s.mutable_select_tasks(), s.mutable_final_tasks()}) {
         tasks->mutable_tasks(0)->set_feature_size(5);
       }
     },
     {"feature_size", "5"}},
    {"feature_sizes_disagree",
     [](ExperimentSpec& s) { s.mutable_final_tasks()->mutable_tasks(0)->set_feature_size(8); },
     {"final_tasks.tasks[0].feature_size", "8", "4"}},
    {"bad_task_spec",
     [](ExperimentSpec& s) { FirstSearchTask(s).set_num_train_examples(0); },
     {"search_tasks.tasks[0]", "num_train_examples"}},
    {"task_without_family",
     [](ExperimentSpec& s) { s.mutable_select_tasks()->mutable_tasks(0)->clear_family(); },
     {"select_tasks.tasks[0]"}},
    // Optional parts.
    {"fec_cache_zero",
     [](ExperimentSpec& s) { s.mutable_fec()->set_cache_size(0); },
     {"fec.cache_size"}},
    {"fec_without_examples",
     [](ExperimentSpec& s) {
       s.mutable_fec()->set_num_train_examples(0);
       s.mutable_fec()->set_num_valid_examples(0);
     },
     {"fec"}},
    {"hurdle_percentile",
     [](ExperimentSpec& s) { s.mutable_hurdles()->set_percentile(101); },
     {"hurdles.percentile"}},
    {"hurdle_all_tasks_in_first_stage",
     [](ExperimentSpec& s) {
       s.mutable_hurdles()->set_enabled(true);
       s.mutable_hurdles()->set_num_first_stage_tasks(2);  // The search has 2 tasks.
     },
     {"hurdles.num_first_stage_tasks"}},
    {"hurdle_window_zero",
     [](ExperimentSpec& s) {
       s.mutable_hurdles()->set_enabled(true);
       s.mutable_hurdles()->set_window_size(0);
     },
     {"hurdles.window_size"}},
    {"budget_baseline",
     [](ExperimentSpec& s) {
       s.mutable_train_budget()->set_enabled(true);
       s.mutable_train_budget()->set_baseline(RANDOM_PROGRAMS);
     },
     {"train_budget.baseline"}},
    {"budget_factor",
     [](ExperimentSpec& s) {
       s.mutable_train_budget()->set_enabled(true);
       s.mutable_train_budget()->set_max_cost_factor(0);
     },
     {"train_budget.max_cost_factor"}},
    {"fitness_combination_unset",
     [](ExperimentSpec& s) { s.set_fitness_combination(FITNESS_COMBINATION_UNSET); },
     {"fitness_combination"}},
};

INSTANTIATE_TEST_SUITE_P(AllKinds, BadSpecTest, ::testing::ValuesIn(kBadSpecs),
                         [](const ::testing::TestParamInfo<BadSpecCase>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace automl

#include "evolution/experiment_spec.h"

#include <cmath>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "evolution/objectives_validation.h"
#include "executor/executor.h"
#include "instructions/file_util.h"
#include "instructions/ops.h"
#include "instructions/status_macros.h"
#include "instructions/text_proto.h"
#include "tasks/task_registry.h"

namespace automl {
namespace {

absl::Status Invalid(const std::string& message) { return absl::InvalidArgumentError(message); }

// Far beyond any useful search, but small enough that a typo (an extra zero or three) is an
// error message rather than a failed multi-gigabyte allocation.
constexpr int kMaxFunctionSize = 10000;
constexpr int kMaxPopulationSize = 1000000;

bool UsesKind(const OpInfo& info, OperandKind kind) {
  return info.out == kind || info.in1 == kind || info.in2 == kind;
}

absl::Status ValidateTaskCollection(const TaskCollection& tasks, const char* field,
                                    int* feature_size) {
  if (tasks.tasks_size() == 0) return Invalid(absl::StrCat(field, " has no tasks"));
  for (int i = 0; i < tasks.tasks_size(); ++i) {
    const TaskSpec& task = tasks.tasks(i);
    if (absl::Status s = ValidateTaskSpec(task); !s.ok()) {
      return Invalid(absl::StrCat(field, ".tasks[", i, "]: ", s.message()));
    }
    if (*feature_size == 0) *feature_size = task.feature_size();
    if (task.feature_size() != *feature_size) {
      return Invalid(absl::StrCat(field, ".tasks[", i, "].feature_size is ", task.feature_size(),
                                  " but other tasks have ", *feature_size));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateFunction(const ExperimentSpec& spec, const char* name, bool present,
                              const FunctionSpec& function) {
  if (!present) return Invalid(absl::StrCat(name, " is required"));
  if (!function.has_initial_size()) return Invalid(absl::StrCat(name, ".initial_size is required"));
  const int initial = function.initial_size();
  // Checked first: min_size and max_size default to it, and an error about a negative
  // min_size the user never wrote would point at the wrong field.
  if (initial < 0) {
    return Invalid(absl::StrCat(name, ".initial_size (", initial, ") is negative"));
  }
  const int min_size = function.has_min_size() ? function.min_size() : initial;
  const int max_size = function.has_max_size() ? function.max_size() : initial;
  if (min_size < 0) return Invalid(absl::StrCat(name, ".min_size (", min_size, ") is negative"));
  if (max_size > kMaxFunctionSize) {
    return Invalid(absl::StrCat(name, function.has_max_size() ? ".max_size (" : ".initial_size (",
                                max_size, ") is above the limit of ", kMaxFunctionSize,
                                " instructions"));
  }
  if (min_size > max_size) {
    return Invalid(
        absl::StrCat(name, ".min_size (", min_size, ") is larger than max_size (", max_size, ")"));
  }
  if (initial < min_size || initial > max_size) {
    return Invalid(absl::StrCat(name, ".initial_size (", initial, ") is outside [min_size ",
                                min_size, ", max_size ", max_size, "]"));
  }
  std::set<std::string> listed;
  for (const std::string& op_name : function.ops()) {
    absl::StatusOr<Op> op = OpFromName(op_name);
    if (!op.ok()) return Invalid(absl::StrCat(name, ".ops: ", op.status().message()));
    // Listing an op twice would double its share of random instructions, unannounced.
    if (!listed.insert(op_name).second) {
      return Invalid(absl::StrCat(name, ".ops: ", op_name, " is listed twice"));
    }
    const OpInfo& info = GetOpInfo(*op);
    if (UsesKind(info, OperandKind::M) && spec.num_matrices() == 0) {
      return Invalid(absl::StrCat(name, ".ops: ", op_name,
                                  " is not allowed: it uses matrix registers and num_matrices "
                                  "is 0"));
    }
    if (info.out == OperandKind::V && spec.num_vectors() < 2) {
      return Invalid(absl::StrCat(name, ".ops: ", op_name,
                                  " is not allowed: it writes a vector and num_vectors < 2 "
                                  "(v0 holds the features)"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ExperimentSpec> ParseExperimentSpec(const std::string& text,
                                                   const std::string& source) {
  ExperimentSpec spec;
  RETURN_IF_ERROR(ParseTextProto(text, source, &spec));
  return spec;
}

absl::StatusOr<ExperimentSpec> ReadExperimentSpecFile(const std::string& path) {
  ASSIGN_OR_RETURN(const std::string text, ReadFileToString(path, "spec file", kMaxTextFileBytes));
  return ParseExperimentSpec(text, path);
}

namespace {

// The task lists, the register shape and the three functions' op sets.
absl::Status ValidateTasksAndShape(const ExperimentSpec& spec) {
  int feature_size = 0;
  if (!spec.has_search_tasks()) return Invalid("search_tasks is required");
  RETURN_IF_ERROR(ValidateTaskCollection(spec.search_tasks(), "search_tasks", &feature_size));
  if (!spec.has_select_tasks()) return Invalid("select_tasks is required (or --select_spec)");
  RETURN_IF_ERROR(ValidateTaskCollection(spec.select_tasks(), "select_tasks", &feature_size));
  if (!spec.has_final_tasks()) return Invalid("final_tasks is required (or --final_spec)");
  RETURN_IF_ERROR(ValidateTaskCollection(spec.final_tasks(), "final_tasks", &feature_size));
  if (absl::Status s = CheckFeatureSizeSupported(feature_size); !s.ok()) {
    return Invalid(absl::StrCat("search_tasks.feature_size: ", s.message()));
  }
  if (!spec.has_num_scalars()) return Invalid("num_scalars is required");
  if (!spec.has_num_vectors()) return Invalid("num_vectors is required");
  if (!spec.has_num_matrices()) return Invalid("num_matrices is required");
  MachineShape shape{spec.num_scalars(), spec.num_vectors(), spec.num_matrices(), feature_size};
  RETURN_IF_ERROR(ValidateMachineShape(shape));
  RETURN_IF_ERROR(ValidateFunction(spec, "setup", spec.has_setup(), spec.setup()));
  RETURN_IF_ERROR(ValidateFunction(spec, "predict", spec.has_predict(), spec.predict()));
  RETURN_IF_ERROR(ValidateFunction(spec, "learn", spec.has_learn(), spec.learn()));
  return absl::OkStatus();
}

// The initial population and regularized evolution's settings.
absl::Status ValidateEvolution(const ExperimentSpec& spec) {
  if (!spec.has_initial_population() || spec.initial_population() == INITIAL_POPULATION_UNSET) {
    return Invalid("initial_population is required");
  }
  if (!spec.has_population_size()) return Invalid("population_size is required");
  if (spec.population_size() < 2) {
    return Invalid(absl::StrCat("population_size (", spec.population_size(), ") must be >= 2"));
  }
  if (spec.population_size() > kMaxPopulationSize) {
    return Invalid(absl::StrCat("population_size (", spec.population_size(),
                                ") is above the limit of ", kMaxPopulationSize));
  }
  if (!spec.has_tournament_size()) return Invalid("tournament_size is required");
  if (spec.tournament_size() < 1) {
    return Invalid(absl::StrCat("tournament_size (", spec.tournament_size(), ") must be >= 1"));
  }
  if (spec.tournament_size() > spec.population_size()) {
    return Invalid(absl::StrCat("tournament_size (", spec.tournament_size(),
                                ") is larger than population_size (", spec.population_size(), ")"));
  }
  if (!spec.has_mutate_prob()) return Invalid("mutate_prob is required");
  if (!(spec.mutate_prob() >= 0.0 && spec.mutate_prob() <= 1.0)) {
    return Invalid(absl::StrCat("mutate_prob (", spec.mutate_prob(), ") must be in [0, 1]"));
  }
  if (spec.mutation_types_size() == 0) return Invalid("mutation_types needs at least one type");
  for (int type : spec.mutation_types()) {
    if (type == MUTATION_TYPE_UNSET) return Invalid("mutation_types contains MUTATION_TYPE_UNSET");
  }
  return absl::OkStatus();
}

// How candidates are evaluated: divergence, FEC, hurdles and train budget.
absl::Status ValidateEvaluation(const ExperimentSpec& spec) {
  if (!(spec.max_abs_error() > 0.0)) {
    return Invalid(absl::StrCat("max_abs_error (", spec.max_abs_error(), ") must be positive"));
  }
  if (spec.fec().num_train_examples() < 0 || spec.fec().num_valid_examples() < 0) {
    return Invalid("fec.num_train_examples and fec.num_valid_examples must be >= 0");
  }
  if (spec.fec().enabled() &&
      spec.fec().num_train_examples() + spec.fec().num_valid_examples() == 0) {
    return Invalid("fec is enabled but fec.num_train_examples + num_valid_examples is 0");
  }
  if (spec.fec().cache_size() < 1) {
    return Invalid(absl::StrCat("fec.cache_size (", spec.fec().cache_size(), ") must be >= 1"));
  }
  const HurdleSpec& hurdles = spec.hurdles();
  if (!(hurdles.percentile() >= 0.0 && hurdles.percentile() <= 100.0)) {
    return Invalid(
        absl::StrCat("hurdles.percentile (", hurdles.percentile(), ") must be in [0, 100]"));
  }
  if (hurdles.enabled()) {
    int num_search_tasks = 0;
    for (const TaskSpec& task : spec.search_tasks().tasks()) num_search_tasks += task.num_tasks();
    if (hurdles.num_first_stage_tasks() < 1 ||
        hurdles.num_first_stage_tasks() >= num_search_tasks) {
      return Invalid(absl::StrCat("hurdles.num_first_stage_tasks (",
                                  hurdles.num_first_stage_tasks(), ") must be in [1, ",
                                  num_search_tasks - 1, "] (fewer than the search tasks)"));
    }
    if (hurdles.window_size() < 1 || hurdles.min_samples() < 1) {
      return Invalid("hurdles.window_size and hurdles.min_samples must be >= 1");
    }
  }
  if (spec.train_budget().enabled()) {
    const InitialPopulationKind baseline = spec.train_budget().baseline();
    if (baseline != LINEAR_PROGRAM && baseline != TWO_LAYER_NETWORK) {
      return Invalid("train_budget.baseline must be LINEAR_PROGRAM or TWO_LAYER_NETWORK");
    }
    if (!(spec.train_budget().max_cost_factor() > 0.0)) {
      return Invalid("train_budget.max_cost_factor must be positive");
    }
  }
  return absl::OkStatus();
}

// How fitness is combined, the stopping limits, early stopping and progress reporting.
absl::Status ValidateLimits(const ExperimentSpec& spec) {
  if (spec.fitness_combination() == FITNESS_COMBINATION_UNSET) {
    return Invalid("fitness_combination must be MEAN or MEDIAN");
  }
  if (!spec.has_max_individuals() && !spec.has_max_train_steps() && !spec.has_max_seconds()) {
    return Invalid(
        "a stopping limit is required: max_individuals, max_train_steps or "
        "max_seconds");
  }
  if (spec.has_max_individuals() && spec.max_individuals() < spec.population_size()) {
    return Invalid(absl::StrCat("max_individuals (", spec.max_individuals(),
                                ") is smaller than population_size (", spec.population_size(),
                                ")"));
  }
  if (spec.has_max_train_steps() && spec.max_train_steps() <= 0) {
    return Invalid("max_train_steps must be positive");
  }
  if (spec.has_max_seconds() && !(spec.max_seconds() > 0.0 && std::isfinite(spec.max_seconds()))) {
    return Invalid("max_seconds must be a positive finite number");
  }
  if (spec.progress_every_individuals() < 1) {
    return Invalid("progress_every_individuals must be >= 1");
  }
  if (spec.stop_check_every_individuals() < 1) {
    return Invalid("stop_check_every_individuals must be >= 1");
  }
  if (spec.stop_after_stagnant_individuals() < 0) {
    return Invalid("stop_after_stagnant_individuals must be >= 0 (0: never)");
  }
  if (spec.rotate_search_tasks_every_individuals() < 0) {
    return Invalid("rotate_search_tasks_every_individuals must be >= 0 (0: never)");
  }
  if (spec.select_candidates() < 1) {
    return Invalid("select_candidates must be >= 1 (1: the best on T_search)");
  }
  if (spec.select_candidates() > 1 && spec.objectives().selection() != SINGLE_OBJECTIVE) {
    return Invalid(
        "select_candidates > 1 needs SINGLE_OBJECTIVE selection (a PARETO front is chosen from "
        "on T_select already)");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateExperimentSpec(const ExperimentSpec& spec) {
  RETURN_IF_ERROR(ValidateTasksAndShape(spec));
  RETURN_IF_ERROR(ValidateEvolution(spec));
  RETURN_IF_ERROR(ValidateEvaluation(spec));
  RETURN_IF_ERROR(ValidateLimits(spec));
  return ValidateObjectivesSpec(spec);
}

int SpecFeatureSize(const ExperimentSpec& spec) {
  return spec.search_tasks().tasks(0).feature_size();
}

absl::StatusOr<SearchSpace> BuildSearchSpace(const ExperimentSpec& spec) {
  RETURN_IF_ERROR(ValidateExperimentSpec(spec));
  SearchSpace space;
  space.shape = MachineShape{spec.num_scalars(), spec.num_vectors(), spec.num_matrices(),
                             SpecFeatureSize(spec)};
  const FunctionSpec* specs[3] = {&spec.setup(), &spec.predict(), &spec.learn()};
  for (int i = 0; i < 3; ++i) {
    const FunctionSpec& function = *specs[i];
    FunctionSpace& function_space = space.functions[i];
    for (const std::string& name : function.ops()) function_space.ops.push_back(*OpFromName(name));
    function_space.initial_size = function.initial_size();
    function_space.min_size =
        function.has_min_size() ? function.min_size() : function.initial_size();
    function_space.max_size =
        function.has_max_size() ? function.max_size() : function.initial_size();
  }
  return space;
}

}  // namespace automl

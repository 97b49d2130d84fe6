#include "evolution/objectives_validation.h"

#include <cmath>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "evolution/objectives_spec.h"
#include "executor/objectives.h"
#include "instructions/status_macros.h"
#include "tasks/task_registry.h"

namespace automl {
namespace {

absl::Status Invalid(const std::string& message) { return absl::InvalidArgumentError(message); }

// Debian's Abseil has its own string_view, which StrCat does not take from std::string_view.
std::string NameOf(Objective objective) { return std::string(Info(objective).name); }
std::string NameOf(ObjectiveName name) { return NameOf(ToObjective(name)); }

// An objective's name, or the error naming `field` when it is unset or unknown.
absl::StatusOr<ObjectiveName> CheckObjective(int value, const std::string& field) {
  if (value == OBJECTIVE_UNSET || !ObjectiveName_IsValid(value)) {
    return Invalid(absl::StrCat(field, " is required (an objective such as QUALITY or DPPL)"));
  }
  return static_cast<ObjectiveName>(value);
}

absl::Status ValidateWeights(const ObjectivesSpec& objectives) {
  std::set<int> seen;
  for (int i = 0; i < objectives.weights_size(); ++i) {
    const ObjectiveWeight& w = objectives.weights(i);
    const std::string field = absl::StrCat("objectives.weights[", i, "]");
    ASSIGN_OR_RETURN(const ObjectiveName name, CheckObjective(w.objective(), field + ".objective"));
    if (!seen.insert(name).second) {
      return Invalid(absl::StrCat(field, ".objective: ", NameOf(name), " is weighted twice"));
    }
    if (!(w.weight() > 0.0 && std::isfinite(w.weight()))) {
      return Invalid(absl::StrCat(field, ".weight (", w.weight(), ") must be positive"));
    }
    const bool unbounded = Info(ToObjective(name)).highest == kUnbounded;
    if (unbounded && !(w.has_scale() && w.scale() > 0.0 && std::isfinite(w.scale()))) {
      return Invalid(absl::StrCat(field, ".scale is required for ", NameOf(name),
                                  " and must be positive (h = 1 / (1 + value / scale))"));
    }
    if (!unbounded && w.has_scale()) {
      return Invalid(absl::StrCat(field, ".scale is only for costs and size, not ", NameOf(name),
                                  " (whose range is [0, 1])"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateBounds(const ObjectivesSpec& objectives) {
  std::set<std::pair<int, bool>> seen;
  for (int i = 0; i < objectives.bounds_size(); ++i) {
    const ObjectiveBound& b = objectives.bounds(i);
    const std::string field = absl::StrCat("objectives.bounds[", i, "]");
    ASSIGN_OR_RETURN(const ObjectiveName name, CheckObjective(b.objective(), field + ".objective"));
    if (b.has_max() == b.has_min()) {
      return Invalid(absl::StrCat(field, " needs exactly one of max and min"));
    }
    const double limit = b.has_max() ? b.max() : b.min();
    const ObjectiveInfo& info = Info(ToObjective(name));
    if (!(limit >= info.lowest && limit <= info.highest && std::isfinite(limit))) {
      return Invalid(absl::StrCat(field, b.has_max() ? ".max (" : ".min (", limit, ") is outside ",
                                  NameOf(name), "'s range [", info.lowest, ", ",
                                  info.highest == kUnbounded ? "infinity)" : "1]"));
    }
    if (!seen.insert({name, b.has_max()}).second) {
      return Invalid(absl::StrCat(field, ": a second ", b.has_max() ? "max" : "min", " bound on ",
                                  NameOf(name)));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateParetoObjectives(const ObjectivesSpec& objectives) {
  std::set<int> seen;
  for (int i = 0; i < objectives.pareto_objectives_size(); ++i) {
    const std::string field = absl::StrCat("objectives.pareto_objectives[", i, "]");
    ASSIGN_OR_RETURN(const ObjectiveName name,
                     CheckObjective(objectives.pareto_objectives(i), field));
    if (!seen.insert(name).second) {
      return Invalid(absl::StrCat(field, ": ", NameOf(name), " is listed twice"));
    }
  }
  if (objectives.selection() == PARETO && seen.size() < 2) {
    return Invalid(
        absl::StrCat("objectives.pareto_objectives: PARETO needs at least 2 "
                     "objectives (has ",
                     seen.size(), ")"));
  }
  return absl::OkStatus();
}

// Each mode's fields, and no field another mode uses (it would be ignored silently).
absl::Status ValidateSelectionFields(const ObjectivesSpec& objectives) {
  const SelectionKind kind = objectives.selection();
  if (kind == SELECTION_KIND_UNSET) {
    return Invalid(
        "objectives.selection must be SINGLE_OBJECTIVE, SCALARIZED, CONSTRAINED or PARETO");
  }
  const std::string mode = SelectionKind_Name(kind);
  if (kind == SCALARIZED && objectives.weights_size() == 0) {
    return Invalid("objectives.weights: SCALARIZED needs at least one weight");
  }
  if (kind != SCALARIZED && objectives.weights_size() > 0) {
    return Invalid(absl::StrCat("objectives.weights is only used by SCALARIZED, not ", mode));
  }
  if (kind == CONSTRAINED && !objectives.has_primary()) {
    return Invalid("objectives.primary is required for CONSTRAINED");
  }
  if (kind != CONSTRAINED && objectives.has_primary()) {
    return Invalid(absl::StrCat("objectives.primary is only used by CONSTRAINED, not ", mode));
  }
  if (kind == CONSTRAINED && objectives.bounds_size() == 0) {
    return Invalid("objectives.bounds: CONSTRAINED needs at least one bound");
  }
  if (kind != CONSTRAINED && kind != PARETO && objectives.bounds_size() > 0) {
    return Invalid(
        absl::StrCat("objectives.bounds is only used by CONSTRAINED and PARETO, not ", mode));
  }
  if (kind != PARETO && objectives.pareto_objectives_size() > 0) {
    return Invalid(absl::StrCat("objectives.pareto_objectives is only used by PARETO, not ", mode));
  }
  if (objectives.archive_size() < 1) {
    return Invalid(
        absl::StrCat("objectives.archive_size (", objectives.archive_size(), ") must be >= 1"));
  }
  return absl::OkStatus();
}

// The first field that names `objective`, for errors about it.
std::string FieldNaming(const ObjectivesSpec& objectives, Objective objective) {
  const int name = ToObjectiveName(objective);
  for (int i = 0; i < objectives.weights_size(); ++i) {
    if (objectives.weights(i).objective() == name) {
      return absl::StrCat("objectives.weights[", i, "].objective");
    }
  }
  if (objectives.primary() == name) return "objectives.primary";
  for (int i = 0; i < objectives.bounds_size(); ++i) {
    if (objectives.bounds(i).objective() == name) {
      return absl::StrCat("objectives.bounds[", i, "].objective");
    }
  }
  for (int i = 0; i < objectives.pareto_objectives_size(); ++i) {
    if (objectives.pareto_objectives(i) == name) {
      return absl::StrCat("objectives.pareto_objectives[", i, "]");
    }
  }
  for (int i = 0; i < objectives.report_size(); ++i) {
    if (objectives.report(i) == name) return absl::StrCat("objectives.report[", i, "]");
  }
  return "objectives";
}

// Classification metrics (AUC and the fairness ones) on tasks evaluated by RMS error.
absl::Status ValidateObjectivesAgainstTasks(const ExperimentSpec& spec) {
  for (Objective objective : ComputedObjectives(spec)) {
    if (!Info(objective).classification_only) continue;
    const std::pair<const char*, const TaskCollection*> collections[] = {
        {"search_tasks", &spec.search_tasks()},
        {"select_tasks", &spec.select_tasks()},
        {"final_tasks", &spec.final_tasks()}};
    for (const auto& [field, tasks] : collections) {
      for (int i = 0; i < tasks->tasks_size(); ++i) {
        ASSIGN_OR_RETURN(const EvalType eval_type, TaskEvalType(tasks->tasks(i)));
        if (eval_type == EvalType::kAccuracy) continue;
        return Invalid(absl::StrCat(FieldNaming(spec.objectives(), objective), ": ",
                                    NameOf(objective), " needs classification tasks but ", field,
                                    ".tasks[", i, "] is a regression task (",
                                    EvalTypeName(eval_type), ")"));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateObjectivesSpec(const ExperimentSpec& spec) {
  const ObjectivesSpec& objectives = spec.objectives();
  RETURN_IF_ERROR(ValidateWeights(objectives));
  RETURN_IF_ERROR(ValidateBounds(objectives));
  RETURN_IF_ERROR(ValidateParetoObjectives(objectives));
  if (objectives.has_primary()) {
    RETURN_IF_ERROR(CheckObjective(objectives.primary(), "objectives.primary").status());
  }
  for (int i = 0; i < objectives.report_size(); ++i) {
    RETURN_IF_ERROR(
        CheckObjective(objectives.report(i), absl::StrCat("objectives.report[", i, "]")).status());
  }
  RETURN_IF_ERROR(ValidateSelectionFields(objectives));
  return ValidateObjectivesAgainstTasks(spec);
}

}  // namespace automl

// Evaluates one program on the tasks of a TaskCollection text file, the way the search's final
// evaluation does (train, validate after every epoch, score the test split at the best
// validation epoch), and prints each task's and the mean validation and test fitness. For
// hand-written baselines (experiments/baselines/) and for re-scoring a search's
// best_algorithm.txt / .pb on other tasks.
//
//   evaluate_program --program=experiments/baselines/logistic_regression.txt
//       --tasks=experiments/specs/fashion_final_tasks.textproto
//
// The machine shape is the smallest that holds every register the program uses, unless
// --num_scalars / --num_vectors / --num_matrices ask for more.
#include <algorithm>
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "evolution/experiment_scoring.h"
#include "evolution/experiment_setup.h"
#include "evolution/memory_estimate.h"
#include "evolution/objectives_spec.h"
#include "executor/dataset.h"
#include "executor/executor.h"
#include "experiments/command_line.h"
#include "experiments/memory_limit.h"
#include "experiments/program_file.h"
#include "experiments/simplified_program.h"
#include "instructions/instruction.h"
#include "instructions/program.h"
#include "instructions/status_macros.h"
#include "tasks/projected_binary_classification.h"
#include "tasks/task_registry.h"

ABSL_FLAG(std::string, program, "",
          "Program file: printed form (as best_algorithm.txt), or binary ProgramProto if it ends "
          "in .pb.");
ABSL_FLAG(std::string, tasks, "", "TaskCollection text file (tasks/task_spec.proto).");
ABSL_FLAG(int32_t, num_scalars, 0, "Scalar registers; 0: as many as the program uses.");
ABSL_FLAG(int32_t, num_vectors, 0, "Vector registers; 0: as many as the program uses.");
ABSL_FLAG(int32_t, num_matrices, -1, "Matrix registers; -1: as many as the program uses.");
ABSL_FLAG(double, max_abs_error, 100.0,
          "A prediction further than this from its label ends the task (as in the search).");
ABSL_FLAG(uint64_t, random_seed, 1,
          "The --random_seed of the run the program comes from: seeds the random ops (e.g. "
          "gaussian weight init) as that run did, so its final numbers reproduce.");
ABSL_FLAG(bool, per_task, true, "Print one line per task.");
ABSL_FLAG(int32_t, sensitive_group, 1,
          "Group id of the sensitive group for the fairness metrics (tasks with a group column); "
          "every other id is the advantaged group.");
ABSL_FLAG(bool, independent_predictions, false,
          "Score every validation and test example from the memory as training left it (as a "
          "search spec's independent_predictions), so that no prediction depends on the "
          "examples scored before it. Scores that differ from the default's show a program that "
          "carries state from one scored example to the next.");
ABSL_FLAG(bool, simplify, false,
          "Also print \"live instructions: N of M\" and the program simplified (exactly the "
          "same results, what cannot matter taken out).");

namespace automl {
namespace {

int Fail(const absl::Status& status) {
  std::cerr << "error: " << status.message() << std::endl;
  return 1;
}

// "classes=3/5" (positive/negative) for projected image tasks, else "".
std::vector<std::string> TaskDescriptions(const TaskCollection& collection) {
  std::vector<std::string> descriptions;
  for (const TaskSpec& spec : collection.tasks()) {
    const std::vector<uint64_t> seeds = TaskDataSeeds(spec);
    for (uint64_t seed : seeds) {
      std::string description;
      if (spec.has_projected_binary_classification()) {
        absl::StatusOr<std::shared_ptr<const ImageDataset>> images =
            LoadProjectedTaskDataset(spec.projected_binary_classification());
        if (images.ok()) {
          absl::StatusOr<ClassPairChoice> classes = ProjectedTaskClasses(
              spec.projected_binary_classification(), (*images)->num_classes, seed);
          if (classes.ok()) {
            description = absl::StrCat(" classes=", classes->positive, "/", classes->negative);
          }
        }
      }
      descriptions.push_back(description);
    }
  }
  return descriptions;
}

// Every task of the collection, which must share one feature size (one program runs at one).
absl::StatusOr<std::vector<Dataset>> GenerateCollection(const TaskCollection& collection,
                                                        const std::string& tasks_path) {
  absl::StatusOr<std::vector<Dataset>> datasets = GenerateTasks(collection);
  if (!datasets.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(tasks_path, ": ", datasets.status().message()));
  }
  const int feature_size = datasets->front().feature_size;
  for (size_t t = 0; t < datasets->size(); ++t) {
    if ((*datasets)[t].feature_size != feature_size) {
      return absl::InvalidArgumentError(
          absl::StrCat(tasks_path, ": task ", t, " has feature_size ", (*datasets)[t].feature_size,
                       " but task 0 has ", feature_size, " (one program runs at one size)"));
    }
  }
  return datasets;
}

// The program's smallest shape, grown to what --num_scalars/vectors/matrices ask for.
absl::StatusOr<MachineShape> ShapeForProgram(const Program& program, int feature_size,
                                             const std::string& program_path) {
  MachineShape shape = SmallestShape(program, feature_size);
  const int scalars = absl::GetFlag(FLAGS_num_scalars);
  const int vectors = absl::GetFlag(FLAGS_num_vectors);
  const int matrices = absl::GetFlag(FLAGS_num_matrices);
  if (scalars < 0 || vectors < 0 || matrices < -1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--num_scalars and --num_vectors must be >= 0 (0: as many as the program uses) and "
        "--num_matrices >= -1 (-1: as many as the program uses); got ",
        scalars, ", ", vectors, ", ", matrices));
  }
  if (scalars > 0) shape.num_scalars = std::max(shape.num_scalars, scalars);
  if (vectors > 0) shape.num_vectors = std::max(shape.num_vectors, vectors);
  if (matrices >= 0) shape.num_matrices = std::max(shape.num_matrices, matrices);
  RETURN_IF_ERROR(ValidateMachineShape(shape));
  if (absl::Status s = ValidateProgram(program, shape); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(program_path, ": ", s.message()));
  }
  return shape;
}

// One line per task (with --per_task), the totals and the mean fitness.
void PrintScores(const std::vector<TaskScore>& scores, const std::vector<Dataset>& datasets,
                 const TaskCollection& collection, const MachineShape& shape, double generate_secs,
                 double evaluate_secs) {
  const std::vector<std::string> descriptions = TaskDescriptions(collection);
  double valid_sum = 0.0;
  double test_sum = 0.0;
  int diverged = 0;
  bool has_test = false;
  for (size_t t = 0; t < scores.size(); ++t) {
    const TaskScore& score = scores[t];
    const Dataset& dataset = datasets[t];
    valid_sum += score.valid_fitness;
    test_sum += score.test_fitness;
    diverged += score.diverged ? 1 : 0;
    has_test |= dataset.test.size() > 0;
    if (absl::GetFlag(FLAGS_per_task)) {
      std::cout << absl::StrFormat("task=%d name=%s%s valid=%.4f test=%.4f best_epoch=%d%s\n", t,
                                   dataset.name, descriptions[t], score.valid_fitness,
                                   score.test_fitness, score.best_epoch,
                                   score.diverged ? " diverged" : "");
    }
  }
  const int n = static_cast<int>(scores.size());
  std::cout << absl::StrFormat(
      "tasks=%d shape=s%d/v%d/m%d F=%d generate_secs=%.2f evaluate_secs=%.2f diverged=%d\n", n,
      shape.num_scalars, shape.num_vectors, shape.num_matrices, shape.feature_size, generate_secs,
      evaluate_secs, diverged);
  std::cout << absl::StrFormat("mean_valid_fitness=%.4f\n", valid_sum / n);
  if (has_test) std::cout << absl::StrFormat("mean_test_fitness=%.4f\n", test_sum / n);
}

// Every objective the tasks can give: costs and size always, AUC on classification tasks, the
// fairness metrics when every task also has a group column.
std::vector<Objective> ApplicableObjectives(const std::vector<Dataset>& datasets) {
  bool classification = true;
  bool grouped = true;
  for (const Dataset& dataset : datasets) {
    classification &= dataset.eval_type == EvalType::kAccuracy;
    grouped &= !dataset.valid.groups.empty();
  }
  std::vector<Objective> objectives;
  for (const ObjectiveInfo& info : kObjectiveTable) {
    if (info.classification_only && !classification) continue;
    if (info.needs_groups && !grouped) continue;
    objectives.push_back(info.objective);
  }
  return objectives;
}

// "objectives valid: quality=... inference_cost=..." and the same for test, means over tasks.
void PrintObjectives(Executor& executor, const Program& program,
                     const std::vector<Objective>& objectives, bool has_test) {
  const ProgramScore score = ScoreProgram(executor, program, /*static_objectives=*/true);
  std::cout << "objectives valid:" << FormatObjectives(objectives, score.valid) << "\n";
  if (has_test) {
    std::cout << "objectives test:" << FormatObjectives(objectives, score.test) << "\n";
  }
}

absl::Status EvaluateProgram() {
  const std::string program_path = absl::GetFlag(FLAGS_program);
  const std::string tasks_path = absl::GetFlag(FLAGS_tasks);
  if (program_path.empty()) return absl::InvalidArgumentError("--program is required");
  if (tasks_path.empty()) return absl::InvalidArgumentError("--tasks is required");
  ASSIGN_OR_RETURN(const Program program, ReadProgramFile(program_path));
  ASSIGN_OR_RETURN(const TaskCollection collection, ParseTaskCollectionFile(tasks_path));
  RETURN_IF_ERROR(CheckMemory(EstimateTasksMemory(collection), /*max_memory_gb=*/0));

  const absl::Time generate_start = absl::Now();
  ASSIGN_OR_RETURN(const std::vector<Dataset> datasets, GenerateCollection(collection, tasks_path));
  const double generate_secs = absl::ToDoubleSeconds(absl::Now() - generate_start);
  ASSIGN_OR_RETURN(const MachineShape shape,
                   ShapeForProgram(program, datasets.front().feature_size, program_path));

  ExecutorOptions options;
  options.shape = shape;
  options.max_abs_error = absl::GetFlag(FLAGS_max_abs_error);
  options.random_op_seed = RandomOpSeedOfRun(absl::GetFlag(FLAGS_random_seed));
  const std::vector<Objective> objectives = ApplicableObjectives(datasets);
  options.objectives = objectives;
  options.sensitive_group = absl::GetFlag(FLAGS_sensitive_group);
  options.independent_predictions = absl::GetFlag(FLAGS_independent_predictions);
  ASSIGN_OR_RETURN(const std::unique_ptr<Executor> executor, Executor::Create(datasets, options));

  const absl::Time evaluate_start = absl::Now();
  const std::vector<TaskScore> scores = executor->EvaluatePerTask(program);
  const double evaluate_secs = absl::ToDoubleSeconds(absl::Now() - evaluate_start);
  PrintScores(scores, datasets, collection, shape, generate_secs, evaluate_secs);
  const bool has_test = std::any_of(datasets.begin(), datasets.end(),
                                    [](const Dataset& d) { return d.test.size() > 0; });
  PrintObjectives(*executor, program, objectives, has_test);
  if (absl::GetFlag(FLAGS_simplify)) {
    ASSIGN_OR_RETURN(const SimplifiedProgram simplified, SimplifyForReading(program, shape));
    std::cout << simplified.Shown();
  }
  return absl::OkStatus();
}

}  // namespace
}  // namespace automl

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Evaluates one program on a TaskCollection. Usage: --program=PATH --tasks=PATH");
  const std::vector<char*> remaining = absl::ParseCommandLine(argc, argv);
  if (absl::Status s = automl::CheckNoPositionalArguments(remaining); !s.ok()) {
    return automl::Fail(s);
  }
  if (absl::Status s = automl::EvaluateProgram(); !s.ok()) return automl::Fail(s);
  return 0;
}

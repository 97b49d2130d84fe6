#include "evolution/memory_estimate.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace automl {
namespace {

std::string FormatBytes(double bytes) {
  if (bytes >= 1e9) return absl::StrFormat("%.1f GB", bytes / 1e9);
  return absl::StrFormat("%.0f MB", std::max(1.0, bytes / 1e6));
}

int MaxSize(const FunctionSpec& function) {
  return function.has_max_size() ? function.max_size() : function.initial_size();
}

// A program's instructions when every function has grown to its max_size.
double MaxInstructions(const ExperimentSpec& spec) {
  return static_cast<double>(MaxSize(spec.setup())) + MaxSize(spec.predict()) +
         MaxSize(spec.learn());
}

// Bytes of one task of `task` and the task's own data (an image dataset, a CSV file), which a
// process reads once whatever the task count.
double TaskBytes(const TaskSpec& task) {
  const double f = std::max(1, task.feature_size());
  const double examples = static_cast<double>(task.num_train_examples()) +
                          task.num_valid_examples() + task.num_test_examples();
  // The generated Dataset (features and label in doubles) and the executor's aligned copy.
  const double per_example = (f + 1) * 8 + (std::ceil(f / 2) * 2 + 1) * 8;
  const double epochs = static_cast<double>(std::max(1, task.num_epochs())) *
                        std::max(0, task.num_train_examples()) * kEpochOrderBytesPerExample;
  return examples * per_example + epochs;
}

double SharedDataBytes(const TaskSpec& task) {
  if (task.has_projected_binary_classification()) return kImageDatasetBytes;
  if (task.has_csv()) {
    // The file's text and the parsed table, about as large.
    std::error_code error;
    const uintmax_t size = std::filesystem::file_size(task.csv().path(), error);
    return error ? 0.0 : 2.0 * static_cast<double>(size);
  }
  return 0.0;
}

}  // namespace

double TaskCollectionBytes(const TaskCollection& tasks, std::string* drivers) {
  double total = 0;
  double biggest = -1;
  for (int i = 0; i < tasks.tasks_size(); ++i) {
    const TaskSpec& task = tasks.tasks(i);
    const double bytes = std::max(0, task.num_tasks()) * TaskBytes(task) + SharedDataBytes(task);
    total += bytes;
    if (bytes > biggest && drivers != nullptr) {
      biggest = bytes;
      *drivers =
          absl::StrCat("tasks[", i, "]: num_tasks ", task.num_tasks(), " x (",
                       task.num_train_examples(), "+", task.num_valid_examples(), "+",
                       task.num_test_examples(), " num_train/valid/test_examples x feature_size ",
                       task.feature_size(), ", num_epochs ", task.num_epochs(), ")");
    }
  }
  return total;
}

MemoryEstimate EstimateTasksMemory(const TaskCollection& tasks) {
  MemoryEstimate estimate;
  std::string drivers;
  const double bytes = TaskCollectionBytes(tasks, &drivers);
  estimate.terms.push_back({"tasks", bytes, drivers});
  estimate.total_bytes = kProcessBaseBytes + bytes;
  return estimate;
}

MemoryEstimate EstimateRunMemory(const ExperimentSpec& spec, int num_islands, int num_processes,
                                 bool checkpoints, bool select_during_search) {
  MemoryEstimate estimate;
  const double islands_here =
      std::ceil(static_cast<double>(num_islands) / std::max(1, num_processes));
  const double instructions = MaxInstructions(spec);
  const double population = spec.population_size();
  const double fec_entries = spec.fec().enabled() ? spec.fec().cache_size() : 0.0;
  const double member_bytes = kMemberBytes + instructions * kInstructionBytes;
  const double island_bytes = kIslandBaseBytes + population * member_bytes +
                              (spec.fec().enabled() ? kFecMemoBytes : 0.0) +
                              fec_entries * kFecBytesPerEntry;
  const std::string island_drivers = absl::StrCat(
      "population_size ", spec.population_size(), " x up to ", instructions,
      " instructions (setup/predict/learn max_size)",
      spec.fec().enabled() ? absl::StrCat(", fec.cache_size ", spec.fec().cache_size()) : "");
  estimate.terms.push_back(
      {"islands", islands_here * island_bytes,
       absl::StrCat(islands_here, " islands in this process (num_islands or --islands) x (",
                    island_drivers, ")")});
  const double checkpoint_bytes =
      checkpoints ? num_islands * (population * instructions * kCheckpointBytesPerInstruction +
                                   fec_entries * kCheckpointBytesPerFecEntry)
                  : 0.0;
  estimate.terms.push_back(
      {"checkpoint", checkpoint_bytes,
       absl::StrCat(num_islands, " islands x (", island_drivers, "), with --output_dir")});
  std::string drivers[3];
  double search_task_bytes = TaskCollectionBytes(spec.search_tasks(), &drivers[0]);
  if (spec.rotate_search_tasks_every_individuals() > 0) {
    // At a rotation the new tasks are made while the islands still hold the old ones.
    search_task_bytes *= 2;
    drivers[0] += ", x 2 while rotating";
  }
  estimate.terms.push_back({"search_tasks", search_task_bytes, drivers[0]});
  estimate.terms.push_back(
      {"select_tasks", TaskCollectionBytes(spec.select_tasks(), &drivers[1]), drivers[1]});
  estimate.terms.push_back(
      {"final_tasks", TaskCollectionBytes(spec.final_tasks(), &drivers[2]), drivers[2]});
  // The search tasks live for the whole run; the islands (and their checkpoint) are freed
  // before an experiment's select tasks are made (unless early-stop checks made them during
  // the search), and those before the final tasks.
  const double search_stage = estimate.terms[0].bytes + estimate.terms[1].bytes +
                              (select_during_search ? estimate.terms[3].bytes : 0.0);
  estimate.total_bytes = kProcessBaseBytes + estimate.terms[2].bytes +
                         std::max({search_stage, estimate.terms[3].bytes, estimate.terms[4].bytes});
  return estimate;
}

std::string MemoryEstimate::Describe() const {
  std::vector<MemoryTerm> sorted = terms;
  std::sort(sorted.begin(), sorted.end(),
            [](const MemoryTerm& a, const MemoryTerm& b) { return a.bytes > b.bytes; });
  std::vector<std::string> parts;
  for (const MemoryTerm& term : sorted) {
    // Only the terms that matter: the biggest, and any of at least a tenth of the total.
    if (!parts.empty() && term.bytes < 0.1 * total_bytes) break;
    parts.push_back(absl::StrCat(term.name, " ", FormatBytes(term.bytes), " (", term.drivers, ")"));
  }
  return absl::StrJoin(parts, "; ");
}

absl::Status CheckMemoryEstimate(const MemoryEstimate& estimate, double limit_bytes,
                                 const std::string& limit_source) {
  if (estimate.total_bytes <= limit_bytes) return absl::OkStatus();
  return absl::ResourceExhaustedError(absl::StrCat(
      "the run would need about ", FormatBytes(estimate.total_bytes), " of memory, more than the ",
      FormatBytes(limit_bytes), " ", limit_source, ": ", estimate.Describe()));
}

}  // namespace automl

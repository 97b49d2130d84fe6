// Runs an evolutionary search described by a text-format ExperimentSpec and prints the best
// program it found. See README.md ("Running a search") for the flags and outputs.
#include <cstdint>
#include <iostream>
#include <limits>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "evolution/experiment.h"
#include "evolution/experiment_spec.h"
#include "experiments/search_outputs.h"
#include "instructions/printer.h"

ABSL_FLAG(std::string, spec, "", "Path of the experiment spec (text-format ExperimentSpec).");
ABSL_FLAG(uint64_t, random_seed, 0, "Seed of every random choice; 0 = time-based (printed).");
ABSL_FLAG(std::string, output_dir, "",
          "Where to write progress.csv, best_algorithm.txt/.pb and summary.json.");
ABSL_FLAG(int32_t, max_experiments, 1, "How many experiments (searches) to run at most.");
ABSL_FLAG(double, sufficient_fitness, 2.0,
          "An experiment whose select fitness exceeds this ends the run (default: never).");
ABSL_FLAG(std::string, select_spec, "",
          "Optional TaskCollection text file replacing the spec's select_tasks.");
ABSL_FLAG(std::string, final_spec, "",
          "Optional TaskCollection text file replacing the spec's final_tasks.");

namespace automl {
namespace {

int Fail(const absl::Status& status) {
  std::cerr << "error: " << status.message() << std::endl;
  return 1;
}

int Main() {
  const std::string spec_path = absl::GetFlag(FLAGS_spec);
  if (spec_path.empty()) return Fail(absl::InvalidArgumentError("--spec is required"));
  absl::StatusOr<ExperimentSpec> spec = ReadExperimentSpecFile(spec_path);
  if (!spec.ok()) return Fail(spec.status());
  if (!absl::GetFlag(FLAGS_select_spec).empty()) {
    absl::StatusOr<TaskCollection> tasks = ReadTaskCollectionFile(absl::GetFlag(FLAGS_select_spec));
    if (!tasks.ok()) return Fail(tasks.status());
    *spec->mutable_select_tasks() = *tasks;
  }
  if (!absl::GetFlag(FLAGS_final_spec).empty()) {
    absl::StatusOr<TaskCollection> tasks = ReadTaskCollectionFile(absl::GetFlag(FLAGS_final_spec));
    if (!tasks.ok()) return Fail(tasks.status());
    *spec->mutable_final_tasks() = *tasks;
  }
  if (absl::Status s = ValidateExperimentSpec(*spec); !s.ok()) {
    return Fail(absl::InvalidArgumentError(absl::StrCat(spec_path, ": ", s.message())));
  }
  if (absl::GetFlag(FLAGS_max_experiments) < 1) {
    return Fail(absl::InvalidArgumentError("--max_experiments must be >= 1"));
  }

  uint64_t seed = absl::GetFlag(FLAGS_random_seed);
  if (seed == 0) {
    seed = static_cast<uint64_t>(absl::ToUnixNanos(absl::Now()));
  }
  std::cout << "random_seed=" << seed << std::endl;

  const std::string output_dir = absl::GetFlag(FLAGS_output_dir);
  ProgressCsvWriter progress_csv;
  if (!output_dir.empty()) {
    if (absl::Status s = PrepareOutputDir(output_dir); !s.ok()) return Fail(s);
    if (absl::Status s = progress_csv.Open(output_dir); !s.ok()) return Fail(s);
  }

  SearchOptions options;
  options.random_seed = seed;
  options.max_experiments = absl::GetFlag(FLAGS_max_experiments);
  options.sufficient_fitness = absl::GetFlag(FLAGS_sufficient_fitness);
  options.on_progress = [&progress_csv](const ProgressRecord& record) {
    std::cout << FormatProgressLine(record) << std::endl;
    progress_csv.Append(record);
  };
  options.on_experiment_end = [](const ExperimentSummary& summary) {
    std::cout << "experiment=" << summary.experiment << " search_fitness=" << summary.search_fitness
              << " select_fitness=" << summary.select_fitness << " indivs=" << summary.individuals
              << " secs=" << summary.seconds << std::endl;
  };
  absl::StatusOr<SearchResult> result = RunSearch(*spec, options);
  if (!result.ok()) return Fail(result.status());

  std::cout << "final_fitness=" << result->final_fitness << std::endl;
  if (result->final_has_test) {
    std::cout << "final_test_fitness=" << result->final_test_fitness << std::endl;
  }
  std::cout << PrintProgram(result->best_program);
  if (!output_dir.empty()) {
    if (absl::Status s = WriteSearchOutputs(output_dir, *result, RunInfo{seed, spec_path});
        !s.ok()) {
      return Fail(s);
    }
    std::cout << "outputs written to " << output_dir << std::endl;
  }
  return 0;
}

}  // namespace
}  // namespace automl

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("Evolves ML algorithms from scratch. Usage: --spec=PATH ...");
  absl::ParseCommandLine(argc, argv);
  return automl::Main();
}

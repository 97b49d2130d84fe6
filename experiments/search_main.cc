#include "experiments/search_main.h"

#include <cstdint>
#include <cstring>
#include <iostream>
#include <limits>
#include <string>

#include "absl/flags/flag.h"
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
ABSL_FLAG(int32_t, islands, 0,
          "Island (population) count over all processes; 0 = the spec's num_islands (default "
          "1). Results depend on it, not on --threads or the process count.");
ABSL_FLAG(int32_t, threads, 0,
          "Threads running this process's islands; 0 = all cores (OMP_NUM_THREADS if set; "
          "with MPI, the cores divided by the processes on the node).");

namespace automl {
namespace {

int Fail(const absl::Status& status, const IslandComm* comm) {
  if (comm != nullptr && comm->num_ranks() > 1) {
    std::cerr << "rank " << comm->rank() << ": ";
  }
  std::cerr << "error: " << status.message() << std::endl;
  return 1;
}

// Rank 0's seed on every rank, so that a time-based seed is the same everywhere.
absl::StatusOr<uint64_t> ShareSeed(IslandComm* comm, uint64_t seed) {
  if (comm == nullptr || comm->num_ranks() == 1) return seed;
  std::string mine(reinterpret_cast<const char*>(&seed), sizeof(seed));
  absl::StatusOr<std::vector<std::string>> all = comm->AllGather(mine);
  if (!all.ok()) return all.status();
  if ((*all)[0].size() != sizeof(seed)) return absl::DataLossError("rank 0 sent a bad seed");
  std::memcpy(&seed, (*all)[0].data(), sizeof(seed));
  return seed;
}

}  // namespace

int SearchMain(const SearchMainOptions& main_options) {
  IslandComm* comm = main_options.comm;
  const bool is_root = comm == nullptr || comm->rank() == 0;
  const std::string spec_path = absl::GetFlag(FLAGS_spec);
  if (spec_path.empty()) return Fail(absl::InvalidArgumentError("--spec is required"), comm);
  absl::StatusOr<ExperimentSpec> spec = ReadExperimentSpecFile(spec_path);
  if (!spec.ok()) return Fail(spec.status(), comm);
  if (!absl::GetFlag(FLAGS_select_spec).empty()) {
    absl::StatusOr<TaskCollection> tasks = ReadTaskCollectionFile(absl::GetFlag(FLAGS_select_spec));
    if (!tasks.ok()) return Fail(tasks.status(), comm);
    *spec->mutable_select_tasks() = *tasks;
  }
  if (!absl::GetFlag(FLAGS_final_spec).empty()) {
    absl::StatusOr<TaskCollection> tasks = ReadTaskCollectionFile(absl::GetFlag(FLAGS_final_spec));
    if (!tasks.ok()) return Fail(tasks.status(), comm);
    *spec->mutable_final_tasks() = *tasks;
  }
  if (absl::Status s = ValidateExperimentSpec(*spec); !s.ok()) {
    return Fail(absl::InvalidArgumentError(absl::StrCat(spec_path, ": ", s.message())), comm);
  }
  if (absl::GetFlag(FLAGS_max_experiments) < 1) {
    return Fail(absl::InvalidArgumentError("--max_experiments must be >= 1"), comm);
  }
  if (absl::GetFlag(FLAGS_islands) < 0) {
    return Fail(absl::InvalidArgumentError("--islands must be >= 0 (0: the spec's num_islands)"),
                comm);
  }
  if (absl::GetFlag(FLAGS_threads) < 0) {
    return Fail(absl::InvalidArgumentError("--threads must be >= 0 (0: all cores)"), comm);
  }
  const int num_islands =
      absl::GetFlag(FLAGS_islands) > 0 ? absl::GetFlag(FLAGS_islands) : spec->num_islands();
  if (absl::Status s =
          ValidateIslandSettings(*spec, num_islands, comm == nullptr ? 1 : comm->num_ranks());
      !s.ok()) {
    return Fail(absl::InvalidArgumentError(absl::StrCat(spec_path, ": ", s.message())), comm);
  }

  uint64_t seed = absl::GetFlag(FLAGS_random_seed);
  if (seed == 0) seed = static_cast<uint64_t>(absl::ToUnixNanos(absl::Now()));
  absl::StatusOr<uint64_t> shared_seed = ShareSeed(comm, seed);
  if (!shared_seed.ok()) return Fail(shared_seed.status(), comm);
  seed = *shared_seed;
  if (is_root) std::cout << "random_seed=" << seed << std::endl;

  // Only rank 0 touches the output directory.
  const std::string output_dir = is_root ? absl::GetFlag(FLAGS_output_dir) : "";
  ProgressCsvWriter progress_csv;
  if (!output_dir.empty()) {
    if (absl::Status s = PrepareOutputDir(output_dir); !s.ok()) return Fail(s, comm);
    if (absl::Status s = progress_csv.Open(output_dir); !s.ok()) return Fail(s, comm);
  }

  SearchOptions options;
  options.random_seed = seed;
  options.max_experiments = absl::GetFlag(FLAGS_max_experiments);
  options.sufficient_fitness = absl::GetFlag(FLAGS_sufficient_fitness);
  options.num_islands = num_islands;
  options.num_threads = absl::GetFlag(FLAGS_threads) > 0 ? absl::GetFlag(FLAGS_threads)
                                                         : main_options.default_threads;
  options.comm = comm;
  options.on_progress = [&progress_csv](const ProgressRecord& record) {
    std::cout << FormatProgressLine(record) << std::endl;
    progress_csv.Append(record);
  };
  options.on_experiment_end = [](const ExperimentSummary& summary) {
    std::cout << "experiment=" << summary.experiment << " search_fitness=" << summary.search_fitness
              << " select_fitness=" << summary.select_fitness << " indivs=" << summary.individuals
              << " best_island=" << summary.best_island << " secs=" << summary.seconds << std::endl;
  };
  absl::StatusOr<SearchResult> result = RunSearch(*spec, options);
  if (!result.ok()) return Fail(result.status(), comm);
  if (!is_root) return 0;

  std::cout << "final_fitness=" << result->final_fitness << std::endl;
  if (result->final_has_test) {
    std::cout << "final_test_fitness=" << result->final_test_fitness << std::endl;
  }
  std::cout << PrintProgram(result->best_program);
  if (!output_dir.empty()) {
    if (absl::Status s = WriteSearchOutputs(output_dir, *result, RunInfo{seed, spec_path});
        !s.ok()) {
      return Fail(s, comm);
    }
    std::cout << "outputs written to " << output_dir << std::endl;
  }
  return 0;
}

}  // namespace automl

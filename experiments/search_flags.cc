#include "experiments/search_flags.h"

#include <cmath>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "evolution/checkpoint.h"
#include "experiments/command_line.h"

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
ABSL_FLAG(double, checkpoint_every_secs, 60,
          "With --output_dir: write DIR/checkpoint.pb at the first round boundary after every "
          "this many seconds (0: at every boundary), at each experiment's end and on "
          "SIGINT/SIGTERM. Never changes results.");
ABSL_FLAG(bool, resume, false,
          "Continue the run saved in --output_dir's checkpoint (its seed, islands and seed "
          "programs; --spec may be omitted). Its stopping limits may be raised.");
ABSL_FLAG(bool, force_spec_change, false,
          "With --resume: accept a spec that differs from the checkpoint's in more than the "
          "stopping limits (the saved populations keep their fitness; results are no longer "
          "those of one uninterrupted run).");
ABSL_FLAG(std::string, seed_programs, "",
          "Warm start: comma-separated files of programs that open every island's initial "
          "population (printed programs separated by lines '---', or a .pb such as a previous "
          "run's best_algorithm.pb).");
ABSL_FLAG(int64_t, max_individuals, 0,
          "If > 0, replaces the spec's max_individuals (e.g. to extend a resumed run).");
ABSL_FLAG(double, max_seconds, 0,
          "If > 0, replaces the spec's max_seconds (e.g. to extend a resumed run).");
ABSL_FLAG(double, max_memory_gb, 0,
          "Refuse a run whose estimated memory (docs/resource-limits.md) exceeds this many GB; "
          "0 = the memory available (MemAvailable, or ulimit -v if lower). Set it higher to "
          "run anyway.");

namespace automl {

std::string SearchFlags::checkpoint_path() const {
  return output_dir.empty() ? "" : output_dir + "/" + kCheckpointFileName;
}

absl::StatusOr<SearchFlags> ReadSearchFlags() {
  SearchFlags flags;
  flags.spec = absl::GetFlag(FLAGS_spec);
  flags.random_seed = absl::GetFlag(FLAGS_random_seed);
  flags.output_dir = absl::GetFlag(FLAGS_output_dir);
  flags.max_experiments = absl::GetFlag(FLAGS_max_experiments);
  flags.sufficient_fitness = absl::GetFlag(FLAGS_sufficient_fitness);
  flags.select_spec = absl::GetFlag(FLAGS_select_spec);
  flags.final_spec = absl::GetFlag(FLAGS_final_spec);
  flags.islands = absl::GetFlag(FLAGS_islands);
  flags.threads = absl::GetFlag(FLAGS_threads);
  flags.checkpoint_every_secs = absl::GetFlag(FLAGS_checkpoint_every_secs);
  flags.resume = absl::GetFlag(FLAGS_resume);
  flags.force_spec_change = absl::GetFlag(FLAGS_force_spec_change);
  flags.seed_programs = absl::GetFlag(FLAGS_seed_programs);
  flags.max_individuals = absl::GetFlag(FLAGS_max_individuals);
  flags.max_seconds = absl::GetFlag(FLAGS_max_seconds);
  flags.max_memory_gb = absl::GetFlag(FLAGS_max_memory_gb);

  // An explicit empty value is a mistake (a shell variable that was not set), not a request
  // for no outputs: omitting the flag says that.
  if (flags.output_dir.empty() && FlagGiven("output_dir")) {
    return absl::InvalidArgumentError(
        "--output_dir is empty (omit the flag to write no output files)");
  }
  if (flags.force_spec_change && !flags.resume) {
    return absl::InvalidArgumentError(
        "--force_spec_change only applies with --resume (a new run has no saved spec)");
  }
  if (flags.resume && flags.output_dir.empty()) {
    return absl::InvalidArgumentError(
        "--resume needs --output_dir (the directory of the run to continue)");
  }
  // Written as !(x >= 0) so that NaN fails too.
  if (!(flags.checkpoint_every_secs >= 0)) {
    return absl::InvalidArgumentError(
        "--checkpoint_every_secs must be >= 0 (0: at every round boundary)");
  }
  if (flags.max_individuals < 0) {
    return absl::InvalidArgumentError("--max_individuals must be >= 0");
  }
  if (!(flags.max_seconds >= 0) || !std::isfinite(flags.max_seconds)) {
    return absl::InvalidArgumentError(
        "--max_seconds must be a finite number >= 0 (0: the spec's max_seconds)");
  }
  if (std::isnan(flags.sufficient_fitness)) {
    return absl::InvalidArgumentError("--sufficient_fitness is NaN (give a number)");
  }
  if (!(flags.max_memory_gb >= 0)) {
    return absl::InvalidArgumentError("--max_memory_gb must be >= 0 (0: the memory available)");
  }
  if (flags.max_experiments < 1) {
    return absl::InvalidArgumentError("--max_experiments must be >= 1");
  }
  if (flags.islands < 0) {
    return absl::InvalidArgumentError("--islands must be >= 0 (0: the spec's num_islands)");
  }
  if (flags.threads < 0) {
    return absl::InvalidArgumentError("--threads must be >= 0 (0: all cores)");
  }
  return flags;
}

}  // namespace automl

#include "experiments/search_main.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "evolution/checkpoint.h"
#include "evolution/experiment.h"
#include "evolution/experiment_spec.h"
#include "evolution/seed_programs.h"
#include "experiments/output_dir_lock.h"
#include "experiments/search_outputs.h"
#include "experiments/signal_handling.h"
#include "instructions/printer.h"
#include "instructions/status_macros.h"

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

// Rank 0 reads the checkpoint and sends it to the others, so ranks need not share a disk.
absl::StatusOr<LoadedCheckpoint> LoadCheckpoint(IslandComm* comm, const std::string& path) {
  const bool single = comm == nullptr || comm->num_ranks() == 1;
  absl::StatusOr<LoadedCheckpoint> loaded = absl::UnknownError("");
  if (single || comm->rank() == 0) {
    loaded = ReadCheckpoint(path);
    if (absl::IsNotFound(loaded.status())) {
      loaded = absl::NotFoundError(absl::StrCat("--resume: ", loaded.status().message()));
    }
    if (single) return loaded;
  }
  std::string mine;
  if (comm->rank() == 0) {
    mine = loaded.ok() ? "1" + loaded->checkpoint.SerializeAsString()
                       : "0" + std::string(loaded.status().message());
  }
  absl::StatusOr<std::vector<std::string>> all = comm->AllGather(mine);
  if (!all.ok()) return all.status();
  if (comm->rank() == 0) return loaded;
  const std::string& root = (*all)[0];
  if (root.empty()) return absl::DataLossError("rank 0 sent no checkpoint");
  if (root[0] != '1') return absl::FailedPreconditionError(root.substr(1));
  LoadedCheckpoint received;
  if (!received.checkpoint.ParseFromString(root.substr(1))) {
    return absl::DataLossError("cannot parse the checkpoint sent by rank 0");
  }
  return received;
}

// The spec the flags describe: --spec (or, when resuming without it, the checkpoint's), with
// --select_spec, --final_spec and the limit overrides applied.
absl::StatusOr<ExperimentSpec> SpecFromFlags(const CheckpointProto* checkpoint,
                                             std::string& spec_path) {
  spec_path = absl::GetFlag(FLAGS_spec);
  ExperimentSpec spec;
  if (!spec_path.empty()) {
    absl::StatusOr<ExperimentSpec> read = ReadExperimentSpecFile(spec_path);
    if (!read.ok()) return read.status();
    spec = *std::move(read);
  } else if (checkpoint != nullptr) {
    spec = checkpoint->spec();
    spec_path = checkpoint->spec_path();
  } else {
    return absl::InvalidArgumentError("--spec is required");
  }
  if (!absl::GetFlag(FLAGS_select_spec).empty()) {
    absl::StatusOr<TaskCollection> tasks = ReadTaskCollectionFile(absl::GetFlag(FLAGS_select_spec));
    if (!tasks.ok()) return tasks.status();
    *spec.mutable_select_tasks() = *tasks;
  }
  if (!absl::GetFlag(FLAGS_final_spec).empty()) {
    absl::StatusOr<TaskCollection> tasks = ReadTaskCollectionFile(absl::GetFlag(FLAGS_final_spec));
    if (!tasks.ok()) return tasks.status();
    *spec.mutable_final_tasks() = *tasks;
  }
  if (absl::GetFlag(FLAGS_max_individuals) < 0 || absl::GetFlag(FLAGS_max_seconds) < 0) {
    return absl::InvalidArgumentError("--max_individuals and --max_seconds must be >= 0");
  }
  if (absl::GetFlag(FLAGS_max_individuals) > 0) {
    spec.set_max_individuals(absl::GetFlag(FLAGS_max_individuals));
  }
  if (absl::GetFlag(FLAGS_max_seconds) > 0) spec.set_max_seconds(absl::GetFlag(FLAGS_max_seconds));
  if (absl::Status s = ValidateExperimentSpec(spec); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(spec_path.empty() ? "the checkpoint's spec" : spec_path, ": ", s.message()));
  }
  return spec;
}

// Why a resumed run cannot continue the checkpoint with these flags (one line), or OK.
absl::Status CheckResumeSettings(const CheckpointProto& checkpoint, const ExperimentSpec& spec,
                                 const std::string& checkpoint_path) {
  const std::vector<std::string> differing = DifferingSpecFields(checkpoint.spec(), spec);
  if (!differing.empty() && !absl::GetFlag(FLAGS_force_spec_change)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "--resume: the spec differs from the one ", checkpoint_path,
        " was made with, in: ", absl::StrJoin(differing, ", "),
        " (resume with the same spec, or accept the change with --force_spec_change)"));
  }
  if (absl::GetFlag(FLAGS_islands) > 0 &&
      absl::GetFlag(FLAGS_islands) != checkpoint.num_islands()) {
    return absl::FailedPreconditionError(
        absl::StrCat("--resume: --islands=", absl::GetFlag(FLAGS_islands),
                     " but the checkpoint has ", checkpoint.num_islands(), " islands"));
  }
  if (absl::GetFlag(FLAGS_random_seed) != 0 &&
      absl::GetFlag(FLAGS_random_seed) != checkpoint.random_seed()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "--resume: --random_seed=", absl::GetFlag(FLAGS_random_seed),
        " but the checkpoint's seed is ", checkpoint.random_seed(), " (omit --random_seed)"));
  }
  if (!absl::GetFlag(FLAGS_seed_programs).empty()) {
    return absl::FailedPreconditionError(
        "--resume: --seed_programs cannot be given (the checkpoint keeps the run's own)");
  }
  return absl::OkStatus();
}

}  // namespace

int SearchMain(const SearchMainOptions& main_options) {
  IslandComm* comm = main_options.comm;
  const bool is_root = comm == nullptr || comm->rank() == 0;
  const std::string output_dir_flag = absl::GetFlag(FLAGS_output_dir);
  const bool resume = absl::GetFlag(FLAGS_resume);
  if (resume && output_dir_flag.empty()) {
    return Fail(absl::InvalidArgumentError(
                    "--resume needs --output_dir (the directory of the run to continue)"),
                comm);
  }
  if (absl::GetFlag(FLAGS_checkpoint_every_secs) < 0) {
    return Fail(absl::InvalidArgumentError(
                    "--checkpoint_every_secs must be >= 0 (0: at every round boundary)"),
                comm);
  }
  // One run per directory, for the whole run: taken before anything reads the directory when
  // it exists, else as soon as PrepareOutputDir has made it.
  std::optional<OutputDirLock> output_dir_lock;
  auto lock_output_dir = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(output_dir_lock, OutputDirLock::Acquire(output_dir_flag));
    return absl::OkStatus();
  };
  std::error_code no_dir;
  if (is_root && std::filesystem::is_directory(output_dir_flag, no_dir)) {
    if (absl::Status s = lock_output_dir(); !s.ok()) return Fail(s, comm);
  }
  const std::string checkpoint_path =
      output_dir_flag.empty() ? "" : output_dir_flag + "/" + kCheckpointFileName;
  std::optional<LoadedCheckpoint> loaded;
  if (resume) {
    absl::StatusOr<LoadedCheckpoint> read = LoadCheckpoint(comm, checkpoint_path);
    if (!read.ok()) return Fail(read.status(), comm);
    loaded = *std::move(read);
    if (is_root && loaded->source_path != checkpoint_path) {
      // Otherwise the next write would rotate the unusable file over the good previous one.
      const std::string aside = checkpoint_path + ".corrupt";
      if (std::rename(checkpoint_path.c_str(), aside.c_str()) == 0) {
        loaded->warning += absl::StrCat(" (the unusable file is kept as ", aside, ")");
      }
    }
    if (is_root && !loaded->warning.empty()) {
      std::cerr << "warning: " << loaded->warning << std::endl;
    }
  }
  const CheckpointProto* checkpoint = loaded ? &loaded->checkpoint : nullptr;
  if (!resume && !checkpoint_path.empty() && is_root) {
    // A restart that forgot --resume must not overwrite an unfinished search.
    absl::StatusOr<LoadedCheckpoint> existing = ReadCheckpoint(checkpoint_path);
    if (existing.ok() && !existing->checkpoint.run_complete()) {
      return Fail(absl::FailedPreconditionError(absl::StrCat(
                      output_dir_flag, " holds the checkpoint of an unfinished run (experiment ",
                      existing->checkpoint.experiment(), "): continue it with --resume, or remove ",
                      checkpoint_path, " to start over")),
                  comm);
    }
  }

  std::string spec_path;
  absl::StatusOr<ExperimentSpec> spec = SpecFromFlags(checkpoint, spec_path);
  if (!spec.ok()) return Fail(spec.status(), comm);
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
  if (checkpoint != nullptr) {
    if (absl::Status s = CheckResumeSettings(*checkpoint, *spec, loaded->source_path); !s.ok()) {
      return Fail(s, comm);
    }
  }
  int num_islands =
      absl::GetFlag(FLAGS_islands) > 0 ? absl::GetFlag(FLAGS_islands) : spec->num_islands();
  if (checkpoint != nullptr) num_islands = checkpoint->num_islands();
  if (absl::Status s =
          ValidateIslandSettings(*spec, num_islands, comm == nullptr ? 1 : comm->num_ranks());
      !s.ok()) {
    return Fail(absl::InvalidArgumentError(absl::StrCat(spec_path, ": ", s.message())), comm);
  }
  std::vector<Program> seed_programs;
  if (!absl::GetFlag(FLAGS_seed_programs).empty()) {
    absl::StatusOr<std::vector<Program>> read =
        ReadSeedPrograms(absl::GetFlag(FLAGS_seed_programs));
    if (!read.ok()) return Fail(read.status(), comm);
    seed_programs = *std::move(read);
  }

  uint64_t seed = absl::GetFlag(FLAGS_random_seed);
  if (checkpoint != nullptr) seed = checkpoint->random_seed();
  if (seed == 0) seed = static_cast<uint64_t>(absl::ToUnixNanos(absl::Now()));
  absl::StatusOr<uint64_t> shared_seed = ShareSeed(comm, seed);
  if (!shared_seed.ok()) return Fail(shared_seed.status(), comm);
  seed = *shared_seed;
  if (is_root) std::cout << "random_seed=" << seed << std::endl;
  if (is_root && checkpoint != nullptr) {
    int64_t individuals = 0;
    for (const IslandStateProto& island : checkpoint->search().islands()) {
      individuals += island.num_individuals();
    }
    std::cout << "resuming from " << loaded->source_path << ": experiment "
              << checkpoint->experiment() << " at " << individuals << " individuals, "
              << checkpoint->experiments_size() << " experiment(s) done, "
              << checkpoint->progress_size() << " progress line(s) restored" << std::endl;
    for (const std::string& change : ChangedStoppingLimits(checkpoint->spec(), *spec)) {
      std::cout << "resuming with " << change << std::endl;
    }
    const std::vector<std::string> differing = DifferingSpecFields(checkpoint->spec(), *spec);
    if (!differing.empty()) {
      std::cout << "resuming with a changed spec (--force_spec_change): "
                << absl::StrJoin(differing, ", ") << std::endl;
    }
  }

  // Only rank 0 touches the output directory.
  const std::string output_dir = is_root ? output_dir_flag : "";
  ProgressCsvWriter progress_csv;
  if (!output_dir.empty()) {
    if (absl::Status s = PrepareOutputDir(output_dir); !s.ok()) return Fail(s, comm);
    if (!output_dir_lock) {
      if (absl::Status s = lock_output_dir(); !s.ok()) return Fail(s, comm);
    }
    if (absl::Status s = progress_csv.Open(output_dir); !s.ok()) return Fail(s, comm);
    // progress.csv restarts from the checkpoint: lines a killed run wrote after it are gone
    // from the state, so they go from the file too.
    if (checkpoint != nullptr) {
      for (const ProgressRecordProto& proto : checkpoint->progress()) {
        ProgressRecord record;
        record.experiment = proto.experiment();
        record.individuals = proto.individuals();
        record.elapsed_secs = proto.elapsed_secs();
        record.individuals_per_sec = proto.individuals_per_sec();
        record.best_fitness = proto.best_fitness();
        record.mean_fitness = proto.mean_fitness();
        record.fec_hit_rate = proto.fec_hit_rate();
        record.hurdle_cut_rate = proto.hurdle_cut_rate();
        record.train_steps = proto.train_steps();
        record.migrations = proto.migrations();
        record.remote_migrations = proto.remote_migrations();
        record.processes = proto.processes();
        progress_csv.Append(record);
      }
    }
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
              << " best_island=" << summary.best_island << " secs=" << summary.seconds
              << (summary.interrupted ? " interrupted" : "") << std::endl;
  };
  options.seed_programs = std::move(seed_programs);
  options.checkpoint_path = checkpoint_path;
  options.checkpoint_every_secs = absl::GetFlag(FLAGS_checkpoint_every_secs);
  options.spec_path = spec_path;
  bool checkpoint_written = false;  // The last write succeeded.
  options.on_checkpoint = [&checkpoint_written](const CheckpointEvent& event) {
    checkpoint_written = event.status.ok();
    if (!event.status.ok()) {
      std::cerr << "warning: checkpoint not written (the search goes on): "
                << event.status.message() << std::endl;
    }
  };
  options.resume = checkpoint;
  options.stop_requested = InstallStopSignalHandlers();
  absl::StatusOr<SearchResult> result = RunSearch(*spec, options);
  if (!result.ok()) return Fail(result.status(), comm);
  if (!is_root) return 0;

  if (result->interrupted) {
    const ExperimentSummary& last = result->experiments.back();
    std::cout << "interrupted: experiment " << last.experiment << " stopped at " << last.individuals
              << " individuals";
    if (!output_dir.empty() && checkpoint_written) {
      std::cout << "; checkpoint " << checkpoint_path
                << " (continue with --resume --output_dir=" << output_dir << ")";
    }
    std::cout << std::endl;
  }
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
    std::cout << "outputs written to " << output_dir;
    if (result->interrupted) {
      std::cout << " (best program so far, progress.csv, summary.json"
                << (checkpoint_written ? ", checkpoint.pb)" : ")");
    }
    std::cout << std::endl;
  }
  return 0;
}

}  // namespace automl

#include "experiments/search_main.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "evolution/checkpoint.h"
#include "evolution/early_stop.h"
#include "evolution/experiment.h"
#include "evolution/experiment_checkpoint.h"
#include "evolution/experiment_spec.h"
#include "evolution/memory_estimate.h"
#include "evolution/objectives_spec.h"
#include "evolution/seed_programs.h"
#include "experiments/command_line.h"
#include "experiments/discovery_files.h"
#include "experiments/memory_limit.h"
#include "experiments/output_dir_lock.h"
#include "experiments/pareto_output.h"
#include "experiments/rank_agreement.h"
#include "experiments/search_flags.h"
#include "experiments/search_outputs.h"
#include "experiments/signal_handling.h"
#include "instructions/status_macros.h"
#include "tasks/task_registry.h"

namespace automl {
namespace {

SearchExit Fail(const absl::Status& status, const IslandComm* comm) {
  const std::optional<int> origin = RankKnownToAll(status);
  const SearchExit exit{1, origin.has_value()};
  const bool several = comm != nullptr && comm->num_ranks() > 1;
  // An error every rank has is printed once, by rank 0, naming the rank it comes from.
  if (origin.has_value() && several && comm->rank() != 0) return exit;
  if (several) std::cerr << "rank " << origin.value_or(comm->rank()) << ": ";
  std::cerr << "error: " << status.message() << std::endl;
  return exit;
}

// Rank 0's seed on every rank, so that a time-based seed is the same everywhere.
absl::StatusOr<uint64_t> ShareSeed(IslandComm* comm, uint64_t seed) {
  if (comm == nullptr) return seed;
  return BroadcastFromRoot(*comm, seed);
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
  ASSIGN_OR_RETURN(const std::vector<std::string> all, comm->AllGather(mine));
  if (comm->rank() == 0) return loaded;
  const std::string& root = all[0];
  if (root.empty()) return absl::DataLossError("rank 0 sent no checkpoint");
  if (root[0] != '1') return absl::FailedPreconditionError(root.substr(1));
  LoadedCheckpoint received;
  if (!received.checkpoint.ParseFromString(root.substr(1))) {
    return absl::DataLossError("cannot parse the checkpoint sent by rank 0");
  }
  return received;
}

// The checkpoint --resume continues. Rank 0 sets an unusable newest file aside (otherwise the
// next write would rotate it over the good previous one) and prints why it was not used.
absl::StatusOr<LoadedCheckpoint> LoadResumeCheckpoint(IslandComm* comm, bool is_root,
                                                      const std::string& checkpoint_path) {
  ASSIGN_OR_RETURN(LoadedCheckpoint loaded, LoadCheckpoint(comm, checkpoint_path));
  if (!is_root) return loaded;
  if (loaded.source_path != checkpoint_path) {
    const std::string aside = checkpoint_path + ".corrupt";
    if (std::rename(checkpoint_path.c_str(), aside.c_str()) == 0) {
      loaded.warning += absl::StrCat(" (the unusable file is kept as ", aside, ")");
    }
  }
  if (!loaded.warning.empty()) std::cerr << "warning: " << loaded.warning << std::endl;
  return loaded;
}

// A restart that forgot --resume must not overwrite an unfinished search.
absl::Status CheckNoUnfinishedRun(const SearchFlags& flags) {
  const std::string checkpoint_path = flags.checkpoint_path();
  absl::StatusOr<LoadedCheckpoint> existing = ReadCheckpoint(checkpoint_path);
  if (existing.ok() && !existing->checkpoint.run_complete()) {
    return absl::FailedPreconditionError(
        absl::StrCat(flags.output_dir, " holds the checkpoint of an unfinished run (experiment ",
                     existing->checkpoint.experiment(), "): continue it with --resume, or remove ",
                     checkpoint_path, " to start over"));
  }
  return absl::OkStatus();
}

// The spec the flags describe: --spec (or, when resuming without it, the checkpoint's), with
// --select_spec, --final_spec and the limit overrides applied.
absl::StatusOr<ExperimentSpec> SpecFromFlags(const SearchFlags& flags,
                                             const CheckpointProto* checkpoint,
                                             std::string& spec_path) {
  spec_path = flags.spec;
  ExperimentSpec spec;
  if (!spec_path.empty()) {
    ASSIGN_OR_RETURN(spec, ReadExperimentSpecFile(spec_path));
  } else if (checkpoint != nullptr) {
    spec = checkpoint->spec();
    spec_path = checkpoint->spec_path();
  } else {
    return absl::InvalidArgumentError("--spec is required");
  }
  if (!flags.select_spec.empty()) {
    ASSIGN_OR_RETURN(*spec.mutable_select_tasks(), ParseTaskCollectionFile(flags.select_spec));
  }
  if (!flags.final_spec.empty()) {
    ASSIGN_OR_RETURN(*spec.mutable_final_tasks(), ParseTaskCollectionFile(flags.final_spec));
  }
  if (flags.max_individuals > 0) spec.set_max_individuals(flags.max_individuals);
  if (flags.max_seconds > 0) spec.set_max_seconds(flags.max_seconds);
  if (absl::Status s = ValidateExperimentSpec(spec); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(spec_path.empty() ? "the checkpoint's spec" : spec_path, ": ", s.message()));
  }
  return spec;
}

// The objectives `spec` computes that `saved` did not, comma-separated: a saved fitness lacks
// them, and selection on a value never measured would be silently wrong.
std::string AddedObjectives(const ExperimentSpec& saved, const ExperimentSpec& spec) {
  const std::vector<Objective> before = ComputedObjectives(saved);
  std::vector<std::string> added;
  for (Objective objective : ComputedObjectives(spec)) {
    if (std::find(before.begin(), before.end(), objective) == before.end()) {
      added.emplace_back(Info(objective).name);
    }
  }
  return absl::StrJoin(added, ", ");
}

// Why a resumed run cannot continue the checkpoint with these flags (one line), or OK.
absl::Status CheckResumeSettings(const SearchFlags& flags, const CheckpointProto& checkpoint,
                                 const ExperimentSpec& spec, const std::string& checkpoint_path) {
  const std::vector<std::string> differing = DifferingSpecFields(checkpoint.spec(), spec);
  if (!differing.empty() && !flags.force_spec_change) {
    return absl::FailedPreconditionError(absl::StrCat(
        "--resume: the spec differs from the one ", checkpoint_path,
        " was made with, in: ", absl::StrJoin(differing, ", "),
        " (resume with the same spec, or accept the change with --force_spec_change)"));
  }
  if (const std::string added = AddedObjectives(checkpoint.spec(), spec); !added.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "--resume: the spec computes objectives the saved populations were not scored on (", added,
        "), even with --force_spec_change; start a new run, warm-started from ",
        "this one's best_algorithm.pb with --seed_programs"));
  }
  if (flags.islands > 0 && flags.islands != checkpoint.num_islands()) {
    return absl::FailedPreconditionError(absl::StrCat("--resume: --islands=", flags.islands,
                                                      " but the checkpoint has ",
                                                      checkpoint.num_islands(), " islands"));
  }
  if (flags.random_seed != 0 && flags.random_seed != checkpoint.random_seed()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "--resume: --random_seed=", flags.random_seed, " but the checkpoint's seed is ",
        checkpoint.random_seed(), " (omit --random_seed)"));
  }
  if (!flags.seed_programs.empty()) {
    return absl::FailedPreconditionError(
        "--resume: --seed_programs cannot be given (the checkpoint keeps the run's own)");
  }
  return absl::OkStatus();
}

// The run's seed: the checkpoint's, --random_seed, or the time; rank 0's on every rank.
absl::StatusOr<uint64_t> RunSeed(const SearchFlags& flags, const CheckpointProto* checkpoint,
                                 IslandComm* comm) {
  uint64_t seed = flags.random_seed;
  if (checkpoint != nullptr) seed = checkpoint->random_seed();
  if (seed == 0) seed = static_cast<uint64_t>(absl::ToUnixNanos(absl::Now()));
  return ShareSeed(comm, seed);
}

// The files written as the search goes.
struct LiveOutputs {
  ProgressCsvWriter progress_csv;
  DiscoveryFiles discoveries;
};

// Makes DIR if needed, holds its lock (if an existing DIR did not already give it) and opens
// DIR/progress.csv and the discovery files, in that order: a run refused by the lock must not
// truncate the holder's files. They restart from the checkpoint when resuming: lines a killed
// run wrote after it are gone from the state, so they go from the files too.
absl::Status OpenOutputDir(const std::string& output_dir, const CheckpointProto* checkpoint,
                           const MachineShape& shape, std::optional<OutputDirLock>& lock,
                           LiveOutputs& files) {
  RETURN_IF_ERROR(PrepareOutputDir(output_dir));
  if (!lock) {
    ASSIGN_OR_RETURN(lock, OutputDirLock::Acquire(output_dir));
  }
  RETURN_IF_ERROR(files.progress_csv.Open(output_dir));
  RETURN_IF_ERROR(files.discoveries.Open(output_dir, shape));
  if (checkpoint != nullptr) {
    for (const ProgressRecord& record : CheckpointProgress(*checkpoint)) {
      files.progress_csv.Append(record);
    }
    ASSIGN_OR_RETURN(const std::vector<Discovery> discoveries, CheckpointDiscoveries(*checkpoint));
    for (const Discovery& discovery : discoveries) files.discoveries.Append(discovery);
  }
  return absl::OkStatus();
}

// What the flags (and the checkpoint, when resuming) resolve to.
struct RunSetup {
  ExperimentSpec spec;
  std::string spec_path;
  int num_islands = 0;
  std::vector<Program> seed_programs;
  uint64_t seed = 0;
};

absl::StatusOr<RunSetup> SetUpRun(const SearchFlags& flags, const LoadedCheckpoint* loaded,
                                  IslandComm* comm) {
  const CheckpointProto* checkpoint = loaded != nullptr ? &loaded->checkpoint : nullptr;
  RunSetup setup;
  ASSIGN_OR_RETURN(setup.spec, SpecFromFlags(flags, checkpoint, setup.spec_path));
  if (checkpoint != nullptr) {
    RETURN_IF_ERROR(CheckResumeSettings(flags, *checkpoint, setup.spec, loaded->source_path));
  }
  setup.num_islands = flags.islands > 0 ? flags.islands : setup.spec.num_islands();
  if (checkpoint != nullptr) setup.num_islands = checkpoint->num_islands();
  if (absl::Status s = ValidateIslandSettings(setup.spec, setup.num_islands,
                                              comm == nullptr ? 1 : comm->num_ranks());
      !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(setup.spec_path, ": ", s.message()));
  }
  if (!flags.seed_programs.empty()) {
    ASSIGN_OR_RETURN(setup.seed_programs, ReadSeedPrograms(flags.seed_programs));
  }
  return setup;
}

// RunSearch's options, but for the callbacks.
SearchOptions SearchOptionsFor(const SearchFlags& flags, RunSetup& setup,
                               const SearchMainOptions& main_options,
                               const CheckpointProto* checkpoint) {
  SearchOptions options;
  options.random_seed = setup.seed;
  options.max_experiments = flags.max_experiments;
  options.sufficient_fitness = flags.sufficient_fitness;
  options.num_islands = setup.num_islands;
  options.num_threads = flags.threads > 0 ? flags.threads : main_options.default_threads;
  options.comm = main_options.comm;
  options.seed_programs = std::move(setup.seed_programs);
  options.checkpoint_path = flags.checkpoint_path();
  options.checkpoint_every_secs = flags.checkpoint_every_secs;
  options.spec_path = setup.spec_path;
  options.resume = checkpoint;
  options.stop_requested = InstallStopSignalHandlers();
  options.on_search_started = AllowGracefulStop;
  return options;
}

// Flags -> (resume) -> spec -> RunSearch -> outputs. Each step before the search ends at
// AgreeOnErrors, so that a bad input stops every rank there (see rank_agreement.h).
absl::Status RunSearchCommand(const SearchMainOptions& main_options) {
  IslandComm* comm = main_options.comm;
  const bool is_root = comm == nullptr || comm->rank() == 0;
  SearchFlags flags;
  // One run per output directory, for the whole run. An existing directory is locked before
  // anything reads it (the checkpoint, an unfinished run); a new one as soon as it is made.
  std::optional<OutputDirLock> output_dir_lock;
  RETURN_IF_ERROR(AgreeOnErrors(comm, [&]() -> absl::Status {
    RETURN_IF_ERROR(CheckNoPositionalArguments(main_options.unparsed_args));
    ASSIGN_OR_RETURN(flags, ReadSearchFlags());
    std::error_code not_a_directory;
    if (is_root && !flags.output_dir.empty() &&
        std::filesystem::is_directory(flags.output_dir, not_a_directory)) {
      ASSIGN_OR_RETURN(output_dir_lock, OutputDirLock::Acquire(flags.output_dir));
    }
    return absl::OkStatus();
  }()));
  // Resume: the checkpoint to continue; a new run must not overwrite an unfinished one. Then
  // the spec, islands and warm start.
  std::optional<LoadedCheckpoint> loaded;
  RunSetup setup;
  RETURN_IF_ERROR(AgreeOnErrors(comm, [&]() -> absl::Status {
    if (flags.resume) {
      ASSIGN_OR_RETURN(loaded, LoadResumeCheckpoint(comm, is_root, flags.checkpoint_path()));
    } else if (!flags.output_dir.empty() && is_root) {
      RETURN_IF_ERROR(CheckNoUnfinishedRun(flags));
    }
    ASSIGN_OR_RETURN(setup, SetUpRun(flags, loaded ? &*loaded : nullptr, comm));
    // Refuse a run too big for the machine before anything large is allocated.
    return CheckMemory(
        EstimateRunMemory(setup.spec, setup.num_islands, comm == nullptr ? 1 : comm->num_ranks(),
                          !flags.output_dir.empty(),
                          SufficientFitnessReachable(flags.sufficient_fitness)),
        flags.max_memory_gb);
  }()));
  const CheckpointProto* checkpoint = loaded ? &loaded->checkpoint : nullptr;
  ASSIGN_OR_RETURN(setup.seed, RunSeed(flags, checkpoint, comm));
  if (is_root) PrintRunStart(setup.seed, loaded ? &*loaded : nullptr, setup.spec);

  // Only rank 0 touches the output directory.
  OutputPaths outputs{is_root ? flags.output_dir : "", flags.checkpoint_path()};
  ASSIGN_OR_RETURN(const SearchSpace space, BuildSearchSpace(setup.spec));
  LiveOutputs files;
  RETURN_IF_ERROR(AgreeOnErrors(
      comm, outputs.dir.empty()
                ? absl::OkStatus()
                : OpenOutputDir(outputs.dir, checkpoint, space.shape, output_dir_lock, files)));

  SearchOptions options = SearchOptionsFor(flags, setup, main_options, checkpoint);
  options.on_progress = [&files](const ProgressRecord& record) {
    std::cout << FormatProgressLine(record) << std::endl;
    files.progress_csv.Append(record);
  };
  options.on_discovery = [&files](const Discovery& discovery) {
    files.discoveries.Append(discovery);
  };
  options.on_experiment_end = PrintExperimentEnd;
  options.on_checkpoint = [&outputs](const CheckpointEvent& event) {
    outputs.checkpoint_written = event.status.ok();
    if (!event.status.ok()) {
      std::cerr << "warning: checkpoint not written (the search goes on): "
                << event.status.message() << std::endl;
    }
  };
  ASSIGN_OR_RETURN(const SearchResult result, RunSearch(setup.spec, options));
  if (!is_root) return absl::OkStatus();
  RETURN_IF_ERROR(
      ReportSearchEnd(result, RunInfo{setup.seed, setup.spec_path}, outputs, space.shape));
  return ReportParetoFront(setup.spec, result.pareto, outputs.dir);
}

}  // namespace

SearchExit SearchMain(const SearchMainOptions& options) {
  if (absl::Status s = RunSearchCommand(options); !s.ok()) return Fail(s, options.comm);
  return SearchExit{};
}

}  // namespace automl

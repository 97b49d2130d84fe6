#include "evolution/experiment_checkpoint.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "evolution/checkpoint.h"
#include "instructions/program_proto.h"
#include "instructions/status_macros.h"

namespace automl {
namespace {

double SecondsSince(absl::Time start) { return absl::ToDoubleSeconds(absl::Now() - start); }

}  // namespace

RunCheckpointer::RunCheckpointer(const ExperimentSpec& spec, const SearchOptions& options,
                                 int num_islands, const std::vector<Program>& seed_programs,
                                 int num_processes)
    : options_(options), next_write_(absl::Now() + absl::Seconds(options.checkpoint_every_secs)) {
  run_fields_.set_format_version(kCheckpointFormatVersion);
  *run_fields_.mutable_spec() = spec;
  run_fields_.set_random_seed(options.random_seed);
  run_fields_.set_num_islands(num_islands);
  for (const Program& program : seed_programs) *run_fields_.add_seed_programs() = ToProto(program);
  run_fields_.set_spec_path(options.spec_path);
  run_fields_.set_num_processes(num_processes);
}

absl::Status RunCheckpointer::Write(IslandSearch& search, int experiment,
                                    absl::Time experiment_start, absl::Time run_start,
                                    const SearchResult& result, bool is_root) {
  ASSIGN_OR_RETURN(IslandSearchStateProto state, search.SaveState());
  if (!is_root) return absl::OkStatus();
  CheckpointProto checkpoint = run_fields_;
  for (const ExperimentSummary& e : result.experiments) *checkpoint.add_experiments() = ToProto(e);
  checkpoint.set_experiment(experiment);
  checkpoint.set_experiment_elapsed_secs(SecondsSince(experiment_start));
  *checkpoint.mutable_search() = std::move(state);
  for (const ProgressRecord& r : result.progress) *checkpoint.add_progress() = ToProto(r);
  for (const Discovery& d : result.discoveries) *checkpoint.add_discoveries() = ToProto(d);
  checkpoint.set_run_elapsed_secs(SecondsSince(run_start));
  checkpoint.set_written_unix_secs(absl::ToUnixSeconds(absl::Now()));
  WriteFile(checkpoint);
  next_write_ = absl::Now() + absl::Seconds(options_.checkpoint_every_secs);
  last_ = std::move(checkpoint);
  return absl::OkStatus();
}

void RunCheckpointer::MarkRunComplete() {
  if (!enabled() || !last_.has_search()) return;
  last_.set_run_complete(true);
  WriteFile(last_);
}

void RunCheckpointer::WriteFile(const CheckpointProto& checkpoint) {
  CheckpointEvent event;
  event.path = options_.checkpoint_path;
  event.experiment = checkpoint.experiment();
  event.individuals = CheckpointIndividuals(checkpoint);
  event.status = WriteCheckpoint(options_.checkpoint_path, checkpoint);
  if (options_.on_checkpoint) options_.on_checkpoint(event);
}

int64_t CheckpointIndividuals(const CheckpointProto& checkpoint) {
  int64_t individuals = 0;
  for (const IslandStateProto& island : checkpoint.search().islands()) {
    individuals += island.num_individuals();
  }
  return individuals;
}

absl::Status CheckResumable(const CheckpointProto& checkpoint, uint64_t random_seed,
                            int num_islands, bool has_seed_programs) {
  if (checkpoint.num_islands() != num_islands) {
    return absl::InvalidArgumentError(absl::StrCat("the checkpoint has ", checkpoint.num_islands(),
                                                   " islands but this run has ", num_islands));
  }
  if (checkpoint.random_seed() != random_seed) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the checkpoint's random seed is ", checkpoint.random_seed(), ", not ", random_seed));
  }
  if (has_seed_programs) {
    return absl::InvalidArgumentError(
        "seed programs cannot be given when resuming: the checkpoint keeps the run's own");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Program>> CheckpointSeedPrograms(const CheckpointProto& checkpoint) {
  std::vector<Program> programs;
  for (const ProgramProto& proto : checkpoint.seed_programs()) {
    ASSIGN_OR_RETURN(Program program, FromProto(proto));
    programs.push_back(std::move(program));
  }
  return programs;
}

absl::StatusOr<std::vector<ExperimentSummary>> CheckpointExperiments(
    const CheckpointProto& checkpoint) {
  std::vector<ExperimentSummary> experiments;
  for (const ExperimentSummaryProto& proto : checkpoint.experiments()) {
    ASSIGN_OR_RETURN(ExperimentSummary summary, FromProto(proto));
    experiments.push_back(std::move(summary));
  }
  return experiments;
}

std::vector<ProgressRecord> CheckpointProgress(const CheckpointProto& checkpoint) {
  std::vector<ProgressRecord> progress;
  for (const ProgressRecordProto& proto : checkpoint.progress()) {
    progress.push_back(FromProto(proto));
  }
  return progress;
}

absl::StatusOr<std::vector<Discovery>> CheckpointDiscoveries(const CheckpointProto& checkpoint) {
  std::vector<Discovery> discoveries;
  for (const DiscoveryProto& proto : checkpoint.discoveries()) {
    ASSIGN_OR_RETURN(Discovery discovery, FromProto(proto));
    discoveries.push_back(std::move(discovery));
  }
  return discoveries;
}

}  // namespace automl

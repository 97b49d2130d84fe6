// RunSearch's side of checkpoints (checkpoint.h knows the formats): writing them as the run
// goes, and what a resumed run takes back from one. Rank 0 writes; SaveState is collective, so
// every rank takes part in each write.
#ifndef EVOLUTION_EXPERIMENT_CHECKPOINT_H_
#define EVOLUTION_EXPERIMENT_CHECKPOINT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "evolution/checkpoint.pb.h"
#include "evolution/experiment.h"
#include "evolution/experiment_records.h"
#include "evolution/island_model.h"
#include "instructions/program.h"

namespace automl {

// Writes a run's checkpoints: at the first round boundary after every checkpoint_every_secs,
// at each experiment's search end and on a stop request (the caller says when), and once more
// at the run's end, marked complete. When they are written never changes results.
class RunCheckpointer {
 public:
  // Writes nothing without options.checkpoint_path. `seed_programs` as fitted for the run.
  RunCheckpointer(const ExperimentSpec& spec, const SearchOptions& options, int num_islands,
                  const std::vector<Program>& seed_programs, int num_processes);

  bool enabled() const { return !options_.checkpoint_path.empty(); }
  // Asked at a round boundary: has checkpoint_every_secs passed since the last write?
  bool Due() const { return absl::Now() >= next_write_; }

  // Saves `search` (collective) and, on rank 0, writes it with the run's ended experiments
  // and progress lines. A failed write is reported (on_checkpoint); the search goes on, so
  // only an error of the collective save is returned.
  absl::Status Write(IslandSearch& search, int experiment, absl::Time experiment_start,
                     absl::Time run_start, const SearchResult& result, bool is_root);

  // Rank 0, after a run that its limits ended: the last checkpoint again, marked run_complete,
  // so that a new run may start over in the same directory without --resume.
  void MarkRunComplete();

 private:
  void WriteFile(const CheckpointProto& checkpoint);

  const SearchOptions& options_;
  CheckpointProto run_fields_;  // What stays the same for the whole run.
  CheckpointProto last_;        // Rank 0's last write.
  absl::Time next_write_;
};

// Individuals over all islands in the checkpoint's experiment.
int64_t CheckpointIndividuals(const CheckpointProto& checkpoint);

// Why a run with these settings cannot continue `checkpoint`, or OK.
absl::Status CheckResumable(const CheckpointProto& checkpoint, uint64_t random_seed,
                            int num_islands, bool has_seed_programs);

// The run's warm-start programs, as the checkpoint keeps them.
absl::StatusOr<std::vector<Program>> CheckpointSeedPrograms(const CheckpointProto& checkpoint);

// The experiments the checkpoint's run ended, in order (DataLoss for a bad best program).
absl::StatusOr<std::vector<ExperimentSummary>> CheckpointExperiments(
    const CheckpointProto& checkpoint);

// Every progress line of the checkpoint's run.
std::vector<ProgressRecord> CheckpointProgress(const CheckpointProto& checkpoint);

// Every discovery of the checkpoint's run (DataLoss for a bad program).
absl::StatusOr<std::vector<Discovery>> CheckpointDiscoveries(const CheckpointProto& checkpoint);

}  // namespace automl

#endif  // EVOLUTION_EXPERIMENT_CHECKPOINT_H_

// Checkpoints of a search run: the conversions between a search's live state (populations,
// RNGs, FEC, hurdles, counters) and CheckpointProto (checkpoint.proto), reading and writing
// checkpoint files (durably, see checkpoint_file.h), and the comparison of a checkpoint's spec
// with the spec a resumed run is given. RunSearch (experiment.h) decides when to save; this
// file only knows how.
#ifndef EVOLUTION_CHECKPOINT_H_
#define EVOLUTION_CHECKPOINT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "evolution/checkpoint.pb.h"
#include "evolution/experiment_spec.pb.h"
#include "evolution/island.pb.h"
#include "evolution/regularized_evolution.h"
#include "evolution/search_evaluator.h"
#include "instructions/random.h"

namespace automl {

// CheckpointProto.format_version of the files this build writes; others are refused.
inline constexpr int kCheckpointFormatVersion = 1;
// The checkpoint's name in --output_dir (the previous one is kept as checkpoint.pb.prev).
inline constexpr char kCheckpointFileName[] = "checkpoint.pb";

void SaveRng(const Rng::State& state, RngStateProto* proto);
absl::StatusOr<Rng::State> RestoreRng(const RngStateProto& proto);

// The evaluator's FEC entries (in LRU order), hurdle window, stats and train steps.
void SaveEvaluatorState(const SearchEvaluator& evaluator, SearchEvaluatorStateProto* proto);
// An FEC or hurdle that the evaluator has but the checkpoint lacks (or the reverse: a spec
// change forced with --force_spec_change) starts empty.
absl::Status RestoreEvaluatorState(const SearchEvaluatorStateProto& proto,
                                   SearchEvaluator& evaluator);

// The population, oldest index, individual count, best ever, RNG and (PARETO) archive of one
// island.
void SaveEvolutionState(const RegularizedEvolution& evolution, IslandStateProto* proto);
absl::Status RestoreEvolutionState(const IslandStateProto& proto, RegularizedEvolution& evolution);

// Serializes and writes atomically, keeping the previous checkpoint as `path`.prev.
absl::Status WriteCheckpoint(const std::string& path, const CheckpointProto& checkpoint);

struct LoadedCheckpoint {
  CheckpointProto checkpoint;
  std::string source_path;  // `path` or `path`.prev.
  std::string warning;      // Why `path` was not used, when the previous one was.
};
// Reads `path`; if it is missing, truncated, corrupted or does not parse, `path`.prev (with
// a warning saying why). NotFound when there is neither; an error naming both files when
// neither is usable, or naming the version when the file is from another format version.
absl::StatusOr<LoadedCheckpoint> ReadCheckpoint(const std::string& path);

// Parses a checkpoint payload (as read by ReadCheckpointFile) and checks its version.
absl::StatusOr<CheckpointProto> ParseCheckpoint(const std::string& payload,
                                                const std::string& source);

// The spec fields that differ between a checkpoint's spec and a resumed run's, as paths like
// "population_size" or "search_tasks.tasks[0].num_train_examples" (unset fields count as
// their defaults). The stopping limits (max_individuals, max_train_steps, max_seconds) are
// not listed: a resumed run may change them, see ChangedStoppingLimits.
std::vector<std::string> DifferingSpecFields(const ExperimentSpec& saved,
                                             const ExperimentSpec& now);

// The stopping limits that changed, e.g. "max_individuals 2000 (was 1000)".
std::vector<std::string> ChangedStoppingLimits(const ExperimentSpec& saved,
                                               const ExperimentSpec& now);

}  // namespace automl

#endif  // EVOLUTION_CHECKPOINT_H_

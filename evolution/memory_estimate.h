// How much memory a run will need, estimated from its spec before anything large is allocated,
// so that a run too big for the machine is refused with one line naming what drives it instead
// of ending in std::bad_alloc or the OOM killer. The constants are measured peak RSS (see
// docs/resource-limits.md for how, and for every term).
#ifndef EVOLUTION_MEMORY_ESTIMATE_H_
#define EVOLUTION_MEMORY_ESTIMATE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "evolution/experiment_spec.pb.h"
#include "instructions/instruction.h"
#include "tasks/task_spec.pb.h"

namespace automl {

// Measured: the search binary with a tiny spec and one small island.
inline constexpr double kProcessBaseBytes = 16e6;
// Measured per island without FEC (evaluator, executor memory, mutator, bookkeeping).
inline constexpr double kIslandBaseBytes = 16e3;
// Measured per island with FEC: the evaluator's direct-mapped signature memo (2^16 slots).
inline constexpr double kFecMemoBytes = 2.1e6;
// Per FEC cache entry when the cache is full: its 24-byte LRU node and its hash-map slot
// (16 bytes at a load of at most 7/8, plus a control byte).
inline constexpr double kFecBytesPerEntry = 48;
// Per population member: the program's vectors and the member's bookkeeping (measured ~130),
// plus kInstructionBytes per instruction.
inline constexpr double kMemberBytes = 160;
inline constexpr double kInstructionBytes = sizeof(Instruction);  // 24.
// Per training example and epoch: the precomputed epoch order (4 bytes, ~6 measured).
inline constexpr double kEpochOrderBytesPerExample = 6;
// A checkpoint holds every member's program and every FEC entry, as a proto and serialized.
inline constexpr double kCheckpointBytesPerInstruction = 64;
inline constexpr double kCheckpointBytesPerFecEntry = 48;
// An image dataset (Fashion-MNIST: 70000 x 784 pixel bytes) while it is read and kept.
inline constexpr double kImageDatasetBytes = 150e6;

// One term of the estimate: what it is, its bytes, and the spec fields or flags behind it with
// their values (e.g. "100000 islands (--islands) x (population_size 100 x ...)").
struct MemoryTerm {
  std::string name;
  double bytes = 0;
  std::string drivers;
};

struct MemoryEstimate {
  std::vector<MemoryTerm> terms;
  double total_bytes = 0;  // The process base plus the peak of the terms (see .cc).
  // The terms that make up most of the total, biggest first, for an error line.
  std::string Describe() const;
};

// The bytes of one collection's tasks while they are generated (the generated datasets and
// the executor's copy both exist for a moment) and then kept.
double TaskCollectionBytes(const TaskCollection& tasks, std::string* drivers);

// The estimate for a process that only generates `tasks` (evaluate_program).
MemoryEstimate EstimateTasksMemory(const TaskCollection& tasks);

// The estimate for one process of a run of `spec` with `num_islands` islands over
// `num_processes` processes (each hosts its share; the checkpoint of all of them is built on
// the first), with `checkpoints` when the run writes them, and `select_during_search` when
// early-stop checks score new bests on the select tasks while the islands live (early_stop.h).
// Doubles throughout, so that fields near 2^31 multiply without overflow.
MemoryEstimate EstimateRunMemory(const ExperimentSpec& spec, int num_islands, int num_processes,
                                 bool checkpoints, bool select_during_search = false);

// ResourceExhausted, one line, when the estimate exceeds `limit_bytes`; `limit_source` says
// where the limit comes from (e.g. "MemAvailable in /proc/meminfo").
absl::Status CheckMemoryEstimate(const MemoryEstimate& estimate, double limit_bytes,
                                 const std::string& limit_source);

}  // namespace automl

#endif  // EVOLUTION_MEMORY_ESTIMATE_H_

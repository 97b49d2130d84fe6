// What a search prints and what it leaves in --output_dir: the lines at the start (seed, what a
// resumed run continues), one line per progress point and per experiment, and at the end the
// final fitness and best program, raw and simplified (simplified_program.h); in the directory
// progress.csv (one row per progress line, written as the search goes), best_algorithm.txt
// (printed code, parseable; what resumes and warm starts use), best_algorithm.pb (binary
// proto), best_algorithm_simplified.txt (the simplified program, parseable, for people) and
// summary.json (summary_json.h).
#ifndef EXPERIMENTS_SEARCH_OUTPUTS_H_
#define EXPERIMENTS_SEARCH_OUTPUTS_H_

#include <cstdint>
#include <fstream>
#include <string>

#include "absl/status/status.h"
#include "evolution/checkpoint.h"
#include "evolution/experiment.h"
#include "evolution/experiment_spec.pb.h"
#include "experiments/summary_json.h"
#include "instructions/instruction.h"

namespace automl {

// Creates `dir` (and parents) if needed and checks it is writable, and that the output files
// already in it can be overwritten (errors give the OS reason).
absl::Status PrepareOutputDir(const std::string& dir);

// Writes `contents` to `path` (replacing it); the error names the path and the OS reason.
absl::Status WriteTextFile(const std::string& path, const std::string& contents);

class ProgressCsvWriter {
 public:
  // Opens DIR/progress.csv and writes the header.
  absl::Status Open(const std::string& dir);
  // Appends and flushes one row, so a killed run keeps its progress.
  void Append(const ProgressRecord& record);

 private:
  std::ofstream file_;
};

// The run's seed and, when resuming, where the run continues and the spec changes it accepted.
void PrintRunStart(uint64_t random_seed, const LoadedCheckpoint* resumed,
                   const ExperimentSpec& spec);

// "experiment=E search_fitness=... select_fitness=..." when an experiment ends.
void PrintExperimentEnd(const ExperimentSummary& summary);

// Where the outputs go: `dir` (none when empty); `checkpoint_path` was last written
// successfully when `checkpoint_written`.
struct OutputPaths {
  std::string dir;
  std::string checkpoint_path;
  bool checkpoint_written = false;
};

// Writes best_algorithm.txt, best_algorithm.pb and summary.json into `dir`.
absl::Status WriteSearchOutputs(const std::string& dir, const SearchResult& result,
                                const RunInfo& info);

// The end of a run: prints how it ended, the final fitness and the best program (raw, then
// "live instructions: N of M" and the program simplified for `shape`, the search's machine
// shape), and writes the outputs (WriteSearchOutputs and best_algorithm_simplified.txt) when
// there is an output directory.
absl::Status ReportSearchEnd(const SearchResult& result, const RunInfo& info,
                             const OutputPaths& outputs, const MachineShape& shape);

}  // namespace automl

#endif  // EXPERIMENTS_SEARCH_OUTPUTS_H_

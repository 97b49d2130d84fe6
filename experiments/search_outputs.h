// What a search leaves in --output_dir: progress.csv (one row per progress line, written as the
// search goes), best_algorithm.txt (printed code, parseable), best_algorithm.pb (binary proto)
// and summary.json.
#ifndef EXPERIMENTS_SEARCH_OUTPUTS_H_
#define EXPERIMENTS_SEARCH_OUTPUTS_H_

#include <cstdint>
#include <fstream>
#include <string>

#include "absl/status/status.h"
#include "evolution/experiment.h"

namespace automl {

// Creates `dir` (and parents) if needed and checks it is writable.
absl::Status PrepareOutputDir(const std::string& dir);

class ProgressCsvWriter {
 public:
  // Opens DIR/progress.csv and writes the header.
  absl::Status Open(const std::string& dir);
  // Appends and flushes one row, so a killed run keeps its progress.
  void Append(const ProgressRecord& record);

 private:
  std::ofstream file_;
};

struct RunInfo {
  uint64_t random_seed = 0;
  std::string spec_path;
};

// The summary.json text.
std::string SummaryJson(const SearchResult& result, const RunInfo& info);

// Writes best_algorithm.txt, best_algorithm.pb and summary.json into `dir`.
absl::Status WriteSearchOutputs(const std::string& dir, const SearchResult& result,
                                const RunInfo& info);

}  // namespace automl

#endif  // EXPERIMENTS_SEARCH_OUTPUTS_H_

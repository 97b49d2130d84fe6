// The discoveries of a run (experiment_records.h: each time an experiment's best-ever program
// improves, at a progress point) in --output_dir, written as the search goes:
//   discoveries.csv  experiment,individuals,elapsed_secs,fitness,live_size (one row each);
//   discoveries.txt  per discovery a header line
//                      "# discovery experiment=E individuals=N fitness=F live_size=L"
//                    then the program simplified (simplified_program.h), parseable.
// fitness is printed with 17 digits (exact: discoveries a hair apart stay apart); live_size is
// the raw program's live instruction count. A resumed run rewrites both from the
// checkpoint's discoveries first, so they equal an uninterrupted run's (but elapsed_secs).
#ifndef EXPERIMENTS_DISCOVERY_FILES_H_
#define EXPERIMENTS_DISCOVERY_FILES_H_

#include <fstream>
#include <string>

#include "absl/status/status.h"
#include "evolution/experiment_records.h"
#include "instructions/instruction.h"

namespace automl {

class DiscoveryFiles {
 public:
  // Opens (truncates) DIR/discoveries.csv and DIR/discoveries.txt and writes the csv header;
  // programs are simplified for `shape`, the search's machine shape.
  absl::Status Open(const std::string& dir, const MachineShape& shape);
  // Appends and flushes one discovery (nothing before Open). A program that does not
  // simplify (it always should) gets a warning on stderr and its raw form.
  void Append(const Discovery& discovery);

 private:
  MachineShape shape_;
  std::ofstream csv_;
  std::ofstream txt_;
};

}  // namespace automl

#endif  // EXPERIMENTS_DISCOVERY_FILES_H_

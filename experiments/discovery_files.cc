#include "experiments/discovery_files.h"

#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "executor/simplify.h"
#include "experiments/simplified_program.h"
#include "instructions/printer.h"

namespace automl {

absl::Status DiscoveryFiles::Open(const std::string& dir, const MachineShape& shape) {
  shape_ = shape;
  const std::string csv_path = dir + "/discoveries.csv";
  const std::string txt_path = dir + "/discoveries.txt";
  csv_.open(csv_path, std::ios::trunc);
  if (!csv_) return absl::InternalError(absl::StrCat("cannot write ", csv_path));
  txt_.open(txt_path, std::ios::trunc);
  if (!txt_) return absl::InternalError(absl::StrCat("cannot write ", txt_path));
  csv_ << "experiment,individuals,elapsed_secs,fitness,live_size,rotation\n";
  csv_.flush();
  return absl::OkStatus();
}

void DiscoveryFiles::Append(const Discovery& d) {
  if (!csv_.is_open()) return;
  std::string printed;
  int live_size = LiveInstructionCount(d.program);
  absl::StatusOr<SimplifiedProgram> simplified = SimplifyForReading(d.program, shape_);
  if (simplified.ok()) {
    printed = simplified->Printed();
  } else {
    std::cerr << "warning: discovery at " << d.individuals
              << " individuals not simplified: " << simplified.status().message() << std::endl;
    printed = PrintProgram(d.program);
  }
  csv_ << absl::StrFormat("%d,%d,%.3f,%.17g,%d,%d\n", d.experiment, d.individuals, d.elapsed_secs,
                          d.fitness, live_size, d.search_tasks_rotation);
  csv_.flush();
  txt_ << absl::StrFormat("# discovery experiment=%d individuals=%d fitness=%.17g live_size=%d\n",
                          d.experiment, d.individuals, d.fitness, live_size)
       << printed;
  txt_.flush();
}

}  // namespace automl

// A program as people read it: its exact simplification (executor/simplify.h) printed after
// one line saying how much of the original runs. Shared by everything that shows a program
// to a person (the end of a search, evaluate_program --simplify, discoveries.txt), so that
// they all read the same.
#ifndef EXPERIMENTS_SIMPLIFIED_PROGRAM_H_
#define EXPERIMENTS_SIMPLIFIED_PROGRAM_H_

#include <string>

#include "absl/status/statusor.h"
#include "instructions/instruction.h"
#include "instructions/program.h"

namespace automl {

struct SimplifiedProgram {
  Program program;     // Simplify(original, shape).
  int live_size = 0;   // LiveInstructionCount(original).
  int total_size = 0;  // The original's instruction count.

  // "live instructions: N of M".
  std::string LiveLine() const;
  // The simplified program printed (parseable like best_algorithm.txt).
  std::string Printed() const;
  // What a person is shown after the raw program: LiveLine() + "; simplified:", then Printed().
  std::string Shown() const;
};

absl::StatusOr<SimplifiedProgram> SimplifyForReading(const Program& program,
                                                     const MachineShape& shape);

}  // namespace automl

#endif  // EXPERIMENTS_SIMPLIFIED_PROGRAM_H_

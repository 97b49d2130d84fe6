// Reading a program a user names on the command line (a search's best_algorithm.txt / .pb or a
// hand-written baseline), and the smallest machine shape that runs it. Shared by the tools that
// take --program (evaluate_program, export_program).
#ifndef EXPERIMENTS_PROGRAM_FILE_H_
#define EXPERIMENTS_PROGRAM_FILE_H_

#include <string>

#include "absl/status/statusor.h"
#include "instructions/instruction.h"
#include "instructions/program.h"

namespace automl {

// The printed form (as best_algorithm.txt), or a binary ProgramProto if `path` ends in .pb.
absl::StatusOr<Program> ReadProgramFile(const std::string& path);

// One more than the largest address of each register kind the program uses; at least the
// conventional s0, s1 and v0.
MachineShape SmallestShape(const Program& program, int feature_size);

}  // namespace automl

#endif  // EXPERIMENTS_PROGRAM_FILE_H_

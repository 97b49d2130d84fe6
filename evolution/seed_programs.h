// Warm start (--seed_programs): reading the programs whose copies fill every island's
// initial population, and fitting them to the search space.
//
// A seed file is either
//   - a binary ProgramProto when its name ends in ".pb" (e.g. a previous run's
//     best_algorithm.pb), one program; or
//   - printed programs (the format of instructions/parser.h, e.g. best_algorithm.txt). Several
//     programs go in one file separated by a line holding only "---":
//
//       def Setup():
//         s3 = 0.01
//       def Predict():
//         s1 = dot(v0, v1)
//       def Learn():
//         ...
//       ---
//       def Setup():
//       ...
#ifndef EVOLUTION_SEED_PROGRAMS_H_
#define EVOLUTION_SEED_PROGRAMS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "evolution/search_space.h"
#include "instructions/program.h"

namespace automl {

// The programs of a printed seed file's text, in order. Errors name the line of the whole
// text, e.g. "program 2: line 14: cannot parse instruction ...". Empty programs (nothing
// between two separators) are an error.
absl::StatusOr<std::vector<Program>> ParseSeedPrograms(absl::string_view text);

// Reads one seed file (binary if its name ends in ".pb", printed otherwise); errors name it.
absl::StatusOr<std::vector<Program>> ReadSeedProgramsFile(const std::string& path);

// Reads a comma-separated list of seed files, programs in order.
absl::StatusOr<std::vector<Program>> ReadSeedPrograms(const std::string& paths);

// `program` checked against the space (registers in range, at most max_size instructions per
// function) and padded with NO_OPs to min_size, which changes nothing it computes. Errors
// start with `what`, e.g. "seed program 2: Learn has 30 instructions but max_size is 23".
absl::StatusOr<Program> FitSeedProgram(Program program, const SearchSpace& space,
                                       const std::string& what);

}  // namespace automl

#endif  // EVOLUTION_SEED_PROGRAMS_H_

// Parses the text form that printer.h prints, so programs can be written by
// hand (e.g. a known-good baseline), stored as text and loaded back. The
// grammar is derived from the op table's printed forms, so it never drifts from
// the printer:
//
//   # comments run to the end of the line; blank lines are ignored
//   def Setup():
//     s3 = 0.01
//   def Predict():
//     s1 = dot(v0, v1)
//   def Learn():
//     s2 = s0 - s1    # spacing is free: "s2=s0-s1" is the same
//
// Functions appear in the order Setup, Predict, Learn, each at most once;
// missing ones are empty. Register kinds (s/v/m) pick among ops that print
// alike, e.g. "v1 = s2 * v3" is SCALAR_VECTOR_PRODUCT. Only the syntax and the
// 0..255 range of addresses and indices are checked here; ValidateProgram
// checks them against a MachineShape.
#ifndef INSTRUCTIONS_PARSER_H_
#define INSTRUCTIONS_PARSER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "instructions/instruction.h"
#include "instructions/program.h"

namespace automl {

// One instruction, e.g. "v1[2] = -0.5"; a trailing "# comment" is ignored.
// Fields the op does not use are zero. Errors quote the text, e.g. `unknown op
// 'foo' in "s2 = foo(s0)"`.
absl::StatusOr<Instruction> ParseInstruction(absl::string_view line);

// A whole program. Errors name the 1-based line, e.g.
// `line 2: cannot parse instruction "s1 = s0 +"`.
absl::StatusOr<Program> ParseProgram(absl::string_view text);

// Whether `text` has anything but blank lines and comments.
bool HasProgramText(absl::string_view text);

// Reads and parses a program text file; errors name the path. A file without a program (empty,
// or only comments) is an error, as an empty binary program file is.
absl::StatusOr<Program> ParseProgramFile(const std::string& path);

}  // namespace automl

#endif  // INSTRUCTIONS_PARSER_H_

// Exact simplification of a program, for people to read: the result behaves like the original
// on every task, bit for bit (fitness, test fitness, divergence, FEC signature), with what
// cannot matter taken out. Repeated to a fixed point:
//   - instructions the executor never runs in any reduction (dead_code.h), NO_OPs included,
//     go; dead random ops that still advance the RNG for later live ones stay as they are;
//   - an instruction whose result is known becomes one constant set, and one that stores the
//     value its output already holds goes. Known values follow the executor's protocol
//     (executor.h): memory starts at zero and s0 is 0 when Predict starts; the Predict/Learn
//     loop is solved to a fixed point, so a value is known only if every run agrees on it.
//     Results are computed by the executor's own kernel and compared bitwise (0.0 and -0.0
//     differ); a constant is only written if the printer and parser keep it exact (not every
//     NaN survives the text round trip).
// Then registers are renumbered densely per kind in order of first appearance in the printed
// program, s0, s1 and v0 (the executor's inputs and output) staying where they are; the
// result therefore fits the original shape. Simplify(Simplify(p)) equals Simplify(p) bitwise.
#ifndef EXECUTOR_SIMPLIFY_H_
#define EXECUTOR_SIMPLIFY_H_

#include "absl/status/statusor.h"
#include "instructions/instruction.h"
#include "instructions/program.h"

namespace automl {

// The simplified `program`. Errors if the shape or its feature size is not supported, or the
// program does not fit the shape (ValidateProgram).
absl::StatusOr<Program> Simplify(const Program& program, const MachineShape& shape);

// The number of instructions the executor runs (live in some reduction, or kept for their
// random draws): the "N" of "live instructions: N of M".
int LiveInstructionCount(const Program& program);

}  // namespace automl

#endif  // EXECUTOR_SIMPLIFY_H_

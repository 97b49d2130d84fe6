// One instruction of a program: an op, its register addresses and its op data. Fields an op
// does not use are kept at zero, so two instructions that do the same thing compare and hash
// equal (the FEC and the parser's round trip rely on it).
#ifndef INSTRUCTIONS_INSTRUCTION_H_
#define INSTRUCTIONS_INSTRUCTION_H_

#include <cstdint>

#include "absl/status/status.h"
#include "instructions/ops.h"
#include "instructions/random.h"

namespace automl {

// By convention the label is in s0 while Learn runs (0 while Predict runs), the features are in
// v0 and the prediction is read from s1. Random programs never write s0 or v0.
inline constexpr int kLabelScalarAddress = 0;
inline constexpr int kPredictionScalarAddress = 1;
inline constexpr int kFeaturesVectorAddress = 0;

// Compiled maxima of register counts; an experiment chooses counts up to these at run time.
inline constexpr int kMaxScalarRegisters = 32;
inline constexpr int kMaxVectorRegisters = 32;
inline constexpr int kMaxMatrixRegisters = 32;

// The register counts and feature size an experiment runs with.
struct MachineShape {
  int num_scalars = 4;
  int num_vectors = 3;
  int num_matrices = 1;
  int feature_size = 4;
};

// The number of registers of `kind` in `shape` (0 for OperandKind::N).
int RegisterCount(OperandKind kind, const MachineShape& shape);

// Checks counts against the compiled maxima and the conventions (s0, s1, v0 must exist).
absl::Status ValidateMachineShape(const MachineShape& shape);

struct Instruction {
  Op op = Op::NO_OP;
  uint8_t in1 = 0;
  uint8_t in2 = 0;
  uint8_t out = 0;
  uint8_t index0 = 0;  // Element index (vector) or row (matrix) of const-set ops.
  uint8_t index1 = 0;  // Column of the matrix const-set op.
  double data0 = 0.0;  // Constant value; uniform low; gaussian mean.
  double data1 = 0.0;  // Uniform high; gaussian stddev.

  bool operator==(const Instruction& other) const {
    return op == other.op && in1 == other.in1 && in2 == other.in2 && out == other.out &&
           index0 == other.index0 && index1 == other.index1 && data0 == other.data0 &&
           data1 == other.data1;
  }
  bool operator!=(const Instruction& other) const { return !(*this == other); }

  // A hash of every field (bitwise on the doubles).
  uint64_t Hash() const;

  template <typename H>
  friend H AbslHashValue(H h, const Instruction& ins) {
    return H::combine(std::move(h), ins.Hash());
  }
};

// Checks that every register the instruction uses exists in `shape`, that element indices are
// below the feature size. Hand-written programs may write s0 and v0; random ones never do.
// The error names the offending field, e.g. "address v7 out of range (3 vector registers)".
absl::Status ValidateInstruction(const Instruction& ins, const MachineShape& shape);

// --- Random instructions (used by the generator, the mutator and property tests) ---

// A random register address for an operand of `kind`; outputs skip s0 and v0.
int RandomAddress(OperandKind kind, bool is_output, const MachineShape& shape, Rng& rng);

// A random instruction with op `op`: random addresses and random op data
// (constants ~ U[-1, 1); uniform bounds low ~ U[-1, 0), high ~ U[0, 1); gaussian mean ~
// U[-1, 1), stddev ~ U[0, 1)).
Instruction RandomInstructionForOp(Op op, const MachineShape& shape, Rng& rng);

// Changes one parameter of `ins` (one address, or the op data): an address is redrawn, a
// constant is scaled by a factor in [0.5, 2) on a log scale or flips its sign, an index is
// redrawn. Changes nothing for a NO_OP. Returns true if the instruction changed.
bool AlterOneParameter(Instruction& ins, const MachineShape& shape, Rng& rng);

// The number of real-valued op-data values `ins` carries: 1 for a constant or an element value,
// 2 for a uniform's bounds or a gaussian's mean and stddev, 0 otherwise.
int NumDataValues(const Instruction& ins);

// Changes one of the op-data values of `ins` on a log scale (see TuneValue). Requires
// NumDataValues(ins) > 0. Returns true if the instruction changed.
bool TuneOneDataValue(Instruction& ins, Rng& rng);

// A new value for a constant, for constants that need many digits: learning rates, init scales
// and decay factors, which AlterOneParameter's factors in [0.5, 2) from U[-1, 1) rarely reach
// (a decay of 0.9998 comes up about once in 5000 draws, and its neighbours 0.9 or 0.99 kill a
// learning rate within a few hundred steps, so there is no gradual path to it). Half the time a
// nudge: the value's distance to its nearest anchor (-1, 0 or 1) is scaled by a factor in
// [0.5, 2) drawn on a log scale, so 0.9998 moves to 0.9996-0.9999 and 0.03 to 0.015-0.06. Half
// the time a redraw that keeps the sign: a magnitude 10^U[-4, 0), or a factor near one,
// 1 -+ 10^U[-5, -1).
double TuneValue(double value, Rng& rng);

// A constant drawn as TuneValue redraws one, with a random sign: the value of a register that
// INSERT_INITIALIZED_INPUT or _UPDATE initialises (a learning rate, a decay factor, a bias), which
// U[-1, 1) almost never gives to the digits such values need.
double RandomScaledConstant(Rng& rng);

}  // namespace automl

#endif  // INSTRUCTIONS_INSTRUCTION_H_

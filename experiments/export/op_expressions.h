// The code an exported program (export_cpp.h, export_python.h) runs for each op: one table of
// the 65 ops' C++ and Python statements, in op id order. The C++ statements are the engine's
// kernels' Eigen expressions (executor/op_kernels.h), so an exported header computes the same
// bits with the same compiler flags; the Python ones are their numpy equivalents (same
// element-wise arithmetic; sums may add in another order, see docs/export.md).
//
// Placeholders: {o} {a} {b} the output and input registers, {c} {d} the op data, {i} {j} the
// element indices. The generated code provides: in C++ kF, Vector, Matrix, rng_, Heaviside,
// Min, Max, PopulationStd; in Python F, np, self._rng, _sin ... _log (libm, NaN/inf instead of
// exceptions), _std, _matvec, _matmul.
#ifndef EXPERIMENTS_EXPORT_OP_EXPRESSIONS_H_
#define EXPERIMENTS_EXPORT_OP_EXPRESSIONS_H_

#include <array>
#include <string>

#include "experiments/export/export_options.h"
#include "instructions/instruction.h"
#include "instructions/ops.h"

namespace automl {

struct OpExpression {
  Op op;
  const char* cpp;
  const char* python;
};

// Entry k is op id k (tests/export_program_test.cc checks it).
extern const std::array<OpExpression, kNumOps> kOpExpressions;

// The statement(s) running `ins`, lines separated by '\n', not indented. Registers are s_[k],
// v_[k], m_[k] in C++ and self.s[k], self.v[k], self.m[k] in Python.
std::string InstructionCode(const Instruction& ins, ExportLanguage language);

// `value` as a literal of `language` that reads back to the same double (NaN and the
// infinities included; a NaN's payload is not kept).
std::string DoubleLiteral(double value, ExportLanguage language);

}  // namespace automl

#endif  // EXPERIMENTS_EXPORT_OP_EXPRESSIONS_H_

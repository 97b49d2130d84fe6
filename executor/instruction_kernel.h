// Executes one instruction on register memory: the innermost loop of the engine. One switch
// over the op id, fixed-size Eigen arithmetic, no allocation and no virtual call.
#ifndef EXECUTOR_INSTRUCTION_KERNEL_H_
#define EXECUTOR_INSTRUCTION_KERNEL_H_

#include <cmath>
#include <vector>

#include "executor/memory.h"
#include "instructions/instruction.h"
#include "instructions/random.h"

namespace automl {

namespace kernel_internal {

inline double Heaviside(double x) { return x > 0.0 ? 1.0 : 0.0; }
inline double Min(double x, double y) { return std::fmin(x, y); }
inline double Max(double x, double y) { return std::fmax(x, y); }

template <typename Derived>
double PopulationStd(const Eigen::MatrixBase<Derived>& x) {
  const double mean = x.mean();
  return std::sqrt((x.array() - mean).square().mean());
}

}  // namespace kernel_internal

// GCC 12's SLP vectorizer, with -march=native (--config=opt), packs the operand addresses
// into a vector through a 2-byte store and a 16-byte reload: a failed store-to-load forward on
// every instruction, which made this interpreter 1.7x slower than at plain -O2 (measured on the
// demo search). Vectorizing a switch prologue gains nothing, so it is off here.
#if defined(__GNUC__) && !defined(__clang__)
#define AUTOML_NO_SLP_VECTORIZE __attribute__((optimize("no-tree-slp-vectorize")))
#else
#define AUTOML_NO_SLP_VECTORIZE
#endif

template <int F>
AUTOML_NO_SLP_VECTORIZE inline void ExecuteInstruction(const Instruction& ins, Memory<F>& mem,
                                                       Rng& rng) {
  using namespace kernel_internal;  // NOLINT: short names for the table below.
  auto& s = mem.scalar;
  auto& v = mem.vector;
  auto& m = mem.matrix;
  const int a = ins.in1;
  const int b = ins.in2;
  const int o = ins.out;
  switch (ins.op) {
    case Op::NO_OP:
      return;
    case Op::SCALAR_SUM:
      s[o] = s[a] + s[b];
      return;
    case Op::SCALAR_DIFF:
      s[o] = s[a] - s[b];
      return;
    case Op::SCALAR_PRODUCT:
      s[o] = s[a] * s[b];
      return;
    case Op::SCALAR_DIVISION:
      s[o] = s[a] / s[b];
      return;
    case Op::SCALAR_ABS:
      s[o] = std::fabs(s[a]);
      return;
    case Op::SCALAR_RECIPROCAL:
      s[o] = 1.0 / s[a];
      return;
    case Op::SCALAR_SIN:
      s[o] = std::sin(s[a]);
      return;
    case Op::SCALAR_COS:
      s[o] = std::cos(s[a]);
      return;
    case Op::SCALAR_TAN:
      s[o] = std::tan(s[a]);
      return;
    case Op::SCALAR_ARCSIN:
      s[o] = std::asin(s[a]);
      return;
    case Op::SCALAR_ARCCOS:
      s[o] = std::acos(s[a]);
      return;
    case Op::SCALAR_ARCTAN:
      s[o] = std::atan(s[a]);
      return;
    case Op::SCALAR_EXP:
      s[o] = std::exp(s[a]);
      return;
    case Op::SCALAR_LOG:
      s[o] = std::log(s[a]);
      return;
    case Op::SCALAR_HEAVISIDE:
      s[o] = Heaviside(s[a]);
      return;
    case Op::VECTOR_HEAVISIDE:
      v[o] = v[a].unaryExpr(&Heaviside);
      return;
    case Op::MATRIX_HEAVISIDE:
      m[o] = m[a].unaryExpr(&Heaviside);
      return;
    case Op::SCALAR_VECTOR_PRODUCT:
      v[o] = s[a] * v[b];
      return;
    case Op::SCALAR_BROADCAST:
      v[o].setConstant(s[a]);
      return;
    case Op::VECTOR_RECIPROCAL:
      v[o] = v[a].cwiseInverse();
      return;
    case Op::VECTOR_NORM:
      s[o] = v[a].norm();
      return;
    case Op::VECTOR_ABS:
      v[o] = v[a].cwiseAbs();
      return;
    case Op::VECTOR_SUM:
      v[o] = v[a] + v[b];
      return;
    case Op::VECTOR_DIFF:
      v[o] = v[a] - v[b];
      return;
    case Op::VECTOR_PRODUCT:
      v[o] = v[a].cwiseProduct(v[b]);
      return;
    case Op::VECTOR_DIVISION:
      v[o] = v[a].cwiseQuotient(v[b]);
      return;
    case Op::VECTOR_INNER_PRODUCT:
      s[o] = v[a].dot(v[b]);
      return;
    case Op::VECTOR_OUTER_PRODUCT:
      m[o] = v[a] * v[b].transpose();
      return;
    case Op::SCALAR_MATRIX_PRODUCT:
      m[o] = s[a] * m[b];
      return;
    case Op::MATRIX_RECIPROCAL:
      m[o] = m[a].cwiseInverse();
      return;
    case Op::MATRIX_VECTOR_PRODUCT: {
      const Vector<F> product = m[a] * v[b];  // Reads both inputs before writing.
      v[o] = product;
      return;
    }
    case Op::VECTOR_COLUMN_BROADCAST: {
      const Vector<F> column = v[a];
      m[o].colwise() = column;
      return;
    }
    case Op::VECTOR_ROW_BROADCAST: {
      const Vector<F> row = v[a];
      m[o].rowwise() = row.transpose();
      return;
    }
    case Op::MATRIX_NORM:
      s[o] = m[a].norm();
      return;
    case Op::MATRIX_COLUMN_NORM:
      v[o] = m[a].colwise().norm().transpose();
      return;
    case Op::MATRIX_ROW_NORM:
      v[o] = m[a].rowwise().norm();
      return;
    case Op::MATRIX_TRANSPOSE: {
      const Matrix<F> transposed = m[a].transpose();
      m[o] = transposed;
      return;
    }
    case Op::MATRIX_ABS:
      m[o] = m[a].cwiseAbs();
      return;
    case Op::MATRIX_SUM:
      m[o] = m[a] + m[b];
      return;
    case Op::MATRIX_DIFF:
      m[o] = m[a] - m[b];
      return;
    case Op::MATRIX_PRODUCT:
      m[o] = m[a].cwiseProduct(m[b]);
      return;
    case Op::MATRIX_DIVISION:
      m[o] = m[a].cwiseQuotient(m[b]);
      return;
    case Op::MATRIX_MATRIX_PRODUCT: {
      const Matrix<F> product = m[a] * m[b];
      m[o] = product;
      return;
    }
    case Op::SCALAR_MIN:
      s[o] = Min(s[a], s[b]);
      return;
    case Op::VECTOR_MIN:
      v[o] = v[a].binaryExpr(v[b], &Min);
      return;
    case Op::MATRIX_MIN:
      m[o] = m[a].binaryExpr(m[b], &Min);
      return;
    case Op::SCALAR_MAX:
      s[o] = Max(s[a], s[b]);
      return;
    case Op::VECTOR_MAX:
      v[o] = v[a].binaryExpr(v[b], &Max);
      return;
    case Op::MATRIX_MAX:
      m[o] = m[a].binaryExpr(m[b], &Max);
      return;
    case Op::VECTOR_MEAN:
      s[o] = v[a].mean();
      return;
    case Op::MATRIX_MEAN:
      s[o] = m[a].mean();
      return;
    case Op::MATRIX_ROW_MEAN:
      v[o] = m[a].rowwise().mean();
      return;
    case Op::MATRIX_ROW_ST_DEV: {
      Vector<F> stds;
      for (int r = 0; r < F; ++r) stds[r] = PopulationStd(m[a].row(r));
      v[o] = stds;
      return;
    }
    case Op::VECTOR_ST_DEV:
      s[o] = PopulationStd(v[a]);
      return;
    case Op::MATRIX_ST_DEV:
      s[o] = PopulationStd(m[a]);
      return;
    case Op::SCALAR_CONST_SET:
      s[o] = ins.data0;
      return;
    case Op::VECTOR_CONST_SET:
      v[o][ins.index0] = ins.data0;
      return;
    case Op::MATRIX_CONST_SET:
      m[o](ins.index0, ins.index1) = ins.data0;
      return;
    case Op::SCALAR_UNIFORM_SET:
      s[o] = rng.Uniform(ins.data0, ins.data1);
      return;
    case Op::VECTOR_UNIFORM_SET:
      for (int k = 0; k < F; ++k) v[o][k] = rng.Uniform(ins.data0, ins.data1);
      return;
    case Op::MATRIX_UNIFORM_SET:
      // Column-major order, like Eigen's storage.
      for (int k = 0; k < F * F; ++k) m[o].data()[k] = rng.Uniform(ins.data0, ins.data1);
      return;
    case Op::SCALAR_GAUSSIAN_SET:
      s[o] = rng.Gaussian(ins.data0, ins.data1);
      return;
    case Op::VECTOR_GAUSSIAN_SET:
      for (int k = 0; k < F; ++k) v[o][k] = rng.Gaussian(ins.data0, ins.data1);
      return;
    case Op::MATRIX_GAUSSIAN_SET:
      for (int k = 0; k < F * F; ++k) m[o].data()[k] = rng.Gaussian(ins.data0, ins.data1);
      return;
  }
}

template <int F>
inline void ExecuteInstructions(const Instruction* begin, const Instruction* end, Memory<F>& mem,
                                Rng& rng) {
  for (const Instruction* ins = begin; ins != end; ++ins) ExecuteInstruction(*ins, mem, rng);
}

template <int F>
inline void ExecuteInstructions(const std::vector<Instruction>& instructions, Memory<F>& mem,
                                Rng& rng) {
  ExecuteInstructions(instructions.data(), instructions.data() + instructions.size(), mem, rng);
}

}  // namespace automl

#endif  // EXECUTOR_INSTRUCTION_KERNEL_H_

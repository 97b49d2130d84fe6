// The arithmetic of every op, written once: OpKernel<F, op> runs one decoded instruction
// (decoded_program.h) on register memory. Every interpreter (interpreters.h), and so every
// Dispatch and ExecuteInstruction, runs ops through these kernels: fixed-size Eigen
// arithmetic, no allocation and no virtual call. tests/ops_test.cc checks each op against an
// independent re-implementation.
#ifndef EXECUTOR_OP_KERNELS_H_
#define EXECUTOR_OP_KERNELS_H_

#include <cmath>
#include <cstdint>

#include "executor/decoded_program.h"
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

// The draws of a dead random op, without the arithmetic: Rng::Uniform takes one 64-bit draw;
// Rng::Gaussian redraws u1 while it is 0, then draws u2.
inline void SkipUniformDraws(uint32_t count, Rng& rng) {
  for (uint32_t k = 0; k < count; ++k) rng.Next();
}
inline void SkipGaussianDraws(uint32_t count, Rng& rng) {
  for (uint32_t k = 0; k < count; ++k) {
    while (rng.UniformDouble() <= 0.0) {
    }
    rng.Next();
  }
}

// One op on memory at `base`; operands are offsets in doubles (DecodedInstruction). A table of
// 65 one-line branches, longer than a function should be: split, it would be harder to check
// op by op. Products and the transpose go through a temporary: their output register may be
// one of their inputs.
template <int F, Op kOp>
inline void OpKernel(double* base, const DecodedInstruction& d, Rng& rng) {
  using namespace kernel_internal;  // NOLINT: short names for the chain below.
  double& so = base[d.out];
  const double sa = base[d.in1];
  const double sb = base[d.in2];
  auto V = [base](uint32_t offset) -> Vector<F>& {
    return *reinterpret_cast<Vector<F>*>(base + offset);
  };
  auto M = [base](uint32_t offset) -> Matrix<F>& {
    return *reinterpret_cast<Matrix<F>*>(base + offset);
  };
  const uint32_t o = d.out, a = d.in1, b = d.in2;
  if constexpr (kOp == Op::NO_OP) {
  } else if constexpr (kOp == Op::SCALAR_SUM) {
    so = sa + sb;
  } else if constexpr (kOp == Op::SCALAR_DIFF) {
    so = sa - sb;
  } else if constexpr (kOp == Op::SCALAR_PRODUCT) {
    so = sa * sb;
  } else if constexpr (kOp == Op::SCALAR_DIVISION) {
    so = sa / sb;
  } else if constexpr (kOp == Op::SCALAR_ABS) {
    so = std::fabs(sa);
  } else if constexpr (kOp == Op::SCALAR_RECIPROCAL) {
    so = 1.0 / sa;
  } else if constexpr (kOp == Op::SCALAR_SIN) {
    so = std::sin(sa);
  } else if constexpr (kOp == Op::SCALAR_COS) {
    so = std::cos(sa);
  } else if constexpr (kOp == Op::SCALAR_TAN) {
    so = std::tan(sa);
  } else if constexpr (kOp == Op::SCALAR_ARCSIN) {
    so = std::asin(sa);
  } else if constexpr (kOp == Op::SCALAR_ARCCOS) {
    so = std::acos(sa);
  } else if constexpr (kOp == Op::SCALAR_ARCTAN) {
    so = std::atan(sa);
  } else if constexpr (kOp == Op::SCALAR_EXP) {
    so = std::exp(sa);
  } else if constexpr (kOp == Op::SCALAR_LOG) {
    so = std::log(sa);
  } else if constexpr (kOp == Op::SCALAR_HEAVISIDE) {
    so = Heaviside(sa);
  } else if constexpr (kOp == Op::VECTOR_HEAVISIDE) {
    // A lambda rather than &Heaviside: the same function, but inlined (and vectorized)
    // instead of called per element.
    V(o) = V(a).unaryExpr([](double x) { return Heaviside(x); });
  } else if constexpr (kOp == Op::MATRIX_HEAVISIDE) {
    M(o) = M(a).unaryExpr([](double x) { return Heaviside(x); });
  } else if constexpr (kOp == Op::SCALAR_VECTOR_PRODUCT) {
    V(o) = sa * V(b);
  } else if constexpr (kOp == Op::SCALAR_BROADCAST) {
    V(o).setConstant(sa);
  } else if constexpr (kOp == Op::VECTOR_RECIPROCAL) {
    V(o) = V(a).cwiseInverse();
  } else if constexpr (kOp == Op::VECTOR_NORM) {
    so = V(a).norm();
  } else if constexpr (kOp == Op::VECTOR_ABS) {
    V(o) = V(a).cwiseAbs();
  } else if constexpr (kOp == Op::VECTOR_SUM) {
    V(o) = V(a) + V(b);
  } else if constexpr (kOp == Op::VECTOR_DIFF) {
    V(o) = V(a) - V(b);
  } else if constexpr (kOp == Op::VECTOR_PRODUCT) {
    V(o) = V(a).cwiseProduct(V(b));
  } else if constexpr (kOp == Op::VECTOR_DIVISION) {
    V(o) = V(a).cwiseQuotient(V(b));
  } else if constexpr (kOp == Op::VECTOR_INNER_PRODUCT) {
    so = V(a).dot(V(b));
  } else if constexpr (kOp == Op::VECTOR_OUTER_PRODUCT) {
    M(o) = V(a) * V(b).transpose();
  } else if constexpr (kOp == Op::SCALAR_MATRIX_PRODUCT) {
    M(o) = sa * M(b);
  } else if constexpr (kOp == Op::MATRIX_RECIPROCAL) {
    M(o) = M(a).cwiseInverse();
  } else if constexpr (kOp == Op::MATRIX_VECTOR_PRODUCT) {
    const Vector<F> product = M(a) * V(b);
    V(o) = product;
  } else if constexpr (kOp == Op::VECTOR_COLUMN_BROADCAST) {
    const Vector<F> column = V(a);
    M(o).colwise() = column;
  } else if constexpr (kOp == Op::VECTOR_ROW_BROADCAST) {
    const Vector<F> row = V(a);
    M(o).rowwise() = row.transpose();
  } else if constexpr (kOp == Op::MATRIX_NORM) {
    so = M(a).norm();
  } else if constexpr (kOp == Op::MATRIX_COLUMN_NORM) {
    V(o) = M(a).colwise().norm().transpose();
  } else if constexpr (kOp == Op::MATRIX_ROW_NORM) {
    V(o) = M(a).rowwise().norm();
  } else if constexpr (kOp == Op::MATRIX_TRANSPOSE) {
    const Matrix<F> transposed = M(a).transpose();
    M(o) = transposed;
  } else if constexpr (kOp == Op::MATRIX_ABS) {
    M(o) = M(a).cwiseAbs();
  } else if constexpr (kOp == Op::MATRIX_SUM) {
    M(o) = M(a) + M(b);
  } else if constexpr (kOp == Op::MATRIX_DIFF) {
    M(o) = M(a) - M(b);
  } else if constexpr (kOp == Op::MATRIX_PRODUCT) {
    M(o) = M(a).cwiseProduct(M(b));
  } else if constexpr (kOp == Op::MATRIX_DIVISION) {
    M(o) = M(a).cwiseQuotient(M(b));
  } else if constexpr (kOp == Op::MATRIX_MATRIX_PRODUCT) {
    const Matrix<F> product = M(a) * M(b);
    M(o) = product;
  } else if constexpr (kOp == Op::SCALAR_MIN) {
    so = Min(sa, sb);
  } else if constexpr (kOp == Op::VECTOR_MIN) {
    V(o) = V(a).binaryExpr(V(b), &Min);
  } else if constexpr (kOp == Op::MATRIX_MIN) {
    M(o) = M(a).binaryExpr(M(b), &Min);
  } else if constexpr (kOp == Op::SCALAR_MAX) {
    so = Max(sa, sb);
  } else if constexpr (kOp == Op::VECTOR_MAX) {
    V(o) = V(a).binaryExpr(V(b), &Max);
  } else if constexpr (kOp == Op::MATRIX_MAX) {
    M(o) = M(a).binaryExpr(M(b), &Max);
  } else if constexpr (kOp == Op::VECTOR_MEAN) {
    so = V(a).mean();
  } else if constexpr (kOp == Op::MATRIX_MEAN) {
    so = M(a).mean();
  } else if constexpr (kOp == Op::MATRIX_ROW_MEAN) {
    V(o) = M(a).rowwise().mean();
  } else if constexpr (kOp == Op::MATRIX_ROW_ST_DEV) {
    Vector<F> stds;
    for (int r = 0; r < F; ++r) stds[r] = PopulationStd(M(a).row(r));
    V(o) = stds;
  } else if constexpr (kOp == Op::VECTOR_ST_DEV) {
    so = PopulationStd(V(a));
  } else if constexpr (kOp == Op::MATRIX_ST_DEV) {
    so = PopulationStd(M(a));
  } else if constexpr (kOp == Op::SCALAR_CONST_SET || kOp == Op::VECTOR_CONST_SET ||
                       kOp == Op::MATRIX_CONST_SET) {
    so = d.data0;
  } else if constexpr (kOp == Op::SCALAR_UNIFORM_SET) {
    so = rng.Uniform(d.data0, d.data1);
  } else if constexpr (kOp == Op::VECTOR_UNIFORM_SET) {
    for (int k = 0; k < F; ++k) base[o + k] = rng.Uniform(d.data0, d.data1);
  } else if constexpr (kOp == Op::MATRIX_UNIFORM_SET) {
    // Column-major order, like Eigen's storage.
    for (int k = 0; k < F * F; ++k) base[o + k] = rng.Uniform(d.data0, d.data1);
  } else if constexpr (kOp == Op::SCALAR_GAUSSIAN_SET) {
    so = rng.Gaussian(d.data0, d.data1);
  } else if constexpr (kOp == Op::VECTOR_GAUSSIAN_SET) {
    for (int k = 0; k < F; ++k) base[o + k] = rng.Gaussian(d.data0, d.data1);
  } else if constexpr (kOp == Op::MATRIX_GAUSSIAN_SET) {
    for (int k = 0; k < F * F; ++k) base[o + k] = rng.Gaussian(d.data0, d.data1);
  } else {
    static_assert(kOp == Op::NO_OP, "every op needs a kernel");
  }
}

}  // namespace automl

#endif  // EXECUTOR_OP_KERNELS_H_

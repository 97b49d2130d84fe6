// Pre-decoded functions for the executor's inner loop. A program's (reduced) functions are
// decoded once per evaluation into flat arrays of 32-byte instructions whose operands are
// offsets into the register memory, with a handler id per instruction and an END sentinel.
// Two interchangeable interpreters run them (see Dispatch in executor.h); every op's
// arithmetic is written once, in DecodedKernel, as the same Eigen expressions as
// instruction_kernel.h, so that results match the reference interpreter bit for bit (the
// property tests in tests/dce_test.cc check it on random programs of every op).
#ifndef EXECUTOR_DECODED_PROGRAM_H_
#define EXECUTOR_DECODED_PROGRAM_H_

#include <cmath>
#include <cstdint>
#include <vector>

#include "executor/dead_code.h"
#include "executor/instruction_kernel.h"
#include "executor/memory.h"
#include "instructions/instruction.h"
#include "instructions/random.h"

namespace automl {

// Handler ids: the op ids, then the executor's own.
inline constexpr uint32_t kHandlerSkipUniform = kNumOps;       // in1 = number of draws.
inline constexpr uint32_t kHandlerSkipGaussian = kNumOps + 1;  // in1 = number of values.
inline constexpr uint32_t kHandlerEnd = kNumOps + 2;
inline constexpr int kNumHandlers = kNumOps + 3;

struct DecodedInstruction {
  uint32_t handler = kHandlerEnd;
  // Offsets in doubles from the start of Memory<F>. For the const-set ops `out` is the offset
  // of the element written, so that all three are one store.
  uint32_t out = 0;
  uint32_t in1 = 0;
  uint32_t in2 = 0;
  double data0 = 0.0;
  double data1 = 0.0;
};
static_assert(sizeof(DecodedInstruction) == 32, "two instructions per cache line");

// Where each register of Memory<F> starts, in doubles from the start of the struct.
template <int F>
struct MemoryLayout {
  static_assert(sizeof(Vector<F>) == F * sizeof(double), "vectors must be unpadded");
  static_assert(sizeof(Matrix<F>) == F * F * sizeof(double), "matrices must be unpadded");

  explicit MemoryLayout(const Memory<F>& mem) {
    const double* base = reinterpret_cast<const double*>(&mem);
    vector0 = static_cast<uint32_t>(reinterpret_cast<const double*>(&mem.vector[0]) - base);
    matrix0 = static_cast<uint32_t>(reinterpret_cast<const double*>(&mem.matrix[0]) - base);
  }
  uint32_t Offset(OperandKind kind, int address) const {
    switch (kind) {
      case OperandKind::S:
        return static_cast<uint32_t>(address);
      case OperandKind::V:
        return vector0 + static_cast<uint32_t>(address * F);
      case OperandKind::M:
        return matrix0 + static_cast<uint32_t>(address * F * F);
      case OperandKind::N:
        break;
    }
    return 0;
  }
  uint32_t vector0 = 0;
  uint32_t matrix0 = 0;
};

template <int F>
DecodedInstruction Decode(const Instruction& ins, Liveness liveness,
                          const MemoryLayout<F>& layout) {
  const OpInfo& info = GetOpInfo(ins.op);
  DecodedInstruction d;
  if (liveness == Liveness::kSkipDraws) {
    const uint32_t values =
        info.out == OperandKind::S ? 1 : (info.out == OperandKind::V ? F : F * F);
    d.handler = info.data == OpDataKind::kGaussian ? kHandlerSkipGaussian : kHandlerSkipUniform;
    d.in1 = values;
    return d;
  }
  d.handler = static_cast<uint32_t>(ins.op);
  d.out = layout.Offset(info.out, ins.out);
  d.in1 = layout.Offset(info.in1, ins.in1);
  d.in2 = layout.Offset(info.in2, ins.in2);
  if (info.data == OpDataKind::kVectorElement) d.out += ins.index0;
  // Column-major, like Eigen's storage.
  if (info.data == OpDataKind::kMatrixElement) d.out += ins.index0 + ins.index1 * F;
  d.data0 = ins.data0;
  d.data1 = ins.data1;
  return d;
}

// Appends the instructions of `function` that `marks` keep, then the END sentinel.
template <int F>
void DecodeFunction(const std::vector<Instruction>& function, const std::vector<Liveness>& marks,
                    const MemoryLayout<F>& layout, std::vector<DecodedInstruction>* decoded) {
  decoded->clear();
  for (size_t i = 0; i < function.size(); ++i) {
    if (marks[i] != Liveness::kDead) decoded->push_back(Decode<F>(function[i], marks[i], layout));
  }
  decoded->push_back(DecodedInstruction{});
}

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

// One op on memory at `base`. Mirrors ExecuteInstruction (instruction_kernel.h) op for op.
template <int F, Op kOp>
inline void DecodedKernel(double* base, const DecodedInstruction& d, Rng& rng) {
  using namespace kernel_internal;  // NOLINT: short names, as in instruction_kernel.h.
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

// --- Interpreters. Each runs from `code` up to its END sentinel. ---

// A switch per instruction over the decoded handler id.
template <int F>
void RunDecodedSwitch(const DecodedInstruction* code, double* base, Rng& rng) {
  for (const DecodedInstruction* ip = code;; ++ip) {
    switch (ip->handler) {
#define AUTOML_DECODED_CASE(id, name, ...)      \
  case id:                                      \
    DecodedKernel<F, Op::name>(base, *ip, rng); \
    break;
      AUTOML_OP_TABLE(AUTOML_DECODED_CASE)
#undef AUTOML_DECODED_CASE
      case kHandlerSkipUniform:
        SkipUniformDraws(ip->in1, rng);
        break;
      case kHandlerSkipGaussian:
        SkipGaussianDraws(ip->in1, rng);
        break;
      default:  // kHandlerEnd
        return;
    }
  }
}

#if defined(__GNUC__)
#define AUTOML_HAVE_COMPUTED_GOTO 1
// Direct threading (GCC/Clang labels as values): each handler ends in its own indirect jump to
// the next, so the branch predictor learns op-to-op transitions, and there is no loop test.
// Formatted by hand: clang-format mangles labels as values.
// clang-format off
template <int F>
void RunThreaded(const DecodedInstruction* code, double* base, Rng& rng) {
  static const void* const kLabels[kNumHandlers] = {
#define AUTOML_THREADED_LABEL(id, name, ...) &&handler_##name,
      AUTOML_OP_TABLE(AUTOML_THREADED_LABEL)
#undef AUTOML_THREADED_LABEL
      &&handler_skip_uniform, &&handler_skip_gaussian, &&handler_end};
  const DecodedInstruction* ip = code;
  goto *kLabels[ip->handler];
#define AUTOML_THREADED_HANDLER(id, name, ...)  \
  handler_##name:                               \
  DecodedKernel<F, Op::name>(base, *ip, rng);   \
  ++ip;                                         \
  goto *kLabels[ip->handler];
  AUTOML_OP_TABLE(AUTOML_THREADED_HANDLER)
#undef AUTOML_THREADED_HANDLER
handler_skip_uniform:
  SkipUniformDraws(ip->in1, rng);
  ++ip;
  goto *kLabels[ip->handler];
handler_skip_gaussian:
  SkipGaussianDraws(ip->in1, rng);
  ++ip;
  goto *kLabels[ip->handler];
handler_end:
  return;
}
// clang-format on
#else
#define AUTOML_HAVE_COMPUTED_GOTO 0
#endif

}  // namespace automl

#endif  // EXECUTOR_DECODED_PROGRAM_H_

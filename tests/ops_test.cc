// Checks every op of the table against an independent reference written from
// the semantics in instructions/ops.h with plain loops, on random register
// contents, at F = 4 and F = 8; plus aliasing, the documented IEEE edge cases,
// the random ops' distributions, and the consistency of the op table itself.
#include "instructions/ops.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "executor/interpreters.h"
#include "executor/memory.h"
#include "gtest/gtest.h"
#include "instructions/instruction.h"
#include "instructions/random.h"
#include "tests/test_util.h"

namespace automl {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// --- The reference ---
// One case per op, reading only `before`, so aliasing cannot leak in.

double RefMean(const double* x, int n) {
  double sum = 0.0;
  for (int k = 0; k < n; ++k) sum += x[k];
  return sum / n;
}

double RefPopulationStd(const double* x, int n) {
  const double mean = RefMean(x, n);
  double sum = 0.0;
  for (int k = 0; k < n; ++k) sum += (x[k] - mean) * (x[k] - mean);
  return std::sqrt(sum / n);
}

double RefHeaviside(double x) { return x > 0.0 ? 1.0 : 0.0; }

template <int F>
void ReferenceExecute(const Instruction& ins, const Memory<F>& before, Memory<F>& after, Rng& rng) {
  const auto& s = before.scalar;
  const auto& v = before.vector;
  const auto& m = before.matrix;
  const int a = ins.in1;
  const int b = ins.in2;
  const int o = ins.out;
  auto vec_unary = [&](auto f) {
    for (int k = 0; k < F; ++k) after.vector[o](k) = f(v[a](k));
  };
  auto vec_binary = [&](auto f) {
    for (int k = 0; k < F; ++k) after.vector[o](k) = f(v[a](k), v[b](k));
  };
  auto mat_unary = [&](auto f) {
    for (int k = 0; k < F; ++k) {
      for (int l = 0; l < F; ++l) after.matrix[o](k, l) = f(m[a](k, l));
    }
  };
  auto mat_binary = [&](auto f) {
    for (int k = 0; k < F; ++k) {
      for (int l = 0; l < F; ++l) after.matrix[o](k, l) = f(m[a](k, l), m[b](k, l));
    }
  };
  auto row_of = [&](int reg, int k, double* out) {
    for (int l = 0; l < F; ++l) out[l] = m[reg](k, l);
  };
  double buffer[F * F];
  switch (ins.op) {
    case Op::NO_OP:
      return;
    case Op::SCALAR_SUM:
      after.scalar[o] = s[a] + s[b];
      return;
    case Op::SCALAR_DIFF:
      after.scalar[o] = s[a] - s[b];
      return;
    case Op::SCALAR_PRODUCT:
      after.scalar[o] = s[a] * s[b];
      return;
    case Op::SCALAR_DIVISION:
      after.scalar[o] = s[a] / s[b];
      return;
    case Op::SCALAR_ABS:
      after.scalar[o] = std::fabs(s[a]);
      return;
    case Op::SCALAR_RECIPROCAL:
      after.scalar[o] = 1.0 / s[a];
      return;
    case Op::SCALAR_SIN:
      after.scalar[o] = std::sin(s[a]);
      return;
    case Op::SCALAR_COS:
      after.scalar[o] = std::cos(s[a]);
      return;
    case Op::SCALAR_TAN:
      after.scalar[o] = std::tan(s[a]);
      return;
    case Op::SCALAR_ARCSIN:
      after.scalar[o] = std::asin(s[a]);
      return;
    case Op::SCALAR_ARCCOS:
      after.scalar[o] = std::acos(s[a]);
      return;
    case Op::SCALAR_ARCTAN:
      after.scalar[o] = std::atan(s[a]);
      return;
    case Op::SCALAR_EXP:
      after.scalar[o] = std::exp(s[a]);
      return;
    case Op::SCALAR_LOG:
      after.scalar[o] = std::log(s[a]);
      return;
    case Op::SCALAR_HEAVISIDE:
      after.scalar[o] = RefHeaviside(s[a]);
      return;
    case Op::VECTOR_HEAVISIDE:
      vec_unary(RefHeaviside);
      return;
    case Op::MATRIX_HEAVISIDE:
      mat_unary(RefHeaviside);
      return;
    case Op::SCALAR_VECTOR_PRODUCT:
      for (int k = 0; k < F; ++k) after.vector[o](k) = s[a] * v[b](k);
      return;
    case Op::SCALAR_BROADCAST:
      for (int k = 0; k < F; ++k) after.vector[o](k) = s[a];
      return;
    case Op::VECTOR_RECIPROCAL:
      vec_unary([](double x) { return 1.0 / x; });
      return;
    case Op::VECTOR_NORM: {
      double sum = 0.0;
      for (int k = 0; k < F; ++k) sum += v[a](k) * v[a](k);
      after.scalar[o] = std::sqrt(sum);
      return;
    }
    case Op::VECTOR_ABS:
      vec_unary([](double x) { return std::fabs(x); });
      return;
    case Op::VECTOR_SUM:
      vec_binary([](double x, double y) { return x + y; });
      return;
    case Op::VECTOR_DIFF:
      vec_binary([](double x, double y) { return x - y; });
      return;
    case Op::VECTOR_PRODUCT:
      vec_binary([](double x, double y) { return x * y; });
      return;
    case Op::VECTOR_DIVISION:
      vec_binary([](double x, double y) { return x / y; });
      return;
    case Op::VECTOR_INNER_PRODUCT: {
      double sum = 0.0;
      for (int k = 0; k < F; ++k) sum += v[a](k) * v[b](k);
      after.scalar[o] = sum;
      return;
    }
    case Op::VECTOR_OUTER_PRODUCT:
      for (int k = 0; k < F; ++k) {
        for (int l = 0; l < F; ++l) after.matrix[o](k, l) = v[a](k) * v[b](l);
      }
      return;
    case Op::SCALAR_MATRIX_PRODUCT:
      for (int k = 0; k < F; ++k) {
        for (int l = 0; l < F; ++l) after.matrix[o](k, l) = s[a] * m[b](k, l);
      }
      return;
    case Op::MATRIX_RECIPROCAL:
      mat_unary([](double x) { return 1.0 / x; });
      return;
    case Op::MATRIX_VECTOR_PRODUCT:
      for (int k = 0; k < F; ++k) {
        double sum = 0.0;
        for (int l = 0; l < F; ++l) sum += m[a](k, l) * v[b](l);
        after.vector[o](k) = sum;
      }
      return;
    case Op::VECTOR_COLUMN_BROADCAST:
      for (int k = 0; k < F; ++k) {
        for (int l = 0; l < F; ++l) after.matrix[o](k, l) = v[a](k);
      }
      return;
    case Op::VECTOR_ROW_BROADCAST:
      for (int k = 0; k < F; ++k) {
        for (int l = 0; l < F; ++l) after.matrix[o](k, l) = v[a](l);
      }
      return;
    case Op::MATRIX_NORM: {
      double sum = 0.0;
      for (int k = 0; k < F; ++k) {
        for (int l = 0; l < F; ++l) sum += m[a](k, l) * m[a](k, l);
      }
      after.scalar[o] = std::sqrt(sum);
      return;
    }
    case Op::MATRIX_COLUMN_NORM:
      for (int l = 0; l < F; ++l) {
        double sum = 0.0;
        for (int k = 0; k < F; ++k) sum += m[a](k, l) * m[a](k, l);
        after.vector[o](l) = std::sqrt(sum);
      }
      return;
    case Op::MATRIX_ROW_NORM:
      for (int k = 0; k < F; ++k) {
        double sum = 0.0;
        for (int l = 0; l < F; ++l) sum += m[a](k, l) * m[a](k, l);
        after.vector[o](k) = std::sqrt(sum);
      }
      return;
    case Op::MATRIX_TRANSPOSE:
      for (int k = 0; k < F; ++k) {
        for (int l = 0; l < F; ++l) after.matrix[o](k, l) = m[a](l, k);
      }
      return;
    case Op::MATRIX_ABS:
      mat_unary([](double x) { return std::fabs(x); });
      return;
    case Op::MATRIX_SUM:
      mat_binary([](double x, double y) { return x + y; });
      return;
    case Op::MATRIX_DIFF:
      mat_binary([](double x, double y) { return x - y; });
      return;
    case Op::MATRIX_PRODUCT:
      mat_binary([](double x, double y) { return x * y; });
      return;
    case Op::MATRIX_DIVISION:
      mat_binary([](double x, double y) { return x / y; });
      return;
    case Op::MATRIX_MATRIX_PRODUCT:
      for (int k = 0; k < F; ++k) {
        for (int l = 0; l < F; ++l) {
          double sum = 0.0;
          for (int r = 0; r < F; ++r) sum += m[a](k, r) * m[b](r, l);
          after.matrix[o](k, l) = sum;
        }
      }
      return;
    case Op::SCALAR_MIN:
      after.scalar[o] = std::fmin(s[a], s[b]);
      return;
    case Op::VECTOR_MIN:
      vec_binary([](double x, double y) { return std::fmin(x, y); });
      return;
    case Op::MATRIX_MIN:
      mat_binary([](double x, double y) { return std::fmin(x, y); });
      return;
    case Op::SCALAR_MAX:
      after.scalar[o] = std::fmax(s[a], s[b]);
      return;
    case Op::VECTOR_MAX:
      vec_binary([](double x, double y) { return std::fmax(x, y); });
      return;
    case Op::MATRIX_MAX:
      mat_binary([](double x, double y) { return std::fmax(x, y); });
      return;
    case Op::VECTOR_MEAN:
      for (int k = 0; k < F; ++k) buffer[k] = v[a](k);
      after.scalar[o] = RefMean(buffer, F);
      return;
    case Op::MATRIX_MEAN:
      for (int k = 0; k < F; ++k) row_of(a, k, buffer + k * F);
      after.scalar[o] = RefMean(buffer, F * F);
      return;
    case Op::MATRIX_ROW_MEAN:
      for (int k = 0; k < F; ++k) {
        row_of(a, k, buffer);
        after.vector[o](k) = RefMean(buffer, F);
      }
      return;
    case Op::MATRIX_ROW_ST_DEV:
      for (int k = 0; k < F; ++k) {
        row_of(a, k, buffer);
        after.vector[o](k) = RefPopulationStd(buffer, F);
      }
      return;
    case Op::VECTOR_ST_DEV:
      for (int k = 0; k < F; ++k) buffer[k] = v[a](k);
      after.scalar[o] = RefPopulationStd(buffer, F);
      return;
    case Op::MATRIX_ST_DEV:
      for (int k = 0; k < F; ++k) row_of(a, k, buffer + k * F);
      after.scalar[o] = RefPopulationStd(buffer, F * F);
      return;
    case Op::SCALAR_CONST_SET:
      after.scalar[o] = ins.data0;
      return;
    case Op::VECTOR_CONST_SET:
      after.vector[o](ins.index0) = ins.data0;
      return;
    case Op::MATRIX_CONST_SET:
      after.matrix[o](ins.index0, ins.index1) = ins.data0;
      return;
    // The random ops draw in element order: vector index, then matrices column
    // by column.
    case Op::SCALAR_UNIFORM_SET:
      after.scalar[o] = rng.Uniform(ins.data0, ins.data1);
      return;
    case Op::VECTOR_UNIFORM_SET:
      for (int k = 0; k < F; ++k) after.vector[o](k) = rng.Uniform(ins.data0, ins.data1);
      return;
    case Op::MATRIX_UNIFORM_SET:
      for (int l = 0; l < F; ++l) {
        for (int k = 0; k < F; ++k) after.matrix[o](k, l) = rng.Uniform(ins.data0, ins.data1);
      }
      return;
    case Op::SCALAR_GAUSSIAN_SET:
      after.scalar[o] = rng.Gaussian(ins.data0, ins.data1);
      return;
    case Op::VECTOR_GAUSSIAN_SET:
      for (int k = 0; k < F; ++k) after.vector[o](k) = rng.Gaussian(ins.data0, ins.data1);
      return;
    case Op::MATRIX_GAUSSIAN_SET:
      for (int l = 0; l < F; ++l) {
        for (int k = 0; k < F; ++k) after.matrix[o](k, l) = rng.Gaussian(ins.data0, ins.data1);
      }
      return;
  }
  ADD_FAILURE() << "the reference has no case for op id " << static_cast<int>(ins.op);
}

// --- Helpers ---

// Equal up to rounding (reductions may sum in another order); NaN matches NaN,
// inf only the same inf.
bool Close(double actual, double expected) {
  if (std::isnan(expected)) return std::isnan(actual);
  if (std::isinf(expected)) return actual == expected;
  return std::fabs(actual - expected) <= 1e-12 * std::max(1.0, std::fabs(expected));
}

template <int F>
void FillRandom(Memory<F>& mem, Rng& rng) {
  // Standard deviation 1.5 puts some values outside [-1, 1] (arcsin, arccos)
  // and below 0 (log).
  for (double& x : mem.scalar) x = rng.Gaussian(0.0, 1.5);
  for (Vector<F>& x : mem.vector) {
    for (int k = 0; k < F; ++k) x(k) = rng.Gaussian(0.0, 1.5);
  }
  for (Matrix<F>& x : mem.matrix) {
    for (int k = 0; k < F * F; ++k) x.data()[k] = rng.Gaussian(0.0, 1.5);
  }
}

// Compares every register, so an op that writes anything beyond its output
// fails too.
template <int F>
void ExpectSameMemory(const Memory<F>& actual, const Memory<F>& expected,
                      const std::string& context) {
  for (int i = 0; i < kMaxScalarRegisters; ++i) {
    EXPECT_TRUE(Close(actual.scalar[i], expected.scalar[i]))
        << context << ": s" << i << " is " << actual.scalar[i] << ", expected "
        << expected.scalar[i];
  }
  for (int i = 0; i < kMaxVectorRegisters; ++i) {
    for (int k = 0; k < F; ++k) {
      EXPECT_TRUE(Close(actual.vector[i](k), expected.vector[i](k)))
          << context << ": v" << i << "[" << k << "] is " << actual.vector[i](k) << ", expected "
          << expected.vector[i](k);
    }
  }
  for (int i = 0; i < kMaxMatrixRegisters; ++i) {
    for (int k = 0; k < F; ++k) {
      for (int l = 0; l < F; ++l) {
        EXPECT_TRUE(Close(actual.matrix[i](k, l), expected.matrix[i](k, l)))
            << context << ": m" << i << "[" << k << ", " << l << "] is " << actual.matrix[i](k, l)
            << ", expected " << expected.matrix[i](k, l);
      }
    }
  }
}

std::string Describe(const Instruction& ins) {
  return absl::StrCat(GetOpInfo(ins.op).name, " out=", ins.out, " in1=", ins.in1, " in2=", ins.in2,
                      " i=", ins.index0, " j=", ins.index1, " c=", ins.data0, " d=", ins.data1);
}

// Makes the instruction's inputs alias its output wherever the operand kinds
// allow: mode 1 aliases in1, mode 2 aliases in2, mode 3 both.
void Alias(Instruction& ins, int mode) {
  const OpInfo& info = GetOpInfo(ins.op);
  if ((mode & 1) && info.in1 == info.out) ins.in1 = ins.out;
  if ((mode & 2) && info.in2 == info.out) ins.in2 = ins.out;
}

template <int F>
void CheckOpAgainstReference(Op op, uint64_t seed) {
  MachineShape shape;
  shape.num_scalars = 6;
  shape.num_vectors = 6;
  shape.num_matrices = 6;
  shape.feature_size = F;
  Rng rng(seed);
  for (int trial = 0; trial < 24; ++trial) {
    Instruction ins = RandomInstructionForOp(op, shape, rng);
    Alias(ins, trial % 4);
    auto mem = std::make_unique<Memory<F>>();
    FillRandom(*mem, rng);
    auto expected = std::make_unique<Memory<F>>(*mem);
    Rng kernel_rng(seed + trial);
    Rng reference_rng(seed + trial);
    ReferenceExecute(ins, *mem, *expected, reference_rng);
    ExecuteInstruction(ins, *mem, kernel_rng);
    ExpectSameMemory(*mem, *expected, absl::StrCat("F=", F, " ", Describe(ins)));
    // Both drew the same number of random values.
    EXPECT_EQ(kernel_rng.state(), reference_rng.state()) << Describe(ins);
  }
}

class EveryOpTest : public ::testing::TestWithParam<Op> {};

TEST_P(EveryOpTest, MatchesReferenceAtF4) {
  CheckOpAgainstReference<4>(GetParam(), 1000 + static_cast<int>(GetParam()));
}

TEST_P(EveryOpTest, MatchesReferenceAtF8) {
  CheckOpAgainstReference<8>(GetParam(), 2000 + static_cast<int>(GetParam()));
}

INSTANTIATE_TEST_SUITE_P(AllOps, EveryOpTest, ::testing::ValuesIn(AllOps()),
                         [](const ::testing::TestParamInfo<Op>& info) {
                           return std::string(GetOpInfo(info.param).name);
                         });

// --- Hand-checked values ---
// They catch a reference and a kernel that agree on a wrong reading of ops.h.

template <int F>
std::unique_ptr<Memory<F>> ZeroMemory() {
  auto mem = std::make_unique<Memory<F>>();
  MachineShape shape;
  shape.num_scalars = kMaxScalarRegisters;
  shape.num_vectors = kMaxVectorRegisters;
  shape.num_matrices = kMaxMatrixRegisters;
  shape.feature_size = F;
  mem->Wipe(shape);
  return mem;
}

TEST(OpsKnownValuesTest, MatrixOrientation) {
  auto mem = ZeroMemory<4>();
  Rng rng(1);
  Matrix<4>& a = mem->matrix[1];
  a << 1, 2, 3, 4,  //
      5, 6, 7, 8,   //
      9, 10, 11, 12, 13, 14, 15, 16;
  mem->vector[1] << 1, 0, 0, -1;
  ExecuteInstruction(Ins(Op::MATRIX_VECTOR_PRODUCT, 2, 1, 1), *mem, rng);
  EXPECT_EQ(mem->vector[2], Vector<4>(1 - 4, 5 - 8, 9 - 12, 13 - 16));
  ExecuteInstruction(Ins(Op::MATRIX_ROW_MEAN, 3, 1), *mem, rng);
  EXPECT_EQ(mem->vector[3], Vector<4>(2.5, 6.5, 10.5, 14.5));
  ExecuteInstruction(Ins(Op::MATRIX_COLUMN_NORM, 4, 1), *mem, rng);
  EXPECT_DOUBLE_EQ(mem->vector[4](0), std::sqrt(1.0 + 25 + 81 + 169));
  ExecuteInstruction(Ins(Op::MATRIX_ROW_NORM, 4, 1), *mem, rng);
  EXPECT_DOUBLE_EQ(mem->vector[4](0), std::sqrt(1.0 + 4 + 9 + 16));
  ExecuteInstruction(Ins(Op::MATRIX_ROW_ST_DEV, 4, 1), *mem, rng);
  EXPECT_DOUBLE_EQ(mem->vector[4](2),
                   std::sqrt(1.25));  // Population std of 4 steps of 1.
  ExecuteInstruction(Ins(Op::VECTOR_COLUMN_BROADCAST, 2, 3), *mem, rng);
  EXPECT_EQ(mem->matrix[2](3, 0), 14.5);
  EXPECT_EQ(mem->matrix[2](0, 3), 2.5);
  ExecuteInstruction(Ins(Op::VECTOR_ROW_BROADCAST, 2, 3), *mem, rng);
  EXPECT_EQ(mem->matrix[2](3, 0), 2.5);
  EXPECT_EQ(mem->matrix[2](0, 3), 14.5);
  mem->vector[5] << 1, 2, 3, 4;
  mem->vector[6] << 1, 10, 100, 1000;
  ExecuteInstruction(Ins(Op::VECTOR_OUTER_PRODUCT, 3, 5, 6), *mem, rng);
  EXPECT_EQ(mem->matrix[3](1, 3), 2000.0);
  EXPECT_EQ(mem->matrix[3](3, 1), 40.0);
}

TEST(OpsKnownValuesTest, ScalarStatistics) {
  auto mem = ZeroMemory<4>();
  Rng rng(1);
  mem->vector[1] << 2, 4, 4, 6;
  ExecuteInstruction(Ins(Op::VECTOR_MEAN, 2, 1), *mem, rng);
  EXPECT_EQ(mem->scalar[2], 4.0);
  ExecuteInstruction(Ins(Op::VECTOR_ST_DEV, 3, 1), *mem, rng);
  EXPECT_DOUBLE_EQ(mem->scalar[3],
                   std::sqrt(2.0));  // sqrt((4 + 0 + 0 + 4) / 4): divides by F.
  ExecuteInstruction(Ins(Op::VECTOR_NORM, 4, 1), *mem, rng);
  EXPECT_DOUBLE_EQ(mem->scalar[4], std::sqrt(72.0));
  mem->matrix[1].setConstant(3.0);
  ExecuteInstruction(Ins(Op::MATRIX_NORM, 5, 1), *mem, rng);
  EXPECT_DOUBLE_EQ(mem->scalar[5], 12.0);  // sqrt(16 * 9), Frobenius.
  ExecuteInstruction(Ins(Op::MATRIX_ST_DEV, 6, 1), *mem, rng);
  EXPECT_EQ(mem->scalar[6], 0.0);
}

// --- Aliasing: the output register is also an input. ---

template <int F>
Matrix<F> RandomMatrix(Rng& rng) {
  Matrix<F> x;
  for (int k = 0; k < F * F; ++k) x.data()[k] = rng.Gaussian(0.0, 1.0);
  return x;
}

template <int F>
Vector<F> RandomVector(Rng& rng) {
  Vector<F> x;
  for (int k = 0; k < F; ++k) x(k) = rng.Gaussian(0.0, 1.0);
  return x;
}

TEST(OpsAliasingTest, TransposeInPlace) {
  Rng rng(11);
  auto mem = ZeroMemory<4>();
  const Matrix<4> a = RandomMatrix<4>(rng);
  mem->matrix[2] = a;
  ExecuteInstruction(Ins(Op::MATRIX_TRANSPOSE, 2, 2), *mem, rng);
  EXPECT_EQ(mem->matrix[2], Matrix<4>(a.transpose()));
}

TEST(OpsAliasingTest, MatrixVectorProductIntoItsVector) {
  Rng rng(12);
  auto mem = ZeroMemory<8>();
  const Matrix<8> a = RandomMatrix<8>(rng);
  const Vector<8> x = RandomVector<8>(rng);
  mem->matrix[1] = a;
  mem->vector[3] = x;
  ExecuteInstruction(Ins(Op::MATRIX_VECTOR_PRODUCT, 3, 1, 3), *mem, rng);
  const Vector<8> expected = a * x;
  EXPECT_TRUE(mem->vector[3].isApprox(expected, 1e-14));
}

TEST(OpsAliasingTest, MatrixMatrixProductIntoEitherInput) {
  Rng rng(13);
  const Matrix<4> a = RandomMatrix<4>(rng);
  const Matrix<4> b = RandomMatrix<4>(rng);
  const Matrix<4> ab = a * b;
  const Matrix<4> aa = a * a;
  auto mem = ZeroMemory<4>();
  mem->matrix[1] = a;
  mem->matrix[2] = b;
  ExecuteInstruction(Ins(Op::MATRIX_MATRIX_PRODUCT, 1, 1, 2), *mem,
                     rng);  // out = in1.
  EXPECT_TRUE(mem->matrix[1].isApprox(ab, 1e-14));
  mem->matrix[1] = a;
  ExecuteInstruction(Ins(Op::MATRIX_MATRIX_PRODUCT, 2, 1, 2), *mem,
                     rng);  // out = in2.
  EXPECT_TRUE(mem->matrix[2].isApprox(ab, 1e-14));
  ExecuteInstruction(Ins(Op::MATRIX_MATRIX_PRODUCT, 1, 1, 1), *mem,
                     rng);  // All three.
  EXPECT_TRUE(mem->matrix[1].isApprox(aa, 1e-14));
}

TEST(OpsAliasingTest, OuterProductOfAVectorWithItself) {
  Rng rng(14);
  auto mem = ZeroMemory<4>();
  const Vector<4> x = RandomVector<4>(rng);
  mem->vector[1] = x;
  ExecuteInstruction(Ins(Op::VECTOR_OUTER_PRODUCT, 0, 1, 1), *mem, rng);
  EXPECT_TRUE(mem->matrix[0].isApprox(Matrix<4>(x * x.transpose()), 1e-15));
  EXPECT_EQ(mem->vector[1], x);
}

TEST(OpsAliasingTest, BroadcastsReadTheirInputBeforeWriting) {
  // Broadcast outputs are of another kind than their input, so the risk is
  // writing a register of the wrong kind, or the same-index register of the
  // input's kind.
  Rng rng(15);
  auto mem = ZeroMemory<4>();
  const Vector<4> x = RandomVector<4>(rng);
  mem->scalar[2] = 7.0;
  mem->vector[2] = x;
  ExecuteInstruction(Ins(Op::SCALAR_BROADCAST, 2, 2), *mem, rng);
  EXPECT_EQ(mem->vector[2], Vector<4>::Constant(7.0));
  EXPECT_EQ(mem->scalar[2], 7.0);
  mem->vector[2] = x;
  ExecuteInstruction(Ins(Op::VECTOR_COLUMN_BROADCAST, 2, 2), *mem, rng);
  ExecuteInstruction(Ins(Op::VECTOR_ROW_BROADCAST, 3, 2), *mem, rng);
  for (int k = 0; k < 4; ++k) {
    EXPECT_EQ(mem->matrix[2].col(k), x);
    EXPECT_EQ(mem->matrix[3].row(k), x.transpose());
  }
  EXPECT_EQ(mem->vector[2], x);
}

TEST(OpsAliasingTest, ElementwiseOpsInPlace) {
  Rng rng(16);
  auto mem = ZeroMemory<4>();
  const Vector<4> x = RandomVector<4>(rng);
  mem->vector[1] = x;
  ExecuteInstruction(Ins(Op::VECTOR_PRODUCT, 1, 1, 1), *mem, rng);
  EXPECT_EQ(mem->vector[1], Vector<4>(x.cwiseProduct(x)));
  mem->scalar[1] = 3.0;
  ExecuteInstruction(Ins(Op::SCALAR_DIFF, 1, 1, 1), *mem, rng);
  EXPECT_EQ(mem->scalar[1], 0.0);
}

// --- IEEE edge cases documented in ops.h. ---

double RunScalar(Op op, double a, double b = 0.0) {
  auto mem = ZeroMemory<4>();
  Rng rng(0);
  mem->scalar[1] = a;
  mem->scalar[2] = b;
  ExecuteInstruction(Ins(op, 3, 1, 2), *mem, rng);
  return mem->scalar[3];
}

TEST(OpsEdgeCasesTest, DivisionByZero) {
  EXPECT_EQ(RunScalar(Op::SCALAR_DIVISION, 1.0, 0.0), kInf);
  EXPECT_EQ(RunScalar(Op::SCALAR_DIVISION, -1.0, 0.0), -kInf);
  EXPECT_TRUE(std::isnan(RunScalar(Op::SCALAR_DIVISION, 0.0, 0.0)));
  EXPECT_EQ(RunScalar(Op::SCALAR_RECIPROCAL, 0.0), kInf);
  EXPECT_EQ(RunScalar(Op::SCALAR_RECIPROCAL, -0.0), -kInf);
}

TEST(OpsEdgeCasesTest, VectorAndMatrixDivisionByZero) {
  auto mem = ZeroMemory<4>();
  Rng rng(0);
  mem->vector[1] << 1, -1, 0, 2;
  ExecuteInstruction(Ins(Op::VECTOR_RECIPROCAL, 2, 1), *mem, rng);
  EXPECT_EQ(mem->vector[2](2), kInf);
  EXPECT_EQ(mem->vector[2](3), 0.5);
  ExecuteInstruction(Ins(Op::VECTOR_DIVISION, 2, 1, 3), *mem,
                     rng);  // v3 is all zeros.
  EXPECT_EQ(mem->vector[2](0), kInf);
  EXPECT_EQ(mem->vector[2](1), -kInf);
  EXPECT_TRUE(std::isnan(mem->vector[2](2)));
  ExecuteInstruction(Ins(Op::MATRIX_RECIPROCAL, 2, 1), *mem,
                     rng);  // m1 is all zeros.
  EXPECT_EQ(mem->matrix[2](1, 2), kInf);
}

TEST(OpsEdgeCasesTest, LogAndInverseTrigOutsideTheirDomain) {
  EXPECT_TRUE(std::isnan(RunScalar(Op::SCALAR_LOG, -1.0)));
  EXPECT_EQ(RunScalar(Op::SCALAR_LOG, 0.0), -kInf);
  EXPECT_EQ(RunScalar(Op::SCALAR_LOG, 1.0), 0.0);
  EXPECT_TRUE(std::isnan(RunScalar(Op::SCALAR_ARCSIN, 2.0)));
  EXPECT_TRUE(std::isnan(RunScalar(Op::SCALAR_ARCCOS, -1.5)));
  EXPECT_DOUBLE_EQ(RunScalar(Op::SCALAR_ARCSIN, 1.0), M_PI / 2);
  EXPECT_EQ(RunScalar(Op::SCALAR_EXP, 1000.0), kInf);
  EXPECT_EQ(RunScalar(Op::SCALAR_EXP, -1000.0), 0.0);
}

TEST(OpsEdgeCasesTest, HeavisideIsZeroAtZeroAndForNaN) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(RunScalar(Op::SCALAR_HEAVISIDE, 0.0), 0.0);
  EXPECT_EQ(RunScalar(Op::SCALAR_HEAVISIDE, -0.0), 0.0);
  EXPECT_EQ(RunScalar(Op::SCALAR_HEAVISIDE, 1e-300), 1.0);
  EXPECT_EQ(RunScalar(Op::SCALAR_HEAVISIDE, -2.0), 0.0);
  EXPECT_EQ(RunScalar(Op::SCALAR_HEAVISIDE, nan), 0.0);
  auto mem = ZeroMemory<4>();
  Rng rng(0);
  mem->vector[1] << 0, 1, -1, nan;
  ExecuteInstruction(Ins(Op::VECTOR_HEAVISIDE, 2, 1), *mem, rng);
  EXPECT_EQ(mem->vector[2], Vector<4>(0, 1, 0, 0));
  mem->matrix[1](2, 3) = nan;
  mem->matrix[1](3, 2) = 5.0;
  ExecuteInstruction(Ins(Op::MATRIX_HEAVISIDE, 2, 1), *mem, rng);
  EXPECT_EQ(mem->matrix[2].sum(), 1.0);
  EXPECT_EQ(mem->matrix[2](3, 2), 1.0);
}

TEST(OpsEdgeCasesTest, MinAndMaxIgnoreOneNaN) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(RunScalar(Op::SCALAR_MIN, nan, 2.0), 2.0);
  EXPECT_EQ(RunScalar(Op::SCALAR_MIN, 2.0, nan), 2.0);
  EXPECT_EQ(RunScalar(Op::SCALAR_MAX, nan, -3.0), -3.0);
  EXPECT_TRUE(std::isnan(RunScalar(Op::SCALAR_MAX, nan, nan)));
  auto mem = ZeroMemory<4>();
  Rng rng(0);
  mem->vector[1] << nan, 1, -1, nan;
  mem->vector[2] << 5, nan, 0, 7;
  ExecuteInstruction(Ins(Op::VECTOR_MIN, 3, 1, 2), *mem, rng);
  EXPECT_EQ(mem->vector[3], Vector<4>(5, 1, -1, 7));
  mem->matrix[1](0, 1) = nan;
  mem->matrix[2](0, 1) = -4.0;
  ExecuteInstruction(Ins(Op::MATRIX_MAX, 3, 1, 2), *mem, rng);
  EXPECT_EQ(mem->matrix[3](0, 1), -4.0);
}

TEST(OpsEdgeCasesTest, ConstSetsWriteOneElement) {
  auto mem = ZeroMemory<8>();
  Rng rng(0);
  Instruction ins = Ins(Op::VECTOR_CONST_SET, 2);
  ins.index0 = 7;
  ins.data0 = -2.5;
  ExecuteInstruction(ins, *mem, rng);
  EXPECT_EQ(mem->vector[2](7), -2.5);
  EXPECT_EQ(mem->vector[2].cwiseAbs().sum(), 2.5);
  ins = Ins(Op::MATRIX_CONST_SET, 3);
  ins.index0 = 1;  // Row.
  ins.index1 = 6;  // Column.
  ins.data0 = 4.0;
  ExecuteInstruction(ins, *mem, rng);
  EXPECT_EQ(mem->matrix[3](1, 6), 4.0);
  EXPECT_EQ(mem->matrix[3].sum(), 4.0);
}

// --- Random ops ---

Instruction RandomOp(Op op, int out, double c, double d) {
  Instruction ins = Ins(op, out);
  ins.data0 = c;
  ins.data1 = d;
  return ins;
}

TEST(OpsRandomTest, SameSeedSameValuesOtherSeedOtherValues) {
  for (Op op : {Op::SCALAR_UNIFORM_SET, Op::VECTOR_UNIFORM_SET, Op::MATRIX_UNIFORM_SET,
                Op::SCALAR_GAUSSIAN_SET, Op::VECTOR_GAUSSIAN_SET, Op::MATRIX_GAUSSIAN_SET}) {
    const Instruction ins = RandomOp(op, 1, -1.0, 1.0);
    auto first = ZeroMemory<4>();
    auto second = ZeroMemory<4>();
    auto other = ZeroMemory<4>();
    Rng rng1(42), rng2(42), rng3(43);
    for (int r = 0; r < 3; ++r) {
      ExecuteInstruction(ins, *first, rng1);
      ExecuteInstruction(ins, *second, rng2);
      ExecuteInstruction(ins, *other, rng3);
    }
    const OperandKind out = GetOpInfo(op).out;
    if (out == OperandKind::S) {
      EXPECT_EQ(first->scalar[1], second->scalar[1]) << GetOpInfo(op).name;
      EXPECT_NE(first->scalar[1], other->scalar[1]) << GetOpInfo(op).name;
    } else if (out == OperandKind::V) {
      EXPECT_EQ(first->vector[1], second->vector[1]) << GetOpInfo(op).name;
      EXPECT_NE(first->vector[1], other->vector[1]) << GetOpInfo(op).name;
      // Elements are independent draws, not one value repeated.
      EXPECT_NE(first->vector[1](0), first->vector[1](1)) << GetOpInfo(op).name;
    } else {
      EXPECT_EQ(first->matrix[1], second->matrix[1]) << GetOpInfo(op).name;
      EXPECT_NE(first->matrix[1], other->matrix[1]) << GetOpInfo(op).name;
      EXPECT_NE(first->matrix[1](0, 1), first->matrix[1](1, 0)) << GetOpInfo(op).name;
    }
  }
}

// Collects 10000 values of a random op over scalar, vector or matrix elements.
std::vector<double> Draw(Op op, double c, double d) {
  std::vector<double> values;
  auto mem = ZeroMemory<4>();
  Rng rng(7);
  const Instruction ins = RandomOp(op, 1, c, d);
  const OperandKind out = GetOpInfo(op).out;
  while (values.size() < 10000) {
    ExecuteInstruction(ins, *mem, rng);
    if (out == OperandKind::S) {
      values.push_back(mem->scalar[1]);
    } else if (out == OperandKind::V) {
      for (int k = 0; k < 4; ++k) values.push_back(mem->vector[1](k));
    } else {
      for (int k = 0; k < 16; ++k) values.push_back(mem->matrix[1].data()[k]);
    }
  }
  return values;
}

TEST(OpsRandomTest, UniformStaysInRangeWithTheRightMoments) {
  for (Op op : {Op::SCALAR_UNIFORM_SET, Op::VECTOR_UNIFORM_SET, Op::MATRIX_UNIFORM_SET}) {
    const std::vector<double> values = Draw(op, -2.0, 3.0);
    for (double x : values) {
      ASSERT_GE(x, -2.0) << GetOpInfo(op).name;
      ASSERT_LT(x, 3.0) << GetOpInfo(op).name;
    }
    // U[-2, 3): mean 0.5, std 5 / sqrt(12) = 1.443; standard error of the mean
    // 0.0144.
    EXPECT_NEAR(Mean(values), 0.5, 0.06) << GetOpInfo(op).name;
    EXPECT_NEAR(StdDev(values), 5.0 / std::sqrt(12.0), 0.05) << GetOpInfo(op).name;
    EXPECT_LT(*std::min_element(values.begin(), values.end()), -1.99);
    EXPECT_GT(*std::max_element(values.begin(), values.end()), 2.99);
  }
}

TEST(OpsRandomTest, GaussianHasTheRightMoments) {
  for (Op op : {Op::SCALAR_GAUSSIAN_SET, Op::VECTOR_GAUSSIAN_SET, Op::MATRIX_GAUSSIAN_SET}) {
    const std::vector<double> values = Draw(op, 1.5, 2.0);
    // Standard error of the mean 0.02, of the std about 0.014.
    EXPECT_NEAR(Mean(values), 1.5, 0.1) << GetOpInfo(op).name;
    EXPECT_NEAR(StdDev(values), 2.0, 0.1) << GetOpInfo(op).name;
    const double within_one_sigma =
        std::count_if(values.begin(), values.end(),
                      [](double x) { return std::fabs(x - 1.5) < 2.0; }) /
        static_cast<double>(values.size());
    EXPECT_NEAR(within_one_sigma, 0.6827, 0.03) << GetOpInfo(op).name;
  }
}

// --- The op table ---

TEST(OpTableTest, HasSixtyFiveOpsWithDenseIds) {
  ASSERT_EQ(kNumOps, 65);
  ASSERT_EQ(AllOps().size(), 65u);
  for (int id = 0; id < kNumOps; ++id) {
    EXPECT_EQ(static_cast<int>(AllOps()[id]), id);
    EXPECT_EQ(static_cast<int>(GetOpInfo(AllOps()[id]).op), id);
    EXPECT_TRUE(IsValidOpId(id));
  }
  EXPECT_FALSE(IsValidOpId(-1));
  EXPECT_FALSE(IsValidOpId(65));
  EXPECT_EQ(static_cast<int>(Op::MATRIX_GAUSSIAN_SET), 64);
}

TEST(OpTableTest, NamesAreUniqueAndRoundTrip) {
  std::set<std::string> names;
  for (Op op : AllOps()) {
    const std::string name = GetOpInfo(op).name;
    EXPECT_TRUE(names.insert(name).second) << "duplicate name " << name;
    absl::StatusOr<Op> parsed = OpFromName(name);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, op);
  }
  EXPECT_EQ(names.size(), 65u);
  EXPECT_EQ(*OpFromName("SCALAR_SUM"), Op::SCALAR_SUM);
}

TEST(OpTableTest, UnknownNameErrorNamesIt) {
  absl::StatusOr<Op> parsed = OpFromName("SCALAR_FROBNICATE");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(parsed.status().message().find("SCALAR_FROBNICATE"), std::string::npos)
      << parsed.status();
  EXPECT_FALSE(OpFromName("scalar_sum").ok());  // Names are case sensitive.
  EXPECT_FALSE(OpFromName("").ok());
}

TEST(OpTableTest, KindsFormsAndDataAgree) {
  int random_ops = 0;
  for (Op op : AllOps()) {
    const OpInfo& info = GetOpInfo(op);
    const std::string form = info.form;
    const std::string name = info.name;
    EXPECT_EQ(form.find("{o}") != std::string::npos, info.out != OperandKind::N) << name;
    EXPECT_EQ(form.find("{a}") != std::string::npos, info.in1 != OperandKind::N) << name;
    EXPECT_EQ(form.find("{b}") != std::string::npos, info.in2 != OperandKind::N) << name;
    EXPECT_EQ(form.find("{c}") != std::string::npos, info.data != OpDataKind::kNone) << name;
    const bool two_data = info.data == OpDataKind::kUniform || info.data == OpDataKind::kGaussian;
    EXPECT_EQ(form.find("{d}") != std::string::npos, two_data) << name;
    // An input-2 implies an input-1; ops with data read no register.
    if (info.in2 != OperandKind::N) {
      EXPECT_NE(info.in1, OperandKind::N) << name;
    }
    if (info.data != OpDataKind::kNone) {
      EXPECT_EQ(info.in1, OperandKind::N) << name;
      EXPECT_NE(info.out, OperandKind::N) << name;
    }
    // The prefix of the name is the kind of the output (or the input for
    // reductions).
    if (name.rfind("SCALAR_", 0) == 0) {
      EXPECT_TRUE(info.out == OperandKind::S || info.in1 == OperandKind::S) << name;
    }
    EXPECT_EQ(IsRandomOp(op), two_data) << name;
    random_ops += IsRandomOp(op) ? 1 : 0;
    EXPECT_GE(OpCost(op, 4), 0.0) << name;
    EXPECT_STRNE(info.semantics, "") << name;
  }
  EXPECT_EQ(random_ops, 6);
  EXPECT_EQ(GetOpInfo(Op::NO_OP).out, OperandKind::N);
}

}  // namespace
}  // namespace automl

// The op set of the register machine: the 65 ops of the AutoML-Zero paper with stable numeric
// ids. Ids are stored in saved programs (protobuf, checkpoints), so they never change; new ops
// get new ids at the end.
//
// The table below is the single source of truth: the enum, the printer, the parser and the
// documentation all read it. Columns:
//   id, enum name, output kind, input-1 kind, input-2 kind, op-data kind,
//   printed form, exact semantics.
// Kinds: S scalar, V vector (F), M matrix (F x F), N none.
// Op-data kinds: kNone; kConstant (c); kVectorElement (index i, value c);
//   kMatrixElement (row i, column j, value c); kUniform (low c, high d);
//   kGaussian (mean c, stddev d).
// In the printed form {o} is the output register, {a} and {b} the inputs, {c} {d} {i} {j}
// the op data.
//
// Semantics are IEEE double arithmetic with no guards: x / 0 is +-inf (0 / 0 is NaN),
// log(x < 0) is NaN, log(0) is -inf, arcsin/arccos outside [-1, 1] are NaN, exp overflows to
// inf. The executor detects non-finite predictions and ends the evaluation (see executor/).
// heaviside(x) is 1 for x > 0 and 0 otherwise (also for NaN). min/max follow std::fmin/fmax
// (a NaN operand yields the other operand). Standard deviations are population standard
// deviations (divide by F). Norms are Euclidean (Frobenius for matrices). Every element-wise
// op applies to each element independently. Outputs may alias inputs: every op reads all of its
// inputs before it writes its output.
#ifndef INSTRUCTIONS_OPS_H_
#define INSTRUCTIONS_OPS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace automl {

// clang-format off
#define AUTOML_OP_TABLE(X)                                                                    \
  X(0,  NO_OP,                    N, N, N, kNone,          "no_op",                    "does nothing") \
  X(1,  SCALAR_SUM,               S, S, S, kNone,          "{o} = {a} + {b}",          "o = a + b") \
  X(2,  SCALAR_DIFF,              S, S, S, kNone,          "{o} = {a} - {b}",          "o = a - b") \
  X(3,  SCALAR_PRODUCT,           S, S, S, kNone,          "{o} = {a} * {b}",          "o = a * b") \
  X(4,  SCALAR_DIVISION,          S, S, S, kNone,          "{o} = {a} / {b}",          "o = a / b (IEEE: +-inf or NaN for b = 0)") \
  X(5,  SCALAR_ABS,               S, S, N, kNone,          "{o} = abs({a})",           "o = |a|") \
  X(6,  SCALAR_RECIPROCAL,        S, S, N, kNone,          "{o} = 1 / {a}",            "o = 1 / a (+-inf for a = 0)") \
  X(7,  SCALAR_SIN,               S, S, N, kNone,          "{o} = sin({a})",           "o = sin(a)") \
  X(8,  SCALAR_COS,               S, S, N, kNone,          "{o} = cos({a})",           "o = cos(a)") \
  X(9,  SCALAR_TAN,               S, S, N, kNone,          "{o} = tan({a})",           "o = tan(a)") \
  X(10, SCALAR_ARCSIN,            S, S, N, kNone,          "{o} = arcsin({a})",        "o = asin(a) (NaN outside [-1, 1])") \
  X(11, SCALAR_ARCCOS,            S, S, N, kNone,          "{o} = arccos({a})",        "o = acos(a) (NaN outside [-1, 1])") \
  X(12, SCALAR_ARCTAN,            S, S, N, kNone,          "{o} = arctan({a})",        "o = atan(a)") \
  X(13, SCALAR_EXP,               S, S, N, kNone,          "{o} = exp({a})",           "o = e^a (inf on overflow)") \
  X(14, SCALAR_LOG,               S, S, N, kNone,          "{o} = log({a})",           "o = ln(a) (NaN for a < 0, -inf for a = 0)") \
  X(15, SCALAR_HEAVISIDE,         S, S, N, kNone,          "{o} = heaviside({a})",     "o = 1 if a > 0 else 0") \
  X(16, VECTOR_HEAVISIDE,         V, V, N, kNone,          "{o} = heaviside({a})",     "o[k] = 1 if a[k] > 0 else 0") \
  X(17, MATRIX_HEAVISIDE,         M, M, N, kNone,          "{o} = heaviside({a})",     "o[k,l] = 1 if a[k,l] > 0 else 0") \
  X(18, SCALAR_VECTOR_PRODUCT,    V, S, V, kNone,          "{o} = {a} * {b}",          "o = a * b (scalar times vector)") \
  X(19, SCALAR_BROADCAST,         V, S, N, kNone,          "{o} = bcast({a})",         "o[k] = a") \
  X(20, VECTOR_RECIPROCAL,        V, V, N, kNone,          "{o} = 1 / {a}",            "o[k] = 1 / a[k]") \
  X(21, VECTOR_NORM,              S, V, N, kNone,          "{o} = norm({a})",          "o = sqrt(sum_k a[k]^2)") \
  X(22, VECTOR_ABS,               V, V, N, kNone,          "{o} = abs({a})",           "o[k] = |a[k]|") \
  X(23, VECTOR_SUM,               V, V, V, kNone,          "{o} = {a} + {b}",          "o = a + b") \
  X(24, VECTOR_DIFF,              V, V, V, kNone,          "{o} = {a} - {b}",          "o = a - b") \
  X(25, VECTOR_PRODUCT,           V, V, V, kNone,          "{o} = {a} * {b}",          "o[k] = a[k] * b[k]") \
  X(26, VECTOR_DIVISION,          V, V, V, kNone,          "{o} = {a} / {b}",          "o[k] = a[k] / b[k]") \
  X(27, VECTOR_INNER_PRODUCT,     S, V, V, kNone,          "{o} = dot({a}, {b})",      "o = sum_k a[k] * b[k]") \
  X(28, VECTOR_OUTER_PRODUCT,     M, V, V, kNone,          "{o} = outer({a}, {b})",    "o[k,l] = a[k] * b[l]") \
  X(29, SCALAR_MATRIX_PRODUCT,    M, S, M, kNone,          "{o} = {a} * {b}",          "o = a * b (scalar times matrix)") \
  X(30, MATRIX_RECIPROCAL,        M, M, N, kNone,          "{o} = 1 / {a}",            "o[k,l] = 1 / a[k,l]") \
  X(31, MATRIX_VECTOR_PRODUCT,    V, M, V, kNone,          "{o} = {a} @ {b}",          "o[k] = sum_l a[k,l] * b[l]") \
  X(32, VECTOR_COLUMN_BROADCAST,  M, V, N, kNone,          "{o} = bcast_cols({a})",    "o[k,l] = a[k] (every column is a)") \
  X(33, VECTOR_ROW_BROADCAST,     M, V, N, kNone,          "{o} = bcast_rows({a})",    "o[k,l] = a[l] (every row is a)") \
  X(34, MATRIX_NORM,              S, M, N, kNone,          "{o} = norm({a})",          "o = sqrt(sum_kl a[k,l]^2) (Frobenius)") \
  X(35, MATRIX_COLUMN_NORM,       V, M, N, kNone,          "{o} = col_norms({a})",     "o[l] = sqrt(sum_k a[k,l]^2)") \
  X(36, MATRIX_ROW_NORM,          V, M, N, kNone,          "{o} = row_norms({a})",     "o[k] = sqrt(sum_l a[k,l]^2)") \
  X(37, MATRIX_TRANSPOSE,         M, M, N, kNone,          "{o} = transpose({a})",     "o[k,l] = a[l,k]") \
  X(38, MATRIX_ABS,               M, M, N, kNone,          "{o} = abs({a})",           "o[k,l] = |a[k,l]|") \
  X(39, MATRIX_SUM,               M, M, M, kNone,          "{o} = {a} + {b}",          "o = a + b") \
  X(40, MATRIX_DIFF,              M, M, M, kNone,          "{o} = {a} - {b}",          "o = a - b") \
  X(41, MATRIX_PRODUCT,           M, M, M, kNone,          "{o} = {a} * {b}",          "o[k,l] = a[k,l] * b[k,l]") \
  X(42, MATRIX_DIVISION,          M, M, M, kNone,          "{o} = {a} / {b}",          "o[k,l] = a[k,l] / b[k,l]") \
  X(43, MATRIX_MATRIX_PRODUCT,    M, M, M, kNone,          "{o} = {a} @ {b}",          "o[k,l] = sum_r a[k,r] * b[r,l]") \
  X(44, SCALAR_MIN,               S, S, S, kNone,          "{o} = min({a}, {b})",      "o = fmin(a, b)") \
  X(45, VECTOR_MIN,               V, V, V, kNone,          "{o} = min({a}, {b})",      "o[k] = fmin(a[k], b[k])") \
  X(46, MATRIX_MIN,               M, M, M, kNone,          "{o} = min({a}, {b})",      "o[k,l] = fmin(a[k,l], b[k,l])") \
  X(47, SCALAR_MAX,               S, S, S, kNone,          "{o} = max({a}, {b})",      "o = fmax(a, b)") \
  X(48, VECTOR_MAX,               V, V, V, kNone,          "{o} = max({a}, {b})",      "o[k] = fmax(a[k], b[k])") \
  X(49, MATRIX_MAX,               M, M, M, kNone,          "{o} = max({a}, {b})",      "o[k,l] = fmax(a[k,l], b[k,l])") \
  X(50, VECTOR_MEAN,              S, V, N, kNone,          "{o} = mean({a})",          "o = sum_k a[k] / F") \
  X(51, MATRIX_MEAN,              S, M, N, kNone,          "{o} = mean({a})",          "o = sum_kl a[k,l] / F^2") \
  X(52, MATRIX_ROW_MEAN,          V, M, N, kNone,          "{o} = row_means({a})",     "o[k] = sum_l a[k,l] / F") \
  X(53, MATRIX_ROW_ST_DEV,        V, M, N, kNone,          "{o} = row_stds({a})",      "o[k] = population std of row k") \
  X(54, VECTOR_ST_DEV,            S, V, N, kNone,          "{o} = std({a})",           "o = population std of a") \
  X(55, MATRIX_ST_DEV,            S, M, N, kNone,          "{o} = std({a})",           "o = population std of all F^2 entries") \
  X(56, SCALAR_CONST_SET,         S, N, N, kConstant,      "{o} = {c}",                "o = c") \
  X(57, VECTOR_CONST_SET,         V, N, N, kVectorElement, "{o}[{i}] = {c}",           "o[i] = c (other elements unchanged)") \
  X(58, MATRIX_CONST_SET,         M, N, N, kMatrixElement, "{o}[{i}, {j}] = {c}",      "o[i,j] = c (other elements unchanged)") \
  X(59, SCALAR_UNIFORM_SET,       S, N, N, kUniform,       "{o} = uniform({c}, {d})",  "o ~ U[c, d)") \
  X(60, VECTOR_UNIFORM_SET,       V, N, N, kUniform,       "{o} = uniform({c}, {d})",  "o[k] ~ U[c, d) independently") \
  X(61, MATRIX_UNIFORM_SET,       M, N, N, kUniform,       "{o} = uniform({c}, {d})",  "o[k,l] ~ U[c, d) independently") \
  X(62, SCALAR_GAUSSIAN_SET,      S, N, N, kGaussian,      "{o} = gaussian({c}, {d})", "o ~ N(c, d^2)") \
  X(63, VECTOR_GAUSSIAN_SET,      V, N, N, kGaussian,      "{o} = gaussian({c}, {d})", "o[k] ~ N(c, d^2) independently") \
  X(64, MATRIX_GAUSSIAN_SET,      M, N, N, kGaussian,      "{o} = gaussian({c}, {d})", "o[k,l] ~ N(c, d^2) independently")
// clang-format on

enum class Op : uint8_t {
#define AUTOML_OP_ENUM(id, name, out, in1, in2, data, form, doc) name = id,
  AUTOML_OP_TABLE(AUTOML_OP_ENUM)
#undef AUTOML_OP_ENUM
};

inline constexpr int kNumOps = 65;

// What a register operand is.
enum class OperandKind : uint8_t { N, S, V, M };

// Which op-data fields an op uses; the others stay zero so that equal programs compare equal.
enum class OpDataKind : uint8_t {
  kNone,
  kConstant,
  kVectorElement,
  kMatrixElement,
  kUniform,
  kGaussian
};

struct OpInfo {
  Op op;
  const char* name;  // The enum name, e.g. "SCALAR_SUM"; used in specs and protos.
  OperandKind out;
  OperandKind in1;
  OperandKind in2;
  OpDataKind data;
  const char* form;  // Printed form, see the table above.
  const char* semantics;
};

// The info of an op; the op must be valid (programmer error otherwise).
const OpInfo& GetOpInfo(Op op);

// 's', 'v', 'm' (the register prefix of the printed form), '?' for N.
char OperandKindLetter(OperandKind kind);

// All ops in id order.
const std::vector<Op>& AllOps();

// True if `id` names an op of the table.
bool IsValidOpId(int id);

// Looks up an op by its enum name ("SCALAR_SUM"); the error names the unknown op.
absl::StatusOr<Op> OpFromName(absl::string_view name);

// True for the ops that draw from the evaluation's RNG.
inline bool IsRandomOp(Op op) {
  return op >= Op::SCALAR_UNIFORM_SET && op <= Op::MATRIX_GAUSSIAN_SET;
}

// A relative cost of one execution of `op` at feature size F, in units of roughly one
// floating-point operation; used by the train budget and, later, by the compute-cost objective.
double OpCost(Op op, int feature_size);

}  // namespace automl

#endif  // INSTRUCTIONS_OPS_H_

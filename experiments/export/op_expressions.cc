#include "experiments/export/op_expressions.h"

#include <cmath>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "instructions/check.h"

namespace automl {

// One line per op, in id order. Products and the transpose go through a temporary, as in the
// kernels: their output register may be one of their inputs.
// clang-format off
const std::array<OpExpression, kNumOps> kOpExpressions = {{
  {Op::NO_OP, "", "pass"},
  {Op::SCALAR_SUM, "{o} = {a} + {b};", "{o} = {a} + {b}"},
  {Op::SCALAR_DIFF, "{o} = {a} - {b};", "{o} = {a} - {b}"},
  {Op::SCALAR_PRODUCT, "{o} = {a} * {b};", "{o} = {a} * {b}"},
  {Op::SCALAR_DIVISION, "{o} = {a} / {b};", "{o} = {a} / {b}"},
  {Op::SCALAR_ABS, "{o} = std::fabs({a});", "{o} = abs({a})"},
  {Op::SCALAR_RECIPROCAL, "{o} = 1.0 / {a};", "{o} = 1.0 / {a}"},
  {Op::SCALAR_SIN, "{o} = std::sin({a});", "{o} = _sin({a})"},
  {Op::SCALAR_COS, "{o} = std::cos({a});", "{o} = _cos({a})"},
  {Op::SCALAR_TAN, "{o} = std::tan({a});", "{o} = _tan({a})"},
  {Op::SCALAR_ARCSIN, "{o} = std::asin({a});", "{o} = _asin({a})"},
  {Op::SCALAR_ARCCOS, "{o} = std::acos({a});", "{o} = _acos({a})"},
  {Op::SCALAR_ARCTAN, "{o} = std::atan({a});", "{o} = _atan({a})"},
  {Op::SCALAR_EXP, "{o} = std::exp({a});", "{o} = _exp({a})"},
  {Op::SCALAR_LOG, "{o} = std::log({a});", "{o} = _log({a})"},
  {Op::SCALAR_HEAVISIDE, "{o} = Heaviside({a});", "{o} = 1.0 if {a} > 0.0 else 0.0"},
  {Op::VECTOR_HEAVISIDE, "{o} = {a}.unaryExpr([](double x) { return Heaviside(x); });",
   "{o} = np.where({a} > 0.0, 1.0, 0.0)"},
  {Op::MATRIX_HEAVISIDE, "{o} = {a}.unaryExpr([](double x) { return Heaviside(x); });",
   "{o} = np.where({a} > 0.0, 1.0, 0.0)"},
  {Op::SCALAR_VECTOR_PRODUCT, "{o} = {a} * {b};", "{o} = {a} * {b}"},
  {Op::SCALAR_BROADCAST, "{o}.setConstant({a});", "{o} = {a}"},
  {Op::VECTOR_RECIPROCAL, "{o} = {a}.cwiseInverse();", "{o} = 1.0 / {a}"},
  {Op::VECTOR_NORM, "{o} = {a}.norm();", "{o} = np.sqrt(np.sum({a} * {a}))"},
  {Op::VECTOR_ABS, "{o} = {a}.cwiseAbs();", "{o} = np.abs({a})"},
  {Op::VECTOR_SUM, "{o} = {a} + {b};", "{o} = {a} + {b}"},
  {Op::VECTOR_DIFF, "{o} = {a} - {b};", "{o} = {a} - {b}"},
  {Op::VECTOR_PRODUCT, "{o} = {a}.cwiseProduct({b});", "{o} = {a} * {b}"},
  {Op::VECTOR_DIVISION, "{o} = {a}.cwiseQuotient({b});", "{o} = {a} / {b}"},
  {Op::VECTOR_INNER_PRODUCT, "{o} = {a}.dot({b});", "{o} = np.sum({a} * {b})"},
  {Op::VECTOR_OUTER_PRODUCT, "{o} = {a} * {b}.transpose();", "{o} = np.outer({a}, {b})"},
  {Op::SCALAR_MATRIX_PRODUCT, "{o} = {a} * {b};", "{o} = {a} * {b}"},
  {Op::MATRIX_RECIPROCAL, "{o} = {a}.cwiseInverse();", "{o} = 1.0 / {a}"},
  {Op::MATRIX_VECTOR_PRODUCT, "{\n  const Vector product = {a} * {b};\n  {o} = product;\n}",
   "{o} = _matvec({a}, {b})"},
  {Op::VECTOR_COLUMN_BROADCAST, "{\n  const Vector column = {a};\n  {o}.colwise() = column;\n}",
   "{o} = {a}[:, np.newaxis]"},
  {Op::VECTOR_ROW_BROADCAST,
   "{\n  const Vector row = {a};\n  {o}.rowwise() = row.transpose();\n}",
   "{o} = {a}[np.newaxis, :]"},
  {Op::MATRIX_NORM, "{o} = {a}.norm();", "{o} = np.sqrt(np.sum({a} * {a}))"},
  {Op::MATRIX_COLUMN_NORM, "{o} = {a}.colwise().norm().transpose();",
   "{o} = np.sqrt(np.sum({a} * {a}, axis=0))"},
  {Op::MATRIX_ROW_NORM, "{o} = {a}.rowwise().norm();", "{o} = np.sqrt(np.sum({a} * {a}, axis=1))"},
  {Op::MATRIX_TRANSPOSE,
   "{\n  const Matrix transposed = {a}.transpose();\n  {o} = transposed;\n}",
   "{o} = {a}.T.copy()"},
  {Op::MATRIX_ABS, "{o} = {a}.cwiseAbs();", "{o} = np.abs({a})"},
  {Op::MATRIX_SUM, "{o} = {a} + {b};", "{o} = {a} + {b}"},
  {Op::MATRIX_DIFF, "{o} = {a} - {b};", "{o} = {a} - {b}"},
  {Op::MATRIX_PRODUCT, "{o} = {a}.cwiseProduct({b});", "{o} = {a} * {b}"},
  {Op::MATRIX_DIVISION, "{o} = {a}.cwiseQuotient({b});", "{o} = {a} / {b}"},
  {Op::MATRIX_MATRIX_PRODUCT, "{\n  const Matrix product = {a} * {b};\n  {o} = product;\n}",
   "{o} = _matmul({a}, {b})"},
  {Op::SCALAR_MIN, "{o} = Min({a}, {b});", "{o} = np.fmin({a}, {b})"},
  {Op::VECTOR_MIN, "{o} = {a}.binaryExpr({b}, &Min);", "{o} = np.fmin({a}, {b})"},
  {Op::MATRIX_MIN, "{o} = {a}.binaryExpr({b}, &Min);", "{o} = np.fmin({a}, {b})"},
  {Op::SCALAR_MAX, "{o} = Max({a}, {b});", "{o} = np.fmax({a}, {b})"},
  {Op::VECTOR_MAX, "{o} = {a}.binaryExpr({b}, &Max);", "{o} = np.fmax({a}, {b})"},
  {Op::MATRIX_MAX, "{o} = {a}.binaryExpr({b}, &Max);", "{o} = np.fmax({a}, {b})"},
  {Op::VECTOR_MEAN, "{o} = {a}.mean();", "{o} = np.sum({a}) / F"},
  {Op::MATRIX_MEAN, "{o} = {a}.mean();", "{o} = np.sum({a}) / (F * F)"},
  {Op::MATRIX_ROW_MEAN, "{o} = {a}.rowwise().mean();", "{o} = np.sum({a}, axis=1) / F"},
  {Op::MATRIX_ROW_ST_DEV,
   "{\n  Vector stds;\n  for (int r = 0; r < kF; ++r) stds[r] = PopulationStd({a}.row(r));\n"
   "  {o} = stds;\n}",
   "{o} = [_std(row) for row in {a}]"},
  {Op::VECTOR_ST_DEV, "{o} = PopulationStd({a});", "{o} = _std({a})"},
  {Op::MATRIX_ST_DEV, "{o} = PopulationStd({a});", "{o} = _std({a})"},
  {Op::SCALAR_CONST_SET, "{o} = {c};", "{o} = {c}"},
  {Op::VECTOR_CONST_SET, "{o}[{i}] = {c};", "{o}[{i}] = {c}"},
  {Op::MATRIX_CONST_SET, "{o}({i}, {j}) = {c};", "{o}[{i}, {j}] = {c}"},
  {Op::SCALAR_UNIFORM_SET, "{o} = rng_.Uniform({c}, {d});", "{o} = self._rng.uniform({c}, {d})"},
  {Op::VECTOR_UNIFORM_SET, "for (int k = 0; k < kF; ++k) {o}[k] = rng_.Uniform({c}, {d});",
   "{o} = [self._rng.uniform({c}, {d}) for _ in range(F)]"},
  // Matrix fills draw in column-major order, Eigen's storage order.
  {Op::MATRIX_UNIFORM_SET,
   "for (int k = 0; k < kF * kF; ++k) {o}.data()[k] = rng_.Uniform({c}, {d});",
   "{o} = np.reshape([self._rng.uniform({c}, {d}) for _ in range(F * F)], (F, F), order='F')"},
  {Op::SCALAR_GAUSSIAN_SET, "{o} = rng_.Gaussian({c}, {d});", "{o} = self._rng.gaussian({c}, {d})"},
  {Op::VECTOR_GAUSSIAN_SET, "for (int k = 0; k < kF; ++k) {o}[k] = rng_.Gaussian({c}, {d});",
   "{o} = [self._rng.gaussian({c}, {d}) for _ in range(F)]"},
  {Op::MATRIX_GAUSSIAN_SET,
   "for (int k = 0; k < kF * kF; ++k) {o}.data()[k] = rng_.Gaussian({c}, {d});",
   "{o} = np.reshape([self._rng.gaussian({c}, {d}) for _ in range(F * F)], (F, F), order='F')"},
}};
// clang-format on

namespace {

std::string Register(OperandKind kind, int address, ExportLanguage language) {
  const char letter = OperandKindLetter(kind);
  if (language == ExportLanguage::kCpp)
    return absl::StrCat(std::string(1, letter), "_[", address, "]");
  return absl::StrCat("self.", std::string(1, letter), "[", address, "]");
}

}  // namespace

std::string DoubleLiteral(double value, ExportLanguage language) {
  const bool cpp = language == ExportLanguage::kCpp;
  if (std::isnan(value)) return cpp ? "std::numeric_limits<double>::quiet_NaN()" : "np.nan";
  if (std::isinf(value)) {
    const char* inf = cpp ? "std::numeric_limits<double>::infinity()" : "np.inf";
    return value < 0 ? absl::StrCat("-", inf) : inf;
  }
  // The shortest of %.15g .. %.17g that reads back exactly.
  std::string text;
  for (int digits = 15; digits <= 17; ++digits) {
    text = absl::StrFormat("%.*g", digits, value);
    if (std::strtod(text.c_str(), nullptr) == value) break;
  }
  // "-0" would be the integer 0 in C++: keep the sign and the type.
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

std::string InstructionCode(const Instruction& ins, ExportLanguage language) {
  const OpExpression& entry = kOpExpressions[static_cast<int>(ins.op)];
  AUTOML_CHECK(entry.op == ins.op);
  const OpInfo& info = GetOpInfo(ins.op);
  const std::string no_register = "?";
  auto reg = [&](OperandKind kind, int address) {
    return kind == OperandKind::N ? no_register : Register(kind, address, language);
  };
  return absl::StrReplaceAll(language == ExportLanguage::kCpp ? entry.cpp : entry.python,
                             {{"{o}", reg(info.out, ins.out)},
                              {"{a}", reg(info.in1, ins.in1)},
                              {"{b}", reg(info.in2, ins.in2)},
                              {"{c}", DoubleLiteral(ins.data0, language)},
                              {"{d}", DoubleLiteral(ins.data1, language)},
                              {"{i}", absl::StrCat(ins.index0)},
                              {"{j}", absl::StrCat(ins.index1)}});
}

}  // namespace automl

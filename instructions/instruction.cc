#include "instructions/instruction.h"

#include <cmath>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "instructions/check.h"
#include "instructions/status_macros.h"

namespace automl {
namespace {

uint64_t DoubleBits(double x) {
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof(bits));
  return bits;
}

const char* KindPlural(OperandKind kind) {
  switch (kind) {
    case OperandKind::S:
      return "scalar";
    case OperandKind::V:
      return "vector";
    case OperandKind::M:
      return "matrix";
    case OperandKind::N:
      break;
  }
  return "?";
}

absl::Status CheckAddress(OperandKind kind, int address, const MachineShape& shape) {
  if (kind == OperandKind::N) return absl::OkStatus();
  const int count = RegisterCount(kind, shape);
  if (address >= count) {
    return absl::InvalidArgumentError(
        absl::StrCat("address ", std::string(1, OperandKindLetter(kind)), address,
                     " out of range (", count, " ", KindPlural(kind), " registers)"));
  }
  return absl::OkStatus();
}

}  // namespace

int RegisterCount(OperandKind kind, const MachineShape& shape) {
  switch (kind) {
    case OperandKind::S:
      return shape.num_scalars;
    case OperandKind::V:
      return shape.num_vectors;
    case OperandKind::M:
      return shape.num_matrices;
    case OperandKind::N:
      break;
  }
  return 0;
}

absl::Status ValidateMachineShape(const MachineShape& shape) {
  if (shape.num_scalars < 2 || shape.num_scalars > kMaxScalarRegisters) {
    return absl::InvalidArgumentError(absl::StrCat("num_scalars must be in [2, ",
                                                   kMaxScalarRegisters,
                                                   "] (s0 label, s1 "
                                                   "prediction), got ",
                                                   shape.num_scalars));
  }
  if (shape.num_vectors < 1 || shape.num_vectors > kMaxVectorRegisters) {
    return absl::InvalidArgumentError(absl::StrCat("num_vectors must be in [1, ",
                                                   kMaxVectorRegisters, "] (v0 features), got ",
                                                   shape.num_vectors));
  }
  if (shape.num_matrices < 0 || shape.num_matrices > kMaxMatrixRegisters) {
    return absl::InvalidArgumentError(absl::StrCat(
        "num_matrices must be in [0, ", kMaxMatrixRegisters, "], got ", shape.num_matrices));
  }
  if (shape.feature_size < 1 || shape.feature_size > 255) {
    return absl::InvalidArgumentError(
        absl::StrCat("feature_size must be in [1, 255], got ", shape.feature_size));
  }
  return absl::OkStatus();
}

uint64_t Instruction::Hash() const {
  uint64_t h =
      SplitMix64(static_cast<uint64_t>(op) | (uint64_t{in1} << 8) | (uint64_t{in2} << 16) |
                 (uint64_t{out} << 24) | (uint64_t{index0} << 32) | (uint64_t{index1} << 40));
  h = SplitMix64(h ^ DoubleBits(data0));
  h = SplitMix64(h ^ DoubleBits(data1));
  return h;
}

absl::Status ValidateInstruction(const Instruction& ins, const MachineShape& shape) {
  if (!IsValidOpId(static_cast<int>(ins.op))) {
    return absl::InvalidArgumentError(absl::StrCat("unknown op id ", static_cast<int>(ins.op)));
  }
  const OpInfo& info = GetOpInfo(ins.op);
  RETURN_IF_ERROR(CheckAddress(info.out, ins.out, shape));
  RETURN_IF_ERROR(CheckAddress(info.in1, ins.in1, shape));
  RETURN_IF_ERROR(CheckAddress(info.in2, ins.in2, shape));
  if (info.data == OpDataKind::kVectorElement || info.data == OpDataKind::kMatrixElement) {
    if (ins.index0 >= shape.feature_size) {
      return absl::InvalidArgumentError(absl::StrCat(
          "element index ", ins.index0, " out of range (feature size ", shape.feature_size, ")"));
    }
  }
  if (info.data == OpDataKind::kMatrixElement && ins.index1 >= shape.feature_size) {
    return absl::InvalidArgumentError(absl::StrCat(
        "element index ", ins.index1, " out of range (feature size ", shape.feature_size, ")"));
  }
  return absl::OkStatus();
}

int RandomAddress(OperandKind kind, bool is_output, const MachineShape& shape, Rng& rng) {
  switch (kind) {
    case OperandKind::S:
      // Outputs never write the label s0.
      return is_output ? rng.UniformIntIn(1, shape.num_scalars)
                       : rng.UniformIntIn(0, shape.num_scalars);
    case OperandKind::V:
      // Outputs never write the features v0; with one vector register there is nothing else.
      if (is_output) {
        return shape.num_vectors > 1 ? rng.UniformIntIn(1, shape.num_vectors) : 0;
      }
      return rng.UniformIntIn(0, shape.num_vectors);
    case OperandKind::M:
      return shape.num_matrices > 0 ? rng.UniformIntIn(0, shape.num_matrices) : 0;
    case OperandKind::N:
      break;
  }
  return 0;
}

namespace {

void RandomizeData(Instruction& ins, const MachineShape& shape, Rng& rng) {
  switch (GetOpInfo(ins.op).data) {
    case OpDataKind::kNone:
      break;
    case OpDataKind::kConstant:
      ins.data0 = rng.Uniform(-1.0, 1.0);
      break;
    case OpDataKind::kVectorElement:
      ins.index0 = static_cast<uint8_t>(rng.UniformInt(shape.feature_size));
      ins.data0 = rng.Uniform(-1.0, 1.0);
      break;
    case OpDataKind::kMatrixElement:
      ins.index0 = static_cast<uint8_t>(rng.UniformInt(shape.feature_size));
      ins.index1 = static_cast<uint8_t>(rng.UniformInt(shape.feature_size));
      ins.data0 = rng.Uniform(-1.0, 1.0);
      break;
    case OpDataKind::kUniform:
      ins.data0 = rng.Uniform(-1.0, 0.0);
      ins.data1 = rng.Uniform(0.0, 1.0);
      break;
    case OpDataKind::kGaussian:
      ins.data0 = rng.Uniform(-1.0, 1.0);
      ins.data1 = rng.Uniform(0.0, 1.0);
      break;
  }
}

// Scales a constant by a factor in [0.5, 2) drawn on a log scale, or flips its sign.
double AlterConstant(double value, Rng& rng) {
  if (rng.Bernoulli(0.1)) return -value;
  return value * std::exp2(rng.Uniform(-1.0, 1.0));
}

}  // namespace

Instruction RandomInstructionForOp(Op op, const MachineShape& shape, Rng& rng) {
  Instruction ins;
  ins.op = op;
  const OpInfo& info = GetOpInfo(op);
  if (info.in1 != OperandKind::N) {
    ins.in1 = static_cast<uint8_t>(RandomAddress(info.in1, false, shape, rng));
  }
  if (info.in2 != OperandKind::N) {
    ins.in2 = static_cast<uint8_t>(RandomAddress(info.in2, false, shape, rng));
  }
  if (info.out != OperandKind::N) {
    ins.out = static_cast<uint8_t>(RandomAddress(info.out, true, shape, rng));
  }
  RandomizeData(ins, shape, rng);
  return ins;
}

bool AlterOneParameter(Instruction& ins, const MachineShape& shape, Rng& rng) {
  const OpInfo& info = GetOpInfo(ins.op);
  // The parameters this op has: its operands, then its op data.
  enum Param { kIn1, kIn2, kOut, kData };
  Param params[4];
  int num_params = 0;
  if (info.in1 != OperandKind::N) params[num_params++] = kIn1;
  if (info.in2 != OperandKind::N) params[num_params++] = kIn2;
  if (info.out != OperandKind::N) params[num_params++] = kOut;
  if (info.data != OpDataKind::kNone) params[num_params++] = kData;
  if (num_params == 0) return false;
  const Instruction before = ins;
  switch (params[rng.UniformInt(num_params)]) {
    case kIn1:
      ins.in1 = static_cast<uint8_t>(RandomAddress(info.in1, false, shape, rng));
      break;
    case kIn2:
      ins.in2 = static_cast<uint8_t>(RandomAddress(info.in2, false, shape, rng));
      break;
    case kOut:
      ins.out = static_cast<uint8_t>(RandomAddress(info.out, true, shape, rng));
      break;
    case kData:
      switch (info.data) {
        case OpDataKind::kNone:
          break;
        case OpDataKind::kConstant:
          ins.data0 = AlterConstant(ins.data0, rng);
          break;
        case OpDataKind::kVectorElement:
          if (rng.Bernoulli(0.5)) {
            ins.index0 = static_cast<uint8_t>(rng.UniformInt(shape.feature_size));
          } else {
            ins.data0 = AlterConstant(ins.data0, rng);
          }
          break;
        case OpDataKind::kMatrixElement: {
          const uint32_t which = rng.UniformInt(3);
          if (which == 0) {
            ins.index0 = static_cast<uint8_t>(rng.UniformInt(shape.feature_size));
          } else if (which == 1) {
            ins.index1 = static_cast<uint8_t>(rng.UniformInt(shape.feature_size));
          } else {
            ins.data0 = AlterConstant(ins.data0, rng);
          }
          break;
        }
        case OpDataKind::kUniform:
        case OpDataKind::kGaussian:
          if (rng.Bernoulli(0.5)) {
            ins.data0 = AlterConstant(ins.data0, rng);
          } else {
            ins.data1 = AlterConstant(ins.data1, rng);
          }
          break;
      }
      break;
  }
  return ins != before;
}

int NumDataValues(const Instruction& ins) {
  switch (GetOpInfo(ins.op).data) {
    case OpDataKind::kNone:
      return 0;
    case OpDataKind::kConstant:
    case OpDataKind::kVectorElement:
    case OpDataKind::kMatrixElement:
      return 1;
    case OpDataKind::kUniform:
    case OpDataKind::kGaussian:
      return 2;
  }
  return 0;
}

namespace {

// `sign` times a magnitude 10^U[-4, 0) or, as often, a factor near one, 1 -+ 10^U[-5, -1).
double RedrawScaledValue(double sign, Rng& rng) {
  if (rng.Bernoulli(0.5)) return sign * std::pow(10.0, rng.Uniform(-4.0, 0.0));
  const double step = std::pow(10.0, rng.Uniform(-5.0, -1.0));
  return sign * (rng.Bernoulli(0.5) ? 1.0 - step : 1.0 + step);
}

}  // namespace

double TuneValue(double value, Rng& rng) {
  if (rng.Bernoulli(0.5)) {
    const double anchor = value > 0.5 ? 1.0 : (value < -0.5 ? -1.0 : 0.0);
    return anchor + (value - anchor) * std::exp2(rng.Uniform(-1.0, 1.0));
  }
  return RedrawScaledValue(value < 0.0 ? -1.0 : 1.0, rng);
}

double RandomScaledConstant(Rng& rng) {
  const double sign = rng.Bernoulli(0.5) ? -1.0 : 1.0;
  return RedrawScaledValue(sign, rng);
}

bool TuneOneDataValue(Instruction& ins, Rng& rng) {
  const int count = NumDataValues(ins);
  AUTOML_CHECK(count > 0);
  double& value = (count == 2 && rng.Bernoulli(0.5)) ? ins.data1 : ins.data0;
  const double before = value;
  value = TuneValue(value, rng);
  return value != before;
}

}  // namespace automl

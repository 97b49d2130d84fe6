// Decoding for the executor's inner loop. A program's (reduced) functions are decoded once per
// evaluation into flat arrays of 32-byte instructions whose operands are offsets into the
// register memory, with a handler id per instruction and an END sentinel; the interpreters
// (interpreters.h) run them through the op kernels (op_kernels.h).
#ifndef EXECUTOR_DECODED_PROGRAM_H_
#define EXECUTOR_DECODED_PROGRAM_H_

#include <cstdint>
#include <vector>

#include "executor/dead_code.h"
#include "executor/memory.h"
#include "instructions/instruction.h"

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
  // Elements of one register of `kind` (0 for OperandKind::N).
  static constexpr int Size(OperandKind kind) {
    return kind == OperandKind::S
               ? 1
               : (kind == OperandKind::V ? F : (kind == OperandKind::M ? F * F : 0));
  }
  uint32_t vector0 = 0;
  uint32_t matrix0 = 0;
};

// The operands of a live `ins` as offsets, for an op with the given operand and data kinds:
// GetOpInfo's at run time (Decode), or constants where the op is known at compile time (the
// on-the-fly interpreter), which folds this to a few adds.
template <int F>
DecodedInstruction DecodeOperands(const Instruction& ins, OperandKind out, OperandKind in1,
                                  OperandKind in2, OpDataKind data, const MemoryLayout<F>& layout) {
  DecodedInstruction d;
  d.handler = static_cast<uint32_t>(ins.op);
  d.out = layout.Offset(out, ins.out);
  d.in1 = layout.Offset(in1, ins.in1);
  d.in2 = layout.Offset(in2, ins.in2);
  if (data == OpDataKind::kVectorElement) d.out += ins.index0;
  // Column-major, like Eigen's storage.
  if (data == OpDataKind::kMatrixElement) d.out += ins.index0 + ins.index1 * F;
  d.data0 = ins.data0;
  d.data1 = ins.data1;
  return d;
}

// `ins` as its handler runs it; a kSkipDraws instruction becomes a skip of its draws.
template <int F>
DecodedInstruction Decode(const Instruction& ins, Liveness liveness,
                          const MemoryLayout<F>& layout) {
  const OpInfo& info = GetOpInfo(ins.op);
  if (liveness == Liveness::kSkipDraws) {
    DecodedInstruction d;
    d.handler = info.data == OpDataKind::kGaussian ? kHandlerSkipGaussian : kHandlerSkipUniform;
    d.in1 = info.out == OperandKind::S ? 1 : (info.out == OperandKind::V ? F : F * F);
    return d;
  }
  return DecodeOperands<F>(ins, info.out, info.in1, info.in2, info.data, layout);
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

}  // namespace automl

#endif  // EXECUTOR_DECODED_PROGRAM_H_

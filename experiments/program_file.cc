#include "experiments/program_file.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "instructions/ops.h"
#include "instructions/parser.h"
#include "instructions/program_proto.h"

namespace automl {

absl::StatusOr<Program> ReadProgramFile(const std::string& path) {
  if (absl::EndsWith(path, ".pb")) return ReadProgramProtoFile(path);
  return ParseProgramFile(path);
}

MachineShape SmallestShape(const Program& program, int feature_size) {
  MachineShape shape;
  shape.num_scalars = 2;
  shape.num_vectors = 1;
  shape.num_matrices = 0;
  shape.feature_size = feature_size;
  auto use = [&shape](OperandKind kind, int address) {
    int* count = kind == OperandKind::S   ? &shape.num_scalars
                 : kind == OperandKind::V ? &shape.num_vectors
                 : kind == OperandKind::M ? &shape.num_matrices
                                          : nullptr;
    // Capped at the register file's size, so that an address beyond it is reported by
    // ValidateProgram with its function and line, not as an impossible register count.
    const int limit = kind == OperandKind::S   ? kMaxScalarRegisters
                      : kind == OperandKind::V ? kMaxVectorRegisters
                                               : kMaxMatrixRegisters;
    if (count != nullptr) *count = std::max(*count, std::min(address + 1, limit));
  };
  for (ComponentFunction f : kAllComponentFunctions) {
    for (const Instruction& ins : program.function(f)) {
      const OpInfo& info = GetOpInfo(ins.op);
      use(info.out, ins.out);
      use(info.in1, ins.in1);
      use(info.in2, ins.in2);
    }
  }
  return shape;
}

}  // namespace automl

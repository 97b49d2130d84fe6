#include "evolution/initialized_input.h"

#include <cstdint>

#include "absl/container/inlined_vector.h"

namespace automl {
namespace {

constexpr ComponentFunction kReaders[2] = {ComponentFunction::kPredict, ComponentFunction::kLearn};

bool Reads(Op op, OperandKind kind) {
  const OpInfo& info = GetOpInfo(op);
  return info.in1 == kind || info.in2 == kind;
}

bool BelowMax(const FunctionSpace& function_space, const std::vector<Instruction>& function) {
  return function_space.mutable_function() &&
         static_cast<int>(function.size()) < function_space.max_size;
}

// The registers of `kind` that no instruction of `program` reads or writes and the executor
// neither sets nor reads (s0, s1, v0).
absl::InlinedVector<int, 8> FreeRegisters(const Program& program, OperandKind kind,
                                          const MachineShape& shape) {
  uint32_t used = 0;
  if (kind == OperandKind::S) {
    used |= (1u << kLabelScalarAddress) | (1u << kPredictionScalarAddress);
  } else if (kind == OperandKind::V) {
    used |= 1u << kFeaturesVectorAddress;
  }
  for (ComponentFunction f : kAllComponentFunctions) {
    for (const Instruction& ins : program.function(f)) {
      const OpInfo& info = GetOpInfo(ins.op);
      if (info.out == kind) used |= 1u << ins.out;
      if (info.in1 == kind) used |= 1u << ins.in1;
      if (info.in2 == kind) used |= 1u << ins.in2;
    }
  }
  absl::InlinedVector<int, 8> free;
  for (int address = 0; address < RegisterCount(kind, shape); ++address) {
    if (!((used >> address) & 1u)) free.push_back(address);
  }
  return free;
}

// The functions among Predict and Learn that can take an instruction reading `kind`.
absl::InlinedVector<ComponentFunction, 2> ReadersOf(const SearchSpace& space,
                                                    const Program& program, OperandKind kind) {
  absl::InlinedVector<ComponentFunction, 2> readers;
  for (ComponentFunction f : kReaders) {
    const FunctionSpace& function_space = space.function(f);
    if (!BelowMax(function_space, program.function(f))) continue;
    for (Op op : function_space.ops) {
      if (Reads(op, kind)) {
        readers.push_back(f);
        break;
      }
    }
  }
  return readers;
}

bool CanLink(const SearchSpace& space, const Program& program, OperandKind kind) {
  return !FreeRegisters(program, kind, space.shape).empty() &&
         !ReadersOf(space, program, kind).empty();
}

// The Setup ops whose output can be linked, in the space's order.
absl::InlinedVector<Op, 16> LinkableSetupOps(const SearchSpace& space, const Program& program) {
  absl::InlinedVector<Op, 16> ops;
  const FunctionSpace& setup = space.function(ComponentFunction::kSetup);
  if (!BelowMax(setup, program.setup)) return ops;
  // Each kind is checked once, not once per op that writes it.
  constexpr OperandKind kKinds[3] = {OperandKind::S, OperandKind::V, OperandKind::M};
  bool linkable[3];
  for (int k = 0; k < 3; ++k) linkable[k] = CanLink(space, program, kKinds[k]);
  for (Op op : setup.ops) {
    const OperandKind out = GetOpInfo(op).out;
    for (int k = 0; k < 3; ++k) {
      if (out == kKinds[k] && linkable[k]) ops.push_back(op);
    }
  }
  return ops;
}

template <typename T>
T PickOne(const T* items, int count, Rng& rng) {
  return items[rng.UniformInt(static_cast<uint32_t>(count))];
}

void InsertAtRandomPosition(std::vector<Instruction>& function, const Instruction& ins, Rng& rng) {
  const uint32_t position = rng.UniformInt(static_cast<uint32_t>(function.size()) + 1);
  function.insert(function.begin() + position, ins);
}

}  // namespace

bool CanInsertInitializedInput(const SearchSpace& space, const Program& program) {
  return !LinkableSetupOps(space, program).empty();
}

bool InsertInitializedInput(const SearchSpace& space, Program& program, Rng& rng) {
  const absl::InlinedVector<Op, 16> setup_ops = LinkableSetupOps(space, program);
  if (setup_ops.empty()) return false;
  const Op setup_op = PickOne(setup_ops.data(), static_cast<int>(setup_ops.size()), rng);
  const OperandKind kind = GetOpInfo(setup_op).out;
  const absl::InlinedVector<int, 8> free = FreeRegisters(program, kind, space.shape);
  const int address = PickOne(free.data(), static_cast<int>(free.size()), rng);

  Instruction init = RandomInstructionForOp(setup_op, space.shape, rng);
  init.out = static_cast<uint8_t>(address);
  const OpDataKind data = GetOpInfo(setup_op).data;
  if (data == OpDataKind::kConstant || data == OpDataKind::kVectorElement ||
      data == OpDataKind::kMatrixElement) {
    init.data0 = RandomScaledConstant(rng);
  }

  const absl::InlinedVector<ComponentFunction, 2> readers = ReadersOf(space, program, kind);
  const ComponentFunction reader = PickOne(readers.data(), static_cast<int>(readers.size()), rng);
  absl::InlinedVector<Op, 16> reading_ops;
  for (Op op : space.function(reader).ops) {
    if (Reads(op, kind)) reading_ops.push_back(op);
  }
  const Op reading_op = PickOne(reading_ops.data(), static_cast<int>(reading_ops.size()), rng);
  Instruction use = RandomInstructionForOp(reading_op, space.shape, rng);
  const OpInfo& info = GetOpInfo(reading_op);
  const bool both_slots = info.in1 == kind && info.in2 == kind;
  if (info.in1 == kind && !(both_slots && rng.Bernoulli(0.5))) {
    use.in1 = static_cast<uint8_t>(address);
  } else {
    use.in2 = static_cast<uint8_t>(address);
  }

  InsertAtRandomPosition(program.setup, init, rng);
  InsertAtRandomPosition(program.function(reader), use, rng);
  return true;
}

}  // namespace automl

#include "evolution/initialized_input.h"

#include <cstdint>

#include "absl/container/inlined_vector.h"

namespace automl {
namespace {

constexpr ComponentFunction kReaders[2] = {ComponentFunction::kPredict, ComponentFunction::kLearn};

// The input slots (bit 0: in1, bit 1: in2) of `op` that can take the new register of `kind`.
// Any reader takes it in any slot of its kind; an in-place update only in a slot whose other
// slot has the op's output kind, so that the instruction can read and write one register.
int NewRegisterSlots(InitializedLink link, Op op, OperandKind kind) {
  const OpInfo& info = GetOpInfo(op);
  if (link == InitializedLink::kAnyReader) {
    return (info.in1 == kind ? 1 : 0) | (info.in2 == kind ? 2 : 0);
  }
  return (info.in1 == kind && info.in2 == info.out ? 1 : 0) |
         (info.in2 == kind && info.in1 == info.out ? 2 : 0);
}

// The registers of `kind` that some instruction of `function` reads or writes, as a bit mask.
uint32_t UsedRegisters(const std::vector<Instruction>& function, OperandKind kind) {
  uint32_t used = 0;
  for (const Instruction& ins : function) {
    const OpInfo& info = GetOpInfo(ins.op);
    if (info.out == kind) used |= 1u << ins.out;
    if (info.in1 == kind) used |= 1u << ins.in1;
    if (info.in2 == kind) used |= 1u << ins.in2;
  }
  return used;
}

// The registers of `kind` that the executor sets and programs never write: s0 and v0.
uint32_t ExecutorInputs(OperandKind kind) {
  if (kind == OperandKind::S) return 1u << kLabelScalarAddress;
  if (kind == OperandKind::V) return 1u << kFeaturesVectorAddress;
  return 0;
}

// The registers of `kind` that an in-place update in `function` may write: those the function
// already reads or writes, except s0 and v0.
uint32_t UpdatableRegisters(const std::vector<Instruction>& function, OperandKind kind) {
  return UsedRegisters(function, kind) & ~ExecutorInputs(kind);
}

// The registers an in-place update in `function` may write, by operand kind (indexed by
// OperandKind): computed once per function rather than once per candidate op.
struct UpdatableByKind {
  UpdatableByKind() = default;
  explicit UpdatableByKind(const std::vector<Instruction>& function)
      : masks{0, UpdatableRegisters(function, OperandKind::S),
              UpdatableRegisters(function, OperandKind::V),
              UpdatableRegisters(function, OperandKind::M)} {}
  uint32_t of(OperandKind kind) const { return masks[static_cast<int>(kind)]; }
  uint32_t masks[4] = {0, 0, 0, 0};
};

// Whether `op` can take the new register of `kind` in a function whose updatable registers are
// `updatable`: an in-place update also needs a register of its output kind to update.
bool Fits(InitializedLink link, Op op, OperandKind kind, const UpdatableByKind& updatable) {
  if (NewRegisterSlots(link, op, kind) == 0) return false;
  return link == InitializedLink::kAnyReader || updatable.of(GetOpInfo(op).out) != 0;
}

absl::InlinedVector<int, 8> AddressesIn(uint32_t mask) {
  absl::InlinedVector<int, 8> addresses;
  for (int address = 0; address < 32; ++address) {
    if ((mask >> address) & 1u) addresses.push_back(address);
  }
  return addresses;
}

bool BelowMax(const FunctionSpace& function_space, const std::vector<Instruction>& function) {
  return function_space.mutable_function() &&
         static_cast<int>(function.size()) < function_space.max_size;
}

// The registers of `kind` that no instruction of `program` reads or writes and the executor
// neither sets nor reads (s0, s1, v0).
absl::InlinedVector<int, 8> FreeRegisters(const Program& program, OperandKind kind,
                                          const MachineShape& shape) {
  uint32_t used = ExecutorInputs(kind);
  if (kind == OperandKind::S) used |= 1u << kPredictionScalarAddress;
  for (ComponentFunction f : kAllComponentFunctions)
    used |= UsedRegisters(program.function(f), kind);
  absl::InlinedVector<int, 8> free;
  for (int address = 0; address < RegisterCount(kind, shape); ++address) {
    if (!((used >> address) & 1u)) free.push_back(address);
  }
  return free;
}

// The ops of function `f` that fit (above), in the space's order.
absl::InlinedVector<Op, 16> FittingOps(InitializedLink link, const SearchSpace& space,
                                       const Program& program, ComponentFunction f,
                                       OperandKind kind) {
  absl::InlinedVector<Op, 16> ops;
  const UpdatableByKind updatable = link == InitializedLink::kInPlaceUpdate
                                        ? UpdatableByKind(program.function(f))
                                        : UpdatableByKind();
  for (Op op : space.function(f).ops) {
    if (Fits(link, op, kind, updatable)) ops.push_back(op);
  }
  return ops;
}

// The functions among Predict and Learn that can take an instruction reading `kind`.
absl::InlinedVector<ComponentFunction, 2> ReadersOf(InitializedLink link, const SearchSpace& space,
                                                    const Program& program, OperandKind kind) {
  absl::InlinedVector<ComponentFunction, 2> readers;
  for (ComponentFunction f : kReaders) {
    if (!BelowMax(space.function(f), program.function(f))) continue;
    if (!FittingOps(link, space, program, f, kind).empty()) readers.push_back(f);
  }
  return readers;
}

bool CanLink(InitializedLink link, const SearchSpace& space, const Program& program,
             OperandKind kind) {
  return !FreeRegisters(program, kind, space.shape).empty() &&
         !ReadersOf(link, space, program, kind).empty();
}

// The Setup ops whose output can be linked, in the space's order.
absl::InlinedVector<Op, 16> LinkableSetupOps(InitializedLink link, const SearchSpace& space,
                                             const Program& program) {
  absl::InlinedVector<Op, 16> ops;
  const FunctionSpace& setup = space.function(ComponentFunction::kSetup);
  if (!BelowMax(setup, program.setup)) return ops;
  // Each kind is checked once, not once per op that writes it.
  constexpr OperandKind kKinds[3] = {OperandKind::S, OperandKind::V, OperandKind::M};
  bool linkable[3];
  for (int k = 0; k < 3; ++k) linkable[k] = CanLink(link, space, program, kKinds[k]);
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

bool CanInsertInitialized(InitializedLink link, const SearchSpace& space, const Program& program) {
  return !LinkableSetupOps(link, space, program).empty();
}

bool InsertInitialized(InitializedLink link, const SearchSpace& space, Program& program, Rng& rng) {
  const absl::InlinedVector<Op, 16> setup_ops = LinkableSetupOps(link, space, program);
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

  const absl::InlinedVector<ComponentFunction, 2> readers = ReadersOf(link, space, program, kind);
  const ComponentFunction reader = PickOne(readers.data(), static_cast<int>(readers.size()), rng);
  const absl::InlinedVector<Op, 16> reading_ops = FittingOps(link, space, program, reader, kind);
  const Op reading_op = PickOne(reading_ops.data(), static_cast<int>(reading_ops.size()), rng);
  Instruction use = RandomInstructionForOp(reading_op, space.shape, rng);
  const int slots = NewRegisterSlots(link, reading_op, kind);
  const bool in1 = slots == 1 || (slots == 3 && !rng.Bernoulli(0.5));
  if (link == InitializedLink::kInPlaceUpdate) {
    const absl::InlinedVector<int, 8> targets =
        AddressesIn(UpdatableRegisters(program.function(reader), GetOpInfo(reading_op).out));
    const int target = PickOne(targets.data(), static_cast<int>(targets.size()), rng);
    use.out = static_cast<uint8_t>(target);
    (in1 ? use.in2 : use.in1) = static_cast<uint8_t>(target);
  }
  (in1 ? use.in1 : use.in2) = static_cast<uint8_t>(address);

  InsertAtRandomPosition(program.setup, init, rng);
  InsertAtRandomPosition(program.function(reader), use, rng);
  return true;
}

}  // namespace automl

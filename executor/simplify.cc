#include "executor/simplify.h"

#include <array>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "absl/base/casts.h"
#include "executor/dead_code.h"
#include "executor/executor.h"
#include "executor/feature_size_dispatch.h"
#include "executor/interpreters.h"
#include "executor/known_memory.h"
#include "instructions/parser.h"
#include "instructions/printer.h"
#include "instructions/status_macros.h"

namespace automl {
namespace {

// --- What the executor never runs ---

// Per function (indexed by ComponentFunction), whether some reduction runs each instruction:
// live, or a dead random op kept for its draws. Predict counts if training or scoring runs it.
std::array<std::vector<bool>, 3> ExecutedInstructions(const Program& program) {
  ProgramLiveness liveness;
  AnalyzeLiveness(program, &liveness);
  auto runs = [](Liveness l) { return l != Liveness::kDead; };
  std::array<std::vector<bool>, 3> executed;
  for (Liveness l : liveness.setup) executed[0].push_back(runs(l));
  for (size_t i = 0; i < liveness.predict.size(); ++i) {
    executed[1].push_back(runs(liveness.predict[i]) || runs(liveness.valid_predict[i]));
  }
  for (Liveness l : liveness.learn) executed[2].push_back(runs(l));
  return executed;
}

// Removes what no reduction runs (NO_OPs among it). Exact: the executor's dead-code
// elimination already leaves it out, bit-identically. True if anything went.
bool RemoveUnexecuted(Program& program) {
  const std::array<std::vector<bool>, 3> executed = ExecutedInstructions(program);
  bool changed = false;
  for (ComponentFunction f : kAllComponentFunctions) {
    std::vector<Instruction>& function = program.function(f);
    const std::vector<bool>& keep = executed[static_cast<int>(f)];
    std::vector<Instruction> kept;
    for (size_t i = 0; i < function.size(); ++i) {
      if (keep[i]) kept.push_back(function[i]);
    }
    changed |= kept.size() != function.size();
    function = std::move(kept);
  }
  return changed;
}

// --- Known values ---

// Runs one non-random instruction with the executor's kernel (the only call of it here), so
// that known values are exactly what execution computes.
template <int F>
void Execute(const Instruction& ins, Memory<F>& memory) {
  Rng unused;  // Random ops never get here: their results are unknown.
  ExecuteInstruction(ins, memory, unused);
}

// True if `ins` prints to text that parses back to it bit for bit: every finite constant and
// the infinities do, but a NaN comes back as the parser's NaN, which may differ.
bool RoundTrips(const Instruction& ins) {
  const absl::StatusOr<Instruction> parsed = ParseInstruction(PrintInstruction(ins));
  if (!parsed.ok()) return false;
  Program original, reparsed;
  original.setup = {ins};
  reparsed.setup = {*parsed};
  return BitwiseEqual(original, reparsed);
}

// The constant set that writes `value` to element `element` of `ins`'s output (a scalar, or
// one element of a vector or matrix, column-major).
Instruction ConstantSet(const Instruction& ins, OperandKind kind, int element, int feature_size,
                        double value) {
  Instruction set;
  set.op = kind == OperandKind::S
               ? Op::SCALAR_CONST_SET
               : (kind == OperandKind::V ? Op::VECTOR_CONST_SET : Op::MATRIX_CONST_SET);
  set.out = ins.out;
  if (kind == OperandKind::V) set.index0 = static_cast<uint8_t>(element);
  if (kind == OperandKind::M) {
    set.index0 = static_cast<uint8_t>(element % feature_size);
    set.index1 = static_cast<uint8_t>(element / feature_size);
  }
  set.data0 = value;
  return set;
}

enum class Rewrite { kKeep, kRemove, kReplace };

// Advances `state` past `ins` and says what may replace it: nothing if it stores what its
// output already holds; `*replacement`, one constant set, if its result is known and differs
// from what the output held in one element only (any scalar result).
template <int F>
Rewrite Step(const Instruction& ins, KnownMemory<F>& state, Instruction* replacement) {
  const OpInfo& info = GetOpInfo(ins.op);
  if (info.out == OperandKind::N) return Rewrite::kKeep;
  if (IsRandomOp(ins.op) || !state.AllKnown(info.in1, ins.in1) ||
      !state.AllKnown(info.in2, ins.in2)) {
    state.Forget(info.out, ins.out);
    return Rewrite::kKeep;
  }
  // The elements written: all, or the one of an element constant set.
  int first = 0;
  int count = KnownMemory<F>::Size(info.out);
  if (info.data == OpDataKind::kVectorElement || info.data == OpDataKind::kMatrixElement) {
    first = ins.index0 + (info.data == OpDataKind::kMatrixElement ? ins.index1 * F : 0);
    count = 1;
  }
  double* values = state.values(info.out, ins.out);
  uint8_t* known = state.known(info.out, ins.out);
  std::array<uint64_t, F * F> before;
  for (int k = first; k < first + count; ++k) before[k] = absl::bit_cast<uint64_t>(values[k]);
  Execute(ins, state.memory());
  int changed = 0;
  int changed_element = 0;
  for (int k = first; k < first + count; ++k) {
    if (known[k] && absl::bit_cast<uint64_t>(values[k]) == before[k]) continue;
    ++changed;
    changed_element = k;
    known[k] = 1;
  }
  if (changed == 0) return Rewrite::kRemove;
  // A constant set already is as simple as it gets; other results need one instruction.
  if (info.data != OpDataKind::kNone || changed != 1) return Rewrite::kKeep;
  *replacement = ConstantSet(ins, info.out, changed_element, F, values[changed_element]);
  return RoundTrips(*replacement) ? Rewrite::kReplace : Rewrite::kKeep;
}

// Runs `function` on `state`. With `rewritten`, also writes the function with the rewrites of
// Step applied, and returns true if any applied. Each rewrite leaves every register as it was
// (a value the register already held, or the same bits by another instruction), so all of
// them hold together.
template <int F>
bool Walk(const std::vector<Instruction>& function, KnownMemory<F>& state,
          std::vector<Instruction>* rewritten) {
  bool changed = false;
  if (rewritten != nullptr) rewritten->clear();
  for (const Instruction& ins : function) {
    Instruction replacement;
    const Rewrite rewrite = Step(ins, state, &replacement);
    changed |= rewrite != Rewrite::kKeep;
    if (rewritten == nullptr || rewrite == Rewrite::kRemove) continue;
    rewritten->push_back(rewrite == Rewrite::kReplace ? replacement : ins);
  }
  return changed;
}

// What the executor does to memory between functions (executor.h): before Predict, s0 = 0 and
// v0 = the features; after it, s1 may go through a sigmoid (classification); before Learn,
// s0 = the label.
template <int F>
void EnterPredict(KnownMemory<F>& state) {
  state.values(OperandKind::S, kLabelScalarAddress)[0] = 0.0;
  state.known(OperandKind::S, kLabelScalarAddress)[0] = 1;
  state.Forget(OperandKind::V, kFeaturesVectorAddress);
}
template <int F>
void LeavePredict(KnownMemory<F>& state) {
  state.Forget(OperandKind::S, kPredictionScalarAddress);
}
template <int F>
void EnterLearn(KnownMemory<F>& state) {
  state.Forget(OperandKind::S, kLabelScalarAddress);
}

// The known values where each function starts.
template <int F>
struct EntryStates {
  std::unique_ptr<KnownMemory<F>> setup;
  std::unique_ptr<KnownMemory<F>> predict;
  std::unique_ptr<KnownMemory<F>> learn;
};

// Setup starts on wiped memory. Predict runs after Setup, after Learn (the next training
// example, or scoring after an epoch) and after Predict (scoring); Learn after Predict. The
// loop is solved by iteration from what Setup leaves: each round can only forget values, so
// it ends, and the values still known then hold in every execution.
template <int F>
EntryStates<F> AnalyzeEntries(const Program& program, const MachineShape& shape) {
  using State = KnownMemory<F>;
  EntryStates<F> entry;
  entry.setup = std::make_unique<State>(shape);
  auto after_setup = std::make_unique<State>(*entry.setup);
  Walk(program.setup, *after_setup, nullptr);
  entry.predict = std::make_unique<State>(*after_setup);
  EnterPredict(*entry.predict);
  entry.learn = std::make_unique<State>(shape);
  auto after_predict = std::make_unique<State>(shape);
  auto after_learn = std::make_unique<State>(shape);
  auto next_predict = std::make_unique<State>(shape);
  while (true) {
    *after_predict = *entry.predict;
    Walk(program.predict, *after_predict, nullptr);
    LeavePredict(*after_predict);
    *entry.learn = *after_predict;
    EnterLearn(*entry.learn);
    *after_learn = *entry.learn;
    Walk(program.learn, *after_learn, nullptr);
    *next_predict = *after_setup;
    next_predict->Join(*after_learn);
    next_predict->Join(*after_predict);
    EnterPredict(*next_predict);
    if (*next_predict == *entry.predict) break;
    std::swap(next_predict, entry.predict);
  }
  return entry;
}

// Folds known results and removes redundant stores; true if anything changed.
template <int F>
bool PropagateConstants(Program& program, const MachineShape& shape) {
  const EntryStates<F> entry = AnalyzeEntries<F>(program, shape);
  const KnownMemory<F>* starts[3] = {entry.setup.get(), entry.predict.get(), entry.learn.get()};
  bool changed = false;
  for (ComponentFunction f : kAllComponentFunctions) {
    auto state = std::make_unique<KnownMemory<F>>(*starts[static_cast<int>(f)]);
    std::vector<Instruction> rewritten;
    if (Walk(program.function(f), *state, &rewritten)) {
      program.function(f) = std::move(rewritten);
      changed = true;
    }
  }
  return changed;
}

// --- Register names ---

constexpr int KindIndex(OperandKind kind) {
  return kind == OperandKind::S ? 0 : (kind == OperandKind::V ? 1 : 2);
}

// Renames registers densely per kind in order of first appearance in the printed program
// (output, then inputs), keeping s0, s1 and v0. The other registers all start at zero and the
// executor never touches them, so permuting them changes nothing.
void RenumberRegisters(Program& program) {
  static_assert(
      kMaxScalarRegisters == kMaxVectorRegisters && kMaxVectorRegisters == kMaxMatrixRegisters,
      "one table size for every kind");
  std::array<std::array<int, kMaxScalarRegisters>, 3> renamed;
  for (auto& kind : renamed) kind.fill(-1);
  renamed[0][kLabelScalarAddress] = kLabelScalarAddress;
  renamed[0][kPredictionScalarAddress] = kPredictionScalarAddress;
  renamed[1][kFeaturesVectorAddress] = kFeaturesVectorAddress;
  int next[3] = {2, 1, 0};
  auto rename = [&](OperandKind kind, uint8_t& address) {
    if (kind == OperandKind::N) return;
    const int k = KindIndex(kind);
    if (renamed[k][address] < 0) renamed[k][address] = next[k]++;
    address = static_cast<uint8_t>(renamed[k][address]);
  };
  for (ComponentFunction f : kAllComponentFunctions) {
    for (Instruction& ins : program.function(f)) {
      const OpInfo& info = GetOpInfo(ins.op);
      rename(info.out, ins.out);
      rename(info.in1, ins.in1);
      rename(info.in2, ins.in2);
    }
  }
}

template <int F>
Program SimplifyFor(Program program, const MachineShape& shape) {
  bool changed = true;
  while (changed) {
    changed = RemoveUnexecuted(program);
    changed |= PropagateConstants<F>(program, shape);
  }
  RenumberRegisters(program);
  return program;
}

}  // namespace

absl::StatusOr<Program> Simplify(const Program& program, const MachineShape& shape) {
  RETURN_IF_ERROR(ValidateMachineShape(shape));
  RETURN_IF_ERROR(CheckFeatureSizeSupported(shape.feature_size));
  RETURN_IF_ERROR(ValidateProgram(program, shape));
  return DispatchFeatureSize(shape.feature_size, [&](auto size) -> absl::StatusOr<Program> {
    return SimplifyFor<decltype(size)::value>(program, shape);
  });
}

int LiveInstructionCount(const Program& program) {
  ProgramLiveness liveness;
  AnalyzeLiveness(program, &liveness);
  return liveness.num_executed_total();
}

}  // namespace automl

#include "executor/dead_code.h"

#include <cstring>

#include "instructions/random.h"

namespace automl {
namespace {

// A set of registers: one bit per address, per kind (at most 32 of each, see instruction.h).
class RegisterSet {
 public:
  static_assert(kMaxScalarRegisters <= 32 && kMaxVectorRegisters <= 32 && kMaxMatrixRegisters <= 32,
                "one 32-bit mask per register kind");

  // Kinds by index: 0 scalar, 1 vector, 2 matrix.
  bool Has(int kind, int address) const { return (bits_[kind] >> address) & 1u; }
  void Add(int kind, int address) { bits_[kind] |= 1u << address; }
  void Remove(int kind, int address) { bits_[kind] &= ~(1u << address); }
  void AddAll(const RegisterSet& other) {
    for (int k = 0; k < 3; ++k) bits_[k] |= other.bits_[k];
  }
  bool operator==(const RegisterSet& other) const {
    return bits_[0] == other.bits_[0] && bits_[1] == other.bits_[1] && bits_[2] == other.bits_[2];
  }

 private:
  uint32_t bits_[3] = {0, 0, 0};
};

constexpr int kScalarKind = 0;
constexpr int kVectorKind = 1;
constexpr int kNoKind = -1;

constexpr int KindIndex(OperandKind kind) {
  return kind == OperandKind::S ? 0
                                : (kind == OperandKind::V ? 1 : (kind == OperandKind::M ? 2 : -1));
}

// The operand kinds of every op, in a table local to this file: the analysis runs a dozen
// backward passes per program, and GetOpInfo is an out-of-line call.
struct OpOperands {
  int8_t out;
  int8_t in1;
  int8_t in2;
  bool partial_write;  // The const-set ops write one element and keep the others.
};
constexpr OpOperands kOpOperands[kNumOps] = {
#define AUTOML_OP_OPERANDS(id, name, out, in1, in2, data, form, doc)                      \
  {KindIndex(OperandKind::out), KindIndex(OperandKind::in1), KindIndex(OperandKind::in2), \
   OpDataKind::data == OpDataKind::kVectorElement ||                                      \
       OpDataKind::data == OpDataKind::kMatrixElement},
    AUTOML_OP_TABLE(AUTOML_OP_OPERANDS)
#undef AUTOML_OP_OPERANDS
};

RegisterSet OnlyPrediction() {
  RegisterSet set;
  set.Add(kScalarKind, kPredictionScalarAddress);
  return set;
}

// Backward liveness through `function`: the registers live before it, given those live after.
// Fills `marks` (kLive / kDead) if given.
RegisterSet LiveBefore(const std::vector<Instruction>& function, RegisterSet live,
                       std::vector<Liveness>* marks) {
  for (int i = static_cast<int>(function.size()) - 1; i >= 0; --i) {
    const Instruction& ins = function[i];
    const OpOperands& op = kOpOperands[static_cast<int>(ins.op)];
    const bool is_live = op.out != kNoKind && live.Has(op.out, ins.out);
    if (marks != nullptr) (*marks)[i] = is_live ? Liveness::kLive : Liveness::kDead;
    if (!is_live) continue;
    // Inputs are read before the output is written, so an instruction may read its output.
    if (!op.partial_write) live.Remove(op.out, ins.out);
    if (op.in1 != kNoKind) live.Add(op.in1, ins.in1);
    if (op.in2 != kNoKind) live.Add(op.in2, ins.in2);
  }
  return live;
}

// What the executor writes before every Predict: whatever was there is not needed.
RegisterSet WithoutPredictInputs(RegisterSet set) {
  set.Remove(kScalarKind, kLabelScalarAddress);
  set.Remove(kVectorKind, kFeaturesVectorAddress);
  return set;
}

bool AnyLiveRandom(const std::vector<Instruction>& function, const std::vector<Liveness>& marks) {
  for (size_t i = 0; i < function.size(); ++i) {
    if (marks[i] == Liveness::kLive && IsRandomOp(function[i].op)) return true;
  }
  return false;
}

// Dead random ops in `function` keep their draws if a live random op may run later.
void MarkSkips(const std::vector<Instruction>& function, bool live_random_follows,
               std::vector<Liveness>& marks) {
  for (int i = static_cast<int>(function.size()) - 1; i >= 0; --i) {
    if (!IsRandomOp(function[i].op)) continue;
    if (marks[i] == Liveness::kLive) {
      live_random_follows = true;
    } else if (live_random_follows) {
      marks[i] = Liveness::kSkipDraws;
    }
  }
}

uint64_t DoubleBits(double x) {
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof(bits));
  return bits;
}

uint64_t InstructionHash(const Instruction& ins, uint64_t seed) {
  uint64_t h = SplitMix64(seed ^ (static_cast<uint64_t>(ins.op) | (uint64_t{ins.in1} << 8) |
                                  (uint64_t{ins.in2} << 16) | (uint64_t{ins.out} << 24) |
                                  (uint64_t{ins.index0} << 32) | (uint64_t{ins.index1} << 40)));
  h = SplitMix64(h ^ DoubleBits(ins.data0));
  return SplitMix64(h ^ DoubleBits(ins.data1));
}

bool BitwiseEqual(const Instruction& a, const Instruction& b) {
  return a.op == b.op && a.in1 == b.in1 && a.in2 == b.in2 && a.out == b.out &&
         a.index0 == b.index0 && a.index1 == b.index1 &&
         DoubleBits(a.data0) == DoubleBits(b.data0) && DoubleBits(a.data1) == DoubleBits(b.data1);
}

}  // namespace

int ProgramLiveness::num_executed(const std::vector<Liveness>& function) const {
  int count = 0;
  for (Liveness l : function) count += l != Liveness::kDead ? 1 : 0;
  return count;
}

int ProgramLiveness::num_executed_total() const {
  int count = num_executed(setup) + num_executed(learn);
  for (size_t i = 0; i < predict.size(); ++i) {
    count += predict[i] != Liveness::kDead || valid_predict[i] != Liveness::kDead ? 1 : 0;
  }
  return count;
}

void AnalyzeLiveness(const Program& program, ProgramLiveness* liveness) {
  liveness->setup.resize(program.setup.size());
  liveness->predict.resize(program.predict.size());
  liveness->valid_predict.resize(program.predict.size());
  liveness->learn.resize(program.learn.size());

  // Scoring reads s1 after each Predict, and each Predict runs on the memory the one before
  // left: a loop too. `after_scoring_predict` is what must be live after a scoring Predict,
  // `scored` what must be live when scoring starts.
  RegisterSet after_scoring_predict = OnlyPrediction();
  RegisterSet scored;
  while (true) {
    scored = WithoutPredictInputs(LiveBefore(program.predict, after_scoring_predict, nullptr));
    RegisterSet next = OnlyPrediction();
    next.AddAll(scored);
    if (next == after_scoring_predict) break;
    after_scoring_predict = next;
  }
  // The training loop: after Learn come the next example's Predict and the scoring. Each pass
  // can only add registers (liveness is monotone), so the loop ends within 96 passes.
  RegisterSet after_learn = scored;
  RegisterSet after_predict;
  RegisterSet before_predict;
  while (true) {
    RegisterSet before_learn = LiveBefore(program.learn, after_learn, nullptr);
    before_learn.Remove(kScalarKind, kLabelScalarAddress);  // The label is written first.
    after_predict = OnlyPrediction();
    after_predict.AddAll(before_learn);
    before_predict = WithoutPredictInputs(LiveBefore(program.predict, after_predict, nullptr));
    RegisterSet next = before_predict;
    next.AddAll(scored);
    if (next == after_learn) break;
    after_learn = next;
  }
  LiveBefore(program.learn, after_learn, &liveness->learn);
  LiveBefore(program.predict, after_predict, &liveness->predict);
  LiveBefore(program.predict, after_scoring_predict, &liveness->valid_predict);
  RegisterSet after_setup = before_predict;
  after_setup.AddAll(scored);
  LiveBefore(program.setup, after_setup, &liveness->setup);

  // Random draws: the loop (training Predict and Learn, and scoring, which starts from a copy
  // of the training RNG) runs after Setup; scoring's draws never reach training.
  const bool loop_draws = AnyLiveRandom(program.predict, liveness->predict) ||
                          AnyLiveRandom(program.learn, liveness->learn) ||
                          AnyLiveRandom(program.predict, liveness->valid_predict);
  MarkSkips(program.predict, loop_draws, liveness->predict);
  MarkSkips(program.learn, loop_draws, liveness->learn);
  MarkSkips(program.predict, AnyLiveRandom(program.predict, liveness->valid_predict),
            liveness->valid_predict);
  MarkSkips(program.setup, loop_draws, liveness->setup);
}

void MarkAllLive(const Program& program, ProgramLiveness* liveness) {
  auto mark = [](const std::vector<Instruction>& function, std::vector<Liveness>& marks) {
    marks.assign(function.size(), Liveness::kLive);
  };
  mark(program.setup, liveness->setup);
  mark(program.predict, liveness->predict);
  mark(program.predict, liveness->valid_predict);
  mark(program.learn, liveness->learn);
}

ProgramKey EffectiveProgramKey(const Program& program, const ProgramLiveness& liveness) {
  constexpr uint64_t kSeeds[2] = {0x243F6A8885A308D3ULL, 0x13198A2E03707344ULL};
  constexpr uint64_t kSkipTag = 0xA4093822299F31D0ULL;
  constexpr uint64_t kBoundary = 0x082EFA98EC4E6C89ULL;
  uint64_t h[2] = {kSeeds[0], kSeeds[1]};
  // The four reductions are exactly what the executor runs.
  const std::vector<Instruction>* functions[4] = {&program.setup, &program.predict, &program.learn,
                                                  &program.predict};
  const std::vector<Liveness>* marks[4] = {&liveness.setup, &liveness.predict, &liveness.learn,
                                           &liveness.valid_predict};
  for (int f = 0; f < 4; ++f) {
    const std::vector<Instruction>& function = *functions[f];
    for (size_t i = 0; i < function.size(); ++i) {
      const Liveness mark = (*marks[f])[i];
      if (mark == Liveness::kDead) continue;
      for (int k = 0; k < 2; ++k) {
        const uint64_t x =
            mark == Liveness::kLive
                ? InstructionHash(function[i], kSeeds[k])
                : SplitMix64(kSeeds[k] ^ kSkipTag ^ static_cast<uint64_t>(function[i].op));
        h[k] = SplitMix64(h[k] ^ x);
      }
    }
    for (int k = 0; k < 2; ++k) h[k] = SplitMix64(h[k] + kBoundary);
  }
  return ProgramKey{h[0], h[1]};
}

bool BitwiseEqual(const Program& a, const Program& b) {
  for (ComponentFunction f : kAllComponentFunctions) {
    const std::vector<Instruction>& x = a.function(f);
    const std::vector<Instruction>& y = b.function(f);
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i) {
      if (!BitwiseEqual(x[i], y[i])) return false;
    }
  }
  return true;
}

}  // namespace automl

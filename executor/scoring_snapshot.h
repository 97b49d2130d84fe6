// What independent predictions (ExecutorOptions::independent_predictions) restore before each
// scored example. Scoring an example changes only the registers the scoring Predict writes and
// s1 (the sigmoid rewrites it), so keeping those before the first example and copying them back
// before each later one gives every example the memory training left, at the cost of a copy of
// those registers rather than of the whole memory.
#ifndef EXECUTOR_SCORING_SNAPSHOT_H_
#define EXECUTOR_SCORING_SNAPSHOT_H_

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "executor/dead_code.h"
#include "executor/decoded_program.h"
#include "executor/memory.h"
#include "instructions/instruction.h"
#include "instructions/ops.h"

namespace automl {

template <int F>
class ScoringSnapshot {
 public:
  ScoringSnapshot() : saved_(std::make_unique<Memory<F>>()), layout_(*saved_) {
    // One span per register at most, so that Collect allocates nothing.
    spans_.reserve(kMaxScalarRegisters + kMaxVectorRegisters + kMaxMatrixRegisters);
  }

  // Which registers scoring writes: the outputs of the live instructions (`marks`) of the
  // scoring Predict, and s1.
  void Collect(const std::vector<Instruction>& predict, const std::vector<Liveness>& marks) {
    spans_.clear();
    spans_.push_back({layout_.Offset(OperandKind::S, kPredictionScalarAddress), 1});
    for (size_t i = 0; i < predict.size(); ++i) {
      if (marks[i] != Liveness::kLive) continue;
      const OperandKind kind = GetOpInfo(predict[i].op).out;
      if (kind == OperandKind::N) continue;
      const RegisterSpan span{layout_.Offset(kind, predict[i].out),
                              static_cast<uint32_t>(MemoryLayout<F>::Size(kind))};
      if (std::find(spans_.begin(), spans_.end(), span) == spans_.end()) spans_.push_back(span);
    }
  }

  // Before the first scored example: keeps what scoring will overwrite.
  void Save(const Memory<F>& mem) {
    CopySpans(reinterpret_cast<const double*>(&mem), reinterpret_cast<double*>(saved_.get()));
  }

  // Before every later scored example: those registers as Save found them.
  void Restore(Memory<F>& mem) const {
    CopySpans(reinterpret_cast<const double*>(saved_.get()), reinterpret_cast<double*>(&mem));
  }

 private:
  // A register as a run of doubles in Memory<F>.
  struct RegisterSpan {
    uint32_t offset = 0;
    uint32_t length = 0;
    bool operator==(const RegisterSpan& other) const {
      return offset == other.offset && length == other.length;
    }
  };

  void CopySpans(const double* from, double* to) const {
    for (const RegisterSpan& span : spans_) {
      std::copy_n(from + span.offset, span.length, to + span.offset);
    }
  }

  std::unique_ptr<Memory<F>> saved_;  // Only the spans' registers are kept; the rest is unused.
  MemoryLayout<F> layout_;            // The same for every Memory<F>.
  std::vector<RegisterSpan> spans_;
};

}  // namespace automl

#endif  // EXECUTOR_SCORING_SNAPSHOT_H_

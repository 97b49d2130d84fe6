// Register memory in which every element is either known (the same value in every execution
// that reaches a point of a program, on every task) or unknown: the state of the constant
// propagation in simplify.cc. Known values live in a real Memory<F>, so that the executor's
// kernel can compute on them.
#ifndef EXECUTOR_KNOWN_MEMORY_H_
#define EXECUTOR_KNOWN_MEMORY_H_

#include <array>
#include <cstdint>

#include "absl/base/casts.h"
#include "executor/decoded_program.h"
#include "executor/memory.h"
#include "instructions/instruction.h"

namespace automl {

template <int F>
class KnownMemory {
 public:
  EIGEN_MAKE_ALIGNED_OPERATOR_NEW

  // Every register of `shape` known to be zero, as after the executor's wipe.
  explicit KnownMemory(const MachineShape& shape) : shape_(shape), layout_(memory_) {
    memory_.Wipe(shape);
    known_.fill(1);
  }
  // Copies only the registers of the shape: the others are never read, and copying all of
  // Memory<F> would dominate the simplifier's time at large F.
  KnownMemory(const KnownMemory& other)
      : shape_(other.shape_), layout_(memory_), known_(other.known_) {
    memory_.CopyFrom(other.memory_, shape_);
  }
  KnownMemory& operator=(const KnownMemory& other) {
    shape_ = other.shape_;
    known_ = other.known_;
    memory_.CopyFrom(other.memory_, shape_);
    return *this;
  }

  static constexpr int Size(OperandKind kind) { return MemoryLayout<F>::Size(kind); }

  Memory<F>& memory() { return memory_; }
  // A register's elements (Eigen's column-major order for matrices) and their known flags.
  double* values(OperandKind kind, int address) {
    return reinterpret_cast<double*>(&memory_) + layout_.Offset(kind, address);
  }
  uint8_t* known(OperandKind kind, int address) {
    return known_.data() + layout_.Offset(kind, address);
  }

  // True if every element is known; true for OperandKind::N (no register).
  bool AllKnown(OperandKind kind, int address) const {
    const uint8_t* flags = known_.data() + layout_.Offset(kind, address);
    for (int k = 0; k < Size(kind); ++k) {
      if (!flags[k]) return false;
    }
    return true;
  }
  void Forget(OperandKind kind, int address) {
    uint8_t* flags = known(kind, address);
    for (int k = 0; k < Size(kind); ++k) flags[k] = 0;
  }

  // Keeps known what `other` knows too, with the same bits.
  void Join(const KnownMemory& other) {
    ForEachElement(
        [&](int e) { known_[e] = known_[e] && other.known_[e] && Bits(e) == other.Bits(e); });
  }

  bool operator==(const KnownMemory& other) const {
    bool equal = true;
    ForEachElement([&](int e) {
      equal = equal && known_[e] == other.known_[e] && (!known_[e] || Bits(e) == other.Bits(e));
    });
    return equal;
  }
  bool operator!=(const KnownMemory& other) const { return !(*this == other); }

 private:
  static constexpr int kNumDoubles = sizeof(Memory<F>) / sizeof(double);

  uint64_t Bits(int element) const {
    return absl::bit_cast<uint64_t>(reinterpret_cast<const double*>(&memory_)[element]);
  }

  // Calls fn(element) for every element of the registers of the shape.
  template <typename Fn>
  void ForEachElement(Fn fn) const {
    const int counts[3] = {shape_.num_scalars, shape_.num_vectors, shape_.num_matrices};
    const OperandKind kinds[3] = {OperandKind::S, OperandKind::V, OperandKind::M};
    for (int k = 0; k < 3; ++k) {
      if (counts[k] == 0) continue;
      const int begin = static_cast<int>(layout_.Offset(kinds[k], 0));
      const int end = begin + counts[k] * Size(kinds[k]);
      for (int e = begin; e < end; ++e) fn(e);
    }
  }

  MachineShape shape_;
  Memory<F> memory_;
  MemoryLayout<F> layout_;
  std::array<uint8_t, kNumDoubles> known_;
};

}  // namespace automl

#endif  // EXECUTOR_KNOWN_MEMORY_H_

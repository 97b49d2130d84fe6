// Register memory of the machine for feature size F: scalars, F-vectors and FxF matrices.
// Sized to the compiled maxima; an experiment uses the first `MachineShape` counts of each.
// Memory persists across examples while a task is trained: that is where weights live.
#ifndef EXECUTOR_MEMORY_H_
#define EXECUTOR_MEMORY_H_

#include <array>

#include "Eigen/Core"
#include "instructions/instruction.h"

namespace automl {

template <int F>
using Vector = Eigen::Matrix<double, F, 1>;
template <int F>
using Matrix = Eigen::Matrix<double, F, F>;

template <int F>
struct Memory {
  EIGEN_MAKE_ALIGNED_OPERATOR_NEW

  std::array<double, kMaxScalarRegisters> scalar;
  std::array<Vector<F>, kMaxVectorRegisters> vector;
  std::array<Matrix<F>, kMaxMatrixRegisters> matrix;

  // Zeroes the registers `shape` uses (the others are never read).
  void Wipe(const MachineShape& shape) {
    for (int i = 0; i < shape.num_scalars; ++i) scalar[i] = 0.0;
    for (int i = 0; i < shape.num_vectors; ++i) vector[i].setZero();
    for (int i = 0; i < shape.num_matrices; ++i) matrix[i].setZero();
  }

  // Copies the registers `shape` uses.
  void CopyFrom(const Memory& other, const MachineShape& shape) {
    for (int i = 0; i < shape.num_scalars; ++i) scalar[i] = other.scalar[i];
    for (int i = 0; i < shape.num_vectors; ++i) vector[i] = other.vector[i];
    for (int i = 0; i < shape.num_matrices; ++i) matrix[i] = other.matrix[i];
  }
};

}  // namespace automl

#endif  // EXECUTOR_MEMORY_H_

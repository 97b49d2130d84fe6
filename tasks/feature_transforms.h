// Feature transforms shared by the task families that build features from real data (csv,
// projected_binary_classification): a Gaussian random projection and standardisation by the
// train split's statistics. What they compute is part of every such task's data, so the
// random draws and the order of every sum are fixed: changing them changes the tasks (and the
// search results recorded for them).
#ifndef TASKS_FEATURE_TRANSFORMS_H_
#define TASKS_FEATURE_TRANSFORMS_H_

#include <cstdint>
#include <vector>

namespace automl {

// The linear map out = P^T x from `num_inputs` values to `num_outputs` features, where P is a
// num_inputs x num_outputs matrix of N(0, 1) values drawn row by row from Rng(seed).
class GaussianProjection {
 public:
  GaussianProjection(int num_inputs, int num_outputs, uint64_t seed);

  int num_inputs() const { return num_inputs_; }
  int num_outputs() const { return num_outputs_; }

  // Writes the num_outputs features of the num_inputs values at `x` to `out`. Each output sums
  // its terms in input order, whatever the vectorisation; zero inputs are skipped, which
  // changes no sum (P is finite). The output sizes the executor compiles (2, 4, ..., 32) keep
  // their accumulators in registers.
  void Project(const uint8_t* x, double* out) const {
    project_bytes_(x, num_inputs_, matrix_.data(), num_outputs_, out);
  }
  void Project(const double* x, double* out) const {
    project_doubles_(x, num_inputs_, matrix_.data(), num_outputs_, out);
  }

 private:
  template <typename T>
  using RowProjector = void (*)(const T* x, int num_inputs, const double* matrix, int num_outputs,
                                double* out);

  int num_inputs_;
  int num_outputs_;
  std::vector<double> matrix_;  // Row-major, num_inputs x num_outputs.
  RowProjector<uint8_t> project_bytes_;
  RowProjector<double> project_doubles_;
};

// The details in which the two families' standardisations have always differed, kept so that
// their tasks stay bit for bit the same. The defaults are the csv family's;
// projected_binary_classification sets all three.
struct StandardizeOptions {
  // A column whose train values are all equal gets that value as its mean, not sum / n
  // (which rounding can move off it), so that it becomes exactly 0.
  bool exact_constant_mean = true;
  // Columns whose train standard deviation is not above this are only centred.
  double min_stddev = 0.0;
  // Sum the squared deviations row by row instead of column by column: the same order of
  // additions, but optimised builds fuse multiply-adds differently (see the .cc).
  bool row_major_variance = false;
};

// Shifts and scales each of the `width` columns of every split (row-major, `width` values per
// row; `splits[0]` is the train split) by the train split's mean and standard deviation
// (population: divided by n), as a learner deployed on new data would have to. Each column's
// sums run over the train rows in order.
void StandardizeColumns(const std::vector<std::vector<double>*>& splits, int width,
                        const StandardizeOptions& options = {});

}  // namespace automl

#endif  // TASKS_FEATURE_TRANSFORMS_H_

// Test-only: small classification tasks with a group column whose classification metrics are
// computed by hand, and a program that predicts their first feature, for the tests of the
// objectives (executor, search evaluator, scoring).
#ifndef TESTS_GROUPED_DATA_H_
#define TESTS_GROUPED_DATA_H_

#include <vector>

#include "executor/dataset.h"
#include "instructions/program.h"

namespace automl {

inline constexpr int kGroupedFeatureSize = 2;

// An example with features (x, 0), a 0/1 label and a group id.
struct GroupedExample {
  double x;
  double label;
  int group;
};

// With predictions x > 0 (FirstFeatureProgram) and sensitive group 1: accuracy 5/8; AUC
// 13.5/16 (one tie, at x = -1); r_adv 1/2, r_sens 1/4 (dppl 1/4, disparate impact 1/2);
// TPR 1/2 in both groups, FPR 1/2 against 0 (equalized odds difference 1/2).
const std::vector<GroupedExample>& GroupedValidExamples();
// Accuracy 3/4; AUC 3.5/4; r_adv 1/2, r_sens 1 (dppl 1/2, disparate impact 1/2); FPR 0
// against 1 (equalized odds difference 1).
const std::vector<GroupedExample>& GroupedTestExamples();

// A classification dataset "grouped" of feature size 2 and 2 epochs: train = the valid
// examples above, then `valid` and `test`.
Dataset GroupedDataset(const std::vector<GroupedExample>& valid,
                       const std::vector<GroupedExample>& test);

// Setup: v1 = (1, 0); Predict: s1 = dot(v0, v1) = x. Nothing learns, so every epoch scores
// the same. Needs 2 scalars and 2 vectors.
Program FirstFeatureProgram();

}  // namespace automl

#endif  // TESTS_GROUPED_DATA_H_

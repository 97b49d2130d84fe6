// Hand-written programs: known-good learners that test the executor end to end,
// serve as baselines in experiments, and seed or pad the evolution's initial
// population. Built directly in C++ so that they depend on nothing but the
// instruction set.
#ifndef INSTRUCTIONS_STANDARD_PROGRAMS_H_
#define INSTRUCTIONS_STANDARD_PROGRAMS_H_

#include "instructions/instruction.h"
#include "instructions/program.h"

namespace automl {

// Linear regression trained by SGD on the squared error, weights in v1,
// learning rate in s3:
//   Setup:   s3 = learning_rate
//   Predict: s1 = dot(v0, v1)
//   Learn:   s2 = s0 - s1;  s2 = s3 * s2;  v2 = s2 * v0;  v1 = v1 + v2
// Weights start at zero (the executor wipes memory before Setup).
Program LinearRegressionSgdProgram(double learning_rate);

// Registers LinearRegressionSgdProgram uses: 4 scalars, 3 vectors, no matrix.
MachineShape MinimumShapeForLinearRegression(int feature_size);

// Logistic regression by SGD: the same instructions as
// LinearRegressionSgdProgram. On a classification task the executor replaces s1
// by sigmoid(s1) before Learn runs, and the gradient of the log loss with
// respect to the logit is (label - sigmoid(logit)), which is exactly what
// Learn's s0 - s1 computes.
Program LogisticRegressionSgdProgram(double learning_rate);

// Registers LogisticRegressionSgdProgram uses (same as the linear one).
MachineShape MinimumShapeForLogisticRegression(int feature_size);

// A network with one hidden layer of F ReLU units (F = feature size) and a
// linear output, trained by SGD on the squared error through both layers. No
// biases. m0: first-layer weights (F x F), v1: output weights, s3: learning
// rate.
//   Setup:
//     s3 = learning_rate
//     m0 = gaussian(0, init_scale)
//     v1 = gaussian(0, init_scale)
//   Predict:
//     v2 = m0 @ v0         pre-activations z
//     v3 = heaviside(v2)   ReLU derivative: 1 where z > 0
//     v4 = v2 * v3         hidden activations h = relu(z)
//     s1 = dot(v4, v1)
//   Learn:
//     s2 = s0 - s1
//     s2 = s3 * s2         learning rate times the error
//     v5 = s2 * v1         backpropagated through the old output weights
//     v5 = v5 * v3         scaled delta of z
//     m1 = outer(v5, v0)
//     m0 = m0 + m1         first-layer step
//     v5 = s2 * v4
//     v1 = v1 + v5         output-layer step
// Learn reads v3 and v4 that Predict left behind: Learn always runs right after
// Predict on the same example. `feature_size` only documents the layer width,
// which the machine's feature size fixes.
Program TwoLayerNetworkProgram(int feature_size, double learning_rate, double init_scale);

// Registers TwoLayerNetworkProgram uses: 4 scalars, 6 vectors, 2 matrices.
MachineShape MinimumShapeForTwoLayerNetwork(int feature_size);

// A program whose functions hold the given numbers of NO_OPs.
Program NoOpProgram(int setup_size, int predict_size, int learn_size);

// `program` with each function padded at its end with NO_OPs up to the given
// size. Functions already at least that long are left unchanged (never
// truncated).
Program PadProgram(Program program, int setup_size, int predict_size, int learn_size);

}  // namespace automl

#endif  // INSTRUCTIONS_STANDARD_PROGRAMS_H_

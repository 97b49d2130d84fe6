// Experiment specs for the tests that run searches (test-only): the tiny search the C++ and
// shell tests share, the linear demo's function space, and a validity check.
#ifndef TESTS_TEST_SPECS_H_
#define TESTS_TEST_SPECS_H_

#include "evolution/experiment_spec.pb.h"

namespace automl {

// tests/testdata/tiny_search.textproto: 2 search, select and final tasks of 10 + 10 examples,
// populations of 20, no stopping limit (tests add what they vary). The test must have the
// file in its data (//tests:test_specs brings it); a missing or bad file aborts the test.
ExperimentSpec TinySearchSpec();

// A function over the six ops of the AutoML-Zero linear demo (constant set, inner product,
// scalar difference and product, scalar x vector, vector sum), `initial_size` long.
FunctionSpec LinearDemoFunction(int initial_size);

// Expects `spec` to pass ValidateExperimentSpec; the failure shows the validator's message.
void ExpectValidSpec(const ExperimentSpec& spec);

}  // namespace automl

#endif  // TESTS_TEST_SPECS_H_

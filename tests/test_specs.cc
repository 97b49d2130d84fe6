#include "tests/test_specs.h"

#include <cstdio>
#include <cstdlib>

#include "absl/status/statusor.h"
#include "evolution/experiment_spec.h"
#include "gtest/gtest.h"

namespace automl {

ExperimentSpec TinySearchSpec() {
  constexpr char kPath[] = "tests/testdata/tiny_search.textproto";
  absl::StatusOr<ExperimentSpec> spec = ReadExperimentSpecFile(kPath);
  if (!spec.ok()) {
    std::fprintf(stderr, "TinySearchSpec: %s\n", spec.status().ToString().c_str());
    std::abort();
  }
  return *spec;
}

FunctionSpec LinearDemoFunction(int initial_size) {
  FunctionSpec function;
  for (const char* op : {"SCALAR_CONST_SET", "VECTOR_INNER_PRODUCT", "SCALAR_DIFF",
                         "SCALAR_PRODUCT", "SCALAR_VECTOR_PRODUCT", "VECTOR_SUM"}) {
    function.add_ops(op);
  }
  function.set_initial_size(initial_size);
  return function;
}

void ExpectValidSpec(const ExperimentSpec& spec) {
  const absl::Status valid = ValidateExperimentSpec(spec);
  EXPECT_TRUE(valid.ok()) << valid;
}

}  // namespace automl

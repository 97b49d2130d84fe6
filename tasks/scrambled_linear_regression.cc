// The scrambled linear regression family: label = w . x with Gaussian features
// and a Gaussian teacher w. A learner must find w from the training examples
// alone, as w changes with the param seed (the AutoML-Zero linear proxy task).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "executor/dataset.h"
#include "instructions/random.h"
#include "tasks/task_family.h"
#include "tasks/task_spec.pb.h"

namespace automl {
namespace {

absl::StatusOr<Dataset> GenerateScrambledLinearRegression(const TaskSpec& spec, uint64_t data_seed,
                                                          uint64_t param_seed) {
  const size_t f = static_cast<size_t>(spec.feature_size());
  Rng param_rng = ParamRng(param_seed);
  std::vector<double> weights(f);
  for (double& w : weights) w = param_rng.Gaussian(0.0, 1.0);

  return GaussianFeaturesWithTeacher(spec, data_seed, [&](const double* x) {
    double label = 0.0;
    for (size_t k = 0; k < f; ++k) label += weights[k] * x[k];
    return label;
  });
}

TaskFamily ScrambledLinearRegressionFamily() {
  TaskFamily family;
  family.family_case = TaskSpec::kScrambledLinearRegression;
  family.default_eval_type = EvalType::kRmsError;
  family.generate = GenerateScrambledLinearRegression;
  return family;
}

AUTOML_REGISTER_TASK_FAMILY(ScrambledLinearRegressionFamily());

}  // namespace
}  // namespace automl

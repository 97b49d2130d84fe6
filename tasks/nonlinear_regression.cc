// The nonlinear regression family: labels from a random teacher 2-layer ReLU
// network, label = a . relu(W x), with Gaussian features. A linear model cannot
// fit it, so it rewards algorithms that learn nonlinear functions (the
// AutoML-Zero nonlinear proxy task).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "executor/dataset.h"
#include "instructions/random.h"
#include "tasks/task_family.h"
#include "tasks/task_spec.pb.h"

namespace automl {
namespace {

// Keeps the teacher's W within the registry's per-task memory bound.
constexpr int64_t kMaxTeacherWeights = int64_t{1} << 24;

int HiddenSize(const TaskSpec& spec) {
  const NonlinearRegressionSpec& nonlinear = spec.nonlinear_regression();
  return nonlinear.has_hidden_size() ? nonlinear.hidden_size() : spec.feature_size();
}

absl::Status ValidateNonlinearRegression(const TaskSpec& spec) {
  const int hidden = HiddenSize(spec);
  if (hidden <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("hidden_size must be positive (got ", hidden, ")"));
  }
  if (int64_t{hidden} * spec.feature_size() > kMaxTeacherWeights) {
    return absl::InvalidArgumentError(
        absl::StrCat("hidden_size x feature_size is ", int64_t{hidden} * spec.feature_size(),
                     " teacher weights, more than the limit of ", kMaxTeacherWeights));
  }
  return absl::OkStatus();
}

absl::StatusOr<Dataset> GenerateNonlinearRegression(const TaskSpec& spec, uint64_t data_seed,
                                                    uint64_t param_seed) {
  const size_t f = static_cast<size_t>(spec.feature_size());
  const size_t hidden = static_cast<size_t>(HiddenSize(spec));
  Rng param_rng = ParamRng(param_seed);
  std::vector<double> w(hidden * f);  // Row-major, hidden x f.
  for (double& value : w) value = param_rng.Gaussian(0.0, 1.0);
  std::vector<double> a(hidden);
  for (double& value : a) value = param_rng.Gaussian(0.0, 1.0);

  return GaussianFeaturesWithTeacher(spec, data_seed, [&](const double* x) {
    double label = 0.0;
    for (size_t j = 0; j < hidden; ++j) {
      double pre_activation = 0.0;
      for (size_t k = 0; k < f; ++k) pre_activation += w[j * f + k] * x[k];
      label += a[j] * std::max(pre_activation, 0.0);
    }
    return label;
  });
}

TaskFamily NonlinearRegressionFamily() {
  TaskFamily family;
  family.family_case = TaskSpec::kNonlinearRegression;
  family.default_eval_type = EvalType::kRmsError;
  family.validate = ValidateNonlinearRegression;
  family.generate = GenerateNonlinearRegression;
  return family;
}

AUTOML_REGISTER_TASK_FAMILY(NonlinearRegressionFamily());

}  // namespace
}  // namespace automl

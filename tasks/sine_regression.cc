// The sine regression family: label = A sin(w . x + phase) with Gaussian features and a teacher
// (A, phase, w) drawn from the param seed. A small nonlinear proxy task whose learner must
// find a direction, a phase and an amplitude; it is also the worked example of README.md's
// "Adding a proxy task", so it shows every part a family has: a validator for its own fields,
// a generator, and the registration.
#include <cmath>
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

constexpr double kTwoPi = 6.283185307179586;

absl::Status ValidateSineRegression(const TaskSpec& spec) {
  const SineRegressionSpec& sine = spec.sine_regression();
  // !(x > 0) also rejects NaN, which a text spec can spell as "nan".
  if (!(sine.min_amplitude() > 0.0) || !std::isfinite(sine.min_amplitude())) {
    return absl::InvalidArgumentError(
        absl::StrCat("min_amplitude must be positive and finite (got ", sine.min_amplitude(), ")"));
  }
  if (!(sine.max_amplitude() >= sine.min_amplitude()) || !std::isfinite(sine.max_amplitude())) {
    return absl::InvalidArgumentError(absl::StrCat("max_amplitude (", sine.max_amplitude(),
                                                   ") must be finite and at least min_amplitude (",
                                                   sine.min_amplitude(), ")"));
  }
  if (!(sine.frequency_scale() > 0.0) || !std::isfinite(sine.frequency_scale())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "frequency_scale must be positive and finite (got ", sine.frequency_scale(), ")"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Dataset> GenerateSineRegression(const TaskSpec& spec, uint64_t data_seed,
                                               uint64_t param_seed) {
  const SineRegressionSpec& sine = spec.sine_regression();
  const size_t f = static_cast<size_t>(spec.feature_size());
  // The draw order is documented in task_spec.proto: changing it changes every task.
  Rng param_rng = ParamRng(param_seed);
  const double amplitude = param_rng.Uniform(sine.min_amplitude(), sine.max_amplitude());
  const double phase = param_rng.Uniform(0.0, kTwoPi);
  const double w_stddev = sine.frequency_scale() / std::sqrt(static_cast<double>(f));
  std::vector<double> w(f);
  for (double& value : w) value = param_rng.Gaussian(0.0, w_stddev);

  return GaussianFeaturesWithTeacher(spec, data_seed, [&](const double* x) {
    double argument = phase;
    for (size_t k = 0; k < f; ++k) argument += w[k] * x[k];
    return amplitude * std::sin(argument);
  });
}

TaskFamily SineRegressionFamily() {
  TaskFamily family;
  family.family_case = TaskSpec::kSineRegression;
  family.default_eval_type = EvalType::kRmsError;
  family.validate = ValidateSineRegression;
  family.generate = GenerateSineRegression;
  return family;
}

AUTOML_REGISTER_TASK_FAMILY(SineRegressionFamily());

}  // namespace
}  // namespace automl

// The biased credit family: a credit-style approve / deny decision with a sensitive group,
// proxy features that reveal the group, and train / valid labels biased against the group
// while the test labels stay unbiased (the generator is documented on BiasedCreditSpec in
// tasks/task_spec.proto). A task for fairness objectives: the true approval rate is equal in
// both groups, so a learner that fits the biased labels, e.g. through the proxies, shows a
// demographic parity gap on valid and pays for it in test accuracy.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "executor/dataset.h"
#include "instructions/random.h"
#include "instructions/status_macros.h"
#include "tasks/task_family.h"
#include "tasks/task_spec.pb.h"

namespace automl {
namespace {

constexpr int kAdvantagedGroup = 0;
constexpr int kSensitiveGroup = 1;

// `low_open` / `high_open` exclude the bound. !(a && b) style checks also reject NaN, which a
// text spec can spell as "nan".
absl::Status CheckInRange(double value, double low, bool low_open, double high, bool high_open,
                          const char* field) {
  const bool above = low_open ? value > low : value >= low;
  const bool below = high_open ? value < high : value <= high;
  if (above && below) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(field, " must be in ", low_open ? "(" : "[", low,
                                                 ", ", high, high_open ? ")" : "]", " (got ", value,
                                                 ")"));
}

absl::Status ValidateBiasedCredit(const TaskSpec& spec) {
  const BiasedCreditSpec& credit = spec.biased_credit();
  RETURN_IF_ERROR(CheckInRange(credit.sensitive_fraction(), 0.0, /*low_open=*/true, 1.0,
                               /*high_open=*/true, "sensitive_fraction"));
  if (credit.num_proxy_features() < 0 || credit.num_proxy_features() >= spec.feature_size()) {
    // At least one merit feature: the teacher needs something to decide on.
    return absl::InvalidArgumentError(absl::StrCat(
        "num_proxy_features must be in [0, feature_size) = [0, ", spec.feature_size(), ") (got ",
        credit.num_proxy_features(), "); at least one feature must carry merit"));
  }
  if (!(credit.proxy_strength() >= 0.0) || !std::isfinite(credit.proxy_strength())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "proxy_strength must be finite and not negative (got ", credit.proxy_strength(), ")"));
  }
  RETURN_IF_ERROR(CheckInRange(credit.label_bias(), 0.0, /*low_open=*/false, 1.0,
                               /*high_open=*/false, "label_bias"));
  // Beyond 0.5 the noise would make the labels the inverse teacher's, less noisy.
  return CheckInRange(credit.label_noise(), 0.0, /*low_open=*/false, 0.5, /*high_open=*/false,
                      "label_noise");
}

// Draws one split in the order documented on BiasedCreditSpec. `w` is the merit teacher.
void GenerateSplit(const TaskSpec& spec, const std::vector<double>& w, uint64_t data_seed,
                   SplitKind kind, DataSplit& split) {
  const BiasedCreditSpec& credit = spec.biased_credit();
  const size_t f = static_cast<size_t>(spec.feature_size());
  const size_t num_merit = w.size();
  const size_t n = static_cast<size_t>(NumExamples(spec, kind));
  const bool biased = kind != SplitKind::kTest;
  Rng rng = DataRng(data_seed, kind);
  split.features.resize(n * f);
  split.labels.resize(n);
  split.groups.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const bool sensitive = rng.UniformDouble() < credit.sensitive_fraction();
    double* x = &split.features[i * f];
    for (size_t k = 0; k < f; ++k) x[k] = rng.Gaussian(0.0, 1.0);
    const double group_signal = sensitive ? credit.proxy_strength() : 0.0;
    for (size_t k = num_merit; k < f; ++k) x[k] += group_signal;
    double merit = 0.0;
    for (size_t k = 0; k < num_merit; ++k) merit += w[k] * x[k];
    bool label = merit > 0.0;
    const double noise_draw = rng.UniformDouble();
    const double bias_draw = rng.UniformDouble();
    if (noise_draw < credit.label_noise()) label = !label;
    if (biased && sensitive && label && bias_draw < credit.label_bias()) label = false;
    split.labels[i] = label ? 1.0 : 0.0;
    split.groups[i] = sensitive ? kSensitiveGroup : kAdvantagedGroup;
  }
}

// A split with one group only would make every per-group rate of a fairness objective
// undefined (0 / 0); refuse it here rather than let a NaN appear in a search.
absl::Status CheckBothGroups(const TaskSpec& spec, const DataSplit& split, SplitKind kind) {
  if (split.size() == 0) return absl::OkStatus();  // Only test may be empty.
  int num_sensitive = 0;
  for (int group : split.groups) num_sensitive += group == kSensitiveGroup ? 1 : 0;
  if (num_sensitive > 0 && num_sensitive < split.size()) return absl::OkStatus();
  const int missing = num_sensitive == 0 ? kSensitiveGroup : kAdvantagedGroup;
  return absl::InvalidArgumentError(absl::StrCat(
      SplitName(kind), " split has no example of group ", missing,
      missing == kSensitiveGroup ? " (sensitive)" : " (advantaged)", " among its ", split.size(),
      " examples (sensitive_fraction ", spec.biased_credit().sensitive_fraction(),
      "); use more examples or a sensitive_fraction nearer 0.5"));
}

absl::StatusOr<Dataset> GenerateBiasedCredit(const TaskSpec& spec, uint64_t data_seed,
                                             uint64_t param_seed) {
  const int num_merit = spec.feature_size() - spec.biased_credit().num_proxy_features();
  Rng param_rng = ParamRng(param_seed);
  std::vector<double> w(static_cast<size_t>(num_merit));
  for (double& value : w) value = param_rng.Gaussian(0.0, 1.0);

  Dataset dataset;
  for (SplitKind kind : kAllSplitKinds) {
    DataSplit& split = GetSplit(dataset, kind);
    GenerateSplit(spec, w, data_seed, kind, split);
    RETURN_IF_ERROR(CheckBothGroups(spec, split, kind));
  }
  return dataset;
}

TaskFamily BiasedCreditFamily() {
  TaskFamily family;
  family.family_case = TaskSpec::kBiasedCredit;
  family.default_eval_type = EvalType::kAccuracy;
  family.validate = ValidateBiasedCredit;
  family.generate = GenerateBiasedCredit;
  return family;
}

AUTOML_REGISTER_TASK_FAMILY(BiasedCreditFamily());

}  // namespace
}  // namespace automl

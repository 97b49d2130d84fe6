// The unit_test family: tiny datasets with exactly known values (zeros, ones,
// counting up, or given explicitly), so tests of the executor and the search
// can predict every number.
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "executor/dataset.h"
#include "google/protobuf/repeated_field.h"
#include "tasks/task_family.h"
#include "tasks/task_spec.pb.h"

namespace automl {
namespace {

using ExplicitData = UnitTestTaskSpec::ExplicitData;
using Values = google::protobuf::RepeatedField<double>;

const Values& ExplicitFeatures(const ExplicitData& data, SplitKind split) {
  return split == SplitKind::kTrain   ? data.train_features()
         : split == SplitKind::kValid ? data.valid_features()
                                      : data.test_features();
}

const Values& ExplicitLabels(const ExplicitData& data, SplitKind split) {
  return split == SplitKind::kTrain   ? data.train_labels()
         : split == SplitKind::kValid ? data.valid_labels()
                                      : data.test_labels();
}

absl::Status ValidateUnitTest(const TaskSpec& spec) {
  const UnitTestTaskSpec& unit_test = spec.unit_test();
  switch (unit_test.pattern_case()) {
    case UnitTestTaskSpec::PATTERN_NOT_SET:
      return absl::InvalidArgumentError(
          "pattern is not set (set one of all_zeros, all_ones, incrementing, "
          "explicit_data)");
    case UnitTestTaskSpec::kAllZeros:
    case UnitTestTaskSpec::kAllOnes:
      return absl::OkStatus();
    case UnitTestTaskSpec::kIncrementing:
      if (!std::isfinite(unit_test.incrementing().increment())) {
        return absl::InvalidArgumentError(
            absl::StrCat("incrementing.increment must be finite (got ",
                         unit_test.incrementing().increment(), ")"));
      }
      return absl::OkStatus();
    case UnitTestTaskSpec::kExplicitData:
      for (SplitKind split : kAllSplitKinds) {
        const int n = NumExamples(spec, split);
        const int64_t num_features = int64_t{n} * spec.feature_size();
        const ExplicitData& data = unit_test.explicit_data();
        if (ExplicitLabels(data, split).size() != n) {
          return absl::InvalidArgumentError(
              absl::StrCat("explicit_data.", SplitName(split), "_labels has ",
                           ExplicitLabels(data, split).size(), " values for num_", SplitName(split),
                           "_examples ", n));
        }
        if (ExplicitFeatures(data, split).size() != num_features) {
          return absl::InvalidArgumentError(absl::StrCat(
              "explicit_data.", SplitName(split), "_features has ",
              ExplicitFeatures(data, split).size(), " values for ", n, " examples of feature_size ",
              spec.feature_size(), " (", num_features, ")"));
        }
      }
      return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat("pattern has unknown case ", static_cast<int>(unit_test.pattern_case())));
}

absl::StatusOr<Dataset> GenerateUnitTest(const TaskSpec& spec, uint64_t /*data_seed*/,
                                         uint64_t /*param_seed*/) {
  const UnitTestTaskSpec& unit_test = spec.unit_test();
  const size_t f = static_cast<size_t>(spec.feature_size());
  Dataset dataset;
  for (SplitKind kind : kAllSplitKinds) {
    DataSplit& split = GetSplit(dataset, kind);
    const size_t n = static_cast<size_t>(NumExamples(spec, kind));
    switch (unit_test.pattern_case()) {
      case UnitTestTaskSpec::kAllZeros:
        split.features.assign(n * f, 0.0);
        split.labels.assign(n, 0.0);
        break;
      case UnitTestTaskSpec::kAllOnes:
        split.features.assign(n * f, 1.0);
        split.labels.assign(n, 1.0);
        break;
      case UnitTestTaskSpec::kIncrementing: {
        const double increment = unit_test.incrementing().increment();
        split.features.resize(n * f);
        split.labels.resize(n);
        for (size_t v = 0; v < n * f; ++v) split.features[v] = static_cast<double>(v) * increment;
        for (size_t i = 0; i < n; ++i) split.labels[i] = static_cast<double>(i) * increment;
        break;
      }
      case UnitTestTaskSpec::kExplicitData: {
        const ExplicitData& data = unit_test.explicit_data();
        split.features.assign(ExplicitFeatures(data, kind).begin(),
                              ExplicitFeatures(data, kind).end());
        split.labels.assign(ExplicitLabels(data, kind).begin(), ExplicitLabels(data, kind).end());
        break;
      }
      case UnitTestTaskSpec::PATTERN_NOT_SET:
        return absl::InvalidArgumentError("unit_test.pattern is not set");
    }
  }
  return dataset;
}

TaskFamily UnitTestFamily() {
  TaskFamily family;
  family.family_case = TaskSpec::kUnitTest;
  family.default_eval_type = EvalType::kRmsError;
  // Zeros, ones and explicit 0/1 labels make valid classification tasks; other
  // labels are caught by ValidateDataset after generation.
  family.other_eval_types = {EvalType::kAccuracy};
  family.validate = ValidateUnitTest;
  family.generate = GenerateUnitTest;
  return family;
}

AUTOML_REGISTER_TASK_FAMILY(UnitTestFamily());

}  // namespace
}  // namespace automl

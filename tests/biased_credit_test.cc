// Tests of the biased credit family (tasks/biased_credit.cc): the generator documented on
// BiasedCreditSpec rebuilt draw by draw, the bias confined to the sensitive group's positive
// train / valid labels, an unbiased test split, a merit-only teacher, proxies that reveal the
// group, and the errors for bad fields and for a split missing a group.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "executor/dataset.h"
#include "gtest/gtest.h"
#include "instructions/random.h"
#include "tasks/task_family.h"
#include "tasks/task_registry.h"
#include "tasks/task_spec.pb.h"
#include "tests/generate_task.h"

namespace automl {
namespace {

TaskSpec CreditSpec(int feature_size, int train, int valid, int test) {
  TaskSpec spec;
  spec.set_feature_size(feature_size);
  spec.set_num_train_examples(train);
  spec.set_num_valid_examples(valid);
  spec.set_num_test_examples(test);
  spec.mutable_biased_credit();
  return spec;
}

Dataset Generate(TaskSpec spec, uint64_t data_seed = 1, uint64_t param_seed = 1) {
  spec.clear_data_seeds();
  spec.clear_param_seeds();
  spec.add_data_seeds(data_seed);
  spec.add_param_seeds(param_seed);
  return GenerateOneTask(spec);
}

const DataSplit* Splits(const Dataset& dataset, int i) {
  const DataSplit* splits[] = {&dataset.train, &dataset.valid, &dataset.test};
  return splits[i];
}

// Positive labels / examples of `group` in a split.
double PositiveRate(const DataSplit& split, int group) {
  int positives = 0;
  int members = 0;
  for (int i = 0; i < split.size(); ++i) {
    if (split.groups[i] != group) continue;
    ++members;
    positives += split.labels[i] == 1.0 ? 1 : 0;
  }
  return static_cast<double>(positives) / members;
}

// Mean of feature k over the examples of `group`.
double FeatureMean(const DataSplit& split, int feature_size, int k, int group) {
  double sum = 0.0;
  int members = 0;
  for (int i = 0; i < split.size(); ++i) {
    if (split.groups[i] != group) continue;
    ++members;
    sum += split.features[i * feature_size + k];
  }
  return sum / members;
}

TEST(BiasedCreditTest, FollowsTheDocumentedGenerator) {
  // 5 features, the last 2 proxies; noise and bias both on, so every draw matters.
  TaskSpec spec = CreditSpec(5, 60, 40, 30);
  BiasedCreditSpec& credit = *spec.mutable_biased_credit();
  credit.set_sensitive_fraction(0.4);
  credit.set_proxy_strength(1.5);
  credit.set_label_bias(0.5);
  credit.set_label_noise(0.1);
  const Dataset dataset = Generate(spec, /*data_seed=*/7, /*param_seed=*/11);
  EXPECT_EQ(dataset.eval_type, EvalType::kAccuracy);
  EXPECT_EQ(dataset.name, "biased_credit(data_seed=7, param_seed=11)");

  Rng param_rng = ParamRng(11);
  double w[3];
  for (double& value : w) value = param_rng.Gaussian(0.0, 1.0);
  for (int s = 0; s < 3; ++s) {
    const SplitKind kind = kAllSplitKinds[s];
    const DataSplit& split = *Splits(dataset, s);
    ASSERT_EQ(split.size(), NumExamples(spec, kind));
    ASSERT_EQ(split.groups.size(), static_cast<size_t>(split.size()));
    Rng rng = DataRng(7, kind);
    for (int i = 0; i < split.size(); ++i) {
      const int group = rng.UniformDouble() < 0.4 ? 1 : 0;
      EXPECT_EQ(split.groups[i], group) << SplitName(kind) << " example " << i;
      double x[5];
      for (double& value : x) value = rng.Gaussian(0.0, 1.0);
      x[3] += group == 1 ? 1.5 : 0.0;
      x[4] += group == 1 ? 1.5 : 0.0;
      for (int k = 0; k < 5; ++k) EXPECT_EQ(split.features[5 * i + k], x[k]);
      double label = w[0] * x[0] + w[1] * x[1] + w[2] * x[2] > 0.0 ? 1.0 : 0.0;
      const double noise_draw = rng.UniformDouble();
      const double bias_draw = rng.UniformDouble();
      if (noise_draw < 0.1) label = 1.0 - label;
      if (kind != SplitKind::kTest && group == 1 && label == 1.0 && bias_draw < 0.5) label = 0.0;
      EXPECT_EQ(split.labels[i], label) << SplitName(kind) << " example " << i;
    }
  }
}

TEST(BiasedCreditTest, SameSeedsGiveTheSameTaskAndOtherDataSeedsOthers) {
  const TaskSpec spec = CreditSpec(4, 50, 30, 20);
  const Dataset a = Generate(spec, 3, 4);
  const Dataset b = Generate(spec, 3, 4);
  const Dataset c = Generate(spec, 5, 4);
  for (int s = 0; s < 3; ++s) {
    EXPECT_EQ(Splits(a, s)->features, Splits(b, s)->features);
    EXPECT_EQ(Splits(a, s)->labels, Splits(b, s)->labels);
    EXPECT_EQ(Splits(a, s)->groups, Splits(b, s)->groups);
    EXPECT_NE(Splits(a, s)->features, Splits(c, s)->features);
  }
}

TEST(BiasedCreditTest, GroupFractionFollowsTheSpec) {
  for (double fraction : {0.1, 0.3, 0.5}) {
    TaskSpec spec = CreditSpec(3, 20000, 100, 0);
    spec.mutable_biased_credit()->set_sensitive_fraction(fraction);
    const Dataset dataset = Generate(spec);
    int sensitive = 0;
    for (int group : dataset.train.groups) sensitive += group;
    // The standard error is at most 0.0036: 0.02 is over 5 of them.
    EXPECT_NEAR(sensitive / 20000.0, fraction, 0.02);
  }
}

// Varying label_bias changes only train / valid labels of the sensitive group's positives:
// every draw is made whatever the bias, so groups, features and test labels stay the same.
TEST(BiasedCreditTest, BiasFlipsOnlySensitivePositivesOfTrainAndValid) {
  TaskSpec spec = CreditSpec(4, 4000, 4000, 2000);
  spec.mutable_biased_credit()->set_label_bias(0.0);
  const Dataset unbiased = Generate(spec);
  spec.mutable_biased_credit()->set_label_bias(0.4);
  const Dataset biased = Generate(spec);
  spec.mutable_biased_credit()->set_label_bias(1.0);
  const Dataset fully_biased = Generate(spec);

  for (int s = 0; s < 3; ++s) {
    const DataSplit& truth = *Splits(unbiased, s);
    for (const Dataset* other : {&biased, &fully_biased}) {
      EXPECT_EQ(Splits(*other, s)->features, truth.features);
      EXPECT_EQ(Splits(*other, s)->groups, truth.groups);
    }
  }
  // The test split keeps the true labels.
  EXPECT_EQ(biased.test.labels, unbiased.test.labels);
  EXPECT_EQ(fully_biased.test.labels, unbiased.test.labels);
  EXPECT_GT(PositiveRate(fully_biased.test, 1), 0.4);

  for (int s = 0; s < 2; ++s) {
    const DataSplit& truth = *Splits(unbiased, s);
    const DataSplit& split = *Splits(biased, s);
    int sensitive_positives = 0;
    int flipped = 0;
    for (int i = 0; i < truth.size(); ++i) {
      if (truth.groups[i] == 0 || truth.labels[i] == 0.0) {
        // The advantaged group and every true negative are left alone.
        EXPECT_EQ(split.labels[i], truth.labels[i]);
        continue;
      }
      ++sensitive_positives;
      flipped += split.labels[i] == 0.0 ? 1 : 0;
    }
    ASSERT_GT(sensitive_positives, 500);  // About 4000 * 0.3 * 0.5.
    // Binomial(~600, 0.4): a standard error near 0.02.
    EXPECT_NEAR(static_cast<double>(flipped) / sensitive_positives, 0.4, 0.08);
    // label_bias 1: the sensitive group has no positive labels left.
    EXPECT_EQ(PositiveRate(*Splits(fully_biased, s), 1), 0.0);
    EXPECT_GT(PositiveRate(*Splits(fully_biased, s), 0), 0.4);
  }
}

TEST(BiasedCreditTest, TeacherIgnoresTheGroup) {
  TaskSpec spec = CreditSpec(6, 20000, 100, 20000);
  const Dataset dataset = Generate(spec);
  // True labels: the same approval rate in both groups (standard errors below 0.007).
  EXPECT_NEAR(PositiveRate(dataset.test, 0), PositiveRate(dataset.test, 1), 0.03);
  // Biased labels: the sensitive group's rate drops by the default bias of 0.4.
  EXPECT_NEAR(PositiveRate(dataset.train, 1), 0.6 * PositiveRate(dataset.train, 0), 0.03);
  // The param seed draws the teacher alone: another one gives the same examples, other labels.
  const Dataset other_teacher = Generate(spec, 1, 2);
  EXPECT_EQ(other_teacher.test.features, dataset.test.features);
  EXPECT_NE(other_teacher.test.labels, dataset.test.labels);
}

TEST(BiasedCreditTest, ProxiesRevealTheGroupAndMeritDoesNot) {
  TaskSpec spec = CreditSpec(4, 20000, 100, 0);
  spec.mutable_biased_credit()->set_num_proxy_features(1);
  spec.mutable_biased_credit()->set_proxy_strength(2.0);
  const Dataset dataset = Generate(spec);
  for (int k = 0; k < 3; ++k) {
    EXPECT_NEAR(FeatureMean(dataset.train, 4, k, 0), 0.0, 0.05) << "merit feature " << k;
    EXPECT_NEAR(FeatureMean(dataset.train, 4, k, 1), 0.0, 0.05) << "merit feature " << k;
  }
  EXPECT_NEAR(FeatureMean(dataset.train, 4, 3, 0), 0.0, 0.05);
  EXPECT_NEAR(FeatureMean(dataset.train, 4, 3, 1), 2.0, 0.05);
}

TEST(BiasedCreditTest, ValidatesItsFields) {
  struct Case {
    void (*set)(BiasedCreditSpec&);
    std::string message;
  };
  const std::vector<Case> cases = {
      {[](BiasedCreditSpec& c) { c.set_sensitive_fraction(0.0); },
       "biased_credit.sensitive_fraction must be in (0, 1) (got 0)"},
      {[](BiasedCreditSpec& c) { c.set_sensitive_fraction(1.0); },
       "biased_credit.sensitive_fraction must be in (0, 1) (got 1)"},
      {[](BiasedCreditSpec& c) { c.set_sensitive_fraction(NAN); },
       "biased_credit.sensitive_fraction must be in (0, 1) (got nan)"},
      {[](BiasedCreditSpec& c) { c.set_num_proxy_features(-1); },
       "biased_credit.num_proxy_features must be in [0, feature_size) = [0, 4) (got -1); at "
       "least one feature must carry merit"},
      {[](BiasedCreditSpec& c) { c.set_num_proxy_features(4); },
       "biased_credit.num_proxy_features must be in [0, feature_size) = [0, 4) (got 4); at "
       "least one feature must carry merit"},
      {[](BiasedCreditSpec& c) { c.set_proxy_strength(-0.5); },
       "biased_credit.proxy_strength must be finite and not negative (got -0.5)"},
      {[](BiasedCreditSpec& c) { c.set_proxy_strength(INFINITY); },
       "biased_credit.proxy_strength must be finite and not negative (got inf)"},
      {[](BiasedCreditSpec& c) { c.set_label_bias(1.5); },
       "biased_credit.label_bias must be in [0, 1] (got 1.5)"},
      {[](BiasedCreditSpec& c) { c.set_label_bias(-0.1); },
       "biased_credit.label_bias must be in [0, 1] (got -0.1)"},
      {[](BiasedCreditSpec& c) { c.set_label_noise(0.6); },
       "biased_credit.label_noise must be in [0, 0.5] (got 0.6)"},
      {[](BiasedCreditSpec& c) { c.set_label_noise(NAN); },
       "biased_credit.label_noise must be in [0, 0.5] (got nan)"},
  };
  for (const Case& c : cases) {
    TaskSpec spec = CreditSpec(4, 10, 10, 0);
    c.set(*spec.mutable_biased_credit());
    EXPECT_EQ(ValidateTaskSpec(spec).message(), c.message);
  }
  // The bounds themselves are fine.
  TaskSpec spec = CreditSpec(4, 10, 10, 0);
  spec.mutable_biased_credit()->set_num_proxy_features(3);
  spec.mutable_biased_credit()->set_label_bias(1.0);
  spec.mutable_biased_credit()->set_label_noise(0.5);
  spec.mutable_biased_credit()->set_proxy_strength(0.0);
  EXPECT_TRUE(ValidateTaskSpec(spec).ok()) << ValidateTaskSpec(spec);
}

TEST(BiasedCreditTest, RejectsRegression) {
  TaskSpec spec = CreditSpec(4, 10, 10, 0);
  spec.set_eval_type(RMS_ERROR);
  EXPECT_EQ(ValidateTaskSpec(spec).message(),
            "eval_type RMS_ERROR is not supported by task family biased_credit (it supports "
            "ACCURACY)");
  spec.set_eval_type(ACCURACY);
  EXPECT_TRUE(ValidateTaskSpec(spec).ok());
}

TEST(BiasedCreditTest, SplitWithOneGroupIsAnError) {
  // A sensitive fraction of 0.001 puts no one of 10 train examples in group 1 (for this
  // seed: the test checks the draws).
  TaskSpec spec = CreditSpec(4, 10, 10, 0);
  spec.mutable_biased_credit()->set_sensitive_fraction(0.001);
  Rng rng = DataRng(1, SplitKind::kTrain);
  for (int i = 0; i < 10; ++i) {
    ASSERT_GE(rng.UniformDouble(), 0.001);
    for (int k = 0; k < 4; ++k) rng.Gaussian(0.0, 1.0);
    rng.UniformDouble();
    rng.UniformDouble();
  }
  EXPECT_EQ(GenerateTaskError(spec),
            "biased_credit(data_seed=1, param_seed=1): train split has no example of group 1 "
            "(sensitive) among its 10 examples (sensitive_fraction 0.001); use more examples or "
            "a sensitive_fraction nearer 0.5");

  // The other way round, in the valid split.
  spec.mutable_biased_credit()->set_sensitive_fraction(0.999);
  spec.set_num_train_examples(1000);
  EXPECT_EQ(GenerateTaskError(spec),
            "biased_credit(data_seed=1, param_seed=1): valid split has no example of group 0 "
            "(advantaged) among its 10 examples (sensitive_fraction 0.999); use more examples or "
            "a sensitive_fraction nearer 0.5");

  // A one-example test split always misses a group; an empty one is fine.
  spec = CreditSpec(4, 200, 200, 1);
  const int test_group = DataRng(1, SplitKind::kTest).UniformDouble() < 0.3 ? 1 : 0;
  EXPECT_EQ(GenerateTaskError(spec),
            absl::StrCat("biased_credit(data_seed=1, param_seed=1): test split has no example of "
                         "group ",
                         1 - test_group, test_group == 1 ? " (advantaged)" : " (sensitive)",
                         " among its 1 examples (sensitive_fraction 0.3); use more examples or a "
                         "sensitive_fraction nearer 0.5"));
  spec.set_num_test_examples(0);
  EXPECT_EQ(GenerateTaskError(spec), "OK");
}

}  // namespace
}  // namespace automl

// The classification metrics (executor/classification_metrics.h) against hand computations:
// AUC with ties and with one class, the fairness metrics with a group that predicts no
// positive, groups without positive or negative labels, and the worst values.
#include "executor/classification_metrics.h"

#include <cstdint>
#include <vector>

#include "gtest/gtest.h"

namespace automl {
namespace {

MetricsRequest All() {
  MetricsRequest request;
  request.auc = true;
  request.fairness = true;
  request.sensitive_group = 1;
  return request;
}

TEST(RocAucTest, CountsTiesAsHalf) {
  std::vector<uint32_t> order;
  // Positives 0.9, 0.6, 0.3; negatives 0.6, 0.1. Pairs won: 0.9 beats both (2), 0.6 ties 0.6
  // (0.5) and beats 0.1 (1), 0.3 beats 0.1 (1): 4.5 of 6.
  EXPECT_DOUBLE_EQ(RocAuc({0.6, 0.9, 0.1, 0.3, 0.6}, {0, 1, 0, 1, 1}, order), 4.5 / 6);
  // Perfectly separated either way.
  EXPECT_EQ(RocAuc({0.1, 0.2, 0.8, 0.9}, {0, 0, 1, 1}, order), 1.0);
  EXPECT_EQ(RocAuc({0.1, 0.2, 0.8, 0.9}, {1, 1, 0, 0}, order), 0.0);
  // Every score equal: every pair a tie.
  EXPECT_EQ(RocAuc({0.5, 0.5, 0.5}, {0, 1, 1}, order), 0.5);
}

TEST(RocAucTest, IsOneHalfWithOneClass) {
  std::vector<uint32_t> order;
  EXPECT_EQ(RocAuc({0.1, 0.9}, {1, 1}, order), 0.5);
  EXPECT_EQ(RocAuc({0.1, 0.9}, {0, 0}, order), 0.5);
  EXPECT_EQ(RocAuc({}, {}, order), 0.5);
}

TEST(FairnessTest, HandComputedRates) {
  std::vector<uint32_t> order;
  // Advantaged (group 0): predictions 1, 0, 1, 0 for labels 1, 1, 0, 0.
  // Sensitive (group 1): predictions 1, 0, 0, 0 for labels 1, 1, 0, 0.
  const std::vector<double> outputs = {0.9, 0.2, 0.7, 0.1, 0.8, 0.4, 0.3, 0.5};
  const std::vector<double> labels = {1, 1, 0, 0, 1, 1, 0, 0};
  const std::vector<int> groups = {0, 0, 0, 0, 1, 1, 1, 1};
  const ClassificationMetrics m =
      ComputeClassificationMetrics(All(), outputs, labels, groups, order);
  EXPECT_DOUBLE_EQ(m.dppl, 0.25);  // r_adv 2/4, r_sens 1/4 (0.5 is not above 0.5).
  // TPR 1/2 in both; FPR 1/2 against 0.
  EXPECT_DOUBLE_EQ(m.equalized_odds_difference, 0.5);
  EXPECT_DOUBLE_EQ(m.disparate_impact, 0.5);
  // Positives 0.9, 0.2, 0.8, 0.4 against negatives 0.7, 0.1, 0.3, 0.5: 4 + 1 + 4 + 2 = 11.
  EXPECT_DOUBLE_EQ(m.auc, 11.0 / 16);
}

TEST(FairnessTest, GroupWithNoPositivePrediction) {
  std::vector<uint32_t> order;
  const ClassificationMetrics m =
      ComputeClassificationMetrics(All(), {0.9, 0.1, 0.2, 0.3}, {1, 0, 1, 0}, {0, 0, 1, 1}, order);
  EXPECT_DOUBLE_EQ(m.dppl, 0.5);
  EXPECT_EQ(m.disparate_impact, 0.0);                  // One rate is 0.
  EXPECT_DOUBLE_EQ(m.equalized_odds_difference, 1.0);  // TPR 1 against 0.

  // Neither group predicts a positive: no disparity.
  const ClassificationMetrics none =
      ComputeClassificationMetrics(All(), {0.1, 0.1, 0.2, 0.3}, {1, 0, 1, 0}, {0, 0, 1, 1}, order);
  EXPECT_EQ(none.dppl, 0.0);
  EXPECT_EQ(none.disparate_impact, 1.0);
  EXPECT_EQ(none.equalized_odds_difference, 0.0);
}

TEST(FairnessTest, RateDifferenceCountsZeroWithoutLabelsOfItsClass) {
  std::vector<uint32_t> order;
  // The sensitive group has no positive label: the TPR difference counts 0, the FPR one is
  // |1/2 - 1|.
  ClassificationMetrics m = ComputeClassificationMetrics(All(), {0.9, 0.9, 0.1, 0.9, 0.9},
                                                         {1, 0, 0, 0, 0}, {0, 0, 0, 1, 1}, order);
  EXPECT_DOUBLE_EQ(m.equalized_odds_difference, 0.5);
  // No negative label in the advantaged group: the FPR difference counts 0, TPR 1 against 0.
  m = ComputeClassificationMetrics(All(), {0.9, 0.9, 0.1, 0.9}, {1, 1, 1, 0}, {0, 0, 1, 1}, order);
  EXPECT_DOUBLE_EQ(m.equalized_odds_difference, 1.0);
}

TEST(FairnessTest, EveryOtherGroupIdIsTheAdvantagedGroup) {
  std::vector<uint32_t> order;
  MetricsRequest request = All();
  request.sensitive_group = 2;
  // Groups 0 and 1 together: rate 2/3; group 2: 0/1.
  const ClassificationMetrics m = ComputeClassificationMetrics(request, {0.9, 0.1, 0.9, 0.1},
                                                               {1, 0, 1, 1}, {0, 1, 1, 2}, order);
  EXPECT_DOUBLE_EQ(m.dppl, 2.0 / 3);
}

TEST(ClassificationMetricsTest, ComputesOnlyWhatIsRequested) {
  std::vector<uint32_t> order;
  MetricsRequest auc_only;
  auc_only.auc = true;
  // No groups needed without fairness.
  const ClassificationMetrics m =
      ComputeClassificationMetrics(auc_only, {0.2, 0.8}, {0, 1}, {}, order);
  EXPECT_EQ(m.auc, 1.0);
  EXPECT_EQ(m.dppl, 0.0);
  EXPECT_EQ(m.disparate_impact, 0.0);

  MetricsRequest fairness_only;
  fairness_only.fairness = true;
  EXPECT_EQ(ComputeClassificationMetrics(fairness_only, {0.2, 0.8}, {0, 1}, {0, 1}, order).auc,
            0.0);
}

TEST(ClassificationMetricsTest, WorstValues) {
  const ClassificationMetrics worst = WorstMetrics(All());
  EXPECT_EQ(worst.auc, 0.0);
  EXPECT_EQ(worst.dppl, 1.0);
  EXPECT_EQ(worst.equalized_odds_difference, 1.0);
  EXPECT_EQ(worst.disparate_impact, 0.0);
  MetricsRequest auc_only;
  auc_only.auc = true;
  EXPECT_EQ(WorstMetrics(auc_only).dppl, 0.0);  // Not requested: stays 0.

  Fitness fitness;
  fitness.quality = 0.5;
  SetMetrics(worst, fitness);
  EXPECT_EQ(fitness.quality, 0.5);
  EXPECT_EQ(fitness.dppl, 1.0);
  EXPECT_EQ(fitness.equalized_odds_difference, 1.0);
}

}  // namespace
}  // namespace automl

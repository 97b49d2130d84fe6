// The classification metrics of one split (docs/objectives.md): ROC AUC of the sigmoid outputs,
// and the fairness metrics between the sensitive group and everyone else (the advantaged
// group). Computed from arrays, so that the executor (which collects the outputs at the best
// epoch) and tests share one definition. The predicted class is 1 iff the sigmoid output is
// above 0.5, as the executor's accuracy counts it.
#ifndef EXECUTOR_CLASSIFICATION_METRICS_H_
#define EXECUTOR_CLASSIFICATION_METRICS_H_

#include <cstdint>
#include <vector>

#include "absl/types/span.h"
#include "executor/fitness.h"

namespace automl {

// Which metrics to compute; the others stay 0.
struct MetricsRequest {
  bool auc = false;
  bool fairness = false;  // dppl, equalized_odds_difference and disparate_impact.
  int sensitive_group = 1;
  bool any() const { return auc || fairness; }
};

struct ClassificationMetrics {
  double auc = 0.0;
  double dppl = 0.0;
  double equalized_odds_difference = 0.0;
  double disparate_impact = 0.0;
};

// The requested metrics at their worst (auc 0, dppl 1, equalized odds difference 1, disparate
// impact 0): the score of a task that completes no epoch, or of a program never run.
ClassificationMetrics WorstMetrics(const MetricsRequest& request);

// ROC AUC: the probability that a random positive example scores above a random negative one,
// ties counting half. 0.5 when the labels are all of one class (no pair to compare).
// `order` is scratch space (reused, so that repeated calls allocate nothing).
double RocAuc(absl::Span<const double> scores, absl::Span<const double> labels,
              std::vector<uint32_t>& order);

// The requested metrics of `outputs` (sigmoid values) against 0/1 `labels`; `groups` (one id
// per example) is read only for the fairness metrics. With r = P(yhat = 1) per group:
// dppl = |r_adv - r_sens|; equalized_odds_difference = max(|TPR_adv - TPR_sens|,
// |FPR_adv - FPR_sens|), where a rate difference counts 0 when either group has no example
// of its label (no positives for TPR, no negatives for FPR); disparate_impact =
// min(r_sens / r_adv, r_adv / r_sens), 1 when both rates are 0, 0 when one of them is. An
// empty group has rate 0 (Executor::Create refuses such splits).
ClassificationMetrics ComputeClassificationMetrics(const MetricsRequest& request,
                                                   absl::Span<const double> outputs,
                                                   absl::Span<const double> labels,
                                                   absl::Span<const int> groups,
                                                   std::vector<uint32_t>& order);

// Copies the metrics into the fitness's fields of the same names.
void SetMetrics(const ClassificationMetrics& metrics, Fitness& fitness);

}  // namespace automl

#endif  // EXECUTOR_CLASSIFICATION_METRICS_H_

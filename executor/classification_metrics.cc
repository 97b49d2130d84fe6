#include "executor/classification_metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace automl {
namespace {

bool PredictedPositive(double output) { return output > 0.5; }
bool Positive(double label) { return label > 0.5; }

double Rate(int count, int total) { return total > 0 ? static_cast<double>(count) / total : 0.0; }

// The confusion counts of one group.
struct GroupCounts {
  int examples = 0;
  int predicted_positive = 0;
  int positives = 0;  // By label.
  int true_positives = 0;
  int negatives = 0;
  int false_positives = 0;

  void Add(bool predicted, bool positive) {
    ++examples;
    predicted_positive += predicted ? 1 : 0;
    if (positive) {
      ++positives;
      true_positives += predicted ? 1 : 0;
    } else {
      ++negatives;
      false_positives += predicted ? 1 : 0;
    }
  }
};

// |rate_a - rate_b| of count/total, 0 when either total is 0 (no example to measure on).
double RateDifference(int count_a, int total_a, int count_b, int total_b) {
  if (total_a == 0 || total_b == 0) return 0.0;
  return std::fabs(Rate(count_a, total_a) - Rate(count_b, total_b));
}

void SetFairness(const GroupCounts& adv, const GroupCounts& sens, ClassificationMetrics& m) {
  const double r_adv = Rate(adv.predicted_positive, adv.examples);
  const double r_sens = Rate(sens.predicted_positive, sens.examples);
  m.dppl = std::fabs(r_adv - r_sens);
  m.equalized_odds_difference = std::max(
      RateDifference(adv.true_positives, adv.positives, sens.true_positives, sens.positives),
      RateDifference(adv.false_positives, adv.negatives, sens.false_positives, sens.negatives));
  if (r_adv == 0.0 && r_sens == 0.0) {
    m.disparate_impact = 1.0;
  } else if (r_adv == 0.0 || r_sens == 0.0) {
    m.disparate_impact = 0.0;
  } else {
    m.disparate_impact = std::min(r_sens / r_adv, r_adv / r_sens);
  }
}

}  // namespace

ClassificationMetrics WorstMetrics(const MetricsRequest& request) {
  ClassificationMetrics worst;
  if (request.fairness) {
    worst.dppl = 1.0;
    worst.equalized_odds_difference = 1.0;
  }
  return worst;  // auc and disparate_impact are worst at 0.
}

double RocAuc(absl::Span<const double> scores, absl::Span<const double> labels,
              std::vector<uint32_t>& order) {
  const int n = static_cast<int>(scores.size());
  order.resize(n);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(),
            [&scores](uint32_t a, uint32_t b) { return scores[a] < scores[b]; });
  // Mann-Whitney: the rank sum of the positives, ties sharing their mean rank.
  double positive_rank_sum = 0.0;
  int positives = 0;
  for (int begin = 0; begin < n;) {
    int end = begin + 1;
    while (end < n && scores[order[end]] == scores[order[begin]]) ++end;
    const double mean_rank = 0.5 * (begin + 1 + end);  // Ranks begin+1 .. end.
    for (int k = begin; k < end; ++k) {
      if (Positive(labels[order[k]])) {
        positive_rank_sum += mean_rank;
        ++positives;
      }
    }
    begin = end;
  }
  const int negatives = n - positives;
  if (positives == 0 || negatives == 0) return 0.5;
  const double p = positives;
  return (positive_rank_sum - p * (p + 1) / 2) / (p * negatives);
}

ClassificationMetrics ComputeClassificationMetrics(const MetricsRequest& request,
                                                   absl::Span<const double> outputs,
                                                   absl::Span<const double> labels,
                                                   absl::Span<const int> groups,
                                                   std::vector<uint32_t>& order) {
  ClassificationMetrics metrics;
  if (request.auc) metrics.auc = RocAuc(outputs, labels, order);
  if (request.fairness) {
    GroupCounts adv;
    GroupCounts sens;
    for (size_t i = 0; i < outputs.size(); ++i) {
      GroupCounts& group = groups[i] == request.sensitive_group ? sens : adv;
      group.Add(PredictedPositive(outputs[i]), Positive(labels[i]));
    }
    SetFairness(adv, sens, metrics);
  }
  return metrics;
}

void SetMetrics(const ClassificationMetrics& metrics, Fitness& fitness) {
  fitness.auc = metrics.auc;
  fitness.dppl = metrics.dppl;
  fitness.equalized_odds_difference = metrics.equalized_odds_difference;
  fitness.disparate_impact = metrics.disparate_impact;
}

}  // namespace automl

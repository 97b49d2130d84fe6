// The fitness of a program: every objective the search can select on (docs/objectives.md).
// Quality is always computed; the classification metrics only when the spec asks for them (the
// executor collects predictions for them); the static ones (costs, size) come from the program's
// live code, not from running it. executor/objectives.h names them and gives their directions.
#ifndef EXECUTOR_FITNESS_H_
#define EXECUTOR_FITNESS_H_

#include <cmath>

namespace automl {

struct Fitness {
  // Validation fitness in [0, 1], combined over tasks (mean or median); higher is better.
  // Regression: 1 - (2/pi) * atan(RMSE); classification: accuracy.
  double quality = 0.0;

  // Classification metrics on the validation split at the best epoch, combined over tasks like
  // quality. Computed only when requested (ExecutorOptions); a task that completes no epoch
  // scores the worst value of each.
  double auc = 0.0;                        // ROC AUC of the sigmoid outputs; ties count half.
  double dppl = 0.0;                       // |P(yhat=1 | advantaged) - P(yhat=1 | sensitive)|.
  double equalized_odds_difference = 0.0;  // max(|TPR difference|, |FPR difference|).
  double disparate_impact = 0.0;           // min(r_s / r_a, r_a / r_s) of positive rates.

  // Static objectives of the code that runs after dead-code elimination.
  double inference_cost = 0.0;  // Cost per example of the live Predict (OpCost units).
  double training_cost = 0.0;   // ...of the live Predict + Learn.
  double size = 0.0;            // Live instructions (all three functions).

  bool operator==(const Fitness& other) const {
    return quality == other.quality && auc == other.auc && dppl == other.dppl &&
           equalized_odds_difference == other.equalized_odds_difference &&
           disparate_impact == other.disparate_impact && inference_cost == other.inference_cost &&
           training_cost == other.training_cost && size == other.size;
  }
  bool operator!=(const Fitness& other) const { return !(*this == other); }
};

// Regression fitness of a root mean squared error.
inline double RmseFitness(double rmse) {
  return 1.0 - (2.0 / 3.14159265358979323846) * std::atan(rmse);
}

// True if `a` is strictly better than `b` by quality alone: the single-objective order, and the
// order of "best program" wherever a spec selects on quality (the default). Multi-objective
// orders are in evolution/selection.h.
inline bool IsBetter(const Fitness& a, const Fitness& b) { return a.quality > b.quality; }

}  // namespace automl

#endif  // EXECUTOR_FITNESS_H_

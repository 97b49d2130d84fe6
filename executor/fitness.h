// The fitness of a program: a small struct rather than a bare double, so that objectives beside
// accuracy (compute cost per example, fairness) can join it without changing every signature.
#ifndef EXECUTOR_FITNESS_H_
#define EXECUTOR_FITNESS_H_

#include <cmath>

namespace automl {

struct Fitness {
  // Validation fitness in [0, 1], combined over tasks (mean or median); higher is better.
  // Regression: 1 - (2/pi) * atan(RMSE); classification: accuracy.
  double quality = 0.0;

  bool operator==(const Fitness& other) const { return quality == other.quality; }
  bool operator!=(const Fitness& other) const { return !(*this == other); }
};

// Regression fitness of a root mean squared error.
inline double RmseFitness(double rmse) {
  return 1.0 - (2.0 / 3.14159265358979323846) * std::atan(rmse);
}

// True if `a` is strictly better than `b` (single objective for now).
inline bool IsBetter(const Fitness& a, const Fitness& b) { return a.quality > b.quality; }

}  // namespace automl

#endif  // EXECUTOR_FITNESS_H_

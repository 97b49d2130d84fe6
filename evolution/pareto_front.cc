#include "evolution/pareto_front.h"

#include <algorithm>
#include <array>
#include <numeric>

#include "evolution/pareto.h"
#include "instructions/check.h"

namespace automl {

std::vector<int> MergeFront(const Selection& selection, const std::vector<Individual>& candidates) {
  const int m = selection.num_pareto();
  const int n = static_cast<int>(candidates.size());
  std::vector<double> points(static_cast<size_t>(n) * m);
  for (int i = 0; i < n; ++i) selection.OrientedPoint(candidates[i].fitness, &points[i * m]);
  std::vector<int> kept;
  for (int i = 0; i < n; ++i) {
    const double* p = &points[i * m];
    bool out = false;
    for (int j = 0; j < n && !out; ++j) {
      const double* q = &points[j * m];
      out = DominatesPoint(q, p, m) || (j < i && std::equal(q, q + m, p));
    }
    if (!out) kept.push_back(i);
  }
  std::stable_sort(kept.begin(), kept.end(),
                   [&](int a, int b) { return points[a * m] > points[b * m]; });
  return kept;
}

Recommendation Recommend(const Selection& selection, const std::vector<Fitness>& fitness) {
  AUTOML_CHECK(!fitness.empty());
  const int n = static_cast<int>(fitness.size());
  Recommendation best;
  if (selection.has_bounds()) {
    for (int i = 0; i < n; ++i) {
      if (!selection.Feasible(fitness[i])) continue;
      if (best.index < 0 || fitness[i].quality > fitness[best.index].quality) best.index = i;
    }
    if (best.index >= 0) {
      best.rule = "best quality within the bounds";
      return best;
    }
  }
  const int m = selection.num_pareto();
  std::vector<double> sums(n, 0.0);
  for (int k = 0; k < m; ++k) {
    const Objective objective = selection.pareto_objective(k);
    double low = OrientedValue(fitness[0], objective), high = low;
    for (const Fitness& f : fitness) {
      low = std::min(low, OrientedValue(f, objective));
      high = std::max(high, OrientedValue(f, objective));
    }
    if (!(high > low)) continue;
    for (int i = 0; i < n; ++i)
      sums[i] += (OrientedValue(fitness[i], objective) - low) / (high - low);
  }
  best.index = static_cast<int>(std::max_element(sums.begin(), sums.end()) - sums.begin());
  best.rule = "knee of the front";
  return best;
}

}  // namespace automl

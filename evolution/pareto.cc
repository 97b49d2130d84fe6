#include "evolution/pareto.h"

#include <algorithm>
#include <limits>

namespace automl {

bool DominatesPoint(const double* a, const double* b, int m) {
  bool strictly = false;
  for (int k = 0; k < m; ++k) {
    if (a[k] < b[k]) return false;
    strictly |= a[k] > b[k];
  }
  return strictly;
}

void NonDominatedRanks(const double* points, int n, int m, int* ranks) {
  std::fill(ranks, ranks + n, -1);
  int assigned = 0;
  for (int level = 0; assigned < n; ++level) {
    // A point joins this front if no point still unranked at the start of the pass dominates
    // it; those joining in this pass were unranked then too, hence `== level`.
    for (int i = 0; i < n; ++i) {
      if (ranks[i] != -1) continue;
      bool dominated = false;
      for (int j = 0; j < n && !dominated; ++j) {
        if (j == i || (ranks[j] != -1 && ranks[j] != level)) continue;
        dominated = DominatesPoint(points + j * m, points + i * m, m);
      }
      if (!dominated) ranks[i] = level;
    }
    for (int i = 0; i < n; ++i) assigned += ranks[i] == level;
  }
}

void FirstFront(const double* points, int n, int m, int* ranks) {
  if (m == 2) {
    // The common case, without branches in the inner loop: a tournament's domination tests
    // are coin flips to the branch predictor, and mispredictions dominated their cost.
    for (int i = 0; i < n; ++i) {
      const double x = points[2 * i], y = points[2 * i + 1];
      bool dominated = false;
      for (int j = 0; j < n; ++j) {
        const double a = points[2 * j], b = points[2 * j + 1];
        dominated |= (a >= x) & (b >= y) & ((a > x) | (b > y));
      }
      ranks[i] = dominated ? -1 : 0;
    }
    return;
  }
  for (int i = 0; i < n; ++i) {
    ranks[i] = 0;
    for (int j = 0; j < n; ++j) {
      if (DominatesPoint(points + j * m, points + i * m, m)) {
        ranks[i] = -1;
        break;
      }
    }
  }
}

void CrowdingDistances(const double* points, int n, int m, const int* ranks, int* order,
                       double* distances) {
  constexpr double kInfinity = std::numeric_limits<double>::infinity();
  std::fill(distances, distances + n, 0.0);
  int max_rank = -1;
  for (int i = 0; i < n; ++i) max_rank = std::max(max_rank, ranks[i]);
  for (int rank = 0; rank <= max_rank; ++rank) {
    int size = 0;
    for (int i = 0; i < n; ++i) {
      if (ranks[i] == rank) order[size++] = i;
    }
    for (int k = 0; k < m; ++k) {
      std::sort(order, order + size, [&](int a, int b) {
        const double x = points[a * m + k];
        const double y = points[b * m + k];
        return x < y || (x == y && a < b);
      });
      const double low = points[order[0] * m + k];
      const double high = points[order[size - 1] * m + k];
      if (!(high > low)) continue;
      distances[order[0]] = kInfinity;
      distances[order[size - 1]] = kInfinity;
      for (int s = 1; s + 1 < size; ++s) {
        distances[order[s]] +=
            (points[order[s + 1] * m + k] - points[order[s - 1] * m + k]) / (high - low);
      }
    }
  }
}

std::vector<int> NonDominatedRanks(const std::vector<double>& points, int m) {
  const int n = static_cast<int>(points.size()) / m;
  std::vector<int> ranks(n);
  NonDominatedRanks(points.data(), n, m, ranks.data());
  return ranks;
}

std::vector<double> CrowdingDistances(const std::vector<double>& points, int m,
                                      const std::vector<int>& ranks) {
  const int n = static_cast<int>(ranks.size());
  std::vector<int> order(n);
  std::vector<double> distances(n);
  CrowdingDistances(points.data(), n, m, ranks.data(), order.data(), distances.data());
  return distances;
}

}  // namespace automl

// NSGA-II's two measures on a set of points in objective space, as pure functions: the
// non-domination rank (0 for the non-dominated points, 1 for those dominated only by rank-0
// points, ...) and the crowding distance within each rank. Points are rows of `m` oriented
// values (higher is better, Selection::OrientedPoint), row-major. The pointer forms allocate
// nothing (the caller gives the scratch), for the tournament's hot path; the vector forms are
// for the archive, reports and tests.
#ifndef EVOLUTION_PARETO_H_
#define EVOLUTION_PARETO_H_

#include <vector>

namespace automl {

// `a` dominates `b`: at least as good in every objective, strictly better in one.
bool DominatesPoint(const double* a, const double* b, int m);

// ranks[i] of each of the n points. Peels fronts: O(fronts * n^2 * m), meant for small n
// (a tournament's contestants, an archive).
void NonDominatedRanks(const double* points, int n, int m, int* ranks);

// The first front alone: ranks[i] = 0 for the non-dominated points, -1 for the others
// (which CrowdingDistances then skips). O(n^2 * m): what a tournament needs, since a rank-0
// contestant beats every other whatever the crowding.
void FirstFront(const double* points, int n, int m, int* ranks);

// distances[i] of each point within its rank (points of other ranks do not count): for each
// objective, the rank's points sorted by value (ties by index) get the gap between their two
// neighbours divided by the rank's range in that objective, summed over objectives; the first
// and last in that order get +infinity. An objective in which the whole rank is equal adds
// nothing to anyone (no point is a boundary there). Duplicates are distinct points: one of two
// equal extremes is the boundary, the other gets a gap of 0 on that side. Points of negative
// rank get 0 and count for nothing. `order` is scratch of n ints.
void CrowdingDistances(const double* points, int n, int m, const int* ranks, int* order,
                       double* distances);

std::vector<int> NonDominatedRanks(const std::vector<double>& points, int m);
std::vector<double> CrowdingDistances(const std::vector<double>& points, int m,
                                      const std::vector<int>& ranks);

}  // namespace automl

#endif  // EVOLUTION_PARETO_H_

// The end of a PARETO run: the islands' archives merged into one front, and the one program
// the run recommends from it (docs/objectives.md, "Selection").
#ifndef EVOLUTION_PARETO_FRONT_H_
#define EVOLUTION_PARETO_FRONT_H_

#include <string>
#include <vector>

#include "evolution/individual.h"
#include "evolution/selection.h"
#include "executor/fitness.h"

namespace automl {

// The indices of the non-dominated members of `candidates` (on the pareto objectives). Of
// members with the same point in objective space the first is kept. Ordered by the first
// pareto objective, best first, ties in the candidates' order, so the front depends only on
// the candidates' order (island order, then each archive's insertion order: the same for any
// thread or process count).
std::vector<int> MergeFront(const Selection& selection, const std::vector<Individual>& candidates);

struct Recommendation {
  int index = -1;
  std::string rule;  // "best quality within the bounds" or "knee of the front".
};

// The recommended member, from each member's fitness (the caller passes T_select's, so that
// the choice never looks at the final tasks): the highest quality among the members within
// every bound of the spec (ties: the first); with no bounds, or none within them, the knee:
// each pareto objective normalized to [0, 1] over the members (oriented, an objective equal
// for all adds nothing), the member with the largest sum, i.e. the farthest from the line (the
// hyperplane) through the extreme points towards the ideal point (ties: the first). `fitness`
// must not be empty.
Recommendation Recommend(const Selection& selection, const std::vector<Fitness>& fitness);

}  // namespace automl

#endif  // EVOLUTION_PARETO_FRONT_H_

// The search space of an experiment in C++ form: which ops each component function may use,
// its size limits, and the machine shape. Built from (and validated with) the ExperimentSpec.
#ifndef EVOLUTION_SEARCH_SPACE_H_
#define EVOLUTION_SEARCH_SPACE_H_

#include <array>
#include <vector>

#include "instructions/program.h"

namespace automl {

struct FunctionSpace {
  std::vector<Op> ops;  // Empty: never mutated.
  int initial_size = 0;
  int min_size = 0;
  int max_size = 0;
  bool mutable_function() const { return !ops.empty(); }
};

struct SearchSpace {
  MachineShape shape;
  std::array<FunctionSpace, 3> functions;  // Indexed by ComponentFunction.

  const FunctionSpace& function(ComponentFunction f) const {
    return functions[static_cast<int>(f)];
  }
  FunctionSpace& function(ComponentFunction f) { return functions[static_cast<int>(f)]; }
};

}  // namespace automl

#endif  // EVOLUTION_SEARCH_SPACE_H_

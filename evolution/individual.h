// A member of a population (and of a Pareto archive): a program and the fitness it was given
// on T_search. Members that are clones share their program.
#ifndef EVOLUTION_INDIVIDUAL_H_
#define EVOLUTION_INDIVIDUAL_H_

#include <memory>

#include "executor/fitness.h"
#include "instructions/program.h"

namespace automl {

struct Individual {
  std::shared_ptr<const Program> program;
  Fitness fitness;
};

}  // namespace automl

#endif  // EVOLUTION_INDIVIDUAL_H_

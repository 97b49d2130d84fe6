#include "executor/static_objectives.h"

#include "instructions/ops.h"

namespace automl {

double FunctionCost(const std::vector<Instruction>& function, int feature_size,
                    const std::vector<Liveness>* marks) {
  double cost = 0.0;
  for (size_t i = 0; i < function.size(); ++i) {
    if (marks == nullptr || (*marks)[i] != Liveness::kDead) {
      cost += OpCost(function[i].op, feature_size);
    }
  }
  return cost;
}

Fitness StaticObjectives(const Program& program, const ProgramLiveness& liveness,
                         int feature_size) {
  Fitness fitness;
  fitness.inference_cost = FunctionCost(program.predict, feature_size, &liveness.valid_predict);
  fitness.training_cost = FunctionCost(program.predict, feature_size, &liveness.predict) +
                          FunctionCost(program.learn, feature_size, &liveness.learn);
  fitness.size = liveness.num_executed_total();
  return fitness;
}

void CopyStaticObjectives(const Fitness& from, Fitness& to) {
  to.inference_cost = from.inference_cost;
  to.training_cost = from.training_cost;
  to.size = from.size;
}

}  // namespace automl

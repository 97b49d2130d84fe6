// The static objectives of a program (docs/objectives.md): its cost per example in the OpCost
// model (instructions/ops.h: 1 per scalar op, F per vector op, F^2 per matrix op, F^3 per
// matrix product) and its size, counted on the code the executor runs after dead-code
// elimination (dead_code.h). Also the cost of all of a function's instructions, which the train
// budget uses.
#ifndef EXECUTOR_STATIC_OBJECTIVES_H_
#define EXECUTOR_STATIC_OBJECTIVES_H_

#include <vector>

#include "executor/dead_code.h"
#include "executor/fitness.h"
#include "instructions/instruction.h"
#include "instructions/program.h"

namespace automl {

// OpCost summed over the instructions of `function` that run: those `marks` does not mark
// dead (a dead random op kept for its draws runs), or all of them when `marks` is null.
double FunctionCost(const std::vector<Instruction>& function, int feature_size,
                    const std::vector<Liveness>* marks = nullptr);

// inference_cost (the scoring Predict), training_cost (the training Predict and Learn) and
// size (ProgramLiveness::num_executed_total) of a program with this liveness; the other
// fields stay 0.
Fitness StaticObjectives(const Program& program, const ProgramLiveness& liveness, int feature_size);

// Copies the static objectives of `from` into `to`, leaving its other fields.
void CopyStaticObjectives(const Fitness& from, Fitness& to);

}  // namespace automl

#endif  // EXECUTOR_STATIC_OBJECTIVES_H_

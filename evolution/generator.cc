#include "evolution/generator.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "instructions/standard_programs.h"
#include "instructions/status_macros.h"

namespace automl {

Instruction RandomInstruction(const SearchSpace& space, ComponentFunction function, Rng& rng) {
  const std::vector<Op>& ops = space.function(function).ops;
  const Op op = ops[rng.UniformInt(static_cast<uint32_t>(ops.size()))];
  return RandomInstructionForOp(op, space.shape, rng);
}

std::vector<Instruction> RandomFunction(const SearchSpace& space, ComponentFunction function,
                                        int size, Rng& rng) {
  std::vector<Instruction> instructions(size);
  if (!space.function(function).mutable_function()) return instructions;
  for (Instruction& ins : instructions) ins = RandomInstruction(space, function, rng);
  return instructions;
}

Program RandomProgram(const SearchSpace& space, Rng& rng) {
  Program program;
  for (ComponentFunction f : kAllComponentFunctions) {
    program.function(f) = RandomFunction(space, f, space.function(f).initial_size, rng);
  }
  return program;
}

Program NoOpProgramForSpace(const SearchSpace& space) {
  Program program;
  for (ComponentFunction f : kAllComponentFunctions) {
    program.function(f).resize(space.function(f).initial_size);
  }
  return program;
}

namespace {

// Learning rates and init scale of the hand-written initial programs: values that train well on
// the demo tasks (F=4..16, standard normal features), see tests/executor_test.cc.
constexpr double kLinearLearningRate = 0.01;
constexpr double kTwoLayerLearningRate = 0.01;
constexpr double kTwoLayerInitScale = 0.1;

absl::StatusOr<Program> PadToSpace(Program program, const SearchSpace& space, const char* what) {
  if (absl::Status s = ValidateProgram(program, space.shape); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("initial_population ", what, " does not fit the registers: ", s.message()));
  }
  for (ComponentFunction f : kAllComponentFunctions) {
    std::vector<Instruction>& instructions = program.function(f);
    const FunctionSpace& function_space = space.function(f);
    if (static_cast<int>(instructions.size()) > function_space.max_size) {
      return absl::InvalidArgumentError(absl::StrCat(
          "initial_population ", what, " needs ", instructions.size(), " instructions in ",
          ComponentFunctionName(f), " but its max_size is ", function_space.max_size));
    }
    if (static_cast<int>(instructions.size()) < function_space.initial_size) {
      instructions.resize(function_space.initial_size);  // Pads with NO_OPs.
    }
  }
  return program;
}

}  // namespace

absl::StatusOr<Program> HandWrittenProgram(InitialPopulationKind kind, int feature_size) {
  switch (kind) {
    case LINEAR_PROGRAM:
      return LinearRegressionSgdProgram(kLinearLearningRate);
    case TWO_LAYER_NETWORK:
      return TwoLayerNetworkProgram(feature_size, kTwoLayerLearningRate, kTwoLayerInitScale);
    default:
      break;
  }
  return absl::InvalidArgumentError(
      absl::StrCat(InitialPopulationKind_Name(kind), " is not a hand-written program"));
}

absl::StatusOr<Program> InitialProgram(InitialPopulationKind kind, const SearchSpace& space,
                                       Rng& rng) {
  switch (kind) {
    case NO_OP_PROGRAMS:
      return NoOpProgramForSpace(space);
    case RANDOM_PROGRAMS:
      return RandomProgram(space, rng);
    case LINEAR_PROGRAM:
    case TWO_LAYER_NETWORK: {
      ASSIGN_OR_RETURN(Program program, HandWrittenProgram(kind, space.shape.feature_size));
      return PadToSpace(std::move(program), space, InitialPopulationKind_Name(kind).c_str());
    }
    case INITIAL_POPULATION_UNSET:
      break;
  }
  return absl::InvalidArgumentError("initial_population is not set");
}

}  // namespace automl

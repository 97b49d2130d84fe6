// A program (an "algorithm" in the paper's words): three instruction lists. Setup runs once per
// task, Predict once per example, Learn once per training example after Predict.
#ifndef INSTRUCTIONS_PROGRAM_H_
#define INSTRUCTIONS_PROGRAM_H_

#include <array>
#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "instructions/instruction.h"

namespace automl {

enum class ComponentFunction : uint8_t { kSetup = 0, kPredict = 1, kLearn = 2 };
inline constexpr std::array<ComponentFunction, 3> kAllComponentFunctions = {
    ComponentFunction::kSetup, ComponentFunction::kPredict, ComponentFunction::kLearn};

// "Setup", "Predict" or "Learn".
const char* ComponentFunctionName(ComponentFunction function);

struct Program {
  std::vector<Instruction> setup;
  std::vector<Instruction> predict;
  std::vector<Instruction> learn;

  std::vector<Instruction>& function(ComponentFunction f) {
    return f == ComponentFunction::kSetup ? setup
                                          : (f == ComponentFunction::kPredict ? predict : learn);
  }
  const std::vector<Instruction>& function(ComponentFunction f) const {
    return f == ComponentFunction::kSetup ? setup
                                          : (f == ComponentFunction::kPredict ? predict : learn);
  }

  bool operator==(const Program& other) const {
    return setup == other.setup && predict == other.predict && learn == other.learn;
  }
  bool operator!=(const Program& other) const { return !(*this == other); }

  // A hash of all instructions, sensitive to order and to the function boundaries.
  uint64_t Hash() const;

  int size() const { return static_cast<int>(setup.size() + predict.size() + learn.size()); }
};

// Checks every instruction against `shape`; the error names the function and line, e.g.
// "Learn line 3: address v7 out of range (3 vector registers)".
absl::Status ValidateProgram(const Program& program, const MachineShape& shape);

}  // namespace automl

#endif  // INSTRUCTIONS_PROGRAM_H_

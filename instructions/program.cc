#include "instructions/program.h"

#include "absl/strings/str_cat.h"

namespace automl {

const char* ComponentFunctionName(ComponentFunction function) {
  switch (function) {
    case ComponentFunction::kSetup:
      return "Setup";
    case ComponentFunction::kPredict:
      return "Predict";
    case ComponentFunction::kLearn:
      return "Learn";
  }
  return "?";
}

uint64_t Program::Hash() const {
  uint64_t h = 0x51ED270B27F3C3A1ULL;
  for (ComponentFunction f : kAllComponentFunctions) {
    for (const Instruction& ins : function(f)) h = SplitMix64(h ^ ins.Hash());
    h = SplitMix64(h + 0x2545F4914F6CDD1DULL);  // Function boundary.
  }
  return h;
}

absl::Status ValidateProgram(const Program& program, const MachineShape& shape) {
  for (ComponentFunction f : kAllComponentFunctions) {
    const std::vector<Instruction>& instructions = program.function(f);
    for (size_t i = 0; i < instructions.size(); ++i) {
      absl::Status status = ValidateInstruction(instructions[i], shape);
      if (!status.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat(ComponentFunctionName(f), " line ", i + 1, ": ", status.message()));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace automl

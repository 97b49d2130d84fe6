#include "experiments/simplified_program.h"

#include "absl/strings/str_cat.h"
#include "executor/simplify.h"
#include "instructions/printer.h"
#include "instructions/status_macros.h"

namespace automl {

std::string SimplifiedProgram::LiveLine() const {
  return absl::StrCat("live instructions: ", live_size, " of ", total_size);
}

std::string SimplifiedProgram::Printed() const { return PrintProgram(program); }

std::string SimplifiedProgram::Shown() const {
  return absl::StrCat(LiveLine(), "; simplified:\n", Printed());
}

absl::StatusOr<SimplifiedProgram> SimplifyForReading(const Program& program,
                                                     const MachineShape& shape) {
  SimplifiedProgram result;
  ASSIGN_OR_RETURN(result.program, Simplify(program, shape));
  result.live_size = LiveInstructionCount(program);
  result.total_size = program.size();
  return result;
}

}  // namespace automl

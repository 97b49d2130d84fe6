// Writes a program as one self-contained C++ header (standard library and Eigen only): a class
// holding the register memory, with Setup, Predict and Learn running the engine's Eigen
// expressions (op_expressions.h) and the engine's RNG (instructions/random.h), so that with the
// same compiler flags its predictions are bit-identical to the engine's.
#ifndef EXPERIMENTS_EXPORT_EXPORT_CPP_H_
#define EXPERIMENTS_EXPORT_EXPORT_CPP_H_

#include <string>

#include "experiments/export/export_options.h"
#include "instructions/instruction.h"
#include "instructions/program.h"

namespace automl {

// `program` runs as is (export_program.h simplifies first); `shape` sizes the registers.
std::string ExportCpp(const Program& program, const MachineShape& shape,
                      const std::vector<std::string>& header_lines, const ExportOptions& options);

}  // namespace automl

#endif  // EXPERIMENTS_EXPORT_EXPORT_CPP_H_

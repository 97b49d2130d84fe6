// Writes a program as one Python module (numpy only): a class holding the register memory, with
// setup, predict and learn running each op's numpy equivalent (op_expressions.h) and the
// engine's RNG in pure-Python integer arithmetic, so random ops draw the engine's numbers.
#ifndef EXPERIMENTS_EXPORT_EXPORT_PYTHON_H_
#define EXPERIMENTS_EXPORT_EXPORT_PYTHON_H_

#include <string>
#include <vector>

#include "experiments/export/export_options.h"
#include "instructions/instruction.h"
#include "instructions/program.h"

namespace automl {

// `program` runs as is (export_program.h simplifies first); `shape` sizes the registers.
std::string ExportPython(const Program& program, const MachineShape& shape,
                         const std::vector<std::string>& header_lines,
                         const ExportOptions& options);

}  // namespace automl

#endif  // EXPERIMENTS_EXPORT_EXPORT_PYTHON_H_

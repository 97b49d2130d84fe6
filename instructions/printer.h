// Prints instructions and programs in the human-readable form of the op table
// (ops.h), e.g. "s2 = s0 - s1" or "v1[3] = -0.5". The parser (parser.h) reads
// exactly this form back, so printed programs can be saved, diffed, edited and
// re-loaded without loss.
#ifndef INSTRUCTIONS_PRINTER_H_
#define INSTRUCTIONS_PRINTER_H_

#include <string>

#include "instructions/instruction.h"
#include "instructions/program.h"

namespace automl {

// The shortest decimal text that parses back to exactly `value`: "0.1",
// "-0.001", "1e-08", "inf", "-inf"; every NaN prints as "nan".
std::string FormatDouble(double value);

// One instruction without indentation, e.g. "s1 = dot(v0, v1)"; the NO_OP
// prints as "no_op".
std::string PrintInstruction(const Instruction& instruction);

// The whole program: a "def Setup():" / "def Predict():" / "def Learn():"
// header per function (always all three, in that order), each followed by its
// instructions indented by two spaces. Every line, including the last, ends
// with a newline.
std::string PrintProgram(const Program& program);

}  // namespace automl

#endif  // INSTRUCTIONS_PRINTER_H_
